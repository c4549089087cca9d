//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `wrong` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).clamp(1, 4);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_not_strangers() {
        let ids = ["xi-jinping", "li-qiang", "zhao-leji"];
        assert_eq!(closest("xi-jinpin", ids), Some("xi-jinping"));
        assert_eq!(closest("li-qaing", ids), Some("li-qiang"));
        assert_eq!(closest("nawaz-sharif", ids), None);
    }
}

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

/// The help that offers `close` for a misspelt name. Every "did you mean" bilat prints is this
/// text, so editors can read the suggestion back ([`suggestion_in`]).
pub fn phrase(close: &str) -> String {
    format!("did you mean \"{close}\"?")
}

/// `did you mean "x"?` for the closest candidate within a small edit distance.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wrong, candidates).map(phrase)
}

/// The name a help text made by [`phrase`] suggests, if it is one.
pub fn suggestion_in(help: &str) -> Option<&str> {
    let start = help.find("did you mean \"")? + "did you mean \"".len();
    help.get(start..)?.split('"').next()
}

#[cfg(test)]
mod tests {
    use super::{closest, did_you_mean, suggestion_in};

    #[test]
    fn suggestions_read_back() {
        let help = did_you_mean("vists", ["visits", "topics"]);
        assert_eq!(help.as_deref(), Some("did you mean \"visits\"?"));
        assert_eq!(help.as_deref().and_then(suggestion_in), Some("visits"));
        assert_eq!(
            suggestion_in("\"x\" is not a collection; did you mean \"y\"?"),
            Some("y")
        );
        assert_eq!(suggestion_in("write an id"), None);
    }

    #[test]
    fn finds_typos_not_strangers() {
        let ids = ["xi-jinping", "li-qiang", "zhao-leji"];
        assert_eq!(closest("xi-jinpin", ids), Some("xi-jinping"));
        assert_eq!(closest("li-qaing", ids), Some("li-qiang"));
        assert_eq!(closest("nawaz-sharif", ids), None);
    }
}

//! Splitting a Markdown file into its YAML front matter and its body, keeping exact line numbers.

/// Where the parts of a file are. Offsets are bytes into the (normalized) text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences.
    pub yaml: std::ops::Range<usize>,
    /// The 1-based line the YAML starts on.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unterminated,
}

/// Find the front matter of `text`, which must open with a `---` line.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = line_spans(text);
    let first = lines.next().ok_or(SplitError::Missing)?;
    if !is_fence(&text[first.clone()]) {
        return Err(SplitError::Missing);
    }
    let yaml_start = first.end;
    for line in lines {
        let content = &text[line.clone()];
        if is_fence(content) || content.trim_end() == "..." {
            return Ok(Split {
                yaml: yaml_start..line.start,
                yaml_line: 2,
                body: line.end..text.len(),
            });
        }
    }
    Err(SplitError::Unterminated)
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Byte ranges of each line including its newline.
fn line_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let span = start..end;
        start = end;
        Some(span)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_exact_ranges() {
        let text = "---\ntitle: X\n---\nBody\n";
        let s = split(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(&text[s.yaml.clone()], "title: X\n");
        assert_eq!(&text[s.body.clone()], "Body\n");
        assert_eq!(s.yaml_line, 2);
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("---\n---").unwrap_or_else(|e| panic!("{e:?}"));
        assert!(s.yaml.is_empty());
        assert!(s.body.is_empty());
    }

    #[test]
    fn errors() {
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("title: X\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: X\n"), Err(SplitError::Unterminated));
    }
}

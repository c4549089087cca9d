//! Small HTML helpers of the Markdown compiler: heading ids, escaping, which URLs are safe as
//! written, and the sanitizer applied to bodies with raw HTML when the site does not trust it.

use pulldown_cmark::HeadingLevel;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A heading's text as an id: lowercase letters and digits joined by hyphens (any script).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// `base`, or `base-2`, `base-3`, … whichever is free first. `next` remembers per base where the
/// search stopped (every id before it is taken for good), so a page with thousands of equal
/// headings costs linear time, not quadratic.
pub(super) fn unique_id(
    base: &str,
    used: &HashSet<String>,
    next: &mut HashMap<String, usize>,
) -> String {
    if !used.contains(base) {
        return base.to_string();
    }
    let n = next.entry(base.to_string()).or_insert(2);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if !used.contains(&candidate) {
            return candidate;
        }
    }
}

/// `s` escaped for HTML text or a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Runs of white space as one space, none at either end.
pub(super) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word: Option<usize> = None;
    let push = |out: &mut String, word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    let bytes = s.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        // ASCII decides by the byte; anything else by its character (no-break and wide spaces
        // are white space too, as `char::is_whitespace` says).
        let (space, len) = if b.is_ascii() {
            (matches!(b, b' ' | b'\t'..=b'\r'), 1)
        } else {
            let c = s.get(at..).and_then(|r| r.chars().next()).unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        match (space, word) {
            (true, Some(start)) => {
                push(&mut out, s.get(start..at).unwrap_or_default());
                word = None;
            }
            (false, None) => word = Some(at),
            _ => {}
        }
        at += len;
    }
    if let Some(start) = word {
        push(&mut out, s.get(start..).unwrap_or_default());
    }
    out
}

pub(super) fn heading_tag(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h2", // the page title is the only h1
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

/// A URL that can be emitted without a sanitizer pass: relative, fragment, or an allowed scheme.
pub(super) fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return !url.chars().any(|c| c.is_control());
    }
    // No scheme at all: a `:` may only come after a `/`, `?` or `#`.
    match lower.find(':') {
        None => !url.chars().any(|c| c.is_control()),
        Some(colon) => lower[..colon].contains(['/', '?', '#']),
    }
}

/// The ammonia configuration: ammonia's safe defaults plus the classes and ids bilat emits.
pub(super) fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "title", "lang", "dir"])
            .add_tags(["figure", "figcaption", "mark", "details", "summary"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace_agrees_with_split_whitespace() {
        for s in [
            "",
            "   ",
            "a",
            " a  b\n\nc\t\x0bd\x0c e\r\n",
            "پاکستان\u{00A0}\u{00A0}چین",
            "习近平\u{3000}主席 ",
            "x\u{2028}y\u{202F}z\u{0085}w",
            "é  ü\u{1680}ß",
        ] {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(s), want, "{s:?}");
        }
    }

    #[test]
    fn safe_urls() {
        assert!(is_safe_url("https://example.org/a:b"));
        assert!(is_safe_url("/visits/x/"));
        assert!(is_safe_url("#source-1"));
        assert!(is_safe_url("../x?a=b:c"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JAVASCRIPT:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("java\tscript:alert(1)"));
    }

    #[test]
    fn slugs_and_escapes() {
        assert_eq!(slug("Visits made (2015)"), "visits-made-2015");
        assert_eq!(slug("贸易 and more"), "贸易-and-more");
        assert_eq!(slug("!!"), "section");
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}

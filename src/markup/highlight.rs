//! Code highlighting with syntect into CSS classes (`hl-…`), never inline styles, so the theme's
//! stylesheet (and its dark mode) decides the colours. The syntax set is loaded on first use only.

use super::html::escape;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// `<pre><code>` HTML for a fenced block; plain escaped text when the language is unknown.
pub fn code_block(lang: &str, code: &str) -> String {
    let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
    let mut out = String::with_capacity(code.len() * 2 + 64);
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    out.push_str(&format!("<pre class=\"code\"><code{class}>"));
    let set = if lang.is_empty() {
        None
    } else {
        Some(syntaxes())
    };
    let syntax = set.and_then(|s| s.find_syntax_by_token(lang).map(|syn| (s, syn)));
    match syntax {
        Some((set, syntax)) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
            let mut ok = true;
            for line in LinesWithEndings::from(code) {
                if generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    ok = false;
                    break;
                }
            }
            if ok {
                out.push_str(&generator.finalize());
            } else {
                out.push_str(&escape(code));
            }
        }
        None => out.push_str(&escape(code)),
    }
    out.push_str("</code></pre>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_only() {
        let html = code_block("yaml", "title: \"x\"\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = code_block("nosuchlang", "<b>");
        assert!(html.contains("&lt;b&gt;"));
    }
}

//! Code highlighting with syntect into CSS classes (`hl-…`), never inline styles, so the theme's
//! stylesheet (and its dark mode) decides the colours. The syntax sets are loaded on first use only:
//! YAML, which entries quote most, with the lean grammar of `yaml_syntax`; every other language with
//! the grammars syntect bundles.

use super::html::escape;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The lean data grammars (empty if syntect could not read one, so the bundled grammar serves).
fn data_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        if let Some(yaml) = super::yaml_syntax::definition() {
            builder.add(yaml);
        }
        builder.build()
    })
}

/// The grammar for a fence's language token: a lean data grammar first, then syntect's own.
fn syntax_for(lang: &str) -> Option<(&'static SyntaxSet, &'static SyntaxReference)> {
    if lang.is_empty() {
        return None;
    }
    let data = data_syntaxes();
    if let Some(syntax) = data.find_syntax_by_token(lang) {
        return Some((data, syntax));
    }
    let set = syntaxes();
    set.find_syntax_by_token(lang).map(|syntax| (set, syntax))
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
    match syntax_for(lang) {
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

    /// The lean YAML grammar marks what a reader sees with the scope names of syntect's bundled
    /// grammar, so the theme colours both alike.
    #[test]
    fn yaml_data_block_has_the_bundled_grammar_scopes() {
        let code = "visit:\n  id: 8879\n  host: \"A \\\"B\\\"\"\n  ok: true\n  none: ~\n  \
                    rate: 5.28  # note\n  list:\n    - name: X Y\n      tags: [a, 'b''c', 3]\n";
        let html = code_block("yaml", code);
        for needle in [
            "<span class=\"hl-source hl-yaml\">",
            "<span class=\"hl-string hl-unquoted hl-plain hl-out hl-yaml\"><span class=\"hl-entity hl-name hl-tag hl-yaml\">visit</span></span>",
            "<span class=\"hl-punctuation hl-separator hl-key-value hl-mapping hl-yaml\">:</span>",
            "<span class=\"hl-constant hl-numeric hl-integer hl-yaml\">8879</span>",
            "<span class=\"hl-constant hl-numeric hl-float hl-yaml\">5.28</span>",
            "<span class=\"hl-constant hl-language hl-boolean hl-yaml\">true</span>",
            "<span class=\"hl-constant hl-language hl-null hl-yaml\">~</span>",
            "<span class=\"hl-string hl-quoted hl-double hl-yaml\"><span class=\"hl-punctuation hl-definition hl-string hl-begin hl-yaml\">&quot;</span>A ",
            "<span class=\"hl-constant hl-character hl-escape hl-double-quoted hl-yaml\">\\&quot;</span>",
            "<span class=\"hl-comment hl-line hl-number-sign hl-yaml\"><span class=\"hl-punctuation hl-definition hl-comment hl-line hl-number-sign hl-yaml\">#</span> note\n</span>",
            "<span class=\"hl-punctuation hl-definition hl-block hl-sequence hl-item hl-yaml\">-</span>",
            "<span class=\"hl-string hl-unquoted hl-plain hl-out hl-yaml\">X Y</span>",
            "<span class=\"hl-string hl-unquoted hl-plain hl-in hl-yaml\">a</span>",
            "<span class=\"hl-constant hl-character hl-escape hl-single-quoted hl-yaml\">&#39;&#39;</span>",
            "<span class=\"hl-constant hl-numeric hl-integer hl-yaml\">3</span>",
        ] {
            assert!(html.contains(needle), "missing {needle}\nin {html}");
        }
    }

    /// A plain value that only starts like a number or a boolean stays a string, and a `#` inside a
    /// word is not a comment.
    #[test]
    fn yaml_scalars_are_whole_values() {
        let html = code_block("yml", "a: 12abc\nb: true story\nc: x#y\n");
        assert!(
            html.contains("hl-plain hl-out hl-yaml\">12abc</span>"),
            "{html}"
        );
        assert!(
            html.contains("hl-plain hl-out hl-yaml\">true story</span>"),
            "{html}"
        );
        assert!(
            html.contains("hl-plain hl-out hl-yaml\">x#y</span>"),
            "{html}"
        );
        assert!(!html.contains("hl-comment"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = code_block("nosuchlang", "<b>");
        assert!(html.contains("&lt;b&gt;"));
    }
}

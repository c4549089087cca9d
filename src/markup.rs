//! The annotation syntax inside Markdown, shared by the link and render stages: which
//! pulldown-cmark options bilat uses, and how `[[wikilinks]]` and `[@n]` citations show up in its
//! event stream.

use pulldown_cmark::{BrokenLink, BrokenLinkCallback, CowStr, Event, LinkType, Options, Parser};

/// Markdown extensions every body is parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The destination a `[@n]` citation is given while parsing; never a real URL.
const CITE_PREFIX: &str = "bilat:cite:";

/// A parser over `text` that turns `[@n]` into citation links (see [`annotation`]).
pub fn parser(text: &str) -> Parser<'_, Citations> {
    Parser::new_with_broken_link_callback(text, options(), Some(Citations))
}

/// Gives undefined `[@n]` references a citation destination instead of leaving them as text.
pub struct Citations;

impl<'input> BrokenLinkCallback<'input> for Citations {
    fn handle_broken_link(
        &mut self,
        link: BrokenLink<'input>,
    ) -> Option<(CowStr<'input>, CowStr<'input>)> {
        let reference = link.reference.as_ref();
        reference
            .strip_prefix('@')
            .map(|n| (CowStr::from(format!("{CITE_PREFIX}{n}")), CowStr::from("")))
    }
}

/// What a link event in the stream means to bilat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annotation {
    /// `[[target]]` or `[[target|text]]`; `custom_text` tells which.
    Wiki { target: String, custom_text: bool },
    /// `[@n]`; `number` is `None` when the text after `@` is not a positive whole number.
    Cite { raw: String, number: Option<usize> },
}

/// Recognise a wikilink or citation from a link's type and destination.
pub fn annotation(link_type: LinkType, dest: &str) -> Option<Annotation> {
    match link_type {
        LinkType::WikiLink { has_pothole } => Some(Annotation::Wiki {
            target: dest.trim().to_string(),
            custom_text: has_pothole,
        }),
        LinkType::ShortcutUnknown | LinkType::CollapsedUnknown | LinkType::ReferenceUnknown => {
            let raw = dest.strip_prefix(CITE_PREFIX)?;
            let number = raw.parse::<usize>().ok().filter(|n| *n > 0);
            Some(Annotation::Cite {
                raw: raw.to_string(),
                number,
            })
        }
        _ => None,
    }
}

/// How deep Markdown blocks and raw HTML elements may nest in one body. The HTML sanitizer's parser
/// takes time proportional to nesting depth times elements, so a hostile body (say 100,000
/// `<div>`s or `>`s) would otherwise stall a build for hours; real pages stay far below this.
pub const MAX_NESTING: usize = 100;

/// Elements that never hold content, so never nest.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The byte offset in `text` where Markdown blocks and raw HTML elements together first nest
/// deeper than `max` levels, if they ever do.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    let (mut depth, mut html_depth) = (0usize, 0usize);
    for (event, range) in parser(text).into_offset_iter() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, opens) in html_tags(html) {
                    if opens {
                        html_depth += 1;
                        if depth + html_depth > max {
                            return Some((range.start + at).min(range.end));
                        }
                    } else {
                        html_depth = html_depth.saturating_sub(1);
                    }
                }
            }
            _ => {}
        }
        if depth + html_depth > max {
            return Some(range.start);
        }
    }
    None
}

/// Start and end tags in a raw HTML fragment: (byte offset, true for an element that opens).
fn html_tags(html: &str) -> impl Iterator<Item = (usize, bool)> + '_ {
    html.match_indices('<').filter_map(|(at, _)| {
        let rest = html.get(at + 1..)?;
        if let Some(closing) = rest.strip_prefix('/') {
            return closing
                .starts_with(|c: char| c.is_ascii_alphabetic())
                .then_some((at, false));
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest.get(..tag_end).is_some_and(|t| t.ends_with('/'));
        let void = VOID_ELEMENTS.contains(&name.to_ascii_lowercase().as_str());
        Some((at, !(void || self_closing)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Tag};

    fn annotations(text: &str) -> Vec<Annotation> {
        parser(text)
            .filter_map(|e| match e {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => annotation(link_type, &dest_url),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn finds_wikilinks_and_citations() {
        let found = annotations(
            "See [[officials/xi-jinping]] and [[cpec|the corridor]].[@2] Not [@x] or [a](b).",
        );
        assert_eq!(
            found,
            vec![
                Annotation::Wiki {
                    target: "officials/xi-jinping".into(),
                    custom_text: false
                },
                Annotation::Wiki {
                    target: "cpec".into(),
                    custom_text: true
                },
                Annotation::Cite {
                    raw: "2".into(),
                    number: Some(2)
                },
                Annotation::Cite {
                    raw: "x".into(),
                    number: None
                },
            ]
        );
    }

    #[test]
    fn nesting_depth_counts_blocks_and_raw_html() {
        assert_eq!(
            too_deep("> > quote\n\n<div><br><img src=x/></div>\n", 4),
            None
        );
        let divs = format!("text\n\n{}", "<div>".repeat(200));
        assert_eq!(too_deep(&divs, 100), Some(6 + 5 * 99));
        let quotes = "> ".repeat(200);
        assert!(too_deep(&quotes, 100).is_some());
        let balanced = "<div></div>".repeat(1000);
        assert_eq!(too_deep(&balanced, 100), None);
    }

    #[test]
    fn defined_references_are_not_citations() {
        assert!(annotations("[@1]\n\n[@1]: https://example.org\n").is_empty());
    }
}

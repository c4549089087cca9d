//! The annotation syntax inside Markdown, shared by the link and render stages: which
//! pulldown-cmark options bilat uses, and how `[[wikilinks]]` and `[@n]` citations show up in its
//! event stream.

use pulldown_cmark::{BrokenLink, BrokenLinkCallback, CowStr, LinkType, Options, Parser};

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
    fn handle_broken_link(&mut self, link: BrokenLink<'input>) -> Option<(CowStr<'input>, CowStr<'input>)> {
        let reference = link.reference.as_ref();
        reference.strip_prefix('@').map(|n| (CowStr::from(format!("{CITE_PREFIX}{n}")), CowStr::from("")))
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
        LinkType::WikiLink { has_pothole } => Some(Annotation::Wiki { target: dest.trim().to_string(), custom_text: has_pothole }),
        LinkType::ShortcutUnknown | LinkType::CollapsedUnknown | LinkType::ReferenceUnknown => {
            let raw = dest.strip_prefix(CITE_PREFIX)?;
            let number = raw.parse::<usize>().ok().filter(|n| *n > 0);
            Some(Annotation::Cite { raw: raw.to_string(), number })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Tag};

    fn annotations(text: &str) -> Vec<Annotation> {
        parser(text)
            .filter_map(|e| match e {
                Event::Start(Tag::Link { link_type, dest_url, .. }) => annotation(link_type, &dest_url),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn finds_wikilinks_and_citations() {
        let found = annotations("See [[officials/xi-jinping]] and [[cpec|the corridor]].[@2] Not [@x] or [a](b).");
        assert_eq!(
            found,
            vec![
                Annotation::Wiki { target: "officials/xi-jinping".into(), custom_text: false },
                Annotation::Wiki { target: "cpec".into(), custom_text: true },
                Annotation::Cite { raw: "2".into(), number: Some(2) },
                Annotation::Cite { raw: "x".into(), number: None },
            ]
        );
    }

    #[test]
    fn defined_references_are_not_citations() {
        assert!(annotations("[@1]\n\n[@1]: https://example.org\n").is_empty());
    }
}

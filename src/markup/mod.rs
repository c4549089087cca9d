//! Markdown with bilat's annotations: the pulldown-cmark options, how `[[wikilinks]]` and `[@n]`
//! citations show up in its event stream, and the two passes over a body that use them — [`read`]
//! in the parse stage (nesting check and the [`Outline`] the link stage reads) and [`compile`] in
//! render (HTML with wikilink slots that render fills from the link stage's targets). Both see the
//! same events through [`parser`] and [`annotation`], so they cannot disagree about what is a
//! link; a test checks that on every kind of Markdown construct.
//!
//! Why two passes, not one: compiling every body in the parse stage (tried, measured on 10,000
//! entries) kept all HTML in memory until render (peak 204 → 315 MiB) and made an unchanged
//! rebuild, whose pages the page cache keeps without rendering, 25 % slower. Render compiles only
//! the pages it writes.

mod compile;
mod highlight;
mod html;
mod outline;
mod yaml_syntax;

pub use compile::{Compiled, LinkTarget, Rendered};
pub use html::{escape, slug};
pub use outline::{MAX_NESTING, Outline, Step};

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
/// The parse stage's pass over a Markdown body: its [`Outline`], or the byte offset where
/// Markdown blocks and raw HTML elements together first nest deeper than `max` levels.
pub fn read(text: &str, max: usize) -> Result<Outline, usize> {
    let mut nesting = outline::Nesting::default();
    let mut recorder = outline::Recorder::new(text);
    for (event, range) in parser(text).into_offset_iter() {
        nesting.step(&event, &range, max)?;
        recorder.event(&event, range.start);
    }
    Ok(recorder.finish())
}

/// A body's [`Outline`] at any depth (for tools that read one file).
pub fn outline(text: &str) -> Outline {
    read(text, usize::MAX).unwrap_or_default()
}

/// The byte offset in `text` where Markdown blocks and raw HTML elements together first nest
/// deeper than `max` levels, if they ever do.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    read(text, max).err()
}

/// Render's pass over a body (already read and checked by [`read`]): its HTML and plain text with
/// the wikilinks left as slots, to be filled per language ([`Compiled::fill`]). Raw HTML and
/// unsafe URLs are sanitized unless `trusted_html`.
pub fn compile(text: &str, trusted_html: bool) -> Compiled {
    let text = compile::without_markers(text);
    let text = text.as_ref();
    let mut writer = compile::Writer::new(text.len());
    for event in parser(text) {
        writer.event(event);
    }
    writer.finish(trusted_html)
}

/// A body's HTML with wikilinks resolved by `resolve`.
pub fn to_html(
    text: &str,
    trusted_html: bool,
    resolve: &dyn Fn(&str) -> Option<LinkTarget>,
) -> String {
    compile(text, trusted_html).fill(resolve).html
}

/// A body's plain text (for search and descriptions), wikilinks as their text.
pub fn plain_text(text: &str, resolve: &dyn Fn(&str) -> Option<LinkTarget>) -> String {
    compile(text, true).fill(resolve).plain
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

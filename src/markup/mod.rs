//! Markdown with bilat's annotations, read once: the pulldown-cmark options, how `[[wikilinks]]`
//! and `[@n]` citations show up in its event stream, and [`read`], the parse stage's single pass
//! over a body that checks its nesting, records the [`Outline`] the link stage reads and compiles
//! the HTML render fills in ([`Compiled`]).

mod compile;
mod highlight;
mod html;
mod outline;

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
/// One pass over a Markdown body: its [`Outline`] and its [`Compiled`] HTML, or the byte offset
/// where Markdown blocks and raw HTML elements together first nest deeper than `max` levels.
/// Raw HTML and unsafe URLs are sanitized unless `trusted_html`.
pub fn read(text: &str, max: usize, trusted_html: bool) -> Result<(Outline, Compiled), usize> {
    let text = compile::without_markers(text);
    let text = text.as_ref();
    let mut nesting = outline::Nesting::default();
    let mut recorder = outline::Recorder::new(text);
    let mut writer = compile::Writer::new(text.len());
    for (event, range) in parser(text).into_offset_iter() {
        nesting.step(&event, &range, max)?;
        recorder.event(&event, range.start);
        writer.event(event);
    }
    Ok((recorder.finish(), writer.finish(trusted_html)))
}

/// A body's [`Outline`] alone, at any depth (for tools that read one file; the build uses
/// [`read`]).
pub fn outline(text: &str) -> Outline {
    read(text, usize::MAX, true)
        .map(|(outline, _)| outline)
        .unwrap_or_default()
}

/// The byte offset in `text` where Markdown blocks and raw HTML elements together first nest
/// deeper than `max` levels, if they ever do.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    read(text, max, true).err()
}

/// A body's HTML with wikilinks resolved by `resolve` (for tools and tests; the build reads each
/// body once with [`read`] and fills it per language).
pub fn to_html(
    text: &str,
    trusted_html: bool,
    resolve: &dyn Fn(&str) -> Option<LinkTarget>,
) -> String {
    match read(text, usize::MAX, trusted_html) {
        Ok((_, compiled)) => compiled.fill(resolve).html,
        Err(_) => String::new(),
    }
}

/// A body's plain text (for search and descriptions), wikilinks as their text.
pub fn plain_text(text: &str, resolve: &dyn Fn(&str) -> Option<LinkTarget>) -> String {
    match read(text, usize::MAX, true) {
        Ok((_, compiled)) => compiled.fill(resolve).plain,
        Err(_) => String::new(),
    }
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

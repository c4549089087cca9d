//! The parse stage's reading of a body's structure: how deep its blocks and raw HTML nest, and
//! the [`Outline`] the link stage reads (where annotations are, and the text of the blocks that
//! hold a wikilink).

use super::{Annotation, annotation};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// How deep Markdown blocks and raw HTML elements may nest in one body. The HTML sanitizer's parser
/// takes time proportional to nesting depth times elements, so a hostile body (say 100,000
/// `<div>`s or `>`s) would otherwise stall a build for hours; real pages stay far below this.
pub const MAX_NESTING: usize = 100;

/// Elements that never hold content, so never nest.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// How deep blocks and raw HTML elements are open at a point of the event stream.
#[derive(Default)]
pub(super) struct Nesting {
    depth: usize,
    html_depth: usize,
}

impl Nesting {
    /// Account for one event at `range`; `Err` with the offset where nesting passes `max`.
    pub(super) fn step(
        &mut self,
        event: &Event<'_>,
        range: &Range<usize>,
        max: usize,
    ) -> Result<(), usize> {
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, opens) in html_tags(html) {
                    if opens {
                        self.html_depth += 1;
                        if self.depth + self.html_depth > max {
                            return Err((range.start + at).min(range.end));
                        }
                    } else {
                        self.html_depth = self.html_depth.saturating_sub(1);
                    }
                }
            }
            _ => {}
        }
        if self.depth + self.html_depth > max {
            return Err(range.start);
        }
        Ok(())
    }
}

/// What the link stage reads of a body: the plain text of each block that holds a wikilink (for
/// the sentence around a mention), where links open and close, and where blocks end. Citations
/// are kept in every block; the text of a block without a wikilink is not. Text is kept as
/// ranges of the body where the body holds it as such, so little is copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Kept text that the body does not hold as such, one piece after another.
    pub text: String,
    pub steps: Vec<Step>,
}

/// One step of an [`Outline`], in the order of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Plain text of the current block, as written: this byte range of the body.
    Source(Range<usize>),
    /// Plain text of the current block that the body does not hold as such (a curly quote, a
    /// decoded entity, a line break read as a space): this range of [`Outline::text`].
    Text(Range<usize>),
    /// A link opens: an annotation with its byte offset in the body, or `None` for a plain link.
    LinkStart(Option<(Annotation, usize)>),
    LinkEnd,
    /// The current block ends: a paragraph, list item, heading, table cell, footnote or code
    /// block (a code block is a block of its own, never part of a mention's sentence).
    BlockEnd,
}

/// Builds an [`Outline`] from a body's events.
pub(super) struct Recorder<'a> {
    body: &'a str,
    outline: Outline,
    /// The steps of the current block, kept whole only if it holds a wikilink.
    block: Vec<Step>,
    /// Where the current block's text begins in the outline's text.
    block_text: usize,
    block_has_wiki: bool,
}

impl<'a> Recorder<'a> {
    pub(super) fn new(body: &'a str) -> Self {
        Recorder {
            body,
            outline: Outline::default(),
            block: Vec::new(),
            block_text: 0,
            block_has_wiki: false,
        }
    }

    pub(super) fn event(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let found = annotation(*link_type, dest_url);
                self.block_has_wiki |= matches!(found, Some(Annotation::Wiki { .. }));
                self.block.push(Step::LinkStart(found.map(|a| (a, offset))));
            }
            Event::End(TagEnd::Link) => self.block.push(Step::LinkEnd),
            Event::Text(t) | Event::Code(t) => match self.in_body(t) {
                Some(range) => self.source(range),
                None => self.text(t),
            },
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            Event::Start(Tag::CodeBlock(_))
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition
                | TagEnd::CodeBlock,
            ) => self.block_end(),
            _ => {}
        }
    }

    /// Where `t` lies in the body, when it is a slice of it (pulldown-cmark borrows most text).
    fn in_body(&self, t: &str) -> Option<Range<usize>> {
        let start = (t.as_ptr() as usize).checked_sub(self.body.as_ptr() as usize)?;
        let range = start..start + t.len();
        // Two live strings never overlap: a slice this long at this address is `t` itself.
        self.body.get(range.clone()).map(|_| range)
    }

    fn source(&mut self, range: Range<usize>) {
        match self.block.last_mut() {
            Some(Step::Source(last)) if last.end == range.start => last.end = range.end,
            _ => self.block.push(Step::Source(range)),
        }
    }

    fn text(&mut self, t: &str) {
        let start = self.outline.text.len();
        self.outline.text.push_str(t);
        let end = self.outline.text.len();
        match self.block.last_mut() {
            Some(Step::Text(range)) if range.end == start => range.end = end,
            _ => self.block.push(Step::Text(start..end)),
        }
    }

    fn block_end(&mut self) {
        if self.block_has_wiki {
            self.outline.steps.append(&mut self.block);
            self.outline.steps.push(Step::BlockEnd);
        } else {
            // No mention will ask for this block's sentences: drop its text, keep its links.
            self.outline.text.truncate(self.block_text);
            let links =
                (self.block.drain(..)).filter(|s| !matches!(s, Step::Text(_) | Step::Source(_)));
            self.outline.steps.extend(links);
        }
        self.block_text = self.outline.text.len();
        self.block_has_wiki = false;
    }

    pub(super) fn finish(mut self) -> Outline {
        self.block_end();
        self.outline
    }
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

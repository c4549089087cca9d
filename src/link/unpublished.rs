//! The records a build does not publish — those with errors, and drafts left out — still have
//! their links checked, so that one run reports every independent error: their bodies are
//! checked like any other (without making mentions), a link to a draft says it is a draft, and
//! what was not reported or checked because of another error is summed up in notes.

use super::{Body, Linked, Node};
use crate::diagnostics::{Diagnostic, Pos, codes};
use crate::validate::Entry;

/// The bodies of the unpublished entries and pages, to check with the published ones.
pub(super) fn bodies(linked: &Linked) -> impl Iterator<Item = Body<'_>> {
    let entries = linked.unpublished.iter().map(|e| {
        let sources = match (e.sources_known, e.sources().len(), &e.lang) {
            (false, _, _) => usize::MAX,
            // A translation without sources of its own cites its original's.
            (true, 0, Some(_)) => original_sources(linked, e),
            (true, n, _) => n,
        };
        let draft = linked.is_draft(e);
        Body {
            file: &e.file,
            text: &e.text,
            body_start: e.body.start,
            body: e.body(),
            outline: &e.outline,
            sources,
            from: None::<Node>,
            lang: e.lang.as_deref(),
            draft,
            counts_later: !draft,
        }
    });
    let docs = linked.unpublished_docs.iter().map(|d| Body {
        file: &d.file,
        text: &d.text,
        body_start: d.body.start,
        body: d.body(),
        outline: &d.outline,
        sources: 0,
        from: None,
        lang: d.lang.as_deref(),
        draft: d.draft,
        counts_later: !d.draft,
    });
    entries.chain(docs)
}

/// How many sources translation `t`'s original has, published or not; `usize::MAX` (check
/// nothing) when they are unknown.
pub(super) fn original_sources(linked: &Linked, t: &Entry) -> usize {
    let published = linked
        .entry_index(&t.collection, &t.id)
        .and_then(|i| linked.entries.get(i));
    let original = published.or_else(|| {
        linked
            .unpublished
            .iter()
            .find(|o| o.lang.is_none() && o.collection == t.collection && o.id == t.id)
    });
    original
        .filter(|o| o.sources_known)
        .map_or(usize::MAX, |o| o.sources().len())
}

/// A link or reference (at `pos`, `width` characters) to `target`, a draft left out.
pub(super) fn draft_link(
    file: &str,
    text: &str,
    pos: Pos,
    width: usize,
    target: &str,
    draft_file: &str,
) -> Diagnostic {
    Diagnostic::error(
        codes::LINK_TO_DRAFT,
        file,
        pos,
        format!("{target} is a draft (draft: true), which a build without --drafts leaves out: this link would lead nowhere"),
    )
    .with_help(format!(
        "publish it by removing draft: true from {draft_file} when it is ready, or link to it later; --drafts (build, check, serve) includes drafts"
    ))
    .with_source(text, width)
}

/// Say what was not reported, or not checked, because of other errors.
pub(super) fn notes(linked: &mut Linked) {
    if linked.suppressed > 0 {
        let n = linked.suppressed;
        let (s, was, they) = if n == 1 {
            ("", "was", "it")
        } else {
            ("s", "were", "they")
        };
        linked.notes.insert(
            0,
            format!(
                "{n} link{s} to records whose own file has errors {was} not reported: {they} may resolve once those errors are fixed"
            ),
        );
    }
    if linked.unchecked_citations > 0 {
        let n = linked.unchecked_citations;
        let (s, was) = if n == 1 { ("", "was") } else { ("s", "were") };
        linked.notes.push(format!(
            "{n} citation{s} {was} not checked: the sources of the record{s} citing {} did not check",
            if n == 1 { "it" } else { "them" }
        ));
    }
}

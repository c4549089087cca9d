//! Hover, go to definition, find references, rename and quick fixes: what is under the cursor
//! (a reference or wikilink, or the entry the file is), and the answers the reference index and
//! the rename plan give about it.

use super::convert;
use crate::diagnostics::Diagnostic;
use crate::refs::{FileEntry, Index, LinkSite, Span};
use crate::rename;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChangeOperation, DocumentChanges,
    Hover, HoverContents, Location, MarkupContent, MarkupKind, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, RenameFile, ResourceOp, TextDocumentEdit,
    TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

/// The link of file `rel` under 0-based `(line, column)`.
pub fn link_at<'i>(
    index: &'i Index,
    rel: &str,
    line: usize,
    column: usize,
) -> Option<&'i LinkSite> {
    let f = index.files.get(rel)?;
    f.links.iter().find(|l| l.span.touches(line, column))
}

/// The entry under the cursor: a link's target, else the entry the file is.
pub fn record_at(index: &Index, rel: &str, line: usize, column: usize) -> Option<(String, String)> {
    match link_at(index, rel, line, column) {
        Some(link) => index.target(link),
        None => {
            let (c, id) = index.files.get(rel)?.record()?;
            Some((c.to_string(), id.to_string()))
        }
    }
}

/// The free page a link names (`[[pages/id]]`, or a bare `[[id]]` that names no entry).
fn page_of<'i>(index: &'i Index, link: &LinkSite) -> Option<&'i FileEntry> {
    let is_page = match &link.collection {
        Some(c) => c == "pages",
        None => index.collections_with(&link.id).is_empty(),
    };
    if !is_page {
        return None;
    }
    index.files.values().find(|f| {
        f.source.lang.is_none()
            && matches!(&f.source.kind, crate::walk::SourceKind::Page { id } if *id == link.id)
    })
}

/// The record's card: title, dates, kind, summary (a free page's title).
pub fn hover(index: &Index, rel: &str, line: usize, column: usize) -> Option<Hover> {
    let link = link_at(index, rel, line, column)?;
    let f = index.files.get(rel)?;
    let markdown = |value: String| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(convert::range(&f.text, link.span)),
    };
    if let Some(page) = page_of(index, link) {
        let title = page
            .doc
            .as_ref()
            .map_or("(the file has errors)", |d| &d.title);
        return Some(markdown(format!(
            "**{title}**\n\nPage\n\n`{}`",
            page.source.rel
        )));
    }
    let (c, id) = index.target(link)?;
    let target = index.record_file(&c, &id)?;
    let collection = index.config.collection(&c)?;
    let mut card = String::new();
    match &target.entry {
        Some(e) => {
            card.push_str(&format!("**{}**\n\n{}", e.title, collection.singular));
            if let Some(kind) = e.field("kind").and_then(|v| v.as_text()) {
                card.push_str(&format!(" · {kind}"));
            }
            match (e.date, e.end_date) {
                (Some(d), Some(end)) => card.push_str(&format!(" · {d} – {end}")),
                (Some(d), None) => card.push_str(&format!(" · {d}")),
                _ => {}
            }
            if let Some(summary) = &e.summary {
                card.push_str(&format!("\n\n{summary}"));
            }
        }
        None => card.push_str(&format!(
            "**{c}/{id}**\n\n{} (the file has errors)",
            collection.singular
        )),
    }
    card.push_str(&format!("\n\n`{}`", target.source.rel));
    Some(markdown(card))
}

/// The start of the file of the record under the cursor.
pub fn definition(index: &Index, rel: &str, line: usize, column: usize) -> Option<Location> {
    let link = link_at(index, rel, line, column)?;
    let target = match page_of(index, link) {
        Some(page) => page,
        None => {
            let (c, id) = index.target(link)?;
            index.record_file(&c, &id)?
        }
    };
    let uri = convert::uri(&index.root, &target.source.rel)?;
    Some(Location::new(uri, Range::default()))
}

/// Every reference to the record under the cursor (and its own file, when asked).
pub fn references(
    index: &Index,
    rel: &str,
    line: usize,
    column: usize,
    declaration: bool,
) -> Option<Vec<Location>> {
    let (c, id) = record_at(index, rel, line, column)?;
    let mut out = Vec::new();
    if declaration && let Some(f) = index.record_file(&c, &id) {
        out.extend(
            convert::uri(&index.root, &f.source.rel).map(|u| Location::new(u, Range::default())),
        );
    }
    for r in index.references(&c, &id) {
        let (Some(f), Some(uri)) = (index.files.get(&r.file), convert::uri(&index.root, &r.file))
        else {
            continue;
        };
        out.push(Location::new(uri, convert::range(&f.text, r.link.span)));
    }
    Some(out)
}

/// The span rename would replace, and the id there now.
pub fn prepare_rename(
    index: &Index,
    rel: &str,
    line: usize,
    column: usize,
) -> Option<(Range, String)> {
    let f = index.files.get(rel)?;
    match link_at(index, rel, line, column) {
        Some(link) => {
            index.target(link)?;
            Some((convert::range(&f.text, link.span), link.id.clone()))
        }
        None => {
            let (_, id) = f.record()?;
            let at = Span {
                line,
                start: column,
                end: column,
            };
            Some((convert::range(&f.text, at), id.to_string()))
        }
    }
}

/// The workspace edit of renaming the record under the cursor to `new`.
pub fn rename(
    index: &Index,
    rel: &str,
    line: usize,
    column: usize,
    new: &str,
) -> Result<WorkspaceEdit, String> {
    let (c, old) = record_at(index, rel, line, column).ok_or("no record under the cursor")?;
    let plan = rename::plan(index, &c, &old, new).map_err(|e| e.to_string())?;
    let mut operations = Vec::new();
    for (file, edits) in &plan.edits {
        let (Some(f), Some(uri)) = (index.files.get(file), convert::uri(&index.root, file)) else {
            continue;
        };
        let edits = edits
            .iter()
            .map(|e| {
                OneOf::Left(TextEdit::new(
                    convert::range(&f.text, e.span),
                    e.new_text.clone(),
                ))
            })
            .collect();
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits,
        }));
    }
    for (from, to) in &plan.moves {
        if let (Some(old_uri), Some(new_uri)) = (
            convert::uri(&index.root, from),
            convert::uri(&index.root, to),
        ) {
            operations.push(DocumentChangeOperation::Op(ResourceOp::Rename(
                RenameFile {
                    old_uri,
                    new_uri,
                    options: None,
                    annotation_id: None,
                },
            )));
        }
    }
    Ok(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    })
}

/// Quick fixes for the diagnostics of `f` that overlap `range` and suggest a spelling
/// ("did you mean \"x\"?"): replace the misspelt word, quoted first in the message, by `x`.
pub fn code_actions(
    uri: &Url,
    f: &FileEntry,
    diagnostics: &[Diagnostic],
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for d in diagnostics {
        let Some(suggestion) = d
            .help
            .as_deref()
            .filter(|h| h.starts_with("did you mean"))
            .and_then(crate::suggest::suggestion_in)
        else {
            continue;
        };
        // The first quoted word, or the target of `link [[x]] points to no entry`.
        let quoted = d.message.split('"').nth(1);
        let linked = d
            .message
            .split_once("[[")
            .and_then(|(_, rest)| rest.split_once("]]"))
            .map(|(target, _)| target);
        let Some(wrong) = quoted.or(linked) else {
            continue;
        };
        let span = convert::diagnostic_span(d);
        let at = convert::range(&f.text, span);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        // The misspelt word, from the diagnostic's column on.
        let line = convert::line_of(&f.text, span.line);
        let from: String = line.chars().skip(span.start).collect();
        let Some(byte) = from.find(wrong) else {
            continue;
        };
        let start = span.start + from.get(..byte).map_or(0, |s| s.chars().count());
        let fix = Span {
            line: span.line,
            start,
            end: start + wrong.chars().count(),
        };
        let edit = TextEdit::new(convert::range(&f.text, fix), suggestion.to_string());
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), vec![edit]);
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Change \"{wrong}\" to \"{suggestion}\""),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![convert::diagnostic(&f.text, d)]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pos;
    use crate::walk::{Format, SourceFile, SourceKind};

    fn file(text: &str) -> FileEntry {
        FileEntry::unread(
            SourceFile {
                rel: "content/visits/v.md".into(),
                abs: "/s/content/visits/v.md".into(),
                kind: SourceKind::Entry {
                    collection: "visits".into(),
                    id: "v".into(),
                },
                lang: None,
                format: Format::Markdown,
            },
            text.into(),
        )
    }

    fn fixes(text: &str, d: Diagnostic) -> Vec<(Range, String)> {
        let uri = Url::parse("file:///s/content/visits/v.md").unwrap();
        let f = file(text);
        let all = Range::new(
            lsp_types::Position::new(0, 0),
            lsp_types::Position::new(99, 0),
        );
        code_actions(&uri, &f, &[d.with_source(text, 1)], all)
            .into_iter()
            .filter_map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a.edit?.changes?.remove(&uri),
                CodeActionOrCommand::Command(_) => None,
            })
            .flatten()
            .map(|e| (e.range, e.new_text))
            .collect()
    }

    #[test]
    fn a_did_you_mean_replaces_the_misspelt_word() {
        let text =
            "---\nvisitor: \"xi-jinpin\"\n---\nSee [[tade]] and [[officials/xi-jinpin|Xi]].\n";
        let d = Diagnostic::error(
            crate::diagnostics::codes::UNKNOWN_REF,
            "content/visits/v.md",
            Pos::new(2, 10),
            "unknown official \"xi-jinpin\" in field \"visitor\"",
        )
        .with_help("did you mean \"xi-jinping\"?");
        let r = |line, from, to| {
            Range::new(
                lsp_types::Position::new(line, from),
                lsp_types::Position::new(line, to),
            )
        };
        assert_eq!(
            fixes(text, d),
            vec![(r(1, 10, 19), "xi-jinping".to_string())]
        );
        let d = Diagnostic::error(
            crate::diagnostics::codes::UNKNOWN_REF,
            "content/visits/v.md",
            Pos::new(4, 5),
            "link [[tade]] points to no entry",
        )
        .with_help("did you mean \"trade\"?");
        assert_eq!(fixes(text, d), vec![(r(3, 6, 10), "trade".to_string())]);
        let d = Diagnostic::error(
            crate::diagnostics::codes::UNKNOWN_REF,
            "content/visits/v.md",
            Pos::new(4, 18),
            "unknown official \"xi-jinpin\" in link [[officials/xi-jinpin]]",
        )
        .with_help("no entry exists");
        assert_eq!(fixes(text, d), Vec::new());
    }
}

//! Renaming an entry's id safely: the plan (which files move, which spans change) that both
//! `bilat rename` and the language server's rename carry out. Every file of the entry (the
//! original and its translations) takes the new name, every reference and `[[wikilink]]` to it
//! is rewritten, and the old id is recorded in the entry's `aliases_ids`, so its old URL stays
//! as a redirect.

use crate::config::is_id;
use crate::parse::{Node, NodeKind};
use crate::refs::{FileEntry, Index, Lines, Span};
use crate::validate::aliases::KEY;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Replace the text of `span` (empty: insert at its start) with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// What a rename changes: text edits per file (by the file's current path), then file moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub edits: BTreeMap<String, Vec<TextEdit>>,
    /// (from, to), paths relative to the site root.
    pub moves: Vec<(String, String)>,
    /// How many references and wikilinks are rewritten.
    pub references: usize,
}

/// Why a rename cannot be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    NoSuchEntry {
        target: String,
        help: String,
    },
    BadId(String),
    Taken {
        target: String,
        file: String,
    },
    Same,
    /// The new id is one of the entry's old ids.
    WasOld(String),
    /// The new id is an old id of another entry (its URL redirects there).
    OldIdOf {
        id: String,
        of: String,
    },
    /// The entry's file cannot be parsed, so where to record the old id is unknown.
    Unparsed(String),
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NoSuchEntry { target, help } => {
                write!(f, "no entry {target}: {help}")
            }
            RenameError::BadId(id) => write!(
                f,
                "\"{id}\" is not an id: use lowercase a-z, 0-9 and single hyphens"
            ),
            RenameError::Taken { target, file } => {
                write!(f, "{target} already exists ({file})")
            }
            RenameError::Same => write!(f, "the new id is the old one"),
            RenameError::WasOld(id) => write!(
                f,
                "\"{id}\" is an old id of this entry: remove it from {KEY} first"
            ),
            RenameError::OldIdOf { id, of } => write!(
                f,
                "\"{id}\" is an old id of {of} (its old URL redirects there): choose another id, or remove it from that entry's {KEY}"
            ),
            RenameError::Unparsed(file) => write!(
                f,
                "{file} cannot be read (see bilat check): fix it before renaming"
            ),
        }
    }
}

impl std::error::Error for RenameError {}

/// Plan renaming entry `collection/old` to `collection/new`.
pub fn plan(index: &Index, collection: &str, old: &str, new: &str) -> Result<Plan, RenameError> {
    let Some(original) = index.record_file(collection, old) else {
        let ids = index.ids(collection).map(|(id, _)| id.as_str());
        let help = crate::suggest::did_you_mean(old, ids)
            .unwrap_or_else(|| "write <collection>/<id> of an existing entry".to_string());
        return Err(RenameError::NoSuchEntry {
            target: format!("{collection}/{old}"),
            help,
        });
    };
    if !is_id(new) {
        return Err(RenameError::BadId(new.to_string()));
    }
    if new == old {
        return Err(RenameError::Same);
    }
    if let Some(f) = index.record_file(collection, new) {
        return Err(RenameError::Taken {
            target: format!("{collection}/{new}"),
            file: f.source.rel.clone(),
        });
    }
    if original.front.is_none() {
        return Err(RenameError::Unparsed(original.source.rel.clone()));
    }
    for (id, f) in index.ids(collection) {
        let claims = f
            .entry
            .as_ref()
            .is_some_and(|e| e.aliases_ids.iter().any(|o| o.id == new));
        if claims && id != old {
            return Err(RenameError::OldIdOf {
                id: new.to_string(),
                of: format!("{collection}/{id}"),
            });
        }
    }
    let mut plan = Plan::default();
    // A bare [[old]] stays bare unless another collection has the new id.
    let bare_taken = !index.collections_with(new).is_empty();
    for r in index.references(collection, old) {
        let new_text = match (&r.link.collection, bare_taken) {
            (None, true) => format!("{collection}/{new}"),
            _ => new.to_string(),
        };
        plan.edits.entry(r.file).or_default().push(TextEdit {
            span: r.link.span,
            new_text,
        });
        plan.references += 1;
    }
    let alias = alias_edit(original, old, new)?;
    plan.edits
        .entry(original.source.rel.clone())
        .or_default()
        .push(alias);
    for (rel, f) in &index.files {
        if f.record() == Some((collection, old)) {
            plan.moves.push((rel.clone(), renamed_path(rel, old, new)));
        }
    }
    for edits in plan.edits.values_mut() {
        edits.sort_by_key(|e| e.span);
    }
    Ok(plan)
}

/// `content/c/old.ur.md` → `content/c/new.ur.md`.
fn renamed_path(rel: &str, old: &str, new: &str) -> String {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let rest = name.strip_prefix(old).unwrap_or(name);
    if dir.is_empty() {
        format!("{new}{rest}")
    } else {
        format!("{dir}/{new}{rest}")
    }
}

/// Text inserted at a position (0-based line, character column).
fn insert(line: usize, column: usize, text: String) -> TextEdit {
    TextEdit {
        span: Span {
            line,
            start: column,
            end: column,
        },
        new_text: text,
    }
}

/// The 0-based line and the column just after a scalar node.
fn end_of(node: &Node) -> (usize, usize) {
    let width = node.as_scalar().map_or(0, |s| s.chars().count());
    (
        node.pos.line.saturating_sub(1),
        node.pos.column.saturating_sub(1) + width,
    )
}

/// Add `old` to an existing `aliases_ids` list, flow (`[a, b]`) or block (`- a`) style.
fn append_to_list(
    file: &FileEntry,
    lines: &Lines,
    key: &crate::parse::Key,
    items: &[Node],
    line_text: &str,
    old: &str,
    new: &str,
) -> Result<TextEdit, RenameError> {
    if items.iter().any(|n| n.as_scalar() == Some(new)) {
        return Err(RenameError::WasOld(new.to_string()));
    }
    match items.last() {
        Some(last) if line_text.contains('[') => {
            // Before the closing bracket when it is on the key's line (quoted items
            // included), else after the last item.
            let (line, column) = match line_text.rfind(']') {
                Some(i) => (
                    key.pos.line.saturating_sub(1),
                    line_text.get(..i).map_or(0, |s| s.chars().count()),
                ),
                None => end_of(last),
            };
            Ok(insert(line, column, format!(", {old}")))
        }
        Some(last) => {
            let item_line = file
                .text
                .lines()
                .nth(last.pos.line.saturating_sub(1))
                .unwrap_or("");
            let indent: String = item_line.chars().take_while(|c| *c != '-').collect();
            match lines.line_start(last.pos.line) {
                Some(_) => Ok(insert(last.pos.line, 0, format!("{indent}- {old}\n"))),
                // The item ends the file, without a newline.
                None => Ok(insert(
                    last.pos.line.saturating_sub(1),
                    item_line.chars().count(),
                    format!("\n{indent}- {old}"),
                )),
            }
        }
        None => {
            let column = line_text
                .rfind(']')
                .map_or(0, |i| line_text.get(..i).map_or(0, |s| s.chars().count()));
            Ok(insert(
                key.pos.line.saturating_sub(1),
                column,
                old.to_string(),
            ))
        }
    }
}

/// The edit that adds `old` to the entry's `aliases_ids` (creating the key when absent).
fn alias_edit(file: &FileEntry, old: &str, new: &str) -> Result<TextEdit, RenameError> {
    let lines = Lines::new(&file.text);
    let key_node = match file.front.as_ref().map(|f| &f.kind) {
        Some(NodeKind::Map(fields)) => fields.iter().find(|(k, _)| k.name == KEY),
        _ => None,
    };
    if let Some((key, node)) = key_node {
        let line_text = file
            .text
            .lines()
            .nth(key.pos.line.saturating_sub(1))
            .unwrap_or_default();
        return match &node.kind {
            NodeKind::Seq(items) => append_to_list(file, &lines, key, items, line_text, old, new),
            NodeKind::Scalar { text, .. } => {
                if text == new {
                    return Err(RenameError::WasOld(new.to_string()));
                }
                let (line, end) = end_of(node);
                Ok(TextEdit {
                    span: Span {
                        line,
                        start: node.pos.column.saturating_sub(1),
                        end,
                    },
                    new_text: format!("[{text}, {old}]"),
                })
            }
            _ => Ok(insert(
                key.pos.line.saturating_sub(1),
                line_text.chars().count(),
                format!(" [{old}]"),
            )),
        };
    }
    let line = format!("{KEY}: [{old}]\n");
    // Before the closing fence of a Markdown file; at the end of a YAML file.
    if has_fence(file) {
        let before = file.text.get(..file.body.start).unwrap_or_default();
        let fence = before
            .trim_end_matches('\n')
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let (fence_line, _) = lines.at(fence);
        return Ok(insert(fence_line, 0, line));
    }
    let (last, column) = lines.at(file.text.len());
    if file.text.is_empty() || file.text.ends_with('\n') {
        Ok(insert(last, column, line))
    } else {
        Ok(insert(last, column, format!("\n{}", line.trim_end())))
    }
}

/// Whether the file has Markdown front matter (its body follows a closing `---`).
fn has_fence(file: &FileEntry) -> bool {
    file.source.format == crate::walk::Format::Markdown
}

/// Apply edits (spans into `text`, not overlapping) and return the new text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let lines = Lines::new(text);
    let offset = |line: usize, column: usize| -> Option<usize> {
        let start = lines.line_start(line)?;
        let rest = text.get(start..)?;
        let line_len = rest.find('\n').unwrap_or(rest.len());
        Some(
            start
                + rest
                    .char_indices()
                    .nth(column)
                    .map_or(line_len, |(i, _)| i.min(line_len)),
        )
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let start = offset(e.span.line, e.span.start).unwrap_or(text.len());
            let end = offset(e.span.line, e.span.end).unwrap_or(text.len());
            (start, end.max(start), e.new_text.as_str())
        })
        .collect();
    spans.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = text.to_string();
    for (start, end, new_text) in spans {
        if out.is_char_boundary(start) && out.is_char_boundary(end) && end <= out.len() {
            out.replace_range(start..end, new_text);
        }
    }
    out
}

/// Carry out a plan on the files of the site at `root`: edit, then move. Refuses before
/// changing anything when a target path exists.
pub fn apply(root: &Path, index: &Index, plan: &Plan) -> std::io::Result<()> {
    for (_, to) in &plan.moves {
        if root.join(to).exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{to} already exists"),
            ));
        }
    }
    for (rel, edits) in &plan.edits {
        // The index reads files without a byte-order mark and with LF line ends: the file
        // keeps its own.
        let raw = std::fs::read_to_string(root.join(rel))?;
        let bom = raw.starts_with('\u{feff}');
        let crlf = raw.contains("\r\n");
        let text = match index.files.get(rel) {
            Some(f) => f.text.clone(),
            None => raw.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
        };
        let mut out = apply_edits(&text, edits);
        if crlf {
            out = out.replace('\n', "\r\n");
        }
        if bom {
            out.insert(0, '\u{feff}');
        }
        std::fs::write(root.join(rel), out)?;
    }
    for (from, to) in &plan.moves {
        std::fs::rename(root.join(from), root.join(to))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walk::{Format, SourceFile, SourceKind};

    /// The text of a file after the alias edit that records `old`.
    fn with_alias(text: &str, format: Format) -> String {
        let source = SourceFile {
            rel: "content/topics/t.md".into(),
            abs: "/s/content/topics/t.md".into(),
            kind: SourceKind::Entry {
                collection: "topics".into(),
                id: "t".into(),
            },
            lang: None,
            format,
        };
        let parsed =
            crate::parse::parse_text(source.clone(), text.to_string(), &Default::default())
                .unwrap_or_else(|d| panic!("{d:?}"));
        let file = FileEntry {
            source,
            text: text.to_string(),
            links: Vec::new(),
            entry: None,
            doc: None,
            diagnostics: Vec::new(),
            front: Some(parsed.front),
            stale_front: None,
            body: parsed.body,
        };
        let edit = alias_edit(&file, "old", "t").unwrap_or_else(|e| panic!("{e}"));
        apply_edits(text, &[edit])
    }

    #[test]
    fn the_old_id_is_recorded_whatever_the_key_looks_like() {
        let md = Format::Markdown;
        assert_eq!(
            with_alias("---\ntitle: T\n---\nBody\n", md),
            "---\ntitle: T\naliases_ids: [old]\n---\nBody\n"
        );
        assert_eq!(
            with_alias("---\naliases_ids: [a, \"b\"]\n---\n", md),
            "---\naliases_ids: [a, \"b\", old]\n---\n"
        );
        assert_eq!(
            with_alias("---\naliases_ids: []\n---\n", md),
            "---\naliases_ids: [old]\n---\n"
        );
        assert_eq!(
            with_alias("---\naliases_ids:\n  - a\ntitle: T\n---\n", md),
            "---\naliases_ids:\n  - a\n  - old\ntitle: T\n---\n"
        );
        assert_eq!(
            with_alias("---\naliases_ids: a\n---\n", md),
            "---\naliases_ids: [a, old]\n---\n"
        );
        assert_eq!(
            with_alias("---\naliases_ids:\n---\n", md),
            "---\naliases_ids: [old]\n---\n"
        );
        let yaml = Format::Yaml;
        assert_eq!(
            with_alias("title: T\n", yaml),
            "title: T\naliases_ids: [old]\n"
        );
        assert_eq!(with_alias("title: T", yaml), "title: T\naliases_ids: [old]");
        assert_eq!(
            with_alias("aliases_ids:\n  - a", yaml),
            "aliases_ids:\n  - a\n  - old"
        );
    }

    #[test]
    fn paths_keep_language_and_extension() {
        assert_eq!(
            renamed_path("content/officials/xi.ur.md", "xi", "xi-jinping"),
            "content/officials/xi-jinping.ur.md"
        );
        assert_eq!(
            renamed_path("content/officials/li.yaml", "li", "li-wei"),
            "content/officials/li-wei.yaml"
        );
    }

    #[test]
    fn edits_apply_by_character_columns() {
        let text = "a: é old\nb: [old, x]\n";
        let edits = vec![
            TextEdit {
                span: Span {
                    line: 0,
                    start: 5,
                    end: 8,
                },
                new_text: "new".into(),
            },
            TextEdit {
                span: Span {
                    line: 1,
                    start: 4,
                    end: 7,
                },
                new_text: "new".into(),
            },
        ];
        assert_eq!(apply_edits(text, &edits), "a: é new\nb: [new, x]\n");
    }
}

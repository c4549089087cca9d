//! Completion: what may be written at the cursor, from the site's schema and records. In front
//! matter: the collection's field names (with their help), ids of the collection a reference
//! field points into (with the record's title and date), enum values, party codes. In a body:
//! `[[collection/`, `[[collection/id`, `[[collection/id|` (the record's title), `[@n]` (the
//! entry's sources).

use super::convert;
use crate::config::{Collection, FieldType};
use crate::parse::{Node, NodeKind};
use crate::refs::{FileEntry, Index, Span};
use crate::validate::aliases;
use crate::walk::Format;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, TextEdit,
};

/// The most items one answer lists; the client asks again as the word grows.
const MAX_ITEMS: usize = 200;

/// Completions at 0-based `line` and character `column` of file `rel`.
pub fn complete(index: &Index, rel: &str, line: usize, column: usize) -> Option<CompletionList> {
    let f = index.files.get(rel)?;
    let text = convert::line_of(&f.text, line);
    let prefix: String = text.chars().take(column).collect();
    let mut list = Completions {
        f,
        line,
        column,
        items: Vec::new(),
        incomplete: false,
    };
    let collection = f.record().and_then(|(c, _)| index.config.collection(c));
    if in_front_matter(f, line) {
        let c = collection?;
        front(index, c, &mut list, &prefix);
    } else {
        body(index, &mut list, &prefix);
    }
    Some(CompletionList {
        is_incomplete: list.incomplete,
        items: list.items,
    })
}

/// Items being gathered, and where they go.
struct Completions<'f> {
    f: &'f FileEntry,
    line: usize,
    column: usize,
    items: Vec<CompletionItem>,
    incomplete: bool,
}

impl Completions<'_> {
    /// Add an item that replaces the `token` before the cursor with `insert`.
    fn add(
        &mut self,
        token: &str,
        label: String,
        insert: String,
        kind: CompletionItemKind,
    ) -> Option<&mut CompletionItem> {
        if self.items.len() >= MAX_ITEMS {
            self.incomplete = true;
            return None;
        }
        let span = Span {
            line: self.line,
            start: self.column.saturating_sub(token.chars().count()),
            end: self.column,
        };
        let range = convert::range(&self.f.text, span);
        self.items.push(CompletionItem {
            label,
            kind: Some(kind),
            filter_text: Some(insert.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
            ..CompletionItem::default()
        });
        self.items.last_mut()
    }
}

/// Whether 0-based `line` is inside the file's front matter.
fn in_front_matter(f: &FileEntry, line: usize) -> bool {
    if f.source.format == Format::Yaml {
        return true;
    }
    let mut lines = f.text.split('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    for (i, l) in lines.enumerate() {
        let l = l.trim_end();
        if l == "---" || l == "..." {
            return line >= 1 && line <= i;
        }
    }
    line >= 1
}

fn front(index: &Index, c: &Collection, list: &mut Completions<'_>, prefix: &str) {
    let trimmed = prefix.trim_start();
    let indent = prefix.len() - trimmed.len();
    if indent == 0 && !prefix.contains(':') {
        field_names(c, list, prefix);
        return;
    }
    if indent == 0 {
        let (key, value) = prefix.split_once(':').unwrap_or_default();
        if let Some(field) = c.field(key.trim()) {
            value_items(index, &field.ty, list, last_token(value));
        }
        return;
    }
    // A list item: "  - tok", under the nearest key less indented than it.
    if let Some(item) = trimmed.strip_prefix('-') {
        let Some(key) = parent_key(&list.f.text, list.line, indent) else {
            return;
        };
        if let Some(FieldType::List(of)) = c.field(&key).map(|f| &f.ty) {
            value_items(index, of, list, last_token(item));
        }
    }
}

/// The name of the top-level key whose block holds 0-based `line` (indented by `indent`).
fn parent_key(text: &str, line: usize, indent: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').take(line).collect();
    for l in lines.iter().rev() {
        let t = l.trim_start();
        let own = l.len() - t.len();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if own < indent || (own == 0 && !t.starts_with('-')) {
            if own != 0 {
                return None;
            }
            return t.split_once(':').map(|(k, _)| k.trim().to_string());
        }
    }
    None
}

/// The word being written at the end of a value: after `[`, `,`, a space or a quote.
fn last_token(value: &str) -> &str {
    value
        .rsplit(['[', ',', ' ', '"', '\''])
        .next()
        .unwrap_or_default()
}

fn field_names(c: &Collection, list: &mut Completions<'_>, token: &str) {
    let present: Vec<&str> = match list.f.front_or_stale().map(|n| &n.kind) {
        Some(NodeKind::Map(fields)) => fields.iter().map(|(k, _)| k.name.as_str()).collect(),
        _ => Vec::new(),
    };
    let reserved = [
        (
            "draft",
            "Leave the entry out of builds unless --drafts (true or false)".to_string(),
        ),
        (
            aliases::KEY,
            "Earlier ids of the entry; each old URL redirects here".to_string(),
        ),
    ];
    let fields = c
        .fields
        .iter()
        .map(|f| {
            let mut doc = f.ty.describe();
            if f.required {
                doc.push_str(", required");
            }
            if let Some(help) = &f.help {
                doc = format!("{help}\n\n{doc}");
            }
            (f.name.as_str(), doc)
        })
        .chain(reserved);
    for (name, doc) in fields {
        if present.contains(&name) || !name.starts_with(token) {
            continue;
        }
        if let Some(item) = list.add(
            token,
            name.to_string(),
            format!("{name}: "),
            CompletionItemKind::FIELD,
        ) {
            item.documentation = Some(Documentation::String(doc));
        }
    }
}

fn value_items(index: &Index, ty: &FieldType, list: &mut Completions<'_>, token: &str) {
    match ty {
        FieldType::Ref(collection) => ids(index, collection, list, token, |id| id.to_string()),
        FieldType::List(of) => value_items(index, of, list, token),
        FieldType::Enum(values) => {
            for v in values.iter().filter(|v| v.starts_with(token)) {
                list.add(token, v.clone(), v.clone(), CompletionItemKind::ENUM_MEMBER);
            }
        }
        FieldType::Party => {
            for p in index
                .config
                .parties
                .iter()
                .filter(|p| p.code.starts_with(token))
            {
                if let Some(item) = list.add(
                    token,
                    p.code.clone(),
                    p.code.clone(),
                    CompletionItemKind::VALUE,
                ) {
                    item.detail = Some(p.name.clone());
                }
            }
        }
        FieldType::Bool => {
            for v in ["true", "false"]
                .into_iter()
                .filter(|v| v.starts_with(token))
            {
                list.add(
                    token,
                    v.to_string(),
                    v.to_string(),
                    CompletionItemKind::VALUE,
                );
            }
        }
        _ => {}
    }
}

/// Ids of `collection` that begin with `token` (then those that contain it), with title and
/// date; `insert` makes the text to write from the id.
fn ids(
    index: &Index,
    collection: &str,
    list: &mut Completions<'_>,
    token: &str,
    insert: impl Fn(&str) -> String,
) {
    let (mut first, mut then) = (Vec::new(), Vec::new());
    for (id, f) in index.ids(collection) {
        if id.starts_with(token) {
            first.push((id, f));
        } else if !token.is_empty() && id.contains(token) {
            then.push((id, f));
        }
    }
    for (n, (id, f)) in first.into_iter().chain(then).enumerate() {
        let Some(item) = list.add(token, id.clone(), insert(id), CompletionItemKind::REFERENCE)
        else {
            break;
        };
        item.sort_text = Some(format!("{n:06}"));
        if let Some(e) = &f.entry {
            let date = e.date.map(|d| format!(" · {d}")).unwrap_or_default();
            item.detail = Some(format!("{}{date}", e.title));
            item.documentation = e.summary.clone().map(|s| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: s,
                })
            });
        }
    }
}

fn body(index: &Index, list: &mut Completions<'_>, prefix: &str) {
    if let Some(at) = prefix.rfind("[[") {
        let inside = prefix.get(at + 2..).unwrap_or_default();
        if !inside.contains("]]") {
            wikilink(index, list, inside);
            return;
        }
    }
    if let Some(at) = prefix.rfind("[@") {
        let token = prefix.get(at + 2..).unwrap_or_default();
        if !token.contains(']') {
            citations(index, list, token);
        }
    }
}

/// Inside `[[…`: collections, then ids, then the record's title after `|`.
fn wikilink(index: &Index, list: &mut Completions<'_>, inside: &str) {
    if let Some((target, token)) = inside.split_once('|') {
        let (collection, id) = target.split_once('/').unwrap_or_default();
        if let Some(e) = index
            .record_file(collection, id)
            .and_then(|f| f.entry.as_ref())
        {
            list.add(
                token,
                e.title.clone(),
                format!("{}]]", e.title),
                CompletionItemKind::TEXT,
            );
        }
        return;
    }
    if let Some((collection, token)) = inside.split_once('/') {
        if collection == "pages" {
            for (rel, f) in &index.files {
                if let (crate::walk::SourceKind::Page { id }, None) =
                    (&f.source.kind, &f.source.lang)
                    && id.starts_with(token)
                    && let Some(item) =
                        list.add(token, id.clone(), id.clone(), CompletionItemKind::FILE)
                {
                    item.detail = f
                        .doc
                        .as_ref()
                        .map(|d| d.title.clone())
                        .or(Some(rel.clone()));
                }
            }
        } else {
            ids(index, collection, list, token, |id| id.to_string());
        }
        return;
    }
    let names = index
        .config
        .collections
        .iter()
        .map(|c| (c.name.clone(), c.title.clone()))
        .chain([("pages".to_string(), "Free pages".to_string())]);
    for (name, title) in names.filter(|(n, _)| n.starts_with(inside)) {
        if let Some(item) = list.add(
            inside,
            format!("{name}/"),
            format!("{name}/"),
            CompletionItemKind::MODULE,
        ) {
            item.detail = Some(title);
        }
    }
}

/// Inside `[@…`: the numbers of the entry's sources (the original's, in a translation without
/// its own), with their titles.
fn citations(index: &Index, list: &mut Completions<'_>, token: &str) {
    let f = list.f;
    let Some((c, id)) = f.record() else { return };
    let Some(field) = index.config.collection(c).and_then(|c| c.sources_field()) else {
        return;
    };
    let mut titles = source_titles(f.front_or_stale(), &field.name);
    if titles.is_empty()
        && f.source.lang.is_some()
        && let Some(original) = index.record_file(c, id)
    {
        titles = source_titles(original.front_or_stale(), &field.name);
    }
    for (i, title) in titles.into_iter().enumerate() {
        let n = (i + 1).to_string();
        if n.starts_with(token)
            && let Some(item) = list.add(
                token,
                n.clone(),
                format!("{n}]"),
                CompletionItemKind::REFERENCE,
            )
        {
            item.detail = Some(title);
        }
    }
}

/// The titles of a front matter's sources, in order.
fn source_titles(front: Option<&Node>, field: &str) -> Vec<String> {
    let Some(NodeKind::Map(fields)) = front.map(|n| &n.kind) else {
        return Vec::new();
    };
    let Some((_, NodeKind::Seq(items))) = fields
        .iter()
        .find(|(k, _)| k.name == field)
        .map(|(k, n)| (k, &n.kind))
    else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| match &item.kind {
            NodeKind::Map(kv) => kv
                .iter()
                .find(|(k, _)| k.name == "title")
                .and_then(|(_, v)| v.as_scalar())
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_parent_keys() {
        assert_eq!(last_token(" [trade, fri"), "fri");
        assert_eq!(last_token(" xi-"), "xi-");
        let text = "---\ntitle: x\nhosts:\n  - li\n  - \n";
        assert_eq!(parent_key(text, 4, 2), Some("hosts".into()));
    }
}

//! Where a file points: every typed reference (found by following the collection's schema
//! through the positioned front matter) and every `[[wikilink]]` (from the body's outline), each
//! with the exact span of the id it names.

use crate::config::{Config, FieldType};
use crate::markup::{Annotation, Step};
use crate::parse::{Node, NodeKind, ParsedFile};
use crate::validate;
use crate::walk::SourceKind;

/// A stretch of one line: 0-based line, 0-based character columns `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// Whether the 0-based `(line, column)` is inside or at either end of the span.
    pub fn touches(&self, line: usize, column: usize) -> bool {
        self.line == line && self.start <= column && column <= self.end
    }
}

/// How a file points at a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A typed reference in the front-matter field with this name (`offices.title` when nested).
    Field(String),
    /// A `[[wikilink]]` whose `[[` starts at this byte offset of the file's text.
    Wiki { offset: usize },
}

/// One reference or wikilink, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSite {
    /// The collection it names (`None` for a bare `[[id]]`).
    pub collection: Option<String>,
    pub id: String,
    /// The span of the id alone (without a `collection/` prefix).
    pub span: Span,
    pub via: Via,
}

/// Byte offsets of each line start, to turn offsets into (line, character column) quickly.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The 0-based line and character column of byte `offset`.
    pub fn at(&self, offset: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line, column)
    }

    /// The span of the `len` bytes at `offset` (on one line).
    pub fn span(&self, offset: usize, len: usize) -> Span {
        let (line, start) = self.at(offset);
        let chars = self
            .text
            .get(offset..offset + len)
            .map_or(0, |s| s.chars().count());
        Span {
            line,
            start,
            end: start + chars,
        }
    }

    /// The byte offset of 0-based line `line`.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }
}

/// Every reference and wikilink of a parsed file, in the order of the text.
pub fn links(config: &Config, parsed: &ParsedFile) -> Vec<LinkSite> {
    let lines = Lines::new(&parsed.text);
    let mut out = Vec::new();
    if let SourceKind::Entry { collection, .. } = &parsed.source.kind
        && let (Some(c), NodeKind::Map(fields)) =
            (config.collection(collection), &parsed.front.kind)
    {
        for (key, node) in fields {
            if let Some(field) = c.field(&key.name) {
                field_links(&lines, &field.ty, node, &field.name, &mut out);
            }
        }
    }
    for step in &parsed.outline.steps {
        if let Step::LinkStart(Some((Annotation::Wiki { target, .. }, offset))) = step {
            let at = parsed.body.start + offset;
            let Some(found) = parsed
                .text
                .get(at..)
                .and_then(|rest| rest.find(target.as_str()))
            else {
                continue;
            };
            let (collection, id, skip) = match target.split_once('/') {
                Some((c, id)) => (Some(c.to_string()), id, c.len() + 1),
                None => (None, target.as_str(), 0),
            };
            out.push(LinkSite {
                collection,
                id: id.to_string(),
                span: lines.span(at + found + skip, id.len()),
                via: Via::Wiki { offset: at },
            });
        }
    }
    out
}

/// The references inside one field's value, following the schema into lists and objects.
fn field_links(
    lines: &Lines<'_>,
    ty: &FieldType,
    node: &Node,
    name: &str,
    out: &mut Vec<LinkSite>,
) {
    match (ty, &node.kind) {
        (FieldType::Ref(collection), NodeKind::Scalar { text, .. }) => {
            let id = text.strip_prefix(&format!("{collection}/")).unwrap_or(text);
            // The node's position is its first character (a quote for a quoted scalar): find the
            // id on its line from there.
            let Some(line_start) = lines.line_start(node.pos.line.saturating_sub(1)) else {
                return;
            };
            let line = lines.text.get(line_start..).unwrap_or_default();
            let line = line.split('\n').next().unwrap_or_default();
            let from = line
                .char_indices()
                .nth(node.pos.column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
            if let Some(found) = line.get(from..).and_then(|rest| rest.find(text.as_str())) {
                let skip = text.len() - id.len();
                out.push(LinkSite {
                    collection: Some(collection.clone()),
                    id: id.to_string(),
                    span: lines.span(line_start + from + found + skip, id.len()),
                    via: Via::Field(name.to_string()),
                });
            }
        }
        (FieldType::List(of), NodeKind::Seq(items)) => {
            for item in items {
                field_links(lines, of, item, name, out);
            }
        }
        (FieldType::List(of), NodeKind::Scalar { .. }) => field_links(lines, of, node, name, out),
        (FieldType::Object(fields), NodeKind::Map(entries)) => {
            for (key, value) in entries {
                if let Some(f) = fields.iter().find(|f| f.name == key.name) {
                    field_links(lines, &f.ty, value, &format!("{name}.{}", f.name), out);
                }
            }
        }
        _ => {}
    }
}

/// The ids a front matter's `aliases_ids` lists (as written; validate checks them).
pub(super) fn old_ids_of(front: &Node) -> Vec<String> {
    let NodeKind::Map(fields) = &front.kind else {
        return Vec::new();
    };
    let Some((_, node)) = fields
        .iter()
        .find(|(k, _)| k.name == validate::aliases::KEY)
    else {
        return Vec::new();
    };
    match &node.kind {
        NodeKind::Seq(items) => items
            .iter()
            .filter_map(|n| n.as_scalar().map(str::to_string))
            .collect(),
        NodeKind::Scalar { text, .. } => vec![text.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_give_character_columns() {
        let text = "ab\nçd [[x]]\n";
        let lines = Lines::new(text);
        let at = text.find("[[").unwrap_or(0);
        assert_eq!(lines.at(at), (1, 3));
        assert_eq!(
            lines.span(at + 2, 1),
            Span {
                line: 1,
                start: 5,
                end: 6
            }
        );
    }
}

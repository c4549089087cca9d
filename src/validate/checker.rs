//! Checking one file's front matter against its collection's schema: which fields it sets, the
//! required ones it lacks, and the record it makes. The typed value of each field is checked in
//! `typed`, the integrity rules across fields in `rules`.

use super::{Doc, Entry, aliases, rules};
use crate::config::{Collection, Config, Field, FieldType};
use crate::diagnostics::{Code, Diagnostic, Pos, codes};
use crate::markup::Outline;
use crate::parse::{Key, Node, NodeKind, ParsedFile};

/// Where the fields checked together are: a record's own fields (with the one that names it),
/// or the fields of an item of a list of objects (e.g. `sources`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Within<'a> {
    Record { title: &'a str },
    Item { of: &'a str },
}

impl Within<'_> {
    /// How a field is named in messages: `title`, `sources.title`.
    pub fn name(&self, field: &str) -> String {
        match self {
            Within::Record { .. } => field.to_string(),
            Within::Item { of } => format!("{of}.{field}"),
        }
    }
}

pub(super) struct FileChecker<'a> {
    pub config: &'a Config,
    pub file: &'a ParsedFile,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    /// The record says `draft: true`: required fields may stay empty and placeholders are fine.
    pub draft: bool,
}

/// Whether values of this type hold references (directly, in a list or in an object).
fn has_refs(ty: &FieldType) -> bool {
    match ty {
        FieldType::Ref(_) => true,
        FieldType::List(of) => has_refs(of),
        FieldType::Object(fields) => fields.iter().any(|f| has_refs(&f.ty)),
        _ => false,
    }
}

pub(super) fn fields_of(node: &Node) -> &[(Key, Node)] {
    match &node.kind {
        NodeKind::Map(entries) => entries,
        _ => &[],
    }
}

impl FileChecker<'_> {
    pub fn error(&mut self, code: Code, pos: Pos, width: usize, message: String, help: String) {
        let mut listed = self.diagnostics.len();
        let file = &self.file.source.rel;
        if crate::diagnostics::over_limit(&mut listed, file, || pos, self.diagnostics) {
            return;
        }
        let d = Diagnostic::error(code, file, pos, message)
            .with_help(help)
            .with_source(&self.file.text, width);
        self.diagnostics.push(d);
    }

    pub fn warn(&mut self, code: Code, pos: Pos, width: usize, message: String, help: String) {
        let mut listed = self.diagnostics.len();
        let file = &self.file.source.rel;
        if crate::diagnostics::over_limit(&mut listed, file, || pos, self.diagnostics) {
            return;
        }
        let d = Diagnostic::warning(code, file, pos, message)
            .with_help(help)
            .with_source(&self.file.text, width);
        self.diagnostics.push(d);
    }

    /// How many errors (not warnings) have been found so far.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Read `draft:` before the other fields, which depend on it.
    fn read_draft(&mut self) {
        let front = &self.file.front;
        if let Some((_, node)) = fields_of(front).iter().find(|(k, _)| k.name == "draft") {
            self.draft = self.bool_of(node, "draft").unwrap_or(false);
        }
    }

    pub fn entry(mut self, collection: &Collection, id: String) -> Entry {
        self.read_draft();
        let front = &self.file.front;
        let is_translation = self.file.source.lang.is_some();
        let mut fields = Vec::new();
        let mut field_pos = Vec::new();
        let mut aliases_ids = Vec::new();
        let mut sources_known = !self.file.front_failed;
        let mut refs_known = !self.file.front_failed;
        for (key, node) in fields_of(front) {
            if key.name == "draft" {
                continue;
            }
            if key.name == aliases::KEY {
                aliases_ids = self.old_ids(key, node);
                continue;
            }
            let Some(field) = collection.field(&key.name) else {
                self.unknown_field(
                    key,
                    collection.fields.iter().map(|f| f.name.as_str()),
                    &collection.name,
                );
                continue;
            };
            if let Some(i) = collection.fields.iter().position(|f| f.name == field.name) {
                field_pos.push((i, node.pos));
            }
            // A fact a translation may not set is reported with the original (`translation`),
            // not checked here as well.
            if is_translation && !field.translatable {
                continue;
            }
            match self.value(&field.ty, node, &field.name) {
                Some(v) => fields.push((field.name.clone(), v)),
                None if node.kind == NodeKind::Null => {}
                None => {
                    sources_known &= field.ty != FieldType::Sources;
                    refs_known &= !has_refs(&field.ty);
                }
            }
        }
        if !is_translation && !self.draft && !self.file.front_failed {
            for field in collection.fields.iter().filter(|f| f.required) {
                // A present but invalid value has its own diagnostic; only an absent one is missing.
                let written = fields_of(front)
                    .iter()
                    .any(|(k, n)| k.name == field.name && n.kind != NodeKind::Null);
                if !written && !fields.iter().any(|(n, _)| n == &field.name) {
                    self.missing(field, front);
                }
            }
        }
        let within = Within::Record {
            title: &collection.title_field,
        };
        self.check_fields(&collection.fields, &fields, within, |name| {
            let i = collection.fields.iter().position(|f| f.name == name)?;
            field_pos.iter().find(|(n, _)| *n == i).map(|(_, p)| *p)
        });
        self.placeholders_in_body();
        // Keep schema order whatever order the file used.
        fields.sort_by_key(|(name, _)| collection.fields.iter().position(|f| &f.name == name));
        let text_of = |name: &Option<String>| {
            name.as_ref()
                .and_then(|n| fields.iter().find(|(f, _)| f == n))
                .and_then(|(_, v)| v.as_text())
                .filter(|t| !t.trim().is_empty())
        };
        let date_of = |name: &Option<String>| {
            name.as_ref()
                .and_then(|n| fields.iter().find(|(f, _)| f == n))
                .and_then(|(_, v)| v.as_date())
        };
        Entry {
            collection: collection.name.clone(),
            title: text_of(&Some(collection.title_field.clone())).unwrap_or_else(|| id.clone()),
            summary: text_of(&collection.summary_field),
            date: date_of(&collection.date_field),
            end_date: date_of(&collection.end_date_field),
            id,
            lang: self.file.source.lang.clone(),
            file: self.file.source.rel.clone(),
            draft: self.draft,
            fields,
            field_pos,
            sources_known,
            refs_known,
            text: String::new(),
            body: self.file.body.clone(),
            outline: Outline::default(),
            digest: 0,
            aliases_ids,
        }
    }

    /// The rules across the checked fields of one record or object: required values not blank,
    /// dates not before the date they follow. `pos` finds where a field's value is written.
    pub fn check_fields(
        &mut self,
        schema: &[Field],
        values: &[(String, super::Value)],
        within: Within<'_>,
        pos: impl Fn(&str) -> Option<Pos>,
    ) {
        for field in schema {
            let Some(at) = pos(&field.name) else {
                continue;
            };
            let value = values
                .iter()
                .find(|(n, _)| n == &field.name)
                .map(|(_, v)| v);
            if field.required && !self.draft {
                rules::blank(self, field, value, at, within);
            }
            if let Some(other) = &field.not_before {
                let earlier = values.iter().find(|(n, _)| n == other).map(|(_, v)| v);
                let other_at = pos(other);
                rules::not_before(self, field, (value, at), other, (earlier, other_at), within);
            }
        }
    }

    /// Home page, collection landing text or free page: `title` (required), `description`, `draft`.
    pub fn doc(mut self) -> Doc {
        self.read_draft();
        let front = &self.file.front;
        let (mut title, mut description) = (None, None);
        let schema = rules::doc_fields();
        let mut values = Vec::new();
        let mut positions = Vec::new();
        for (key, node) in fields_of(front) {
            match key.name.as_str() {
                "draft" => {}
                "title" | "description" => {
                    let value = self.value(&FieldType::String, node, &key.name);
                    positions.push((key.name.clone(), node.pos));
                    if let Some(v) = value {
                        let text = v.as_text();
                        values.push((key.name.clone(), v));
                        match key.name.as_str() {
                            "title" => title = text,
                            _ => description = text,
                        }
                    }
                }
                _ => self.unknown_field(key, ["title", "description", "draft"], "pages"),
            }
        }
        let written = fields_of(front)
            .iter()
            .any(|(k, n)| k.name == "title" && n.kind != NodeKind::Null);
        if !written && !self.file.front_failed {
            self.error(
                codes::MISSING_FIELD,
                front.pos,
                1,
                "missing required field \"title\"".into(),
                "add a line title: ... to the front matter".into(),
            );
        }
        // A page's title is required even in a draft: it names the page wherever it is listed.
        let draft = std::mem::replace(&mut self.draft, false);
        let within = Within::Record { title: "title" };
        self.check_fields(&schema, &values, within, |name| {
            positions.iter().find(|(n, _)| n == name).map(|(_, p)| *p)
        });
        self.draft = draft;
        self.placeholders_in_body();
        Doc {
            kind: self.file.source.kind.clone(),
            lang: self.file.source.lang.clone(),
            file: self.file.source.rel.clone(),
            title: title.unwrap_or_default(),
            description,
            draft: self.draft,
            text: String::new(),
            body: self.file.body.clone(),
            outline: Outline::default(),
            digest: 0,
        }
    }

    /// Placeholder lines of `bilat new` left in the text of a published record.
    fn placeholders_in_body(&mut self) {
        if self.draft {
            return;
        }
        let body = self.file.body.clone();
        let found: Vec<(Pos, usize)> = self
            .file
            .text
            .get(body.clone())
            .unwrap_or_default()
            .split_inclusive('\n')
            .scan(body.start, |offset, line| {
                let at = *offset;
                *offset += line.len();
                Some((at, line))
            })
            .filter(|(_, line)| rules::is_placeholder(line.trim_start()))
            .map(|(at, line)| {
                let indent = line.len() - line.trim_start().len();
                let pos = Pos::of_offset(&self.file.text, at + indent);
                (pos, line.trim().chars().count())
            })
            .collect();
        for (pos, width) in found {
            rules::placeholder(self, pos, width, None);
        }
    }

    pub fn unknown_field<'n>(
        &mut self,
        key: &Key,
        known: impl IntoIterator<Item = &'n str> + Clone,
        what: &str,
    ) {
        let help = match crate::suggest::closest(&key.name, known.clone()) {
            Some(close) => format!("did you mean \"{close}\"?"),
            None => format!(
                "fields of {what}: {}",
                known.into_iter().collect::<Vec<_>>().join(", ")
            ),
        };
        self.error(
            codes::UNKNOWN_FIELD,
            key.pos,
            key.name.chars().count(),
            format!("unknown field \"{}\"", key.name),
            help,
        );
    }

    fn missing(&mut self, field: &Field, front: &Node) {
        let example = match &field.ty {
            FieldType::Date => "2025-02-04".to_string(),
            FieldType::Ref(c) => format!("<id of an entry in {c}>"),
            FieldType::Enum(v) => v.first().cloned().unwrap_or_default(),
            FieldType::Sources => "\n  - title: ...\n    url: https://...".to_string(),
            _ => "...".to_string(),
        };
        let empty_key = fields_of(front)
            .iter()
            .find(|(k, _)| k.name == field.name)
            .map(|(k, _)| k.pos);
        let (pos, width, message) = match empty_key {
            // `date:` with nothing after it (as `bilat new` writes it).
            Some(pos) => (
                pos,
                field.name.chars().count() + 1,
                format!("required field \"{}\" is empty", field.name),
            ),
            None if front.pos.line == 0 => (
                Pos::new(1, 1),
                1,
                format!("missing required field \"{}\"", field.name),
            ),
            None => (
                front.pos,
                1,
                format!("missing required field \"{}\"", field.name),
            ),
        };
        let verb = if empty_key.is_some() {
            "fill it in:"
        } else {
            "add"
        };
        self.error(
            codes::MISSING_FIELD,
            pos,
            width,
            message,
            format!(
                "{verb} {}: {} ({}), or mark the record draft: true until it is complete",
                field.name,
                example,
                field.ty.describe()
            ),
        );
    }

    pub fn scalar<'n>(&mut self, node: &'n Node, field: &str, ty: &FieldType) -> Option<&'n str> {
        match &node.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => {
                self.error(
                    codes::WRONG_TYPE,
                    node.pos,
                    1,
                    format!(
                        "field \"{field}\" expects {}, found {}",
                        ty.describe(),
                        node.describe()
                    ),
                    format!("write {field}: followed by a single value"),
                );
                None
            }
        }
    }

    pub fn bool_of(&mut self, node: &Node, field: &str) -> Option<bool> {
        match self.scalar(node, field, &FieldType::Bool)? {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                self.error(
                    codes::WRONG_TYPE,
                    node.pos,
                    other.chars().count(),
                    format!("field \"{field}\" expects true or false, found \"{other}\""),
                    "write true or false".into(),
                );
                None
            }
        }
    }
}

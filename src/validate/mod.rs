//! Stage 3, validate: check every file's front matter against its collection's schema and turn it
//! into typed [`Entry`] and [`Doc`] records.
//!
//! Reports missing required fields, wrong types, bad enum values and dates, unknown fields (with
//! "did you mean"), duplicate ids and output-path clashes, all at once. References are checked for
//! form here and resolved against the other entries by the link stage.

pub mod aliases;
pub mod date;
pub mod value;

use crate::config::{CheckLevel, Collection, Config, Field, FieldType, source_fields};
use crate::diagnostics::{Code, Diagnostic, Pos, codes};
use crate::markup::Outline;
use crate::parse::{Node, NodeKind, Parsed, ParsedFile};
use crate::walk::SourceKind;
pub use aliases::OldId;
pub use date::Date;
use std::collections::{BTreeMap, BTreeSet};
pub use value::{Ref, Source, Value};

/// A record of a collection, checked.
#[derive(Debug, Clone)]
pub struct Entry {
    pub collection: String,
    pub id: String,
    /// `None` for the default language.
    pub lang: Option<String>,
    pub file: String,
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<Date>,
    pub end_date: Option<Date>,
    pub draft: bool,
    /// Field values in schema order; absent optional fields are left out.
    pub fields: Vec<(String, Value)>,
    pub text: String,
    pub body: std::ops::Range<usize>,
    /// What the link stage reads of the body (see [`crate::markup::outline`]).
    pub outline: Outline,
    /// Fingerprint of the file's path and text: two records with the same digest were read
    /// from the same file with the same bytes (the page cache compares them across builds).
    pub digest: u64,
    /// Ids the entry had before (the reserved key `aliases_ids`): each gets a redirect page.
    pub aliases_ids: Vec<OldId>,
}

impl Entry {
    pub fn body(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or_default()
    }

    pub fn field(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn sources(&self) -> &[Source] {
        self.fields
            .iter()
            .find_map(|(_, v)| match v {
                Value::Sources(s) => Some(s.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// The home page, a collection's landing text, or a free page.
#[derive(Debug, Clone)]
pub struct Doc {
    pub kind: SourceKind,
    pub lang: Option<String>,
    pub file: String,
    pub title: String,
    pub description: Option<String>,
    pub draft: bool,
    pub text: String,
    pub body: std::ops::Range<usize>,
    /// What the link stage reads of the body (see [`crate::markup::outline`]).
    pub outline: Outline,
    /// Fingerprint of the file's path and text, as for [`Entry::digest`].
    pub digest: u64,
}

impl Doc {
    pub fn body(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or_default()
    }
}

/// Every checked record of the site, in a stable order.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Default-language entries sorted by collection order, then id.
    pub entries: Vec<Entry>,
    /// Translations, sorted by language, collection order and id.
    pub translations: Vec<Entry>,
    pub docs: Vec<Doc>,
    /// (collection, id) of default-language entries whose file has errors. They exist, so the link
    /// stage does not report references to them a second time.
    pub broken: BTreeSet<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Check one parsed file.
fn check_file(config: &Config, mut file: ParsedFile, include_drafts: bool) -> FileResult {
    let mut diags = Vec::new();
    let kind = file.source.kind.clone();
    let checker = FileChecker {
        config,
        file: &file,
        diagnostics: &mut diags,
    };
    let mut broken = None;
    let record = match &kind {
        SourceKind::Entry { collection, id } => match config.collection(collection) {
            Some(c) => {
                let mut entry = checker.entry(c, id.clone());
                // The record keeps the file's text (for diagnostics and the body): moved, not copied.
                entry.text = std::mem::take(&mut file.text);
                entry.outline = std::mem::take(&mut file.outline);
                entry.digest = digest(&entry.file, &entry.text);
                if !diags.is_empty() && entry.lang.is_none() {
                    broken = Some((collection.clone(), id.clone()));
                }
                match (
                    diags.is_empty() && (include_drafts || !entry.draft),
                    entry.lang.is_some(),
                ) {
                    (false, _) => Checked::Dropped,
                    (true, true) => Checked::Translation(entry),
                    (true, false) => Checked::Entry(entry),
                }
            }
            None => Checked::Dropped,
        },
        _ => {
            let mut doc = checker.doc();
            doc.text = std::mem::take(&mut file.text);
            doc.outline = std::mem::take(&mut file.outline);
            doc.digest = digest(&doc.file, &doc.text);
            if diags.is_empty() && (include_drafts || !doc.draft) {
                Checked::Doc(doc)
            } else {
                Checked::Dropped
            }
        }
    };
    FileResult {
        record,
        diagnostics: diags,
        broken,
    }
}

/// The fingerprint of a file's path and text (see [`Entry::digest`]).
fn digest(file: &str, text: &str) -> u64 {
    use std::hash::Hash;
    crate::fingerprint::of(|h| (file, text).hash(h))
}

/// What checking one file gave.
struct FileResult {
    record: Checked,
    diagnostics: Vec<Diagnostic>,
    /// (collection, id) when the file is a default-language entry with errors.
    broken: Option<(String, String)>,
}

/// The record a checked file gives, or `Dropped` (errors, a draft, an unknown collection).
enum Checked {
    Entry(Entry),
    Translation(Entry),
    Doc(Doc),
    Dropped,
}

/// Check all parsed files (in parallel, one file per job). Drafts are dropped unless
/// `include_drafts`.
pub fn validate(config: &Config, parsed: Parsed, include_drafts: bool) -> Catalog {
    use rayon::prelude::*;
    let checked: Vec<FileResult> = parsed
        .files
        .into_par_iter()
        .map(|file| check_file(config, file, include_drafts))
        .collect();
    let mut catalog = Catalog {
        diagnostics: parsed.diagnostics,
        broken: parsed.unreadable.into_iter().collect(),
        ..Catalog::default()
    };
    for mut result in checked {
        match result.record {
            Checked::Entry(e) => catalog.entries.push(e),
            Checked::Translation(e) => catalog.translations.push(e),
            Checked::Doc(d) => catalog.docs.push(d),
            Checked::Dropped => {}
        }
        catalog.broken.extend(result.broken);
        catalog.diagnostics.append(&mut result.diagnostics);
    }
    let order: BTreeMap<&str, usize> = config
        .collections
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    fn key<'e>(
        order: &BTreeMap<&str, usize>,
        e: &'e Entry,
    ) -> (Option<&'e str>, usize, &'e str, &'e str) {
        let rank = order
            .get(e.collection.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        (e.lang.as_deref(), rank, e.id.as_str(), e.file.as_str())
    }
    // Keys borrow from the records: no string is copied per comparison.
    catalog
        .entries
        .sort_by(|a, b| key(&order, a).cmp(&key(&order, b)));
    catalog
        .translations
        .sort_by(|a, b| key(&order, a).cmp(&key(&order, b)));
    catalog
        .docs
        .sort_by(|a, b| (&a.lang, &a.kind, &a.file).cmp(&(&b.lang, &b.kind, &b.file)));
    check_duplicates(&mut catalog);
    check_page_clashes(config, &mut catalog);
    aliases::check_clashes(&mut catalog);
    catalog
}

/// Two files with the same collection, id and language (e.g. `x.md` and `x.yaml`).
fn check_duplicates(catalog: &mut Catalog) {
    for list in [&mut catalog.entries, &mut catalog.translations] {
        let mut kept: Vec<Entry> = Vec::with_capacity(list.len());
        for e in list.drain(..) {
            match kept.last() {
                Some(prev)
                    if prev.collection == e.collection
                        && prev.id == e.id
                        && prev.lang == e.lang =>
                {
                    catalog.diagnostics.push(
                        Diagnostic::error(
                            codes::DUPLICATE_ID,
                            &e.file,
                            Pos::new(1, 1),
                            format!("duplicate id \"{}\" in collection {}", e.id, e.collection),
                        )
                        .with_help(format!(
                            "{} already defines it: rename or remove one of the two files",
                            prev.file
                        )),
                    );
                }
                _ => kept.push(e),
            }
        }
        *list = kept;
    }
}

fn check_page_clashes(config: &Config, catalog: &mut Catalog) {
    for doc in &catalog.docs {
        if let SourceKind::Page { id } = &doc.kind {
            let clash = if crate::routes::is_reserved(id) {
                Some(format!("/{id}/ is generated by bilat"))
            } else if config.collection(id).is_some() {
                Some(format!("/{id}/ is the index of the collection {id}"))
            } else if config.language(id).is_some() {
                Some(format!("/{id}/ is the home page of the language {id}"))
            } else {
                None
            };
            if let Some(why) = clash {
                catalog.diagnostics.push(
                    Diagnostic::error(
                        codes::PAGE_CLASH,
                        &doc.file,
                        Pos::new(1, 1),
                        format!("free page \"{id}\" clashes with a generated path: {why}"),
                    )
                    .with_help("rename the page file"),
                );
            }
        }
    }
}

struct FileChecker<'a> {
    config: &'a Config,
    file: &'a ParsedFile,
    diagnostics: &'a mut Vec<Diagnostic>,
}

fn fields_of(node: &Node) -> &[(crate::parse::Key, Node)] {
    match &node.kind {
        NodeKind::Map(entries) => entries,
        _ => &[],
    }
}

impl FileChecker<'_> {
    fn error(&mut self, code: Code, pos: Pos, width: usize, message: String, help: String) {
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

    fn entry(mut self, collection: &Collection, id: String) -> Entry {
        let front = &self.file.front;
        let is_translation = self.file.source.lang.is_some();
        let mut draft = false;
        let mut fields = Vec::new();
        let mut aliases_ids = Vec::new();
        for (key, node) in fields_of(front) {
            if key.name == "draft" {
                draft = self.bool_of(node, "draft").unwrap_or(false);
                continue;
            }
            if key.name == aliases::KEY {
                aliases_ids = self.old_ids(key, node);
                continue;
            }
            match collection.field(&key.name) {
                Some(field) => {
                    if let Some(v) = self.value(&field.ty, node, &field.name) {
                        fields.push((field.name.clone(), v));
                    }
                }
                None => self.unknown_field(
                    key,
                    collection.fields.iter().map(|f| f.name.as_str()),
                    &collection.name,
                ),
            }
        }
        if !is_translation {
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
        // Keep schema order whatever order the file used.
        fields.sort_by_key(|(name, _)| collection.fields.iter().position(|f| &f.name == name));
        let text_of = |name: &Option<String>| {
            name.as_ref()
                .and_then(|n| fields.iter().find(|(f, _)| f == n))
                .and_then(|(_, v)| v.as_text())
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
            draft,
            fields,
            text: String::new(),
            body: self.file.body.clone(),
            outline: Outline::default(),
            digest: 0,
            aliases_ids,
        }
    }

    /// Home page, collection landing text or free page: `title` (required), `description`, `draft`.
    fn doc(mut self) -> Doc {
        let front = &self.file.front;
        let (mut title, mut description, mut draft) = (None, None, false);
        for (key, node) in fields_of(front) {
            match key.name.as_str() {
                "title" => title = self.string_of(node, "title"),
                "description" => description = self.string_of(node, "description"),
                "draft" => draft = self.bool_of(node, "draft").unwrap_or(false),
                _ => self.unknown_field(key, ["title", "description", "draft"], "pages"),
            }
        }
        if title.is_none() {
            self.error(
                codes::MISSING_FIELD,
                front.pos,
                1,
                "missing required field \"title\"".into(),
                "add a line title: ... to the front matter".into(),
            );
        }
        Doc {
            kind: self.file.source.kind.clone(),
            lang: self.file.source.lang.clone(),
            file: self.file.source.rel.clone(),
            title: title.unwrap_or_default(),
            description,
            draft,
            text: String::new(),
            body: self.file.body.clone(),
            outline: Outline::default(),
            digest: 0,
        }
    }

    fn unknown_field<'n>(
        &mut self,
        key: &crate::parse::Key,
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
        let pos = if front.pos.line == 0 {
            Pos::new(1, 1)
        } else {
            front.pos
        };
        self.error(
            codes::MISSING_FIELD,
            pos,
            1,
            format!("missing required field \"{}\"", field.name),
            format!("add {}: {} ({})", field.name, example, field.ty.describe()),
        );
    }

    fn scalar<'n>(&mut self, node: &'n Node, field: &str, ty: &FieldType) -> Option<&'n str> {
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

    fn string_of(&mut self, node: &Node, field: &str) -> Option<String> {
        self.scalar(node, field, &FieldType::String)
            .map(str::to_string)
    }

    fn bool_of(&mut self, node: &Node, field: &str) -> Option<bool> {
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

    /// Check `node` against `ty`; `None` (with a diagnostic) when it does not fit.
    fn value(&mut self, ty: &FieldType, node: &Node, field: &str) -> Option<Value> {
        if node.kind == NodeKind::Null {
            // An empty optional field is the same as an absent one.
            return None;
        }
        let width = node
            .as_scalar()
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
        let mismatch = |this: &mut Self, found: &str, help: String| {
            this.mismatch(codes::WRONG_TYPE, node, field, ty, found, help);
        };
        Some(match ty {
            FieldType::String | FieldType::Text => {
                let s = self.scalar(node, field, ty)?.to_string();
                if *ty == FieldType::String {
                    Value::Str(s)
                } else {
                    Value::Text(s)
                }
            }
            FieldType::Date => {
                let s = self.scalar(node, field, ty)?;
                match Date::parse(s) {
                    Ok(d) => Value::Date(d),
                    Err(why) => {
                        self.mismatch(codes::BAD_DATE, node, field, ty, &format!("\"{s}\""), why);
                        return None;
                    }
                }
            }
            FieldType::Integer => {
                let s = self.scalar(node, field, ty)?;
                match s.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => {
                        mismatch(
                            self,
                            &format!("\"{s}\""),
                            "write digits only, e.g. 12".into(),
                        );
                        return None;
                    }
                }
            }
            FieldType::Bool => Value::Bool(self.bool_of(node, field)?),
            FieldType::Url => {
                let s = self.scalar(node, field, ty)?;
                if !is_web_url(s) {
                    mismatch(
                        self,
                        &format!("\"{s}\""),
                        "write a full address starting with https:// (or http://)".into(),
                    );
                    return None;
                }
                Value::Url(s.to_string())
            }
            FieldType::Enum(values) => {
                let s = self.scalar(node, field, ty)?;
                if !values.iter().any(|v| v == s) {
                    let help = crate::config::suggest_help(s, values.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("allowed values: {}", values.join(", ")));
                    self.error(
                        codes::BAD_ENUM,
                        node.pos,
                        width,
                        format!("\"{s}\" is not an allowed value of field \"{field}\""),
                        help,
                    );
                    return None;
                }
                Value::Enum(s.to_string())
            }
            FieldType::Party => Value::Party(self.party(node, field, ty, width)?),
            FieldType::Ref(collection) => {
                let s = self.scalar(node, field, ty)?;
                let id = s.strip_prefix(&format!("{collection}/")).unwrap_or(s);
                Value::Ref(Ref {
                    collection: collection.clone(),
                    id: id.to_string(),
                    pos: node.pos,
                })
            }
            FieldType::List(of) => Value::List(self.list(of, node, field, ty)?),
            FieldType::Object(fields) => Value::Object(self.object(fields, node, field)?),
            FieldType::Sources => Value::Sources(self.sources(node, field, ty)?),
        })
    }

    /// A party code declared in `site.toml`.
    fn party(&mut self, node: &Node, field: &str, ty: &FieldType, width: usize) -> Option<String> {
        let s = self.scalar(node, field, ty)?;
        if self.config.party(s).is_none() {
            let codes: Vec<&str> = self
                .config
                .parties
                .iter()
                .map(|p| p.code.as_str())
                .collect();
            self.error(
                codes::BAD_PARTY,
                node.pos,
                width,
                format!("\"{s}\" is not a party code in field \"{field}\""),
                format!(
                    "use one of the codes declared in site.toml: {}",
                    codes.join(", ")
                ),
            );
            return None;
        }
        Some(s.to_string())
    }

    /// A list of values of one type (a single value reads as a list of one).
    fn list(
        &mut self,
        of: &FieldType,
        node: &Node,
        field: &str,
        ty: &FieldType,
    ) -> Option<Vec<Value>> {
        let items: Vec<&Node> = match &node.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            // A single value where a list is expected is read as a list of one.
            NodeKind::Scalar { .. } if !matches!(*of, FieldType::Object(_)) => vec![node],
            _ => {
                self.mismatch(
                    codes::WRONG_TYPE,
                    node,
                    field,
                    ty,
                    node.describe(),
                    format!("write a list: {field}: [a, b] or one \"- item\" per line"),
                );
                return None;
            }
        };
        let before = self.diagnostics.len();
        let values: Vec<Value> = items
            .into_iter()
            .filter_map(|item| self.value(of, item, field))
            .collect();
        if self.diagnostics.len() > before {
            return None;
        }
        Some(values)
    }

    /// An entry's citations, each checked against `[checks]`.
    fn sources(&mut self, node: &Node, field: &str, ty: &FieldType) -> Option<Vec<Source>> {
        let NodeKind::Seq(items) = &node.kind else {
            self.mismatch(
                codes::WRONG_TYPE,
                node,
                field,
                ty,
                node.describe(),
                "write one \"- title: ...\" item per source".into(),
            );
            return None;
        };
        let schema = source_fields();
        let before = self.diagnostics.len();
        let mut sources = Vec::new();
        for item in items {
            self.check_source_host(item);
            if let Some(object) = self.object(&schema, item, field) {
                let get = |name: &str| {
                    object
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                };
                sources.push(Source {
                    title: get("title").and_then(|v| v.as_text()).unwrap_or_default(),
                    url: get("url").and_then(|v| v.as_text()),
                    publisher: get("publisher").and_then(|v| v.as_text()),
                    date: get("date").and_then(|v| v.as_date()),
                });
            }
        }
        if self.diagnostics.len() > before {
            return None;
        }
        Some(sources)
    }

    /// A value of the wrong kind for its field.
    fn mismatch(
        &mut self,
        code: Code,
        node: &Node,
        field: &str,
        ty: &FieldType,
        found: &str,
        help: String,
    ) {
        let width = node
            .as_scalar()
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
        let message = format!("field \"{field}\" expects {}, found {found}", ty.describe());
        self.error(code, node.pos, width, message, help);
    }

    /// `[checks]` rules on a source's address: denied hosts (mirrors, scraped copies) and bare IPs.
    fn check_source_host(&mut self, item: &Node) {
        let rules = &self.config.source_hosts;
        let Some((text, plain, pos)) =
            fields_of(item)
                .iter()
                .find_map(|(key, node)| match &node.kind {
                    NodeKind::Scalar { text, plain } if key.name == "url" => {
                        Some((text, *plain, node.pos))
                    }
                    _ => None,
                })
        else {
            return;
        };
        let Some(host) = url_host(text) else {
            return;
        };
        let width = text.chars().count() + if plain { 0 } else { 2 };
        let help = "cite the original publisher's page instead (or give title, publisher and date without a url when no original address is known)";
        if let Some(denied) = rules
            .denied
            .iter()
            .find(|d| host == **d || host.ends_with(&format!(".{d}")))
        {
            let message = format!(
                "source host \"{host}\" is denied by checks.denied_source_hosts (\"{denied}\")"
            );
            self.error(
                codes::DENIED_SOURCE_HOST,
                pos,
                width,
                message,
                help.to_string(),
            );
        } else if is_ip_address(&host) {
            let message =
                format!("source address uses a bare IP address ({host}) instead of a host name");
            match rules.ip {
                CheckLevel::Off => {}
                CheckLevel::Error => {
                    self.error(codes::IP_SOURCE_HOST, pos, width, message, help.to_string())
                }
                CheckLevel::Warning => {
                    let d = Diagnostic::warning(
                        codes::IP_SOURCE_HOST,
                        &self.file.source.rel,
                        pos,
                        message,
                    )
                    .with_help(help)
                    .with_source(&self.file.text, width);
                    self.diagnostics.push(d);
                }
            }
        }
    }

    fn object(
        &mut self,
        fields: &[Field],
        node: &Node,
        field: &str,
    ) -> Option<Vec<(String, Value)>> {
        let NodeKind::Map(entries) = &node.kind else {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            self.error(
                codes::WRONG_TYPE,
                node.pos,
                1,
                format!(
                    "field \"{field}\" expects items with fields ({}), found {}",
                    names.join(", "),
                    node.describe()
                ),
                format!(
                    "write each item as - {}: ...",
                    names.first().copied().unwrap_or("name")
                ),
            );
            return None;
        };
        let before = self.diagnostics.len();
        let mut out = Vec::new();
        for (key, value) in entries {
            match fields.iter().find(|f| f.name == key.name) {
                Some(f) => {
                    if let Some(v) = self.value(&f.ty, value, &format!("{field}.{}", f.name)) {
                        out.push((f.name.clone(), v));
                    }
                }
                None => self.unknown_field(
                    key,
                    fields.iter().map(|f| f.name.as_str()),
                    &format!("\"{field}\" items"),
                ),
            }
        }
        for f in fields.iter().filter(|f| f.required) {
            if !out.iter().any(|(n, _)| n == &f.name) && self.diagnostics.len() == before {
                self.error(
                    codes::MISSING_FIELD,
                    node.pos,
                    1,
                    format!(
                        "an item of \"{field}\" is missing its required field \"{}\"",
                        f.name
                    ),
                    format!("add {}: ... to the item", f.name),
                );
            }
        }
        out.sort_by_key(|(name, _)| fields.iter().position(|f| &f.name == name));
        (self.diagnostics.len() == before).then_some(out)
    }
}

/// The lower-case host of an http(s) URL, without user, port or a leading `www.`.
fn url_host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    Some(
        host.strip_prefix("www.")
            .map_or(host.clone(), str::to_string),
    )
}

fn is_ip_address(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
}

/// An absolute http(s) URL with a host.
pub fn is_web_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !s.chars().any(|c| c.is_whitespace() || c.is_control()))
}

#[cfg(test)]
mod tests {
    use super::{is_ip_address, url_host};

    #[test]
    fn url_host_strips_scheme_user_port_and_www() {
        assert_eq!(
            url_host("https://www.Dawn.com/news/1"),
            Some("dawn.com".into())
        );
        assert_eq!(
            url_host("http://u:p@example.org:8080/x?y#z"),
            Some("example.org".into())
        );
        assert_eq!(
            url_host("http://20.210.105.67/txt/a.html"),
            Some("20.210.105.67".into())
        );
        assert_eq!(
            url_host("http://[2001:db8::1]:80/"),
            Some("2001:db8::1".into())
        );
        assert_eq!(url_host("ftp://example.org/"), None);
    }

    #[test]
    fn ip_hosts_are_recognised() {
        assert!(is_ip_address("20.210.105.67"));
        assert!(is_ip_address("2001:db8::1"));
        assert!(!is_ip_address("dawn.com"));
        assert!(!is_ip_address("1.2.3.example"));
    }
}

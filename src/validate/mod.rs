//! Stage 3, validate: check every file's front matter against its collection's schema and turn it
//! into typed [`Entry`] and [`Doc`] records.
//!
//! Reports missing required fields, wrong types, bad enum values and dates, unknown fields (with
//! "did you mean"), duplicate ids and output-path clashes, and the integrity rules (blank required
//! values, dates out of order, values cut at a YAML comment, placeholders, facts set by a
//! translation), all at once. References are checked for form here and resolved against the
//! other entries by the link stage.
//!
//! A record with errors is not published, but it is kept (as far as it checked) among the
//! catalog's `unpublished` records, with the drafts a build leaves out, so that the link stage
//! still reports its own broken links in the same run.

pub mod aliases;
mod checker;
pub mod date;
mod rules;
mod translation;
mod typed;
pub mod value;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Pos, codes};
use crate::markup::Outline;
use crate::parse::{Parsed, ParsedFile};
use crate::walk::SourceKind;
pub use aliases::OldId;
use checker::FileChecker;
pub use date::Date;
use std::collections::{BTreeMap, BTreeSet};
pub use value::{Markdown, Ref, Source, Value};

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
    /// Where each field the file sets is written (its value), valid or not, in file order, by
    /// the field's position in its collection's schema.
    pub field_pos: Vec<(usize, Pos)>,
    /// False when the `sources` field (or the whole front matter) did not check: citations then
    /// cannot be counted.
    pub sources_known: bool,
    /// False when a reference field (or the whole front matter) did not check: what the record
    /// points at is then not all known.
    pub refs_known: bool,
    pub text: String,
    pub body: std::ops::Range<usize>,
    /// What the link stage reads of the body (see [`crate::markup::read`]).
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
    /// What the link stage reads of the body (see [`crate::markup::read`]).
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
    /// Entries and translations that are not published: those with errors (with the fields that
    /// checked) and, unless drafts are included, drafts. The link stage checks their links too.
    pub unpublished: Vec<Entry>,
    /// Home pages, landing texts and free pages with errors (or drafts left out).
    pub unpublished_docs: Vec<Doc>,
    /// (collection, id) → file of the default-language drafts this build leaves out: a link to
    /// one is an error that says so.
    pub drafts: BTreeMap<(String, String), String>,
    /// Content files whose links are not all known: files that could not be read at all, and
    /// records whose front matter or a reference field did not check.
    pub links_unknown: usize,
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
        draft: false,
    };
    let mut broken = None;
    let front_failed = file.front_failed;
    let record = match &kind {
        SourceKind::Entry { collection, id } => match config.collection(collection) {
            Some(c) => {
                let mut entry = checker.entry(c, id.clone());
                // The record keeps the file's text (for diagnostics and the body): moved, not copied.
                entry.text = std::mem::take(&mut file.text);
                entry.outline = std::mem::take(&mut file.outline);
                entry.digest = digest(&entry.file, &entry.text);
                let failed = front_failed || diags.iter().any(Diagnostic::is_error);
                if failed && entry.lang.is_none() {
                    broken = Some((collection.clone(), id.clone()));
                }
                match (
                    !failed && (include_drafts || !entry.draft),
                    entry.lang.is_some(),
                ) {
                    (false, _) => Checked::Unpublished(entry),
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
            let failed = front_failed || diags.iter().any(Diagnostic::is_error);
            if !failed && (include_drafts || !doc.draft) {
                Checked::Doc(doc)
            } else {
                Checked::UnpublishedDoc(doc)
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

/// The record a checked file gives: published, unpublished (errors, or a draft left out), or
/// `Dropped` (an unknown collection).
enum Checked {
    Entry(Entry),
    Translation(Entry),
    Doc(Doc),
    Unpublished(Entry),
    UnpublishedDoc(Doc),
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
        links_unknown: parsed.unread,
        ..Catalog::default()
    };
    for mut result in checked {
        match result.record {
            Checked::Entry(e) => catalog.entries.push(e),
            Checked::Translation(e) => catalog.translations.push(e),
            Checked::Doc(d) => catalog.docs.push(d),
            Checked::Unpublished(e) => {
                catalog.links_unknown += usize::from(!e.refs_known);
                catalog.unpublished.push(e);
            }
            Checked::UnpublishedDoc(d) => catalog.unpublished_docs.push(d),
            Checked::Dropped => {}
        }
        catalog.broken.extend(result.broken);
        catalog.diagnostics.append(&mut result.diagnostics);
    }
    for e in &catalog.unpublished {
        if e.lang.is_none() && e.draft && !include_drafts {
            catalog
                .drafts
                .insert((e.collection.clone(), e.id.clone()), e.file.clone());
        }
    }
    translation::check(config, &mut catalog);
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
        .unpublished
        .sort_by(|a, b| key(&order, a).cmp(&key(&order, b)));
    catalog
        .unpublished_docs
        .sort_by(|a, b| (&a.lang, &a.kind, &a.file).cmp(&(&b.lang, &b.kind, &b.file)));
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

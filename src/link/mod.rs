//! Stage 4, link: resolve every typed reference and `[[wikilink]]`, check `[@n]` citations, and
//! build the reverse index: backlinks grouped by the referring field's meaning, and mentions with
//! the sentence around them.
//!
//! Everything is keyed by position in the catalog's entry list, built in one pass over all
//! references, so the cost grows with the number of links, not with the square of the entries.

pub mod context;
mod unpublished;

use crate::config::{CheckLevel, Collection, Config, Field};
use crate::diagnostics::{Code, Diagnostic, Pos, codes, over_limit};
use crate::markup::{Annotation, Outline};
use crate::validate::{Catalog, Doc, Entry, Markdown};
use crate::walk::SourceKind;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Something a link can point at or come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    Entry(usize),
    Doc(usize),
}

/// Backlinks of one entry that come through one field, e.g. "Visits made": the records of
/// `collection` whose field `field` names the entry. The three strings are shared by every group
/// of the field (a site has thousands of groups and a few fields).
#[derive(Debug, Clone)]
pub struct BacklinkGroup {
    pub collection: Arc<str>,
    pub field: Arc<str>,
    /// The heading in the site's default language: the field's `backlink` text in `site.toml`,
    /// else "<Collection> (<field label>)". Render looks up `backlink_<collection>_<field>` in
    /// the site's i18n for other languages.
    pub label: Arc<str>,
    /// Referring entries, sorted newest first, then by title.
    pub from: Vec<usize>,
}

/// A `[[wikilink]]` to an entry, with the sentence it stands in.
#[derive(Debug, Clone)]
pub struct Mention {
    pub from: Node,
    /// The language of the sentence: `None` for the default, else a translation's code.
    pub lang: Option<String>,
    pub before: String,
    pub text: String,
    pub after: String,
}

/// The catalog plus every resolved relation.
#[derive(Debug)]
pub struct Linked {
    pub entries: Vec<Entry>,
    pub translations: Vec<Entry>,
    pub docs: Vec<Doc>,
    pub backlinks: Vec<Vec<BacklinkGroup>>,
    pub mentions: Vec<Vec<Mention>>,
    /// Entries each entry points at, by field or wikilink, sorted and without repeats.
    pub outlinks: Vec<Vec<usize>>,
    /// collection → id → position in `entries`; looked up by `&str`, without allocating.
    index: HashMap<String, HashMap<String, usize>>,
    pages: HashMap<String, usize>,
    /// Entries that exist but whose file has errors (already reported): links to them are not
    /// reported again.
    broken: BTreeSet<(String, String)>,
    /// Drafts this build leaves out, with their files: a link to one says it is a draft.
    drafts: BTreeMap<(String, String), String>,
    /// Records not published (errors, drafts left out), whose links are checked all the same.
    unpublished: Vec<Entry>,
    unpublished_docs: Vec<Doc>,
    /// Entries that records with errors point at: once those are fixed, they link to them.
    reached: BTreeSet<usize>,
    /// Files whose links are not all known (see `Catalog::links_unknown`).
    links_unknown: usize,
    /// Problems not reported because they follow from a reported error.
    pub suppressed: usize,
    /// Citations not checked because their record's sources did not check.
    unchecked_citations: usize,
    /// Why problems were suppressed or checks skipped, one sentence each.
    pub notes: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a wikilink target does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    Unknown {
        code: Code,
        message: String,
        help: String,
    },
    /// The entry exists but its file has errors, reported where they are.
    Broken,
    /// The entry is a draft this build leaves out: its `collection/id` and its file.
    Draft(String, String),
}

impl Linked {
    /// Where the wikilink target `target` goes: the node [`Linked::resolve`] finds, or `None`
    /// when it does not resolve (this stage reported that). Render fills links in from this and
    /// never resolves a target itself. A lookup in the indexes, nothing stored per link and no
    /// error built for a target that does not resolve.
    pub fn target(&self, target: &str) -> Option<Node> {
        if let Some((collection, id)) = target.split_once('/') {
            return match collection {
                "pages" => self.pages.get(id).map(|&i| Node::Doc(i)),
                _ => self.entry_index(collection, id).map(Node::Entry),
            };
        }
        // A bare id names an entry when exactly one collection has it, else a free page.
        let mut found = self.index.values().filter_map(|ids| ids.get(target));
        match (found.next(), found.next()) {
            (Some(&i), None) => Some(Node::Entry(i)),
            (None, _) => self.pages.get(target).map(|&i| Node::Doc(i)),
            (Some(_), Some(_)) => None,
        }
    }

    pub fn entry_index(&self, collection: &str, id: &str) -> Option<usize> {
        self.index.get(collection)?.get(id).copied()
    }

    /// Resolve a wikilink target: `collection/id`, `pages/id`, or a bare `id` that only one
    /// collection has.
    pub fn resolve(&self, config: &Config, target: &str) -> Result<Node, Unresolved> {
        let unknown = |message: String, help: String| {
            Err(Unresolved::Unknown {
                code: codes::UNKNOWN_LINK,
                message,
                help,
            })
        };
        // What resolves is found by `target`; the rest of this is why a target does not.
        if let Some(node) = self.target(target) {
            return Ok(node);
        }
        if let Some((collection, id)) = target.split_once('/') {
            if collection == "pages" {
                let help = crate::suggest::did_you_mean(id, self.pages.keys().map(String::as_str))
                    .unwrap_or_else(|| "free pages live in content/pages/<id>.md".into());
                return unknown(format!("unknown page \"{id}\" in link [[{target}]]"), help);
            }
            let Some(c) = config.collection(collection) else {
                let names = config
                    .collections
                    .iter()
                    .map(|c| c.name.as_str())
                    .chain(["pages"]);
                let help = crate::suggest::did_you_mean(collection, names).unwrap_or_else(|| {
                    "write [[collection/id]] with a collection declared in site.toml".into()
                });
                return unknown(
                    format!("unknown collection \"{collection}\" in link [[{target}]]"),
                    help,
                );
            };
            return match self.draft_file(collection, id) {
                Some(file) => Err(Unresolved::Draft(format!("{collection}/{id}"), file)),
                None if self.is_broken(collection, id) => Err(Unresolved::Broken),
                None => unknown(
                    format!(
                        "unknown {} \"{id}\" in link [[{target}]]",
                        c.singular.to_lowercase()
                    ),
                    self.suggest_id(collection, id),
                ),
            };
        }
        let found: Vec<usize> = config
            .collections
            .iter()
            .filter_map(|c| self.entry_index(&c.name, target))
            .collect();
        match found.as_slice() {
            [] | [_] => match self.drafts.iter().find(|((_, id), _)| id == target) {
                Some(((c, id), file)) => Err(Unresolved::Draft(format!("{c}/{id}"), file.clone())),
                None => self.unknown_bare(target),
            },
            many => {
                let names: Vec<String> = many
                    .iter()
                    .filter_map(|i| self.entries.get(*i))
                    .map(|e| format!("[[{}/{}]]", e.collection, e.id))
                    .collect();
                Err(Unresolved::Unknown {
                    code: codes::AMBIGUOUS_LINK,
                    message: format!(
                        "link [[{target}]] is ambiguous: {} entries have that id",
                        many.len()
                    ),
                    help: format!("write one of {}", names.join(", ")),
                })
            }
        }
    }

    /// A bare `[[id]]` that names no published entry or page.
    fn unknown_bare(&self, target: &str) -> Result<Node, Unresolved> {
        if self.broken.iter().any(|(_, id)| id == target) {
            return Err(Unresolved::Broken);
        }
        let all = self
            .index
            .values()
            .flat_map(|ids| ids.keys())
            .chain(
                self.broken
                    .iter()
                    .chain(self.drafts.keys())
                    .map(|(_, id)| id),
            )
            .map(String::as_str);
        let help = match crate::suggest::closest(target, all) {
            Some(close) => crate::suggest::phrase(close),
            None => "link to an existing entry as [[collection/id]]".into(),
        };
        Err(Unresolved::Unknown {
            code: codes::UNKNOWN_LINK,
            message: format!("link [[{target}]] points to no entry"),
            help,
        })
    }

    /// The file of `collection/id` when it is a draft this build leaves out.
    fn draft_file(&self, collection: &str, id: &str) -> Option<String> {
        self.drafts
            .get(&(collection.to_string(), id.to_string()))
            .cloned()
    }

    /// Whether `entry` is a draft, or a translation of a draft left out: its links may point
    /// at other drafts, and do not count for what is linked.
    fn is_draft(&self, entry: &Entry) -> bool {
        entry.draft || self.draft_file(&entry.collection, &entry.id).is_some()
    }

    fn is_broken(&self, collection: &str, id: &str) -> bool {
        self.broken
            .contains(&(collection.to_string(), id.to_string()))
    }

    fn suggest_id(&self, collection: &str, id: &str) -> String {
        // Entries with errors and drafts exist too: a typo of their id is still a typo.
        let ids = self
            .index
            .get(collection)
            .into_iter()
            .flat_map(|ids| ids.keys())
            .chain(
                self.broken
                    .iter()
                    .chain(self.drafts.keys())
                    .filter(|(c, _)| c == collection)
                    .map(|(_, id)| id),
            )
            .map(String::as_str);
        match crate::suggest::closest(id, ids) {
            Some(close) => crate::suggest::phrase(close),
            None if !crate::config::is_id(id) => {
                "ids use lowercase a-z, 0-9 and single hyphens: write the id of an existing entry"
                    .into()
            }
            None => format!(
                "no entry content/{collection}/{id}.md exists: create it with `bilat new {collection} {id}`, or fix the id"
            ),
        }
    }
}

/// Resolve all references of the catalog.
pub fn link(config: &Config, catalog: Catalog) -> Linked {
    let Catalog {
        entries,
        translations,
        docs,
        broken,
        unpublished,
        unpublished_docs,
        drafts,
        links_unknown,
        diagnostics: _,
    } = catalog;
    let mut index: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        index
            .entry(e.collection.clone())
            .or_default()
            .insert(e.id.clone(), i);
    }
    let pages = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.lang.is_none())
        .filter_map(|(i, d)| match &d.kind {
            SourceKind::Page { id } => Some((id.clone(), i)),
            _ => None,
        })
        .collect();
    let n = entries.len();
    let mut linked = Linked {
        entries,
        translations,
        docs,
        backlinks: vec![Vec::new(); n],
        mentions: vec![Vec::new(); n],
        outlinks: vec![Vec::new(); n],
        index,
        pages,
        broken,
        drafts,
        unpublished,
        unpublished_docs,
        reached: BTreeSet::new(),
        links_unknown,
        suppressed: 0,
        unchecked_citations: 0,
        notes: Vec::new(),
        diagnostics: Vec::new(),
    };
    check_translations(&mut linked);
    link_fields(config, &mut linked);
    link_bodies(config, &mut linked);
    sort_backlinks(&mut linked);
    check_orphans(config, &mut linked);
    unpublished::notes(&mut linked);
    linked
}

/// `serve`'s quick update of one edited record (an original or a translation, already parsed and
/// validated): its wikilinks and references are checked as [`link`] checks them and, when all
/// resolve, it takes the place of its old version, which is returned. Backlinks and mentions on
/// other pages are left to the full rebuild that follows. `Err` holds what did not resolve.
pub fn relink(
    config: &Config,
    linked: &mut Linked,
    record: Entry,
) -> Result<Entry, Vec<Diagnostic>> {
    let Some(ei) = linked.entry_index(&record.collection, &record.id) else {
        return Err(Vec::new());
    };
    let mut diagnostics = Vec::new();
    let unresolved = record
        .fields
        .iter()
        .flat_map(|(_, v)| v.refs())
        .any(|r| linked.entry_index(&r.collection, &r.id).is_none());
    for (_, value) in &record.fields {
        for md in value.markdown() {
            link_markdown_field(config, linked, &record, md, &mut diagnostics);
        }
    }
    let found = {
        let titles = Titles::new(config, linked);
        let body = Body {
            file: &record.file,
            text: &record.text,
            body_start: record.body.start,
            body: record.body(),
            outline: &record.outline,
            sources: match (record.sources().len(), linked.entries.get(ei)) {
                (0, Some(original)) if record.lang.is_some() => original.sources().len(),
                (n, _) => n,
            },
            from: Some(Node::Entry(ei)),
            lang: record.lang.as_deref(),
            draft: record.draft,
            counts_later: false,
        };
        check_body(config, &titles, &body)
    };
    diagnostics.extend(found.diagnostics);
    if unresolved || !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let slot = match record.lang.as_deref() {
        None => linked.entries.get_mut(ei),
        Some(code) => linked.translations.iter_mut().find(|t| {
            t.collection == record.collection
                && t.id == record.id
                && t.lang.as_deref() == Some(code)
        }),
    };
    let Some(slot) = slot else {
        return Err(diagnostics);
    };
    Ok(std::mem::replace(slot, record))
}

/// Put `old` back in the place of the record it was replaced by (see [`relink`]).
pub fn restore(linked: &mut Linked, old: Entry) {
    let slot = match old.lang.as_deref() {
        None => {
            (linked.entry_index(&old.collection, &old.id)).and_then(|i| linked.entries.get_mut(i))
        }
        Some(code) => linked.translations.iter_mut().find(|t| {
            t.collection == old.collection && t.id == old.id && t.lang.as_deref() == Some(code)
        }),
    };
    if let Some(slot) = slot {
        *slot = old;
    }
}

/// Typed references in front matter, and the backlink groups they create.
fn link_fields(config: &Config, linked: &mut Linked) {
    // target → (collection, field) positions in the schema → sources; schema order on the page.
    let mut groups: Vec<HashMap<(usize, usize), BTreeSet<usize>>> =
        vec![HashMap::new(); linked.entries.len()];
    let mut diagnostics = Vec::new();
    let (mut suppressed, mut reached) = (0, Vec::new());
    let published = linked.entries.len() + linked.translations.len();
    let all = linked
        .entries
        .iter()
        .chain(linked.translations.iter())
        .chain(linked.unpublished.iter());
    for (from, entry) in all.enumerate() {
        let is_original = from < linked.entries.len();
        // A record with errors will link once fixed; a draft left out does not count.
        let counts_later = from >= published && !linked.is_draft(entry);
        let mut listed = 0;
        let Some(collection) = config.collection(&entry.collection) else {
            continue;
        };
        let collection_pos = config
            .collections
            .iter()
            .position(|c| c.name == collection.name)
            .unwrap_or(0);
        for (field_pos, field) in collection.fields.iter().enumerate() {
            let Some(value) = entry.field(&field.name) else {
                continue;
            };
            for md in value.markdown() {
                link_markdown_field(config, linked, entry, md, &mut diagnostics);
            }
            for r in value.refs() {
                match linked.entry_index(&r.collection, &r.id) {
                    Some(to) if is_original => {
                        if let Some(group) = groups.get_mut(to) {
                            group
                                .entry((collection_pos, field_pos))
                                .or_default()
                                .insert(from);
                        }
                        if let Some(outlinks) = linked.outlinks.get_mut(from) {
                            outlinks.push(to);
                        }
                    }
                    Some(to) if counts_later => reached.push(to),
                    Some(_) => {}
                    None if linked.is_broken(&r.collection, &r.id)
                        && linked.draft_file(&r.collection, &r.id).is_none() =>
                    {
                        suppressed += 1;
                    }
                    None if linked.draft_file(&r.collection, &r.id).is_some()
                        && linked.is_draft(entry) => {}
                    None if over_limit(&mut listed, &entry.file, || r.pos, &mut diagnostics) => {}
                    None => match linked.draft_file(&r.collection, &r.id) {
                        Some(draft) => diagnostics.push(unpublished::draft_link(
                            &entry.file,
                            &entry.text,
                            r.pos,
                            r.id.chars().count(),
                            &format!("{}/{}", r.collection, r.id),
                            &draft,
                        )),
                        None => {
                            let singular = config
                                .collection(&r.collection)
                                .map_or(r.collection.clone(), |c| c.singular.to_lowercase());
                            diagnostics.push(
                                Diagnostic::error(
                                    codes::UNKNOWN_REF,
                                    &entry.file,
                                    r.pos,
                                    format!(
                                        "unknown {singular} \"{}\" in field \"{}\"",
                                        r.id, field.name
                                    ),
                                )
                                .with_help(linked.suggest_id(&r.collection, &r.id))
                                .with_source(&entry.text, r.id.chars().count()),
                            );
                        }
                    },
                }
            }
        }
    }
    set_backlinks(config, linked, groups);
    linked.diagnostics.append(&mut diagnostics);
    linked.suppressed += suppressed;
    linked.reached.extend(reached);
}

/// Each entry's backlink groups from what refers to it, by (collection, field) position in the
/// schema, in schema order.
fn set_backlinks(
    config: &Config,
    linked: &mut Linked,
    groups: Vec<HashMap<(usize, usize), BTreeSet<usize>>>,
) {
    // (collection, field, label) of every field, by position in the schema.
    let names: Vec<Vec<[Arc<str>; 3]>> = (config.collections.iter())
        .map(|c| {
            let collection: Arc<str> = c.name.as_str().into();
            (c.fields.iter())
                .map(|f| {
                    let field = f.name.as_str().into();
                    [collection.clone(), field, backlink_label(c, f).into()]
                })
                .collect()
        })
        .collect();
    for (backlinks, map) in linked.backlinks.iter_mut().zip(groups) {
        let mut list: Vec<((usize, usize), BTreeSet<usize>)> = map.into_iter().collect();
        list.sort_by_key(|(key, _)| *key);
        *backlinks = list
            .into_iter()
            .filter_map(|((c, f), from)| {
                let [collection, field, label] = names.get(c)?.get(f)?.clone();
                Some(BacklinkGroup {
                    collection,
                    field,
                    label,
                    from: from.into_iter().collect(),
                })
            })
            .collect();
    }
}

/// A backlink group's heading in the default language.
fn backlink_label(collection: &Collection, field: &Field) -> String {
    field
        .backlink
        .clone()
        .unwrap_or_else(|| format!("{} ({})", collection.title, field.label.to_lowercase()))
}

/// Check the wikilinks of a Markdown field value: an error at the value for each that does not
/// resolve.
fn link_markdown_field(
    config: &Config,
    linked: &Linked,
    entry: &Entry,
    md: &Markdown,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for slot in md.html.links() {
        match linked.resolve(config, &slot.target) {
            Ok(_) | Err(Unresolved::Broken) => {}
            Err(Unresolved::Draft(..)) if entry.draft => {}
            Err(Unresolved::Draft(name, draft)) => diagnostics.push(unpublished::draft_link(
                &entry.file,
                &entry.text,
                md.pos,
                1,
                &name,
                &draft,
            )),
            Err(Unresolved::Unknown {
                code,
                message,
                help,
            }) => diagnostics.push(
                Diagnostic::error(code, &entry.file, md.pos, message)
                    .with_help(help)
                    .with_source(&entry.text, 1),
            ),
        }
    }
}

/// Wikilinks and citations in every body: check them, and record mentions with their sentence.
///
/// Each body is scanned and checked on its own, in parallel; the findings are merged in body order
/// (entries, then docs, then translations), so diagnostics and mentions keep a fixed order.
fn link_bodies(config: &Config, linked: &mut Linked) {
    let found: Vec<BodyLinks> = {
        let titles = Titles::new(config, linked);
        bodies(linked)
            .par_iter()
            .map(|body| check_body(config, &titles, body))
            .collect()
    };
    for links in found {
        linked.diagnostics.extend(links.diagnostics);
        linked.reached.extend(links.reached);
        linked.suppressed += links.suppressed;
        linked.unchecked_citations += links.unchecked;
        for (to, mention) in links.mentions {
            if let Some(list) = linked.mentions.get_mut(to) {
                list.push(mention);
            }
        }
        for (from, to) in links.outlinks {
            if let Some(list) = linked.outlinks.get_mut(from) {
                list.push(to);
            }
        }
    }
    for list in &mut linked.outlinks {
        list.sort_unstable();
        list.dedup();
    }
}

/// One Markdown body to check, and what it stands for.
struct Body<'a> {
    file: &'a str,
    /// The whole file, for diagnostics.
    text: &'a str,
    body_start: usize,
    body: &'a str,
    outline: &'a Outline,
    /// How many sources `[@n]` may cite; `usize::MAX` to check nothing.
    sources: usize,
    /// The record its mentions come from.
    from: Option<Node>,
    lang: Option<&'a str>,
    /// A draft's text, which may link to other drafts.
    draft: bool,
    /// A record with errors: the entries it links to count as linked (see `Linked::reached`).
    counts_later: bool,
}

/// What checking one body found.
#[derive(Default)]
struct BodyLinks {
    diagnostics: Vec<Diagnostic>,
    /// (target entry, mention)
    mentions: Vec<(usize, Mention)>,
    /// (from entry, to entry)
    outlinks: Vec<(usize, usize)>,
    /// Entries linked from a record with errors.
    reached: Vec<usize>,
    /// Links not reported: to entries whose own file has errors.
    suppressed: usize,
    /// Citations not checked: the record's sources did not check.
    unchecked: usize,
}

/// Every body, in order: entries, docs, translations.
fn bodies(linked: &Linked) -> Vec<Body<'_>> {
    let entries = linked.entries.iter().enumerate().map(|(i, e)| Body {
        file: &e.file,
        text: &e.text,
        body_start: e.body.start,
        body: e.body(),
        outline: &e.outline,
        sources: e.sources().len(),
        from: Some(Node::Entry(i)),
        lang: None,
        draft: false,
        counts_later: false,
    });
    let docs = linked.docs.iter().enumerate().map(|(i, d)| {
        // A translated page's mentions come from the page itself, in its language.
        let original = match d.lang {
            None => Some(i),
            Some(_) => linked
                .docs
                .iter()
                .position(|o| o.lang.is_none() && o.kind == d.kind),
        };
        Body {
            file: &d.file,
            text: &d.text,
            body_start: d.body.start,
            body: d.body(),
            outline: &d.outline,
            sources: 0,
            from: original.map(Node::Doc),
            lang: d.lang.as_deref(),
            draft: false,
            counts_later: false,
        }
    });
    let translations = linked.translations.iter().map(|t| {
        let original = linked.entry_index(&t.collection, &t.id);
        let sources = match t.sources().len() {
            // The original's file has errors: its sources count if they checked.
            0 if linked.is_broken(&t.collection, &t.id) => unpublished::original_sources(linked, t),
            0 => original
                .and_then(|o| linked.entries.get(o))
                .map_or(0, |o| o.sources().len()),
            n => n,
        };
        Body {
            file: &t.file,
            text: &t.text,
            body_start: t.body.start,
            body: t.body(),
            outline: &t.outline,
            sources,
            from: original.map(Node::Entry),
            lang: t.lang.as_deref(),
            draft: false,
            counts_later: false,
        }
    });
    entries
        .chain(docs)
        .chain(translations)
        .chain(unpublished::bodies(linked))
        .collect()
}

/// Resolves wikilink targets to the title a reader sees, in the sentence's language.
struct Titles<'a> {
    config: &'a Config,
    linked: &'a Linked,
    /// (language, entry) → the translation's title.
    translated: HashMap<(&'a str, usize), &'a str>,
}

impl<'a> Titles<'a> {
    fn new(config: &'a Config, linked: &'a Linked) -> Self {
        let mut translated = HashMap::new();
        for t in &linked.translations {
            if let (Some(lang), Some(i)) =
                (t.lang.as_deref(), linked.entry_index(&t.collection, &t.id))
            {
                translated.insert((lang, i), t.title.as_str());
            }
        }
        Titles {
            config,
            linked,
            translated,
        }
    }

    /// The title of a resolved node in `lang` (the translation's title when there is one).
    fn of(&self, lang: Option<&str>, node: Node) -> Option<String> {
        match node {
            Node::Entry(i) => {
                let translated = lang.and_then(|l| self.translated.get(&(l, i)).copied());
                let title = match translated {
                    Some(t) => t,
                    None => self.linked.entries.get(i)?.title.as_str(),
                };
                Some(title.to_string())
            }
            Node::Doc(d) => self.linked.docs.get(d).map(|doc| doc.title.clone()),
        }
    }

    /// The title of a wikilink target, if it resolves.
    fn of_target(&self, lang: Option<&str>, target: &str) -> Option<String> {
        let node = self.linked.resolve(self.config, target).ok()?;
        self.of(lang, node)
    }
}

/// Scan one body and check its wikilinks and citations.
fn check_body(config: &Config, titles: &Titles<'_>, body: &Body<'_>) -> BodyLinks {
    let linked = titles.linked;
    let items = context::scan_outline(body.outline, body.body, &|t| titles.of_target(body.lang, t));
    let mut out = BodyLinks::default();
    let mut listed = 0;
    for item in items {
        let offset = body.body_start + item.offset;
        let pos = || Pos::of_offset(body.text, offset);
        match item.annotation {
            Annotation::Wiki {
                target,
                custom_text,
            } => match linked.resolve(config, &target) {
                Ok(node) => match (node, body.from) {
                    (Node::Entry(to), Some(from)) => {
                        let sentence = (item.before, item.text, item.after);
                        record_mention(body, titles, &mut out, (from, to), sentence, custom_text);
                    }
                    (Node::Entry(to), None) if body.counts_later => out.reached.push(to),
                    _ => {}
                },
                Err(Unresolved::Broken) => out.suppressed += 1,
                Err(Unresolved::Draft(..)) if body.draft => {}
                Err(Unresolved::Draft(..) | Unresolved::Unknown { .. })
                    if over_limit(&mut listed, body.file, pos, &mut out.diagnostics) => {}
                Err(Unresolved::Draft(name, draft)) => {
                    out.diagnostics.push(unpublished::draft_link(
                        body.file,
                        body.text,
                        pos(),
                        target.chars().count() + 4,
                        &name,
                        &draft,
                    ));
                }
                Err(Unresolved::Unknown {
                    code,
                    message,
                    help,
                }) => {
                    out.diagnostics.push(
                        Diagnostic::error(code, body.file, pos(), message)
                            .with_help(help)
                            .with_source(body.text, target.chars().count() + 4),
                    );
                }
            },
            Annotation::Cite { raw, number } => {
                out.unchecked += usize::from(body.sources == usize::MAX);
                let ok = matches!(number, Some(n) if n <= body.sources);
                if !ok && !over_limit(&mut listed, body.file, pos, &mut out.diagnostics) {
                    out.diagnostics.push(citation_error(body, pos(), &raw));
                }
            }
        }
    }
    out
}

/// A wikilink from `from` to entry `to`: a mention with its sentence (unless a record links to
/// itself), and an outlink when the body is the record's own.
fn record_mention(
    body: &Body<'_>,
    titles: &Titles<'_>,
    out: &mut BodyLinks,
    (from, to): (Node, usize),
    (before, text, after): (String, String, String),
    custom_text: bool,
) {
    if from != Node::Entry(to) {
        let text = if custom_text {
            text
        } else {
            titles.of(body.lang, Node::Entry(to)).unwrap_or(text)
        };
        let mention = Mention {
            from,
            lang: body.lang.map(str::to_string),
            before,
            text,
            after,
        };
        out.mentions.push((to, mention));
    }
    if let (Node::Entry(f), None) = (from, body.lang) {
        out.outlinks.push((f, to));
    }
}

/// `[@raw]` names no source of the body's file.
fn citation_error(body: &Body<'_>, pos: Pos, raw: &str) -> Diagnostic {
    let help = match body.sources {
        0 => "this file has no sources: add a sources list to the front matter, or remove the citation".to_string(),
        1 => "this file has 1 source: cite it as [@1]".to_string(),
        n => format!("this file has {n} sources: cite one of [@1] to [@{n}]"),
    };
    Diagnostic::error(
        codes::BAD_CITATION,
        body.file,
        pos,
        format!("citation [@{raw}] points to no source"),
    )
    .with_help(help)
    .with_source(body.text, raw.chars().count() + 3)
}

/// Newest first, then by title: the order a reader expects in "Visits made".
fn sort_backlinks(linked: &mut Linked) {
    let entries = &linked.entries;
    for groups in &mut linked.backlinks {
        for g in groups.iter_mut() {
            g.from
                .sort_by_key(|i| entries.get(*i).map(|e| (Reverse(&e.date), &e.title)));
        }
    }
}

/// A translation needs its original; one whose original has errors was reported with them, and
/// one of a draft left out is left out with it.
fn check_translations(linked: &mut Linked) {
    let mut orphans = Vec::new();
    let unpublished = linked.unpublished.iter().filter(|t| t.lang.is_some());
    for t in linked.translations.iter().chain(unpublished) {
        if linked.entry_index(&t.collection, &t.id).is_none()
            && !linked.is_broken(&t.collection, &t.id)
            && linked.draft_file(&t.collection, &t.id).is_none()
        {
            orphans.push(
                Diagnostic::error(
                    codes::NO_ORIGINAL,
                    &t.file,
                    Pos::new(1, 1),
                    format!(
                        "translation of \"{}\" has no original in {}",
                        t.id, t.collection
                    ),
                )
                .with_help(format!(
                    "add content/{}/{}.md in the default language first",
                    t.collection, t.id
                )),
            );
        }
    }
    linked.diagnostics.append(&mut orphans);
}

/// Entries nothing links to. Links from records with errors count (they will link once
/// fixed); drafts are not reported. Skipped, with a note, while some file's links are unknown.
fn check_orphans(config: &Config, linked: &mut Linked) {
    let severity = match config.orphans {
        CheckLevel::Off => return,
        CheckLevel::Warning => Diagnostic::warning,
        CheckLevel::Error => Diagnostic::error,
    };
    if linked.links_unknown > 0 {
        let n = linked.links_unknown;
        linked.notes.push(format!(
            "records nothing links to were not looked for: {n} file{} could not be read, or {} a reference field that did not check, so what links where is not fully known",
            if n == 1 { "" } else { "s" },
            if n == 1 { "has" } else { "have" }
        ));
        return;
    }
    let links = linked.backlinks.iter().zip(&linked.mentions);
    for (i, (e, (backlinks, mentions))) in linked.entries.iter().zip(links).enumerate() {
        if backlinks.is_empty() && mentions.is_empty() && !e.draft && !linked.reached.contains(&i) {
            linked.diagnostics.push(
                severity(
                    codes::ORPHAN,
                    &e.file,
                    Pos::new(1, 1),
                    format!("nothing links to {} \"{}\"", e.collection, e.id),
                )
                .with_help(format!(
                    "link it from a related entry with [[{}/{}]], or reference it in a field",
                    e.collection, e.id
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for item in std::fs::read_dir(from).unwrap() {
            let item = item.unwrap();
            let dest = to.join(item.file_name());
            if item.file_type().unwrap().is_dir() {
                copy_dir(&item.path(), &dest);
            } else {
                std::fs::copy(item.path(), dest).unwrap();
            }
        }
    }

    /// `target` answers as `resolve` does, for every kind of target: what render fills in is
    /// what this stage checked.
    #[test]
    fn target_finds_what_resolve_finds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"),
            root,
        );
        // A topic with an official's id: the bare [[li-wei]] is ambiguous. And a draft.
        std::fs::write(
            root.join("content/topics/li-wei.md"),
            "---\ntitle: \"Li Wei, the topic\"\n---\nA topic.\n",
        )
        .unwrap();
        std::fs::write(
            root.join("content/topics/unfinished.md"),
            "---\ntitle: \"Unfinished\"\ndraft: true\n---\nA draft.\n",
        )
        .unwrap();
        let config = crate::config::load(root).unwrap();
        let walked = crate::walk::walk(root, &config);
        let parsed = crate::parse::parse(walked.sources, &config.limits);
        let linked = link(&config, crate::validate::validate(&config, parsed, false));

        let mut targets: Vec<String> = ["pages/about", "about", "li-wei", "trade", "nope"]
            .into_iter()
            .chain([
                "topics/unfinished",
                "unfinished",
                "officials/nope",
                "nowhere/li-wei",
            ])
            .chain(["pages/nope", "", "/", "a/b/c"])
            .map(String::from)
            .collect();
        for e in &linked.entries {
            targets.push(format!("{}/{}", e.collection, e.id));
            targets.push(e.id.clone());
        }
        let mut found = 0;
        for t in &targets {
            let resolved = linked.resolve(&config, t).ok();
            assert_eq!(linked.target(t), resolved, "[[{t}]]");
            found += usize::from(resolved.is_some());
        }
        assert_eq!(linked.target("li-wei"), None);
        assert_eq!(linked.target("topics/unfinished"), None);
        assert!(matches!(linked.target("about"), Some(Node::Doc(_))));
        assert!(
            found > linked.entries.len(),
            "{found} of {} resolve",
            targets.len()
        );
    }
}

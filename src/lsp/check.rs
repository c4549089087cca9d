//! Diagnostics as you type: after an edit, which files need checking again, and their link
//! diagnostics, from the link stage itself.
//!
//! The link stage resolves against every entry, so it is run on a catalog in which only the
//! files being checked (and the original of a translation, whose sources its citations count)
//! are whole; every other entry is a stub with its id and nothing else. The stubs are kept
//! between edits ([`Stubs`]) and the whole records swapped in and out, so a check costs about
//! what building the link stage's id index costs. Whether anything links to an entry is asked
//! of the link stage separately, on the entry and one record that links to it. The messages are
//! those of `bilat check`.

use crate::config::{CheckLevel, Config};
use crate::diagnostics::Diagnostic;
use crate::link::{self, Linked};
use crate::refs::{FileEntry, Index};
use crate::validate::{Catalog, Doc, Entry};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An entry with what other files' links read of it, and nothing else.
fn stub(e: &Entry) -> Entry {
    Entry {
        collection: e.collection.clone(),
        id: e.id.clone(),
        lang: e.lang.clone(),
        file: e.file.clone(),
        title: e.title.clone(),
        summary: None,
        date: e.date,
        end_date: e.end_date,
        draft: e.draft,
        fields: Vec::new(),
        field_pos: Vec::new(),
        sources_known: e.sources_known,
        refs_known: e.refs_known,
        text: String::new(),
        body: 0..0,
        outline: Default::default(),
        digest: 0,
        aliases_ids: Vec::new(),
    }
}

fn stub_doc(d: &Doc) -> Doc {
    Doc {
        kind: d.kind.clone(),
        lang: d.lang.clone(),
        file: d.file.clone(),
        title: d.title.clone(),
        description: None,
        draft: d.draft,
        text: String::new(),
        body: 0..0,
        outline: Default::default(),
        digest: 0,
    }
}

/// How many records that link to an entry are linked with it to learn whether any counts.
const MAX_REFERRERS: usize = 8;

/// Every record of the index as a stub, kept while the index's records stay the same.
#[derive(Default)]
pub struct Stubs {
    generation: Option<u64>,
    entries: Vec<Entry>,
    docs: Vec<Doc>,
    /// File → position in `entries` or `docs`.
    entry_of: HashMap<String, usize>,
    doc_of: HashMap<String, usize>,
    broken: BTreeSet<(String, String)>,
    /// The site's configuration without the orphan check (run on its own, [`orphans`]).
    quiet: Option<Config>,
}

impl Stubs {
    /// Bring the stubs up to the index: patch the few records an edit changed, or make them
    /// all again.
    pub fn refresh(&mut self, index: &Index) {
        if self.generation == Some(index.generation()) {
            return;
        }
        if let Some(changed) = self.generation.and_then(|g| index.changes_since(g))
            && changed.iter().all(|rel| self.patch(index, rel))
        {
            self.generation = Some(index.generation());
            return;
        }
        *self = Stubs {
            generation: Some(index.generation()),
            quiet: Some(Config {
                orphans: CheckLevel::Off,
                ..index.config.clone()
            }),
            ..Stubs::default()
        };
        for (rel, f) in &index.files {
            if let Some(e) = f.entry.as_ref().filter(|e| e.lang.is_none()) {
                self.entry_of.insert(rel.clone(), self.entries.len());
                self.entries.push(stub(e));
            } else if let Some(d) = &f.doc {
                self.doc_of.insert(rel.clone(), self.docs.len());
                self.docs.push(stub_doc(d));
            }
            if f.is_broken()
                && let Some((c, id)) = f.record()
            {
                self.broken.insert((c.to_string(), id.to_string()));
            }
        }
    }
}

impl Stubs {
    /// Whether some entry has errors (the link stage then says nothing of orphans).
    pub fn has_broken(&self) -> bool {
        !self.broken.is_empty()
    }

    /// Follow a change of file `rel`'s record; false when only making every stub again can.
    fn patch(&mut self, index: &Index, rel: &str) -> bool {
        let Some(f) = index.files.get(rel) else {
            return false;
        };
        if f.source.lang.is_some() {
            return true;
        }
        let key = f.record().map(|(c, id)| (c.to_string(), id.to_string()));
        let slot = self.entry_of.get(rel).copied();
        match (&f.entry, &f.doc, slot, key) {
            (Some(e), _, Some(i), Some(key)) => {
                if let Some(s) = self.entries.get_mut(i) {
                    *s = stub(e);
                }
                self.broken.remove(&key);
                true
            }
            (Some(e), _, None, Some(key)) => {
                self.entry_of.insert(rel.to_string(), self.entries.len());
                self.entries.push(stub(e));
                self.broken.remove(&key);
                true
            }
            // A broken entry exists: its stub stays, so links to it are not reported (as
            // `check` does not report them), and it counts as broken.
            (None, None, _, Some(key)) if f.is_broken() => {
                self.broken.insert(key);
                true
            }
            (None, Some(d), _, None) => match self.doc_of.get(rel) {
                Some(&i) => {
                    if let Some(s) = self.docs.get_mut(i) {
                        *s = stub_doc(d);
                    }
                    true
                }
                None => false,
            },
            _ => false,
        }
    }
}

/// The link diagnostics of each file in `files` (an empty list for a file without any), all but
/// "nothing links to" (see [`orphans`]).
pub fn link_diagnostics(
    index: &Index,
    stubs: &mut Stubs,
    files: &BTreeSet<String>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<Diagnostic>> =
        files.iter().map(|f| (f.clone(), Vec::new())).collect();
    let found = linked_with_stubs(index, stubs, files);
    for d in found {
        if let Some(list) = out.get_mut(&d.file) {
            list.push(d);
        }
    }
    out
}

/// Whether a diagnostic says that nothing links to a record.
pub fn is_orphan(d: &Diagnostic) -> bool {
    d.code == crate::diagnostics::codes::ORPHAN
}

/// Diagnostics by file.
pub type ByFile = BTreeMap<String, Vec<Diagnostic>>;

/// Every file's link diagnostics, and apart from them "nothing links to" for every entry as if
/// no entry had errors. (The link stage says nothing about orphans while some entry has errors;
/// the server shows them once none has.) One run of the link stage when no entry has errors.
pub fn everything(index: &Index) -> (ByFile, ByFile) {
    let mut links: ByFile = index
        .files
        .keys()
        .map(|f| (f.clone(), Vec::new()))
        .collect();
    let mut orphans = ByFile::new();
    let catalog = whole_catalog(index);
    let found = if catalog.broken.is_empty() {
        link::link(&index.config, catalog).diagnostics
    } else {
        let quiet = Config {
            orphans: CheckLevel::Off,
            ..index.config.clone()
        };
        let mut found = link::link(&quiet, catalog).diagnostics;
        if index.config.orphans != CheckLevel::Off {
            let mut catalog = whole_catalog(index);
            catalog.broken.clear();
            let all = link::link(&index.config, catalog).diagnostics;
            found.extend(all.into_iter().filter(is_orphan));
        }
        found
    };
    for d in found {
        let list = if is_orphan(&d) {
            orphans.entry(d.file.clone()).or_default()
        } else {
            links.entry(d.file.clone()).or_default()
        };
        list.push(d);
    }
    (links, orphans)
}

/// "Nothing links to" for the entries of `files`, as if no entry had errors (an empty list
/// for each file without it).
pub fn orphans(
    index: &Index,
    stubs: &Stubs,
    files: &BTreeSet<String>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    files
        .iter()
        .map(|rel| {
            let found = match index.config.orphans {
                CheckLevel::Off => Vec::new(),
                _ => orphan(index, stubs, rel),
            };
            (rel.clone(), found)
        })
        .collect()
}

/// Every record whole: the catalog `bilat check` links.
fn whole_catalog(index: &Index) -> Catalog {
    let mut catalog = Catalog::default();
    for f in index.files.values() {
        if let Some(e) = &f.entry {
            match e.lang {
                None => catalog.entries.push(e.clone()),
                Some(_) => catalog.translations.push(e.clone()),
            }
        } else if let Some(d) = &f.doc {
            catalog.docs.push(d.clone());
        }
        if f.is_broken()
            && let Some((c, id)) = f.record()
        {
            catalog.broken.insert((c.to_string(), id.to_string()));
        }
    }
    catalog
}

/// Link the stubs with `files` (and the originals of translations among them) swapped in whole;
/// every diagnostic but "nothing links to".
fn linked_with_stubs(
    index: &Index,
    stubs: &mut Stubs,
    files: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    stubs.refresh(index);
    let mut whole: BTreeSet<&str> = files.iter().map(String::as_str).collect();
    for rel in files {
        if let Some(f) = index.files.get(rel)
            && f.source.lang.is_some()
            && let Some((c, id)) = f.record()
            && let Some(original) = index.record_file(c, id)
        {
            whole.insert(&original.source.rel);
        }
    }
    let mut entries = std::mem::take(&mut stubs.entries);
    let mut docs = std::mem::take(&mut stubs.docs);
    let (mut swapped, mut swapped_docs, mut translations) = (Vec::new(), Vec::new(), Vec::new());
    for rel in whole {
        let Some(f) = index.files.get(rel) else {
            continue;
        };
        if let Some(e) = &f.entry {
            match (stubs.entry_of.get(rel), &e.lang) {
                (Some(&i), None) => {
                    if let Some(slot) = entries.get_mut(i) {
                        swapped.push((i, std::mem::replace(slot, e.clone())));
                    }
                }
                (_, Some(_)) => translations.push(e.clone()),
                (None, None) => {}
            }
        } else if let (Some(d), Some(&i)) = (&f.doc, stubs.doc_of.get(rel))
            && let Some(slot) = docs.get_mut(i)
        {
            swapped_docs.push((i, std::mem::replace(slot, d.clone())));
        }
    }
    let catalog = Catalog {
        entries,
        translations,
        docs,
        broken: stubs.broken.clone(),
        diagnostics: Vec::new(),
        ..Catalog::default()
    };
    let config = stubs.quiet.as_ref().unwrap_or(&index.config);
    let Linked {
        mut entries,
        mut docs,
        diagnostics,
        ..
    } = link::link(config, catalog);
    for (i, stub) in swapped {
        if let Some(slot) = entries.get_mut(i) {
            *slot = stub;
        }
    }
    for (i, stub) in swapped_docs {
        if let Some(slot) = docs.get_mut(i) {
            *slot = stub;
        }
    }
    stubs.entries = entries;
    stubs.docs = docs;
    diagnostics
}

/// "Nothing links to" for the entry of file `rel`, from the link stage run on the entry, a
/// record that links to it (with what it needs to count) and every page; when that one does not
/// count (a reference from a translation's field, say), a few more.
fn orphan(index: &Index, stubs: &Stubs, rel: &str) -> Vec<Diagnostic> {
    let Some(f) = index.files.get(rel) else {
        return Vec::new();
    };
    let (Some(entry), Some((c, id))) = (&f.entry, f.record()) else {
        return Vec::new();
    };
    if entry.lang.is_some() {
        return Vec::new();
    }
    let counts =
        |g: &&FileEntry| (g.entry.is_some() || g.doc.is_some()) && g.record() != Some((c, id));
    let mut referrers: Vec<&FileEntry> = Vec::new();
    for r in index.references(c, id) {
        if let Some(g) = index.files.get(&r.file).filter(counts)
            && !referrers.iter().any(|x| x.source.rel == g.source.rel)
        {
            referrers.push(g);
        }
    }
    let mut found = Vec::new();
    for n in [1, MAX_REFERRERS] {
        found = orphan_among(index, stubs, entry, rel, referrers.iter().take(n));
        if found.is_empty() || referrers.len() <= n {
            break;
        }
    }
    found
}

/// [`orphan`] with these records that link to the entry.
fn orphan_among<'f>(
    index: &Index,
    stubs: &Stubs,
    entry: &Entry,
    rel: &str,
    referrers: impl Iterator<Item = &'f &'f FileEntry>,
) -> Vec<Diagnostic> {
    let mut catalog = Catalog {
        entries: vec![stub(entry)],
        docs: stubs.docs.clone(),
        ..Catalog::default()
    };
    for g in referrers {
        if let Some(e) = &g.entry {
            match e.lang {
                None => {
                    catalog.entries.retain(|x| x.file != e.file);
                    catalog.entries.push(e.clone());
                }
                Some(_) => {
                    catalog.translations.push(e.clone());
                    let original = index.record_file(&e.collection, &e.id);
                    if let Some(o) = original.and_then(|o| o.entry.as_ref())
                        && !catalog.entries.iter().any(|x| x.file == o.file)
                    {
                        catalog.entries.push(stub(o));
                    }
                }
            }
        } else if let Some(d) = &g.doc {
            catalog.docs.retain(|x| x.file != d.file);
            catalog.docs.push(d.clone());
        }
    }
    link::link(&index.config, catalog)
        .diagnostics
        .into_iter()
        .filter(|d| d.file == rel && is_orphan(d))
        .collect()
}

/// What an edit of one file may change.
#[derive(Debug, Default)]
pub struct Affected {
    /// Files whose diagnostics may change (the edited one included): its translations, and the
    /// files that link to it when it came or went.
    pub files: BTreeSet<String>,
    /// Entry files whose "nothing links to" may change: the edited one, and the entries it
    /// stopped or started linking to (or that it links to, when it came or went).
    pub orphans: BTreeSet<String>,
}

/// What an edit of `rel` (which was `before`) may change.
pub fn affected(index: &Index, rel: &str, before: Option<&FileEntry>) -> Affected {
    let mut out = Affected {
        files: BTreeSet::from([rel.to_string()]),
        orphans: BTreeSet::from([rel.to_string()]),
    };
    let now = index.files.get(rel);
    let Some(f) = now.or(before) else {
        return out;
    };
    if let (Some((c, id)), None) = (f.record(), &f.source.lang) {
        for (other, g) in &index.files {
            if g.record() == Some((c, id)) && g.source.lang.is_some() {
                out.files.insert(other.clone());
            }
        }
        let exists = |f: Option<&FileEntry>| f.map(|f| (f.entry.is_some(), f.is_broken()));
        if exists(now) != exists(before) {
            // Bare [[id]] links too: they may have become ambiguous, or resolve now.
            out.files.extend(index.files_naming(id));
        }
    }
    if index.config.orphans != CheckLevel::Off {
        // The entries a record points at, when it counts (has no errors).
        let targets = |f: Option<&FileEntry>| -> BTreeSet<(String, String)> {
            f.filter(|f| f.entry.is_some() || f.doc.is_some())
                .into_iter()
                .flat_map(|f| &f.links)
                .filter_map(|l| index.target(l))
                .collect()
        };
        let (old, new) = (targets(before), targets(now));
        for (c, id) in old.symmetric_difference(&new) {
            if let Some(g) = index.record_file(c, id) {
                out.orphans.insert(g.source.rel.clone());
            }
        }
    }
    out
}

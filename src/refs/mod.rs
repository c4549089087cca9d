//! The reference index: every file of a site with where it points (each typed reference and
//! `[[wikilink]]`, with the exact span of the id it names), its checked record, and its own
//! diagnostics. It answers "what links to this record" for `bilat refs`, `bilat rename` and the
//! language server, and keeps up with edits of one file at a time.
//!
//! It runs the pipeline's own stages (walk, parse, validate) and reads their results; it does not
//! link: the language server links what an edit affects (`lsp::check`). Where a file points is
//! read in `links.rs`.

mod links;

pub use links::{Lines, LinkSite, Span, Via, links};

use crate::config::{self, Config};
use crate::diagnostics::Diagnostic;
use crate::parse::{self, Node, ParsedFile};
use crate::validate::{self, Doc, Entry};
use crate::walk::{self, SourceFile, SourceKind};
use links::old_ids_of;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// One file of the site as the index knows it.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub source: SourceFile,
    pub text: String,
    pub links: Vec<LinkSite>,
    /// The checked record, when the file is an entry or translation without errors.
    pub entry: Option<Entry>,
    /// The checked record of a home page, landing text or free page without errors.
    pub doc: Option<Doc>,
    /// What walk, parse and validate found in this file.
    pub diagnostics: Vec<Diagnostic>,
    /// The front matter as parsed (`None` when the file could not be parsed).
    pub front: Option<Node>,
    /// While the text does not parse: the last front matter of this file that did (for
    /// completion as the contributor types).
    pub stale_front: Option<Node>,
    /// Byte range of the Markdown body.
    pub body: std::ops::Range<usize>,
}

impl FileEntry {
    /// A file with its text and nothing read from it yet.
    pub fn unread(source: SourceFile, text: String) -> Self {
        FileEntry {
            source,
            text,
            links: Vec::new(),
            entry: None,
            doc: None,
            diagnostics: Vec::new(),
            front: None,
            stale_front: None,
            body: 0..0,
        }
    }

    /// The (collection, id) the file is an entry or translation of.
    pub fn record(&self) -> Option<(&str, &str)> {
        match &self.source.kind {
            SourceKind::Entry { collection, id } => Some((collection, id)),
            _ => None,
        }
    }

    /// The front matter to complete in: the text's, or the last that parsed.
    pub fn front_or_stale(&self) -> Option<&Node> {
        self.front.as_ref().or(self.stale_front.as_ref())
    }

    /// A default-language entry file with errors: the entry exists, but its record did not
    /// check (links to it are not reported again).
    pub fn is_broken(&self) -> bool {
        self.source.lang.is_none()
            && self.record().is_some()
            && self.entry.is_none()
            && self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Every file of a site, indexed.
#[derive(Debug)]
pub struct Index {
    pub root: PathBuf,
    pub config: Config,
    pub files: BTreeMap<String, FileEntry>,
    /// Diagnostics of the walk that belong to no source file (bad names, symbolic links).
    pub walk_diagnostics: Vec<Diagnostic>,
    /// collection → id → the default-language file of that entry.
    records: HashMap<String, BTreeMap<String, String>>,
    /// (collection as written, id) of every link → the files that have one.
    linked_from: HashMap<(Option<String>, String), BTreeSet<String>>,
    /// Changes whenever a file comes or goes or gains or loses its checked record; never the
    /// same for two indexes (callers key caches of the records by it).
    generation: u64,
    /// The last changes of generation by an edit: (before, after, file).
    changes: std::collections::VecDeque<(u64, u64, String)>,
}

/// How many changes of generation [`Index::changes_since`] remembers.
const MAX_CHANGES: usize = 64;

/// The source of [`Index::generation`]s.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A reference to a record, found by [`Index::references`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub file: String,
    pub link: LinkSite,
}

impl Index {
    /// Read `site.toml` and every content file of the site at `root`.
    pub fn load(root: &Path) -> Result<Index, Vec<Diagnostic>> {
        Ok(Index::with_config(root, config::load(root)?))
    }

    /// Read every content file of the site at `root`, whose `site.toml` says `config`.
    pub fn with_config(root: &Path, config: Config) -> Index {
        let walked = walk::walk(root, &config);
        let parsed = parse::parse(walked.sources.clone(), &config.limits);
        let mut files: BTreeMap<String, FileEntry> = walked
            .sources
            .into_iter()
            .map(|source| {
                let rel = source.rel.clone();
                let file = FileEntry::unread(source, String::new());
                (rel, file)
            })
            .collect();
        let mut walk_diagnostics = Vec::new();
        for d in walked.diagnostics {
            match files.get_mut(&d.file) {
                Some(f) => f.diagnostics.push(d),
                None => walk_diagnostics.push(d),
            }
        }
        for d in parsed.diagnostics {
            if let Some(f) = files.get_mut(&d.file) {
                // A file that cannot be parsed still has its text, for completion and positions.
                if let Ok(bytes) = std::fs::read(&f.source.abs) {
                    f.text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                }
                f.diagnostics.push(d);
            }
        }
        for p in &parsed.files {
            if let Some(f) = files.get_mut(&p.source.rel) {
                f.links = links(&config, p);
                f.text = p.text.clone();
                f.front = Some(p.front.clone());
                f.body = p.body.clone();
            }
        }
        let catalog = validate::validate(
            &config,
            crate::parse::Parsed {
                files: parsed.files,
                ..Default::default()
            },
            false,
        );
        let mut index = Index {
            root: root.to_path_buf(),
            config,
            files,
            walk_diagnostics,
            records: HashMap::new(),
            linked_from: HashMap::new(),
            generation: next_generation(),
            changes: Default::default(),
        };
        index.take_catalog(catalog);
        index.rebuild_records();
        let files: Vec<String> = index.files.keys().cloned().collect();
        for rel in files {
            index.note_links(&rel, true);
        }
        index
    }

    /// Add (or take out) the links of file `rel` to (from) the reverse index.
    fn note_links(&mut self, rel: &str, add: bool) {
        let Some(f) = self.files.get(rel) else { return };
        for link in &f.links {
            let key = (link.collection.clone(), link.id.clone());
            if add {
                self.linked_from
                    .entry(key)
                    .or_default()
                    .insert(rel.to_string());
            } else if let Some(set) = self.linked_from.get_mut(&key) {
                set.remove(rel);
                if set.is_empty() {
                    self.linked_from.remove(&key);
                }
            }
        }
    }

    /// Put checked records and validate's diagnostics into their files.
    fn take_catalog(&mut self, catalog: validate::Catalog) {
        for e in catalog.entries.into_iter().chain(catalog.translations) {
            if let Some(f) = self.files.get_mut(&e.file) {
                f.entry = Some(e);
            }
        }
        for d in catalog.docs {
            if let Some(f) = self.files.get_mut(&d.file) {
                f.doc = Some(d);
            }
        }
        for d in catalog.diagnostics {
            if let Some(f) = self.files.get_mut(&d.file) {
                f.diagnostics.push(d);
            }
        }
    }

    fn rebuild_records(&mut self) {
        self.records.clear();
        for (rel, f) in &self.files {
            if let (Some((c, id)), None) = (f.record(), &f.source.lang) {
                self.records
                    .entry(c.to_string())
                    .or_default()
                    .entry(id.to_string())
                    .or_insert_with(|| rel.clone());
            }
        }
    }

    /// See the field: equal generations of an index have the same files with the same records.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The files whose record changed since `generation`, when every change since was an edit
    /// of a file the index had then (`None`: more changed; read every file again).
    pub fn changes_since(&self, generation: u64) -> Option<Vec<&str>> {
        let mut out = Vec::new();
        let mut want = self.generation;
        if want == generation {
            return Some(out);
        }
        for (before, after, rel) in self.changes.iter().rev() {
            if *after != want {
                return None;
            }
            out.push(rel.as_str());
            if *before == generation {
                return Some(out);
            }
            want = *before;
        }
        None
    }

    /// The default-language file of entry `collection/id`.
    pub fn record_file(&self, collection: &str, id: &str) -> Option<&FileEntry> {
        let rel = self.records.get(collection)?.get(id)?;
        self.files.get(rel)
    }

    /// The ids of a collection, sorted, with their default-language files.
    pub fn ids(&self, collection: &str) -> impl Iterator<Item = (&String, &FileEntry)> {
        self.records
            .get(collection)
            .into_iter()
            .flatten()
            .filter_map(|(id, rel)| Some((id, self.files.get(rel)?)))
    }

    /// The collections that have an entry with this id (what a bare `[[id]]` may mean).
    pub fn collections_with(&self, id: &str) -> Vec<&str> {
        self.config
            .collections
            .iter()
            .filter(|c| {
                self.records
                    .get(&c.name)
                    .is_some_and(|ids| ids.contains_key(id))
            })
            .map(|c| c.name.as_str())
            .collect()
    }

    /// The entry a link points at, when it points at one.
    pub fn target(&self, link: &LinkSite) -> Option<(String, String)> {
        match &link.collection {
            Some(c) if c == "pages" => None,
            Some(c) => Some((c.clone(), link.id.clone())),
            None => match self.collections_with(&link.id).as_slice() {
                [c] => Some((c.to_string(), link.id.clone())),
                _ => None,
            },
        }
    }

    /// Every reference and wikilink that points at entry `collection/id`, in file order.
    pub fn references(&self, collection: &str, id: &str) -> Vec<Reference> {
        let bare_is_unique = self.collections_with(id) == [collection];
        let written = [
            (Some(collection.to_string()), id.to_string()),
            (None, id.to_string()),
        ];
        let files: BTreeSet<&String> = written
            .iter()
            .filter(|(c, _)| c.is_some() || bare_is_unique)
            .filter_map(|key| self.linked_from.get(key))
            .flatten()
            .collect();
        let mut out = Vec::new();
        for rel in files {
            let Some(f) = self.files.get(rel) else {
                continue;
            };
            for link in &f.links {
                let hit = link.id == id
                    && match &link.collection {
                        Some(c) => c == collection,
                        None => bare_is_unique,
                    };
                if hit {
                    out.push(Reference {
                        file: rel.clone(),
                        link: link.clone(),
                    });
                }
            }
        }
        out
    }

    /// The files with a link that names `id`, in any collection or bare (what may resolve
    /// differently when an entry with that id comes or goes).
    pub fn files_naming(&self, id: &str) -> BTreeSet<String> {
        self.linked_from
            .iter()
            .filter(|((_, i), _)| i == id)
            .flat_map(|(_, files)| files.iter().cloned())
            .collect()
    }

    /// The sentence a wikilink stands in (for `bilat refs`), from the file's body.
    pub fn sentence(&self, file: &str, offset: usize) -> Option<String> {
        let f = self.files.get(file)?;
        let body = f.text.get(f.body.clone())?;
        let title_of = |target: &str| {
            let (c, id) = match target.split_once('/') {
                Some((c, id)) => (c.to_string(), id),
                None => (self.collections_with(target).first()?.to_string(), target),
            };
            Some(self.record_file(&c, id)?.entry.as_ref()?.title.clone())
        };
        let found = crate::link::context::scan(body, &title_of);
        let at = offset.checked_sub(f.body.start)?;
        let item = found.into_iter().find(|x| x.offset == at)?;
        Some(format!("{}{}{}", item.before, item.text, item.after))
    }

    /// Replace the text of one file (an editor's unsaved buffer, or the file read again) and
    /// check it alone: parse, its links, validate (with any other file of the same record and
    /// language, so a duplicate is still found). Returns the file as it was before.
    pub fn set_text(&mut self, rel: &str, text: String) -> Option<FileEntry> {
        let source = match self.files.get(rel) {
            Some(f) => f.source.clone(),
            // A new file, perhaps not saved yet: what its name makes it.
            None => {
                let under = rel.strip_prefix("content/")?;
                let (kind, lang, format) = walk::classify(under, &self.config).ok()?;
                SourceFile {
                    rel: rel.to_string(),
                    abs: self.root.join(rel),
                    kind,
                    lang,
                    format,
                }
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .replace("\r\n", "\n");
        let mut file = FileEntry::unread(source.clone(), text.clone());
        let mut batch = Vec::new();
        match parse::parse_text(source.clone(), text, &self.config.limits) {
            Ok(p) => {
                file.links = links(&self.config, &p);
                file.front = Some(p.front.clone());
                file.body = p.body.clone();
                batch.push(p);
            }
            Err(d) => {
                file.diagnostics.push(d);
                file.stale_front = self
                    .files
                    .get(rel)
                    .and_then(|f| f.front.clone().or_else(|| f.stale_front.clone()));
            }
        }
        // The live entries its old ids name, so a clash with one is found.
        let old_ids = batch
            .first()
            .map(|p| old_ids_of(&p.front))
            .unwrap_or_default();
        if let SourceKind::Entry { collection, .. } = &source.kind {
            for id in old_ids {
                if let Some(f) = self.record_file(collection, &id)
                    && let Ok(p) =
                        parse::parse_text(f.source.clone(), f.text.clone(), &self.config.limits)
                {
                    batch.push(p);
                }
            }
        }
        // Other files of the same record and language (`x.md` beside `x.yaml`).
        for (other, f) in &self.files {
            if other != rel
                && f.source.kind == source.kind
                && f.source.lang == source.lang
                && let Ok(p) =
                    parse::parse_text(f.source.clone(), f.text.clone(), &self.config.limits)
            {
                batch.push(p);
            }
        }
        self.note_links(rel, false);
        let old = self.files.insert(rel.to_string(), file);
        self.note_links(rel, true);
        self.validate_alone(rel, batch);
        if old.is_none() {
            self.rebuild_records();
        }
        self.note_generation(rel, old.as_ref());
        old
    }

    /// Validate the parsed files of one record (`rel`'s, and any duplicate of it) and keep what
    /// concerns `rel`.
    fn validate_alone(&mut self, rel: &str, batch: Vec<ParsedFile>) {
        if batch.is_empty() {
            return;
        }
        let catalog = validate::validate(
            &self.config,
            crate::parse::Parsed {
                files: batch,
                ..Default::default()
            },
            false,
        );
        let catalog = validate::Catalog {
            diagnostics: catalog
                .diagnostics
                .into_iter()
                .filter(|d| d.file == rel)
                .collect(),
            entries: catalog
                .entries
                .into_iter()
                .filter(|e| e.file == rel)
                .collect(),
            translations: catalog
                .translations
                .into_iter()
                .filter(|e| e.file == rel)
                .collect(),
            docs: catalog.docs.into_iter().filter(|d| d.file == rel).collect(),
            broken: catalog.broken,
            ..validate::Catalog::default()
        };
        self.take_catalog(catalog);
    }

    /// A new generation when file `rel` gained or lost its record (it was `old`).
    fn note_generation(&mut self, rel: &str, old: Option<&FileEntry>) {
        let has =
            |f: Option<&FileEntry>| f.map(|f| (f.entry.is_some(), f.doc.is_some(), f.is_broken()));
        if has(old) == has(self.files.get(rel)) {
            return;
        }
        let before = self.generation;
        self.generation = next_generation();
        if old.is_some() {
            self.changes
                .push_back((before, self.generation, rel.to_string()));
            if self.changes.len() > MAX_CHANGES {
                self.changes.pop_front();
            }
        }
    }

    /// Forget a file (deleted on disk).
    pub fn remove(&mut self, rel: &str) -> Option<FileEntry> {
        self.note_links(rel, false);
        let old = self.files.remove(rel);
        self.rebuild_records();
        self.generation = next_generation();
        old
    }
}

//! Stage 5, render: turn the linked site into output files — every page through the theme's Tera
//! templates, plus the feed, sitemap, search index and data files.
//!
//! Per-language site context and entry cards are computed once (`Renderer::new`); pages are then
//! rendered in parallel with rayon, each handed to the [`Sink`] as soon as it is made, and the
//! results collected in a fixed order, so the output never depends on scheduling. This file holds
//! the job list and the shared context; `entry.rs` makes entry pages, `site_pages.rs` the
//! site-wide ones, `cache.rs` decides what the previous build's output can give instead.

mod cache;
mod csv;
mod data;
mod dates;
mod dictionary;
mod entry;
mod graph;
mod graph_groups;
mod graph_page;
mod jsonld;
mod links;
mod lists;
mod model;
mod neighbours;
mod postings;
mod redirect;
mod search;
mod sink;
mod site_pages;
mod sitemap;
mod social;
pub mod strings;
mod template_errors;
pub mod templates;
mod text_width;
mod timeline;

use crate::config::{Config, Language};
use crate::diagnostics::Diagnostic;
use crate::link::{Linked, Node};
use crate::markup::{self, LinkTarget};
use crate::routes::{self, LangRoot, SitePage};
use crate::validate::{Doc, Entry};
use crate::walk::{SourceKind, StaticFile};
use cache::{Cache, CachedPage, IndexCache};
use dates::DateStyle;
use model::*;
use rayon::prelude::*;
use search::Listed;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use tera::Context;

pub use cache::Cache as PageCache;
pub use sink::{Discard, Sink};
pub use templates::Templates;

/// How a build differs from the defaults of site.toml.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces `base_url` (e.g. `http://127.0.0.1:1111` in serve).
    pub base_url: Option<String>,
    /// Adds the live-reload script to every page.
    pub live_reload: bool,
    /// Check every internal link of the output after rendering (a build whose earlier stages
    /// found errors leaves out pages, so its links are not checked).
    pub check_links: bool,
}

/// A generated file: its path relative to the output root (forward slashes) and its bytes.
#[derive(Debug, Clone)]
struct OutputFile {
    path: String,
    bytes: Vec<u8>,
}

/// What rendering produced; the files themselves went to the [`Sink`].
#[derive(Debug, Default)]
pub struct Rendered {
    /// Output files, pages included.
    pub files: usize,
    pub pages: usize,
    /// Entry pages whose inputs had not changed since the last build into the same output: their
    /// files were kept instead of rendered.
    pub kept_pages: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// The sink failed (a disk error: the tool's own failure, not the contributor's).
    pub error: Option<crate::error::Error>,
    /// What a quick update of one entry reuses.
    pub prepared: Prepared,
}

/// Render the whole site into `sink`. Entry pages whose inputs match `previous` (the page cache
/// of the output being replaced) are kept from that output instead of rendered.
pub fn render(
    config: &Config,
    linked: &Linked,
    templates: &Templates,
    statics: &[StaticFile],
    options: &Options,
    sink: &dyn Sink,
    mut previous: Cache,
) -> Rendered {
    let config = &with_base_url(config, options);
    let old_indexes = std::mem::take(&mut previous.indexes);
    let previous_links_clean = previous.links_clean;
    let jobs = job_list(config, linked);
    let output_sink = sink;
    let recorder = links::Recorder::new(sink, options.check_links);
    let sink: &dyn Sink = &recorder;

    // Later sources win: site static/ over theme assets over generated files of the same path.
    let site_statics: HashSet<&str> = statics.iter().map(|s| s.rel.as_str()).collect();
    let theme_statics: Vec<&(String, Vec<u8>)> = templates
        .static_files()
        .iter()
        .filter(|(path, _)| !site_statics.contains(path.as_str()))
        .collect();
    let mut taken = site_statics.clone();
    taken.extend(theme_statics.iter().map(|(p, _)| p.as_str()));

    let renderer = Renderer::new(config, linked, templates, options, None);
    let output = Output {
        sink,
        taken: &taken,
        previous: &previous,
        strict: false,
    };
    let results: Vec<JobOutput> = jobs
        .par_iter()
        .map(|job| renderer.run(job, &output))
        .collect();
    let mut out = Rendered::default();
    let (search, cached) = gather(results, previous, &mut out);
    let fail = |out: &mut Rendered, e: crate::error::Error| {
        if out.error.is_none() {
            out.error = Some(e);
        }
    };
    // The search indexes, one language per thread; then the page cache, which lists their files.
    let indexed: Vec<_> = search
        .into_par_iter()
        .map(|(li, listed)| {
            let code = config.languages.get(li).map(|l| l.code.clone());
            let old = code.as_ref().and_then(|c| old_indexes.get(c));
            (code, renderer.search_index(li, listed, sink, &taken, old))
        })
        .collect();
    let mut indexes: BTreeMap<String, IndexCache> = BTreeMap::new();
    for (code, result) in indexed {
        match result {
            Ok((n, index)) => {
                out.files += n;
                indexes.extend(code.map(|c| (c, index)));
            }
            Err(JobOutput::Failed(d)) => out.diagnostics.push(d),
            Err(JobOutput::SinkFailed(e)) => fail(&mut out, e),
            Err(JobOutput::Done(_)) => {}
        }
    }
    // Made before the link check, whose findings are reported but do not keep the cache away.
    let cacheable = out.diagnostics.is_empty();
    for (path, bytes) in theme_statics {
        match sink.put(path, bytes) {
            Ok(()) => out.files += 1,
            Err(e) => fail(&mut out, e),
        }
    }
    for s in statics {
        match sink.copy(&s.rel, &s.abs) {
            Ok(()) => out.files += 1,
            Err(e) => fail(&mut out, e),
        }
    }
    let noted = recorder.into_noted();
    let mut links_clean = None;
    if options.check_links && out.diagnostics.is_empty() && out.error.is_none() {
        let files_fp = noted.files_fp();
        if !noted.unchanged_from(previous_links_clean, files_fp) {
            out.diagnostics = check_links(config, options, &renderer, &jobs, noted);
        }
        links_clean = out.diagnostics.is_empty().then_some(files_fp);
    }
    if cacheable
        && let Err(e) = output_sink.put_cache(&Cache::bytes_of(&cached, &indexes, links_clean))
    {
        fail(&mut out, e);
    }
    if let Some(social) = &renderer.social {
        out.diagnostics.extend(social.warnings(config));
    }
    out.prepared = renderer.into_prepared();
    out.diagnostics
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out.diagnostics.dedup();
    out
}

/// Every internal link of the output checked against its files and ids (see `links.rs`).
fn check_links(
    config: &Config,
    options: &Options,
    renderer: &Renderer,
    jobs: &[Job],
    noted: links::Noted,
) -> Vec<Diagnostic> {
    let (files, pages) = noted.into_pages();
    let site = links::Site {
        base_url: &config.base_url,
        base_path: config.base_path(),
        served: if options.live_reload {
            &["/__livereload.js"]
        } else {
            &[]
        },
        templates: renderer.templates.sources(),
        level: config.links,
    };
    let sources = std::sync::OnceLock::new();
    links::check(&site, &files, &pages, |path| {
        let map: &HashMap<String, &Job> = sources.get_or_init(|| {
            jobs.iter()
                .filter_map(|j| Some((renderer.job_source(j)?.0, j)))
                .collect()
        });
        Some(renderer.job_source(map.get(path)?)?.1)
    })
}

/// Per language the pages its search index lists (path and place, in job order), and the page
/// cache's records by path.
type Gathered = (
    BTreeMap<usize, Vec<(String, Listed)>>,
    BTreeMap<String, CachedPage>,
);

/// Count what the jobs made and collect their cache records (a kept page keeps its record from
/// the previous build) and, per language, the pages its search index lists, in job order.
fn gather(results: Vec<JobOutput>, mut previous: Cache, out: &mut Rendered) -> Gathered {
    let mut search: BTreeMap<usize, Vec<(String, Listed)>> = BTreeMap::new();
    let mut cached: BTreeMap<String, CachedPage> = BTreeMap::new();
    for r in results {
        match r {
            JobOutput::Done(done) => {
                out.files += done.files;
                out.pages += done.pages;
                out.kept_pages += usize::from(done.kept);
                let Some((path, page)) = done.cache else {
                    continue;
                };
                let Some(page) = page.or_else(|| previous.pages.remove(&path)) else {
                    continue;
                };
                if let Some(listed) = done.search {
                    search
                        .entry(listed.lang)
                        .or_default()
                        .push((path.clone(), listed));
                }
                cached.insert(path, page);
            }
            JobOutput::Failed(d) => out.diagnostics.push(d),
            JobOutput::SinkFailed(e) => {
                if out.error.is_none() {
                    out.error = Some(e);
                }
            }
        }
    }
    (search, cached)
}

/// Every page and file to make, in the order they are queued: the big single pages (graph,
/// timeline, collection lists, data files) first, so that they run alongside the many entry
/// pages instead of after them.
fn job_list(config: &Config, linked: &Linked) -> Vec<Job> {
    let (per_language, once): (Vec<SitePage>, Vec<SitePage>) = SitePage::ALL
        .into_iter()
        .partition(|p| p.route().per_language);
    let mut jobs = Vec::new();
    let timeline_parts = timeline::Plan::new(linked).parts.len();
    for li in 0..config.languages.len() {
        jobs.extend(per_language.iter().map(|p| Job::Site(*p, li)));
        jobs.extend((0..timeline_parts).map(|k| Job::TimelinePart(li, k)));
        jobs.extend((0..config.collections.len()).map(|ci| Job::Collection(li, ci, 1)));
    }
    jobs.extend((0..config.collections.len()).map(Job::Data));
    jobs.extend((0..config.collections.len()).map(Job::Csv));
    jobs.extend(once.iter().map(|p| Job::Site(*p, 0)));
    let pages: Vec<usize> = config
        .collections
        .iter()
        .map(|c| lists::collection_pages(linked, &c.name))
        .collect();
    let backlink_lists: Vec<(usize, usize, usize)> = (0..linked.entries.len())
        .flat_map(|ei| lists::backlink_lists(linked, ei).map(move |(gi, n)| (ei, gi, n)))
        .collect();
    for li in 0..config.languages.len() {
        for (ci, n) in pages.iter().enumerate() {
            jobs.extend((2..=*n).map(|k| Job::Collection(li, ci, k)));
        }
        for (ei, gi, n) in &backlink_lists {
            jobs.extend((1..=*n).map(|k| Job::Backlinks(li, *ei, *gi, k)));
        }
        jobs.extend((0..linked.entries.len()).map(|ei| Job::Entry(li, ei)));
        for (di, d) in linked.docs.iter().enumerate() {
            if matches!(d.kind, SourceKind::Page { .. }) && d.lang.is_none() {
                jobs.push(Job::Page(li, di));
            }
        }
        for (ei, e) in linked.entries.iter().enumerate() {
            jobs.extend((0..e.aliases_ids.len()).map(|k| Job::Redirect(li, ei, k)));
        }
    }
    jobs
}

/// Render only the pages of entry `ei` (one per language) into `sink`, for `serve`'s quick
/// update after an edit of that entry; `prepared` is the last build's, and comes back with the
/// entry's own cards made again. Returns the files written, or `None` when a page could not be
/// made as a full build would make it (a template error, or a link to nothing, which the full
/// build that follows reports).
pub fn render_entry(
    config: &Config,
    linked: &Linked,
    templates: &Templates,
    options: &Options,
    ei: usize,
    prepared: &mut Prepared,
    sink: &dyn Sink,
) -> Option<Vec<String>> {
    let config = &with_base_url(config, options);
    let earlier = std::mem::take(prepared);
    let renderer = Renderer::new(config, linked, templates, options, Some((earlier, ei)));
    let taken = HashSet::new();
    let previous = Cache::default();
    let output = Output {
        sink,
        taken: &taken,
        previous: &previous,
        strict: true,
    };
    let mut files = Some(Vec::new());
    for l in &renderer.langs {
        match renderer.entry(l, ei, &output) {
            JobOutput::Done(done) => {
                if let Some(files) = files.as_mut() {
                    files.extend(done.cache.map(|(path, _)| path));
                }
            }
            JobOutput::Failed(_) | JobOutput::SinkFailed(_) => files = None,
        }
    }
    *prepared = renderer.into_prepared();
    files
}

/// The configuration with the `base_url` this build uses (`serve` replaces it), without a
/// trailing slash.
fn with_base_url(config: &Config, options: &Options) -> Config {
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| config.base_url.clone())
        .trim_end_matches('/')
        .to_string();
    Config {
        base_url,
        ..config.clone()
    }
}

/// The sink, the paths that static files take, and the previous build's page cache.
struct Output<'o> {
    sink: &'o dyn Sink,
    taken: &'o HashSet<&'o str>,
    previous: &'o Cache,
    /// Refuse to emit an entry page with a link or reference to nothing (the quick update of
    /// `serve`, which runs before the link stage has checked the edit).
    strict: bool,
}

impl Output<'_> {
    fn emit(&self, file: OutputFile) -> crate::error::Result<usize> {
        emit(self.sink, self.taken, file)
    }
}

/// Hand a generated file to the sink, unless a static file has its path. Returns the number of
/// files emitted.
fn emit(sink: &dyn Sink, taken: &HashSet<&str>, file: OutputFile) -> crate::error::Result<usize> {
    if taken.contains(file.path.as_str()) {
        return Ok(0);
    }
    sink.put(&file.path, &file.bytes)?;
    Ok(1)
}

/// One page or file to make. Indices point into the site's languages, collections, linked
/// entries and docs; the paths come from [`routes`].
enum Job {
    /// A site page, in the language with this index (0 for the pages made once per site).
    Site(SitePage, usize),
    /// Page `n` (from 1) of a collection's index: language, collection, n.
    Collection(usize, usize, usize),
    /// Page `n` of the list of an entry's long backlink group: language, entry, group, n.
    Backlinks(usize, usize, usize, usize),
    Entry(usize, usize),
    Page(usize, usize),
    /// `/data/<collection>.json` of the collection with this index.
    Data(usize),
    /// `/data/<collection>.csv` of the collection with this index.
    Csv(usize),
    /// The redirect from an entry's old id (language, entry, position in its `aliases_ids`).
    Redirect(usize, usize, usize),
    /// Part `k` of a timeline too long for one page (language, k).
    TimelinePart(usize, usize),
}

enum JobOutput {
    Done(Box<Done>),
    Failed(Diagnostic),
    SinkFailed(crate::error::Error),
}

/// A job that went well: what it emitted and what the site-wide files need from it.
#[derive(Default)]
struct Done {
    files: usize,
    pages: usize,
    /// The page was kept from the previous build.
    kept: bool,
    /// The page's output path and its cache record: `None` for a page kept from the previous
    /// build, whose record carries over.
    cache: Option<(String, Option<CachedPage>)>,
    /// The page's place in its language's search index.
    search: Option<Listed>,
}

/// Whether a job makes a page (as opposed to a data file).
fn is_page(job: &Job) -> bool {
    match job {
        Job::Site(page, _) => page.route().is_page,
        Job::Data(_) | Job::Csv(_) | Job::Redirect(..) => false,
        Job::Collection(..)
        | Job::Backlinks(..)
        | Job::Entry(..)
        | Job::Page(..)
        | Job::TimelinePart(..) => true,
    }
}

/// The fingerprint behind every site-wide page (see `Renderer::site_fp`).
fn site_fingerprint(linked: &Linked, langs: &[LangData]) -> u64 {
    cache::fingerprint(|h| {
        for l in langs {
            (l.fp, &l.card_fp).hash(h);
        }
        for e in linked.entries.iter().chain(&linked.translations) {
            e.digest.hash(h);
        }
        for d in &linked.docs {
            d.digest.hash(h);
        }
        linked.outlinks.hash(h);
    })
}

/// The entries whose cards a page showed (indices into `Linked::entries`), and whether a link
/// or reference of the page pointed at nothing.
#[derive(Default)]
struct Deps {
    used: RefCell<BTreeSet<usize>>,
    missing: std::cell::Cell<bool>,
}

impl Deps {
    fn add(&self, i: usize) {
        self.used.borrow_mut().insert(i);
    }
}

/// A data file's bytes. Serializing plain records cannot fail; if it ever does, that is a bug
/// reported as such, never an empty file.
fn json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, Diagnostic> {
    serde_json::to_vec(value).map_err(|e| internal(&format!("cannot serialize a data file: {e}")))
}

/// A broken invariant of bilat itself (a job naming nothing, a record that cannot be
/// serialized): reported as an error instead of a silently missing or empty page.
fn internal(what: &str) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostics::codes::INTERNAL,
        crate::config::FILE,
        Default::default(),
        format!("internal error: {what}"),
    )
    .with_help(
        "this is a bug in bilat, not in the site: please report it with the site that shows it",
    )
}

/// What `serve` keeps of a build for the quick updates that follow it, per language (in site
/// order): the entry cards (in link order) and the theme with that language's strings.
#[derive(Default)]
pub struct Prepared {
    langs: Vec<(Vec<Card>, Templates)>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prepared({} languages)", self.langs.len())
    }
}

/// Everything computed once per build and shared by all page jobs.
struct Renderer<'a> {
    config: &'a Config,
    linked: &'a Linked,
    templates: &'a Templates,
    /// Fingerprint of everything the site-wide pages and files (lists, timeline, graph, feed,
    /// data files…) can show: every language's base and cards, every entry's and free page's
    /// source, the links. 0 in a quick update, which renders no such page.
    site_fp: u64,
    /// Per language: site context, entry cards, translations by entry index, docs by kind.
    langs: Vec<LangData<'a>>,
    /// The (from, to) links a field makes, made once when a page first needs them.
    field_links: std::sync::OnceLock<HashSet<(usize, usize)>>,
    /// How the timeline is cut into pages, made once when a page first needs it.
    timeline: std::sync::OnceLock<timeline::Plan>,
    /// The social card images, unless site.toml turns them off.
    social: Option<social::Social>,
}

struct LangData<'a> {
    /// Position in the site's languages; 0 is the default.
    index: usize,
    lang: &'a Language,
    /// Where this language's pages live.
    route: LangRoot,
    /// Root-relative prefix of this language's links: base path and language prefix.
    root: String,
    site: SiteCtx,
    /// `site` as a template value, made once: a page's context takes it and sets the only field
    /// that depends on the page, `languages` (each language's URL of this page).
    site_value: tera::Value,
    strings: BTreeMap<String, String>,
    cards: Vec<Card>,
    translation: HashMap<usize, &'a Entry>,
    docs: HashMap<SourceKind, &'a Doc>,
    dates: DateStyle,
    /// The theme, with this language's interface strings (`t`) in its global context.
    templates: Templates,
    /// Fingerprint of everything an entry page of this language reads besides its own entry
    /// and other entries' cards: bilat, site.toml, the theme, the options, the free pages' titles.
    fp: u64,
    /// Fingerprint of each entry's card in this language.
    card_fp: Vec<u64>,
}

impl LangData<'_> {
    /// An interface or site string, or `default` when this language has none.
    fn text(&self, key: &str, default: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }
}

impl<'a> Renderer<'a> {
    /// Everything shared by the pages of a build. `reuse` gives the cards of an earlier build
    /// of the same entries and the one entry that changed since (serve's quick update): only that
    /// entry's cards are made again, and no card fingerprints (the page cache is not used).
    fn new(
        config: &'a Config,
        linked: &'a Linked,
        templates: &'a Templates,
        options: &Options,
        reuse: Option<(Prepared, usize)>,
    ) -> Self {
        let base_path = config.base_path().to_string();
        let mut langs = Vec::new();
        let (mut reused, changed) = match reuse {
            Some((prepared, ei)) if prepared.langs.len() == config.languages.len() => {
                (Some(prepared.langs.into_iter()), Some(ei))
            }
            _ => (None, None),
        };
        // `serve` is a local preview: no page there is shared, and drawing every card would
        // hold up its first page by seconds.
        let social = if options.live_reload {
            None
        } else {
            social::Social::new(config)
        };
        for lang in &config.languages {
            let route = LangRoot::new(&lang.code, &config.default_language);
            let root = route.url(&base_path, "");
            let strings = templates.strings(&lang.code);
            let translation: HashMap<usize, &Entry> = linked
                .translations
                .iter()
                .filter(|t| t.lang.as_deref() == Some(lang.code.as_str()))
                .filter_map(|t| linked.entry_index(&t.collection, &t.id).map(|i| (i, t)))
                .collect();
            let mut docs: HashMap<SourceKind, &Doc> = HashMap::new();
            for d in &linked.docs {
                if d.lang.is_none() || d.lang.as_deref() == Some(lang.code.as_str()) {
                    let replace = d.lang.is_some() || !docs.contains_key(&d.kind);
                    if replace {
                        docs.insert(d.kind.clone(), d);
                    }
                }
            }
            let dates = DateStyle::from_strings(&strings);
            let make = |i: usize, e: &Entry| {
                let shown = translation.get(&i).copied().unwrap_or(e);
                card(config, &strings, &dates, &root, shown, e, &lang.code)
            };
            let earlier = reused
                .as_mut()
                .and_then(Iterator::next)
                .filter(|(c, _)| c.len() == linked.entries.len());
            let (cards, card_fp, localized) = match (earlier, changed) {
                (Some((mut cards, localized)), Some(ei)) => {
                    if let (Some(slot), Some(e)) = (cards.get_mut(ei), linked.entries.get(ei)) {
                        *slot = make(ei, e);
                    }
                    (cards, Vec::new(), localized)
                }
                _ => {
                    let cards: Vec<Card> = linked
                        .entries
                        .par_iter()
                        .enumerate()
                        .map(|(i, e)| make(i, e))
                        .collect();
                    let card_fp = cards
                        .par_iter()
                        .map(|c| cache::fingerprint(|h| c.hash(h)))
                        .collect();
                    (cards, card_fp, templates.localized(&strings))
                }
            };
            let site = site_ctx(config, lang, &strings, &root, &docs, options.live_reload);
            let fp =
                cache::lang_fingerprint(config, linked, templates, options.live_reload, &lang.code);
            // Which cards can be drawn depends on the fonts.
            let fp = social
                .as_ref()
                .map_or(fp, |s| cache::fingerprint(|h| (fp, s.digest()).hash(h)));
            langs.push(LangData {
                site_value: tera::Value::from_serializable(&site),
                templates: localized,
                fp,
                card_fp,
                index: langs.len(),
                lang,
                route,
                root,
                site,
                strings,
                cards,
                translation,
                docs,
                dates,
            });
        }
        let site_fp = if changed.is_some() {
            0
        } else {
            site_fingerprint(linked, &langs)
        };
        Renderer {
            config,
            linked,
            templates,
            site_fp,
            langs,
            field_links: std::sync::OnceLock::new(),
            timeline: std::sync::OnceLock::new(),
            social,
        }
    }

    /// What the next quick update reuses.
    fn into_prepared(self) -> Prepared {
        Prepared {
            langs: self
                .langs
                .into_iter()
                .map(|l| (l.cards, l.templates))
                .collect(),
        }
    }

    /// Run a job. A site-wide page whose inputs match the previous build's is kept from it.
    fn run(&self, job: &Job, output: &Output) -> JobOutput {
        if let Job::Site(SitePage::Sitemap, _) = job {
            return self.sitemap_job(output);
        }
        if let Job::Entry(li, ei) = job {
            return self.langs.get(*li).map_or_else(
                || JobOutput::Failed(internal("a job names no language")),
                |l| self.entry(l, *ei, output),
            );
        }
        let file = self.job_file(job);
        let cached = file
            .as_ref()
            .and_then(|f| Some((f, output.previous.pages.get(f)?)));
        if let Some((file, page)) = cached
            && page.own == self.site_fp
            && output.sink.keep_previous(file, page.len)
        {
            return JobOutput::Done(Box::new(Done {
                files: 1,
                pages: usize::from(is_page(job)),
                kept: is_page(job),
                cache: Some((file.clone(), None)),
                ..Done::default()
            }));
        }
        let made = match self.site_page(job) {
            Some(Ok(made)) => made,
            Some(Err(d)) => return JobOutput::Failed(d),
            None => return JobOutput::Failed(internal("a job names no language")),
        };
        // Recorded in the cache only under the path it was looked up by.
        let record = (file.as_deref() == Some(made.path.as_str())).then(|| {
            let page = CachedPage {
                own: self.site_fp,
                deps: Vec::new(),
                deps_fp: 0,
                len: made.bytes.len() as u64,
                search: None,
                card: None,
            };
            (made.path.clone(), Some(page))
        });
        match output.emit(made) {
            Ok(n) => JobOutput::Done(Box::new(Done {
                files: n,
                pages: if is_page(job) { n } else { 0 },
                cache: record.filter(|_| n == 1),
                ..Done::default()
            })),
            Err(e) => JobOutput::SinkFailed(e),
        }
    }

    /// The sitemap's files (one, or an index and its parts): made in every build, since which
    /// parts there are is known only once they are made.
    fn sitemap_job(&self, output: &Output) -> JobOutput {
        let files = match self.sitemap() {
            Ok(files) => files,
            Err(d) => return JobOutput::Failed(d),
        };
        let mut n = 0;
        for file in files {
            match output.emit(file) {
                Ok(k) => n += k,
                Err(e) => return JobOutput::SinkFailed(e),
            }
        }
        JobOutput::Done(Box::new(Done {
            files: n,
            ..Done::default()
        }))
    }

    /// The output file of a site-wide job (`None` for an entry page, which has its own cache
    /// check), so the previous build's file can be looked up before rendering.
    fn job_file(&self, job: &Job) -> Option<String> {
        let lang = |li: &usize| self.langs.get(*li);
        let collection = |ci: &usize| self.config.collections.get(*ci).map(|c| c.name.as_str());
        match job {
            Job::Entry(..) => None,
            Job::Site(page, li) => {
                let route = page.route();
                if route.per_language {
                    lang(li).map(|l| l.route.file(route.path))
                } else {
                    Some(routes::output_file(route.path))
                }
            }
            Job::Collection(li, ci, n) => {
                let name = collection(ci)?;
                lang(li).map(|l| l.route.file(&routes::collection_page(name, *n)))
            }
            Job::Backlinks(li, ei, gi, n) => {
                let e = self.linked.entries.get(*ei)?;
                let g = self.linked.backlinks.get(*ei)?.get(*gi)?;
                let first = routes::backlinks(&e.collection, &e.id, &g.collection, &g.field);
                lang(li).map(|l| l.route.file(&routes::list_page(&first, *n)))
            }
            Job::Page(li, di) => match &self.linked.docs.get(*di)?.kind {
                SourceKind::Page { id } => lang(li).map(|l| l.route.file(&routes::free_page(id))),
                _ => None,
            },
            Job::Data(ci) => Some(routes::output_file(&routes::data(collection(ci)?))),
            Job::Csv(ci) => Some(routes::output_file(&routes::data_csv(collection(ci)?))),
            Job::Redirect(li, ei, k) => self.redirect_file(*li, *ei, *k),
            Job::TimelinePart(li, k) => {
                let slug = &self.timeline_plan().parts.get(*k)?.slug;
                lang(li).map(|l| l.route.file(&routes::timeline_part(slug)))
            }
        }
    }

    /// Make the file of a site-wide job (`None` for an entry page or a missing language).
    fn site_page(&self, job: &Job) -> Option<Result<OutputFile, Diagnostic>> {
        match job {
            Job::Entry(..) => None,
            Job::Site(page, li) => self.langs.get(*li).map(|l| self.site_page_of(*page, l)),
            Job::Collection(li, ci, n) => self.langs.get(*li).map(|l| self.collection(l, *ci, *n)),
            Job::Backlinks(li, ei, gi, n) => self
                .langs
                .get(*li)
                .map(|l| self.backlink_list(l, *ei, *gi, *n)),
            Job::Page(li, di) => self.langs.get(*li).map(|l| self.page(l, *di)),
            Job::Data(ci) => self.langs.first().map(|l| self.data(l, *ci)),
            Job::Csv(ci) => self.langs.first().map(|l| self.data_csv(l, *ci)),
            Job::Redirect(li, ei, k) => self.redirect(*li, *ei, *k).map(Ok),
            Job::TimelinePart(li, k) => self.langs.get(*li).map(|l| self.timeline_part(l, *k)),
        }
    }

    /// The base context of a page at `path` (root-relative, without the language prefix).
    /// The context of a site page described as a plain schema.org `WebPage` named `title`.
    fn web_page_context(&self, l: &LangData<'a>, page: SitePage, title: &str) -> Context {
        let route = page.route();
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": title});
        self.context(l, route.kind, route.path, title, "", jsonld)
    }

    fn context(
        &self,
        l: &LangData<'a>,
        kind: &'static str,
        path: &str,
        title: &str,
        description: &str,
        jsonld: serde_json::Value,
    ) -> Context {
        self.context_with(l, kind, path, (title, description), jsonld, None)
    }

    /// [`Self::context`] of a page with a social card image.
    fn context_with(
        &self,
        l: &LangData<'a>,
        kind: &'static str,
        path: &str,
        (title, description): (&str, &str),
        jsonld: serde_json::Value,
        image: Option<ImageCtx>,
    ) -> Context {
        let base_path = self.config.base_path();
        // The 404 page exists once, not per language: it offers each language's home instead.
        let lang_path = if kind == "404" { "/" } else { path };
        let languages: Vec<LangLink> = self
            .config
            .languages
            .iter()
            .map(|other| {
                let url = LangRoot::new(&other.code, &self.config.default_language)
                    .url(base_path, lang_path);
                LangLink {
                    code: other.code.clone(),
                    locale: other.locale.clone(),
                    dir: direction(self.config, &other.code),
                    name: other.name.clone(),
                    permalink: format!("{}{url}", origin(&self.config.base_url, base_path)),
                    url,
                    current: other.code == l.lang.code,
                }
            })
            .collect();
        let mut site = l.site_value.clone().into_map().unwrap_or_default();
        site.insert(
            tera::value::Key::from("languages"),
            tera::Value::from_serializable(&languages),
        );
        let url = format!("{}{path}", l.root);
        let permalink = format!(
            "{}{}{path}",
            origin(&self.config.base_url, base_path),
            l.root
        );
        let url_of_page = permalink.clone();
        let page = PageCtx {
            kind,
            title: title.to_string(),
            description: if description.is_empty() {
                self.config.description.clone()
            } else {
                description.to_string()
            },
            url,
            permalink,
            og_type: if kind == "entry" {
                "article"
            } else {
                "website"
            },
            jsonld: page_jsonld(jsonld, &l.lang.code, &url_of_page),
            path: path.to_string(),
            image,
        };
        let mut ctx = Context::new();
        ctx.insert_value("site", tera::Value::from(site));
        ctx.insert("page", &page);
        ctx
    }

    fn page_file(
        &self,
        l: &LangData<'a>,
        path: &str,
        template: &str,
        ctx: &Context,
    ) -> Result<OutputFile, Diagnostic> {
        let html = l.templates.render(template, ctx)?;
        Ok(OutputFile {
            path: self.file_of(l, path),
            bytes: html.into_bytes(),
        })
    }

    /// The output file of the page at `path` (root-relative, without the language prefix).
    fn file_of(&self, l: &LangData<'a>, path: &str) -> String {
        l.route.file(path)
    }

    /// Resolves wikilink targets to URLs and titles, noting the entries it used in `deps`.
    fn resolver<'s>(
        &'s self,
        l: &'s LangData<'a>,
        deps: &'s Deps,
    ) -> impl Fn(&str) -> Option<LinkTarget> + 's {
        move |target: &str| match self.linked.target(target) {
            Some(Node::Entry(i)) => l.cards.get(i).map(|c| {
                deps.add(i);
                LinkTarget {
                    url: c.url.clone(),
                    title: c.title.clone(),
                }
            }),
            Some(Node::Doc(d)) => self.linked.docs.get(d).map(|doc| LinkTarget {
                url: self.doc_url(l, doc),
                title: doc.title.clone(),
            }),
            None => {
                deps.missing.set(true);
                None
            }
        }
    }

    fn doc_url(&self, l: &LangData<'a>, doc: &Doc) -> String {
        let path = match &doc.kind {
            SourceKind::Home => SitePage::Home.route().path.to_string(),
            SourceKind::CollectionIndex { collection } => routes::collection(collection),
            SourceKind::Page { id } => routes::free_page(id),
            SourceKind::Entry { collection, id } => routes::entry(collection, id),
        };
        format!("{}{path}", l.root)
    }

    /// A free page's or landing text's body, its wikilinks filled in for `l`.
    fn doc_html(&self, l: &LangData<'a>, doc: &Doc, deps: &Deps) -> String {
        let compiled = markup::compile(doc.body(), self.config.trusted_html);
        compiled
            .fill_at(&self.resolver(l, deps), self.config.base_path())
            .html
    }
}

/// What every page of one language shares: the site's title and description (the home page's
/// translation may replace them), its links and navigation.
fn site_ctx(
    config: &Config,
    lang: &Language,
    strings: &BTreeMap<String, String>,
    root: &str,
    docs: &HashMap<SourceKind, &Doc>,
    live_reload: bool,
) -> SiteCtx {
    let base_path = config.base_path();
    let home = docs.get(&SourceKind::Home).filter(|d| d.lang.is_some());
    SiteCtx {
        title: home.map_or(config.title.clone(), |d| d.title.clone()),
        description: home
            .and_then(|d| d.description.clone())
            .unwrap_or_else(|| config.description.clone()),
        base_url: config.base_url.clone(),
        root: root.to_string(),
        assets: format!("{base_path}{}", routes::ASSETS),
        lang: lang.code.clone(),
        locale: lang.locale.clone(),
        dir: if lang.rtl { "rtl" } else { "ltr" },
        parties: config.parties.clone(),
        nav: config
            .collections
            .iter()
            .map(|c| Link {
                title: strings
                    .get(&format!("collection_{}", c.name))
                    .cloned()
                    .unwrap_or_else(|| c.title.clone()),
                url: format!("{root}{}", routes::collection(&c.name)),
                name: c.name.clone(),
            })
            .collect(),
        pages: routes::nav_pages()
            .filter_map(|(_, r)| Some((r, r.nav_title?)))
            .map(|(r, (key, default))| Link {
                title: strings
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| default.to_string()),
                url: format!("{root}{}", r.path),
                name: r.kind.to_string(),
            })
            .collect(),
        languages: Vec::new(),
        home_url: format!("{root}{}", SitePage::Home.route().path),
        timeline_url: format!("{root}{}", SitePage::Timeline.route().path),
        graph_url: format!("{root}{}", SitePage::Graph.route().path),
        search_url: format!("{root}{}", SitePage::Search.route().path),
        feed_url: format!("{root}{}", SitePage::Feed.route().path),
        dictionary_url: format!("{root}{}", SitePage::Dictionary.route().path),
        data_url: format!("{base_path}{}", routes::DATA_DIR),
        live_reload,
    }
}

fn card(
    config: &Config,
    strings: &BTreeMap<String, String>,
    dates: &DateStyle,
    root: &str,
    shown: &Entry,
    original: &Entry,
    page_lang: &str,
) -> Card {
    let collection = config.collection(&original.collection);
    let written_in = |e: &Entry| {
        e.lang
            .clone()
            .unwrap_or_else(|| config.default_language.clone())
    };
    let summary_from = if shown.summary.is_some() {
        shown
    } else {
        original
    };
    let singular = collection.map_or(String::new(), |c| c.singular.clone());
    Card {
        title: shown.title.clone(),
        url: format!(
            "{root}{}",
            routes::entry(&original.collection, &original.id)
        ),
        kind: strings
            .get(&format!("singular_{}", original.collection))
            .cloned()
            .unwrap_or(singular),
        collection: original.collection.clone(),
        date: original
            .date
            .map(|d| dates.range(&d, original.end_date.as_ref())),
        // As written (`2025`, `2025-02`, `2025-02-04`): a valid HTML `datetime`, and as a string it
        // sorts like the date, a partial date before the full dates of its period.
        sort_date: original.date.map(|d| d.to_string()),
        summary: summary_from.summary.clone(),
        lang: text_lang(config, &written_in(shown), page_lang),
        summary_lang: summary_from
            .summary
            .as_ref()
            .and_then(|_| text_lang(config, &written_in(summary_from), page_lang)),
        hue: config
            .collections
            .iter()
            .position(|c| c.name == original.collection)
            .unwrap_or(0)
            % PALETTE,
    }
}

/// The language and direction of a text written in `code`, when that is not the page's language.
fn text_lang(config: &Config, code: &str, page_lang: &str) -> Option<TextLang> {
    (code != page_lang).then(|| TextLang {
        code: code.to_string(),
        dir: direction(config, code),
    })
}

/// The writing direction of a language of the site (`ltr` for one it does not declare).
fn direction(config: &Config, code: &str) -> &'static str {
    if config.language(code).is_some_and(|l| l.rtl) {
        "rtl"
    } else {
        "ltr"
    }
}

/// A page's JSON-LD, with its language and URL: empty (no script element) when the page has
/// nothing to say.
fn page_jsonld(mut jsonld: serde_json::Value, lang: &str, permalink: &str) -> String {
    let Some(map) = jsonld.as_object_mut().filter(|m| !m.is_empty()) else {
        return String::new();
    };
    map.entry("inLanguage")
        .or_insert_with(|| serde_json::json!(lang));
    map.entry("url")
        .or_insert_with(|| serde_json::json!(permalink));
    safe_json(&jsonld)
}

/// The base URL without its path (`https://example.org/pk-cn` → `https://example.org`): what a
/// root-relative URL, which carries the base path already, is made absolute with.
fn origin<'u>(base_url: &'u str, base_path: &str) -> &'u str {
    base_url.strip_suffix(base_path).unwrap_or(base_url)
}

/// JSON for a `<script type="application/ld+json">`: `<` escaped so no `</script>` can close it.
fn safe_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

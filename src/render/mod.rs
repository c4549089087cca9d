//! Stage 5, render: turn the linked site into output files — every page through the theme's Tera
//! templates, plus the feed, sitemap, search index and data files.
//!
//! Per-language site context and entry cards are computed once; pages are then rendered in
//! parallel with rayon and collected in a fixed order, so the output never depends on scheduling.

mod cache;
mod data;
mod dates;
mod graph;
pub mod highlight;
pub mod markdown;
mod model;
mod sink;
pub mod strings;
pub mod templates;

use crate::config::{Collection, Config, Language};
use crate::diagnostics::Diagnostic;
use crate::link::{Linked, Node};
use crate::validate::{Doc, Entry, Value};
use crate::walk::{SourceKind, StaticFile};
use cache::{Cache, CachedPage};
use dates::DateStyle;
use markdown::LinkTarget;
use model::*;
use rayon::prelude::*;
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
    pub error: Option<anyhow::Error>,
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
    previous: Cache,
) -> Rendered {
    let config = &with_base_url(config, options);
    // The big single pages (graph, timeline, collection lists, data files) first, so that they
    // run alongside the many entry pages instead of after them.
    let mut jobs = Vec::new();
    for li in 0..config.languages.len() {
        jobs.extend([Job::Graph(li), Job::Timeline(li)]);
        jobs.extend((0..config.collections.len()).map(|ci| Job::Collection(li, ci)));
        jobs.extend([Job::Home(li), Job::Search(li)]);
    }
    jobs.push(Job::GraphData);
    jobs.extend((0..config.collections.len()).map(Job::Data));
    jobs.extend([Job::Feed, Job::Sitemap, Job::NotFound, Job::Robots]);
    for li in 0..config.languages.len() {
        jobs.extend((0..linked.entries.len()).map(|ei| Job::Entry(li, ei)));
        for (di, d) in linked.docs.iter().enumerate() {
            if matches!(d.kind, SourceKind::Page { .. }) && d.lang.is_none() {
                jobs.push(Job::Page(li, di));
            }
        }
    }

    // Later sources win: site static/ over theme assets over generated files of the same path.
    let site_statics: HashSet<&str> = statics.iter().map(|s| s.rel.as_str()).collect();
    let theme_statics: Vec<&(String, Vec<u8>)> = templates
        .static_files()
        .iter()
        .filter(|(path, _)| !site_statics.contains(path.as_str()))
        .collect();
    let mut taken = site_statics.clone();
    taken.extend(theme_statics.iter().map(|(p, _)| p.as_str()));
    taken.insert(cache::FILE);

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
    let prepared = renderer.into_prepared();

    let mut out = Rendered {
        prepared,
        ..Rendered::default()
    };
    let mut previous = previous;
    // Search records stay in the page records: the index lists them by page, in job order.
    let mut search: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut cached: BTreeMap<String, CachedPage> = BTreeMap::new();
    let fail = |out: &mut Rendered, e: anyhow::Error| {
        if out.error.is_none() {
            out.error = Some(e);
        }
    };
    for r in results {
        match r {
            JobOutput::Done(done) => {
                out.files += done.files;
                out.pages += done.pages;
                out.kept_pages += usize::from(done.kept);
                let Some((path, page)) = done.cache else {
                    continue;
                };
                // A kept page keeps its record from the previous build.
                let Some(page) = page.or_else(|| previous.pages.remove(&path)) else {
                    continue;
                };
                if let Some(li) = done.search_lang {
                    search.entry(li).or_default().push(path.clone());
                }
                cached.insert(path, page);
            }
            JobOutput::Failed(d) => out.diagnostics.push(d),
            JobOutput::SinkFailed(e) => fail(&mut out, e),
        }
    }
    drop(previous);
    // The search indexes and the page cache are the largest files: made and written in parallel.
    let search_files: Vec<(String, Vec<&SearchRecord>)> = search
        .into_iter()
        .filter_map(|(li, pages)| {
            let prefix = lang_prefix(config, config.languages.get(li)?);
            let path = match prefix.trim_start_matches('/') {
                "" => "search/index.json".to_string(),
                dir => format!("{dir}/search/index.json"),
            };
            let records = pages
                .iter()
                .filter_map(|p| cached.get(p)?.search.as_ref())
                .collect();
            Some((path, records))
        })
        .collect();
    let keep_cache = out.diagnostics.is_empty();
    let (searched, cache_written) = rayon::join(
        || {
            search_files
                .into_par_iter()
                .map(|(path, records)| {
                    let bytes = json_bytes(&records);
                    emit(sink, &taken, OutputFile { path, bytes })
                })
                .collect::<Vec<_>>()
        },
        || keep_cache.then(|| sink.put(cache::FILE, &Cache::bytes_of(&cached))),
    );
    for result in searched
        .into_iter()
        .chain(cache_written.map(|r| r.map(|()| 1)))
    {
        match result {
            Ok(n) => out.files += n,
            Err(e) => fail(&mut out, e),
        }
    }
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
    out.diagnostics
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out.diagnostics.dedup();
    out
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
    fn emit(&self, file: OutputFile) -> anyhow::Result<usize> {
        emit(self.sink, self.taken, file)
    }
}

/// Hand a generated file to the sink, unless a static file has its path. Returns the number of
/// files emitted.
fn emit(sink: &dyn Sink, taken: &HashSet<&str>, file: OutputFile) -> anyhow::Result<usize> {
    if taken.contains(file.path.as_str()) {
        return Ok(0);
    }
    sink.put(&file.path, &file.bytes)?;
    Ok(1)
}

enum Job {
    Home(usize),
    Collection(usize, usize),
    Entry(usize, usize),
    Page(usize, usize),
    Timeline(usize),
    Graph(usize),
    Search(usize),
    NotFound,
    Feed,
    Sitemap,
    Robots,
    /// `/data/<collection>.json` of the collection with this index.
    Data(usize),
    GraphData,
}

enum JobOutput {
    Done(Box<Done>),
    Failed(Diagnostic),
    SinkFailed(anyhow::Error),
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
    /// The language whose search index lists this page (its record is in the cache record).
    search_lang: Option<usize>,
    /// Length of the one file a site-wide job emitted (what its cache record needs).
    len: Option<u64>,
}

/// Whether a job makes a page (as opposed to a data file).
fn is_page(job: &Job) -> bool {
    !matches!(job, Job::Data(_) | Job::GraphData)
}

/// The fingerprint behind every site-wide page (see `Renderer::site_fp`).
fn site_fingerprint(linked: &Linked, langs: &[LangData]) -> u64 {
    let sources: Vec<u64> = linked
        .entries
        .par_iter()
        .chain(linked.translations.par_iter())
        .map(|e| cache::fingerprint(|h| (&e.collection, &e.id, &e.lang, &e.file, &e.text).hash(h)))
        .collect();
    cache::fingerprint(|h| {
        for l in langs {
            (l.fp, &l.card_fp).hash(h);
        }
        sources.hash(h);
        for d in &linked.docs {
            (&d.file, &d.kind, &d.lang, &d.text).hash(h);
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

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub(crate) struct SearchRecord {
    t: String,
    u: String,
    k: String,
    d: Option<String>,
    s: Option<String>,
    x: String,
}

fn lang_prefix(config: &Config, lang: &Language) -> String {
    if lang.code == config.default_language {
        String::new()
    } else {
        format!("/{}", lang.code)
    }
}

fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
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
}

struct LangData<'a> {
    /// Position in the site's languages; 0 is the default.
    index: usize,
    lang: &'a Language,
    root: String,
    site: SiteCtx,
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
        for lang in &config.languages {
            let root = format!("{base_path}{}", lang_prefix(config, lang));
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
                card(config, &strings, &dates, &root, shown, e)
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
            let home = docs.get(&SourceKind::Home).filter(|d| d.lang.is_some());
            let site = SiteCtx {
                title: home.map_or(config.title.clone(), |d| d.title.clone()),
                description: home
                    .and_then(|d| d.description.clone())
                    .unwrap_or_else(|| config.description.clone()),
                base_url: config.base_url.clone(),
                root: root.clone(),
                assets: format!("{base_path}/assets"),
                lang: lang.code.clone(),
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
                        url: format!("{root}/{}/", c.name),
                        name: c.name.clone(),
                    })
                    .collect(),
                languages: Vec::new(),
                home_url: format!("{root}/"),
                timeline_url: format!("{root}/timeline/"),
                graph_url: format!("{root}/graph/"),
                search_url: format!("{root}/search/"),
                feed_url: format!("{base_path}/feed.xml"),
                data_url: format!("{base_path}/data/"),
                live_reload: options.live_reload,
            };
            let fp = cache::fingerprint(|h| {
                format!("{config:?}").hash(h);
                templates.digest().hash(h);
                options.live_reload.hash(h);
                lang.code.hash(h);
                for d in &linked.docs {
                    (&d.file, &d.kind, &d.lang, &d.title).hash(h);
                }
            });
            langs.push(LangData {
                templates: localized,
                fp,
                card_fp,
                index: langs.len(),
                lang,
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
        match self.render_job(job, output) {
            JobOutput::Done(mut done) => {
                if let (Some(file), Some(len)) = (file, done.len.take()) {
                    let page = CachedPage {
                        own: self.site_fp,
                        deps: Vec::new(),
                        deps_fp: 0,
                        len,
                        search: None,
                    };
                    done.cache = Some((file, Some(page)));
                }
                JobOutput::Done(done)
            }
            other => other,
        }
    }

    /// The output file of a site-wide job (`None` for an entry page, which has its own cache
    /// check), so the previous build's file can be looked up before rendering.
    fn job_file(&self, job: &Job) -> Option<String> {
        let lang = |li: &usize| self.langs.get(*li);
        let collection = |ci: &usize| self.config.collections.get(*ci).map(|c| c.name.as_str());
        match job {
            Job::Entry(..) => None,
            Job::Home(li) => lang(li).map(|l| self.file_of(l, "/")),
            Job::Collection(li, ci) => {
                let name = collection(ci)?;
                lang(li).map(|l| self.file_of(l, &format!("/{name}/")))
            }
            Job::Page(li, di) => match &self.linked.docs.get(*di)?.kind {
                SourceKind::Page { id } => lang(li).map(|l| self.file_of(l, &format!("/{id}/"))),
                _ => None,
            },
            Job::Timeline(li) => lang(li).map(|l| self.file_of(l, "/timeline/")),
            Job::Graph(li) => lang(li).map(|l| self.file_of(l, "/graph/")),
            Job::Search(li) => lang(li).map(|l| self.file_of(l, "/search/")),
            Job::NotFound => Some("404.html".into()),
            Job::Feed => Some("feed.xml".into()),
            Job::Sitemap => Some("sitemap.xml".into()),
            Job::Robots => Some("robots.txt".into()),
            Job::Data(ci) => Some(format!("data/{}.json", collection(ci)?)),
            Job::GraphData => Some("data/graph.json".into()),
        }
    }

    fn render_job(&self, job: &Job, output: &Output) -> JobOutput {
        let lang = |li: &usize| self.langs.get(*li);
        let result = match job {
            Job::Home(li) => lang(li).map(|l| self.home(l)),
            Job::Collection(li, ci) => lang(li).map(|l| self.collection(l, *ci)),
            Job::Entry(li, ei) => {
                return lang(li).map_or(JobOutput::Done(Box::default()), |l| {
                    self.entry(l, *ei, output)
                });
            }
            Job::Page(li, di) => lang(li).map(|l| self.page(l, *di)),
            Job::Timeline(li) => lang(li).map(|l| self.timeline(l)),
            Job::Graph(li) => lang(li).map(|l| self.graph(l)),
            Job::Search(li) => lang(li).map(|l| self.search(l)),
            Job::NotFound => self.langs.first().map(|l| self.not_found(l)),
            Job::Feed => self.langs.first().map(|l| self.feed(l)),
            Job::Sitemap => Some(self.sitemap()),
            Job::Robots => Some(self.robots()),
            Job::Data(ci) => self.langs.first().map(|l| self.data(l, *ci)),
            Job::GraphData => self.langs.first().map(|l| Ok(self.graph_data(l))),
        };
        match result {
            Some(Ok(file)) => {
                let len = file.bytes.len() as u64;
                let cacheable = self.job_file(job).as_deref() == Some(file.path.as_str());
                match output.emit(file) {
                    Ok(n) => JobOutput::Done(Box::new(Done {
                        files: n,
                        pages: if is_page(job) { n } else { 0 },
                        len: (n == 1 && cacheable).then_some(len),
                        ..Done::default()
                    })),
                    Err(e) => JobOutput::SinkFailed(e),
                }
            }
            Some(Err(d)) => JobOutput::Failed(d),
            None => JobOutput::Done(Box::default()),
        }
    }

    /// The base context of a page at `path` (root-relative, without the language prefix).
    fn context(
        &self,
        l: &LangData<'a>,
        kind: &'static str,
        path: &str,
        title: &str,
        description: &str,
        jsonld: serde_json::Value,
    ) -> Context {
        let base_path = self.config.base_path();
        let mut site = l.site.clone();
        // The 404 page exists once, not per language: it offers each language's home instead.
        let lang_path = if kind == "404" { "/" } else { path };
        site.languages = self
            .config
            .languages
            .iter()
            .map(|other| LangLink {
                code: other.code.clone(),
                name: other.name.clone(),
                url: format!("{base_path}{}{lang_path}", lang_prefix(self.config, other)),
                current: other.code == l.lang.code,
            })
            .collect();
        let url = format!("{}{path}", l.root);
        let permalink = format!(
            "{}{}{path}",
            self.config.base_url.trim_end_matches(base_path),
            l.root
        );
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
            jsonld: safe_json(&jsonld),
            path: path.to_string(),
        };
        let mut ctx = Context::new();
        ctx.insert("site", &site);
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
        let rel = format!("{}{path}", lang_prefix(self.config, l.lang));
        if rel.ends_with('/') {
            format!("{}index.html", rel.trim_start_matches('/'))
        } else {
            rel.trim_start_matches('/').to_string()
        }
    }

    /// Resolves wikilink targets to URLs and titles, noting the entries it used in `deps`.
    fn resolver<'s>(
        &'s self,
        l: &'s LangData<'a>,
        deps: &'s Deps,
    ) -> impl Fn(&str) -> Option<LinkTarget> + 's {
        move |target: &str| match self.linked.resolve(self.config, target) {
            Ok(Node::Entry(i)) => l.cards.get(i).map(|c| {
                deps.add(i);
                LinkTarget {
                    url: c.url.clone(),
                    title: c.title.clone(),
                }
            }),
            Ok(Node::Doc(d)) => self.linked.docs.get(d).map(|doc| LinkTarget {
                url: self.doc_url(l, doc),
                title: doc.title.clone(),
            }),
            Err(_) => {
                deps.missing.set(true);
                None
            }
        }
    }

    fn doc_url(&self, l: &LangData<'a>, doc: &Doc) -> String {
        let root = &l.root;
        match &doc.kind {
            SourceKind::Home => format!("{root}/"),
            SourceKind::CollectionIndex { collection } => format!("{root}/{collection}/"),
            SourceKind::Page { id } => format!("{root}/{id}/"),
            SourceKind::Entry { collection, id } => format!("{root}/{collection}/{id}/"),
        }
    }

    fn markdown(&self, l: &LangData<'a>, text: &str, deps: &Deps) -> String {
        markdown::to_html(text, self.config.trusted_html, &self.resolver(l, deps))
    }

    fn home(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let doc = l.docs.get(&SourceKind::Home);
        let title = doc.map_or(self.config.title.clone(), |d| d.title.clone());
        let description = doc.and_then(|d| d.description.clone()).unwrap_or_default();
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "WebSite", "name": title, "url": format!("{}/", self.config.base_url), "description": self.config.description});
        let mut ctx = self.context(l, "home", "/", &title, &description, jsonld);
        ctx.insert(
            "body",
            &doc.map(|d| self.markdown(l, d.body(), &Deps::default()))
                .unwrap_or_default(),
        );
        let mut recent: Vec<&Card> = l.cards.iter().filter(|c| c.sort_date.is_some()).collect();
        recent.sort_by(|a, b| {
            b.sort_date
                .cmp(&a.sort_date)
                .then_with(|| a.title.cmp(&b.title))
        });
        recent.truncate(8);
        ctx.insert("recent", &recent);
        let counts: Vec<serde_json::Value> = self
            .config
            .collections
            .iter()
            .zip(&l.site.nav)
            .map(|(c, link)| serde_json::json!({"title": link.title, "url": link.url, "name": c.name, "count": self.linked.entries.iter().filter(|e| e.collection == c.name).count()}))
            .collect();
        ctx.insert("collections", &counts);
        self.page_file(l, "/", "index.html", &ctx)
    }

    fn collection(&self, l: &LangData<'a>, ci: usize) -> Result<OutputFile, Diagnostic> {
        let (Some(c), Some(nav)) = (self.config.collections.get(ci), l.site.nav.get(ci)) else {
            return Err(Diagnostic::error(
                crate::config::FILE,
                Default::default(),
                "no such collection",
            ));
        };
        let title = nav.title.clone();
        let path = format!("/{}/", c.name);
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": title});
        let mut ctx = self.context(l, "collection", &path, &title, "", jsonld);
        let doc = l.docs.get(&SourceKind::CollectionIndex {
            collection: c.name.clone(),
        });
        ctx.insert(
            "body",
            &doc.map(|d| self.markdown(l, d.body(), &Deps::default()))
                .unwrap_or_default(),
        );
        let mut items: Vec<&Card> = self
            .linked
            .entries
            .iter()
            .zip(&l.cards)
            .filter(|(e, _)| e.collection == c.name)
            .map(|(_, card)| card)
            .collect();
        let groups = if c.date_field.is_some() {
            items.sort_by(|a, b| {
                b.sort_date
                    .cmp(&a.sort_date)
                    .then_with(|| a.title.cmp(&b.title))
            });
            group_by(&items, |card| {
                card.sort_date
                    .as_deref()
                    .map_or(String::new(), |d| d.chars().take(4).collect())
            })
        } else {
            items.sort_by_key(|c| c.title.to_lowercase());
            group_by(&items, |card| {
                card.title
                    .chars()
                    .next()
                    .map(|ch| ch.to_uppercase().to_string())
                    .unwrap_or_default()
            })
        };
        ctx.insert("collection", &serde_json::json!({"name": c.name, "title": title, "singular": l.text(&format!("singular_{}", c.name), &c.singular), "dated": c.date_field.is_some(), "count": items.len()}));
        ctx.insert("groups", &groups);
        self.page_file(l, &path, "collection.html", &ctx)
    }

    /// An entry's page, or the previous build's file of it when nothing it shows has changed.
    fn entry(&self, l: &LangData<'a>, ei: usize, output: &Output) -> JobOutput {
        let (Some(original), Some(card)) = (self.linked.entries.get(ei), l.cards.get(ei)) else {
            return JobOutput::Done(Box::default());
        };
        let path = format!("/{}/{}/", original.collection, original.id);
        let file = self.file_of(l, &path);
        if output.taken.contains(file.as_str()) {
            return JobOutput::Done(Box::default());
        }
        let own = self.entry_fp(l, ei);
        if let Some(page) = output.previous.pages.get(&file)
            && page.own == own
            && self.deps_fp(l, &page.deps) == Some(page.deps_fp)
            && output.sink.keep_previous(&file, page.len)
        {
            return JobOutput::Done(Box::new(Done {
                files: 1,
                pages: 1,
                kept: true,
                cache: Some((file, None)),
                search_lang: page.search.is_some().then_some(l.index),
                len: None,
            }));
        }
        let deps = Deps::default();
        let shown = l.translation.get(&ei).copied().unwrap_or(original);
        // A translation without a body shows the original's text, marked as untranslated.
        let text_entry = if shown.body().trim().is_empty() {
            original
        } else {
            shown
        };
        let Some(collection) = self.config.collection(&original.collection) else {
            return JobOutput::Done(Box::default());
        };
        let resolve = self.resolver(l, &deps);
        let markdown::Rendered { html: body, plain } =
            markdown::render(text_entry.body(), self.config.trusted_html, &resolve);
        let field = |name: &str| shown.field(name).or_else(|| original.field(name));
        let infobox = self.infobox(l, collection, &field, &deps);
        let sources_entry = if shown.sources().is_empty() {
            original
        } else {
            shown
        };
        let sources = sources_entry
            .sources()
            .iter()
            .enumerate()
            .map(|(i, s)| SourceCtx {
                n: i + 1,
                title: s.title.clone(),
                url: s.url.clone(),
                publisher: s.publisher.clone(),
                date: s.date.map(|d| l.dates.words(&d)),
            })
            .collect();
        let related = self
            .linked
            .backlinks
            .get(ei)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|g| Group {
                id: markdown::slug(&g.label),
                label: l
                    .strings
                    .get(&format!("backlink_{}", markdown::slug(&g.label)))
                    .cloned()
                    .unwrap_or_else(|| g.label.clone()),
                items: g
                    .from
                    .iter()
                    .filter_map(|f| {
                        deps.add(*f);
                        l.cards.get(*f)
                    })
                    .collect(),
            })
            .collect();
        // Mentions in this page's language replace the default-language ones from the same page.
        let lang = (l.index > 0).then_some(l.lang.code.as_str());
        let all = self
            .linked
            .mentions
            .get(ei)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let translated: std::collections::HashSet<Node> = all
            .iter()
            .filter(|m| lang.is_some() && m.lang.as_deref() == lang)
            .map(|m| m.from)
            .collect();
        let mentions = all
            .iter()
            .filter(|m| match m.lang.as_deref() {
                Some(code) => Some(code) == lang,
                None => !translated.contains(&m.from),
            })
            .filter_map(|m| {
                let from = match m.from {
                    Node::Entry(f) => {
                        deps.add(f);
                        std::borrow::Cow::Borrowed(l.cards.get(f)?)
                    }
                    Node::Doc(d) => {
                        let doc = self.linked.docs.get(d)?;
                        let shown = l.docs.get(&doc.kind).copied().unwrap_or(doc);
                        std::borrow::Cow::Owned(Card {
                            title: shown.title.clone(),
                            url: self.doc_url(l, doc),
                            kind: String::new(),
                            collection: String::new(),
                            date: None,
                            sort_date: None,
                            summary: None,
                        })
                    }
                };
                Some(MentionCtx {
                    from,
                    before: m.before.clone(),
                    text: m.text.clone(),
                    after: m.after.clone(),
                })
            })
            .collect();
        let content_lang = shown
            .lang
            .clone()
            .unwrap_or_else(|| self.config.default_language.clone());
        let content_rtl = self.config.language(&content_lang).is_some_and(|x| x.rtl);
        let entry = EntryCtx {
            collection: l
                .site
                .nav
                .iter()
                .find(|n| n.name == collection.name)
                .cloned()
                .unwrap_or(Link {
                    title: collection.title.clone(),
                    url: String::new(),
                    name: collection.name.clone(),
                }),
            singular: l.text(
                &format!("singular_{}", collection.name),
                &collection.singular,
            ),
            id: original.id.clone(),
            title: card.title.clone(),
            dates: original
                .date
                .map(|d| l.dates.range(&d, original.end_date.as_ref())),
            summary: card.summary.clone(),
            infobox,
            body,
            sources,
            related,
            mentions,
            translated: text_entry.lang.is_some() || l.index == 0,
            content_dir: if content_rtl { "rtl" } else { "ltr" },
            content_lang,
            source_file: text_entry.file.clone(),
        };
        let jsonld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": collection.schema_type,
            "name": card.title,
            "url": format!("{}{}", self.config.base_url.trim_end_matches(self.config.base_path()), card.url),
            "description": card.summary,
            "startDate": original.date.map(|d| d.to_string()),
            "endDate": original.end_date.map(|d| d.to_string()),
        });
        let jsonld = without_nulls(jsonld);
        let description = card
            .summary
            .clone()
            .unwrap_or_else(|| truncate_words(&plain, 30));
        let mut ctx = self.context(l, "entry", &path, &card.title, &description, jsonld);
        ctx.insert("entry", &entry);
        let page = match self.page_file(l, &path, "entry.html", &ctx) {
            Ok(page) => page,
            Err(d) => return JobOutput::Failed(d),
        };
        if output.strict && deps.missing.get() {
            return JobOutput::Failed(Diagnostic::error(
                &original.file,
                Default::default(),
                "a link or reference points at nothing",
            ));
        }
        if let Err(e) = output.sink.put(&page.path, &page.bytes) {
            return JobOutput::SinkFailed(e);
        }
        let record = SearchRecord {
            t: card.title.clone(),
            u: card.url.clone(),
            k: card.kind.clone(),
            d: card.date.clone(),
            s: card.summary.clone(),
            x: truncate_chars(&plain, 1500),
        };
        let used: Vec<usize> = deps.used.borrow().iter().copied().collect();
        let deps: Vec<String> = used
            .into_iter()
            .filter_map(|i| self.linked.entries.get(i))
            .map(|e| format!("{}/{}", e.collection, e.id))
            .collect();
        let cached = CachedPage {
            own,
            deps_fp: self.deps_fp(l, &deps).unwrap_or_default(),
            deps,
            len: page.bytes.len() as u64,
            search: Some(record),
        };
        JobOutput::Done(Box::new(Done {
            files: 1,
            pages: 1,
            kept: false,
            cache: Some((page.path, Some(cached))),
            search_lang: Some(l.index),
            len: None,
        }))
    }

    /// Fingerprint of what entry `ei`'s page reads besides other entries' cards.
    fn entry_fp(&self, l: &LangData<'a>, ei: usize) -> u64 {
        let node_key = |n: &Node| match n {
            Node::Entry(i) => self
                .linked
                .entries
                .get(*i)
                .map(|e| (&e.collection, &e.id, "")),
            Node::Doc(d) => self.linked.docs.get(*d).map(|d| (&d.file, &d.title, "doc")),
        };
        cache::fingerprint(|h| {
            l.fp.hash(h);
            let original = self.linked.entries.get(ei);
            for e in [original, l.translation.get(&ei).copied()]
                .into_iter()
                .flatten()
            {
                (&e.file, &e.lang, &e.text).hash(h);
            }
            for g in self.linked.backlinks.get(ei).into_iter().flatten() {
                g.label.hash(h);
                for f in &g.from {
                    node_key(&Node::Entry(*f)).hash(h);
                }
            }
            for m in self.linked.mentions.get(ei).into_iter().flatten() {
                node_key(&m.from).hash(h);
                (&m.lang, &m.before, &m.text, &m.after).hash(h);
            }
        })
    }

    /// Fingerprint of the cards of the entries with these keys (`collection/id`); `None` when
    /// one no longer exists.
    fn deps_fp(&self, l: &LangData<'a>, keys: &[String]) -> Option<u64> {
        let mut fps = Vec::with_capacity(keys.len());
        for key in keys {
            let (collection, id) = key.split_once('/')?;
            let i = self.linked.entry_index(collection, id)?;
            fps.push((key, *l.card_fp.get(i)?));
        }
        Some(cache::fingerprint(|h| fps.hash(h)))
    }

    fn infobox(
        &self,
        l: &LangData<'a>,
        collection: &Collection,
        field: &dyn Fn(&str) -> Option<&'a Value>,
        deps: &Deps,
    ) -> Vec<InfoRow> {
        let skip = [
            Some(collection.title_field.as_str()),
            collection.summary_field.as_deref(),
        ];
        collection
            .fields
            .iter()
            .filter(|f| {
                !skip.contains(&Some(f.name.as_str())) && f.ty != crate::config::FieldType::Sources
            })
            .filter_map(|f| {
                let value = field(&f.name)?;
                let items = self.info_items(l, value, deps);
                (!items.is_empty()).then(|| InfoRow {
                    name: f.name.clone(),
                    label: l
                        .strings
                        .get(&format!("field_{}_{}", collection.name, f.name))
                        .or_else(|| l.strings.get(&format!("field_{}", f.name)))
                        .cloned()
                        .unwrap_or_else(|| f.label.clone()),
                    items,
                })
            })
            .collect()
    }

    fn info_items(&self, l: &LangData<'a>, value: &Value, deps: &Deps) -> Vec<InfoItem> {
        let text = |s: String| {
            vec![InfoItem {
                text: s,
                ..Default::default()
            }]
        };
        match value {
            Value::Str(s) => text(s.clone()),
            Value::Enum(s) => text(l.text(
                &format!("enum_{s}"),
                &crate::config::humanize(&s.replace('-', " ")),
            )),
            Value::Int(i) => text(i.to_string()),
            Value::Bool(b) => text(if *b { "yes".into() } else { "no".into() }),
            Value::Date(d) => text(l.dates.words(d)),
            Value::Url(u) => vec![InfoItem {
                text: u.clone(),
                url: Some(u.clone()),
                ..Default::default()
            }],
            Value::Party(code) => text(
                l.text(
                    &format!("party_{code}"),
                    &self
                        .config
                        .party(code)
                        .map_or(code.clone(), |p| p.name.clone()),
                ),
            ),
            Value::Text(md) => vec![InfoItem {
                html: Some(self.markdown(l, md, deps)),
                ..Default::default()
            }],
            Value::Ref(r) => match self.linked.entry_index(&r.collection, &r.id).and_then(|i| {
                deps.add(i);
                l.cards.get(i)
            }) {
                Some(card) => vec![InfoItem {
                    text: card.title.clone(),
                    url: Some(card.url.clone()),
                    ..Default::default()
                }],
                None => {
                    deps.missing.set(true);
                    text(r.id.clone())
                }
            },
            Value::List(items) => items
                .iter()
                .flat_map(|v| self.info_items(l, v, deps))
                .collect(),
            Value::Object(fields) => {
                let mut words = Vec::new();
                let mut dates = Vec::new();
                for (_, v) in fields {
                    match v {
                        Value::Date(d) => dates.push(l.dates.words(d)),
                        other => words
                            .extend(self.info_items(l, other, deps).into_iter().map(|i| i.text)),
                    }
                }
                let note = match dates.len() {
                    0 => None,
                    1 => Some(dates.remove(0)),
                    _ => Some(dates.join(" – ")),
                };
                vec![InfoItem {
                    text: words.join(", "),
                    note,
                    ..Default::default()
                }]
            }
            Value::Sources(_) => Vec::new(),
        }
    }

    fn page(&self, l: &LangData<'a>, di: usize) -> Result<OutputFile, Diagnostic> {
        let Some(original) = self.linked.docs.get(di) else {
            return Err(Diagnostic::error(
                crate::config::FILE,
                Default::default(),
                "no such page",
            ));
        };
        let doc = l.docs.get(&original.kind).copied().unwrap_or(original);
        let SourceKind::Page { id } = &original.kind else {
            return Err(Diagnostic::error(
                &original.file,
                Default::default(),
                "not a free page",
            ));
        };
        let path = format!("/{id}/");
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": doc.title});
        let mut ctx = self.context(
            l,
            "page",
            &path,
            &doc.title,
            doc.description.as_deref().unwrap_or(""),
            jsonld,
        );
        ctx.insert("body", &self.markdown(l, doc.body(), &Deps::default()));
        self.page_file(l, &path, "page.html", &ctx)
    }

    fn timeline(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("timeline")
            .cloned()
            .unwrap_or_else(|| "Timeline".into());
        let mut items: Vec<&Card> = l.cards.iter().filter(|c| c.sort_date.is_some()).collect();
        items.sort_by(|a, b| {
            a.sort_date
                .cmp(&b.sort_date)
                .then_with(|| a.title.cmp(&b.title))
        });
        let years: Vec<YearCtx> = group_by(&items, |c| {
            c.sort_date
                .as_deref()
                .map_or(String::new(), |d| d.chars().take(4).collect())
        })
        .into_iter()
        .map(|g| YearCtx {
            year: g.label,
            items: g.items,
        })
        .collect();
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": title});
        let mut ctx = self.context(l, "timeline", "/timeline/", &title, "", jsonld);
        ctx.insert("years", &years);
        ctx.insert("count", &items.len());
        self.page_file(l, "/timeline/", "timeline.html", &ctx)
    }

    fn graph(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("graph")
            .cloned()
            .unwrap_or_else(|| "Graph".into());
        let lanes: Vec<graph::Lane> = self
            .config
            .collections
            .iter()
            .zip(&l.site.nav)
            .map(|(c, n)| graph::Lane {
                title: n.title.clone(),
                name: c.name.clone(),
            })
            .collect();
        let lane_of: Vec<usize> = self
            .linked
            .entries
            .iter()
            .map(|e| {
                self.config
                    .collections
                    .iter()
                    .position(|c| c.name == e.collection)
                    .unwrap_or(0)
            })
            .collect();
        let svg = graph::svg(&lanes, &lane_of, &l.cards, &self.linked.outlinks, &title);
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": title});
        let mut ctx = self.context(l, "graph", "/graph/", &title, "", jsonld);
        ctx.insert("svg", &svg);
        ctx.insert(
            "edges",
            &self.linked.outlinks.iter().map(Vec::len).sum::<usize>(),
        );
        ctx.insert("nodes", &l.cards.len());
        self.page_file(l, "/graph/", "graph.html", &ctx)
    }

    fn search(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("search")
            .cloned()
            .unwrap_or_else(|| "Search".into());
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "SearchResultsPage", "name": title});
        let mut ctx = self.context(l, "search", "/search/", &title, "", jsonld);
        ctx.insert("index_url", &format!("{}/search/index.json", l.root));
        self.page_file(l, "/search/", "search.html", &ctx)
    }

    fn not_found(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("not_found")
            .cloned()
            .unwrap_or_else(|| "Page not found".into());
        let ctx = self.context(l, "404", "/404.html", &title, "", serde_json::json!({}));
        let html = l.templates.render("404.html", &ctx)?;
        Ok(OutputFile {
            path: "404.html".into(),
            bytes: html.into_bytes(),
        })
    }

    fn feed(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let origin = self
            .config
            .base_url
            .trim_end_matches(self.config.base_path())
            .to_string();
        let mut items: Vec<(usize, &Card)> = l
            .cards
            .iter()
            .enumerate()
            .filter(|(_, c)| c.sort_date.is_some())
            .collect();
        items.sort_by(|a, b| {
            b.1.sort_date
                .cmp(&a.1.sort_date)
                .then_with(|| a.1.title.cmp(&b.1.title))
        });
        items.truncate(50);
        let entries: Vec<serde_json::Value> = items
            .iter()
            .filter_map(|(i, c)| {
                let e = self.linked.entries.get(*i)?;
                Some(serde_json::json!({"title": c.title, "url": format!("{origin}{}", c.url), "updated": e.date.map(|d| d.rfc3339()), "summary": c.summary, "kind": c.kind}))
            })
            .collect();
        let updated = items
            .first()
            .and_then(|(i, _)| self.linked.entries.get(*i)?.date)
            .map_or("1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
        let mut ctx = self.context(
            l,
            "feed",
            "/feed.xml",
            &self.config.title,
            "",
            serde_json::json!({}),
        );
        ctx.insert("entries", &entries);
        ctx.insert("updated", &updated);
        let xml = l.templates.render("feed.xml", &ctx)?;
        Ok(OutputFile {
            path: "feed.xml".into(),
            bytes: xml.into_bytes(),
        })
    }

    fn sitemap(&self) -> Result<OutputFile, Diagnostic> {
        let origin = self
            .config
            .base_url
            .trim_end_matches(self.config.base_path())
            .to_string();
        let mut urls = Vec::new();
        for l in &self.langs {
            urls.push(format!("{origin}{}/", l.root));
            for n in &l.site.nav {
                urls.push(format!("{origin}{}", n.url));
            }
            for c in &l.cards {
                urls.push(format!("{origin}{}", c.url));
            }
            for d in self
                .linked
                .docs
                .iter()
                .filter(|d| matches!(d.kind, SourceKind::Page { .. }) && d.lang.is_none())
            {
                if let SourceKind::Page { id } = &d.kind {
                    urls.push(format!("{origin}{}/{id}/", l.root));
                }
            }
            for p in ["timeline", "graph", "search"] {
                urls.push(format!("{origin}{}/{p}/", l.root));
            }
        }
        let mut ctx = Context::new();
        ctx.insert("urls", &urls);
        let xml = self.templates.render("sitemap.xml", &ctx)?;
        Ok(OutputFile {
            path: "sitemap.xml".into(),
            bytes: xml.into_bytes(),
        })
    }

    fn robots(&self) -> Result<OutputFile, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert(
            "sitemap_url",
            &format!("{}/sitemap.xml", self.config.base_url),
        );
        let text = self.templates.render("robots.txt", &ctx)?;
        Ok(OutputFile {
            path: "robots.txt".into(),
            bytes: text.into_bytes(),
        })
    }

    /// `/data/<collection>.json`.
    fn data(&self, l: &LangData<'a>, ci: usize) -> Result<OutputFile, Diagnostic> {
        let Some(c) = self.config.collections.get(ci) else {
            return Err(Diagnostic::error(
                crate::config::FILE,
                Default::default(),
                "no such collection",
            ));
        };
        let records: Vec<data::Record> = self
            .linked
            .entries
            .iter()
            .zip(&l.cards)
            .filter(|(e, _)| e.collection == c.name)
            .map(|(entry, card)| data::Record {
                entry,
                url: &card.url,
            })
            .collect();
        Ok(OutputFile {
            path: format!("data/{}.json", c.name),
            bytes: json_bytes(&records),
        })
    }

    /// `/data/graph.json`.
    fn graph_data(&self, l: &LangData<'a>) -> OutputFile {
        let graph = data::Graph {
            entries: &self.linked.entries,
            urls: l.cards.iter().map(|c| c.url.as_str()).collect(),
            outlinks: &self.linked.outlinks,
        };
        OutputFile {
            path: "data/graph.json".into(),
            bytes: json_bytes(&graph),
        }
    }
}

fn card(
    config: &Config,
    strings: &BTreeMap<String, String>,
    dates: &DateStyle,
    root: &str,
    shown: &Entry,
    original: &Entry,
) -> Card {
    let collection = config.collection(&original.collection);
    let singular = collection.map_or(String::new(), |c| c.singular.clone());
    Card {
        title: shown.title.clone(),
        url: format!("{root}/{}/{}/", original.collection, original.id),
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
        summary: shown.summary.clone().or_else(|| original.summary.clone()),
    }
}

fn group_by<'c>(items: &[&'c Card], key: impl Fn(&Card) -> String) -> Vec<Group<'c>> {
    let mut groups: Vec<Group> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.last_mut() {
            Some(g) if g.label == k => g.items.push(item),
            _ => groups.push(Group {
                id: markdown::slug(&k),
                label: k,
                items: vec![item],
            }),
        }
    }
    groups
}

/// JSON for a `<script type="application/ld+json">`: `<` escaped so no `</script>` can close it.
fn safe_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn truncate_words(s: &str, n: usize) -> String {
    let mut words = s.split_whitespace();
    let kept: Vec<&str> = words.by_ref().take(n).collect();
    let more = words.next().is_some();
    format!("{}{}", kept.join(" "), if more { "…" } else { "" })
}

/// JSON-LD without the properties that have no value.
fn without_nulls(mut value: serde_json::Value) -> serde_json::Value {
    if let Some(map) = value.as_object_mut() {
        map.retain(|_, v| !v.is_null());
    }
    value
}

fn truncate_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

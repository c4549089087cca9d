//! The link check: after rendering, every internal `href`/`src` of every HTML page must resolve to
//! an output file, and every `#fragment` to an element id of its page. A failure is a diagnostic
//! at the template line or content line that wrote the link.
//!
//! [`Recorder`] wraps the render stage's [`Sink`]: it notes every output path and, for each HTML
//! page as it passes (on the rendering thread, so the scan runs in parallel with the other jobs),
//! the page's links and ids. Pages kept from the previous build are read back from the staging
//! folder when the check runs; it does not when the output is the previous one byte for byte and
//! that one's check found nothing ([`Noted::unchanged_from`]). [`check`] then resolves every link
//! once against the set of paths: linear in links.

use super::Sink;
use super::template_errors::Sources;
use crate::config::CheckLevel;
use crate::diagnostics::{Diagnostic, Pos, codes};
use crate::error::Result;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

/// What one HTML page links to and which ids it has.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// `href` and `src` values, entities decoded, each once.
    links: Vec<Box<str>>,
    ids: HashSet<Box<str>>,
}

/// A sink that notes what passes through it for the link check.
pub(super) struct Recorder<'s> {
    inner: &'s dyn Sink,
    /// Whether the link check will run: when it does not, nothing is noted or scanned.
    enabled: bool,
    files: Mutex<Vec<String>>,
    pages: Mutex<Vec<(String, Scan)>>,
    /// HTML pages kept from the previous build, scanned only when the check needs them.
    kept: Mutex<Vec<String>>,
}

/// What a [`Recorder`] noted: every output path, the scans of the pages it saw, and the kept
/// pages not scanned yet.
pub(super) struct Noted<'s> {
    inner: &'s dyn Sink,
    files: Vec<String>,
    pages: Vec<(String, Scan)>,
    kept: Vec<String>,
}

impl Noted<'_> {
    /// A fingerprint of the set of output paths.
    pub fn files_fp(&self) -> u64 {
        let mut sorted: Vec<&str> = self.files.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        super::cache::fingerprint(|h| std::hash::Hash::hash(&sorted, h))
    }

    /// Whether the output is the previous build's, byte for byte: the same paths (`files_fp`,
    /// this output's [`Noted::files_fp`]), none written.
    pub fn unchanged_from(&self, previous_files_fp: Option<u64>, files_fp: u64) -> bool {
        previous_files_fp == Some(files_fp) && self.inner.unchanged()
    }

    /// Every page's scan, the kept pages read back (in parallel) and scanned now.
    pub fn into_pages(self) -> (Vec<String>, Vec<(String, Scan)>) {
        use rayon::prelude::*;
        let inner = self.inner;
        let mut pages = self.pages;
        pages.par_extend(self.kept.into_par_iter().filter_map(|path| {
            let scan = scan_bytes(&inner.read_back(&path)?);
            Some((path, scan))
        }));
        (self.files, pages)
    }
}

impl<'s> Recorder<'s> {
    pub fn new(inner: &'s dyn Sink, enabled: bool) -> Self {
        Recorder {
            inner,
            enabled,
            files: Mutex::new(Vec::new()),
            pages: Mutex::new(Vec::new()),
            kept: Mutex::new(Vec::new()),
        }
    }

    fn note(&self, path: &str, bytes: Option<&[u8]>) {
        if !self.enabled {
            return;
        }
        if let Ok(mut files) = self.files.lock() {
            files.push(path.to_string());
        }
        if let Some(bytes) = bytes.filter(|_| path.ends_with(".html")) {
            let scan = scan_bytes(bytes);
            if let Ok(mut pages) = self.pages.lock() {
                pages.push((path.to_string(), scan));
            }
        }
    }

    /// What was noted.
    pub fn into_noted(self) -> Noted<'s> {
        Noted {
            inner: self.inner,
            files: self.files.into_inner().unwrap_or_default(),
            pages: self.pages.into_inner().unwrap_or_default(),
            kept: self.kept.into_inner().unwrap_or_default(),
        }
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.inner.put(path, bytes)?;
        self.note(path, Some(bytes));
        Ok(())
    }
    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.inner.copy(path, from)?;
        self.note(path, None);
        Ok(())
    }
    fn discards(&self) -> bool {
        self.inner.discards()
    }
    fn keep_previous(&self, path: &str, len: u64) -> bool {
        let kept = self.inner.keep_previous(path, len);
        if kept {
            self.note(path, None);
            if self.enabled
                && path.ends_with(".html")
                && let Ok(mut pending) = self.kept.lock()
            {
                pending.push(path.to_string());
            }
        }
        kept
    }
    fn previous_len(&self, path: &str) -> Option<u64> {
        self.inner.previous_len(path)
    }
    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        self.inner.read_back(path)
    }
    fn read_previous(&self, path: &str) -> Option<Vec<u8>> {
        self.inner.read_previous(path)
    }
    fn unchanged(&self) -> bool {
        self.inner.unchanged()
    }
    fn put_cache(&self, bytes: &[u8]) -> Result<()> {
        self.inner.put_cache(bytes)
    }
}

/// [`scan`] of a page's bytes: rendered pages are UTF-8, so the check is the fast path and the
/// lossy conversion a fallback.
fn scan_bytes(bytes: &[u8]) -> Scan {
    match std::str::from_utf8(bytes) {
        Ok(text) => scan(text),
        Err(_) => scan(&String::from_utf8_lossy(bytes)),
    }
}

/// The links (`href`, `src`) and ids (`id`, `name`) of an HTML page. Attributes are found by
/// their name after white space and a double-quoted value, as the theme and Markdown write them.
pub(super) fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let bytes = html.as_bytes();
    for eq in memchr::memmem::find_iter(bytes, b"=\"") {
        let value_start = eq + 2;
        // The attribute's name: the ASCII letters and digits before `=`, after white space.
        let before = bytes.get(..eq).unwrap_or_default();
        let name_start = before
            .iter()
            .rposition(|b| !b.is_ascii_alphanumeric())
            .map_or(0, |i| i + 1);
        let name = before.get(name_start..).unwrap_or_default();
        let wanted = matches!(name, b"href" | b"src" | b"id" | b"name");
        let after_space = name_start > 0
            && bytes
                .get(name_start - 1)
                .is_some_and(|b| b.is_ascii_whitespace());
        if !wanted || !after_space {
            continue;
        }
        let rest = bytes.get(value_start..).unwrap_or_default();
        let Some(value_len) = memchr::memchr(b'"', rest) else {
            break;
        };
        let Some(value) = html.get(value_start..value_start + value_len) else {
            continue;
        };
        match name {
            b"href" | b"src" if seen.insert(value) => {
                out.links.push(decode_entities(value).into());
            }
            b"id" | b"name" if !html.get(..name_start).is_some_and(in_meta) => {
                out.ids.insert(decode_entities(value).into());
            }
            _ => {}
        }
    }
    out
}

/// Whether the tag around the end of `before` is a `<meta>` or form control (whose `name` is no
/// anchor).
fn in_meta(before: &str) -> bool {
    let tag = before.rfind('<').and_then(|i| before.get(i + 1..));
    tag.is_some_and(|t| {
        [
            "meta ",
            "input ",
            "select ",
            "textarea ",
            "button ",
            "form ",
        ]
        .iter()
        .any(|n| t.starts_with(n))
    })
}

/// HTML character references in an attribute value (`&amp;`, `&#x2F;`, `&#39;`…).
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        let end = after.find(';').filter(|e| *e <= 8);
        let decoded = end.and_then(|e| {
            let name = after.get(..e)?;
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = after.get(e + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Percent-escapes (`%20`, UTF-8 sequences) decoded; a malformed escape stays as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a page's text comes from, for naming the cause of a broken link: its template, and the
/// content files (file and text) it shows.
pub(super) struct PageSource<'a> {
    pub template: String,
    pub content: Vec<(&'a str, &'a str)>,
}

/// The site a link check runs over.
pub(super) struct Site<'a> {
    /// The absolute base URL without its trailing slash: `https://example.org/pk-cn`.
    pub base_url: &'a str,
    /// Its path: `/pk-cn`, or `""` at a domain's root.
    pub base_path: &'a str,
    /// Paths that exist without being output files (serve's live-reload script).
    pub served: &'a [&'a str],
    pub templates: &'a Sources,
    /// How a broken link is reported (`[checks] links`; never `Off` here).
    pub level: CheckLevel,
}

/// A link that resolves to nothing.
#[derive(Debug, PartialEq, Eq)]
enum Broken {
    /// Outside the site's base path (a root-relative link that ignores it).
    OutsideBase(String),
    NoFile(String),
    NoAnchor {
        page: String,
        fragment: String,
    },
}

/// Where a broken link was written (file, position, width) and, when that is unknown, the link.
type Cause = (String, Pos, usize, String);

/// Check every page's links against the output files and the pages' ids. `source` tells what
/// made a page (by its output path). One diagnostic per cause: a broken link a template writes on
/// many pages is reported once, with the number of pages.
pub(super) fn check<'a>(
    site: &Site<'_>,
    files: &[String],
    pages: &[(String, Scan)],
    source: impl Fn(&str) -> Option<PageSource<'a>>,
) -> Vec<Diagnostic> {
    let files: HashSet<&str> = files.iter().map(String::as_str).collect();
    let ids: HashMap<&str, &HashSet<Box<str>>> =
        pages.iter().map(|(p, s)| (p.as_str(), &s.ids)).collect();
    // Cause (file, position, width) → the first finding (message, help) and the pages showing it,
    // in path order.
    let mut causes: BTreeMap<Cause, ((String, String), Vec<&str>)> = BTreeMap::new();
    let mut page_list: Vec<&(String, Scan)> = pages.iter().collect();
    page_list.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, scan) in page_list {
        let page_url = page_url(site.base_path, path);
        let mut sourced: Option<Option<PageSource<'a>>> = None;
        for link in &scan.links {
            let Some(broken) = resolve(site, &page_url, link, &files, &ids) else {
                continue;
            };
            let src = sourced.get_or_insert_with(|| source(path));
            let (file, pos, width) = locate(site, link, src.as_ref());
            // Found nowhere: each link is its own cause.
            let unplaced = if pos.line == 0 {
                link.to_string()
            } else {
                String::new()
            };
            causes
                .entry((file, pos, width, unplaced))
                .or_insert_with(|| (describe(&broken, link), Vec::new()))
                .1
                .push(path);
        }
    }
    causes
        .into_iter()
        .map(|((file, pos, width, _), ((message, help), on))| {
            let first = on.first().map(|p| page_url(site.base_path, p));
            let shown = match (on.len(), first) {
                (1, Some(p)) => format!("{message} (on {p})"),
                (n, Some(p)) => format!("{message} (on {n} pages, first {p})"),
                (_, None) => message,
            };
            let text = site
                .templates
                .values()
                .find(|(f, _)| *f == file)
                .map(|(_, t)| t.as_str());
            let report = match site.level {
                CheckLevel::Warning => Diagnostic::warning,
                _ => Diagnostic::error,
            };
            let d = report(codes::BROKEN_LINK, file, pos, shown).with_help(help);
            match text {
                Some(t) if pos.line > 0 => d.with_source(t, width),
                _ => d,
            }
        })
        .collect()
}

/// The URL path of the page in output file `path`: `a/b/index.html` → `/base/a/b/`.
fn page_url(base_path: &str, path: &str) -> String {
    let dir = path.strip_suffix("index.html").unwrap_or(path);
    format!("{base_path}/{dir}")
}

/// Resolve `link` on the page at `page_url`; `None` when it resolves (or is not internal).
fn resolve(
    site: &Site<'_>,
    page_url: &str,
    link: &str,
    files: &HashSet<&str>,
    ids: &HashMap<&str, &HashSet<Box<str>>>,
) -> Option<Broken> {
    let (before_fragment, fragment) = match link.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (link, None),
    };
    let target = before_fragment
        .split_once('?')
        .map_or(before_fragment, |(p, _)| p);
    let path = if let Some(rest) = target.strip_prefix(site.base_url) {
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        format!(
            "{}{}",
            site.base_path,
            if rest.is_empty() { "/" } else { rest }
        )
    } else if target.starts_with("//") || has_scheme(target) {
        return None;
    } else if target.starts_with('/') {
        target.to_string()
    } else if target.is_empty() {
        page_url.to_string()
    } else {
        join(page_url, target)
    };
    let path = percent_decode(&path);
    if site.served.contains(&path.as_str()) {
        return None;
    }
    let Some(rel) = path
        .strip_prefix(site.base_path)
        .filter(|r| r.starts_with('/'))
    else {
        return Some(Broken::OutsideBase(path));
    };
    let file = crate::routes::output_file(rel);
    let file = if files.contains(file.as_str()) {
        file
    } else {
        // A folder written without its slash: servers redirect to the slash.
        let index = format!("{}/index.html", rel.trim_start_matches('/'));
        if !rel.ends_with('/') && files.contains(index.as_str()) {
            index
        } else {
            return Some(Broken::NoFile(path));
        }
    };
    let fragment = percent_decode(fragment.filter(|f| !f.is_empty())?);
    // A fragment into a file that is no scanned page (an image, a static HTML file) is not checked.
    let page_ids = ids.get(file.as_str())?;
    if page_ids.contains(fragment.as_str()) {
        return None;
    }
    Some(Broken::NoAnchor {
        page: path,
        fragment,
    })
}

/// Whether `s` starts with a URL scheme (`https:`, `mailto:`, `data:`).
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = s.get(..colon).unwrap_or_default();
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A relative link resolved against the folder URL of its page, `.` and `..` applied.
fn join(page_url: &str, relative: &str) -> String {
    let dir = page_url
        .rfind('/')
        .map_or("", |i| page_url.get(..i).unwrap_or_default());
    let mut parts: Vec<&str> = dir.split('/').collect();
    let trailing = relative.ends_with('/') || relative.ends_with("/.") || relative.ends_with("/..");
    for seg in relative.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing || out.is_empty() {
        out.push('/');
    }
    out
}

fn describe(broken: &Broken, link: &str) -> (String, String) {
    match broken {
        Broken::OutsideBase(path) => (
            format!("the link `{link}` leads outside the site: `{path}` is not under its base path"),
            "start the link with the site's root ({{ site.root }} in a template) or write it relative to the page".into(),
        ),
        Broken::NoFile(path) => (
            format!("the link `{link}` leads to nothing: the site has no `{path}`"),
            "link to a page or file the build makes (see the output folder), or add the file under static/".into(),
        ),
        Broken::NoAnchor { page, fragment } => (
            format!("the link `{link}` names an anchor `#{fragment}` that `{page}` does not have"),
            "link to an id the page has (headings get ids from their text), or add id=\"…\" to the element".into(),
        ),
    }
}

/// Where a broken link was written: the first template (the site's own overrides first) or
/// content file holding its text; else the page's content file, else its template, as a whole.
fn locate(site: &Site<'_>, link: &str, src: Option<&PageSource<'_>>) -> (String, Pos, usize) {
    let candidates = candidates(site, link);
    let mut templates: Vec<&(String, String)> = site.templates.values().collect();
    templates.sort_by_key(|(file, _)| (!file.starts_with("templates/"), file.clone()));
    for c in &candidates {
        let quoted = format!("{c}\"");
        for (file, text) in &templates {
            if let Some(i) = text.find(&quoted) {
                return (file.clone(), Pos::of_offset(text, i), c.chars().count());
            }
        }
        for (file, text) in src.map(|s| s.content.as_slice()).unwrap_or_default() {
            let found = [format!("]({c}"), format!("<{c}>"), format!("\"{c}\"")]
                .iter()
                .find_map(|p| text.find(p.as_str()).map(|i| i + p.len() - c.len() - 1));
            if let Some(i) = found {
                return (
                    file.to_string(),
                    Pos::of_offset(text, i + 1),
                    c.chars().count(),
                );
            }
        }
    }
    match src {
        Some(s) => match s.content.first() {
            Some((file, _)) => (file.to_string(), Pos::default(), 0),
            None => {
                let file = site
                    .templates
                    .get(&s.template)
                    .map_or(s.template.clone(), |(f, _)| f.clone());
                (file, Pos::default(), 0)
            }
        },
        None => (String::from("site.toml"), Pos::default(), 0),
    }
}

/// The texts a template or Markdown may have written for `link`, longest first: the link, the
/// link without the base URL or path, then its fragment alone.
fn candidates(site: &Site<'_>, link: &str) -> Vec<String> {
    let mut out = vec![link.to_string()];
    let without_base = link
        .strip_prefix(site.base_url)
        .or_else(|| link.strip_prefix(site.base_path));
    if let Some(rest) = without_base.filter(|r| r.starts_with('/')) {
        out.push(rest.to_string());
        // Without the language prefix too (`/ur/x/` written as `{{ site.root }}/x/`).
        if let Some((_, after)) = rest.get(1..).and_then(|r| r.split_once('/')) {
            out.push(format!("/{after}"));
        }
    }
    if let Some((_, fragment)) = link.split_once('#') {
        out.push(format!("#{fragment}"));
    }
    out.retain(|c| c.len() > 1);
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert(c.clone()));
    out
}

impl<'a> super::Renderer<'a> {
    /// The output file a job makes and what made it, for naming the cause of a broken link.
    pub(super) fn job_source(&self, job: &super::Job) -> Option<(String, PageSource<'a>)> {
        use super::Job;
        use crate::routes::{self, SitePage};
        use crate::walk::SourceKind;
        let doc = |li: usize, kind: &SourceKind| -> Vec<(&'a str, &'a str)> {
            self.langs
                .get(li)
                .and_then(|l| l.docs.get(kind))
                .map(|d| vec![(d.file.as_str(), d.text.as_str())])
                .unwrap_or_default()
        };
        let (template, content) = match job {
            Job::Entry(li, ei) => {
                let l = self.langs.get(*li)?;
                let e = self.linked.entries.get(*ei)?;
                let mut content = Vec::new();
                if let Some(t) = l.translation.get(ei) {
                    content.push((t.file.as_str(), t.text.as_str()));
                }
                content.push((e.file.as_str(), e.text.as_str()));
                let path = l.route.file(&routes::entry(&e.collection, &e.id));
                return Some((
                    path,
                    PageSource {
                        template: "entry.html".into(),
                        content,
                    },
                ));
            }
            Job::Site(page, li) => {
                let template = match page {
                    SitePage::Home => "index.html".to_string(),
                    p => format!("{}.html", p.route().kind),
                };
                let content = match page {
                    SitePage::Home => doc(*li, &SourceKind::Home),
                    _ => Vec::new(),
                };
                (template, content)
            }
            Job::Backlinks(..) => ("backlinks.html".to_string(), Vec::new()),
            Job::Collection(li, ci, _) => {
                let collection = self.config.collections.get(*ci)?.name.clone();
                let kind = SourceKind::CollectionIndex { collection };
                ("collection.html".to_string(), doc(*li, &kind))
            }
            Job::Page(li, di) => {
                let kind = self.linked.docs.get(*di)?.kind.clone();
                ("page.html".to_string(), doc(*li, &kind))
            }
            Job::TimelinePart(..) => ("timeline.html".to_string(), Vec::new()),
            Job::Data(_) | Job::Csv(_) | Job::Redirect(..) => (String::new(), Vec::new()),
        };
        Some((self.job_file(job)?, PageSource { template, content }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site<'a>(sources: &'a Sources, base_url: &'a str, base_path: &'a str) -> Site<'a> {
        Site {
            base_url,
            base_path,
            served: &[],
            templates: sources,
            level: CheckLevel::Error,
        }
    }

    #[test]
    fn scans_links_and_ids() {
        let s = scan(
            "<a href=\"/a/\" id=\"top\"><img src=\"x.png\"><meta name=\"description\" content=\"a=&quot;b\"><h2 id=\"x&amp;y\">\
             <a data-href=\"/no/\" href=\"/a/\">",
        );
        assert_eq!(s.links, vec!["/a/".into(), "x.png".into()] as Vec<Box<str>>);
        assert!(s.ids.contains("top") && s.ids.contains("x&y"));
        assert!(!s.ids.contains("description"));
    }

    #[test]
    fn resolves_under_a_base_path() {
        let sources = Sources::new();
        let s = site(&sources, "https://e.org/sub", "/sub");
        let files: HashSet<&str> = ["index.html", "a/index.html", "assets/x.css"].into();
        let top: HashSet<Box<str>> = ["top".into()].into();
        let ids: HashMap<&str, &HashSet<Box<str>>> = [("a/index.html", &top)].into();
        let ok = |l: &str| resolve(&s, "/sub/a/", l, &files, &ids);
        assert_eq!(ok("/sub/a/"), None);
        assert_eq!(ok("/sub/a"), None);
        assert_eq!(ok("https://e.org/sub/a/#top"), None);
        assert_eq!(ok("#top"), None);
        assert_eq!(ok("../assets/x.css?v=1"), None);
        assert_eq!(ok("https://other.org/"), None);
        assert_eq!(ok("mailto:a@b.c"), None);
        assert_eq!(ok("/a/"), Some(Broken::OutsideBase("/a/".into())));
        assert_eq!(ok("/sub/b/"), Some(Broken::NoFile("/sub/b/".into())));
        assert_eq!(
            ok("#nope"),
            Some(Broken::NoAnchor {
                page: "/sub/a/".into(),
                fragment: "nope".into()
            })
        );
    }

    #[test]
    fn decodes_escapes_and_joins_relative_links() {
        assert_eq!(decode_entities("a&amp;b&#x2F;c&#47;&bogus"), "a&b/c/&bogus");
        assert_eq!(percent_decode("/%E2%9C%93%20x%zz"), "/✓ x%zz");
        assert_eq!(join("/a/b/", "../c/"), "/a/c/");
        assert_eq!(join("/a/b/", "c.png"), "/a/b/c.png");
        assert_eq!(join("/", "../../x"), "/x");
    }
}

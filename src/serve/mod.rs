//! `bilat serve`: build into a private folder, serve it over HTTP on localhost, rebuild when a
//! source changes, and reload open pages.
//!
//! An edit of one entry is shown first through the quick update ([`quick`]), which renders just
//! that entry's pages; the full rebuild that follows reloads the pages again only if it changed
//! more of the site. Each rebuild keeps the pages of unchanged entries (the page cache).
//!
//! Live reload is a long poll: each page loads `/__livereload.js`, which asks
//! `/__livereload?since=N` and is answered as soon as a build newer than N has been swapped in
//! (or after a timeout, to ask again). A failed rebuild prints its diagnostics and keeps serving
//! the last good site, so a contributor never loses the page they are looking at; open pages show
//! the errors over it ([`overlay`]) until a rebuild succeeds and reloads them. Until the first
//! build succeeds, every address answers the overlay alone.
//!
//! The site folder is watched for `site.toml` and for source folders made while serving
//! (`templates/`, `static/`, `i18n/`, ...), which are then watched too.

mod overlay;
mod quick;

use crate::build::{self, BuildOptions, BuildReport, SiteState};
use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, Format, Pos, codes};
use crate::error::{Context as _, Error, Result};
use notify::RecursiveMode;
use notify_debouncer_full::new_debouncer;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The number of the last successful build, and a way to wait for the next one.
#[derive(Default)]
struct Generation {
    number: Mutex<u64>,
    changed: Condvar,
}

impl Generation {
    fn bump(&self) {
        if let Ok(mut n) = self.number.lock() {
            *n += 1;
        }
        self.changed.notify_all();
    }

    fn current(&self) -> u64 {
        self.number.lock().map(|n| *n).unwrap_or(0)
    }

    /// Wait until the generation passes `since`, or `timeout`.
    fn wait_past(&self, since: u64, timeout: Duration) -> u64 {
        let Ok(guard) = self.number.lock() else {
            return since;
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |n| *n <= since)
        {
            Ok((n, _)) => *n,
            Err(_) => since,
        }
    }
}

/// What the server knows of the builds: their number, the errors of the last one (shown by the
/// overlay) and whether any build has succeeded yet (until then every URL answers the overlay).
#[derive(Default)]
struct Status {
    generation: Generation,
    errors: Mutex<Vec<Diagnostic>>,
    built: AtomicBool,
}

impl Status {
    /// A build succeeded: no more errors, and open pages reload.
    fn succeeded(&self) {
        if let Ok(mut errors) = self.errors.lock() {
            errors.clear();
        }
        self.built.store(true, Ordering::SeqCst);
        self.generation.bump();
    }

    /// A build failed: open pages show its errors (set before the waiters wake up).
    fn failed(&self, diagnostics: Vec<Diagnostic>) {
        if let Ok(mut errors) = self.errors.lock() {
            *errors = diagnostics;
        }
        self.generation.bump();
    }

    fn errors(&self) -> Vec<Diagnostic> {
        self.errors.lock().map(|e| e.clone()).unwrap_or_default()
    }

    fn built(&self) -> bool {
        self.built.load(Ordering::SeqCst)
    }
}

/// The folders of a site whose files are sources, watched recursively (also when one is created
/// while serving); `site.toml` is watched through the site folder itself.
const WATCHED: [&str; 5] = ["content", "static", "templates", "themes", "i18n"];

pub fn serve(root: &Path, interface: &str, port: u16, drafts: bool) -> Result<ExitCode> {
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open the site folder {}", root.display()))?;
    let scratch = scratch_dir();
    remove_abandoned(&scratch);
    let output = scratch
        .join(format!("bilat-serve-{}", std::process::id()))
        .join("public");
    let base_url = format!("http://{interface}:{port}");
    let options = BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        base_url: Some(base_url.clone()),
        drafts,
        live_reload: true,
    };
    let status = Arc::new(Status::default());

    let server = tiny_http::Server::http((interface, port))
        .map_err(|e| Error::refused(format!("cannot listen on {interface}:{port}: {e}")))?;
    let mut state: Option<SiteState> = None;
    match rebuild(&root, &options) {
        Ok((report, kept)) => {
            println!(
                "built {} entries, {} pages in {:.0} ms",
                report.entries,
                report.pages,
                report.elapsed.as_secs_f64() * 1000.0
            );
            state = kept;
            status.succeeded();
        }
        Err(errors) => {
            eprintln!("the site has errors; fix them and the page will appear");
            status.failed(errors);
        }
    }

    let (events, changes) = std::sync::mpsc::channel();
    let mut debouncer = new_debouncer(Duration::from_millis(10), None, events)
        .context("cannot watch the site for changes")?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }

    // Said once the watches are in place: a change made after this line is seen.
    println!("serving {} at {base_url}/ (Ctrl-C to stop)", root.display());

    let http_status = Arc::clone(&status);
    let http_output = output.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let status = Arc::clone(&http_status);
            let output = http_output.clone();
            std::thread::spawn(move || respond(request, &output, &status));
        }
    });

    let mut site = Site {
        root: &root,
        options: &options,
        output: &output,
        status: &status,
        state,
    };
    for result in changes {
        let Ok(events) = result else { continue };
        // Only changes count: reading the sources during a rebuild raises access events,
        // which would otherwise start the next rebuild, forever.
        let mut changed: Vec<&PathBuf> = events
            .iter()
            .filter(|e| e.kind.is_create() || e.kind.is_modify() || e.kind.is_remove())
            .flat_map(|e| e.paths.iter())
            .filter(|p| is_source(&root, p))
            .collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            continue;
        }
        // A source folder made while serving (`templates/`, ...) is watched from now on; the
        // rebuild below reads whatever it already holds.
        for path in &changed {
            if path.parent() == Some(root.as_path()) && path.is_dir() {
                let _ = debouncer.watch(path, RecursiveMode::Recursive);
            }
        }
        site.changed(&changed);
    }
    Ok(ExitCode::SUCCESS)
}

/// What the rebuilds need and keep between them.
struct Site<'a> {
    root: &'a Path,
    options: &'a BuildOptions,
    output: &'a Path,
    status: &'a Status,
    /// What the last good build knew, for the quick update.
    state: Option<SiteState>,
}

impl Site<'_> {
    /// Show the `changed` files: the quick update first when it applies, then a full rebuild.
    fn changed(&mut self, changed: &[&PathBuf]) {
        let start = Instant::now();
        let mut quick_done = false;
        if let ([path], Some(st)) = (changed, self.state.as_mut())
            && let Some(files) = quick::update(st, self.root, path, self.options, self.output)
        {
            self.status.generation.bump();
            quick_done = true;
            println!(
                "updated {} ({} pages) in {:.0} ms",
                path.strip_prefix(self.root).unwrap_or(path).display(),
                files.len(),
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
        match rebuild(self.root, self.options) {
            Ok((report, kept)) => {
                self.state = kept;
                let fixed = !self.status.errors().is_empty() || !self.status.built();
                if fixed || !quick_done || report.written_paths.iter().any(|p| is_visible(p)) {
                    self.status.succeeded();
                }
                println!(
                    "rebuilt {} pages in {:.0} ms ({} reused)",
                    report.pages,
                    start.elapsed().as_secs_f64() * 1000.0,
                    report.kept_pages
                );
            }
            Err(errors) => {
                println!("rebuild failed: {}", summary(&errors));
                self.status.failed(errors);
            }
        }
    }
}

/// "2 errors" / "1 error".
fn summary(errors: &[Diagnostic]) -> String {
    match errors.iter().filter(|d| d.is_error()).count() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    }
}

/// Where serve builds: a memory file system when there is one (`$XDG_RUNTIME_DIR`, private to the
/// user, or `/dev/shm`), so rebuilds do not wait for a disk; otherwise the temporary folder.
fn scratch_dir() -> PathBuf {
    let candidates = [
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
        Some(PathBuf::from("/dev/shm")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| {
            let probe = dir.join(format!(".bilat-probe-{}", std::process::id()));
            let writable = std::fs::create_dir(&probe).is_ok();
            let _ = std::fs::remove_dir(&probe);
            writable
        })
        .unwrap_or_else(std::env::temp_dir)
}

/// Remove the folders of earlier `serve` processes that are gone (stopped with Ctrl-C, their
/// folder stays behind; on a memory file system it would hold memory until the next boot).
fn remove_abandoned(scratch: &Path) {
    let Ok(items) = std::fs::read_dir(scratch) else {
        return;
    };
    for item in items.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("bilat-serve-") else {
            continue;
        };
        let alive = Path::new("/proc").join(pid).exists();
        let another = pid.parse::<u32>().is_ok_and(|p| p != std::process::id());
        if another && !alive && Path::new("/proc/self").exists() {
            let _ = std::fs::remove_dir_all(item.path());
        }
    }
}

/// Whether a change of this output file is something an open page shows (the page cache, the
/// search index and the data files are fetched by nothing a reader has open, or only on demand).
fn is_visible(path: &str) -> bool {
    !(path.starts_with('.') || path.ends_with("search/index.json") || path.starts_with("data/"))
}

/// Build again and print the diagnostics; the errors when the site has some.
fn rebuild(
    root: &Path,
    options: &BuildOptions,
) -> std::result::Result<(BuildReport, Option<SiteState>), Vec<Diagnostic>> {
    let config: Config = match build::load_config(root) {
        Ok(c) => c,
        Err(d) => {
            eprint!("{}", diagnostics::render_all(&d, Format::Human, false));
            return Err(d);
        }
    };
    match build::build_keeping_state(&config, options) {
        Ok((report, state)) => {
            eprint!(
                "{}",
                diagnostics::render_all(&report.diagnostics, Format::Human, false)
            );
            if report.has_errors() {
                Err(report.diagnostics)
            } else {
                Ok((report, state))
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            Err(vec![
                Diagnostic::error(codes::INTERNAL, "", Pos::default(), format!("{e:#}"))
                    .with_help("bilat could not finish the build; fix the cause and save again"),
            ])
        }
    }
}

/// Changes that can affect the output: `site.toml` and files in the source folders, except
/// editor swap files and hidden files.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let top = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    if !(WATCHED.contains(&top.as_str()) || rel == Path::new(crate::config::FILE)) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp"))
}

fn respond(request: tiny_http::Request, output: &Path, status: &Status) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let result = match path {
        "/__livereload.js" => request.respond(text_response(
            overlay::LIVERELOAD_JS,
            "text/javascript; charset=utf-8",
            200,
        )),
        "/__livereload" => {
            let since = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|v| v.parse::<u64>().ok());
            let n = match since {
                Some(since) => status.generation.wait_past(since, Duration::from_secs(25)),
                None => status.generation.current(),
            };
            request.respond(text_response(&n.to_string(), "text/plain", 200))
        }
        "/__errors" => request.respond(text_response(
            &overlay::fragment(&status.errors()),
            "text/html; charset=utf-8",
            200,
        )),
        // Until a build succeeds there is no page: every address shows why.
        _ if !status.built() => request.respond(text_response(
            &overlay::page(&status.errors()),
            "text/html; charset=utf-8",
            500,
        )),
        _ => match resolve(output, path) {
            Some(file) => match std::fs::read(&file) {
                Ok(bytes) => request.respond(bytes_response(bytes, content_type(&file), 200)),
                Err(_) => not_found(request, output),
            },
            None => not_found(request, output),
        },
    };
    // A browser that went away before the answer is not an error worth reporting.
    let _ = result;
}

fn not_found(request: tiny_http::Request, output: &Path) -> std::io::Result<()> {
    let body = std::fs::read(output.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
    request.respond(bytes_response(body, "text/html; charset=utf-8", 404))
}

/// Map a URL path to a file in the output, refusing anything that would leave it.
fn resolve(output: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = output.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn bytes_response(
    bytes: Vec<u8>,
    kind: &str,
    status: u16,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut r = tiny_http::Response::from_data(bytes).with_status_code(status);
    for h in [
        header("Content-Type", kind),
        header("Cache-Control", "no-store"),
    ]
    .into_iter()
    .flatten()
    {
        r.add_header(h);
    }
    r
}

fn text_response(
    text: &str,
    kind: &str,
    status: u16,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    bytes_response(text.as_bytes().to_vec(), kind, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_cannot_escape_the_output() {
        let dir = std::env::temp_dir();
        assert!(resolve(&dir, "/../etc/passwd").is_none());
        assert!(resolve(&dir, "/%2e%2e/etc/passwd").is_none());
        assert!(resolve(&dir, "/a/%2E%2E/%2E%2E/x").is_none());
    }

    #[test]
    fn generation_wakes_waiters() {
        let g = Arc::new(Generation::default());
        let g2 = Arc::clone(&g);
        let waiter = std::thread::spawn(move || g2.wait_past(0, Duration::from_secs(5)));
        std::thread::sleep(Duration::from_millis(50));
        g.bump();
        assert_eq!(waiter.join().unwrap_or(0), 1);
    }
}

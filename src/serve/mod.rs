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
//! the last good site, so a contributor never loses the page they are looking at.

mod quick;

use crate::build::{self, BuildOptions, BuildReport, SiteState};
use crate::config::Config;
use crate::diagnostics::{self, Format};
use crate::error::{Context as _, Error, Result};
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
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
    let generation = Arc::new(Generation::default());

    let server = tiny_http::Server::http((interface, port))
        .map_err(|e| Error::refused(format!("cannot listen on {interface}:{port}: {e}")))?;
    let mut state: Option<SiteState> = None;
    match rebuild(&root, &options) {
        Some((report, kept)) => {
            println!(
                "built {} entries, {} pages in {:.0} ms",
                report.entries,
                report.pages,
                report.elapsed.as_secs_f64() * 1000.0
            );
            state = kept;
            generation.bump();
        }
        None => eprintln!("the site has errors; fix them and the page will appear"),
    }
    println!("serving {} at {base_url}/ (Ctrl-C to stop)", root.display());

    let watcher_generation = Arc::clone(&generation);
    let watch_root = root.clone();
    let watch_output = output.clone();
    let mut debouncer = new_debouncer(
        Duration::from_millis(10),
        None,
        move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            // Only changes count: reading the sources during a rebuild raises access events,
            // which would otherwise start the next rebuild, forever.
            let mut changed: Vec<&PathBuf> = events
                .iter()
                .filter(|e| e.kind.is_create() || e.kind.is_modify() || e.kind.is_remove())
                .flat_map(|e| e.paths.iter())
                .filter(|p| is_source(&watch_root, p))
                .collect();
            changed.sort();
            changed.dedup();
            if changed.is_empty() {
                return;
            }
            let start = Instant::now();
            let mut quick_done = false;
            if let ([path], Some(st)) = (changed.as_slice(), state.as_mut())
                && let Some(files) = quick::update(st, &watch_root, path, &options, &watch_output)
            {
                watcher_generation.bump();
                quick_done = true;
                println!(
                    "updated {} ({} pages) in {:.0} ms",
                    path.strip_prefix(&watch_root).unwrap_or(path).display(),
                    files.len(),
                    start.elapsed().as_secs_f64() * 1000.0
                );
            }
            if let Some((report, kept)) = rebuild(&watch_root, &options) {
                state = kept;
                if !quick_done || report.written_paths.iter().any(|p| is_visible(p)) {
                    watcher_generation.bump();
                }
                println!(
                    "rebuilt {} pages in {:.0} ms ({} reused)",
                    report.pages,
                    start.elapsed().as_secs_f64() * 1000.0,
                    report.kept_pages
                );
            }
        },
    )
    .context("cannot watch the site for changes")?;
    for dir in ["content", "static", "templates", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    debouncer
        .watch(root.join(crate::config::FILE), RecursiveMode::NonRecursive)
        .context("cannot watch site.toml")?;

    for request in server.incoming_requests() {
        let generation = Arc::clone(&generation);
        let output = output.clone();
        std::thread::spawn(move || respond(request, &output, &generation));
    }
    Ok(ExitCode::SUCCESS)
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

/// Build again; print diagnostics; `None` when the site has errors.
fn rebuild(root: &Path, options: &BuildOptions) -> Option<(BuildReport, Option<SiteState>)> {
    let config: Config = match build::load_config(root) {
        Ok(c) => c,
        Err(d) => {
            eprint!("{}", diagnostics::render_all(&d, Format::Human, false));
            return None;
        }
    };
    match build::build_keeping_state(&config, options) {
        Ok((report, state)) => {
            eprint!(
                "{}",
                diagnostics::render_all(&report.diagnostics, Format::Human, false)
            );
            (!report.has_errors()).then_some((report, state))
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            None
        }
    }
}

/// Changes that can affect the output (not editor swap files or hidden files).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp"))
}

const LIVERELOAD_JS: &str = r#"(function () {
  var since = null;
  function poll() {
    fetch("/__livereload?since=" + (since === null ? "" : since), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (t) { var n = parseInt(t, 10); if (since !== null && n > since) { location.reload(); return; } since = n; poll(); })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

fn respond(request: tiny_http::Request, output: &Path, generation: &Generation) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let result = match path {
        "/__livereload.js" => request.respond(text_response(
            LIVERELOAD_JS,
            "text/javascript; charset=utf-8",
            200,
        )),
        "/__livereload" => {
            let since = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|v| v.parse::<u64>().ok());
            let n = match since {
                Some(since) => generation.wait_past(since, Duration::from_secs(25)),
                None => generation.current(),
            };
            request.respond(text_response(&n.to_string(), "text/plain", 200))
        }
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

//! `bilat serve` end to end: it serves the built site, an edited entry's page shows the edit as
//! soon as live reload answers (the quick update), the pages that show the entry elsewhere follow
//! with the full rebuild, and a broken edit keeps the last good pages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Site;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const VISIT: &str = "content/visits/amina-khan-borduria-2024.md";
const VISIT_URL: &str = "/visits/amina-khan-borduria-2024/";
const OFFICIAL: &str = "content/officials/amina-khan.md";

/// A running `bilat serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Site) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut child = Command::new(env!("CARGO_BIN_EXE_bilat"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(&site.root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bilat serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let server = Server { child, port, lines };
        server.wait_for("serving");
        server
    }

    /// Wait (at most a minute) for a line of output starting with `prefix`.
    #[track_caller]
    fn wait_for(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(line) => seen.push(line),
                Err(_) => panic!("serve printed no line starting with {prefix:?}, only {seen:?}"),
            }
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// Wait (at most a minute) until the page at `path` contains `text`.
    fn eventually(&self, path: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.get(path).1.contains(text) {
            assert!(Instant::now() < deadline, "{path} never showed {text:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn generation(&self) -> u64 {
        self.get("/__livereload")
            .1
            .trim()
            .parse()
            .expect("a number")
    }

    /// Start waiting on live reload past the current generation, as an open page does.
    fn reload_waiter(&self) -> std::thread::JoinHandle<u64> {
        let since = self.generation();
        let port = self.port;
        let waiter = std::thread::spawn(move || {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            write!(stream, "GET /__livereload?since={since} HTTP/1.0\r\n\r\n").expect("send");
            let mut response = String::new();
            stream.read_to_string(&mut response).expect("read");
            response
                .rsplit("\r\n")
                .next()
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0)
        });
        // Let the request reach the server before the edit is made.
        std::thread::sleep(Duration::from_millis(200));
        waiter
    }
}

#[test]
fn an_edit_reaches_the_open_page_and_then_every_page_that_shows_it() {
    let site = Site::valid();
    let server = Server::start(&site);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains("/__livereload.js"),
        "pages carry the live-reload script"
    );

    // The open page: the edit shows as soon as live reload answers.
    let waiter = server.reload_waiter();
    let text = site.read(VISIT);
    site.write(VISIT, format!("{text}\nA sentence added while serving.\n"));
    let generation = waiter.join().expect("waiter");
    assert!(generation > 0);
    let (_, page) = server.get(VISIT_URL);
    assert!(page.contains("A sentence added while serving."), "{page}");
    let updated = server.wait_for("updated");
    assert!(updated.contains("amina-khan-borduria-2024"), "{updated}");
    server.wait_for("rebuilt");

    // A new name shows on the official's page at once and on the visit's after the rebuild.
    site.replace(
        OFFICIAL,
        "name: \"Amina Khān\"",
        "name: \"Amina Khān-Renamed\"",
    );
    server.wait_for("updated");
    let (_, official) = server.get("/officials/amina-khan/");
    assert!(official.contains("Amina Khān-Renamed"));
    server.wait_for("rebuilt");
    let (_, visit) = server.get(VISIT_URL);
    assert!(
        visit.contains("Amina Khān-Renamed"),
        "the visit names its visitor"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_page() {
    let site = Site::valid();
    let server = Server::start(&site);
    let (_, before) = server.get(VISIT_URL);
    let text = site.read(VISIT);
    // A link to nothing: no quick update, and the rebuild fails.
    site.write(VISIT, format!("{text}\nSee [[officials/nobody-at-all]].\n"));
    std::thread::sleep(Duration::from_secs(2));
    let (status, after) = server.get(VISIT_URL);
    assert_eq!(status, 200);
    assert_eq!(
        before, after,
        "the page stays as the last good build made it"
    );
    assert!(!after.contains("nobody-at-all"));
    // Fixed: the page follows again.
    site.write(VISIT, format!("{text}\nFixed now.\n"));
    server.wait_for("updated");
    let (_, fixed) = server.get(VISIT_URL);
    assert!(fixed.contains("Fixed now."));
}

#[test]
fn a_broken_edit_shows_its_errors_to_open_pages_until_it_is_fixed() {
    let site = Site::valid();
    let server = Server::start(&site);
    assert_eq!(server.get("/__errors"), (200, String::new()), "no errors");

    let waiter = server.reload_waiter();
    let text = site.read(VISIT);
    site.write(VISIT, format!("{text}\nSee [[officials/nobody-at-all]].\n"));
    server.wait_for("rebuild failed");
    assert!(waiter.join().expect("waiter") > 0, "open pages are woken");
    let (status, overlay) = server.get("/__errors");
    assert_eq!(status, 200);
    assert!(overlay.contains("role=\"alertdialog\""), "{overlay}");
    let line = text.lines().count() + 2;
    assert!(
        overlay.contains(&format!("<code>{VISIT}:{line}:")),
        "the overlay names file and line:\n{overlay}"
    );
    assert!(overlay.contains("nobody-at-all"), "{overlay}");
    assert!(overlay.contains("<mark>"), "the source line is quoted");
    assert!(overlay.contains("help:"), "{overlay}");
    // The pages are still the last good build, and still load the script that shows the overlay.
    let (status, page) = server.get(VISIT_URL);
    assert_eq!(status, 200);
    assert!(page.contains("/__livereload.js") && !page.contains("nobody-at-all"));

    let waiter = server.reload_waiter();
    site.write(VISIT, format!("{text}\nFixed now.\n"));
    server.wait_for("rebuilt");
    assert!(waiter.join().expect("waiter") > 0, "open pages reload");
    assert_eq!(server.get("/__errors"), (200, String::new()), "fixed");
}

#[test]
fn a_site_broken_at_start_answers_every_address_with_its_errors() {
    let site = Site::valid();
    site.replace(VISIT, "visitor: amina-khan", "visitor: amina-kahn");
    let server = Server::start(&site);
    for path in ["/", VISIT_URL, "/no/such/page/"] {
        let (status, page) = server.get(path);
        assert_eq!(status, 500, "{path}");
        assert!(page.starts_with("<!DOCTYPE html>"), "{path}: {page}");
        assert!(page.contains("id=\"bilat-errors\""), "{path}: {page}");
        assert!(page.contains(&format!("<code>{VISIT}:")), "{path}: {page}");
        assert!(page.contains("amina-kahn"), "{path}: {page}");
        assert!(page.contains("/__livereload.js"), "{path}: {page}");
    }
    let waiter = server.reload_waiter();
    site.replace(VISIT, "visitor: amina-kahn", "visitor: amina-khan");
    server.wait_for("rebuilt");
    assert!(waiter.join().expect("waiter") > 0);
    let (status, page) = server.get(VISIT_URL);
    assert_eq!(status, 200);
    assert!(!page.contains("bilat-errors"), "{page}");
}

#[test]
fn source_folders_made_while_serving_are_watched() {
    let site = Site::valid();
    for dir in ["templates", "static", "i18n"] {
        assert!(!site.path(dir).exists(), "the fixture has no {dir}/");
    }
    let server = Server::start(&site);

    site.write(
        "templates/robots.txt",
        "User-agent: *\nDisallow: /made-later/\n",
    );
    server.wait_for("rebuilt");
    // A file written into the new folder after the watch began is seen too.
    site.write(
        "templates/robots.txt",
        "User-agent: *\nDisallow: /edited-later/\n",
    );
    server.eventually("/robots.txt", "/edited-later/");

    site.write("static/hello.txt", "made while serving\n");
    server.wait_for("rebuilt");
    site.write("static/hello.txt", "edited while serving\n");
    server.eventually("/hello.txt", "edited while serving");

    site.write("i18n/en.toml", "skip = \"Jump to the text\"\n");
    server.wait_for("rebuilt");
    site.write("i18n/en.toml", "skip = \"Jump straight to the text\"\n");
    server.eventually("/", "Jump straight to the text");

    // site.toml is watched too: a broken one is reported to open pages.
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}\nnot valid toml =\n"));
    server.eventually("/__errors", "<code>site.toml:");
}

#[test]
fn a_build_never_carries_the_overlay_or_the_live_reload_script() {
    let site = Site::valid();
    for (path, bytes) in site.build_ok() {
        let text = String::from_utf8_lossy(&bytes);
        for marker in ["bilat-errors", "__livereload", "__errors"] {
            assert!(!text.contains(marker), "{path} contains {marker}");
        }
    }
}

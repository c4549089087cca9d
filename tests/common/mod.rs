//! Shared helpers of the integration tests: a temporary copy of the valid fixture site that a test
//! mutates one file at a time, and a runner for the real `bilat` binary that enforces a time limit,
//! refuses panics and reads back every diagnostic.

#![allow(dead_code)]
// Test helpers: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run of `bilat` taking longer than this is a hang, and a failure.
pub const TIME_LIMIT: Duration = Duration::from_secs(90);

/// The valid fixture site in the repository.
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid")
}

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Run `bilat` with `args` (and extra environment variables) in `dir`. Fails the test when the
/// run exceeds [`TIME_LIMIT`], dies from a signal or panics.
pub fn bilat_in<I, S>(dir: &Path, args: I, envs: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(env!("CARGO_BIN_EXE_bilat"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.env_remove("RUST_BACKTRACE").env("NO_COLOR", "1");
    for (k, v) in envs {
        command.env(k, v);
    }
    let start = Instant::now();
    let mut child = command.spawn().expect("the bilat binary starts");
    // Drain both pipes on threads so a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for bilat") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("bilat did not finish within {TIME_LIMIT:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).into_owned();
    assert!(!stderr.contains("panicked"), "bilat panicked:\n{stderr}");
    let code = status
        .code()
        .unwrap_or_else(|| panic!("bilat was killed by a signal: {status:?}\n{stderr}"));
    Run {
        code,
        stdout,
        stderr,
        elapsed,
    }
}

/// Run `bilat` with `args` from the crate root.
pub fn bilat<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    bilat_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}

/// One diagnostic line of `bilat check --format json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: String,
    pub message: String,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub end_line: u64,
    pub end_column: u64,
    pub help: Option<String>,
}

/// The last line of `bilat check --format json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSummary {
    pub errors: u64,
    pub warnings: u64,
    pub files_checked: u64,
    pub suppressed: u64,
    pub notes: Vec<String>,
}

/// Parse JSON-lines output: one object per line, each diagnostic with exactly the contract's
/// keys plus `kind`, `code`, `end_line` and `end_column`, then one summary object whose counts
/// match them.
pub fn parse_json(stdout: &str) -> (Vec<JsonDiagnostic>, JsonSummary) {
    let objects: Vec<(String, serde_json::Map<String, serde_json::Value>)> = stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
            let object = value
                .as_object()
                .unwrap_or_else(|| panic!("not a JSON object: {line}"))
                .clone();
            (line.to_string(), object)
        })
        .collect();
    let (last, diagnostics) = objects
        .split_last()
        .unwrap_or_else(|| panic!("no summary line in:\n{stdout}"));
    let number = |object: &serde_json::Map<String, serde_json::Value>, k: &str, line: &str| {
        object[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} is not a number: {line}"))
    };
    let diagnostics: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|(line, object)| {
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                [
                    "code",
                    "column",
                    "end_column",
                    "end_line",
                    "file",
                    "help",
                    "kind",
                    "line",
                    "message",
                    "severity"
                ],
                "{line}"
            );
            assert_eq!(object["kind"], "diagnostic", "{line}");
            let text = |k: &str| {
                object[k]
                    .as_str()
                    .unwrap_or_else(|| panic!("{k} is not a string: {line}"))
                    .to_string()
            };
            let d = JsonDiagnostic {
                code: text("code"),
                severity: text("severity"),
                message: text("message"),
                file: text("file"),
                line: number(object, "line", line),
                column: number(object, "column", line),
                end_line: number(object, "end_line", line),
                end_column: number(object, "end_column", line),
                help: object["help"].as_str().map(str::to_string),
            };
            assert!(
                d.code.len() == 6 && d.code.starts_with("BL"),
                "a code on every diagnostic: {line}"
            );
            assert!(
                (d.end_line, d.end_column) >= (d.line, d.column),
                "the span ends after it starts: {line}"
            );
            d
        })
        .collect();
    let (line, object) = last;
    assert_eq!(
        object["kind"], "summary",
        "the last line is the summary: {line}"
    );
    let summary = JsonSummary {
        errors: number(object, "errors", line),
        warnings: number(object, "warnings", line),
        files_checked: number(object, "files_checked", line),
        suppressed: number(object, "suppressed", line),
        notes: object["notes"]
            .as_array()
            .unwrap_or_else(|| panic!("notes is not a list: {line}"))
            .iter()
            .map(|n| n.as_str().unwrap_or_default().to_string())
            .collect(),
    };
    let errors = diagnostics.iter().filter(|d| d.severity == "error").count() as u64;
    assert_eq!(
        (summary.errors, summary.warnings),
        (errors, diagnostics.len() as u64 - errors),
        "the summary counts the diagnostics: {line}"
    );
    (diagnostics, summary)
}

/// The diagnostics of JSON-lines output (see [`parse_json`], which also checks the summary).
pub fn parse_json_lines(stdout: &str) -> Vec<JsonDiagnostic> {
    parse_json(stdout).0
}

/// Every regular file under `dir` with its bytes, keyed by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for item in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display())) {
            let item = item.expect("directory entry");
            let path = item.path();
            let file_type = item.file_type().expect("file type");
            if file_type.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("below dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(
                    rel,
                    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
                );
            }
        }
    }
    out
}

/// Assert two output trees hold the same files with the same bytes, naming the first difference.
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    assert_eq!(names_a, names_b, "{what}: the set of files differs");
    for (path, bytes) in a {
        if &b[path] != bytes {
            let (x, y) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[path]),
            );
            let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
            let around = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(80))
                    .take(200)
                    .collect::<String>()
            };
            panic!(
                "{what}: {path} differs at character {at}:\n--- first\n{}\n--- second\n{}",
                around(&x),
                around(&y)
            );
        }
    }
}

/// Copy a directory tree (regular files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy target");
    for item in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let item = item.expect("directory entry");
        let target = to.join(item.file_name());
        let file_type = item.file_type().expect("file type");
        if file_type.is_dir() {
            copy_dir(&item.path(), &target);
        } else if file_type.is_file() {
            std::fs::copy(item.path(), &target).expect("copy file");
        }
    }
}

/// A temporary copy of the valid fixture: `<tmp>/site` is the root, `<tmp>/public` the output.
pub struct Site {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub output: PathBuf,
}

impl Site {
    /// A fresh copy of `tests/fixtures/valid`.
    pub fn valid() -> Site {
        Site::copy_of(&fixture())
    }

    /// A fresh copy of the site at `source` (its site.toml, content/, static/, templates/, themes/,
    /// i18n/ and fonts/).
    pub fn copy_of(source: &Path) -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("bilat-test-")
            .tempdir()
            .expect("temp dir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).expect("create site root");
        std::fs::copy(source.join("site.toml"), root.join("site.toml")).expect("copy site.toml");
        for dir in ["content", "static", "templates", "themes", "i18n", "fonts"] {
            if source.join(dir).is_dir() {
                copy_dir(&source.join(dir), &root.join(dir));
            }
        }
        let output = tmp.path().join("public");
        Site { tmp, root, output }
    }

    /// A copy of the bundled site without its social card images: drawing 800 of them in a debug
    /// build takes longer than the time limit of a run, and they need the system's fonts
    /// (tests/cards.rs checks the cards on the fixture, whose fonts it ships).
    pub fn bundled_without_cards() -> Site {
        let site = Site::copy_of(Path::new(env!("CARGO_MANIFEST_DIR")));
        site.append("site.toml", "\n[cards]\nenabled = false\n");
        site
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Write (or replace) a file of the site, creating its folder.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Replace the one occurrence of `from` in a file with `to`.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} should contain {from:?} exactly once"
        );
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Add `text` at the end of a file of the site.
    pub fn append(&self, rel: &str, text: &str) {
        let mut contents = self.read(rel);
        contents.push_str(text);
        self.write(rel, contents);
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    /// `bilat <command> --root <site> <extra…>`.
    pub fn run(&self, command: &str, extra: &[&str]) -> Run {
        let mut args: Vec<&OsStr> = vec![
            OsStr::new(command),
            OsStr::new("--root"),
            self.root.as_os_str(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        bilat_in(self.tmp.path(), args, &[])
    }

    pub fn check(&self, extra: &[&str]) -> Run {
        self.run("check", extra)
    }

    /// `bilat build` into `<tmp>/public`.
    pub fn build(&self) -> Run {
        let output = self.output.to_string_lossy().into_owned();
        self.run("build", &["--output", &output])
    }

    /// Build the site as it is, asserting success, and return the output tree.
    pub fn build_ok(&self) -> BTreeMap<String, Vec<u8>> {
        let run = self.build();
        assert_eq!(run.code, 0, "the build should succeed:\n{}", run.stderr);
        tree(&self.output)
    }

    /// Replace the temporary root with a fixed name, so snapshots do not depend on it.
    pub fn normalize(&self, text: &str) -> String {
        let tmp = self.tmp.path().to_string_lossy().into_owned();
        text.replace(&tmp, "[TMP]")
    }

    /// Folders a build may leave beside the output: staging or old copies. There must be none.
    /// Staging folders left beside the output (the build lock file is no folder).
    pub fn stray_folders(&self) -> Vec<String> {
        std::fs::read_dir(self.tmp.path())
            .expect("read temp dir")
            .map(|e| e.expect("entry"))
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public"))
            .collect()
    }
}

/// What a broken site must produce.
pub struct Expect {
    /// Exit status of `check` and `build`: 1 for content errors, 2 for site.toml.
    pub code: i32,
    /// Every diagnostic must carry a line and column (false when the input has no position, e.g. a
    /// file that cannot be named or a symbolic link).
    pub positioned: bool,
    /// Files the diagnostics must name, in sorted order (repeated per diagnostic).
    pub files: &'static [&'static str],
    /// Text that must appear in the messages or help lines, in this order of diagnostics.
    pub contains: &'static [&'static str],
}

/// Run `check` (human and JSON) and `build` on a broken site and assert everything the contract
/// says about failure. Returns the human output, normalized, for a snapshot.
///
/// The site must have been built successfully (into `site.output`) before it was broken: the
/// failed build must leave that output byte-identical.
pub fn assert_rejected(site: &Site, before: &BTreeMap<String, Vec<u8>>, expect: &Expect) -> String {
    let human = site.check(&[]);
    assert_eq!(
        human.code, expect.code,
        "exit status of check:\n{}",
        human.stderr
    );
    assert!(
        human.stdout.is_empty(),
        "human diagnostics go to stderr, not stdout:\n{}",
        human.stdout
    );
    assert!(human.stderr.contains("error"), "{}", human.stderr);

    let json = site.check(&["--format", "json"]);
    assert_eq!(
        json.code, expect.code,
        "exit status of check --format json:\n{}",
        json.stderr
    );
    let diagnostics = parse_json_lines(&json.stdout);
    let errors: Vec<&JsonDiagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .collect();
    assert!(!errors.is_empty(), "no error reported:\n{}", json.stdout);
    let files: Vec<&str> = errors.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(
        files, expect.files,
        "files named by the errors:\n{}",
        json.stdout
    );
    for d in &diagnostics {
        assert!(
            d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "every diagnostic says what to do: {d:?}"
        );
        assert!(
            !d.file.is_empty() && !d.file.starts_with('/'),
            "file is relative to the root: {d:?}"
        );
        if expect.positioned {
            assert!(
                d.line >= 1 && d.column >= 1,
                "diagnostic without line:column: {d:?}"
            );
            let location = format!("{}:{}:{}", d.file, d.line, d.column);
            assert!(
                human.stderr.contains(&location),
                "human output lacks {location}:\n{}",
                human.stderr
            );
        }
    }
    // The wanted texts appear in order across the diagnostics.
    let all: Vec<String> = errors
        .iter()
        .map(|d| format!("{} | {}", d.message, d.help.clone().unwrap_or_default()))
        .collect();
    let joined = all.join("\n");
    let mut rest = joined.as_str();
    for want in expect.contains {
        match rest.find(want) {
            Some(i) => rest = &rest[i + want.len()..],
            None => panic!("{want:?} not found (in order) in:\n{joined}"),
        }
    }
    // Sorted by file, then line, then column.
    let keys: Vec<(&str, u64, u64)> = diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "diagnostics are sorted by file and position");

    let build = site.build();
    assert_eq!(
        build.code, expect.code,
        "exit status of build:\n{}",
        build.stderr
    );
    let after = tree(&site.output);
    assert_same_tree(before, &after, "the output after a failed build");
    assert_eq!(
        site.stray_folders(),
        Vec::<String>::new(),
        "staging folders left beside the output"
    );

    site.normalize(&human.stderr)
}

/// A generated site whose lists are longer than a page (`routes::LIST_PAGE` is 200 records a
/// page, `routes::BACKLINKS_SHOWN` 50 backlinks): in English, Urdu (right to left) and Chinese,
/// 201 visits (two index pages, the second with one record, from 1999), 200 notes (one page exactly) and
/// three topics: `hub`, on every visit (a backlink list of two pages), `fifty`, on the first 50
/// visits (all shown on its page), and `fifty-one`, on the first 51 (a list of one page).
pub fn paged_site() -> Site {
    let tmp = tempfile::Builder::new()
        .prefix("bilat-paged-")
        .tempdir()
        .expect("temp dir");
    let root = tmp.path().join("site");
    let site = Site {
        output: tmp.path().join("public"),
        root,
        tmp,
    };
    site.write(
        "site.toml",
        r#"title = "Paged"
description = "A site whose lists need more than one page."
base_url = "https://paged.example.org"
default_language = "en"

# The lists are what this site tests; drawing a card for each of its 1,300 pages would only
# slow the debug builds of the tests (tests/cards.rs tests the cards).
[cards]
enabled = false

[[parties]]
code = "aa"
name = "Aland"

[[parties]]
code = "bb"
name = "Borduria"

[languages.en]
name = "English"

[languages.ur]
name = "اردو"
direction = "rtl"

[languages.zh]
name = "中文"

[collections.visits]
title = "Visits"
singular = "Visit"
date_field = "date"
order = 1

[collections.visits.fields]
title = { type = "string", required = true }
date = { type = "date", required = true }
topics = { type = "list", of = "ref", collection = "topics", backlink = "Visits on this topic" }

[collections.notes]
title = "Notes"
singular = "Note"
order = 2

[collections.notes.fields]
title = { type = "string", required = true }

[collections.topics]
title = "Topics"
singular = "Topic"
order = 3

[collections.topics.fields]
title = { type = "string", required = true }
"#,
    );
    for (id, title) in [
        ("hub", "Hub"),
        ("fifty", "Fifty"),
        ("fifty-one", "Fifty-one"),
    ] {
        site.write(
            &format!("content/topics/{id}.md"),
            format!("---\ntitle: \"{title}\"\n---\nA topic.\n"),
        );
    }
    for i in 1..=201 {
        let mut topics = vec!["hub"];
        if i <= 50 {
            topics.push("fifty");
        }
        if i <= 51 {
            topics.push("fifty-one");
        }
        // One visit a month from January 2000, so the newest first is visit 201; visit 1 alone
        // in 1999, so that year starts on the index's second page.
        let (year, month) = match i {
            1 => (1999, 6),
            _ => (2000 + (i - 1) / 12, (i - 1) % 12 + 1),
        };
        site.write(
            &format!("content/visits/visit-{i:03}.md"),
            format!(
                "---\ntitle: \"Visit {i:03}\"\ndate: {year}-{month:02}-01\ntopics: [{}]\n---\nA visit.\n",
                topics.join(", ")
            ),
        );
    }
    for i in 1..=200 {
        site.write(
            &format!("content/notes/note-{i:03}.md"),
            format!("---\ntitle: \"Note {i:03}\"\n---\nA note about [[topics/hub]].\n"),
        );
    }
    site
}

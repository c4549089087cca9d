//! The integrity rules of issue 10, one test each: a fixture under `tests/fixtures/rules/<rule>/`
//! is laid over a copy of the valid fixture, `bilat check` runs in the human, JSON and GitHub
//! forms, the test asserts the codes, positions and exit status, and the three forms are
//! snapshotted together. Also: every error of every file in one run (with the cascade counted,
//! not reported), and the site found from a folder below it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{JsonDiagnostic, JsonSummary, Site, bilat_in, copy_dir, parse_json};
use std::path::Path;

const VISIT: &str = "content/visits/amina-khan-borduria-2024.md";
const VISIT_UR: &str = "content/visits/amina-khan-borduria-2024.ur.md";
const VISIT_2023: &str = "content/visits/li-wei-aland-2023.md";
const OFFICIAL: &str = "content/officials/amina-khan.md";
const TRADE: &str = "content/topics/trade.md";

/// The valid fixture with the files of `tests/fixtures/rules/<rule>/` laid over it.
fn site_with(rule: &str) -> Site {
    let site = Site::valid();
    let overlay = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(rule);
    assert!(overlay.is_dir(), "no fixture {}", overlay.display());
    copy_dir(&overlay, &site.root);
    site
}

/// What `check` said, in every form.
struct Checked {
    code: i32,
    diagnostics: Vec<JsonDiagnostic>,
    summary: JsonSummary,
    /// The three forms, for the snapshot.
    forms: String,
}

impl Checked {
    /// (code, severity, file, line, column) of each diagnostic.
    fn found(&self) -> Vec<(&str, &str, &str, u64, u64)> {
        self.diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    d.severity.as_str(),
                    d.file.as_str(),
                    d.line,
                    d.column,
                )
            })
            .collect()
    }

    fn message(&self, i: usize) -> String {
        let d = &self.diagnostics[i];
        format!("{} | {}", d.message, d.help.clone().unwrap_or_default())
    }
}

/// `check` (with `extra` arguments) in the three forms, which must agree.
fn check(site: &Site, extra: &[&str]) -> Checked {
    let run = |format: &str| {
        let mut args = vec!["--format", format];
        args.extend_from_slice(extra);
        site.check(&args)
    };
    let (human, json, github) = (run("human"), run("json"), run("github"));
    assert_eq!(human.code, json.code, "{}", human.stderr);
    assert_eq!(human.code, github.code, "{}", human.stderr);
    let (diagnostics, summary) = parse_json(&json.stdout);
    assert_eq!(
        github.stdout.lines().count(),
        diagnostics.len(),
        "{}",
        github.stdout
    );
    for d in &diagnostics {
        assert!(
            d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "every diagnostic says what to do: {d:?}"
        );
        assert!(
            human.stderr.contains(&format!("= code: {}", d.code)),
            "{}",
            human.stderr
        );
        let annotation = format!("title={}::", d.code);
        assert!(github.stdout.contains(&annotation), "{}", github.stdout);
    }
    let forms = format!(
        "exit status: {}\n--- human (stderr)\n{}--- json (stdout)\n{}--- github (stdout)\n{}",
        human.code,
        site.normalize(&human.stderr),
        json.stdout,
        github.stdout
    );
    Checked {
        code: json.code,
        diagnostics,
        summary,
        forms,
    }
}

#[test]
fn a_translation_may_not_set_facts() {
    let site = site_with("translation_facts");
    let c = check(&site, &[]);
    assert_eq!(c.code, 1);
    // date, kind and hosts are errors at the translation's values; cities and summary (text)
    // are translatable.
    assert_eq!(
        c.found(),
        [
            ("BL0412", "error", VISIT_UR, 3, 7),
            ("BL0412", "error", VISIT_UR, 4, 7),
            ("BL0412", "error", VISIT_UR, 5, 8),
        ]
    );
    // The help shows the original's value and where it is.
    assert!(
        c.message(0)
            .contains(&format!("the original says date: 2024-02-04 ({VISIT}:3:7)")),
        "{}",
        c.message(0)
    );
    assert!(
        c.message(2)
            .contains(&format!("the original says hosts: [li-wei] ({VISIT}:8:3)")),
        "{}",
        c.message(2)
    );
    insta::assert_snapshot!("translation_facts", c.forms);
}

#[test]
fn translate_in_site_toml_overrides_the_default() {
    // kind is marked translate = true, summary translate = false.
    let site = site_with("translate_override");
    let c = check(&site, &[]);
    assert_eq!(c.code, 1);
    assert_eq!(c.found(), [("BL0412", "error", VISIT_UR, 4, 10)]);
    assert!(c.message(0).contains("\"summary\""), "{}", c.message(0));
    insta::assert_snapshot!("translate_override", c.forms);
}

#[test]
fn required_values_may_not_be_blank() {
    let site = site_with("blank_required");
    let c = check(&site, &[]);
    assert_eq!(c.code, 1);
    // A visit's title, one of its sources' title, a topic's title of spaces, a page's title;
    // not the draft's.
    assert_eq!(
        c.found(),
        [
            ("BL0413", "error", "content/pages/about.md", 2, 8),
            ("BL0413", "error", TRADE, 2, 8),
            ("BL0413", "error", VISIT, 2, 8),
            ("BL0413", "error", VISIT, 18, 12),
        ]
    );
    assert!(
        c.message(3).contains("\"sources.title\""),
        "{}",
        c.message(3)
    );
    assert!(
        c.message(0)
            .contains("empty heading, page title and link text"),
        "{}",
        c.message(0)
    );
    insta::assert_snapshot!("blank_required", c.forms);
}

#[test]
fn an_end_date_may_not_precede_its_start() {
    let site = site_with("not_before");
    let c = check(&site, &[]);
    assert_eq!(c.code, 1);
    // An office ending before it began, a visit ending before it started; the 2023 visit ends
    // 2023-05-02 after starting "2023-05", which is fine.
    assert_eq!(
        c.found(),
        [
            ("BL0414", "error", OFFICIAL, 12, 9),
            ("BL0414", "error", VISIT, 4, 11),
        ]
    );
    assert!(
        c.message(1)
            .contains("\"end_date\" (2024-02-01) is before \"date\" (2024-02-04)"),
        "{}",
        c.message(1)
    );
    assert!(
        !c.found().iter().any(|d| d.2 == VISIT_2023),
        "partial dates compare as periods"
    );
    insta::assert_snapshot!("not_before", c.forms);
}

#[test]
fn not_before_must_name_another_date_field() {
    let site = site_with("not_before_declaration");
    let c = check(&site, &[]);
    assert_eq!(c.code, 2, "site.toml errors are exit status 2");
    assert_eq!(
        c.found(),
        [
            ("BL0111", "error", "site.toml", 36, 42),
            ("BL0111", "error", "site.toml", 59, 43),
        ]
    );
    insta::assert_snapshot!("not_before_declaration", c.forms);
}

#[test]
fn an_unquoted_value_cut_at_a_comment_is_a_warning() {
    let site = site_with("comment_cut");
    let c = check(&site, &[]);
    assert_eq!(c.code, 0, "warnings do not fail");
    // The title, a city in a list and a source's publisher; not the date followed by a comment,
    // nor the quoted title followed by one, nor the summary without a #.
    assert_eq!(
        c.found(),
        [
            ("BL0415", "warning", VISIT, 2, 8),
            ("BL0415", "warning", VISIT, 12, 5),
            ("BL0415", "warning", VISIT, 18, 16),
        ]
    );
    assert!(
        c.message(0)
            .contains("YAML read \"title\" as \"Amina Khān in Borduria\"")
            && c.message(0)
                .contains("quote it: \"Amina Khān in Borduria #2: February 2024\""),
        "{}",
        c.message(0)
    );
    // The underline covers what YAML kept and what it dropped.
    let d = &c.diagnostics[0];
    assert_eq!((d.end_line, d.end_column), (2, 8 + 40));
    insta::assert_snapshot!("comment_cut", c.forms);
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft() {
    let site = site_with("drafts");
    let c = check(&site, &[]);
    assert_eq!(c.code, 1);
    // A wikilink and a reference field to the draft; the draft's own links to the other draft
    // are fine, and neither draft is an orphan.
    assert_eq!(
        c.found(),
        [
            ("BL0507", "error", TRADE, 6, 79),
            ("BL0507", "error", VISIT, 11, 29),
        ]
    );
    assert!(
        c.message(0).contains("topics/ports is a draft")
            && c.message(0).contains("content/topics/ports.md"),
        "{}",
        c.message(0)
    );
    insta::assert_snapshot!("drafts", c.forms);

    // With --drafts, the drafts are included: the links are fine, and drafts are no orphans.
    let with = check(&site, &["--drafts"]);
    assert_eq!(with.code, 0, "{}", with.forms);
    assert_eq!(with.found(), []);
}

#[test]
fn every_independent_error_is_reported_in_one_run() {
    let site = site_with("one_pass");
    let c = check(&site, &[]);
    assert_eq!(c.code, 1);
    // The visit has a bad enum value and, all the same, its broken reference, wikilink and
    // citation; trade.md's YAML is malformed and, all the same, its text's broken link.
    assert_eq!(
        c.found(),
        [
            ("BL0305", "error", TRADE, 5, 1),
            ("BL0502", "error", TRADE, 6, 18),
            ("BL0405", "error", VISIT, 5, 7),
            ("BL0501", "error", VISIT, 8, 5),
            ("BL0502", "error", VISIT, 22, 66),
            ("BL0504", "error", VISIT, 22, 87),
        ]
    );
    // Only the cascade is left out, and the summary says so: the links to the two broken
    // files (from the home page, the official, the topics, the 2023 visit, the translation),
    // and the orphan check while trade.md's fields are unknown.
    assert_eq!(c.summary.suppressed, 8, "{:?}", c.summary);
    assert_eq!(c.summary.notes.len(), 2, "{:?}", c.summary);
    assert!(
        c.summary.notes[0].starts_with("8 links to records whose own file has errors"),
        "{:?}",
        c.summary
    );
    assert!(
        c.summary.notes[1].starts_with("records nothing links to were not looked for"),
        "{:?}",
        c.summary
    );
    insta::assert_snapshot!("one_pass", c.forms);

    // Fixing the visit's field error reveals nothing new: everything else was already reported.
    site.replace(VISIT, "kind: stat\n", "kind: state\n");
    let after = check(&site, &[]);
    let mut before = c.found();
    before.retain(|d| d.0 != "BL0405");
    assert_eq!(after.found(), before);
}

#[test]
fn placeholders_left_in_a_published_record_are_warnings() {
    let site = site_with("placeholders");
    let c = check(&site, &[]);
    assert_eq!(c.code, 0, "warnings do not fail");
    let ports = "content/topics/ports.md";
    // The published topic's title, summary and TODO line (and that nothing links to it yet);
    // nothing about the draft, which may hold placeholders.
    assert_eq!(
        c.found(),
        [
            ("BL0506", "warning", ports, 1, 1),
            ("BL0416", "warning", ports, 2, 8),
            ("BL0416", "warning", ports, 3, 10),
            ("BL0416", "warning", ports, 8, 1),
        ]
    );
    insta::assert_snapshot!("placeholders", c.forms);
}

#[test]
fn the_site_is_found_from_a_folder_below_it() {
    let site = site_with("one_pass");
    let below = site.root.join("content/visits");
    let run = |dir: &Path, format: &str| bilat_in(dir, ["check", "--format", format], &[]);
    let mut forms = String::new();
    for format in ["human", "json", "github"] {
        let from_root = site.check(&["--format", format]);
        let from_below = run(&below, format);
        assert_eq!(from_below.code, 1, "{}", from_below.stderr);
        // The same diagnostics, with paths relative to the site's folder, not the current one.
        assert_eq!(from_below.stdout, from_root.stdout, "{format}");
        let note = format!(
            "note: using the site in {} (site.toml found 2 folders up); paths below are relative to it\n",
            site.root.display()
        );
        assert!(
            from_below.stderr.starts_with(&note),
            "{format}: {}",
            from_below.stderr
        );
        assert_eq!(
            from_below.stderr.strip_prefix(&note),
            Some(from_root.stderr.as_str()),
            "{format}"
        );
        forms.push_str(&format!(
            "--- {format} (stdout, then stderr)\n{}{}",
            from_below.stdout,
            site.normalize(&from_below.stderr)
        ));
    }
    assert!(forms.contains(&format!("--> {VISIT}:5:7")), "{forms}");
    insta::assert_snapshot!("found_from_below", forms);

    // In the site's own folder nothing is said; outside any site, where to run it.
    let at_root = run(&site.root, "human");
    assert!(
        !at_root.stderr.contains("using the site"),
        "{}",
        at_root.stderr
    );
    let outside = run(site.tmp.path(), "human");
    assert_eq!(outside.code, 2, "{}", outside.stderr);
    assert!(
        outside
            .stderr
            .contains("or a folder below it), or pass --root DIR")
            && outside.stderr.contains("= code: BL0101"),
        "{}",
        outside.stderr
    );
}

#[test]
fn new_writes_a_draft_that_checks_clean_and_says_what_remains() {
    let site = Site::valid();
    let rel = "content/visits/zara-aland-2025.md";
    let run = site.run("new", &["visits", "zara-aland-2025"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let scaffold = site.read(rel);
    // As written, the draft passes its own check: no diagnostic at all.
    let draft = check(&site, &[]);
    assert_eq!(draft.code, 0, "{}", draft.forms);
    assert_eq!(draft.found(), []);
    // Published as it is, what remains is reported: the empty required fields (errors, at
    // their lines) and the placeholders (warnings). No made-up value passes unnoticed.
    site.replace(rel, "draft: true\n", "");
    let c = check(&site, &[]);
    assert_eq!(c.code, 1);
    assert_eq!(
        c.found(),
        [
            ("BL0416", "warning", rel, 6, 8),
            ("BL0402", "error", rel, 8, 1),
            ("BL0402", "error", rel, 14, 1),
            ("BL0416", "warning", rel, 27, 12),
            ("BL0416", "warning", rel, 33, 1),
        ]
    );
    insta::assert_snapshot!(
        "new_draft",
        format!(
            "--- {rel} as written\n{scaffold}--- check without draft: true\n{}",
            c.forms
        )
    );
}

//! How `bilat check` reports: all errors of a run at once, sorted by file and position, in the
//! human, JSON-lines and GitHub-annotation formats (contract §4 and §6).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Site, parse_json, parse_json_lines};

const VISIT: &str = "content/visits/amina-khan-borduria-2024.md";
const VISIT_2023: &str = "content/visits/li-wei-aland-2023.md";
const TRADE: &str = "content/topics/trade.md";

/// Errors from four stages in three files, two of them in one file.
fn site_with_several_errors() -> Site {
    let site = Site::valid();
    // link stage: a reference to nothing (line 6) and a citation out of range (line 22).
    site.replace(VISIT, "visitor: amina-khan", "visitor: amina-kahn");
    site.replace(VISIT, "the year before [@1]", "the year before [@9]");
    // validate stage: a bad enum value.
    site.replace(VISIT_2023, "kind: working", "kind: workin");
    // parse stage: malformed YAML.
    site.replace(TRADE, "aliases: [commerce]", "aliases: [commerce");
    // walk stage: a bad file name.
    site.write("content/topics/Bad.md", "---\ntitle: Bad\n---\n");
    site
}

#[test]
fn all_errors_are_reported_in_one_run_sorted_by_file_and_line() {
    let site = site_with_several_errors();
    let run = site.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let locations: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    assert_eq!(
        locations,
        [
            "content/topics/Bad.md:1:1",
            "content/topics/trade.md:5:1",
            "content/visits/amina-khan-borduria-2024.md:6:10",
            "content/visits/amina-khan-borduria-2024.md:22:35",
            "content/visits/li-wei-aland-2023.md:4:7",
        ],
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("\nerror: ").count() + usize::from(run.stderr.starts_with("error: ")),
        5,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.trim_end().ends_with("5 errors, 0 warnings"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!("several_errors_human", site.normalize(&run.stderr));
}

#[test]
fn json_format_is_one_object_per_line_with_the_contract_fields() {
    let site = site_with_several_errors();
    let run = site.check(&["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.is_empty(),
        "JSON mode writes only JSON, to stdout: {}",
        run.stderr
    );
    let (diagnostics, summary) = parse_json(&run.stdout);
    assert_eq!(diagnostics.len(), 5, "{}", run.stdout);
    assert!(diagnostics.iter().all(|d| d.severity == "error"));
    let broken_ref = &diagnostics[2];
    assert_eq!(broken_ref.file, VISIT);
    assert_eq!(broken_ref.code, "BL0501");
    assert_eq!((broken_ref.line, broken_ref.column), (6, 10));
    // The span ends after "amina-kahn" (exclusive column).
    assert_eq!((broken_ref.end_line, broken_ref.end_column), (6, 20));
    // The summary: what was checked, and what was not reported because of these errors (links
    // to the three broken files) or not looked for (orphans, while trade.md cannot be read).
    assert_eq!((summary.errors, summary.warnings), (5, 0));
    assert_eq!(summary.files_checked, 9);
    assert_eq!(summary.suppressed, 7, "{summary:?}");
    assert_eq!(summary.notes.len(), 2, "{summary:?}");
    assert_eq!(
        broken_ref.message,
        "unknown official \"amina-kahn\" in field \"visitor\""
    );
    assert_eq!(
        broken_ref.help.as_deref(),
        Some("did you mean \"amina-khan\"?")
    );
    // A bad file name points at the file's first line.
    assert_eq!(
        (
            diagnostics[0].file.as_str(),
            diagnostics[0].line,
            diagnostics[0].column
        ),
        ("content/topics/Bad.md", 1, 1)
    );
    insta::assert_snapshot!("several_errors_json", run.stdout);
}

#[test]
fn github_format_prints_workflow_annotations() {
    let site = site_with_several_errors();
    let run = site.check(&["--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    for line in &lines {
        assert!(line.starts_with("::error file=content/"), "{line}");
        assert!(line.contains(",line=") && line.contains(",col="), "{line}");
        assert!(
            line.contains(",endLine=")
                && line.contains(",endColumn=")
                && line.contains(",title=BL"),
            "{line}"
        );
    }
    // A bad file name is annotated at the file's first line.
    assert!(
        lines[0].starts_with(
            "::error file=content/topics/Bad.md,line=1,col=1,endLine=1,endColumn=2,title=BL0202::"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[2],
        "::error file=content/visits/amina-khan-borduria-2024.md,line=6,col=10,endLine=6,endColumn=20,title=BL0501::unknown official \"amina-kahn\" in field \"visitor\"%0Ahelp: did you mean \"amina-khan\"?"
    );
    insta::assert_snapshot!("several_errors_github", run.stdout);
}

#[test]
fn a_valid_site_reports_nothing_in_any_format() {
    let site = Site::valid();
    let human = site.check(&[]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert_eq!(
        human.stderr.trim(),
        "checked 6 entries and 1 translation: 0 errors, 0 warnings"
    );
    let github = site.check(&["--format", "github"]);
    assert_eq!(github.code, 0, "{}", github.stderr);
    assert_eq!(github.stdout, "");
    // JSON ends with a summary object, here all there is.
    let json = site.check(&["--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(
        json.stdout,
        "{\"kind\":\"summary\",\"errors\":0,\"warnings\":0,\"files_checked\":9,\"suppressed\":0,\"notes\":[]}\n"
    );
}

#[test]
fn warnings_are_reported_but_do_not_fail() {
    let site = Site::valid();
    site.write(
        "content/topics/lonely.md",
        "---\ntitle: Lonely\n---\nNothing links here.\n",
    );
    let run = site.check(&["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let diagnostics = parse_json_lines(&run.stdout);
    assert_eq!(diagnostics.len(), 1, "{}", run.stdout);
    assert_eq!(diagnostics[0].severity, "warning");
    assert_eq!(diagnostics[0].message, "nothing links to topics \"lonely\"");
    assert_eq!(diagnostics[0].file, "content/topics/lonely.md");
    let github = site.check(&["--format", "github"]);
    assert!(
        github
            .stdout
            .starts_with("::warning file=content/topics/lonely.md,line=1,col=1,endLine=1,endColumn=2,title=BL0506::"),
        "{}",
        github.stdout
    );
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("warning: nothing links to topics \"lonely\""),
        "{}",
        build.stderr
    );
}

#[test]
fn site_toml_errors_use_the_requested_format() {
    let site = Site::valid();
    site.replace(
        "site.toml",
        "theme = \"default\"\n",
        "theme = \"default\"\ntitel = \"x\"\n",
    );
    let run = site.check(&["--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let diagnostics = parse_json_lines(&run.stdout);
    assert_eq!(diagnostics.len(), 1, "{}", run.stdout);
    assert_eq!(
        (
            diagnostics[0].file.as_str(),
            diagnostics[0].line,
            diagnostics[0].column
        ),
        ("site.toml", 8, 1)
    );
    let github = site.check(&["--format", "github"]);
    assert_eq!(github.code, 2);
    assert!(
        github
            .stdout
            .starts_with("::error file=site.toml,line=8,col=1,endLine=8,endColumn=6,title=BL0102::site.toml: unknown field `titel`"),
        "{}",
        github.stdout
    );
}

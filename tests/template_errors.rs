//! Template errors name the template file, line and column of the real cause, with a help: each
//! case in `tests/fixtures/template-errors/` lays its `templates/` over a copy of the valid
//! fixture; `bilat check` must fail with the snapshotted diagnostics in all three formats.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Site, copy_dir, parse_json_lines};
use std::path::Path;

/// The valid fixture with the templates of `case`, checked in every format.
fn check(case: &str) -> (String, String, String) {
    let site = Site::valid();
    let overrides = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/template-errors")
        .join(case)
        .join("templates");
    copy_dir(&overrides, &site.path("templates"));
    let human = site.check(&[]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    let json = site.check(&["--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let github = site.check(&["--format", "github"]);
    assert_eq!(github.code, 1, "{}", github.stderr);
    (human.stderr, json.stdout, github.stdout)
}

#[test]
fn a_missing_endfor_names_the_for_and_where_it_should_close() {
    let (human, json, github) = check("missing-endfor");
    let found = parse_json_lines(&json);
    assert_eq!(found.len(), 1, "{json}");
    let d = &found[0];
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("templates/page.html", 11, 1)
    );
    assert!(
        d.message
            .contains("`{% for %}` opened at line 6 is not closed"),
        "{json}"
    );
    assert!(!human.contains("Unknown tag"), "{human}");
    assert_eq!(
        d.help.as_deref(),
        Some("close the `for` opened at line 6 with {% endfor %} before line 11")
    );
    insta::assert_snapshot!("missing_endfor_human", human);
    insta::assert_snapshot!("missing_endfor_json", json);
    insta::assert_snapshot!("missing_endfor_github", github);
}

#[test]
fn unknown_filters_are_located_in_their_own_files() {
    let (human, json, github) = check("unknown-filter");
    let found = parse_json_lines(&json);
    let at: Vec<(&str, u64, u64)> = found
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        at,
        [
            ("templates/page.html", 4, 23),
            ("templates/partials/card.html", 2, 63)
        ],
        "{json}"
    );
    assert_eq!(found[0].message, "template error: unknown filter `uper`");
    assert_eq!(found[0].help.as_deref(), Some("did you mean `upper`?"));
    assert!(!human.contains("--> templates\n"), "{human}");
    insta::assert_snapshot!("unknown_filter_human", human);
    insta::assert_snapshot!("unknown_filter_json", json);
    insta::assert_snapshot!("unknown_filter_github", github);
}

#[test]
fn an_end_tag_that_closes_nothing_points_at_the_open_tag() {
    let (human, json, github) = check("stray-end-tag");
    let found = parse_json_lines(&json);
    assert_eq!(found.len(), 1, "{json}");
    assert_eq!((found[0].line, found[0].column), (6, 3));
    assert!(
        found[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("the `if` opened at line 4"),
        "{json}"
    );
    insta::assert_snapshot!("stray_end_tag_human", human);
    insta::assert_snapshot!("stray_end_tag_json", json);
    insta::assert_snapshot!("stray_end_tag_github", github);
}

#[test]
fn broken_links_and_anchors_name_the_template_line() {
    let (human, json, github) = check("broken-link");
    let found = parse_json_lines(&json);
    let at: Vec<(&str, &str, u64, u64)> = found
        .iter()
        .map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        at,
        [
            ("BL0605", "templates/page.html", 6, 30),
            ("BL0605", "templates/page.html", 7, 38)
        ],
        "{json}"
    );
    assert!(found[0].message.contains("`/archive/`"), "{json}");
    assert!(found[1].message.contains("`#no-such-year`"), "{json}");
    assert!(!human.contains("anchor `#top`"), "{human}");
    insta::assert_snapshot!("broken_link_human", human);
    insta::assert_snapshot!("broken_link_json", json);
    insta::assert_snapshot!("broken_link_github", github);
}

//! The documentation stands alone and stays current: README.md and docs/ link only to files of
//! the repository (and to headings that exist), never to a path outside it; the field tables of
//! docs/contributing.md are the output of `bilat schema --format markdown`; the CI workflow uses
//! only options bilat has.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("the repository")
}

/// README.md and every Markdown file under docs/.
fn documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    docs.insert(0, repo().join("README.md"));
    docs
}

/// The text of a Markdown file without fenced code blocks and code spans (links there are
/// examples, not links).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            let mut in_code = false;
            for part in line.split('`') {
                if !in_code {
                    out.push_str(part);
                }
                in_code = !in_code;
            }
            out.push('\n');
        }
    }
    out
}

/// The targets of inline links `[text](target)` in `text`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push(rest[..end].trim().to_string());
        rest = &rest[end..];
    }
    out
}

/// GitHub's anchor of a heading: lowercase, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    prose(&text)
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| slug(l.trim_start_matches('#')))
        .collect()
}

#[test]
fn docs_link_only_to_files_in_the_repository() {
    let root = repo();
    let mut checked = 0;
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).expect("read");
        let name = doc.strip_prefix(&root).unwrap().display().to_string();
        for pointer in ["../shared", "/work/", "shared/spec", "contract.md"] {
            assert!(
                !text.contains(pointer),
                "{name} points outside the repository ({pointer})"
            );
        }
        for target in links(&prose(&text)) {
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let file = if path.is_empty() {
                doc.clone()
            } else {
                let joined = doc.parent().unwrap().join(path);
                let resolved = joined
                    .canonicalize()
                    .unwrap_or_else(|_| panic!("{name} links to {target}, which does not exist"));
                assert!(
                    resolved.starts_with(&root),
                    "{name} links to {target}, outside the repository"
                );
                resolved
            };
            if !anchor.is_empty() {
                assert!(
                    anchors(&file).contains(&anchor.to_string()),
                    "{name} links to {target}: no such heading"
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 10,
        "only {checked} links found: the link reader is broken"
    );
}

#[test]
fn the_link_reader_finds_links_and_skips_code() {
    let text = "See [a](docs/a.md) and `[b](no.md)`.\n```\n[c](no.md)\n```\n[d](#x)\n";
    assert_eq!(links(&prose(text)), ["docs/a.md", "#x"]);
    assert_eq!(
        slug("The fields of each collection"),
        "the-fields-of-each-collection"
    );
    assert_eq!(
        slug("Front matter in `.md` entries"),
        "front-matter-in-md-entries"
    );
}

#[test]
fn the_field_tables_of_the_contributor_guide_are_current() {
    let guide = std::fs::read_to_string(repo().join("docs/contributing.md")).expect("read");
    let begin = "<!-- bilat schema --format markdown: begin -->\n";
    let end = "<!-- bilat schema --format markdown: end -->";
    let start = guide.find(begin).expect("the begin marker") + begin.len();
    let stop = guide.find(end).expect("the end marker");
    let run = common::bilat(["schema", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("### Visits (`content/visits/`)"));
    assert_eq!(
        &guide[start..stop],
        run.stdout,
        "docs/contributing.md is out of date: paste the output of `bilat schema --format markdown` between its markers"
    );
}

#[test]
fn the_workflow_uses_only_options_bilat_has() {
    let workflow =
        std::fs::read_to_string(repo().join(".github/workflows/site.yml")).expect("the workflow");
    let mut used = 0;
    for line in workflow.lines() {
        let Some((_, call)) = line.split_once("target/release/bilat ") else {
            continue;
        };
        let mut words = call.split_whitespace();
        let command = words.next().expect("a command");
        let help = common::bilat([command, "--help"]);
        assert_eq!(help.code, 0, "bilat {command}: {}", help.stderr);
        for flag in words.filter(|w| w.starts_with("--")) {
            assert!(help.stdout.contains(flag), "bilat {command} has no {flag}");
        }
        used += 1;
    }
    assert!(used >= 3, "the workflow runs bilat check and build");
    for step in ["--format github", "upload-pages-artifact", "deploy-pages"] {
        assert!(workflow.contains(step), "the workflow has no {step}");
    }
}

//! `bilat explain`: every code of the registry (listed by `bilat explain` itself) has a title,
//! an explanation, an example and a fix; an unknown code is bad usage with a "did you mean";
//! and docs/diagnostics.md lists every code.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::bilat;

/// The codes `bilat explain` lists, with their titles.
fn listed() -> Vec<(String, String)> {
    let run = bilat(["explain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
        .lines()
        .map(|l| {
            let (code, title) = l.split_once("  ").expect("CODE  title");
            (code.to_string(), title.trim().to_string())
        })
        .collect()
}

#[test]
fn every_code_is_explained() {
    let codes = listed();
    assert!(codes.len() >= 50, "{} codes", codes.len());
    // The library's registry and the command agree.
    let registry: Vec<&str> = bilat::codes::ALL.iter().map(|i| i.code).collect();
    let shown: Vec<&str> = codes.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(shown, registry);
    for (code, title) in &codes {
        let run = bilat(["explain", code]);
        assert_eq!(run.code, 0, "{code}: {}", run.stderr);
        let text = run.stdout;
        assert!(
            text.starts_with(&format!("{code}: {title}\n\n")),
            "{code}:\n{text}"
        );
        let sections: Vec<&str> = text.split("\n\n").collect();
        let example = text
            .find("\nExample:\n\n")
            .unwrap_or_else(|| panic!("{code}:\n{text}"));
        let fix = text
            .find("\nTo fix it:\n\n")
            .unwrap_or_else(|| panic!("{code}:\n{text}"));
        assert!(example < fix, "{code}:\n{text}");
        // A title, an explanation, an example and a fix, none empty.
        assert!(sections.len() >= 6, "{code}:\n{text}");
        assert!(
            sections.iter().all(|s| !s.trim().is_empty()),
            "{code}:\n{text}"
        );
        // The example is indented as a block.
        let example_text = &text[example + "\nExample:\n\n".len()..fix];
        assert!(
            example_text
                .lines()
                .filter(|l| !l.is_empty())
                .all(|l| l.starts_with("    ")),
            "{code}:\n{example_text}"
        );
    }
}

#[test]
fn explain_takes_codes_in_any_case() {
    let upper = bilat(["explain", "BL0501"]);
    let lower = bilat(["explain", "bl0501"]);
    assert_eq!(upper.code, 0);
    assert_eq!(upper.stdout, lower.stdout);
    assert!(upper.stdout.contains("reference field"), "{}", upper.stdout);
}

#[test]
fn an_unknown_code_is_bad_usage_with_a_suggestion() {
    let run = bilat(["explain", "BL0551"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr
            .starts_with("error: unknown diagnostic code \"BL0551\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean BL05"), "{}", run.stderr);
    let far = bilat(["explain", "E0308"]);
    assert_eq!(far.code, 2);
    assert!(
        far.stderr.contains("run `bilat explain` to list them all"),
        "{}",
        far.stderr
    );
}

#[test]
fn the_docs_list_every_code() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"),
    )
    .expect("docs/diagnostics.md");
    for (code, title) in listed() {
        assert!(
            docs.contains(&format!("| {code} | {title} |")),
            "docs/diagnostics.md lacks the row | {code} | {title} |"
        );
    }
}

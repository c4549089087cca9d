//! `bilat new` and `bilat schema` (contract §4): a scaffolded entry is a draft that passes `check`
//! as it is, says field by field what remains, is valid once filled, never overwrites a file;
//! the schema is JSON Schema an editor can use.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Site, parse_json_lines, tree};

fn new_entry(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let root = site.root.to_string_lossy().into_owned();
    all.extend_from_slice(&["--root", &root]);
    common::bilat_in(site.tmp.path(), all, &[])
}

#[test]
fn new_entry_is_a_draft_that_passes_check_and_says_what_remains() {
    let site = Site::valid();
    let title = "Zara's \"state\" visit: day 1 # not a comment";
    let run = new_entry(&site, &["visits", "zara-aland-2025", "--title", title]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "content/visits/zara-aland-2025.md";
    assert!(
        run.stdout.contains("created") && run.stdout.contains("zara-aland-2025.md"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("draft"), "{}", run.stderr);
    let text = site.read(rel);
    assert!(text.starts_with("---\n"), "{text}");
    assert!(text.contains("\ndraft: true\n"), "{text}");
    // Field by field, a comment says what it takes; the required ones still empty say TODO.
    for (comment, field) in [
        ("# TODO (required): a date", "date:"),
        (
            "# TODO (required): the id of an entry in officials",
            "visitor:",
        ),
        (
            "# (optional) one of state, official, working, other",
            "kind:",
        ),
        ("# TODO (required): a list of sources", "sources:"),
    ] {
        assert!(
            text.lines()
                .zip(text.lines().skip(1))
                .any(|(c, f)| c.starts_with(comment) && f == field),
            "{comment} above {field}:\n{text}"
        );
    }

    // As written, the draft passes its own check, with or without --drafts.
    for extra in [&[][..], &["--drafts"][..]] {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let check = site.check(&args);
        assert_eq!(check.code, 0, "{extra:?}: {}", check.stdout);
        assert_eq!(parse_json_lines(&check.stdout), Vec::new(), "{extra:?}");
    }

    // Published as it is: what remains is reported, the empty required fields at their lines.
    site.replace(rel, "draft: true\n", "");
    let check = site.check(&["--format", "json"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    let found: Vec<(String, String, String)> = parse_json_lines(&check.stdout)
        .into_iter()
        .filter(|d| d.file == rel)
        .map(|d| (d.code, d.severity, d.message))
        .collect();
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(c, s, _)| (c.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("BL0402", "error"),
            ("BL0402", "error"),
            ("BL0416", "warning"),
            ("BL0416", "warning")
        ],
        "{found:?}"
    );
    assert!(found[0].2.contains("\"date\" is empty"), "{found:?}");
    assert!(found[1].2.contains("\"visitor\" is empty"), "{found:?}");

    // Filled in, it is a valid entry with the title exactly as given.
    site.replace(rel, "\ndate:\n", "\ndate: 2025-01-20\n");
    site.replace(rel, "\nvisitor:\n", "\nvisitor: li-wei\n");
    site.replace(rel, "\"TODO: the source's title\"", "\"Press release\"");
    site.replace(
        rel,
        "TODO: write the entry here.",
        "Zara met [[officials/li-wei]] [@1].",
    );
    let check = site.check(&["--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let remaining = parse_json_lines(&check.stdout);
    assert!(
        remaining
            .iter()
            .all(|d| d.severity == "warning" && d.code == "BL0506"),
        "only: nothing links to it yet: {remaining:?}"
    );
    site.build_ok();
    let data: serde_json::Value =
        serde_json::from_slice(&tree(&site.output)["data/visits.json"]).expect("JSON");
    let record = data
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["id"] == "zara-aland-2025")
        .expect("the new visit");
    assert_eq!(record["title"], title);
}

#[test]
fn new_entry_of_every_collection_is_a_draft_that_checks_clean() {
    let site = Site::valid();
    for collection in ["visits", "officials", "topics"] {
        let run = new_entry(&site, &[collection, "fresh-entry"]);
        assert_eq!(run.code, 0, "{collection}: {}", run.stderr);
        let text = site.read(&format!("content/{collection}/fresh-entry.md"));
        // Without --title, the title is a recognisable placeholder, not the id.
        assert!(text.contains(": \"TODO: the "), "{text}");
    }
    for extra in [&[][..], &["--drafts"][..]] {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let check = site.check(&args);
        assert_eq!(check.code, 0, "{extra:?}: {}", check.stdout);
        assert_eq!(parse_json_lines(&check.stdout), Vec::new(), "{extra:?}");
    }
    // A draft built with --drafts renders (its empty fields are simply not shown).
    let output = site.output.to_string_lossy().into_owned();
    let build = site.run("build", &["--output", &output, "--drafts"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(site.output.join("visits/fresh-entry/index.html").is_file());
    // A topic needs only its title: published as it is, only the placeholders are reported.
    site.replace("content/topics/fresh-entry.md", "draft: true\n", "");
    let check = site.check(&["--format", "json"]);
    let found: Vec<(String, String)> = parse_json_lines(&check.stdout)
        .into_iter()
        .filter(|d| d.file == "content/topics/fresh-entry.md")
        .map(|d| (d.code, d.severity))
        .collect();
    assert_eq!(
        found,
        [
            // Nothing links to it yet; its title, its (optional) source's title and its text
            // are placeholders.
            ("BL0506".to_string(), "warning".to_string()),
            ("BL0416".to_string(), "warning".to_string()),
            ("BL0416".to_string(), "warning".to_string()),
            ("BL0416".to_string(), "warning".to_string()),
        ],
        "{}",
        check.stdout
    );
}

#[test]
fn new_refuses_to_overwrite() {
    let site = Site::valid();
    for (collection, id, existing) in [
        (
            "visits",
            "amina-khan-borduria-2024",
            "content/visits/amina-khan-borduria-2024.md",
        ),
        ("officials", "li-wei", "content/officials/li-wei.yaml"),
    ] {
        let before = std::fs::read(site.path(existing)).expect("existing file");
        let run = new_entry(&site, &[collection, id]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("already exists"), "{}", run.stderr);
        assert_eq!(
            std::fs::read(site.path(existing)).expect("existing file"),
            before,
            "{existing} is untouched"
        );
    }
    assert!(
        !site.path("content/officials/li-wei.md").exists(),
        "no second file beside li-wei.yaml"
    );
}

#[test]
fn new_rejects_bad_ids_and_unknown_collections() {
    let site = Site::valid();
    let before = tree(site.tmp.path());
    for (args, says) in [
        (&["visits", "../../escape"][..], "is not a valid id"),
        (&["visits", "Bad Name"], "is not a valid id"),
        (&["visits", "a/b"], "is not a valid id"),
        (&["visit", "x"], "did you mean \"visits\"?"),
    ] {
        let run = new_entry(&site, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        tree(site.tmp.path()).keys().collect::<Vec<_>>(),
        "nothing was written"
    );
}

#[test]
fn schema_of_a_collection_is_json_schema_with_required_fields() {
    let site = Site::valid();
    let run = site.run("schema", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let defs = all["$defs"].as_object().expect("$defs");
    let mut names: Vec<&str> = defs.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "officials",
            "officials.translation",
            "topics",
            "topics.translation",
            "visits",
            "visits.translation"
        ]
    );

    let args = [
        "schema",
        "visits",
        "--root",
        site.root.to_str().expect("UTF-8 path"),
    ];
    let run = common::bilat_in(site.tmp.path(), args, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(required, ["title", "date", "visitor", "sources"]);
    let properties = &schema["properties"];
    // Optional fields also take YAML's null (an empty `kind:`).
    assert_eq!(
        properties["kind"]["anyOf"],
        serde_json::json!([{"enum": ["state", "official", "working", "other"]}, {"type": "null"}])
    );
    assert_eq!(
        properties["host_country"]["anyOf"][0]["enum"],
        serde_json::json!(["aa", "bb"])
    );
    // A list, or one value read as a list of one; the ids of the officials on disk.
    assert_eq!(properties["hosts"]["anyOf"][0]["type"], "array");
    assert_eq!(
        properties["hosts"]["anyOf"][0]["items"]["anyOf"][0]["enum"],
        serde_json::json!(["amina-khan", "li-wei"])
    );
    // A year alone is an integer to a YAML 1.2 parser.
    assert_eq!(properties["date"]["anyOf"][1]["type"], "integer");
    assert_eq!(
        properties["sources"]["items"]["required"],
        serde_json::json!(["title"])
    );

    let run = common::bilat_in(
        site.tmp.path(),
        [
            "schema",
            "officials",
            "--root",
            site.root.to_str().expect("UTF-8 path"),
        ],
        &[],
    );
    let officials: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(
        officials["properties"]["offices"]["anyOf"][0]["items"]["required"],
        serde_json::json!(["title"])
    );
    assert_eq!(
        officials["properties"]["offices"]["anyOf"][0]["items"]["additionalProperties"],
        false
    );

    let run = common::bilat_in(
        site.tmp.path(),
        [
            "schema",
            "visits",
            "--translation",
            "--root",
            site.root.to_str().expect("UTF-8 path"),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let translation: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let mut fields: Vec<&str> = translation["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["cities", "draft", "summary", "title"]);
}

#[test]
fn schema_of_an_unknown_collection_exits_2() {
    let site = Site::valid();
    let run = common::bilat_in(
        site.tmp.path(),
        [
            "schema",
            "visit",
            "--root",
            site.root.to_str().expect("UTF-8 path"),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("unknown collection \"visit\""),
        "{}",
        run.stderr
    );
}

#[test]
fn schema_accepts_the_fixture_entries_field_names() {
    // Every field the valid fixture uses is a property of its collection's schema.
    let site = Site::valid();
    let run = site.run("schema", &[]);
    let all: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let yaml = site.read("content/officials/li-wei.yaml");
    for key in yaml
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '-']))
        .filter_map(|l| l.split(':').next())
    {
        assert!(
            all["$defs"]["officials"]["properties"].get(key).is_some(),
            "{key} is not in the schema"
        );
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // The bundled site's schema (over 100 KB, with every id) is longer than a pipe holds.
    let mut child = Command::new(env!("CARGO_BIN_EXE_bilat"))
        .args(["schema", "--root", env!("CARGO_MANIFEST_DIR")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bilat starts");
    let mut first = [0u8; 1];
    let mut out = child.stdout.take().expect("piped");
    out.read_exact(&mut first).expect("some output");
    drop(out); // as `bilat schema | head -c 1` does
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("exits");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(status.code(), Some(101), "no panic exit: {status:?}");
}

//! `bilat new` and `bilat schema` (contract §4): a scaffolded entry parses, passes `check` once its
//! placeholders are filled, never overwrites a file; the schema is JSON Schema an editor can use.

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
fn new_entry_parses_and_passes_check_once_filled() {
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
    let text = site.read(rel);
    assert!(text.starts_with("---\n"), "{text}");

    // As written: it parses, and what is left to do is only about the placeholder values.
    let check = site.check(&["--format", "json"]);
    assert_eq!(
        check.code, 1,
        "the placeholders are not yet valid values:\n{}",
        check.stdout
    );
    for d in parse_json_lines(&check.stdout)
        .iter()
        .filter(|d| d.severity == "error")
    {
        assert_eq!(d.file, rel, "{d:?}");
        assert!(
            !d.message.contains("YAML") && !d.message.contains("front matter"),
            "the scaffold parses: {d:?}"
        );
        assert!(d.line >= 2, "{d:?}");
    }

    // Filled in, it is a valid entry with the title exactly as given.
    site.replace(rel, "visitor: \"\"", "visitor: li-wei");
    site.replace(rel, "  - title: \"\"", "  - title: \"Press release\"");
    site.replace(
        rel,
        "    url: \"https://\"",
        "    url: \"https://aland.example.org/zara\"",
    );
    site.replace(rel, "    date: \"\"", "    date: 2025-01");
    let check = site.check(&["--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let remaining = parse_json_lines(&check.stdout);
    assert!(
        remaining.iter().all(|d| d.severity == "warning"),
        "{remaining:?}"
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
fn new_entry_of_every_collection_parses() {
    let site = Site::valid();
    for collection in ["visits", "officials", "topics"] {
        let run = new_entry(&site, &[collection, "fresh-entry"]);
        assert_eq!(run.code, 0, "{collection}: {}", run.stderr);
    }
    let check = site.check(&["--format", "json"]);
    for d in parse_json_lines(&check.stdout) {
        assert!(d.file.ends_with("/fresh-entry.md"), "{d:?}");
        assert!(
            !d.message.contains("YAML") && !d.message.contains("front matter"),
            "{d:?}"
        );
        assert!(
            !d.message.contains("link") && !d.message.contains("citation"),
            "the scaffold's body links to nothing: {d:?}"
        );
    }
    // A topic needs only its title, which the scaffold fills: it passes as it is.
    assert!(
        parse_json_lines(&check.stdout)
            .iter()
            .all(|d| d.file != "content/topics/fresh-entry.md" || d.severity == "warning"),
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

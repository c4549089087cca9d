//! Front-matter splitting, YAML parsing, schema validation and linking of one fuzzed entry.
//!
//! The first input byte picks what the file is (an entry of either collection, as Markdown or
//! YAML, a translation, or a free page); the rest are its bytes, read exactly as the parse stage
//! reads a file from disk. Two fixed entries sit beside it so that references can resolve.
//! Every diagnostic is also rendered in each output format, since that code quotes source lines.
#![no_main]

use bilat::Config;
use bilat::{Diagnostic, Format as DiagFormat};
use bilat::stages::{Format, SourceFile, SourceKind};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const SITE: &str = r#"
title = "Fuzz"
base_url = "https://fuzz.example.org/sub"
default_language = "en"
[[parties]]
code = "pk"
name = "Pakistan"
[[parties]]
code = "cn"
name = "China"
[languages.en]
name = "English"
[languages.ur]
name = "Urdu"
direction = "rtl"
[limits]
max_yaml_depth = 16
max_yaml_nodes = 2000
[checks]
orphans = "warning"

[collections.officials]
title = "Officials"
title_field = "name"
summary_field = "summary"
[collections.officials.fields]
name = { type = "string", required = true }
country = { type = "party", required = true }
born = { type = "date" }
aliases = { type = "list", of = "string" }
summary = { type = "string" }
sources = { type = "sources" }
[collections.officials.fields.offices]
type = "list"
of = "object"
fields = { title = { type = "string", required = true }, from = { type = "date" }, to = { type = "date" } }

[collections.visits]
title = "Visits"
date_field = "date"
end_date_field = "end_date"
[collections.visits.fields]
title = { type = "string", required = true }
date = { type = "date", required = true }
end_date = { type = "date" }
kind = { type = "enum", values = ["state", "official", "working", "other"] }
visitor = { type = "ref", collection = "officials", backlink = "Visits made" }
hosts = { type = "list", of = "ref", collection = "officials", backlink = "Visits hosted" }
count = { type = "integer" }
public = { type = "bool" }
link = { type = "url" }
notes = { type = "text" }
sources = { type = "sources" }
"#;

const OFFICIAL: &str = "---\nname: Xi Jinping\ncountry: cn\nsources:\n  - title: A\n    url: https://example.org/a\n---\nMet [[visits/a-visit]].[@1]\n";
const VISIT: &str =
    "---\ntitle: A visit\ndate: 2015-04\nvisitor: xi-jinping\n---\nBy [[xi-jinping|him]].\n";

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| match bilat::stages::parse_config(SITE) {
        Ok(c) => c,
        Err(d) => panic!("the fuzz site.toml is invalid: {d:?}"),
    })
}

fn source(rel: &str, kind: SourceKind, lang: Option<&str>, format: Format) -> SourceFile {
    SourceFile {
        rel: rel.to_string(),
        abs: PathBuf::from(rel),
        kind,
        lang: lang.map(str::to_string),
        format,
    }
}

fn entry(collection: &str, id: &str) -> SourceKind {
    SourceKind::Entry {
        collection: collection.into(),
        id: id.into(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let config = config();
    let fuzzed = match selector % 8 {
        0 => source(
            "content/visits/fuzzed.md",
            entry("visits", "fuzzed"),
            None,
            Format::Markdown,
        ),
        1 => source(
            "content/officials/fuzzed.md",
            entry("officials", "fuzzed"),
            None,
            Format::Markdown,
        ),
        2 => source(
            "content/visits/fuzzed.yaml",
            entry("visits", "fuzzed"),
            None,
            Format::Yaml,
        ),
        3 => source(
            "content/officials/fuzzed.yml",
            entry("officials", "fuzzed"),
            None,
            Format::Yaml,
        ),
        // A translation of the fixed visit, and a duplicate of its id.
        4 => source(
            "content/visits/a-visit.ur.md",
            entry("visits", "a-visit"),
            Some("ur"),
            Format::Markdown,
        ),
        5 => source(
            "content/visits/a-visit.yaml",
            entry("visits", "a-visit"),
            None,
            Format::Yaml,
        ),
        6 => source(
            "content/pages/fuzzed.md",
            SourceKind::Page {
                id: "fuzzed".into(),
            },
            None,
            Format::Markdown,
        ),
        _ => source(
            "content/_index.md",
            SourceKind::Home,
            None,
            Format::Markdown,
        ),
    };
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut files = Vec::new();
    let fixed = [
        (
            source(
                "content/officials/xi-jinping.md",
                entry("officials", "xi-jinping"),
                None,
                Format::Markdown,
            ),
            OFFICIAL,
        ),
        (
            source(
                "content/visits/a-visit.md",
                entry("visits", "a-visit"),
                None,
                Format::Markdown,
            ),
            VISIT,
        ),
    ];
    for (src, text) in fixed {
        match bilat::stages::parse_text(src, text.to_string(), &config.limits) {
            Ok(f) => files.push(f),
            Err(d) => panic!("a fixed file does not parse: {d:?}"),
        }
    }
    let rel = fuzzed.rel.clone();
    match bilat::stages::decode(&rel, bytes.to_vec())
        .and_then(|text| bilat::stages::parse_text(fuzzed, text, &config.limits))
    {
        Ok(f) => files.push(f),
        Err(d) => diags.push(d),
    }
    let parsed = bilat::stages::Parsed {
        files,
        ..Default::default()
    };
    let mut catalog = bilat::stages::validate(config, parsed, selector & 8 != 0);
    diags.append(&mut catalog.diagnostics);
    let mut linked = bilat::stages::link(config, catalog);
    diags.append(&mut linked.diagnostics);
    bilat::stages::sort_diagnostics(&mut diags);
    for format in [DiagFormat::Human, DiagFormat::Json, DiagFormat::Github] {
        let _ = bilat::render_all(&diags, format, selector & 16 != 0);
    }
});

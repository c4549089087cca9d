//! The bundled Pakistan–China site stays complete as it grows: it checks clean (orphans are
//! errors in its site.toml, `sources` is required by every collection, mirrors are denied
//! source hosts), has at least 220 records, a dated record at least every four years from 1951
//! to 2025, no body under 80 words, two sources or more for every visit, agreement and event,
//! every record in Urdu and Chinese, and a record for every entity of the seed joint statement.

#![allow(clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bundled_site_checks_clean() {
    // Without the social cards, whose fonts are the system's (.ci/run installs them and fails
    // on a card the bundled build cannot draw).
    let site = common::Site::bundled_without_cards();
    let out = Command::new(env!("CARGO_BIN_EXE_bilat"))
        .args(["check", "--format", "json", "--root"])
        .arg(&site.root)
        .output()
        .expect("run bilat");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "bilat check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing but the summary line: no error, no warning, nothing suppressed or skipped.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the bundled site has warnings:\n{stdout}");
    let summary: serde_json::Value = serde_json::from_str(lines[0]).expect("a JSON summary");
    assert_eq!(summary["kind"], "summary", "{stdout}");
    assert_eq!(
        (
            &summary["errors"],
            &summary["warnings"],
            &summary["suppressed"]
        ),
        (&0.into(), &0.into(), &0.into()),
        "{stdout}"
    );
    assert_eq!(summary["notes"], serde_json::json!([]), "{stdout}");
}

#[test]
fn bundled_site_settings_keep_the_rules() {
    let site = std::fs::read_to_string(root().join("site.toml")).expect("site.toml");
    assert!(
        site.contains("orphans = \"error\""),
        "records nothing links to must stay errors"
    );
    let collections = site.matches("[collections.").count();
    let required_sources = site
        .matches("sources = { type = \"sources\", required = true }")
        .count();
    assert!(
        required_sources >= 5,
        "every collection requires sources ({required_sources} of {collections} tables)"
    );
    // Every end date may not precede its start (issue 10): end_date, died, an office's `to`,
    // a treaty's entry into force.
    for (field, start) in [
        ("end_date", "date"),
        ("died", "born"),
        ("to", "from"),
        ("date_in_force", "date_signed"),
    ] {
        let declared: Vec<&str> = site
            .lines()
            .filter(|l| {
                l.contains(&format!(" {field} = {{ type = \"date\""))
                    || l.starts_with(&format!("{field} = {{ type = \"date\""))
            })
            .collect();
        assert!(!declared.is_empty(), "{field} is declared in site.toml");
        for line in declared {
            assert!(
                line.contains(&format!("not_before = \"{start}\"")),
                "{field} must be not_before {start}: {line}"
            );
        }
    }
}

#[test]
fn bundled_site_has_enough_records() {
    let mut records = 0;
    for collection in COLLECTIONS {
        let dir = root().join("content").join(collection);
        let count = std::fs::read_dir(&dir)
            .expect("collection folder")
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.starts_with('_') && name.ends_with(".md") && name.matches('.').count() == 1
            })
            .count();
        assert!(count > 0, "{collection} is empty");
        records += count;
    }
    assert!(records >= 220, "only {records} records");
}

#[test]
fn every_seed_entity_has_its_record() {
    let seed = [
        "visits/zardari-china-2025",
        "officials/asif-ali-zardari",
        "officials/xi-jinping",
        "officials/li-qiang",
        "officials/zhao-leji",
        "documents/joint-statement-2025-02",
        "topics/cpec",
        "topics/cpec-phase-2",
        "topics/belt-and-road",
        "topics/gwadar-port",
        "topics/new-gwadar-international-airport",
        "topics/cpec-jcc",
        "topics/counter-terrorism",
        "topics/jammu-and-kashmir",
        "topics/afghanistan",
        "topics/uraan-pakistan",
        "topics/five-es",
        "topics/mining-and-offshore-oil-and-gas",
        "topics/all-weather-strategic-cooperative-partnership",
    ];
    let visit = std::fs::read_to_string(root().join("content/visits/zardari-china-2025.md"))
        .expect("showcase visit");
    for id in seed {
        assert!(
            root().join("content").join(format!("{id}.md")).is_file(),
            "missing record {id}"
        );
        if id != "visits/zardari-china-2025" {
            let bare = id.split_once('/').map_or(id, |(_, i)| i);
            assert!(
                visit.contains(id) || visit.contains(bare),
                "the showcase visit does not link {id}"
            );
        }
    }
}

const COLLECTIONS: [&str; 6] = [
    "events",
    "officials",
    "visits",
    "agreements",
    "documents",
    "topics",
];

/// Every record of the bundled site: (collection, id, the file's text).
fn records() -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    for collection in COLLECTIONS {
        let dir = root().join("content").join(collection);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("collection folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('_') && n.ends_with(".md") && n.matches('.').count() == 1)
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).expect("record file");
            let id = name.trim_end_matches(".md").to_string();
            out.push((collection, id, text));
        }
    }
    out
}

/// The front matter and the body of a record file.
fn split(text: &str) -> (&str, &str) {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("front matter end");
    (&rest[..end], &rest[end + 5..])
}

/// A top-level front-matter value, unquoted.
fn field<'t>(front: &'t str, name: &str) -> Option<&'t str> {
    front.lines().find_map(|l| {
        let v = l.strip_prefix(name)?.strip_prefix(':')?.trim();
        Some(v.trim_matches('"').trim_matches('\''))
    })
}

#[test]
fn no_record_body_is_a_stub() {
    let short: Vec<String> = records()
        .iter()
        .filter_map(|(c, id, text)| {
            let words = split(text).1.split_whitespace().count();
            (words < 80).then(|| format!("{c}/{id}: {words} words"))
        })
        .collect();
    assert!(
        short.is_empty(),
        "bodies under 80 words:\n{}",
        short.join("\n")
    );
}

#[test]
fn visits_agreements_and_events_have_two_sources() {
    let thin: Vec<String> = records()
        .iter()
        .filter(|(c, _, _)| matches!(*c, "visits" | "agreements" | "events"))
        .filter_map(|(c, id, text)| {
            let front = split(text).0;
            let after = front.split("\nsources:").nth(1).unwrap_or("");
            let n = after
                .lines()
                .filter(|l| l.trim_start().starts_with("- title:"))
                .count();
            (n < 2).then(|| format!("{c}/{id}: {n} source(s)"))
        })
        .collect();
    assert!(
        thin.is_empty(),
        "fewer than two sources:\n{}",
        thin.join("\n")
    );
}

#[test]
fn every_record_is_translated_into_urdu_and_chinese() {
    let mut missing = Vec::new();
    for (c, id, _) in records() {
        for lang in ["ur", "zh"] {
            let path = root()
                .join("content")
                .join(c)
                .join(format!("{id}.{lang}.md"));
            if !path.exists() {
                missing.push(format!("{c}/{id}.{lang}.md"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing translations:\n{}",
        missing.join("\n")
    );
}

/// Days since 0000-03-01 of a full or partial ISO date (a partial date counts from its start).
fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let y = parts.next()??;
    let m = parts.next().flatten().unwrap_or(1);
    let d = parts.next().flatten().unwrap_or(1);
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d - 1)
}

#[test]
fn no_span_of_four_years_without_a_dated_record() {
    let mut dates: Vec<(i64, String)> = records()
        .iter()
        .filter_map(|(c, id, text)| {
            let front = split(text).0;
            let date = field(front, "date").or_else(|| field(front, "date_signed"))?;
            Some((day_number(date)?, format!("{c}/{id} ({date})")))
        })
        .collect();
    dates.push((
        day_number("1951-01-01").expect("date"),
        "1 January 1951".into(),
    ));
    dates.push((
        day_number("2025-12-31").expect("date"),
        "31 December 2025".into(),
    ));
    dates.sort();
    let four_years = 4 * 365 + 1;
    let gaps: Vec<String> = dates
        .windows(2)
        .filter_map(|w| match w {
            [(a, from), (b, to)] if b - a > four_years => Some(format!("{from} → {to}")),
            _ => None,
        })
        .collect();
    assert!(
        gaps.is_empty(),
        "spans of more than four years:\n{}",
        gaps.join("\n")
    );
}

#[test]
fn the_bundled_site_denies_mirror_hosts() {
    let site = std::fs::read_to_string(root().join("site.toml")).expect("site.toml");
    for host in [
        "dvincitest.com",
        "docsbay.net",
        "fdocuments.net",
        "everything2.com",
    ] {
        assert!(
            site.contains(&format!("\"{host}\"")),
            "{host} is not denied"
        );
    }
    assert!(site.contains("source_ip_hosts = \"error\""));
}

/// Build the bundled site into a fresh folder, with `base_url` replaced when given; the build
/// checks every internal link and anchor of its output (BL0605), so success means none is broken.
fn build_bundled(base_url: Option<&str>) -> (tempfile::TempDir, String) {
    // Without the social cards: 800 of them take minutes in a debug build (tests/cards.rs).
    let site = common::Site::bundled_without_cards();
    let out = site.tmp;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bilat"));
    cmd.args(["build", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(out.path().join("public"));
    if let Some(url) = base_url {
        cmd.args(["--base-url", url]);
    }
    let run = cmd.output().expect("run bilat");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "the build failed:\n{stderr}");
    assert!(!stderr.contains("BL0605"), "{stderr}");
    (out, stderr)
}

#[test]
fn bundled_site_links_to_nothing_missing_at_a_root_or_under_a_sub_path() {
    let (root_out, _) = build_bundled(None);
    let home = std::fs::read_to_string(root_out.path().join("public/index.html")).expect("home");
    assert!(home.contains("href=\"/timeline/\""), "{home}");

    let (sub_out, _) = build_bundled(Some("https://example.org/pk-cn/"));
    let home = std::fs::read_to_string(sub_out.path().join("public/index.html")).expect("home");
    // The Markdown link `[timeline](/timeline/)` of the home page gets the sub-path…
    assert!(home.contains("href=\"/pk-cn/timeline/\""), "{home}");
    assert!(!home.contains("href=\"/timeline/\""), "{home}");
    // …and the hreflang alternates name it once.
    assert!(
        home.contains("hreflang=\"ur\" href=\"https://example.org/pk-cn/ur/\""),
        "{home}"
    );
    assert!(!home.contains("/pk-cn/pk-cn/"), "{home}");
}

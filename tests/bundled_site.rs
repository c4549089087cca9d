//! The bundled Pakistan–China site stays complete as it grows: it checks clean (orphans are
//! errors in its site.toml, and `sources` is required by every collection), has at least 80
//! records, and has a record for every entity of the seed joint statement.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bundled_site_checks_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_bilat"))
        .args(["check", "--format", "json", "--root"])
        .arg(root())
        .output()
        .expect("run bilat");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "bilat check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.trim(),
        "",
        "the bundled site has warnings:\n{stdout}"
    );
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
}

#[test]
fn bundled_site_has_enough_records() {
    let mut records = 0;
    for collection in ["officials", "visits", "agreements", "documents", "topics"] {
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
    assert!(records >= 80, "only {records} records");
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

//! Social card images (issue 12): every entry page of the fixture (English and Urdu) gets a PNG
//! card as its `og:image`, `[cards] enabled = false` removes them, an unchanged rebuild keeps
//! them, and a missing font is a warning that leaves the card out, never a broken image.
//! The fixture ships its fonts (tests/fixtures/valid/fonts), so no installed font is needed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Site, tree};
use std::collections::BTreeMap;

/// The entry pages of a built tree (`<collection>/<id>/index.html`, in any language).
fn entry_pages(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let collections = ["visits/", "officials/", "topics/"];
    files
        .keys()
        .filter(|k| k.ends_with("/index.html"))
        .filter(|k| {
            let rest = k.strip_prefix("ur/").unwrap_or(k);
            collections.iter().any(|c| rest.starts_with(c)) && rest.matches('/').count() == 2
        })
        .cloned()
        .collect()
}

/// The `content` of `<meta property|name="key" content="…">` in `html`.
fn meta<'h>(html: &'h str, key: &str) -> Option<&'h str> {
    let at = html
        .find(&format!("property=\"{key}\" content=\""))
        .or_else(|| html.find(&format!("name=\"{key}\" content=\"")))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(&rest[start..start + end])
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn every_entry_page_has_its_card_as_og_image() {
    let site = Site::valid();
    let files = site.build_ok();
    let pages = entry_pages(&files);
    assert_eq!(pages.len(), 12, "six entries in two languages: {pages:?}");
    for page in &pages {
        let html = String::from_utf8_lossy(&files[page]);
        let card = page.replace("index.html", "card.png");
        let png = files.get(&card).unwrap_or_else(|| panic!("{card} missing"));
        assert_eq!(png_size(png), (1200, 630), "{card}");
        let url = format!("https://fixture.example.org/{card}");
        assert_eq!(meta(&html, "og:image"), Some(url.as_str()), "{page}");
        assert_eq!(meta(&html, "twitter:image"), Some(url.as_str()), "{page}");
        assert_eq!(meta(&html, "og:image:type"), Some("image/png"), "{page}");
        assert_eq!(meta(&html, "og:image:width"), Some("1200"), "{page}");
        assert_eq!(meta(&html, "og:image:height"), Some("630"), "{page}");
        assert_eq!(
            meta(&html, "twitter:card"),
            Some("summary_large_image"),
            "{page}"
        );
        let alt = meta(&html, "og:image:alt").unwrap_or_default();
        assert!(alt.contains("Fixture Relations"), "{page}: {alt}");
    }
    // The Urdu card of the translated visit carries the Urdu title in its alt text.
    let ur = String::from_utf8_lossy(&files["ur/visits/amina-khan-borduria-2024/index.html"]);
    assert!(
        meta(&ur, "og:image:alt").is_some_and(|a| a.contains("امینہ خان")),
        "{ur}"
    );
    // Other pages have no card and keep the small summary.
    let home = String::from_utf8_lossy(&files["index.html"]);
    assert_eq!(meta(&home, "og:image"), None);
    assert_eq!(meta(&home, "twitter:card"), Some("summary"));
    // Cards differ by language: the Urdu card is its own image.
    assert_ne!(
        files["visits/amina-khan-borduria-2024/card.png"],
        files["ur/visits/amina-khan-borduria-2024/card.png"]
    );
}

#[test]
fn cards_can_be_turned_off() {
    let site = Site::valid();
    site.replace("site.toml", "[cards]\n", "[cards]\nenabled = false\n");
    let files = site.build_ok();
    assert!(
        !files.keys().any(|k| k.ends_with(".png")),
        "no card is drawn"
    );
    for page in entry_pages(&files) {
        let html = String::from_utf8_lossy(&files[&page]);
        assert_eq!(meta(&html, "og:image"), None, "{page}");
        assert_eq!(meta(&html, "twitter:card"), Some("summary"), "{page}");
    }
}

#[test]
fn an_unchanged_rebuild_keeps_the_cards_and_an_edit_redraws_one() {
    let site = Site::valid();
    let first = site.build_ok();
    let again = site.build();
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains(" 0 written,"),
        "nothing is rendered again: {}",
        again.stdout
    );
    assert_eq!(tree(&site.output), first);

    site.replace(
        "content/topics/trade.md",
        "title: \"Trade\"",
        "title: \"Trade and commerce\"",
    );
    let edited = site.build_ok();
    let changed: Vec<&String> = first
        .keys()
        .filter(|k| k.ends_with("card.png") && edited.get(*k) != first.get(*k))
        .collect();
    // The topic has no Urdu translation: its Urdu page shows the English title too.
    assert_eq!(
        changed,
        ["topics/trade/card.png", "ur/topics/trade/card.png"],
        "only the edited entry's cards are drawn again"
    );
}

#[test]
fn a_missing_font_is_a_warning_and_no_card() {
    let site = Site::valid();
    std::fs::create_dir_all(site.path("no-fonts")).expect("empty font folder");
    site.replace(
        "site.toml",
        "font_dirs = [\"fonts\"]",
        "font_dirs = [\"no-fonts\"]",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "a missing font fails nothing: {}", run.stderr);
    assert!(run.stderr.contains("BL0606"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Noto Sans was not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Noto Nastaliq Urdu"), "{}", run.stderr);
    let files = tree(&site.output);
    assert!(!files.keys().any(|k| k.ends_with(".png")));
    for page in entry_pages(&files) {
        let html = String::from_utf8_lossy(&files[&page]);
        assert_eq!(meta(&html, "og:image"), None, "{page}");
    }
}

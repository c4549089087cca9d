//! `bilat refs` and `bilat rename`, and the redirect pages of old ids: a rename of a record of
//! the bundled site leaves `check` clean, every old URL (in every language) answers with a
//! redirect to the new one, no sitemap lists it, and the rest of the output is byte-identical to
//! a fresh build of the renamed site; an old id that is also a live id is an error at its place.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Site, parse_json_lines, tree};

/// A copy of the bundled site whose `bilat check` is clean (see tests/lsp.rs).
fn bundled_site() -> Site {
    let site = Site::bundled_without_cards();
    let toml = site.read("site.toml");
    let mut inside = false;
    let mut kept = String::new();
    for line in toml.split_inclusive('\n') {
        if line.starts_with("source_ip_hosts") {
            continue;
        }
        if line.starts_with("denied_source_hosts") || inside {
            inside = !line.contains(']');
            continue;
        }
        kept.push_str(line);
    }
    site.write("site.toml", kept);
    site
}

#[test]
fn refs_lists_fields_and_mentions_with_their_sentence() {
    let site = Site::valid();
    let run = site.run("refs", &["officials/li-wei"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "content/visits/amina-khan-borduria-2024.md:8:5: field hosts\n\
         content/visits/amina-khan-borduria-2024.md:21:60: mention: The visit renewed the accord on Trade that the Bordurian minister had proposed in Aland the year before.\n\
         content/visits/li-wei-aland-2023.md:5:10: field visitor\n"
    );
    let wrong = site.run("refs", &["officials/li-wie"]);
    assert_eq!(wrong.code, 1);
    assert!(
        wrong.stderr.contains("did you mean \"li-wei\"?"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn rename_redirects_old_urls_and_changes_nothing_else() {
    let site = bundled_site();
    let before = site.check(&[]);
    assert_eq!(
        before.code, 0,
        "the site should check clean:\n{}",
        before.stderr
    );

    let run = site.run("rename", &["officials/xi-jinping", "xi-jinping-2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = site.check(&[]);
    assert_eq!(after.code, 0, "check after the rename:\n{}", after.stderr);
    let renamed = site.build_ok();

    // Every old URL is a redirect to the new one, in every language.
    let redirects = [
        (
            "officials/xi-jinping/index.html",
            "/officials/xi-jinping-2/",
        ),
        (
            "ur/officials/xi-jinping/index.html",
            "/ur/officials/xi-jinping-2/",
        ),
        (
            "zh/officials/xi-jinping/index.html",
            "/zh/officials/xi-jinping-2/",
        ),
    ];
    for (path, to) in redirects {
        let page = String::from_utf8(renamed[path].clone()).unwrap();
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
            )),
            "{path}: {page}"
        );
        assert!(
            page.contains(&format!(
                "<link rel=\"canonical\" href=\"https://pk-cn.example.org{to}\">"
            )),
            "{path}: {page}"
        );
        assert!(
            page.contains(&format!("<a href=\"{to}\">")),
            "{path}: {page}"
        );
    }
    let sitemap = String::from_utf8(renamed["sitemap.xml"].clone()).unwrap();
    assert!(
        !sitemap.contains("/officials/xi-jinping/"),
        "the sitemap lists an old URL"
    );
    assert!(sitemap.contains("/officials/xi-jinping-2/"));

    // Without the old id, a fresh build is the same site less the redirects.
    let file = "content/officials/xi-jinping-2.md";
    let text = site.read(file);
    assert!(text.contains("aliases_ids: [xi-jinping]\n"), "{text}");
    site.write(file, text.replace("aliases_ids: [xi-jinping]\n", ""));
    std::fs::remove_dir_all(&site.output).unwrap();
    let fresh = site.build_ok();
    let mut expected = renamed.clone();
    for (path, _) in redirects {
        expected.remove(path);
    }
    // The page cache records the fingerprints of the source files, one of which differs.
    expected.remove(".bilat-cache");
    let mut fresh = fresh;
    fresh.remove(".bilat-cache");
    common::assert_same_tree(&expected, &fresh, "the renamed site without its redirects");
}

#[test]
fn an_old_id_that_is_live_is_an_error_at_its_place() {
    let site = Site::valid();
    site.replace(
        "content/officials/amina-khan.md",
        "country: aa\r\n",
        "country: aa\r\naliases_ids: [li-wei, amina]\r\n",
    );
    let run = site.check(&["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found = parse_json_lines(&run.stdout);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("content/officials/amina-khan.md", 4, 15)
    );
    assert!(d.message.contains("old id \"li-wei\""), "{d:?}");

    site.replace(
        "content/officials/amina-khan.md",
        "aliases_ids: [li-wei, amina]",
        "aliases_ids: [Amina Khan]",
    );
    let run = site.check(&["--format", "json"]);
    let found = parse_json_lines(&run.stdout);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message.contains("lists old ids"), "{found:?}");
}

#[test]
fn rename_refuses_a_taken_id_and_touches_nothing() {
    let site = Site::valid();
    let before = tree(&site.root);
    let run = site.run("rename", &["officials/li-wei", "amina-khan"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("officials/amina-khan already exists"),
        "{}",
        run.stderr
    );
    common::assert_same_tree(
        &before,
        &tree(&site.root),
        "the site after a refused rename",
    );
    site.replace(
        "content/topics/trade.md",
        "aliases: [commerce]\n",
        "aliases: [commerce]\naliases_ids: [commerce]\n",
    );
    let before = tree(&site.root);
    let run = site.run("rename", &["topics/friendship", "commerce"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is an old id of topics/trade"),
        "{}",
        run.stderr
    );
    common::assert_same_tree(
        &before,
        &tree(&site.root),
        "the site after a refused rename",
    );
}

#[test]
fn rename_keeps_byte_order_marks_and_line_ends_and_makes_a_clean_site() {
    let site = Site::valid();
    // Built before the renames, so the build after them is an incremental one (page cache).
    site.build_ok();
    let run = site.run("rename", &["topics/trade", "commerce"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // This visit's file starts with a byte-order mark, which the rename keeps.
    assert!(
        site.read("content/visits/li-wei-aland-2023.md")
            .starts_with('\u{feff}')
    );
    assert!(
        site.read("content/visits/li-wei-aland-2023.md")
            .contains("topics: [commerce]")
    );
    assert!(
        site.read("content/visits/amina-khan-borduria-2024.md")
            .contains("[[commerce]]")
    );
    let check = site.check(&[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // This official's file has CRLF line ends, which the rename keeps.
    let run = site.run("rename", &["officials/amina-khan", "amina-khan-2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("content/officials/amina-khan-2.md");
    assert!(
        text.contains("aliases_ids: [amina-khan]\r\n---\r\n"),
        "{text:?}"
    );
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    let check = site.check(&[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let out = site.build_ok();
    assert!(out.contains_key("officials/amina-khan/index.html"));
    assert!(out.contains_key("topics/trade/index.html"));
    assert!(out.contains_key("ur/topics/trade/index.html"));
    // The incremental build equals a fresh one.
    std::fs::remove_dir_all(&site.output).unwrap();
    common::assert_same_tree(&out, &site.build_ok(), "incremental and fresh builds");
}

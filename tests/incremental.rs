//! A build into an existing output reuses the pages whose inputs did not change and writes only
//! the files whose bytes did: after every kind of edit, the output must be byte-identical to a
//! fresh build of the same sources, and an unchanged rebuild must write nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Site, assert_same_tree, tree};
use std::path::Path;

/// The bundled site: three languages, translations, mentions and backlinks everywhere.
fn bundled() -> Site {
    Site::bundled_without_cards()
}

/// The numbers at the end of `built …` (written, unchanged, reused).
fn counts(stdout: &str) -> (usize, usize, usize) {
    let tail = stdout
        .split("; ")
        .nth(1)
        .unwrap_or_else(|| panic!("no write counts in {stdout:?}"));
    let numbers: Vec<usize> = tail
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match numbers.as_slice() {
        [written, unchanged, reused, ..] => (*written, *unchanged, *reused),
        _ => panic!("cannot read the counts in {stdout:?}"),
    }
}

/// Build into the existing output, then into a fresh folder: both trees must be identical.
/// Returns the counts of the incremental build.
fn rebuild_matches_fresh(site: &Site, what: &str) -> (usize, usize, usize) {
    rebuild_with_flags_matches_fresh(site, &[], what)
}

/// [`rebuild_matches_fresh`] with extra `bilat build` flags for both builds.
fn rebuild_with_flags_matches_fresh(
    site: &Site,
    flags: &[&str],
    what: &str,
) -> (usize, usize, usize) {
    let output = site.output.to_string_lossy().into_owned();
    let run = site.run("build", &[&["--output", output.as_str()], flags].concat());
    assert_eq!(run.code, 0, "{what}: build failed:\n{}", run.stderr);
    let incremental = tree(&site.output);
    let fresh_dir = site.tmp.path().join("fresh");
    let fresh_arg = fresh_dir.to_string_lossy().into_owned();
    let fresh_run = site.run(
        "build",
        &[&["--output", fresh_arg.as_str()], flags].concat(),
    );
    assert_eq!(
        fresh_run.code, 0,
        "{what}: fresh build failed:\n{}",
        fresh_run.stderr
    );
    let fresh = tree(&fresh_dir);
    std::fs::remove_dir_all(&fresh_dir).expect("remove the fresh output");
    assert_same_tree(&fresh, &incremental, what);
    counts(&run.stdout)
}

#[test]
fn an_unchanged_rebuild_reuses_every_page_and_writes_nothing() {
    let site = bundled();
    let first = site.build();
    assert_eq!(first.code, 0, "{}", first.stderr);
    let (written, unchanged, reused) = counts(&first.stdout);
    assert!(
        written > 400 && unchanged == 0 && reused == 0,
        "{}",
        first.stdout
    );
    let pages: usize = first
        .stdout
        .split(" pages")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no page count in {:?}", first.stdout));
    let (written, unchanged, reused) = rebuild_matches_fresh(&site, "unchanged rebuild");
    assert_eq!(written, 0, "nothing changed, nothing is written");
    assert!(unchanged > 400, "{unchanged}");
    // Every page in every language: entry pages, lists, timeline, graph, feed…
    assert_eq!(reused, pages);
}

#[test]
fn unchanged_files_keep_their_inode_and_time() {
    use std::os::unix::fs::MetadataExt;
    let site = bundled();
    site.build_ok();
    let page = site.output.join("officials/xi-jinping/index.html");
    let before = std::fs::metadata(&page).expect("page");
    site.build_ok();
    let after = std::fs::metadata(&page).expect("page");
    assert_eq!(before.ino(), after.ino());
    assert_eq!(before.mtime_nsec(), after.mtime_nsec());
}

#[test]
fn every_kind_of_edit_gives_the_output_of_a_fresh_build() {
    let site = bundled();
    site.build_ok();

    // A title that other pages show: visits list the official, mentions and backlinks name it.
    site.replace(
        "content/officials/xi-jinping.md",
        "name: \"Xi Jinping\"",
        "name: \"Xi Jinping (edited)\"",
    );
    let (written, _, reused) = rebuild_matches_fresh(&site, "an official renamed");
    assert!(
        written > 10,
        "the pages that show the name are rewritten: {written}"
    );
    assert!(
        reused > 200,
        "pages that do not show it are reused: {reused}"
    );

    // A translation's title: only that language's pages change.
    let ur = "content/officials/xi-jinping.ur.md";
    let ur_title = site
        .read(ur)
        .lines()
        .find(|l| l.starts_with("name: "))
        .expect("Urdu name")
        .to_string();
    site.replace(ur, &ur_title, "name: \"شی\"");
    rebuild_matches_fresh(&site, "a translation renamed");

    // A new link in a body: the target gains a mention with its sentence.
    let cpec = "content/topics/cpec.md";
    site.write(
        cpec,
        format!(
            "{}\nA new sentence links [[officials/li-qiang]].\n",
            site.read(cpec)
        ),
    );
    rebuild_matches_fresh(&site, "a wikilink added");

    // A new entry, linked from an existing one; then both removed again.
    site.write(
        "content/topics/incremental-test.md",
        "---\ntitle: \"Incremental test\"\nsources:\n  - title: \"A source\"\n    url: \"https://example.org/x\"\n---\nIt concerns [[officials/xi-jinping]].\n",
    );
    site.write(
        cpec,
        format!(
            "{}\nSee also [[topics/incremental-test]].\n",
            site.read(cpec)
        ),
    );
    rebuild_matches_fresh(&site, "an entry added");
    site.remove("content/topics/incremental-test.md");
    site.replace(cpec, "\nSee also [[topics/incremental-test]].\n", "");
    rebuild_matches_fresh(&site, "an entry removed");
    assert!(!site.output.join("topics/incremental-test").exists());

    // A theme template overridden by the site, then an interface string, then site.toml.
    let entry_template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/entry.html"),
    )
    .expect("theme template");
    site.write(
        "templates/entry.html",
        entry_template.replace(
            "<h1>{{ entry.title }}</h1>",
            "<h1 class=\"x\">{{ entry.title }}</h1>",
        ),
    );
    let (_, _, reused) = rebuild_matches_fresh(&site, "a template overridden");
    assert_eq!(reused, 0, "a template change re-renders every page");
    site.replace(
        "i18n/ur.toml",
        "collection_topics = \"موضوعات\"",
        "collection_topics = \"موضوع\"",
    );
    rebuild_matches_fresh(&site, "an interface string changed");
    site.replace(
        "site.toml",
        "title = \"Pakistan–China Relations\"",
        "title = \"Pakistan–China Relations (edited)\"",
    );
    rebuild_matches_fresh(&site, "site.toml changed");

    // A static file added, then removed.
    site.write("static/notes.txt", "hello");
    rebuild_matches_fresh(&site, "a static file added");
    assert!(site.output.join("notes.txt").exists());
    site.remove("static/notes.txt");
    rebuild_matches_fresh(&site, "a static file removed");
    assert!(!site.output.join("notes.txt").exists());
}

#[test]
fn a_page_edited_by_hand_in_the_output_is_rendered_again() {
    let site = bundled();
    site.build_ok();
    let page = site.output.join("topics/cpec/index.html");
    std::fs::write(&page, "tampered").expect("write");
    rebuild_matches_fresh(&site, "a page changed in the output");
}

#[test]
fn build_flags_are_part_of_what_a_page_was_made_from() {
    let site = bundled();
    site.build_ok();
    let (_, _, reused) = rebuild_with_flags_matches_fresh(
        &site,
        &["--base-url", "https://mirror.example.org/x"],
        "another base URL",
    );
    assert_eq!(reused, 0, "every page carries the base URL");
    rebuild_matches_fresh(&site, "back to the configured base URL");

    // A draft entry appears with --drafts and disappears without it.
    site.write(
        "content/topics/draft-topic.md",
        "---\ntitle: \"A draft topic\"\ndraft: true\nsources:\n  - title: \"A source\"\n    url: \"https://example.org/d\"\n---\nAbout [[officials/xi-jinping]].\n",
    );
    let cpec = "content/topics/cpec.md";
    let text = site.read(cpec);
    site.write(cpec, format!("{text}\nSee [[topics/draft-topic]].\n"));
    rebuild_with_flags_matches_fresh(&site, &["--drafts"], "drafts included");
    assert!(site.output.join("topics/draft-topic/index.html").exists());
    site.write(cpec, text);
    rebuild_matches_fresh(&site, "drafts left out again");
    assert!(!site.output.join("topics/draft-topic").exists());
}

#[test]
fn paged_lists_follow_edits_that_move_records_between_pages() {
    let site = common::paged_site();
    site.build_ok();
    let (written, _, _) = rebuild_matches_fresh(&site, "unchanged paged site");
    assert_eq!(written, 0, "nothing changed, nothing is written");

    // A newer visit pushes one record of every page of the index and the hub's list onto the next.
    site.write(
        "content/visits/visit-202.md",
        "---\ntitle: \"Visit 202\"\ndate: 2020-01-01\ntopics: [hub]\n---\nThe newest.\n",
    );
    rebuild_matches_fresh(&site, "a visit added at the top of the lists");
    assert!(site.output.join("visits/page/2/index.html").exists());

    // Down to 200 visits: the second pages are gone, and so are their sitemap entries.
    for id in ["visit-202", "visit-201"] {
        std::fs::remove_file(site.path(&format!("content/visits/{id}.md"))).expect("remove");
    }
    rebuild_matches_fresh(&site, "two visits removed");
    assert!(!site.output.join("visits/page/2/index.html").exists());
    assert!(
        !site
            .output
            .join("topics/hub/visits-topics/page/2/index.html")
            .exists()
    );
    let sitemap = std::fs::read_to_string(site.output.join("sitemap.xml")).expect("sitemap");
    assert!(!sitemap.contains("/visits/page/2/"));

    // A title shown on the hub's list: the list's page follows it.
    site.write(
        "content/visits/visit-100.md",
        "---\ntitle: \"Visit one hundred\"\ndate: 2008-04-01\ntopics: [hub]\n---\nRenamed.\n",
    );
    rebuild_matches_fresh(&site, "a title shown on a backlink list");
    let list = std::fs::read_to_string(site.output.join("topics/hub/visits-topics/index.html"))
        .expect("list");
    assert!(list.contains("Visit one hundred"));
}

/// A page kept from the previous build is still checked: once the file it links to is gone, the
/// link is reported, though the page itself was not made again.
#[test]
fn a_kept_page_linking_to_a_removed_file_is_reported() {
    let site = Site::valid();
    site.write("static/files/report.pdf", "%PDF-1.4\n");
    site.append(
        "content/topics/trade.md",
        "\nThe [trade report](/files/report.pdf).\n",
    );
    site.build_ok();
    let unchanged = site.build();
    assert_eq!(unchanged.code, 0, "{}", unchanged.stderr);
    assert_eq!(counts(&unchanged.stdout).0, 0, "{}", unchanged.stdout);
    site.remove("static/files/report.pdf");
    let run = site.build();
    assert_ne!(run.code, 0, "the broken link should fail the build");
    assert!(
        run.stderr.contains("/files/report.pdf") && run.stderr.contains("leads to nothing"),
        "{}",
        run.stderr
    );
}

/// Link warnings are reported by every build, an unchanged rebuild's included: only an output
/// whose check found nothing is trusted to find nothing again.
#[test]
fn link_warnings_are_reported_again_by_an_unchanged_rebuild() {
    let site = Site::valid();
    site.append("site.toml", "\n[checks]\nlinks = \"warning\"\n");
    site.append("content/topics/trade.md", "\nA [lost page](/nowhere/).\n");
    for round in ["first build", "unchanged rebuild"] {
        let run = site.build();
        assert_eq!(run.code, 0, "{round}: {}", run.stderr);
        assert!(
            run.stderr.contains("the link `/nowhere/` leads to nothing"),
            "{round}: {}",
            run.stderr
        );
    }
}

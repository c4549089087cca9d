//! The same input gives byte-identical output (contract §6, issue 5): whatever the number of
//! threads, the order the file system lists files in, the time zone and the locale.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Site, assert_same_tree, bilat_in, tree};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

type Tree = BTreeMap<String, Vec<u8>>;

/// Build `site` into `<tmp>/<name>` with extra environment variables.
fn build_with(site: &Site, name: &str, envs: &[(&str, &str)]) -> Tree {
    let output = site.tmp.path().join(name);
    let args = [
        OsStr::new("build"),
        OsStr::new("--root"),
        site.root.as_os_str(),
        OsStr::new("--output"),
        output.as_os_str(),
    ];
    let run = bilat_in(site.tmp.path(), args, envs);
    assert_eq!(run.code, 0, "build {name} failed:\n{}", run.stderr);
    tree(&output)
}

/// A second copy of the site whose files are created in reverse order, so that file systems which
/// list a folder in creation order (tmpfs, for one) list it differently.
fn reversed_copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    let mut items: Vec<_> = std::fs::read_dir(from)
        .expect("read folder")
        .map(|e| e.expect("entry"))
        .collect();
    items.sort_by_key(|e| std::cmp::Reverse(e.file_name()));
    for item in items {
        let target = to.join(item.file_name());
        if item.file_type().expect("file type").is_dir() {
            reversed_copy(&item.path(), &target);
        } else {
            std::fs::copy(item.path(), &target).expect("copy file");
        }
    }
}

/// The sites' builds one at a time: each runs on every core already, and two at once on a small
/// machine could take one past the time limit of a run.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn assert_deterministic(site: &Site) {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let default = build_with(site, "out-default", &[]);
    assert!(
        default.len() > 20,
        "the build wrote a site ({} files)",
        default.len()
    );
    let one_thread = build_with(site, "out-one-thread", &[("RAYON_NUM_THREADS", "1")]);
    assert_same_tree(&default, &one_thread, "RAYON_NUM_THREADS=1 vs default");
    let elsewhere = build_with(
        site,
        "out-elsewhere",
        &[
            ("RAYON_NUM_THREADS", "7"),
            ("TZ", "Pacific/Kiritimati"),
            ("LC_ALL", "tr_TR.UTF-8"),
            ("LANG", "ur_PK.UTF-8"),
        ],
    );
    assert_same_tree(
        &default,
        &elsewhere,
        "another time zone, locale and thread count",
    );

    let reversed = Site::copy_of(&site.root);
    std::fs::remove_dir_all(&reversed.root).expect("empty the copy");
    reversed_copy(&site.root, &reversed.root);
    let from_reversed = build_with(&reversed, "out-reversed", &[("RAYON_NUM_THREADS", "3")]);
    assert_same_tree(&default, &from_reversed, "files created in reverse order");
}

#[test]
fn fixture_builds_are_byte_identical() {
    // The fixture has social card images (drawn with the fonts it ships), Urdu ones among them.
    let site = Site::valid();
    assert!(site.read("site.toml").contains("font_dirs"));
    assert_deterministic(&site);
    let cards = tree(&site.tmp.path().join("out-default"))
        .keys()
        .filter(|k| k.ends_with("/card.png"))
        .count();
    assert_eq!(cards, 12, "a card per entry page, in English and Urdu");
}

#[test]
fn paged_lists_are_byte_identical() {
    assert_deterministic(&common::paged_site());
}

#[test]
fn bundled_site_builds_are_byte_identical() {
    // A copy, so edits to the bundled content while the test runs cannot make it flaky.
    assert_deterministic(&Site::bundled_without_cards());
}

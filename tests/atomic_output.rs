//! The output folder is replaced whole or not at all (contract §6): a failed build leaves the
//! previous output byte-identical, a good one replaces it completely, `check` writes nothing, and
//! no staging folder is ever left beside the output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Site, assert_same_tree, tree};

const VISIT: &str = "content/visits/amina-khan-borduria-2024.md";

#[test]
fn failed_build_keeps_the_old_output_and_the_next_good_build_replaces_it() {
    let site = Site::valid();
    let first = site.build_ok();
    let page = "visits/amina-khan-borduria-2024/index.html";
    assert!(
        String::from_utf8_lossy(&first[page]).contains("Amina Khān in Borduria, February 2024")
    );

    // Broken in two ways at once: a bad value and a file that is gone.
    site.replace(VISIT, "kind: state", "kind: stately");
    site.remove("content/pages/about.md");
    let failed = site.build();
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(
        failed
            .stderr
            .contains("the previous output was left as it was"),
        "{}",
        failed.stderr
    );
    assert!(!failed.stdout.contains("built"), "{}", failed.stdout);
    assert_same_tree(
        &first,
        &tree(&site.output),
        "the output after a failed build",
    );
    assert_eq!(site.stray_folders(), Vec::<String>::new());

    // Fixed differently: the new output replaces the old one whole, stale files included.
    site.replace(VISIT, "kind: stately", "kind: official");
    site.replace(
        VISIT,
        "title: \"Amina Khān in Borduria, February 2024\"",
        "title: \"Amina Khān in Klow\"",
    );
    let second = site.build_ok();
    assert!(String::from_utf8_lossy(&second[page]).contains("Amina Khān in Klow"));
    assert!(first.contains_key("about/index.html"));
    assert!(
        !second.contains_key("about/index.html"),
        "a page whose source is gone is gone from the output"
    );
    assert_eq!(site.stray_folders(), Vec::<String>::new());
}

#[test]
fn stale_staging_folders_of_a_killed_build_are_removed() {
    let site = Site::valid();
    for name in [".public.bilat-staging-4242", ".public.bilat-old-4242"] {
        let dir = site.tmp.path().join(name);
        std::fs::create_dir_all(dir.join("visits")).expect("create stale folder");
        std::fs::write(dir.join("visits/index.html"), "half-written").expect("write stale file");
    }
    site.build_ok();
    assert_eq!(site.stray_folders(), Vec::<String>::new());
    // Unrelated hidden folders beside the output are left alone.
    let other = site.tmp.path().join(".publicity");
    std::fs::create_dir_all(&other).expect("create unrelated folder");
    site.build_ok();
    assert!(
        other.is_dir(),
        "only bilat's own staging folders are removed"
    );
}

#[test]
fn check_writes_nothing() {
    let site = Site::valid();
    let before = tree(site.tmp.path());
    let run = site.check(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.output.exists());
    assert!(!site.path("public").exists());
    assert_same_tree(
        &before,
        &tree(site.tmp.path()),
        "the temporary folder after check",
    );
}

#[test]
fn build_writes_only_into_its_output_folder() {
    let site = Site::valid();
    let source_before = tree(&site.root);
    site.build_ok();
    assert_same_tree(
        &source_before,
        &tree(&site.root),
        "the site's own files after a build",
    );
    let mut names: Vec<String> = std::fs::read_dir(site.tmp.path())
        .expect("read temp dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Beside the output: the build lock (a second build into it waits) and the page cache, which
    // is not published with the site.
    assert_eq!(
        names,
        [
            ".public.bilat-cache",
            ".public.bilat-lock",
            "public",
            "site"
        ]
    );
    let published = tree(&site.output);
    assert!(
        published.keys().all(|p| !p.contains("bilat-cache")),
        "the page cache is published"
    );
}

/// SIGKILL a build at many moments, the write included: the output is then the old site or the
/// new one, never a mix, and the next build removes whatever the killed one left beside it.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_output() {
    use std::process::{Command, Stdio};
    use std::time::Duration;

    let site = Site::valid();
    // Enough pages that writing takes a while.
    for i in 0..80 {
        site.write(
            &format!("content/topics/generated-{i:03}.md"),
            format!(
                "---\ntitle: \"Generated {i}\"\nparent: trade\n---\nFiller for page {i}. {}\n",
                "Lorem ipsum. ".repeat(50)
            ),
        );
    }
    let trade = "content/topics/trade.md";
    let titles = ["title: \"Trade\"", "title: \"Trade, renamed\""];
    // The two sites, A (as it is) and B (one title changed).
    let a = site.build_ok();
    site.replace(trade, titles[0], titles[1]);
    let b = site.build_ok();
    assert_ne!(a, b);
    let trees = [a, b];

    // The output holds B. Each round builds the other site and kills it after a longer while,
    // until a build finishes before its kill.
    let mut holds = 1;
    let mut outcomes = [0, 0];
    let mut finished = false;
    for delay in [
        0, 10, 25, 50, 100, 150, 200, 300, 400, 500, 650, 800, 1000, 1300, 1700, 2200, 3000, 4000,
        6000,
    ] {
        let target = 1 - holds;
        site.replace(trade, titles[holds], titles[target]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_bilat"))
            .args([
                "build".as_ref(),
                "--root".as_ref(),
                site.root.as_os_str(),
                "--output".as_ref(),
                site.output.as_os_str(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bilat");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let status = child.wait().expect("wait for bilat");
        let now = tree(&site.output);
        if now == trees[target] {
            outcomes[1] += 1;
            holds = target;
        } else if now == trees[holds] {
            outcomes[0] += 1;
            // The next round builds the same target again from the same content.
            site.replace(trade, titles[target], titles[holds]);
        } else {
            panic!(
                "killed after {delay} ms ({status:?}), the output is neither the old nor the new site"
            );
        }
        if status.success() {
            finished = true;
            break;
        }
    }
    assert!(finished, "a build finished within the longest delay");
    assert!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "builds ended both before and after the swap: {outcomes:?}"
    );
    site.build_ok();
    assert_eq!(
        site.stray_folders(),
        Vec::<String>::new(),
        "the next build cleans up after killed ones"
    );
}

#[test]
fn builds_started_at_once_into_one_output_wait_for_each_other() {
    let site = Site::valid();
    let expected = site.build_ok();
    let builds: Vec<_> = (0..3)
        .map(|_| {
            let root = site.root.clone();
            let output = site.output.clone();
            std::thread::spawn(move || {
                let args = [
                    std::ffi::OsStr::new("build"),
                    std::ffi::OsStr::new("--root"),
                    root.as_os_str(),
                    std::ffi::OsStr::new("--output"),
                    output.as_os_str(),
                ];
                common::bilat_in(&root, args, &[])
            })
        })
        .collect();
    for build in builds {
        let run = build.join().expect("the build thread");
        assert_eq!(run.code, 0, "every build succeeds:\n{}", run.stderr);
    }
    assert_same_tree(
        &expected,
        &tree(&site.output),
        "the output after three builds",
    );
    assert_eq!(site.stray_folders(), Vec::<String>::new());
}

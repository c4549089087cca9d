//! Lists that grow with the site are split into pages (issue 13): a collection's index past 200
//! records, an entry's backlink group past 50, with a pager (rel=prev/next, "page x of y") in
//! every language; a list that fits on one page has no pager. Every page is in the sitemap.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Site, bilat_in, paged_site};
use std::ffi::OsStr;
use std::sync::OnceLock;

/// The site, built once for every test here.
fn built() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = paged_site();
        build(&site);
        site
    })
}

fn build(site: &Site) {
    let args = [
        OsStr::new("build"),
        OsStr::new("--root"),
        site.root.as_os_str(),
        OsStr::new("--output"),
        site.output.as_os_str(),
    ];
    let run = bilat_in(site.tmp.path(), args, &[]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
}

fn page(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.output.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn exists(site: &Site, rel: &str) -> bool {
    site.output.join(rel).exists()
}

/// The cards a page lists.
fn cards(html: &str) -> usize {
    html.matches("<li class=\"card ").count()
}

#[test]
fn long_lists_are_paged_and_short_ones_are_not() {
    let site = built();

    // 201 visits: 200 on the first page, one on the second, no third.
    let first = page(site, "visits/index.html");
    let second = page(site, "visits/page/2/index.html");
    assert_eq!(cards(&first), 200);
    assert_eq!(cards(&second), 1);
    assert!(!exists(site, "visits/page/3/index.html"));
    assert!(
        !exists(site, "visits/page/1/index.html"),
        "page 1 is the index itself"
    );
    // Newest first: visit 201 opens the list, visit 001 is alone on the last page.
    assert!(first.find("Visit 201") < first.find("Visit 200"));
    assert!(second.contains("Visit 001") && !first.contains("Visit 001"));
    // Navigation: rel=next from the first, rel=prev from the last, page x of y, the current page.
    assert!(first.contains("<link rel=\"next\" href=\"/visits/page/2/\">"));
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("Page 1 of 2"));
    assert!(second.contains("<link rel=\"prev\" href=\"/visits/\">"));
    assert!(second.contains("href=\"/visits/\" rel=\"prev\""));
    assert!(!second.contains("rel=\"next\""));
    assert!(second.contains("<a href=\"/visits/page/2/\" aria-current=\"page\">2</a>"));
    assert!(second.contains("<title>Visits (Page 2 of 2) · Paged</title>"));
    assert!(
        second
            .contains("<link rel=\"canonical\" href=\"https://paged.example.org/visits/page/2/\">")
    );
    // The year headings at the top reach the page a year starts on.
    assert!(
        first.contains("href=\"/visits/page/2/#g-1999\""),
        "1999 starts on page 2"
    );
    assert!(
        first.contains("href=\"#g-2000\""),
        "2000 starts on this page"
    );
    assert!(second.contains("id=\"g-1999\""));

    // 200 notes fit one page: no pager, no second page.
    let notes = page(site, "notes/index.html");
    assert_eq!(cards(&notes), 200);
    assert!(!notes.contains("class=\"pager\"") && !notes.contains("rel=\"next\""));
    assert!(!exists(site, "notes/page/2/index.html"));
}

#[test]
fn the_pager_speaks_urdu_and_chinese() {
    let site = built();
    let ur = page(site, "ur/visits/page/2/index.html");
    assert!(ur.contains("<html lang=\"ur\" dir=\"rtl\">"));
    assert!(ur.contains("صفحہ 2 از 2"), "page x of y in Urdu");
    assert!(ur.contains("aria-label=\"صفحات\""));
    assert!(ur.contains("href=\"/ur/visits/\" rel=\"prev\">پچھلا</a>"));
    assert!(ur.contains("<link rel=\"prev\" href=\"/ur/visits/\">"));
    let zh = page(site, "zh/visits/index.html");
    assert!(zh.contains("第 1 页，共 2 页"), "page x of y in Chinese");
    assert!(zh.contains("href=\"/zh/visits/page/2/\" rel=\"next\">下一页</a>"));
    let zh_hub = page(site, "zh/topics/hub/index.html");
    assert!(zh_hub.contains("href=\"/zh/topics/hub/visits-topics/\">查看全部 201 条</a>"));
    let ur_list = page(site, "ur/topics/hub/visits-topics/page/2/index.html");
    assert!(ur_list.contains("صفحہ 2 از 2") && cards(&ur_list) == 1);
}

#[test]
fn long_backlink_groups_link_to_their_own_paged_list() {
    let site = built();
    // 201 visits on the hub: 50 on its page, the count of all, and a link to all of them.
    let hub = page(site, "topics/hub/index.html");
    assert_eq!(cards(&hub), 50);
    assert!(hub.contains("<span class=\"count\">201</span>"));
    assert!(hub.contains("<a href=\"/topics/hub/visits-topics/\">All 201</a>"));
    let list = page(site, "topics/hub/visits-topics/index.html");
    assert_eq!(cards(&list), 200);
    assert!(list.contains("Page 1 of 2") && list.contains("rel=\"next\""));
    assert!(
        list.contains("href=\"/topics/hub/\">Hub</a>"),
        "back to the entry"
    );
    let last = page(site, "topics/hub/visits-topics/page/2/index.html");
    assert_eq!(cards(&last), 1);
    // Exactly 50: all on the entry's page, no list. 51: a list of one page, without a pager.
    let fifty = page(site, "topics/fifty/index.html");
    assert_eq!(cards(&fifty), 50);
    assert!(!fifty.contains("more-link") && !fifty.contains("All 50"));
    assert!(!exists(site, "topics/fifty/visits-topics/index.html"));
    let fifty_one = page(site, "topics/fifty-one/index.html");
    assert_eq!(cards(&fifty_one), 50);
    assert!(fifty_one.contains("All 51"));
    let list = page(site, "topics/fifty-one/visits-topics/index.html");
    assert_eq!(cards(&list), 51);
    assert!(!list.contains("class=\"pager\""));
    assert!(!exists(
        site,
        "topics/fifty-one/visits-topics/page/2/index.html"
    ));
}

#[test]
fn every_page_of_every_list_is_in_the_sitemap() {
    let site = built();
    let sitemap = page(site, "sitemap.xml");
    assert!(sitemap.starts_with("<?xml") && sitemap.contains("<urlset"));
    for path in [
        "/visits/",
        "/visits/page/2/",
        "/ur/visits/page/2/",
        "/zh/visits/page/2/",
        "/topics/hub/visits-topics/",
        "/topics/hub/visits-topics/page/2/",
        "/topics/fifty-one/visits-topics/",
    ] {
        let loc = format!("<loc>https://paged.example.org{path}</loc>");
        assert!(sitemap.contains(&loc), "{loc}");
    }
    assert!(!sitemap.contains("/notes/page/2/"));
    assert!(!sitemap.contains("/topics/fifty/visits-topics/"));
}

#[test]
fn a_sitemap_past_its_size_limit_is_an_index_of_its_parts() {
    // A base URL with a long path makes every URL of the sitemap long: its 1,212 pages (404
    // records and their lists in three languages, each with four alternates) then take more
    // than the 1 MB a sitemap file may, and it is split.
    let site = paged_site();
    let base = format!("https://paged.example.org/{}", "long-path/".repeat(40));
    let args = [
        OsStr::new("build"),
        OsStr::new("--root"),
        site.root.as_os_str(),
        OsStr::new("--output"),
        site.output.as_os_str(),
        OsStr::new("--base-url"),
        OsStr::new(&base),
    ];
    let run = bilat_in(site.tmp.path(), args, &[]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    let index = page(&site, "sitemap.xml");
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let robots = page(&site, "robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
    let mut locs = Vec::new();
    let mut parts = 0;
    for n in 1.. {
        let part = format!("sitemap-{n}.xml");
        if !exists(&site, &part) {
            break;
        }
        parts += 1;
        assert!(
            index.contains(&format!("<sitemap><loc>{base}{part}</loc>")),
            "{part} listed"
        );
        let xml = page(&site, &part);
        assert!(xml.len() <= 1_000_000, "{part} is {} bytes", xml.len());
        assert!(xml.contains("<urlset"));
        locs.extend(
            xml.split("<loc>")
                .skip(1)
                .filter_map(|s| s.split_once("</loc>"))
                .map(|(loc, _)| loc.to_string()),
        );
    }
    assert!(parts >= 2, "{parts} parts");
    assert_eq!(index.matches("<sitemap>").count(), parts);
    let count = locs.len();
    locs.sort();
    locs.dedup();
    assert_eq!(locs.len(), count, "no URL in two parts");
    let visit = format!("{base}zh/visits/page/2/");
    assert!(locs.contains(&visit), "{visit}");
    // Home, 3 list pages of visits, notes, topics, 404 records, 3 backlink list pages, and the
    // site pages listed (timeline, graph, search, numbers, data dictionary), in each language.
    assert_eq!(count, 3 * (1 + 2 + 1 + 1 + 404 + 3 + 5));
}

//! The valid fixture builds, odd-but-valid input included (CRLF, a byte-order mark, tabs,
//! non-ASCII and right-to-left text), into the pages and files the contract (§3, §5) promises.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Site, bilat_in, fixture, tree};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::Path;
use std::sync::OnceLock;

type Tree = BTreeMap<String, Vec<u8>>;

/// The fixture's output, built once per run of this test binary.
fn output() -> &'static Tree {
    static OUTPUT: OnceLock<Tree> = OnceLock::new();
    OUTPUT.get_or_init(|| build(&fixture()))
}

/// Build the site at `root` into a temporary folder and read the output into memory.
fn build(root: &Path) -> Tree {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("public");
    let args = [
        OsStr::new("build"),
        OsStr::new("--root"),
        root.as_os_str(),
        OsStr::new("--output"),
        dir.as_os_str(),
    ];
    let run = bilat_in(tmp.path(), args, &[]);
    assert_eq!(run.code, 0, "the build fails:\n{}", run.stderr);
    assert!(
        run.stdout.starts_with("built "),
        "a build ends with one summary line: {}",
        run.stdout
    );
    tree(&dir)
}

fn page(path: &str) -> String {
    let bytes = output()
        .get(path)
        .unwrap_or_else(|| panic!("{path} is missing from the output"));
    String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{path} is not UTF-8"))
}

/// The text between the first `start` after `anchor` and the next `end`.
fn section<'a>(html: &'a str, anchor: &str, end: &str) -> &'a str {
    let from = html
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor:?} not found in:\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn the_fixture_really_holds_the_odd_inputs() {
    let read = |rel: &str| std::fs::read(fixture().join(rel)).expect("fixture file");
    let crlf = read("content/officials/amina-khan.md");
    assert!(
        crlf.windows(2).filter(|w| w == b"\r\n").count() > 10,
        "CRLF line endings"
    );
    assert!(
        read("content/visits/li-wei-aland-2023.md").starts_with(b"\xef\xbb\xbf---\n"),
        "a UTF-8 byte-order mark"
    );
    assert!(
        read("content/visits/li-wei-aland-2023.md").contains(&b'\t'),
        "tabs"
    );
    assert!(
        String::from_utf8(read("content/topics/friendship.md"))
            .expect("UTF-8")
            .contains("title: \"پاک دوستی\""),
        "an RTL title"
    );
    assert!(
        fixture().join("content/officials/li-wei.yaml").is_file(),
        "a .yaml entry"
    );
    assert!(
        fixture()
            .join("content/visits/amina-khan-borduria-2024.ur.md")
            .is_file(),
        "a translation"
    );
}

#[test]
fn every_entry_has_a_page_in_every_language() {
    let entries = [
        (
            "visits/amina-khan-borduria-2024",
            "Amina Khān in Borduria, February 2024",
        ),
        ("visits/li-wei-aland-2023", "Li Wei in Aland, May 2023"),
        ("officials/amina-khan", "Amina Khān"),
        ("officials/li-wei", "Li Wei 李伟"),
        ("topics/trade", "Trade"),
        ("topics/friendship", "پاک دوستی"),
    ];
    for (path, title) in entries {
        let html = page(&format!("{path}/index.html"));
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "{path} shows its title"
        );
        assert!(
            html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
            "{path} is HTML5"
        );
        assert!(
            html.contains("application/ld+json"),
            "{path} carries JSON-LD"
        );
        assert!(
            html.contains(&format!(
                "<meta property=\"og:url\" content=\"https://fixture.example.org/{path}/\">"
            )),
            "{path} carries Open Graph tags"
        );
        assert!(
            output().contains_key(&format!("ur/{path}/index.html")),
            "ur/{path}"
        );
    }
    let entry_pages = output()
        .keys()
        .filter(|p| {
            p.matches('/').count() == 2 && p.ends_with("/index.html") && !p.starts_with("ur/")
        })
        .count();
    assert_eq!(
        entry_pages,
        entries.len(),
        "one page per entry, and no other page that deep"
    );
    assert!(
        page("about/index.html").contains("<h1>About this fixture</h1>"),
        "the free page"
    );
}

#[test]
fn crlf_bom_and_tabs_are_read_as_written() {
    // The CSV exports end lines with CRLF and start with a byte-order mark, as RFC 4180 and
    // spreadsheets want: they are written so, not read so.
    // The social cards are PNG: binary, not text.
    for (path, bytes) in output()
        .iter()
        .filter(|(p, _)| !p.ends_with(".csv") && !p.ends_with(".png"))
    {
        assert!(!bytes.contains(&b'\r'), "{path} contains a carriage return");
        assert!(
            !String::from_utf8_lossy(bytes).contains('\u{feff}'),
            "{path} contains a byte-order mark"
        );
    }
    // CRLF: a list of objects in front matter, read from a file with CRLF line endings.
    let official = page("officials/amina-khan/index.html");
    let offices = section(&official, "<div class=\"row row-offices\">", "</div>");
    assert!(
        offices.contains("<li>Foreign Minister <span class=\"note\">March 2021</span></li>"),
        "{offices}"
    );
    assert!(
        offices.contains(
            "<li>Ambassador to Borduria <span class=\"note\">2015 – 31 December 2019</span></li>"
        ),
        "{offices}"
    );
    // BOM and tabs.
    let visit = page("visits/li-wei-aland-2023/index.html");
    assert!(visit.contains("<h1>Li Wei in Aland, May 2023</h1>"));
    assert!(visit.contains("<p>Table\twith\ttabs\tinside\ta\tparagraph.</p>"));
    assert!(visit.contains("<pre class=\"code\"><code>An indented line that starts with a tab is a code block.\n</code></pre>"));
}

#[test]
fn right_to_left_text_and_translations() {
    let home = page("ur/index.html");
    assert!(
        home.contains("<html lang=\"ur\" dir=\"rtl\">"),
        "the Urdu site is right-to-left"
    );
    let translated = page("ur/visits/amina-khan-borduria-2024/index.html");
    assert!(translated.contains("<h1>امینہ خان بوردوریا میں، فروری ۲۰۲۴</h1>"));
    assert!(translated.contains("<div class=\"prose\" lang=\"ur\" dir=\"rtl\">"));
    assert!(
        translated.contains("<sup class=\"cite\"><a href=\"#source-1\""),
        "a translation cites the original's sources"
    );
    assert!(translated.contains("id=\"source-1\""));
    // Not translated: the English text, marked as such, inside the RTL page.
    let untranslated = page("ur/visits/li-wei-aland-2023/index.html");
    assert!(untranslated.contains("<div class=\"prose\" lang=\"en\" dir=\"ltr\">"));
    assert!(page("topics/friendship/index.html").contains("<h1>پاک دوستی</h1>"));
}

#[test]
fn text_in_another_language_than_the_page_says_so() {
    // An untranslated record on an Urdu page: its title, infobox text, sources and the cards
    // that show it are English, left to right; the page itself stays Urdu.
    let untranslated = page("ur/visits/li-wei-aland-2023/index.html");
    assert!(untranslated.contains("<html lang=\"ur\" dir=\"rtl\">"));
    assert!(
        untranslated.contains("<h1 lang=\"en\" dir=\"ltr\">Li Wei in Aland, May 2023</h1>"),
        "{}",
        section(&untranslated, "<h1", "</h1>")
    );
    assert!(
        section(&untranslated, "row-cities", "</dd>")
            .contains("<span lang=\"en\" dir=\"ltr\">Mariehamn</span>"),
        "an infobox string the translation does not set"
    );
    assert!(
        section(&untranslated, "class=\"sources\"", "id=\"source-1\"")
            .contains("<ol lang=\"en\" dir=\"ltr\">"),
        "the sources of the English original, numbered left to right"
    );
    let list = page("ur/visits/index.html");
    let card = section(&list, "href=\"/ur/visits/li-wei-aland-2023/\"", "</a>");
    assert!(card.contains("lang=\"en\" dir=\"ltr\""), "{card}");
    // The translated record is not marked: its text is the page's language.
    let translated = page("ur/visits/amina-khan-borduria-2024/index.html");
    assert!(translated.contains("<h1>امینہ خان بوردوریا میں، فروری ۲۰۲۴</h1>"));
    let card = section(
        &list,
        "href=\"/ur/visits/amina-khan-borduria-2024/\"",
        "</a>",
    );
    assert!(!card.contains("lang="), "{card}");
    // Nothing is marked on the English pages, where everything is in English.
    let english = page("visits/index.html");
    assert!(!section(&english, "<main", "</main>").contains("lang="));
}

#[test]
fn every_language_has_its_feed_and_a_switcher_to_the_same_record() {
    let feed = page("ur/feed.xml");
    assert!(feed.contains("xml:lang=\"ur\""), "{feed}");
    assert!(
        feed.contains("<link href=\"https://fixture.example.org/ur/visits/li-wei-aland-2023/\"/>"),
        "{feed}"
    );
    assert!(
        feed.contains("rel=\"self\"") && feed.contains("https://fixture.example.org/ur/feed.xml")
    );
    // The untranslated record's entry in the Urdu feed says it is English.
    let entry = section(&feed, "<entry xml:lang=\"en\">", "</entry>");
    assert!(
        entry.contains("<title>Li Wei in Aland, May 2023</title>"),
        "{entry}"
    );
    let html = page("ur/visits/amina-khan-borduria-2024/index.html");
    assert!(
        html.contains("type=\"application/atom+xml\" title=\"")
            && html.contains("href=\"/ur/feed.xml\"")
    );
    let header = section(&html, "<header class=\"top\">", "</header>");
    let switcher = section(header, "<nav class=\"langs\"", "</nav>");
    assert!(
        switcher.contains("<a href=\"/visits/amina-khan-borduria-2024/\" lang=\"en\" dir=\"ltr\" hreflang=\"en\">English</a>"),
        "{switcher}"
    );
    assert!(
        switcher.contains("aria-current=\"true\" lang=\"ur\" dir=\"rtl\""),
        "{switcher}"
    );
}

/// The JSON-LD of a page, parsed.
fn jsonld(html: &str) -> serde_json::Value {
    let json = section(html, "<script type=\"application/ld+json\">", "</script>")
        .trim_start_matches("<script type=\"application/ld+json\">");
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn metadata_names_locale_language_place_and_the_right_dates() {
    let html = page("ur/visits/amina-khan-borduria-2024/index.html");
    assert!(html.contains("<meta property=\"og:locale\" content=\"ur_PK\">"));
    assert!(html.contains("<meta property=\"og:locale:alternate\" content=\"en_US\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let ld = jsonld(&html);
    assert_eq!(ld["inLanguage"], "ur");
    let visit = &ld["mainEntity"];
    assert_eq!(visit["@type"], "Event");
    assert_eq!(visit["startDate"], "2024-02-04");
    assert_eq!(visit["endDate"], "2024-02-08");
    assert_eq!(visit["location"][0]["name"], "Szohod");
    assert_eq!(visit["location"][0]["containedInPlace"]["name"], "Borduria");
    // A person has no start date and no language of its own.
    let person = jsonld(&page("officials/amina-khan/index.html"));
    assert_eq!(person["mainEntity"]["@type"], "Person");
    assert!(person["mainEntity"].get("startDate").is_none(), "{person}");
    assert!(person["mainEntity"].get("inLanguage").is_none(), "{person}");
    // The 404 page has nothing to say, so no empty JSON-LD.
    assert!(!page("404.html").contains("application/ld+json"));
    let home = jsonld(&page("ur/index.html"));
    assert_eq!(home["inLanguage"], "ur");
    // Search forms: a real action, and each search landmark named.
    let search = page("search/index.html");
    assert!(!search.contains("action=\"\""));
    assert!(search.contains("role=\"search\" aria-label=\"Search every record\""));
    assert!(search.contains("role=\"search\" aria-label=\"Search\""));
}

#[test]
fn sitemap_lists_every_language_version_and_dates_from_the_content() {
    let sitemap = page("sitemap.xml");
    let entry = section(
        &sitemap,
        "<url><loc>https://fixture.example.org/ur/visits/amina-khan-borduria-2024/</loc>",
        "</url>",
    );
    // The latest date the record names: its end date and its sources' dates.
    assert!(entry.contains("<lastmod>2024-02-08</lastmod>"), "{entry}");
    for (lang, href) in [
        (
            "en",
            "https://fixture.example.org/visits/amina-khan-borduria-2024/",
        ),
        (
            "ur",
            "https://fixture.example.org/ur/visits/amina-khan-borduria-2024/",
        ),
        (
            "x-default",
            "https://fixture.example.org/visits/amina-khan-borduria-2024/",
        ),
    ] {
        let link = format!("<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\"/>");
        assert!(entry.contains(&link), "{entry}");
    }
    // A free page has no date, so no lastmod (never the time of the build).
    let about = section(
        &sitemap,
        "<url><loc>https://fixture.example.org/about/</loc>",
        "</url>",
    );
    assert!(!about.contains("<lastmod>"), "{about}");
}

#[test]
fn timeline_lists_every_dated_entry_by_year() {
    let html = page("timeline/index.html");
    let y2023 = html.find("id=\"y-2023\"").expect("a 2023 section");
    let y2024 = html.find("id=\"y-2024\"").expect("a 2024 section");
    assert!(y2023 < y2024, "years in order");
    let visit_2023 = html
        .find("href=\"/visits/li-wei-aland-2023/\"")
        .expect("the 2023 visit");
    let visit_2024 = html
        .find("href=\"/visits/amina-khan-borduria-2024/\"")
        .expect("the 2024 visit");
    assert!(y2023 < visit_2023 && visit_2023 < y2024 && y2024 < visit_2024);
    // A partial date renders as written, with a valid HTML datetime.
    assert!(
        html.contains("<time datetime=\"2023-05\">May 2023</time>"),
        "{html}"
    );
    assert!(html.contains("<time datetime=\"2024-02-04\">4–8 February 2024</time>"));
    assert!(
        !html.contains("/officials/amina-khan/") && !html.contains("/topics/trade/"),
        "undated entries are not on the timeline"
    );
}

/// The titles of the cards of a backlink group on a page.
fn group(html: &str, heading: &str) -> Vec<String> {
    let part = section(
        html,
        &format!("<h2>{heading} <span class=\"count\">"),
        "</section>",
    );
    part.split("class=\"card-title\" href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap_or(0)].to_string())
        .collect()
}

#[test]
fn typed_references_show_on_both_sides_grouped_by_meaning() {
    let amina = page("officials/amina-khan/index.html");
    assert_eq!(
        group(&amina, "Visits made"),
        ["/visits/amina-khan-borduria-2024/"]
    );
    assert_eq!(
        group(&amina, "Visits hosted"),
        ["/visits/li-wei-aland-2023/"]
    );
    let li = page("officials/li-wei/index.html");
    assert_eq!(group(&li, "Visits made"), ["/visits/li-wei-aland-2023/"]);
    assert_eq!(
        group(&li, "Visits hosted"),
        ["/visits/amina-khan-borduria-2024/"]
    );
    let trade = page("topics/trade/index.html");
    assert_eq!(
        group(&trade, "Visits on this topic"),
        [
            "/visits/amina-khan-borduria-2024/",
            "/visits/li-wei-aland-2023/"
        ],
        "newest first"
    );
    assert_eq!(group(&trade, "Subtopics"), ["/topics/friendship/"]);
    // And the forward side: the visit links its visitor in the infobox.
    let visit = page("visits/amina-khan-borduria-2024/index.html");
    let visitor = section(&visit, "<div class=\"row row-visitor\">", "</div>");
    assert!(
        visitor.contains("<a href=\"/officials/amina-khan/\">Amina Khān</a>"),
        "{visitor}"
    );
}

/// The (source link, quoted sentence) pairs under "Mentioned in".
fn mentions(html: &str) -> Vec<(String, String)> {
    let part = section(html, "id=\"mentioned-in\"", "</section>");
    part.split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let href = item[..item.find('"').unwrap_or(0)].to_string();
            let quote = section(item, "<blockquote", "</blockquote>");
            let quote = &quote[quote.find('>').map_or(0, |i| i + 1)..];
            (href, quote.to_string())
        })
        .collect()
}

#[test]
fn wikilink_mentions_show_their_sentence() {
    assert_eq!(
        mentions(&page("visits/li-wei-aland-2023/index.html")),
        [(
            "/visits/amina-khan-borduria-2024/".to_string(),
            "The visit came after <mark>Li Wei in Aland, May 2023</mark>.".to_string()
        )],
        "the sentence alone: no code block before it"
    );
    assert_eq!(
        mentions(&page("officials/amina-khan/index.html")),
        [(
            "/topics/trade/".to_string(),
            "Trade grew after <mark>Amina Khān</mark> took office.".to_string()
        )]
    );
    // The home page is not a record, so it is not a mention; the visit's long title is not
    // repeated in the quote on its own page (it stays in the mark's title).
    let visit = mentions(&page("visits/amina-khan-borduria-2024/index.html"));
    assert_eq!(
        visit,
        [(
            "/officials/amina-khan/".to_string(),
            "She visited Borduria in 2024 (see <mark title=\"Amina Khān in Borduria, February 2024\">this visit</mark>).".to_string()
        )]
    );
    // A custom link text is kept, and the link goes to the entry.
    let html = page("visits/amina-khan-borduria-2024/index.html");
    let link = section(
        &html,
        "<a class=\"wikilink\" href=\"/officials/li-wei/\"",
        "</a>",
    );
    assert!(link.contains(" title=\"Li Wei 李伟\""), "{link}");
    assert!(link.ends_with(">the Bordurian minister"), "{link}");
    assert!(
        page("topics/friendship/index.html")
            .contains("دوستی کا یہ موضوع <a class=\"wikilink\" href=\"/topics/trade/\"")
    );
}

#[test]
fn citations_link_to_the_numbered_sources() {
    let html = page("visits/amina-khan-borduria-2024/index.html");
    assert!(
        html.contains("the year before <sup class=\"cite\"><a href=\"#source-1\""),
        "{html}"
    );
    assert!(html.contains("<sup class=\"cite\"><a href=\"#source-2\""));
    let sources = section(
        &html,
        "<section class=\"sources\" id=\"sources\">",
        "</section>",
    );
    assert!(sources.contains("<li id=\"source-1\"><a href=\"https://aland.example.org/joint-2024\" rel=\"noopener\">Joint statement</a>, <span class=\"publisher\">Aland MFA</span>, 8 February 2024.</li>"), "{sources}");
    assert!(sources.contains("<li id=\"source-2\"><a href=\"https://news.example.org/visit\" rel=\"noopener\">Visit report</a>.</li>"), "{sources}");
    assert!(
        !output()
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("bilat:cite")),
        "no internal citation URL leaks"
    );
}

#[test]
fn raw_script_is_removed_and_code_is_highlighted_with_classes() {
    let html = page("visits/amina-khan-borduria-2024/index.html");
    let prose = section(&html, "<div class=\"prose\"", "<section");
    assert!(!prose.contains("<script"), "{prose}");
    assert!(!html.contains("alert("), "the script's code is gone too");
    assert!(
        prose.contains("<pre class=\"code\"><code class=\"language-rust\">"),
        "{prose}"
    );
    assert!(
        prose.contains("<span class=\"hl-"),
        "highlighted into classes"
    );
    assert!(!prose.contains("style="), "no inline styles");
}

#[test]
fn generated_files_exist_and_are_well_formed() {
    for path in [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "graph/index.html",
        "search/index.html",
        "timeline/index.html",
        "visits/index.html",
        "officials/index.html",
        "topics/index.html",
        "ur/search/index.json",
        "data/visits.csv",
        "data/index.html",
        "ur/data/index.html",
    ] {
        assert!(output().contains_key(path), "{path} is missing");
    }
    assert!(page("404.html").contains("<title>Page not found"));

    let graph: serde_json::Value =
        serde_json::from_str(&page("data/graph.json")).expect("graph.json is JSON");
    assert_eq!(graph["nodes"].as_array().map(Vec::len), Some(6));
    let edges = graph["edges"].as_array().expect("edges");
    assert!(
        edges
            .iter()
            .any(|e| e["source"] == "visits/amina-khan-borduria-2024"
                && e["target"] == "officials/li-wei")
    );
    assert!(
        edges
            .iter()
            .any(|e| e["source"] == "topics/friendship" && e["target"] == "topics/trade")
    );

    let visits: serde_json::Value =
        serde_json::from_str(&page("data/visits.json")).expect("visits.json is JSON");
    let first = &visits[0];
    assert_eq!(first["id"], "amina-khan-borduria-2024");
    assert_eq!(first["fields"]["visitor"], "amina-khan");
    assert_eq!(first["fields"]["sources"][0]["date"], "2024-02-08");

    let search: serde_json::Value =
        serde_json::from_str(&page("search/index.json")).expect("search index is JSON");
    assert_eq!(search["docs"], 6, "one record per entry: {search}");
    let chunk = search["chunk"].as_u64().expect("records per chunk");
    let shards = search["shards"].as_array().expect("shard boundaries");
    assert!(!shards.is_empty(), "{search}");
    // Every record is in a chunk, with its whole body.
    let mut texts = Vec::new();
    for n in 0..6_u64.div_ceil(chunk) {
        let docs: serde_json::Value =
            serde_json::from_str(&page(&format!("search/d/{n}.json"))).expect("records");
        for d in docs.as_array().expect("a list of records") {
            texts.push(d["x"].as_str().unwrap_or_default().to_string());
        }
    }
    assert_eq!(texts.len(), 6);
    assert!(
        texts
            .iter()
            .any(|t| t.contains("the year before. Both sides")),
        "citations leave no stray space: {texts:?}"
    );
    // Every shard is an object of tokens, sorted across shards.
    let mut tokens = Vec::new();
    for (n, first) in shards.iter().enumerate() {
        let shard: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&page(&format!("search/i/{n}.json"))).expect("a shard");
        assert_eq!(shard.keys().next().map(String::as_str), first.as_str());
        tokens.extend(shard.keys().cloned());
    }
    assert!(tokens.windows(2).all(|w| w[0] < w[1]), "tokens in order");

    let feed = page("feed.xml");
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry>").count(), 2, "the two dated entries");
    assert!(
        feed.contains("<link href=\"https://fixture.example.org/visits/li-wei-aland-2023/\"/>")
    );

    let sitemap = page("sitemap.xml");
    for path in [
        "",
        "visits/amina-khan-borduria-2024/",
        "topics/friendship/",
        "about/",
        "timeline/",
        "ur/visits/li-wei-aland-2023/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://fixture.example.org/{path}</loc>")),
            "sitemap lacks /{path}"
        );
    }
    assert!(page("robots.txt").contains("Sitemap: https://fixture.example.org/sitemap.xml"));
}

/// Every `href`/`src` to this site, and every `#fragment` on the same page, exists.
fn assert_links_resolve(site: &Tree, base_path: &str) {
    let mut checked = 0;
    for (path, bytes) in site.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let ids: BTreeSet<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        for attr in ["href=\"", "src=\""] {
            for value in html.split(attr).skip(1).filter_map(|s| s.split('"').next()) {
                if let Some(fragment) = value.strip_prefix('#') {
                    if !fragment.is_empty() {
                        assert!(
                            ids.contains(fragment),
                            "{path}: no element with id {fragment:?}"
                        );
                    }
                    continue;
                }
                let Some(local) = value.strip_prefix(base_path).filter(|v| v.starts_with('/'))
                else {
                    continue;
                };
                let local = local
                    .split(['#', '?'])
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches('/');
                let target = if local.is_empty() || local.ends_with('/') {
                    format!("{local}index.html")
                } else {
                    local.to_string()
                };
                assert!(
                    site.contains_key(&target),
                    "{path} links to {value}, which does not exist"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn every_internal_link_points_to_a_page_that_exists() {
    assert_links_resolve(output(), "");
}

#[test]
fn bundled_site_links_only_to_pages_that_exist() {
    assert_links_resolve(bundled(), "");
}

/// The bundled site's output, built once per run of this test binary (from a copy, so edits to
/// the bundled content while the tests run cannot make them flaky).
fn bundled() -> &'static Tree {
    static OUTPUT: OnceLock<Tree> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        let site = Site::bundled_without_cards();
        build(&site.root)
    })
}

/// The `href`s of the cards in an entry page's backlink groups, and of the records that mention
/// it.
fn backlinks_and_mentions(html: &str) -> (Vec<String>, Vec<String>) {
    let hrefs = |part: &str, item: &str| -> Vec<String> {
        part.split(item)
            .skip(1)
            .map(|s| s[..s.find('"').unwrap_or(0)].to_string())
            .collect()
    };
    let typed = html
        .split("<section class=\"related\"")
        .skip(1)
        .flat_map(|g| {
            hrefs(
                &g[..g.find("</section>").unwrap_or(g.len())],
                "class=\"card-title\" href=\"",
            )
        })
        .collect();
    let mentions = hrefs(
        section(html, "id=\"mentioned-in\"", "</section>"),
        "<li><a href=\"",
    );
    (typed, mentions)
}

#[test]
fn entry_pages_list_each_record_once_and_fold_long_mention_lists() {
    let page = |p: &str| String::from_utf8(bundled()[p].clone()).unwrap();
    let xi = page("officials/xi-jinping/index.html");
    let (typed, mentions) = backlinks_and_mentions(&xi);
    assert!(typed.iter().any(|h| h.starts_with("/visits/")), "{typed:?}");
    for m in &mentions {
        assert!(
            !typed.contains(m),
            "{m} is listed as a typed backlink and again as a mention"
        );
        assert!(
            m.starts_with("/officials/")
                || m.starts_with("/visits/")
                || m.starts_with("/events/")
                || m.starts_with("/topics/")
                || m.starts_with("/agreements/")
                || m.starts_with("/documents/"),
            "{m}: only records mention"
        );
    }
    let unique: BTreeSet<&String> = mentions.iter().collect();
    assert_eq!(
        unique.len(),
        mentions.len(),
        "one item per mentioning record"
    );
    // Beyond five records, the others fold into a <details> that works without JavaScript.
    let list = section(&xi, "id=\"mentioned-in\"", "</section>");
    assert!(mentions.len() > 5);
    let open = &list[..list.find("<details").expect("folded mentions")];
    assert_eq!(open.matches("<li>").count(), 5);
    let summary = format!("<summary>Show {} more</summary>", mentions.len() - 5);
    assert!(list.contains(&summary), "{list}");
    // Each schema.org type with the date property it has.
    let agreement = jsonld(&page("agreements/cpec-launch-package-2015/index.html"));
    assert_eq!(agreement["mainEntity"]["@type"], "Legislation");
    assert_eq!(agreement["mainEntity"]["legislationDate"], "2015-04-20");
    assert!(agreement["mainEntity"].get("startDate").is_none());
    let document = jsonld(&page("documents/joint-statement-2025-02/index.html"));
    assert_eq!(document["mainEntity"]["@type"], "DigitalDocument");
    assert!(
        document["mainEntity"]["datePublished"].is_string(),
        "{document}"
    );
    assert!(document["mainEntity"].get("startDate").is_none());
    // The showcase visit does not repeat its long title in each quote.
    let visit = page("visits/zardari-china-2025/index.html");
    let quotes = section(&visit, "id=\"mentioned-in\"", "</section>");
    assert!(
        !quotes
            .contains("<mark>President Zardari&#39;s state visit to China, February 2025</mark>")
    );
    assert!(quotes.contains(">this visit</mark>"));
    for p in ["about/index.html", "index.html"] {
        assert!(
            !quotes.contains(&format!("href=\"/{}\"", p.trim_end_matches("index.html"))),
            "{p} is not a record"
        );
    }
}

#[test]
fn csv_exports_and_the_data_dictionary() {
    let graph: serde_json::Value =
        serde_json::from_str(&page("data/graph.json")).expect("graph.json is JSON");
    // The CSV beside the JSON: a header of id, title, url and the fields, one row per record.
    let csv = page("data/officials.csv");
    let mut rows = csv.trim_start_matches('\u{feff}').split("\r\n");
    let header = rows.next().unwrap_or_default();
    assert!(header.starts_with("id,title,url,"), "{header}");
    assert_eq!(
        rows.filter(|r| !r.is_empty()).count(),
        graph["nodes"].as_array().map_or(0, |n| n
            .iter()
            .filter(|n| n["collection"] == "officials")
            .count()),
        "{csv}"
    );
    // The data dictionary lists every field of every collection and links the exports.
    let dictionary = page("data/index.html");
    assert!(
        dictionary.contains("<code dir=\"ltr\">sources</code>"),
        "{dictionary}"
    );
    assert!(
        dictionary.contains("href=\"/data/officials.csv\""),
        "{dictionary}"
    );
}

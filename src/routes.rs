//! Routes: for every kind of page and file bilat generates, its path, its URL in each language, its
//! output file, whether the sitemap lists it and the names it takes at the output root.
//!
//! This is the one place those decisions live. `config` reads the reserved names, `render` its
//! jobs, the navigation, the sitemap and every link; nothing else spells a generated path. A
//! foundation module: it imports no stage, so any stage may use it.

/// A page or file made once per site or once per language, not once per record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SitePage {
    Home,
    Timeline,
    Graph,
    Search,
    Numbers,
    NotFound,
    Feed,
    Sitemap,
    Robots,
    GraphData,
    /// The data dictionary: every collection's fields and its exports.
    Dictionary,
}

impl SitePage {
    /// Every site page, in the order their jobs are queued (the largest pages first).
    pub const ALL: [SitePage; 11] = [
        SitePage::Timeline,
        SitePage::Graph,
        SitePage::Numbers,
        SitePage::Home,
        SitePage::Search,
        SitePage::Dictionary,
        SitePage::GraphData,
        SitePage::Feed,
        SitePage::Sitemap,
        SitePage::NotFound,
        SitePage::Robots,
    ];

    /// Everything fixed about this page.
    pub const fn route(self) -> SiteRoute {
        use SitePage::*;
        let (kind, path, per_language, in_sitemap) = match self {
            Home => ("home", "/", true, false),
            Timeline => ("timeline", "/timeline/", true, true),
            Graph => ("graph", "/graph/", true, true),
            Search => ("search", "/search/", true, true),
            Numbers => ("numbers", "/numbers/", true, true),
            NotFound => ("404", "/404.html", false, false),
            Feed => ("feed", "/feed.xml", true, false),
            Sitemap => ("sitemap", "/sitemap.xml", false, false),
            Robots => ("robots", "/robots.txt", false, false),
            GraphData => ("data", "/data/graph.json", false, false),
            Dictionary => ("dictionary", "/data/", true, true),
        };
        // The interface string that names the page in the navigation, and its English default.
        let nav_title = match self {
            Timeline => Some(("timeline", "Timeline")),
            Graph => Some(("graph", "Graph")),
            Numbers => Some(("numbers", "In numbers")),
            _ => None,
        };
        SiteRoute {
            kind,
            path,
            per_language,
            in_sitemap,
            nav_title,
            is_page: !matches!(self, GraphData),
        }
    }
}

/// Everything fixed about a [`SitePage`].
#[derive(Debug, Clone, Copy)]
pub struct SiteRoute {
    /// The page's kind as templates see it (`page.kind`).
    pub kind: &'static str,
    /// Root-relative path without the language prefix: `/timeline/`, `/feed.xml`.
    pub path: &'static str,
    /// Made once per language (under `/<lang>/` for the others), or once for the site.
    pub per_language: bool,
    /// Listed in `sitemap.xml` (the home page is listed first, with the collections).
    pub in_sitemap: bool,
    /// Linked from the main navigation after the collections, titled by this interface string
    /// (key, and the English default when the theme has no such string).
    pub nav_title: Option<(&'static str, &'static str)>,
    /// A page (counted as one in the build report), not a data file.
    pub is_page: bool,
}

/// Folders and files at the output root that bilat or the theme fill besides the site pages.
const OTHER_ROOT_NAMES: &[&str] = &["data", "static", "assets", "pages", "index.html"];

/// The main navigation's site pages, in the order they appear after the collections.
pub fn nav_pages() -> impl Iterator<Item = (SitePage, SiteRoute)> {
    SitePage::ALL
        .into_iter()
        .map(|p| (p, p.route()))
        .filter(|(_, r)| r.nav_title.is_some())
}

/// Names at the output root that a collection, a free page or a language may not take.
pub fn reserved_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = SitePage::ALL
        .iter()
        .filter_map(|p| root_name(p.route().path))
        .collect();
    names.extend(OTHER_ROOT_NAMES);
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether `name` is taken at the output root by a generated page or folder.
pub fn is_reserved(name: &str) -> bool {
    reserved_names().contains(&name)
}

/// The first segment of a root-relative path (`/timeline/` → `timeline`; `/` has none).
fn root_name(path: &'static str) -> Option<&'static str> {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .filter(|s| !s.is_empty())
}

/// The path of a collection's index.
pub fn collection(name: &str) -> String {
    format!("/{name}/")
}

/// Records per page of a collection's index: a longer index goes on at `/<collection>/page/2/`…
pub const LIST_PAGE: usize = 200;

/// Records of one backlink group shown on the entry's own page: a longer group shows these and
/// links to its own list, paged like a collection's index.
pub const BACKLINKS_SHOWN: usize = 50;

/// How many pages `count` items take at `per` a page (at least one, so an empty list has a page).
pub fn page_count(count: usize, per: usize) -> usize {
    count.div_ceil(per.max(1)).max(1)
}

/// The path of page `n` (from 1) of a list whose first page is at `first` (a folder path): the
/// first page itself, then `<first>page/<n>/`. No entry can take `page/<n>/`: an entry's page
/// is one folder deep in its collection, and an entry's own lists are in its folder.
pub fn list_page(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// The path of page `n` of a collection's index.
pub fn collection_page(name: &str, n: usize) -> String {
    list_page(&collection(name), n)
}

/// The first page of the list of every record whose field `field` of collection `from` points
/// at the entry `collection/id`, when there are more than [`BACKLINKS_SHOWN`].
pub fn backlinks(collection: &str, id: &str, from: &str, field: &str) -> String {
    format!("/{collection}/{id}/{from}-{}/", field.replace('_', "-"))
}

/// The path of an entry's page.
pub fn entry(collection: &str, id: &str) -> String {
    format!("/{collection}/{id}/")
}

/// The path of one part of a timeline too long for one page (`/timeline/1960s/`, `/timeline/2015-3/`).
pub fn timeline_part(slug: &str) -> String {
    format!("/timeline/{slug}/")
}

/// The social card image of an entry's page, beside the page.
pub fn entry_card(collection: &str, id: &str) -> String {
    format!("/{collection}/{id}/card.png")
}

/// The path of a free page from `content/pages/`.
pub fn free_page(id: &str) -> String {
    format!("/{id}/")
}

/// The data export of a collection (once per site).
pub fn data(collection: &str) -> String {
    format!("/data/{collection}.json")
}

/// The CSV export of a collection (once per site), beside its JSON.
pub fn data_csv(collection: &str) -> String {
    format!("/data/{collection}.csv")
}

/// The folder of the data exports.
pub const DATA_DIR: &str = "/data/";

/// The sitemap's parts when it is split into an index (`sitemap.xml`) and parts: `/sitemap-1.xml`…
pub fn sitemap_part(n: usize) -> String {
    format!("/sitemap-{n}.xml")
}

/// The most URLs one sitemap file may list (the sitemaps.org protocol's limit).
pub const SITEMAP_URLS: usize = 50_000;

/// The most bytes a sitemap part may take: under the protocol's 50 MB, and under the 1 MiB that
/// no generated file but the data exports exceeds.
pub const SITEMAP_BYTES: usize = 1_000_000;

/// The search index of a language, beside its search page: its shard boundaries and tables.
pub const SEARCH_INDEX: &str = "/search/index.json";

/// The search index shard `n` of a language.
pub fn search_shard(n: usize) -> String {
    format!("/search/i/{n}.json")
}

/// The chunk `n` of a language's search records.
pub fn search_docs(n: usize) -> String {
    format!("/search/d/{n}.json")
}

/// The theme's assets, once per site.
pub const ASSETS: &str = "/assets";

/// Where one language's pages live, relative to the site's base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangRoot {
    /// `""` for the default language, `/ur` for the others.
    pub prefix: String,
}

impl LangRoot {
    pub fn new(code: &str, default_language: &str) -> Self {
        let prefix = if code == default_language {
            String::new()
        } else {
            format!("/{code}")
        };
        LangRoot { prefix }
    }

    /// The output file of the page at `path` in this language: `ur/timeline/index.html`.
    pub fn file(&self, path: &str) -> String {
        output_file(&format!("{}{path}", self.prefix))
    }

    /// The root-relative URL of `path` in this language under `base_path` (`""` or `/sub`).
    pub fn url(&self, base_path: &str, path: &str) -> String {
        format!("{base_path}{}{path}", self.prefix)
    }
}

/// The output file of a root-relative path: a folder path gets its `index.html`.
pub fn output_file(path: &str) -> String {
    if path.ends_with('/') {
        format!("{}index.html", path.trim_start_matches('/'))
    } else {
        path.trim_start_matches('/').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_pages_have_distinct_paths() {
        let mut paths: Vec<&str> = SitePage::ALL.iter().map(|p| p.route().path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(
            paths.len(),
            SitePage::ALL.len(),
            "two site pages share a path"
        );
    }

    #[test]
    fn files_and_urls_follow_the_language() {
        let en = LangRoot::new("en", "en");
        let ur = LangRoot::new("ur", "en");
        assert_eq!(en.file("/"), "index.html");
        assert_eq!(ur.file("/timeline/"), "ur/timeline/index.html");
        assert_eq!(en.file("/feed.xml"), "feed.xml");
        assert_eq!(ur.file("/feed.xml"), "ur/feed.xml");
        assert_eq!(ur.url("/sub", "/graph/"), "/sub/ur/graph/");
        assert_eq!(output_file(&data("visits")), "data/visits.json");
    }

    #[test]
    fn later_pages_of_a_list_go_under_page() {
        assert_eq!(collection_page("visits", 1), "/visits/");
        assert_eq!(collection_page("visits", 2), "/visits/page/2/");
        assert_eq!(
            list_page(&backlinks("topics", "cpec", "visits", "topics"), 3),
            "/topics/cpec/visits-topics/page/3/"
        );
        assert_eq!(
            backlinks("officials", "xi", "agreements", "signed_by"),
            "/officials/xi/agreements-signed-by/"
        );
        assert_eq!(page_count(0, 200), 1);
        assert_eq!(page_count(200, 200), 1);
        assert_eq!(page_count(201, 200), 2);
        assert_eq!(sitemap_part(2), "/sitemap-2.xml");
    }

    #[test]
    fn generated_names_are_reserved() {
        for name in [
            "timeline",
            "graph",
            "search",
            "data",
            "feed.xml",
            "sitemap.xml",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in [
            "robots.txt",
            "404.html",
            "index.html",
            "assets",
            "static",
            "pages",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        assert!(!is_reserved("visits"));
    }
}

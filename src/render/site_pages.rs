//! The site-wide pages and files: home, collection lists, free pages, timeline, graph, search,
//! 404, feed, sitemap, robots.txt and the `/data/` JSON files.

use super::model::{Card, CollectionCount, Group, PALETTE};
use super::{Deps, LangData, OutputFile, Renderer, csv, data, internal, json_bytes};
use crate::config::Collection;
use crate::diagnostics::Diagnostic;
use crate::markup;
use crate::routes::{self, SitePage};
use crate::validate::{Entry, Value};
use crate::walk::SourceKind;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

impl<'a> Renderer<'a> {
    /// The file of a site page in language `l` (the pages made once per site get the default
    /// language). Each page kind's path, URL and sitemap entry come from [`routes`].
    pub(super) fn site_page_of(
        &self,
        page: SitePage,
        l: &LangData<'a>,
    ) -> Result<OutputFile, Diagnostic> {
        match page {
            SitePage::Home => self.home(l),
            SitePage::Timeline => self.timeline(l),
            SitePage::Graph => self.graph_page(l),
            SitePage::Search => self.search(l),
            SitePage::Numbers => self.numbers(l),
            SitePage::NotFound => self.not_found(l),
            SitePage::Feed => self.feed(l),
            SitePage::Sitemap => Err(internal("the sitemap is made by its own job")),
            SitePage::Robots => self.robots(),
            SitePage::GraphData => self.graph_data(l),
            SitePage::Dictionary => self.dictionary(l),
        }
    }

    pub(super) fn home(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let doc = l.docs.get(&SourceKind::Home);
        let title = doc.map_or(self.config.title.clone(), |d| d.title.clone());
        let description = doc.and_then(|d| d.description.clone()).unwrap_or_default();
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "WebSite", "name": title, "url": format!("{}/", self.config.base_url), "description": self.config.description});
        let route = SitePage::Home.route();
        let mut ctx = self.context(l, route.kind, route.path, &title, &description, jsonld);
        ctx.insert(
            "body",
            &doc.map(|d| self.doc_html(l, d, &Deps::default()))
                .unwrap_or_default(),
        );
        let mut recent: Vec<&Card> = l.cards.iter().filter(|c| c.sort_date.is_some()).collect();
        recent.sort_by(|a, b| {
            b.sort_date
                .cmp(&a.sort_date)
                .then_with(|| a.title.cmp(&b.title))
        });
        recent.truncate(8);
        ctx.insert("recent", &recent);
        let counts: Vec<CollectionCount> = self
            .config
            .collections
            .iter()
            .zip(&l.site.nav)
            .map(|(c, link)| CollectionCount {
                title: &link.title,
                url: &link.url,
                name: &c.name,
                count: self
                    .linked
                    .entries
                    .iter()
                    .filter(|e| e.collection == c.name)
                    .count(),
            })
            .collect();
        ctx.insert("collections", &counts);
        self.page_file(l, route.path, "index.html", &ctx)
    }

    pub(super) fn page(&self, l: &LangData<'a>, di: usize) -> Result<OutputFile, Diagnostic> {
        let Some(original) = self.linked.docs.get(di) else {
            return Err(internal("a job names no free page"));
        };
        let doc = l.docs.get(&original.kind).copied().unwrap_or(original);
        let SourceKind::Page { id } = &original.kind else {
            return Err(Diagnostic::error(
                crate::diagnostics::codes::INTERNAL,
                &original.file,
                Default::default(),
                "not a free page",
            ));
        };
        let path = routes::free_page(id);
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": doc.title});
        let mut ctx = self.context(
            l,
            "page",
            &path,
            &doc.title,
            doc.description.as_deref().unwrap_or(""),
            jsonld,
        );
        ctx.insert("body", &self.doc_html(l, doc, &Deps::default()));
        self.page_file(l, &path, "page.html", &ctx)
    }

    pub(super) fn search(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("search")
            .cloned()
            .unwrap_or_else(|| "Search".into());
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "SearchResultsPage", "name": title});
        let route = SitePage::Search.route();
        let mut ctx = self.context(l, route.kind, route.path, &title, "", jsonld);
        ctx.insert("index_url", &format!("{}{}", l.root, routes::SEARCH_INDEX));
        self.page_file(l, route.path, "search.html", &ctx)
    }

    pub(super) fn not_found(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("not_found")
            .cloned()
            .unwrap_or_else(|| "Page not found".into());
        let route = SitePage::NotFound.route();
        let ctx = self.context(l, route.kind, route.path, &title, "", serde_json::json!({}));
        let html = l.templates.render("404.html", &ctx)?;
        Ok(OutputFile {
            path: routes::output_file(route.path),
            bytes: html.into_bytes(),
        })
    }

    pub(super) fn feed(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let origin = self
            .config
            .base_url
            .trim_end_matches(self.config.base_path())
            .to_string();
        let mut items: Vec<(usize, &Card)> = l
            .cards
            .iter()
            .enumerate()
            .filter(|(_, c)| c.sort_date.is_some())
            .collect();
        items.sort_by(|a, b| {
            b.1.sort_date
                .cmp(&a.1.sort_date)
                .then_with(|| a.1.title.cmp(&b.1.title))
        });
        items.truncate(50);
        let entries: Vec<serde_json::Value> = items
            .iter()
            .filter_map(|(i, c)| {
                let e = self.linked.entries.get(*i)?;
                Some(serde_json::json!({"title": c.title, "url": format!("{origin}{}", c.url), "updated": e.date.map(|d| d.rfc3339()), "summary": c.summary, "kind": c.kind, "lang": c.lang.as_ref().map(|t| &t.code), "summary_lang": c.summary_lang.as_ref().map(|t| &t.code)}))
            })
            .collect();
        let updated = items
            .first()
            .and_then(|(i, _)| self.linked.entries.get(*i)?.date)
            .map_or("1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
        let route = SitePage::Feed.route();
        let mut ctx = self.context(
            l,
            route.kind,
            route.path,
            &self.config.title,
            "",
            serde_json::json!({}),
        );
        ctx.insert("entries", &entries);
        ctx.insert("updated", &updated);
        ctx.insert(
            "home",
            &format!("{origin}{}{}", l.root, SitePage::Home.route().path),
        );
        let xml = l.templates.render("feed.xml", &ctx)?;
        Ok(OutputFile {
            path: self.file_of(l, route.path),
            bytes: xml.into_bytes(),
        })
    }

    pub(super) fn robots(&self) -> Result<OutputFile, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert(
            "sitemap_url",
            &format!("{}{}", self.config.base_url, SitePage::Sitemap.route().path),
        );
        let text = self.templates.render("robots.txt", &ctx)?;
        Ok(OutputFile {
            path: routes::output_file(SitePage::Robots.route().path),
            bytes: text.into_bytes(),
        })
    }

    /// `/data/<collection>.json`.
    pub(super) fn data(&self, l: &LangData<'a>, ci: usize) -> Result<OutputFile, Diagnostic> {
        let Some(c) = self.config.collections.get(ci) else {
            return Err(internal("a job names no collection"));
        };
        let records: Vec<data::Record> = self
            .linked
            .entries
            .iter()
            .zip(&l.cards)
            .filter(|(e, _)| e.collection == c.name)
            .map(|(entry, card)| data::Record {
                entry,
                url: &card.url,
            })
            .collect();
        Ok(OutputFile {
            path: routes::output_file(&routes::data(&c.name)),
            bytes: json_bytes(&records)?,
        })
    }

    /// `/data/<collection>.csv`.
    pub(super) fn data_csv(&self, l: &LangData<'a>, ci: usize) -> Result<OutputFile, Diagnostic> {
        let Some(c) = self.config.collections.get(ci) else {
            return Err(internal("a job names no collection"));
        };
        let rows: Vec<(&Entry, &str)> = self
            .linked
            .entries
            .iter()
            .zip(&l.cards)
            .filter(|(e, _)| e.collection == c.name)
            .map(|(entry, card)| (entry, card.url.as_str()))
            .collect();
        Ok(OutputFile {
            path: routes::output_file(&routes::data_csv(&c.name)),
            bytes: csv::table(c, &rows),
        })
    }

    /// `/data/graph.json`.
    pub(super) fn graph_data(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let graph = data::Graph {
            entries: &self.linked.entries,
            urls: l.cards.iter().map(|c| c.url.as_str()).collect(),
            outlinks: &self.linked.outlinks,
        };
        Ok(OutputFile {
            path: routes::output_file(SitePage::GraphData.route().path),
            bytes: json_bytes(&graph)?,
        })
    }
}

/// `/numbers/`: the relationship in figures, every chart with its table.
#[derive(Serialize)]
struct NumbersCtx<'c> {
    /// Dated records per decade, one column per dated collection.
    decades: Vec<DecadeRow>,
    columns: Vec<Column>,
    /// Records per value of each enum field (e.g. agreements by kind).
    breakdowns: Vec<Breakdown>,
    /// The records most linked to, per collection.
    most_linked: Vec<MostLinked<'c>>,
    labels: BTreeMap<&'static str, String>,
}

/// A dated collection as a column of the decade chart: its title and colour.
#[derive(Serialize)]
struct Column {
    title: String,
    hue: usize,
}

#[derive(Serialize)]
struct DecadeRow {
    decade: String,
    counts: Vec<usize>,
    /// One bar segment per column.
    bars: Vec<Bar>,
    total: usize,
}

/// A bar segment: x offset and width in percent of the widest decade, and the count it shows.
#[derive(Serialize)]
struct Bar {
    /// The collection's colour.
    hue: usize,
    x: f64,
    w: f64,
    n: usize,
}

/// A row of a table with a bar: its label, its count and the bar's width in percent.
#[derive(Serialize)]
struct BarRow {
    label: String,
    n: usize,
    w: f64,
}

/// A record and how many records link to it.
#[derive(Serialize)]
struct Linked<'c> {
    card: &'c Card,
    links: usize,
}

#[derive(Serialize)]
struct Breakdown {
    title: String,
    /// The field's label, heading the table's first column.
    field: String,
    rows: Vec<BarRow>,
}

#[derive(Serialize)]
struct MostLinked<'c> {
    title: String,
    rows: Vec<Linked<'c>>,
}

impl<'a> Renderer<'a> {
    pub(super) fn numbers(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let route = SitePage::Numbers.route();
        let title = l.text("numbers", "In numbers");
        let mut ctx = self.web_page_context(l, SitePage::Numbers, &title);
        let dated: Vec<(usize, &Collection)> = self
            .config
            .collections
            .iter()
            .enumerate()
            .filter(|(_, c)| c.date_field.is_some())
            .collect();
        let numbers = NumbersCtx {
            decades: self.decades(l, &dated),
            columns: dated
                .iter()
                .filter_map(|(ci, _)| {
                    let nav = l.site.nav.get(*ci)?;
                    Some(Column {
                        title: nav.title.clone(),
                        hue: ci % PALETTE,
                    })
                })
                .collect(),
            breakdowns: self.breakdowns(l),
            most_linked: self.most_linked(l),
            labels: [
                ("decades", l.text("numbers_decades", "Records per decade")),
                ("decade", l.text("numbers_decade", "Decade")),
                ("total", l.text("numbers_total", "Total")),
                (
                    "most_linked",
                    l.text("numbers_most_linked", "Most linked to"),
                ),
                ("links", l.text("numbers_links", "Links")),
                ("records", l.text("numbers_records", "Records")),
            ]
            .into_iter()
            .collect(),
        };
        ctx.insert("numbers", &numbers);
        self.page_file(l, route.path, "numbers.html", &ctx)
    }

    /// Dated records per decade and collection, from the first decade to the last.
    fn decades(&self, l: &LangData<'a>, dated: &[(usize, &Collection)]) -> Vec<DecadeRow> {
        let mut counts: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for (e, card) in self.linked.entries.iter().zip(&l.cards) {
            let Some(year) = card
                .sort_date
                .as_deref()
                .and_then(|d| d.get(..4)?.parse::<i64>().ok())
            else {
                continue;
            };
            let Some(col) = dated.iter().position(|(_, c)| c.name == e.collection) else {
                continue;
            };
            let row = counts
                .entry(year - year.rem_euclid(10))
                .or_insert_with(|| vec![0; dated.len()]);
            if let Some(n) = row.get_mut(col) {
                *n += 1;
            }
        }
        let (Some(first), Some(last)) =
            (counts.keys().next().copied(), counts.keys().last().copied())
        else {
            return Vec::new();
        };
        let widest = counts
            .values()
            .map(|r| r.iter().sum::<usize>())
            .max()
            .unwrap_or(1)
            .max(1);
        (first..=last)
            .step_by(10)
            .map(|decade| {
                let row = counts
                    .get(&decade)
                    .cloned()
                    .unwrap_or_else(|| vec![0; dated.len()]);
                let mut x = 0.0;
                let bars = row
                    .iter()
                    .zip(dated)
                    .map(|(n, (ci, _))| {
                        let w = *n as f64 * 100.0 / widest as f64;
                        let bar = Bar {
                            hue: (*ci) % PALETTE,
                            x: round1(x),
                            w: round1(w),
                            n: *n,
                        };
                        x += w;
                        bar
                    })
                    .collect();
                DecadeRow {
                    decade: format!("{decade}–{}", decade + 9),
                    total: row.iter().sum(),
                    counts: row,
                    bars,
                }
            })
            .collect()
    }

    /// Records per value of every enum field, for the collections that have one.
    fn breakdowns(&self, l: &LangData<'a>) -> Vec<Breakdown> {
        let mut out = Vec::new();
        for (c, nav) in self.config.collections.iter().zip(&l.site.nav) {
            for f in &c.fields {
                let crate::config::FieldType::Enum(values) = &f.ty else {
                    continue;
                };
                let count = |v: &str| {
                    self.linked
                        .entries
                        .iter()
                        .filter(|e| e.collection == c.name)
                        .filter(|e| matches!(e.field(&f.name), Some(Value::Enum(x)) if x == v))
                        .count()
                };
                let counts: Vec<(String, usize)> = values
                    .iter()
                    .map(|v| (l.text(&format!("enum_{v}"), v), count(v)))
                    .filter(|(_, n)| *n > 0)
                    .collect();
                let widest = counts.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
                if counts.is_empty() {
                    continue;
                }
                let label = l.text(&format!("field_{}", f.name), &f.label);
                out.push(Breakdown {
                    title: format!("{} · {label}", nav.title),
                    field: label,
                    rows: counts
                        .into_iter()
                        .map(|(label, n)| BarRow {
                            label,
                            n,
                            w: round1(n as f64 * 100.0 / widest as f64),
                        })
                        .collect(),
                });
            }
        }
        out
    }

    /// The ten records of each collection that the most records link to (fields and mentions).
    fn most_linked(&self, l: &'a LangData<'a>) -> Vec<MostLinked<'a>> {
        let links = |ei: usize| {
            let typed: usize = self
                .linked
                .backlinks
                .get(ei)
                .map_or(0, |g| g.iter().map(|g| g.from.len()).sum());
            typed + self.linked.mentions.get(ei).map_or(0, Vec::len)
        };
        self.config
            .collections
            .iter()
            .zip(&l.site.nav)
            .filter_map(|(c, nav)| {
                let mut rows: Vec<(&Card, usize)> = self
                    .linked
                    .entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.collection == c.name)
                    .filter_map(|(i, _)| Some((l.cards.get(i)?, links(i))))
                    .filter(|(_, n)| *n > 0)
                    .collect();
                rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.title.cmp(&b.0.title)));
                rows.truncate(10);
                let rows: Vec<Linked> = rows
                    .into_iter()
                    .map(|(card, links)| Linked { card, links })
                    .collect();
                (!rows.is_empty()).then(|| MostLinked {
                    title: nav.title.clone(),
                    rows,
                })
            })
            .collect()
    }
}

/// A percentage to one decimal place, so the SVG stays short and deterministic.
fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub(super) fn group_by<'c>(items: &[&'c Card], key: impl Fn(&Card) -> String) -> Vec<Group<'c>> {
    let mut groups: Vec<Group> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.last_mut() {
            Some(g) if g.label == k => {
                g.items.push(item);
                g.count += 1;
            }
            _ => groups.push(Group {
                id: markup::slug(&k),
                label: k,
                items: vec![item],
                count: 1,
                all: None,
            }),
        }
    }
    groups
}

//! The site-wide pages and files: home, collection lists, free pages, timeline, graph, search,
//! 404, feed, sitemap, robots.txt and the `/data/` JSON files.

use super::*;

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
            SitePage::Graph => self.graph(l),
            SitePage::Search => self.search(l),
            SitePage::NotFound => self.not_found(l),
            SitePage::Feed => self.feed(l),
            SitePage::Sitemap => self.sitemap(),
            SitePage::Robots => self.robots(),
            SitePage::GraphData => self.graph_data(l),
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
            &doc.map(|d| self.markdown(l, d.body(), &Deps::default()))
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
        let counts: Vec<serde_json::Value> = self
            .config
            .collections
            .iter()
            .zip(&l.site.nav)
            .map(|(c, link)| serde_json::json!({"title": link.title, "url": link.url, "name": c.name, "count": self.linked.entries.iter().filter(|e| e.collection == c.name).count()}))
            .collect();
        ctx.insert("collections", &counts);
        self.page_file(l, route.path, "index.html", &ctx)
    }

    pub(super) fn collection(&self, l: &LangData<'a>, ci: usize) -> Result<OutputFile, Diagnostic> {
        let (Some(c), Some(nav)) = (self.config.collections.get(ci), l.site.nav.get(ci)) else {
            return Err(internal("a job names no collection"));
        };
        let title = nav.title.clone();
        let path = routes::collection(&c.name);
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": title});
        let mut ctx = self.context(l, "collection", &path, &title, "", jsonld);
        let doc = l.docs.get(&SourceKind::CollectionIndex {
            collection: c.name.clone(),
        });
        ctx.insert(
            "body",
            &doc.map(|d| self.markdown(l, d.body(), &Deps::default()))
                .unwrap_or_default(),
        );
        let mut items: Vec<&Card> = self
            .linked
            .entries
            .iter()
            .zip(&l.cards)
            .filter(|(e, _)| e.collection == c.name)
            .map(|(_, card)| card)
            .collect();
        let groups = if c.date_field.is_some() {
            items.sort_by(|a, b| {
                b.sort_date
                    .cmp(&a.sort_date)
                    .then_with(|| a.title.cmp(&b.title))
            });
            group_by(&items, |card| {
                card.sort_date
                    .as_deref()
                    .map_or(String::new(), |d| d.chars().take(4).collect())
            })
        } else {
            items.sort_by_key(|c| c.title.to_lowercase());
            group_by(&items, |card| {
                card.title
                    .chars()
                    .next()
                    .map(|ch| ch.to_uppercase().to_string())
                    .unwrap_or_default()
            })
        };
        ctx.insert("collection", &serde_json::json!({"name": c.name, "title": title, "singular": l.text(&format!("singular_{}", c.name), &c.singular), "dated": c.date_field.is_some(), "count": items.len()}));
        ctx.insert("groups", &groups);
        self.page_file(l, &path, "collection.html", &ctx)
    }

    pub(super) fn page(&self, l: &LangData<'a>, di: usize) -> Result<OutputFile, Diagnostic> {
        let Some(original) = self.linked.docs.get(di) else {
            return Err(internal("a job names no free page"));
        };
        let doc = l.docs.get(&original.kind).copied().unwrap_or(original);
        let SourceKind::Page { id } = &original.kind else {
            return Err(Diagnostic::error(
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
        ctx.insert("body", &self.markdown(l, doc.body(), &Deps::default()));
        self.page_file(l, &path, "page.html", &ctx)
    }

    pub(super) fn timeline(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("timeline")
            .cloned()
            .unwrap_or_else(|| "Timeline".into());
        let mut items: Vec<&Card> = l.cards.iter().filter(|c| c.sort_date.is_some()).collect();
        items.sort_by(|a, b| {
            a.sort_date
                .cmp(&b.sort_date)
                .then_with(|| a.title.cmp(&b.title))
        });
        let years: Vec<YearCtx> = group_by(&items, |c| {
            c.sort_date
                .as_deref()
                .map_or(String::new(), |d| d.chars().take(4).collect())
        })
        .into_iter()
        .map(|g| YearCtx {
            year: g.label,
            items: g.items,
        })
        .collect();
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": title});
        let route = SitePage::Timeline.route();
        let mut ctx = self.context(l, route.kind, route.path, &title, "", jsonld);
        ctx.insert("years", &years);
        ctx.insert("count", &items.len());
        self.page_file(l, route.path, "timeline.html", &ctx)
    }

    pub(super) fn graph(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l
            .strings
            .get("graph")
            .cloned()
            .unwrap_or_else(|| "Graph".into());
        let lanes: Vec<graph::Lane> = self
            .config
            .collections
            .iter()
            .zip(&l.site.nav)
            .map(|(c, n)| graph::Lane {
                title: n.title.clone(),
                name: c.name.clone(),
            })
            .collect();
        let lane_of: Vec<usize> = self
            .linked
            .entries
            .iter()
            .map(|e| {
                self.config
                    .collections
                    .iter()
                    .position(|c| c.name == e.collection)
                    .unwrap_or(0)
            })
            .collect();
        let svg = graph::svg(&lanes, &lane_of, &l.cards, &self.linked.outlinks, &title);
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": title});
        let route = SitePage::Graph.route();
        let mut ctx = self.context(l, route.kind, route.path, &title, "", jsonld);
        ctx.insert("svg", &svg);
        ctx.insert(
            "edges",
            &self.linked.outlinks.iter().map(Vec::len).sum::<usize>(),
        );
        ctx.insert("nodes", &l.cards.len());
        self.page_file(l, route.path, "graph.html", &ctx)
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
                Some(serde_json::json!({"title": c.title, "url": format!("{origin}{}", c.url), "updated": e.date.map(|d| d.rfc3339()), "summary": c.summary, "kind": c.kind}))
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
        let xml = l.templates.render("feed.xml", &ctx)?;
        Ok(OutputFile {
            path: routes::output_file(route.path),
            bytes: xml.into_bytes(),
        })
    }

    pub(super) fn sitemap(&self) -> Result<OutputFile, Diagnostic> {
        let origin = self
            .config
            .base_url
            .trim_end_matches(self.config.base_path())
            .to_string();
        let mut urls = Vec::new();
        for l in &self.langs {
            urls.push(format!("{origin}{}{}", l.root, SitePage::Home.route().path));
            for n in &l.site.nav {
                urls.push(format!("{origin}{}", n.url));
            }
            for c in &l.cards {
                urls.push(format!("{origin}{}", c.url));
            }
            for d in self
                .linked
                .docs
                .iter()
                .filter(|d| matches!(d.kind, SourceKind::Page { .. }) && d.lang.is_none())
            {
                if let SourceKind::Page { id } = &d.kind {
                    urls.push(format!("{origin}{}{}", l.root, routes::free_page(id)));
                }
            }
            for route in SitePage::ALL.map(SitePage::route) {
                if route.in_sitemap && route.per_language {
                    urls.push(format!("{origin}{}{}", l.root, route.path));
                }
            }
        }
        let mut ctx = Context::new();
        ctx.insert("urls", &urls);
        let xml = self.templates.render("sitemap.xml", &ctx)?;
        Ok(OutputFile {
            path: routes::output_file(SitePage::Sitemap.route().path),
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

fn group_by<'c>(items: &[&'c Card], key: impl Fn(&Card) -> String) -> Vec<Group<'c>> {
    let mut groups: Vec<Group> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.last_mut() {
            Some(g) if g.label == k => g.items.push(item),
            _ => groups.push(Group {
                id: markdown::slug(&k),
                label: k,
                items: vec![item],
            }),
        }
    }
    groups
}

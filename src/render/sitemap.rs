//! `sitemap.xml`: every page in every language, with its versions in the other languages and its
//! `lastmod`. Past 50,000 URLs (the sitemaps.org protocol's limit) or 1 MB, the URLs go into
//! parts (`sitemap-1.xml`…) and `sitemap.xml` becomes their index, which `robots.txt` names.

use super::{LangData, OutputFile, Renderer, lists};
use crate::diagnostics::Diagnostic;
use crate::routes::{self, SitePage};
use crate::validate::{Date, Entry};
use crate::walk::SourceKind;
use serde::Serialize;
use tera::Context;

/// A URL of the sitemap.
#[derive(Serialize)]
struct Url {
    loc: String,
    lastmod: Option<String>,
    alternates: Vec<Alternate>,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    href: String,
}

/// A part as the index lists it.
#[derive(Serialize)]
struct Part {
    loc: String,
    lastmod: Option<String>,
}

impl Renderer<'_> {
    /// The sitemap: one file, or an index and its parts. Every page in every language, each
    /// with its versions in the other languages (`xhtml:link` hreflang alternates) and, where
    /// its content is dated, `lastmod` from the latest date in it (never the time of the build).
    pub(super) fn sitemap(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let origin = self
            .config
            .base_url
            .trim_end_matches(self.config.base_path())
            .to_string();
        let pages = self.sitemap_pages();
        let mut urls = Vec::new();
        for l in &self.langs {
            for (path, lastmod) in &pages {
                let href = |o: &LangData| format!("{origin}{}{path}", o.root);
                let alternates = if self.langs.len() > 1 {
                    self.langs
                        .iter()
                        .map(|o| Alternate {
                            lang: o.lang.code.clone(),
                            href: href(o),
                        })
                        .chain(self.langs.first().map(|d| Alternate {
                            lang: "x-default".into(),
                            href: href(d),
                        }))
                        .collect()
                } else {
                    Vec::new()
                };
                urls.push(Url {
                    loc: href(l),
                    lastmod: lastmod.map(|d| d.to_string()),
                    alternates,
                });
            }
        }
        let render = |urls: &[Url]| -> Result<Vec<u8>, Diagnostic> {
            let mut ctx = Context::new();
            ctx.insert("urls", urls);
            Ok(self.templates.render("sitemap.xml", &ctx)?.into_bytes())
        };
        let files = split(&urls, routes::SITEMAP_URLS, routes::SITEMAP_BYTES, &render)?;
        let index = routes::output_file(SitePage::Sitemap.route().path);
        let [(one, _)] = files.as_slice() else {
            return self.sitemap_index(files, &index);
        };
        Ok(vec![OutputFile {
            path: index,
            bytes: one.clone(),
        }])
    }

    /// `sitemap.xml` as the index of `parts` (each with its latest `lastmod`), and the parts.
    fn sitemap_index(
        &self,
        parts: Vec<SitemapFile>,
        index: &str,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut listed = Vec::new();
        let mut out = Vec::new();
        for (i, (bytes, lastmod)) in parts.into_iter().enumerate() {
            let path = routes::sitemap_part(i + 1);
            listed.push(Part {
                loc: format!("{}{path}", self.config.base_url),
                lastmod,
            });
            out.push(OutputFile {
                path: routes::output_file(&path),
                bytes,
            });
        }
        let mut ctx = Context::new();
        ctx.insert("sitemaps", &listed);
        let xml = self.templates.render("sitemap_index.xml", &ctx)?;
        out.insert(
            0,
            OutputFile {
                path: index.to_string(),
                bytes: xml.into_bytes(),
            },
        );
        Ok(out)
    }

    /// Each page once, by its path without the language prefix, with its lastmod.
    fn sitemap_pages(&self) -> Vec<(String, Option<Date>)> {
        let latest =
            |entries: &mut dyn Iterator<Item = &Entry>| entries.filter_map(latest_date).max();
        let site_lastmod = latest(&mut self.linked.entries.iter());
        let mut pages: Vec<(String, Option<Date>)> = Vec::new();
        pages.push((SitePage::Home.route().path.to_string(), site_lastmod));
        for c in &self.config.collections {
            let mut of = self
                .linked
                .entries
                .iter()
                .filter(|e| e.collection == c.name);
            let lastmod = latest(&mut of);
            let n = lists::collection_pages(self.linked, &c.name);
            pages.extend((1..=n).map(|k| (routes::collection_page(&c.name, k), lastmod)));
        }
        let mut translations: std::collections::HashMap<(&str, &str), Vec<&Entry>> =
            std::collections::HashMap::new();
        for t in &self.linked.translations {
            translations
                .entry((t.collection.as_str(), t.id.as_str()))
                .or_default()
                .push(t);
        }
        for (ei, e) in self.linked.entries.iter().enumerate() {
            let own = translations
                .get(&(e.collection.as_str(), e.id.as_str()))
                .into_iter()
                .flatten()
                .copied();
            let lastmod = latest(&mut std::iter::once(e).chain(own));
            pages.push((routes::entry(&e.collection, &e.id), lastmod));
            let groups = self.linked.backlinks.get(ei);
            for (gi, n) in lists::backlink_lists(self.linked, ei) {
                let Some(g) = groups.and_then(|gs| gs.get(gi)) else {
                    continue;
                };
                let first = routes::backlinks(&e.collection, &e.id, &g.collection, &g.field);
                pages.extend((1..=n).map(|k| (routes::list_page(&first, k), lastmod)));
            }
        }
        for d in &self.linked.docs {
            if let (SourceKind::Page { id }, None) = (&d.kind, &d.lang) {
                pages.push((routes::free_page(id), None));
            }
        }
        for route in SitePage::ALL.map(SitePage::route) {
            if route.in_sitemap && route.per_language {
                pages.push((route.path.to_string(), site_lastmod));
            }
        }
        for part in &self.timeline_plan().parts {
            pages.push((routes::timeline_part(&part.slug), site_lastmod));
        }
        pages
    }
}

/// A sitemap file's bytes and the latest `lastmod` of its URLs.
type SitemapFile = (Vec<u8>, Option<String>);

/// Renders a sitemap file of some URLs.
type RenderUrls<'r> = &'r dyn Fn(&[Url]) -> Result<Vec<u8>, Diagnostic>;

/// The files of a sitemap of `urls`: each at most `max_urls` URLs and, unless it holds a single
/// URL, at most `max_bytes`, with the latest `lastmod` of its URLs. One file when all fit.
fn split(
    urls: &[Url],
    max_urls: usize,
    max_bytes: usize,
    render: RenderUrls,
) -> Result<Vec<SitemapFile>, Diagnostic> {
    let mut out = Vec::new();
    let mut todo: Vec<&[Url]> = urls.chunks(max_urls.max(1)).rev().collect();
    if todo.is_empty() {
        todo.push(urls);
    }
    while let Some(chunk) = todo.pop() {
        let bytes = render(chunk)?;
        if bytes.len() > max_bytes && chunk.len() > 1 {
            let (a, b) = chunk.split_at(chunk.len() / 2);
            todo.push(b);
            todo.push(a);
            continue;
        }
        let lastmod = chunk.iter().filter_map(|u| u.lastmod.clone()).max();
        out.push((bytes, lastmod));
    }
    Ok(out)
}

/// The latest date an entry's content names: its own dates and its sources'.
fn latest_date(e: &Entry) -> Option<Date> {
    let sources = e.sources().iter().filter_map(|s| s.date);
    [e.date, e.end_date]
        .into_iter()
        .flatten()
        .chain(sources)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<Url> {
        (0..n)
            .map(|i| Url {
                loc: format!("https://example.org/{i}/"),
                lastmod: Some(format!("2020-01-{:02}", i % 28 + 1)),
                alternates: Vec::new(),
            })
            .collect()
    }

    /// A stand-in for the template: one line per URL.
    fn lines(urls: &[Url]) -> Result<Vec<u8>, Diagnostic> {
        Ok(urls
            .iter()
            .map(|u| format!("{}\n", u.loc))
            .collect::<String>()
            .into_bytes())
    }

    #[test]
    fn a_small_sitemap_is_one_file() {
        let files = split(&urls(5), 5, 1_000, &lines).unwrap_or_default();
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn past_the_url_limit_every_url_is_in_exactly_one_part() {
        let all = urls(12);
        let files = split(&all, 5, 1_000_000, &lines).unwrap_or_default();
        let counts: Vec<usize> = files
            .iter()
            .map(|(b, _)| b.iter().filter(|c| **c == b'\n').count())
            .collect();
        assert_eq!(counts, vec![5, 5, 2]);
        let joined: Vec<u8> = files.iter().flat_map(|(b, _)| b.clone()).collect();
        assert_eq!(
            joined,
            lines(&all).unwrap_or_default(),
            "in order, none twice"
        );
        assert_eq!(
            files.first().and_then(|f| f.1.as_deref()),
            Some("2020-01-05")
        );
    }

    #[test]
    fn past_the_byte_limit_parts_are_halved_until_they_fit() {
        // 22 bytes a URL line: at most 100 bytes is 4 URLs a part.
        let all = urls(16);
        let files = split(&all, 50_000, 100, &lines).unwrap_or_default();
        assert!(files.iter().all(|(b, _)| b.len() <= 100), "{files:?}");
        let joined: Vec<u8> = files.iter().flat_map(|(b, _)| b.clone()).collect();
        assert_eq!(joined, lines(&all).unwrap_or_default());
    }
}

//! Lists that grow with the site, split into pages of a bounded size: a collection's index
//! (`/<collection>/`, then `/<collection>/page/2/`…) and an entry's long backlink groups (the first
//! few on the entry's page, all of them on `/<collection>/<id>/<from>-<field>/` and its later
//! pages), with the pager that links the pages of a list.

use super::model::{Card, CollectionAbout, Group, JumpLink, Pager, PagerLink};
use super::site_pages::group_by;
use super::{Deps, LangData, OutputFile, Renderer, internal};
use crate::diagnostics::Diagnostic;
use crate::link::Linked;
use crate::markup;
use crate::routes::{self, BACKLINKS_SHOWN, LIST_PAGE};
use crate::walk::SourceKind;
use serde::Serialize;

/// A collection index lists the headings (years, letters) of every page at its top when there
/// are at most this many; past that, only the headings of the page itself.
const JUMP_MAX: usize = 150;

/// How many pages the index of collection `name` takes.
pub(super) fn collection_pages(linked: &Linked, name: &str) -> usize {
    let count = linked
        .entries
        .iter()
        .filter(|e| e.collection == name)
        .count();
    routes::page_count(count, LIST_PAGE)
}

/// For each backlink group of entry `ei` too long for the entry's page: its place in the
/// entry's groups and how many pages its own list takes.
pub(super) fn backlink_lists(linked: &Linked, ei: usize) -> impl Iterator<Item = (usize, usize)> {
    linked
        .backlinks
        .get(ei)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, g)| g.from.len() > BACKLINKS_SHOWN)
        .map(|(gi, g)| (gi, routes::page_count(g.from.len(), LIST_PAGE)))
}

/// The records of page `n` (from 1) of a list.
fn page_of<T>(items: &[T], n: usize) -> &[T] {
    let start = n
        .saturating_sub(1)
        .saturating_mul(LIST_PAGE)
        .min(items.len());
    let end = start.saturating_add(LIST_PAGE).min(items.len());
    items.get(start..end).unwrap_or_default()
}

/// The pager of page `n` of `total` whose first page is at `first` (a root-relative path
/// without the language's root): `None` when the list fits on one page.
pub(super) fn pager(l: &LangData, first: &str, n: usize, total: usize) -> Option<Pager> {
    if total <= 1 {
        return None;
    }
    let url = |k: usize| format!("{}{}", l.root, routes::list_page(first, k));
    let mut shown: Vec<usize> = [1, total]
        .into_iter()
        .chain(n.saturating_sub(2).max(1)..=(n + 2).min(total))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut links = Vec::new();
    let mut last = 0;
    for k in shown {
        if k > last + 1 {
            links.push(PagerLink {
                n: 0,
                url: None,
                current: false,
            });
        }
        links.push(PagerLink {
            n: k,
            url: Some(url(k)),
            current: k == n,
        });
        last = k;
    }
    Some(Pager {
        current: n,
        total,
        label: l
            .text("page_of", "Page {n} of {total}")
            .replace("{n}", &n.to_string())
            .replace("{total}", &total.to_string()),
        prev: (n > 1).then(|| url(n - 1)),
        next: (n < total).then(|| url(n + 1)),
        links,
    })
}

/// A page's title with its place in a paged list: "Visits (Page 2 of 5)"; the first page keeps
/// the list's own title.
fn paged_title(title: &str, pager: Option<&Pager>) -> String {
    match pager {
        Some(p) if p.current > 1 => format!("{title} ({})", p.label),
        _ => title.to_string(),
    }
}

/// What a backlink list's page says about the entry it belongs to.
#[derive(Serialize)]
struct ListOf<'c> {
    entry: &'c Card,
    collection_title: &'c str,
    collection_url: &'c str,
    label: String,
    count: usize,
}

impl<'a> Renderer<'a> {
    /// Page `n` of collection `ci`'s index in language `l`.
    pub(super) fn collection(
        &self,
        l: &LangData<'a>,
        ci: usize,
        n: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let (Some(c), Some(nav)) = (self.config.collections.get(ci), l.site.nav.get(ci)) else {
            return Err(internal("a job names no collection"));
        };
        let mut items: Vec<&Card> = self
            .linked
            .entries
            .iter()
            .zip(&l.cards)
            .filter(|(e, _)| e.collection == c.name)
            .map(|(_, card)| card)
            .collect();
        let dated = c.date_field.is_some();
        if dated {
            items.sort_by(|a, b| {
                b.sort_date
                    .cmp(&a.sort_date)
                    .then_with(|| a.title.cmp(&b.title))
            });
        } else {
            items.sort_by_key(|c| c.title.to_lowercase());
        }
        let key = |card: &Card| -> String {
            if dated {
                card.sort_date
                    .as_deref()
                    .map_or(String::new(), |d| d.chars().take(4).collect())
            } else {
                card.title
                    .chars()
                    .next()
                    .map(|ch| ch.to_uppercase().to_string())
                    .unwrap_or_default()
            }
        };
        let total = routes::page_count(items.len(), LIST_PAGE);
        let first = routes::collection(&c.name);
        let path = routes::collection_page(&c.name, n);
        let pager = pager(l, &first, n, total);
        let title = paged_title(&nav.title, pager.as_ref());
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": title});
        let mut ctx = self.context(l, "collection", &path, &title, "", jsonld);
        let doc = l.docs.get(&SourceKind::CollectionIndex {
            collection: c.name.clone(),
        });
        let body = match doc {
            Some(d) if n == 1 => self.doc_html(l, d, &Deps::default()),
            _ => String::new(),
        };
        ctx.insert("body", &body);
        let groups = group_by(page_of(&items, n), key);
        let about = CollectionAbout {
            name: &c.name,
            title: &nav.title,
            singular: l.text(&format!("singular_{}", c.name), &c.singular),
            dated,
            count: items.len(),
        };
        ctx.insert("jump", &jump_links(l, &first, n, &items, key, &groups));
        ctx.insert("collection", &about);
        ctx.insert("groups", &groups);
        ctx.insert("pager", &pager);
        self.page_file(l, &path, "collection.html", &ctx)
    }

    /// Page `n` of the list of all records in backlink group `gi` of entry `ei`.
    pub(super) fn backlink_list(
        &self,
        l: &LangData<'a>,
        ei: usize,
        gi: usize,
        n: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let (Some(e), Some(card), Some(g)) = (
            self.linked.entries.get(ei),
            l.cards.get(ei),
            self.linked.backlinks.get(ei).and_then(|gs| gs.get(gi)),
        ) else {
            return Err(internal("a job names no backlink group"));
        };
        let Some(nav) = l.site.nav.iter().find(|x| x.name == e.collection) else {
            return Err(internal("an entry of an undeclared collection"));
        };
        let label = l.text(&format!("backlink_{}_{}", g.collection, g.field), &g.label);
        let first = routes::backlinks(&e.collection, &e.id, &g.collection, &g.field);
        let path = routes::list_page(&first, n);
        let total = routes::page_count(g.from.len(), LIST_PAGE);
        let pager = pager(l, &first, n, total);
        let title = paged_title(
            &l.text("backlinks_of", "{label}: {title}")
                .replace("{label}", &label)
                .replace("{title}", &card.title),
            pager.as_ref(),
        );
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": title});
        let mut ctx = self.context(l, "backlinks", &path, &title, "", jsonld);
        let items: Vec<&Card> = page_of(&g.from, n)
            .iter()
            .filter_map(|f| l.cards.get(*f))
            .collect();
        let about = ListOf {
            entry: card,
            collection_title: &nav.title,
            collection_url: &nav.url,
            label,
            count: g.from.len(),
        };
        ctx.insert("list", &about);
        ctx.insert("items", &items);
        ctx.insert("pager", &pager);
        self.page_file(l, &path, "backlinks.html", &ctx)
    }

    /// The entry's backlink groups: the records that point at it, by the referring field; a
    /// group longer than [`BACKLINKS_SHOWN`] shows its first records and links to its list.
    pub(super) fn related(&self, l: &'a LangData<'a>, ei: usize, deps: &Deps) -> Vec<Group<'a>> {
        let Some(e) = self.linked.entries.get(ei) else {
            return Vec::new();
        };
        self.linked
            .backlinks
            .get(ei)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|g| Group {
                id: markup::slug(&g.label),
                label: l.text(&format!("backlink_{}_{}", g.collection, g.field), &g.label),
                items: g
                    .from
                    .iter()
                    .take(BACKLINKS_SHOWN)
                    .filter_map(|f| {
                        deps.add(*f);
                        l.cards.get(*f)
                    })
                    .collect(),
                count: g.from.len(),
                all: (g.from.len() > BACKLINKS_SHOWN).then(|| {
                    let first = routes::backlinks(&e.collection, &e.id, &g.collection, &g.field);
                    format!("{}{first}", l.root)
                }),
            })
            .collect()
    }
}

/// The headings a collection index jumps to: every heading of every page with the page it
/// starts on, when there are at most [`JUMP_MAX`]; else the headings of page `n` alone.
fn jump_links(
    l: &LangData,
    first: &str,
    n: usize,
    items: &[&Card],
    key: impl Fn(&Card) -> String,
    groups: &[Group],
) -> Vec<JumpLink> {
    let here = |id: &str| format!("#g-{id}");
    let mut all: Vec<JumpLink> = Vec::new();
    let mut last: Option<String> = None;
    for (i, item) in items.iter().enumerate() {
        let k = key(item);
        if last.as_ref() == Some(&k) {
            continue;
        }
        let page = i / LIST_PAGE + 1;
        let id = markup::slug(&k);
        let url = if page == n {
            here(&id)
        } else {
            format!("{}{}#g-{id}", l.root, routes::list_page(first, page))
        };
        all.push(JumpLink {
            label: k.clone(),
            url,
        });
        last = Some(k);
        if all.len() > JUMP_MAX {
            break;
        }
    }
    if all.len() <= JUMP_MAX {
        return all;
    }
    groups
        .iter()
        .map(|g| JumpLink {
            label: g.label.clone(),
            url: here(&g.id),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holds_at_most_a_page_of_records() {
        let items: Vec<usize> = (0..LIST_PAGE * 2 + 3).collect();
        assert_eq!(page_of(&items, 1).len(), LIST_PAGE);
        assert_eq!(page_of(&items, 2).first(), Some(&LIST_PAGE));
        assert_eq!(
            page_of(&items, 3),
            &[LIST_PAGE * 2, LIST_PAGE * 2 + 1, LIST_PAGE * 2 + 2]
        );
        assert!(page_of(&items, 4).is_empty());
    }
}

//! The `/timeline/`: every dated record on a year axis, one row per year from the first to the
//! last (a year with nothing in it stays, empty), decades as headings and navigation. Each record
//! has its collection's mark and a bar across its year that spans its period: a day, a month or a
//! year given without a day, or its start to its end. A filter by collection and by party (the
//! collections' `party` fields, such as a visit's host country) works without JavaScript: a
//! checkbox or radio button per value and a `:has()` rule per input in the stylesheet (for the
//! first 12 collections and 8 parties).
//!
//! The page must not grow with the site: past [`PAGE_MAX`] records the timeline is split
//! ([`Plan`]) into a page per decade, a decade too full into a page per year, and a year too
//! full into numbered parts, and `/timeline/` becomes an overview: records per year as bars,
//! and the parts by decade.

use super::model::{PALETTE, TextLang};
use super::{LangData, OutputFile, Renderer};
use crate::config::FieldType;
use crate::diagnostics::Diagnostic;
use crate::link::Linked;
use crate::markup::escape;
use crate::routes::{self, SitePage};
use crate::validate::{Date, Entry, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

/// The most records one timeline page shows.
pub const PAGE_MAX: usize = 600;

/// How the timeline is cut into pages: the dated entries in date order, and the parts (none
/// when everything fits one page).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Plan {
    /// Indices of the dated entries, by date then index.
    pub order: Vec<usize>,
    pub parts: Vec<Part>,
}

/// One page of a split timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Its path under `/timeline/`: `1960s`, `1965`, `2015-3`.
    pub slug: String,
    /// The years it shows, first and last.
    pub years: (i64, i64),
    /// Its records: a range of [`Plan::order`].
    pub items: Range<usize>,
    /// Its number and the count of parts of the same year, when a year is split.
    pub of: Option<(usize, usize)>,
}

impl Plan {
    pub fn new(linked: &Linked) -> Plan {
        let mut order: Vec<(Date, usize)> = linked
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((e.date?, i)))
            .collect();
        order.sort();
        let years: Vec<i64> = order.iter().map(|(d, _)| i64::from(d.year)).collect();
        Plan {
            order: order.into_iter().map(|(_, i)| i).collect(),
            parts: parts(&years, PAGE_MAX),
        }
    }
}

/// Cut records whose years are `years` (ascending) into pages of at most `max`: nothing when all
/// fit one page, else a page per decade, per year in a decade over `max`, and numbered parts of a
/// year over `max`.
pub fn parts(years: &[i64], max: usize) -> Vec<Part> {
    if years.len() <= max {
        return Vec::new();
    }
    let mut out = Vec::new();
    let runs = |key: &dyn Fn(i64) -> i64, range: Range<usize>| -> Vec<(i64, Range<usize>)> {
        let mut runs: Vec<(i64, Range<usize>)> = Vec::new();
        for i in range {
            let Some(k) = years.get(i).map(|y| key(*y)) else {
                continue;
            };
            match runs.last_mut() {
                Some((last, r)) if *last == k => r.end = i + 1,
                _ => runs.push((k, i..i + 1)),
            }
        }
        runs
    };
    for (decade, range) in runs(&|y| y - y.rem_euclid(10), 0..years.len()) {
        if range.len() <= max {
            out.push(Part {
                slug: format!("{decade}s"),
                years: (decade, decade + 9),
                items: range,
                of: None,
            });
            continue;
        }
        for (year, range) in runs(&|y| y, range) {
            if range.len() <= max {
                out.push(Part {
                    slug: year.to_string(),
                    years: (year, year),
                    items: range,
                    of: None,
                });
                continue;
            }
            let count = range.len().div_ceil(max);
            for k in 0..count {
                let start = range.start + k * max;
                out.push(Part {
                    slug: format!("{year}-{}", k + 1),
                    years: (year, year),
                    items: start..(start + max).min(range.end),
                    of: Some((k + 1, count)),
                });
            }
        }
    }
    out
}

/// Where a record's bar lies on its year, in tenths of a month (0–120): from its start to the end
/// of its end date's period, or of its own period when it has no end (a whole month for
/// `1963-03`, the whole year for `1963`, a sliver for a day).
pub fn span(start: &Date, end: Option<&Date>) -> (f64, f64) {
    let day_at = |d: &Date, through: bool| -> f64 {
        let m = f64::from(d.month.max(1)) - 1.0;
        match (d.month, d.day) {
            (0, _) => {
                if through {
                    120.0
                } else {
                    0.0
                }
            }
            (_, 0) => (m + f64::from(u8::from(through))) * 10.0,
            (_, day) => {
                m * 10.0 + (f64::from(day) - 1.0 + f64::from(u8::from(through))) * 10.0 / 31.0
            }
        }
    };
    let x = day_at(start, false);
    let to = match end {
        Some(e) if e.year > start.year => 120.0,
        Some(e) => day_at(e, true),
        None => day_at(start, true),
    };
    let w = (to - x).max(2.5);
    let x = x.min(120.0 - w);
    ((x * 10.0).round() / 10.0, (w * 10.0).round() / 10.0)
}

/// A record on the timeline.
#[derive(Serialize)]
struct Item<'c> {
    title: &'c str,
    url: &'c str,
    lang: Option<&'c TextLang>,
    /// `k<collection> c<hue>` and `d<party>` when it has one.
    class: String,
    kind: String,
    /// The date in words, and its start as an HTML `datetime`.
    date: String,
    datetime: String,
    x: f64,
    w: f64,
    /// The record runs on past the end of this year.
    cont: bool,
}

#[derive(Serialize)]
struct Year<'c> {
    year: i64,
    items: Vec<Item<'c>>,
}

#[derive(Serialize)]
struct Decade<'c> {
    decade: i64,
    label: String,
    years: Vec<Year<'c>>,
}

/// A collection or a party in the filter and the legend.
#[derive(Serialize)]
struct Choice {
    index: usize,
    title: String,
    hue: usize,
    count: usize,
}

/// A link to a part, with what it covers.
#[derive(Serialize)]
struct PartLink {
    url: String,
    label: String,
    count: usize,
    current: bool,
}

/// A decade in the navigation: its first part's link (or its anchor).
#[derive(Serialize)]
struct DecadeLink {
    label: String,
    url: Option<String>,
    parts: Vec<PartLink>,
}

impl<'a> Renderer<'a> {
    /// The timeline plan, made once per build.
    pub(super) fn timeline_plan(&self) -> &Plan {
        self.timeline.get_or_init(|| Plan::new(self.linked))
    }

    /// `/timeline/`: the whole timeline, or the overview of its parts.
    pub(super) fn timeline(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let plan = self.timeline_plan();
        if plan.parts.is_empty() {
            let years = plan
                .order
                .first()
                .zip(plan.order.last())
                .and_then(|(a, b)| Some((self.year(*a)?, self.year(*b)?)));
            return self.timeline_page(l, None, &plan.order, years);
        }
        self.timeline_page(l, None, &[], None)
    }

    /// `/timeline/<slug>/`: part `k` of a split timeline.
    pub(super) fn timeline_part(
        &self,
        l: &LangData<'a>,
        k: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let plan = self.timeline_plan();
        let Some(part) = plan.parts.get(k) else {
            return Err(super::internal("a job names no timeline part"));
        };
        let items = plan.order.get(part.items.clone()).unwrap_or_default();
        self.timeline_page(l, Some(k), items, Some(part.years))
    }

    fn year(&self, ei: usize) -> Option<i64> {
        Some(i64::from(self.linked.entries.get(ei)?.date?.year))
    }

    /// A timeline page showing `items` (entry indices in date order) on the years `years`;
    /// with neither, the overview of the parts.
    fn timeline_page(
        &self,
        l: &LangData<'a>,
        part: Option<usize>,
        items: &[usize],
        years: Option<(i64, i64)>,
    ) -> Result<OutputFile, Diagnostic> {
        let plan = self.timeline_plan();
        let base = l.text("timeline", "Timeline");
        let this = part.and_then(|k| plan.parts.get(k));
        let title = match this {
            Some(p) => format!("{base}: {}", self.part_label(l, p)),
            None => base,
        };
        let path = this.map_or_else(
            || SitePage::Timeline.route().path.to_string(),
            |p| routes::timeline_part(&p.slug),
        );
        let jsonld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": title});
        let mut ctx = self.context(
            l,
            SitePage::Timeline.route().kind,
            &path,
            &title,
            "",
            jsonld,
        );
        let decades = years
            .map(|y| self.timeline_years(l, items, y))
            .unwrap_or_default();
        let (kinds, parties, party_label) = self.choices(items);
        // The stylesheet has rules for the first 12 collections and 8 parties.
        let kinds: Vec<Choice> = kinds.into_iter().filter(|k| k.index < 12).collect();
        let parties: Vec<Choice> = parties.into_iter().filter(|p| p.index < 8).collect();
        let kinds: Vec<Choice> = kinds
            .into_iter()
            .map(|mut k| {
                k.title = l.site.nav.get(k.index).map_or(k.title, |n| n.title.clone());
                k
            })
            .collect();
        let parties: Vec<Choice> = parties
            .into_iter()
            .map(|mut p| {
                if let Some(party) = self.config.parties.get(p.index) {
                    p.title = l.text(&format!("party_{}", party.code), &party.name);
                }
                p
            })
            .collect();
        ctx.insert("decades", &decades);
        ctx.insert("kinds", &kinds);
        ctx.insert("parties", &parties);
        ctx.insert(
            "party_label",
            &party_label.map(|(c, f)| l.text(&format!("field_{f}"), &c)),
        );
        ctx.insert("count", &items.len());
        ctx.insert("total", &plan.order.len());
        ctx.insert("split", &!plan.parts.is_empty());
        ctx.insert("overview", &(this.is_none() && !plan.parts.is_empty()));
        ctx.insert("nav", &self.timeline_nav(l, part, &decades));
        ctx.insert(
            "overview_url",
            &format!("{}{}", l.root, SitePage::Timeline.route().path),
        );
        if this.is_none() && !plan.parts.is_empty() {
            ctx.insert("bars", &self.year_bars(l));
        }
        let prev = part
            .and_then(|k| k.checked_sub(1))
            .and_then(|k| plan.parts.get(k));
        let next = part.and_then(|k| plan.parts.get(k + 1));
        let link = |p: &Part| PartLink {
            url: format!("{}{}", l.root, routes::timeline_part(&p.slug)),
            label: self.part_label(l, p),
            count: p.items.len(),
            current: false,
        };
        ctx.insert("prev", &prev.map(link));
        ctx.insert("next", &next.map(link));
        self.page_file(l, &path, "timeline.html", &ctx)
    }

    /// A part's name: `1960s`, `1965`, `2015 (3/17)`.
    fn part_label(&self, _l: &LangData<'a>, p: &Part) -> String {
        match p.of {
            Some((k, n)) => format!("{} ({k}/{n})", p.years.0),
            None => p.slug.clone(),
        }
    }

    /// The decades to navigate by: anchors on a whole timeline, the parts on a split one.
    fn timeline_nav(
        &self,
        l: &LangData<'a>,
        part: Option<usize>,
        decades: &[Decade],
    ) -> Vec<DecadeLink> {
        let plan = self.timeline_plan();
        if plan.parts.is_empty() {
            return decades
                .iter()
                .map(|d| DecadeLink {
                    label: decade_label(l, d.decade),
                    url: Some(format!("#d-{}", d.decade)),
                    parts: Vec::new(),
                })
                .collect();
        }
        let mut out: Vec<DecadeLink> = Vec::new();
        for (k, p) in plan.parts.iter().enumerate() {
            let decade = p.years.0 - p.years.0.rem_euclid(10);
            let label = decade_label(l, decade);
            let link = PartLink {
                url: format!("{}{}", l.root, routes::timeline_part(&p.slug)),
                label: self.part_label(l, p),
                count: p.items.len(),
                current: part == Some(k),
            };
            match out.last_mut() {
                Some(d) if d.label == label => d.parts.push(link),
                _ => out.push(DecadeLink {
                    url: Some(link.url.clone()),
                    label,
                    parts: vec![link],
                }),
            }
        }
        out
    }

    /// The collections and the parties among `items`, with their counts, and the party fields'
    /// label (and name) when there are parties.
    fn choices(&self, items: &[usize]) -> (Vec<Choice>, Vec<Choice>, Option<(String, String)>) {
        let mut kinds: BTreeMap<usize, usize> = BTreeMap::new();
        let mut parties: BTreeMap<usize, usize> = BTreeMap::new();
        let mut label = None;
        for &ei in items {
            let Some(e) = self.linked.entries.get(ei) else {
                continue;
            };
            if let Some(ci) = self.collection_index(e) {
                *kinds.entry(ci).or_default() += 1;
            }
            if let Some((pi, field)) = self.party_of(e) {
                *parties.entry(pi).or_default() += 1;
                label.get_or_insert(field);
            }
        }
        let kinds = kinds
            .into_iter()
            .filter_map(|(ci, count)| {
                let c = self.config.collections.get(ci)?;
                Some(Choice {
                    index: ci,
                    title: c.title.clone(),
                    hue: ci % PALETTE,
                    count,
                })
            })
            .collect();
        let parties = parties
            .into_iter()
            .filter_map(|(pi, count)| {
                let p = self.config.parties.get(pi)?;
                Some(Choice {
                    index: pi,
                    title: p.name.clone(),
                    hue: 0,
                    count,
                })
            })
            .collect();
        (kinds, parties, label)
    }

    fn collection_index(&self, e: &Entry) -> Option<usize> {
        self.config
            .collections
            .iter()
            .position(|c| c.name == e.collection)
    }

    /// The party an entry is on the side of (its collection's first `party` field, such as a
    /// visit's host country): the party's index, and the field's label and name.
    fn party_of(&self, e: &Entry) -> Option<(usize, (String, String))> {
        let c = self.config.collection(&e.collection)?;
        let f = c.fields.iter().find(|f| matches!(f.ty, FieldType::Party))?;
        let Some(Value::Party(code)) = e.field(&f.name) else {
            return None;
        };
        let pi = self.config.parties.iter().position(|p| &p.code == code)?;
        Some((pi, (f.label.clone(), f.name.clone())))
    }

    /// The decades of `years`, each with all its years in range (empty ones too) and the
    /// records of `items` in them.
    fn timeline_years<'l>(
        &self,
        l: &'l LangData<'a>,
        items: &[usize],
        years: (i64, i64),
    ) -> Vec<Decade<'l>> {
        let singular: Vec<String> = self
            .config
            .collections
            .iter()
            .map(|c| l.text(&format!("singular_{}", c.name), &c.singular))
            .collect();
        let mut by_year: BTreeMap<i64, Vec<Item<'l>>> = BTreeMap::new();
        for &ei in items {
            let (Some(e), Some(card)) = (self.linked.entries.get(ei), l.cards.get(ei)) else {
                continue;
            };
            let Some(date) = e.date else { continue };
            let ci = self.collection_index(e).unwrap_or(0);
            let mut class = format!("k{ci} c{}", ci % PALETTE);
            if let Some((pi, _)) = self.party_of(e) {
                let _ = write!(class, " d{pi}");
            }
            let (x, w) = span(&date, e.end_date.as_ref());
            by_year.entry(i64::from(date.year)).or_default().push(Item {
                title: &card.title,
                url: &card.url,
                lang: card.lang.as_ref(),
                class,
                kind: singular.get(ci).cloned().unwrap_or_default(),
                date: l.dates.range(&date, e.end_date.as_ref()),
                datetime: date.to_string(),
                x,
                w,
                cont: e.end_date.is_some_and(|end| end.year > date.year),
            });
        }
        let mut out: Vec<Decade> = Vec::new();
        for year in years.0..=years.1 {
            let decade = year - year.rem_euclid(10);
            let items = by_year.remove(&year).unwrap_or_default();
            let row = Year { year, items };
            match out.last_mut() {
                Some(d) if d.decade == decade => d.years.push(row),
                _ => out.push(Decade {
                    decade,
                    label: decade_label(l, decade),
                    years: vec![row],
                }),
            }
        }
        out
    }

    /// The overview's bars: records per year from the first year to the last, each linking to
    /// the part that holds the year's first record; an empty year is a gap.
    fn year_bars(&self, l: &LangData<'a>) -> String {
        let plan = self.timeline_plan();
        let mut counts: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
        for (k, p) in plan.parts.iter().enumerate() {
            for &ei in plan.order.get(p.items.clone()).unwrap_or_default() {
                if let Some(y) = self.year(ei) {
                    counts.entry(y).or_insert((0, k)).0 += 1;
                }
            }
        }
        let (Some(first), Some(last)) =
            (counts.keys().next().copied(), counts.keys().last().copied())
        else {
            return String::new();
        };
        let most = counts.values().map(|c| c.0).max().unwrap_or(1).max(1) as f64;
        // Few years: wide bars, each labelled; many: narrow bars, decades labelled.
        let (step, every) = if last - first < 20 { (26, 1) } else { (14, 10) };
        let width = (last - first + 1) * step + 40;
        let mut s = String::new();
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tl-bars\" viewBox=\"0 0 {width} 130\" width=\"{width}\" height=\"130\" direction=\"ltr\" role=\"group\" aria-label=\"{}\">",
            escape(&l.text("timeline_per_year", "Records per year"))
        );
        for y in first..=last {
            let x = (y - first) * step + 20;
            if y.rem_euclid(every) == 0 {
                let label = if every == 1 {
                    format!("’{:02}", y.rem_euclid(100))
                } else {
                    y.to_string()
                };
                let _ = write!(
                    s,
                    "<text x=\"{0}\" y=\"120\" text-anchor=\"middle\" aria-hidden=\"true\">{1}</text><line x1=\"{0}\" x2=\"{0}\" y1=\"100\" y2=\"106\"/>",
                    x + (step - 3) / 2,
                    label
                );
            }
            let Some((n, k)) = counts.get(&y) else {
                continue;
            };
            let h = ((*n as f64 / most) * 96.0).max(2.0).round() as i64;
            let Some(p) = plan.parts.get(*k) else {
                continue;
            };
            let _ = write!(
                s,
                "<a href=\"{}{}#y-{y}\"><title>{y}: {n}</title><rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\"/></a>",
                l.root,
                routes::timeline_part(&p.slug),
                100 - h,
                step - 3
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// A decade's name in the page's language: `1960s`, `1960 کی دہائی`, `1960年代`.
fn decade_label(l: &LangData, decade: i64) -> String {
    l.text("decade_label", "{decade}s")
        .replace("{decade}", &decade.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn small_timelines_are_one_page() {
        assert!(parts(&[1960, 1961, 1999], 3).is_empty());
    }

    #[test]
    fn split_by_decade_then_year_then_numbered_parts() {
        let mut years = vec![1963, 1964, 1971];
        years.extend(std::iter::repeat_n(2015, 5));
        years.extend([2016, 2016]);
        let parts = parts(&years, 3);
        let slugs: Vec<&str> = parts.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["1960s", "1970s", "2015-1", "2015-2", "2016"]);
        assert_eq!(parts[2].items, 3..6);
        assert_eq!(parts[3].items, 6..8);
        assert_eq!(parts[3].of, Some((2, 2)));
        assert_eq!(parts[0].years, (1960, 1969));
        // Every record is on exactly one page, none over the limit.
        let covered: usize = parts.iter().map(|p| p.items.len()).sum();
        assert_eq!(covered, years.len());
        assert!(parts.iter().all(|p| p.items.len() <= 3));
    }

    #[test]
    fn spans_cover_the_period_of_partial_dates_and_ranges() {
        assert_eq!(span(&d("1963"), None), (0.0, 120.0));
        assert_eq!(span(&d("1963-03"), None), (20.0, 10.0));
        let (x, w) = span(&d("1963-03-02"), None);
        assert!((20.0..21.0).contains(&x) && w == 2.5, "{x} {w}");
        assert_eq!(span(&d("1963-03"), Some(&d("1963-05"))), (20.0, 30.0));
        // A range into a later year runs to the end of this one.
        assert_eq!(span(&d("1963-07"), Some(&d("1965"))), (60.0, 60.0));
        // A day in late December stays on the strip.
        let (x, w) = span(&d("1963-12-31"), None);
        assert!(x + w <= 120.0, "{x} {w}");
    }
}

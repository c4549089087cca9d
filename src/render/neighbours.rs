//! The small graph on each entry's page: the record and the records it links with or that link to
//! it, at most [`MAX`] of them, one per row so that no label can overlap another, in date order,
//! joined to the record by a solid line (a field names the other record) or a dashed one (a
//! mention in a text).

use super::model::Card;
use super::text_width::label_width;
use super::{Deps, LangData, Renderer};
use crate::link::Node;
use crate::markup::escape;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The most neighbours the picture shows.
pub const MAX: usize = 12;
const ROW: i64 = 26;
const FONT: f64 = 13.0;
/// Labels longer than this are shortened (the full title is the link's tooltip and name).
const LABEL: usize = 40;

/// A neighbour: its card, and whether a field (not a mention) links the two.
pub struct Neighbour<'c> {
    pub card: &'c Card,
    pub field: bool,
}

/// The SVG of a record and its neighbours (already chosen and ordered); `label` names it.
pub fn svg(center: &Card, neighbours: &[Neighbour], label: &str) -> String {
    let short = |t: &str| -> String {
        if t.chars().count() > LABEL {
            t.chars().take(LABEL - 1).collect::<String>() + "…"
        } else {
            t.to_string()
        }
    };
    let widest = std::iter::once(label_width(&short(&center.title), FONT + 1.0))
        .chain(
            neighbours
                .iter()
                .map(|n| label_width(&short(&n.card.title), FONT)),
        )
        .fold(0.0, f64::max);
    let width = 66 + widest.ceil() as i64;
    let height = ROW * (neighbours.len() as i64 + 1) + 6;
    let mut s = String::with_capacity(300 + neighbours.len() * 300);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"neighbours\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        escape(label)
    );
    let last = ROW * neighbours.len() as i64 + ROW / 2;
    if !neighbours.is_empty() {
        let _ = write!(s, "<path class=\"trunk\" d=\"M14 {} V{last}\"/>", ROW / 2);
    }
    for (k, n) in neighbours.iter().enumerate() {
        let y = ROW * (k as i64 + 1) + ROW / 2;
        let _ = write!(
            s,
            "<path class=\"e{}\" d=\"M14 {y} H40\"/><a href=\"{}\" class=\"n c{}\"{}><title>{}{}</title><circle cx=\"46\" cy=\"{y}\" r=\"5\"/><text x=\"58\" y=\"{}\">{}</text></a>",
            if n.field { "" } else { " m" },
            escape(&n.card.url),
            n.card.hue,
            n.card
                .lang
                .as_ref()
                .map_or(String::new(), |t| format!(" lang=\"{}\"", escape(&t.code))),
            escape(&n.card.title),
            n.card
                .date
                .as_deref()
                .map(|d| format!(", {}", escape(d)))
                .unwrap_or_default(),
            y + 4,
            escape(&short(&n.card.title))
        );
    }
    let _ = write!(
        s,
        "<g class=\"self c{}\"><circle cx=\"14\" cy=\"{}\" r=\"7\"/><text x=\"30\" y=\"{}\">{}</text></g></svg>",
        center.hue,
        ROW / 2,
        ROW / 2 + 5,
        escape(&short(&center.title))
    );
    s
}

impl<'a> Renderer<'a> {
    /// Entry `ei`'s neighbourhood picture (empty when it links with nothing), and how many
    /// neighbours it has in all; notes the neighbours' cards in `deps`.
    pub(super) fn neighbourhood(
        &self,
        l: &LangData<'a>,
        ei: usize,
        deps: &Deps,
    ) -> (String, usize) {
        // Neighbour → whether a field (not only a mention) links them.
        let mut all: BTreeMap<usize, bool> = BTreeMap::new();
        let fields = self.field_links();
        for &to in self.linked.outlinks.get(ei).into_iter().flatten() {
            all.insert(to, fields.contains(&(ei, to)));
        }
        for g in self.linked.backlinks.get(ei).into_iter().flatten() {
            for &from in &g.from {
                all.insert(from, true);
            }
        }
        for m in self.linked.mentions.get(ei).into_iter().flatten() {
            if let Node::Entry(from) = m.from {
                all.entry(from).or_insert(false);
            }
        }
        all.remove(&ei);
        let total = all.len();
        let when = |i: usize| l.cards.get(i).and_then(|c| c.sort_date.as_deref());
        let own = when(ei).and_then(super::graph::year_of);
        // Field links first, then the records nearest in time (keys made once per neighbour).
        let mut chosen: Vec<(bool, f64, usize)> = all
            .into_iter()
            .map(|(i, field)| {
                let distance = own
                    .zip(when(i).and_then(super::graph::year_of))
                    .map_or(f64::MAX, |(a, b)| (a - b).abs());
                (field, distance, i)
            })
            .collect();
        let first = |a: &(bool, f64, usize), b: &(bool, f64, usize)| {
            b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        if chosen.len() > MAX {
            chosen.select_nth_unstable_by(MAX, first);
            chosen.truncate(MAX);
        }
        // Shown in date order, the undated last.
        chosen.sort_by_key(|&(_, _, i)| (when(i).is_none(), when(i), i));
        let chosen: Vec<(usize, bool)> = chosen.into_iter().map(|(f, _, i)| (i, f)).collect();
        let neighbours: Vec<Neighbour> = chosen
            .iter()
            .filter_map(|&(i, field)| {
                deps.add(i);
                Some(Neighbour {
                    card: l.cards.get(i)?,
                    field,
                })
            })
            .collect();
        let Some(center) = l.cards.get(ei) else {
            return (String::new(), 0);
        };
        if neighbours.is_empty() {
            return (String::new(), 0);
        }
        let label = l.text("neighbourhood", "Linked records");
        (svg(center, &neighbours, &label), total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(i: usize, title: &str) -> Card {
        Card {
            title: title.into(),
            url: format!("/v/{i}/"),
            kind: "Visit".into(),
            collection: "visits".into(),
            date: None,
            sort_date: None,
            summary: None,
            hue: i % 8,
            lang: None,
            summary_lang: None,
        }
    }

    #[test]
    fn one_row_per_neighbour_and_long_titles_shortened() {
        let center = card(0, "Centre");
        let long = "A".repeat(80);
        let cards = [card(1, "Near"), card(2, &long)];
        let neighbours = [
            Neighbour {
                card: &cards[0],
                field: true,
            },
            Neighbour {
                card: &cards[1],
                field: false,
            },
        ];
        let svg = svg(&center, &neighbours, "Linked records");
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(
            svg.contains("<path class=\"e m\""),
            "a mention is dashed: {svg}"
        );
        assert!(svg.contains(&format!("<title>{long}</title>")));
        assert!(svg.contains(&format!(">{}…<", "A".repeat(LABEL - 1))));
        assert!(svg.contains("height=\"84\""), "{svg}");
    }
}

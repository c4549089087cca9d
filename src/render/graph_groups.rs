//! The site-wide graph past [`super::graph::AGGREGATE_ABOVE`] entries, when a node per entry
//! would make the page grow with the site: one node per collection and decade (its size and
//! number the count of records, its link the collection's index), one edge per pair of groups that
//! link, as thick as the links between them.

use super::graph::{AXIS, Input, LEFT, px};
use super::model::Card;
use crate::markup::escape;
use std::collections::BTreeMap;
use std::fmt::Write;

const LANE: f64 = 150.0;
const COL: i64 = 90;

/// A (lane, column) group.
type Key = (usize, usize);

/// The groups: the columns (decades present, in order, then the undated), the records per
/// group, and the links between each pair of groups (the lesser first).
struct Groups {
    columns: Vec<Option<String>>,
    counts: BTreeMap<Key, usize>,
    edges: BTreeMap<(Key, Key), usize>,
}

/// The group of a card: its decade (`1990s`), or `None` when undated.
fn decade(card: &Card) -> Option<String> {
    let year = card.sort_date.as_deref()?.get(..3)?;
    Some(format!("{year}0s"))
}

fn groups(input: &Input) -> Groups {
    let group_of: Vec<Option<String>> = input.cards.iter().map(decade).collect();
    let mut columns: Vec<Option<String>> = group_of.clone();
    columns.sort_by(|a, b| (a.is_none(), a).cmp(&(b.is_none(), b)));
    columns.dedup();
    let column = |g: &Option<String>| columns.iter().position(|c| c == g).unwrap_or(0);
    let key =
        |i: usize| -> Option<Key> { Some((*input.lane_of.get(i)?, column(group_of.get(i)?))) };
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for i in 0..input.cards.len() {
        if let Some(k) = key(i) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut edges: BTreeMap<(Key, Key), usize> = BTreeMap::new();
    for (from, targets) in input.outlinks.iter().enumerate() {
        for &to in targets {
            if let (Some(a), Some(b)) = (key(from), key(to)) {
                let pair = if a <= b { (a, b) } else { (b, a) };
                *edges.entry(pair).or_default() += 1;
            }
        }
    }
    Groups {
        columns,
        counts,
        edges,
    }
}

/// The graph of groups.
pub fn svg(input: &Input) -> String {
    let Groups {
        columns,
        counts,
        edges,
    } = groups(input);
    let lanes = input.lanes;
    let at = |(lane, col): Key| -> (i64, i64) {
        (
            px(LEFT) + col as i64 * COL,
            px(AXIS + lane as f64 * LANE + LANE / 2.0),
        )
    };
    let width = px(LEFT) + columns.len() as i64 * COL + 60;
    let height = px(AXIS + lanes.len() as f64 * LANE + 20.0);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph graph-groups\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        escape(input.label)
    );
    for (lane, l) in lanes.iter().enumerate() {
        let y = px(AXIS + lane as f64 * LANE);
        let _ = write!(
            s,
            "<rect class=\"lane l{lane} c{}\" x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{}\"/><text class=\"group-lane c{}\" x=\"12\" y=\"{}\">{}</text>",
            lane % super::PALETTE,
            px(LANE - 8.0),
            lane % super::PALETTE,
            y + 24,
            escape(&l.title)
        );
    }
    for (col, c) in columns.iter().enumerate() {
        let x = px(LEFT) + col as i64 * COL;
        let _ = write!(
            s,
            "<text class=\"decade\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            px(AXIS - 12.0),
            escape(c.as_deref().unwrap_or("–"))
        );
    }
    s.push_str("<g class=\"edges\" aria-hidden=\"true\">");
    for ((a, b), n) in &edges {
        let (pa, pb) = (at(*a), at(*b));
        let _ = write!(
            s,
            "<path class=\"e f{} t{}\" stroke-width=\"{:.1}\" d=\"M{} {}Q{} {} {} {}\"/>",
            a.0,
            b.0,
            1.0 + (*n as f64).ln(),
            pa.0,
            pa.1,
            (pa.0 + pb.0) / 2,
            (pa.1 + pb.1) / 2 - 30,
            pb.0,
            pb.1
        );
    }
    s.push_str("</g><g class=\"nodes\">");
    for ((lane, col), n) in &counts {
        let Some(l) = lanes.get(*lane) else { continue };
        let (x, y) = at((*lane, *col));
        let r = 4 + (*n as f64).sqrt().min(36.0) as i64;
        let decade = columns
            .get(*col)
            .cloned()
            .flatten()
            .unwrap_or_else(|| "–".into());
        let _ = write!(
            s,
            "<a href=\"{}\" class=\"n n{lane} c{}\"><title>{} · {} ({n})</title><circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{n}</text></a>",
            escape(&l.url),
            lane % super::PALETTE,
            escape(&l.title),
            escape(&decade),
            y + r + 14
        );
    }
    s.push_str("</g></svg>");
    s
}

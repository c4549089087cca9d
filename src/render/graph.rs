//! The `/graph/` picture: every entry as a node in its collection's lane, ordered by date, with its
//! links drawn as curves. Plain SVG with real links, so it works without JavaScript.
//! Layout is deterministic and linear in entries plus links. Past [`AGGREGATE_ABOVE`] entries
//! the picture would grow with the site (72 MB at 100k records), so it shows groups instead: one
//! node per collection and decade (its size the number of records, its link the collection's
//! index), one edge per pair of groups that link, as thick as the links between them.

use super::model::Card;
use crate::markup::escape;
use std::fmt::Write;

const LANE: f64 = 150.0;
const STEP: f64 = 34.0;
const LEFT: f64 = 150.0;
const TOP: f64 = 40.0;

/// Entries above which the graph shows collections by decade instead of entries.
pub const AGGREGATE_ABOVE: usize = 400;

/// One collection's lane.
pub struct Lane {
    pub title: String,
    pub name: String,
    /// The collection's index.
    pub url: String,
}

/// Build the SVG. `lane_of[i]` is entry i's lane, `outlinks[i]` its targets.
pub fn svg(
    lanes: &[Lane],
    lane_of: &[usize],
    cards: &[Card],
    outlinks: &[Vec<usize>],
    label: &str,
) -> String {
    if cards.len() > AGGREGATE_ABOVE {
        return aggregate(lanes, lane_of, cards, outlinks, label);
    }
    let want = wanted_x(cards, outlinks);
    let placed = place(lanes, lane_of, &want);
    draw(lanes, lane_of, cards, outlinks, label, &placed)
}

/// The x each entry would like: dated entries by date rank, the rest the mean of their
/// dated neighbours (or the middle).
fn wanted_x(cards: &[Card], outlinks: &[Vec<usize>]) -> Vec<f64> {
    let n = cards.len();
    // Dated entries get x by date rank; the rest the mean x of their neighbours.
    let mut dated: Vec<(&str, usize)> = cards
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.sort_date.as_deref().map(|d| (d, i)))
        .collect();
    dated.sort();
    let mut x: Vec<Option<f64>> = vec![None; n];
    for (rank, (_, i)) in dated.iter().enumerate() {
        if let Some(slot) = x.get_mut(*i) {
            *slot = Some(LEFT + rank as f64 * STEP);
        }
    }
    let mut sum = vec![(0.0f64, 0usize); n];
    for (from, targets) in outlinks.iter().enumerate() {
        let x_from = x.get(from).copied().flatten();
        for &to in targets {
            let (neighbour, add) = match (x_from, x.get(to).copied().flatten()) {
                (Some(xf), None) => (to, xf),
                (None, Some(xt)) => (from, xt),
                _ => continue,
            };
            if let Some((total, count)) = sum.get_mut(neighbour) {
                *total += add;
                *count += 1;
            }
        }
    }
    let middle = LEFT + (dated.len().max(1) as f64 * STEP) / 2.0;
    x.iter()
        .zip(&sum)
        .map(|(known, &(total, count))| {
            known.unwrap_or(if count > 0 {
                total / count as f64
            } else {
                middle
            })
        })
        .collect()
}

/// Where the entries went: each one's position, and the picture's size.
struct Placed {
    pos: Vec<(f64, f64)>,
    width: f64,
    height: f64,
}

/// Each entry's position in its lane, and the picture's size.
fn place(lanes: &[Lane], lane_of: &[usize], want: &[f64]) -> Placed {
    let n = want.len();
    let mut pos: Vec<(f64, f64)> = vec![(0.0, 0.0); n];
    let mut width: f64 = LEFT + 200.0;
    for (lane, _) in lanes.iter().enumerate() {
        let mut members: Vec<(f64, usize)> = lane_of
            .iter()
            .zip(want)
            .enumerate()
            .filter(|(_, (l, _))| **l == lane)
            .map(|(i, (_, w))| (*w, i))
            .collect();
        members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut last = f64::MIN;
        for (k, (want, i)) in members.into_iter().enumerate() {
            let px = want.max(last + STEP);
            last = px;
            let py = TOP + lane as f64 * LANE + 30.0 + (k % 3) as f64 * 22.0;
            if let Some(p) = pos.get_mut(i) {
                *p = (px, py);
            }
            width = width.max(px + 220.0);
        }
    }
    let height = TOP + lanes.len() as f64 * LANE + 20.0;
    Placed { pos, width, height }
}

/// The SVG markup of a placed graph.
fn draw(
    lanes: &[Lane],
    lane_of: &[usize],
    cards: &[Card],
    outlinks: &[Vec<usize>],
    label: &str,
    placed: &Placed,
) -> String {
    let n = cards.len();
    let Placed { pos, width, height } = placed;
    let (width, height) = (*width, *height);
    // Whole pixels from here on: integers format several times faster than `{:.0}` floats.
    let pos: Vec<(i64, i64)> = pos.iter().map(|&(x, y)| (px_of(x), px_of(y))).collect();
    let (width, height) = (px_of(width), px_of(height));
    let mut s = String::with_capacity(n * 300);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        escape(label)
    );
    for (lane, l) in lanes.iter().enumerate() {
        let y = px_of(TOP + lane as f64 * LANE);
        let _ = write!(
            s,
            "<g class=\"lane lane-{}\"><rect x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{}\"/><text class=\"lane-title\" x=\"12\" y=\"{}\">{}</text></g>",
            escape(&l.name),
            px_of(LANE - 8.0),
            y + 24,
            escape(&l.title)
        );
    }
    let lane_name = |i: usize| {
        lane_of
            .get(i)
            .and_then(|l| lanes.get(*l))
            .map_or("", |l| l.name.as_str())
    };
    s.push_str("<g class=\"edges\">");
    for (from, targets) in outlinks.iter().enumerate() {
        for to in targets {
            let (Some(a), Some(b)) = (pos.get(from), pos.get(*to)) else {
                continue;
            };
            let mx = (a.0 + b.0) / 2;
            let my = (a.1 + b.1) / 2 - 30;
            let _ = write!(
                s,
                "<path class=\"edge from-{}\" d=\"M{} {}Q{mx} {my} {} {}\"/>",
                escape(lane_name(from)),
                a.0,
                a.1,
                b.0,
                b.1
            );
        }
    }
    s.push_str("</g><g class=\"nodes\">");
    for (i, (card, &(px, py))) in cards.iter().zip(&pos).enumerate() {
        let short: String = if card.title.chars().count() > 28 {
            card.title.chars().take(26).collect::<String>() + "…"
        } else {
            card.title.clone()
        };
        let date = card
            .date
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<a href=\"{}\" class=\"node node-{} c{}\"{}><title>{}{}</title><circle cx=\"{px}\" cy=\"{py}\" r=\"6\"/><text x=\"{}\" y=\"{}\" transform=\"rotate(-35 {} {})\">{}</text></a>",
            escape(&card.url),
            escape(lane_name(i)),
            card.hue,
            card.lang.as_ref().map_or(String::new(), |t| format!(
                " lang=\"{}\" direction=\"{}\"",
                escape(&t.code),
                t.dir
            )),
            escape(&card.title),
            escape(&date),
            px + 9,
            py - 6,
            px + 9,
            py - 6,
            escape(&short)
        );
    }
    s.push_str("</g></svg>");
    s
}

/// The group of a card: its decade (`1990s`), or `None` when undated.
fn decade(card: &Card) -> Option<String> {
    let year = card.sort_date.as_deref()?.get(..3)?;
    Some(format!("{year}0s"))
}

/// The graph of groups: collections (lanes) by decade, undated records last.
fn aggregate(
    lanes: &[Lane],
    lane_of: &[usize],
    cards: &[Card],
    outlinks: &[Vec<usize>],
    label: &str,
) -> String {
    use std::collections::BTreeMap;
    let group_of: Vec<Option<String>> = cards.iter().map(decade).collect();
    // Columns: every decade present, in order, then the undated.
    let mut columns: Vec<Option<String>> = group_of.clone();
    columns.sort_by(|a, b| (a.is_none(), a).cmp(&(b.is_none(), b)));
    columns.dedup();
    let column = |g: &Option<String>| columns.iter().position(|c| c == g).unwrap_or(0);
    let key =
        |i: usize| -> Option<(usize, usize)> { Some((*lane_of.get(i)?, column(group_of.get(i)?))) };
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for i in 0..cards.len() {
        if let Some(k) = key(i) {
            *counts.entry(k).or_default() += 1;
        }
    }
    // (lane, column) of both ends, the lesser first → links between the two groups.
    type Pair = ((usize, usize), (usize, usize));
    let mut edges: BTreeMap<Pair, usize> = BTreeMap::new();
    for (from, targets) in outlinks.iter().enumerate() {
        for &to in targets {
            if let (Some(a), Some(b)) = (key(from), key(to)) {
                let pair = if a <= b { (a, b) } else { (b, a) };
                *edges.entry(pair).or_default() += 1;
            }
        }
    }
    const COL: i64 = 90;
    let at = |(lane, col): (usize, usize)| -> (i64, i64) {
        (
            px_of(LEFT) + col as i64 * COL,
            px_of(TOP + lane as f64 * LANE + LANE / 2.0),
        )
    };
    let width = px_of(LEFT) + columns.len() as i64 * COL + 60;
    let height = px_of(TOP + lanes.len() as f64 * LANE + 20.0);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph graph-groups\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        escape(label)
    );
    for (lane, l) in lanes.iter().enumerate() {
        let y = px_of(TOP + lane as f64 * LANE);
        let _ = write!(
            s,
            "<g class=\"lane lane-{}\"><rect x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{}\"/><text class=\"lane-title\" x=\"12\" y=\"{}\">{}</text></g>",
            escape(&l.name),
            px_of(LANE - 8.0),
            y + 24,
            escape(&l.title)
        );
    }
    for (col, c) in columns.iter().enumerate() {
        let x = px_of(LEFT) + col as i64 * COL;
        let _ = write!(
            s,
            "<text class=\"decade\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            px_of(TOP - 12.0),
            escape(c.as_deref().unwrap_or("–"))
        );
    }
    s.push_str("<g class=\"edges\">");
    for ((a, b), n) in &edges {
        let (pa, pb) = (at(*a), at(*b));
        let w = 1.0 + (*n as f64).ln();
        let _ = write!(
            s,
            "<path class=\"edge\" stroke-width=\"{:.1}\" d=\"M{} {}Q{} {} {} {}\"><title>{n}</title></path>",
            w,
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
            "<a href=\"{}\" class=\"node node-{} c{}\"><title>{} · {} ({n})</title><circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{n}</text></a>",
            escape(&l.url),
            escape(&l.name),
            lane % super::PALETTE,
            escape(&l.title),
            escape(&decade),
            y + r + 14
        );
    }
    s.push_str("</g></svg>");
    s
}

/// A layout coordinate as whole pixels.
fn px_of(v: f64) -> i64 {
    v.round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(i: usize, date: Option<&str>) -> Card {
        Card {
            title: format!("Record {i}"),
            url: format!("/v/{i}/"),
            kind: "Visit".into(),
            collection: "visits".into(),
            date: date.map(String::from),
            sort_date: date.map(String::from),
            summary: None,
            hue: 0,
            lang: None,
            summary_lang: None,
        }
    }

    #[test]
    fn a_large_graph_shows_collections_by_decade() {
        let lanes = [Lane {
            title: "Visits".into(),
            name: "visits".into(),
            url: "/visits/".into(),
        }];
        let n = AGGREGATE_ABOVE + 100;
        let cards: Vec<Card> = (0..n)
            .map(|i| {
                card(
                    i,
                    (i % 10 != 0).then_some(if i % 2 == 0 { "1965-01" } else { "2001" }),
                )
            })
            .collect();
        let outlinks: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let svg = svg(&lanes, &vec![0; n], &cards, &outlinks, "Graph");
        // Three groups (1960s, 2000s, undated), each a link to the collection's index.
        assert_eq!(svg.matches("<a href=\"/visits/\"").count(), 3, "{svg}");
        assert!(svg.contains(">1960s<") && svg.contains(">2000s<"), "{svg}");
        assert!(!svg.contains("/v/1/"), "no node per record");
        assert!(svg.len() < 10_000, "{} bytes", svg.len());
    }
}

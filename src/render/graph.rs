//! The `/graph/` picture: every entry as a dot on a year axis (x is its date) in its collection's
//! lane, its links drawn as curves, each label placed by interval colouring so that no two labels
//! overlap. Plain SVG with real links, so it works without JavaScript.
//!
//! Layout ([`layout`]) is deterministic and O(n log n + links): an undated entry (an official, a
//! topic) sits at the mean date of the dated entries it links with. In each lane the entries are
//! taken in order of x and each goes to the first row whose last label ends before its dot;
//! taking intervals by their left end this way uses the fewest rows any placement could (the
//! interval graph's clique number), so a lane grows only as tall as its busiest years need.
//! Past [`AGGREGATE_ABOVE`] entries the picture would grow with the site (72 MB at 100k
//! records), so it shows groups instead: one node per collection and decade (its size the number
//! of records, its link the collection's index), one edge per pair of groups that link, as thick
//! as the links between them.

use super::model::Card;
use super::text_width::label_width;
use crate::markup::escape;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

/// Pixels per year on the axis.
const YEAR: f64 = 44.0;
/// The column of lane titles at the left.
pub(super) const LEFT: f64 = 120.0;
/// The year axis above the lanes.
pub(super) const AXIS: f64 = 34.0;
/// Room for nothing but the edges' curves at the top of a lane.
const LANE_PAD: f64 = 10.0;
/// A dot's radius.
const R: f64 = 5.0;
/// The labels' font size (the stylesheet's `svg.graph text`).
pub const FONT: f64 = 12.0;
/// Space kept between two labels in a row.
const GAP: f64 = 12.0;

/// Entries above which the graph shows collections by decade instead of entries.
pub const AGGREGATE_ABOVE: usize = 400;

/// One collection's lane.
pub struct Lane {
    pub title: String,
    /// The collection's index.
    pub url: String,
}

/// What the graph is drawn from.
pub struct Input<'c> {
    pub lanes: &'c [Lane],
    /// Entry i's lane.
    pub lane_of: &'c [usize],
    pub cards: &'c [Card],
    /// Entry i's targets.
    pub outlinks: &'c [Vec<usize>],
    /// The (from, to) links that a field makes; the other links are mentions in a text.
    pub field_links: &'c HashSet<(usize, usize)>,
    /// The picture's accessible name.
    pub label: &'c str,
}

/// A label's box, in SVG pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

#[cfg(test)]
impl Rect {
    /// Whether two boxes share any area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// Where everything went.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Each entry's dot.
    pub pos: Vec<(f64, f64)>,
    /// Each entry's dot and label together.
    pub boxes: Vec<Rect>,
    /// Each lane's top and height.
    pub lanes: Vec<(f64, f64)>,
    /// The first and last year on the axis (`None` when nothing is dated).
    pub years: Option<(i64, i64)>,
    pub row: f64,
    pub width: f64,
    pub height: f64,
}

/// A date as a year with a fraction (`1963-03` → 1963.17).
pub fn year_of(date: &str) -> Option<f64> {
    let mut parts = date.split('-');
    let year: f64 = parts.next()?.parse().ok()?;
    let month: f64 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(1.0);
    let day: f64 = parts.next().and_then(|d| d.parse().ok()).unwrap_or(1.0);
    Some(year + (month - 1.0) / 12.0 + (day - 1.0) / 366.0)
}

/// The row height that fits the labels' script (Arabic script is set taller than Latin).
fn row_height(cards: &[Card]) -> f64 {
    let arabic = cards.iter().any(|c| {
        c.title
            .chars()
            .any(|ch| ('\u{600}'..='\u{6ff}').contains(&ch))
    });
    if arabic { 28.0 } else { 20.0 }
}

/// Each entry's x: its date on the axis, or for an undated entry the mean x of the dated entries
/// it links with (the middle of the axis when it links with none); and the axis' first and last
/// year.
fn x_positions(cards: &[Card], outlinks: &[Vec<usize>]) -> (Vec<f64>, Option<(i64, i64)>) {
    let n = cards.len();
    let times: Vec<Option<f64>> = cards
        .iter()
        .map(|c| c.sort_date.as_deref().and_then(year_of))
        .collect();
    let first = times.iter().flatten().copied().reduce(f64::min);
    let last = times.iter().flatten().copied().reduce(f64::max);
    let years = first.zip(last).map(|(a, b)| {
        let a = a.floor() as i64;
        (a - a.rem_euclid(10), b.floor() as i64 + 1)
    });
    let x_of = |t: f64| LEFT + 16.0 + (t - years.map_or(0, |y| y.0) as f64) * YEAR;
    let mut x: Vec<Option<f64>> = times.iter().map(|t| t.map(x_of)).collect();
    // Undated entries: the mean x of the dated entries they link with, either way.
    let mut sum = vec![(0.0f64, 0usize); n];
    for (from, targets) in outlinks.iter().enumerate() {
        for &to in targets {
            for (a, b) in [(from, to), (to, from)] {
                if let (Some(None), Some(Some(xb)), Some(s)) =
                    (x.get(a), x.get(b).copied(), sum.get_mut(a))
                {
                    s.0 += xb;
                    s.1 += 1;
                }
            }
        }
    }
    let middle = years.map_or(LEFT + 16.0, |(a, b)| x_of((a + b) as f64 / 2.0));
    for (slot, (total, count)) in x.iter_mut().zip(&sum) {
        if slot.is_none() {
            *slot = Some(if *count > 0 {
                total / *count as f64
            } else {
                middle
            });
        }
    }
    let x: Vec<f64> = x.into_iter().map(|v| v.unwrap_or(middle)).collect();
    (x, years)
}

/// Lay the entries out: x from their dates, rows by interval colouring per lane.
pub fn layout(cards: &[Card], lane_of: &[usize], lanes: usize, outlinks: &[Vec<usize>]) -> Layout {
    let n = cards.len();
    let (x, years) = x_positions(cards, outlinks);
    let x_of = |t: f64| LEFT + 16.0 + (t - years.map_or(0, |y| y.0) as f64) * YEAR;
    let row = row_height(cards);
    let widths: Vec<f64> = cards.iter().map(|c| label_width(&c.title, FONT)).collect();
    let mut pos = vec![(0.0, 0.0); n];
    let mut boxes = vec![
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 0.0,
            y1: 0.0
        };
        n
    ];
    let mut lane_boxes = Vec::with_capacity(lanes);
    let mut top = AXIS;
    let mut width = years.map_or(LEFT + 200.0, |(_, b)| x_of(b as f64) + 24.0);
    for lane in 0..lanes {
        let mut members: Vec<usize> = (0..n).filter(|i| lane_of.get(*i) == Some(&lane)).collect();
        members.sort_by(|a, b| {
            let (xa, xb) = (x.get(*a).copied(), x.get(*b).copied());
            xa.unwrap_or(0.0)
                .total_cmp(&xb.unwrap_or(0.0))
                .then(a.cmp(b))
        });
        // The right end of the last label in each row.
        let mut rows: Vec<f64> = Vec::new();
        for i in members {
            let (Some(&xi), Some(&w)) = (x.get(i), widths.get(i)) else {
                continue;
            };
            let x0 = xi - R - 1.0;
            let x1 = xi + R + 4.0 + w;
            let r = match rows.iter().position(|end| end + GAP <= x0) {
                Some(r) => r,
                None => {
                    rows.push(f64::MIN);
                    rows.len() - 1
                }
            };
            if let Some(end) = rows.get_mut(r) {
                *end = x1;
            }
            let y = top + LANE_PAD + r as f64 * row + row / 2.0;
            if let (Some(p), Some(b)) = (pos.get_mut(i), boxes.get_mut(i)) {
                *p = (xi, y);
                *b = Rect {
                    x0,
                    y0: y - row / 2.0 + 1.0,
                    x1,
                    y1: y + row / 2.0 - 1.0,
                };
            }
            width = width.max(x1 + 16.0);
        }
        let height = LANE_PAD * 2.0 + rows.len().max(1) as f64 * row;
        lane_boxes.push((top, height));
        top += height;
    }
    Layout {
        pos,
        boxes,
        lanes: lane_boxes,
        years,
        row,
        width,
        height: top + 8.0,
    }
}

/// The decades on the axis of a graph of `cards` (each has an anchor `#gy-<decade>`); none
/// when nothing is dated or the graph shows groups.
pub fn decades(cards: &[Card]) -> Vec<i64> {
    if cards.len() > AGGREGATE_ABOVE {
        return Vec::new();
    }
    let years: Vec<i64> = cards
        .iter()
        .filter_map(|c| Some(year_of(c.sort_date.as_deref()?)?.floor() as i64))
        .collect();
    match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) => (a - a.rem_euclid(10)..=*b).step_by(10).collect(),
        _ => Vec::new(),
    }
}

/// Build the SVG: a node per entry, or groups past [`AGGREGATE_ABOVE`] entries.
pub fn svg(input: &Input) -> String {
    if input.cards.len() > AGGREGATE_ABOVE {
        return super::graph_groups::svg(input);
    }
    let placed = layout(
        input.cards,
        input.lane_of,
        input.lanes.len(),
        input.outlinks,
    );
    draw(input, &placed)
}

/// The links as unordered pairs, each once: a field link when either direction is one.
pub fn pairs(
    outlinks: &[Vec<usize>],
    field_links: &HashSet<(usize, usize)>,
) -> Vec<(usize, usize, bool)> {
    let mut out: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for (from, targets) in outlinks.iter().enumerate() {
        for &to in targets {
            if from == to {
                continue;
            }
            let key = (from.min(to), from.max(to));
            *out.entry(key).or_default() |= field_links.contains(&(from, to));
        }
    }
    out.into_iter().map(|((a, b), f)| (a, b, f)).collect()
}

/// The SVG markup of a placed graph.
fn draw(input: &Input, placed: &Layout) -> String {
    let (width, height) = (px(placed.width), px(placed.height));
    let mut s = String::with_capacity(input.cards.len() * 400);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" direction=\"ltr\" role=\"group\" aria-label=\"{}\">",
        escape(input.label)
    );
    for (lane, (top, h)) in placed.lanes.iter().enumerate() {
        let _ = write!(
            s,
            "<rect class=\"lane l{lane} c{}\" x=\"0\" y=\"{}\" width=\"{width}\" height=\"{}\"/>",
            lane % super::PALETTE,
            px(*top),
            px(*h)
        );
    }
    if let Some((first, last)) = placed.years {
        let x_of = |y: i64| px(LEFT + 16.0 + (y - first) as f64 * YEAR);
        s.push_str("<g class=\"grid\" aria-hidden=\"true\">");
        for y in (first..=last).filter(|y| y.rem_euclid(10) == 0) {
            let _ = write!(
                s,
                "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{height}\"/>",
                x_of(y),
                px(AXIS)
            );
        }
        s.push_str("</g>");
        draw_edges(&mut s, input, placed);
        draw_nodes(&mut s, input, placed);
        // The axis and the lane titles come last, over the lanes, so that a script can keep
        // them in view while the picture scrolls.
        let _ = write!(
            s,
            "<g class=\"axis\" aria-hidden=\"true\"><rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{}\"/>",
            px(AXIS - 4.0)
        );
        for y in first..=last {
            let x = x_of(y);
            let long = y.rem_euclid(5) == 0;
            let _ = write!(
                s,
                "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\"/>",
                px(AXIS - if long { 12.0 } else { 8.0 }),
                px(AXIS - 4.0)
            );
            if long {
                let id = if y.rem_euclid(10) == 0 {
                    format!(" id=\"gy-{y}\"")
                } else {
                    String::new()
                };
                let _ = write!(
                    s,
                    "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\"{id}>{y}</text>",
                    px(AXIS - 16.0)
                );
            }
        }
        s.push_str("</g>");
    } else {
        draw_edges(&mut s, input, placed);
        draw_nodes(&mut s, input, placed);
    }
    s.push_str("<g class=\"lane-titles\">");
    for (lane, ((top, _), l)) in placed.lanes.iter().zip(input.lanes).enumerate() {
        let _ = write!(
            s,
            "<g class=\"lane-title c{}\"><rect x=\"0\" y=\"{}\" width=\"{}\" height=\"22\"/><text x=\"8\" y=\"{}\">{}</text></g>",
            lane % super::PALETTE,
            px(*top + 2.0),
            px(LEFT - 12.0),
            px(*top + 17.0),
            escape(&l.title)
        );
    }
    s.push_str("</g></svg>");
    s
}

fn draw_edges(s: &mut String, input: &Input, placed: &Layout) {
    s.push_str("<g class=\"edges\" aria-hidden=\"true\">");
    for (a, b, field) in pairs(input.outlinks, input.field_links) {
        let (Some(pa), Some(pb), Some(la), Some(lb)) = (
            placed.pos.get(a),
            placed.pos.get(b),
            input.lane_of.get(a),
            input.lane_of.get(b),
        ) else {
            continue;
        };
        let (ax, ay, bx, by) = (px(pa.0), px(pa.1), px(pb.0), px(pb.1));
        let bend = ((bx - ax).abs() / 4).clamp(10, 80);
        let _ = write!(
            s,
            "<path class=\"e{} f{la} t{lb}\" data-e=\"{a} {b}\" d=\"M{ax} {ay}Q{} {} {bx} {by}\"/>",
            if field { "" } else { " m" },
            (ax + bx) / 2,
            (ay + by) / 2 - bend,
        );
    }
    s.push_str("</g>");
}

fn draw_nodes(s: &mut String, input: &Input, placed: &Layout) {
    s.push_str("<g class=\"nodes\">");
    for (i, (card, &(x, y))) in input.cards.iter().zip(&placed.pos).enumerate() {
        let lane = input.lane_of.get(i).copied().unwrap_or(0);
        let date = card
            .date
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<a href=\"{}\" class=\"n n{lane} c{}\" id=\"gn{i}\"{}><title>{}{}</title><circle cx=\"{}\" cy=\"{}\" r=\"{R}\"/><text x=\"{}\" y=\"{}\">{}</text></a>",
            escape(&card.url),
            card.hue,
            card.lang
                .as_ref()
                .map_or(String::new(), |t| format!(" lang=\"{}\"", escape(&t.code))),
            escape(&card.title),
            escape(&date),
            px(x),
            px(y),
            px(x + R + 4.0),
            px(y + FONT / 3.0),
            escape(&card.title)
        );
    }
    s.push_str("</g>");
}

/// A layout coordinate as whole pixels (integers format several times faster than floats).
pub(super) fn px(v: f64) -> i64 {
    v.round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn card(i: usize, date: Option<&str>, title: &str) -> Card {
        Card {
            title: title.into(),
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

    fn lanes(n: usize) -> Vec<Lane> {
        (0..n)
            .map(|i| Lane {
                title: format!("Lane {i}"),
                url: format!("/l{i}/"),
            })
            .collect()
    }

    /// A crowded fixture: 300 records in three lanes, many on the same day, long and short
    /// titles in three scripts, some undated, linked in a ring and to a hub.
    fn crowded() -> (Vec<Card>, Vec<usize>, Vec<Vec<usize>>) {
        let titles = [
            "President Ayub Khan's state visit to China, March 1965",
            "Zhou",
            "中华人民共和国和巴基斯坦伊斯兰共和国联合声明",
            "صدر ایوب خان کا دورۂ چین",
            "Boundary agreement",
        ];
        let cards: Vec<Card> = (0..300)
            .map(|i| {
                let date = match i % 7 {
                    0 => None,
                    1 => Some("1963".to_string()),
                    2 => Some("2015-04-20".to_string()),
                    _ => Some(format!("{}-{:02}", 1951 + (i * 13) % 75, 1 + i % 12)),
                };
                let title = titles.get(i % titles.len()).copied().unwrap_or("x");
                card(i, date.as_deref(), &format!("{title} {i}"))
            })
            .collect();
        let lane_of: Vec<usize> = (0..300).map(|i| i % 3).collect();
        let outlinks: Vec<Vec<usize>> = (0..300).map(|i| vec![(i + 1) % 300, 0]).collect();
        (cards, lane_of, outlinks)
    }

    #[test]
    fn no_two_labels_overlap() {
        let (cards, lane_of, outlinks) = crowded();
        let placed = layout(&cards, &lane_of, 3, &outlinks);
        for (i, a) in placed.boxes.iter().enumerate() {
            assert!(a.x1 > a.x0 && a.y1 > a.y0, "box {i} is empty: {a:?}");
            for (j, b) in placed.boxes.iter().enumerate().skip(i + 1) {
                assert!(!a.overlaps(b), "labels {i} and {j} overlap: {a:?} {b:?}");
            }
        }
        // Every box lies inside the picture, below the axis.
        for b in &placed.boxes {
            assert!(b.x0 >= 0.0 && b.x1 <= placed.width && b.y0 >= AXIS && b.y1 <= placed.height);
        }
    }

    #[test]
    fn x_is_the_date_on_the_axis() {
        let cards = vec![
            card(0, Some("1960-01-01"), "a"),
            card(1, Some("1970-01-01"), "b"),
            card(2, None, "c"),
        ];
        let outlinks = vec![vec![], vec![2], vec![0]];
        let placed = layout(&cards, &[0, 0, 0], 1, &outlinks);
        let x: Vec<f64> = placed.pos.iter().map(|p| p.0).collect();
        assert_eq!(placed.years, Some((1960, 1971)));
        assert!((x[1] - x[0] - 10.0 * YEAR).abs() < 1e-6, "{x:?}");
        // The undated record sits between the two it links with.
        assert!((x[2] - (x[0] + x[1]) / 2.0).abs() < 1e-6, "{x:?}");
    }

    #[test]
    fn rows_are_as_few_as_the_busiest_moment_needs() {
        // Three records on one day need three rows; a fourth ten years later reuses the first.
        let cards = vec![
            card(0, Some("2000-01-01"), "a"),
            card(1, Some("2000-01-01"), "b"),
            card(2, Some("2000-01-01"), "c"),
            card(3, Some("2010-01-01"), "d"),
        ];
        let placed = layout(&cards, &[0; 4], 1, &vec![vec![]; 4]);
        let ys: Vec<f64> = placed.pos.iter().map(|p| p.1).collect();
        assert_eq!(ys[3], ys[0]);
        assert!(ys[0] < ys[1] && ys[1] < ys[2]);
        assert_eq!(placed.lanes[0].1, LANE_PAD * 2.0 + 3.0 * placed.row);
    }

    #[test]
    fn the_layout_and_the_svg_are_deterministic() {
        let (cards, lane_of, outlinks) = crowded();
        let fields = HashSet::from([(1, 2), (5, 0)]);
        let lanes = lanes(3);
        let input = Input {
            lanes: &lanes,
            lane_of: &lane_of,
            cards: &cards,
            outlinks: &outlinks,
            field_links: &fields,
            label: "Graph",
        };
        let one = svg(&input);
        assert_eq!(one, svg(&input));
        assert_eq!(
            layout(&cards, &lane_of, 3, &outlinks),
            layout(&cards, &lane_of, 3, &outlinks)
        );
        // One path per linked pair; field links solid, the rest mentions.
        assert_eq!(
            one.matches("<path ").count(),
            pairs(&outlinks, &fields).len()
        );
        assert!(
            one.contains("class=\"e f1 t2\" data-e=\"1 2\""),
            "field link"
        );
        assert!(
            one.contains("class=\"e m f0 t1\" data-e=\"0 1\""),
            "mention"
        );
        assert_eq!(one.matches("<a href=\"/v/").count(), 300);
    }

    #[test]
    fn a_large_graph_shows_collections_by_decade() {
        let lanes = lanes(1);
        let n = AGGREGATE_ABOVE + 100;
        let cards: Vec<Card> = (0..n)
            .map(|i| {
                card(
                    i,
                    (i % 10 != 0).then_some(if i % 2 == 0 { "1965-01" } else { "2001" }),
                    "r",
                )
            })
            .collect();
        let outlinks: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let svg = svg(&Input {
            lanes: &lanes,
            lane_of: &vec![0; n],
            cards: &cards,
            outlinks: &outlinks,
            field_links: &HashSet::new(),
            label: "Graph",
        });
        // Three groups (1960s, 2000s, undated), each a link to the collection's index.
        assert_eq!(svg.matches("<a href=\"/l0/\"").count(), 3, "{svg}");
        assert!(svg.contains(">1960s<") && svg.contains(">2000s<"), "{svg}");
        assert!(!svg.contains("/v/1/"), "no node per record");
        assert!(svg.len() < 10_000, "{} bytes", svg.len());
    }
}

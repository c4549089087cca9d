//! The `/graph/` page: the picture from [`super::graph`], its legend (collections with their
//! counts, the two kinds of line), a filter by collection that works without JavaScript (a
//! checkbox per collection and a `:has()` rule per checkbox in the stylesheet, for the first 12), and the small graph of each
//! entry's neighbours.

use super::graph::{self, Input, Lane};
use super::model::PALETTE;
use super::{LangData, OutputFile, Renderer};
use crate::diagnostics::Diagnostic;
use crate::routes::SitePage;
use serde::Serialize;
use std::collections::HashSet;

/// The collections the stylesheet has filter rules for (`#gf0`…`#gf11`).
const FILTER_MAX: usize = 12;

/// A collection as the legend and the filter show it.
#[derive(Serialize)]
struct LaneCtx {
    index: usize,
    title: String,
    hue: usize,
    count: usize,
}

impl<'a> Renderer<'a> {
    /// The (from, to) links that a field makes, from the typed backlinks.
    pub(super) fn field_links(&self) -> &HashSet<(usize, usize)> {
        self.field_links.get_or_init(|| {
            let mut out = HashSet::new();
            for (to, groups) in self.linked.backlinks.iter().enumerate() {
                for g in groups {
                    out.extend(g.from.iter().map(|from| (*from, to)));
                }
            }
            out
        })
    }

    pub(super) fn graph_page(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let title = l.text("graph", "Graph");
        let lanes: Vec<Lane> = self
            .config
            .collections
            .iter()
            .zip(&l.site.nav)
            .map(|(_, n)| Lane {
                title: n.title.clone(),
                url: n.url.clone(),
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
        let field_links = self.field_links();
        let input = Input {
            lanes: &lanes,
            lane_of: &lane_of,
            cards: &l.cards,
            outlinks: &self.linked.outlinks,
            field_links,
            label: &title,
        };
        let svg = graph::svg(&input);
        let pairs = graph::pairs(&self.linked.outlinks, field_links);
        let fields = pairs.iter().filter(|p| p.2).count();
        let legend: Vec<LaneCtx> = lanes
            .iter()
            .enumerate()
            .take(FILTER_MAX)
            .map(|(index, lane)| LaneCtx {
                index,
                title: lane.title.clone(),
                hue: index % PALETTE,
                count: lane_of.iter().filter(|x| **x == index).count(),
            })
            .collect();
        let route = SitePage::Graph.route();
        let mut ctx = self.web_page_context(l, SitePage::Graph, &title);
        ctx.insert("svg", &svg);
        ctx.insert("lanes", &legend);
        let decades: Vec<serde_json::Value> = graph::decades(&l.cards)
            .into_iter()
            .map(|d| {
                let label = l.text("decade_label", "{decade}s");
                serde_json::json!({"year": d, "label": label.replace("{decade}", &d.to_string())})
            })
            .collect();
        ctx.insert("decades", &decades);
        ctx.insert("aggregated", &(l.cards.len() > graph::AGGREGATE_ABOVE));
        ctx.insert("aggregate_above", &graph::AGGREGATE_ABOVE);
        ctx.insert("nodes", &l.cards.len());
        ctx.insert("field_edges", &fields);
        ctx.insert("text_edges", &(pairs.len() - fields));
        self.page_file(l, route.path, "graph.html", &ctx)
    }
}

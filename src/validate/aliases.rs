//! Old ids of an entry: the front-matter key `aliases_ids`, reserved in every collection (like
//! `draft`). `bilat rename` records the id it replaced there, and contributors may write it by
//! hand. Each old id gets a redirect page at its old URL (render); an old id that is also a live
//! id, or that two entries both claim, is an error at its position.

use super::{Catalog, FileChecker};
use crate::config::is_id;
use crate::diagnostics::{Diagnostic, Pos, codes};
use crate::parse::{Key, Node, NodeKind};
use std::collections::{BTreeSet, HashMap};

/// The reserved front-matter key.
pub const KEY: &str = "aliases_ids";

/// One old id of an entry, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldId {
    pub id: String,
    pub pos: Pos,
}

impl FileChecker<'_> {
    /// Read `aliases_ids: [old-id, …]` (a list, or one id); bad items are diagnostics.
    pub(super) fn old_ids(&mut self, key: &Key, node: &Node) -> Vec<OldId> {
        if self.file.source.lang.is_some() {
            self.error(
                codes::OLD_ID,
                key.pos,
                KEY.len(),
                format!("\"{KEY}\" belongs in the original, not in a translation"),
                format!("move {KEY} to the default-language file of this entry"),
            );
            return Vec::new();
        }
        let items: Vec<&Node> = match &node.kind {
            NodeKind::Null => Vec::new(),
            NodeKind::Seq(items) => items.iter().collect(),
            NodeKind::Scalar { .. } => vec![node],
            NodeKind::Map(_) => vec![node],
        };
        let mut out = Vec::new();
        for item in items {
            match item.as_scalar() {
                Some(id) if is_id(id) => out.push(OldId {
                    id: id.to_string(),
                    pos: item.pos,
                }),
                found => self.error(
                    codes::OLD_ID,
                    item.pos,
                    found.map_or(1, |s| s.chars().count()),
                    format!(
                        "\"{KEY}\" lists old ids, found {}",
                        found.map_or(item.describe().to_string(), |s| format!("\"{s}\""))
                    ),
                    "write the entry's earlier ids, e.g. aliases_ids: [old-id] (lowercase a-z, 0-9 and single hyphens)".into(),
                ),
            }
        }
        out
    }
}

/// An old id that is a live id of the same collection, or that two entries claim.
pub(super) fn check_clashes(catalog: &mut Catalog) {
    let live: HashMap<(&str, &str), &str> = catalog
        .entries
        .iter()
        .map(|e| ((e.collection.as_str(), e.id.as_str()), e.file.as_str()))
        .collect();
    let mut claimed: HashMap<(&str, &str), &str> = HashMap::new();
    let mut found = Vec::new();
    for e in &catalog.entries {
        let mut own = BTreeSet::new();
        for old in &e.aliases_ids {
            let key = (e.collection.as_str(), old.id.as_str());
            let clash = if let Some(file) = live.get(&key) {
                Some((
                    format!(
                        "old id \"{}\" of {}/{} is the id of a live entry ({file})",
                        old.id, e.collection, e.id
                    ),
                    "an old id keeps its URL as a redirect, so no entry may use it: remove it from aliases_ids or rename the other entry".to_string(),
                ))
            } else if catalog
                .broken
                .contains(&(e.collection.clone(), old.id.clone()))
                || catalog
                    .drafts
                    .contains_key(&(e.collection.clone(), old.id.clone()))
            {
                Some((
                    format!(
                        "old id \"{}\" of {}/{} is the id of a live entry",
                        old.id, e.collection, e.id
                    ),
                    "remove it from aliases_ids or rename the other entry".to_string(),
                ))
            } else if let Some(file) = claimed.get(&key).filter(|f| **f != e.file) {
                Some((
                    format!(
                        "old id \"{}\" is claimed by two entries of {}",
                        old.id, e.collection
                    ),
                    format!("{file} lists it too: keep it in one of the two"),
                ))
            } else if !own.insert(old.id.as_str()) {
                Some((
                    format!("old id \"{}\" is listed twice", old.id),
                    "remove the repeat".to_string(),
                ))
            } else {
                None
            };
            claimed.entry(key).or_insert(e.file.as_str());
            if let Some((message, help)) = clash {
                let d = Diagnostic::error(codes::OLD_ID, &e.file, old.pos, message)
                    .with_help(help)
                    .with_source(&e.text, old.id.chars().count());
                found.push(d);
            }
        }
    }
    catalog.diagnostics.append(&mut found);
}

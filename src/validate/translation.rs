//! Facts belong to the original: a translation (`<id>.<lang>.md`) may set only the fields the
//! schema marks translatable (text-like ones unless `translate` says otherwise). A translation
//! that sets another field is an error at its value, with the original's value and position in
//! the help. Translations of drafts left out are left out with them.

use super::{Catalog, Entry};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Pos, codes};
use std::collections::{BTreeSet, HashMap};

/// Report the facts translations set, and unpublish those translations (and the translations of
/// drafts that are left out).
pub(super) fn check(config: &Config, catalog: &mut Catalog) {
    let mut failed = BTreeSet::new();
    {
        let originals: HashMap<(&str, &str), &Entry> = catalog
            .entries
            .iter()
            .chain(catalog.unpublished.iter())
            .filter(|e| e.lang.is_none())
            .map(|e| ((e.collection.as_str(), e.id.as_str()), e))
            .collect();
        let translations = catalog
            .translations
            .iter()
            .chain(catalog.unpublished.iter())
            .filter(|t| t.lang.is_some());
        for t in translations {
            let original = originals
                .get(&(t.collection.as_str(), t.id.as_str()))
                .copied();
            let found = facts(config, t, original);
            if !found.is_empty() {
                failed.insert(t.file.clone());
            }
            catalog.diagnostics.extend(found);
        }
    }
    let drafts = &catalog.drafts;
    let (keep, leave): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut catalog.translations)
        .into_iter()
        .partition(|t| {
            !failed.contains(&t.file) && !drafts.contains_key(&(t.collection.clone(), t.id.clone()))
        });
    catalog.translations = keep;
    catalog.unpublished.extend(leave);
}

/// The errors of translation `t` for each field it sets that is not translatable.
fn facts(config: &Config, t: &Entry, original: Option<&Entry>) -> Vec<Diagnostic> {
    let Some(collection) = config.collection(&t.collection) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, pos) in &t.field_pos {
        let Some(field) = collection.fields.get(*i) else {
            continue;
        };
        let name = &field.name;
        if field.translatable {
            continue;
        }
        let original_file = original.map_or_else(
            || format!("content/{}/{}.md", t.collection, t.id),
            |o| o.file.clone(),
        );
        let in_original = original.and_then(|o| {
            let at = o.field_pos.iter().find(|(n, _)| n == i).map(|(_, p)| *p)?;
            let says = o.field(name).map_or_else(
                || format!("sets {name}"),
                |v| format!("says {name}: {}", v.display()),
            );
            Some((says, at))
        });
        let help = match (in_original, original) {
            (Some((says, at)), Some(o)) => format!(
                "the original {says} ({}:{}:{}), and every language shows the original's value: remove this line here (to change the fact, edit the original)",
                o.file, at.line, at.column
            ),
            (None, Some(o)) => format!(
                "the original {} does not set {name}: set it there, where every language reads it, and remove it here",
                o.file
            ),
            _ => format!(
                "{name} belongs in the original ({original_file}), which every language shows: remove it here"
            ),
        };
        out.push(
            Diagnostic::error(
                codes::NOT_TRANSLATABLE,
                &t.file,
                *pos,
                format!("a translation may not set \"{name}\": it is not a translatable field"),
            )
            .with_help(help)
            .with_source(&t.text, value_width(&t.text, *pos)),
        );
    }
    out
}

/// The characters from `pos` to the end of its line (at least one).
fn value_width(text: &str, pos: Pos) -> usize {
    pos.line
        .checked_sub(1)
        .and_then(|i| text.lines().nth(i))
        .map_or(1, |line| {
            line.chars()
                .skip(pos.column.saturating_sub(1))
                .collect::<String>()
                .trim_end()
                .chars()
                .count()
                .max(1)
        })
}

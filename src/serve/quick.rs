//! `serve`'s quick update: after an edit of one entry file, that entry's pages are rendered again
//! against the last good build and written into the served output at once, before the full
//! rebuild runs. The page a contributor has open therefore shows the edit within milliseconds
//! even on a large site; the full rebuild then updates the pages that show the entry elsewhere
//! (backlinks, mentions, lists) and reports problems.
//!
//! Only a clean edit takes this path: the file must parse and validate without a diagnostic, be
//! an existing entry or translation, and every link and reference in it must resolve. Anything
//! else waits for the full rebuild.

use crate::build::{BuildOptions, SiteState};
use crate::link::Linked;
use crate::render::{self, Options};
use crate::validate::Entry;
use crate::walk::{self, SourceKind};
use crate::{parse, validate, write};
use std::path::Path;

/// Update the pages of the entry in `changed`; the output files written, or `None` when the
/// edit has to wait for the full rebuild.
pub fn update(
    state: &mut SiteState,
    root: &Path,
    changed: &Path,
    options: &BuildOptions,
    output: &Path,
) -> Option<Vec<String>> {
    let source = walk::source_file(root, changed, &state.config)?;
    let SourceKind::Entry { collection, id } = source.kind.clone() else {
        return None;
    };
    let lang = source.lang.clone();
    let parsed = parse::parse_file(source, &state.config.limits).ok()?;
    let mut catalog = validate::validate(
        &state.config,
        crate::parse::Parsed {
            files: vec![parsed],
            ..Default::default()
        },
        options.drafts,
    );
    if !catalog.diagnostics.is_empty() {
        return None;
    }
    let ei = state.linked.entry_index(&collection, &id)?;
    let new = match lang {
        None => catalog.entries.pop()?,
        Some(_) => catalog.translations.pop()?,
    };
    let lang = lang.as_deref();
    let old = std::mem::replace(slot(&mut state.linked, ei, lang)?, new);
    let render_options = Options {
        base_url: options.base_url.clone(),
        live_reload: options.live_reload,
    };
    let files = render::render_entry(
        &state.config,
        &state.linked,
        &state.templates,
        &render_options,
        ei,
        &mut state.prepared,
        &write::InPlace::new(output),
    );
    if files.is_none() {
        // Keep the state as the last good build left it.
        if let Some(slot) = slot(&mut state.linked, ei, lang) {
            *slot = old;
        }
    }
    files
}

/// The record of entry `ei` in `lang` (`None`: the original), when it exists.
fn slot<'l>(linked: &'l mut Linked, ei: usize, lang: Option<&str>) -> Option<&'l mut Entry> {
    match lang {
        None => linked.entries.get_mut(ei),
        Some(code) => {
            let original = linked.entries.get(ei)?;
            let (collection, id) = (original.collection.clone(), original.id.clone());
            linked.translations.iter_mut().find(|t| {
                t.collection == collection && t.id == id && t.lang.as_deref() == Some(code)
            })
        }
    }
}

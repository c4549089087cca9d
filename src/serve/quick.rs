//! `serve`'s quick update: after an edit of one entry file, that entry's pages are rendered again
//! against the last good build and written into the served output at once, before the full
//! rebuild runs. The page a contributor has open therefore shows the edit within milliseconds
//! even on a large site; the full rebuild then updates the pages that show the entry elsewhere
//! (backlinks, mentions, lists) and reports problems.
//!
//! It runs the stages' own entry points on the one file — `parse::parse_file`,
//! `validate::validate`, `link::relink`, `render::render_entry` — so it checks and renders
//! exactly as the build does. Only a clean edit takes this path: the file must parse, validate and
//! link without a diagnostic and be an existing entry or translation. Anything else waits for
//! the full rebuild.

use crate::build::{BuildOptions, SiteState};
use crate::render::{self, Options};
use crate::walk::{self, SourceKind};
use crate::{link, parse, validate, write};
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
    let old = link::relink(&state.config, &mut state.linked, new).ok()?;
    let render_options = Options {
        base_url: options.base_url.clone(),
        live_reload: options.live_reload,
        check_links: false,
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
        link::restore(&mut state.linked, old);
    }
    files
}

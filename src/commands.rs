//! The `refs` and `rename` subcommands: read `collection/id`, ask the reference index or the
//! rename plan, and print the answer. Exit status 0, 1 when the record or the new id is wrong,
//! 2 when `site.toml` cannot be read.

use crate::diagnostics::{self, Format};
use crate::refs::{Index, Via};
use crate::rename;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// `collection/id` → (collection, id).
fn split_target(target: &str) -> Option<(&str, &str)> {
    target
        .split_once('/')
        .filter(|(c, id)| !c.is_empty() && !id.is_empty())
}

fn load(root: &Path) -> Result<Index, ExitCode> {
    Index::load(root).map_err(|d| {
        eprint!("{}", diagnostics::render_all(&d, Format::Human, false));
        ExitCode::from(2)
    })
}

/// `bilat refs <collection>/<id>`: every reference and mention, as `file:line:col` with the
/// field or the sentence.
pub fn refs(root: &Path, target: &str) -> ExitCode {
    let Some((collection, id)) = split_target(target) else {
        eprintln!("error: write the record as <collection>/<id>, e.g. officials/xi-jinping");
        return ExitCode::from(2);
    };
    let index = match load(root) {
        Ok(i) => i,
        Err(code) => return code,
    };
    if index.record_file(collection, id).is_none() {
        let help = crate::suggest::did_you_mean(id, index.ids(collection).map(|(i, _)| i.as_str()))
            .unwrap_or_else(|| "write <collection>/<id> of an existing entry".into());
        eprintln!("error: no entry {collection}/{id}\n  = help: {help}");
        return ExitCode::from(1);
    }
    let found = index.references(collection, id);
    let mut out = std::io::stdout().lock();
    for r in &found {
        let at = format!(
            "{}:{}:{}",
            r.file,
            r.link.span.line + 1,
            r.link.span.start + 1
        );
        let line = match &r.link.via {
            Via::Field(name) => writeln!(out, "{at}: field {name}"),
            Via::Wiki { offset } => {
                let sentence = index.sentence(&r.file, *offset).unwrap_or_default();
                writeln!(out, "{at}: mention: {}", sentence.trim())
            }
        };
        if line.is_err() {
            // The reader went away (e.g. `| head`): nothing more to say.
            return ExitCode::SUCCESS;
        }
    }
    let files: std::collections::BTreeSet<&str> = found.iter().map(|r| r.file.as_str()).collect();
    eprintln!(
        "{} reference{} to {collection}/{id} in {} file{}",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
    );
    ExitCode::SUCCESS
}

/// `bilat rename <collection>/<old> <new>`: move the entry's files, rewrite every reference and
/// wikilink, and keep the old id in `aliases_ids`.
pub fn rename(root: &Path, target: &str, new: &str) -> ExitCode {
    let Some((collection, old)) = split_target(target) else {
        eprintln!("error: write the record as <collection>/<id>, e.g. officials/xi-jinping");
        return ExitCode::from(2);
    };
    let index = match load(root) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let plan = match rename::plan(&index, collection, old, new) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = rename::apply(root, &index, &plan) {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    for (from, to) in &plan.moves {
        println!("moved {from} -> {to}");
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    println!(
        "renamed {collection}/{old} to {collection}/{new}: {} rewritten, {} edited, {} moved; the old id is kept in aliases_ids",
        plural(plan.references, "reference"),
        plural(plan.edits.len(), "file"),
        plural(plan.moves.len(), "file"),
    );
    ExitCode::SUCCESS
}

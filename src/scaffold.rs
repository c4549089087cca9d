//! `bilat new <collection> <id>`: write an entry file with the collection's fields laid out.

use crate::config::{self, Collection, FieldType};
use crate::diagnostics::{self, Format};
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// Create `content/<collection>/<id>.md`. Never overwrites an existing file.
pub fn new_entry(root: &Path, collection: &str, id: &str, title: Option<&str>) -> Result<ExitCode> {
    let config = match config::load(root) {
        Ok(c) => c,
        Err(d) => {
            eprint!("{}", diagnostics::render_all(&d, Format::Human, false));
            return Ok(ExitCode::from(2));
        }
    };
    let Some(c) = config.collection(collection) else {
        let names: Vec<&str> = config.collections.iter().map(|c| c.name.as_str()).collect();
        let hint = config::suggest_help(collection, names.iter().copied())
            .unwrap_or_else(|| format!("collections: {}", names.join(", ")));
        eprintln!("error: unknown collection \"{collection}\"\n  = help: {hint}");
        return Ok(ExitCode::from(2));
    };
    if !config::is_id(id) {
        eprintln!(
            "error: \"{id}\" is not a valid id\n  = help: ids use lowercase a-z, 0-9 and single hyphens, e.g. zardari-china-2025"
        );
        return Ok(ExitCode::from(2));
    }
    let dir = root.join("content").join(collection);
    let path = dir.join(format!("{id}.md"));
    for ext in ["md", "yaml", "yml"] {
        let existing = dir.join(format!("{id}.{ext}"));
        if existing.exists() {
            eprintln!(
                "error: {} already exists\n  = help: pick another id, or edit that file",
                existing.display()
            );
            return Ok(ExitCode::from(1));
        }
    }
    std::fs::create_dir_all(&dir)?;
    std::fs::write(&path, scaffold(c, title.unwrap_or(id)))?;
    println!("created {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The text of a new entry: required fields filled with placeholders, optional ones commented.
pub fn scaffold(c: &Collection, title: &str) -> String {
    let mut out = String::from("---\n");
    for f in &c.fields {
        let required = f.required;
        let value = if f.name == c.title_field {
            yaml_string(title)
        } else {
            placeholder(&f.ty)
        };
        let help = f
            .help
            .as_deref()
            .map(|h| format!("  # {h}"))
            .unwrap_or_default();
        let describe = format!(
            "  # {}{}",
            if required { "required: " } else { "" },
            f.ty.describe()
        );
        let comment = if help.is_empty() { describe } else { help };
        let line = format!("{}: {value}{comment}\n", f.name);
        if required || f.name == c.title_field {
            out.push_str(&line);
        } else {
            out.push_str(&format!("# {line}"));
        }
        if f.ty == FieldType::Sources {
            out.push_str(if required {
                "  - title: \"\"\n    url: \"https://\"\n    publisher: \"\"\n    date: \"\"\n"
            } else {
                "#   - title: \"\"\n#     url: \"https://\"\n"
            });
        }
    }
    // The syntax hints are code spans, so the untouched scaffold has no link or citation to nothing.
    out.push_str("---\n\nWrite the entry here. Link related records with `[[collection/id]]` and cite sources with `[@1]`.\n");
    out
}

fn placeholder(ty: &FieldType) -> String {
    match ty {
        FieldType::Date => "2025-01-01".into(),
        FieldType::Enum(v) => v.first().cloned().unwrap_or_default(),
        FieldType::Bool => "false".into(),
        FieldType::Integer => "0".into(),
        FieldType::List(_) => "[]".into(),
        FieldType::Sources => String::new(),
        FieldType::Object(_) => "{}".into(),
        _ => "\"\"".into(),
    }
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

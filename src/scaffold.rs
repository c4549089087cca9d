//! `bilat new <collection> <id>`: write an entry file with the collection's fields laid out.

use crate::config::{self, Collection, Config, FieldType};
use crate::diagnostics::{Code, Diagnostic, Pos, codes};
use crate::error::{Context as _, Result};
use std::path::{Path, PathBuf};

/// Why `new` wrote nothing: what is wrong, and whether it is bad usage (an unknown collection, an
/// invalid id) rather than a clash with an existing entry.
#[derive(Debug)]
pub struct Refusal {
    pub diagnostic: Diagnostic,
    pub usage: bool,
}

/// Create `content/<collection>/<id>.md` and return its path. Never overwrites an existing file.
pub fn new_entry(
    root: &Path,
    config: &Config,
    collection: &str,
    id: &str,
    title: Option<&str>,
) -> Result<Result<PathBuf, Refusal>> {
    let refuse = |code: Code, file: String, message: String, help: String, usage: bool| {
        let diagnostic = Diagnostic::error(code, file, Pos::default(), message).with_help(help);
        Ok(Err(Refusal { diagnostic, usage }))
    };
    let Some(c) = config.collection(collection) else {
        let names: Vec<&str> = config.collections.iter().map(|c| c.name.as_str()).collect();
        let hint = config::suggest_help(collection, names.iter().copied())
            .unwrap_or_else(|| format!("collections: {}", names.join(", ")));
        let message = format!("unknown collection \"{collection}\"");
        return refuse(
            codes::UNKNOWN_COLLECTION,
            config::FILE.to_string(),
            message,
            hint,
            true,
        );
    };
    let rel = format!("content/{collection}/{id}.md");
    if !config::is_id(id) {
        let message = format!("\"{id}\" is not a valid id");
        let help = "ids use lowercase a-z, 0-9 and single hyphens, e.g. zardari-china-2025";
        return refuse(codes::BAD_ID, rel, message, help.to_string(), true);
    }
    let dir = root.join("content").join(collection);
    for ext in ["md", "yaml", "yml"] {
        if dir.join(format!("{id}.{ext}")).exists() {
            let existing = format!("content/{collection}/{id}.{ext}");
            let message = format!("{existing} already exists");
            return refuse(
                codes::ENTRY_EXISTS,
                existing,
                message,
                "pick another id, or edit that file".into(),
                false,
            );
        }
    }
    let path = dir.join(format!("{id}.md"));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&path, scaffold(c, title.unwrap_or(id)))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Ok(path))
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

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
        let hint = crate::suggest::did_you_mean(collection, names.iter().copied())
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
    std::fs::write(&path, scaffold(c, title.unwrap_or_default()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Ok(path))
}

/// What `bilat new` writes where the contributor still has to write something; `check` warns
/// about it in a published record (see `validate`).
const TODO: &str = "TODO";

/// The text of a new entry: a draft (`draft: true`) that passes `bilat check` as it is, with a
/// comment above each field saying what it takes and whether it is required (`TODO`). Fields are
/// left empty rather than given made-up values, so nothing wrong can slip through: a draft may
/// leave required fields empty, a published record may not. The only placeholders are texts
/// starting with `TODO`, which `check` reports in a published record.
pub fn scaffold(c: &Collection, title: &str) -> String {
    let mut out = format!(
        "---\n# A new {singular}, as a draft: a build leaves it out until you remove the line\n\
         # \"draft: true\". Fill in the fields marked {TODO} (required) and any others that apply;\n\
         # `bilat check` then says what is still missing or left as a placeholder.\n\
         draft: true\n",
        singular = c.singular.to_lowercase()
    );
    for f in &c.fields {
        let filled = f.name == c.title_field && !title.is_empty();
        let mark = match (f.required, filled) {
            (true, false) => format!("{TODO} (required): "),
            (true, true) => "(required) ".to_string(),
            (false, _) => "(optional) ".to_string(),
        };
        out.push_str(&format!("# {mark}{}\n", what(c, f)));
        if filled {
            out.push_str(&format!("{}: {}\n", f.name, yaml_string(title)));
        } else if f.name == c.title_field {
            out.push_str(&format!(
                "{}: \"{TODO}: the {}\"\n",
                f.name,
                f.label.to_lowercase()
            ));
        } else if f.ty == FieldType::Sources {
            out.push_str(&format!(
                "{}:\n  - title: \"{TODO}: the source's title\"\n    url:\n    publisher:\n    date:\n",
                f.name
            ));
        } else {
            out.push_str(&format!("{}:\n", f.name));
        }
    }
    // The syntax hints are code spans, so the untouched scaffold has no link or citation to nothing.
    out.push_str(&format!(
        "---\n\n{TODO}: write the entry here. Link related records with `[[collection/id]]` and cite sources with `[@1]`.\n"
    ));
    out
}

/// What a field takes, for the comment above it: its help, its type, and its rules.
fn what(c: &Collection, f: &config::Field) -> String {
    let ty = match &f.ty {
        FieldType::List(of) => match of.as_ref() {
            FieldType::Object(fields) => {
                let names: Vec<&str> = fields.iter().map(|x| x.name.as_str()).collect();
                format!("a list of items with {}", names.join(", "))
            }
            _ => f.ty.describe(),
        },
        FieldType::Sources => format!("{}; cite them in the text as [@1], [@2]", f.ty.describe()),
        _ => f.ty.describe(),
    };
    let mut text = match &f.help {
        Some(help) => format!("{help}: {ty}"),
        None => ty,
    };
    if let Some(other) = &f.not_before {
        text.push_str(&format!(", not before {other}"));
    }
    if f.name == c.title_field && f.help.is_none() {
        text = format!("the {}: {text}", f.label.to_lowercase());
    }
    text
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

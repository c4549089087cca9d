//! `bilat schema [collection]`: the JSON Schema of entries' front matter, built from site.toml,
//! so editors (e.g. VS Code's YAML extension) can complete and check fields while typing.

use crate::config::{self, Collection, Config, Field, FieldType};
use crate::diagnostics::{Diagnostic, Pos, codes};
use serde_json::{Map, Value, json};

/// The JSON Schema of one collection's front matter, or of all of them under `$defs`.
pub fn schema(config: &Config, collection: Option<&str>) -> Result<Value, Diagnostic> {
    Ok(match collection {
        Some(name) => match config.collection(name) {
            Some(c) => collection_schema(config, c),
            None => {
                let names = config.collections.iter().map(|c| c.name.as_str());
                let help = config::suggest_help(name, names)
                    .unwrap_or_else(|| "run bilat schema without a collection to see all".into());
                let message = format!("unknown collection \"{name}\"");
                return Err(Diagnostic::error(
                    codes::UNKNOWN_COLLECTION,
                    config::FILE,
                    Pos::default(),
                    message,
                )
                .with_help(help));
            }
        },
        None => {
            let defs: Map<String, Value> = config
                .collections
                .iter()
                .map(|c| (c.name.clone(), collection_schema(config, c)))
                .collect();
            json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "title": format!("{} entries", config.title), "$defs": defs})
        }
    })
}

/// The schema of one collection's front matter.
pub fn collection_schema(config: &Config, c: &Collection) -> Value {
    let mut properties = object_properties(config, &c.fields);
    properties.insert(
        "draft".into(),
        json!({"type": "boolean", "description": "Leave the entry out of builds unless --drafts"}),
    );
    properties.insert(
        crate::validate::aliases::KEY.into(),
        json!({"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}, "description": "Earlier ids of the entry; each old URL redirects to the entry"}),
    );
    let required: Vec<&str> = c
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": c.singular,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn object_properties(config: &Config, fields: &[Field]) -> Map<String, Value> {
    fields
        .iter()
        .map(|f| {
            let mut s = type_schema(config, &f.ty);
            if let (Some(help), Some(obj)) = (&f.help, s.as_object_mut()) {
                obj.insert("description".into(), help.clone().into());
            }
            (f.name.clone(), s)
        })
        .collect()
}

fn type_schema(config: &Config, ty: &FieldType) -> Value {
    const DATE: &str = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$";
    match ty {
        FieldType::String => json!({"type": "string"}),
        FieldType::Text => json!({"type": "string", "description": "Markdown"}),
        FieldType::Date => json!({"type": "string", "pattern": DATE}),
        FieldType::Integer => json!({"type": "integer"}),
        FieldType::Bool => json!({"type": "boolean"}),
        FieldType::Url => json!({"type": "string", "format": "uri", "pattern": "^https?://"}),
        FieldType::Enum(values) => json!({"enum": values}),
        FieldType::Party => {
            json!({"enum": config.parties.iter().map(|p| p.code.clone()).collect::<Vec<_>>()})
        }
        FieldType::Ref(c) => {
            json!({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": format!("id of an entry in {c}")})
        }
        FieldType::List(of) => json!({"type": "array", "items": type_schema(config, of)}),
        FieldType::Object(fields) => {
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name.as_str())
                .collect();
            json!({"type": "object", "properties": object_properties(config, fields), "required": required, "additionalProperties": false})
        }
        FieldType::Sources => type_schema(
            config,
            &FieldType::List(Box::new(FieldType::Object(config::source_fields()))),
        ),
    }
}

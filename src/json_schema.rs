//! `bilat schema [collection]`: the JSON Schema of entries' front matter, built from site.toml,
//! so editors (e.g. VS Code's YAML extension) can complete and check fields while typing.
//!
//! Editors read YAML 1.2 (core schema), where `from: 2013` is the integer 2013 and `title: 1984`
//! a number, while bilat keeps every scalar as text until the field's type says what it is. The
//! schema therefore accepts each value in the form a YAML 1.2 parser gives it whenever bilat
//! accepts its text: integers for year-only dates, numbers and booleans for strings, one value
//! where bilat reads a list of one, `null` for an empty optional field. Reference fields list the
//! ids of the collection's entries as they are on disk, so editors complete them.
//!
//! Each collection has two schemas: its entries', and its translations' (`<id>.<lang>.md`), which
//! may set only the text fields. [`markdown`] writes the same information as the field tables of
//! docs/contributing.md.

use crate::config::{self, Collection, Config, Field, FieldType};
use crate::diagnostics::{Diagnostic, Pos, codes};
use crate::walk::{self, SourceKind};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::Path;

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const ID: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
const DATE: &str = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$";

/// The ids of each collection's entries (default-language files, drafts included), sorted.
pub type Ids = BTreeMap<String, Vec<String>>;

/// The ids of the entries under `root`, by collection.
pub fn ids(root: &Path, config: &Config) -> Ids {
    let mut ids = Ids::new();
    for source in walk::walk(root, config).sources {
        if let (SourceKind::Entry { collection, id }, None) = (source.kind, source.lang) {
            ids.entry(collection).or_default().push(id);
        }
    }
    for list in ids.values_mut() {
        list.sort();
        list.dedup();
    }
    ids
}

/// The JSON Schema of one collection's front matter (its translations' with `translation`), or
/// of all of them under `$defs` (`<collection>` and `<collection>.translation`).
pub fn schema(
    config: &Config,
    ids: &Ids,
    collection: Option<&str>,
    translation: bool,
) -> Result<Value, Diagnostic> {
    let one = |c: &Collection| match translation {
        true => translation_schema(config, ids, c),
        false => entry_schema(config, ids, c),
    };
    Ok(match collection {
        Some(name) => one(find(config, name)?),
        None => {
            let mut defs = Map::new();
            for c in &config.collections {
                defs.insert(c.name.clone(), entry_schema(config, ids, c));
                defs.insert(
                    format!("{}.translation", c.name),
                    translation_schema(config, ids, c),
                );
            }
            json!({"$schema": DRAFT, "title": format!("{} entries", config.title), "$defs": defs})
        }
    })
}

/// The collection named `name`, or a diagnostic with the closest name.
fn find<'c>(config: &'c Config, name: &str) -> Result<&'c Collection, Diagnostic> {
    config.collection(name).ok_or_else(|| {
        let names = config.collections.iter().map(|c| c.name.as_str());
        let help = crate::suggest::did_you_mean(name, names)
            .unwrap_or_else(|| "run bilat schema without a collection to see all".into());
        Diagnostic::error(
            codes::UNKNOWN_COLLECTION,
            config::FILE,
            Pos::default(),
            format!("unknown collection \"{name}\""),
        )
        .with_help(help)
    })
}

/// The schema of one collection's front matter, without the ids of referenced entries (any id
/// is accepted): what the fuzz targets check for every `site.toml`.
pub fn collection_schema(config: &Config, c: &Collection) -> Value {
    entry_schema(config, &Ids::new(), c)
}

/// The schema of an entry of `c`.
fn entry_schema(config: &Config, ids: &Ids, c: &Collection) -> Value {
    let mut properties = object_properties(config, ids, &c.fields);
    properties.insert(
        "draft".into(),
        with_description(
            boolean(),
            "Leave the entry out of builds unless --drafts (`bilat new` writes draft: true)",
        ),
    );
    properties.insert(
        crate::validate::aliases::KEY.into(),
        json!({"anyOf": [{"type": "array", "items": {"type": "string", "pattern": ID}}, {"type": "string", "pattern": ID}, {"type": "null"}], "description": "Earlier ids of the entry; each old URL redirects to the entry"}),
    );
    let required: Vec<&str> = c
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    json!({
        "$schema": DRAFT,
        "title": c.singular,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The schema of a translation of an entry of `c`: the text fields only, none required.
fn translation_schema(config: &Config, ids: &Ids, c: &Collection) -> Value {
    let fields: Vec<Field> = c
        .fields
        .iter()
        .filter(|f| f.translatable)
        .map(|f| Field {
            required: false,
            ..f.clone()
        })
        .collect();
    let mut properties = object_properties(config, ids, &fields);
    properties.insert(
        "draft".into(),
        with_description(
            boolean(),
            "Leave the translation out of builds unless --drafts",
        ),
    );
    json!({
        "$schema": DRAFT,
        "title": format!("{} (translation)", c.singular),
        "description": "A translation sets only the translatable fields (text by default, `translate` in site.toml); everything else comes from the original entry",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

fn object_properties(config: &Config, ids: &Ids, fields: &[Field]) -> Map<String, Value> {
    fields
        .iter()
        .map(|f| {
            let mut s = type_schema(config, ids, &f.ty);
            if !f.required {
                s = nullable(s);
            }
            if let Some(help) = &f.help {
                s = with_description(s, help);
            }
            (f.name.clone(), s)
        })
        .collect()
}

fn with_description(mut schema: Value, description: &str) -> Value {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("description".into(), description.into());
    }
    schema
}

/// An empty optional field (`kind:`) is YAML's null, and the same as no field to bilat.
fn nullable(mut schema: Value) -> Value {
    if let Some(Value::Array(alternatives)) = schema.get_mut("anyOf") {
        alternatives.push(json!({"type": "null"}));
        return schema;
    }
    json!({"anyOf": [schema, {"type": "null"}]})
}

/// `true`/`false`, also quoted (bilat reads the text).
fn boolean() -> Value {
    json!({"anyOf": [{"type": "boolean"}, {"enum": ["true", "false"]}]})
}

/// The values of an enum-like field as a YAML 1.2 parser gives them: `"1"` unquoted is the
/// number 1, `"true"` the boolean true.
fn yaml_enum(values: &[String]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in values {
        for value in [Value::String(v.clone()), core_value(v)] {
            if !out.contains(&value) {
                out.push(value);
            }
        }
    }
    out
}

/// What a YAML 1.2 core-schema parser makes of the plain scalar `text`.
fn core_value(text: &str) -> Value {
    match text {
        "null" | "Null" | "NULL" | "~" | "" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits(unsigned)
        && let Ok(i) = text.parse::<i64>()
    {
        return json!(i);
    }
    if let Ok(f) = text.parse::<f64>()
        && f.is_finite()
        && text.bytes().any(|b| b.is_ascii_digit())
        && !text.contains(['i', 'n', 'I', 'N'])
    {
        return json!(f);
    }
    Value::String(text.to_string())
}

fn type_schema(config: &Config, ids: &Ids, ty: &FieldType) -> Value {
    match ty {
        // bilat keeps the text of any scalar; YAML 1.2 makes `1984` a number, `yes` stays text.
        FieldType::String => json!({"type": ["string", "number", "boolean"]}),
        FieldType::Text => {
            json!({"type": ["string", "number", "boolean"], "description": "Markdown"})
        }
        FieldType::Date => json!({"anyOf": [
            {"type": "string", "pattern": DATE},
            {"type": "integer", "minimum": 0, "maximum": 9999, "description": "a year (YYYY)"}
        ]}),
        FieldType::Integer => {
            json!({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[-+]?[0-9]+$"}]})
        }
        FieldType::Bool => boolean(),
        // Not `"format": "uri"`: bilat takes addresses with non-ASCII characters (IRIs) as written.
        FieldType::Url => json!({"type": "string", "pattern": r"^https?://[^/\s]\S*$"}),
        FieldType::Enum(values) => json!({"enum": yaml_enum(values)}),
        FieldType::Party => {
            let codes: Vec<String> = config.parties.iter().map(|p| p.code.clone()).collect();
            json!({"enum": yaml_enum(&codes)})
        }
        FieldType::Ref(c) => ref_schema(ids, c),
        FieldType::List(of) => {
            let item = type_schema(config, ids, of);
            match **of {
                FieldType::Object(_) => json!({"type": "array", "items": item}),
                // One value where a list is expected is read as a list of one.
                _ => json!({"anyOf": [{"type": "array", "items": item.clone()}, item]}),
            }
        }
        FieldType::Object(fields) => {
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name.as_str())
                .collect();
            json!({"type": "object", "properties": object_properties(config, ids, fields), "required": required, "additionalProperties": false})
        }
        FieldType::Sources => json!({
            "type": "array",
            "items": type_schema(config, ids, &FieldType::Object(config::source_fields())),
        }),
    }
}

/// A reference to an entry of `collection`: one of its ids (listed, so editors complete them),
/// also written `collection/id`.
fn ref_schema(ids: &Ids, collection: &str) -> Value {
    let description = format!("id of an entry in {collection}");
    match ids.get(collection).filter(|list| !list.is_empty()) {
        Some(list) => {
            let prefixed = format!("^{collection}/({})$", list.join("|"));
            json!({"anyOf": [
                {"enum": yaml_enum(list)},
                {"type": "string", "pattern": prefixed}
            ], "description": description})
        }
        None => json!({"type": "string", "pattern": ID, "description": description}),
    }
}

/// The fields of every collection as Markdown tables (`bilat schema --format markdown`): what
/// docs/contributing.md shows between its `bilat schema --format markdown` markers.
pub fn markdown(config: &Config) -> String {
    let mut out = String::new();
    for c in &config.collections {
        out.push_str(&format!(
            "### {} (`content/{}/`)\n\n| field | type | required | a translation may set it |\n| --- | --- | --- | --- |\n",
            c.title, c.name
        ));
        for f in &c.fields {
            let help = f.help.as_ref().map_or(String::new(), |h| format!(" — {h}"));
            out.push_str(&format!(
                "| `{}` | {}{} | {} | {} |\n",
                f.name,
                type_words(config, &f.ty).replace('|', "\\|"),
                help.replace('|', "\\|"),
                if f.required { "yes" } else { "" },
                if f.translatable { "yes" } else { "" },
            ));
        }
        out.push('\n');
    }
    out.push_str(
        "`*`: required inside each item. Every entry may also set `draft: true` (left out of builds \
         unless `--drafts`) and `aliases_ids` (earlier ids, whose URLs redirect to the entry).\n",
    );
    out
}

/// A field type in a few words, for the tables of [`markdown`].
fn type_words(config: &Config, ty: &FieldType) -> String {
    let fields = |fields: &[Field]| {
        fields
            .iter()
            .map(|f| format!("{}{}", f.name, if f.required { "*" } else { "" }))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match ty {
        FieldType::String => "text".into(),
        FieldType::Text => "Markdown text".into(),
        FieldType::Date => "date".into(),
        FieldType::Integer => "whole number".into(),
        FieldType::Bool => "true or false".into(),
        FieldType::Url => "web address".into(),
        FieldType::Enum(values) => format!("one of: {}", values.join(", ")),
        FieldType::Party => {
            let codes: Vec<&str> = config.parties.iter().map(|p| p.code.as_str()).collect();
            format!("party code: {}", codes.join(", "))
        }
        FieldType::Ref(c) => format!("id of one of the {c}"),
        FieldType::Sources => format!("sources: {}", fields(&config::source_fields())),
        FieldType::Object(f) => format!("object: {}", fields(f)),
        FieldType::List(of) => match &**of {
            FieldType::String => "list of texts".into(),
            FieldType::Ref(c) => format!("list of ids of {c}"),
            FieldType::Object(f) => format!("list of objects: {}", fields(f)),
            other => format!("list of: {}", type_words(config, other)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/site.toml"),
        )
        .unwrap_or_default();
        config::parse(&text).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn yaml_core_values() {
        assert_eq!(core_value("2013"), json!(2013));
        assert_eq!(core_value("-7"), json!(-7));
        assert_eq!(core_value("1.5"), json!(1.5));
        assert_eq!(core_value("true"), json!(true));
        assert_eq!(core_value("null"), Value::Null);
        assert_eq!(core_value("2013-05"), json!("2013-05"));
        assert_eq!(core_value("state"), json!("state"));
        assert_eq!(core_value("nan"), json!("nan"));
        assert_eq!(core_value("inf"), json!("inf"));
    }

    #[test]
    fn reference_fields_list_the_ids_of_their_collection() {
        let config = config();
        let mut ids = Ids::new();
        ids.insert(
            "officials".into(),
            vec!["amina-khan".into(), "li-wei".into()],
        );
        let visits = config
            .collection("visits")
            .unwrap_or_else(|| panic!("visits"));
        let s = entry_schema(&config, &ids, visits);
        let visitor = &s["properties"]["visitor"];
        assert_eq!(visitor["anyOf"][0]["enum"], json!(["amina-khan", "li-wei"]));
        assert_eq!(
            visitor["anyOf"][1]["pattern"],
            json!("^officials/(amina-khan|li-wei)$")
        );
        let hosts = &s["properties"]["hosts"]["anyOf"][0]["items"];
        assert_eq!(hosts["anyOf"][0]["enum"], json!(["amina-khan", "li-wei"]));
    }

    #[test]
    fn a_translation_may_set_only_text_fields() {
        let config = config();
        let visits = config
            .collection("visits")
            .unwrap_or_else(|| panic!("visits"));
        let s = translation_schema(&config, &Ids::new(), visits);
        let mut names: Vec<&String> = s["properties"]
            .as_object()
            .map(|p| p.keys().collect())
            .unwrap_or_default();
        names.sort();
        assert_eq!(names, ["cities", "draft", "summary", "title"]);
        assert_eq!(s["additionalProperties"], json!(false));
        assert!(s.get("required").is_none());
    }

    #[test]
    fn the_output_is_the_same_every_time() {
        let config = config();
        let ids = ids(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"),
            &config,
        );
        let a = schema(&config, &ids, None, false).map(|v| v.to_string());
        let b = schema(&config, &ids, None, false).map(|v| v.to_string());
        assert_eq!(a, b);
        assert!(a.unwrap_or_default().contains("\"visits.translation\""));
    }

    #[test]
    fn markdown_lists_every_field_with_its_type() {
        let text = markdown(&config());
        assert!(text.contains("### Visits (`content/visits/`)"), "{text}");
        assert!(
            text.contains("| `visitor` | id of one of the officials | yes |  |"),
            "{text}"
        );
        assert!(text.contains("| `title` | text | yes | yes |"), "{text}");
        assert!(
            text.contains("| `hosts` | list of ids of officials |  |  |"),
            "{text}"
        );
    }
}

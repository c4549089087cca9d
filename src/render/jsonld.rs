//! Structured data (schema.org JSON-LD) for entry pages: the page as a `WebPage` in its language,
//! whose `mainEntity` is the record with the properties its schema.org type has — dates as
//! `startDate`/`endDate` on events, `legislationDate` on legislation, `datePublished` on other
//! creative works, none on people and terms — and an event's `location` from its place fields.

use crate::config::{Collection, Config, FieldType};
use crate::validate::{Entry, Value};
use serde_json::{Map, Value as Json, json};

/// The schema.org types bilat treats as creative works (they take `datePublished` and
/// `inLanguage`); `Legislation` is one, with its own date property.
const CREATIVE_WORKS: &[&str] = &[
    "CreativeWork",
    "Article",
    "NewsArticle",
    "Report",
    "ScholarlyArticle",
    "DigitalDocument",
    "Legislation",
    "LegislationObject",
    "Book",
    "Chapter",
    "Dataset",
    "Map",
    "MediaObject",
    "Message",
    "Photograph",
    "Thesis",
    "WebPage",
];

/// Fields whose values name where an event took place, in the order they are tried.
const PLACE_FIELDS: &[&str] = &["location", "venue", "place", "places", "city", "cities"];

/// What the JSON-LD of one entry page is made from.
pub(super) struct Record<'r, 'v> {
    pub config: &'r Config,
    pub collection: &'r Collection,
    pub original: &'r Entry,
    /// A field as the page shows it (the translation's value, else the original's).
    pub field: &'r dyn Fn(&str) -> Option<&'v Value>,
    /// The name of a party in the page's language.
    pub party: &'r dyn Fn(&str) -> String,
    pub title: &'r str,
    pub summary: Option<&'r str>,
    /// The page's absolute URL.
    pub url: String,
    pub lang: &'r str,
}

/// The JSON-LD of an entry page.
pub(super) fn entry(r: &Record<'_, '_>) -> Json {
    let ty = r.collection.schema_type.as_str();
    let mut thing = Map::new();
    thing.insert("@type".into(), json!(ty));
    thing.insert("@id".into(), json!(format!("{}#record", r.url)));
    thing.insert("name".into(), json!(r.title));
    thing.insert("url".into(), json!(r.url));
    if let Some(s) = r.summary {
        thing.insert("description".into(), json!(s));
    }
    let date = r.original.date.map(|d| d.to_string());
    let end = r.original.end_date.map(|d| d.to_string());
    if is_event(ty) {
        thing.insert("startDate".into(), json!(date));
        thing.insert("endDate".into(), json!(end));
        thing.insert("location".into(), location(r));
        thing.insert("inLanguage".into(), json!(r.lang));
    } else if CREATIVE_WORKS.contains(&ty) {
        let key = if ty.starts_with("Legislation") {
            "legislationDate"
        } else {
            "datePublished"
        };
        thing.insert(key.into(), json!(date));
        thing.insert("inLanguage".into(), json!(r.lang));
    }
    thing.retain(|_, v| !v.is_null());
    json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": r.url,
        "name": r.title,
        "inLanguage": r.lang,
        "isPartOf": {"@type": "WebSite", "name": r.config.title, "url": format!("{}/", r.config.base_url)},
        "mainEntity": Json::Object(thing),
    })
}

/// Whether a schema.org type is an event (`Event`, `SportsEvent`, …).
fn is_event(ty: &str) -> bool {
    ty.ends_with("Event")
}

/// Where an event took place: its place fields as `Place`s, inside the country its party field
/// names when it has one; the country alone when there is no place; `null` when neither.
fn location(r: &Record<'_, '_>) -> Json {
    let country = r
        .collection
        .fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Party))
        .find_map(|f| match (r.field)(&f.name) {
            Some(Value::Party(code)) => Some(json!({"@type": "Country", "name": (r.party)(code)})),
            _ => None,
        });
    let names: Vec<String> = PLACE_FIELDS
        .iter()
        .filter_map(|name| (r.field)(name))
        .map(strings)
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    let places: Vec<Json> = names
        .into_iter()
        .map(|name| {
            let mut place = json!({"@type": "Place", "name": name});
            if let (Some(c), Some(obj)) = (&country, place.as_object_mut()) {
                obj.insert("containedInPlace".into(), c.clone());
            }
            place
        })
        .collect();
    match (places.len(), country) {
        (0, Some(c)) => c,
        (0, None) => Json::Null,
        (1, _) => places.into_iter().next().unwrap_or(Json::Null),
        _ => Json::Array(places),
    }
}

/// The plain strings of a string or list-of-strings value.
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Str(s) => vec![s.clone()],
        Value::List(items) => items.iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_the_types_that_end_in_event() {
        assert!(is_event("Event"));
        assert!(is_event("SportsEvent"));
        assert!(!is_event("Legislation"));
        assert!(!CREATIVE_WORKS.contains(&"Person"));
        assert!(!CREATIVE_WORKS.contains(&"DefinedTerm"));
    }

    #[test]
    fn place_names_come_from_strings_and_lists() {
        let v = Value::List(vec![
            Value::Str("Beijing".into()),
            Value::Str("Harbin".into()),
        ]);
        assert_eq!(strings(&v), ["Beijing", "Harbin"]);
        assert!(strings(&Value::Int(3)).is_empty());
    }
}

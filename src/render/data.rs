//! `/data/<collection>.json` and `/data/graph.json`: every record and link as JSON for other
//! tools. Serialized straight from the linked site through borrowing wrappers (no JSON tree is
//! built), keys in alphabetical order.

use crate::validate::{Entry, Source, Value};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// One record of `/data/<collection>.json`.
pub struct Record<'r> {
    pub entry: &'r Entry,
    pub url: &'r str,
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("fields", &Fields(&self.entry.fields))?;
        map.serialize_entry("id", &self.entry.id)?;
        map.serialize_entry("title", &self.entry.title)?;
        map.serialize_entry("url", self.url)?;
        map.end()
    }
}

/// Named values as a JSON object, names sorted.
struct Fields<'r>(&'r [(String, Value)]);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut sorted: Vec<&(String, Value)> = self.0.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        sorted.dedup_by(|a, b| a.0 == b.0);
        let mut map = s.serialize_map(Some(sorted.len()))?;
        for (name, value) in sorted {
            map.serialize_entry(name, &Json(value))?;
        }
        map.end()
    }
}

/// A field value as JSON: references as their id, dates as written.
pub(super) struct Json<'r>(pub &'r Value);

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Str(v) | Value::Url(v) | Value::Enum(v) | Value::Party(v) => s.serialize_str(v),
            Value::Text(md) => s.serialize_str(&md.source),
            Value::Date(d) => s.collect_str(d),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Ref(r) => s.serialize_str(&r.id),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Json(item))?;
                }
                seq.end()
            }
            Value::Object(fields) => Fields(fields).serialize(s),
            Value::Sources(sources) => {
                let mut seq = s.serialize_seq(Some(sources.len()))?;
                for source in sources {
                    seq.serialize_element(&SourceJson(source))?;
                }
                seq.end()
            }
        }
    }
}

struct SourceJson<'r>(&'r Source);

impl Serialize for SourceJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("date", &self.0.date.map(|d| d.to_string()))?;
        map.serialize_entry("publisher", &self.0.publisher)?;
        map.serialize_entry("title", &self.0.title)?;
        map.serialize_entry("url", &self.0.url)?;
        map.end()
    }
}

/// `/data/graph.json`: nodes (every entry) and edges (every link between two entries).
pub struct Graph<'r> {
    pub entries: &'r [Entry],
    pub urls: Vec<&'r str>,
    pub outlinks: &'r [Vec<usize>],
}

impl Serialize for Graph<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("edges", &Edges(self))?;
        map.serialize_entry("nodes", &Nodes(self))?;
        map.end()
    }
}

struct Edges<'g, 'r>(&'g Graph<'r>);
struct Nodes<'g, 'r>(&'g Graph<'r>);

fn key(e: &Entry) -> String {
    format!("{}/{}", e.collection, e.id)
}

impl Serialize for Edges<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        let mut seq = s.serialize_seq(None)?;
        for (a, targets) in g.entries.iter().zip(g.outlinks) {
            for b in targets.iter().filter_map(|to| g.entries.get(*to)) {
                seq.serialize_element(&Edge {
                    source: key(a),
                    target: key(b),
                })?;
            }
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct Edge {
    source: String,
    target: String,
}

impl Serialize for Nodes<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        let mut seq = s.serialize_seq(Some(g.entries.len()))?;
        for (e, url) in g.entries.iter().zip(&g.urls) {
            seq.serialize_element(&Node { entry: e, url })?;
        }
        seq.end()
    }
}

struct Node<'r> {
    entry: &'r Entry,
    url: &'r str,
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("collection", &self.entry.collection)?;
        map.serialize_entry("id", &key(self.entry))?;
        map.serialize_entry("title", &self.entry.title)?;
        map.serialize_entry("url", self.url)?;
        map.end()
    }
}

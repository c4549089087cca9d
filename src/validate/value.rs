//! Typed field values: what a front-matter field is once the schema has checked it.

use super::date::Date;
use crate::diagnostics::Pos;
use crate::markup::Compiled;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    /// Markdown, read once.
    Text(Box<Markdown>),
    Date(Date),
    Int(i64),
    Bool(bool),
    Url(String),
    Enum(String),
    Party(String),
    /// A reference by id, resolved by the link stage.
    Ref(Ref),
    List(Vec<Value>),
    Object(Vec<(String, Value)>),
    Sources(Vec<Source>),
}

/// A Markdown field value: its source and its compiled HTML (see [`crate::markup::read`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Markdown {
    pub source: String,
    /// Where the value starts in its file.
    pub pos: Pos,
    pub html: Compiled,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    pub collection: String,
    pub id: String,
    pub pos: Pos,
}

/// One citation of an entry's `sources`.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<Date>,
}

impl Value {
    /// Every reference inside this value, in order.
    pub fn refs(&self) -> Vec<&Ref> {
        match self {
            Value::Ref(r) => vec![r],
            Value::List(items) => items.iter().flat_map(Value::refs).collect(),
            Value::Object(fields) => fields.iter().flat_map(|(_, v)| v.refs()).collect(),
            _ => Vec::new(),
        }
    }

    /// Every Markdown value inside this value, in order.
    pub fn markdown(&self) -> Vec<&Markdown> {
        match self {
            Value::Text(md) => vec![md],
            Value::List(items) => items.iter().flat_map(Value::markdown).collect(),
            Value::Object(fields) => fields.iter().flat_map(|(_, v)| v.markdown()).collect(),
            _ => Vec::new(),
        }
    }

    /// The value as plain text, when it is a single scalar.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) | Value::Url(s) | Value::Enum(s) | Value::Party(s) => Some(s.clone()),
            Value::Text(md) => Some(md.source.clone()),
            Value::Date(d) => Some(d.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value in a few characters, for messages: `2025-05-19`, `[li-wei, amina-khan]`.
    pub fn display(&self) -> String {
        const MAX: usize = 60;
        match self {
            Value::Ref(r) => r.id.clone(),
            Value::List(items) => {
                let shown: Vec<String> = items.iter().map(Value::display).collect();
                format!("[{}]", shown.join(", "))
            }
            Value::Object(_) => "{…}".into(),
            Value::Sources(s) => {
                format!("{} source{}", s.len(), if s.len() == 1 { "" } else { "s" })
            }
            other => {
                let text = other.as_text().unwrap_or_default();
                match text.char_indices().nth(MAX) {
                    Some((i, _)) => format!("{}…", text.get(..i).unwrap_or_default()),
                    None => text,
                }
            }
        }
    }

    pub fn as_date(&self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }
}

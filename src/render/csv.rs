//! `/data/<collection>.csv`: a collection's records as one table for spreadsheets, beside its
//! JSON. One row per record, columns `id`, `title`, `url`, then the collection's fields in schema
//! order. A list is its items joined by `; `, a reference its id, a date as written, an object
//! or a source list its JSON (as in the `.json` export). RFC 4180: fields quoted when they hold a
//! comma, quote or line break, lines ended by CRLF; a leading UTF-8 byte order mark so that
//! spreadsheets read Urdu and Chinese text as UTF-8.

use crate::config::Collection;
use crate::validate::{Entry, Value};

/// The CSV of `collection`: `rows` are its records with their URLs, in site order.
pub fn table(collection: &Collection, rows: &[(&Entry, &str)]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    // A field named like a fixed column (`title`) is that column.
    let fields: Vec<&str> = collection
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .filter(|n| !["id", "title", "url"].contains(n))
        .collect();
    let mut header = vec!["id", "title", "url"];
    header.extend(&fields);
    line(&mut out, header.iter().map(|h| h.to_string()));
    for (entry, url) in rows {
        let mut cells = vec![entry.id.clone(), entry.title.clone(), url.to_string()];
        cells.extend(
            fields
                .iter()
                .map(|f| entry.field(f).map(cell).unwrap_or_default()),
        );
        line(&mut out, cells.into_iter());
    }
    out.into_bytes()
}

fn line(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if c.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&c.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&c);
        }
    }
    out.push_str("\r\n");
}

/// A value as one cell.
fn cell(v: &Value) -> String {
    match v {
        Value::Ref(r) => r.id.clone(),
        Value::List(items) if items.iter().all(|i| !matches!(i, Value::Object(_))) => {
            items.iter().map(cell).collect::<Vec<_>>().join("; ")
        }
        Value::List(_) | Value::Object(_) | Value::Sources(_) => {
            serde_json::to_string(&super::data::Json(v)).unwrap_or_default()
        }
        other => other.as_text().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting() {
        let mut out = String::new();
        line(
            &mut out,
            [
                "a".to_string(),
                "b, c".into(),
                "say \"hi\"".into(),
                "x\ny".into(),
            ]
            .into_iter(),
        );
        assert_eq!(out, "a,\"b, c\",\"say \"\"hi\"\"\",\"x\ny\"\r\n");
    }

    #[test]
    fn lists_join_and_references_are_ids() {
        let v = Value::List(vec![
            Value::Str("Gwadar".into()),
            Value::Str("گوادر".into()),
        ]);
        assert_eq!(cell(&v), "Gwadar; گوادر");
        assert_eq!(cell(&Value::Int(7)), "7");
    }
}

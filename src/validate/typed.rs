//! The typed value of one field: a string, a date, a reference, a list, an object, the
//! sources... checked against its declared type, with `[checks]` rules on source addresses.

use super::checker::{FileChecker, Within, fields_of};
use super::{Date, Markdown, Ref, Source, Value, rules};
use crate::config::{CheckLevel, Field, FieldType, source_fields};
use crate::diagnostics::{Code, Diagnostic, codes};
use crate::parse::{Node, NodeKind};

impl FileChecker<'_> {
    /// A Markdown value, compiled once for render; `None` (with a diagnostic) when it nests too
    /// deep to render safely.
    fn markdown(
        &mut self,
        node: &Node,
        field: &str,
        width: usize,
        source: String,
    ) -> Option<Value> {
        let max = crate::markup::MAX_NESTING;
        if crate::markup::too_deep(&source, max).is_some() {
            self.error(
                codes::MARKDOWN_TOO_DEEP,
                node.pos,
                width,
                format!("field \"{field}\" nests Markdown deeper than {max} levels"),
                "flatten its nested lists, quotes or HTML elements".into(),
            );
            return None;
        }
        Some(Value::Text(Box::new(Markdown {
            html: crate::markup::compile(&source, self.config.trusted_html),
            source,
            pos: node.pos,
        })))
    }

    /// Check `node` against `ty`; `None` (with a diagnostic) when it does not fit.
    pub(super) fn value(&mut self, ty: &FieldType, node: &Node, field: &str) -> Option<Value> {
        if node.kind == NodeKind::Null {
            // An empty optional field is the same as an absent one.
            return None;
        }
        let width = node
            .as_scalar()
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
        let mismatch = |this: &mut Self, found: &str, help: String| {
            this.mismatch(codes::WRONG_TYPE, node, field, ty, found, help);
        };
        Some(match ty {
            FieldType::String | FieldType::Text => {
                let s = self.scalar(node, field, ty)?.to_string();
                rules::cut_at_comment(self, node, field);
                if !self.draft && rules::is_placeholder(&s) {
                    rules::placeholder(self, node.pos, width, Some(field));
                }
                if *ty == FieldType::String {
                    Value::Str(s)
                } else {
                    self.markdown(node, field, width, s)?
                }
            }
            FieldType::Date => {
                let s = self.scalar(node, field, ty)?;
                match Date::parse(s) {
                    Ok(d) => Value::Date(d),
                    Err(why) => {
                        self.mismatch(codes::BAD_DATE, node, field, ty, &format!("\"{s}\""), why);
                        return None;
                    }
                }
            }
            FieldType::Integer => {
                let s = self.scalar(node, field, ty)?;
                match s.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => {
                        mismatch(
                            self,
                            &format!("\"{s}\""),
                            "write digits only, e.g. 12".into(),
                        );
                        return None;
                    }
                }
            }
            FieldType::Bool => Value::Bool(self.bool_of(node, field)?),
            FieldType::Url => {
                let s = self.scalar(node, field, ty)?;
                if !is_web_url(s) {
                    mismatch(
                        self,
                        &format!("\"{s}\""),
                        "write a full address starting with https:// (or http://)".into(),
                    );
                    return None;
                }
                Value::Url(s.to_string())
            }
            FieldType::Enum(values) => {
                let s = self.scalar(node, field, ty)?;
                if !values.iter().any(|v| v == s) {
                    let help = crate::suggest::did_you_mean(s, values.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("allowed values: {}", values.join(", ")));
                    self.error(
                        codes::BAD_ENUM,
                        node.pos,
                        width,
                        format!("\"{s}\" is not an allowed value of field \"{field}\""),
                        help,
                    );
                    return None;
                }
                Value::Enum(s.to_string())
            }
            FieldType::Party => Value::Party(self.party(node, field, ty, width)?),
            FieldType::Ref(collection) => {
                let s = self.scalar(node, field, ty)?;
                let id = s.strip_prefix(&format!("{collection}/")).unwrap_or(s);
                Value::Ref(Ref {
                    collection: collection.clone(),
                    id: id.to_string(),
                    pos: node.pos,
                })
            }
            FieldType::List(of) => Value::List(self.list(of, node, field, ty)?),
            FieldType::Object(fields) => Value::Object(self.object(fields, node, field)?),
            FieldType::Sources => Value::Sources(self.sources(node, field, ty)?),
        })
    }

    /// A party code declared in `site.toml`.
    fn party(&mut self, node: &Node, field: &str, ty: &FieldType, width: usize) -> Option<String> {
        let s = self.scalar(node, field, ty)?;
        if self.config.party(s).is_none() {
            let codes: Vec<&str> = self
                .config
                .parties
                .iter()
                .map(|p| p.code.as_str())
                .collect();
            self.error(
                codes::BAD_PARTY,
                node.pos,
                width,
                format!("\"{s}\" is not a party code in field \"{field}\""),
                format!(
                    "use one of the codes declared in site.toml: {}",
                    codes.join(", ")
                ),
            );
            return None;
        }
        Some(s.to_string())
    }

    /// A list of values of one type (a single value reads as a list of one).
    fn list(
        &mut self,
        of: &FieldType,
        node: &Node,
        field: &str,
        ty: &FieldType,
    ) -> Option<Vec<Value>> {
        let items: Vec<&Node> = match &node.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            // A single value where a list is expected is read as a list of one.
            NodeKind::Scalar { .. } if !matches!(*of, FieldType::Object(_)) => vec![node],
            _ => {
                self.mismatch(
                    codes::WRONG_TYPE,
                    node,
                    field,
                    ty,
                    node.describe(),
                    format!("write a list: {field}: [a, b] or one \"- item\" per line"),
                );
                return None;
            }
        };
        let before = self.errors();
        let values: Vec<Value> = items
            .into_iter()
            .filter_map(|item| self.value(of, item, field))
            .collect();
        if self.errors() > before {
            return None;
        }
        Some(values)
    }

    /// An entry's citations, each checked against `[checks]`.
    fn sources(&mut self, node: &Node, field: &str, ty: &FieldType) -> Option<Vec<Source>> {
        let NodeKind::Seq(items) = &node.kind else {
            self.mismatch(
                codes::WRONG_TYPE,
                node,
                field,
                ty,
                node.describe(),
                "write one \"- title: ...\" item per source".into(),
            );
            return None;
        };
        let schema = source_fields();
        // The sources are known (and citations can be counted) when every item reads as one;
        // a denied host or a blank title is an error of its own, not a reason to doubt the rest.
        let mut known = true;
        let mut sources = Vec::new();
        for item in items {
            self.check_source_host(item);
            let object = self.object(&schema, item, field);
            known &= object.is_some();
            if let Some(object) = object {
                let get = |name: &str| {
                    object
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                };
                sources.push(Source {
                    title: get("title").and_then(|v| v.as_text()).unwrap_or_default(),
                    url: get("url").and_then(|v| v.as_text()),
                    publisher: get("publisher").and_then(|v| v.as_text()),
                    date: get("date").and_then(|v| v.as_date()),
                });
            }
        }
        known.then_some(sources)
    }

    /// A value of the wrong kind for its field.
    fn mismatch(
        &mut self,
        code: Code,
        node: &Node,
        field: &str,
        ty: &FieldType,
        found: &str,
        help: String,
    ) {
        let width = node
            .as_scalar()
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
        let message = format!("field \"{field}\" expects {}, found {found}", ty.describe());
        self.error(code, node.pos, width, message, help);
    }

    /// `[checks]` rules on a source's address: denied hosts (mirrors, scraped copies) and bare IPs.
    fn check_source_host(&mut self, item: &Node) {
        let rules = &self.config.source_hosts;
        let Some((text, plain, pos)) =
            fields_of(item)
                .iter()
                .find_map(|(key, node)| match &node.kind {
                    NodeKind::Scalar { text, plain } if key.name == "url" => {
                        Some((text, *plain, node.pos))
                    }
                    _ => None,
                })
        else {
            return;
        };
        let Some(host) = url_host(text) else {
            return;
        };
        let width = text.chars().count() + if plain { 0 } else { 2 };
        let help = "cite the original publisher's page instead (or give title, publisher and date without a url when no original address is known)";
        if let Some(denied) = rules
            .denied
            .iter()
            .find(|d| host == **d || host.ends_with(&format!(".{d}")))
        {
            let message = format!(
                "source host \"{host}\" is denied by checks.denied_source_hosts (\"{denied}\")"
            );
            self.error(
                codes::DENIED_SOURCE_HOST,
                pos,
                width,
                message,
                help.to_string(),
            );
        } else if is_ip_address(&host) {
            let message =
                format!("source address uses a bare IP address ({host}) instead of a host name");
            match rules.ip {
                CheckLevel::Off => {}
                CheckLevel::Error => {
                    self.error(codes::IP_SOURCE_HOST, pos, width, message, help.to_string())
                }
                CheckLevel::Warning => {
                    let d = Diagnostic::warning(
                        codes::IP_SOURCE_HOST,
                        &self.file.source.rel,
                        pos,
                        message,
                    )
                    .with_help(help)
                    .with_source(&self.file.text, width);
                    self.diagnostics.push(d);
                }
            }
        }
    }

    fn object(
        &mut self,
        fields: &[Field],
        node: &Node,
        field: &str,
    ) -> Option<Vec<(String, Value)>> {
        let NodeKind::Map(entries) = &node.kind else {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            self.error(
                codes::WRONG_TYPE,
                node.pos,
                1,
                format!(
                    "field \"{field}\" expects items with fields ({}), found {}",
                    names.join(", "),
                    node.describe()
                ),
                format!(
                    "write each item as - {}: ...",
                    names.first().copied().unwrap_or("name")
                ),
            );
            return None;
        };
        let before = self.errors();
        let mut out = Vec::new();
        for (key, value) in entries {
            match fields.iter().find(|f| f.name == key.name) {
                Some(f) => {
                    if let Some(v) = self.value(&f.ty, value, &format!("{field}.{}", f.name)) {
                        out.push((f.name.clone(), v));
                    }
                }
                None => self.unknown_field(
                    key,
                    fields.iter().map(|f| f.name.as_str()),
                    &format!("\"{field}\" items"),
                ),
            }
        }
        for f in fields.iter().filter(|f| f.required) {
            if !out.iter().any(|(n, _)| n == &f.name) && self.errors() == before {
                self.error(
                    codes::MISSING_FIELD,
                    node.pos,
                    1,
                    format!(
                        "an item of \"{field}\" is missing its required field \"{}\"",
                        f.name
                    ),
                    format!("add {}: ... to the item", f.name),
                );
            }
        }
        out.sort_by_key(|(name, _)| fields.iter().position(|f| &f.name == name));
        // The item's values are known even when the rules across them fail (a blank title,
        // dates out of order): what counts them, e.g. citations, still can.
        let checked = self.errors() == before;
        self.check_fields(fields, &out, Within::Item { of: field }, |name| {
            entries
                .iter()
                .find(|(k, _)| k.name == name)
                .map(|(_, v)| v.pos)
        });
        checked.then_some(out)
    }
}

/// The lower-case host of an http(s) URL, without user, port or a leading `www.`.
fn url_host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    Some(
        host.strip_prefix("www.")
            .map_or(host.clone(), str::to_string),
    )
}

fn is_ip_address(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
}

/// An absolute http(s) URL with a host.
pub fn is_web_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !s.chars().any(|c| c.is_whitespace() || c.is_control()))
}

#[cfg(test)]
mod tests {
    use super::{is_ip_address, url_host};

    #[test]
    fn url_host_strips_scheme_user_port_and_www() {
        assert_eq!(
            url_host("https://www.Dawn.com/news/1"),
            Some("dawn.com".into())
        );
        assert_eq!(
            url_host("http://u:p@example.org:8080/x?y#z"),
            Some("example.org".into())
        );
        assert_eq!(
            url_host("http://20.210.105.67/txt/a.html"),
            Some("20.210.105.67".into())
        );
        assert_eq!(
            url_host("http://[2001:db8::1]:80/"),
            Some("2001:db8::1".into())
        );
        assert_eq!(url_host("ftp://example.org/"), None);
    }

    #[test]
    fn ip_hosts_are_recognised() {
        assert!(is_ip_address("20.210.105.67"));
        assert!(is_ip_address("2001:db8::1"));
        assert!(!is_ip_address("dawn.com"));
        assert!(!is_ip_address("1.2.3.example"));
    }
}

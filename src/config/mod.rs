//! Loading `site.toml`: parse it into the raw serde shape, then check it into a [`Config`].
//!
//! Anything wrong here is reported as diagnostics against `site.toml`; the command line exits
//! with status 2 for them, since nothing else can be checked without a valid configuration.

mod raw;
mod schema;

pub use schema::*;

use crate::diagnostics::{Code, Diagnostic, Pos, codes};
use indexmap::IndexMap;
use raw::{RawCollection, RawField, RawSite};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

pub const FILE: &str = "site.toml";

/// The nearest folder, from `start` up to the file system's root, that holds a `site.toml`:
/// the site that a command run in `start` means when no `--root` is given.
pub fn find_site(start: &Path) -> Option<std::path::PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(FILE).is_file())
        .map(Path::to_path_buf)
}

/// Read and check `<root>/site.toml`.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        vec![
            Diagnostic::error(
                codes::SITE_TOML_UNREADABLE,
                FILE,
                Pos::default(),
                format!("cannot read {}: {e}", path.display()),
            )
            .with_help("run bilat in the site's folder (or a folder below it), or pass --root DIR"),
        ]
    })?;
    // The same decoding as content files: the first bad byte's line and column, BOM, CRLF.
    let text = crate::text::decode(FILE, bytes).map_err(|d| vec![d])?;
    let mut config = parse(&text)?;
    // Font folders are written relative to the site.
    for dir in &mut config.cards.font_dirs {
        *dir = root.join(&*dir);
    }
    Ok(config)
}

/// Check the text of a `site.toml`.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawSite = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let help = if message.contains("unknown field") {
            "remove the key or fix its spelling; docs/site-toml.md lists every key"
        } else if message.contains("missing field") {
            "add the key; docs/site-toml.md lists every key"
        } else {
            "fix the TOML syntax at this position"
        };
        vec![
            at(
                codes::SITE_TOML_SYNTAX,
                text,
                span,
                format!("site.toml: {message}"),
            )
            .with_help(help),
        ]
    })?;
    Checker {
        text,
        diagnostics: Vec::new(),
    }
    .check(raw)
}

fn at(code: Code, text: &str, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
    let pos = Pos::of_offset(text, span.start);
    let width = text
        .get(span.clone())
        .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
    Diagnostic::error(code, FILE, pos, message).with_source(text, width)
}

struct Checker<'a> {
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = at(code, self.text, span, message).with_help(help);
        self.diagnostics.push(d);
    }

    fn check(mut self, raw: RawSite) -> Result<Config, Vec<Diagnostic>> {
        let base_url = raw.base_url.get_ref().trim_end_matches('/').to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            self.error(
                codes::BASE_URL,
                raw.base_url.span(),
                format!("base_url \"{base_url}\" is not an absolute http(s) URL"),
                "write it like https://example.org or https://example.org/sub",
            );
        }

        let parties = self.parties(&raw);
        self.theme(&raw);
        let (default_language, languages) = self.languages(&raw);
        let collections = self.collections(&raw, &languages);
        let (orphans, links, source_hosts) = self.checks(&raw);
        let defaults = Limits::default();
        let limits = Limits {
            max_file_bytes: raw.limits.max_file_bytes.unwrap_or(defaults.max_file_bytes),
            max_yaml_depth: raw.limits.max_yaml_depth.unwrap_or(defaults.max_yaml_depth),
            max_yaml_nodes: raw.limits.max_yaml_nodes.unwrap_or(defaults.max_yaml_nodes),
        };

        if !self.diagnostics.is_empty() {
            crate::diagnostics::sort(&mut self.diagnostics);
            return Err(self.diagnostics);
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            base_url,
            default_language,
            languages,
            parties,
            theme: raw.theme.into_inner(),
            trusted_html: raw.trusted_html,
            collections,
            limits,
            orphans,
            links,
            source_hosts,
            cards: Cards {
                enabled: raw.cards.enabled.unwrap_or(true),
                font_dirs: raw
                    .cards
                    .font_dirs
                    .unwrap_or_default()
                    .into_iter()
                    .map(std::path::PathBuf::from)
                    .collect(),
            },
            digest: crate::fingerprint::of(|h| std::hash::Hash::hash(self.text, h)),
        })
    }

    /// The two parties of the relationship, with distinct lowercase codes.
    fn parties(&mut self, raw: &RawSite) -> Vec<Party> {
        let parties: Vec<Party> = raw
            .parties
            .get_ref()
            .iter()
            .map(|p| Party {
                code: p.code.get_ref().clone(),
                name: p.name.clone(),
            })
            .collect();
        if parties.len() != 2 {
            self.error(
                codes::PARTIES,
                raw.parties.span(),
                format!(
                    "a bilateral site names exactly two parties, found {}",
                    parties.len()
                ),
                "declare two [[parties]] tables, each with code and name",
            );
        }
        let raw_parties = raw.parties.get_ref();
        for (i, p) in raw_parties.iter().enumerate() {
            if !is_id(p.code.get_ref()) {
                self.error(
                    codes::PARTIES,
                    p.code.span(),
                    format!("party code \"{}\" is not a lowercase id", p.code.get_ref()),
                    "use a short lowercase code such as \"pk\"",
                );
            }
            if raw_parties
                .iter()
                .take(i)
                .any(|q| q.code.get_ref() == p.code.get_ref())
            {
                self.error(
                    codes::PARTIES,
                    p.code.span(),
                    format!("party code \"{}\" is declared twice", p.code.get_ref()),
                    "give each party its own code",
                );
            }
        }

        parties
    }

    /// The theme must name a folder under `themes/`.
    fn theme(&mut self, raw: &RawSite) {
        // The theme names a folder under themes/: a path such as "../x" would read templates
        // and publish static files from outside the site.
        let theme = raw.theme.get_ref();
        let is_folder_name = !theme.starts_with('.')
            && !theme.is_empty()
            && theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        if !is_folder_name {
            self.error(
                codes::THEME,
                raw.theme.span(),
                format!("theme \"{theme}\" is not the name of a folder under themes/"),
                "write the folder's name only, e.g. theme = \"default\"",
            );
        }
    }

    /// The declared languages, the default first, and the default's code.
    fn languages(&mut self, raw: &RawSite) -> (String, Vec<Language>) {
        let default_language = raw.default_language.get_ref().clone();
        let mut languages = Vec::new();
        for (code, lang) in &raw.languages {
            let rtl = match lang.direction.as_ref().map(|d| d.get_ref().as_str()) {
                None | Some("ltr") => false,
                Some("rtl") => true,
                Some(other) => {
                    let span = lang.direction.as_ref().map_or(0..0, |d| d.span());
                    self.error(
                        codes::LANGUAGES,
                        span,
                        format!("direction \"{other}\" is not ltr or rtl"),
                        "write direction = \"rtl\" for right-to-left scripts, or leave it out",
                    );
                    false
                }
            };
            if !is_id(code) {
                self.error(
                    codes::LANGUAGES,
                    self.find_key(code),
                    format!("language code \"{code}\" is not a lowercase id"),
                    "use a code such as \"en\", \"ur\" or \"zh\"",
                );
            }
            languages.push(Language {
                code: code.clone(),
                name: lang.name.clone(),
                rtl,
                locale: lang
                    .locale
                    .clone()
                    .unwrap_or_else(|| schema::default_locale(code)),
            });
        }
        if languages.is_empty() {
            languages.push(Language {
                code: default_language.clone(),
                name: default_language.clone(),
                rtl: false,
                locale: schema::default_locale(&default_language),
            });
        }
        match languages.iter().position(|l| l.code == default_language) {
            Some(i) => {
                let default = languages.remove(i);
                languages.insert(0, default);
            }
            None => self.error(codes::LANGUAGES, raw.default_language.span(), format!("default_language \"{default_language}\" is not declared under [languages]"), format!("add [languages.{default_language}] with a name, or pick one of the declared codes")),
        }

        (default_language, languages)
    }

    /// The collections in navigation order; none may share a name with a language.
    fn collections(&mut self, raw: &RawSite, languages: &[Language]) -> Vec<Collection> {
        let names: Vec<String> = raw.collections.keys().cloned().collect();
        let mut collections: Vec<(i64, Collection)> = Vec::new();
        for (name, c) in &raw.collections {
            if let Some(collection) = self.collection(name, c, &names) {
                collections.push((c.order, collection));
            }
        }
        collections.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));

        for l in languages {
            if names.contains(&l.code) {
                self.error(codes::LANGUAGES, self.find_key(&l.code), format!("language code \"{}\" is also a collection name; both would be served at /{}/", l.code, l.code), "rename the collection or the language");
            }
        }

        collections.into_iter().map(|(_, c)| c).collect()
    }

    /// The `[checks]` table.
    fn checks(&mut self, raw: &RawSite) -> (CheckLevel, CheckLevel, SourceHostRules) {
        let orphans = self.check_level("orphans", raw.checks.orphans.as_ref(), CheckLevel::Warning);
        let links = self.check_level("links", raw.checks.links.as_ref(), CheckLevel::Error);
        let source_hosts = SourceHostRules {
            denied: raw
                .checks
                .denied_source_hosts
                .iter()
                .flatten()
                .map(|h| {
                    h.get_ref()
                        .trim()
                        .trim_start_matches("www.")
                        .to_ascii_lowercase()
                })
                .filter(|h| !h.is_empty())
                .collect(),
            ip: self.check_level(
                "source_ip_hosts",
                raw.checks.source_ip_hosts.as_ref(),
                CheckLevel::Off,
            ),
        };
        (orphans, links, source_hosts)
    }

    /// A `[checks]` level: "error", "warning" or "off" (`default` when absent).
    fn check_level(
        &mut self,
        key: &str,
        value: Option<&Spanned<String>>,
        default: CheckLevel,
    ) -> CheckLevel {
        match value.map(|v| v.get_ref().as_str()) {
            None => default,
            Some("warning") => CheckLevel::Warning,
            Some("error") => CheckLevel::Error,
            Some("off") => CheckLevel::Off,
            Some(other) => {
                let span = value.map_or(0..0, |v| v.span());
                self.error(
                    codes::CHECK_LEVEL,
                    span,
                    format!("checks.{key} = \"{other}\" is not error, warning or off"),
                    "pick one of error, warning, off",
                );
                default
            }
        }
    }

    /// Best-effort position of a table key such as `[collections.visits]` for messages.
    fn find_key(&self, key: &str) -> Range<usize> {
        for pattern in [format!(".{key}]"), format!(".{key}."), format!("{key} =")] {
            if let Some(i) = self.text.find(&pattern) {
                return i + 1..i + 1 + key.len();
            }
        }
        0..0
    }

    fn collection(
        &mut self,
        name: &str,
        c: &RawCollection,
        names: &[String],
    ) -> Option<Collection> {
        let span = c.title.span();
        if !is_id(name) {
            self.error(
                codes::COLLECTION_NAME,
                self.find_key(name),
                format!("collection name \"{name}\" is not a lowercase id"),
                "use lowercase letters, digits and single hyphens, e.g. \"visits\"",
            );
        }
        if crate::routes::is_reserved(name) {
            self.error(
                codes::COLLECTION_NAME,
                self.find_key(name),
                format!("collection name \"{name}\" clashes with the generated /{name}/"),
                format!(
                    "rename the collection; these names are taken: {}",
                    crate::routes::reserved_names().join(", ")
                ),
            );
        }
        let fields = self.fields(&c.fields, names);
        let pick = |this: &mut Self,
                    key: &Option<Spanned<String>>,
                    what: &str,
                    want_date: bool|
         -> Option<String> {
            let key = key.as_ref()?;
            let field = fields.iter().find(|f| &f.name == key.get_ref());
            match field {
                // Declared with an error of its own, already reported.
                None if c.fields.contains_key(key.get_ref()) => None,
                None => {
                    this.error(
                        codes::COLLECTION_ROLE,
                        key.span(),
                        format!("{what} \"{}\" is not a field of {name}", key.get_ref()),
                        "name one of the fields declared under this collection",
                    );
                    None
                }
                Some(f) if want_date && f.ty != FieldType::Date => {
                    this.error(
                        codes::COLLECTION_ROLE,
                        key.span(),
                        format!("{what} \"{}\" is not a date field", key.get_ref()),
                        "point it at a field with type = \"date\"",
                    );
                    None
                }
                Some(_) => Some(key.get_ref().clone()),
            }
        };
        let title_field = match &c.title_field {
            Some(_) => pick(self, &c.title_field, "title_field", false)?,
            None => {
                if !fields.iter().any(|f| f.name == "title") {
                    self.error(codes::COLLECTION_ROLE, span.clone(), format!("collection {name} has no \"title\" field"), "declare a title field, or set title_field to the field that names an entry");
                    return None;
                }
                "title".to_string()
            }
        };
        let summary_field = pick(self, &c.summary_field, "summary_field", false);
        let date_field = pick(self, &c.date_field, "date_field", true);
        let end_date_field = pick(self, &c.end_date_field, "end_date_field", true);
        Some(Collection {
            name: name.to_string(),
            title: c.title.get_ref().clone(),
            singular: c
                .singular
                .clone()
                .unwrap_or_else(|| c.title.get_ref().clone()),
            title_field,
            summary_field,
            date_field,
            end_date_field,
            schema_type: c
                .schema_type
                .clone()
                .unwrap_or_else(|| "CreativeWork".into()),
            fields,
        })
    }

    fn fields(&mut self, raw: &IndexMap<String, RawField>, names: &[String]) -> Vec<Field> {
        let mut fields = Vec::new();
        for (name, f) in raw {
            if !is_field_name(name) {
                self.error(
                    codes::FIELD_DECLARATION,
                    f.ty.span(),
                    format!(
                        "field name \"{name}\" must be lowercase letters, digits and underscores"
                    ),
                    "rename the field, e.g. date_signed",
                );
            }
            if let Some(ty) = self.field_type(f.ty.get_ref(), f.ty.span(), f, names) {
                let label = f.label.clone().unwrap_or_else(|| humanize(name));
                fields.push(Field {
                    name: name.clone(),
                    translatable: f.translate.unwrap_or_else(|| ty.is_text_like()),
                    ty,
                    required: f.required,
                    label,
                    backlink: f.backlink.clone(),
                    help: f.help.clone(),
                    not_before: f.not_before.as_ref().map(|n| n.get_ref().clone()),
                });
            }
        }
        self.not_before(raw, &fields);
        fields
    }

    /// Each `not_before` of these sibling fields names another date field among them, and is
    /// itself on a date field.
    fn not_before(&mut self, raw: &IndexMap<String, RawField>, fields: &[Field]) {
        for (name, f) in raw {
            let Some(other) = &f.not_before else {
                continue;
            };
            let this = fields.iter().find(|x| &x.name == name);
            let target = fields.iter().find(|x| &x.name == other.get_ref());
            let problem = match (this, target) {
                // The field's own declaration failed, and said so.
                (None, _) => continue,
                (Some(this), _) if this.ty != FieldType::Date => {
                    self.error(
                        codes::NOT_BEFORE_DECLARATION,
                        other.span(),
                        format!("not_before is set on \"{name}\", which is not a date field"),
                        "remove it: not_before compares a date field with an earlier date field",
                    );
                    continue;
                }
                (_, _) if other.get_ref() == name => {
                    format!("field \"{name}\" cannot be not_before itself")
                }
                (_, Some(t)) if t.ty != FieldType::Date => {
                    format!("not_before names \"{}\", which is not a date field", t.name)
                }
                (_, Some(_)) => continue,
                (_, None) => format!(
                    "not_before names \"{}\", which is not a field here",
                    other.get_ref()
                ),
            };
            let dates = fields
                .iter()
                .filter(|x| x.ty == FieldType::Date && &x.name != name)
                .map(|x| x.name.as_str());
            let help =
                crate::suggest::did_you_mean(other.get_ref(), dates.clone()).unwrap_or_else(|| {
                    let list: Vec<&str> = dates.collect();
                    if list.is_empty() {
                        "not_before compares two date fields of the same collection (or object)"
                            .into()
                    } else {
                        format!("name one of the date fields: {}", list.join(", "))
                    }
                });
            self.error(codes::NOT_BEFORE_DECLARATION, other.span(), problem, help);
        }
    }

    /// A field `type` bilat does not know.
    fn unknown_type(&mut self, other: &str, span: Range<usize>) {
        const TYPES: &[&str] = &[
            "string", "text", "date", "integer", "bool", "url", "enum", "ref", "party", "sources",
            "list", "object",
        ];
        let help = crate::suggest::did_you_mean(other, TYPES.iter().copied())
            .unwrap_or_else(|| format!("types: {}", TYPES.join(", ")));
        self.error(
            codes::FIELD_DECLARATION,
            span,
            format!("unknown field type \"{other}\""),
            help,
        );
    }

    fn field_type(
        &mut self,
        ty: &str,
        span: Range<usize>,
        f: &RawField,
        names: &[String],
    ) -> Option<FieldType> {
        Some(match ty {
            "string" => FieldType::String,
            "text" => FieldType::Text,
            "date" => FieldType::Date,
            "integer" => FieldType::Integer,
            "bool" => FieldType::Bool,
            "url" => FieldType::Url,
            "party" => FieldType::Party,
            "sources" => FieldType::Sources,
            "enum" => match &f.values {
                Some(values) if !values.is_empty() => FieldType::Enum(values.clone()),
                _ => {
                    self.error(
                        codes::FIELD_DECLARATION,
                        span,
                        "an enum field needs a non-empty list of values",
                        "add values = [\"a\", \"b\"]",
                    );
                    return None;
                }
            },
            "ref" => match &f.collection {
                Some(c) if names.contains(c.get_ref()) => FieldType::Ref(c.get_ref().clone()),
                Some(c) => {
                    let help =
                        crate::suggest::did_you_mean(c.get_ref(), names.iter().map(String::as_str))
                            .unwrap_or_else(|| {
                                format!("declared collections: {}", names.join(", "))
                            });
                    self.error(
                        codes::FIELD_DECLARATION,
                        c.span(),
                        format!("unknown collection \"{}\" in ref field", c.get_ref()),
                        help,
                    );
                    return None;
                }
                None => {
                    self.error(
                        codes::FIELD_DECLARATION,
                        span,
                        "a ref field needs the collection it points into",
                        "add collection = \"officials\" (or another collection)",
                    );
                    return None;
                }
            },
            "object" => match &f.fields {
                Some(inner) => FieldType::Object(self.fields(inner, names)),
                None => {
                    self.error(
                        codes::FIELD_DECLARATION,
                        span,
                        "an object field needs its fields",
                        "add fields = { name = { type = \"string\" } }",
                    );
                    return None;
                }
            },
            "list" => match &f.of {
                Some(of) if of.get_ref() == "list" => {
                    self.error(
                        codes::FIELD_DECLARATION,
                        of.span(),
                        "a list of lists is not supported",
                        "use a list of objects instead",
                    );
                    return None;
                }
                Some(of) => FieldType::List(Box::new(self.field_type(
                    of.get_ref(),
                    of.span(),
                    f,
                    names,
                )?)),
                None => {
                    self.error(
                        codes::FIELD_DECLARATION,
                        span,
                        "a list field needs the type of its items",
                        "add of = \"string\" (or ref, object, …)",
                    );
                    return None;
                }
            },
            other => {
                self.unknown_type(other, span);
                return None;
            }
        })
    }
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`: the form of ids, collection names and codes.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn is_field_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `date_signed` → `Date signed`.
pub fn humanize(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The smallest valid `site.toml`, for tests of other modules too.
    pub(crate) const MINIMAL: &str = r#"
title = "T"
base_url = "https://example.org/"
[[parties]]
code = "aa"
name = "A"
[[parties]]
code = "bb"
name = "B"
[collections.people]
title = "People"
[collections.people.fields]
title = { type = "string", required = true }
friend = { type = "ref", collection = "people" }
"#;

    #[test]
    fn minimal_site_parses() {
        let config = parse(MINIMAL).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(config.base_url, "https://example.org");
        assert_eq!(config.base_path(), "");
        assert_eq!(config.collections.len(), 1);
        assert_eq!(
            config.collections[0].fields[1].ty,
            FieldType::Ref("people".into())
        );
    }

    #[test]
    fn unknown_key_names_its_line() {
        let text = format!("titel = \"x\"\n{MINIMAL}");
        let errors = parse(&text).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("unknown field"),
            "{:?}",
            errors[0]
        );
        assert_eq!(
            errors[0].line,
            text.lines()
                .position(|l| l.starts_with("titel"))
                .unwrap_or(0)
                + 1
        );
    }

    #[test]
    fn ref_to_unknown_collection_suggests() {
        let text = MINIMAL.replace("collection = \"people\"", "collection = \"peple\"");
        let errors = parse(&text).err().unwrap_or_default();
        assert_eq!(errors[0].help.as_deref(), Some("did you mean \"people\"?"));
    }

    #[test]
    fn base_path_of_sub_folder() {
        let text = MINIMAL.replace("https://example.org/", "https://example.org/sub/");
        let config = parse(&text).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(config.base_path(), "/sub");
    }

    #[test]
    fn ids() {
        assert!(is_id("xi-jinping"));
        assert!(is_id("2025"));
        assert!(!is_id("Xi"));
        assert!(!is_id("a--b"));
        assert!(!is_id("-a"));
        assert!(!is_id("../x"));
        assert!(!is_id(""));
    }

    #[test]
    fn text_fields_are_translatable_unless_translate_says_otherwise() {
        let text = MINIMAL.replace(
            "friend = { type = \"ref\", collection = \"people\" }",
            "friend = { type = \"ref\", collection = \"people\" }\n\
             born = { type = \"date\" }\n\
             names = { type = \"list\", of = \"string\" }\n\
             kind = { type = \"enum\", values = [\"a\"], translate = true }\n\
             motto = { type = \"string\", translate = false }",
        );
        let config = parse(&text).unwrap_or_else(|d| panic!("{d:?}"));
        let people = config.collection("people");
        let translatable = |name: &str| people.and_then(|c| c.field(name)).map(|f| f.translatable);
        assert_eq!(translatable("title"), Some(true));
        assert_eq!(translatable("names"), Some(true));
        assert_eq!(translatable("friend"), Some(false));
        assert_eq!(translatable("born"), Some(false));
        assert_eq!(translatable("kind"), Some(true));
        assert_eq!(translatable("motto"), Some(false));
    }

    #[test]
    fn not_before_names_another_date_field() {
        let with = |fields: &str| {
            MINIMAL.replace(
                "friend = { type = \"ref\", collection = \"people\" }",
                &format!("friend = {{ type = \"ref\", collection = \"people\" }}\n{fields}"),
            )
        };
        let good =
            with("born = { type = \"date\" }\ndied = { type = \"date\", not_before = \"born\" }");
        let config = parse(&good).unwrap_or_else(|d| panic!("{d:?}"));
        let died = config.collection("people").and_then(|c| c.field("died"));
        assert_eq!(died.and_then(|f| f.not_before.as_deref()), Some("born"));
        for (fields, says) in [
            (
                "died = { type = \"date\", not_before = \"bron\" }\nborn = { type = \"date\" }",
                "which is not a field here",
            ),
            (
                "died = { type = \"date\", not_before = \"title\" }",
                "which is not a date field",
            ),
            (
                "died = { type = \"date\", not_before = \"died\" }",
                "cannot be not_before itself",
            ),
            (
                "born = { type = \"date\" }\nnote = { type = \"string\", not_before = \"born\" }",
                "is not a date field",
            ),
        ] {
            let errors = parse(&with(fields)).err().unwrap_or_default();
            assert_eq!(errors.len(), 1, "{fields}: {errors:?}");
            assert!(errors[0].message.contains(says), "{fields}: {errors:?}");
            assert_eq!(errors[0].code, codes::NOT_BEFORE_DECLARATION);
        }
        let typo = parse(&with(
            "died = { type = \"date\", not_before = \"bron\" }\nborn = { type = \"date\" }",
        ))
        .err()
        .unwrap_or_default();
        assert_eq!(typo[0].help.as_deref(), Some("did you mean \"born\"?"));
    }

    #[test]
    fn the_site_is_found_from_a_folder_below_it() {
        let tmp = std::env::temp_dir().join(format!("bilat-find-site-{}", std::process::id()));
        let deep = tmp.join("site/content/visits");
        std::fs::create_dir_all(&deep).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(tmp.join("site").join(FILE), "").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(find_site(&deep), Some(tmp.join("site")));
        assert_eq!(find_site(&tmp.join("site")), Some(tmp.join("site")));
        // Above the site there is none (unless the temporary folder sits in a site).
        assert_ne!(find_site(&tmp), Some(tmp.join("site")));
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn theme_is_a_folder_name_not_a_path() {
        // A theme of "../../x" read templates and published static files from outside the site.
        for bad in ["../../secret", "/etc", "a/b", "..", ".hidden", ""] {
            let text = format!("theme = {bad:?}\n{MINIMAL}");
            let errors = parse(&text).err().unwrap_or_default();
            assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
            assert!(
                errors[0].message.contains("not the name of a folder"),
                "{bad}"
            );
            assert_eq!(errors[0].line, 1, "{bad}");
        }
        for good in ["default", "my_theme", "dark-2.0"] {
            let text = format!("theme = {good:?}\n{MINIMAL}");
            assert!(parse(&text).is_ok(), "{good}");
        }
    }
}

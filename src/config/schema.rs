//! The validated site settings and collection schemas that every later stage reads.

use serde::Serialize;

/// Everything `site.toml` says, checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute base URL without a trailing slash, e.g. `https://example.org/sub`.
    pub base_url: String,
    pub default_language: String,
    /// Declared languages, the default first.
    pub languages: Vec<Language>,
    pub parties: Vec<Party>,
    pub theme: String,
    pub trusted_html: bool,
    /// Collections in navigation order.
    pub collections: Vec<Collection>,
    pub limits: Limits,
    pub orphans: CheckLevel,
    /// A built page's internal link or anchor that leads to nothing (`[checks] links`).
    pub links: CheckLevel,
    pub source_hosts: SourceHostRules,
    /// `[cards]`: the social card image of each entry page.
    pub cards: Cards,
    /// Fingerprint of the `site.toml` text everything above was read from.
    pub digest: u64,
}

impl Config {
    pub fn collection(&self, name: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.name == name)
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn party(&self, code: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.code == code)
    }

    /// The path part of `base_url` (`""` or `/sub`), prefixed to every internal link.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        match self.base_url[after_scheme..].find('/') {
            Some(i) => &self.base_url[after_scheme + i..],
            None => "",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub rtl: bool,
    /// Language and territory, as Open Graph's `og:locale` wants them (`en_US`, `ur_PK`).
    pub locale: String,
}

/// The locale of a language code when `site.toml` names none: `en` → `en_US`, `pt-BR` →
/// `pt_BR`, `fr` → `fr_FR`; the territory is the one most readers of the language live in.
pub fn default_locale(code: &str) -> String {
    if let Some((lang, region)) = code.split_once(['-', '_']) {
        return format!("{}_{}", lang.to_lowercase(), region.to_uppercase());
    }
    let region = match code {
        "en" => "US",
        "ur" => "PK",
        "zh" => "CN",
        "ar" => "AR",
        "fa" => "IR",
        "hi" => "IN",
        "bn" => "BD",
        "ja" => "JP",
        "ko" => "KR",
        "ps" => "AF",
        "sv" => "SE",
        "da" => "DK",
        "el" => "GR",
        "uk" => "UA",
        "he" => "IL",
        "cs" => "CZ",
        "vi" => "VN",
        other => return format!("{}_{}", other.to_lowercase(), other.to_uppercase()),
    };
    format!("{code}_{region}")
}

#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub code: String,
    pub name: String,
}

/// Which source addresses `[checks]` refuses.
#[derive(Debug, Clone, Default)]
pub struct SourceHostRules {
    /// Lower-case host names; a subdomain of one is denied too.
    pub denied: Vec<String>,
    /// What to do with a bare IP address as the host.
    pub ip: CheckLevel,
}

/// How strictly a `[checks]` rule is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CheckLevel {
    #[default]
    Off,
    Warning,
    Error,
}

/// The social card images (`[cards]`): whether to make them, and from which fonts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cards {
    pub enabled: bool,
    /// Folders of font files used instead of the system's fonts (absolute once the site is
    /// loaded from disk; as written in `site.toml` otherwise). Empty: the system's fonts.
    pub font_dirs: Vec<std::path::PathBuf>,
}

impl Default for Cards {
    fn default() -> Self {
        Cards {
            enabled: true,
            font_dirs: Vec::new(),
        }
    }
}

/// Resource limits that keep hostile or accidental input from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_yaml_depth: usize,
    pub max_yaml_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 8 * 1024 * 1024,
            max_yaml_depth: 64,
            max_yaml_nodes: 100_000,
        }
    }
}

/// One collection: its name (the folder under `content/`), titles and typed fields.
#[derive(Debug, Clone)]
pub struct Collection {
    pub name: String,
    pub title: String,
    pub singular: String,
    pub title_field: String,
    pub summary_field: Option<String>,
    pub date_field: Option<String>,
    pub end_date_field: Option<String>,
    pub schema_type: String,
    pub fields: Vec<Field>,
}

impl Collection {
    /// The first field of type `sources`, which `[@n]` citations index into.
    pub fn sources_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.ty == FieldType::Sources)
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    /// How the field is named on the entry's own page.
    pub label: String,
    /// How the reverse of a reference is headed on the target's page.
    pub backlink: Option<String>,
    pub help: Option<String>,
    /// Whether a translation may set it (`translate` in site.toml; by default text-like fields,
    /// see [`FieldType::is_text_like`]).
    pub translatable: bool,
    /// A date field whose value may not be earlier than this other date field's (`not_before`).
    pub not_before: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    String,
    Text,
    Date,
    Integer,
    Bool,
    Url,
    Enum(Vec<String>),
    Ref(String),
    Party,
    Sources,
    List(Box<FieldType>),
    Object(Vec<Field>),
}

impl FieldType {
    /// A short human name for messages: "a date", "a list of references to officials".
    pub fn describe(&self) -> String {
        match self {
            FieldType::String => "a string".into(),
            FieldType::Text => "Markdown text".into(),
            FieldType::Date => "a date (YYYY-MM-DD, YYYY-MM or YYYY)".into(),
            FieldType::Integer => "a whole number".into(),
            FieldType::Bool => "true or false".into(),
            FieldType::Url => "a URL".into(),
            FieldType::Enum(values) => format!("one of {}", values.join(", ")),
            FieldType::Ref(c) => format!("the id of an entry in {c}"),
            FieldType::Party => "a party code".into(),
            FieldType::Sources => "a list of sources ({title, url, publisher, date})".into(),
            FieldType::List(of) => format!("a list of {}", of.describe()),
            FieldType::Object(_) => "a mapping".into(),
        }
    }

    /// Words a translation translates: strings, Markdown text, and lists of them. The default
    /// of `translate`; dates, references, enums, party codes, URLs, numbers and sources are
    /// facts that belong to the original.
    pub fn is_text_like(&self) -> bool {
        match self {
            FieldType::String | FieldType::Text => true,
            FieldType::List(of) => of.is_text_like(),
            _ => false,
        }
    }

    /// The collection this type refers to, directly or as list items.
    pub fn ref_target(&self) -> Option<&str> {
        match self {
            FieldType::Ref(c) => Some(c),
            FieldType::List(of) => of.ref_target(),
            _ => None,
        }
    }
}

/// The fixed schema of one item of a `sources` field.
pub fn source_fields() -> Vec<Field> {
    let f = |name: &str, ty: FieldType, required: bool| Field {
        name: name.into(),
        translatable: ty.is_text_like(),
        ty,
        required,
        label: name.into(),
        backlink: None,
        help: None,
        not_before: None,
    };
    vec![
        f("title", FieldType::String, true),
        f("url", FieldType::Url, false),
        f("publisher", FieldType::String, false),
        f("date", FieldType::Date, false),
    ]
}

#[cfg(test)]
mod tests {
    use super::default_locale;

    #[test]
    fn locales_name_a_territory() {
        assert_eq!(default_locale("en"), "en_US");
        assert_eq!(default_locale("ur"), "ur_PK");
        assert_eq!(default_locale("zh"), "zh_CN");
        assert_eq!(default_locale("fr"), "fr_FR");
        assert_eq!(default_locale("pt-BR"), "pt_BR");
        assert_eq!(default_locale("zh_tw"), "zh_TW");
    }
}

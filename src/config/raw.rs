//! The shape of `site.toml` exactly as written, before any checking beyond TOML syntax.
//!
//! Every table denies unknown keys, so a typo such as `titel = "…"` is an error that names the line.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub base_url: Spanned<String>,
    #[serde(default = "default_language")]
    pub default_language: Spanned<String>,
    #[serde(default = "default_theme")]
    pub theme: Spanned<String>,
    #[serde(default)]
    pub trusted_html: bool,
    pub parties: Spanned<Vec<RawParty>>,
    #[serde(default)]
    pub languages: IndexMap<String, RawLanguage>,
    #[serde(default)]
    pub collections: IndexMap<String, RawCollection>,
    #[serde(default)]
    pub limits: RawLimits,
    #[serde(default)]
    pub checks: RawChecks,
    #[serde(default)]
    pub cards: RawCards,
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en".to_string())
}

fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".to_string())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub code: Spanned<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    pub name: String,
    #[serde(default)]
    pub direction: Option<Spanned<String>>,
    /// The locale for Open Graph (`en_US`); derived from the code when absent.
    #[serde(default)]
    pub locale: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCollection {
    pub title: Spanned<String>,
    pub singular: Option<String>,
    #[serde(default)]
    pub title_field: Option<Spanned<String>>,
    #[serde(default)]
    pub summary_field: Option<Spanned<String>>,
    #[serde(default)]
    pub date_field: Option<Spanned<String>>,
    #[serde(default)]
    pub end_date_field: Option<Spanned<String>>,
    #[serde(default)]
    pub order: i64,
    /// The schema.org type of an entry, for JSON-LD (e.g. "Person", "Event").
    pub schema_type: Option<String>,
    pub fields: IndexMap<String, RawField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    pub label: Option<String>,
    pub backlink: Option<String>,
    pub help: Option<String>,
    pub values: Option<Vec<String>>,
    pub collection: Option<Spanned<String>>,
    pub of: Option<Spanned<String>>,
    pub fields: Option<IndexMap<String, RawField>>,
    /// Whether a translation may set the field (default: text-like fields only).
    pub translate: Option<bool>,
    /// The date field this date field may not be earlier than.
    pub not_before: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    pub max_file_bytes: Option<u64>,
    pub max_yaml_depth: Option<usize>,
    pub max_yaml_nodes: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChecks {
    /// "error", "warning" or "off": what to do with a record nothing links to.
    pub orphans: Option<Spanned<String>>,
    /// "error", "warning" or "off": what to do with a built page's link or anchor that leads to
    /// nothing.
    pub links: Option<Spanned<String>>,
    /// Hosts (and their subdomains) that a source's `url` may not point at: mirrors, scraped copies.
    pub denied_source_hosts: Option<Vec<Spanned<String>>>,
    /// "error", "warning" or "off": what to do with a source `url` whose host is a bare IP address.
    pub source_ip_hosts: Option<Spanned<String>>,
}

/// `[cards]`: the social card image of each entry page.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCards {
    /// Make a card image per entry page (default true).
    pub enabled: Option<bool>,
    /// Folders (relative to the site) whose font files are used instead of the system's fonts.
    pub font_dirs: Option<Vec<String>>,
}

//! The theme's interface strings per language ("Mentioned in", "Sources", …), from
//! `i18n/<lang>.toml` files: the embedded default theme's, then the site theme's, key by key.

use crate::diagnostics::{Diagnostic, Pos, codes};
use std::collections::BTreeMap;

pub type Strings = BTreeMap<String, String>;

/// Parse one `i18n/<lang>.toml` (flat `key = "text"` pairs).
pub fn parse(file: &str, text: &str) -> Result<Strings, Diagnostic> {
    toml::from_str::<Strings>(text).map_err(|e| {
        let pos = Pos::of_offset(text, e.span().map_or(0, |s| s.start));
        Diagnostic::error(
            codes::STRINGS_FILE,
            file,
            pos,
            format!("cannot read the strings file: {}", e.message().trim()),
        )
        .with_help("write one key = \"text\" pair per line")
        .with_source(text, 1)
    })
}

/// Merge `overlay` over `base`.
pub fn merge(base: &mut BTreeMap<String, Strings>, lang: &str, overlay: Strings) {
    base.entry(lang.to_string()).or_default().extend(overlay);
}

//! The theme: Tera templates and static assets of `themes/default`, embedded in the binary, then
//! overridden file by file by `themes/<theme>/` in the site and by the site's own `templates/`.

use super::strings::{self, Strings};
use super::template_errors::{self, Sources};
use crate::diagnostics::{Diagnostic, Pos, codes};
use crate::walk;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, ErrorKind, Tera};

/// The default theme, compiled into the binary (the list is made by `build.rs` from the files
/// in `themes/default/`).
mod default_theme {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// The default theme's templates, compiled into the binary.
const DEFAULT_TEMPLATES: &[(&str, &str)] = default_theme::TEMPLATES;

/// The default theme's static assets (`assets/...`), compiled into the binary.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = default_theme::STATIC;

/// The default theme's interface strings per language, compiled into the binary.
pub const DEFAULT_STRINGS: &[(&str, &str)] = default_theme::STRINGS;

/// Compiled templates plus where each came from, the theme's assets and interface strings.
#[derive(Clone)]
pub struct Templates {
    tera: Tera,
    /// Each template's file and text, for diagnostics.
    sources: std::sync::Arc<Sources>,
    statics: Vec<(String, Vec<u8>)>,
    strings: BTreeMap<String, Strings>,
    /// A fingerprint of every template, asset and string: a page rendered with other templates
    /// is never taken from the cache of earlier builds.
    digest: u64,
}

/// Load the theme. A syntax error is a diagnostic naming the template file and line.
pub fn load(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let sources = template_sources(root, theme, &mut diagnostics);
    let tera = compile(&sources, &mut diagnostics);
    let statics = static_files(root, theme, &mut diagnostics);
    let string_tables = string_tables(root, theme, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let digest = crate::fingerprint::of(|h| {
        use std::hash::Hash;
        sources.hash(h);
        statics.hash(h);
        string_tables.hash(h);
    });
    Ok(Templates {
        tera,
        sources: std::sync::Arc::new(sources),
        statics: statics.into_iter().collect(),
        strings: string_tables,
        digest,
    })
}

/// The default theme's templates, overridden file by file by the site's theme and `templates/`.
fn template_sources(root: &Path, theme: &str, diagnostics: &mut Vec<Diagnostic>) -> Sources {
    let mut sources: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                (format!("themes/default/templates/{name}"), text.to_string()),
            )
        })
        .collect();
    let theme_dir = format!("themes/{theme}/templates");
    for dir in [theme_dir.as_str(), "templates"] {
        for (name, text) in read_dir_files(root, dir, diagnostics) {
            match String::from_utf8(text) {
                Ok(text) => {
                    sources.insert(name.clone(), (format!("{dir}/{name}"), text));
                }
                Err(_) => diagnostics.push(
                    Diagnostic::error(
                        codes::NOT_UTF8,
                        format!("{dir}/{name}"),
                        Pos::default(),
                        "the template is not valid UTF-8",
                    )
                    .with_help("save it as UTF-8"),
                ),
            }
        }
    }
    sources
}

/// Compile every template. Syntax errors are found file by file (so each names its own file);
/// includes and inheritance are then checked with every template present.
fn compile(sources: &Sources, diagnostics: &mut Vec<Diagnostic>) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let mut syntax_ok = true;
    for (name, (_, text)) in sources {
        if let Err(e) = Tera::new().add_raw_template(name, text)
            && matches!(e.kind(), ErrorKind::SyntaxError(_))
        {
            diagnostics.extend(template_errors::compile_diagnostics(
                &e,
                Some(name),
                sources,
            ));
            syntax_ok = false;
        }
    }
    if syntax_ok
        && let Err(e) = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
    {
        let current = match e.kind() {
            ErrorKind::MissingParent { current, .. } => Some(current.as_str()),
            _ => None,
        };
        diagnostics.extend(template_errors::compile_diagnostics(&e, current, sources));
    }
    tera
}

/// The theme's assets: the default theme's, then the site theme's `static/`.
fn static_files(
    root: &Path,
    theme: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<u8>> {
    let mut statics: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect();
    let theme_static = format!("themes/{theme}/static");
    statics.extend(read_dir_files(root, &theme_static, diagnostics));
    statics
}

/// Interface strings per language: the default theme's, the theme's own, then the site's `i18n/`.
fn string_tables(
    root: &Path,
    theme: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Strings> {
    let mut string_tables: BTreeMap<String, Strings> = BTreeMap::new();
    for (lang, text) in DEFAULT_STRINGS {
        match strings::parse(&format!("themes/default/i18n/{lang}.toml"), text) {
            Ok(table) => strings::merge(&mut string_tables, lang, table),
            Err(d) => diagnostics.push(d),
        }
    }
    // The theme's own strings, then the site's `i18n/` (labels of its collections and fields).
    let theme_i18n = format!("themes/{theme}/i18n");
    let string_dirs = [theme_i18n, "i18n".to_string()];
    let mut string_files = Vec::new();
    for dir in &string_dirs {
        for file in read_dir_files(root, dir, diagnostics) {
            string_files.push((dir, file));
        }
    }
    for (dir, (name, bytes)) in string_files {
        let Some(lang) = name.strip_suffix(".toml") else {
            continue;
        };
        let file = format!("{dir}/{name}");
        match strings::parse(&file, &String::from_utf8_lossy(&bytes)) {
            Ok(table) => strings::merge(&mut string_tables, lang, table),
            Err(d) => diagnostics.push(d),
        }
    }
    string_tables
}

/// Files (path relative to `dir` → bytes) below `root/dir`, sorted, as [`walk::files_under`]
/// finds them.
pub fn read_dir_files(
    root: &Path,
    dir: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let abs = root.join(dir);
    if !abs.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (rel, path) in walk::files_under(root, &abs, diagnostics) {
        match std::fs::read(&path) {
            Ok(bytes) => out.push((rel, bytes)),
            Err(e) => diagnostics.push(
                Diagnostic::error(
                    codes::UNREADABLE,
                    format!("{dir}/{rel}"),
                    Pos::default(),
                    format!("cannot read: {e}"),
                )
                .with_help("check the file's permissions"),
            ),
        }
    }
    out
}

impl Templates {
    /// Render `name`; an error becomes a diagnostic against the template's file.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_errors::render_diagnostic(&e, name, &self.sources))
    }

    /// A copy in which every template sees `t`, one language's interface strings, from the
    /// global context: converted for Tera once, not once per page.
    pub fn localized(&self, strings: &Strings) -> Templates {
        let mut copy = self.clone();
        copy.tera.global_context().insert("t", strings);
        copy
    }

    /// Fingerprint of the whole theme (templates, assets, interface strings).
    /// Each template's file and text.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// Theme assets as (output path, bytes).
    pub fn static_files(&self) -> &[(String, Vec<u8>)] {
        &self.statics
    }

    /// Interface strings for `lang`, falling back key by key to English.
    pub fn strings(&self, lang: &str) -> Strings {
        let mut out = self.strings.get("en").cloned().unwrap_or_default();
        if let Some(table) = self.strings.get(lang) {
            out.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }
}

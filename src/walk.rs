//! Stage 1, walk: find the site's source files and say what each one is.
//!
//! Walks `content/` and `static/` in sorted order with walkdir, never following a symbolic link
//! (a link is reported, not read, so nothing outside the root is ever touched), and classifies
//! every file by its place: home page, collection landing text, entry, translation or free page.
//! A name that fits nowhere is a diagnostic, never a silently skipped file.

use crate::config::{Config, is_id};
use crate::diagnostics::{Diagnostic, Pos, codes};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// What a content file is, decided from its path alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    /// `content/_index.md` (or `_index.<lang>.md`).
    Home,
    /// `content/<collection>/_index.md`: the landing text of a collection.
    CollectionIndex { collection: String },
    /// `content/<collection>/<id>.md|yaml|yml`.
    Entry { collection: String, id: String },
    /// `content/pages/<id>.md`: a free page.
    Page { id: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Yaml,
}

/// One content file to parse.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root with forward slashes, as diagnostics print it.
    pub rel: String,
    pub abs: PathBuf,
    pub kind: SourceKind,
    /// `None` for the default language, else the code of `<id>.<lang>.md`.
    pub lang: Option<String>,
    pub format: Format,
}

/// A file under `static/`, copied verbatim.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path relative to the output root.
    pub rel: String,
    pub abs: PathBuf,
}

#[derive(Debug, Default)]
pub struct Walked {
    pub sources: Vec<SourceFile>,
    pub statics: Vec<StaticFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walk `root/content` and `root/static`.
pub fn walk(root: &Path, config: &Config) -> Walked {
    let mut out = Walked::default();
    let content = root.join("content");
    if !content.is_dir() {
        out.diagnostics.push(
            Diagnostic::error(
                codes::NO_CONTENT,
                "content",
                Pos::default(),
                "the site has no content/ folder",
            )
            .with_help("create content/_index.md for the home page and a folder per collection"),
        );
        return out;
    }
    for (rel_under, abs) in files_under(root, &content, &mut out.diagnostics) {
        let rel = format!("content/{rel_under}");
        match classify(&rel_under, config) {
            Ok((kind, lang, format)) => out.sources.push(SourceFile {
                rel,
                abs,
                kind,
                lang,
                format,
            }),
            Err(help) => out.diagnostics.push(
                // The name is the problem, not a place in the text: point at the file's start.
                Diagnostic::error(
                    codes::BAD_FILE_NAME,
                    &rel,
                    Pos::new(1, 1),
                    format!("\"{rel}\" is not a valid content file name"),
                )
                .with_help(help),
            ),
        }
    }
    let statics = root.join("static");
    if statics.is_dir() {
        for (rel, abs) in files_under(root, &statics, &mut out.diagnostics) {
            out.statics.push(StaticFile { rel, abs });
        }
    }
    out
}

/// The content file at `abs` (a path below `root`), when it is one with a valid name. Used by
/// `serve` to handle a single edited file without walking the whole site.
pub fn source_file(root: &Path, abs: &Path, config: &Config) -> Option<SourceFile> {
    let rel = rel_path(root, abs);
    let rel_under = rel.strip_prefix("content/")?;
    let name = rel_under.rsplit('/').next().unwrap_or(rel_under);
    if is_ignored(name) || !std::fs::symlink_metadata(abs).ok()?.is_file() {
        return None;
    }
    let (kind, lang, format) = classify(rel_under, config).ok()?;
    Some(SourceFile {
        rel,
        abs: abs.to_path_buf(),
        kind,
        lang,
        format,
    })
}

/// Regular files below `dir`, sorted, as (path relative to `dir`, absolute path). Symbolic links
/// are refused (they could point outside the site), and hidden files, editor droppings and
/// everything inside hidden folders are skipped. Every walk of a site's folders (content, static
/// files, templates, i18n) goes through here.
pub fn files_under(
    root: &Path,
    dir: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|item| item.depth() == 0 || !is_ignored(&item.file_name().to_string_lossy()));
    for item in walker {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| rel_path(root, p))
                    .unwrap_or_else(|| rel_path(root, dir));
                diagnostics.push(
                    Diagnostic::error(
                        codes::UNREADABLE,
                        rel,
                        Pos::default(),
                        format!("cannot read: {e}"),
                    )
                    .with_help("check the file's permissions"),
                );
                continue;
            }
        };
        let file_type = item.file_type();
        if file_type.is_symlink() {
            diagnostics.push(
                Diagnostic::error(
                    codes::SYMLINK,
                    rel_path(root, item.path()),
                    Pos::default(),
                    "symbolic links are not followed",
                )
                .with_help(
                    "replace the link with the file itself; links could point outside the site",
                ),
            );
        } else if file_type.is_file() {
            match item.path().strip_prefix(dir).ok().and_then(Path::to_str) {
                Some(rel) => files.push((rel.replace('\\', "/"), item.path().to_path_buf())),
                None => diagnostics.push(
                    Diagnostic::error(
                        codes::NON_UTF8_NAME,
                        rel_path(root, item.path()),
                        Pos::default(),
                        "file name is not valid UTF-8",
                    )
                    .with_help("rename the file using UTF-8 characters (ids use a-z, 0-9 and -)"),
                ),
            }
        }
    }
    files
}

/// Editor droppings and hidden files that are never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with("#")
}

fn rel_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Decide what `rel` (relative to `content/`) is, or say how to name it.
pub fn classify(
    rel: &str,
    config: &Config,
) -> Result<(SourceKind, Option<String>, Format), String> {
    let parts: Vec<&str> = rel.split('/').collect();
    let file = parts.last().copied().unwrap_or_default();
    let (stem, ext) = file
        .rsplit_once('.')
        .ok_or("add the extension .md, .yaml or .yml")?;
    let format = match ext {
        "md" => Format::Markdown,
        "yaml" | "yml" => Format::Yaml,
        _ => {
            return Err(format!(
                "content files end in .md, .yaml or .yml, not .{ext}; put other files under static/"
            ));
        }
    };
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((base, lang))
            if config.language(lang).is_some() && lang != config.default_language =>
        {
            (base, Some(lang.to_string()))
        }
        Some((_, lang)) => {
            let codes: Vec<&str> = config
                .languages
                .iter()
                .skip(1)
                .map(|l| l.code.as_str())
                .collect();
            return Err(format!(
                "\"{lang}\" is not a declared translation language (declared: {}); ids may not contain dots",
                codes.join(", ")
            ));
        }
        None => (stem, None),
    };
    match parts.as_slice() {
        [_] if stem == "_index" && format == Format::Markdown => {
            Ok((SourceKind::Home, lang, format))
        }
        [_] => Err(
            "only _index.md lives directly in content/; put entries in a collection folder".into(),
        ),
        [folder, _] if stem == "_index" && format == Format::Markdown => {
            if config.collection(folder).is_some() {
                Ok((
                    SourceKind::CollectionIndex {
                        collection: folder.to_string(),
                    },
                    lang,
                    format,
                ))
            } else {
                Err(unknown_folder(folder, config))
            }
        }
        ["pages", _] => {
            check_id(stem)?;
            if format != Format::Markdown {
                return Err("free pages are Markdown files (.md)".into());
            }
            Ok((
                SourceKind::Page {
                    id: stem.to_string(),
                },
                lang,
                format,
            ))
        }
        [folder, _] => {
            if config.collection(folder).is_none() {
                return Err(unknown_folder(folder, config));
            }
            check_id(stem)?;
            Ok((
                SourceKind::Entry {
                    collection: folder.to_string(),
                    id: stem.to_string(),
                },
                lang,
                format,
            ))
        }
        _ => Err("collections are one level deep: content/<collection>/<id>.md".into()),
    }
}

fn check_id(stem: &str) -> Result<(), String> {
    if is_id(stem) {
        return Ok(());
    }
    let suggestion: String = stem
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let mut help = "ids use lowercase a-z, 0-9 and single hyphens".to_string();
    if is_id(&suggestion) {
        help.push_str(&format!(": rename it to \"{suggestion}\""));
    }
    Err(help)
}

fn unknown_folder(folder: &str, config: &Config) -> String {
    let names: Vec<&str> = config
        .collections
        .iter()
        .map(|c| c.name.as_str())
        .chain(["pages"])
        .collect();
    match crate::suggest::closest(folder, names.iter().copied()) {
        Some(close) => format!(
            "\"{folder}\" is not a collection; {}",
            crate::suggest::phrase(close)
        ),
        None => format!(
            "\"{folder}\" is not a collection declared in site.toml (declared: {})",
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let text = r#"
title = "T"
base_url = "https://example.org"
[[parties]]
code = "aa"
name = "A"
[[parties]]
code = "bb"
name = "B"
[languages.en]
name = "English"
[languages.ur]
name = "Urdu"
direction = "rtl"
[collections.visits]
title = "Visits"
[collections.visits.fields]
title = { type = "string" }
"#;
        crate::config::parse(text).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn hidden_folders_and_droppings_are_skipped_whole() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("bilat-walk-{}", std::process::id()));
        let content = dir.join("content");
        for sub in ["visits", ".git/objects", "visits/.cache"] {
            std::fs::create_dir_all(content.join(sub))?;
        }
        for file in [
            "visits/a.md",
            "visits/a.md~",
            ".git/objects/x.md",
            "visits/.cache/b.md",
        ] {
            std::fs::write(content.join(file), "x")?;
        }
        let mut diagnostics = Vec::new();
        let found: Vec<String> = files_under(&dir, &content, &mut diagnostics)
            .into_iter()
            .map(|(rel, _)| rel)
            .collect();
        std::fs::remove_dir_all(&dir)?;
        assert_eq!(found, ["visits/a.md"]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        Ok(())
    }

    #[test]
    fn classifies_paths() {
        let c = config();
        let entry = |id: &str| SourceKind::Entry {
            collection: "visits".into(),
            id: id.into(),
        };
        assert_eq!(classify("_index.md", &c).map(|k| k.0), Ok(SourceKind::Home));
        assert_eq!(classify("visits/a-b.md", &c).map(|k| k.0), Ok(entry("a-b")));
        assert_eq!(
            classify("visits/a-b.yml", &c).map(|k| (k.0, k.2)),
            Ok((entry("a-b"), Format::Yaml))
        );
        assert_eq!(
            classify("visits/a-b.ur.md", &c).map(|k| k.1),
            Ok(Some("ur".into()))
        );
        assert_eq!(
            classify("pages/about.md", &c).map(|k| k.0),
            Ok(SourceKind::Page { id: "about".into() })
        );
    }

    #[test]
    fn rejects_bad_names_with_help() {
        let c = config();
        assert!(
            classify("visits/Bad Name.md", &c)
                .err()
                .unwrap_or_default()
                .contains("rename it to \"bad-name\"")
        );
        assert!(classify("visits/a.fr.md", &c).is_err());
        assert!(
            classify("visit/a.md", &c)
                .err()
                .unwrap_or_default()
                .contains("did you mean \"visits\"")
        );
        assert!(classify("visits/a.txt", &c).is_err());
        assert!(classify("visits/sub/a.md", &c).is_err());
        assert!(classify("visits/..md", &c).is_err());
    }
}

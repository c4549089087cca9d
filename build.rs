//! Embeds the default theme (`themes/default/`: templates, static assets, interface strings) in
//! the binary: writes `$OUT_DIR/default_theme.rs` listing every file, so a template added to the
//! theme folder is compiled in without naming it anywhere else.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let theme = root.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut out = String::new();
    for (constant, folder, kind) in [
        ("TEMPLATES", "templates", "str"),
        ("STATIC", "static", "bytes"),
        ("STRINGS", "i18n", "str"),
    ] {
        let dir = theme.join(folder);
        let mut files = Vec::new();
        list(&dir, &mut files);
        files.sort();
        let (ty, macro_name) = match kind {
            "str" => ("&str", "include_str"),
            _ => ("&[u8]", "include_bytes"),
        };
        let _ = writeln!(out, "pub const {constant}: &[(&str, {ty})] = &[");
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let rel = file.strip_prefix(&dir).unwrap_or(&file);
            let name = rel.to_string_lossy().replace('\\', "/");
            let name = if folder == "i18n" {
                name.trim_end_matches(".toml").to_string()
            } else {
                name
            };
            let _ = writeln!(
                out,
                "    ({name:?}, {macro_name}!({:?})),",
                file.display().to_string()
            );
        }
        out.push_str("];\n");
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("default_theme.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

/// Every file below `dir`, depth first (folders are watched for new files too).
fn list(dir: &Path, out: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list(&path, out);
        } else {
            out.push(path);
        }
    }
}

//! The architecture, checked: the pipeline's stages import only earlier stages, the foundation
//! modules import no stage, and `anyhow` (for the tool's own failures at the top) appears in
//! `main.rs` alone. Reads `src/` as text; a new module must be placed in the table below.

#![allow(clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Modules any module may use; they use no stage (only each other).
const FOUNDATION: &[&str] = &[
    "diagnostics",
    "error",
    "fingerprint",
    "markup",
    "routes",
    "suggest",
    "text",
];

/// The stages in pipeline order, then what drives them. A module may import only modules of a
/// lower rank (and the foundation).
const RANKS: &[(&str, usize)] = &[
    ("config", 0),
    ("walk", 1),
    ("parse", 2),
    ("validate", 3),
    ("link", 4),
    ("render", 5),
    ("write", 6),
    ("build", 7),
    ("json_schema", 8),
    ("scaffold", 8),
    ("serve", 8),
    ("refs", 8),
    ("rename", 9),
    ("lsp", 10),
    ("commands", 10),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/render/entry.rs` → `render`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The code of a file without `//` comments (doc comments included).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every crate module named after `crate::`, including `use crate::{a, b::c}` groups.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

fn rank(module: &str) -> Option<usize> {
    RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

#[test]
fn stages_import_only_earlier_stages() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(file);
        if module == "main" || module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read a source file");
        let own = rank(&module);
        assert!(
            own.is_some() || FOUNDATION.contains(&module.as_str()),
            "{}: module `{module}` is neither a stage nor foundation; add it to tests/architecture.rs",
            file.display()
        );
        for used in imports(&code(&text)) {
            if used == module || FOUNDATION.contains(&used.as_str()) {
                continue;
            }
            let allowed = match (own, rank(&used)) {
                (Some(me), Some(it)) => it < me,
                _ => false,
            };
            if !allowed {
                wrong.push(format!("{}: `{module}` imports `{used}`", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn anyhow_stays_in_main() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .filter(|f| code(&std::fs::read_to_string(f).expect("read")).contains("anyhow"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "anyhow outside main.rs: {offenders:?}"
    );
}

#[test]
fn the_checker_sees_imports() {
    let found = imports("use crate::{link, parse::x};\nlet a = crate::routes::entry();");
    let names: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(names, ["link", "parse", "routes"]);
    assert_eq!(code("let x = 1; // crate::render"), "let x = 1; ");
}

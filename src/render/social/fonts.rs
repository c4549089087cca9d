//! The fonts of the social cards: the Noto families for the scripts the cards draw, found in the
//! system's font folders (or the site's `[cards] font_dirs`), read once per process and kept in a
//! fixed order, so the same fonts always draw the same card.

use fontdb::{Database, FaceInfo, Source, Style, Weight};
use std::collections::BTreeMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The families a card may use, in the order a letter missing from the text's own family is
/// looked for (Latin first: digits and punctuation in Urdu or Chinese titles).
pub(super) const FAMILIES: &[&str] = &[
    "Noto Sans",
    "Noto Nastaliq Urdu",
    "Noto Naskh Arabic",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
];

/// The family that sets text written in `lang` (a BCP 47 code as in site.toml).
pub(super) fn family_for(lang: &str) -> &'static str {
    let lower = lang.to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    match primary {
        "ur" => "Noto Nastaliq Urdu",
        "ar" | "fa" | "ps" | "sd" | "ug" | "ckb" | "ks" => "Noto Naskh Arabic",
        "zh" if ["hant", "tw", "hk", "mo"]
            .iter()
            .any(|t| lower.split(['-', '_']).any(|p| p == *t)) =>
        {
            "Noto Sans CJK TC"
        }
        "zh" => "Noto Sans CJK SC",
        "ja" => "Noto Sans CJK JP",
        "ko" => "Noto Sans CJK KR",
        _ => "Noto Sans",
    }
}

/// The fonts found, ready for drawing.
pub(crate) struct Fonts {
    pub(super) db: Arc<Database>,
    /// Fingerprint of the font files used (path, face, length, modification time): another set
    /// of fonts draws other cards.
    pub(super) digest: u64,
    /// Where the fonts were looked for, for the warning when one is missing.
    pub(super) searched: String,
}

impl Fonts {
    /// Whether some font has a glyph for `c`.
    pub(super) fn has(&self, c: char) -> bool {
        self.db.faces().any(|face| self.face_has(face.id, c))
    }

    /// The family that draws `c` in text written in `lang`: the language's own when it has the
    /// letter, else the first of [`FAMILIES`] that has it.
    pub(super) fn family_of(&self, c: char, lang: &str) -> &'static str {
        let own = family_for(lang);
        if c.is_whitespace() || self.family_has(own, c) {
            return own;
        }
        FAMILIES
            .iter()
            .copied()
            .find(|f| self.family_has(f, c))
            .unwrap_or(own)
    }

    fn family_has(&self, family: &str, c: char) -> bool {
        self.db
            .faces()
            .filter(|f| is_of(f, family))
            .any(|face| self.face_has(face.id, c))
    }

    /// Whether the face `id` has a glyph for `c` (its character map says so).
    fn face_has(&self, id: fontdb::ID, c: char) -> bool {
        self.db
            .with_face_data(id, |data, index| {
                let font = skrifa::FontRef::from_index(data, index).ok()?;
                skrifa::MetadataProvider::charmap(&font).map(c)
            })
            .flatten()
            .is_some()
    }

    /// Whether one of the faces is of `family`.
    pub(super) fn has_family(&self, family: &str) -> bool {
        self.db.faces().any(|f| is_of(f, family))
    }
}

/// The fonts in `dirs` (the system's font folders when empty), loaded once per process for the
/// same folders: `serve` and the tests build many times.
pub(crate) fn load(dirs: &[PathBuf]) -> Arc<Fonts> {
    static LOADED: Mutex<BTreeMap<Vec<PathBuf>, Arc<Fonts>>> = Mutex::new(BTreeMap::new());
    let mut loaded = LOADED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(fonts) = loaded.get(dirs) {
        return Arc::clone(fonts);
    }
    let fonts = Arc::new(find(dirs));
    loaded.insert(dirs.to_vec(), Arc::clone(&fonts));
    fonts
}

/// The system's font folders (Linux, BSD, macOS), in a fixed order.
fn system_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs
}

/// Every font file under `dirs`, sorted by path.
fn font_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(d).follow_links(true).max_depth(8))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str())
            })
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

fn is_of(face: &FaceInfo, family: &str) -> bool {
    face.families.iter().any(|(name, _)| name == family)
}

/// Find the card families in `dirs`: regular and bold upright faces of each, in [`FAMILIES`]
/// order, their files read into memory (a CJK collection is used for one face, not mapped).
fn find(dirs: &[PathBuf]) -> Fonts {
    let searched_dirs = if dirs.is_empty() {
        system_dirs()
    } else {
        dirs.to_vec()
    };
    let mut all = Database::new();
    for file in font_files(&searched_dirs) {
        // A file that is no font (or a broken one) is not one of ours.
        let _ = all.load_font_file(&file);
    }
    let mut chosen: Vec<(usize, u16, PathBuf, u32, &FaceInfo)> = all
        .faces()
        .filter(|f| f.style == Style::Normal && [Weight::NORMAL, Weight::BOLD].contains(&f.weight))
        .filter_map(|f| {
            let rank = FAMILIES.iter().position(|fam| is_of(f, fam))?;
            let path = source_path(&f.source)?;
            Some((rank, f.weight.0, path, f.index, f))
        })
        .collect();
    chosen.sort_by(|a, b| (a.0, a.1, &a.2, a.3).cmp(&(b.0, b.1, &b.2, b.3)));
    // One face per family and weight: the first file found.
    chosen.dedup_by(|a, b| (a.0, a.1) == (b.0, b.1));

    let mut db = Database::new();
    let mut data: BTreeMap<PathBuf, Arc<Vec<u8>>> = BTreeMap::new();
    let mut used = Vec::new();
    for (_, _, path, index, face) in chosen {
        let bytes = match data.get(&path) {
            Some(b) => Arc::clone(b),
            None => match std::fs::read(&path) {
                Ok(b) => {
                    let b = Arc::new(b);
                    data.insert(path.clone(), Arc::clone(&b));
                    b
                }
                Err(_) => continue,
            },
        };
        used.push((path.clone(), index, bytes.len(), modified(&path)));
        db.push_face_info(FaceInfo {
            source: Source::Binary(bytes),
            ..face.clone()
        });
    }
    Fonts {
        db: Arc::new(db),
        digest: crate::fingerprint::of(|h| used.hash(h)),
        searched: searched_dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn source_path(source: &Source) -> Option<PathBuf> {
    match source {
        Source::File(p) | Source::SharedFile(p, _) => Some(p.clone()),
        Source::Binary(_) => None,
    }
}

fn modified(path: &Path) -> u128 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_family() {
        assert_eq!(family_for("en"), "Noto Sans");
        assert_eq!(family_for("ur"), "Noto Nastaliq Urdu");
        assert_eq!(family_for("ar"), "Noto Naskh Arabic");
        assert_eq!(family_for("zh"), "Noto Sans CJK SC");
        assert_eq!(family_for("zh-Hant"), "Noto Sans CJK TC");
        assert_eq!(family_for("zh_TW"), "Noto Sans CJK TC");
        assert_eq!(family_for("fr"), "Noto Sans");
        assert!(family_for("ja").ends_with("JP"));
    }

    #[test]
    fn an_empty_folder_has_no_fonts() {
        let dir = std::env::temp_dir().join(format!("bilat-no-fonts-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let fonts = find(std::slice::from_ref(&dir));
        assert!(!fonts.has('a'));
        assert!(!fonts.has_family("Noto Sans"));
        assert!(fonts.searched.contains("bilat-no-fonts"));
        let _ = std::fs::remove_dir(&dir);
    }
}

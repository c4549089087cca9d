//! The page cache: what each entry page of the last build was made from, so the next build into
//! the same output renders only the pages whose inputs changed and keeps the others' files.
//!
//! A page's inputs are split in two fingerprints. `own` covers what the page reads directly: the
//! theme, `site.toml`, the build options, the entry's source files (original and translation),
//! its backlinks, its mentions with their sentences, and every free page's title. `deps` lists
//! the other entries whose card (title, URL, kind, date, summary) the page showed — link targets
//! in its text and fields, backlinks, mentions — and `deps_fp` their cards' fingerprint at the
//! time. The page is taken from the old output only when both match and the old file is still
//! there with the recorded length. The cache also names the bilat executable that wrote it (size
//! and modification time), so a bilat built from changed code renders everything again. The cache
//! lives beside the output (`.<output>.bilat-cache`, never published with the site): the write
//! stage removes the old one before it swaps the new output in and puts the new one in place
//! after, so it never describes another output.
//!
//! The file is binary ([postcard](https://docs.rs/postcard), a compact serde format) and small:
//! per page its fingerprints, the keys of the cards it shows and its length; a page's search
//! record is kept as a fingerprint only (the record itself is in the output's search files). Per
//! language the search index's fingerprint and files, so an index whose records did not change
//! is kept whole.

use crate::fingerprint::Fingerprinter;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::Hash;

/// Bumped whenever what a fingerprint covers changes.
const FORMAT: u32 = 6;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// bilat's version and the cache format: another bilat never trusts this cache.
    pub(crate) version: String,
    pub(crate) pages: BTreeMap<String, CachedPage>,
    /// Per language code, what its search index was made from and its files.
    pub(crate) indexes: BTreeMap<String, IndexCache>,
    /// When the link check of this output found nothing: the fingerprint of its set of files
    /// (an output that is this one byte for byte needs no check).
    pub(crate) links_clean: Option<u64>,
}

/// A language's search index as the page cache keeps it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct IndexCache {
    /// Fingerprint of the records it lists (their pages and record fingerprints, in order).
    pub fp: u64,
    /// Its files and their lengths.
    pub files: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct CachedPage {
    pub own: u64,
    /// Keys (`collection/id`) of the entries whose cards the page shows.
    pub deps: Vec<String>,
    pub deps_fp: u64,
    /// Length of the page's file.
    pub len: u64,
    /// Fingerprint of the page's record in the search index.
    pub search: Option<u64>,
    /// The page's social card image, when it has one (absent with cards off).
    pub card: Option<CardRecord>,
}

/// A social card image: the fingerprint of what it shows (and the fonts), and its length.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct CardRecord {
    pub fp: u64,
    pub len: u64,
}

impl Cache {
    /// bilat's version, the cache format and this executable's size and modification time: a
    /// bilat built from other code (even with the same version number) never trusts this cache.
    fn version() -> String {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}-{modified}", m.len())
            })
            // Without its own identity the executable cannot know the cache is its own.
            .unwrap_or_else(|_| format!("unknown-{}", std::process::id()));
        format!(
            "bilat {} cache {FORMAT} exe {exe}",
            env!("CARGO_PKG_VERSION")
        )
    }

    /// The cache in `file` (beside the output); empty when there is none (or it is unusable).
    pub fn read(file: &std::path::Path) -> Cache {
        let is_file = std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_file());
        Cache::parse(
            is_file
                .then(|| std::fs::read(file).ok())
                .flatten()
                .as_deref(),
        )
    }

    /// Parse the previous build's cache; anything unreadable or from another version is empty.
    pub fn parse(bytes: Option<&[u8]>) -> Cache {
        bytes
            .and_then(|b| postcard::from_bytes::<Cache>(b).ok())
            .filter(|c| c.version == Self::version())
            .unwrap_or_default()
    }

    /// The cache file describing `pages` and the search `indexes`.
    pub(crate) fn bytes_of(
        pages: &BTreeMap<String, CachedPage>,
        indexes: &BTreeMap<String, IndexCache>,
        links_clean: Option<u64>,
    ) -> Vec<u8> {
        #[derive(Serialize)]
        struct Borrowed<'p> {
            version: String,
            pages: &'p BTreeMap<String, CachedPage>,
            indexes: &'p BTreeMap<String, IndexCache>,
            links_clean: Option<u64>,
        }
        postcard::to_stdvec(&Borrowed {
            version: Self::version(),
            pages,
            indexes,
            links_clean,
        })
        .unwrap_or_default()
    }
}

/// A 64-bit fingerprint of whatever `feed` hashes.
pub fn fingerprint(feed: impl FnOnce(&mut Fingerprinter)) -> u64 {
    crate::fingerprint::of(|h| {
        FORMAT.hash(h);
        feed(h);
    })
}

/// Fingerprint of everything an entry page of one language reads besides its own entry and other
/// entries' cards: site.toml and the base URL in force, the theme, live reload, the language, and
/// every free page's title.
pub fn lang_fingerprint(
    config: &crate::config::Config,
    linked: &crate::link::Linked,
    templates: &super::Templates,
    live_reload: bool,
    lang: &str,
) -> u64 {
    fingerprint(|h| {
        (config.digest, &config.base_url).hash(h);
        templates.digest().hash(h);
        live_reload.hash(h);
        lang.hash(h);
        for d in &linked.docs {
            (&d.file, &d.kind, &d.lang, &d.title).hash(h);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_other_versions() {
        let mut pages = BTreeMap::new();
        pages.insert(
            "a/b/index.html".to_string(),
            CachedPage {
                own: 1,
                deps: vec!["officials/x".into()],
                deps_fp: 2,
                len: 3,
                search: None,
                card: Some(CardRecord { fp: 4, len: 5 }),
            },
        );
        let mut indexes = BTreeMap::new();
        indexes.insert(
            "en".to_string(),
            IndexCache {
                fp: 7,
                files: vec![("search/index.json".into(), 99)],
            },
        );
        let bytes = Cache::bytes_of(&pages, &indexes, Some(11));
        let read = Cache::parse(Some(&bytes));
        assert_eq!(
            (read.pages, read.indexes, read.links_clean),
            (pages, indexes, Some(11))
        );
        let version = Cache::version();
        let other = version.replace(&format!("cache {FORMAT} exe"), "cache 0 exe");
        let mut stale = bytes.clone();
        if let Some(at) = stale
            .windows(version.len())
            .position(|w| w == version.as_bytes())
        {
            stale.splice(at..at + version.len(), other.bytes());
        }
        assert!(Cache::parse(Some(&stale)).pages.is_empty());
        assert!(Cache::parse(Some(b"\x05not a cache")).pages.is_empty());
        assert!(Cache::parse(None).pages.is_empty());
    }

    #[test]
    fn fingerprints_differ_with_input() {
        assert_eq!(fingerprint(|h| "a".hash(h)), fingerprint(|h| "a".hash(h)));
        assert_ne!(fingerprint(|h| "a".hash(h)), fingerprint(|h| "b".hash(h)));
    }
}

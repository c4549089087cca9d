//! Stage 6, write: put the rendered files on disk without ever leaving a half-written site.
//!
//! A build fills a staging folder beside the output while it renders ([`Staging`] is the render
//! stage's [`Sink`]), and [`Staging::commit`] then swaps it with the old output in one atomic
//! `renameat2(RENAME_EXCHANGE)` (or two renames where the filesystem lacks it). A failed or killed
//! build therefore leaves the previous output as it was; staging folders left by a killed build are
//! removed by the next one.
//!
//! A file whose bytes equal the old output's is not written again: the staging folder gets a hard
//! link to the old file, so unchanged pages keep their inode and modification time, and an
//! unchanged rebuild writes nothing but the folders.

use crate::error::{Context as _, Error, Result};
use crate::render::Sink;
use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// What a committed build put in the output.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    /// Files in the new output.
    pub files: u64,
    /// Files whose bytes were written (new or changed).
    pub written: u64,
    /// Files kept from the old output (hard links to unchanged bytes).
    pub kept: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// The paths (relative to the output) whose bytes a committed build wrote, sorted.
pub type WrittenPaths = Vec<String>;

/// A new output being filled beside the old one.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    /// The current output, when there is one to compare with and keep files from.
    old: Option<PathBuf>,
    dirs: Mutex<HashSet<PathBuf>>,
    files: AtomicU64,
    written: AtomicU64,
    kept: AtomicU64,
    bytes: AtomicU64,
    written_paths: Mutex<WrittenPaths>,
    committed: bool,
    /// Where the page cache of this build waits (beside the output) until the commit, and where
    /// it then goes.
    cache_next: PathBuf,
    cache: PathBuf,
    /// An exclusive lock on `.<output>.bilat-lock` beside the output, held until the build ends:
    /// a second build into the same output waits for this one instead of removing its files.
    _lock: std::fs::File,
}

impl Staging {
    /// Create the staging folder for `output` (removing any left by killed builds). Waits while
    /// another build writes into the same output.
    pub fn begin(output: &Path) -> Result<Staging> {
        let (parent, name) = split(output)?;
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let lock = lock_output(&parent, &name)?;
        remove_stale(&parent, &name);
        let staging = parent.join(format!(".{name}.bilat-staging-{}", std::process::id()));
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        let output = parent.join(&name);
        let old = output.is_dir().then(|| output.clone());
        let cache_next = parent.join(format!(
            ".{name}.bilat-staging-{}.cache.json",
            std::process::id()
        ));
        Ok(Staging {
            cache: cache_path(&parent, &name),
            cache_next,
            output,
            staging,
            old,
            dirs: Mutex::new(HashSet::new()),
            files: AtomicU64::new(0),
            written: AtomicU64::new(0),
            kept: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            written_paths: Mutex::new(Vec::new()),
            committed: false,
            _lock: lock,
        })
    }

    /// Make the staging folder the output; the old output is then removed. Also returns the
    /// paths whose bytes changed.
    pub fn commit(mut self) -> Result<(WriteReport, WrittenPaths)> {
        // The old cache goes before the old output does and the new one comes after the new
        // output is in place: a build killed in between leaves no cache (the next build renders
        // every page), never a cache of another output.
        match std::fs::remove_file(&self.cache) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot remove {}", self.cache.display()));
            }
        }
        swap(&self.staging, &self.output)?;
        self.committed = true;
        if self.cache_next.exists() {
            std::fs::rename(&self.cache_next, &self.cache)
                .with_context(|| format!("cannot write {}", self.cache.display()))?;
        }
        // After the swap `staging` holds the old output.
        remove_tree(&self.staging);
        let mut paths = self
            .written_paths
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        paths.sort();
        let report = WriteReport {
            files: self.files.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            kept: self.kept.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        };
        Ok((report, paths))
    }

    /// The destination of `rel` in the staging folder, its parent folder created.
    fn destination(&self, rel: &str) -> Result<PathBuf> {
        let rel = safe_relative(rel)?;
        if let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) {
            let known = self.dirs.lock().map(|d| d.contains(dir)).unwrap_or(false);
            if !known {
                let path = self.staging.join(dir);
                std::fs::create_dir_all(&path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                if let Ok(mut dirs) = self.dirs.lock() {
                    let mut d = Some(dir);
                    while let Some(p) = d.filter(|p| !p.as_os_str().is_empty()) {
                        dirs.insert(p.to_path_buf());
                        d = p.parent();
                    }
                }
            }
        }
        Ok(self.staging.join(rel))
    }

    /// The old output's file at `rel`, when it is a regular file.
    fn old_file(&self, rel: &str) -> Option<(PathBuf, std::fs::Metadata)> {
        let path = self.old.as_ref()?.join(safe_relative(rel).ok()?);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        meta.file_type().is_file().then_some((path, meta))
    }

    /// Hard-link the old file into the staging folder.
    fn keep(&self, old: &Path, dest: &Path) -> bool {
        if std::fs::hard_link(old, dest).is_ok() {
            self.files.fetch_add(1, Ordering::Relaxed);
            self.kept.fetch_add(1, Ordering::Relaxed);
            true
        } else {
            false
        }
    }

    fn wrote(&self, rel: &str, len: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.written.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
        if let Ok(mut paths) = self.written_paths.lock() {
            paths.push(rel.to_string());
        }
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no trace beside the output.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        let _ = std::fs::remove_file(&self.cache_next);
    }
}

impl Sink for Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let dest = self.destination(rel)?;
        if let Some((old, meta)) = self.old_file(rel)
            && meta.len() == bytes.len() as u64
            && same_bytes(&old, bytes)
            && self.keep(&old, &dest)
        {
            return Ok(());
        }
        std::fs::write(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))?;
        self.wrote(rel, bytes.len() as u64);
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        self.put(rel, &bytes)
    }

    fn put_cache(&self, bytes: &[u8]) -> Result<()> {
        std::fs::write(&self.cache_next, bytes)
            .with_context(|| format!("cannot write {}", self.cache_next.display()))
    }

    fn keep_previous(&self, rel: &str, len: u64) -> bool {
        let Some((old, meta)) = self.old_file(rel) else {
            return false;
        };
        meta.len() == len
            && self
                .destination(rel)
                .is_ok_and(|dest| self.keep(&old, &dest))
    }

    fn previous_len(&self, rel: &str) -> Option<u64> {
        self.old_file(rel).map(|(_, meta)| meta.len())
    }

    fn read_back(&self, rel: &str) -> Option<Vec<u8>> {
        std::fs::read(self.staging.join(safe_relative(rel).ok()?)).ok()
    }

    fn read_previous(&self, rel: &str) -> Option<Vec<u8>> {
        std::fs::read(self.old_file(rel)?.0).ok()
    }

    fn unchanged(&self) -> bool {
        self.old.is_some() && self.written.load(Ordering::Relaxed) == 0
    }
}

/// Writes files straight into an existing output, each through a temporary file renamed over the
/// old one: `serve`'s quick update of one entry's pages (a build never writes this way).
pub struct InPlace {
    output: PathBuf,
}

impl InPlace {
    pub fn new(output: &Path) -> InPlace {
        InPlace {
            output: output.to_path_buf(),
        }
    }
}

impl Sink for InPlace {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let dest = self.output.join(safe_relative(rel)?);
        let parent = dest.parent().context("an output file has no folder")?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let tmp = parent.join(format!(".bilat-update-{}", std::process::id()));
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &dest).with_context(|| format!("cannot replace {}", dest.display()))
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        self.put(rel, &bytes)
    }

    fn keep_previous(&self, _: &str, _: u64) -> bool {
        false
    }

    fn previous_len(&self, _: &str) -> Option<u64> {
        None
    }

    /// `serve` updates one entry's pages in place; the page cache is the full build's.
    fn put_cache(&self, _: &[u8]) -> Result<()> {
        Ok(())
    }
}

/// Whether the file at `path` holds exactly `bytes` (its length already matched).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = [0u8; 64 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return rest.is_empty(),
            Ok(n) => {
                let (Some(got), Some(want)) = (buf.get(..n), rest.get(..n)) else {
                    return false;
                };
                if got != want {
                    return false;
                }
                rest = rest.get(n..).unwrap_or_default();
            }
            Err(_) => return false,
        }
    }
}

/// Remove a folder tree, its subfolders two levels down in parallel (an output has thousands).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let children = |d: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(d)
            .map(|items| items.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let mut level: Vec<PathBuf> = Vec::new();
    for child in children(dir) {
        if child.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            level.extend(children(&child));
        }
    }
    level.par_iter().for_each(|p| {
        let is_dir = p.symlink_metadata().is_ok_and(|m| m.is_dir());
        let _ = if is_dir {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        };
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// Take the output's build lock, waiting for a build that holds it (the lock goes when the file
/// is closed, also when a build is killed).
fn lock_output(parent: &Path, name: &str) -> Result<std::fs::File> {
    let path = parent.join(format!(".{name}.bilat-lock"));
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the build lock {}", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(file)
}

fn split(output: &Path) -> Result<(PathBuf, String)> {
    let absolute = if output.is_absolute() {
        output.to_path_buf()
    } else {
        std::env::current_dir()
            .context("cannot read the current folder")?
            .join(output)
    };
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .context("the output path has no folder name")?;
    let parent = absolute
        .parent()
        .map(Path::to_path_buf)
        .context("the output path has no parent folder")?;
    Ok((parent, name))
}

/// The page cache of the output `output`: `.<output>.bilat-cache` beside it, so it is
/// never published with the site.
pub fn cache_file(output: &Path) -> Result<PathBuf> {
    let (parent, name) = split(output)?;
    Ok(cache_path(&parent, &name))
}

fn cache_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.bilat-cache"))
}

/// Staging or old folders (and staged caches) of earlier builds that were killed.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.bilat-");
    let staged = format!(".{name}.bilat-staging-");
    if let Ok(items) = std::fs::read_dir(parent) {
        for item in items.flatten() {
            let file_name = item.file_name().to_string_lossy().into_owned();
            if file_name.starts_with(&staged) && file_name.ends_with(".cache.json") {
                let _ = std::fs::remove_file(item.path());
            } else if file_name.starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(item.path());
            }
        }
    }
}

/// A relative path with only normal components: nothing can be written outside the output.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(Error::refused(format!(
            "refusing to write the unsafe output path {path:?}"
        )));
    }
    Ok(p.to_path_buf())
}

/// Make `staging` the output and put the old output (if any) at `staging`.
fn swap(staging: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        std::fs::rename(staging, output)
            .with_context(|| format!("cannot move the new site to {}", output.display()))?;
        return Ok(());
    }
    if exchange(staging, output) {
        return Ok(());
    }
    let (parent, name) = split(output)?;
    let old = parent.join(format!(".{name}.bilat-old-{}", std::process::id()));
    std::fs::rename(output, &old)
        .with_context(|| format!("cannot move the old output {} aside", output.display()))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(e).with_context(|| format!("cannot move the new site to {}", output.display()));
    }
    std::fs::rename(&old, staging)
        .or_else(|_| std::fs::remove_dir_all(&old))
        .ok();
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(out: &Path, files: &[(&str, &str)]) -> WriteReport {
        let staging = Staging::begin(out).unwrap_or_else(|e| panic!("{e}"));
        for (path, text) in files {
            staging
                .put(path, text.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        staging.commit().unwrap_or_else(|e| panic!("{e}")).0
    }

    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).map(|m| m.ino()).unwrap_or(0)
    }

    #[test]
    fn replaces_the_whole_tree_keeping_unchanged_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("public");
        let first = build(
            &out,
            &[
                ("a/index.html", "one"),
                ("b/index.html", "same"),
                ("old.txt", "x"),
            ],
        );
        assert_eq!((first.files, first.written, first.kept), (3, 3, 0));
        let same_before = inode(&out.join("b/index.html"));
        let second = build(&out, &[("a/index.html", "two"), ("b/index.html", "same")]);
        assert_eq!((second.files, second.written, second.kept), (2, 1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap_or_default(),
            "two"
        );
        assert_eq!(
            inode(&out.join("b/index.html")),
            same_before,
            "unchanged file kept"
        );
        assert!(
            !out.join("old.txt").exists(),
            "a file that disappeared is removed"
        );
        let leftovers = folders(dir.path());
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn same_length_different_bytes_is_rewritten() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("public");
        build(&out, &[("x.html", "abc")]);
        let report = build(&out, &[("x.html", "abd")]);
        assert_eq!((report.written, report.kept), (1, 0));
        assert_eq!(
            std::fs::read_to_string(out.join("x.html")).unwrap_or_default(),
            "abd"
        );
    }

    #[test]
    fn an_uncommitted_build_leaves_the_old_output_and_no_staging() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("public");
        build(&out, &[("x.html", "old")]);
        {
            let staging = Staging::begin(&out).unwrap_or_else(|e| panic!("{e}"));
            staging
                .put("x.html", b"new")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(
            std::fs::read_to_string(out.join("x.html")).unwrap_or_default(),
            "old"
        );
        let names = folders(dir.path());
        assert_eq!(names.len(), 1, "{names:?}");
    }

    /// The folders in `dir` (the build lock beside the output is a file).
    fn folders(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .map(|r| {
                r.flatten()
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn keep_previous_needs_the_same_length() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("public");
        build(&out, &[("p/index.html", "12345")]);
        let staging = Staging::begin(&out).unwrap_or_else(|e| panic!("{e}"));
        assert!(!staging.keep_previous("p/index.html", 4));
        assert!(!staging.keep_previous("missing.html", 5));
        assert!(staging.keep_previous("p/index.html", 5));
        let (report, written) = staging.commit().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((report.files, report.kept), (1, 1));
        assert!(written.is_empty());
        assert_eq!(
            std::fs::read_to_string(out.join("p/index.html")).unwrap_or_default(),
            "12345"
        );
    }

    #[test]
    fn in_place_replaces_one_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("public");
        build(&out, &[("a/index.html", "one"), ("b/index.html", "two")]);
        let sink = InPlace::new(&out);
        sink.put("a/index.html", b"new")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(sink.put("../escape.html", b"x").is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap_or_default(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap_or_default(),
            "two"
        );
        let names: Vec<_> = std::fs::read_dir(out.join("a"))
            .map(|r| r.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn refuses_paths_outside_the_output() {
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a/../../x").is_err());
        assert!(safe_relative("").is_err());
        assert!(safe_relative("a/b.html").is_ok());
    }
}

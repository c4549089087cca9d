//! Stage 6, write: put the rendered files on disk without ever leaving a half-written site.
//!
//! Files are written in parallel into a staging folder beside the output, which is then swapped
//! with the old output in one atomic `renameat2(RENAME_EXCHANGE)` (or two renames where the
//! filesystem lacks it). A failed or killed build therefore leaves the previous output as it was;
//! staging folders left by a killed build are removed by the next one.

use crate::render::{Content, OutputFile};
use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
}

/// Write `files` as the new content of `output`.
pub fn write(output: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    let (parent, name) = split(output)?;
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    remove_stale(&parent, &name);
    let staging = parent.join(format!(".{name}.bilat-staging-{}", std::process::id()));
    let result = fill(&staging, files).and_then(|report| {
        swap(&staging, output)?;
        Ok(report)
    });
    // After a swap `staging` holds the old output; after a failure, the partial new one.
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn split(output: &Path) -> Result<(PathBuf, String)> {
    let absolute = if output.is_absolute() {
        output.to_path_buf()
    } else {
        std::env::current_dir()?.join(output)
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

/// Staging or old folders of earlier builds that were killed.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.bilat-");
    if let Ok(items) = std::fs::read_dir(parent) {
        for item in items.flatten() {
            if item.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(item.path());
            }
        }
    }
}

fn fill(staging: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    std::fs::create_dir_all(staging)
        .with_context(|| format!("cannot create {}", staging.display()))?;
    let mut dirs: Vec<PathBuf> = Vec::new();
    for f in files {
        let rel = safe_relative(&f.path)?;
        if let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) {
            dirs.push(dir.to_path_buf());
        }
    }
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        std::fs::create_dir_all(staging.join(dir))
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let bytes: Result<Vec<u64>> = files
        .par_iter()
        .map(|f| {
            let dest = staging.join(&f.path);
            match &f.content {
                Content::Bytes(b) => {
                    std::fs::write(&dest, b)
                        .with_context(|| format!("cannot write {}", dest.display()))?;
                    Ok(b.len() as u64)
                }
                Content::Copy(src) => std::fs::copy(src, &dest).with_context(|| {
                    format!("cannot copy {} to {}", src.display(), dest.display())
                }),
            }
        })
        .collect();
    Ok(WriteReport {
        files: files.len(),
        bytes: bytes?.iter().sum(),
    })
}

/// A relative path with only normal components: nothing can be written outside the output.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        bail!("refusing to write the unsafe output path {path:?}");
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

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            content: Content::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn writes_then_replaces_whole_tree() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("public");
        write(&out, &[file("a/index.html", "one"), file("old.txt", "x")])
            .unwrap_or_else(|e| panic!("{e}"));
        write(&out, &[file("a/index.html", "two")]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap_or_default(),
            "two"
        );
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .map(|r| r.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
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

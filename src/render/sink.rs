//! Where rendered files go. The render stage hands each finished file to a [`Sink`] at once, so a
//! build never holds the whole site in memory; the write stage's staging folder is the real sink,
//! [`Discard`] the one of `bilat check`.

use crate::error::Result;
use std::path::Path;

/// Receives output files as they are rendered, from many threads at once.
pub trait Sink: Sync {
    /// The file at `path` (relative to the output root, forward slashes) has these bytes.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;
    /// The file at `path` is a copy of `from`.
    fn copy(&self, path: &str, from: &Path) -> Result<()>;
    /// Keep the previous build's file at `path` unchanged, if it is there with `len` bytes; false
    /// when it is not (the caller then renders the file).
    fn keep_previous(&self, path: &str, len: u64) -> bool;
    /// The length of the previous build's file at `path`, if there is one this sink could keep
    /// (so a set of files is kept only when all of them are there).
    fn previous_len(&self, path: &str) -> Option<u64>;
    /// The page cache that describes this output, kept beside it, never published with it.
    /// Required of every sink, so a sink that wraps another cannot drop it by accident.
    fn put_cache(&self, bytes: &[u8]) -> Result<()>;
    /// The bytes of the file at `path` this sink now holds (a kept page, for the link check);
    /// `None` when it holds none it can read.
    fn read_back(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
    /// The bytes of the previous build's file at `path` (the output this build replaces), for
    /// what a kept page's files can give back cheaper than making it again; `None` when there is
    /// none this sink can read.
    fn read_previous(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
    /// Whether every file this sink has received so far is the previous build's file with the
    /// same bytes (none was written), so that, with the same set of files, the output is the
    /// previous one.
    fn unchanged(&self) -> bool {
        false
    }
    /// Whether this sink throws every file away (`check`): files that only cost time to make and
    /// can fail in no way a contributor could fix (the social card images) are then not made.
    fn discards(&self) -> bool {
        false
    }
}

/// A sink that keeps nothing: `check` renders every page (template errors are errors) but
/// writes none.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> Result<()> {
        Ok(())
    }
    fn copy(&self, _: &str, _: &Path) -> Result<()> {
        Ok(())
    }
    fn keep_previous(&self, _: &str, _: u64) -> bool {
        false
    }
    fn previous_len(&self, _: &str) -> Option<u64> {
        None
    }
    fn put_cache(&self, _: &[u8]) -> Result<()> {
        Ok(())
    }
    fn discards(&self) -> bool {
        true
    }
}

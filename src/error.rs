//! The tool's own failures: a folder that cannot be created, a file that cannot be written, a
//! port already in use. Each says what was being done and why it failed.
//!
//! A contributor's mistakes are never errors of this kind: they are [`crate::diagnostics`],
//! collected and printed together. A foundation module: it imports no stage.

/// A failure of bilat itself or of the machine, not of the site's content.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An operation failed: what was being done, and the underlying cause.
    #[error("{what}: {source}")]
    Failed {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A failure with no underlying error (e.g. an unsafe output path).
    #[error("{0}")]
    Refused(String),
}

impl Error {
    pub fn refused(what: impl Into<String>) -> Self {
        Error::Refused(what.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Say what was being done when a fallible call failed, as `anyhow::Context` does.
pub trait Context<T> {
    fn context(self, what: &str) -> Result<T>;
    fn with_context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for std::result::Result<T, E> {
    fn context(self, what: &str) -> Result<T> {
        self.with_context(|| what.to_string())
    }

    fn with_context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error::Failed {
            what: what(),
            source: Box::new(e),
        })
    }
}

impl<T> Context<T> for Option<T> {
    fn context(self, what: &str) -> Result<T> {
        self.ok_or_else(|| Error::refused(what))
    }

    fn with_context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.ok_or_else(|| Error::Refused(what()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_names_the_operation_and_the_cause() {
        let failed: std::io::Result<()> = Err(std::io::Error::other("disk full"));
        let e = failed.context("cannot write out/index.html").err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("cannot write out/index.html: disk full")
        );
        let none: Option<u8> = None;
        assert_eq!(
            none.context("no folder")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("no folder")
        );
    }
}

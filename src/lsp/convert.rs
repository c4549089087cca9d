//! Between bilat's positions and the protocol's: 1-based character columns and 0-based
//! character spans on one side, 0-based UTF-16 positions on the other; site-relative paths and
//! `file://` URIs; bilat's diagnostics and the protocol's.

use crate::diagnostics::{Diagnostic, Severity};
use crate::refs::Span;
use lsp_types::{DiagnosticSeverity, Position, Range, Url};
use std::path::Path;

/// The text of 0-based line `line` (without its newline).
pub fn line_of(text: &str, line: usize) -> &str {
    text.split('\n').nth(line).unwrap_or_default()
}

/// UTF-16 column of character column `column` in `line`.
pub fn utf16_column(line: &str, column: usize) -> u32 {
    line.chars()
        .take(column)
        .map(char::len_utf16)
        .sum::<usize>()
        .try_into()
        .unwrap_or(u32::MAX)
}

/// Character column of UTF-16 column `column` in `line`.
pub fn char_column(line: &str, column: u32) -> usize {
    let mut units = 0;
    for (i, c) in line.chars().enumerate() {
        if units >= column as usize {
            return i;
        }
        units += c.len_utf16();
    }
    line.chars().count()
}

/// The protocol range of a span of `text`.
pub fn range(text: &str, span: Span) -> Range {
    let line = line_of(text, span.line);
    let l = u32::try_from(span.line).unwrap_or(u32::MAX);
    Range::new(
        Position::new(l, utf16_column(line, span.start)),
        Position::new(l, utf16_column(line, span.end)),
    )
}

/// The 0-based line and character column of a protocol position in `text`.
pub fn position(text: &str, at: Position) -> (usize, usize) {
    let line = at.line as usize;
    (line, char_column(line_of(text, line), at.character))
}

/// The span a diagnostic underlines (one character when it says no width).
pub fn diagnostic_span(d: &Diagnostic) -> Span {
    let width = d.excerpt.as_ref().map_or(1, |e| e.width.max(1));
    let (line, start) = (d.line.saturating_sub(1), d.column.saturating_sub(1));
    Span {
        line,
        start,
        end: start + width,
    }
}

/// A bilat diagnostic of a file whose text is `text`, for the protocol. The help goes on a
/// line of its own under the message.
pub fn diagnostic(text: &str, d: &Diagnostic) -> lsp_types::Diagnostic {
    let range = if d.line == 0 {
        Range::default()
    } else {
        range(text, diagnostic_span(d))
    };
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp_types::NumberOrString::String(d.code.to_string())),
        source: Some("bilat".into()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

/// The `file://` URI of a site-relative path.
pub fn uri(root: &Path, rel: &str) -> Option<Url> {
    Url::from_file_path(root.join(rel)).ok()
}

/// The site-relative path of a `file://` URI under `root`.
pub fn rel(root: &Path, uri: &Url) -> Option<String> {
    let path = uri.to_file_path().ok()?;
    let rel = match path.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        // The client may name the site through a symbolic link: compare real paths (the
        // folder's, for a file not saved yet).
        Err(_) => {
            let parent = std::fs::canonicalize(path.parent()?).ok()?;
            parent.strip_prefix(root).ok()?.join(path.file_name()?)
        }
    };
    Some(rel.to_str()?.replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let line = "a𝄞b";
        assert_eq!(utf16_column(line, 2), 3);
        assert_eq!(char_column(line, 3), 2);
        assert_eq!(char_column(line, 99), 3);
    }
}

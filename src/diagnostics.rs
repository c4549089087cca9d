//! Diagnostics: the typed errors a contributor can cause, and how they are printed.
//!
//! Every stage returns its findings as [`Diagnostic`]s instead of stopping at the first one. The
//! command line collects them, sorts them by file and position, prints them in the format asked
//! for (human, JSON lines or GitHub annotations) and decides the exit status at the end.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a finding is. Errors fail the build; warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based position in a source file. Columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The position of byte `offset` in `text` (clamped to the text).
    pub fn of_offset(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Pos { line, column }
    }
}

/// One finding, with everything needed to print it in any format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Path relative to the site root, with forward slashes.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub help: Option<String>,
    /// The source line the position points into, and how many characters to underline.
    #[serde(skip)]
    pub excerpt: Option<Box<Excerpt>>,
}

/// The text of the offending line, kept so the human format can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub width: usize,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: file.into(),
            line: pos.line,
            column: pos.column,
            help: None,
            excerpt: None,
        }
    }

    pub fn warning(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the source line at this diagnostic's position, underlining `width` characters.
    pub fn with_source(mut self, source: &str, width: usize) -> Self {
        if let Some(text) = self.line.checked_sub(1).and_then(|i| source.lines().nth(i)) {
            self.excerpt = Some(Box::new(Excerpt {
                text: text.trim_end_matches('\r').to_string(),
                width: width.max(1),
            }));
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (
            &self.file,
            self.line,
            self.column,
            self.severity,
            &self.message,
        )
    }
}

/// Sort findings by file, line and column, and drop exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// The output formats of `bilat check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Render all findings in `format`, each ending with a newline.
pub fn render_all(diagnostics: &[Diagnostic], format: Format, color: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match format {
            Format::Human => {
                out.push_str(&render_human(d, color));
                out.push_str("\n\n");
            }
            Format::Json => {
                // Serializing a plain struct of strings and integers cannot fail.
                out.push_str(&serde_json::to_string(d).unwrap_or_default());
                out.push('\n');
            }
            Format::Github => {
                out.push_str(&render_github(d));
                out.push('\n');
            }
        }
    }
    out
}

/// Rustc-style text: `error: …`, ` --> file:line:col`, the source line, `= help: …`.
pub fn render_human(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let location = if d.line > 0 {
        format!("{}:{}:{}", d.file, d.line, d.column)
    } else {
        d.file.clone()
    };
    let mut group = Group::with_title(level.primary_title(&d.message));
    match &d.excerpt {
        Some(excerpt) if d.column > 0 => {
            let start = char_to_byte(&excerpt.text, d.column - 1);
            let end = char_to_byte(&excerpt.text, d.column - 1 + excerpt.width).max(start);
            group = group.element(
                Snippet::source(&excerpt.text)
                    .line_start(d.line)
                    .path(&d.file)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
        }
        _ => {
            group = group.element(annotate_snippets::Origin::path(&location));
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help));
    }
    renderer.render(&[group])
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// A GitHub Actions workflow command, e.g. `::error file=a.md,line=3,col=1::message`.
fn render_github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str("help: ");
        message.push_str(help);
    }
    // A finding without a position (e.g. a bad file name) annotates the whole file.
    let position = if d.line > 0 {
        format!(",line={},col={}", d.line, d.column)
    } else {
        String::new()
    };
    format!(
        "::{kind} file={}{position}::{}",
        escape_github_property(&d.file),
        escape_github_data(&message)
    )
}

fn escape_github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_of_offset_counts_characters() {
        let text = "a: 1\nb: é x\n";
        assert_eq!(Pos::of_offset(text, 0), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(text, 5), Pos::new(2, 1));
        // "x" sits after a two-byte character.
        let x = text.find('x').unwrap_or(0);
        assert_eq!(Pos::of_offset(text, x), Pos::new(2, 6));
    }

    #[test]
    fn human_format_names_file_line_column_and_help() {
        let src = "---\ntitle: X\nvisitor: xi-jinpin\n---\n";
        let d = Diagnostic::error(
            "content/visits/x.md",
            Pos::new(3, 10),
            "unknown official \"xi-jinpin\" in field \"visitor\"",
        )
        .with_help("did you mean \"xi-jinping\"?")
        .with_source(src, 9);
        let text = render_human(&d, false);
        assert!(
            text.starts_with("error: unknown official \"xi-jinpin\" in field \"visitor\""),
            "{text}"
        );
        assert!(text.contains("--> content/visits/x.md:3:10"), "{text}");
        assert!(text.contains("visitor: xi-jinpin"), "{text}");
        assert!(
            text.contains("help: did you mean \"xi-jinping\"?"),
            "{text}"
        );
    }

    #[test]
    fn json_and_github_formats_are_one_line_each() {
        let d = Diagnostic::error("a,b.md", Pos::new(1, 2), "bad\nthing").with_help("fix it");
        let json = render_all(std::slice::from_ref(&d), Format::Json, false);
        assert_eq!(json.lines().count(), 1);
        assert!(json.contains("\"severity\":\"error\""));
        assert!(json.contains("\"line\":1"));
        let gh = render_all(std::slice::from_ref(&d), Format::Github, false);
        assert_eq!(
            gh,
            "::error file=a%2Cb.md,line=1,col=2::bad%0Athing%0Ahelp: fix it\n"
        );
    }
}

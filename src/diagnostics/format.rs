//! How diagnostics are printed: rustc-style text for people, one JSON object per line for tools
//! (ending with a summary object), and GitHub Actions workflow annotations.

use super::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// The output formats of `bilat check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// What a run found, as a whole: the last JSON line, and the notes under the human output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Content files read (site.toml, templates and static files not counted).
    pub files_checked: usize,
    /// Problems not reported because they follow from an error that is (e.g. a link to an entry
    /// whose own file has errors).
    pub suppressed: usize,
    /// Why problems were suppressed or checks skipped, one sentence each.
    pub notes: Vec<String>,
}

impl Summary {
    /// Count the errors and warnings of `diagnostics`.
    pub fn new(diagnostics: &[Diagnostic], files_checked: usize) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Summary {
            errors,
            warnings: diagnostics.len() - errors,
            files_checked,
            ..Summary::default()
        }
    }

    /// "3 errors, 1 warning".
    pub fn counts(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )
    }
}

/// One line of `--format json`: a diagnostic.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    kind: &'static str,
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
}

/// The last line of `--format json`.
#[derive(Serialize)]
struct JsonSummary<'a> {
    kind: &'static str,
    #[serde(flatten)]
    summary: &'a Summary,
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
                let end = d.end();
                let line = JsonDiagnostic {
                    kind: "diagnostic",
                    code: d.code.as_str(),
                    severity: d.severity,
                    message: &d.message,
                    file: &d.file,
                    line: d.line,
                    column: d.column,
                    end_line: end.line,
                    end_column: end.column,
                    help: d.help.as_deref(),
                };
                // Serializing a plain struct of strings and integers cannot fail.
                out.push_str(&serde_json::to_string(&line).unwrap_or_default());
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

/// The summary in `format`: a JSON line (`"kind":"summary"`); for people, a `note:` line per
/// note (the caller prints the counts); nothing for GitHub annotations.
pub fn render_summary(summary: &Summary, format: Format) -> String {
    match format {
        Format::Json => {
            let line = JsonSummary {
                kind: "summary",
                summary,
            };
            format!("{}\n", serde_json::to_string(&line).unwrap_or_default())
        }
        Format::Human => summary
            .notes
            .iter()
            .map(|n| format!("note: {n}\n"))
            .collect(),
        Format::Github => String::new(),
    }
}

/// Rustc-style text: `error: …`, ` --> file:line:col`, the source line, `= help: …`, and the
/// code as `= code: BL0501`.
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
    // The location the renderer prints when it differs from the true one (a clipped line).
    let mut shown = None;
    match &d.excerpt {
        Some(excerpt) if d.column > 0 => {
            let column = (d.column - 1).saturating_sub(excerpt.skipped);
            if excerpt.skipped > 0 {
                shown = Some(format!("{}:{}:{}", d.file, d.line, column + 1));
            }
            let start = char_to_byte(&excerpt.text, column);
            let end = char_to_byte(&excerpt.text, column + excerpt.width).max(start);
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
    group = group.element(Level::NOTE.with_name("code").message(d.code.as_str()));
    let out = renderer.render(&[group]);
    match shown {
        Some(shown) => out.replacen(&shown, &location, 1),
        None => out,
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// A GitHub Actions workflow command, e.g.
/// `::error file=a.md,line=3,col=1,endLine=3,endColumn=9,title=BL0501::message`.
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
    // A finding without a position (e.g. a symbolic link) annotates the whole file.
    let position = if d.line > 0 {
        let end = d.end();
        format!(
            ",line={},col={},endLine={},endColumn={}",
            d.line, d.column, end.line, end.column
        )
    } else {
        String::new()
    };
    format!(
        "::{kind} file={}{position},title={}::{}",
        escape_github_property(&d.file),
        d.code,
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

//! Diagnostics: the typed errors a contributor can cause, and how they are printed.
//!
//! Every stage returns its findings as [`Diagnostic`]s instead of stopping at the first one. The
//! command line collects them, sorts them by file and position, prints them in the format asked
//! for (human, JSON lines or GitHub annotations, see `format`) and decides the exit status at
//! the end. Every diagnostic carries a stable [`Code`] from the registry in `codes`.

pub mod codes;
mod format;

pub use codes::Code;
pub use format::{Format, Summary, render_all, render_summary};
use serde::Serialize;

/// How bad a finding is. Errors fail the build; warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Source lines longer than this are quoted only around the position, [`EXCERPT_SIDE`] characters
/// either side, so many errors on one huge line do not each copy it whole.
pub const MAX_EXCERPT_BYTES: usize = 4096;
const EXCERPT_SIDE: usize = 512;

/// The most diagnostics one stage lists for one file. A hostile file can hold a million bad
/// citations or references; listing them all would take hours and gigabytes, and helps nobody.
pub const MAX_PER_FILE: usize = 100;

/// Count one more diagnostic of `file` (`listed` is how many this stage has counted for it) and
/// say whether to skip it. The first one past [`MAX_PER_FILE`] adds a note that the rest are not
/// listed; callers build nothing for skipped ones, so their cost stays bounded too.
pub fn over_limit(
    listed: &mut usize,
    file: &str,
    pos: impl FnOnce() -> Pos,
    out: &mut Vec<Diagnostic>,
) -> bool {
    *listed += 1;
    if *listed == MAX_PER_FILE + 1 {
        out.push(
            Diagnostic::warning(
                codes::TOO_MANY,
                file,
                pos(),
                format!("more than {MAX_PER_FILE} problems in this file; the rest are not listed"),
            )
            .with_help("fix the ones above and check again"),
        );
    }
    *listed > MAX_PER_FILE
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
    /// What kind of problem it is (`bilat explain CODE` says more).
    pub code: Code,
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
    /// Characters of a long line cut off before `text` (0 when the line is whole).
    pub skipped: usize,
}

impl Diagnostic {
    pub fn error(
        code: Code,
        file: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            file: file.into(),
            line: pos.line,
            column: pos.column,
            help: None,
            excerpt: None,
        }
    }

    pub fn warning(
        code: Code,
        file: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, pos, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the source line at this diagnostic's position, underlining `width` characters.
    pub fn with_source(mut self, source: &str, width: usize) -> Self {
        if let Some(line) = self.line.checked_sub(1).and_then(|i| source.lines().nth(i)) {
            let line = line.trim_end_matches('\r');
            let (text, skipped) = window(line, self.column.saturating_sub(1), width);
            self.excerpt = Some(Box::new(Excerpt {
                text,
                width: width.max(1),
                skipped,
            }));
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the underlined span ends: the position just after its last character (the column
    /// is exclusive, as in LSP and rustc's JSON). One character when no width is known; the
    /// start itself for a finding about a whole file (line 0).
    pub fn end(&self) -> Pos {
        if self.line == 0 {
            return Pos::new(self.line, self.column);
        }
        let width = self.excerpt.as_ref().map_or(1, |e| e.width.max(1));
        Pos::new(self.line, self.column + width)
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

/// `line` whole when it is short; else the part around the `width` characters at character
/// `column`, [`EXCERPT_SIDE`] characters either side, and how many characters were cut off on the
/// left. The part never starts with white space, which the renderer would take for indentation.
fn window(line: &str, column: usize, width: usize) -> (String, usize) {
    if line.len() <= MAX_EXCERPT_BYTES {
        return (line.to_string(), 0);
    }
    let column = column.min(line.chars().count());
    let first = column.saturating_sub(EXCERPT_SIDE);
    let last = column.saturating_add(width).saturating_add(EXCERPT_SIDE);
    let (mut start, mut end, mut skipped) = (None, line.len(), column);
    for (n, (i, c)) in line.char_indices().enumerate() {
        if start.is_none() && n >= first && (n >= column || !c.is_whitespace()) {
            start = Some(i);
            skipped = n;
        }
        if n >= last {
            end = i;
            break;
        }
    }
    let text = line.get(start.unwrap_or(end)..end).unwrap_or_default();
    (text.to_string(), skipped)
}

#[cfg(test)]
mod tests {
    use super::format::render_human;
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
            codes::UNKNOWN_REF,
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
        assert!(text.contains("= code: BL0501"), "{text}");
        // The span ends after the 9 underlined characters (exclusive column).
        assert_eq!(d.end(), Pos::new(3, 19));
    }

    #[test]
    fn json_and_github_formats_are_one_line_each() {
        let d = Diagnostic::error(codes::UNKNOWN_LINK, "a,b.md", Pos::new(1, 2), "bad\nthing")
            .with_help("fix it");
        let json = render_all(std::slice::from_ref(&d), Format::Json, false);
        assert_eq!(json.lines().count(), 1);
        assert!(json.contains("\"severity\":\"error\""));
        assert!(json.contains("\"line\":1"));
        assert!(json.contains("\"code\":\"BL0502\""), "{json}");
        assert!(json.contains("\"end_line\":1,\"end_column\":3"), "{json}");
        let gh = render_all(std::slice::from_ref(&d), Format::Github, false);
        assert_eq!(
            gh,
            "::error file=a%2Cb.md,line=1,col=2,endLine=1,endColumn=3,title=BL0502::bad%0Athing%0Ahelp: fix it\n"
        );
    }

    #[test]
    fn a_long_line_is_quoted_around_the_position_only() {
        // Found by a probe beside the fuzz targets: every error on one huge line copied the whole
        // line, so a 700 KB paragraph of bad citations ran out of memory.
        let line = format!(
            "{}x.[@9] {}",
            "word ".repeat(20_000),
            "more ".repeat(20_000)
        );
        let column = 100_003;
        let d = Diagnostic::error(
            codes::BAD_CITATION,
            "a.md",
            Pos::new(2, column),
            "citation [@9] points to no source",
        )
        .with_source(&format!("---\n{line}\n"), 4);
        let excerpt = d.excerpt.as_deref().map_or(0, |e| e.text.chars().count());
        assert!(excerpt <= 2 * EXCERPT_SIDE + 4, "{excerpt} characters kept");
        let text = render_human(&d, false);
        assert!(text.contains("--> a.md:2:100003"), "{text}");
        assert!(text.contains("word x.[@9] more"), "{text}");
        let caret = text.lines().find(|l| l.contains('^')).unwrap_or_default();
        let quoted = text
            .lines()
            .find(|l| l.contains("x.[@9]"))
            .unwrap_or_default();
        assert_eq!(caret.find('^'), quoted.find("[@9]"), "{text}");
    }

    #[test]
    fn a_file_lists_at_most_max_per_file_problems() {
        let mut out = Vec::new();
        let mut listed = 0;
        let mut built = 0;
        for i in 0..10 * MAX_PER_FILE {
            if !over_limit(&mut listed, "a.md", || Pos::new(i + 1, 1), &mut out) {
                built += 1;
                out.push(Diagnostic::error(
                    codes::UNKNOWN_LINK,
                    "a.md",
                    Pos::new(i + 1, 1),
                    "bad",
                ));
            }
        }
        assert_eq!(built, MAX_PER_FILE);
        assert_eq!(out.len(), MAX_PER_FILE + 1);
        let note = out.last().map(|d| (d.severity, d.line));
        assert_eq!(note, Some((Severity::Warning, MAX_PER_FILE + 1)));
    }
}

//! Stage 2, parse: read each source file and turn it into front matter (a positioned YAML tree)
//! plus a Markdown body.
//!
//! Reading happens here, in parallel: files over the size limit, invalid UTF-8, missing or
//! unterminated front matter and malformed YAML become diagnostics with the file's line and column.
//! A UTF-8 byte-order mark is dropped and CRLF line endings are read as LF, so positions stay true.

pub mod frontmatter;
pub mod yaml;

use crate::config::Limits;
use crate::diagnostics::{Diagnostic, Pos, codes};
use crate::markup::Outline;
use crate::walk::{Format, SourceFile, SourceKind};
use rayon::prelude::*;
use std::io::Read;
pub use yaml::{Key, Node, NodeKind};

/// A content file, read and split.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub source: SourceFile,
    /// The whole text, normalized (no BOM, LF line endings): diagnostics quote lines from it.
    pub text: String,
    /// The front matter; a mapping unless the file was empty.
    pub front: Node,
    /// Byte range of the Markdown body in `text`.
    pub body: std::ops::Range<usize>,
    /// What the link stage reads of the body, recorded in the same pass as the nesting check.
    pub outline: Outline,
    /// The front matter could not be read (its error is reported): `front` is empty, but the
    /// body was split off and can still be checked.
    pub front_failed: bool,
}

impl ParsedFile {
    pub fn body(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub files: Vec<ParsedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// (collection, id) of the entries whose file could not be read, or whose front matter
    /// could not: they still exist, so references to them are not reported as well.
    pub unreadable: Vec<(String, String)>,
    /// How many files could not be read at all (not even their text's links).
    pub unread: usize,
}

/// Read and parse every source file, in parallel, keeping the input order.
pub fn parse(sources: Vec<SourceFile>, limits: &Limits) -> Parsed {
    type Outcome = (
        Option<(String, String)>,
        (Option<ParsedFile>, Option<Diagnostic>),
    );
    let results: Vec<Outcome> = sources
        .into_par_iter()
        .map(|s| {
            let entry = match &s.kind {
                SourceKind::Entry { collection, id } if s.lang.is_none() => {
                    Some((collection.clone(), id.clone()))
                }
                _ => None,
            };
            let outcome = match read_limited(&s, limits.max_file_bytes)
                .and_then(|bytes| crate::text::decode(&s.rel, bytes))
            {
                Ok(text) => match parse_partly(s, text, limits) {
                    Ok(f) => (Some(f), None),
                    Err(failure) => {
                        let (f, d) = *failure;
                        (f, Some(d))
                    }
                },
                Err(d) => (None, Some(d)),
            };
            (entry, outcome)
        })
        .collect();
    let mut out = Parsed::default();
    for (entry, (file, error)) in results {
        if let Some(d) = error {
            out.diagnostics.push(d);
            out.unreadable.extend(entry);
        }
        match file {
            Some(f) => out.files.push(f),
            None => out.unread += 1,
        }
    }
    out
}

/// Read one file from disk and parse it.
pub fn parse_file(source: SourceFile, limits: &Limits) -> Result<ParsedFile, Diagnostic> {
    let bytes = read_limited(&source, limits.max_file_bytes)?;
    let text = crate::text::decode(&source.rel, bytes)?;
    parse_text(source, text, limits)
}

fn read_limited(source: &SourceFile, max: u64) -> Result<Vec<u8>, Diagnostic> {
    let io_error = |e: std::io::Error| {
        Diagnostic::error(
            codes::UNREADABLE,
            &source.rel,
            Pos::default(),
            format!("cannot read the file: {e}"),
        )
        .with_help("check that the file exists and is readable")
    };
    let file = std::fs::File::open(&source.abs).map_err(io_error)?;
    // Sized from the file's length, so the text is held without the slack of a growing buffer
    // (it stays in memory for the whole build).
    let len = file.metadata().map_or(0, |m| m.len()).min(max);
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    // Read one byte past the limit to know it was exceeded without reading a huge file whole.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > max {
        return Err(Diagnostic::error(
            codes::FILE_TOO_LARGE,
            &source.rel,
            Pos::new(1, 1),
            format!("the file is larger than the limit of {max} bytes"),
        )
        .with_help(
            "split it into several entries, or raise [limits] max_file_bytes in site.toml",
        ));
    }
    Ok(bytes)
}

/// Split and parse already-decoded text.
pub fn parse_text(
    source: SourceFile,
    text: String,
    limits: &Limits,
) -> Result<ParsedFile, Diagnostic> {
    parse_partly(source, text, limits).map_err(|failure| failure.1)
}

/// A file that could not be parsed: what it is wrong with it, and the file itself when only its
/// front matter could not be read (`front_failed`, an empty front matter), so that its text's
/// links are still checked in the same run.
type Failure = Box<(Option<ParsedFile>, Diagnostic)>;

/// Split and parse already-decoded text.
fn parse_partly(source: SourceFile, text: String, limits: &Limits) -> Result<ParsedFile, Failure> {
    let budget = yaml::Budget {
        max_depth: limits.max_yaml_depth,
        max_nodes: limits.max_yaml_nodes,
    };
    let (yaml_range, yaml_line, body) = match source.format {
        Format::Yaml => (0..text.len(), 1, text.len()..text.len()),
        Format::Markdown => match frontmatter::split(&text) {
            Ok(s) => (s.yaml, s.yaml_line, s.body),
            Err(frontmatter::SplitError::Missing) => {
                let d = Diagnostic::error(codes::NO_FRONT_MATTER, &source.rel, Pos::new(1, 1), "the file does not start with front matter")
                    .with_help("begin the file with a line \"---\", the fields (e.g. title: ...), and another \"---\" line")
                    .with_source(&text, 3);
                return Err(Box::new((None, d)));
            }
            Err(frontmatter::SplitError::Unterminated) => {
                let d = Diagnostic::error(
                    codes::UNCLOSED_FRONT_MATTER,
                    &source.rel,
                    Pos::new(1, 1),
                    "the front matter is not closed",
                )
                .with_help("add a line \"---\" after the last field, before the Markdown body")
                .with_source(&text, 3);
                return Err(Box::new((None, d)));
            }
        },
    };
    let max = crate::markup::MAX_NESTING;
    let outline = match crate::markup::read(text.get(body.clone()).unwrap_or_default(), max) {
        Ok(outline) => outline,
        Err(offset) => {
            let pos = Pos::of_offset(&text, body.start + offset);
            let d = Diagnostic::error(
                codes::MARKDOWN_TOO_DEEP,
                &source.rel,
                pos,
                format!("the Markdown nests deeper than {max} levels"),
            )
            .with_help(
                "flatten the nested lists, quotes or HTML elements; pages need only a few levels",
            )
            .with_source(&text, 1);
            return Err(Box::new((None, d)));
        }
    };
    let yaml_text = text.get(yaml_range).unwrap_or_default();
    let front = yaml::parse(yaml_text, yaml_line, budget).map_err(|e| {
        Diagnostic::error(e.code, &source.rel, e.pos, e.message)
            .with_help(e.help)
            .with_source(&text, 1)
    });
    let front = front.and_then(|front| match front.kind {
        NodeKind::Map(_) | NodeKind::Null => Ok(front),
        _ => Err(Diagnostic::error(
            codes::FRONT_MATTER_NOT_MAPPING,
            &source.rel,
            front.pos,
            format!(
                "the front matter is {}, not a set of fields",
                front.describe()
            ),
        )
        .with_help("write one field per line as name: value")
        .with_source(&text, 1)),
    });
    let file = |front, front_failed| ParsedFile {
        source,
        front,
        body,
        outline,
        front_failed,
        text,
    };
    match front {
        Ok(front) => Ok(file(front, false)),
        Err(d) => {
            let empty = Node {
                pos: Pos::new(yaml_line, 1),
                kind: NodeKind::Null,
            };
            Err(Box::new((Some(file(empty, true)), d)))
        }
    }
}

//! Template errors as a theme author needs them: the template file, line and column of the real
//! cause, and what to do about it.
//!
//! Tera's own report is often one step removed from the mistake. A `{% for %}` without its
//! `{% endfor %}` is reported as an "Unknown tag" at the `{% endblock %}` that follows; an unknown
//! filter arrives as one message whose text holds a report per mistake, naming the template but
//! carrying no position of its own. This module walks the error's source chain, reads those
//! reports back into positions, checks how a failed template's tags open and close, and maps
//! each template name to its file (the site's `templates/` override or the theme's file).

use crate::diagnostics::{Diagnostic, Pos, codes};
use std::collections::BTreeMap;
use tera::ErrorKind;

/// A template's name → (the file it came from, its text).
pub type Sources = BTreeMap<String, (String, String)>;

/// Tera 2.4's built-in filters, tests and functions (bilat registers none of its own), for
/// "did you mean" on an unknown one. A unit test checks that Tera knows each of them.
pub const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
];
pub const TESTS: &[&str] = &[
    "string",
    "number",
    "map",
    "bool",
    "array",
    "integer",
    "float",
    "none",
    "iterable",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];
pub const FUNCTIONS: &[&str] = &["range", "throw", "super"];

const SYNTAX_HELP: &str =
    "fix the Tera syntax at this position (see the template reference in docs/themes.md)";

/// Diagnostics for a Tera error met while compiling templates (`template`: the template being
/// compiled on its own, when known).
pub fn compile_diagnostics(
    e: &tera::Error,
    template: Option<&str>,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let cause = deepest(e);
    match cause.kind() {
        ErrorKind::SyntaxError(report) => {
            let name = template.unwrap_or(report.filename());
            let (file, text) = file_of(sources, name);
            let span = report.span();
            let at = Pos::new(span.start_line, span.start_col + 1);
            match structure_problem(text) {
                Some(problem) if problem.line(text) <= at.line => {
                    vec![problem.diagnostic(file, text)]
                }
                _ => {
                    let width = span_width(span);
                    vec![
                        Diagnostic::error(
                            codes::TEMPLATE_SYNTAX,
                            file,
                            at,
                            format!("template error: {}", report.message()),
                        )
                        .with_help(SYNTAX_HELP)
                        .with_source(text, width),
                    ]
                }
            }
        }
        ErrorKind::Msg(message) => {
            let found = from_reports(message, sources);
            if found.is_empty() {
                vec![whole_file(template, sources, &cause.kind().to_string())]
            } else {
                found
            }
        }
        ErrorKind::MissingParent { current, parent } => {
            let (file, text) = file_of(sources, current);
            let (pos, width) = find(text, &format!("\"{parent}\"")).unwrap_or((Pos::new(1, 1), 1));
            let names: Vec<&str> = sources.keys().map(String::as_str).collect();
            let help = match crate::suggest::closest(parent, names.iter().copied()) {
                Some(close) => format!("did you mean \"{close}\"?"),
                None => "extend one of the theme's templates, e.g. \"base.html\"".into(),
            };
            vec![
                Diagnostic::error(
                    codes::TEMPLATE_SYNTAX,
                    file,
                    pos,
                    format!(
                        "template error: \"{parent}\" is extended here but no such template exists"
                    ),
                )
                .with_help(help)
                .with_source(text, width),
            ]
        }
        other => vec![whole_file(template, sources, &other.to_string())],
    }
}

/// A diagnostic for an error met while rendering `name`.
pub fn render_diagnostic(e: &tera::Error, name: &str, sources: &Sources) -> Diagnostic {
    let cause = deepest(e);
    let help = "check that the variables used here exist in this page's context (docs/themes.md lists them)";
    match cause.kind() {
        ErrorKind::RenderingError(report) | ErrorKind::SyntaxError(report) => {
            let inner = if report.filename().is_empty() {
                name
            } else {
                report.filename()
            };
            let (file, text) = file_of(sources, inner);
            let span = report.span();
            Diagnostic::error(
                codes::TEMPLATE_RENDER,
                file,
                Pos::new(span.start_line, span.start_col + 1),
                format!(
                    "template error while rendering {name}: {}",
                    report.message()
                ),
            )
            .with_help(help)
            .with_source(text, span_width(span))
        }
        ErrorKind::Msg(message) => match from_reports(message, sources).into_iter().next() {
            Some(d) => Diagnostic {
                message: format!(
                    "template error while rendering {name}: {}",
                    d.message.trim_start_matches("template error: ")
                ),
                ..d
            },
            None => whole_file(Some(name), sources, message),
        },
        other => whole_file(
            Some(name),
            sources,
            &format!("while rendering {name}: {other}"),
        ),
    }
}

/// The innermost Tera error of `e`'s source chain (the real cause; outer ones only wrap it).
fn deepest(e: &tera::Error) -> &tera::Error {
    let mut cause = e;
    let mut next = std::error::Error::source(e);
    while let Some(inner) = next {
        if let Some(t) = inner.downcast_ref::<tera::Error>() {
            cause = t;
        }
        next = inner.source();
    }
    cause
}

/// The file a template came from and its text (the name itself and no text when unknown).
fn file_of<'s>(sources: &'s Sources, name: &'s str) -> (&'s str, &'s str) {
    sources
        .get(name)
        .map_or((name, ""), |(file, text)| (file.as_str(), text.as_str()))
}

fn span_width(span: &tera::Span) -> usize {
    if span.end_line == span.start_line && span.end_col > span.start_col {
        span.end_col - span.start_col
    } else {
        1
    }
}

/// An error with no position, against the template it concerns (or `templates/`).
fn whole_file(template: Option<&str>, sources: &Sources, message: &str) -> Diagnostic {
    let file = template.map_or("templates", |t| file_of(sources, t).0);
    let first = message.lines().next().unwrap_or(message);
    Diagnostic::error(
        codes::TEMPLATE_SYNTAX,
        file,
        Pos::default(),
        format!("template error: {first}"),
    )
    .with_help("fix the template (see the template reference in docs/themes.md)")
}

/// The first occurrence of `needle` in `text`: its position and width in characters.
fn find(text: &str, needle: &str) -> Option<(Pos, usize)> {
    text.find(needle)
        .map(|i| (Pos::of_offset(text, i), needle.chars().count()))
}

/// Tera's text reports (`error: Unknown filter `x`` / `--> page.html:3:21` / …), one per
/// mistake, read back into diagnostics against their files.
fn from_reports(message: &str, sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut lines = message.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(what) = line.trim().strip_prefix("error: ") else {
            continue;
        };
        let Some(location) = lines
            .peek()
            .and_then(|l| l.trim().strip_prefix("--> "))
            .map(str::to_string)
        else {
            continue;
        };
        let mut parts = location.rsplitn(3, ':');
        let (Some(col), Some(row), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(row), Ok(col)) = (row.parse::<usize>(), col.parse::<usize>()) else {
            continue;
        };
        let (file, text) = file_of(sources, name);
        let (width, help) = reference_help(what, sources);
        out.push(
            Diagnostic::error(
                codes::TEMPLATE_SYNTAX,
                file,
                Pos::new(row, col),
                format!("template error: {}", lower_first(what)),
            )
            .with_help(help)
            .with_source(text, width),
        );
    }
    out
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// How wide the unknown name is, and a help for it: the closest known name, or the known ones.
fn reference_help(what: &str, sources: &Sources) -> (usize, String) {
    let name = what.split('`').nth(1).unwrap_or_default();
    let templates: Vec<&str> = sources.keys().map(String::as_str).collect();
    let (kind, known): (&str, &[&str]) = if what.starts_with("Unknown filter") {
        ("filters", FILTERS)
    } else if what.starts_with("Unknown test") {
        ("tests", TESTS)
    } else if what.starts_with("Unknown function") {
        ("functions", FUNCTIONS)
    } else if what.starts_with("Unknown template") {
        ("templates", &templates)
    } else {
        return (
            name.chars().count().max(1),
            "fix the template (see the template reference in docs/themes.md)".into(),
        );
    };
    let help = match crate::suggest::closest(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("the {kind} Tera knows: {}", known.join(", ")),
    };
    (name.chars().count().max(1), help)
}

/// One `{% … %}` tag: its first word, the rest, and where it starts.
#[derive(Debug, Clone)]
struct Tag {
    word: String,
    rest: String,
    offset: usize,
    len: usize,
}

/// The tags of a template in order, skipping comments and the inside of `{% raw %}` blocks.
fn tags(text: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut raw = false;
    while let Some(found) = text.get(at..).and_then(|rest| rest.find('{')) {
        let start = at + found;
        let rest = text.get(start..).unwrap_or_default();
        if rest.starts_with("{#") && !raw {
            at = rest.find("#}").map_or(text.len(), |end| start + end + 2);
            continue;
        }
        if !rest.starts_with("{%") {
            at = start + 1;
            continue;
        }
        let Some(end) = rest.find("%}") else { break };
        let inner = rest.get(2..end).unwrap_or_default();
        let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
        let (word, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        at = start + end + 2;
        if raw && word != "endraw" {
            continue;
        }
        raw = word == "raw";
        out.push(Tag {
            word: word.to_string(),
            rest: args.trim().to_string(),
            offset: start,
            len: end + 2,
        });
    }
    out
}

/// The closing word a tag needs, when it opens a body.
fn closer(tag: &Tag) -> Option<String> {
    match tag.word.as_str() {
        "for" | "if" | "block" | "filter" | "component" | "macro" => {
            Some(format!("end{}", tag.word))
        }
        // `{% set x %}…{% endset %}` captures a body; `{% set x = … %}` does not.
        "set" | "set_global" if !tag.rest.contains('=') => Some("endset".into()),
        _ => None,
    }
}

/// What is wrong with how a template's tags open and close.
#[derive(Debug)]
enum Problem {
    /// A closing tag met while an inner tag is still open.
    LeftOpen { open: Tag, found: Tag },
    /// A closing tag that closes nothing (with the innermost open tag, if any).
    Stray { found: Tag, innermost: Option<Tag> },
    /// A tag still open at the end of the file.
    NeverClosed { open: Tag },
}

/// The first tag that is not closed in order, or a closing tag that closes nothing.
fn structure_problem(text: &str) -> Option<Problem> {
    let mut open: Vec<(Tag, String)> = Vec::new();
    for tag in tags(text) {
        if let Some(end) = closer(&tag) {
            open.push((tag, end));
            continue;
        }
        if !tag.word.starts_with("end") || tag.word == "endraw" {
            continue;
        }
        match open.last() {
            Some((_, end)) if *end == tag.word => {
                open.pop();
            }
            last => {
                let innermost = last.map(|(t, _)| t.clone());
                // An outer tag of this kind is open: the inner one was left open. Otherwise this
                // tag closes nothing.
                return Some(match innermost {
                    Some(inner) if open.iter().any(|(_, end)| *end == tag.word) => {
                        Problem::LeftOpen {
                            open: inner,
                            found: tag,
                        }
                    }
                    innermost => Problem::Stray {
                        found: tag,
                        innermost,
                    },
                });
            }
        }
    }
    open.pop().map(|(open, _)| Problem::NeverClosed { open })
}

impl Problem {
    /// The line where the problem shows: Tera's error is a consequence of this one when Tera
    /// stopped at or after this line.
    fn line(&self, text: &str) -> usize {
        match self {
            Problem::LeftOpen { found, .. } | Problem::Stray { found, .. } => {
                Pos::of_offset(text, found.offset).line
            }
            Problem::NeverClosed { .. } => text.lines().count().max(1),
        }
    }

    fn diagnostic(&self, file: &str, text: &str) -> Diagnostic {
        let pos = |t: &Tag| Pos::of_offset(text, t.offset);
        let quote = |t: &Tag| text.get(t.offset..t.offset + t.len).unwrap_or_default();
        let (at, message, help) = match self {
            Problem::LeftOpen { open, found } => {
                let (opened, word) = (pos(open).line, &open.word);
                (
                    found,
                    format!(
                        "`{{% {word} %}}` opened at line {opened} is not closed before `{}`",
                        quote(found)
                    ),
                    format!(
                        "close the `{word}` opened at line {opened} with {{% end{word} %}} before line {}",
                        pos(found).line
                    ),
                )
            }
            Problem::Stray { found, innermost } => {
                let opener = found.word.trim_start_matches("end");
                let help = match innermost {
                    Some(t) => format!(
                        "the innermost open tag is the `{}` opened at line {}: close it with {{% end{} %}}, or remove this tag",
                        t.word,
                        pos(t).line,
                        t.word
                    ),
                    None => format!("remove it, or add the `{{% {opener} … %}}` it should close"),
                };
                (
                    found,
                    format!(
                        "`{}` closes nothing: no `{{% {opener} %}}` is open here",
                        quote(found)
                    ),
                    help,
                )
            }
            Problem::NeverClosed { open } => (
                open,
                format!("`{}` is never closed", quote(open)),
                format!(
                    "close the `{}` with {{% end{} %}} where its body ends",
                    open.word, open.word
                ),
            ),
        };
        Diagnostic::error(
            codes::TEMPLATE_SYNTAX,
            file,
            pos(at),
            format!("template error: {message}"),
        )
        .with_help(help)
        .with_source(text, quote(at).chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(name: &str, text: &str) -> Sources {
        let mut s = Sources::new();
        s.insert(
            name.to_string(),
            (format!("templates/{name}"), text.to_string()),
        );
        s
    }

    fn compile(name: &str, text: &str) -> Vec<Diagnostic> {
        let mut tera = tera::Tera::new();
        let sources = sources(name, text);
        match tera.add_raw_template(name, text) {
            Ok(()) => Vec::new(),
            Err(e) => compile_diagnostics(&e, Some(name), &sources),
        }
    }

    #[test]
    fn a_missing_endfor_is_named_with_the_line_of_its_for() {
        let text = "{% block content %}\n<ul>\n{% for x in xs %}\n<li>{{ x }}</li>\n</ul>\n{% endblock content %}\n";
        let d = compile("page.html", text);
        assert_eq!(d.len(), 1, "{d:?}");
        let d = &d[0];
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            ("templates/page.html", 6, 1)
        );
        assert!(
            d.message
                .contains("`{% for %}` opened at line 3 is not closed"),
            "{}",
            d.message
        );
        assert_eq!(
            d.help.as_deref(),
            Some("close the `for` opened at line 3 with {% endfor %} before line 6")
        );
    }

    #[test]
    fn an_unclosed_tag_at_the_end_of_the_file_is_named_where_it_opens() {
        let d = compile("x.html", "a\n  {% if page %}\nb\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].column), (2, 3));
        assert!(
            d[0].message.contains("`{% if page %}` is never closed"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn a_closing_tag_that_closes_nothing_says_so() {
        let d = compile("x.html", "{% if a %}\nx\n{% endfor %}\n{% endif %}\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 3);
        assert!(
            d[0].message.contains("`{% endfor %}` closes nothing"),
            "{}",
            d[0].message
        );
        assert!(
            d[0].help
                .as_deref()
                .unwrap_or("")
                .contains("the `if` opened at line 1"),
            "{:?}",
            d[0].help
        );
    }

    #[test]
    fn other_syntax_errors_keep_teras_message_and_position() {
        let d = compile("x.html", "{% if a %}\n{{ a }\n{% endif %}\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.contains("expected }}"), "{}", d[0].message);
    }

    #[test]
    fn comments_raw_blocks_and_capturing_set_are_understood() {
        let text = "{# {% for %} #}\n{% raw %}{% if %}{% endraw %}\n{% set x %}a{% endset %}\n{% set y = 1 %}\n{%- for i in [1] -%}{{ i }}{%- endfor -%}\n";
        assert!(
            structure_problem(text).is_none(),
            "{:?}",
            structure_problem(text)
        );
        assert!(compile("x.html", text).is_empty());
    }

    #[test]
    fn unknown_filters_are_each_located_with_a_suggestion() {
        let mut tera = tera::Tera::new();
        let text = "<h1>{{ t | uper }}</h1>\n<p>{{ t | shout }}</p>\n";
        let sources = sources("page.html", text);
        let e = tera
            .add_raw_templates([("page.html", text)])
            .err()
            .map(|e| compile_diagnostics(&e, None, &sources))
            .unwrap_or_default();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(
            (e[0].file.as_str(), e[0].line, e[0].column),
            ("templates/page.html", 1, 12)
        );
        assert_eq!(e[0].message, "template error: unknown filter `uper`");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `upper`?"));
        assert_eq!(e[1].line, 2);
        assert!(
            e[1].help
                .as_deref()
                .unwrap_or("")
                .starts_with("the filters Tera knows: safe, default")
        );
        assert!(e[0].excerpt.is_some(), "the source line is quoted");
    }

    #[test]
    fn a_missing_parent_is_named_at_its_extends_with_the_closest_template() {
        let mut sources = sources("page.html", "{% extends \"bsae.html\" %}\n");
        sources.insert(
            "base.html".into(),
            ("themes/default/templates/base.html".into(), "x".into()),
        );
        let mut tera = tera::Tera::new();
        let e = tera
            .add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
            .err()
            .map(|e| {
                let current = match e.kind() {
                    ErrorKind::MissingParent { current, .. } => Some(current.clone()),
                    _ => None,
                };
                compile_diagnostics(&e, current.as_deref(), &sources)
            })
            .unwrap_or_default();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            (e[0].file.as_str(), e[0].line, e[0].column),
            ("templates/page.html", 1, 12)
        );
        assert_eq!(e[0].help.as_deref(), Some("did you mean \"base.html\"?"));
    }

    #[test]
    fn the_lists_of_known_names_are_teras_own() {
        for filter in FILTERS {
            let mut tera = tera::Tera::new();
            let text = format!("{{{{ x | {filter} }}}}");
            assert!(
                tera.add_raw_templates([("t", text.as_str())]).is_ok(),
                "filter {filter}"
            );
        }
        for test in TESTS {
            let mut tera = tera::Tera::new();
            let text = format!("{{% if x is {test} %}}{{% endif %}}");
            assert!(
                tera.add_raw_templates([("t", text.as_str())]).is_ok(),
                "test {test}"
            );
        }
        let mut tera = tera::Tera::new();
        let unknown = tera.add_raw_templates([("t", "{{ x | no_such_filter }}")]);
        assert!(unknown.is_err(), "an unknown filter is refused");
    }
}

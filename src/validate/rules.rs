//! The integrity rules beyond each value's type: a required value is not blank, a date is not
//! before the date it follows (`not_before`), an unquoted value is not silently cut at a YAML
//! comment, and no `bilat new` placeholder is left in a published record.

use super::Value;
use super::checker::{FileChecker, Within};
use crate::config::{Field, FieldType};
use crate::diagnostics::{Pos, codes};
use crate::parse::{Node, NodeKind};

/// What `bilat new` writes where a value or the text is still to come: recognisable, and valid
/// so that the new draft passes its own check.
pub const PLACEHOLDER: &str = "TODO";

/// The fixed fields of a home page, landing text or free page (for the rules that need a schema).
pub fn doc_fields() -> Vec<Field> {
    let f = |name: &str, required: bool| Field {
        name: name.into(),
        ty: FieldType::String,
        required,
        label: name.into(),
        backlink: None,
        help: None,
        translatable: true,
        not_before: None,
    };
    vec![f("title", true), f("description", false)]
}

/// A required string or Markdown value that is empty or only white space.
pub(super) fn blank(
    checker: &mut FileChecker<'_>,
    field: &Field,
    value: Option<&Value>,
    at: Pos,
    within: Within<'_>,
) {
    let s = match value {
        Some(Value::Str(s)) => s,
        Some(Value::Text(md)) => &md.source,
        _ => return,
    };
    if !s.trim().is_empty() {
        return;
    }
    let what = match within {
        Within::Record { title } if title == field.name => {
            "a blank title would publish an empty heading, page title and link text"
        }
        _ => "a blank value would be published as nothing",
    };
    checker.error(
        codes::BLANK_VALUE,
        at,
        s.chars().count() + 2,
        format!("required field \"{}\" is blank", within.name(&field.name)),
        format!("write the {}: {what}", field.label.to_lowercase()),
    );
}

/// `field` (its value, written at a position) is a date earlier than the date of `other`, which
/// it may not precede. Partial dates count as their whole period.
pub(super) fn not_before(
    checker: &mut FileChecker<'_>,
    field: &Field,
    (value, at): (Option<&Value>, Pos),
    other: &str,
    (earlier, other_at): (Option<&Value>, Option<Pos>),
    within: Within<'_>,
) {
    let (Some(Value::Date(this)), Some(Value::Date(that))) = (value, earlier) else {
        return;
    };
    if !this.is_before(that) {
        return;
    }
    let line = other_at.map_or(String::new(), |p| format!(" (line {})", p.line));
    checker.error(
        codes::DATE_ORDER,
        at,
        this.to_string().chars().count(),
        format!(
            "\"{}\" ({this}) is before \"{}\" ({that})",
            within.name(&field.name),
            within.name(other)
        ),
        format!(
            "{} may not be earlier than {other}{line}: correct whichever of the two dates is wrong",
            field.name
        ),
    );
}

/// An unquoted value followed on its line by ` #`: YAML read the rest as a comment.
pub(super) fn cut_at_comment(checker: &mut FileChecker<'_>, node: &Node, field: &str) {
    let NodeKind::Scalar { text, plain: true } = &node.kind else {
        return;
    };
    let Some(line) = node
        .pos
        .line
        .checked_sub(1)
        .and_then(|i| checker.file.text.lines().nth(i))
    else {
        return;
    };
    let from = line
        .char_indices()
        .nth(node.pos.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let Some(rest) = line.get(from..).and_then(|s| s.strip_prefix(text.as_str())) else {
        return;
    };
    let comment = rest.trim_start();
    if rest.len() == comment.len() || !comment.starts_with('#') {
        return;
    }
    let whole = format!("{text}{}", rest.trim_end());
    let quoted = format!("\"{}\"", whole.replace('\\', "\\\\").replace('"', "\\\""));
    checker.warn(
        codes::CUT_AT_COMMENT,
        node.pos,
        whole.chars().count(),
        format!(
            "YAML read \"{field}\" as \"{text}\": \" #\" starts a comment, so \"{}\" was dropped",
            comment.trim_end()
        ),
        format!(
            "to keep the whole value, quote it: {quoted}; if the # starts a comment on purpose, put the comment on a line of its own"
        ),
    );
}

/// A value or line of text that `bilat new` left as a placeholder: `TODO`, alone or followed by
/// punctuation or a space (not a word such as `TODOS`).
pub fn is_placeholder(s: &str) -> bool {
    s.trim_start()
        .strip_prefix(PLACEHOLDER)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// A placeholder at `pos` (of `field`, or in the text when `None`) in a published record.
pub(super) fn placeholder(
    checker: &mut FileChecker<'_>,
    pos: Pos,
    width: usize,
    field: Option<&str>,
) {
    let (message, help) = match field {
        Some(field) => (
            format!("field \"{field}\" still holds a placeholder"),
            format!("write the real value of {field}, or remove the field if it is optional"),
        ),
        None => (
            "the text still holds a placeholder line".to_string(),
            "replace the TODO line with the entry's text".to_string(),
        ),
    };
    checker.warn(
        codes::PLACEHOLDER,
        pos,
        width,
        message,
        format!("{help}; keep draft: true while the record is not finished"),
    );
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_are_todo_words() {
        assert!(is_placeholder("TODO"));
        assert!(is_placeholder("TODO: the visit's title"));
        assert!(is_placeholder("  TODO write the text"));
        assert!(!is_placeholder("TODOS of the week"));
        assert!(!is_placeholder("Visit to Beijing"));
        assert!(!is_placeholder("todo"));
    }
}

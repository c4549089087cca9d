//! A lean syntect grammar for YAML, the data language entries quote most. The grammar bundled with
//! syntect (Sublime's) follows the whole YAML 1.2 specification with large look-ahead patterns and
//! costs about 230,000 instructions a line; this one knows what a reader sees in a data block —
//! keys, plain, quoted and numeric scalars, booleans, null, comments, sequence items, flow
//! collections, anchors, aliases, tags and block-scalar indicators — in a handful of small
//! patterns, and gives them the same scope names as Sublime's grammar, so the theme colours them
//! alike. What it does not follow: the lines of a block scalar (`|`, `>`) are highlighted as if
//! they were YAML.
//!
//! syntect builds a grammar from its serde form; ours is written as JSON values here, since the
//! `.sublime-syntax` loader needs an unmaintained YAML crate.

use serde_json::{Value, json};
use syntect::parsing::syntax_definition::SyntaxDefinition;

/// Where a plain scalar ends in block context: the end of the line, or a comment.
const BLOCK_END: &str = r"(?=\s*$|\s+#)";
/// Where a plain scalar ends inside `[…]` or `{…}`.
const FLOW_END: &str = r"(?=\s*(?:$|[,\]}])|\s+#|\s*:(?:\s|[,\[\]{}]|$))";
/// The first character of a plain scalar (or an indicator followed by a non-space).
const PLAIN_START: &str = r#"(?:[^\s\-?:,\[\]{}#&*!|>'"%@`]|[-?:][^\s,\[\]{}])"#;

/// The grammar, or `None` if syntect cannot read it (a bug of ours, caught by the unit test).
pub(super) fn definition() -> Option<SyntaxDefinition> {
    serde_json::from_value(grammar()).ok()
}

fn grammar() -> Value {
    json!({
        "name": "YAML",
        "file_extensions": ["yaml", "yml"],
        "scope": "source.yaml",
        "first_line_match": null,
        "hidden": false,
        "variables": {},
        "contexts": {
            "__start": context(&["source.yaml"], vec![include("main")]),
            "main": context(&[], block_patterns()),
            "double": context_scoped("string.quoted.double.yaml", double_patterns()),
            "single": context_scoped("string.quoted.single.yaml", single_patterns()),
            "flow_sequence": context_scoped("meta.flow-sequence.yaml", flow_patterns("]", "sequence")),
            "flow_mapping": context_scoped("meta.flow-mapping.yaml", flow_patterns("}", "mapping")),
        }
    })
}

fn block_patterns() -> Vec<Value> {
    let mut patterns = vec![
        comment(),
        matched(
            r"^(?:---|\.\.\.)(?=\s|$)",
            "entity.other.document.begin.yaml",
        ),
        matched(
            r"-(?=\s|$)",
            "punctuation.definition.block.sequence.item.yaml",
        ),
        matched(r"\?(?=\s|$)", "punctuation.definition.key-value.begin.yaml"),
        key(&format!(r"({PLAIN_START}[^\n#]*?)\s*(:)(?=\s|$)")),
        matched(r":(?=\s|$)", "punctuation.separator.key-value.mapping.yaml"),
    ];
    patterns.extend(shared_patterns());
    patterns.push(matched(
        r"[|>][-+0-9]*(?=\s*$|\s+#)",
        "keyword.control.flow.block-scalar.yaml",
    ));
    patterns.extend(scalars(BLOCK_END));
    patterns.push(matched(
        &format!(r"{PLAIN_START}[^\n]*?{BLOCK_END}"),
        "string.unquoted.plain.out.yaml",
    ));
    patterns
}

fn flow_patterns(close: &str, kind: &str) -> Vec<Value> {
    let mut patterns = vec![
        comment(),
        pop(
            &format!(r"\{close}"),
            &format!("punctuation.definition.{kind}.end.yaml"),
        ),
        matched(",", &format!("punctuation.separator.{kind}.yaml")),
        key(&format!(
            r"({PLAIN_START}[^,\[\]{{}}\n#]*?)\s*(:)(?=\s|[,\[\]{{}}]|$)"
        )),
        matched(
            r":(?=\s|[,\[\]{}]|$)",
            "punctuation.separator.key-value.mapping.yaml",
        ),
    ];
    patterns.extend(shared_patterns());
    patterns.extend(scalars(FLOW_END));
    patterns.push(matched(
        &format!(r"{PLAIN_START}[^,\[\]{{}}\n]*?{FLOW_END}"),
        "string.unquoted.plain.in.yaml",
    ));
    patterns
}

/// Quoted strings, flow collections, anchors, aliases and tags: the same in block and flow context.
fn shared_patterns() -> Vec<Value> {
    vec![
        push("\"", "punctuation.definition.string.begin.yaml", "double"),
        push("'", "punctuation.definition.string.begin.yaml", "single"),
        push(
            r"\[",
            "punctuation.definition.sequence.begin.yaml",
            "flow_sequence",
        ),
        push(
            r"\{",
            "punctuation.definition.mapping.begin.yaml",
            "flow_mapping",
        ),
        captured(
            r"(&)[^\s,\[\]{}]+",
            "entity.name.other.anchor.yaml",
            &[(1, "punctuation.definition.anchor.yaml")],
        ),
        captured(
            r"(\*)[^\s,\[\]{}]+",
            "variable.other.alias.yaml",
            &[(1, "punctuation.definition.alias.yaml")],
        ),
        matched(
            r"!(?:<[^>]*>|[^\s,\[\]{}]*)",
            "storage.type.tag-handle.yaml",
        ),
    ]
}

/// Null, booleans and numbers, each only when it is the whole scalar (`end` says where one ends).
fn scalars(end: &str) -> Vec<Value> {
    vec![
        matched(
            &format!(r"(?:null|Null|NULL|~){end}"),
            "constant.language.null.yaml",
        ),
        matched(
            &format!(r"(?:true|True|TRUE|false|False|FALSE){end}"),
            "constant.language.boolean.yaml",
        ),
        matched(
            &format!(r"[-+]?(?:[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+){end}"),
            "constant.numeric.integer.yaml",
        ),
        matched(
            &format!(
                r"[-+]?(?:(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN)){end}"
            ),
            "constant.numeric.float.yaml",
        ),
    ]
}

fn double_patterns() -> Vec<Value> {
    vec![
        matched(
            r#"\\(?:[0abtnvfre "/\\N_LP\t]|x\h{2}|u\h{4}|U\h{8})"#,
            "constant.character.escape.double-quoted.yaml",
        ),
        pop("\"", "punctuation.definition.string.end.yaml"),
    ]
}

fn single_patterns() -> Vec<Value> {
    vec![
        matched("''", "constant.character.escape.single-quoted.yaml"),
        pop("'", "punctuation.definition.string.end.yaml"),
    ]
}

fn comment() -> Value {
    captured(
        r"(#).*$\n?",
        "comment.line.number-sign.yaml",
        &[(1, "punctuation.definition.comment.line.number-sign.yaml")],
    )
}

/// A mapping key (group 1) and its colon (group 2).
fn key(regex: &str) -> Value {
    pattern(
        regex,
        &[],
        json!([
            [
                1,
                ["string.unquoted.plain.out.yaml", "entity.name.tag.yaml"]
            ],
            [2, ["punctuation.separator.key-value.mapping.yaml"]]
        ]),
        json!("None"),
    )
}

fn context(content_scope: &[&str], patterns: Vec<Value>) -> Value {
    context_with(&[], content_scope, patterns)
}

fn context_scoped(scope: &str, patterns: Vec<Value>) -> Value {
    context_with(&[scope], &[], patterns)
}

fn context_with(scope: &[&str], content_scope: &[&str], patterns: Vec<Value>) -> Value {
    json!({
        "meta_scope": scope,
        "meta_content_scope": content_scope,
        "meta_include_prototype": false,
        "clear_scopes": null,
        "prototype": null,
        "uses_backrefs": false,
        "patterns": patterns,
    })
}

fn include(name: &str) -> Value {
    json!({ "Include": { "Named": name } })
}

fn matched(regex: &str, scope: &str) -> Value {
    pattern(regex, &[scope], Value::Null, json!("None"))
}

fn captured(regex: &str, scope: &str, captures: &[(usize, &str)]) -> Value {
    let captures: Vec<Value> = captures.iter().map(|(i, s)| json!([i, [s]])).collect();
    pattern(regex, &[scope], json!(captures), json!("None"))
}

fn push(regex: &str, scope: &str, target: &str) -> Value {
    pattern(
        regex,
        &[scope],
        Value::Null,
        json!({ "Push": [{ "Named": target }] }),
    )
}

fn pop(regex: &str, scope: &str) -> Value {
    pattern(regex, &[scope], Value::Null, json!("Pop"))
}

fn pattern(regex: &str, scope: &[&str], captures: Value, operation: Value) -> Value {
    json!({
        "Match": {
            "has_captures": !captures.is_null(),
            "regex": regex,
            "scope": scope,
            "captures": captures,
            "operation": operation,
            "with_prototype": null,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntect_reads_the_grammar() {
        let definition = definition();
        assert!(
            definition.is_some(),
            "{:?}",
            serde_json::from_value::<SyntaxDefinition>(grammar()).err()
        );
        let names: Vec<String> = definition
            .map(|d| d.contexts.keys().cloned().collect())
            .unwrap_or_default();
        for name in [
            "__start",
            "main",
            "double",
            "single",
            "flow_sequence",
            "flow_mapping",
        ] {
            assert!(
                names.contains(&name.to_string()),
                "{name} missing from {names:?}"
            );
        }
    }
}

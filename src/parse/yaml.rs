//! YAML front matter as a tree of nodes that remember their line and column.
//!
//! Built from saphyr-parser's event stream rather than through serde, so that every value keeps its
//! position for diagnostics, scalars stay untyped until the schema says what they should be (a
//! date stays the text `2025-02`, never a number or a timestamp), and aliases are expanded under a
//! node budget that defeats "billion laughs" alias bombs.

use crate::diagnostics::{Code, Pos, codes};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    /// A scalar's text; `plain` is false for quoted and block scalars.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// The text of a scalar, if this is one.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A few words naming what this node is, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing",
            NodeKind::Scalar { .. } => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// Why the YAML could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub code: Code,
    pub pos: Pos,
    pub message: String,
    pub help: String,
}

/// Bounds on the tree one document may build.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub max_depth: usize,
    pub max_nodes: usize,
}

/// Parse one YAML document. `first_line` is the file line the text starts on (1-based).
pub fn parse(text: &str, first_line: usize, budget: Budget) -> Result<Node, YamlError> {
    let mut builder = Builder {
        first_line,
        budget,
        nodes: 0,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        documents: 0,
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            YamlError {
                code: codes::MALFORMED_YAML,
                pos: Pos::new(m.line() + first_line - 1, m.col() + 1),
                message: format!("malformed YAML: {}", e.info()),
                help: "check the indentation, and put quotes around values that contain \": \" or start with a special character".into(),
            }
        })?;
        builder.event(event, span)?;
    }
    Ok(builder.root.unwrap_or(Node {
        pos: Pos::new(first_line, 1),
        kind: NodeKind::Null,
    }))
}

/// An open collection: the node being filled, its anchor, a pending mapping key, and the line of
/// each key seen so far (so a duplicate is found without rescanning the mapping).
type Open = (Node, usize, Option<Key>, HashMap<String, usize>);

struct Builder {
    first_line: usize,
    budget: Budget,
    nodes: usize,
    stack: Vec<Open>,
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    documents: usize,
}

impl Builder {
    fn pos(&self, span: &Span) -> Pos {
        Pos::new(
            span.start.line() + self.first_line - 1,
            span.start.col() + 1,
        )
    }

    fn error(
        &self,
        code: Code,
        pos: Pos,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> YamlError {
        YamlError {
            code,
            pos,
            message: message.into(),
            help: help.into(),
        }
    }

    fn count(&mut self, n: usize, pos: Pos) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > self.budget.max_nodes {
            return Err(self.error(codes::YAML_TOO_BIG, pos, format!("the front matter expands to more than {} values", self.budget.max_nodes), "remove aliases that repeat large parts of the document (an alias bomb), or split the data"));
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        let pos = self.pos(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self.error(
                        codes::YAML_MULTIPLE_DOCUMENTS,
                        pos,
                        "more than one YAML document",
                        "front matter is a single document: remove the extra --- line",
                    ));
                }
            }
            Event::Scalar(text, style, anchor, _tag) => {
                self.count(1, pos)?;
                let plain = style == ScalarStyle::Plain;
                let kind = if plain && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
                {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar {
                        text: text.into_owned(),
                        plain,
                    }
                };
                self.finish(Node { pos, kind }, anchor, 1)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.count(1, pos)?;
                if self.stack.len() >= self.budget.max_depth {
                    return Err(self.error(
                        codes::YAML_TOO_DEEP,
                        pos,
                        format!(
                            "the front matter nests deeper than {} levels",
                            self.budget.max_depth
                        ),
                        "flatten the structure; entries need only a few levels",
                    ));
                }
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    NodeKind::Seq(Vec::new())
                } else {
                    NodeKind::Map(Vec::new())
                };
                self.stack
                    .push((Node { pos, kind }, anchor, None, HashMap::new()));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, anchor, _, _)) = self.stack.pop() {
                    let size = count_nodes(&node);
                    self.finish(node, anchor, size)?;
                }
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return Err(self.error(
                        codes::YAML_UNKNOWN_ANCHOR,
                        pos,
                        "alias to an unknown anchor",
                        "define the anchor (&name) before using it (*name)",
                    ));
                };
                self.count(size, pos)?;
                let node = Node { pos, ..node };
                self.finish(node, 0, size)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// Attach a completed node to its parent (or make it the root).
    fn finish(&mut self, node: Node, anchor: usize, size: usize) -> Result<(), YamlError> {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some((parent, _, pending_key, key_lines)) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.kind {
            NodeKind::Seq(items) => items.push(node),
            NodeKind::Map(entries) => match pending_key.take() {
                None => {
                    let name = match &node.kind {
                        NodeKind::Scalar { text, .. } => text.clone(),
                        NodeKind::Null => String::new(),
                        _ => {
                            return Err(YamlError {
                                code: codes::YAML_COMPLEX_KEY,
                                pos: node.pos,
                                message: "a mapping key must be a plain name".into(),
                                help: "write keys as name: value".into(),
                            });
                        }
                    };
                    if let Some(line) = key_lines.get(&name) {
                        return Err(YamlError {
                            code: codes::DUPLICATE_KEY,
                            pos: node.pos,
                            message: format!("key \"{name}\" appears twice"),
                            help: format!("remove one of them; the first is on line {line}"),
                        });
                    }
                    key_lines.insert(name.clone(), node.pos.line);
                    *pending_key = Some(Key {
                        name,
                        pos: node.pos,
                    });
                }
                Some(key) => entries.push((key, node)),
            },
            _ => {}
        }
        Ok(())
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Seq(items) => items.iter().map(count_nodes).sum(),
        NodeKind::Map(entries) => entries.iter().map(|(_, v)| 1 + count_nodes(v)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: Budget = Budget {
        max_depth: 16,
        max_nodes: 1000,
    };

    fn map(node: &Node) -> &[(Key, Node)] {
        match &node.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    #[test]
    fn keeps_positions_and_raw_text() {
        let node = parse(
            "title: X\ndate: 2025-02\nlist:\n  - a\n  - 'b'\n",
            2,
            BUDGET,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let entries = map(&node);
        assert_eq!(entries[1].0.name, "date");
        assert_eq!(entries[1].1.pos, Pos::new(3, 7));
        assert_eq!(entries[1].1.as_scalar(), Some("2025-02"));
        match &entries[2].1.kind {
            NodeKind::Seq(items) => {
                assert_eq!(items[1].pos, Pos::new(6, 5));
                assert_eq!(
                    items[1].kind,
                    NodeKind::Scalar {
                        text: "b".into(),
                        plain: false
                    }
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_yaml_reports_position() {
        let err = parse("title: [unclosed\nx: 1\n", 2, BUDGET).err();
        let err = err.unwrap_or_else(|| panic!("expected an error"));
        assert!(err.message.starts_with("malformed YAML"));
        assert!(err.pos.line >= 2);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n", 1, BUDGET)
            .err()
            .map(|e| (e.pos, e.message));
        assert_eq!(
            err,
            Some((Pos::new(2, 1), "key \"a\" appears twice".into()))
        );
    }

    #[test]
    fn alias_bomb_hits_the_budget() {
        let mut doc = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
            let prev = ["a", "b", "c", "d", "e", "f", "g"][i];
            doc.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let err = parse(&doc, 1, BUDGET)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(err.contains("expands to more than 1000"), "{err}");
    }

    #[test]
    fn deep_nesting_hits_the_budget() {
        let doc = format!("a: {}{}", "[".repeat(100), "]".repeat(100));
        let err = parse(&doc, 1, BUDGET)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(err.contains("nests deeper"), "{err}");
    }

    #[test]
    fn many_keys_take_linear_time() {
        // Found by a probe beside the fuzz targets: each key was compared with every earlier key
        // of its mapping, so 49,000 keys (within the node budget) took minutes to reject or accept.
        let doc: String = (0..49_000).map(|i| format!("k{i}: x\n")).collect();
        let budget = Budget {
            max_depth: 16,
            max_nodes: 100_000,
        };
        let start = std::time::Instant::now();
        let node = parse(&format!("{doc}k7: again\n"), 1, budget).err();
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        let err = node.map(|e| (e.pos, e.help)).unwrap_or_default();
        assert_eq!(
            err,
            (
                Pos::new(49_001, 1),
                "remove one of them; the first is on line 8".into()
            )
        );
    }
}

//! The one YAML parse of a spec: saphyr-parser events -> a JSON tree plus a position index, in
//! linear time, with caps on nesting depth and alias expansion (every refusal located).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use serde_json::{Map, Number, Value};

use super::locate::{NodeId, SourceMap};

/// Deepest nesting of mappings and sequences a spec may use (the shipped specs use about 10).
pub const MAX_DEPTH: usize = 64;

/// Most nodes that aliases (`*name`) may copy in, all together: stops "billion laughs".
pub const MAX_ALIAS_NODES: usize = 100_000;

const DEPTH_HINT: &str = "specs nest a few levels; this looks like generated or broken input";

/// Why a YAML text could not become a tree: a stable code, a message and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `E0001` (syntax), `E0003` (a shape the spec language has no use for) or `E0005` (a limit).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// 1-based line and column.
    pub pos: (usize, usize),
    /// Dotted spec path of the node, where known.
    pub path: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// The parsed document: its JSON tree and where each dotted path starts.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The document as JSON (mapping keys as strings, scalars resolved by the YAML core schema).
    pub value: Value,
    /// Positions and duplicate keys.
    pub source: SourceMap,
}

/// Parses one YAML document into a [`Tree`].
pub fn parse(text: &str) -> Result<Tree, Refusal> {
    let mut builder = Builder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(scan_refusal)?;
        if builder.on_event(event, span)? {
            break;
        }
    }
    builder.map.sort_duplicates();
    Ok(Tree {
        value: builder.root.unwrap_or(Value::Null),
        source: builder.map,
    })
}

fn scan_refusal(e: ScanError) -> Refusal {
    let m = e.marker();
    if e.info().contains("recursion limit") {
        let mut r = refusal(
            "E0005",
            &format!("nesting deeper than {MAX_DEPTH} levels"),
            (m.line().max(1), m.col() + 1),
            "",
        );
        r.hint = Some(DEPTH_HINT.into());
        return r;
    }
    Refusal {
        code: "E0001",
        message: e.info().to_string(),
        pos: (m.line().max(1), m.col() + 1),
        path: String::new(),
        hint: Some("the spec is not valid YAML here".into()),
    }
}

/// A collection being built, with what its parent needs when it closes.
enum Frame {
    Map {
        node: NodeId,
        anchor: usize,
        nodes: usize,
        obj: Map<String, Value>,
        /// The key whose value comes next, and that value's node (where the key starts).
        key: Option<(String, NodeId)>,
    },
    Seq {
        node: NodeId,
        anchor: usize,
        nodes: usize,
        items: Vec<Value>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    map: SourceMap,
    root: Option<Value>,
    documents: usize,
    /// Anchored nodes and their sizes, for aliases.
    anchors: HashMap<usize, (Value, usize)>,
    alias_nodes: usize,
}

fn position(span: &Span) -> (usize, usize) {
    (span.start.line().max(1), span.start.col() + 1)
}

impl Builder {
    /// Handles one event; `true` once the document is complete.
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<bool, Refusal> {
        let pos = position(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(refusal("E0001", "a spec is one YAML document", pos, ""));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    self.on_key(text.into_owned(), pos)?;
                } else {
                    // The node is only needed to refuse a tag; a mapping value's position is
                    // its key's, recorded already.
                    let node = match (tag.is_some(), self.stack.last()) {
                        (false, Some(Frame::Map { .. })) => None,
                        _ => Some(self.value_node(pos)),
                    };
                    let path = || node.map(|n| self.map.path(n)).unwrap_or_default();
                    let value = scalar(&text, style, tag.as_deref(), pos, path)?;
                    self.finish(value, anchor, 1);
                }
            }
            Event::Alias(id) => self.on_alias(id, pos)?,
            Event::MappingStart(anchor, tag) => self.open(true, anchor, tag.as_deref(), pos)?,
            Event::SequenceStart(anchor, tag) => self.open(false, anchor, tag.as_deref(), pos)?,
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            Event::StreamEnd => return Ok(true),
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
        Ok(false)
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// The node of the value starting now, recorded at `pos` unless its key was recorded (a
    /// mapping value is its key's node).
    fn value_node(&mut self, pos: (usize, usize)) -> NodeId {
        match self.stack.last() {
            None => self.map.root(pos),
            Some(Frame::Seq { node, items, .. }) => self.map.item(*node, items.len(), pos),
            Some(Frame::Map {
                key: Some((_, node)),
                ..
            }) => *node,
            Some(Frame::Map { node, .. }) => self.map.unkeyed(*node, pos),
        }
    }

    fn on_key(&mut self, key: String, pos: (usize, usize)) -> Result<(), Refusal> {
        let Some(Frame::Map { node: parent, .. }) = self.stack.last() else {
            return Ok(());
        };
        let node = self.map.key(*parent, &key, pos);
        // a duplicate is noticed when its value is attached (one probe of the mapping)
        if let Some(Frame::Map { key: slot, .. }) = self.stack.last_mut() {
            *slot = Some((key, node));
        }
        Ok(())
    }

    fn on_alias(&mut self, id: usize, pos: (usize, usize)) -> Result<(), Refusal> {
        let (value, nodes) = self
            .anchors
            .get(&id)
            .cloned()
            .ok_or_else(|| refusal("E0001", "alias to an unknown anchor", pos, ""))?;
        self.alias_nodes += nodes;
        if self.alias_nodes > MAX_ALIAS_NODES {
            let mut r = refusal(
                "E0005",
                &format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                pos,
                "",
            );
            r.hint = Some("a spec needs no deeply repeated aliases; write the values out".into());
            return Err(r);
        }
        if self.expects_key() {
            return match value {
                Value::String(s) => self.on_key(s, pos),
                _ => Err(refusal("E0003", "a mapping key must be a string", pos, "")),
            };
        }
        self.value_node(pos);
        self.finish(value, 0, nodes);
        Ok(())
    }

    fn open(
        &mut self,
        is_map: bool,
        anchor: usize,
        tag: Option<&Tag>,
        pos: (usize, usize),
    ) -> Result<(), Refusal> {
        if self.expects_key() {
            let path = match self.stack.last() {
                Some(Frame::Map { node, .. }) => self.map.path(*node),
                _ => String::new(),
            };
            let mut r = refusal("E0003", "a mapping key must be a string", pos, &path);
            r.hint = Some("spec keys are plain names".into());
            return Err(r);
        }
        let node = self.value_node(pos);
        if let Some(tag) = tag {
            return Err(tag_refusal(tag, pos, &self.map.path(node)));
        }
        if self.stack.len() >= MAX_DEPTH {
            let mut r = refusal(
                "E0005",
                &format!("nesting deeper than {MAX_DEPTH} levels"),
                pos,
                &self.map.path(node),
            );
            r.hint = Some(DEPTH_HINT.into());
            return Err(r);
        }
        self.stack.push(if is_map {
            Frame::Map {
                node,
                anchor,
                nodes: 1,
                obj: Map::new(),
                key: None,
            }
        } else {
            Frame::Seq {
                node,
                anchor,
                nodes: 1,
                items: Vec::new(),
            }
        });
        Ok(())
    }

    fn close(&mut self) {
        match self.stack.pop() {
            Some(Frame::Map {
                anchor, nodes, obj, ..
            }) => self.finish(Value::Object(obj), anchor, nodes),
            Some(Frame::Seq {
                anchor,
                nodes,
                items,
                ..
            }) => self.finish(Value::Array(items), anchor, nodes),
            None => {}
        }
    }

    /// Attaches a complete node to its parent (or makes it the root).
    fn finish(&mut self, value: Value, anchor: usize, nodes: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq {
                items, nodes: n, ..
            }) => {
                *n += nodes;
                items.push(value);
            }
            Some(Frame::Map {
                obj, key, nodes: n, ..
            }) => {
                *n += nodes;
                if let Some((k, node)) = key.take() {
                    // every earlier key of this mapping has its value attached already
                    if obj.insert(k, value).is_some() {
                        self.map.duplicate(node);
                    }
                }
            }
        }
    }
}

fn refusal(code: &'static str, message: &str, pos: (usize, usize), path: &str) -> Refusal {
    Refusal {
        code,
        message: message.to_string(),
        pos,
        path: path.to_string(),
        hint: None,
    }
}

fn tag_refusal(tag: &Tag, pos: (usize, usize), path: &str) -> Refusal {
    let mut r = refusal(
        "E0003",
        &format!("YAML tag `{tag}` is not part of the spec language"),
        pos,
        path,
    );
    r.hint = Some("write enums as one-key maps, e.g. `place: { body_field: signature }`".into());
    r
}

/// Resolves a scalar by the YAML 1.2 core schema: null, booleans, numbers, else a string.
fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    pos: (usize, usize),
    path: impl FnOnce() -> String,
) -> Result<Value, Refusal> {
    if let Some(tag) = tag {
        if !tag.is_yaml_core_schema() {
            return Err(tag_refusal(tag, pos, &path()));
        }
        if tag.suffix == "str" {
            return Ok(Value::String(text.to_string()));
        }
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => number(text).map_or_else(|| Value::String(text.to_string()), Value::Number),
    })
}

/// A plain scalar that reads as a number: decimal, `0x`/`0o` integers, or a finite float (whose
/// text is kept as written where it is valid JSON, so `40.10` stays `40.10`).
fn number(text: &str) -> Option<Number> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    let first = digits.strip_prefix('-').unwrap_or(digits).chars().next()?;
    if !(first.is_ascii_digit() || first == '.') {
        return None;
    }
    if let Some(hex) = digits.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Number::from);
    }
    if let Some(oct) = digits.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Number::from);
    }
    if let Ok(i) = digits.parse::<i64>() {
        return Some(Number::from(i));
    }
    if let Ok(u) = digits.parse::<u64>() {
        return Some(Number::from(u));
    }
    let float: f64 = digits.parse().ok()?;
    if !float.is_finite() {
        return None;
    }
    serde_json::from_str::<Number>(digits)
        .ok()
        .or_else(|| Number::from_f64(float))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_values_positions_and_duplicates() {
        let text = "a:\n  b: 1\n  c: [x, {d: 2.50}]\nops:\n  x: 1\n  x: 'yes'\nn: ~\n";
        let tree = parse(text).expect("parses");
        assert_eq!(tree.value["a"]["c"][1]["d"].to_string(), "2.50");
        assert_eq!(tree.value["ops"]["x"], Value::String("yes".into()));
        assert_eq!(tree.value["n"], Value::Null);
        assert_eq!(tree.source.position("a.c[1].d"), (3, 11));
        assert_eq!(tree.source.duplicates, vec![("ops.x".to_string(), (6, 3))]);
    }

    #[test]
    fn aliases_copy_their_anchor() {
        let tree = parse("a: &x {k: [1, 2]}\nb: *x\n").expect("parses");
        assert_eq!(tree.value["b"], tree.value["a"]);
    }

    #[test]
    fn refuses_deep_nesting_with_a_position() {
        let text = "[".repeat(20_000);
        let r = parse(&text).expect_err("too deep");
        assert_eq!(r.code, "E0005");
        assert!(r.pos.0 == 1 && r.pos.1 > MAX_DEPTH, "located: {r:?}");
        let block: String = (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let r = parse(&block).expect_err("too deep");
        assert_eq!((r.code, r.pos), ("E0005", (MAX_DEPTH + 1, MAX_DEPTH + 1)));
    }

    #[test]
    fn refuses_alias_bombs_with_a_position() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let r = parse(&text).expect_err("bomb");
        assert_eq!(r.code, "E0005");
        assert!(r.pos.0 > 1, "located at the alias: {r:?}");
    }
}

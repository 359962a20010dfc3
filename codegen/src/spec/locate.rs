//! Source positions of spec paths (`operations.refund.request` -> line:col), and duplicate keys.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Where each dotted path of a YAML document starts, plus every duplicate mapping key.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    positions: BTreeMap<String, (usize, usize)>,
    /// Dotted paths whose key appears twice in the same mapping, with the second position.
    pub duplicates: Vec<(String, (usize, usize))>,
}

impl SourceMap {
    /// Indexes a YAML text; a text that does not parse yields an empty map.
    pub fn build(text: &str) -> SourceMap {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut builder, false);
        builder.map
    }

    /// Position of a path, or of its nearest indexed ancestor; (0, 0) when nothing matches.
    pub fn position(&self, path: &str) -> (usize, usize) {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.positions.get(&p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => return self.positions.get("").copied().unwrap_or((1, 1)),
            }
        }
    }
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        seen: Vec<String>,
    },
    Seq {
        path: String,
        index: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    map: SourceMap,
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl Builder {
    /// The path of the node starting now; advances the parent's state.
    fn next_path(&mut self, scalar: Option<&str>, pos: (usize, usize)) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, key, seen }) => match key.take() {
                Some(k) => Some(child(path, &k)),
                None => {
                    let k = scalar.unwrap_or("?").to_string();
                    let full = child(path, &k);
                    if seen.contains(&k) {
                        self.map.duplicates.push((full.clone(), pos));
                    } else {
                        seen.push(k.clone());
                    }
                    self.map.positions.insert(full, pos);
                    *key = Some(k);
                    None
                }
            },
        }
    }

    fn record(&mut self, path: &str, pos: (usize, usize)) {
        self.map.positions.entry(path.to_string()).or_insert(pos);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.next_path(Some(&value), pos) {
                    self.record(&p, pos);
                }
            }
            Event::Alias(_) => {
                let _ = self.next_path(Some("*alias"), pos);
            }
            Event::MappingStart(..) => {
                let path = self.next_path(None, pos).unwrap_or_default();
                self.record(&path, pos);
                self.stack.push(Frame::Map {
                    path,
                    key: None,
                    seen: Vec::new(),
                });
            }
            Event::SequenceStart(..) => {
                let path = self.next_path(None, pos).unwrap_or_default();
                self.record(&path, pos);
                self.stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_sequence_items_and_duplicates() {
        let text = "a:\n  b: 1\n  c: [x, {d: 2}]\nops:\n  x: 1\n  x: 2\n";
        let map = SourceMap::build(text);
        assert_eq!(map.position("a.b"), (2, 3));
        assert_eq!(map.position("a.c[1].d"), (3, 11));
        assert_eq!(map.position("a.b.missing"), (2, 3));
        assert_eq!(map.duplicates, vec![("ops.x".to_string(), (6, 3))]);
    }
}

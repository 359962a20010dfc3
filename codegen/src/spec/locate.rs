//! Source positions of spec paths (`operations.refund.request` -> line:col), and duplicate keys.

use std::collections::HashMap;
use std::sync::OnceLock;

type PathIndex = HashMap<String, (usize, usize), foldhash::fast::RandomState>;

/// A node of the document as the parse met it: a handle for [`SourceMap`]'s node methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(usize);

/// How a node hangs from its parent.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// The document itself (path ``).
    Root,
    /// A mapping key: `start..end` of [`SourceMap::names`].
    Key { start: usize, end: usize },
    /// A sequence item.
    Index(usize),
    /// A mapping value whose key was no string (path `<parent>.?`).
    Unkeyed,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    parent: usize,
    step: Step,
    pos: (usize, usize),
    /// A key: a later occurrence of the same path wins; otherwise the first one does.
    overwrite: bool,
}

/// Where each dotted path of a YAML document starts, plus every duplicate mapping key.
///
/// Filled by the one YAML parse (`spec::yaml`) as a log in document order (a node, its parent and
/// its key text in one shared buffer: no string and no hash per node), so loading stays linear and
/// touches memory in order. The path -> position index is built from the log on the first
/// [`position`](SourceMap::position) asked (only when something is reported); hashed with foldhash
/// (randomly seeded per process, so crafted keys cannot force collisions). A key's position wins
/// over its value's.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    nodes: Vec<Node>,
    names: String,
    index: OnceLock<PathIndex>,
    /// Dotted paths whose key appears twice in the same mapping, with the second position.
    pub duplicates: Vec<(String, (usize, usize))>,
}

impl SourceMap {
    /// Indexes a YAML text; a text that does not parse yields an empty map.
    pub fn build(text: &str) -> SourceMap {
        super::yaml::parse(text)
            .map(|tree| tree.source)
            .unwrap_or_default()
    }

    /// Position of a path, or of its nearest indexed ancestor; (1, 1) when nothing matches.
    pub fn position(&self, path: &str) -> (usize, usize) {
        let index = self.index();
        let mut p = path;
        loop {
            if let Some(pos) = index.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return index.get("").copied().unwrap_or((1, 1)),
            }
        }
    }

    /// The document node, starting at `pos`.
    pub fn root(&mut self, pos: (usize, usize)) -> NodeId {
        self.push(0, Step::Root, pos, false)
    }

    /// The value of mapping key `key` of `parent`, whose key starts at `pos`.
    pub fn key(&mut self, parent: NodeId, key: &str, pos: (usize, usize)) -> NodeId {
        let start = self.names.len();
        self.names.push_str(key);
        let end = self.names.len();
        self.push(parent.0, Step::Key { start, end }, pos, true)
    }

    /// Item `index` of sequence `parent`, starting at `pos`.
    pub fn item(&mut self, parent: NodeId, index: usize, pos: (usize, usize)) -> NodeId {
        self.push(parent.0, Step::Index(index), pos, false)
    }

    /// A value of mapping `parent` under a key that is not a string.
    pub fn unkeyed(&mut self, parent: NodeId, pos: (usize, usize)) -> NodeId {
        self.push(parent.0, Step::Unkeyed, pos, false)
    }

    /// Notes that the key of `node` was already in its mapping.
    pub fn duplicate(&mut self, node: NodeId) {
        let pos = self.nodes.get(node.0).map_or((1, 1), |n| n.pos);
        self.duplicates.push((self.path(node), pos));
    }

    /// Puts [`duplicates`](SourceMap::duplicates) in document order.
    pub fn sort_duplicates(&mut self) {
        self.duplicates.sort_by_key(|(_, pos)| *pos);
    }

    /// The dotted path of a node (`a.b[2].c`).
    pub fn path(&self, node: NodeId) -> String {
        let mut chain = Vec::new();
        let mut at = node.0;
        while let Some(n) = self.nodes.get(at) {
            if matches!(n.step, Step::Root) {
                break;
            }
            chain.push(n.step);
            at = n.parent;
        }
        let mut path = String::new();
        for step in chain.into_iter().rev() {
            self.extend(&mut path, step);
        }
        path
    }

    fn push(&mut self, parent: usize, step: Step, pos: (usize, usize), overwrite: bool) -> NodeId {
        self.nodes.push(Node {
            parent,
            step,
            pos,
            overwrite,
        });
        NodeId(self.nodes.len() - 1)
    }

    /// Appends one step to a parent's path.
    fn extend(&self, path: &mut String, step: Step) {
        match step {
            Step::Root => {}
            Step::Key { start, end } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(self.names.get(start..end).unwrap_or("?"));
            }
            Step::Index(i) => {
                use std::fmt::Write as _;
                let _ = write!(path, "[{i}]");
            }
            Step::Unkeyed => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push('?');
            }
        }
    }

    /// The path index, built once from the log: parents precede their children in it.
    fn index(&self) -> &PathIndex {
        self.index.get_or_init(|| {
            let mut paths: Vec<String> = Vec::with_capacity(self.nodes.len());
            let mut index =
                PathIndex::with_capacity_and_hasher(self.nodes.len(), Default::default());
            for node in &self.nodes {
                let mut path = match node.step {
                    Step::Root => String::new(),
                    _ => paths.get(node.parent).cloned().unwrap_or_default(),
                };
                self.extend(&mut path, node.step);
                if node.overwrite || !index.contains_key(&path) {
                    index.insert(path.clone(), node.pos);
                }
                paths.push(path);
            }
            index
        })
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
        assert_eq!(map.position("a.c[0]"), (3, 7));
        assert_eq!(map.position("a.b.missing"), (2, 3));
        assert_eq!(map.position("nowhere"), (1, 1));
        assert_eq!(map.duplicates, vec![("ops.x".to_string(), (6, 3))]);
    }

    #[test]
    fn a_repeated_key_is_found_at_its_last_occurrence_and_dotted_keys_match_whole() {
        let text = "k: 1\n\"a.b\": 2\nk:\n  - z\n";
        let map = SourceMap::build(text);
        assert_eq!(map.position("k"), (3, 1));
        assert_eq!(map.position("k[0]"), (4, 5));
        assert_eq!(map.position("a.b"), (2, 1));
    }

    #[test]
    fn duplicates_come_in_document_order_even_when_nested_in_a_duplicate() {
        let text = "a: 1\na:\n  b: 1\n  b: 2\n";
        let map = SourceMap::build(text);
        assert_eq!(
            map.duplicates,
            vec![("a".to_string(), (2, 1)), ("a.b".to_string(), (4, 3))]
        );
    }
}

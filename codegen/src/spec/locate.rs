//! Source positions of spec paths (`operations.refund.request` -> line:col), and duplicate keys.

use std::collections::HashMap;

/// Where each dotted path of a YAML document starts, plus every duplicate mapping key.
///
/// Filled by the one YAML parse (`spec::yaml`): a key's position wins over its value's. Hashed
/// with foldhash (randomly seeded per process, so crafted keys cannot force collisions): one
/// entry per node makes this the largest table of loading.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    positions: HashMap<String, (usize, usize), foldhash::fast::RandomState>,
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

    /// Records where a path starts unless it already has a position.
    pub fn record(&mut self, path: &str, pos: (usize, usize)) {
        if !self.positions.contains_key(path) {
            self.positions.insert(path.to_owned(), pos);
        }
    }

    /// Sets where a path starts (a key: the last occurrence of a duplicate wins).
    pub fn set(&mut self, path: String, pos: (usize, usize)) {
        self.positions.insert(path, pos);
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

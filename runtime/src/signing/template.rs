//! Pair templates (`"{key}={value}"`): parsed once, filled in one pass (no re-substitution);
//! the usual shape (text, `{key}`, text, `{value}`, text) written piece by piece with no walk
//! over the parsed pieces.

use std::ops::Range;

use super::text_buf::{Lit, TextBuf};
use super::SigningError;

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Key,
    Value,
}

/// A parsed pair template. `{key}` and `{value}` are placeholders; other text is literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
    /// The pieces as `before{key}between{value}after`, when they have that shape.
    key_value: Option<KeyValue>,
}

/// `before{key}between{value}after` (each text possibly empty): one key, then one value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyValue {
    before: Lit,
    between: Lit,
    after: Lit,
}

impl KeyValue {
    /// The shape of `pieces`, when it is text?, key, text?, value, text?.
    fn of(pieces: &[Piece]) -> Option<KeyValue> {
        let mut texts = [String::new(), String::new(), String::new()];
        let mut slot = 0;
        let mut expect = [Piece::Key, Piece::Value].into_iter();
        for piece in pieces {
            match piece {
                Piece::Text(t) => texts.get_mut(slot)?.push_str(t),
                placeholder => {
                    if expect.next().as_ref() != Some(placeholder) {
                        return None;
                    }
                    slot += 1;
                }
            }
        }
        let [before, between, after] = texts;
        (slot == 2).then(|| KeyValue {
            before: Lit::new(&before),
            between: Lit::new(&between),
            after: Lit::new(&after),
        })
    }
}

/// Appends a key, lower-cased when `lower_key`.
#[inline]
fn push_key(out: &mut TextBuf, key: &str, lower_key: bool) {
    if lower_key {
        out.push_lower(key);
    } else {
        out.push_str(key);
    }
}

impl Template {
    /// Parses a template; it must contain `{value}` (a pair that ignores values signs nothing).
    /// `what` names the template in the error (`canonical.pair`, `nested.pair`).
    pub(crate) fn parse(text: &str, what: &str) -> Result<Self, SigningError> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some((before, placeholder, after)) = next_placeholder(rest) {
            if !before.is_empty() {
                pieces.push(Piece::Text(before.to_string()));
            }
            pieces.push(placeholder);
            rest = after;
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        if !pieces.contains(&Piece::Value) {
            return Err(SigningError::InvalidRecipe(format!(
                "{what} {text:?} has no {{value}} placeholder"
            )));
        }
        Ok(Template {
            key_value: KeyValue::of(&pieces),
            pieces,
        })
    }

    /// The template with `key` and `value` filled in (tests; signing writes into one buffer).
    #[cfg(test)]
    pub(crate) fn render(&self, key: &str, value: &str) -> String {
        let mut out = TextBuf::new();
        self.write(&mut out, key, false, value);
        out.into_string()
    }

    /// Appends the template with `key` (lower-cased when `lower_key`) and `value` filled in.
    #[inline(always)]
    pub(crate) fn write(&self, out: &mut TextBuf, key: &str, lower_key: bool, value: &str) {
        match &self.key_value {
            Some(kv) => {
                kv.before.push_to(out);
                push_key(out, key, lower_key);
                kv.between.push_to(out);
                out.push_str(value);
                kv.after.push_to(out);
            }
            None => self.write_pieces(out, key, lower_key, value),
        }
    }

    /// [`Template::write`] by walking the pieces (any shape).
    fn write_pieces(&self, out: &mut TextBuf, key: &str, lower_key: bool, value: &str) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Key if lower_key => out.push_lower(key),
                Piece::Key => out.push_str(key),
                Piece::Value => out.push_str(value),
            }
        }
    }

    /// Appends the template with `key` filled in and `value` writing each `{value}`; returns
    /// where the first value's text lies in `out`.
    pub(crate) fn write_with(
        &self,
        out: &mut TextBuf,
        key: &str,
        lower_key: bool,
        mut value: impl FnMut(&mut TextBuf),
    ) -> Range<usize> {
        if let Some(kv) = &self.key_value {
            kv.before.push_to(out);
            push_key(out, key, lower_key);
            kv.between.push_to(out);
            let start = out.len();
            value(out);
            let span = start..out.len();
            kv.after.push_to(out);
            return span;
        }
        let mut span: Option<Range<usize>> = None;
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Key if lower_key => out.push_lower(key),
                Piece::Key => out.push_str(key),
                Piece::Value => {
                    let start = out.len();
                    value(out);
                    span.get_or_insert(start..out.len());
                }
            }
        }
        span.unwrap_or_default()
    }
}

/// The first `{key}` or `{value}` in `text`: (text before, placeholder, text after).
fn next_placeholder(text: &str) -> Option<(&str, Piece, &str)> {
    let key = text.find("{key}").map(|i| (i, Piece::Key, "{key}".len()));
    let value = text
        .find("{value}")
        .map(|i| (i, Piece::Value, "{value}".len()));
    let (at, piece, len) = match (key, value) {
        (Some(k), Some(v)) => {
            if k.0 < v.0 {
                k
            } else {
                v
            }
        }
        (Some(k), None) => k,
        (None, Some(v)) => v,
        (None, None) => return None,
    };
    Some((&text[..at], piece, &text[at + len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_once() {
        let t = Template::parse("{key}={value}", "pair").map(|t| t.render("{value}", "{key}"));
        assert_eq!(t.ok().as_deref(), Some("{value}={key}"));
    }

    #[test]
    fn literal_text_and_repeats() {
        let t = Template::parse("<{key}|{value}|{key}>", "pair").map(|t| t.render("k", "v"));
        assert_eq!(t.ok().as_deref(), Some("<k|v|k>"));
        let v = Template::parse("{value}", "pair").map(|t| t.render("k", "v"));
        assert_eq!(v.ok().as_deref(), Some("v"));
    }

    #[test]
    fn key_value_shape_writes_what_the_pieces_write() {
        let texts = [
            "{key}={value}",
            "{key}:{value}",
            "<{key}|{value}>",
            "{value}",
            "{key}{value}",
            "[{value}]",
            "{value}={key}",
            "{key}={value}/{key}",
            "{value}{value}",
            "a{key}b{value}c{key}",
        ];
        let expected_shape = [
            true, true, true, false, true, false, false, false, false, false,
        ];
        for (text, shaped) in texts.into_iter().zip(expected_shape) {
            let Ok(t) = Template::parse(text, "pair") else {
                panic!("{text} parses");
            };
            assert_eq!(t.key_value.is_some(), shaped, "{text}");
            for (key, lower) in [("Key", true), ("Key", false), ("kÉy", true), ("", true)] {
                let mut fast = TextBuf::new();
                t.write(&mut fast, key, lower, "v a");
                let mut slow = TextBuf::new();
                t.write_pieces(&mut slow, key, lower, "v a");
                assert_eq!(fast.as_str(), slow.as_str(), "{text} {key}");
                let mut with = TextBuf::new();
                let span = t.write_with(&mut with, key, lower, |o| o.push_str("v a"));
                assert_eq!(with.as_str(), slow.as_str(), "{text} {key}");
                assert_eq!(with.as_str().get(span), Some("v a"), "{text} {key}");
            }
        }
    }

    #[test]
    fn template_without_value_is_rejected() {
        assert!(matches!(
            Template::parse("{key}=", "pair"),
            Err(SigningError::InvalidRecipe(_))
        ));
    }
}

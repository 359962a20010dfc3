//! Pair templates (`"{key}={value}"`): parsed once, filled in one pass (no re-substitution).

use std::ops::Range;

use super::text_buf::TextBuf;
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
        Ok(Template { pieces })
    }

    /// The template with `key` and `value` filled in (tests; signing writes into one buffer).
    #[cfg(test)]
    pub(crate) fn render(&self, key: &str, value: &str) -> String {
        let mut out = TextBuf::new();
        self.write(&mut out, key, false, value);
        out.into_string()
    }

    /// Appends the template with `key` (lower-cased when `lower_key`) and `value` filled in.
    pub(crate) fn write(&self, out: &mut TextBuf, key: &str, lower_key: bool, value: &str) {
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
    fn template_without_value_is_rejected() {
        assert!(matches!(
            Template::parse("{key}=", "pair"),
            Err(SigningError::InvalidRecipe(_))
        ));
    }
}

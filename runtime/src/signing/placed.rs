//! Reading a placed value back: the signature candidates and generated values a received
//! header (or field) carries, by the recipe's `value` template (`t={timestamp},v1={signature}`).
//! The template's shape is worked out once ([`PlacedReader`]); reading borrows from the text.

use std::borrow::Cow;

use smallvec::SmallVec;

use super::message::{MessageTemplate, Piece, Var};

/// What a received placed text carries, borrowed from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Captured<'t> {
    /// Every signature candidate (a structured header may carry several).
    pub(crate) signatures: SmallVec<[&'t str; 2]>,
    pub(crate) timestamp: Option<Cow<'t, str>>,
    pub(crate) nonce: Option<Cow<'t, str>>,
}

impl<'t> Captured<'t> {
    fn put(&mut self, var: &Var, value: &'t str) {
        let value = value.trim();
        match var {
            Var::Signature => self.signatures.push(value),
            Var::Timestamp => self.timestamp = Some(Cow::Borrowed(value)),
            Var::Nonce => self.nonce = Some(Cow::Borrowed(value)),
            _ => {}
        }
    }
}

/// How a placed text is read, decided once from its template.
#[derive(Debug, Clone)]
pub(crate) enum PlacedReader {
    /// No template: the whole text is the signature.
    Whole,
    /// `k1={a}<sep>k2={b}...`: pairs in any order, a key possibly repeated.
    Pairs {
        sep: String,
        keys: Vec<(String, Var)>,
    },
    /// Literal pieces in order, each variable taking the text up to the next literal.
    Sequence(MessageTemplate),
}

impl PlacedReader {
    /// The reader of `template` (`None`: the whole text is the signature).
    pub(crate) fn new(template: Option<&MessageTemplate>) -> Self {
        match template {
            None => PlacedReader::Whole,
            Some(t) => match pair_shape(t) {
                Some((sep, keys)) => PlacedReader::Pairs { sep, keys },
                None => PlacedReader::Sequence(t.clone()),
            },
        }
    }

    /// Reads `text`; `None` when it does not have the template's shape.
    pub(crate) fn read<'t>(&self, text: &'t str) -> Option<Captured<'t>> {
        match self {
            PlacedReader::Whole => {
                let mut out = Captured::default();
                out.signatures.push(text.trim());
                Some(out)
            }
            PlacedReader::Pairs { sep, keys } => Some(read_pairs(text, sep, keys)),
            PlacedReader::Sequence(t) => read_sequence(t, text),
        }
    }
}

/// Reads `text` by `template` (`None`: the whole text is the signature).
#[cfg(test)]
pub(crate) fn read_placed<'t>(
    template: Option<&MessageTemplate>,
    text: &'t str,
) -> Option<Captured<'t>> {
    PlacedReader::new(template).read(text)
}

/// `k1={a}<sep>k2={b}...`: the separator and each key's variable, when the template has
/// that shape.
fn pair_shape(template: &MessageTemplate) -> Option<(String, Vec<(String, Var)>)> {
    let mut sep: Option<String> = None;
    let mut keys = Vec::new();
    let mut pending: Option<String> = None;
    for (i, piece) in template.pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => {
                let before_eq = t.strip_suffix('=')?;
                let key = if i == 0 {
                    before_eq.to_string()
                } else {
                    let split = before_eq
                        .char_indices()
                        .find(|(_, c)| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')?
                        .0;
                    let (s, k) = before_eq.split_at(split);
                    if s.is_empty() || sep.as_deref().is_some_and(|x| x != s) {
                        return None;
                    }
                    sep = Some(s.to_string());
                    k.to_string()
                };
                if key.is_empty() || key.contains(['=', ',', ';', ' ']) {
                    return None;
                }
                pending = Some(key);
            }
            Piece::Var(v, _) => keys.push((pending.take()?, v.clone())),
        }
    }
    if keys.len() < 2 || pending.is_some() {
        return None;
    }
    Some((sep?, keys))
}

fn read_pairs<'t>(text: &'t str, sep: &str, keys: &[(String, Var)]) -> Captured<'t> {
    let mut out = Captured::default();
    for part in text.split(sep) {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        if let Some((_, var)) = keys.iter().find(|(key, _)| key == k.trim()) {
            out.put(var, v);
        }
    }
    out
}

/// Literal pieces must match in order; each variable takes the text up to the next literal.
fn read_sequence<'t>(template: &MessageTemplate, text: &'t str) -> Option<Captured<'t>> {
    let mut out = Captured::default();
    let mut rest = text.trim();
    let mut pieces = template.pieces.iter().peekable();
    while let Some(piece) = pieces.next() {
        match piece {
            Piece::Text(t) => rest = rest.strip_prefix(t.as_str())?,
            Piece::Var(var, _) => {
                let end = match pieces.peek() {
                    Some(Piece::Text(next)) => rest.find(next.as_str())?,
                    _ => rest.len(),
                };
                out.put(var, &rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> MessageTemplate {
        MessageTemplate::parse(text, "value").unwrap_or(MessageTemplate { pieces: vec![] })
    }

    #[test]
    fn structured_pairs_any_order_several_candidates() {
        let c = read_placed(
            Some(&t("t={timestamp},v1={signature}")),
            "v1=aa, t=12,v0=zz,v1=bb",
        );
        assert_eq!(
            c,
            Some(Captured {
                signatures: SmallVec::from_slice(&["aa", "bb"]),
                timestamp: Some("12".into()),
                nonce: None
            })
        );
    }

    #[test]
    fn sequence_with_literals() {
        let c = read_placed(
            Some(&t("HMAC {credential.id}:{signature}")),
            "HMAC key-1:c2ln",
        );
        assert_eq!(c.map(|c| c.signatures.to_vec()), Some(vec!["c2ln"]));
        assert_eq!(read_placed(Some(&t("HMAC {signature}")), "Basic abc"), None);
        let plain = read_placed(None, " abc ");
        assert_eq!(plain.map(|c| c.signatures.to_vec()), Some(vec!["abc"]));
    }
}

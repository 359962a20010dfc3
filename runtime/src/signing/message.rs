//! Message and value templates (`"{timestamp}.{raw_body}"`, `"t={timestamp},v1={signature}"`):
//! parsed once into pieces, then rendered against a [`RequestView`] without re-parsing.

use super::view::RequestView;

/// A digest of the raw body usable in templates (`{body_digest.sha256.base64}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyHash {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

/// How a body digest is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyHashText {
    Hex,
    HexUpper,
    Base64,
}

/// A template variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Var {
    Method,
    Path,
    Query,
    Target,
    Host,
    Url,
    PathParam(String),
    QueryParam(String),
    Header(String),
    Field(String),
    RawBody,
    BodyDigest(BodyHash, BodyHashText),
    Canonical,
    Credential(String),
    Secret,
    Timestamp,
    Nonce,
    Signature,
}

/// A filter applied to a variable's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Filter {
    Default(String),
    SkipAbsent,
    Escape(String),
    Percent,
    Lower,
    Upper,
    Trim,
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Var(Var, Vec<Filter>),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MessageTemplate {
    pub(crate) pieces: Vec<Piece>,
}

/// How secrets render: their value (signing) or a placeholder (debugging output).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretsShown {
    Value,
    Masked,
}

impl MessageTemplate {
    /// Parses `text`; errors are sentences naming the problem (`what` names the template).
    pub(crate) fn parse(text: &str, what: &str) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            literal.push_str(&rest[..i]);
            let tail = &rest[i..];
            if let Some(after) = tail.strip_prefix("{{") {
                literal.push('{');
                rest = after;
                continue;
            }
            if let Some(after) = tail.strip_prefix("}}") {
                literal.push('}');
                rest = after;
                continue;
            }
            if tail.starts_with('}') {
                return Err(format!(
                    "{what} {text:?}: unmatched `}}` (write `}}}}` for a literal brace)"
                ));
            }
            let close = tail
                .find('}')
                .ok_or_else(|| format!("{what} {text:?}: unclosed `{{`"))?;
            let inner = &tail[1..close];
            if !literal.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
            }
            pieces.push(parse_placeholder(inner).map_err(|e| format!("{what}: {e}"))?);
            rest = &tail[close + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(MessageTemplate { pieces })
    }

    /// Every variable the template names.
    pub(crate) fn vars(&self) -> impl Iterator<Item = &Var> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v, _) => Some(v),
            Piece::Text(_) => None,
        })
    }

    /// Whether the template names `var`.
    pub(crate) fn uses(&self, var: &Var) -> bool {
        self.vars().any(|v| v == var)
    }

    /// Renders into `out` (bytes: a raw body need not be UTF-8).
    pub(crate) fn render(&self, view: &RequestView<'_>, shown: SecretsShown, out: &mut Vec<u8>) {
        let mut skip_next_text = false;
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => {
                    if !std::mem::take(&mut skip_next_text) {
                        out.extend_from_slice(t.as_bytes());
                    }
                }
                Piece::Var(var, filters) => {
                    skip_next_text = false;
                    match view.lookup(var, shown) {
                        Some(value) if filters.is_empty() => out.extend_from_slice(&value),
                        Some(value) => out.extend_from_slice(apply(filters, &value).as_bytes()),
                        None => match absent_text(filters) {
                            Some(text) => out.extend_from_slice(text.as_bytes()),
                            None => skip_next_text = true,
                        },
                    }
                }
            }
        }
    }

    /// Renders to text (lossy for non-UTF-8 bytes).
    pub(crate) fn render_text(&self, view: &RequestView<'_>, shown: SecretsShown) -> String {
        let mut out = Vec::new();
        self.render(view, shown, &mut out);
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// The template if it is exactly one variable without filters.
    pub(crate) fn single_var(&self) -> Option<&Var> {
        match self.pieces.as_slice() {
            [Piece::Var(v, f)] if f.is_empty() => Some(v),
            _ => None,
        }
    }
}

/// Text of an absent value: `None` when it is skipped (with the literal after it).
fn absent_text(filters: &[Filter]) -> Option<String> {
    let mut text = String::new();
    for f in filters {
        match f {
            Filter::SkipAbsent => return None,
            Filter::Default(d) => text = d.clone(),
            _ => {}
        }
    }
    Some(text)
}

fn apply(filters: &[Filter], value: &[u8]) -> String {
    let mut text = String::from_utf8_lossy(value).into_owned();
    for f in filters {
        text = match f {
            Filter::Default(_) | Filter::SkipAbsent => text,
            Filter::Escape(chars) => escape(&text, chars),
            Filter::Percent => crate::wire::percent_encode(&text, false),
            Filter::Lower => text.to_lowercase(),
            Filter::Upper => text.to_uppercase(),
            Filter::Trim => text.trim().to_string(),
        };
    }
    text
}

fn escape(text: &str, chars: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if c == '\\' || chars.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn parse_placeholder(inner: &str) -> Result<Piece, String> {
    let mut parts = inner.split('|');
    let name = parts.next().unwrap_or_default().trim();
    let var = parse_var(name)?;
    let filters = parts.map(parse_filter).collect::<Result<Vec<_>, _>>()?;
    Ok(Piece::Var(var, filters))
}

fn parse_filter(text: &str) -> Result<Filter, String> {
    let (name, arg) = match text.split_once(':') {
        Some((n, a)) => (n, Some(a)),
        None => (text, None),
    };
    Ok(match (name, arg) {
        ("default", Some(a)) => Filter::Default(a.to_string()),
        ("skip_absent", None) => Filter::SkipAbsent,
        ("escape", Some(a)) if !a.is_empty() => Filter::Escape(a.to_string()),
        ("percent", None) => Filter::Percent,
        ("lower", None) => Filter::Lower,
        ("upper", None) => Filter::Upper,
        ("trim", None) => Filter::Trim,
        _ => {
            return Err(format!(
                "unknown filter `{text}` (default:TEXT, skip_absent, escape:CHARS, percent, lower, upper, trim)"
            ))
        }
    })
}

/// The variables a template may name, for error hints.
pub(crate) const VARIABLES: &str = "method, path, query, target, host, url, path.NAME, query.NAME, header.NAME, field.PATH, raw_body, body_digest.ALG.ENC, canonical, credential.NAME, secret, timestamp, nonce, signature";

fn parse_var(name: &str) -> Result<Var, String> {
    let simple = match name {
        "method" => Some(Var::Method),
        "path" => Some(Var::Path),
        "query" => Some(Var::Query),
        "target" => Some(Var::Target),
        "host" => Some(Var::Host),
        "url" => Some(Var::Url),
        "raw_body" => Some(Var::RawBody),
        "canonical" => Some(Var::Canonical),
        "secret" => Some(Var::Secret),
        "timestamp" => Some(Var::Timestamp),
        "nonce" => Some(Var::Nonce),
        "signature" => Some(Var::Signature),
        _ => None,
    };
    if let Some(v) = simple {
        return Ok(v);
    }
    let unknown = || format!("unknown template variable `{{{name}}}` (known: {VARIABLES})");
    let (head, tail) = name.split_once('.').ok_or_else(unknown)?;
    if tail.is_empty() {
        return Err(unknown());
    }
    Ok(match head {
        "path" => Var::PathParam(tail.to_string()),
        "query" => Var::QueryParam(tail.to_string()),
        "header" => Var::Header(tail.to_ascii_lowercase()),
        "field" => Var::Field(tail.to_string()),
        "credential" => Var::Credential(tail.to_string()),
        "body_digest" => parse_body_digest(tail).ok_or_else(|| {
            format!("`{{{name}}}`: body_digest.ALG.ENC with ALG md5|sha1|sha256|sha512 and ENC hex|hex_upper|base64")
        })?,
        _ => return Err(unknown()),
    })
}

fn parse_body_digest(tail: &str) -> Option<Var> {
    let (alg, enc) = tail.split_once('.')?;
    let alg = match alg {
        "md5" => BodyHash::Md5,
        "sha1" => BodyHash::Sha1,
        "sha256" => BodyHash::Sha256,
        "sha512" => BodyHash::Sha512,
        _ => return None,
    };
    let enc = match enc {
        "hex" => BodyHashText::Hex,
        "hex_upper" => BodyHashText::HexUpper,
        "base64" => BodyHashText::Base64,
        _ => return None,
    };
    Some(Var::BodyDigest(alg, enc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_literals_braces_and_filters() {
        let t = MessageTemplate::parse("a{{b}}{field.x.y|default:N/A|upper}\n{nonce}", "m")
            .expect("parses");
        assert_eq!(
            t.pieces,
            vec![
                Piece::Text("a{b}".into()),
                Piece::Var(
                    Var::Field("x.y".into()),
                    vec![Filter::Default("N/A".into()), Filter::Upper]
                ),
                Piece::Text("\n".into()),
                Piece::Var(Var::Nonce, vec![]),
            ]
        );
    }

    #[test]
    fn rejects_unknown_variables_filters_and_braces() {
        assert!(MessageTemplate::parse("{bogus}", "m")
            .err()
            .is_some_and(|e| e.contains("unknown template variable `{bogus}`")));
        assert!(MessageTemplate::parse("{nonce|shout}", "m")
            .err()
            .is_some_and(|e| e.contains("unknown filter")));
        assert!(MessageTemplate::parse("{nonce", "m").is_err());
        assert!(MessageTemplate::parse("x}", "m").is_err());
        assert!(MessageTemplate::parse("{body_digest.sha3.hex}", "m").is_err());
        assert!(MessageTemplate::parse("{field.}", "m").is_err());
    }

    #[test]
    fn escape_prefixes_backslash_and_listed_chars() {
        assert_eq!(escape(r"a:b\c", ":"), r"a\:b\\c");
    }
}

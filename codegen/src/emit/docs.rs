//! Doc comments: spec text becomes `#[doc = "..."]` attributes (always as string literals).

use std::borrow::Cow;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use super::arms::Tokens;
use crate::ir::{Field, MoneyWire, Provider, TypeRef};

/// Doc attributes for optional text; one attribute per line.
pub fn doc(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => doc_text(t),
        None => TokenStream::new(),
    }
}

/// Doc attributes for text; one attribute per line, each line prefixed with a space. Spec text
/// is made safe first ([`safe_line`]). The tokens are those of `quote! { #[doc = #line] }`, built
/// directly (this runs for every documented item and member of a spec).
pub fn doc_text(text: &str) -> TokenStream {
    let mut t = Tokens::with_capacity(8);
    push_doc(&mut t, text);
    t.finish()
}

/// The attributes of [`doc_text`], pushed onto `t` (no stream made for them alone).
pub fn push_doc(t: &mut Tokens, text: &str) {
    for l in text.trim_end().lines() {
        let safe = safe_line(l);
        let l = link_urls(&safe);
        // the line as written: empty, or a space and the text without trailing whitespace
        let literal = if l.is_empty() {
            string_literal("")
        } else {
            spaced_literal(l.trim_end())
        };
        let [pound, attribute] = doc_attribute(literal);
        t.tree(pound).tree(attribute);
    }
}

/// The string literal of `" "` followed by `text`, built in one string when only quotes and
/// backslashes need escaping.
fn spaced_literal(text: &str) -> Literal {
    if let Some(literal) = quoted(" ", text) {
        return literal;
    }
    let mut line = String::with_capacity(text.len() + 1);
    line.push(' ');
    line.push_str(text);
    Literal::string(&line)
}

/// The string literal of `prefix` then `text` (`prefix` printable ASCII without `"` or `\`) when
/// `text` is printable ASCII: the text in quotes with its quotes and backslashes escaped, as
/// `Literal::string` escapes them (the other characters need none), checked by lexing it.
fn quoted(prefix: &str, text: &str) -> Option<Literal> {
    quoted_with("\"", prefix, text)
}

/// [`quoted`] opening with `open` (`"` or `b"`).
fn quoted_with(open: &str, prefix: &str, text: &str) -> Option<Literal> {
    let mut escapes = 0;
    for b in text.bytes() {
        if !(b' '..=b'~').contains(&b) {
            return None;
        }
        escapes += usize::from(b == b'"' || b == b'\\');
    }
    let mut repr = String::with_capacity(text.len() + prefix.len() + escapes + 3);
    repr.push_str(open);
    repr.push_str(prefix);
    if escapes == 0 {
        repr.push_str(text);
    } else {
        for c in text.chars() {
            if c == '"' || c == '\\' {
                repr.push('\\');
            }
            repr.push(c);
        }
    }
    repr.push('"');
    repr.parse().ok()
}

/// `#[doc = literal]`.
fn doc_attribute(literal: Literal) -> [TokenTree; 2] {
    let inner: TokenStream = [
        TokenTree::Ident(Ident::new("doc", Span::call_site())),
        TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        TokenTree::Literal(literal),
    ]
    .into_iter()
    .collect();
    [
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, inner)),
    ]
}

/// `Literal::string(text)`, faster for printable ASCII (as most doc lines and wire names are):
/// its literal is the text in quotes with quotes and backslashes escaped, which is only
/// checked, instead of escaped one character at a time. The same token either way.
pub(super) fn string_literal(text: &str) -> Literal {
    quoted("", text).unwrap_or_else(|| Literal::string(text))
}

/// `Literal::byte_string(text.as_bytes())`, faster for printable ASCII the same way as
/// [`string_literal`] (a byte string escapes quotes and backslashes alike). The same token.
pub(super) fn byte_string_literal(text: &str) -> Literal {
    quoted_with("b\"", "", text).unwrap_or_else(|| Literal::byte_string(text.as_bytes()))
}

/// Bare `http(s)://` URLs written as `<...>` autolinks (rustdoc warns on bare URLs); URLs
/// already in `<...>`, backticks or a markdown link are left alone.
fn link_urls(line: &str) -> Cow<'_, str> {
    static BARE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    // every URL the pattern links contains `http`: most lines are returned without a search
    if !line.contains("http") || line.contains('`') || line.contains("](") {
        return Cow::Borrowed(line);
    }
    let Some(re) = BARE
        .get_or_init(|| {
            regex::Regex::new(r"(^|[\s(\[,;])(https?://[^\s<>`)\]]*[^\s<>`)\].,;:])").ok()
        })
        .as_ref()
    else {
        return Cow::Borrowed(line);
    };
    re.replace_all(line, "$1<$2>")
}

/// Whether `c` reorders how text displays (the "Trojan Source" characters rustc refuses in
/// comments and literals) or is otherwise invisible control.
fn unsafe_char(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || (c.is_control() && c != '\t')
}

/// One doc line with bidirectional and control characters written as visible escapes
/// (`\u{202e}`): a doc comment shows them, never obeys them.
pub fn safe_line(line: &str) -> Cow<'_, str> {
    // printable ASCII and tabs (most lines) hold none, checked a byte at a time
    let plain = line
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) || b == b'\t');
    if plain || !line.chars().any(unsafe_char) {
        return Cow::Borrowed(line);
    }
    line.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Doc attributes with a fallback sentence when the spec says nothing.
pub fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    doc_text(text.unwrap_or(fallback))
}

/// The doc of an object member: the spec's text (or, when the spec has none, the doc of the named
/// type the field refers to; otherwise nothing), then for money the Rust unit and the wire form,
/// and for `local` fields that they are never sent. Empty when none of these applies.
pub fn field_doc(p: &Provider, f: &Field, strict: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(text) = f.doc.as_deref().or_else(|| referred_type_doc(p, &f.ty)) {
        parts.push(text.trim_end().to_string());
    }
    if let TypeRef::Money { currency, wire } = &f.ty {
        let on_wire = match wire {
            MoneyWire::IntegerMinor => "an integer in minor units",
            MoneyWire::DecimalNumber => "a JSON number in major units",
            MoneyWire::DecimalString => "a string in major units",
        };
        let rust = if strict || *wire == MoneyWire::IntegerMinor {
            format!(
                "`MinorUnits`, minor units of {} (`MinorUnits(1050)` is 10.50 in a two-decimal currency)",
                currency.describe()
            )
        } else {
            format!(
                "`Decimal`, major units of {} exactly as sent",
                currency.describe()
            )
        };
        parts.push(format!("Rust: {rust}. Wire: {on_wire}."));
    }
    if f.local {
        parts.push("Not sent: the client uses it to encode other fields.".to_string());
    }
    parts.join("\n\n")
}

/// The spec's doc of the named type a field refers to, if it has one.
fn referred_type_doc<'a>(p: &'a Provider, ty: &TypeRef) -> Option<&'a str> {
    let TypeRef::Named(id) = ty else {
        return None;
    };
    p.ty(*id).doc.as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_and_control_characters_are_shown_not_obeyed() {
        assert_eq!(
            safe_line("plain \"#raw\"# \\ text"),
            "plain \"#raw\"# \\ text"
        );
        assert_eq!(safe_line("a\u{202E}b"), "a\\u{202e}b");
        assert_eq!(
            safe_line("x\u{2066}y\u{0}z\rw"),
            "x\\u{2066}y\\u{0}z\\u{d}w"
        );
        assert_eq!(safe_line("tab\there"), "tab\there");
    }

    #[test]
    fn string_literals_are_those_of_literal_string() {
        let texts = [
            "",
            " plain text, with 'quotes' and <https://x.example/?a=1&b=2>",
            "say \"hi\"",
            "back\\slash",
            "\"quoted\" at both ends\\",
            "mixed \\\" and \"\\ and '\\'",
            "\\",
            ",\"key\":",
            "tab\there",
            "nul\0 and \u{7f}",
            "caf\u{e9} \u{202e} \u{301}",
            "~ ! # $ % ^ & * ( ) _ + ` { } [ ] | : ; < > , . ? /",
        ];
        for text in texts {
            assert_eq!(
                string_literal(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
            assert_eq!(
                byte_string_literal(text).to_string(),
                Literal::byte_string(text.as_bytes()).to_string(),
                "{text:?}"
            );
            assert_eq!(
                spaced_literal(text).to_string(),
                Literal::string(&format!(" {text}")).to_string(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            link_urls("see https://x.example/a?b=1 (or http://y.example)."),
            "see <https://x.example/a?b=1> (or <http://y.example>)."
        );
        assert_eq!(
            link_urls("already <https://x.example>"),
            "already <https://x.example>"
        );
        assert_eq!(
            link_urls("code `https://x.example`"),
            "code `https://x.example`"
        );
    }
}

//! Naming: wire names to Rust identifiers (case conversion, keywords, leading digits).

use std::borrow::Cow;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Whether `name` is one of [`KEYWORDS`]: every keyword is lowercase ASCII of 2 to 8 letters,
/// so most names (types, longer fields) are told apart without a search.
fn is_keyword(name: &str) -> bool {
    (2..=8).contains(&name.len())
        && name.as_bytes()[0].is_ascii_lowercase()
        && KEYWORDS.contains(&name)
}

/// Keywords that cannot be raw identifiers either.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Why a name cannot become a Rust identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The name is a keyword that even `r#` cannot escape.
    Reserved(String),
    /// Nothing usable is left after conversion.
    Empty,
}

/// `raw` with every character but ASCII letters and digits replaced by `_`; borrowed when
/// nothing is to replace (most names).
fn sanitize(raw: &str) -> Cow<'_, str> {
    if raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Cow::Borrowed(raw);
    }
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn check(name: String, prefix: &str) -> Result<String, NameError> {
    let trimmed = name.trim_matches('_');
    if trimmed.is_empty() {
        return Err(NameError::Empty);
    }
    if RESERVED.contains(&name.as_str()) {
        return Err(NameError::Reserved(name));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(format!("{prefix}{name}"));
    }
    Ok(name)
}

/// snake_case name of a field, operation or module (`invoiceId` -> `invoice_id`, `3ds` -> `n3ds`).
pub fn snake(raw: &str) -> Result<String, NameError> {
    check(snake_case(&sanitize(raw)), "n")
}

/// PascalCase name of a type or variant (`threeDsModel` -> `ThreeDsModel`, `1` -> `V1`).
pub fn pascal(raw: &str) -> Result<String, NameError> {
    let converted = upper_camel_case(&sanitize(raw));
    let converted = if converted == "Self" {
        "Self_".to_string()
    } else {
        converted
    };
    check(converted, "V")
}

/// Variant name of an enum value: [`pascal`], with `Unknown` (the catch-all `Unknown(raw)` of
/// every generated enum) renamed `ProviderUnknown`.
pub fn enum_variant(raw: &str) -> Result<String, NameError> {
    pascal(raw).map(|p| {
        if p == "Unknown" {
            "ProviderUnknown".to_string()
        } else {
            p
        }
    })
}

/// SCREAMING_SNAKE_CASE name of a constant.
pub fn screaming(raw: &str) -> String {
    snake_case(&sanitize(raw)).to_uppercase()
}

/// `heck`'s snake_case, for ASCII text without its per-character formatting (names are
/// converted thousands of times per spec); other text goes to `heck`.
fn snake_case(text: &str) -> String {
    if is_snake(text.as_bytes()) {
        return text.to_string();
    }
    if !text.is_ascii() {
        return text.to_snake_case();
    }
    let mut out = Vec::with_capacity(text.len() + 4);
    ascii_words(text.as_bytes(), |word, first| {
        if !first {
            out.push(b'_');
        }
        out.extend(word.iter().map(u8::to_ascii_lowercase));
    });
    // ASCII in, ASCII out: the check cannot fail
    String::from_utf8(out).unwrap_or_default()
}

/// `heck`'s UpperCamelCase, for ASCII text as [`snake_case`]. Text already in that form (most
/// spec names of types and variants) is copied without splitting it into words.
fn upper_camel_case(text: &str) -> String {
    if is_upper_camel(text.as_bytes()) {
        return text.to_string();
    }
    if !text.is_ascii() {
        return text.to_upper_camel_case();
    }
    let mut out = Vec::with_capacity(text.len());
    ascii_words(text.as_bytes(), |word, _| {
        if let Some((head, rest)) = word.split_first() {
            out.push(head.to_ascii_uppercase());
            out.extend(rest.iter().map(u8::to_ascii_lowercase));
        }
    });
    // ASCII in, ASCII out: the check cannot fail
    String::from_utf8(out).unwrap_or_default()
}

/// Whether [`snake_case`] leaves `text` as it is: lowercase ASCII letters and digits in words
/// joined by single `_`s. Such text has no uppercase letter to split before, so its words are
/// those between the `_`s, which snake_case writes unchanged and joins again.
fn is_snake(text: &[u8]) -> bool {
    !text.is_empty()
        && !text.starts_with(b"_")
        && !text.ends_with(b"_")
        && text
            .iter()
            .zip(&text[1..])
            .all(|(&a, &b)| a != b'_' || b != b'_')
        && text
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether [`upper_camel_case`] leaves `text` as it is: ASCII letters and digits starting with
/// an uppercase letter, every other uppercase letter right after a lowercase one. Such text
/// splits into words only before its uppercase letters (see [`ascii_words`]), each word an
/// uppercase letter then lowercase letters and digits, which UpperCamelCase writes unchanged.
fn is_upper_camel(text: &[u8]) -> bool {
    let Some((first, rest)) = text.split_first() else {
        return false;
    };
    first.is_ascii_uppercase()
        && rest.iter().zip(text).all(|(&c, &before)| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || (c.is_ascii_uppercase() && before.is_ascii_lowercase())
        })
}

/// The words of ASCII text as `heck` splits them (its `transform`): runs of letters and digits,
/// split again before an uppercase letter that follows a lowercase one (`fooBar`) and before the
/// last uppercase letter of a run followed by a lowercase one (`HTTPServer`); digits take the
/// case of what precedes them. `with_word` gets each word and whether it is the first.
fn ascii_words(text: &[u8], mut with_word: impl FnMut(&[u8], bool)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    let mut first = true;
    for word in text.split(|b| !b.is_ascii_alphanumeric()) {
        let (mut init, mut mode) = (0, Mode::Boundary);
        for (i, &c) in word.iter().enumerate() {
            let Some(&next) = word.get(i + 1) else {
                with_word(&word[init..], first);
                first = false;
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                with_word(&word[init..=i], first);
                first = false;
                (init, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                with_word(&word[init..i], first);
                first = false;
                (init, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
}

/// The identifier token: keywords become raw identifiers (`type` -> `r#type`).
pub fn ident(name: &str) -> Ident {
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_told_apart_by_their_shape() {
        assert!(KEYWORDS.iter().all(|k| is_keyword(k)));
        for name in ["type_", "Type", "types", "x", "continued", "r#type", "self"] {
            assert!(!is_keyword(name), "{name}");
        }
    }

    #[test]
    fn converts_cases_digits_and_keywords() {
        assert_eq!(snake("invoiceId").unwrap(), "invoice_id");
        assert_eq!(snake("expiry date").unwrap(), "expiry_date");
        assert_eq!(snake("3ds").unwrap(), "n3ds");
        assert_eq!(
            pascal("AwaitingAuthentication").unwrap(),
            "AwaitingAuthentication"
        );
        assert_eq!(pascal("1").unwrap(), "V1");
        assert_eq!(pascal("sbp_qr").unwrap(), "SbpQr");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(snake("self"), Err(NameError::Reserved("self".into())));
        assert_eq!(snake("__"), Err(NameError::Empty));
        assert_eq!(screaming("charge_card"), "CHARGE_CARD");
    }

    /// Every string of up to 6 characters over letters of both cases, a digit and separators:
    /// the ASCII conversions give exactly `heck`'s output.
    #[test]
    fn ascii_conversions_are_those_of_heck() {
        let alphabet = ['a', 'b', 'X', 'Y', '7', '_', '-'];
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..6 {
            let mut longer = Vec::with_capacity(texts.len() * alphabet.len());
            for text in &texts {
                for c in alphabet {
                    let mut t = text.clone();
                    t.push(c);
                    assert_eq!(snake_case(&t), t.to_snake_case(), "{t:?}");
                    assert_eq!(upper_camel_case(&t), t.to_upper_camel_case(), "{t:?}");
                    if is_snake(t.as_bytes()) {
                        assert_eq!(t.to_snake_case(), t, "{t:?}");
                    }
                    if is_upper_camel(t.as_bytes()) {
                        assert_eq!(t.to_upper_camel_case(), t, "{t:?}");
                    }
                    checked += 1;
                    longer.push(t);
                }
            }
            texts = longer;
        }
        assert!(checked > 130_000, "{checked}");
        for t in [
            "HTTPServer",
            "threeDSecure2",
            "ABC",
            "a1B2c3",
            "XMLHttpRequest_v2",
            "__x__",
            "YooMoneyYandexMoney",
            "A1B",
            "Ab1Cd",
            "Self",
        ] {
            assert_eq!(snake_case(t), t.to_snake_case(), "{t:?}");
            assert_eq!(upper_camel_case(t), t.to_upper_camel_case(), "{t:?}");
        }
        // the copy is taken for names already in the form, and only for them
        assert!(is_upper_camel(b"YooMoneyYandexMoney") && is_upper_camel(b"V1"));
        assert!(!is_upper_camel(b"A1B") && !is_upper_camel(b"HTTPServer") && !is_upper_camel(b""));
        assert_eq!(pascal("Self").unwrap(), "Self_");
        assert!(is_snake(b"invoice_id") && is_snake(b"3ds") && is_snake(b"a1b2"));
        assert!(!is_snake(b"a__b") && !is_snake(b"_a") && !is_snake(b"a_") && !is_snake(b"aB"));
        assert_eq!(snake("3ds").unwrap(), "n3ds");
    }
}

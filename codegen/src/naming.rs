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
    check(sanitize(raw).to_snake_case(), "n")
}

/// PascalCase name of a type or variant (`threeDsModel` -> `ThreeDsModel`, `1` -> `V1`).
pub fn pascal(raw: &str) -> Result<String, NameError> {
    let converted = sanitize(raw).to_upper_camel_case();
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
    sanitize(raw).to_snake_case().to_uppercase()
}

/// The identifier token: keywords become raw identifiers (`type` -> `r#type`).
pub fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

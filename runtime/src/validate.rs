//! Request validation: every check pushes a [`FieldError`] (path, rule, message) into
//! [`ValidationErrors`], so one call reports every bad field. Messages never echo the value.

use std::fmt;

pub use crate::clock::days_in_month;
use crate::currency::{currency_exponent, is_country_alpha2};
use crate::money::MinorUnits;

pub use crate::field_errors::{FieldError, ValidationErrors};
pub use crate::pattern::{check_compiled_pattern, check_pattern, compile_pattern, Pattern};

/// `prefix.name`, or `name` when the prefix is empty.
pub fn join_path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// [`join_path`] borrowed when the prefix is empty: a top-level field's path costs no
/// allocation on the request path (generated code; inlined there, it is called per field).
#[inline]
pub fn field_path<'a>(prefix: &str, name: &'a str) -> std::borrow::Cow<'a, str> {
    if prefix.is_empty() {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(join_path(prefix, name))
    }
}

/// Runs `check` on a nested value at the empty path, then puts `prefix` (the value's own path)
/// in front of the paths of the errors it recorded: every path the same as checking at
/// `prefix` directly, but built only when a check fails (generated code; nothing allocated
/// for a valid request).
pub fn within<R>(
    errs: &mut ValidationErrors,
    prefix: &str,
    check: impl FnOnce(&mut ValidationErrors) -> R,
) -> R {
    let mark = errs.len();
    let out = check(errs);
    if errs.len() > mark {
        errs.prefix_since(mark, prefix);
    }
    out
}

/// [`within`] for item `i` of the list at `prefix` (`prefix[i]`, built only on failure).
pub fn within_item<R>(
    errs: &mut ValidationErrors,
    prefix: &str,
    i: usize,
    check: impl FnOnce(&mut ValidationErrors) -> R,
) -> R {
    let mark = errs.len();
    let out = check(errs);
    if errs.len() > mark {
        errs.prefix_since(mark, &index_path(prefix, i));
    }
    out
}

/// `prefix[i]`.
pub fn index_path(prefix: &str, i: usize) -> String {
    format!("{prefix}[{i}]")
}

/// Rule `length` (counted in chars).
#[inline]
pub fn check_length(
    errs: &mut ValidationErrors,
    path: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) {
    let n = value.chars().count();
    let too_short = min.is_some_and(|m| n < m);
    let too_long = max.is_some_and(|m| n > m);
    if too_short || too_long {
        errs.push(
            path,
            "length",
            format!("length must be {} (is {n})", bounds_text(min, max)),
        );
    }
}

/// Rule `range`.
#[inline]
pub fn check_range(
    errs: &mut ValidationErrors,
    path: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) {
    if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
        errs.push(path, "range", format!("must be {}", bounds_text(min, max)));
    }
}

fn bounds_text<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "anything".to_string(),
    }
}

/// Rule `enum`.
#[inline]
pub fn check_one_of(errs: &mut ValidationErrors, path: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        errs.push(
            path,
            "enum",
            format!("must be one of: {}", allowed.join(", ")),
        );
    }
}

/// Rule `range` for money: the amount must be at least `min` (default 0, no negative amounts).
#[inline]
pub fn check_money(errs: &mut ValidationErrors, path: &str, value: MinorUnits, min: Option<i64>) {
    let min = min.unwrap_or(0);
    if value.0 < min {
        errs.push(
            path,
            "range",
            format!("amount must be at least {min} minor units"),
        );
    }
}

/// Well-known string formats (also the spec language's `format` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// ISO 4217 alpha-3 code from [`crate::currency`]'s table (rule `currency`).
    Currency,
    /// ISO 3166-1 alpha-2 officially assigned code (rule `country`).
    CountryAlpha2,
    /// A plausible e-mail address (rule `email`).
    Email,
    /// `YYYY-MM-DD`, a real calendar date (rule `date`).
    Date,
    /// RFC 3339 date-time (rule `datetime`).
    DateTime,
    /// 12–19 digits passing the Luhn check (rule `card_number`).
    CardNumber,
    /// `http://` or `https://` URL with a host (rule `url`).
    Url,
    /// IPv4 or IPv6 address (rule `ip`).
    Ip,
}

impl Format {
    /// The rule name used in [`FieldError::rule`].
    pub fn rule(self) -> &'static str {
        match self {
            Format::Currency => "currency",
            Format::CountryAlpha2 => "country",
            Format::Email => "email",
            Format::Date => "date",
            Format::DateTime => "datetime",
            Format::CardNumber => "card_number",
            Format::Url => "url",
            Format::Ip => "ip",
        }
    }

    fn wants(self) -> &'static str {
        match self {
            Format::Currency => "must be an ISO 4217 currency code (e.g. EUR)",
            Format::CountryAlpha2 => "must be an ISO 3166-1 alpha-2 country code (e.g. DE)",
            Format::Email => "must be an e-mail address",
            Format::Date => "must be a calendar date YYYY-MM-DD",
            Format::DateTime => "must be an RFC 3339 date-time (e.g. 2024-01-31T12:00:00Z)",
            Format::CardNumber => "must be a card number (12-19 digits passing the Luhn check)",
            Format::Url => "must be an http(s) URL",
            Format::Ip => "must be an IPv4 or IPv6 address",
        }
    }

    /// Whether `value` has this format (inline, so a call with a known format goes straight to
    /// that format's check).
    #[inline]
    pub fn accepts(self, value: &str) -> bool {
        match self {
            Format::Currency => currency_exponent(value).is_some(),
            Format::CountryAlpha2 => is_country_alpha2(value),
            Format::Email => is_email(value),
            Format::Date => is_date(value),
            Format::DateTime => is_datetime(value),
            Format::CardNumber => is_card_number(value),
            Format::Url => is_http_url(value),
            Format::Ip => is_dotted_quad(value) || value.parse::<std::net::IpAddr>().is_ok(),
        }
    }
}

/// Rules `currency`, `country`, `email`, `date`, `datetime`, `card_number`, `url`, `ip`.
#[inline]
pub fn check_format(errs: &mut ValidationErrors, path: &str, value: &str, format: Format) {
    if !format.accepts(value) {
        push_format_error(errs, path, format);
    }
}

/// The field error of a value not in its format, out of line (the rare case) so the check
/// inlined at each field stays small.
#[cold]
#[inline(never)]
fn push_format_error(errs: &mut ValidationErrors, path: &str, format: Format) {
    errs.push(path, format.rule(), format.wants());
}

/// The Luhn checksum over ASCII digits (false if anything else is present or it is empty).
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// 12–19 ASCII digits passing the Luhn check.
pub fn is_card_number(value: &str) -> bool {
    (12..=19).contains(&value.len()) && luhn_ok(value)
}

/// Whether `value` holds whitespace or a control character (ASCII text checked a byte at a
/// time: the bytes up to the space and DEL are exactly its whitespace and control characters).
fn has_space_or_control(value: &str) -> bool {
    if value.is_ascii() {
        value.bytes().any(|b| b <= b' ' || b == 0x7F)
    } else {
        value.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

fn is_email(value: &str) -> bool {
    if value.is_ascii() {
        is_ascii_email(value.as_bytes())
    } else {
        is_email_by_chars(value)
    }
}

/// [`is_email_by_chars`] for ASCII text in one pass over the bytes: no space or control byte,
/// a non-empty local part of at most 64 bytes without `@`, a domain with a dot whose labels are
/// non-empty letters, digits and inner hyphens.
fn is_ascii_email(b: &[u8]) -> bool {
    if b.len() > 254 || b.iter().any(|&c| c <= b' ' || c == 0x7F) {
        return false;
    }
    let Some(at) = b.iter().rposition(|&c| c == b'@') else {
        return false;
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    if local.is_empty() || local.len() > 64 || local.contains(&b'@') || !domain.contains(&b'.') {
        return false;
    }
    domain.split(|&c| c == b'.').all(|label| {
        matches!((label.first(), label.last()), (Some(&f), Some(&l)) if f != b'-' && l != b'-')
            && label
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    })
}

/// A plausible e-mail address, read a character at a time (any text).
fn is_email_by_chars(value: &str) -> bool {
    if value.len() > 254 || has_space_or_control(value) {
        return false;
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') || !domain.contains('.') {
        return false;
    }
    domain.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    })
}

fn digits_at(s: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = s.get(range)?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (
        digits_at(value, 0..4),
        digits_at(value, 5..7),
        digits_at(value, 8..10),
    ) {
        (Some(y), Some(m), Some(d)) => d >= 1 && d <= days_in_month(i64::from(y), m),
        _ => false,
    }
}

fn is_datetime(value: &str) -> bool {
    let Some(date) = value.get(0..10) else {
        return false;
    };
    if !is_date(date) || !matches!(value.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return false;
    }
    let rest = &value[11..];
    let b = rest.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let time_ok = matches!(
        (digits_at(rest, 0..2), digits_at(rest, 3..5), digits_at(rest, 6..8)),
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s <= 60
    );
    time_ok && is_fraction_and_offset(&rest[8..])
}

fn is_fraction_and_offset(mut rest: &str) -> bool {
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    if rest == "Z" || rest == "z" {
        return true;
    }
    let b = rest.as_bytes();
    if b.len() != 6 || !(b[0] == b'+' || b[0] == b'-') || b[3] != b':' {
        return false;
    }
    matches!(
        (digits_at(rest, 1..3), digits_at(rest, 4..6)),
        (Some(h), Some(m)) if h < 24 && m < 60
    )
}

/// Whether `value` is an IPv4 address as `std` reads one (four decimal parts of one to three
/// digits, none with a leading zero, each at most 255, joined by dots), in one pass with no
/// parser set up; anything else (IPv6 too) is for `std` to judge.
fn is_dotted_quad(value: &str) -> bool {
    let b = value.as_bytes();
    let mut i = 0;
    for part in 0..4 {
        if part > 0 {
            if b.get(i) != Some(&b'.') {
                return false;
            }
            i += 1;
        }
        let start = i;
        let mut n = 0u32;
        while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit() && i - start < 3) {
            n = n * 10 + u32::from(d - b'0');
            i += 1;
        }
        let len = i - start;
        if len == 0 || n > 255 || (len > 1 && b[start] == b'0') {
            return false;
        }
    }
    i == b.len()
}

fn is_http_url(value: &str) -> bool {
    match url::Url::parse(value) {
        Ok(url) => {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
                && !value.chars().any(char::is_whitespace)
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_quads_are_the_addresses_std_reads() {
        let parses = |s: &str| s.parse::<std::net::Ipv4Addr>().is_ok();
        let mut fixed = vec![
            "0.0.0.0",
            "255.255.255.255",
            "203.0.113.7",
            "1.2.3.4",
            "01.2.3.4",
            "1.2.3.04",
            "256.1.1.1",
            "1.1.1.256",
            "1234.1.1.1",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1..2.3",
            "1.2.3.4.5",
            "",
            "a.b.c.d",
            "1.2.3.4 ",
            "+1.2.3.4",
            "00.0.0.0",
            "0.0.0.00",
            "::1",
        ];
        // every text of up to 8 bytes over these digits and dots
        let alphabet = b"0256.";
        let mut generated = Vec::new();
        for len in 1..=8u32 {
            for mut k in 0..alphabet.len().pow(len) {
                let mut text = String::new();
                for _ in 0..len {
                    text.push(char::from(alphabet[k % alphabet.len()]));
                    k /= alphabet.len();
                }
                generated.push(text);
            }
        }
        fixed.extend(generated.iter().map(String::as_str));
        for text in fixed {
            assert_eq!(is_dotted_quad(text), parses(text), "{text:?}");
        }
    }
    use crate::towire::check_not_blank;

    #[test]
    fn nested_checks_get_the_same_paths_as_checks_at_the_full_path() {
        let mut errs = ValidationErrors::new();
        within(&mut errs, "card", |errs| {
            check_not_blank(errs, &field_path("", "pan"), " ");
            within_item(errs, "items", 2, |errs| {
                check_not_blank(errs, &field_path("", "sku"), "");
                check_not_blank(errs, "", "");
            });
        });
        within(&mut errs, "", |errs| check_not_blank(errs, "top", ""));
        within_item(&mut errs, "list", 0, |errs| {
            within_item(errs, "", 1, |errs| check_not_blank(errs, "x", ""))
        });
        let paths: Vec<&str> = errs.errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "card.pan",
                "card.items[2].sku",
                "card.items[2]",
                "top",
                "list[0][1].x"
            ]
        );
        // a valid value builds no path at all
        let mut none = ValidationErrors::new();
        within(&mut none, "card", |errs| {
            check_not_blank(errs, "pan", "4242")
        });
        assert!(none.is_empty());
    }
    use crate::error::Error;

    static ORDER_ID: Pattern = Pattern::new("^[A-Za-z0-9_-]{1,32}$");
    static BROKEN: Pattern = Pattern::new("([unclosed");
    static AZ_PHONE: Pattern = Pattern::new(r"^994\d{9}$");
    static WORDS: Pattern = Pattern::new(r"^[\w\s-]+$");

    #[test]
    fn perl_classes_are_ascii() {
        assert!(AZ_PHONE.is_match("994501234567"));
        // Arabic-Indic and full-width digits are Unicode `\d` but never a provider's digit.
        assert!(!AZ_PHONE
            .is_match("994\u{669}\u{663}\u{664}\u{663}\u{663}\u{661}\u{665}\u{660}\u{664}"));
        assert!(!AZ_PHONE.is_match("994\u{ff15}01234567"));
        assert!(WORDS.is_match("Jane Doe_1"));
        assert!(!WORDS.is_match("Zo\u{eb}"));
        assert!(
            !WORDS.is_match("a\u{2003}b"),
            "an em space is not ASCII whitespace"
        );
        let escaped = compile_pattern(r"^\\d$").expect("compiles");
        assert!(
            escaped.is_match("\\d"),
            "an escaped backslash stays literal"
        );
        let negated = compile_pattern(r"^\D+$").expect("compiles");
        assert!(
            negated.is_match("\u{669}"),
            "\\D is the complement of ASCII digits"
        );
        let in_class = compile_pattern(r"^[\d.]+$").expect("compiles");
        assert!(in_class.is_match("1.5") && !in_class.is_match("\u{669}"));
    }

    #[test]
    fn paths() {
        assert_eq!(join_path("", "a"), "a");
        assert_eq!(join_path("a", "b"), "a.b");
        assert_eq!(field_path("", "a"), "a");
        assert_eq!(field_path("a", "b"), "a.b");
        assert_eq!(index_path("a", 0), "a[0]");
        assert_eq!(join_path(&index_path("items", 2), "sku"), "items[2].sku");
    }

    #[test]
    fn every_bad_field_is_listed_without_its_value() {
        let mut e = ValidationErrors::new();
        check_pattern(&mut e, "order_id", "bad id!", &ORDER_ID);
        check_pattern(&mut e, "ok_id", "good_id", &ORDER_ID);
        check_length(&mut e, "name", "Zoë", Some(4), Some(10));
        check_length(&mut e, "name2", "Zoë", Some(3), Some(3));
        check_range(&mut e, "qty", 0, Some(1), None);
        check_one_of(&mut e, "kind", "sofort", &["card", "sepa"]);
        crate::towire::check_not_blank(&mut e, "email", "");
        check_money(&mut e, "amount", MinorUnits(-1), None);
        check_money(&mut e, "amount2", MinorUnits(0), None);
        let rules: Vec<_> = e
            .errors
            .iter()
            .map(|f| (f.path.as_str(), f.rule.as_str()))
            .collect();
        assert_eq!(
            rules,
            [
                ("order_id", "pattern"),
                ("name", "length"),
                ("qty", "range"),
                ("kind", "enum"),
                ("email", "required"),
                ("amount", "range")
            ]
        );
        let text = e.to_string();
        assert!(text.starts_with("invalid request: 6 problems: order_id: must match"));
        assert!(!text.contains("bad id!") && !text.contains("sofort"));
        assert!(matches!(e.into_result(), Err(Error::InvalidRequest(v)) if v.len() == 6));
        assert!(ValidationErrors::new().into_result().is_ok());
    }

    #[test]
    fn a_broken_pattern_is_a_field_error_not_a_panic() {
        let mut e = ValidationErrors::new();
        check_pattern(&mut e, "x", "anything", &BROKEN);
        assert_eq!(e.errors[0].rule, "pattern");
        assert!(e.errors[0]
            .message
            .contains("not a valid regular expression"));
        assert!(!BROKEN.is_match("anything"));
    }

    #[test]
    fn the_ascii_space_and_control_scan_agrees_with_the_char_classes() {
        for c in (0..0x3001).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("a{c}b"), format!("ab@c.d{c}")] {
                let by_chars = text.chars().any(|c| c.is_whitespace() || c.is_control());
                assert_eq!(has_space_or_control(&text), by_chars, "{text:?}");
            }
        }
    }

    #[test]
    fn the_ascii_email_check_agrees_with_the_char_check() {
        let alphabet = ['a', 'Z', '0', '.', '-', '@', ' ', '_', '+', '\u{7f}'];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        for t in &texts {
            for text in [
                t.clone(),
                format!("a{t}@b.c"),
                format!("ab@{t}.cd"),
                format!("{t}@x.y{t}"),
            ] {
                assert_eq!(
                    is_ascii_email(text.as_bytes()),
                    is_email_by_chars(&text),
                    "{text:?}"
                );
            }
        }
        let long_local = format!("{}@x.io", "a".repeat(65));
        let long = format!("a@{}.io", "b".repeat(260));
        for text in [
            long_local.as_str(),
            long.as_str(),
            "a.b+c@example.co.uk",
            "a@-x.com",
        ] {
            assert_eq!(
                is_ascii_email(text.as_bytes()),
                is_email_by_chars(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn luhn() {
        assert!(luhn_ok("4111111111111111"));
        assert!(luhn_ok("79927398713"));
        assert!(!luhn_ok("4111111111111112"));
        assert!(!luhn_ok("4111 1111 1111 1111"));
        assert!(!luhn_ok(""));
        assert!(is_card_number("5555555555554444"));
        assert!(is_card_number("378282246310005"));
        assert!(!is_card_number("79927398713")); // Luhn-valid but only 11 digits
        assert!(!is_card_number("41111111111111111111")); // 20 digits
    }

    fn ok(format: Format, value: &str) -> bool {
        let mut e = ValidationErrors::new();
        check_format(&mut e, "f", value, format);
        match e.errors.first() {
            None => true,
            Some(f) => {
                assert_eq!(f.rule, format.rule());
                false
            }
        }
    }

    #[test]
    fn formats() {
        assert!(ok(Format::Currency, "EUR") && ok(Format::Currency, "BHD"));
        assert!(!ok(Format::Currency, "eur") && !ok(Format::Currency, "XXX1"));
        assert!(ok(Format::CountryAlpha2, "DE") && !ok(Format::CountryAlpha2, "UK"));
        assert!(ok(Format::Email, "a.b+c@example.co.uk"));
        for bad in ["a@b", "@x.com", "a b@x.com", "a@x..com", "a@-x.com"] {
            assert!(!ok(Format::Email, bad), "{bad}");
        }
        assert!(ok(Format::Date, "2024-02-29") && ok(Format::Date, "2000-02-29"));
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-04-31",
            "2024-4-01",
            "2024-01-00",
        ] {
            assert!(!ok(Format::Date, bad), "{bad}");
        }
        for good in [
            "2024-01-31T12:00:00Z",
            "2024-01-31t23:59:60.123+05:30",
            "2024-01-31 00:00:00-00:00",
        ] {
            assert!(ok(Format::DateTime, good), "{good}");
        }
        for bad in [
            "2024-01-31T24:00:00Z",
            "2024-01-31T12:00:00",
            "2024-01-31T12:00Z",
            "2024-01-31T12:00:00.Z",
        ] {
            assert!(!ok(Format::DateTime, bad), "{bad}");
        }
        assert!(ok(Format::CardNumber, "4111111111111111") && !ok(Format::CardNumber, "4111"));
        assert!(
            ok(Format::Url, "https://example.com/cb?x=1")
                && ok(Format::Url, "http://127.0.0.1:8080")
        );
        assert!(!ok(Format::Url, "ftp://example.com") && !ok(Format::Url, "example.com"));
        assert!(
            ok(Format::Ip, "10.0.0.1") && ok(Format::Ip, "::1") && !ok(Format::Ip, "10.0.0.256")
        );
    }
}

//! Redaction of text that may carry card data or secrets before it goes into an error or a Debug.
//!
//! Two rules, applied together by [`redact_text`]:
//! * card-number-like digit runs (13–19 digits, optionally grouped by single spaces or dashes)
//!   keep their first 6 and last 4 digits, the rest become `*` (`411111******1111`);
//! * values of JSON keys (`"cvv": "123"`) and form keys (`cvv=123`) whose name looks sensitive
//!   (cvv, cvc, cvn, password, secret, token, card_number, pan, and personal data: name,
//!   first/last name, card holder, e-mail, phone, birth date, address, ...) become `***`.

use std::sync::OnceLock;

use regex::{Captures, Regex};

/// Longest excerpt (in chars) of a body kept in an error.
pub const EXCERPT_CHARS: usize = 512;

/// How much of a body is looked at before truncation (redaction runs on this much).
const SCAN_CHARS: usize = 8 * 1024;

/// Masks card-number-like digit runs and values of sensitive keys in `text`, and writes
/// control and bidirectional characters as visible escapes (`\u{1b}`): a provider's body must
/// not inject lines or terminal sequences into logs.
pub fn redact_text(text: &str) -> String {
    let keyed = mask_sensitive_keys(text);
    escape_controls(&mask_card_runs(&keyed))
}

/// Control characters (newlines included) and bidirectional overrides as `\u{..}` escapes.
pub fn escape_controls(text: &str) -> String {
    let hostile = |c: char| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
    };
    if !text.chars().any(hostile) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if hostile(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A redacted excerpt of a body: lossy UTF-8, redacted, at most [`EXCERPT_CHARS`] chars.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    excerpt_text(&text)
}

/// A redacted excerpt of a text: at most [`EXCERPT_CHARS`] chars (an ellipsis marks a cut).
pub fn excerpt_text(text: &str) -> String {
    let scanned: String = text.chars().take(SCAN_CHARS).collect();
    let redacted = redact_text(&scanned);
    truncate_chars(&redacted, EXCERPT_CHARS)
}

/// At most `max` chars of `text`; `…` replaces the last char when something was cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Is a key name (JSON or form) one whose value must never be shown?
pub fn is_sensitive_key(key: &str) -> bool {
    let lower: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const CONTAINS: [&str; 9] = [
        "cvv",
        "cvc",
        "cvn",
        "password",
        "passwd",
        "secret",
        "token",
        "cardnumber",
        "apikey",
    ];
    if CONTAINS.iter().any(|needle| lower.contains(needle)) {
        return true;
    }
    // personal data: who the payer is and how to reach them
    const PERSONAL: [&str; 11] = [
        "cardholder",
        "holdername",
        "firstname",
        "lastname",
        "fullname",
        "middlename",
        "birth",
        "email",
        "phone",
        "passport",
        "governmentid",
    ];
    if PERSONAL.iter().any(|needle| lower.contains(needle)) {
        return true;
    }
    let raw = key.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "pan" | "ccnum" | "name" | "dob" | "address" | "street" | "ssn"
    ) || raw.ends_with("_pan")
        || raw.ends_with("-pan")
}

fn json_key_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#""((?:[^"\\]|\\.){1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+\-]*)"#)
            .ok()
    })
    .as_ref()
}

fn form_key_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(^|[&?\s;])([A-Za-z0-9_.\-\[\]]{1,64})=([^&\s;]*)").ok())
        .as_ref()
}

fn mask_sensitive_keys(text: &str) -> String {
    let mut out = text.to_string();
    if let Some(re) = json_key_regex() {
        out = re
            .replace_all(&out, |c: &Captures<'_>| {
                if is_sensitive_key(&c[1]) {
                    format!("\"{}\"{}\"***\"", &c[1], &c[2])
                } else {
                    c[0].to_string()
                }
            })
            .into_owned();
    }
    if let Some(re) = form_key_regex() {
        out = re
            .replace_all(&out, |c: &Captures<'_>| {
                if is_sensitive_key(&c[2]) && !c[3].is_empty() {
                    format!("{}{}=***", &c[1], &c[2])
                } else {
                    c[0].to_string()
                }
            })
            .into_owned();
    }
    out
}

/// Masks digit runs that look like card numbers.
fn mask_card_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = grouped_run_end(&chars, i);
        out.push_str(&mask_run(&chars[i..end]));
        i = end;
    }
    out
}

/// End (exclusive) of a run of digits possibly grouped by single spaces, dashes or dots.
fn grouped_run_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len() {
        let grouped = matches!(chars[end], ' ' | '-' | '.')
            && chars.get(end + 1).is_some_and(|c| c.is_ascii_digit());
        if !(chars[end].is_ascii_digit() || grouped) {
            break;
        }
        end += 1;
    }
    end
}

/// A grouped run: masked as a whole if it holds 13–19 digits passing the Luhn check (a card
/// number), else each contiguous piece alone. Luhn keeps long ids (transaction numbers) readable.
fn mask_run(run: &[char]) -> String {
    let digits: String = run.iter().filter(|c| c.is_ascii_digit()).collect();
    if (13..=19).contains(&digits.len()) && crate::validate::luhn_ok(&digits) {
        return mask_digits(run, digits.len());
    }
    let mut out = String::new();
    let mut piece: Vec<char> = Vec::new();
    for &c in run {
        if c.is_ascii_digit() {
            piece.push(c);
        } else {
            out.push_str(&mask_piece(&piece));
            piece.clear();
            out.push(c);
        }
    }
    out.push_str(&mask_piece(&piece));
    out
}

fn mask_piece(piece: &[char]) -> String {
    let digits: String = piece.iter().collect();
    if (13..=19).contains(&piece.len()) && crate::validate::luhn_ok(&digits) {
        mask_digits(piece, piece.len())
    } else if piece.len() > 19 {
        mask_glued(piece)
    } else {
        piece.iter().collect()
    }
}

/// A longer digit run that starts or ends with a card number glued to other digits (an
/// expiry, an id): a 15- or 16-digit window at either end that passes Luhn and starts like a
/// card (3-6) is masked. Only the ends are tried, which keeps long ids mostly readable.
fn mask_glued(piece: &[char]) -> String {
    let looks_like_card = |w: &[char]| {
        let text: String = w.iter().collect();
        matches!(w.first(), Some('3'..='6')) && crate::validate::luhn_ok(&text)
    };
    let n = piece.len();
    for len in [16, 15] {
        if looks_like_card(&piece[..len]) {
            let mut out = mask_digits(&piece[..len], len);
            out.extend(&piece[len..]);
            return out;
        }
        if looks_like_card(&piece[n - len..]) {
            let mut out: String = piece[..n - len].iter().collect();
            out.push_str(&mask_digits(&piece[n - len..], len));
            return out;
        }
    }
    piece.iter().collect()
}

/// Keeps the first 6 and last 4 digits of `run` (which holds `digits` digits), separators kept.
fn mask_digits(run: &[char], digits: usize) -> String {
    let mut seen = 0;
    run.iter()
        .map(|&c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= 6 || seen > digits.saturating_sub(4) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_that_are_not_card_numbers_stay_readable() {
        // An 18-digit transaction number failing the Luhn check is not a card number.
        assert_eq!(
            redact_text("transactionNo 305588797000000001"),
            "transactionNo 305588797000000001"
        );
        assert_eq!(redact_text("pan 4111111111111111"), "pan 411111******1111");
    }

    #[test]
    fn card_numbers_are_masked() {
        assert_eq!(
            redact_text("pan 4111111111111111 ok"),
            "pan 411111******1111 ok"
        );
        assert_eq!(redact_text("4111 1111 1111 1111"), "4111 11** **** 1111");
        assert_eq!(redact_text("4111-1111-1111-1111"), "4111-11**-****-1111");
        assert_eq!(redact_text("5555555555554444x"), "555555******4444x");
        // 19 digits passing Luhn masked; 12 and 20 digits left alone
        assert_eq!(redact_text("6011000990139424124"), "601100*********4124");
        assert_eq!(redact_text("123456789012"), "123456789012");
        assert_eq!(redact_text("12345678901234567890"), "12345678901234567890");
    }

    #[test]
    fn grouped_runs_too_long_fall_back_to_pieces() {
        assert_eq!(
            redact_text("4111111111111111 2025"),
            "411111******1111 2025"
        );
    }

    #[test]
    fn dotted_glued_and_control_characters() {
        assert_eq!(redact_text("4111.1111.1111.1111"), "4111.11**.****.1111");
        assert_eq!(
            redact_text("card 41111111111111111225 exp"),
            "card 411111******11111225 exp"
        );
        assert_eq!(
            redact_text("ref 9900004242424242424242"),
            "ref 990000424242******4242"
        );
        assert_eq!(
            redact_text("line\nbreak\u{1b}[2J \u{202e}x"),
            "line\\u{a}break\\u{1b}[2J \\u{202e}x"
        );
        // a 30-digit order id neither end of which looks like a card stays readable
        assert_eq!(
            redact_text("175040565608186698365302451169"),
            "175040565608186698365302451169"
        );
        assert_eq!(redact_text("total 1234.56 EUR"), "total 1234.56 EUR");
    }

    #[test]
    fn short_numbers_and_dates_stay() {
        let t = "amount 4011 on 2024-01-15 at 12:00, order 12345";
        assert_eq!(redact_text(t), t);
    }

    #[test]
    fn sensitive_json_values_are_masked() {
        let t = r#"{"cvv":"123","card_number":"4111111111111111","amount":100,"api_token": 42,"name":"Ann","company":"ACME"}"#;
        let r = redact_text(t);
        assert_eq!(
            r,
            r#"{"cvv":"***","card_number":"***","amount":100,"api_token": "***","name":"***","company":"ACME"}"#
        );
        let p = redact_text(r#"{"password" : "hunter2", "company": "ACME"}"#);
        assert_eq!(p, r#"{"password" : "***", "company": "ACME"}"#);
    }

    #[test]
    fn sensitive_form_values_are_masked() {
        let r = redact_text("key=abc&ccnum=4111111111111111&ccvv=123&amount=10.00");
        assert_eq!(r, "key=abc&ccnum=***&ccvv=***&amount=10.00");
    }

    #[test]
    fn excerpt_is_short_and_redacted() {
        let long = format!("4111111111111111{}", "a".repeat(2000));
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS);
        assert!(e.starts_with("411111******1111"));
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn sensitive_key_names() {
        for k in [
            "cvv",
            "CVC2",
            "card_number",
            "cardNumber",
            "pan",
            "card_pan",
            "client_secret",
            "name",
            "firstName",
            "card_holder",
            "dateOfBirth",
            "email",
        ] {
            assert!(is_sensitive_key(k), "{k}");
        }
        for k in ["company", "amount", "span", "panel", "txnid"] {
            assert!(!is_sensitive_key(k), "{k}");
        }
    }
}

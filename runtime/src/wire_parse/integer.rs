//! One JSON integer's text read as `serde_json` hands an integer to a visitor, without a
//! parser: the shared, non-generic reader behind the tape's and the webhook entries' integer
//! readings (so each type's integer fields hold only a call).

/// An integer as `serde_json`'s readers hand it to a visitor (`deserialize_any` and the
/// integer methods alike): see [`plain_integer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlainInteger {
    /// Digits that fit a `u64` (`visit_u64`).
    Unsigned(u64),
    /// A minus sign and digits whose value is a negative `i64` (`visit_i64`).
    Negative(i64),
}

/// The integer a JSON number's text is, as `serde_json` reads it: digits that fit a `u64`,
/// or a negative `i64` (never `-0`, which it reads as the float `-0.0`); `None` for any other
/// text (a fraction, an exponent, an integer beyond 64 bits: floats or, with
/// `arbitrary_precision`, text to `serde_json`). One non-generic reader for every type's
/// integer fields.
#[inline(never)]
pub(crate) fn plain_integer(text: &[u8]) -> Option<PlainInteger> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    if !negative {
        return Some(PlainInteger::Unsigned(value));
    }
    match 0i64.checked_sub_unsigned(value)? {
        0 => None,
        negative => Some(PlainInteger::Negative(negative)),
    }
}

#[cfg(test)]
mod plain_integer_tests {
    use super::{plain_integer, PlainInteger};

    /// `plain_integer` against `serde_json`'s own reading of the same text (with
    /// `deserialize_any`, whose integers are `u64` or negative `i64`).
    #[test]
    fn plain_integers_are_read_as_serde_json_reads_them() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "7",
            "-7",
            "00",
            "-",
            "",
            "+1",
            "1.0",
            "1e2",
            "-1.5",
            "0x1",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775807",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "-18446744073709551615",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for digits in 1..=21 {
            texts.push("9".repeat(digits));
            texts.push(format!("-{}", "9".repeat(digits)));
            texts.push(format!("1{}", "0".repeat(digits)));
        }
        for text in texts {
            let mine = plain_integer(text.as_bytes());
            let theirs = match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(serde_json::Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) if !text.contains(['.', 'e', 'E']) => {
                        Some(PlainInteger::Unsigned(u))
                    }
                    (None, Some(i)) if i < 0 && !text.contains(['.', 'e', 'E']) => {
                        Some(PlainInteger::Negative(i))
                    }
                    _ => None,
                },
                _ => None,
            };
            // a JSON number's text only (serde_json refuses the rest, which never reaches here)
            if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
                assert_eq!(mine, theirs, "{text}");
            } else {
                assert!(mine.is_none() || text.starts_with('0'), "{text}");
            }
        }
    }
}

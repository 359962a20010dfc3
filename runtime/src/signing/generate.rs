//! Generated values (`{timestamp}`, `{nonce}`): made once per request from the injected clock and
//! the operating system's random source, and read back (timestamps) when verifying.

use rand_core::{OsRng, RngCore};

use super::recipe::{Generate, NonceForm, TimestampForm};
pub use crate::clock::http_date;
use crate::clock::{rfc3339, unix_from_civil, Clock, MONTH_ABBREVIATIONS};

/// The values generated for one request (texts exactly as they go on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    /// `{timestamp}`.
    pub timestamp: Option<String>,
    /// `{nonce}`.
    pub nonce: Option<String>,
}

impl Generated {
    /// Fresh values for `plan`: the clock's time and a random nonce.
    pub fn fresh(plan: &Generate, clock: &dyn Clock) -> Generated {
        Generated {
            timestamp: plan.timestamp.map(|f| format_timestamp(f, clock)),
            nonce: plan.nonce.map(nonce),
        }
    }
}

fn format_timestamp(form: TimestampForm, clock: &dyn Clock) -> String {
    match form {
        TimestampForm::UnixSeconds => clock.now_unix().to_string(),
        TimestampForm::UnixMillis => clock.now_unix_millis().to_string(),
        TimestampForm::Iso8601 => rfc3339(clock.now_unix()),
        TimestampForm::HttpDate => http_date(clock.now_unix()),
    }
}

fn nonce(form: NonceForm) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    match form {
        NonceForm::Uuid => uuid::Uuid::new_v4().to_string(),
        NonceForm::Hex(n) => {
            let mut bytes = vec![0u8; usize::from(n).div_ceil(2)];
            OsRng.fill_bytes(&mut bytes);
            let mut text = hex::encode(bytes);
            text.truncate(usize::from(n));
            text
        }
        NonceForm::Alnum(n) => (0..n)
            .map(|_| {
                // rejection sampling keeps the 62 characters equally likely
                loop {
                    let b = (OsRng.next_u32() & 0xff) as u8;
                    if usize::from(b) < ALNUM.len() * 4 {
                        return char::from(ALNUM[usize::from(b) % ALNUM.len()]);
                    }
                }
            })
            .collect(),
    }
}

/// Unix seconds of a received `{timestamp}` text in `form`; `None` when it does not parse.
pub fn parse_timestamp(form: TimestampForm, text: &str) -> Option<i64> {
    let text = text.trim();
    match form {
        TimestampForm::UnixSeconds => text.parse().ok(),
        TimestampForm::UnixMillis => text.parse::<i64>().ok().map(|ms| ms.div_euclid(1000)),
        TimestampForm::Iso8601 => parse_iso8601(text),
        TimestampForm::HttpDate => parse_http_date(text),
    }
}

fn num(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn unix(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Option<i64> {
    let small = |v: i64| u32::try_from(v).ok();
    unix_from_civil(
        (y, small(mo)?, small(d)?),
        (small(h)?, small(mi)?, small(s)?),
    )
}

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
fn parse_iso8601(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', 't', ' '])?;
    let mut d = date.split('-');
    let (y, mo, da) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, "Z"),
    };
    let clock = clock.split('.').next()?;
    let mut c = clock.split(':');
    let (h, mi, s) = (num(c.next()?)?, num(c.next()?)?, num(c.next()?)?);
    let offset_secs = match offset {
        "Z" | "z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':')?;
            sign * (num(oh)? * 3600 + num(om)? * 60)
        }
    };
    Some(unix(y, mo, da, h, mi, s)? - offset_secs)
}

/// `Tue, 14 Nov 2023 22:13:20 GMT`.
fn parse_http_date(text: &str) -> Option<i64> {
    let rest = text.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day = num(parts.next()?)?;
    let month = MONTH_ABBREVIATIONS
        .iter()
        .position(|m| Some(*m) == parts.clone().next())?;
    parts.next();
    let year = num(parts.next()?)?;
    let mut c = parts.next()?.split(':');
    let (h, mi, s) = (num(c.next()?)?, num(c.next()?)?, num(c.next()?)?);
    if parts.next()? != "GMT" {
        return None;
    }
    unix(year, i64::try_from(month).ok()? + 1, day, h, mi, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn timestamp_forms_round_trip() {
        let clock = FixedClock(1_700_000_000);
        let forms = [
            (TimestampForm::UnixSeconds, "1700000000"),
            (TimestampForm::UnixMillis, "1700000000000"),
            (TimestampForm::Iso8601, "2023-11-14T22:13:20Z"),
            (TimestampForm::HttpDate, "Tue, 14 Nov 2023 22:13:20 GMT"),
        ];
        for (form, text) in forms {
            assert_eq!(format_timestamp(form, &clock), text);
            assert_eq!(parse_timestamp(form, text), Some(1_700_000_000), "{text}");
        }
        assert_eq!(
            parse_timestamp(TimestampForm::Iso8601, "2023-11-15T00:13:20.123+02:00"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_timestamp(TimestampForm::Iso8601, "yesterday"), None);
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn nonces_have_their_form_and_differ() {
        let a = nonce(NonceForm::Hex(32));
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, nonce(NonceForm::Hex(32)));
        let b = nonce(NonceForm::Alnum(7));
        assert_eq!(b.len(), 7);
        assert!(b.bytes().all(|c| c.is_ascii_alphanumeric()));
        let u = nonce(NonceForm::Uuid);
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
    }
}

//! The rules' date texts: a `YYYY-MM-DD` day in a fixed UTC offset as a window of Unix seconds
//! (list `date` filters), offsets written `+03:00`, and RFC 3339 times as epoch milliseconds (the
//! `epoch_ms` template filter). Only the lexical forms live here; the calendar arithmetic is the
//! runtime's one calendar (`paygen_runtime::clock`, on the `time` crate).

use paygen_runtime::clock::days_from_civil;

/// Digits only, exactly `len` of them.
fn digits(text: &str, len: usize) -> Option<i64> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` text (a real calendar day), else `None`.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.split('-');
    let year = digits(parts.next()?, 4)?;
    let month = u32::try_from(digits(parts.next()?, 2)?).ok()?;
    let day = u32::try_from(digits(parts.next()?, 2)?).ok()?;
    if parts.next().is_some() {
        return None;
    }
    days_from_civil(year, month, day)
}

/// Seconds east of UTC of an offset written `+03:00`, `-11:00`, `+0530` or `Z`.
pub fn parse_offset(text: &str) -> Option<i64> {
    if text == "Z" {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = text.get(1..)?;
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None => (rest.get(..2)?, rest.get(2..)?),
    };
    let (h, m) = (digits(h, 2)?, digits(m, 2)?);
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

/// The Unix seconds `[start, end)` of calendar day `date` (`YYYY-MM-DD`) at `offset` seconds
/// east of UTC.
pub fn day_window(date: &str, offset: i64) -> Option<(i64, i64)> {
    let start = parse_date(date)?.checked_mul(86_400)?.checked_sub(offset)?;
    Some((start, start.checked_add(86_400)?))
}

/// Milliseconds since the epoch of an RFC 3339 time (`2024-02-29T12:00:00Z`, fractions and
/// `+03:00` offsets accepted).
pub fn epoch_ms(text: &str) -> Option<i64> {
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let days = parse_date(date)?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (clock, zone) = rest.split_at(zone_at);
    let offset = parse_offset(&zone.to_ascii_uppercase())?;
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let h = digits(parts.next()?, 2)?;
    let m = digits(parts.next()?, 2)?;
    let s = digits(parts.next()?, 2)?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let ms_text: String = frac.chars().chain("000".chars()).take(3).collect();
    let ms = if frac.is_empty() || frac.bytes().all(|b| b.is_ascii_digit()) {
        ms_text.parse::<i64>().ok()?
    } else {
        return None;
    };
    let secs = days
        .checked_mul(86_400)?
        .checked_add(h * 3600 + m * 60 + s)?
        .checked_sub(offset)?;
    secs.checked_mul(1000)?.checked_add(ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paygen_runtime::clock::rfc3339;

    #[test]
    fn dates_are_days_since_the_epoch() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("1969-12-31"), Some(-1));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "24-01-01",
            "",
            "x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2100-02-29"), None, "2100 is not a leap year");
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+03:00"), Some(10_800));
        assert_eq!(parse_offset("-11:00"), Some(-39_600));
        assert_eq!(parse_offset("+0530"), Some(19_800));
        assert_eq!(parse_offset("+00:00"), Some(0));
        assert_eq!(parse_offset("Z"), Some(0));
        for bad in ["03:00", "+3:00", "+24:00", "+03:60", "", "+", "UTC"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_day_in_an_offset_starts_earlier_or_later() {
        let utc = day_window("2020-10-25", 0).expect("day");
        assert_eq!(rfc3339(utc.0), "2020-10-25T00:00:00Z");
        assert_eq!(utc.1 - utc.0, 86_400);
        let kyiv = day_window("2020-10-25", 3 * 3600).expect("day");
        assert_eq!(rfc3339(kyiv.0), "2020-10-24T21:00:00Z");
        let samoa = day_window("2020-10-25", -11 * 3600).expect("day");
        assert_eq!(rfc3339(samoa.0), "2020-10-25T11:00:00Z");
        assert_eq!(day_window("2020-02-30", 0), None);
    }

    #[test]
    fn rfc3339_times_in_epoch_milliseconds() {
        assert_eq!(epoch_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_ms("2020-11-30T09:01:19Z"), Some(1_606_726_879_000));
        assert_eq!(
            epoch_ms("2020-11-30T12:01:19.5+03:00"),
            Some(1_606_726_879_500)
        );
        assert_eq!(epoch_ms(&rfc3339(1_700_000_000)), Some(1_700_000_000_000));
        for bad in [
            "2020-11-30",
            "2020-11-30T09:01Z",
            "2020-11-30T09:01:19",
            "x",
        ] {
            assert_eq!(epoch_ms(bad), None, "{bad}");
        }
    }
}

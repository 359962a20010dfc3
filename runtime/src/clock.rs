//! Time, injected: the `Clock` trait (system or fixed) and UTC formatting without a date crate.
//!
//! `SystemClock` is the only place in the runtime that reads the system time, so every
//! timestamp in a signature or a webhook tolerance check is deterministic under test.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time in Unix seconds.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now_unix(&self) -> i64;

    /// Milliseconds since 1970-01-01T00:00:00Z (default: seconds x 1000).
    fn now_unix_millis(&self) -> i64 {
        self.now_unix().saturating_mul(1000)
    }
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        }
    }

    fn now_unix_millis(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        }
    }
}

/// A clock stuck at one instant (tests, vectors, replays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now_unix(&self) -> i64 {
        self.0
    }
}

/// Broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year (proleptic Gregorian).
    pub year: i64,
    /// Month 1-12.
    pub month: u32,
    /// Day 1-31.
    pub day: u32,
    /// Hour 0-23.
    pub hour: u32,
    /// Minute 0-59.
    pub minute: u32,
    /// Second 0-59.
    pub second: u32,
}

/// Year, month, day of a count of days since 1970-01-01 (H. Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // day and month are small and positive by construction
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// UTC broken-down time of Unix seconds.
pub fn civil_from_unix(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let small = |v: i64| u32::try_from(v).unwrap_or(0);
    Civil {
        year,
        month,
        day,
        hour: small(rem / 3600),
        minute: small(rem % 3600 / 60),
        second: small(rem % 60),
    }
}

/// Formats Unix seconds in UTC with strftime directives `%Y %m %d %H %M %S %%`; any other
/// `%x` is copied as is.
pub fn format_unix(secs: i64, pattern: &str) -> String {
    let t = civil_from_unix(secs);
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{:04}", t.year)),
            Some('m') => out.push_str(&format!("{:02}", t.month)),
            Some('d') => out.push_str(&format!("{:02}", t.day)),
            Some('H') => out.push_str(&format!("{:02}", t.hour)),
            Some('M') => out.push_str(&format!("{:02}", t.minute)),
            Some('S') => out.push_str(&format!("{:02}", t.second)),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// RFC 3339 UTC text of Unix seconds: `2024-02-29T12:00:00Z`.
pub fn rfc3339(secs: i64) -> String {
    format_unix(secs, "%Y-%m-%dT%H:%M:%SZ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let f = |s| format_unix(s, "%Y-%m-%d %H:%M:%S");
        assert_eq!(f(0), "1970-01-01 00:00:00");
        assert_eq!(f(951_782_400), "2000-02-29 00:00:00"); // leap year divisible by 400
        assert_eq!(f(951_868_800), "2000-03-01 00:00:00");
        assert_eq!(f(1_709_208_000), "2024-02-29 12:00:00");
        assert_eq!(f(1_709_251_199), "2024-02-29 23:59:59");
        assert_eq!(f(1_709_251_200), "2024-03-01 00:00:00");
        assert_eq!(f(4_107_542_400), "2100-03-01 00:00:00"); // 2100 is not a leap year
        assert_eq!(f(4_107_456_000), "2100-02-28 00:00:00");
        assert_eq!(f(1_735_689_599), "2024-12-31 23:59:59");
        assert_eq!(f(-1), "1969-12-31 23:59:59");
        assert_eq!(f(-2_208_988_800), "1900-01-01 00:00:00");
    }

    #[test]
    fn directives() {
        assert_eq!(format_unix(1_709_208_000, "%Y%m%d%H%M%S"), "20240229120000");
        assert_eq!(format_unix(0, "100%% at %Q %"), "100% at %Q %");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn clocks() {
        assert_eq!(FixedClock(42).now_unix(), 42);
        let c: &dyn Clock = &SystemClock;
        assert!(c.now_unix() > 1_700_000_000);
    }
}

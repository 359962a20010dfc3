//! Time, injected: the `Clock` trait (system or fixed), and the workspace's one calendar (on the
//! `time` crate): civil dates of Unix seconds and back, strftime-style and HTTP-date formatting.
//!
//! `SystemClock` is the only place in the runtime that reads the system time, so every
//! timestamp in a signature or a webhook tolerance check is deterministic under test. The
//! sandbox, validation and the signing timestamps call the functions here; nobody else does
//! calendar arithmetic.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

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

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// UTC date-time of Unix seconds, clamped to the years -9999..=9999 the `time` crate represents.
fn utc(secs: i64) -> OffsetDateTime {
    match OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => t,
        Err(_) if secs < 0 => PrimitiveDateTime::MIN.assume_utc(),
        Err(_) => PrimitiveDateTime::MAX.assume_utc(),
    }
}

/// Year, month, day of a count of days since 1970-01-01 (clamped like [`civil_from_unix`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let t = civil_from_unix(days.saturating_mul(86_400));
    (t.year, t.month, t.day)
}

/// UTC broken-down time of Unix seconds (clamped to the years -9999..=9999).
pub fn civil_from_unix(secs: i64) -> Civil {
    let t = utc(secs);
    Civil {
        year: i64::from(t.year()),
        month: u32::from(u8::from(t.month())),
        day: u32::from(t.day()),
        hour: u32::from(t.hour()),
        minute: u32::from(t.minute()),
        second: u32::from(t.second()),
    }
}

/// The `time` date of a civil date, `None` when it is not a real calendar day.
fn date(year: i64, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date; `None` when it is not a real calendar
/// day (`2023-02-29`, month 13) or lies outside the years -9999..=9999.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    date(year, month, day).map(|d| i64::from(d.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY)
}

/// Unix seconds of a UTC civil time; `None` when the date is not a real day or the time is out
/// of range. A leap second (`:60`) is accepted as the first second of the next minute.
pub fn unix_from_civil(
    (year, month, day): (i64, u32, u32),
    (hour, minute, second): (u32, u32, u32),
) -> Option<i64> {
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    Some(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

/// Days in a month of the proleptic Gregorian calendar; 0 for a month outside 1-12.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    // the leap-year rule repeats every 400 years, so any year maps into `time`'s range
    let year = i32::try_from(year.rem_euclid(400)).unwrap_or(0) + 2000;
    match u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
    {
        Some(m) => u32::from(m.length(year)),
        None => 0,
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

/// The three-letter English month names of HTTP dates, January first.
pub const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// IMF-fixdate, the HTTP date (`Tue, 14 Nov 2023 22:13:20 GMT`, RFC 9110 5.6.7).
pub fn http_date(secs: i64) -> String {
    let t = utc(secs);
    let weekday = t.weekday().to_string();
    let month = MONTH_ABBREVIATIONS[usize::from(u8::from(t.month())).saturating_sub(1)];
    format!(
        "{}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT",
        weekday.get(..3).unwrap_or_default(),
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
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
    fn days_and_months() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2024, 2, 29), Some(19_782));
        assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(2024, 13, 1), None);
        assert_eq!(days_from_civil(2024, 4, 31), None);
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(
            unix_from_civil((2023, 11, 14), (22, 13, 20)),
            Some(1_700_000_000)
        );
        assert_eq!(unix_from_civil((2023, 11, 14), (24, 0, 0)), None);
        assert_eq!(
            unix_from_civil((2016, 12, 31), (23, 59, 60)),
            unix_from_civil((2017, 1, 1), (0, 0, 0))
        );
        let lengths: Vec<u32> = (0..=13).map(|m| days_in_month(2024, m)).collect();
        assert_eq!(
            lengths,
            [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0]
        );
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(-4, 2), 29);
        assert_eq!(days_in_month(i64::MAX, 1), 31);
    }

    #[test]
    fn out_of_range_times_clamp_without_panicking() {
        assert_eq!(civil_from_unix(i64::MAX).year, 9999);
        assert_eq!(civil_from_unix(i64::MIN).year, -9999);
        assert_eq!(civil_from_days(i64::MAX).0, 9999);
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(http_date(1_709_208_000), "Thu, 29 Feb 2024 12:00:00 GMT");
        assert_eq!(http_date(-86_400), "Wed, 31 Dec 1969 00:00:00 GMT");
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

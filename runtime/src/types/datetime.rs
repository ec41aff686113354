//! [`DateTime`], [`Date`] and [`TimeOfDay`].

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use time::{Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::{Cursor, ParseError, newtype_conversions, string_serde, write_fraction};

/// An `Edm.DateTimeOffset`: an instant with its UTC offset, RFC 3339 on the
/// wire.
///
/// Decoding accepts RFC 3339 with 1 to 9 fraction digits (Microsoft Graph
/// sends 7; further digits are ignored), `T` or `t`, `Z`, `z` or `±HH:MM`,
/// and also a missing offset (taken as UTC). Encoding writes RFC 3339 with the
/// value's offset (`Z` for UTC), trailing zeros of the fraction trimmed; an
/// offset with a seconds component (not representable) is converted to UTC.
///
/// Equality, ordering and hashing compare instants: `10:00Z` equals
/// `12:00+02:00`.
///
/// ```
/// use apigen_runtime::types::DateTime;
///
/// let t: DateTime = "2019-10-25T22:55:11.6230000Z".parse().unwrap();
/// assert_eq!(t.to_string(), "2019-10-25T22:55:11.623Z");
/// assert_eq!(t.millisecond(), 623); // `Deref` to `time::OffsetDateTime`
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(pub OffsetDateTime);

newtype_conversions!(DateTime, OffsetDateTime);
string_serde!(DateTime, "an RFC 3339 date-time string");

impl DateTime {
    /// The current time, in UTC.
    pub fn now_utc() -> Self {
        DateTime(OffsetDateTime::now_utc())
    }

    /// The wrapped value.
    pub fn into_inner(self) -> OffsetDateTime {
        self.0
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        DateTime(OffsetDateTime::from(t))
    }
}

impl From<DateTime> for SystemTime {
    fn from(t: DateTime) -> Self {
        SystemTime::from(t.0)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = if self.0.offset().seconds_past_minute() != 0 {
            self.0.to_offset(UtcOffset::UTC)
        } else {
            self.0
        };
        write_date(f, value.date())?;
        f.write_str("T")?;
        write_time(f, value.time())?;
        let offset = value.offset();
        if offset.is_utc() {
            f.write_str("Z")
        } else {
            let minutes = offset.whole_minutes();
            let sign = if minutes < 0 { '-' } else { '+' };
            let minutes = minutes.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl FromStr for DateTime {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        parse_date_time(s).ok_or_else(|| ParseError::new("date-time", s))
    }
}

fn parse_date_time(s: &str) -> Option<DateTime> {
    let mut c = Cursor::new(s);
    let date = parse_date(&mut c)?;
    c.eat_any(b"Tt")?;
    let time = parse_time(&mut c)?;
    let offset = if c.is_done() || c.eat_any(b"Zz").is_some() {
        UtcOffset::UTC
    } else {
        let sign = c.eat_any(b"+-")?;
        let hours = c.digits(2)?;
        c.eat(b':');
        let minutes = c.digits(2)?;
        let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
        let seconds = if sign == b'-' { -seconds } else { seconds };
        UtcOffset::from_whole_seconds(seconds).ok()?
    };
    if !c.is_done() {
        return None;
    }
    Some(DateTime(
        PrimitiveDateTime::new(date, time).assume_offset(offset),
    ))
}

/// An `Edm.Date`: `YYYY-MM-DD` on the wire.
///
/// ```
/// use apigen_runtime::types::Date;
///
/// let d: Date = "2024-02-29".parse().unwrap();
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert!("2023-02-29".parse::<Date>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

newtype_conversions!(Date, time::Date);
string_serde!(Date, "a YYYY-MM-DD date string");

impl Date {
    /// The wrapped value.
    pub fn into_inner(self) -> time::Date {
        self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl FromStr for Date {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let mut c = Cursor::new(s);
        parse_date(&mut c)
            .filter(|_| c.is_done())
            .map(Date)
            .ok_or_else(|| ParseError::new("date", s))
    }
}

/// An `Edm.TimeOfDay`: `HH:MM:SS[.fffffff]` on the wire.
///
/// Decoding accepts 1 to 9 fraction digits and also `HH:MM`; encoding omits
/// the fraction when zero and trims its trailing zeros.
///
/// ```
/// use apigen_runtime::types::TimeOfDay;
///
/// let t: TimeOfDay = "08:30:00.0000000".parse().unwrap();
/// assert_eq!(t.to_string(), "08:30:00");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(pub time::Time);

newtype_conversions!(TimeOfDay, time::Time);
string_serde!(TimeOfDay, "an HH:MM:SS time-of-day string");

impl TimeOfDay {
    /// The wrapped value.
    pub fn into_inner(self) -> time::Time {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(f, self.0)
    }
}

impl fmt::Debug for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeOfDay({self})")
    }
}

impl FromStr for TimeOfDay {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let mut c = Cursor::new(s);
        parse_time(&mut c)
            .filter(|_| c.is_done())
            .map(TimeOfDay)
            .ok_or_else(|| ParseError::new("time of day", s))
    }
}

/// `[-]YYYY-MM-DD` (4 or more year digits).
fn parse_date(c: &mut Cursor<'_>) -> Option<time::Date> {
    let negative = c.eat(b'-');
    let mut year: i32 = 0;
    let mut year_digits = 0;
    while let Some(b) = c.peek().filter(u8::is_ascii_digit) {
        year = year.checked_mul(10)?.checked_add(i32::from(b - b'0'))?;
        year_digits += 1;
        c.eat(b);
    }
    if year_digits < 4 {
        return None;
    }
    let year = if negative { -year } else { year };
    if !c.eat(b'-') {
        return None;
    }
    let month = c.digits(2)?;
    if !c.eat(b'-') {
        return None;
    }
    let day = c.digits(2)?;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// `HH:MM[:SS[.f+]]`.
fn parse_time(c: &mut Cursor<'_>) -> Option<time::Time> {
    let hour = c.digits(2)?;
    if !c.eat(b':') {
        return None;
    }
    let minute = c.digits(2)?;
    let (second, nanos) = if c.eat(b':') {
        let second = c.digits(2)?;
        let nanos = if c.eat_any(b".,").is_some() {
            c.fraction_nanos()?
        } else {
            0
        };
        (second, nanos)
    } else {
        (0, 0)
    };
    time::Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanos,
    )
    .ok()
}

fn write_date(f: &mut fmt::Formatter<'_>, date: time::Date) -> fmt::Result {
    let year = date.year();
    if year < 0 {
        write!(f, "-{:04}", year.unsigned_abs())?;
    } else {
        write!(f, "{year:04}")?;
    }
    write!(f, "-{:02}-{:02}", u8::from(date.month()), date.day())
}

fn write_time(f: &mut fmt::Formatter<'_>, time: time::Time) -> fmt::Result {
    write!(
        f,
        "{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    )?;
    write_fraction(f, time.nanosecond())
}

//! [`Duration`].

use std::fmt;
use std::str::FromStr;

use super::{Cursor, ParseError, string_serde, write_fraction};

/// An ISO 8601 duration (`Edm.Duration`), such as `P1DT3H`, `PT0.5S` or
/// `-P3D`.
///
/// The value is kept **as written**, component by component (sign, years,
/// months, weeks, days, hours, minutes, seconds and nanoseconds), so nothing
/// is lost: `PT90M` stays 90 minutes and `P1M` stays one (calendar) month.
/// Equality and hashing are component-wise (`PT60M != PT1H`); there is no
/// ordering, because months and years have no fixed length.
///
/// Decoding accepts `[+|-]P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` (at least one
/// component; a fraction, with `.` or `,`, only on seconds, up to 9 digits
/// kept; designators are case-insensitive). Encoding is canonical: upper-case,
/// zero components omitted, the fraction's trailing zeros trimmed, `PT0S` for
/// zero, and a `-` sign only for non-zero durations.
///
/// ```
/// use apigen_runtime::types::Duration;
///
/// let d: Duration = "P1DT3H".parse().unwrap();
/// assert_eq!(d.days, 1);
/// assert_eq!(d.hours, 3);
/// assert_eq!(d.to_std(), Some(std::time::Duration::from_secs(27 * 3600)));
/// assert_eq!("P0DT3H0M".parse::<Duration>().unwrap().to_string(), "PT3H");
/// assert_eq!("-P3D".parse::<Duration>().unwrap().to_std(), None);
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// Whether the duration is negative (`-P...`).
    pub negative: bool,
    /// Years (`Y`).
    pub years: u64,
    /// Months (`M` before `T`).
    pub months: u64,
    /// Weeks (`W`).
    pub weeks: u64,
    /// Days (`D`).
    pub days: u64,
    /// Hours (`H`).
    pub hours: u64,
    /// Minutes (`M` after `T`).
    pub minutes: u64,
    /// Whole seconds (`S`).
    pub seconds: u64,
    /// Fraction of a second, in nanoseconds (`< 1_000_000_000`).
    pub nanos: u32,
}

string_serde!(Duration, "an ISO 8601 duration string");

impl Duration {
    /// The zero duration (`PT0S`).
    pub const ZERO: Duration = Duration {
        negative: false,
        years: 0,
        months: 0,
        weeks: 0,
        days: 0,
        hours: 0,
        minutes: 0,
        seconds: 0,
        nanos: 0,
    };

    /// A duration of days, hours, minutes, seconds and nanoseconds (as given,
    /// not normalized; `nanos` beyond one second carry into `seconds`).
    pub fn new(days: u64, hours: u64, minutes: u64, seconds: u64, nanos: u32) -> Self {
        Duration {
            days,
            hours,
            minutes,
            seconds: seconds.saturating_add(u64::from(nanos / 1_000_000_000)),
            nanos: nanos % 1_000_000_000,
            ..Duration::ZERO
        }
    }

    /// The same duration with the opposite sign.
    pub fn negated(mut self) -> Self {
        self.negative = !self.negative;
        self
    }

    /// Whether every component is zero.
    pub fn is_zero(&self) -> bool {
        Duration {
            negative: false,
            ..*self
        } == Duration::ZERO
    }

    /// Whether the duration has year or month components (which have no
    /// fixed length).
    pub fn has_calendar_components(&self) -> bool {
        self.years != 0 || self.months != 0
    }

    /// The length in seconds and nanoseconds, ignoring the sign; `None` with
    /// years or months, or on overflow. Weeks are 7 days, days 24 hours.
    fn magnitude(&self) -> Option<(u64, u32)> {
        if self.has_calendar_components() {
            return None;
        }
        let days = self.weeks.checked_mul(7)?.checked_add(self.days)?;
        let hours = days.checked_mul(24)?.checked_add(self.hours)?;
        let minutes = hours.checked_mul(60)?.checked_add(self.minutes)?;
        let seconds = minutes.checked_mul(60)?.checked_add(self.seconds)?;
        let seconds = seconds.checked_add(u64::from(self.nanos / 1_000_000_000))?;
        Some((seconds, self.nanos % 1_000_000_000))
    }

    /// Converts to a [`std::time::Duration`]; `None` when negative (and
    /// non-zero), with years or months, or on overflow.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.negative && !self.is_zero() {
            return None;
        }
        let (seconds, nanos) = self.magnitude()?;
        Some(std::time::Duration::new(seconds, nanos))
    }

    /// Converts to a signed [`time::Duration`]; `None` with years or months,
    /// or on overflow.
    pub fn to_time(&self) -> Option<time::Duration> {
        let (seconds, nanos) = self.magnitude()?;
        let seconds = i64::try_from(seconds).ok()?;
        let nanos = i32::try_from(nanos).ok()?;
        Some(if self.negative {
            time::Duration::new(-seconds, -nanos)
        } else {
            time::Duration::new(seconds, nanos)
        })
    }
}

impl From<std::time::Duration> for Duration {
    /// Splits into days, hours, minutes and seconds (`P1DT1H1M1.5S`).
    fn from(d: std::time::Duration) -> Self {
        let secs = d.as_secs();
        Duration::new(
            secs / 86_400,
            secs % 86_400 / 3600,
            secs % 3600 / 60,
            secs % 60,
            d.subsec_nanos(),
        )
    }
}

impl From<time::Duration> for Duration {
    /// Splits into days, hours, minutes and seconds, keeping the sign.
    fn from(d: time::Duration) -> Self {
        let negative = d.is_negative();
        let secs = d.whole_seconds().unsigned_abs();
        let nanos = d.subsec_nanoseconds().unsigned_abs();
        let mut out = Duration::from(std::time::Duration::new(secs, 0));
        out.nanos = nanos;
        out.negative = negative && !out.is_zero();
        out
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("PT0S");
        }
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        for (value, designator) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if value != 0 {
                write!(f, "{value}{designator}")?;
            }
        }
        let seconds = self
            .seconds
            .checked_add(u64::from(self.nanos / 1_000_000_000));
        let nanos = self.nanos % 1_000_000_000;
        if self.hours != 0 || self.minutes != 0 || self.seconds != 0 || nanos != 0 {
            f.write_str("T")?;
            if self.hours != 0 {
                write!(f, "{}H", self.hours)?;
            }
            if self.minutes != 0 {
                write!(f, "{}M", self.minutes)?;
            }
            if self.seconds != 0 || nanos != 0 {
                match seconds {
                    Some(s) => write!(f, "{s}")?,
                    None => write!(f, "{}", self.seconds)?,
                }
                write_fraction(f, nanos)?;
                f.write_str("S")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Duration({self})")
    }
}

impl FromStr for Duration {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        parse(&s.to_ascii_uppercase()).ok_or_else(|| ParseError::new("ISO 8601 duration", s))
    }
}

fn parse(s: &str) -> Option<Duration> {
    let mut c = Cursor::new(s);
    let mut d = Duration {
        negative: c.eat_any(b"+-") == Some(b'-'),
        ..Duration::ZERO
    };
    if !c.eat(b'P') {
        return None;
    }
    let mut any = false;
    // Date part: designators must appear in this order.
    let mut order = 0;
    while c.peek().is_some_and(|b| b.is_ascii_digit()) {
        let n = c.number()?;
        let (slot, rank) = match c.eat_any(b"YMWD")? {
            b'Y' => (&mut d.years, 1),
            b'M' => (&mut d.months, 2),
            b'W' => (&mut d.weeks, 3),
            _ => (&mut d.days, 4),
        };
        if rank <= order {
            return None;
        }
        order = rank;
        *slot = n;
        any = true;
    }
    if c.eat(b'T') {
        let mut order = 0;
        let mut any_time = false;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            let n = c.number()?;
            let nanos = if c.eat_any(b".,").is_some() {
                Some(c.fraction_nanos()?)
            } else {
                None
            };
            let designator = c.eat_any(b"HMS")?;
            if nanos.is_some() && designator != b'S' {
                return None;
            }
            let (slot, rank) = match designator {
                b'H' => (&mut d.hours, 1),
                b'M' => (&mut d.minutes, 2),
                _ => (&mut d.seconds, 3),
            };
            if rank <= order {
                return None;
            }
            order = rank;
            *slot = n;
            if let Some(nanos) = nanos {
                d.nanos = nanos;
            }
            any_time = true;
        }
        if !any_time {
            return None;
        }
        any = true;
    }
    if !any || !c.is_done() {
        return None;
    }
    if d.is_zero() {
        d.negative = false;
    }
    Some(d)
}

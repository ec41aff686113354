//! Conversions between the date and time wrappers and the `jiff` and `chrono` crates, behind
//! the runtime's `jiff` and `chrono` features (off by default: without them, neither crate is
//! compiled).
//!
//! Conversions that always succeed are `From`; those that can fail are `TryFrom` with a
//! [`ConvertError`]: a `time` value can lie outside the other crate's range (the `time`
//! crate's `large-dates` feature allows years up to ±999,999), and an ISO 8601 duration with
//! years and months has no fixed length.

use std::fmt;

use super::{Date, DateTime, Duration, TimeOfDay};

/// A value that the other crate cannot represent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    what: &'static str,
}

impl ConvertError {
    fn new(what: &'static str) -> Self {
        ConvertError { what }
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the value cannot be converted: {}", self.what)
    }
}

impl std::error::Error for ConvertError {}

fn month(m: u8) -> Result<time::Month, ConvertError> {
    time::Month::try_from(m).map_err(|_| ConvertError::new("month out of range"))
}

#[cfg(feature = "jiff")]
mod with_jiff {
    use super::*;

    impl TryFrom<DateTime> for jiff::Timestamp {
        type Error = ConvertError;
        /// The instant (the UTC offset is dropped: see [`jiff::Zoned`] to keep it).
        fn try_from(t: DateTime) -> Result<Self, ConvertError> {
            let nanos = t.0.unix_timestamp_nanos();
            jiff::Timestamp::from_nanosecond(nanos)
                .map_err(|_| ConvertError::new("instant outside jiff's range"))
        }
    }

    impl TryFrom<DateTime> for jiff::Zoned {
        type Error = ConvertError;
        /// The instant at its fixed UTC offset.
        fn try_from(t: DateTime) -> Result<Self, ConvertError> {
            let ts = jiff::Timestamp::try_from(t)?;
            let offset = jiff::tz::Offset::from_seconds(t.0.offset().whole_seconds())
                .map_err(|_| ConvertError::new("UTC offset outside jiff's range"))?;
            Ok(ts.to_zoned(jiff::tz::TimeZone::fixed(offset)))
        }
    }

    impl TryFrom<jiff::Timestamp> for DateTime {
        type Error = ConvertError;
        /// The instant, in UTC.
        fn try_from(t: jiff::Timestamp) -> Result<Self, ConvertError> {
            time::OffsetDateTime::from_unix_timestamp_nanos(t.as_nanosecond())
                .map(DateTime)
                .map_err(|_| ConvertError::new("instant outside time's range"))
        }
    }

    impl TryFrom<&jiff::Zoned> for DateTime {
        type Error = ConvertError;
        /// The instant at the zoned value's current UTC offset.
        fn try_from(z: &jiff::Zoned) -> Result<Self, ConvertError> {
            let utc = DateTime::try_from(z.timestamp())?;
            let offset = time::UtcOffset::from_whole_seconds(z.offset().seconds())
                .map_err(|_| ConvertError::new("UTC offset outside time's range"))?;
            Ok(DateTime(utc.0.to_offset(offset)))
        }
    }

    impl TryFrom<Date> for jiff::civil::Date {
        type Error = ConvertError;
        fn try_from(d: Date) -> Result<Self, ConvertError> {
            let year = i16::try_from(d.0.year())
                .map_err(|_| ConvertError::new("year outside jiff's range"))?;
            jiff::civil::Date::new(year, u8::from(d.0.month()) as i8, d.0.day() as i8)
                .map_err(|_| ConvertError::new("date outside jiff's range"))
        }
    }

    impl TryFrom<jiff::civil::Date> for Date {
        type Error = ConvertError;
        fn try_from(d: jiff::civil::Date) -> Result<Self, ConvertError> {
            let month = month(d.month() as u8)?;
            time::Date::from_calendar_date(i32::from(d.year()), month, d.day() as u8)
                .map(Date)
                .map_err(|_| ConvertError::new("date outside time's range"))
        }
    }

    impl From<TimeOfDay> for jiff::civil::Time {
        fn from(t: TimeOfDay) -> Self {
            jiff::civil::Time::constant(
                t.0.hour() as i8,
                t.0.minute() as i8,
                t.0.second() as i8,
                t.0.nanosecond() as i32,
            )
        }
    }

    impl From<jiff::civil::Time> for TimeOfDay {
        fn from(t: jiff::civil::Time) -> Self {
            // Every jiff time of day is a valid `time` one (hours 0-23, and so on).
            let hms = time::Time::from_hms_nano(
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
                t.subsec_nanosecond() as u32,
            );
            TimeOfDay(hms.unwrap_or(time::Time::MIDNIGHT))
        }
    }

    impl TryFrom<Duration> for jiff::Span {
        type Error = ConvertError;
        /// Every component kept (years, months, weeks, days...), so the span can be added
        /// to a date as the description meant it.
        fn try_from(d: Duration) -> Result<Self, ConvertError> {
            let big = |_| ConvertError::new("duration outside jiff's range");
            let int =
                |v: u64| i64::try_from(v).map_err(|_| ConvertError::new("component too large"));
            let span = jiff::Span::new()
                .try_years(int(d.years)?)
                .map_err(big)?
                .try_months(int(d.months)?)
                .map_err(big)?
                .try_weeks(int(d.weeks)?)
                .map_err(big)?
                .try_days(int(d.days)?)
                .map_err(big)?
                .try_hours(int(d.hours)?)
                .map_err(big)?
                .try_minutes(int(d.minutes)?)
                .map_err(big)?
                .try_seconds(int(d.seconds)?)
                .map_err(big)?
                .try_nanoseconds(i64::from(d.nanos))
                .map_err(big)?;
            Ok(if d.negative { span.negate() } else { span })
        }
    }

    impl From<jiff::Span> for Duration {
        fn from(s: jiff::Span) -> Self {
            let abs = |v: i64| v.unsigned_abs();
            let nanos = abs(s.get_milliseconds()) * 1_000_000
                + abs(s.get_microseconds()) * 1_000
                + abs(s.get_nanoseconds());
            let seconds = abs(s.get_seconds()) + nanos / 1_000_000_000;
            let mut d = Duration::ZERO;
            d.negative = s.is_negative();
            d.years = abs(i64::from(s.get_years()));
            d.months = abs(i64::from(s.get_months()));
            d.weeks = abs(i64::from(s.get_weeks()));
            d.days = abs(i64::from(s.get_days()));
            d.hours = abs(i64::from(s.get_hours()));
            d.minutes = abs(s.get_minutes());
            d.seconds = seconds;
            d.nanos = (nanos % 1_000_000_000) as u32;
            d
        }
    }
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use super::*;

    impl TryFrom<DateTime> for chrono::DateTime<chrono::FixedOffset> {
        type Error = ConvertError;
        /// The instant at its UTC offset.
        fn try_from(t: DateTime) -> Result<Self, ConvertError> {
            let utc = chrono::DateTime::<chrono::Utc>::try_from(t)?;
            let offset = chrono::FixedOffset::east_opt(t.0.offset().whole_seconds())
                .ok_or_else(|| ConvertError::new("UTC offset outside chrono's range"))?;
            Ok(utc.with_timezone(&offset))
        }
    }

    impl TryFrom<DateTime> for chrono::DateTime<chrono::Utc> {
        type Error = ConvertError;
        fn try_from(t: DateTime) -> Result<Self, ConvertError> {
            chrono::DateTime::from_timestamp(t.0.unix_timestamp(), t.0.nanosecond())
                .ok_or_else(|| ConvertError::new("instant outside chrono's range"))
        }
    }

    impl<Tz: chrono::TimeZone> TryFrom<chrono::DateTime<Tz>> for DateTime {
        type Error = ConvertError;
        /// The instant at the value's UTC offset.
        fn try_from(t: chrono::DateTime<Tz>) -> Result<Self, ConvertError> {
            use chrono::Offset;
            let offset_seconds = t.offset().fix().local_minus_utc();
            let utc = time::OffsetDateTime::from_unix_timestamp(t.timestamp())
                .map_err(|_| ConvertError::new("instant outside time's range"))?
                .replace_nanosecond(t.timestamp_subsec_nanos())
                .map_err(|_| ConvertError::new("leap second"))?;
            let offset = time::UtcOffset::from_whole_seconds(offset_seconds)
                .map_err(|_| ConvertError::new("UTC offset outside time's range"))?;
            Ok(DateTime(utc.to_offset(offset)))
        }
    }

    impl TryFrom<Date> for chrono::NaiveDate {
        type Error = ConvertError;
        fn try_from(d: Date) -> Result<Self, ConvertError> {
            chrono::NaiveDate::from_ymd_opt(
                d.0.year(),
                u32::from(u8::from(d.0.month())),
                u32::from(d.0.day()),
            )
            .ok_or_else(|| ConvertError::new("date outside chrono's range"))
        }
    }

    impl TryFrom<chrono::NaiveDate> for Date {
        type Error = ConvertError;
        fn try_from(d: chrono::NaiveDate) -> Result<Self, ConvertError> {
            use chrono::Datelike;
            time::Date::from_calendar_date(d.year(), month(d.month() as u8)?, d.day() as u8)
                .map(Date)
                .map_err(|_| ConvertError::new("date outside time's range"))
        }
    }

    impl From<TimeOfDay> for chrono::NaiveTime {
        fn from(t: TimeOfDay) -> Self {
            let (h, m, s, n) = t.0.as_hms_nano();
            chrono::NaiveTime::from_hms_nano_opt(u32::from(h), u32::from(m), u32::from(s), n)
                .unwrap_or(chrono::NaiveTime::MIN)
        }
    }

    impl TryFrom<chrono::NaiveTime> for TimeOfDay {
        type Error = ConvertError;
        /// Fails on a leap second (`23:59:60`), which `time` does not have.
        fn try_from(t: chrono::NaiveTime) -> Result<Self, ConvertError> {
            use chrono::Timelike;
            time::Time::from_hms_nano(
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
                t.nanosecond(),
            )
            .map(TimeOfDay)
            .map_err(|_| ConvertError::new("leap second"))
        }
    }

    impl TryFrom<Duration> for chrono::TimeDelta {
        type Error = ConvertError;
        /// Only durations of a fixed length (no years or months).
        fn try_from(d: Duration) -> Result<Self, ConvertError> {
            let t = d
                .to_time()
                .ok_or_else(|| ConvertError::new("years or months have no fixed length"))?;
            let abs = t.abs();
            let delta =
                chrono::TimeDelta::new(abs.whole_seconds(), abs.subsec_nanoseconds() as u32)
                    .ok_or_else(|| ConvertError::new("duration outside chrono's range"))?;
            Ok(if t.is_negative() { -delta } else { delta })
        }
    }

    impl From<chrono::TimeDelta> for Duration {
        fn from(delta: chrono::TimeDelta) -> Self {
            let negative = delta < chrono::TimeDelta::zero();
            let abs = delta.abs();
            let std = abs.to_std().unwrap_or_default();
            let d = Duration::from(std);
            if negative { d.negated() } else { d }
        }
    }
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use super::*;

    #[cfg(feature = "jiff")]
    #[test]
    fn jiff_round_trips() {
        let t: DateTime = "2019-10-25T22:55:11.623+02:00".parse().unwrap();
        let ts = jiff::Timestamp::try_from(t).unwrap();
        assert_eq!(ts.to_string(), "2019-10-25T20:55:11.623Z");
        let zoned = jiff::Zoned::try_from(t).unwrap();
        assert_eq!(zoned.offset().seconds(), 7200);
        assert_eq!(
            DateTime::try_from(&zoned).unwrap().to_string(),
            t.to_string()
        );
        assert_eq!(DateTime::try_from(ts).unwrap(), t, "the same instant");

        let d: Date = "2024-02-29".parse().unwrap();
        let j = jiff::civil::Date::try_from(d).unwrap();
        assert_eq!(j.to_string(), "2024-02-29");
        assert_eq!(Date::try_from(j).unwrap(), d);

        let tod: TimeOfDay = "08:30:00.5".parse().unwrap();
        let jt = jiff::civil::Time::from(tod);
        assert_eq!(TimeOfDay::from(jt), tod);

        let dur: Duration = "-P1Y2M3DT4H5M6.5S".parse().unwrap();
        let span = jiff::Span::try_from(dur).unwrap();
        assert_eq!(span.to_string(), "-P1Y2M3DT4H5M6.5S");
        assert_eq!(Duration::from(span).to_string(), dur.to_string());
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trips() {
        let t: DateTime = "2019-10-25T22:55:11.623+02:00".parse().unwrap();
        let fixed = chrono::DateTime::<chrono::FixedOffset>::try_from(t).unwrap();
        assert_eq!(fixed.to_rfc3339(), "2019-10-25T22:55:11.623+02:00");
        assert_eq!(
            DateTime::try_from(fixed).unwrap().to_string(),
            t.to_string()
        );
        let utc = chrono::DateTime::<chrono::Utc>::try_from(t).unwrap();
        assert_eq!(DateTime::try_from(utc).unwrap(), t, "the same instant");

        let d: Date = "2024-02-29".parse().unwrap();
        let n = chrono::NaiveDate::try_from(d).unwrap();
        assert_eq!(Date::try_from(n).unwrap(), d);

        let tod: TimeOfDay = "23:59:59.25".parse().unwrap();
        assert_eq!(
            TimeOfDay::try_from(chrono::NaiveTime::from(tod)).unwrap(),
            tod
        );

        let dur: Duration = "-PT1H0.5S".parse().unwrap();
        let delta = chrono::TimeDelta::try_from(dur).unwrap();
        assert_eq!(delta, -chrono::TimeDelta::milliseconds(3_600_500));
        assert_eq!(Duration::from(delta).to_string(), dur.to_string());
        assert!(chrono::TimeDelta::try_from("P1M".parse::<Duration>().unwrap()).is_err());
    }
}

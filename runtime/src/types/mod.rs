//! Wire-format wrappers for OData primitive types.
//!
//! | OData type          | Rust type       | JSON                                   |
//! |---------------------|-----------------|----------------------------------------|
//! | `Edm.DateTimeOffset`| [`DateTime`]    | `"2019-10-25T22:55:11.623Z"`           |
//! | `Edm.Date`          | [`Date`]        | `"2019-10-25"`                         |
//! | `Edm.TimeOfDay`     | [`TimeOfDay`]   | `"08:30:00.0000000"`                   |
//! | `Edm.Duration`      | [`Duration`]    | `"P1DT3H"`                             |
//! | `Edm.Binary`        | [`Base64Bytes`] | `"AAEC"`                               |
//! | `Edm.Double`        | [`Double`]      | `1.5`, `"INF"`, `"-INF"`, `"NaN"`      |
//! | `Edm.Guid`          | [`Uuid`]        | `"8f1e..."`                            |
//!
//! Every wrapper implements `Display` and `FromStr` with its wire format,
//! `Serialize`/`Deserialize`, and conversions from and to the wrapped value.
//! Decoding is lenient where servers are known to vary (fraction digits,
//! missing offsets, base64url); encoding is canonical.
//!
//! With the `jiff` or `chrono` feature, [`DateTime`], [`Date`], [`TimeOfDay`] and
//! [`Duration`] also convert to and from those crates' types (`From` where it always
//! succeeds, `TryFrom` where a value can fall outside the other crate's range, such as an
//! ISO 8601 duration with months into a `chrono::TimeDelta`).

use std::fmt;

mod base64;
mod datetime;
mod double;
mod duration;
#[cfg(any(feature = "jiff", feature = "chrono"))]
mod interop;

pub use self::base64::Base64Bytes;
pub use self::datetime::{Date, DateTime, TimeOfDay};
pub use self::double::Double;
pub use self::duration::Duration;
#[cfg(any(feature = "jiff", feature = "chrono"))]
pub use self::interop::ConvertError;

/// The [`time`] crate, to construct [`DateTime`], [`Date`] and [`TimeOfDay`]
/// values.
pub use time;
/// A UUID (`Edm.Guid`).
pub use uuid::Uuid;

/// A string that is not in the expected wire format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: &'static str,
    input: String,
}

impl ParseError {
    pub(crate) fn new(kind: &'static str, input: &str) -> Self {
        // Keep error messages short even for huge inputs.
        let input = match input.char_indices().nth(64) {
            Some((end, _)) => format!("{}...", &input[..end]),
            None => input.to_owned(),
        };
        ParseError { kind, input }
    }

    /// The expected kind of value, e.g. `date-time`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: `{}`", self.kind, self.input)
    }
}

impl std::error::Error for ParseError {}

/// Implements `Serialize` (via `Display`) and `Deserialize` (from a string,
/// via `FromStr`) for a type.
macro_rules! string_serde {
    ($ty:ty, $expecting:literal) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(
                        self,
                        v: &str,
                    ) -> ::std::result::Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}
pub(crate) use string_serde;

/// Implements `Deref`, `From<inner>` and `From<wrapper> for inner` for a
/// tuple newtype.
macro_rules! newtype_conversions {
    ($ty:ident, $inner:ty) => {
        impl ::std::ops::Deref for $ty {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl ::std::convert::From<$inner> for $ty {
            fn from(value: $inner) -> Self {
                $ty(value)
            }
        }

        impl ::std::convert::From<$ty> for $inner {
            fn from(value: $ty) -> Self {
                value.0
            }
        }
    };
}
pub(crate) use newtype_conversions;

/// A tiny cursor over ASCII input, for the hand-written parsers.
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(s: &'a str) -> Self {
        Cursor {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(crate) fn is_done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Consumes `b` if it is next.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes the next byte if it is one of `set`; returns it.
    pub(crate) fn eat_any(&mut self, set: &[u8]) -> Option<u8> {
        let b = self.peek().filter(|b| set.contains(b))?;
        self.pos += 1;
        Some(b)
    }

    /// Exactly `n` decimal digits.
    pub(crate) fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.bytes.get(self.pos..self.pos + n)?;
        let mut value: u32 = 0;
        for &b in slice {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.pos += n;
        Some(value)
    }

    /// One or more decimal digits as a `u64` (`None` on overflow or when no
    /// digit is next).
    pub(crate) fn number(&mut self) -> Option<u64> {
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            self.pos += 1;
        }
        (self.pos > start).then_some(value)
    }

    /// One or more digits of a decimal fraction, as nanoseconds (digits after
    /// the ninth are ignored).
    pub(crate) fn fraction_nanos(&mut self) -> Option<u32> {
        let start = self.pos;
        let mut nanos: u32 = 0;
        let mut scale: u32 = 100_000_000;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            nanos += u32::from(b - b'0') * scale;
            scale /= 10;
            self.pos += 1;
        }
        (self.pos > start).then_some(nanos)
    }
}

/// Writes `.fffffffff` with trailing zeros trimmed (nothing when zero).
pub(crate) fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        return Ok(());
    }
    let digits = format!("{nanos:09}");
    write!(f, ".{}", digits.trim_end_matches('0'))
}

//! [`Double`].

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ParseError;

/// An `Edm.Double` that may be infinite or NaN.
///
/// JSON has no infinities or NaN, so OData (with `IEEE754Compatible`) writes
/// them as the strings `"INF"`, `"-INF"` and `"NaN"`. Decoding accepts a JSON
/// number, those strings, or a numeric string; encoding writes finite values
/// as numbers and the special values as those strings.
///
/// Unlike `f64`, `Double` is `Eq`, `Ord` and `Hash`: all NaNs are equal (and
/// greater than `INF`), and `-0.0 == 0.0`; otherwise the usual numeric order.
///
/// ```
/// use apigen_runtime::types::Double;
///
/// let d: Double = serde_json::from_str(r#""NaN""#).unwrap();
/// assert!(d.is_nan());
/// assert_eq!(serde_json::to_string(&d).unwrap(), r#""NaN""#);
/// assert_eq!(serde_json::to_string(&Double(1.5)).unwrap(), "1.5");
/// ```
#[derive(Clone, Copy, Default)]
pub struct Double(pub f64);

super::newtype_conversions!(Double, f64);

impl Double {
    /// The wrapped value.
    pub fn into_inner(self) -> f64 {
        self.0
    }

    /// The value with `-0.0` as `0.0` and every NaN as the same NaN.
    fn canonical(self) -> f64 {
        if self.0.is_nan() {
            f64::NAN
        } else if self.0 == 0.0 {
            0.0
        } else {
            self.0
        }
    }
}

impl PartialEq for Double {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Double {}

impl PartialOrd for Double {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Double {
    fn cmp(&self, other: &Self) -> Ordering {
        self.canonical().total_cmp(&other.canonical())
    }
}

impl Hash for Double {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical().to_bits().hash(state);
    }
}

impl fmt::Display for Double {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v.is_nan() {
            f.write_str("NaN")
        } else if v == f64::INFINITY {
            f.write_str("INF")
        } else if v == f64::NEG_INFINITY {
            f.write_str("-INF")
        } else {
            fmt::Display::fmt(&v, f)
        }
    }
}

impl fmt::Debug for Double {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Double({self})")
    }
}

impl FromStr for Double {
    type Err = ParseError;

    /// Accepts `INF`, `-INF`, `NaN` and anything `f64::from_str` accepts.
    fn from_str(s: &str) -> Result<Self, ParseError> {
        match s {
            "INF" => Ok(Double(f64::INFINITY)),
            "-INF" => Ok(Double(f64::NEG_INFINITY)),
            "NaN" => Ok(Double(f64::NAN)),
            _ => s
                .trim()
                .parse::<f64>()
                .map(Double)
                .map_err(|_| ParseError::new("double", s)),
        }
    }
}

impl Serialize for Double {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_finite() {
            serializer.serialize_f64(self.0)
        } else {
            serializer.collect_str(self)
        }
    }
}

impl<'de> Deserialize<'de> for Double {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DoubleVisitor;

        impl Visitor<'_> for DoubleVisitor {
            type Value = Double;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a number or one of "INF", "-INF", "NaN""#)
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Double, E> {
                Ok(Double(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Double, E> {
                Ok(Double(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Double, E> {
                Ok(Double(v as f64))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Double, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_any(DoubleVisitor)
    }
}

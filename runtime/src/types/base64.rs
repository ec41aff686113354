//! [`Base64Bytes`].

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::{ParseError, newtype_conversions, string_serde};

/// Standard alphabet, padding optional, and non-zero bits after the last byte ignored (for
/// decoding): encoders that leave them set exist (Adyen's documented examples end in `mC==`),
/// and the bytes are the same.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Binary data (`Edm.Binary`), base64 on the wire.
///
/// Encoding uses the standard alphabet with padding. Decoding also accepts
/// the URL-safe alphabet (`-`, `_`), missing padding, and set bits after the
/// last byte (non-canonical encodings).
///
/// ```
/// use apigen_runtime::types::Base64Bytes;
///
/// let b: Base64Bytes = "-_8".parse().unwrap(); // base64url, unpadded
/// assert_eq!(b.as_slice(), &[0xfb, 0xff]);
/// assert_eq!(b.to_string(), "+/8=");
/// // `C` leaves bits set after the last byte: the same bytes as canonical `A`.
/// let n: Base64Bytes = "mC==".parse().unwrap();
/// assert_eq!(n, "mA==".parse().unwrap());
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64Bytes(pub Vec<u8>);

newtype_conversions!(Base64Bytes, Vec<u8>);
string_serde!(Base64Bytes, "a base64 string");

impl Base64Bytes {
    /// The wrapped bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl std::ops::DerefMut for Base64Bytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl AsRef<[u8]> for Base64Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<&[u8]> for Base64Bytes {
    fn from(bytes: &[u8]) -> Self {
        Base64Bytes(bytes.to_vec())
    }
}

impl From<bytes::Bytes> for Base64Bytes {
    fn from(bytes: bytes::Bytes) -> Self {
        Base64Bytes(bytes.to_vec())
    }
}

impl fmt::Display for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&STANDARD.encode(&self.0))
    }
}

impl fmt::Debug for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Bytes({self})")
    }
}

impl FromStr for Base64Bytes {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let standard: String = s
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        LENIENT
            .decode(standard)
            .map(Base64Bytes)
            .map_err(|_| ParseError::new("base64", s))
    }
}

//! OpenAPI from raw bytes: load (YAML or JSON) -> bundle/normalise -> lower -> emit -> syn.
//!
//! The input is named `fuzz-input` (no extension), so apigen picks the syntax from the first
//! significant character (`{` or `[`: JSON, otherwise YAML) and both parsers get exercised
//! from one corpus. Any spec file is a valid input as it is.
#![no_main]

use apigen_fuzz::{Reader, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check("fuzz-input", Reader::OpenApi, data.to_vec());
});

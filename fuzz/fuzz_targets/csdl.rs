//! OData CSDL from raw bytes: XML parse -> CSDL model -> lower -> emit -> syn.
//!
//! The input is named `fuzz-input.xml` and the format is forced to CSDL.
#![no_main]

use apigen_fuzz::{Reader, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check("fuzz-input.xml", Reader::Csdl, data.to_vec());
});

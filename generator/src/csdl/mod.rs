//! OData CSDL input: parse `$metadata` XML into a model with positions, lower it to the IR.

mod lower;
pub mod model;
mod parse;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::ir::Api;
use crate::source::SourceFile;

pub use parse::parse;

/// Parse and lower in one step.
pub fn read(source: &SourceFile, config: &Config, diags: &mut Diagnostics) -> Option<Api> {
    match parse::parse(&source.path, &source.text, diags) {
        Ok(doc) => lower::lower(&doc, &source.path, config, diags),
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

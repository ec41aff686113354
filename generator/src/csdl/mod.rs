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
    read_timed(
        source,
        config,
        diags,
        &mut crate::Timings::default(),
        &crate::progress::Progress::new(),
    )
}

/// [`read`], recording the time of parsing and lowering in `timings`.
pub fn read_timed(
    source: &SourceFile,
    config: &Config,
    diags: &mut Diagnostics,
    timings: &mut crate::Timings,
    progress: &crate::progress::Progress,
) -> Option<Api> {
    crate::parse_then_lower(
        diags,
        timings,
        progress,
        |diags| parse::parse(&source.path, &source.text, diags),
        |doc, diags| lower::lower(doc, &source.path, config, diags),
    )
}

//! The one layer that turns data into text: tables, CSV, Markdown, JSON and diagnostics.

pub mod action;
pub mod cell;
pub mod changes;
pub mod diagnostic;
pub mod document;
pub mod docx;
pub mod gantt;
mod grid;
pub mod html;
pub mod iati;
pub mod ics;
pub mod matrix;
pub mod plan;
pub mod report;
pub mod schema;
mod style;
pub mod terminal;
pub mod xlsx;
pub mod xml;

pub use grid::Grid;
pub use style::Style;

use serde::Serialize;

/// Pretty JSON with a final newline.
#[must_use]
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising our own plain structs cannot fail (no maps with non-string keys).
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("\"{e}\""));
    text.push('\n');
    text
}

/// [`json`]'s text, written to `out` as it is made: the 23 MB of 72,000 findings are never
/// held whole.
pub fn write_json<T: Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()
}

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

pub use grid::{CsvRows, Grid};
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

/// Text made a part at a time and handed on: a renderer appends a part (a table row, an
/// event, an activity) to it as to a `String`, then calls [`Stream::done`], which passes the
/// part on to the writer. An export of 100,000 actions holds one part, never the whole
/// text. Without a writer ([`Stream::string`]) it keeps everything, for a page of `serve`.
pub struct Stream<'a> {
    text: String,
    out: Option<&'a mut dyn std::io::Write>,
}

impl<'a> Stream<'a> {
    /// Text for `out`.
    pub fn to(out: &'a mut dyn std::io::Write) -> Self {
        Self {
            text: String::new(),
            out: Some(out),
        }
    }

    /// A part is made: hand it on. Without a writer, nothing happens.
    ///
    /// # Errors
    /// When the writer fails.
    pub fn done(&mut self) -> std::io::Result<()> {
        if let Some(out) = &mut self.out {
            out.write_all(self.text.as_bytes())?;
            self.text.clear();
        }
        Ok(())
    }

    /// The whole text `render` makes, kept.
    #[must_use]
    pub fn string(render: impl FnOnce(&mut Stream) -> std::io::Result<()>) -> String {
        let mut stream = Stream {
            text: String::new(),
            out: None,
        };
        // Without a writer nothing can fail.
        let _ = render(&mut stream);
        stream.text
    }
}

impl std::ops::Deref for Stream<'_> {
    type Target = String;
    fn deref(&self) -> &String {
        &self.text
    }
}

impl std::ops::DerefMut for Stream<'_> {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.text
    }
}

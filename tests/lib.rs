//! Integration tests: the real binary over temporary plan folders. One binary, one module
//! per feature.

// `test` (the builder) and `text` (a file's contents) stand side by side in many tests.
#![allow(clippy::similar_names)]

mod test;

mod docx;
mod export;
mod import;
mod transaction;
mod validate;
mod workbook;
mod write;

mod broken;
mod calendar;
mod cli;

mod history;
mod hostile;
mod hostile_cells;
mod ids;
mod list;
mod load;
mod properties;
mod registry;
mod renumber;
mod report;
mod results;
mod routine;
mod schema;
mod serve;
mod shipped;
mod show;
mod syntax;

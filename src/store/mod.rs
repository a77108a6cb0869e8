//! The only layer that touches the disk: finding the plan and reading it.

mod discover;
mod load;
mod yaml_error;

pub use discover::DataDir;
pub use load::{Loaded, MAX_FILE_BYTES, Plan, SourceFile, is_record_file, parse, parse_record};

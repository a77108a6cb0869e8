//! The only layer that touches the disk: finding the plan, reading it (from disk or from
//! git) and writing it.

mod batch;
mod discover;
mod git;
mod load;
mod patch;
mod stage;
mod table;
mod write;
mod yaml_error;

pub use batch::{Change, write_all};
pub use discover::DataDir;
pub use git::{Commit, GitError, Repo};
pub use load::{
    FilesRead, Loaded, MAX_FILE_BYTES, Plan, SourceFile, Texts, is_record_file, parse, parse_record,
};
pub use patch::{Item, Patch, PatchError, written_codes, written_funding};
pub use stage::{Record, RegistryKind, file_name};
pub use table::{Table, TableError, parse_table, read_table};
pub use write::{Lock, WriteError, create, ensure_unchanged, remove, replace, slug};

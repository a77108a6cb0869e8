//! The only layer that touches the disk: finding the plan, reading it (from disk or from
//! git) and writing it.

mod cache;
mod cat_file;
mod discover;
pub mod docx;
pub mod entries;
mod git;
pub mod indicators;
mod input;
mod load;
mod lock;
mod patch;
mod plan;
mod rewrite;
pub mod sheet;
mod stage;
mod table;
mod transaction;
mod write;
pub mod yaml;
mod yaml_error;
mod yaml_syntax;

pub use cache::{Listed, Marks, PlanCache, Touch, Update};
pub use cat_file::CatFile;
pub use discover::{DataDir, NotFound};
pub use git::{
    BlobRef, Commit, FileChange, GitError, PLAN_FILES, Repo, Step, TreeEntry, Versions, parse_tree,
};
pub use input::{InputError, read_input};
pub use load::{
    Blob, FromText, Loaded, MAX_FILE_BYTES, SourceFile, is_record_file, parse, parse_record,
};
pub use lock::{Lock, Wait};
pub use patch::{Item, Patch, PatchError, written_codes, written_funding};
pub use plan::{Actions, FilesRead, Plan, Texts};
pub use rewrite::{rewrite_action, rewrite_plan};
pub use stage::{Record, file_name};
pub use table::{Table, TableError, parse_table, read_table};
pub use transaction::{Change, JOURNAL, Recovered, checksum, commit, pending, recover};
pub use write::{
    WriteError, create_plan, ensure_unchanged, private_folder, replace, replace_with, slug,
};

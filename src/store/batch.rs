//! Writing several files as one change: all of them, or — when one fails half-way — none,
//! the files created so far removed and the files replaced so far restored.

use std::fs;
use std::path::PathBuf;

use super::{DataDir, WriteError, create, ensure_unchanged, replace};

/// One file of a batch, named inside the plan's folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new file; its name must not exist yet.
    Create {
        /// The path inside the plan's folder.
        relative: String,
        /// Its text.
        text: String,
    },
    /// A file replaced; it must still hold `old`, the text it was read with.
    Replace {
        /// The path inside the plan's folder.
        relative: String,
        /// The text it held when read.
        old: String,
        /// Its new text.
        text: String,
    },
}

impl Change {
    /// The path inside the plan's folder.
    #[must_use]
    pub fn relative(&self) -> &str {
        match self {
            Self::Create { relative, .. } | Self::Replace { relative, .. } => relative,
        }
    }
}

/// What was done, to undo it.
enum Done {
    Created(PathBuf),
    Replaced(PathBuf, String),
}

/// Writes every change in order; on the first failure undoes what was done and returns the
/// failure, leaving the folder as it was.
///
/// # Errors
/// The first write that failed or was refused.
pub fn write_all(dir: &DataDir, changes: &[Change]) -> Result<(), WriteError> {
    let mut done = Vec::new();
    for change in changes {
        match write_one(dir, change) {
            Ok(step) => done.push(step),
            Err(e) => {
                undo(done);
                return Err(e);
            }
        }
    }
    Ok(())
}

fn write_one(dir: &DataDir, change: &Change) -> Result<Done, WriteError> {
    let target = dir.inside(change.relative())?;
    match change {
        Change::Create { text, .. } => {
            if let Some(folder) = target.parent() {
                fs::create_dir_all(folder).map_err(|source| WriteError::Io {
                    path: folder.to_path_buf(),
                    source,
                })?;
            }
            create(&target, text.as_bytes())?;
            Ok(Done::Created(target))
        }
        Change::Replace { old, text, .. } => {
            ensure_unchanged(&target, old)?;
            replace(&target, text.as_bytes())?;
            Ok(Done::Replaced(target, old.clone()))
        }
    }
}

/// Best effort: the failure that stopped the batch is what the user needs to hear about.
fn undo(done: Vec<Done>) {
    for step in done.into_iter().rev() {
        match step {
            Done::Created(path) => {
                let _ = fs::remove_file(path);
            }
            Done::Replaced(path, old) => {
                let _ = replace(&path, old.as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_half_way_undoes_the_rest() {
        let root = tempfile::tempdir().unwrap();
        let dir = DataDir {
            path: root.path().to_path_buf(),
            shown: "data".into(),
        };
        fs::write(root.path().join("a.yaml"), "old").unwrap();
        fs::write(root.path().join("taken.yaml"), "taken").unwrap();
        let changes = [
            Change::Replace {
                relative: "a.yaml".into(),
                old: "old".into(),
                text: "new".into(),
            },
            Change::Create {
                relative: "actions/b.yaml".into(),
                text: "b".into(),
            },
            Change::Create {
                relative: "taken.yaml".into(),
                text: "mine".into(),
            },
        ];
        assert!(matches!(
            write_all(&dir, &changes),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(
            fs::read_to_string(root.path().join("a.yaml")).unwrap(),
            "old"
        );
        assert!(!root.path().join("actions/b.yaml").exists());
        assert_eq!(
            fs::read_to_string(root.path().join("taken.yaml")).unwrap(),
            "taken"
        );
        write_all(&dir, &changes[..2]).unwrap();
        assert_eq!(
            fs::read_to_string(root.path().join("a.yaml")).unwrap(),
            "new"
        );
    }
}

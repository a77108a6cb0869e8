//! Finding the plan's `data/` folder.

use std::path::{Path, PathBuf};

/// Why no plan was found.
#[derive(Debug, thiserror::Error)]
pub enum NotFound {
    /// No `data/plan.yaml` above the working directory.
    #[error("no plan found: no `data/plan.yaml` in `{}` or any folder above it", start.display())]
    NoPlan {
        /// Where the search started.
        start: PathBuf,
    },
    /// `--data` or `IISG_DATA` names a folder without `plan.yaml`.
    #[error("`{}` is not a plan folder: it holds no `plan.yaml`", path.display())]
    NotAPlan {
        /// The folder named.
        path: PathBuf,
    },
}

use NotFound as Error;

/// The plan's folder: where it is, and how to show its files' paths to the user.
#[derive(Clone, Debug)]
pub struct DataDir {
    /// The folder holding `plan.yaml`.
    pub path: PathBuf,
    /// The prefix shown before file names in messages (`data`, `../data`, or as given).
    pub shown: String,
}

impl DataDir {
    /// Uses `dir` as the plan's folder, as the user named it; a repository folder whose
    /// `data/` holds the plan will do too.
    ///
    /// # Errors
    /// When neither it nor its `data/` holds a `plan.yaml`.
    pub fn named(dir: &Path) -> Result<Self, Error> {
        if !dir.join("plan.yaml").is_file() && dir.join("data/plan.yaml").is_file() {
            let mut inner = Self::named(&dir.join("data"))?;
            inner.shown = format!("{}/data", dir.to_string_lossy().trim_end_matches('/'));
            return Ok(inner);
        }
        if !dir.join("plan.yaml").is_file() {
            return Err(Error::NotAPlan {
                path: dir.to_path_buf(),
            });
        }
        let shown = dir.to_string_lossy().trim_end_matches('/').to_string();
        Ok(Self {
            path: dir.to_path_buf(),
            shown: if shown.is_empty() { "/".into() } else { shown },
        })
    }

    /// Walks up from `start` to the first folder with a `data/plan.yaml`, or that is itself a
    /// plan's folder (so iisg works from inside `data/` too).
    ///
    /// # Errors
    /// When no folder up to the root has one.
    pub fn discover(start: &Path) -> Result<Self, Error> {
        for (ups, dir) in start.ancestors().enumerate() {
            let candidate = dir.join("data");
            if candidate.join("plan.yaml").is_file() {
                let shown = if ups == 0 {
                    "data".to_string()
                } else {
                    format!("{}data", "../".repeat(ups))
                };
                return Ok(Self {
                    path: candidate,
                    shown,
                });
            }
            if dir.join("plan.yaml").is_file() {
                let shown = if ups == 0 {
                    ".".to_string()
                } else {
                    "../".repeat(ups).trim_end_matches('/').to_string()
                };
                return Ok(Self {
                    path: dir.to_path_buf(),
                    shown,
                });
            }
        }
        Err(Error::NoPlan {
            start: start.to_path_buf(),
        })
    }

    /// How a file inside the folder is shown: `data/actions/001-x.yaml`.
    #[must_use]
    pub fn show(&self, relative: &str) -> String {
        if self.shown == "/" {
            format!("/{relative}")
        } else {
            format!("{}/{relative}", self.shown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_upwards_and_shows_relative_paths() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("data")).unwrap();
        std::fs::write(root.path().join("data/plan.yaml"), "").unwrap();
        let deep = root.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let found = DataDir::discover(&deep).unwrap();
        assert_eq!(found.path, root.path().join("data"));
        assert_eq!(found.show("plan.yaml"), "../../data/plan.yaml");
        let here = DataDir::discover(root.path()).unwrap();
        assert_eq!(here.show("plan.yaml"), "data/plan.yaml");
    }

    #[test]
    fn a_named_folder_must_hold_a_plan() {
        let root = tempfile::tempdir().unwrap();
        assert!(matches!(
            DataDir::named(root.path()),
            Err(Error::NotAPlan { .. })
        ));
    }
}

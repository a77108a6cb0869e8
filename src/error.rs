//! Operational failures: the command could not run (exit code 2).

use std::path::PathBuf;

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
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
    /// The working directory cannot be read.
    #[error("cannot read the working directory: {0}")]
    WorkingDirectory(std::io::Error),
    /// Some files of the plan could not be read; the command needs them all.
    #[error("{count} of the plan's files could not be read")]
    Unreadable {
        /// How many.
        count: usize,
    },
    /// A registry has no entry for what the user typed.
    #[error("unknown {kind} `{text}`")]
    UnknownCode {
        /// `partner`, `funding source`, `location`.
        kind: &'static str,
        /// What the user typed.
        text: String,
        /// The closest code, if any is close.
        suggestion: Option<String>,
    },
    /// No action has the id.
    #[error("no action has id {0}")]
    NoSuchAction(u32),
    /// A value given on the command line is not in the accepted form.
    #[error("{0}")]
    BadArgument(String),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// A line of advice to print under the error, if there is one.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            Self::NoPlan { .. } | Self::NotAPlan { .. } => Some(
                "run iisg inside a plan's repository, pass `--data DIR` or set `IISG_DATA` to the \
                 folder that holds `plan.yaml`; `iisg init` starts a new plan"
                    .into(),
            ),
            Self::Unreadable { .. } => {
                Some("fix the files named above; `iisg validate` checks the whole plan".into())
            }
            Self::UnknownCode {
                suggestion: Some(code),
                ..
            } => Some(format!("did you mean `{code}`?")),
            Self::NoSuchAction(_) => Some("`iisg list` shows every action's id".into()),
            _ => None,
        }
    }
}

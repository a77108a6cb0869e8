//! Operational failures: the command could not run (exit code 2).

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No plan where iisg looked.
    #[error(transparent)]
    NotFound(#[from] crate::store::NotFound),
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
        /// `partner`, `funding source`, `location`, `need`.
        kind: &'static str,
        /// The command that adds one, for a registry: `partner`, `funding`, `location`.
        adder: Option<&'static str>,
        /// What the user typed.
        text: String,
        /// The closest code, if any is close.
        suggestion: Option<String>,
    },
    /// No action has the id.
    #[error("no action has id {0}")]
    NoSuchAction(i64),
    /// Every id of the range is used up: the next would be past the last.
    #[error("no id is left for a new {0}: a new id is one more than the highest in use, and ids end at {last}", last = crate::model::IDS.end())]
    NoFreeId(String),
    /// A value given on the command line is not in the accepted form.
    #[error("{0}")]
    BadArgument(String),
    /// A required value was not given, and there is no terminal to ask for it.
    #[error("missing `--{0}`")]
    Missing(&'static str),
    /// The change would leave the plan with errors; nothing was written.
    #[error("refused: the change would add {count} error{} to the plan; nothing was written", if *count == 1 { "" } else { "s" })]
    Rejected {
        /// How many errors.
        count: usize,
    },
    /// Another refusal, with its reason and what to do.
    #[error("{message}")]
    Refused {
        /// What was refused and why.
        message: String,
        /// What to do instead.
        help: Option<String>,
    },
    /// Writing a file failed or was refused.
    #[error(transparent)]
    Write(#[from] crate::store::WriteError),
    /// An in-place edit could not be made.
    #[error(transparent)]
    Patch(#[from] crate::store::PatchError),
    /// Git could not answer: not installed, not a repository, unknown revision.
    #[error(transparent)]
    Git(#[from] crate::store::GitError),
    /// The person at the terminal stopped the command.
    #[error("stopped; nothing was written")]
    Interrupted,
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// A line of advice to print under the error, if there is one.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            Self::NotFound(_) => Some(
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
            Self::UnknownCode {
                kind,
                adder: Some(adder),
                text,
                ..
            } => Some(format!(
                "use a code, name or alias of a {kind}, or add it first: `iisg {adder} add CODE --name {}`",
                crate::command::input::shell_word(text)
            )),
            Self::UnknownCode { kind, .. } => Some(format!(
                "use a code, name or alias from the plan's registry of {kind}s, or add the {kind} there first"
            )),
            Self::NoSuchAction(_) => Some("`iisg list` shows every action's id".into()),
            Self::NoFreeId(_) => Some(format!(
                "give the record with id {} a free lower id (an action: `iisg renumber {} --to NEW`), then try again",
                crate::model::IDS.end(),
                crate::model::IDS.end()
            )),
            Self::Missing(_) => Some(
                "give every required field as a flag, or run iisg on a terminal to be asked for it"
                    .into(),
            ),
            Self::Rejected { .. } => {
                Some("fix what the findings above name, then run the command again".into())
            }
            Self::Refused { help, .. } => help.clone(),
            Self::Write(crate::store::WriteError::Io { .. }) => Some(
                "check that the plan's folder is writable and the disk has room; no file was changed"
                    .into(),
            ),
            Self::Write(crate::store::WriteError::LockTimeout { .. }) => Some(
                "wait for that command to finish, or stop it; `--lock-timeout SECONDS` waits \
                 longer"
                    .into(),
            ),
            Self::Write(crate::store::WriteError::Partial { .. }) => Some(
                "free the disk or fix what failed, then run any iisg command: it puts the files \
                 back from the journal"
                    .into(),
            ),
            Self::Write(crate::store::WriteError::Unresolved { .. }) => Some(
                "check the files named with `git status` and `git diff`, restore or finish them \
                 by hand, then remove the journal"
                    .into(),
            ),
            Self::Write(crate::store::WriteError::Changed(_)) => {
                Some("someone changed the file meanwhile: run the command again".into())
            }
            Self::Git(crate::store::GitError::Missing(_)) => Some(
                "install git (https://git-scm.com) and make sure `git` is on your `PATH`".into(),
            ),
            Self::Git(crate::store::GitError::NotARepository(_)) => Some(
                "`changes` and `log` read the plan's history from git: run them in the plan's \
                 repository, or start one with `git init && git add data && git commit`"
                    .into(),
            ),
            Self::Git(crate::store::GitError::UnknownRevision(_)) => Some(
                "name a commit, branch or tag (`HEAD~1`, `main`, `v1.0`); `git log --oneline` \
                 lists the commits"
                    .into(),
            ),
            Self::Patch(_) => Some("make this change with `iisg edit ID` and no flags, in an editor".into()),
            _ => None,
        }
    }
}

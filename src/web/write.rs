//! The one way the server writes: the CLI's transaction, step for step. Under the plan's
//! exclusive lock it reads the plan, works the change out with the command's own function,
//! judges it with the command's judge, commits it with the store's transaction, and, with
//! `--commit`, makes it a git commit of exactly the files it wrote.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::StatusCode;

use super::{Failure, Site};
use crate::check;
use crate::command::{self, registry};
use crate::diagnostic::{self, Diagnostic};
use crate::error::Error;
use crate::model::{Action, ActionDraft, FieldChange, LogframeDraft, LogframeRow};
use crate::store::{self, Actions, Change, Plan, Repo, Texts, yaml};

/// Who a commit is by when git knows no one.
const AUTHOR: (&str, &str) = ("iisg serve", "iisg-serve@localhost");

/// The `ETag` of one version of a record's text: a hash of its bytes, quoted.
#[must_use]
pub fn etag(text: &str) -> String {
    format!("\"{:016x}\"", store::checksum(text.as_bytes()))
}

/// The texts the server has handed out, by their `ETag`, so that a write sent against an
/// older version can be told what changed since. Forgotten in bulk when it grows large.
#[derive(Debug, Default)]
pub struct Seen(Mutex<HashMap<String, String>>);

/// How many versions [`Seen`] keeps before it starts afresh.
const SEEN_MAX: usize = 512;

impl Seen {
    /// Notes `text` as handed out; its `ETag`.
    pub fn note(&self, text: &str) -> String {
        let tag = etag(text);
        if let Ok(mut seen) = self.0.lock() {
            if seen.len() >= SEEN_MAX {
                seen.clear();
            }
            seen.entry(tag.clone()).or_insert_with(|| text.to_string());
        }
        tag
    }

    /// The text handed out under `tag`, if it is still known.
    pub fn text(&self, tag: &str) -> Option<String> {
        self.0.lock().ok()?.get(tag).cloned()
    }
}

/// A change worked out, ready to be judged and written.
pub struct Work {
    /// The files it writes (for a new action: the registries written with it).
    pub changes: Vec<Change>,
    /// The commit message: what changed, as the CLI says it.
    pub message: String,
    /// A registry change knows which findings are its intended outcome.
    pub registry: Option<registry::Planned>,
    /// A new record: its draft and its file name's slug; written under the next free id.
    pub create: Option<Create>,
}

/// A new record the server adds.
#[derive(Clone, Debug)]
pub enum Create {
    /// An action, as `add-action` adds it.
    Action(ActionDraft, String),
    /// A logframe row, as `add-logframe` adds it.
    Logframe(LogframeDraft, String),
}

impl Create {
    /// Its first id to try.
    fn id(&self) -> i64 {
        match self {
            Self::Action(draft, _) => draft.id,
            Self::Logframe(draft, _) => draft.id,
        }
    }

    /// Its file's text under `id`.
    fn render(&self, id: i64) -> String {
        match self {
            Self::Action(draft, _) => render(draft, id),
            Self::Logframe(draft, _) => yaml::logframe_row(&LogframeDraft {
                id,
                ..draft.clone()
            }),
        }
    }

    /// Every file it writes, with `with`, under its first id: what the judge judges.
    fn judged(&self, with: &[Change]) -> Vec<Change> {
        let render = |id| self.render(id);
        match self {
            Self::Action(_, slug) => {
                command::record_changes::<Action>((self.id(), slug), &render, with)
            }
            Self::Logframe(_, slug) => {
                command::record_changes::<LogframeRow>((self.id(), slug), &render, with)
            }
        }
    }

    /// Writes it under the first free id from its own; the id and what was written, and
    /// the commit message.
    fn write(
        &self,
        plan: &Plan,
        lock: &store::Lock,
        with: &[Change],
    ) -> Result<(i64, Vec<Change>, String), Error> {
        let render = |id| self.render(id);
        let (id, changes) = match self {
            Self::Action(_, slug) => {
                command::create_record::<Action>(plan, lock, (self.id(), slug), &render, with)
                    .map_err(|e| match e {
                        Error::NoFreeId(_) => Error::NoFreeId("action".into()),
                        e => e,
                    })?
            }
            Self::Logframe(_, slug) => {
                command::create_record::<LogframeRow>(plan, lock, (self.id(), slug), &render, with)?
            }
        };
        let message = match self {
            Self::Action(draft, _) => format!("action {id}: added: {}", draft.title),
            Self::Logframe(draft, _) => {
                format!("logframe row {id}: added: {}", draft.outcome)
            }
        };
        Ok((id, changes, message))
    }
}

impl Work {
    /// A registry's change, which knows its intended findings.
    #[must_use]
    pub fn registry(planned: registry::Planned) -> Self {
        Self {
            changes: planned.changes.clone(),
            message: planned.done.clone(),
            registry: Some(planned),
            create: None,
        }
    }

    /// A change of these files, said so.
    pub fn plain(changes: Vec<Change>, message: String) -> Self {
        Self {
            changes,
            message,
            registry: None,
            create: None,
        }
    }
}

/// A change written.
#[derive(Debug)]
pub struct Written {
    /// A new action's id.
    pub id: Option<i64>,
    /// With `--commit`: the git commit's hash, or why there is none.
    pub git: Option<Result<String, String>>,
}

/// Why a change was not written: nothing was.
#[derive(Debug)]
pub enum NotWritten {
    /// A value was wrong, or the plan could not be read or written: the command's message.
    Failed(Failure),
    /// The change would add errors to the plan.
    Rejected {
        /// The command's message.
        error: String,
        /// What the change adds, errors and warnings, as `validate --format json` has them.
        findings: Vec<Diagnostic>,
        /// The texts the change would have written, by file as shown: where the findings
        /// point.
        texts: HashMap<String, String>,
    },
    /// The record changed since the writer read it.
    Stale {
        /// What it says now.
        message: String,
        /// What changed, field by field, when the version read is still known.
        changes: Vec<FieldChange>,
        /// The current version's `ETag`.
        etag: String,
    },
}

impl From<Error> for NotWritten {
    fn from(error: Error) -> Self {
        Self::Failed(error.into())
    }
}

impl From<Failure> for NotWritten {
    fn from(failure: Failure) -> Self {
        Self::Failed(failure)
    }
}

/// Reads the plan under the exclusive lock, works the change out with `make` (`None`:
/// nothing to change), judges it, writes it as one transaction and, with `--commit`,
/// commits it to git. What `Context::apply` does for a command.
///
/// # Errors
/// [`NotWritten`], and then no file was changed.
pub fn write(
    site: &Site,
    make: impl FnOnce(&mut Plan) -> Result<Option<Work>, NotWritten>,
) -> Result<Option<Written>, NotWritten> {
    let lock = site
        .dir
        .lock_waiting(store::Wait {
            timeout: site.lock_timeout,
            waiting: &mut |_| {},
        })
        .map_err(Error::from)?;
    let mut plan = Plan::read(site.dir.clone(), Actions::All, Texts::Keep);
    if let Some(refusal) = command::unreadable_basis(&plan) {
        return Err(refusal.into());
    }
    let Some(work) = make(&mut plan)? else {
        return Ok(None);
    };
    let baseline = check::baseline(&plan);
    let judged = match &work.create {
        Some(create) => create.judged(&work.changes),
        None => work.changes.clone(),
    };
    let expected: Box<dyn Fn(&Diagnostic) -> bool> = match &work.registry {
        Some(planned) => Box::new(planned.expected(&baseline)),
        None => Box::new(|_| false),
    };
    let findings = check::judge(&mut plan, &baseline, &judged, &expected);
    let (errors, _) = diagnostic::count(&findings);
    if errors > 0 {
        let texts = judged
            .iter()
            .filter_map(|c| Some((plan.dir.show(c.relative()), c.text()?.to_string())))
            .collect();
        return Err(NotWritten::Rejected {
            error: Error::Rejected { count: errors }.to_string(),
            findings,
            texts,
        });
    }
    let (id, written, message) = if let Some(create) = &work.create {
        let (id, changes, message) = create.write(&plan, &lock, &work.changes)?;
        (Some(id), changes, message)
    } else {
        store::commit(&plan.dir, &lock, &work.changes).map_err(Error::from)?;
        (None, work.changes, work.message)
    };
    let files: Vec<String> = written
        .iter()
        .flat_map(Change::paths)
        .map(ToString::to_string)
        .collect();
    // Still under the lock: two writes of the server never race for git's index.
    let git = site.commit.then(|| {
        let person = site.visitor().user;
        let author = person.as_ref().map(|u| (u.name.as_str(), u.email.as_str()));
        git_commit(&plan, &files, &message, author)
    });
    drop(lock);
    site.cache.wrote(files.iter().map(String::as_str));
    Ok(Some(Written { id, git }))
}

fn render(draft: &ActionDraft, id: i64) -> String {
    yaml::action(&ActionDraft {
        id,
        ..draft.clone()
    })
}

/// Commits `files` to git with `message`; the hash, or what went wrong (the write stays).
/// With `--users`, the person who made the change is its author.
fn git_commit(
    plan: &Plan,
    files: &[String],
    message: &str,
    author: Option<(&str, &str)>,
) -> Result<String, String> {
    let repo = Repo::open(&plan.dir).map_err(|e| e.to_string())?;
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let message = crate::render::terminal::clean(message);
    repo.commit_files(&files, &message, author, AUTHOR)
        .map_err(|e| e.to_string())
}

/// A commit message for `changes` to `what` (`action 4`): one change on the subject line
/// (`action 4: status planned → completed`); more, named on it and each told below.
#[must_use]
pub fn message(what: &str, changes: &[FieldChange]) -> String {
    let said: Vec<String> = changes.iter().map(FieldChange::said).collect();
    match said.as_slice() {
        [one] if one.chars().count() <= 100 => format!("{what}: {one}"),
        _ => {
            let fields: Vec<&str> = changes.iter().map(|c| c.field).collect();
            format!(
                "{what}: {} changed\n\n{}",
                fields.join(", "),
                said.join("\n")
            )
        }
    }
}

/// The status of a refusal.
pub const REJECTED: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

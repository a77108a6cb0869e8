//! The history of one action in git: the commits that changed it, newest first. The action is
//! followed by its id, so a renamed file is the same action.

use std::collections::HashMap;

use super::changes::ChangeKind;
use crate::model::{Action, ActionDraft, FieldChange};
use crate::store::{Commit, GitError, Repo, is_record_file, parse_record};

/// One commit that changed the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The commit.
    pub commit: Commit,
    /// Added, removed or modified by it.
    pub change: ChangeKind,
    /// The action's title after the commit (before it, when removed).
    pub title: String,
    /// The fields it changed (empty when added or removed).
    pub fields: Vec<FieldChange>,
}

/// Every commit that changed action `id`, newest first: each commit that touched the
/// actions folder, compared with its first parent. A merge that only brings in a change
/// made on a branch (the action as one of its parents has it) is left out; the branch's
/// commit is listed.
///
/// # Errors
/// When git fails.
pub fn action(repo: &Repo, id: i64) -> Result<Vec<Event>, GitError> {
    let mut states = States {
        repo,
        id,
        by_commit: HashMap::new(),
        by_blob: HashMap::new(),
    };
    let mut events = Vec::new();
    for commit in repo.commits("actions")? {
        let now = states.at(&commit.hash)?;
        let mut before = Vec::new();
        for parent in &commit.parents {
            before.push(states.at(parent)?);
        }
        if before.contains(&now) {
            continue;
        }
        let first = before.into_iter().next().flatten();
        let (change, title, fields) = match (first, now) {
            (None, Some(new)) => (ChangeKind::Added, new.title, Vec::new()),
            (Some(old), None) => (ChangeKind::Removed, old.title, Vec::new()),
            (Some(old), Some(new)) => {
                let fields = old.changes(&new);
                (ChangeKind::Modified, new.title, fields)
            }
            (None, None) => continue,
        };
        events.push(Event {
            commit,
            change,
            title,
            fields,
        });
    }
    Ok(events)
}

/// The action as each commit has it, each file parsed once however many commits hold it.
struct States<'a> {
    repo: &'a Repo,
    id: i64,
    by_commit: HashMap<String, Option<ActionDraft>>,
    by_blob: HashMap<String, Option<ActionDraft>>,
}

impl States<'_> {
    /// The action at `commit`: the first file, in name order, that holds its id.
    fn at(&mut self, commit: &str) -> Result<Option<ActionDraft>, GitError> {
        if let Some(state) = self.by_commit.get(commit) {
            return Ok(state.clone());
        }
        // A link or a blob larger than a plan file is never read.
        let entries: Vec<(String, String)> = self
            .repo
            .tree(commit, &["actions"])?
            .into_iter()
            .filter(|entry| {
                entry.readable()
                    && entry
                        .path
                        .strip_prefix("actions/")
                        .is_some_and(|name| !name.contains('/') && is_record_file(name))
            })
            .map(|entry| (entry.path, entry.oid))
            .collect();
        let missing: Vec<&str> = entries
            .iter()
            .map(|(_, oid)| oid.as_str())
            .filter(|oid| !self.by_blob.contains_key(*oid))
            .collect();
        let blobs = self.repo.blobs(&missing)?;
        for (oid, bytes) in missing.iter().zip(blobs) {
            let draft = String::from_utf8(bytes)
                .ok()
                .and_then(|text| parse_record::<Action>(&text, oid).ok())
                .map(|action| ActionDraft::from(&action));
            self.by_blob.insert((*oid).to_string(), draft);
        }
        let state = entries
            .iter()
            .filter_map(|(_, oid)| self.by_blob.get(oid).cloned().flatten())
            .find(|draft| draft.id == self.id);
        self.by_commit.insert(commit.to_string(), state.clone());
        Ok(state)
    }
}

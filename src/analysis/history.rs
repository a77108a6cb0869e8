//! The history of one record in git — an action, a logframe row or a registry entry — read
//! in one pass: one `git log --raw` streamed from `HEAD` back, and one `git cat-file` for
//! the blobs of the commits that touched the record, each read once.
//!
//! The record is followed, not its id or file: at each commit the file that holds it is
//! known, and its parent's is worked out from the files the commit changed. A file removed
//! in the commit that added the record's file, holding the same record (same id), is a
//! renamed file; holding it under another id and otherwise the same, a renumber (for an
//! entry: another code, a rename). The history before continues under that file and id, so
//! two actions that once shared an id are never mixed up.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::rc::Rc;

use super::changes::{self, ChangeKind, Key, Version};
use crate::model::{ActionDraft, FieldChange, FieldsDraft, LogframeDraft, RegistryKind};
use crate::store::{CatFile, Commit, FileChange, GitError, Repo, is_record_file};

/// What is followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The action with this id (now, or last).
    Action(i64),
    /// The logframe row with this id.
    Logframe(i64),
    /// The entry of a registry with this code.
    Entry(RegistryKind, String),
}

/// One commit that changed the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The commit.
    pub commit: Commit,
    /// Added, removed, modified, renumbered or renamed by it.
    pub change: ChangeKind,
    /// The record's id or code after the commit (before it, when removed).
    pub id: Key,
    /// The record's title (name, outcome) after the commit (before it, when removed).
    pub title: String,
    /// The fields it changed (empty when added or removed).
    pub fields: Vec<FieldChange>,
}

/// A record's history: its events, newest first, and the blobs that could not be read.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The commits that changed it.
    pub events: Vec<Event>,
    /// One line for each version of its file that was not read (too large, a link, not a
    /// plan file): `` `data/actions/004-x.yaml` at 1b52c08: the file is … ``.
    pub skipped: Vec<String>,
}

/// A record's fields, of whichever kind.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Draft {
    Action(ActionDraft),
    Logframe(LogframeDraft),
    Fields(FieldsDraft),
}

impl Draft {
    fn changes(&self, new: &Self) -> Vec<FieldChange> {
        match (self, new) {
            (Self::Action(o), Self::Action(n)) => o.changes(n),
            (Self::Logframe(o), Self::Logframe(n)) => o.changes(n),
            (Self::Fields(o), Self::Fields(n)) => o.changes(n, "code"),
            _ => Vec::new(),
        }
    }
}

type Record = Version<Draft>;

/// How many parsed blobs are kept at most.
const CACHED: usize = 512;

/// Where the record is at one commit.
#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    /// In this file's blob, under this key.
    At(Place),
    /// Not found yet: the record has no file at `HEAD`; the newest commit that removed (or
    /// renumbered away) its id is being looked for.
    Seeking,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    path: String,
    oid: String,
    key: Key,
}

impl Subject {
    /// The files that may hold it, inside the plan's folder.
    fn paths(&self) -> [&'static str; 1] {
        match self {
            Self::Action(_) => ["actions"],
            Self::Logframe(_) => ["logframe"],
            Self::Entry(kind, _) => [kind.file()],
        }
    }

    fn key(&self) -> Key {
        match self {
            Self::Action(id) | Self::Logframe(id) => Key::Id(*id),
            Self::Entry(_, code) => Key::Code(code.clone()),
        }
    }

    /// Whether a file (inside the plan's folder) is one of those that hold such records.
    fn holds(&self, path: &str) -> bool {
        let [folder] = self.paths();
        match self {
            Self::Entry(..) => path == folder,
            _ => path
                .strip_prefix(folder)
                .and_then(|p| p.strip_prefix('/'))
                .is_some_and(|name| !name.contains('/') && is_record_file(name)),
        }
    }

    /// Whether the file's name says it may hold the record (`030-x.yaml` for id 30): only
    /// those are read when looking for an id.
    fn may_hold(&self, path: &str) -> bool {
        match self {
            Self::Action(id) | Self::Logframe(id) => {
                let name = path.rsplit('/').next().unwrap_or_default();
                let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<i64>().ok() == Some(*id)
            }
            Self::Entry(..) => true,
        }
    }
}

/// Every commit of `HEAD` that changed the record, newest first. A merge is listed only for
/// what it changed itself: a field whose value it took from one of its parents was changed
/// by that parent's commits, which are listed.
///
/// # Errors
/// When git fails.
pub fn follow(repo: &Repo, subject: &Subject) -> Result<History, GitError> {
    let mut walk = Walk {
        repo,
        subject: subject.clone(),
        cat: repo.cat_file()?,
        parsed: HashMap::new(),
        history: History::default(),
    };
    let mut initial = Some(walk.initial()?);
    let mut states: HashMap<String, State> = HashMap::new();
    let paths = subject.paths();
    repo.walk(&paths, |step| {
        let state = match initial.take() {
            Some(state) => Some(state),
            None => states.remove(&step.commit.hash),
        };
        if let Some(state) = state {
            walk.step(&state, &step.commit, &step.changes, &mut states)?;
        }
        // Every commit still to come is before the record: nothing more to read.
        Ok(if states.is_empty() && initial.is_none() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })?;
    Ok(walk.history)
}

struct Walk<'a> {
    repo: &'a Repo,
    subject: Subject,
    cat: CatFile,
    /// Each blob's records, parsed once (none when it could not be read).
    parsed: HashMap<String, Rc<Vec<Record>>>,
    history: History,
}

impl Walk<'_> {
    /// Where the record is at `HEAD`: the first file, in name order, that holds it.
    fn initial(&mut self) -> Result<State, GitError> {
        let Ok(head) = self.repo.commit("HEAD") else {
            return Ok(State::Seeking);
        };
        let entries: Vec<(String, String)> = self
            .repo
            .tree(&head, &self.subject.paths())?
            .into_iter()
            .filter(|e| self.subject.holds(&e.path) && !e.link)
            .map(|e| (e.path, e.oid))
            .collect();
        let key = self.subject.key();
        // Files whose names say so first; every file only if none of them holds it.
        let (named, others): (Vec<_>, Vec<_>) = entries
            .iter()
            .partition(|(path, _)| self.subject.may_hold(path));
        for group in [named, others] {
            for (path, oid) in group {
                if self.record(path, oid, &key, &head)?.is_some() {
                    return Ok(State::At(Place {
                        path: path.clone(),
                        oid: oid.clone(),
                        key,
                    }));
                }
            }
        }
        Ok(State::Seeking)
    }

    /// One commit: its event, if it changed the record, and where the record is at each of
    /// its parents.
    fn step(
        &mut self,
        state: &State,
        commit: &Commit,
        first: &[FileChange],
        states: &mut HashMap<String, State>,
    ) -> Result<(), GitError> {
        let mut parents = Vec::with_capacity(commit.parents.len());
        for (n, parent) in commit.parents.iter().enumerate() {
            let parent_state = if n == 0 {
                self.before(state, first, &commit.hash)?
            } else {
                // Merges are few: their other parents are diffed one by one.
                let changes = self
                    .repo
                    .diff(parent, Some(&commit.hash), &self.subject.paths())?;
                self.before(state, &changes, &commit.hash)?
            };
            parents.push(parent_state);
        }
        if commit.parents.is_empty() {
            parents.push(self.before(state, first, &commit.hash)?);
        }
        if let Some(event) = self.event(state, &parents, first, commit)? {
            self.history.events.push(event);
        }
        for (parent, parent_state) in commit.parents.iter().zip(parents) {
            let Some(parent_state) = parent_state else {
                continue;
            };
            // The record found in a file beats still looking for it.
            let keep = matches!(states.get(parent), Some(State::At(_)));
            if !keep {
                states.insert(parent.clone(), parent_state);
            }
        }
        Ok(())
    }

    /// Where the record is in the parent, from where it is in the commit and the files the
    /// commit changed against that parent; `None` when the parent is before the record.
    fn before(
        &mut self,
        state: &State,
        changes: &[FileChange],
        commit: &str,
    ) -> Result<Option<State>, GitError> {
        match state {
            State::At(place) => self.before_at(place, changes, commit),
            State::Seeking => {
                let key = self.subject.key();
                for change in changes {
                    let Some(old) = change.old.as_ref().filter(|o| !o.link) else {
                        continue;
                    };
                    if !self.subject.holds(&change.path) || !self.subject.may_hold(&change.path) {
                        continue;
                    }
                    if self.record(&change.path, &old.oid, &key, commit)?.is_none() {
                        continue;
                    }
                    let still = match &change.new {
                        Some(new) if !new.link => {
                            self.record(&change.path, &new.oid, &key, commit)?.is_some()
                        }
                        _ => false,
                    };
                    if !still {
                        return Ok(Some(State::At(Place {
                            path: change.path.clone(),
                            oid: old.oid.clone(),
                            key,
                        })));
                    }
                }
                Ok(Some(State::Seeking))
            }
        }
    }

    fn before_at(
        &mut self,
        place: &Place,
        changes: &[FileChange],
        commit: &str,
    ) -> Result<Option<State>, GitError> {
        let Some(change) = changes.iter().find(|c| c.path == place.path) else {
            return Ok(Some(State::At(place.clone())));
        };
        let now = self.record(&place.path, &place.oid, &place.key, commit)?;
        match &change.old {
            Some(old) if !old.link => {
                // The same file before: the same record, under whatever key it had.
                if let Some(record) = self.record(&place.path, &old.oid, &place.key, commit)? {
                    return Ok(Some(at(&place.path, &old.oid, record.id)));
                }
                let records = self.records(&place.path, &old.oid, commit)?;
                let moved = now.as_ref().and_then(|now| {
                    records
                        .iter()
                        .find(|r| self.single() || same_but_key(r, now))
                });
                Ok(moved.map(|r| at(&place.path, &old.oid, r.id.clone())))
            }
            Some(_) => Ok(None),
            None => {
                // Added here: renamed or renumbered from a file the commit removed?
                let Some(now) = now else { return Ok(None) };
                for removed in changes.iter().filter(|c| c.new.is_none()) {
                    let Some(old) = removed.old.as_ref().filter(|o| !o.link) else {
                        continue;
                    };
                    if !self.subject.holds(&removed.path) {
                        continue;
                    }
                    let records = self.records(&removed.path, &old.oid, commit)?;
                    if let Some(r) = records
                        .iter()
                        .find(|r| r.id == now.id || same_but_key(r, &now))
                    {
                        return Ok(Some(at(&removed.path, &old.oid, r.id.clone())));
                    }
                }
                Ok(None)
            }
        }
    }

    /// Whether a file holds one record (an action, a row) rather than a list (a registry).
    fn single(&self) -> bool {
        !matches!(self.subject, Subject::Entry(..))
    }

    /// The event of a commit, from where the record is in it and in each parent.
    fn event(
        &mut self,
        state: &State,
        parents: &[Option<State>],
        changes: &[FileChange],
        commit: &Commit,
    ) -> Result<Option<Event>, GitError> {
        let hash = &commit.hash;
        let at = |s: &Option<State>| match s {
            Some(State::At(p)) => Some(p.clone()),
            _ => None,
        };
        let first = parents.first().and_then(at);
        let event = |change, record: &Record, fields| Event {
            commit: commit.clone(),
            change,
            id: record.id.clone(),
            title: record.title.clone(),
            fields,
        };
        match (state, first) {
            (State::At(now), first) => {
                let Some(new) = self.record(&now.path, &now.oid, &now.key, hash)? else {
                    return Ok(None);
                };
                // A merge that took the record as it is from one of its parents.
                if parents.len() > 1 && parents.iter().filter_map(at).any(|p| p.oid == now.oid) {
                    return Ok(None);
                }
                let Some(first) = first else {
                    return Ok(Some(event(ChangeKind::Added, &new, Vec::new())));
                };
                if first.oid == now.oid && first.key == now.key {
                    return Ok(None);
                }
                let Some(old) = self.record(&first.path, &first.oid, &first.key, hash)? else {
                    return Ok(None);
                };
                let mut fields = old.draft.changes(&new.draft);
                // A merge: only the fields whose value no parent had.
                for other in parents.iter().skip(1).filter_map(at) {
                    if let Some(theirs) = self.record(&other.path, &other.oid, &other.key, hash)? {
                        let differ = theirs.draft.changes(&new.draft);
                        fields.retain(|f| differ.iter().any(|d| d.field == f.field));
                    }
                }
                if fields.is_empty() {
                    return Ok(None);
                }
                let change = match (&old.id, &new.id) {
                    (o, n) if o == n => ChangeKind::Modified,
                    (Key::Code(_), _) => ChangeKind::Renamed,
                    _ => ChangeKind::Renumbered,
                };
                Ok(Some(event(change, &new, fields)))
            }
            (State::Seeking, Some(before)) => {
                let Some(old) = self.record(&before.path, &before.oid, &before.key, hash)? else {
                    return Ok(None);
                };
                // Renumbered away, in its file or into another one?
                for change in changes {
                    let Some(new) = change.new.as_ref().filter(|n| !n.link) else {
                        continue;
                    };
                    if !self.subject.holds(&change.path)
                        || (change.path != before.path && change.old.is_some())
                    {
                        continue;
                    }
                    let records = self.records(&change.path, &new.oid, hash)?;
                    if let Some(new) = records.iter().find(|r| same_but_key(&old, r)) {
                        let (kind, fields) = (renamed(&new.id), old.draft.changes(&new.draft));
                        return Ok(Some(event(kind, new, fields)));
                    }
                }
                Ok(Some(event(ChangeKind::Removed, &old, Vec::new())))
            }
            (State::Seeking, None) => Ok(None),
        }
    }

    /// The record with `key` in a blob, if the blob holds it.
    fn record(
        &mut self,
        path: &str,
        oid: &str,
        key: &Key,
        commit: &str,
    ) -> Result<Option<Record>, GitError> {
        Ok(self
            .records(path, oid, commit)?
            .iter()
            .find(|r| r.id == *key)
            .cloned())
    }

    /// The records in a blob, read and parsed the first time it is asked for (its size
    /// checked first); none when it cannot be read, which is noted once.
    fn records(
        &mut self,
        path: &str,
        oid: &str,
        commit: &str,
    ) -> Result<Rc<Vec<Record>>, GitError> {
        if let Some(parsed) = self.parsed.get(oid) {
            return Ok(Rc::clone(parsed));
        }
        // A blob is asked for by its commit and by that commit's child: the cache need only
        // span a few steps of the walk, and stays small however long the history.
        if self.parsed.len() >= CACHED {
            self.parsed.clear();
        }
        let plan = self.repo.plan_of(
            &mut self.cat,
            &[(
                path.to_string(),
                crate::store::BlobRef {
                    oid: oid.to_string(),
                    link: false,
                },
            )],
        )?;
        let shown = plan.dir.show(path);
        let short: String = commit.chars().take(7).collect();
        for problem in plan.problems.iter().filter(|p| p.file == shown) {
            self.history
                .skipped
                .push(format!("`{shown}` at {short}: {}", problem.message));
        }
        let records: Vec<Record> = match &self.subject {
            Subject::Action(_) => changes::actions(&plan)
                .into_iter()
                .map(|v| retype(v, Draft::Action))
                .collect(),
            Subject::Logframe(_) => changes::logframe(&plan)
                .into_iter()
                .map(|v| retype(v, Draft::Logframe))
                .collect(),
            Subject::Entry(kind, _) => {
                if plan.problems.iter().any(|p| p.file == shown) {
                    Vec::new()
                } else {
                    changes::entries(&plan, *kind)
                        .into_iter()
                        .map(|v| retype(v, Draft::Fields))
                        .collect()
                }
            }
        };
        let records = Rc::new(records);
        self.parsed.insert(oid.to_string(), Rc::clone(&records));
        Ok(records)
    }
}

fn at(path: &str, oid: &str, key: Key) -> State {
    State::At(Place {
        path: path.to_string(),
        oid: oid.to_string(),
        key,
    })
}

fn retype<D>(version: Version<D>, draft: impl Fn(D) -> Draft) -> Record {
    Version {
        id: version.id,
        file: version.file,
        title: version.title,
        draft: draft(version.draft),
    }
}

/// Whether two versions differ in their key (id, code) and in nothing else.
fn same_but_key(old: &Record, new: &Record) -> bool {
    let fields = old.draft.changes(&new.draft);
    !fields.is_empty() && fields.iter().all(|f| matches!(f.field, "id" | "code"))
}

fn renamed(key: &Key) -> ChangeKind {
    match key {
        Key::Code(_) => ChangeKind::Renamed,
        _ => ChangeKind::Renumbered,
    }
}

//! What changed between two versions of a plan: every kind of record — actions and logframe
//! rows matched by id (not by file name, so a renamed file is the same record), registry
//! entries by code, forums by code and their needs by id, and `plan.yaml` — with the fields
//! that differ.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{
    ActionDraft, FieldChange, FieldsDraft, LogframeDraft, PlanDraft, RegistryKind, Status,
};
use crate::store::Plan;

/// The kind of record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An action.
    Action,
    /// A logframe row.
    Logframe,
    /// A partner of `partners.yaml`.
    Partner,
    /// A funding source of `funding.yaml`.
    Funding,
    /// A place of `locations.yaml`.
    Location,
    /// A forum (`forums/<code>.yaml`), its own fields.
    Forum,
    /// A need of a forum.
    Need,
    /// `plan.yaml`.
    Plan,
}

impl Kind {
    /// The lower-case word, as JSON writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Action => "action",
            Self::Logframe => "logframe",
            Self::Partner => "partner",
            Self::Funding => "funding",
            Self::Location => "location",
            Self::Forum => "forum",
            Self::Need => "need",
            Self::Plan => "plan",
        }
    }

    /// The kind of a registry's entries.
    #[must_use]
    pub fn of(registry: RegistryKind) -> Self {
        match registry {
            RegistryKind::Partners => Self::Partner,
            RegistryKind::Funding => Self::Funding,
            RegistryKind::Locations => Self::Location,
        }
    }
}

/// How a record changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only the newer version has it.
    Added,
    /// Only the older version has it.
    Removed,
    /// Both have it, with different fields.
    Modified,
    /// It took another id (an action, a logframe row), maybe with other changes too.
    Renumbered,
    /// It took another code (a registry entry), maybe with other changes too.
    Renamed,
}

impl ChangeKind {
    /// The lower-case word.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
            Self::Renumbered => "renumbered",
            Self::Renamed => "renamed",
        }
    }
}

/// What names a record within its kind: an id, a code, or nothing (`plan.yaml`, the only
/// one of its kind). JSON writes a number, a string or `null`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum Key {
    /// An action's or logframe row's id.
    Id(i64),
    /// A registry entry's or forum's code, a need's id.
    Code(String),
    /// The plan itself.
    None,
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Code(code) => f.write_str(code),
            Self::None => Ok(()),
        }
    }
}

/// One record that differs between the two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The record's id or code.
    pub id: Key,
    /// What kind of record.
    pub kind: Kind,
    /// Added, removed or modified.
    pub change: ChangeKind,
    /// The title (an action's), outcome (a logframe row's), name (an entry's or forum's),
    /// text (a need's) or title (the plan's), as the newer version has it.
    pub title: String,
    /// The file it is in (the newer version's, or the older's when removed).
    pub file: String,
    /// For a modified record, the fields that differ (empty otherwise).
    pub fields: Vec<FieldChange>,
}

/// One record of one version, as plain values.
#[derive(Clone, Debug)]
pub struct Version<D> {
    /// Its id or code.
    pub id: Key,
    /// The file it is in, as shown.
    pub file: String,
    /// Its title or outcome.
    pub title: String,
    /// Its fields.
    pub draft: D,
}

/// The actions of a plan as plain values.
#[must_use]
pub fn actions(plan: &Plan) -> Vec<Version<ActionDraft>> {
    plan.actions
        .iter()
        .map(|a| Version {
            id: Key::Id(a.record.id.value),
            file: a.file.shown().to_string(),
            title: a.record.title.value.clone(),
            draft: ActionDraft::from(&*a.record),
        })
        .collect()
}

/// The logframe rows of a plan as plain values.
#[must_use]
pub fn logframe(plan: &Plan) -> Vec<Version<LogframeDraft>> {
    plan.logframe
        .iter()
        .map(|r| Version {
            id: Key::Id(r.record.id.value),
            file: r.file.shown().to_string(),
            title: r.record.outcome.value.clone(),
            draft: LogframeDraft::from(&*r.record),
        })
        .collect()
}

/// The entries of one of a plan's registries as plain values.
#[must_use]
pub fn entries(plan: &Plan, kind: RegistryKind) -> Vec<Version<FieldsDraft>> {
    let drafts: Vec<FieldsDraft> = match kind {
        RegistryKind::Partners => plan.partners.entries().iter().map(Into::into).collect(),
        RegistryKind::Funding => plan.funding.entries().iter().map(Into::into).collect(),
        RegistryKind::Locations => plan.places.entries().iter().map(Into::into).collect(),
    };
    let file = plan.dir.show(kind.file());
    drafts
        .into_iter()
        .map(|draft| Version {
            id: Key::Code(draft.key.clone()),
            file: file.clone(),
            title: draft.title.clone(),
            draft,
        })
        .collect()
}

/// The forums of a plan (their own fields) and their needs, as plain values.
fn forums(plan: &Plan, scope: &dyn Fn(&str) -> bool) -> Both<FieldsDraft> {
    let mut forums = Vec::new();
    let mut needs = Vec::new();
    for forum in plan.forums.iter().filter(|f| scope(f.file.shown())) {
        let version = |draft: FieldsDraft| Version {
            id: Key::Code(draft.key.clone()),
            file: forum.file.shown().to_string(),
            title: draft.title.clone(),
            draft,
        };
        forums.push(version(FieldsDraft::from(&*forum.record)));
        needs.extend(FieldsDraft::needs(&forum.record).into_iter().map(version));
    }
    (forums, needs)
}

/// Every record that differs from `old` to `new`, over the whole plan: every file when
/// `scope` takes every path, or only the files it takes (the files a git diff named: the
/// others are the same in both). Actions first, then logframe rows, registry entries,
/// forums, needs and the plan; each kind by id. A registry or `plan.yaml` that one version
/// could not read is left out (its entries would all look added or removed).
#[must_use]
pub fn compare(old: &Plan, new: &Plan, scope: &dyn Fn(&str) -> bool) -> Vec<Change> {
    let mut changes = diff(
        Kind::Action,
        within(actions(old), scope),
        within(actions(new), scope),
        ActionDraft::changes,
    );
    changes.extend(diff(
        Kind::Logframe,
        within(logframe(old), scope),
        within(logframe(new), scope),
        LogframeDraft::changes,
    ));
    for registry in RegistryKind::ALL {
        let file = new.dir.show(registry.file());
        if scope(&file) && readable(old, &file) && readable(new, &file) {
            changes.extend(diff(
                Kind::of(registry),
                entries(old, registry),
                entries(new, registry),
                |o, n| o.changes(n, "code"),
            ));
        }
    }
    let (old_forums, old_needs) = forums(old, scope);
    let (new_forums, new_needs) = forums(new, scope);
    changes.extend(diff(Kind::Forum, old_forums, new_forums, |o, n| {
        o.changes(n, "code")
    }));
    changes.extend(diff(Kind::Need, old_needs, new_needs, |o, n| {
        o.changes(n, "id")
    }));
    let file = new.dir.show("plan.yaml");
    if let (Some(o), Some(n), true) = (&old.info, &new.info, scope(&file)) {
        let fields = PlanDraft::from(&*o.record).changes(&PlanDraft::from(&*n.record));
        if !fields.is_empty() {
            changes.push(Change {
                id: Key::None,
                kind: Kind::Plan,
                change: ChangeKind::Modified,
                title: n.record.title.value.clone(),
                file,
                fields,
            });
        }
    }
    changes
}

/// The versions in files that `scope` takes.
fn within<D>(versions: Vec<Version<D>>, scope: &dyn Fn(&str) -> bool) -> Vec<Version<D>> {
    versions.into_iter().filter(|v| scope(&v.file)).collect()
}

/// Whether the plan read the file at `shown` (or has none there) without a problem.
fn readable(plan: &Plan, shown: &str) -> bool {
    !plan.problems.iter().any(|p| p.file == shown)
}

/// What a meeting asks first of a list of changes: how many actions were completed, added,
/// …, which entries joined the registries, where `as_of` moved; each part as a phrase
/// (`3 actions completed`, `1 partner joined`), the plan's own changes after the records'.
#[must_use]
pub fn summary(changes: &[Change]) -> (Vec<String>, Vec<String>) {
    let count = |kind: Kind, test: &dyn Fn(&Change) -> bool| {
        changes.iter().filter(|c| c.kind == kind && test(c)).count()
    };
    let is = |change: ChangeKind| move |c: &Change| c.change == change;
    let became = |status: Status| {
        move |c: &Change| {
            c.change != ChangeKind::Added
                && c.fields
                    .iter()
                    .any(|f| f.field == "status" && f.new == status.to_string())
        }
    };
    let mut records = Vec::new();
    let mut push = |n: usize, noun: &str, what: &str| {
        if n > 0 {
            records.push(phrase(n, noun, what));
        }
    };
    let completed = count(Kind::Action, &became(Status::Completed));
    let cancelled = count(Kind::Action, &became(Status::Cancelled));
    let postponed = count(Kind::Action, &became(Status::Postponed));
    let started = count(Kind::Action, &became(Status::InProgress));
    let modified = count(Kind::Action, &|c: &Change| {
        matches!(c.change, ChangeKind::Modified | ChangeKind::Renumbered)
    });
    push(completed, "action", "completed");
    push(started, "action", "started");
    push(postponed, "action", "postponed");
    push(cancelled, "action", "cancelled");
    push(
        count(Kind::Action, &is(ChangeKind::Added)),
        "action",
        "added",
    );
    push(
        count(Kind::Action, &is(ChangeKind::Removed)),
        "action",
        "removed",
    );
    push(
        modified.saturating_sub(completed + started + postponed + cancelled),
        "action",
        "changed otherwise",
    );
    for (kind, noun, added, removed) in [
        (Kind::Logframe, "logframe row", "added", "removed"),
        (Kind::Partner, "partner", "joined", "left"),
        (Kind::Funding, "funding source", "added", "removed"),
        (Kind::Location, "location", "added", "removed"),
        (Kind::Forum, "forum", "added", "removed"),
        (Kind::Need, "need", "added", "removed"),
    ] {
        push(count(kind, &is(ChangeKind::Added)), noun, added);
        push(count(kind, &is(ChangeKind::Removed)), noun, removed);
        push(
            count(kind, &|c: &Change| {
                matches!(c.change, ChangeKind::Modified | ChangeKind::Renamed)
            }),
            noun,
            "changed",
        );
    }
    let mut plan = Vec::new();
    for change in changes.iter().filter(|c| c.kind == Kind::Plan) {
        for field in &change.fields {
            plan.push(match field.field {
                "as_of" => match NaiveDate::parse_from_str(&field.new, "%Y-%m-%d") {
                    Ok(date) => format!("as_of moved to {}", long_date(date)),
                    Err(_) => "as_of removed".to_string(),
                },
                "period" => format!("the period is now {}", field.new),
                other => format!("{other} changed"),
            });
        }
    }
    (records, plan)
}

/// `26 February 2019`.
#[must_use]
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// `1 partner joined`, `3 actions completed`.
fn phrase(n: usize, noun: &str, what: &str) -> String {
    let plural = if n == 1 {
        noun.to_string()
    } else {
        format!("{noun}s")
    };
    format!("{n} {plural} {what}")
}

/// The older and the newer versions' records with one id.
type Both<D> = (Vec<Version<D>>, Vec<Version<D>>);

/// The changes between two versions of one kind of record. Records pair by id; when several
/// files of one version share an id (two branches each added the same number), those with the
/// same file name pair first, then the rest in file order.
pub fn diff<D>(
    kind: Kind,
    old: Vec<Version<D>>,
    new: Vec<Version<D>>,
    fields: impl Fn(&D, &D) -> Vec<FieldChange>,
) -> Vec<Change> {
    let mut by_id: BTreeMap<Key, Both<D>> = BTreeMap::new();
    for version in old {
        by_id.entry(version.id.clone()).or_default().0.push(version);
    }
    for version in new {
        by_id.entry(version.id.clone()).or_default().1.push(version);
    }
    let change = |change: ChangeKind, version: &Version<D>, fields: Vec<FieldChange>| Change {
        id: version.id.clone(),
        kind,
        change,
        title: version.title.clone(),
        file: version.file.clone(),
        fields,
    };
    let mut changes = Vec::new();
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (_, (old_versions, mut new)) in by_id {
        let mut pairs = Vec::new();
        let mut old = Vec::new();
        for version in old_versions {
            match new.iter().position(|n| n.file == version.file) {
                Some(at) => pairs.push((version, new.remove(at))),
                None => old.push(version),
            }
        }
        let mut old = old.into_iter();
        let mut new = new.into_iter();
        loop {
            match (old.next(), new.next()) {
                (Some(o), Some(n)) => pairs.push((o, n)),
                (Some(o), None) => removed.push(o),
                (None, Some(n)) => added.push(n),
                (None, None) => break,
            }
        }
        for (o, n) in pairs {
            let fields = fields(&o.draft, &n.draft);
            if !fields.is_empty() {
                changes.push(change(ChangeKind::Modified, &n, fields));
            }
        }
    }
    // A record that left one id and is, in every other field, one that came under another
    // is the same record renumbered (an entry: renamed).
    let moved = match kind {
        Kind::Action | Kind::Logframe => ChangeKind::Renumbered,
        _ => ChangeKind::Renamed,
    };
    for o in removed {
        let same = added.iter().position(|n| {
            let fields = fields(&o.draft, &n.draft);
            !fields.is_empty() && fields.iter().all(|f| matches!(f.field, "id" | "code"))
        });
        match same {
            Some(at) => {
                let n = added.remove(at);
                changes.push(change(moved, &n, fields(&o.draft, &n.draft)));
            }
            None => changes.push(change(ChangeKind::Removed, &o, Vec::new())),
        }
    }
    changes.extend(
        added
            .iter()
            .map(|n| change(ChangeKind::Added, n, Vec::new())),
    );
    changes.sort_by(|a, b| a.id.cmp(&b.id));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: i64, file: &str, value: &str) -> Version<String> {
        Version {
            id: Key::Id(id),
            file: file.into(),
            title: value.into(),
            draft: value.into(),
        }
    }

    fn fields(old: &String, new: &String) -> Vec<FieldChange> {
        if old == new {
            return Vec::new();
        }
        let (old, new) = (old.clone(), new.clone());
        vec![FieldChange {
            field: "title",
            old,
            new,
        }]
    }

    fn case(old: Vec<Version<String>>, new: Vec<Version<String>>, expected: &[(i64, &str)]) {
        let found: Vec<(i64, &str)> = diff(Kind::Action, old, new, fields)
            .iter()
            .map(|c| match c.id {
                Key::Id(id) => (id, c.change.as_str()),
                _ => (0, c.change.as_str()),
            })
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn records_pair_by_id_not_by_file() {
        // Renamed, same fields: not a change.
        case(vec![version(1, "a", "x")], vec![version(1, "b", "x")], &[]);
        // Renamed and changed.
        case(
            vec![version(1, "a", "x")],
            vec![version(1, "b", "y")],
            &[(1, "modified")],
        );
        case(
            vec![version(1, "a", "x"), version(2, "b", "y")],
            vec![version(2, "b", "y"), version(3, "c", "z")],
            &[(1, "removed"), (3, "added")],
        );
    }

    #[test]
    fn duplicate_ids_pair_by_file_name_first() {
        // A merge brought a second action 29: it is added; the first is unchanged.
        case(
            vec![version(29, "029-a", "x")],
            vec![version(29, "029-b", "y"), version(29, "029-a", "x")],
            &[(29, "added")],
        );
    }
}

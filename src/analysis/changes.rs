//! What changed between two versions of a plan: actions and logframe rows matched by id (not
//! by file name, so a renamed file is the same record), with the fields that differ.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{ActionDraft, FieldChange, LogframeDraft};
use crate::store::Plan;

/// The kind of record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An action.
    Action,
    /// A logframe row.
    Logframe,
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
}

impl ChangeKind {
    /// The lower-case word.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
        }
    }
}

/// One record that differs between the two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The record's id.
    pub id: i64,
    /// Action or logframe row.
    pub kind: Kind,
    /// Added, removed or modified.
    pub change: ChangeKind,
    /// The title (an action's) or outcome (a logframe row's), as the newer version has it.
    pub title: String,
    /// The file it is in (the newer version's, or the older's when removed).
    pub file: String,
    /// For a modified record, the fields that differ (empty otherwise).
    pub fields: Vec<FieldChange>,
}

/// One record of one version, as plain values.
#[derive(Clone, Debug)]
pub struct Version<D> {
    /// Its id.
    pub id: i64,
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
            id: a.record.id.value,
            file: a.file.shown.clone(),
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
            id: r.record.id.value,
            file: r.file.shown.clone(),
            title: r.record.outcome.value.clone(),
            draft: LogframeDraft::from(&*r.record),
        })
        .collect()
}

/// Every action and logframe row that differs from `old` to `new`: actions first, each kind
/// by id.
#[must_use]
pub fn compare(old: &Plan, new: &Plan) -> Vec<Change> {
    let mut changes = diff(
        Kind::Action,
        actions(old),
        actions(new),
        ActionDraft::changes,
    );
    changes.extend(diff(
        Kind::Logframe,
        logframe(old),
        logframe(new),
        LogframeDraft::changes,
    ));
    changes
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
    let mut by_id: BTreeMap<i64, Both<D>> = BTreeMap::new();
    for version in old {
        by_id.entry(version.id).or_default().0.push(version);
    }
    for version in new {
        by_id.entry(version.id).or_default().1.push(version);
    }
    let change = |change: ChangeKind, version: &Version<D>, fields: Vec<FieldChange>| Change {
        id: version.id,
        kind,
        change,
        title: version.title.clone(),
        file: version.file.clone(),
        fields,
    };
    let mut changes = Vec::new();
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
                (Some(o), None) => changes.push(change(ChangeKind::Removed, &o, Vec::new())),
                (None, Some(n)) => changes.push(change(ChangeKind::Added, &n, Vec::new())),
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
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: i64, file: &str, value: &str) -> Version<String> {
        Version {
            id,
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
            .map(|c| (c.id, c.change.as_str()))
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

//! Records as plain values, without positions: what a command builds before it writes, and
//! what a written file must read back as.

use chrono::NaiveDate;

use super::{
    Action, Forum, Funding, FundingSource, LogframeRow, Month, Need, Partner, Place, PlanInfo, Sp,
    Status,
};

/// An action's fields as plain values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionDraft {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Lead partner codes.
    pub lead: Vec<String>,
    /// Involved partner codes.
    pub involved: Vec<String>,
    /// Place codes.
    pub locations: Vec<String>,
    /// Scope, as written.
    pub scope: String,
    /// Timeline, as written.
    pub timeline: String,
    /// Status.
    pub status: Status,
    /// Who requested it.
    pub requested_by: Option<String>,
    /// Funding entries.
    pub financing: Vec<Funding>,
    /// Need ids; `None` when the file has no `addresses` key.
    pub addresses: Option<Vec<String>>,
    /// Logframe row ids; `None` when the file has no `contributes_to` key.
    pub contributes_to: Option<Vec<i64>>,
    /// Notes.
    pub notes: Option<String>,
}

impl ActionDraft {
    /// Adds `line` at the end of the notes, on a line of its own, keeping what they say.
    pub fn add_notes(&mut self, line: &str) {
        self.notes = Some(match self.notes.as_deref() {
            None | Some("") => line.to_string(),
            Some(old) if old.ends_with('\n') => format!("{old}{line}\n"),
            Some(old) => format!("{old}\n{line}"),
        });
    }
}

impl From<&Action> for ActionDraft {
    fn from(action: &Action) -> Self {
        let codes = |list: &[super::Sp<String>]| list.iter().map(|c| c.value.clone()).collect();
        Self {
            id: action.id.value,
            title: action.title.value.clone(),
            lead: codes(&action.lead.value),
            involved: codes(&action.involved.value),
            locations: codes(&action.locations.value),
            scope: action.scope().to_string(),
            timeline: action.timeline.value.clone(),
            status: action.status.value,
            requested_by: action.requested_by.as_ref().map(|r| r.value.clone()),
            financing: action.financing().cloned().collect(),
            addresses: action.addresses.as_ref().map(|a| codes(&a.value)),
            contributes_to: action
                .contributes_to
                .as_ref()
                .map(|c| c.value.iter().map(|id| id.value).collect()),
            notes: action.notes.as_ref().map(|n| n.value.clone()),
        }
    }
}

/// A logframe row's fields as plain values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogframeDraft {
    /// Its id.
    pub id: i64,
    /// The outcome.
    pub outcome: String,
    /// Need ids.
    pub addresses: Vec<String>,
    /// Objectives, each with its outputs.
    pub objectives: Vec<(String, Vec<String>)>,
    /// Notes.
    pub notes: Option<String>,
}

impl From<&LogframeRow> for LogframeDraft {
    fn from(row: &LogframeRow) -> Self {
        Self {
            id: row.id.value,
            outcome: row.outcome.value.clone(),
            addresses: row.addresses().map(ToString::to_string).collect(),
            objectives: row
                .objectives
                .value
                .iter()
                .map(|o| {
                    let outputs = o.value.outputs.iter().map(|x| x.value.clone()).collect();
                    (o.value.text.value.clone(), outputs)
                })
                .collect(),
            notes: row.notes.as_ref().map(|n| n.value.clone()),
        }
    }
}

/// `plan.yaml`'s fields as plain values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDraft {
    /// The plan's title.
    pub title: String,
    /// The date it was issued.
    pub issued: Option<NaiveDate>,
    /// The first and last month it covers.
    pub period: (Month, Month),
    /// The date its statuses describe.
    pub as_of: Option<NaiveDate>,
    /// The partner that keeps it.
    pub coordinator: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

impl From<&PlanInfo> for PlanDraft {
    fn from(info: &PlanInfo) -> Self {
        Self {
            title: info.title.value.clone(),
            issued: info.issued.as_ref().map(|d| d.value),
            period: (info.period.value.start.value, info.period.value.end.value),
            as_of: info.as_of(),
            coordinator: info.coordinator.as_ref().map(|c| c.value.clone()),
            notes: info.notes.as_ref().map(|n| n.value.clone()),
        }
    }
}

impl PlanDraft {
    /// The fields that differ from `other`, in file order, each as text (dates as
    /// `2019-02-26`, the period as `2018-07 – 2019-12`).
    #[must_use]
    pub fn changes(&self, other: &Self) -> Vec<FieldChange> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let period = |(start, end): (Month, Month)| format!("{} – {}", start.iso(), end.iso());
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let fields: [(&'static str, String, String); 6] = [
            ("title", self.title.clone(), other.title.clone()),
            ("issued", date(self.issued), date(other.issued)),
            ("period", period(self.period), period(other.period)),
            ("as_of", date(self.as_of), date(other.as_of)),
            (
                "coordinator",
                text(&self.coordinator),
                text(&other.coordinator),
            ),
            ("notes", text(&self.notes), text(&other.notes)),
        ];
        fields
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(field, old, new)| FieldChange { field, old, new })
            .collect()
    }
}

/// One field that differs between two versions of a record.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    /// The field's key.
    pub field: &'static str,
    /// Its old value, as text (empty when absent).
    pub old: String,
    /// Its new value, as text.
    pub new: String,
}

impl FieldChange {
    /// The change in a few words, on one line: `status planned → completed`; lines added
    /// at the end of the notes as `notes + the line`.
    #[must_use]
    pub fn said(&self) -> String {
        let one = |v: &str| {
            if v.trim().is_empty() {
                "(none)".to_string()
            } else {
                v.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        };
        let added = (self.field == "notes" && !self.old.is_empty())
            .then(|| self.new.strip_prefix(self.old.as_str()))
            .flatten()
            .filter(|rest| !rest.trim().is_empty());
        match added {
            Some(rest) => format!("{} + {}", self.field, one(rest)),
            None => format!("{} {} → {}", self.field, one(&self.old), one(&self.new)),
        }
    }
}

impl ActionDraft {
    /// The fields that differ from `other`, in file order, each as text.
    #[must_use]
    pub fn changes(&self, other: &Self) -> Vec<FieldChange> {
        let list = |v: &[String]| v.join(", ");
        let funding = |v: &[Funding]| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let addresses = |v: &Option<Vec<String>>| v.as_deref().map(list).unwrap_or_default();
        let rows = |v: &Option<Vec<i64>>| {
            v.iter()
                .flatten()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fields: [(&'static str, String, String); 13] = [
            ("id", self.id.to_string(), other.id.to_string()),
            ("title", self.title.clone(), other.title.clone()),
            ("lead", list(&self.lead), list(&other.lead)),
            ("involved", list(&self.involved), list(&other.involved)),
            ("locations", list(&self.locations), list(&other.locations)),
            ("scope", self.scope.clone(), other.scope.clone()),
            ("timeline", self.timeline.clone(), other.timeline.clone()),
            ("status", self.status.to_string(), other.status.to_string()),
            (
                "requested_by",
                text(&self.requested_by),
                text(&other.requested_by),
            ),
            (
                "financing",
                funding(&self.financing),
                funding(&other.financing),
            ),
            (
                "addresses",
                addresses(&self.addresses),
                addresses(&other.addresses),
            ),
            (
                "contributes_to",
                rows(&self.contributes_to),
                rows(&other.contributes_to),
            ),
            ("notes", text(&self.notes), text(&other.notes)),
        ];
        fields
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(field, old, new)| FieldChange { field, old, new })
            .collect()
    }
}

impl LogframeDraft {
    /// The fields that differ from `other`, in file order, each as text; objectives as one
    /// line each, `objective (outputs: a; b)`.
    #[must_use]
    pub fn changes(&self, other: &Self) -> Vec<FieldChange> {
        let objectives = |v: &[(String, Vec<String>)]| {
            v.iter()
                .map(|(text, outputs)| {
                    if outputs.is_empty() {
                        text.clone()
                    } else {
                        format!("{text} (outputs: {})", outputs.join("; "))
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let fields: [(&'static str, String, String); 5] = [
            ("id", self.id.to_string(), other.id.to_string()),
            ("outcome", self.outcome.clone(), other.outcome.clone()),
            (
                "addresses",
                self.addresses.join(", "),
                other.addresses.join(", "),
            ),
            (
                "objectives",
                objectives(&self.objectives),
                objectives(&other.objectives),
            ),
            (
                "notes",
                self.notes.clone().unwrap_or_default(),
                other.notes.clone().unwrap_or_default(),
            ),
        ];
        fields
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(field, old, new)| FieldChange { field, old, new })
            .collect()
    }
}

/// A record of no fixed shape as plain values: a registry entry, a forum or a need, each
/// field as text in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldsDraft {
    /// Its key: the entry's code, the forum's code, the need's id.
    pub key: String,
    /// How it is named: the entry's or forum's name, the need's text.
    pub title: String,
    /// Every field but the key, as text (empty when absent).
    pub fields: Vec<(&'static str, String)>,
}

impl FieldsDraft {
    /// The fields that differ from `other` (the key first, when it does), each as text.
    #[must_use]
    pub fn changes(&self, other: &Self, key: &'static str) -> Vec<FieldChange> {
        let mut changes = Vec::new();
        if self.key != other.key {
            changes.push(FieldChange {
                field: key,
                old: self.key.clone(),
                new: other.key.clone(),
            });
        }
        let value = |fields: &[(&'static str, String)], name: &str| {
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let mut names: Vec<&'static str> = self.fields.iter().map(|(n, _)| *n).collect();
        for (name, _) in &other.fields {
            if !names.contains(name) {
                names.push(name);
            }
        }
        for field in names {
            let (old, new) = (value(&self.fields, field), value(&other.fields, field));
            if old != new {
                changes.push(FieldChange { field, old, new });
            }
        }
        changes
    }
}

fn text(value: Option<&Sp<String>>) -> String {
    value.map(|v| v.value.clone()).unwrap_or_default()
}

fn list(values: &[Sp<String>]) -> String {
    values
        .iter()
        .map(|v| v.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<&Partner> for FieldsDraft {
    fn from(p: &Partner) -> Self {
        Self {
            key: p.code.value.clone(),
            title: p.name.value.clone(),
            fields: vec![
                ("name", p.name.value.clone()),
                ("kind", text(p.kind.as_ref())),
                ("aliases", list(&p.aliases)),
            ],
        }
    }
}

impl From<&FundingSource> for FieldsDraft {
    fn from(f: &FundingSource) -> Self {
        Self {
            key: f.code.value.clone(),
            title: f.name.value.clone(),
            fields: vec![
                ("name", f.name.value.clone()),
                ("provider", text(f.provider.as_ref())),
                ("aliases", list(&f.aliases)),
            ],
        }
    }
}

impl From<&Place> for FieldsDraft {
    fn from(p: &Place) -> Self {
        Self {
            key: p.code.value.clone(),
            title: p.name.value.clone(),
            fields: vec![
                ("name", p.name.value.clone()),
                ("kind", text(p.kind.as_ref())),
                ("within", list(&p.within)),
                ("aliases", list(&p.aliases)),
            ],
        }
    }
}

impl From<&Forum> for FieldsDraft {
    /// The forum's own fields; its needs are records of their own ([`FieldsDraft::needs`]).
    fn from(f: &Forum) -> Self {
        let date = |d: Option<&Sp<NaiveDate>>| d.map(|d| d.value.to_string()).unwrap_or_default();
        Self {
            key: f.code.value.clone(),
            title: f.name.value.clone(),
            fields: vec![
                ("name", f.name.value.clone()),
                ("pillar", text(f.pillar.as_ref())),
                ("host", text(f.host.as_ref())),
                ("heading", text(f.heading.as_ref())),
                ("place", text(f.place.as_ref())),
                ("start", date(f.start.as_ref())),
                ("end", date(f.end.as_ref())),
            ],
        }
    }
}

impl FieldsDraft {
    /// A forum's needs and sub-items, each with its text and the need it is an item of.
    #[must_use]
    pub fn needs(forum: &Forum) -> Vec<Self> {
        forum
            .all_needs()
            .into_iter()
            .map(|(need, parent): (&Need, Option<&str>)| Self {
                key: need.id.value.clone(),
                title: need.text.value.clone(),
                fields: vec![
                    ("text", need.text.value.clone()),
                    ("item_of", parent.unwrap_or_default().to_string()),
                ],
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outcome: &str, objectives: &[(&str, &[&str])]) -> LogframeDraft {
        LogframeDraft {
            id: 1,
            outcome: outcome.into(),
            addresses: vec!["BP-1".into()],
            objectives: objectives
                .iter()
                .map(|(t, o)| {
                    (
                        (*t).to_string(),
                        o.iter().map(ToString::to_string).collect(),
                    )
                })
                .collect(),
            notes: None,
        }
    }

    #[test]
    fn fields_changes_name_the_key_and_each_field() {
        let entry = |key: &str, name: &str| FieldsDraft {
            key: key.into(),
            title: name.into(),
            fields: vec![("name", name.into()), ("kind", String::new())],
        };
        let old = entry("DCAF", "DCAF Ljubljana");
        assert!(old.changes(&old, "code").is_empty());
        let fields: Vec<&str> = old
            .changes(&entry("DCAF-SI", "DCAF Slovenia"), "code")
            .iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, ["code", "name"]);
    }

    #[test]
    fn logframe_changes_name_each_field() {
        let old = row(
            "Better data",
            &[("Share daily", &[]), ("Warn early", &["MOU"])],
        );
        let mut new = row(
            "Better data",
            &[("Share daily", &["Reports"]), ("Warn early", &["MOU"])],
        );
        new.notes = Some("checked".into());
        assert_eq!(
            old.changes(&new),
            [
                FieldChange {
                    field: "objectives",
                    old: "Share daily\nWarn early (outputs: MOU)".into(),
                    new: "Share daily (outputs: Reports)\nWarn early (outputs: MOU)".into(),
                },
                FieldChange {
                    field: "notes",
                    old: String::new(),
                    new: "checked".into(),
                },
            ]
        );
        assert!(old.changes(&old).is_empty());
    }
}

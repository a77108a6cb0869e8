//! The plan's own fields (`plan.yaml`), as `plan show` prints them.

use chrono::NaiveDate;
use serde::Serialize;

use super::Grid;
use crate::model::{Entry, Month, PlanInfo};
use crate::store::{Loaded, Plan};

/// `plan.yaml` as `plan show --format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct PlanView<'a> {
    /// The plan's title.
    pub title: &'a str,
    /// The date it was issued; `null` when the file does not say.
    pub issued: Option<NaiveDate>,
    /// The months it covers.
    pub period: PeriodView,
    /// The date its statuses describe; `null` when the file does not say (the date rules
    /// then measure against today).
    pub as_of: Option<NaiveDate>,
    /// The partner code of the body that keeps it.
    pub coordinator: Option<&'a str>,
    /// The partner registry's name for it.
    pub coordinator_name: Option<&'a str>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
    /// The file it is kept in.
    pub file: &'a str,
}

/// The first and last month of the plan, as `2018-07`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PeriodView {
    /// First month.
    pub start: Month,
    /// Last month.
    pub end: Month,
}

impl<'a> PlanView<'a> {
    /// The view of a plan's `plan.yaml`, with the coordinator's name from its registry.
    #[must_use]
    pub fn new(plan: &'a Plan, loaded: &'a Loaded<PlanInfo>) -> Self {
        let info = &loaded.record;
        let coordinator = info.coordinator.as_ref().map(|c| c.value.as_str());
        Self {
            title: &info.title.value,
            issued: info.issued.as_ref().map(|d| d.value),
            period: PeriodView {
                start: info.period.value.start.value,
                end: info.period.value.end.value,
            },
            as_of: info.as_of(),
            coordinator,
            coordinator_name: coordinator
                .and_then(|c| plan.partners.get(c))
                .map(Entry::name),
            notes: info.notes.as_ref().map(|n| n.value.as_str()),
            file: loaded.file.shown(),
        }
    }

    /// A two-column table: field and value, `—` for what the file does not say.
    #[must_use]
    pub fn grid(&self) -> Grid {
        let mut grid = Grid::new(&["Field", "Value"]);
        let mut add = |field: &str, value: Option<String>| {
            grid.push(vec![field.to_string(), value.unwrap_or_else(|| "—".into())]);
        };
        add("Title", Some(self.title.to_string()));
        add("Issued", self.issued.map(|d| d.to_string()));
        add(
            "Period",
            Some(format!(
                "{} – {} ({} – {})",
                self.period.start.iso(),
                self.period.end.iso(),
                self.period.start,
                self.period.end
            )),
        );
        add(
            "As of",
            Some(self.as_of.map_or_else(
                || "— (the date rules measure against today)".into(),
                |d| d.to_string(),
            )),
        );
        add(
            "Coordinator",
            self.coordinator.map(|code| match self.coordinator_name {
                Some(name) => format!("{code} — {name}"),
                None => format!("{code} — not in the partner registry"),
            }),
        );
        if let Some(notes) = self.notes {
            add("Notes", Some(notes.to_string()));
        }
        add("File", Some(self.file.to_string()));
        grid
    }
}

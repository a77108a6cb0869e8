//! Which actions a `list` shows.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::model::{Action, Status};

/// The conditions an action must meet to be listed; an empty filter lets every action
/// through. Codes are registry codes, already resolved from what the user typed.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Any of these statuses (none: any status).
    pub statuses: Vec<Status>,
    /// This partner leads or is involved.
    pub partner: Option<String>,
    /// This partner leads.
    pub lead: Option<String>,
    /// The action names one of these places (a place and everything inside it).
    pub places: Option<HashSet<String>>,
    /// This funding source pays, confirmed or tentative.
    pub financing: Option<String>,
    /// The window ends before this day.
    pub due_before: Option<NaiveDate>,
    /// The window ended before this day and the action is neither completed nor cancelled.
    pub overdue_at: Option<NaiveDate>,
    /// Lower-case text found in the title or the scope.
    pub search: Option<String>,
}

impl Filter {
    /// Whether the action passes every condition.
    #[must_use]
    pub fn matches(&self, action: &Action) -> bool {
        let status = action.status.value;
        (self.statuses.is_empty() || self.statuses.contains(&status))
            && self
                .partner
                .as_deref()
                .is_none_or(|p| action.leads().any(|c| c == p) || action.involved().any(|c| c == p))
            && self
                .lead
                .as_deref()
                .is_none_or(|p| action.leads().any(|c| c == p))
            && self
                .places
                .as_ref()
                .is_none_or(|places| action.locations().any(|c| places.contains(c)))
            && self
                .financing
                .as_deref()
                .is_none_or(|f| action.financing().any(|s| s.source == f))
            && self.due_before.is_none_or(|day| ends_before(action, day))
            && self
                .overdue_at
                .is_none_or(|day| !status.is_closed() && ends_before(action, day))
            && self.search.as_deref().is_none_or(|text| {
                action.title.value.to_lowercase().contains(text)
                    || action.scope().to_lowercase().contains(text)
            })
    }
}

/// Whether the action's window ends before `day`; a window with no end (waiting on an
/// event) or an unreadable timeline never does.
#[must_use]
pub fn ends_before(action: &Action, day: NaiveDate) -> bool {
    action
        .window()
        .ok()
        .and_then(|t| t.window.end())
        .is_some_and(|end| end.last_day() < day)
}

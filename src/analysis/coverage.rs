//! Which needs of Annex 1 the actions and logframe rows answer, and which nothing answers.

use std::collections::HashMap;

use serde::Serialize;

use super::report::Ids;
use crate::store::Plan;

/// One need and what answers it.
#[derive(Clone, Debug, Serialize)]
pub struct NeedCoverage {
    /// The forum's code.
    pub forum: String,
    /// The need's id, e.g. `BP-7` or `BP-7a`.
    pub need: String,
    /// For a sub-item, its need's id.
    pub parent: Option<String>,
    /// The need's text.
    pub text: String,
    /// Actions that answer it (for a need: it or one of its sub-items; for a sub-item: it or
    /// its need).
    pub actions: Ids,
    /// Logframe rows that answer it, likewise.
    pub logframe: Ids,
}

/// The coverage of every need, and the gaps.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    /// Every need and sub-item, forum by forum.
    pub needs: Vec<NeedCoverage>,
    /// Numbered needs that no action answers (a logframe row may).
    pub no_action: Vec<String>,
    /// Numbered needs that nothing answers at all.
    pub nothing: Vec<String>,
}

impl Coverage {
    /// Each need's coverage, by its id.
    #[must_use]
    pub fn by_need(&self) -> HashMap<&str, &NeedCoverage> {
        self.needs.iter().map(|n| (n.need.as_str(), n)).collect()
    }
}

/// What answers each need.
#[must_use]
pub fn coverage(plan: &Plan) -> Coverage {
    let mut by_actions: HashMap<&str, Ids> = HashMap::new();
    for action in &plan.actions {
        for need in action.record.addresses() {
            by_actions
                .entry(need)
                .or_default()
                .push(action.record.id.value);
        }
    }
    let mut by_rows: HashMap<&str, Ids> = HashMap::new();
    for row in &plan.logframe {
        for need in row.record.addresses() {
            by_rows.entry(need).or_default().push(row.record.id.value);
        }
    }
    let mut needs = Vec::new();
    let mut no_action = Vec::new();
    let mut nothing = Vec::new();
    for forum in &plan.forums {
        let forum_code = &forum.record.code.value;
        for need in &forum.record.needs.value {
            let need = &need.value;
            let id = need.id.value.as_str();
            let family: Vec<&str> = std::iter::once(id)
                .chain(need.items.iter().map(|i| i.value.id.value.as_str()))
                .collect();
            let gather = |map: &HashMap<&str, Ids>, ids: &[&str]| {
                let mut out: Ids = ids
                    .iter()
                    .flat_map(|i| map.get(i).into_iter().flatten().copied())
                    .collect();
                out.sort_unstable();
                out.dedup();
                out
            };
            let entry = NeedCoverage {
                forum: forum_code.clone(),
                need: id.to_string(),
                parent: None,
                text: need.text.value.clone(),
                actions: gather(&by_actions, &family),
                logframe: gather(&by_rows, &family),
            };
            if entry.actions.is_empty() {
                no_action.push(id.to_string());
                if entry.logframe.is_empty() {
                    nothing.push(id.to_string());
                }
            }
            needs.push(entry);
            for item in &need.items {
                let item_id = item.value.id.value.as_str();
                needs.push(NeedCoverage {
                    forum: forum_code.clone(),
                    need: item_id.to_string(),
                    parent: Some(id.to_string()),
                    text: item.value.text.value.clone(),
                    actions: gather(&by_actions, &[item_id, id]),
                    logframe: gather(&by_rows, &[item_id, id]),
                });
            }
        }
    }
    Coverage {
        needs,
        no_action,
        nothing,
    }
}

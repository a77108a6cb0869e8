//! What the dashboard and the exported document show beside the actions: which actions and
//! logframe rows answer each need, and what each partner leads or joins.

use serde::Serialize;

use crate::model::Entry;
use crate::store::Plan;

/// One need of Annex 1 with what answers it.
#[derive(Clone, Debug, Serialize)]
pub struct NeedCoverage<'a> {
    /// The forum's code (`BP`).
    pub forum: &'a str,
    /// The need's id (`BP-7a`).
    pub id: &'a str,
    /// Its parent's id, for a sub-item.
    pub parent: Option<&'a str>,
    /// Its text.
    pub text: &'a str,
    /// The actions that address it (or, for a need, one of its sub-items).
    pub actions: Vec<i64>,
    /// The logframe rows that address it (or one of its sub-items).
    pub logframe: Vec<i64>,
    /// Nothing answers it: for a need, as the `need-not-addressed` rule says; for a
    /// sub-item, neither it nor its need is addressed.
    pub gap: bool,
}

/// Every need and sub-item, in forum order, with the actions and logframe rows answering it.
#[must_use]
pub fn coverage(plan: &Plan) -> Vec<NeedCoverage<'_>> {
    let mut out: Vec<NeedCoverage> = Vec::new();
    for forum in &plan.forums {
        for (need, parent) in forum.record.all_needs() {
            let id = need.id.value.as_str();
            // A need counts what addresses its sub-items too.
            let actions = plan
                .actions
                .iter()
                .filter(|a| a.record.addresses().any(|n| n == id || sub_item_of(n, id)))
                .map(|a| a.record.id.value)
                .collect();
            let logframe = plan
                .logframe
                .iter()
                .filter(|r| r.record.addresses().any(|n| n == id || sub_item_of(n, id)))
                .map(|r| r.record.id.value)
                .collect();
            out.push(NeedCoverage {
                forum: &forum.record.code.value,
                id,
                parent,
                text: &need.text.value,
                actions,
                logframe,
                gap: false,
            });
        }
    }
    let answered: Vec<(String, bool)> = out
        .iter()
        .map(|n| {
            (
                n.id.to_string(),
                !n.actions.is_empty() || !n.logframe.is_empty(),
            )
        })
        .collect();
    for need in &mut out {
        let own = answered.iter().any(|(id, yes)| id == need.id && *yes);
        let through_parent = need
            .parent
            .is_some_and(|p| answered.iter().any(|(id, yes)| id == p && *yes));
        need.gap = !own && !through_parent;
    }
    out
}

/// Whether `item` is a lettered sub-item of `need` (`BP-7a` of `BP-7`).
fn sub_item_of(item: &str, need: &str) -> bool {
    item.strip_prefix(need)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase()))
}

/// One partner and its part in the plan.
#[derive(Clone, Debug, Serialize)]
pub struct PartnerShare<'a> {
    /// Its code.
    pub code: &'a str,
    /// Its name.
    pub name: &'a str,
    /// The actions it leads.
    pub leads: Vec<i64>,
    /// The actions it is involved in (and does not lead).
    pub involved: Vec<i64>,
}

/// Every partner of the registry, in registry order, with the actions it leads and joins.
#[must_use]
pub fn partners(plan: &Plan) -> Vec<PartnerShare<'_>> {
    plan.partners
        .entries()
        .iter()
        .map(|partner| {
            let code = partner.code().value.as_str();
            let leads: Vec<i64> = plan
                .actions
                .iter()
                .filter(|a| a.record.leads().any(|l| l == code))
                .map(|a| a.record.id.value)
                .collect();
            let involved = plan
                .actions
                .iter()
                .filter(|a| a.record.involved().any(|l| l == code))
                .map(|a| a.record.id.value)
                .filter(|id| !leads.contains(id))
                .collect();
            PartnerShare {
                code,
                name: partner.name(),
                leads,
                involved,
            }
        })
        .collect()
}

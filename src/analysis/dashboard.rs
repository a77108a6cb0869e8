//! What the dashboard shows beside the actions: what each partner leads or joins. (Which
//! actions and logframe rows answer each need is `analysis::coverage`, shared with `report`.)

use serde::Serialize;

use crate::model::Entry;
use crate::store::Plan;

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

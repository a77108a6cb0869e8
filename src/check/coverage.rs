//! Rules about the plan as a whole: needs nothing answers, registry entries nothing uses.

use std::collections::{HashMap, HashSet};

use super::{Context, Findings};
use crate::diagnostic::Code;
use crate::model::Entry;
use crate::store::Plan;

/// The id of every need and sub-item of every forum.
pub(super) fn need_ids(plan: &Plan) -> HashSet<&str> {
    plan.forums
        .iter()
        .flat_map(|f| f.record.all_needs())
        .map(|(need, _)| need.id.value.as_str())
        .collect()
}

pub(super) fn check(context: &Context, findings: &mut Findings) {
    needs_addressed(context.plan, findings);
    unused_entries(context.plan, findings);
}

/// A numbered need is answered when an action or logframe row addresses it or one of its
/// sub-items; sub-items are answered through their need.
fn needs_addressed(plan: &Plan, findings: &mut Findings) {
    let addressed: HashSet<&str> = plan
        .actions
        .iter()
        .flat_map(|a| a.record.addresses())
        .chain(plan.logframe.iter().flat_map(|r| r.record.addresses()))
        .collect();
    for forum in &plan.forums {
        for need in &forum.record.needs.value {
            let need = &need.value;
            let answered = addressed.contains(need.id.value.as_str())
                || need
                    .items
                    .iter()
                    .any(|item| addressed.contains(item.value.id.value.as_str()));
            if !answered {
                findings
                    .add(
                        Code::NeedNotAddressed,
                        &forum.file.shown,
                        &need.id,
                        format!(
                            "no action or logframe row addresses need `{}`",
                            need.id.value
                        ),
                    )
                    .help = Some(format!(
                    "add `{}` to the `addresses` of the actions that answer it; a gap left open is information too",
                    need.id.value
                ));
            }
        }
    }
}

/// Partners, funding sources and places that nothing refers to. A place counts as used when
/// a place inside it is.
fn unused_entries(plan: &Plan, findings: &mut Findings) {
    let mut partners: HashSet<&str> = HashSet::new();
    let mut funding: HashSet<&str> = HashSet::new();
    let mut places: HashSet<&str> = HashSet::new();
    for action in &plan.actions {
        let action = &action.record;
        partners.extend(action.leads().chain(action.involved()));
        places.extend(action.locations());
        places.extend(action.requested_by.iter().map(|r| r.value.as_str()));
        funding.extend(action.financing().map(|f| f.source.as_str()));
    }
    for forum in &plan.forums {
        let forum = &forum.record;
        for partner in forum.pillar.iter().chain(&forum.host) {
            partners.insert(&partner.value);
        }
        places.extend(forum.place.iter().map(|p| p.value.as_str()));
    }
    for source in plan.funding.entries() {
        partners.extend(source.provider.iter().map(|p| p.value.as_str()));
    }
    if let Some(info) = &plan.info {
        partners.extend(info.record.coordinator.iter().map(|c| c.value.as_str()));
    }
    // Everything that contains a used place is used.
    let parents: HashMap<&str, Vec<&str>> = plan
        .places
        .entries()
        .iter()
        .map(|p| {
            (
                p.code.value.as_str(),
                p.within.iter().map(|w| w.value.as_str()).collect(),
            )
        })
        .collect();
    let mut queue: Vec<&str> = places.iter().copied().collect();
    while let Some(place) = queue.pop() {
        for parent in parents.get(place).into_iter().flatten() {
            if places.insert(parent) {
                queue.push(parent);
            }
        }
    }
    unused(
        findings,
        &plan.dir.show("partners.yaml"),
        plan.partners.entries(),
        &partners,
        "partner",
    );
    unused(
        findings,
        &plan.dir.show("funding.yaml"),
        plan.funding.entries(),
        &funding,
        "funding source",
    );
    unused(
        findings,
        &plan.dir.show("locations.yaml"),
        plan.places.entries(),
        &places,
        "place",
    );
}

fn unused<E: Entry>(
    findings: &mut Findings,
    file: &str,
    entries: &[E],
    used: &HashSet<&str>,
    kind: &str,
) {
    for entry in entries {
        let code = entry.code();
        if !used.contains(code.value.as_str()) {
            findings
                .add(
                    Code::UnusedRegistryEntry,
                    file,
                    code,
                    format!("no file refers to {kind} `{}`", code.value),
                )
                .help = Some("remove the entry if the plan no longer needs it".into());
        }
    }
}

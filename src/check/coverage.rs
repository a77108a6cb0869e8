//! Rules about the plan as a whole: needs nothing answers, registry entries nothing uses.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;

use super::{Context, Findings, Used};
use crate::diagnostic::Code;
use crate::model::{Entry, RegistryKind};
use crate::store::Plan;

/// The id of every need and sub-item of every forum, each with a number of its own.
pub(super) fn need_ids(plan: &Plan) -> HashMap<&str, usize> {
    let mut ids = HashMap::new();
    for (need, _) in plan.forums.iter().flat_map(|f| f.record.all_needs()) {
        let next = ids.len();
        ids.entry(need.id.value.as_str()).or_insert(next);
    }
    ids
}

/// `used` holds what the actions refer to.
pub(super) fn check(context: &Context, findings: &mut Findings, used: &Used) {
    needs_addressed(context, findings, used);
    unused_entries(context, findings, used);
}

/// A numbered need is answered when an action or logframe row addresses it or one of its
/// sub-items; sub-items are answered through their need.
fn needs_addressed(context: &Context, findings: &mut Findings, used: &Used) {
    let plan = context.plan;
    let by_actions = context
        .need_ids
        .iter()
        .filter(|(_, i)| used.needs[**i].load(Ordering::Relaxed))
        .map(|(id, _)| *id);
    let addressed: HashSet<&str> = by_actions
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
                        forum.file.shown(),
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
fn unused_entries(context: &Context, findings: &mut Findings, used: &Used) {
    let plan = context.plan;
    let mut partners = Used::codes(&used.partners, &plan.partners);
    let funding = Used::codes(&used.funding, &plan.funding);
    let mut places = Used::codes(&used.places, &plan.places);
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
    let [partners_file, funding_file, places_file] = &context.registry_files;
    unused(
        findings,
        partners_file,
        plan.partners.entries(),
        &partners,
        RegistryKind::Partners.noun(),
    );
    unused(
        findings,
        funding_file,
        plan.funding.entries(),
        &funding,
        RegistryKind::Funding.noun(),
    );
    unused(
        findings,
        places_file,
        plan.places.entries(),
        &places,
        RegistryKind::Locations.noun(),
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

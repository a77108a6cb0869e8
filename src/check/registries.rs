//! Rules about the registries, the forums and plan.yaml: codes defined once, names given,
//! references between them known.

use std::collections::HashMap;

use super::{Context, Findings};
use crate::diagnostic::Code;
use crate::model::{Entry, RegistryKind, Sp, lookup_key};

pub(super) fn check(context: &Context, findings: &mut Findings) {
    let plan = context.plan;
    let [partners_file, funding_file, places_file] = &context.registry_files;
    entries(
        findings,
        partners_file,
        plan.partners.entries(),
        RegistryKind::Partners.noun(),
    );
    entries(
        findings,
        funding_file,
        plan.funding.entries(),
        RegistryKind::Funding.noun(),
    );
    entries(
        findings,
        places_file,
        plan.places.entries(),
        RegistryKind::Locations.noun(),
    );
    for source in plan.funding.entries() {
        if let Some(provider) = &source.provider {
            context.known_partner(findings, funding_file, provider);
        }
    }
    for place in plan.places.entries() {
        for parent in &place.within {
            context.known_place(findings, places_file, parent);
        }
    }
    if let Some(info) = &plan.info {
        let file = info.file.shown();
        let period = &info.record.period.value;
        if period.end.value < period.start.value {
            findings
                .add(
                    Code::BadPeriod,
                    file,
                    &period.end,
                    format!(
                        "the period ends in {} before it starts in {}",
                        period.end.value, period.start.value
                    ),
                )
                .help = Some("swap `start` and `end`".into());
        }
        if let Some(coordinator) = &info.record.coordinator {
            context.known_partner(findings, file, coordinator);
        }
    }
    forums(context, findings);
}

/// Each entry has a code and a name; codes are defined once; an alias means one entry.
fn entries<E: Entry>(findings: &mut Findings, file: &str, entries: &[E], kind: &str) {
    let mut codes: HashMap<&str, &Sp<String>> = HashMap::new();
    let mut spellings: HashMap<String, &str> = HashMap::new();
    for entry in entries {
        let code = entry.code();
        if code.value.trim().is_empty() {
            findings.add(
                Code::EmptyField,
                file,
                code,
                format!("a {kind} has an empty code"),
            );
            continue;
        }
        if entry.name().trim().is_empty() {
            findings.add(
                Code::EmptyField,
                file,
                code,
                format!("{kind} `{}` has no name", code.value),
            );
        }
        if let Some(first) = codes.insert(&code.value, code) {
            findings
                .add(
                    Code::DuplicateCode,
                    file,
                    code,
                    format!(
                        "{kind} `{}` is defined twice (first at line {})",
                        code.value,
                        first.referenced.line()
                    ),
                )
                .help = Some("merge the two entries".into());
            continue;
        }
        let mut own = std::collections::HashSet::new();
        own.insert(lookup_key(&code.value));
        for alias in entry.aliases() {
            own.insert(lookup_key(&alias.value));
        }
        own.insert(lookup_key(entry.name()));
        for key in own.into_iter().filter(|k| !k.is_empty()) {
            if let Some(other) = spellings.insert(key.clone(), &code.value)
                && other != code.value
            {
                findings
                    .add(
                        Code::AmbiguousAlias,
                        file,
                        code,
                        format!(
                            "{kind} `{}` and `{other}` are both written `{key}`",
                            code.value
                        ),
                    )
                    .help = Some("give each spelling to one entry only".into());
            }
        }
    }
}

/// Forum codes and need ids are defined once; needs have text; pillars, hosts and places
/// are known.
fn forums(context: &Context, findings: &mut Findings) {
    let plan = context.plan;
    let mut forum_codes: HashMap<&str, &str> = HashMap::new();
    let mut need_ids: HashMap<&str, &str> = HashMap::new();
    for loaded in &plan.forums {
        let file = loaded.file.shown();
        let forum = &loaded.record;
        if let Some(first) = forum_codes.insert(&forum.code.value, file) {
            findings.add(
                Code::DuplicateCode,
                file,
                &forum.code,
                format!("forum `{}` is also defined in {first}", forum.code.value),
            );
        }
        for partner in forum.pillar.iter().chain(&forum.host) {
            context.known_partner(findings, file, partner);
        }
        if let Some(place) = &forum.place {
            context.known_place(findings, file, place);
        }
        for (need, _) in forum.all_needs() {
            if let Some(first) = need_ids.insert(&need.id.value, file) {
                findings.add(
                    Code::DuplicateCode,
                    file,
                    &need.id,
                    format!("need `{}` is also defined in {first}", need.id.value),
                );
            }
            if need.text.value.trim().is_empty() {
                findings.add(
                    Code::EmptyField,
                    file,
                    &need.id,
                    format!("need `{}` has no text", need.id.value),
                );
            }
        }
    }
}

//! Rules about each action and logframe row, and about their ids.

use super::{Context, Findings, Seen, file_number, repeated};
use crate::analysis::overlap;
use crate::diagnostic::Code;
use crate::model::{ACCEPTED_FORMS, IDS, Sp, Status, Timeline, next_id};
use crate::store::Loaded;

/// The rules over all actions and rows at once: the rows' own rules, ids used twice,
/// possible duplicates. `seen` has one entry per action that could be read, in file order.
pub(super) fn plan_wide(context: &Context, findings: &mut Findings, seen: &[Box<Seen>]) {
    let plan = context.plan;
    for row in &plan.logframe {
        logframe_row(context, findings, row);
    }
    let next = next_id(seen.iter().map(|a| a.id.value));
    let ids = seen.iter().map(|a| (&a.id, a.file.shown()));
    duplicate_ids(findings, ids, "action", next);
    let rows = plan.logframe.iter().map(|r| (&r.record.id, r.file.shown()));
    duplicate_ids(findings, rows, "logframe row", None);
    let facts: Vec<Option<&overlap::Facts>> = seen.iter().map(|a| a.overlap.as_ref()).collect();
    for pair in overlap::possible_duplicates(&facts, &plan.places) {
        let (a, b) = (&seen[pair.actions.0], &seen[pair.actions.1]);
        findings
            .add_at(
                Code::PossibleOverlap,
                b.file.shown(),
                b.title,
                format!(
                    "action {} may overlap action {}: {}",
                    b.id.value, a.id.value, pair.reason
                ),
            )
            .help = Some(format!(
            "if they are one activity, merge them; if not, say how they differ in `notes` ({})",
            a.file.shown()
        ));
    }
}

/// A status read from another wording than its file form (`Planned`, `done`): the action
/// counts as that status, and the finding says what to write.
fn status_spelling(findings: &mut Findings, loaded: &Loaded<crate::model::Action>) {
    let action = &loaded.record;
    if let Some(written) = &action.status_as_written {
        let status = action.status.value;
        findings
            .add(
                Code::StatusSpelling,
                loaded.file.shown(),
                &action.status,
                format!("`{written}` is read as `{status}`"),
            )
            .help = Some(format!("write `status: {status}`"));
    }
}

/// One action's own rules: what it says, checked against the registries and the needs.
/// Gives its timeline, read, when it can be.
pub(super) fn action(
    context: &Context,
    findings: &mut Findings,
    loaded: &Loaded<crate::model::Action>,
) -> Option<Timeline> {
    let file = loaded.file.shown();
    let action = &loaded.record;
    id_rules(findings, file, &action.id, "action");
    if action.title.value.trim().is_empty() {
        findings.add(
            Code::EmptyField,
            file,
            &action.title,
            "the action has no title".into(),
        );
    }
    status_spelling(findings, loaded);
    if action.lead.value.is_empty() {
        findings
            .add(
                Code::EmptyField,
                file,
                &action.lead,
                "the action has no lead partner".into(),
            )
            .help = Some("every action needs at least one lead partner code".into());
    }
    for code in action.lead.value.iter().chain(&action.involved.value) {
        context.known_partner(findings, file, code);
    }
    for involved in &action.involved.value {
        if action.lead.value.iter().any(|l| l.value == involved.value) {
            findings
                .add(
                    Code::LeadAlsoInvolved,
                    file,
                    involved,
                    format!(
                        "`{}` leads the action and is listed as involved too",
                        involved.value
                    ),
                )
                .help = Some("a lead is involved by definition: remove it from `involved`".into());
        }
    }
    repeated(findings, file, &action.lead.value, "lead");
    repeated(findings, file, &action.involved.value, "involved");
    repeated(findings, file, &action.locations.value, "locations");
    for code in action
        .locations
        .value
        .iter()
        .chain(action.requested_by.as_deref())
    {
        context.known_place(findings, file, code);
    }
    for entry in &action.financing.value {
        context.known_funding(findings, file, entry);
    }
    if let Some(addresses) = &action.addresses {
        needs(context, findings, file, &addresses.value);
    }
    super::results::contributes(context, findings, file, action);
    timeline(context, findings, loaded)
}

fn timeline(
    context: &Context,
    findings: &mut Findings,
    loaded: &Loaded<crate::model::Action>,
) -> Option<Timeline> {
    let file = loaded.file.shown();
    let action = &loaded.record;
    let status = action.status.value;
    let timeline = match action.window() {
        Ok(timeline) => timeline,
        Err(error) => {
            findings
                .add(Code::BadTimeline, file, &action.timeline, error.reason)
                .help = Some(ACCEPTED_FORMS.into());
            return None;
        }
    };
    let window = &timeline.window;
    if let (Some((first, last)), Some(end)) = (context.period, window.end()) {
        let start = window.start().unwrap_or(end);
        if start < first || end > last {
            findings
                .add(
                    Code::TimelineOutsidePeriod,
                    file,
                    &action.timeline,
                    format!(
                        "`{}` reaches outside the plan's period, {first} – {last}",
                        action.timeline.value
                    ),
                )
                .help = Some("correct the timeline, or widen `period` in plan.yaml".into());
        }
    }
    let as_of = context.as_of;
    if status == Status::Completed
        && let Some(start) = window.start()
        && start.first_day() > as_of
    {
        findings
            .add(
                Code::CompletedBeforeStart,
                file,
                &action.status,
                format!("the action is completed, but its window starts in {start}, after {as_of}"),
            )
            .help =
            Some("correct the status or the timeline, or move the plan's `as_of` date: `iisg plan set --as-of today`".into());
    }
    if !status.is_closed()
        && let Some(end) = window.end()
        && end.last_day() < as_of
    {
        findings
            .add(
                Code::Overdue,
                file,
                &action.timeline,
                format!("the window ended in {end}, before {as_of}, and the action is {status}"),
            )
            .help = Some("update the status, or move the timeline".into());
    }
    if status == Status::Completed && !action.financing().any(|f| !f.tentative) {
        findings
            .add(
                Code::CompletedUnfunded,
                file,
                &action.status,
                "the action is completed, but no financing is confirmed".into(),
            )
            .help = Some("record who paid in `financing`".into());
    }
    Some(timeline)
}

fn logframe_row(
    context: &Context,
    findings: &mut Findings,
    loaded: &Loaded<crate::model::LogframeRow>,
) {
    let file = loaded.file.shown();
    let row = &loaded.record;
    id_rules(findings, file, &row.id, "logframe row");
    if row.outcome.value.trim().is_empty() {
        findings.add(
            Code::EmptyField,
            file,
            &row.outcome,
            "the row has no outcome".into(),
        );
    }
    if let Some(addresses) = &row.addresses {
        needs(context, findings, file, &addresses.value);
    }
    if row.output_count() == 0 {
        findings
            .add(
                Code::LogframeWithoutOutputs,
                file,
                &row.objectives,
                format!("logframe row {} lists no outputs", row.id.value),
            )
            .help = Some("add the outputs each objective should deliver".into());
    }
    super::results::row(context, findings, file, row);
}

/// An id in [`IDS`], equal to the number the file name starts with.
fn id_rules(findings: &mut Findings, file: &str, id: &Sp<i64>, what: &str) {
    if !IDS.contains(&id.value) {
        let why = if id.value < *IDS.start() {
            "is not positive"
        } else {
            "is too large"
        };
        findings
            .add(
                Code::InvalidId,
                file,
                id,
                format!("{what} id {} {why}", id.value),
            )
            .help = Some(format!(
            "ids run from {} to {}: give it a free one in that range, and rename the file to match",
            IDS.start(),
            IDS.end()
        ));
        return;
    }
    if file_number(file) != Some(id.value) {
        let name = file.rsplit('/').next().unwrap_or(file);
        findings
            .add(
                Code::FileNameMismatch,
                file,
                id,
                format!("the file `{name}` holds {what} {}", id.value),
            )
            .help =
            Some("the file name starts with the id: rename the file, or correct `id`".into());
    }
}

/// How many of the other files using an id a finding names; the rest are counted.
const NAMED: usize = 3;

/// Reports every id that more than one file uses, on each of those files. Linear but for a
/// sort, however many files share one id.
fn duplicate_ids<'a>(
    findings: &mut Findings,
    ids: impl Iterator<Item = (&'a Sp<i64>, &'a str)>,
    what: &str,
    next: Option<i64>,
) {
    let mut all: Vec<(i64, usize, &Sp<i64>, &str)> = ids
        .enumerate()
        .map(|(order, (id, file))| (id.value, order, id, file))
        .collect();
    all.sort_unstable_by_key(|&(id, order, ..)| (id, order));
    for group in all.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        for (index, &(id, _, at, file)) in group.iter().enumerate() {
            let others: Vec<&str> = group
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, other)| other.3)
                .take(NAMED)
                .collect();
            let more = group.len() - 1 - others.len();
            let named = match more {
                0 => others.join(", "),
                more => format!("{} and {more} more", others.join(", ")),
            };
            let help = match next {
                Some(next) => {
                    format!("give one of them a free id: `iisg renumber {id} --to {next}`")
                }
                None => "give one of them a free id, and rename its file to match".into(),
            };
            findings
                .add(
                    Code::DuplicateId,
                    file,
                    at,
                    format!("{what} id {id} is also used by {named}"),
                )
                .help = Some(help);
        }
    }
}

/// Each need id must be one of Annex 1's.
fn needs(context: &Context, findings: &mut Findings, file: &str, ids: &[Sp<String>]) {
    let known = &context.need_ids;
    for id in ids {
        if !known.contains_key(id.value.as_str()) {
            let closest = known
                .keys()
                .map(|k| {
                    let score =
                        strsim::normalized_levenshtein(&k.to_lowercase(), &id.value.to_lowercase());
                    (score, k)
                })
                .filter(|(score, _)| *score >= 0.6)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let help = match closest {
                Some((_, k)) => format!("did you mean `{k}`?"),
                None => {
                    "need ids are the forum's code and the need's number, e.g. `BP-7` or `BP-7a`"
                        .into()
                }
            };
            findings
                .add(
                    Code::UnknownNeed,
                    file,
                    id,
                    format!("unknown need `{}`", id.value),
                )
                .help = Some(help);
        }
    }
    repeated(findings, file, ids, "addresses");
}

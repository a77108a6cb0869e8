//! The reports a coordination meeting needs, computed as data: who does what, what is
//! funded, where, when, what is late. Rendering is `render::report`'s job.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::filter::ends_before;
use crate::model::{Entry, Month, Status, Window};
use crate::store::Plan;

/// Ids of actions, in order.
pub type Ids = Vec<i64>;

/// One partner's share of the plan.
#[derive(Clone, Debug, Serialize)]
pub struct PartnerRow {
    /// The partner's code (`TOTAL` for the totals row).
    pub partner: String,
    /// Its name, when the registry knows it.
    pub name: Option<String>,
    /// How many actions it leads (a joint lead counts for each partner).
    pub led: usize,
    /// How many actions it is listed as involved in.
    pub involved_in: usize,
    /// Its actions (led or involved) by status.
    pub by_status: BTreeMap<Status, usize>,
    /// The funding sources of its actions.
    pub funding: BTreeSet<String>,
    /// The actions it leads.
    pub led_actions: Ids,
    /// The actions it is involved in.
    pub involved_actions: Ids,
}

/// A row per partner that leads or is involved in anything, most leads first, then a
/// totals row (`TOTAL`: lead and involvement places summed; statuses and funding over all
/// actions).
#[must_use]
pub fn by_partner(plan: &Plan) -> Vec<PartnerRow> {
    let mut rows: HashMap<&str, PartnerRow> = HashMap::new();
    let empty = |code: &str| PartnerRow {
        partner: code.to_string(),
        name: plan.partners.get(code).map(|p| p.name().to_string()),
        led: 0,
        involved_in: 0,
        by_status: BTreeMap::new(),
        funding: BTreeSet::new(),
        led_actions: Vec::new(),
        involved_actions: Vec::new(),
    };
    let mut total = empty("TOTAL");
    for loaded in &plan.actions {
        let action = &loaded.record;
        let id = action.id.value;
        let status = action.status.value;
        let sources: Vec<String> = action.financing().map(|f| f.source.clone()).collect();
        let mut touched: BTreeSet<&str> = BTreeSet::new();
        for code in action.leads() {
            let row = rows.entry(code).or_insert_with(|| empty(code));
            row.led += 1;
            row.led_actions.push(id);
            touched.insert(code);
        }
        for code in action.involved() {
            let row = rows.entry(code).or_insert_with(|| empty(code));
            row.involved_in += 1;
            row.involved_actions.push(id);
            touched.insert(code);
        }
        for code in touched {
            let row = rows.entry(code).or_insert_with(|| empty(code));
            *row.by_status.entry(status).or_default() += 1;
            row.funding.extend(sources.iter().cloned());
        }
        total.led += action.lead.value.len();
        total.involved_in += action.involved.value.len();
        *total.by_status.entry(status).or_default() += 1;
        total.funding.extend(sources);
    }
    let mut rows: Vec<PartnerRow> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        (b.led, b.involved_in)
            .cmp(&(a.led, a.involved_in))
            .then_with(|| a.partner.cmp(&b.partner))
    });
    rows.push(total);
    rows
}

/// One status's share.
#[derive(Clone, Debug, Serialize)]
pub struct StatusRow {
    /// The status.
    pub status: Status,
    /// How many actions have it.
    pub actions: usize,
    /// Their share of all actions, in percent.
    pub percent: f64,
    /// Which.
    pub ids: Ids,
}

/// A row per status, all six, in order.
#[must_use]
pub fn by_status(plan: &Plan) -> Vec<StatusRow> {
    let total = plan.actions.len().max(1) as f64;
    Status::ALL
        .iter()
        .map(|&status| {
            let ids: Ids = plan
                .actions
                .iter()
                .filter(|a| a.record.status.value == status)
                .map(|a| a.record.id.value)
                .collect();
            StatusRow {
                status,
                actions: ids.len(),
                percent: round1(ids.len() as f64 * 100.0 / total),
                ids,
            }
        })
        .collect()
}

/// One decimal, for percentages people read.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One funding source's share.
#[derive(Clone, Debug, Serialize)]
pub struct FundingRow {
    /// The source's code.
    pub source: String,
    /// Its name, when the registry knows it.
    pub name: Option<String>,
    /// How many actions it pays for, confirmed or tentative.
    pub actions: usize,
    /// How many of those are tentative.
    pub tentative: usize,
    /// Which actions.
    pub ids: Ids,
}

/// Funding: a row per source used, most actions first, and the actions with none.
#[derive(Clone, Debug, Serialize)]
pub struct FundingReport {
    /// Per source.
    pub sources: Vec<FundingRow>,
    /// Actions with no financing at all (the document's TBD).
    pub no_financing: Ids,
    /// Actions whose every source is tentative.
    pub only_tentative: Ids,
}

/// Who pays for what.
#[must_use]
pub fn by_financing(plan: &Plan) -> FundingReport {
    let mut rows: BTreeMap<String, FundingRow> = BTreeMap::new();
    let mut no_financing = Vec::new();
    let mut only_tentative = Vec::new();
    for loaded in &plan.actions {
        let action = &loaded.record;
        let id = action.id.value;
        if action.financing.value.is_empty() {
            no_financing.push(id);
        } else if action.financing().all(|f| f.tentative) {
            only_tentative.push(id);
        }
        for funding in action.financing() {
            let row = rows
                .entry(funding.source.clone())
                .or_insert_with(|| FundingRow {
                    source: funding.source.clone(),
                    name: plan
                        .funding
                        .get(&funding.source)
                        .map(|f| f.name().to_string()),
                    actions: 0,
                    tentative: 0,
                    ids: Vec::new(),
                });
            row.actions += 1;
            row.tentative += usize::from(funding.tentative);
            row.ids.push(id);
        }
    }
    let mut sources: Vec<FundingRow> = rows.into_values().collect();
    sources.sort_by(|a, b| {
        b.actions
            .cmp(&a.actions)
            .then_with(|| a.source.cmp(&b.source))
    });
    FundingReport {
        sources,
        no_financing,
        only_tentative,
    }
}

/// One place, with what happens there and in the places inside it.
#[derive(Clone, Debug, Serialize)]
pub struct PlaceRow {
    /// The place's code (`-` for actions whose place is undecided).
    pub place: String,
    /// Its name.
    pub name: Option<String>,
    /// region, country, border, …
    pub kind: Option<String>,
    /// How deep it sits under the regions (0 for a region of its own).
    pub depth: usize,
    /// The places that directly contain it.
    pub within: Vec<String>,
    /// Actions that name this place.
    pub direct: usize,
    /// Actions that name it or any place inside it, each once.
    pub total: usize,
    /// Which actions make up `total`.
    pub ids: Ids,
}

/// Places as a tree, outermost first; an action counts once per place it names, and rolls
/// up into every place that contains it. Places nothing happens in are left out.
#[must_use]
pub fn by_location(plan: &Plan) -> Vec<PlaceRow> {
    let mut direct: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut undecided = Vec::new();
    for loaded in &plan.actions {
        let action = &loaded.record;
        if action.locations.value.is_empty() {
            undecided.push(action.id.value);
        }
        for code in action.locations() {
            direct.entry(code).or_default().push(action.id.value);
        }
    }
    let entries = plan.places.entries();
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for place in entries {
        for parent in &place.within {
            children
                .entry(parent.value.as_str())
                .or_default()
                .push(&place.code.value);
        }
    }
    let roots: Vec<&str> = entries
        .iter()
        .filter(|p| p.within.iter().all(|w| plan.places.get(&w.value).is_none()))
        .map(|p| p.code.value.as_str())
        .collect();
    let mut rows = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(&str, usize)> = roots.iter().rev().map(|r| (*r, 0)).collect();
    while let Some((code, depth)) = stack.pop() {
        if !seen.insert(code) {
            continue;
        }
        let inside = plan.places.within_closure(code);
        let mut ids: Vec<i64> = inside
            .iter()
            .flat_map(|c| direct.get(c.as_str()).into_iter().flatten().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            let place = plan.places.get(code);
            rows.push(PlaceRow {
                place: code.to_string(),
                name: place.map(|p| p.name().to_string()),
                kind: place.and_then(|p| p.kind.as_ref()).map(|k| k.value.clone()),
                depth,
                within: place
                    .map(|p| p.within.iter().map(|w| w.value.clone()).collect())
                    .unwrap_or_default(),
                direct: direct.get(code).map_or(0, Vec::len),
                total: ids.len(),
                ids,
            });
        }
        for child in children.get(code).into_iter().flatten().rev() {
            stack.push((child, depth + 1));
        }
    }
    // Codes the registry does not know still count where they are named.
    let mut unknown: Vec<(&str, &Vec<i64>)> = direct
        .iter()
        .filter(|(code, _)| plan.places.get(code).is_none())
        .map(|(code, ids)| (*code, ids))
        .collect();
    unknown.sort_unstable();
    for (code, ids) in unknown {
        rows.push(PlaceRow {
            place: code.to_string(),
            name: None,
            kind: None,
            depth: 0,
            within: Vec::new(),
            direct: ids.len(),
            total: ids.len(),
            ids: ids.clone(),
        });
    }
    if !undecided.is_empty() {
        rows.push(PlaceRow {
            place: "-".into(),
            name: Some("undecided (TBD)".into()),
            kind: None,
            depth: 0,
            within: Vec::new(),
            direct: undecided.len(),
            total: undecided.len(),
            ids: undecided,
        });
    }
    rows
}

/// One action's place on the calendar.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineRow {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: Status,
    /// The timeline as written.
    pub timeline: String,
    /// The window it was read into; `None` when the timeline does not parse.
    pub window: Option<Window>,
    /// A condition in brackets, if any.
    pub condition: Option<String>,
}

/// The calendar of the whole plan.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineReport {
    /// First month shown.
    pub start: Month,
    /// Last month shown.
    pub end: Month,
    /// The date statuses are as of.
    pub as_of: NaiveDate,
    /// One row per action, by id.
    pub actions: Vec<TimelineRow>,
}

/// Every action's window over the plan's period (widened to every dated window, and to
/// `as_of`).
#[must_use]
pub fn timeline(plan: &Plan, as_of: NaiveDate) -> TimelineReport {
    let mut actions: Vec<TimelineRow> = plan
        .actions
        .iter()
        .map(|loaded| {
            let action = &loaded.record;
            let parsed = action.window().ok();
            TimelineRow {
                id: action.id.value,
                title: action.title.value.clone(),
                status: action.status.value,
                timeline: action.timeline.value.clone(),
                condition: parsed.as_ref().and_then(|t| t.condition.clone()),
                window: parsed.map(|t| t.window),
            }
        })
        .collect();
    actions.sort_by_key(|a| a.id);
    let as_of_month = Month::of_date(as_of);
    let period = plan.info.as_ref().map(|i| {
        (
            i.record.period.value.start.value,
            i.record.period.value.end.value,
        )
    });
    let dated = actions
        .iter()
        .filter_map(|a| a.window.as_ref())
        .flat_map(|w| [w.start(), w.end()])
        .flatten();
    let months: Vec<Month> = dated.chain([as_of_month]).collect();
    let (mut start, mut end) = period.unwrap_or((as_of_month, as_of_month));
    for month in months {
        start = start.min(month);
        end = end.max(month);
    }
    TimelineReport {
        start,
        end,
        as_of,
        actions,
    }
}

/// An action that should have finished and has not.
#[derive(Clone, Debug, Serialize)]
pub struct OverdueRow {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its lead partners.
    pub lead: Vec<String>,
    /// The timeline as written.
    pub timeline: String,
    /// Its status.
    pub status: Status,
    /// The month its window ended.
    pub ended: Month,
    /// Whole months between that month and `as_of`.
    pub months_late: i64,
}

/// What should have finished by `as_of` and has not, latest first.
#[must_use]
pub fn overdue(plan: &Plan, as_of: NaiveDate) -> Vec<OverdueRow> {
    let mut rows: Vec<OverdueRow> = plan
        .actions
        .iter()
        .map(|l| &*l.record)
        .filter(|a| !a.status.value.is_closed() && ends_before(a, as_of))
        .filter_map(|a| {
            let ended = a.window().ok()?.window.end()?;
            Some(OverdueRow {
                id: a.id.value,
                title: a.title.value.clone(),
                lead: a.leads().map(ToString::to_string).collect(),
                timeline: a.timeline.value.clone(),
                status: a.status.value,
                ended,
                months_late: ended.months_until(Month::of_date(as_of)),
            })
        })
        .collect();
    rows.sort_by(|a, b| b.months_late.cmp(&a.months_late).then(a.id.cmp(&b.id)));
    rows
}

/// A deadline coming up.
#[derive(Clone, Debug, Serialize)]
pub struct Deadline {
    /// The action's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The month its window ends.
    pub ends: Month,
    /// Its status.
    pub status: Status,
}

/// The plan on one screen.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// The plan's title.
    pub title: String,
    /// The date statuses are as of.
    pub as_of: NaiveDate,
    /// How many actions.
    pub actions: usize,
    /// Actions by status.
    pub by_status: Vec<StatusRow>,
    /// Completed actions, in percent of all.
    pub percent_complete: f64,
    /// Partners that lead or are involved in something.
    pub partners: usize,
    /// Partners that lead something.
    pub lead_partners: usize,
    /// Actions with no financing.
    pub no_financing: Ids,
    /// Actions whose every source is tentative.
    pub only_tentative: Ids,
    /// Actions overdue at `as_of`.
    pub overdue: Ids,
    /// The next deadlines at or after `as_of`, soonest first (at most five).
    pub next_deadlines: Vec<Deadline>,
    /// What `iisg validate` finds: errors.
    pub errors: usize,
    /// What `iisg validate` finds: warnings.
    pub warnings: usize,
}

/// The one-screen summary; `(errors, warnings)` are the validate counts.
#[must_use]
pub fn summary(plan: &Plan, as_of: NaiveDate, (errors, warnings): (usize, usize)) -> Summary {
    let statuses = by_status(plan);
    let completed = statuses
        .iter()
        .find(|s| s.status == Status::Completed)
        .map_or(0.0, |s| s.percent);
    let partners = by_partner(plan);
    let funding = by_financing(plan);
    let as_of_month = Month::of_date(as_of);
    let mut next: Vec<Deadline> = plan
        .actions
        .iter()
        .map(|l| &*l.record)
        .filter(|a| !a.status.value.is_closed())
        .filter_map(|a| {
            let ends = a.window().ok()?.window.end()?;
            (ends >= as_of_month).then(|| Deadline {
                id: a.id.value,
                title: a.title.value.clone(),
                ends,
                status: a.status.value,
            })
        })
        .collect();
    next.sort_by_key(|d| (d.ends, d.id));
    next.truncate(5);
    Summary {
        title: plan
            .info
            .as_ref()
            .map_or_else(String::new, |i| i.record.title.value.clone()),
        as_of,
        actions: plan.actions.len(),
        by_status: statuses,
        percent_complete: completed,
        partners: partners.len().saturating_sub(1),
        lead_partners: partners
            .iter()
            .filter(|p| p.partner != "TOTAL" && p.led > 0)
            .count(),
        no_financing: funding.no_financing,
        only_tentative: funding.only_tentative,
        overdue: overdue(plan, as_of).iter().map(|o| o.id).collect(),
        next_deadlines: next,
        errors,
        warnings,
    }
}

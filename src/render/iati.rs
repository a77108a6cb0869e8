//! The plan as an IATI 2.03 activity file: one `iati-activity` per action, with its
//! organisations by role, status, dates, recipient countries and the results of the
//! logframe rows it contributes to. The mappings are the README's tables.

use std::collections::HashSet;
use std::io;

use chrono::{NaiveDate, NaiveDateTime};

use super::xml::Xml;
use crate::analysis::results::{IndicatorResult, Results, RowResults};
use crate::model::{Action, Entry, Status, Value, Window};
use crate::store::{Plan, slug};

/// The organisation that publishes the file.
#[derive(Clone, Debug)]
pub struct Publisher {
    /// Its IATI organisation identifier; every activity identifier starts with it.
    pub reference: String,
    /// Its IATI `OrganisationType` code.
    pub kind: String,
    /// Its name.
    pub name: String,
}

/// An IATI `OrganisationType` code for a partner's `kind` in partners.yaml: `10`
/// government (national authorities, bilateral donors), `40` multilateral (EU agencies,
/// international organisations, regional initiatives and coordination bodies), `90` other.
#[must_use]
pub fn organisation_type(kind: Option<&str>) -> &'static str {
    match kind.unwrap_or_default() {
        "national-authority" | "donor" | "government" => "10",
        "eu-agency"
        | "international-organisation"
        | "regional-initiative"
        | "coordination-body" => "40",
        _ => "90",
    }
}

/// IATI `ActivityDateType` codes.
const PLANNED_START: &str = "1";
const ACTUAL_START: &str = "2";
const PLANNED_END: &str = "3";
const ACTUAL_END: &str = "4";

/// The IATI 2.03 `iati-activities` document of `plan`'s actions, in id order, generated at
/// `stamp` (UTC), written to `out` an activity at a time; `results` gives the logframe
/// rows' indicators.
pub fn activities(
    plan: &Plan,
    publisher: &Publisher,
    results: &Results,
    stamp: NaiveDateTime,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let stamp = stamp.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut xml = Xml::to(out);
    xml.open(
        "iati-activities",
        &[("version", "2.03"), ("generated-datetime", &stamp)],
    );
    let prefix = format!(
        "{}-{}",
        publisher.reference,
        plan.info
            .as_ref()
            .map(|i| slug(&i.record.title.value, 48))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "plan".into())
    );
    for loaded in super::document::actions_by_id(plan) {
        activity(
            &mut xml,
            plan,
            publisher,
            results,
            &loaded.record,
            (&prefix, &stamp),
        );
        xml.done()?;
    }
    xml.finish()
}

fn narrative(xml: &mut Xml, name: &'static str, attributes: &[(&str, &str)], text: &str) {
    xml.open(name, attributes);
    xml.text("narrative", &[], text);
    xml.close();
}

fn activity(
    xml: &mut Xml,
    plan: &Plan,
    publisher: &Publisher,
    results: &Results,
    action: &Action,
    (prefix, stamp): (&str, &str),
) {
    let id = action.id.value;
    xml.open(
        "iati-activity",
        &[("last-updated-datetime", stamp), ("xml:lang", "en")],
    );
    xml.text("iati-identifier", &[], &format!("{prefix}-{id}"));
    narrative(
        xml,
        "reporting-org",
        &[("ref", &publisher.reference), ("type", &publisher.kind)],
        &publisher.name,
    );
    narrative(xml, "title", &[], &action.title.value);
    let scope = action.scope().trim();
    let description = if scope.is_empty() {
        &action.title.value
    } else {
        scope
    };
    narrative(xml, "description", &[("type", "1")], description);
    for (role, name, kind) in organisations(plan, action) {
        let mut attributes = vec![("role", role)];
        if let Some(kind) = kind {
            attributes.push(("type", kind));
        }
        narrative(xml, "participating-org", &attributes, &name);
    }
    let status = action.status.value.iati_code().to_string();
    xml.empty("activity-status", &[("code", &status)]);
    for (kind, date) in dates(plan, action) {
        xml.empty(
            "activity-date",
            &[("type", kind), ("iso-date", &date.to_string())],
        );
    }
    let countries = countries(plan, action);
    let shares = percentages(countries.len());
    for ((code, name), share) in countries.iter().zip(shares) {
        narrative(
            xml,
            "recipient-country",
            &[("code", code), ("percentage", &share.to_string())],
            name,
        );
    }
    let mut seen = HashSet::new();
    for row in action.contributes_to().filter(|r| seen.insert(*r)) {
        if let Some(row) = results.rows.iter().find(|r| r.id == row) {
            result(xml, row);
        }
    }
    xml.close();
}

/// The organisations of an action by IATI role: each lead and involved partner
/// implementing (`4`); the provider of each confirmed funding source funding (`1`), or the
/// source itself when it names no provider. With each, its name and type.
fn organisations(
    plan: &Plan,
    action: &Action,
) -> Vec<(&'static str, String, Option<&'static str>)> {
    let mut out: Vec<(&'static str, String, Option<&'static str>)> = Vec::new();
    let partner = |code: &str| {
        plan.partners.get(code).map_or_else(
            || (code.to_string(), None),
            |p| {
                let kind = p.kind.as_ref().map(|k| k.value.as_str());
                (p.name().to_string(), Some(organisation_type(kind)))
            },
        )
    };
    for code in action.leads().chain(action.involved()) {
        let (name, kind) = partner(code);
        out.push(("4", name, kind));
    }
    for funding in action.financing().filter(|f| !f.tentative) {
        let source = plan.funding.get(&funding.source);
        let (name, kind) = match source.and_then(|s| s.provider.as_ref()) {
            Some(provider) => partner(&provider.value),
            None => (
                source.map_or_else(|| funding.source.clone(), |s| s.name().to_string()),
                None,
            ),
        };
        out.push(("1", name, kind));
    }
    let mut seen = HashSet::new();
    out.retain(|(role, name, _)| seen.insert((*role, name.clone())));
    out
}

/// The activity's dates: planned start and end from its timeline's window (a deadline
/// starts when the plan's period does; an action waiting on an event has the period's start
/// only); actual ones for what has happened — a completed action's window, an action in
/// progress's start — never after `as_of`, each start before its end.
fn dates(plan: &Plan, action: &Action) -> Vec<(&'static str, NaiveDate)> {
    let as_of = plan.as_of(None);
    let period_start = plan
        .info
        .as_ref()
        .map(|i| i.record.period.value.start.value.first_day());
    let window = action.window().ok().map(|t| t.window);
    let (start, end) = match &window {
        Some(Window::Within { start, end }) => (Some(start.first_day()), Some(end.last_day())),
        Some(Window::Deadline { end }) => (None, Some(end.last_day())),
        Some(Window::Event { .. }) | None => (None, None),
    };
    let planned_start = start.or(period_start.filter(|s| end.is_none_or(|e| *s <= e)));
    let mut dates = Vec::new();
    if let Some(date) = planned_start {
        dates.push((PLANNED_START, date));
    }
    let status = action.status.value;
    let actual_start =
        start.filter(|s| *s <= as_of && matches!(status, Status::Completed | Status::InProgress));
    if let Some(date) = actual_start {
        dates.push((ACTUAL_START, date));
    }
    if let Some(date) = end {
        dates.push((PLANNED_END, date));
    }
    if status == Status::Completed
        && let Some(date) = end.map(|e| e.min(as_of))
        && actual_start.is_none_or(|s| s <= date)
    {
        dates.push((ACTUAL_END, date));
    }
    if dates.is_empty() {
        // The schema wants a date: the day the statuses describe stands for the start.
        dates.push((PLANNED_START, as_of));
    }
    dates
}

/// The countries (ISO code and name) the action's places lie in: a place's own `iso`;
/// else the countries it lies within (a border: both sides); else the countries inside it
/// (a region). In the order first named, each once.
fn countries(plan: &Plan, action: &Action) -> Vec<(String, String)> {
    let places = &plan.places;
    let iso = |code: &str| {
        places.get(code).and_then(|p| {
            p.iso
                .as_ref()
                .map(|i| (i.value.clone(), p.name().to_string()))
        })
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for code in action.locations() {
        let mut found: Vec<(String, String)> = iso(code).into_iter().collect();
        if found.is_empty() {
            // Up through `within`, stopping at the first country on each way.
            let mut queue = vec![code.to_string()];
            let mut seen = HashSet::new();
            while let Some(next) = queue.pop() {
                for parent in places.get(&next).into_iter().flat_map(|p| &p.within) {
                    if !seen.insert(parent.value.clone()) {
                        continue;
                    }
                    match iso(&parent.value) {
                        Some(country) => found.push(country),
                        None => queue.push(parent.value.clone()),
                    }
                }
            }
        }
        if found.is_empty() {
            let mut inside: Vec<(String, String)> = places
                .within_closure(code)
                .iter()
                .filter_map(|c| iso(c))
                .collect();
            inside.sort();
            found = inside;
        }
        for country in found {
            if !out.iter().any(|(c, _)| *c == country.0) {
                out.push(country);
            }
        }
    }
    out
}

/// Whole percentages for `n` countries, summing to 100 (the first ones a point more).
fn percentages(n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let (each, more) = (100 / n, 100 % n);
    (0..n).map(|i| each + usize::from(i < more)).collect()
}

/// A logframe row's indicators as IATI results: those on the outcome and its objectives
/// one outcome result (type `2`), those on each output an output result (type `1`).
fn result(xml: &mut Xml, row: &RowResults) {
    let outcome: Vec<&IndicatorResult> = row
        .indicators
        .iter()
        .filter(|i| !i.level.starts_with("output"))
        .collect();
    if !outcome.is_empty() {
        result_of(xml, "2", &row.outcome, &outcome);
    }
    let mut outputs: Vec<(&str, &str)> = row
        .indicators
        .iter()
        .filter(|i| i.level.starts_with("output"))
        .map(|i| (i.level.as_str(), i.measures.as_str()))
        .collect();
    outputs.dedup();
    for (level, measures) in outputs {
        let indicators: Vec<&IndicatorResult> =
            row.indicators.iter().filter(|i| i.level == level).collect();
        result_of(xml, "1", measures, &indicators);
    }
}

fn result_of(xml: &mut Xml, kind: &str, title: &str, indicators: &[&IndicatorResult]) {
    xml.open("result", &[("type", kind), ("aggregation-status", "0")]);
    narrative(xml, "title", &[], title);
    for indicator in indicators {
        indicator_of(xml, indicator);
    }
    xml.close();
}

/// A value as an attribute when it is a number; words go into a comment.
fn valued(xml: &mut Xml, name: &'static str, mut attributes: Vec<(&str, String)>, value: &Value) {
    let number = value.number().is_some();
    if number {
        attributes.push(("value", value.0.trim().to_string()));
    }
    let attributes: Vec<(&str, &str)> = attributes.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if number {
        xml.empty(name, &attributes);
    } else {
        xml.open(name, &attributes);
        narrative(xml, "comment", &[], &value.0);
        xml.close();
    }
}

fn indicator_of(xml: &mut Xml, indicator: &IndicatorResult) {
    // IATI IndicatorMeasure: 1 unit, 5 qualitative.
    let measure = if indicator.unit.is_some() { "1" } else { "5" };
    let mut attributes = vec![("measure", measure)];
    let baseline = indicator.baseline.as_ref().and_then(|b| b.value.number());
    let target = indicator.targets.last().and_then(|t| t.value.number());
    if let (Some(b), Some(t)) = (baseline, target) {
        attributes.push(("ascending", if t >= b { "1" } else { "0" }));
    }
    xml.open("indicator", &attributes);
    narrative(xml, "title", &[], &indicator.text);
    if indicator.level != "outcome" {
        narrative(
            xml,
            "description",
            &[],
            &format!("{}: {}", indicator.level, indicator.measures),
        );
    }
    if let Some(b) = &indicator.baseline {
        let attributes = vec![
            ("year", b.year.to_string()),
            ("iso-date", format!("{}-01-01", b.year)),
        ];
        valued(xml, "baseline", attributes, &b.value);
    }
    // A period a calendar year: its target, and the latest value reported in it.
    let mut years: Vec<u32> = indicator.targets.iter().map(|t| t.year).collect();
    years.extend(indicator.progress.iter().map(|p| p.period.last().year()));
    years.sort_unstable();
    years.dedup();
    for year in years {
        xml.open("period", &[]);
        xml.empty("period-start", &[("iso-date", &format!("{year}-01-01"))]);
        xml.empty("period-end", &[("iso-date", &format!("{year}-12-31"))]);
        if let Some(t) = indicator.targets.iter().rev().find(|t| t.year == year) {
            valued(xml, "target", Vec::new(), &t.value);
        }
        if let Some(p) = indicator
            .progress
            .iter()
            .rev()
            .find(|p| p.period.last().year() == year)
        {
            valued(xml, "actual", Vec::new(), &p.value);
        }
        xml.close();
    }
    xml.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_a_hundred() {
        assert_eq!(percentages(1), [100]);
        assert_eq!(percentages(3), [34, 33, 33]);
        assert_eq!(percentages(7).iter().sum::<usize>(), 100);
        assert!(percentages(0).is_empty());
    }
}

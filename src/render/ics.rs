//! The plan as an iCalendar file (RFC 5545) for Outlook, Google Calendar and Thunderbird:
//! each action with a dated window, and each forum meeting with dates, an all-day event.
//!
//! - A window of months (`July 2019`, `Q2 2019`, `2019`) is an event over those days;
//!   a deadline (`By May 2019`) is a one-day event on its last day; a window that waits on
//!   an event (`After …`) has no dates and is left out.
//! - `UID` is the record and the plan's title: the same from one export to the next, so a
//!   calendar that imports the file again updates its events instead of doubling them.
//! - Dates are `VALUE=DATE`, `DTEND` the day after the last (the standard's exclusive end);
//!   lines end in CRLF and are folded at 75 octets, never inside a character; text is
//!   escaped, and control characters (which TEXT may not hold) become spaces.

use std::io;

use chrono::{NaiveDate, NaiveDateTime};

use super::Stream;
use crate::model::{Action, Entry, Registry, Status, Window};
use crate::store::{Loaded, Plan, slug};

/// The calendar of these actions (as `list` chose them) and of the plan's forum meetings,
/// stamped `now` (UTC), written to `out` an event at a time.
pub fn calendar(
    plan: &Plan,
    actions: &[&Loaded<Action>],
    now: NaiveDateTime,
    out: &mut Stream,
) -> io::Result<()> {
    let title = super::document::title(plan);
    let domain = format!("{}.iisg", slug(title, 48));
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(
        out,
        &format!("PRODID:-//iisg//iisg {}//EN", env!("CARGO_PKG_VERSION")),
    );
    line(out, "CALSCALE:GREGORIAN");
    property(out, "X-WR-CALNAME", title);
    for loaded in actions {
        let action = &loaded.record;
        let Ok(timeline) = action.window() else {
            continue;
        };
        let (first, last, due) = match timeline.window {
            Window::Within { start, end } => (start.first_day(), end.last_day(), false),
            Window::Deadline { end } => (end.last_day(), end.last_day(), true),
            Window::Event { .. } => continue,
        };
        let summary = if due {
            format!("Due: {}", action.title.value)
        } else {
            action.title.value.clone()
        };
        let event = Event {
            uid: format!("action-{}@{domain}", action.id.value),
            stamp: &stamp,
            first,
            last,
            summary,
            description: describe(plan, action),
            location: names(&plan.places, action.locations()),
            status: Some(match action.status.value {
                Status::Cancelled => "CANCELLED",
                Status::Completed | Status::InProgress => "CONFIRMED",
                Status::Requested | Status::Planned | Status::Postponed => "TENTATIVE",
            }),
        };
        event.write(out);
        out.done()?;
    }
    for forum in &plan.forums {
        let f = &forum.record;
        let (Some(start), end) = (&f.start, &f.end) else {
            continue;
        };
        let last = end
            .as_ref()
            .map_or(start.value, |e| e.value)
            .max(start.value);
        let event = Event {
            uid: format!("forum-{}@{domain}", f.code.value),
            stamp: &stamp,
            first: start.value,
            last,
            summary: f.name.value.clone(),
            description: format!(
                "{} needs raised ({} of Annex 1)",
                f.all_needs().len(),
                f.code.value
            ),
            location: names(&plan.places, f.place.iter().map(|p| p.value.as_str())),
            status: Some("CONFIRMED"),
        };
        event.write(out);
        out.done()?;
    }
    line(out, "END:VCALENDAR");
    out.done()
}

/// One all-day event.
struct Event<'a> {
    uid: String,
    stamp: &'a str,
    first: NaiveDate,
    last: NaiveDate,
    summary: String,
    description: String,
    location: String,
    status: Option<&'static str>,
}

impl Event<'_> {
    fn write(&self, out: &mut String) {
        let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
        let after = self.last.succ_opt().unwrap_or(self.last);
        line(out, "BEGIN:VEVENT");
        property(out, "UID", &self.uid);
        line(out, &format!("DTSTAMP:{}", self.stamp));
        line(out, &format!("DTSTART;VALUE=DATE:{}", day(self.first)));
        line(out, &format!("DTEND;VALUE=DATE:{}", day(after)));
        property(out, "SUMMARY", &self.summary);
        if !self.description.is_empty() {
            property(out, "DESCRIPTION", &self.description);
        }
        if !self.location.is_empty() {
            property(out, "LOCATION", &self.location);
        }
        if let Some(status) = self.status {
            line(out, &format!("STATUS:{status}"));
        }
        line(out, "TRANSP:TRANSPARENT");
        line(out, "END:VEVENT");
    }
}

/// The action's other fields, one a line, for the event's description.
fn describe(plan: &Plan, action: &Action) -> String {
    let mut lines = vec![
        format!("Lead: {}", names(&plan.partners, action.leads())),
        format!("Status: {}", action.status.value),
        format!("Timeline: {}", action.timeline.value),
    ];
    let involved = names(&plan.partners, action.involved());
    if !involved.is_empty() {
        lines.insert(1, format!("Involved: {involved}"));
    }
    if !action.scope().is_empty() {
        lines.push(format!("Scope: {}", action.scope()));
    }
    let financing: Vec<&crate::model::Funding> = action.financing().collect();
    if !financing.is_empty() {
        lines.push(format!(
            "Financing: {}",
            super::action::financing_text(&financing)
        ));
    }
    lines.push(format!("Action {} of the plan", action.id.value));
    lines.join("\n")
}

/// Each code with its name (`DCAF (Geneva Centre …)`), or as written when unknown.
fn names<'a, E: Entry>(registry: &Registry<E>, codes: impl Iterator<Item = &'a str>) -> String {
    codes
        .map(|code| match registry.get(code) {
            Some(entry) if entry.name() != code => format!("{} ({code})", entry.name()),
            _ => code.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A content line as it is (ASCII the caller built), CRLF-ended and folded at 75 octets.
fn line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        // The first line holds 75 octets; each continuation a space and 74.
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// `NAME:value`, the value escaped as TEXT, as a content line.
fn property(out: &mut String, name: &str, value: &str) {
    let mut text = format!("{name}:");
    for c in value.chars() {
        match c {
            '\\' => text.push_str("\\\\"),
            ';' => text.push_str("\\;"),
            ',' => text.push_str("\\,"),
            '\n' => text.push_str("\\n"),
            '\r' => {}
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => text.push(' '),
            c => text.push(c),
        }
    }
    line(out, &text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let mut text = String::new();
        property(&mut text, "SUMMARY", &"ž".repeat(60));
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "ž".repeat(60)));
    }

    #[test]
    fn text_is_escaped_and_controls_are_spaces() {
        let mut text = String::new();
        property(&mut text, "DESCRIPTION", "a;b,c\\d\ne\u{1b}[2Jf\r");
        assert_eq!(text, "DESCRIPTION:a\\;b\\,c\\\\d\\ne [2Jf\r\n");
    }
}

//! Actions as rows (for `list`) and as a full record with names (for `show`).

use serde::Serialize;

use super::Grid;
use crate::model::{Action, Entry, Funding, Registry, Status, Timeline};
use crate::store::{Loaded, Plan};

/// An action as `list --format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct ActionRow<'a> {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: &'a str,
    /// Lead partner codes.
    pub lead: Vec<&'a str>,
    /// Involved partner codes.
    pub involved: Vec<&'a str>,
    /// Location codes.
    pub locations: Vec<&'a str>,
    /// Scope, as written.
    pub scope: &'a str,
    /// Timeline, as written.
    pub timeline: &'a str,
    /// The timeline read into months; `null` when it does not parse.
    pub window: Option<Timeline>,
    /// Status.
    pub status: Status,
    /// Who requested it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<&'a str>,
    /// Funding entries.
    pub financing: Vec<&'a Funding>,
    /// Need ids it addresses.
    pub addresses: Vec<&'a str>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
    /// The file it is kept in.
    pub file: &'a str,
}

impl<'a> ActionRow<'a> {
    /// The row for a loaded action.
    #[must_use]
    pub fn new(loaded: &'a Loaded<Action>) -> Self {
        let action = &loaded.record;
        Self {
            id: action.id.value,
            title: &action.title.value,
            lead: action.leads().collect(),
            involved: action.involved().collect(),
            locations: action.locations().collect(),
            scope: action.scope(),
            timeline: &action.timeline.value,
            window: action.window().ok(),
            status: action.status.value,
            requested_by: action.requested_by.as_ref().map(|r| r.value.as_str()),
            financing: action.financing().collect(),
            addresses: action.addresses().collect(),
            notes: action.notes(),
            file: loaded.file.shown(),
        }
    }
}

/// The headers of the document's List of Actions, its nine columns.
pub const COLUMNS: [&str; 9] = [
    "#",
    "Action",
    "Lead",
    "Involved",
    "Location",
    "Scope",
    "Timeline",
    "Status",
    "Financing",
];

/// The nine columns of the document's List of Actions.
#[must_use]
pub fn grid(rows: &[ActionRow]) -> Grid {
    let mut grid = Grid::new(&COLUMNS)
        // On a narrow terminal: id, title and status always; then lead, timeline, place, …
        .dropping(&[0, 0, 1, 4, 3, 6, 2, 0, 5]);
    for row in rows {
        grid.push(cells(row));
    }
    grid
}

/// An action's cells in the List of Actions, one a column of [`COLUMNS`]: what an export
/// writes a row at a time.
#[must_use]
pub fn cells(row: &ActionRow) -> Vec<String> {
    vec![
        row.id.to_string(),
        row.title.to_string(),
        row.lead.join(", "),
        row.involved.join(", "),
        row.locations.join(", "),
        row.scope.to_string(),
        row.timeline.to_string(),
        status_text(row.status, row.requested_by),
        financing_text(&row.financing),
    ]
}

/// `requested (MNE)` for a request with its requester, else the status.
fn status_text(status: Status, requested_by: Option<&str>) -> String {
    match requested_by {
        Some(by) => format!("{status} ({by})"),
        None => status.to_string(),
    }
}

/// `IPA-II-2017, TAIEX?`: tentative sources carry a question mark, as the document writes.
#[must_use]
pub fn financing_text(financing: &[&Funding]) -> String {
    financing
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A code with the name behind it.
#[derive(Clone, Debug, Serialize)]
pub struct Named<'a> {
    /// The code as written in the file.
    pub code: &'a str,
    /// The registry's name for it; `null` when the registry does not know it.
    pub name: Option<&'a str>,
}

fn named<'a, E: Entry>(
    registry: &'a Registry<E>,
    codes: impl Iterator<Item = &'a str>,
) -> Vec<Named<'a>> {
    codes
        .map(|code| Named {
            code,
            name: registry.get(code).map(Entry::name),
        })
        .collect()
}

/// A funding entry with the source's name.
#[derive(Clone, Debug, Serialize)]
pub struct NamedFunding<'a> {
    /// The funding code.
    pub source: &'a str,
    /// The registry's name for it.
    pub name: Option<&'a str>,
    /// Whether it is not yet confirmed.
    pub tentative: bool,
}

/// A need with its text, and the logframe rows that answer it too.
#[derive(Clone, Debug, Serialize)]
pub struct NeedView<'a> {
    /// The need's id.
    pub id: &'a str,
    /// Its text; `null` when no forum has the need.
    pub text: Option<&'a str>,
}

/// A logframe row that answers a need the action answers.
#[derive(Clone, Debug, Serialize)]
pub struct RelatedRow<'a> {
    /// The row's id.
    pub id: i64,
    /// Its outcome.
    pub outcome: &'a str,
    /// The needs it shares with the action.
    pub shared_needs: Vec<&'a str>,
}

/// Everything `show` tells about one action.
#[derive(Clone, Debug, Serialize)]
pub struct ActionDetail<'a> {
    /// The action's fields, as `list` gives them.
    #[serde(flatten)]
    pub row: ActionRow<'a>,
    /// Lead partners with their names.
    pub lead_names: Vec<Named<'a>>,
    /// Involved partners with their names.
    pub involved_names: Vec<Named<'a>>,
    /// Places with their names.
    pub location_names: Vec<Named<'a>>,
    /// Funding with the sources' names.
    pub financing_names: Vec<NamedFunding<'a>>,
    /// The needs it addresses, with their text.
    pub needs: Vec<NeedView<'a>>,
    /// Logframe rows answering the same needs.
    pub logframe: Vec<RelatedRow<'a>>,
}

impl<'a> ActionDetail<'a> {
    /// Gathers the names, needs and logframe rows around an action.
    #[must_use]
    pub fn new(plan: &'a Plan, loaded: &'a Loaded<Action>) -> Self {
        let action = &loaded.record;
        let needs: Vec<NeedView> = action
            .addresses()
            .map(|id| NeedView {
                id,
                text: plan.forums.iter().find_map(|forum| {
                    forum
                        .record
                        .all_needs()
                        .into_iter()
                        .find(|(need, _)| need.id.value == id)
                        .map(|(need, _)| need.text.value.as_str())
                }),
            })
            .collect();
        let logframe = plan
            .logframe
            .iter()
            .filter_map(|row| {
                let shared: Vec<&str> = row
                    .record
                    .addresses()
                    .filter(|need| shares_need(need, &needs))
                    .collect();
                (!shared.is_empty()).then(|| RelatedRow {
                    id: row.record.id.value,
                    outcome: &row.record.outcome.value,
                    shared_needs: shared,
                })
            })
            .collect();
        Self {
            row: ActionRow::new(loaded),
            lead_names: named(&plan.partners, action.leads()),
            involved_names: named(&plan.partners, action.involved()),
            location_names: named(&plan.places, action.locations()),
            financing_names: action
                .financing()
                .map(|f| NamedFunding {
                    source: &f.source,
                    name: plan.funding.get(&f.source).map(Entry::name),
                    tentative: f.tentative,
                })
                .collect(),
            needs,
            logframe,
        }
    }

    /// A two-column table: field and value.
    #[must_use]
    pub fn grid(&self) -> Grid {
        let mut grid = Grid::new(&["Field", "Value"]);
        let mut add = |field: &str, value: String| {
            let value = if value.is_empty() {
                "—".into()
            } else {
                value
            };
            grid.push(vec![field.to_string(), value]);
        };
        let row = &self.row;
        add("Id", row.id.to_string());
        add("Title", row.title.to_string());
        add("Lead", named_lines(&self.lead_names));
        add("Involved", named_lines(&self.involved_names));
        add("Locations", named_lines(&self.location_names));
        add("Scope", row.scope.to_string());
        add("Timeline", timeline_text(row.timeline, row.window.as_ref()));
        add("Status", status_text(row.status, row.requested_by));
        add(
            "Financing",
            self.financing_names
                .iter()
                .map(|f| {
                    let name = f.name.unwrap_or("not in the funding registry");
                    let tentative = if f.tentative { " (tentative)" } else { "" };
                    format!("{} — {name}{tentative}", f.source)
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        add(
            "Addresses",
            self.needs
                .iter()
                .map(|n| format!("{} — {}", n.id, n.text.unwrap_or("no forum has this need")))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        add(
            "Logframe",
            self.logframe
                .iter()
                .map(|r| {
                    format!(
                        "{} — {} (via {})",
                        r.id,
                        r.outcome,
                        r.shared_needs.join(", ")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        if let Some(notes) = row.notes {
            add("Notes", notes.to_string());
        }
        add("File", row.file.to_string());
        grid
    }
}

/// Whether a logframe row's need is one of the action's, or a sub-item or parent of one
/// (`BP-7` and `BP-7a` answer the same need).
fn shares_need(need: &str, needs: &[NeedView]) -> bool {
    needs
        .iter()
        .any(|n| n.id == need || related_need(n.id, need) || related_need(need, n.id))
}

/// Whether `item` is a lettered sub-item of `parent` (`BP-7a` of `BP-7`).
fn related_need(parent: &str, item: &str) -> bool {
    item.strip_prefix(parent)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase()))
}

fn named_lines(names: &[Named]) -> String {
    names
        .iter()
        .map(|n| format!("{} — {}", n.code, n.name.unwrap_or("not in the registry")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn timeline_text(written: &str, window: Option<&Timeline>) -> String {
    let Some(timeline) = window else {
        return format!("{written} (not a timeline iisg can read)");
    };
    let months = match (&timeline.window.start(), &timeline.window.end()) {
        (Some(start), Some(end)) if start == end => format!("{start}"),
        (Some(start), Some(end)) => format!("{start} – {end}"),
        (None, Some(end)) => format!("due by the end of {end}"),
        _ => "waits on an event".to_string(),
    };
    if written == months {
        written.to_string()
    } else {
        format!("{written} ({months})")
    }
}

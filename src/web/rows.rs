//! The form that adds a logframe row (Annex 2), as `iisg add-logframe` adds one: the
//! outcome, up to [`SLOTS`] objectives each with its outputs (one a line), the needs it
//! answers, notes.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use maud::{Markup, html};

use super::forms::{not_added, saved};
use super::live::{self, Read};
use super::page::{self, Tab};
use super::widget::{self, Problems};
use super::write::{self, Create, Work};
use super::{Failure, Site, blocking, form, html_page, pages};
use crate::command::input;
use crate::model::{LogframeDraft, LogframeRow};
use crate::render::document;
use crate::store::{Actions, Plan, Texts, slug};

/// How many objectives the form offers.
const SLOTS: usize = 4;

/// The keys of a logframe row's file, for a finding to be shown beside its field.
const FIELDS: &[&str] = &["outcome", "addresses", "notes"];

pub fn routes() -> Router<Arc<Site>> {
    Router::new().route("/logframe/new", get(new_form).post(add))
}

/// What the form holds.
#[derive(Clone, Debug, Default)]
struct Values {
    outcome: String,
    objectives: Vec<(String, String)>,
    addresses: Vec<String>,
    notes: String,
}

impl Values {
    fn sent(pairs: &[(String, String)]) -> Self {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map_or_else(String::new, |(_, v)| v.clone())
        };
        Self {
            outcome: get("outcome"),
            objectives: (1..=SLOTS)
                .map(|n| (get(&format!("objective-{n}")), get(&format!("outputs-{n}"))))
                .collect(),
            addresses: pairs
                .iter()
                .filter(|(k, v)| k == "addresses" && !v.is_empty())
                .map(|(_, v)| v.clone())
                .collect(),
            notes: get("notes"),
        }
    }

    /// The draft, or what is wrong, field by field.
    fn draft(&self, plan: &Plan, problems: &mut Problems) -> Option<LogframeDraft> {
        let outcome = self
            .outcome
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if outcome.is_empty() {
            problems.field("outcome", "an outcome is needed".into());
        }
        let mut objectives = Vec::new();
        for (index, (objective, outputs)) in self.objectives.iter().enumerate() {
            let outputs: Vec<String> = outputs
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(ToString::to_string)
                .collect();
            match (objective.trim(), outputs.is_empty()) {
                ("", true) => {}
                ("", false) => problems.field(
                    &format!("objective-{}", index + 1),
                    "these outputs need the objective they belong to".into(),
                ),
                (text, _) => objectives.push((text.to_string(), outputs)),
            }
        }
        let addresses = match input::needs(plan, &self.addresses) {
            Ok(needs) => needs,
            Err(error) => {
                problems.field("addresses", error.to_string());
                Vec::new()
            }
        };
        let id = plan.next_id::<LogframeRow>();
        if id.is_none() {
            problems
                .general
                .push("no id is left for a new logframe row".into());
        }
        if !problems.is_empty() {
            return None;
        }
        Some(LogframeDraft {
            id: id?,
            outcome,
            addresses,
            objectives,
            notes: Some(self.notes.trim().to_string()).filter(|n| !n.is_empty()),
        })
    }
}

/// The plan as the form needs it: the needs, and the rows for the next id.
fn read(site: &Site) -> Result<Read, Failure> {
    site.needs_writer()?;
    live::afresh(site, Actions::None, Texts::Drop)
}

fn new_page(site: &Site, plan: &Read, values: &Values, problems: &Problems) -> Markup {
    let needs = widget::needs(plan);
    let empty = (String::new(), String::new());
    let body = html! {
        p.help { "The outcome is needed; give each objective its outputs, one a line. The row is checked as "
            code { "iisg add-logframe" } " checks it, and nothing is written if it is refused." }
        (widget::summary(problems))
        form.record method="post" action="/logframe/new" {
            (widget::hidden(&site.visitor().csrf, None))
            (widget::area(("outcome", "Outcome"), &values.outcome, problems))
            @for n in 1..=SLOTS {
                @let (objective, outputs) = values.objectives.get(n - 1).unwrap_or(&empty);
                (widget::line((&format!("objective-{n}"), &format!("Objective {n}"), None), objective, false, problems))
                (widget::area((&format!("outputs-{n}"), &format!("Outputs of objective {n}")), outputs, problems))
            }
            (widget::choice(("addresses", "Addresses", Some("choose several with Ctrl (⌘ on a Mac)")), &needs, &values.addresses, true, problems))
            (widget::area(("notes", "Notes"), &values.notes, problems))
            (widget::save("/logframe"))
        }
    };
    page::live_frame(
        plan.version.as_deref(),
        document::title(plan),
        "New logframe row",
        Tab::Logframe,
        &body,
    )
}

async fn new_form(State(site): State<Arc<Site>>) -> Response {
    let result = blocking(site, move |site| {
        let plan = read(site)?;
        Ok(new_page(
            site,
            &plan,
            &Values::default(),
            &Problems::default(),
        ))
    })
    .await;
    match result {
        Ok(markup) => html_page(StatusCode::OK, &markup),
        Err(failure) => pages::failure(&failure),
    }
}

async fn add(State(site): State<Arc<Site>>, body: Bytes) -> Response {
    blocking(site, move |site| Ok(added(site, &body)))
        .await
        .unwrap_or_else(|failure| pages::failure(&failure))
}

fn added(site: &Site, body: &[u8]) -> Response {
    let values = Values::sent(&form::pairs(body));
    let plan = match read(site) {
        Ok(plan) => plan,
        Err(failure) => return pages::failure(&failure),
    };
    let mut problems = Problems::default();
    let refuse =
        |status, problems: &Problems| html_page(status, &new_page(site, &plan, &values, problems));
    let Some(draft) = values.draft(&plan, &mut problems) else {
        return refuse(write::REJECTED, &problems);
    };
    let slug = slug(&draft.outcome, 48);
    let work = Work {
        changes: Vec::new(),
        message: String::new(),
        registry: None,
        create: Some(Create::Logframe(draft, slug)),
    };
    match write::write(site, |_| Ok(Some(work))) {
        Ok(Some(written)) => saved("/logframe", Some(&written)),
        Ok(None) => pages::failure(&Failure::not_found("/logframe/new")),
        Err(not) => not_added(not, &mut problems, FIELDS, &refuse),
    }
}

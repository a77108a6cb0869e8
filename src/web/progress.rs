//! The form that reports a value of an indicator for a period, as `iisg progress add` does:
//! what a partner's focal point sends after each quarter.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use maud::{Markup, html};

use super::api::id_of;
use super::forms::{not_added, saved};
use super::live::{self, Read};
use super::page::{self, Tab};
use super::widget::{self, Problems};
use super::write::{self, Work};
use super::{Failure, Site, blocking, form, html_page, pages};
use crate::command::indicator::Row;
use crate::command::progress::{self, About, Subcommand, ValueArgs, Which};
use crate::model::{LogframeRow, ReportingPeriod};
use crate::store::{Actions, Texts};

/// The keys of a logframe row's file, for a finding to be shown beside its field.
const FIELDS: &[&str] = &["indicators"];

pub fn routes() -> Router<Arc<Site>> {
    Router::new().route("/logframe/{id}/progress", get(new_form).post(add))
}

/// What the form holds, as sent.
#[derive(Clone, Debug, Default)]
struct Values {
    indicator: String,
    period: String,
    value: String,
    source: String,
    date: String,
    note: String,
}

impl Values {
    fn sent(body: &[u8]) -> Self {
        let get = |name| form::value(body, name);
        Self {
            indicator: get("indicator"),
            period: get("period"),
            value: get("value"),
            source: get("source"),
            date: get("date"),
            note: get("note"),
        }
    }

    /// `iisg progress add`'s arguments, or what is wrong, field by field.
    fn args(&self, logframe: i64, problems: &mut Problems) -> Option<progress::Args> {
        let indicator = self.indicator.trim().parse::<usize>().ok();
        if indicator.is_none() {
            problems.field("indicator", "choose the indicator".into());
        }
        let period = ReportingPeriod::parse(&self.period);
        if period.is_none() {
            problems.field(
                "period",
                format!(
                    "`{}` is not a period: {}",
                    self.period.trim(),
                    crate::model::PERIOD_FORMS
                ),
            );
        }
        if self.value.trim().is_empty() {
            problems.field("value", "a value is needed".into());
        }
        let date = match self.date.trim() {
            "" => None,
            text => {
                let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
                if date.is_none() {
                    problems.field("date", format!("`{text}` is not a day (YYYY-MM-DD)"));
                }
                date
            }
        };
        let text = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        Some(progress::Args {
            command: Subcommand::Add(ValueArgs {
                which: Which {
                    row: Row { logframe },
                    indicator: indicator?,
                    period: period?,
                },
                value: self.value.trim().to_string(),
                about: About {
                    source: text(&self.source),
                    date,
                    note: text(&self.note),
                },
            }),
        })
        .filter(|_| problems.is_empty())
    }
}

fn read(site: &Site) -> Result<Read, Failure> {
    site.needs_writer()?;
    live::afresh(site, Actions::None, Texts::Keep)
}

fn new_page(
    site: &Site,
    plan: &Read,
    id: i64,
    values: &Values,
    problems: &Problems,
) -> Result<Markup, Failure> {
    let row = plan
        .logframe
        .iter()
        .find(|r| r.record.id.value == id)
        .ok_or_else(|| Failure::not_found(&format!("/logframe/{id}/progress")))?;
    let indicators: Vec<(String, String)> = crate::store::indicators::drafts(&row.record)
        .iter()
        .enumerate()
        .map(|(index, i)| {
            (
                (index + 1).to_string(),
                format!("{} — {}", index + 1, i.text),
            )
        })
        .collect();
    let heading = format!("Report progress: logframe row {id}");
    let body = html! {
        p.help { (page::text(&row.record.outcome.value)) }
        @if indicators.is_empty() {
            p { "This row has no indicator yet: add one with "
                code { "iisg indicator add --logframe " (id) " --text …" } "." }
        } @else {
            p.help { "A value for one reporting period, checked as "
                code { "iisg progress add" } " checks it; nothing is written if it is refused." }
            (widget::summary(problems))
            form.record method="post" action={ "/logframe/" (id) "/progress" } {
                (widget::hidden(&site.visitor().csrf, None))
                (widget::choice(("indicator", "Indicator", None), &indicators, std::slice::from_ref(&values.indicator), false, problems))
                (widget::line(("period", "Period", Some("a month 2019-05, a quarter 2019-Q2 or a year 2019")), &values.period, true, problems))
                (widget::line(("value", "Value", Some("a number, or words for a qualitative indicator")), &values.value, true, problems))
                (widget::line(("source", "Source", None), &values.source, false, problems))
                (widget::date(("date", "Date"), &values.date, problems))
                (widget::area(("note", "Note"), &values.note, problems))
                (widget::save("/report/results"))
            }
        }
    };
    Ok(page::live_frame(
        plan.version.as_deref(),
        crate::render::document::title(plan),
        &heading,
        Tab::Logframe,
        &body,
    ))
}

async fn new_form(State(site): State<Arc<Site>>, Path(id): Path<String>) -> Response {
    let result = blocking(site, move |site| {
        let id = id_of(&id)?;
        let plan = read(site)?;
        new_page(site, &plan, id, &Values::default(), &Problems::default())
    })
    .await;
    match result {
        Ok(markup) => html_page(StatusCode::OK, &markup),
        Err(failure) => pages::failure(&failure),
    }
}

async fn add(State(site): State<Arc<Site>>, Path(id): Path<String>, body: Bytes) -> Response {
    blocking(site, move |site| {
        let id = id_of(&id)?;
        let values = Values::sent(&body);
        let plan = read(site)?;
        let mut problems = Problems::default();
        let refuse =
            |status, problems: &Problems| match new_page(site, &plan, id, &values, problems) {
                Ok(markup) => html_page(status, &markup),
                Err(failure) => pages::failure(&failure),
            };
        let Some(args) = values.args(id, &mut problems) else {
            return Ok(refuse(write::REJECTED, &problems));
        };
        let written = write::write(site, |plan| {
            let (change, done) = progress::planned(plan, &args)?;
            Ok(Some(Work::plain(
                vec![change],
                format!("logframe row {id}: {done}"),
            )))
        });
        Ok(match written {
            Ok(written) => saved("/logframe", written.as_ref()),
            Err(not) => not_added(not, &mut problems, FIELDS, &refuse),
        })
    })
    .await
    .unwrap_or_else(|failure| pages::failure(&failure))
}

/// Whether logframe row `row` has an indicator to report on.
#[must_use]
pub fn reportable(row: &LogframeRow) -> bool {
    !crate::store::indicators::drafts(row).is_empty()
}

//! `/api/…`: what the matching `--format json` prints, to the byte, through the same
//! functions; a failure as `{"error": …, "help": …}`.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::live::Snapshot;
use super::{Failure, Site, blocking, query, typed};
use crate::command::{list, report, validate};
use crate::error::Error;
use crate::render::{self, action::ActionDetail, action::ActionRow};

/// `list`'s filter flags, as query parameters.
pub const LIST_FLAGS: &[&str] = &[
    "status",
    "partner",
    "lead",
    "location",
    "financing",
    "due-before",
    "as-of",
    "search",
];
/// `list`'s switches.
pub const LIST_SWITCHES: &[&str] = &["overdue"];
/// The reports of `report --by-…`, by the name of their flag.
pub const REPORTS: &[&str] = &[
    "by-partner",
    "by-status",
    "by-financing",
    "by-location",
    "timeline",
    "coverage",
    "overlaps",
    "overdue",
    "results",
];

pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/api/actions", get(actions))
        .route("/api/actions/{id}", get(action))
        .route("/api/findings", get(findings))
        .route("/api/report", get(summary))
        .route("/api/report/{kind}", get(one_report))
        .route("/api", get(unknown))
        .route("/api/{*rest}", get(unknown))
}

/// `list … --format json`.
async fn actions(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    streamed(site, move |site| {
        let pairs = query::pairs(raw.as_deref().unwrap_or_default());
        let args: list::Args = query::args(&[], &pairs, LIST_FLAGS, LIST_SWITCHES)?;
        let now = site.cache.snapshot()?;
        let filter = list::filter(&args.filters, &now.plan)?;
        Ok(Box::new(move |out| {
            let rows: Vec<ActionRow> = list::matching(&now.plan, &filter)
                .into_iter()
                .map(ActionRow::new)
                .collect();
            render::write_json(out, &rows)
        }))
    })
    .await
}

/// `show ID --format json`, with the `ETag` of the action's file.
async fn action(State(site): State<Arc<Site>>, Path(id): Path<String>) -> Response {
    match blocking(site, move |site| shown(site, id_of(&id)?)).await {
        Ok((json, tag)) => tagged(StatusCode::OK, &json, &tag),
        Err(failure) => self::failure(&failure),
    }
}

/// `show ID --format json` as the plan is now, and the `ETag` of the action's file (noted
/// as handed out).
pub fn shown(site: &Site, id: i64) -> Result<(String, String), Failure> {
    let (now, text) = one_action(site, id)?;
    let action = now.plan.action(id).ok_or(Error::NoSuchAction(id))?;
    let tag = site.seen.note(&text);
    Ok((render::json(&ActionDetail::new(&now.plan, action)), tag))
}

/// The plan with action `id`, its file stat'ed anew first so that its record is the one
/// its text (also given, for the `ETag`) holds.
pub fn one_action(site: &Site, id: i64) -> Result<(Arc<Snapshot>, String), Failure> {
    let now = site.cache.snapshot()?;
    let file = now
        .plan
        .action(id)
        .ok_or(Error::NoSuchAction(id))?
        .file
        .clone();
    let now = site.cache.snapshot_with(&file)?;
    let action = now.plan.action(id).ok_or(Error::NoSuchAction(id))?;
    let text = std::fs::read_to_string(action.file.path()).map_err(Error::from)?;
    Ok((now, text))
}

/// JSON with an `ETag`, cleaned as every command's output is.
pub fn tagged(status: StatusCode, json: &str, tag: &str) -> Response {
    let mut response = typed(
        status,
        "application/json",
        render::terminal::clean(json).into_owned(),
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(tag) {
        response
            .headers_mut()
            .insert(axum::http::header::ETAG, value);
    }
    response
}

/// `validate --format json`.
async fn findings(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    streamed(site, move |site| {
        let (now, options, first) = check(site, raw.as_deref())?;
        Ok(Box::new(move |out| {
            // Each action's findings are found again as they are written, not held.
            let findings = crate::check::Listing::new(&now.plan, options, first);
            render::write_json(out, &findings)
        }))
    })
    .await
}

/// `report --format json`: the summary.
async fn summary(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    answer(site, move |site| {
        Ok(read_report(site, None, raw.as_deref())?.1.json())
    })
    .await
}

/// `report --KIND --format json`.
async fn one_report(
    State(site): State<Arc<Site>>,
    Path(kind): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    streamed(site, move |site| {
        let json = read_report(site, Some(&kind), raw.as_deref())?.1.json();
        Ok(Box::new(move |out| out.write_all(json.as_bytes())))
    })
    .await
}

async fn unknown(uri: axum::http::Uri) -> Response {
    failure(&Failure::not_found(uri.path()))
}

/// An id in a path, read as `show ID` reads it: a bad one is no page (404), with the
/// command's message.
pub fn id_of(text: &str) -> Result<i64, Failure> {
    crate::model::parse_id(text).map_err(|reason| Failure {
        status: StatusCode::NOT_FOUND,
        error: format!("`{text}` is not an id: {reason}"),
        help: Some("the actions are listed at `/actions`".into()),
    })
}

/// What `validate`'s findings are made of, with `--as-of` from the query: the plan, the
/// rules' options, and a change a killed iisg left half-made, told first.
pub fn check(
    site: &Site,
    raw: Option<&str>,
) -> Result<
    (
        Arc<Snapshot>,
        crate::check::Options,
        Vec<crate::diagnostic::Diagnostic>,
    ),
    Failure,
> {
    let pairs = query::pairs(raw.unwrap_or_default());
    let args: validate::Args = query::args(&[], &pairs, &["as-of"], &[])?;
    let interrupted = validate::interrupted(&site.dir, site.lock_timeout);
    let now = site.cache.snapshot()?;
    let as_of = now.plan.as_of(args.as_of);
    Ok((
        now,
        crate::check::Options { as_of },
        interrupted.into_iter().collect(),
    ))
}

/// The report of `--KIND` (none: the summary), with `--as-of` from the query; an unknown
/// kind is no page.
pub fn read_report(
    site: &Site,
    kind: Option<&str>,
    raw: Option<&str>,
) -> Result<(Arc<Snapshot>, report::Data), Failure> {
    let flag = match kind {
        Some(kind) if REPORTS.contains(&kind) => Some(format!("--{kind}")),
        Some(kind) => {
            return Err(Failure {
                status: StatusCode::NOT_FOUND,
                error: format!("no report is called `{kind}`"),
                help: Some(format!("the reports: {}", REPORTS.join(", "))),
            });
        }
        None => None,
    };
    let pairs = query::pairs(raw.unwrap_or_default());
    let fixed: Vec<&str> = flag.iter().map(String::as_str).collect();
    let args: report::Args = query::args(&fixed, &pairs, &["as-of"], &[])?;
    let now = site.cache.snapshot()?;
    let data = report::Data::new(&args, &now.plan);
    Ok((now, data))
}

/// Runs `work` and answers with its JSON, or the failure as JSON. The body passes through
/// the cleaning every command's standard output passes through, so that the bytes are the
/// CLI's.
async fn answer(
    site: Arc<Site>,
    work: impl FnOnce(&Site) -> Result<String, Failure> + Send + 'static,
) -> Response {
    match blocking(site, work).await {
        Ok(json) => typed(
            StatusCode::OK,
            "application/json",
            render::terminal::clean(&json).into_owned(),
        ),
        Err(failure) => self::failure(&failure),
    }
}

/// Runs `work` and answers with the JSON it writes, sent as it is written, or the failure
/// as JSON. The body passes through the same cleaning as [`answer`]'s.
async fn streamed(
    site: Arc<Site>,
    work: impl FnOnce(&Site) -> Result<super::stream::Writing, Failure> + Send + 'static,
) -> Response {
    super::stream::answer(site, "application/json", failure, work).await
}

/// `{"error": …, "help": …}` with the failure's status.
pub fn failure(failure: &Failure) -> Response {
    let body = serde_json::json!({ "error": failure.error, "help": failure.help });
    typed(failure.status, "application/json", render::json(&body))
}

//! The API's writes: `POST /api/actions` (the fields of `add-action`) and
//! `PATCH /api/actions/ID` (the fields to change, as `edit` takes them), each answered with
//! what `show ID --format json` prints; `GET /api/session` gives the token they need.
//! A change must name the version it changes (`If-Match`); a refused one answers 422 with
//! the findings, as `validate --format json` has them.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::{get, patch, post};

use super::api::{self, id_of, shown, tagged};
use super::write::{self, NotWritten, Work, Written};
use super::{Failure, Site, blocking, form, typed};
use crate::command::{add_action, edit};
use crate::model::{Action, ActionDraft};
use crate::render;
use crate::store::{Change, Plan, parse_record, slug};

pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/api/session", get(session))
        .route("/api/actions", post(add))
        .route("/api/actions/{id}", patch(change).delete(delete))
}

/// `{"csrf": "…"}`: the token every unsafe request needs. No page of another site can
/// read it: the server sends no CORS header, and answers only under its own `Host`.
///
/// With `--users`, it also says who is logged in: `{"csrf": …, "user": {"name": …,
/// "email": …, "role": …}}`.
async fn session(State(site): State<Arc<Site>>) -> Response {
    let visitor = site.visitor();
    let body = match &visitor.user {
        None => render::json(&serde_json::json!({ "csrf": visitor.csrf })),
        Some(user) => render::json(&serde_json::json!({
            "csrf": visitor.csrf,
            "user": { "name": user.name, "email": user.email, "role": user.role.as_str() },
        })),
    };
    typed(StatusCode::OK, "application/json", body)
}

/// The body, when it says it is JSON.
fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<form::Fields, Failure> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if !json {
        return Err(Failure {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            error: "the body must be JSON (`Content-Type: application/json`)".into(),
            help: None,
        });
    }
    form::from_json(body)
}

/// `POST /api/actions`: a new action, as `add-action` adds it; 201 with `show`'s JSON.
async fn add(State(site): State<Arc<Site>>, headers: HeaderMap, body: Bytes) -> Response {
    let result = blocking(site, move |site| {
        Ok((|| {
            let args = form::add_args(&json_body(&headers, &body)?)?;
            let written = write::write(site, |plan| new_action(plan, &args).map(Some))
                .map_err(refused)?
                .ok_or_else(|| Answer::Failure(Failure::not_found("/api/actions")))?;
            let (json, tag) = shown(site, written.id.unwrap_or_default())?;
            Ok::<_, Answer>((json, tag, written))
        })())
    })
    .await;
    match result.map_err(Answer::from).and_then(|r| r) {
        Ok((json, tag, written)) => {
            let id = written.id.unwrap_or_default();
            let mut response = with_git(tagged(StatusCode::CREATED, &json, &tag), &written);
            if let Ok(location) = HeaderValue::from_str(&format!("/api/actions/{id}")) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(failure) => failure.into_response(),
    }
}

/// The work of adding the action `args` describe.
pub fn new_action(plan: &mut Plan, args: &add_action::Args) -> Result<Work, NotWritten> {
    let (draft, registries) = add_action::draft(plan, args)?;
    let slug = slug(&draft.title, 48);
    Ok(Work {
        changes: registries,
        message: String::new(),
        registry: None,
        create: Some(write::Create::Action(draft, slug)),
    })
}

/// `PATCH /api/actions/ID`: the fields given changed, as `edit` changes them, in the order
/// given; 200 with `show`'s JSON.
async fn change(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = blocking(site, move |site| Ok(patched(site, &id, &headers, &body))).await;
    match result.map_err(Answer::from).and_then(|r| r) {
        Ok((json, tag, Some(written))) => with_git(tagged(StatusCode::OK, &json, &tag), &written),
        Ok((json, tag, None)) => tagged(StatusCode::OK, &json, &tag),
        Err(answer) => answer.into_response(),
    }
}

/// The `PATCH`: the JSON and `ETag` of the action after it, and what was written.
fn patched(
    site: &Site,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(String, String, Option<Written>), Answer> {
    let id = id_of(id)?;
    let Some(had) = headers.get(header::IF_MATCH) else {
        return Err(Answer::from(Failure {
            status: StatusCode::PRECONDITION_REQUIRED,
            error: format!(
                "a change to action {id} must say which version it changes: send \
                     `If-Match` with its `ETag`; nothing was written"
            ),
            help: Some(format!(
                "`GET /api/actions/{id}` gives the `ETag` of the action as it is now"
            )),
        }));
    };
    let had = String::from_utf8_lossy(had.as_bytes()).trim().to_string();
    let (args, owned) = form::edit_args(id, &json_body(headers, body)?)?;
    let steps = form::steps(&owned);
    let written = write::write(site, |plan| {
        let edited = edit::edited(plan, &args, &steps)?;
        if had != "*"
            && !had
                .split(',')
                .any(|t| t.trim() == write::etag(&edited.loaded.file.text))
        {
            return Err(stale(site, &edited.loaded, &had));
        }
        let Some(change) = edited.change()? else {
            return Ok(None);
        };
        let changes = edited.old.changes(&edited.new);
        let message = write::message(&format!("action {id}"), &changes);
        Ok(Some(Work::plain(vec![change], message)))
    })
    .map_err(refused)?;
    let (json, tag) = shown(site, id)?;
    Ok((json, tag, written))
}

/// `DELETE /api/actions/ID`, with `If-Match`: the action's file removed, as `iisg remove ID
/// --yes` removes it; 204.
async fn delete(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = blocking(site, move |site| Ok(deleted(site, &id, &headers))).await;
    match result.map_err(Answer::from).and_then(|r| r) {
        Ok(written) => {
            let response = (StatusCode::NO_CONTENT, ()).into_response();
            match written {
                Some(written) => with_git(response, &written),
                None => response,
            }
        }
        Err(answer) => answer.into_response(),
    }
}

fn deleted(site: &Site, id: &str, headers: &HeaderMap) -> Result<Option<Written>, Answer> {
    let id = id_of(id)?;
    let Some(had) = headers.get(header::IF_MATCH) else {
        return Err(Answer::from(Failure {
            status: StatusCode::PRECONDITION_REQUIRED,
            error: format!(
                "removing action {id} must say which version it removes: send `If-Match` \
                 with its `ETag`; nothing was removed"
            ),
            help: Some(format!(
                "`GET /api/actions/{id}` gives the `ETag` of the action as it is now"
            )),
        }));
    };
    let had = String::from_utf8_lossy(had.as_bytes()).trim().to_string();
    write::write(site, |plan| Ok(Some(removal(site, plan, id, &had)?))).map_err(refused)
}

/// The removal of action `id`'s file, when `had` (an `If-Match`) names its version.
///
/// # Errors
/// No such action; the action changed since that version.
pub fn removal(site: &Site, plan: &Plan, id: i64, had: &str) -> Result<Work, NotWritten> {
    let loaded = plan
        .action(id)
        .ok_or(crate::error::Error::NoSuchAction(id))?;
    if had != "*"
        && !had
            .split(',')
            .any(|t| t.trim() == write::etag(&loaded.file.text))
    {
        return Err(stale(site, loaded, had));
    }
    let change = Change::Remove {
        relative: loaded.relative(),
        old: loaded.file.text.clone(),
    };
    let message = format!("action {id}: removed: {}", loaded.record.title.value);
    Ok(Work::plain(vec![change], message))
}

/// The refusal of a write sent against a version of the action that is not the one on
/// disk: what changed since, when the version sent is known.
pub fn stale(site: &Site, loaded: &crate::store::Loaded<Action>, had: &str) -> NotWritten {
    let now = ActionDraft::from(&*loaded.record);
    let changes = site
        .seen
        .text(had)
        .and_then(|text| parse_record::<Action>(&text, loaded.file.shown()).ok())
        .map(|then| ActionDraft::from(&then).changes(&now))
        .unwrap_or_default();
    let id = now.id;
    let said: Vec<String> = changes
        .iter()
        .map(crate::model::FieldChange::said)
        .collect();
    let message = if said.is_empty() {
        format!("action {id} changed since it was read; nothing was written")
    } else {
        format!(
            "action {id} changed since it was read ({}); nothing was written",
            said.join("; ")
        )
    };
    NotWritten::Stale {
        message,
        changes,
        etag: site.seen.note(&loaded.file.text),
    }
}

/// A failure, or a refusal with its findings.
#[derive(Debug)]
pub enum Answer {
    /// As every API failure.
    Failure(Failure),
    /// 422 with the findings, or 412 with what changed.
    Body(StatusCode, serde_json::Value),
}

impl From<Failure> for Answer {
    fn from(failure: Failure) -> Self {
        Self::Failure(failure)
    }
}

impl Answer {
    fn into_response(self) -> Response {
        match self {
            Self::Failure(failure) => api::failure(&failure),
            Self::Body(status, body) => typed(status, "application/json", render::json(&body)),
        }
    }
}

/// A write not made, as the API tells it.
fn refused(not: NotWritten) -> Answer {
    match not {
        NotWritten::Failed(failure) => Answer::Failure(failure),
        NotWritten::Rejected {
            error, findings, ..
        } => Answer::Body(
            write::REJECTED,
            serde_json::json!({
                "error": error,
                "help": "fix what the findings name, then send the change again",
                "findings": findings,
            }),
        ),
        NotWritten::Stale {
            message,
            changes,
            etag,
        } => Answer::Body(
            StatusCode::PRECONDITION_FAILED,
            serde_json::json!({
                "error": message,
                "help": "read the action again and send the change against its new `ETag`",
                "etag": etag,
                "changes": changes,
            }),
        ),
    }
}

/// The response, saying what became of the git commit (`--commit`): `X-Git-Commit` with its
/// hash, or `X-Git-Commit-Error` with why there is none; the write stays either way.
pub fn with_git(mut response: Response, written: &Written) -> Response {
    let (name, value) = match &written.git {
        None => return response,
        Some(Ok(hash)) => ("x-git-commit", hash.clone()),
        Some(Err(why)) => ("x-git-commit-error", why.replace(['\r', '\n'], " ")),
    };
    let value = render::terminal::clean(&value).into_owned();
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(name, value);
    }
    response
}

//! The action forms: `/actions/ID/edit` changes an action as `edit` does, `/actions/new`
//! adds one as `add-action` does, through the same write as the API. A saved form sends
//! the browser on to the action (303, "Saved"); a refused one comes back (422) with what
//! was typed and the validate message beside its field; a form loaded from a version that
//! is no longer on disk is refused (409) and shows the action as it is now.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};

use super::api::id_of;
use super::api_write::{new_action, stale};
use super::form::{self, Given};
use super::live::{self, Read};
use super::page::{self, Tab};
use super::widget::{self, Problems};
use super::write::{self, NotWritten, Work, Written};
use super::{Failure, Site, blocking, pages, typed};
use crate::command::{edit, input};
use crate::error::Error;
use crate::model::{ActionDraft, Status};
use crate::store::{Actions, Plan, Texts};

pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/actions/new", get(new_form).post(add))
        .route("/actions/{id}/edit", get(edit_form).post(change))
        .route("/actions/{id}/remove", get(remove_form).post(remove))
}

/// The fields of the form, as the file keys them.
const FIELDS: &[&str] = &[
    "title",
    "lead",
    "involved",
    "locations",
    "scope",
    "timeline",
    "status",
    "requested_by",
    "financing",
    "addresses",
    "notes",
];
/// The fields a form sends as lists (a select of several).
const LISTS: &[&str] = &["lead", "involved", "locations", "addresses"];

/// What a form shows and sends: an action's fields as text.
#[derive(Clone, Debug, Default)]
struct Values {
    title: String,
    lead: Vec<String>,
    involved: Vec<String>,
    locations: Vec<String>,
    scope: String,
    timeline: String,
    status: String,
    requested_by: String,
    financing: String,
    addresses: Vec<String>,
    notes: String,
}

impl Values {
    fn of(draft: &ActionDraft) -> Self {
        let financing: Vec<String> = draft.financing.iter().map(ToString::to_string).collect();
        Self {
            title: draft.title.clone(),
            lead: draft.lead.clone(),
            involved: draft.involved.clone(),
            locations: draft.locations.clone(),
            scope: draft.scope.clone(),
            timeline: draft.timeline.clone(),
            status: draft.status.as_str().to_string(),
            requested_by: draft.requested_by.clone().unwrap_or_default(),
            financing: financing.join(", "),
            addresses: draft.addresses.clone().unwrap_or_default(),
            notes: draft.notes.clone().unwrap_or_default(),
        }
    }

    /// What the form sent; a field it left out is empty. Line ends as the browser sends them
    /// (`\r\n`) become `\n`.
    fn sent(pairs: &[(String, String)]) -> Self {
        let mut values = Self::default();
        for (name, value) in form::from_pairs(pairs, LISTS) {
            let one = || match &value {
                Given::Text(text) => text.clone().unwrap_or_default().replace("\r\n", "\n"),
                Given::List(list) => list.join(", "),
            };
            let many = || match &value {
                Given::List(list) => list.clone(),
                Given::Text(text) => text.iter().cloned().collect(),
            };
            match name.as_str() {
                "title" => values.title = one(),
                "scope" => values.scope = one(),
                "timeline" => values.timeline = one(),
                "status" => values.status = one(),
                "requested_by" => values.requested_by = one(),
                "financing" => values.financing = one(),
                "notes" => values.notes = one(),
                "lead" => values.lead = many(),
                "involved" => values.involved = many(),
                "locations" => values.locations = many(),
                "addresses" => values.addresses = many(),
                _ => {}
            }
        }
        values
    }

    /// The fields to send to the write, as the API takes them; the notes only when they
    /// differ from `old` (a textarea gives back its text with the line ends it likes).
    fn fields(&self, old: Option<&Self>) -> form::Fields {
        let text = |v: &str| Given::Text(Some(v.to_string()));
        let list = |v: &[String]| Given::List(v.to_vec());
        let mut fields = vec![
            ("title".to_string(), text(&self.title)),
            ("lead".to_string(), list(&self.lead)),
            ("involved".to_string(), list(&self.involved)),
            ("locations".to_string(), list(&self.locations)),
            ("scope".to_string(), text(&self.scope)),
            ("timeline".to_string(), text(&self.timeline)),
            ("status".to_string(), text(&self.status)),
            ("requested_by".to_string(), text(&self.requested_by)),
            ("financing".to_string(), text(&self.financing)),
            ("addresses".to_string(), list(&self.addresses)),
        ];
        if old.is_none_or(|old| old.notes.trim() != self.notes.trim()) {
            fields.push(("notes".to_string(), text(&self.notes)));
        }
        fields
    }

    /// Each value checked on its own against the registries, so that every wrong one is
    /// told beside its field at once.
    fn check(&self, plan: &Plan, problems: &mut Problems) {
        let mut said = |field: &str, result: Result<(), Error>| {
            if let Err(e) = result {
                let help = e.help().map(|h| format!(" — {h}")).unwrap_or_default();
                problems.field(field, format!("{e}{help}"));
            }
        };
        if input::split(&self.lead).is_empty() {
            said("lead", Err(Error::Missing("lead")));
        }
        said("lead", input::codes(&plan.partners, &self.lead).map(drop));
        said(
            "involved",
            input::codes(&plan.partners, &self.involved).map(drop),
        );
        said(
            "locations",
            input::codes(&plan.places, &self.locations).map(drop),
        );
        let by = Some(self.requested_by.as_str()).filter(|b| !b.trim().is_empty());
        said("requested_by", input::resolve(&plan.places, by).map(drop));
        said(
            "financing",
            input::funding(plan, std::slice::from_ref(&self.financing)).map(drop),
        );
        said("addresses", input::needs(plan, &self.addresses).map(drop));
        if !self.status.trim().is_empty() {
            said(
                "status",
                Status::parse_words(&self.status)
                    .map(drop)
                    .map_err(Error::BadArgument),
            );
        }
        for (field, value) in [("title", &self.title), ("timeline", &self.timeline)] {
            if value.trim().is_empty() {
                problems.field(field, format!("the {field} cannot be empty"));
            }
        }
    }
}

/// The form of an action: every routine field, labelled as the field.
fn action_form(
    plan: &Plan,
    values: &Values,
    problems: &Problems,
    (action, etag): (&str, Option<&str>),
    csrf: &str,
) -> Markup {
    let partners = widget::entries(&plan.partners);
    let places = widget::entries(&plan.places);
    let funding = widget::entries(&plan.funding);
    let statuses: Vec<(String, String)> = Status::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
        .collect();
    let needs = widget::needs(plan);
    let mut requesters = vec![(String::new(), "(none)".to_string())];
    requesters.extend(places.iter().cloned());
    let several = Some("choose several with Ctrl (⌘ on a Mac)");
    let back = etag.map_or("/actions".to_string(), |_| {
        action.trim_end_matches("/edit").to_string()
    });
    html! {
        (widget::summary(problems))
        form.record method="post" action=(action) {
            (widget::hidden(csrf, etag))
            (widget::line(("title", "Title", None), &values.title, true, problems))
            (widget::choice(("lead", "Lead", several), &partners, &values.lead, true, problems))
            (widget::choice(("involved", "Involved", several), &partners, &values.involved, true, problems))
            (widget::choice(("locations", "Locations", several), &places, &values.locations, true, problems))
            (widget::line(("scope", "Scope", None), &values.scope, false, problems))
            (widget::line(("timeline", "Timeline", Some("July 2019, By May 2019, Q2 2019, 2019, March 2019 – June 2019, After <event>")), &values.timeline, true, problems))
            (widget::choice(("status", "Status", None), &statuses, std::slice::from_ref(&values.status), false, problems))
            (widget::choice(("requested_by", "Requested by", None), &requesters, std::slice::from_ref(&values.requested_by), false, problems))
            (widget::typed(("financing", "Financing", Some("funding codes, separated by commas; end one with ? when the money is tentative: IPA-II-2017, TAIEX?")), &values.financing, &funding, problems))
            (widget::choice(("addresses", "Addresses", several), &needs, &values.addresses, true, problems))
            (widget::area(("notes", "Notes"), &values.notes, problems))
            (widget::save(&back))
        }
    }
}

/// The plan as a form needs it: registries and needs, and the action `id` (with its text).
fn read(site: &Site, id: Option<i64>) -> Result<Read, Failure> {
    site.needs_writer()?;
    let wanted = |a: &crate::model::Action| id.is_some() && a.number() == id;
    live::afresh(site, Actions::Where(&wanted), Texts::Keep)
}

fn title(plan: &Plan) -> String {
    plan.info
        .as_ref()
        .map_or_else(|| "The plan".into(), |info| info.record.title.value.clone())
}

/// An HTML page with a status, and the `ETag` of the version it shows.
fn page(status: StatusCode, markup: &Markup, etag: Option<&str>) -> Response {
    let mut response = typed(
        status,
        "text/html; charset=utf-8",
        markup.clone().into_string(),
    );
    if let Some(tag) = etag.and_then(|t| header::HeaderValue::from_str(t).ok()) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// The edit page of action `id`, showing `values` (none: the action as it is).
fn edit_page(
    site: &Site,
    plan: &Read,
    id: i64,
    shown: Option<&Values>,
    problems: &Problems,
) -> Result<(Markup, String), Failure> {
    let action = plan.action(id).ok_or(Error::NoSuchAction(id))?;
    let tag = site.seen.note(&action.file.text);
    let current = Values::of(&ActionDraft::from(&*action.record));
    let values = shown.unwrap_or(&current);
    let heading = format!("Edit action {id}: {}", action.record.title.value);
    let body = html! {
        p.help { "Change what is needed and press Save: the change is checked as "
            code { "iisg edit" } " checks it, and nothing is written if it is refused." }
        (action_form(plan, values, problems, (&format!("/actions/{id}/edit"), Some(&tag)), &site.visitor().csrf))
    };
    Ok((
        page::live_frame(
            plan.version.as_deref(),
            &title(plan),
            &heading,
            Tab::Actions,
            &body,
        ),
        tag,
    ))
}

async fn edit_form(State(site): State<Arc<Site>>, Path(id): Path<String>) -> Response {
    let result = blocking(site, move |site| {
        let id = id_of(&id)?;
        let plan = read(site, Some(id))?;
        edit_page(site, &plan, id, None, &Problems::default())
    })
    .await;
    match result {
        Ok((markup, tag)) => page(StatusCode::OK, &markup, Some(&tag)),
        Err(failure) => pages::failure(&failure),
    }
}

/// Where a saved change sends the browser: the record, with a "Saved" notice and what
/// became of the git commit.
pub fn saved(to: &str, written: Option<&Written>) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("saved", "1");
    match written.and_then(|w| w.git.as_ref()) {
        Some(Ok(hash)) => {
            query.append_pair("commit", hash.get(..12).unwrap_or(hash));
        }
        Some(Err(why)) => {
            query.append_pair("commit-failed", why);
        }
        None => {}
    }
    let location = format!("{to}?{}", query.finish());
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

async fn change(State(site): State<Arc<Site>>, Path(id): Path<String>, body: Bytes) -> Response {
    blocking(site, move |site| Ok(changed(site, &id, &body)))
        .await
        .unwrap_or_else(|failure| pages::failure(&failure))
}

fn changed(site: &Site, id: &str, body: &[u8]) -> Response {
    let id = match id_of(id) {
        Ok(id) => id,
        Err(failure) => return pages::failure(&failure),
    };
    let pairs = form::pairs(body);
    let values = Values::sent(&pairs);
    let had = pairs
        .iter()
        .find(|(k, _)| k == "etag")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let refuse = |status, shown: Option<&Values>, problems: &Problems| {
        let plan = match read(site, Some(id)) {
            Ok(plan) => plan,
            Err(failure) => return pages::failure(&failure),
        };
        match edit_page(site, &plan, id, shown, problems) {
            Ok((markup, tag)) => page(status, &markup, Some(&tag)),
            Err(failure) => pages::failure(&failure),
        }
    };
    let mut problems = Problems::default();
    match read(site, Some(id)) {
        Ok(plan) => values.check(&plan, &mut problems),
        Err(failure) => return pages::failure(&failure),
    }
    if !problems.is_empty() {
        return refuse(write::REJECTED, Some(&values), &problems);
    }
    let written = write::write(site, |plan| {
        let loaded = plan.action(id).ok_or(Error::NoSuchAction(id))?.clone();
        if write::etag(&loaded.file.text) != had {
            return Err(stale(site, &loaded, &had));
        }
        let old = Values::of(&ActionDraft::from(&*loaded.record));
        let (args, owned) = form::edit_args(id, &values.fields(Some(&old)))?;
        let edited = edit::edited(plan, &args, &form::steps(&owned))?;
        let Some(change) = edited.change()? else {
            return Ok(None);
        };
        let message = write::message(&format!("action {id}"), &edited.old.changes(&edited.new));
        Ok(Some(Work::plain(vec![change], message)))
    });
    match written {
        Ok(written) => saved(&format!("/actions/{id}"), written.as_ref()),
        Err(NotWritten::Stale { message, .. }) => {
            problems.general.push(format!(
                "{message}. The form now shows the action as it is: make your change again."
            ));
            refuse(StatusCode::CONFLICT, None, &problems)
        }
        Err(NotWritten::Rejected {
            findings, texts, ..
        }) => {
            problems.findings(&findings, &texts, FIELDS);
            refuse(write::REJECTED, Some(&values), &problems)
        }
        Err(NotWritten::Failed(failure))
            if failure.status.is_client_error() && failure.status != StatusCode::NOT_FOUND =>
        {
            let help = failure.help.map(|h| format!(" — {h}")).unwrap_or_default();
            problems.general.push(format!("{}{help}", failure.error));
            refuse(failure.status, Some(&values), &problems)
        }
        Err(NotWritten::Failed(failure)) => pages::failure(&failure),
    }
}

/// The page of the new-action form.
fn new_page(site: &Site, plan: &Read, values: &Values, problems: &Problems) -> Markup {
    let body = html! {
        p.help { "Title, lead and timeline are needed; the rest can wait. The new action is checked as "
            code { "iisg add-action" } " checks it, and nothing is written if it is refused." }
        (action_form(plan, values, problems, ("/actions/new", None), &site.visitor().csrf))
    };
    let version = plan.version.as_deref();
    page::live_frame(version, &title(plan), "New action", Tab::Actions, &body)
}

async fn new_form(State(site): State<Arc<Site>>) -> Response {
    let result = blocking(site, move |site| {
        let plan = read(site, None)?;
        let values = Values {
            status: Status::Planned.as_str().to_string(),
            ..Values::default()
        };
        Ok(new_page(site, &plan, &values, &Problems::default()))
    })
    .await;
    match result {
        Ok(markup) => page(StatusCode::OK, &markup, None),
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
    let refuse = |status, problems: &Problems| match read(site, None) {
        Ok(plan) => page(status, &new_page(site, &plan, &values, problems), None),
        Err(failure) => pages::failure(&failure),
    };
    let mut problems = Problems::default();
    match read(site, None) {
        Ok(plan) => values.check(&plan, &mut problems),
        Err(failure) => return pages::failure(&failure),
    }
    if !problems.is_empty() {
        return refuse(write::REJECTED, &problems);
    }
    let args = match form::add_args(&values.fields(None)) {
        Ok(args) => args,
        Err(failure) => return pages::failure(&failure),
    };
    match write::write(site, |plan| new_action(plan, &args).map(Some)) {
        Ok(Some(written)) => {
            let id = written.id.unwrap_or_default();
            saved(&format!("/actions/{id}"), Some(&written))
        }
        Ok(None) => pages::failure(&Failure::not_found("/actions/new")),
        Err(not) => not_added(not, &mut problems, FIELDS, &refuse),
    }
}

/// A new record's form when its write was not made: the form again, with the findings
/// beside their `fields` and any other reason above, or the failure's page.
pub fn not_added(
    not: NotWritten,
    problems: &mut Problems,
    fields: &[&str],
    refuse: &dyn Fn(StatusCode, &Problems) -> Response,
) -> Response {
    match not {
        NotWritten::Rejected {
            findings, texts, ..
        } => {
            problems.findings(&findings, &texts, fields);
            refuse(write::REJECTED, problems)
        }
        NotWritten::Failed(failure) if failure.status.is_client_error() => {
            let help = failure.help.map(|h| format!(" — {h}")).unwrap_or_default();
            problems.general.push(format!("{}{help}", failure.error));
            refuse(failure.status, problems)
        }
        NotWritten::Failed(failure) => pages::failure(&failure),
        NotWritten::Stale { message, .. } => {
            problems.general.push(message);
            refuse(StatusCode::CONFLICT, problems)
        }
    }
}

/// The page that asks before an action is removed.
fn remove_page(site: &Site, plan: &Read, id: i64, problems: &Problems) -> Result<Markup, Failure> {
    let action = plan.action(id).ok_or(Error::NoSuchAction(id))?;
    let tag = site.seen.note(&action.file.text);
    let heading = format!("Remove action {id}: {}", action.record.title.value);
    let body = html! {
        (widget::summary(problems))
        p { "Its file " code { (page::text(action.file.shown())) } " is removed from the plan, as "
            code { "iisg remove " (id) } " removes it. In git its history stays, and it can be brought back." }
        form.record method="post" action={ "/actions/" (id) "/remove" } {
            (widget::hidden(&site.visitor().csrf, Some(&tag)))
            div.buttons {
                button type="submit" { "Remove" }
                a href={ "/actions/" (id) } { "Cancel" }
            }
        }
    };
    Ok(page::live_frame(
        plan.version.as_deref(),
        &title(plan),
        &heading,
        Tab::Actions,
        &body,
    ))
}

async fn remove_form(State(site): State<Arc<Site>>, Path(id): Path<String>) -> Response {
    let result = blocking(site, move |site| {
        let id = id_of(&id)?;
        let plan = read(site, Some(id))?;
        remove_page(site, &plan, id, &Problems::default())
    })
    .await;
    match result {
        Ok(markup) => page(StatusCode::OK, &markup, None),
        Err(failure) => pages::failure(&failure),
    }
}

async fn remove(State(site): State<Arc<Site>>, Path(id): Path<String>, body: Bytes) -> Response {
    blocking(site, move |site| {
        let id = id_of(&id)?;
        let had = form::value(&body, "etag");
        let written = write::write(site, |plan| {
            super::api_write::removal(site, plan, id, &had).map(Some)
        });
        match written {
            Ok(written) => Ok(saved("/actions", written.as_ref())),
            Err(not) => {
                let mut problems = Problems::default();
                let plan = read(site, Some(id))?;
                let refuse =
                    |status, problems: &Problems| match remove_page(site, &plan, id, problems) {
                        Ok(markup) => page(status, &markup, None),
                        Err(failure) => pages::failure(&failure),
                    };
                Ok(not_added(not, &mut problems, &[], &refuse))
            }
        }
    })
    .await
    .unwrap_or_else(|failure| pages::failure(&failure))
}

//! `/partners`, `/locations`, `/funding`: each registry's entries, a form that adds one as
//! `iisg partner add` does and one that changes an entry as `edit` does; `/plan`: the
//! plan's own fields, and a form that sets them as `iisg plan set` does. Every write is the
//! command's own, through the server's one write path.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use maud::{Markup, html};

use super::form;
use super::forms::saved;
use super::live::{self, Read};
use super::page::{self, Tab, text};
use super::pages::saved_notice;
use super::widget::{self, Problems};
use super::write::{self, NotWritten, Work};
use super::{Failure, Site, blocking, html_page, pages};
use crate::command::{input, plan, registry};
use crate::error::Error;
use crate::model::{FieldChange, RegistryKind};
use crate::render::plan::PlanView;
use crate::store::Plan;
use crate::store::entries::EntryDraft;

/// The registries' pages, by their path.
const KINDS: [(&str, RegistryKind); 3] = [
    ("partners", RegistryKind::Partners),
    ("locations", RegistryKind::Locations),
    ("funding", RegistryKind::Funding),
];

pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/plan", get(plan_page))
        .route("/partners", get(list))
        .route("/locations", get(list))
        .route("/funding", get(list))
}

pub fn write_routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/plan", get(plan_page).post(set_plan))
        .route("/partners", get(list).post(add))
        .route("/locations", get(list).post(add))
        .route("/funding", get(list).post(add))
        .route("/{kind}/{code}", get(entry_page).post(change))
        .route("/{kind}/{code}/{what}", post(rename_or_remove))
}

fn kind_of(path: &str) -> Result<RegistryKind, Failure> {
    KINDS
        .iter()
        .find(|(p, _)| *p == path.trim_matches('/').split('/').next().unwrap_or_default())
        .map(|(_, kind)| *kind)
        .ok_or_else(|| Failure::not_found(path))
}

fn path_of(kind: RegistryKind) -> &'static str {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("partners", |(p, _)| p)
}

fn read(site: &Site) -> Result<Read, Failure> {
    live::in_memory(site)
}

fn title(plan: &Plan) -> String {
    plan.info
        .as_ref()
        .map_or_else(|| "The plan".into(), |info| info.record.title.value.clone())
}

/// A registry's entry as a form shows it.
#[derive(Clone, Debug, Default)]
struct Values {
    code: String,
    name: String,
    kind: String,
    provider: String,
    within: Vec<String>,
    aliases: String,
}

impl Values {
    fn of(entry: &EntryDraft) -> Self {
        Self {
            code: entry.code.clone(),
            name: entry.name.clone(),
            kind: entry.kind.clone().unwrap_or_default(),
            provider: entry.provider.clone().unwrap_or_default(),
            within: entry.within.clone(),
            aliases: entry.aliases.join(", "),
        }
    }

    fn sent(body: &[u8]) -> Self {
        let mut values = Self::default();
        for (key, value) in form::pairs(body) {
            match key.as_str() {
                "code" => values.code = value,
                "name" => values.name = value,
                "kind" => values.kind = value,
                "provider" => values.provider = value,
                "within" => values.within.push(value),
                "aliases" => values.aliases = value,
                _ => {}
            }
        }
        values
    }

    /// The flags of `add` (no `old`) or of `edit`, against the entry as it is.
    fn fields(&self, old: Option<&Self>) -> registry::Fields {
        let some = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let aliases = input::split(std::slice::from_ref(&self.aliases));
        let (old_aliases, old_within) = old.map_or((Vec::new(), Vec::new()), |o| {
            (
                input::split(std::slice::from_ref(&o.aliases)),
                o.within.clone(),
            )
        });
        let within = input::split(&self.within);
        registry::Fields {
            iso: None,
            name: some(&self.name),
            kind: some(&self.kind),
            provider: some(&self.provider),
            within: within
                .iter()
                .filter(|w| !old_within.contains(w))
                .cloned()
                .collect(),
            not_within: old_within
                .iter()
                .filter(|w| !within.contains(w))
                .cloned()
                .collect(),
            aliases: aliases
                .iter()
                .filter(|a| !old_aliases.contains(a))
                .cloned()
                .collect(),
            not_aliases: old_aliases
                .iter()
                .filter(|a| !aliases.contains(a))
                .cloned()
                .collect(),
        }
    }
}

/// The form of an entry: its code only when it is new.
fn entry_form(
    plan: &Plan,
    kind: RegistryKind,
    values: &Values,
    problems: &Problems,
    (action, etag): (&str, Option<&str>),
    csrf: &str,
) -> Markup {
    let kinds_hint = match kind {
        RegistryKind::Locations => Some("region, country, border, city, site, …"),
        RegistryKind::Partners => Some("international-organisation, eu-agency, donor, …"),
        RegistryKind::Funding => None,
    };
    let mut providers = vec![(String::new(), "(none)".to_string())];
    providers.extend(widget::entries(&plan.partners));
    html! {
        (widget::summary(problems))
        form.record method="post" action=(action) {
            (widget::hidden(csrf, etag))
            @if etag.is_none() {
                (widget::line(("code", "Code", Some("letters and digits, with - _ . between: what files write")), &values.code, true, problems))
            }
            (widget::line(("name", "Name", None), &values.name, true, problems))
            @if kind != RegistryKind::Funding {
                (widget::line(("kind", "Kind", kinds_hint), &values.kind, kind == RegistryKind::Locations, problems))
            }
            @if kind == RegistryKind::Locations {
                (widget::choice(("within", "Within", Some("choose several with Ctrl (⌘ on a Mac)")), &widget::entries(&plan.places), &values.within, true, problems))
            }
            @if kind == RegistryKind::Funding {
                (widget::choice(("provider", "Provider", None), &providers, std::slice::from_ref(&values.provider), false, problems))
            }
            (widget::line(("aliases", "Aliases", Some("other ways people write it, separated by commas")), &values.aliases, false, problems))
            (widget::save(&format!("/{}", path_of(kind))))
        }
    }
}

/// The entries of `kind`, and the form that adds one (unless read-only).
fn list_page(
    site: &Site,
    plan: &Read,
    kind: RegistryKind,
    (values, problems): (&Values, &Problems),
    notice: &Markup,
) -> Markup {
    let entries = registry::entries(plan, kind);
    let noun = kind.noun();
    let heading = match kind {
        RegistryKind::Partners => "Partners",
        RegistryKind::Locations => "Places",
        RegistryKind::Funding => "Funding sources",
    };
    let body = html! {
        nav.reports aria-label="Registries" { (registry_links(Some(kind))) }
        (notice)
        div.scroll { table {
            caption { (entries.len()) " entries of " code { (kind.file()) } }
            thead { tr {
                th scope="col" { "Code" } th scope="col" { "Name" }
                th scope="col" { @if kind == RegistryKind::Funding { "Provider" } @else { "Kind" } }
                @if kind == RegistryKind::Locations { th scope="col" { "Within" } }
                th scope="col" { "Aliases" } th scope="col" { "Used" }
            } }
            tbody { @for (entry, used) in &entries {
                tr {
                    th scope="row" {
                        @if !site.visitor().can_write { (text(&entry.code)) }
                        @else { a href={ "/" (path_of(kind)) "/" (text(&entry.code)) } { (text(&entry.code)) } }
                    }
                    td { (text(&entry.name)) }
                    td { (text(entry.kind.as_deref().or(entry.provider.as_deref()).unwrap_or_default())) }
                    @if kind == RegistryKind::Locations { td { (text(&entry.within.join(", "))) } }
                    td { (text(&entry.aliases.join(", "))) }
                    td { (used) }
                }
            } }
        } }
        @if site.visitor().can_write {
            h2 id="add" { "Add a " (noun) }
            (entry_form(plan, kind, values, problems, (&format!("/{}", path_of(kind)), None), &site.visitor().csrf))
        }
    };
    page::live_frame(
        plan.version.as_deref(),
        &title(plan),
        heading,
        Tab::Registries,
        &body,
    )
}

/// The registries and the plan, the open one marked (`None`: the plan).
fn registry_links(open: Option<RegistryKind>) -> Markup {
    html! {
        ul.links {
            @for (path, kind) in KINDS {
                @let label = match kind { RegistryKind::Partners => "Partners", RegistryKind::Locations => "Places", RegistryKind::Funding => "Funding" };
                li { @if Some(kind) == open { a href={ "/" (path) } aria-current="page" { (label) } } @else { a href={ "/" (path) } { (label) } } }
            }
            li { @if open.is_none() { a href="/plan" aria-current="page" { "The plan" } } @else { a href="/plan" { "The plan" } } }
        }
    }
}

async fn list(
    State(site): State<Arc<Site>>,
    uri: axum::http::Uri,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = blocking(site, move |site| {
        let kind = kind_of(uri.path())?;
        let plan = read(site)?;
        let notice = saved_notice(raw.as_deref());
        Ok(list_page(
            site,
            &plan,
            kind,
            (&Values::default(), &Problems::default()),
            &notice,
        ))
    })
    .await;
    match result {
        Ok(markup) => html_page(StatusCode::OK, &markup),
        Err(failure) => pages::failure(&failure),
    }
}

/// A refusal as problems beside the fields: findings by their line, the rest above.
fn problems_of(not: NotWritten, fields: &[&str]) -> Result<(StatusCode, Problems), Failure> {
    let mut problems = Problems::default();
    match not {
        NotWritten::Rejected {
            findings, texts, ..
        } => {
            problems.findings(&findings, &texts, fields);
            Ok((write::REJECTED, problems))
        }
        NotWritten::Failed(failure)
            if failure.status.is_client_error() && failure.status != StatusCode::NOT_FOUND =>
        {
            let help = failure.help.map(|h| format!(" — {h}")).unwrap_or_default();
            problems.general.push(format!("{}{help}", failure.error));
            Ok((failure.status, problems))
        }
        NotWritten::Failed(failure) => Err(failure),
        NotWritten::Stale { message, .. } => {
            problems.general.push(message);
            Ok((StatusCode::CONFLICT, problems))
        }
    }
}

const ENTRY_FIELDS: &[&str] = &["code", "name", "kind", "within", "provider", "aliases"];

async fn add(State(site): State<Arc<Site>>, uri: axum::http::Uri, body: Bytes) -> Response {
    blocking(site, move |site| {
        let kind = kind_of(uri.path())?;
        let values = Values::sent(&body);
        let fields = values.fields(None);
        let written = write_entry(site, kind, |plan| {
            registry::add(kind, plan, &values.code, &fields)
        });
        match written {
            Ok(written) => Ok(saved(&format!("/{}", path_of(kind)), written.as_ref())),
            Err(not) => {
                let (status, problems) = problems_of(not, ENTRY_FIELDS)?;
                let plan = read(site)?;
                Ok(html_page(
                    status,
                    &list_page(site, &plan, kind, (&values, &problems), &html! {}),
                ))
            }
        }
    })
    .await
    .unwrap_or_else(|failure| pages::failure(&failure))
}

/// The `ETag` of an entry: a hash of its values.
fn entry_tag(entry: &EntryDraft) -> String {
    write::etag(&format!("{entry:?}"))
}

fn find(plan: &Plan, kind: RegistryKind, code: &str) -> Result<EntryDraft, Failure> {
    registry::entries(plan, kind)
        .into_iter()
        .map(|(e, _)| e)
        .find(|e| e.code == code)
        .ok_or_else(|| Failure {
            status: StatusCode::NOT_FOUND,
            error: format!("no {} has the code `{code}`", kind.noun()),
            help: Some(format!(
                "the {} are listed at `/{}`",
                kind.key(),
                path_of(kind)
            )),
        })
}

fn entry_markup(
    site: &Site,
    plan: &Read,
    kind: RegistryKind,
    code: &str,
    shown: Option<&Values>,
    problems: &Problems,
) -> Result<Markup, Failure> {
    site.needs_writer()?;
    let entry = find(plan, kind, code)?;
    let tag = entry_tag(&entry);
    let current = Values::of(&entry);
    let body = html! {
        nav.reports aria-label="Registries" { (registry_links(Some(kind))) }
        (entry_form(plan, kind, shown.unwrap_or(&current), problems, (&format!("/{}/{}", path_of(kind), entry.code), Some(&tag)), &site.visitor().csrf))
        h2 { "Rename or remove" }
        form.record method="post" action={ "/" (path_of(kind)) "/" (entry.code) "/rename" } {
            (widget::hidden(&site.visitor().csrf, None))
            (widget::line(("new", "New code", Some("every file that names it is changed with it, as one change")), "", true, problems))
            div.buttons { button type="submit" { "Rename" } }
        }
        form.record method="post" action={ "/" (path_of(kind)) "/" (entry.code) "/remove" } {
            (widget::hidden(&site.visitor().csrf, None))
            p.help { "Refused while an action or another entry names it." }
            div.buttons { button type="submit" { "Remove " (text(&entry.code)) } }
        }
    };
    let heading = format!("Edit {} {}", kind.noun(), entry.code);
    let version = plan.version.as_deref();
    Ok(page::live_frame(
        version,
        &title(plan),
        &heading,
        Tab::Registries,
        &body,
    ))
}

async fn entry_page(
    State(site): State<Arc<Site>>,
    Path((kind, code)): Path<(String, String)>,
) -> Response {
    let result = blocking(site, move |site| {
        let kind = kind_of(&kind)?;
        let plan = read(site)?;
        entry_markup(site, &plan, kind, &code, None, &Problems::default())
    })
    .await;
    match result {
        Ok(markup) => html_page(StatusCode::OK, &markup),
        Err(failure) => pages::failure(&failure),
    }
}

async fn change(
    State(site): State<Arc<Site>>,
    Path((kind, code)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    blocking(site, move |site| {
        let kind = kind_of(&kind)?;
        let values = Values::sent(&body);
        let had = form::value(&body, "etag");
        let written = write::write(site, |plan| {
            if let Some(refusal) = registry::unreadable(kind, plan) {
                return Err(refusal.into());
            }
            let entry = find(plan, kind, &code)?;
            if entry_tag(&entry) != had {
                return Err(NotWritten::Stale {
                    message: format!(
                        "{} {code} changed since this form was loaded; the form now shows it as it is: make your change again",
                        kind.noun()
                    ),
                    changes: Vec::new(),
                    etag: entry_tag(&entry),
                });
            }
            let planned = registry::edit(kind, plan, &code, &values.fields(Some(&Values::of(&entry))))?;
            Ok(planned.map(Work::registry))
        });
        match written {
            Ok(written) => Ok(saved(&format!("/{}", path_of(kind)), written.as_ref())),
            Err(not) => {
                let stale = matches!(not, NotWritten::Stale { .. });
                let (status, problems) = problems_of(not, ENTRY_FIELDS)?;
                let plan = read(site)?;
                let shown = (!stale).then_some(&values);
                Ok(html_page(status, &entry_markup(site, &plan, kind, &code, shown, &problems)?))
            }
        }
    })
    .await
    .unwrap_or_else(|failure| pages::failure(&failure))
}

/// Writes the registry change `make` works out, as the command does: refused while a file
/// of the plan cannot be read (it may name a code).
fn write_entry(
    site: &Site,
    kind: RegistryKind,
    make: impl FnOnce(&crate::store::Plan) -> Result<Option<registry::Planned>, Error>,
) -> Result<Option<write::Written>, NotWritten> {
    write::write(site, |plan| {
        if let Some(refusal) = registry::unreadable(kind, plan) {
            return Err(refusal.into());
        }
        Ok(make(plan)?.map(Work::registry))
    })
}

/// `POST /KIND/CODE/rename` (`new`) and `POST /KIND/CODE/remove`: as `iisg KIND rename`
/// and `remove` do, in every file at once; back to the registry, or the entry's page with
/// why not.
async fn rename_or_remove(
    State(site): State<Arc<Site>>,
    Path((kind, code, what)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    blocking(site, move |site| {
        let kind = kind_of(&kind)?;
        let new = form::value(&body, "new").trim().to_string();
        let rename = match what.as_str() {
            "rename" => true,
            "remove" => false,
            _ => {
                return Err(Failure::not_found(&format!(
                    "/{}/{code}/{what}",
                    path_of(kind)
                )));
            }
        };
        if rename && new.is_empty() {
            let mut problems = Problems::default();
            problems.field("new", "a new code is needed".into());
            let plan = read(site)?;
            return Ok(html_page(
                write::REJECTED,
                &entry_markup(site, &plan, kind, &code, None, &problems)?,
            ));
        }
        let written = write_entry(site, kind, |plan| {
            if rename {
                registry::rename(kind, plan, &code, &new)
            } else {
                registry::remove(kind, plan, &code)
            }
        });
        match written {
            Ok(written) => Ok(saved(&format!("/{}", path_of(kind)), written.as_ref())),
            Err(not) => {
                let (status, problems) = problems_of(not, ENTRY_FIELDS)?;
                let plan = read(site)?;
                Ok(html_page(
                    status,
                    &entry_markup(site, &plan, kind, &code, None, &problems)?,
                ))
            }
        }
    })
    .await
    .unwrap_or_else(|failure| pages::failure(&failure))
}

/// The plan's fields as its form shows them.
#[derive(Clone, Debug, Default)]
struct PlanValues {
    title: String,
    start: String,
    end: String,
    as_of: String,
    issued: String,
}

const PLAN_FIELDS: &[&str] = &["title", "period", "as_of", "issued"];

fn plan_markup(
    site: &Site,
    plan: &Read,
    shown: Option<&PlanValues>,
    problems: &Problems,
    notice: &Markup,
) -> Result<Markup, Failure> {
    let loaded = plan
        .info
        .as_ref()
        .ok_or_else(|| Failure::from(Error::Unreadable { count: 1 }))?;
    let view = PlanView::new(plan, loaded);
    let info = &loaded.record;
    let current = PlanValues {
        title: info.title.value.clone(),
        start: info.period.value.start.value.iso(),
        end: info.period.value.end.value.iso(),
        as_of: info.as_of().map(|d| d.to_string()).unwrap_or_default(),
        issued: info
            .issued
            .as_ref()
            .map(|d| d.value.to_string())
            .unwrap_or_default(),
    };
    let values = shown.unwrap_or(&current);
    let tag = write::etag(&loaded.file.text);
    let body = html! {
        nav.reports aria-label="Registries" { (registry_links(None)) }
        (notice)
        (page::table(&view.grid(), Some("The plan's own fields"), None))
        @if site.visitor().can_write {
            h2 { "Change them" }
            p.help { "As of is the day the statuses describe: before a meeting, move it to the day they are true." }
            (widget::summary(problems))
            form.record method="post" action="/plan" {
                (widget::hidden(&site.visitor().csrf, Some(&tag)))
                (widget::line(("title", "Title", None), &values.title, true, problems))
                (widget::date(("as_of", "As of"), &values.as_of, problems))
                (widget::line(("period", "Period start", Some("a month: 2018-07 or July 2018")), &values.start, true, problems))
                (widget::line(("period_end", "Period end", Some("a month: 2019-12")), &values.end, true, problems))
                (widget::date(("issued", "Issued"), &values.issued, problems))
                (widget::save("/plan"))
            }
        }
    };
    let version = plan.version.as_deref();
    Ok(page::live_frame(
        version,
        &title(plan),
        "The plan",
        Tab::Registries,
        &body,
    ))
}

async fn plan_page(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    let result = blocking(site, move |site| {
        let plan = read(site)?;
        plan_markup(
            site,
            &plan,
            None,
            &Problems::default(),
            &saved_notice(raw.as_deref()),
        )
    })
    .await;
    match result {
        Ok(markup) => html_page(StatusCode::OK, &markup),
        Err(failure) => pages::failure(&failure),
    }
}

async fn set_plan(State(site): State<Arc<Site>>, body: Bytes) -> Response {
    blocking(site, move |site| Ok(plan_set(site, &body)))
        .await
        .unwrap_or_else(|f| pages::failure(&f))
}

fn plan_set(site: &Site, body: &[u8]) -> Response {
    let mut values = PlanValues::default();
    let mut had = String::new();
    for (key, value) in form::pairs(body) {
        match key.as_str() {
            "title" => values.title = value,
            "period" => values.start = value,
            "period_end" => values.end = value,
            "as_of" => values.as_of = value,
            "issued" => values.issued = value,
            "etag" => had = value,
            _ => {}
        }
    }
    let mut problems = Problems::default();
    let mut args = plan::SetArgs {
        title: Some(values.title.clone()),
        ..plan::SetArgs::default()
    };
    let mut parse = |field: &str, text: &str, date: bool| -> Option<chrono::NaiveDate> {
        if text.trim().is_empty() || !date {
            return None;
        }
        input::date(text).map_err(|e| problems.field(field, e)).ok()
    };
    args.as_of = parse("as_of", &values.as_of, true);
    args.issued = parse("issued", &values.issued, true);
    match (input::month(&values.start), input::month(&values.end)) {
        (Ok(start), Ok(end)) => args.period = Some(vec![start, end]),
        (start, end) => {
            for (field, result) in [("period", start), ("period_end", end)] {
                if let Err(e) = result {
                    problems.field(field, e);
                }
            }
        }
    }
    let refuse = |status, shown: Option<&PlanValues>, problems: &Problems| {
        let markup =
            read(site).and_then(|plan| plan_markup(site, &plan, shown, problems, &html! {}));
        match markup {
            Ok(markup) => html_page(status, &markup),
            Err(failure) => pages::failure(&failure),
        }
    };
    if !problems.is_empty() {
        return refuse(write::REJECTED, Some(&values), &problems);
    }
    let written = write::write(site, |plan| {
        let text = plan
            .info
            .as_ref()
            .map(|i| i.file.text.clone())
            .unwrap_or_default();
        if write::etag(&text) != had {
            return Err(NotWritten::Stale {
                message: "the plan's fields changed since this form was loaded; the form now shows them as they are: make your change again".into(),
                changes: Vec::new(),
                etag: write::etag(&text),
            });
        }
        let Some(set) = plan::set(plan, &args)? else {
            return Ok(None);
        };
        let changes: Vec<FieldChange> = set.old.changes(&set.new);
        Ok(Some(Work::plain(
            vec![set.change],
            write::message("plan", &changes),
        )))
    });
    match written {
        Ok(written) => saved("/plan", written.as_ref()),
        Err(not) => {
            let stale = matches!(not, NotWritten::Stale { .. });
            match problems_of(not, PLAN_FIELDS) {
                Ok((status, problems)) => refuse(status, (!stale).then_some(&values), &problems),
                Err(failure) => pages::failure(&failure),
            }
        }
    }
}

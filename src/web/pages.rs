//! The pages: server-rendered HTML that needs no script, over the same data as the API.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use maud::{Markup, html};

use super::api::{self, LIST_FLAGS, LIST_SWITCHES, REPORTS};
use super::live::Snapshot;
use super::page::{self, Tab, text};
use super::{Failure, Site, blocking, query, typed};
use crate::analysis::overlap;
use crate::command::list;
use crate::command::report::Data;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::model::{Entry, Registry, Status};
use crate::render::action::{self, ActionDetail};
use crate::store::Plan;

/// Actions on one page of `/actions`.
const PAGE_SIZE: usize = 100;

/// Rows of each table on one page of a report, and findings on one page of `/findings`:
/// a page of 100,000 rows is more than a browser draws or a person reads (and was 400 MB
/// of the server's memory to make). The JSON beside each has them all.
const ROWS_PER_PAGE: usize = 1000;

/// A timeline is drawn for plans of up to this many actions; its table lists them all.
const DRAWN: usize = 2000;

/// The page asked for in a query and the query without it.
fn page_of(raw: Option<&str>) -> Result<(usize, Vec<(String, String)>), Failure> {
    let mut pairs = query::pairs(raw.unwrap_or_default());
    let page = take_page(&mut pairs)?;
    Ok((page, pairs))
}

/// The query without its page, as the report reads it.
fn without_page(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The sections with only the rows of page `page` (the last when it is past it), and how
/// many pages the longest has.
fn paged(
    mut sections: Vec<crate::render::report::Section>,
    page: usize,
) -> (Vec<crate::render::report::Section>, usize, usize) {
    let longest = sections
        .iter()
        .map(|s| s.grid.rows.len())
        .max()
        .unwrap_or(0);
    let pages = longest.div_ceil(ROWS_PER_PAGE).max(1);
    let page = page.min(pages);
    let start = (page - 1) * ROWS_PER_PAGE;
    for section in &mut sections {
        let rows = std::mem::take(&mut section.grid.rows);
        section.grid.rows = rows.into_iter().skip(start).take(ROWS_PER_PAGE).collect();
    }
    (sections, page, pages)
}

/// Previous and next links between pages of `path`.
fn pager(path: &str, pairs: &[(String, String)], page: usize, pages: usize) -> Markup {
    let href = |n: usize| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(pairs);
        query.append_pair("page", &n.to_string());
        format!("{path}?{}", query.finish())
    };
    html! {
        @if pages > 1 {
            p.count { "Page " (page) " of " (pages) ", " (ROWS_PER_PAGE) " rows a page." }
            nav.pages aria-label="Pages" {
                @if page > 1 {
                    a rel="prev" href=(href(page - 1)) { "Previous page" }
                }
                @if page < pages {
                    a rel="next" href=(href(page + 1)) { "Next page" }
                }
            }
        }
    }
}

pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/", get(summary))
        .route("/actions", get(actions))
        .route("/actions/{id}", get(one_action))
        .route("/findings", get(findings))
        .route("/annex", get(annex))
        .route("/logframe", get(logframe))
        .route("/report/{kind}", get(one_report))
        .route("/assets/style.css", get(style))
        .route("/assets/icon.svg", get(icon))
        .fallback(unknown)
}

/// The plan's title, as the pages head it.
fn title(plan: &Plan) -> String {
    plan.info
        .as_ref()
        .map_or_else(|| "The plan".into(), |info| info.record.title.value.clone())
}

/// A page made from this version of the plan.
fn frame(now: &Snapshot, heading: &str, tab: Tab, body: &Markup) -> Markup {
    page::live_frame(Some(&now.version), &title(&now.plan), heading, tab, body)
}

async fn summary(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    answer(site, move |site| {
        let (now, data) = api::read_report(site, None, raw.as_deref())?;
        let mut sections = data.sections(false);
        // The page is headed "Summary" already.
        if let Some(first) = sections.first_mut() {
            first.title = None;
        }
        let body = html! {
            (page::sections(&sections))
            p { "More: " (report_links(None)) }
        };
        Ok(frame(&now, "Summary", Tab::Summary, &body))
    })
    .await
}

async fn one_report(
    State(site): State<Arc<Site>>,
    Path(kind): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    answer(site, move |site| {
        let (number, pairs) = page_of(raw.as_deref())?;
        let (now, mut data) = api::read_report(site, Some(&kind), Some(&without_page(&pairs)))?;
        let drawn = now.plan.actions.len() <= DRAWN;
        let partial = matches!(&data, Data::Overlaps(o) if o.partial);
        let timeline =
            (kind == "timeline" && drawn).then(|| crate::render::html::timeline(&now.plan));
        // A report of a row an action is cut to its page before its tables are made.
        let long = data.long_rows().div_ceil(ROWS_PER_PAGE).max(1);
        let number = number.min(long);
        data.keep_rows((number - 1) * ROWS_PER_PAGE, ROWS_PER_PAGE);
        let (sections, number, pages) = if long > 1 {
            (data.sections(true), number, long)
        } else {
            paged(data.sections(true), number)
        };
        let path = format!("/report/{kind}");
        let body = html! {
            nav.reports aria-label="Reports" { (report_links(Some(&kind))) }
            @if let Some(svg) = timeline {
                // Drawn by the HTML export's renderer, which escapes every value itself;
                // control characters shown as escapes, as everywhere else.
                div.scroll { (maud::PreEscaped(text(&svg))) }
            } @else if kind == "timeline" {
                p { "The chart is drawn for plans of up to " (DRAWN) " actions; \
                     the table lists each action's months, and " code { "iisg export --format html" }
                    " draws the chart of the whole plan." }
            }
            @if partial { p { (overlap::PARTIAL) } }
            (pager(&path, &pairs, number, pages))
            (page::sections(&sections))
            (pager(&path, &pairs, number, pages))
            p.json { a href={"/api/report/" (kind)} { "This report as JSON" } }
        };
        let heading = format!("Report: {}", kind.replace('-', " "));
        Ok(frame(&now, &heading, Tab::Reports, &body))
    })
    .await
}

/// Annex 1: each meeting's needs and sub-items, numbered as in the document, with what
/// answers each (as `report --coverage` and the Markdown export tell it).
async fn annex(State(site): State<Arc<Site>>) -> Response {
    answer(site, move |site| {
        let now = site.cache.snapshot()?;
        let plan = &now.plan;
        let coverage = crate::analysis::coverage::coverage(plan);
        let answers: std::collections::HashMap<&str, &crate::analysis::coverage::NeedCoverage> =
            coverage.needs.iter().map(|n| (n.need.as_str(), n)).collect();
        let answered = |id: &str| {
            let need = answers.get(id);
            let actions: Vec<i64> = need.map(|n| n.actions.clone()).unwrap_or_default();
            let rows: Vec<i64> = need.map(|n| n.logframe.clone()).unwrap_or_default();
            html! {
                @if actions.is_empty() && rows.is_empty() {
                    " " em.gap { "(answered by nothing yet)" }
                } @else {
                    " ("
                    @if !actions.is_empty() {
                        "actions "
                        @for (i, id) in actions.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href={"/actions/" (id)} { (id) }
                        }
                    }
                    @if !actions.is_empty() && !rows.is_empty() { "; " }
                    @if !rows.is_empty() {
                        "logframe rows "
                        @for (i, id) in rows.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href="/logframe" { (id) }
                        }
                    }
                    ")"
                }
            }
        };
        let body = html! {
            @if plan.forums.is_empty() {
                p { "The plan records no regional meeting." }
            }
            @for forum in &plan.forums {
                @let forum = &forum.record;
                h2 { (text(forum.heading.as_ref().map_or(forum.name.value.as_str(), |h| h.value.as_str()))) }
                ul.needs {
                    @for need in &forum.needs.value {
                        @let need = &need.value;
                        li id=(need.id.value) {
                            strong { (text(&need.id.value)) } " " (text(&need.text.value)) (answered(&need.id.value))
                            @if !need.items.is_empty() {
                                ul {
                                    @for sub in &need.items {
                                        li id=(sub.value.id.value) {
                                            strong { (text(&sub.value.id.value)) } " " (text(&sub.value.text.value)) (answered(&sub.value.id.value))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        };
        Ok(frame(&now, "Annex 1: needs of the regional meetings", Tab::Annex, &body))
    })
    .await
}

/// Annex 2: the logical framework, outcome, objectives and outputs, as the Markdown export
/// lays it out.
async fn logframe(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    answer(site, move |site| {
        let now = site.cache.snapshot()?;
        let plan = &now.plan;
        let grid = crate::render::document::logframe_grid(plan);
        let body = html! {
            (saved_notice(raw.as_deref()))
            @if site.visitor().can_write {
                p.actions { a.button href="/logframe/new" { "New logframe row" } }
            }
            @if plan.logframe.is_empty() {
                p { "The plan has no logframe row yet." }
            } @else {
                (page::table(&grid, Some("Outcome, objectives and outputs"), None))
            }
            @let reportable: Vec<i64> = plan.logframe.iter().filter(|r| super::progress::reportable(&r.record)).map(|r| r.record.id.value).collect();
            @if site.visitor().can_write && !reportable.is_empty() {
                h2 { "Report progress" }
                ul.links {
                    @for id in &reportable {
                        li { a href={ "/logframe/" (id) "/progress" } { "A value for row " (id) "'s indicators" } }
                    }
                }
            }
        };
        Ok(frame(
            &now,
            "Annex 2: logical framework",
            Tab::Logframe,
            &body,
        ))
    })
    .await
}

/// Links to every report, the open one marked.
fn report_links(open: Option<&str>) -> Markup {
    html! {
        ul.links {
            @for kind in REPORTS {
                li {
                    @if open == Some(*kind) {
                        a href={"/report/" (kind)} aria-current="page" { (kind.replace('-', " ")) }
                    } @else {
                        a href={"/report/" (kind)} { (kind.replace('-', " ")) }
                    }
                }
            }
        }
    }
}

async fn actions(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    answer(site, move |site| {
        let mut pairs = query::pairs(raw.as_deref().unwrap_or_default());
        let page_number = take_page(&mut pairs)?;
        // What a form that sent the browser here says (`saved=1&commit=…`) is no filter.
        let said: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "saved" | "commit" | "commit-failed"))
            .cloned()
            .collect();
        pairs.retain(|(k, _)| !matches!(k.as_str(), "saved" | "commit" | "commit-failed"));
        let said = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&said)
            .finish();
        let args: list::Args = query::args(&[], &pairs, LIST_FLAGS, LIST_SWITCHES)?;
        let now = site.cache.snapshot()?;
        let plan = &now.plan;
        let filter = list::filter(&args.filters, plan)?;
        // Rows are made of the page's actions only: a plan of 10,000 costs no more.
        let rows = list::matching(plan, &filter);
        let pages = rows.len().div_ceil(PAGE_SIZE).max(1);
        let page_number = page_number.min(pages);
        let shown = &rows[(page_number - 1) * PAGE_SIZE..rows.len().min(page_number * PAGE_SIZE)];
        let shown: Vec<action::ActionRow> = shown.iter().map(|a| action::ActionRow::new(a)).collect();
        let grid = action::grid(&shown);
        let link = |id: &str| format!("/actions/{id}");
        let body = html! {
            @if site.visitor().can_write {
                p.actions { a.button href="/actions/new" { "New action" } }
            }
            (saved_notice(Some(&said)))
            (filter_form(plan, &args.filters))
            p.count role="status" {
                @match rows.len() {
                    0 => "No action matches.",
                    1 => "1 action.",
                    n => { (n) " actions" @if pages > 1 { ", page " (page_number) " of " (pages) } "." }
                }
            }
            @if !rows.is_empty() {
                (page::table(&grid, Some("Actions"), Some(&link)))
            }
            @if pages > 1 {
                nav.pages aria-label="Pages" {
                    @if page_number > 1 {
                        a rel="prev" href=(page_href(&pairs, page_number - 1)) { "Previous page" }
                    }
                    @if page_number < pages {
                        a rel="next" href=(page_href(&pairs, page_number + 1)) { "Next page" }
                    }
                }
            }
            p.json { a href=(api_href(&pairs)) { "These actions as JSON" } }
        };
        Ok(frame(&now, "Actions", Tab::Actions, &body))
    })
    .await
}

/// The `page` parameter, taken out of the filters: a whole number from 1.
fn take_page(pairs: &mut Vec<(String, String)>) -> Result<usize, Failure> {
    let Some(index) = pairs.iter().position(|(key, _)| key == "page") else {
        return Ok(1);
    };
    let (_, value) = pairs.remove(index);
    match value.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Error::BadArgument(format!(
            "`{value}` is not a page: pages are numbered from 1"
        ))
        .into()),
    }
}

fn page_href(pairs: &[(String, String)], page: usize) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(pairs);
    query.append_pair("page", &page.to_string());
    format!("/actions?{}", query.finish())
}

fn api_href(pairs: &[(String, String)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(pairs);
    let query = query.finish();
    if query.is_empty() {
        "/api/actions".into()
    } else {
        format!("/api/actions?{query}")
    }
}

/// The filters of `list`, as a form that sends them back as query parameters.
fn filter_form(plan: &Plan, args: &list::Filters) -> Markup {
    let chosen = |status: Status| args.status.contains(&status);
    html! {
        form.filters method="get" action="/actions" role="search" {
            div.field {
                label for="status" { "Status" }
                select id="status" name="status" {
                    option value="" selected[args.status.is_empty()] { "Any" }
                    @for status in Status::ALL {
                        option value=(status.as_str()) selected[chosen(status)] { (status.as_str()) }
                    }
                }
            }
            (registry_select("partner", "Partner (lead or involved)", &plan.partners, args.partner.as_deref()))
            (registry_select("lead", "Lead", &plan.partners, args.lead.as_deref()))
            (registry_select("location", "Location", &plan.places, args.location.as_deref()))
            (registry_select("financing", "Financing", &plan.funding, args.financing.as_deref()))
            div.field {
                label for="search" { "Title or scope contains" }
                input id="search" name="search" type="search" value=[args.search.as_deref().map(text)];
            }
            div.field {
                label for="due-before" { "Due before (month or day)" }
                input id="due-before" name="due-before" type="text" placeholder="2019-06" value=[args.due_before.as_deref().map(text)];
            }
            div.field.check {
                input id="overdue" name="overdue" type="checkbox" value="true" checked[args.overdue];
                label for="overdue" { "Overdue only" }
            }
            div.buttons {
                button type="submit" { "Filter" }
                a href="/actions" { "Clear the filters" }
            }
        }
    }
}

/// A select of a registry's entries by name, sending the code; the value given stays
/// chosen (compared by what it resolves to, as `list` reads it).
fn registry_select<E: Entry>(
    name: &str,
    label: &str,
    registry: &Registry<E>,
    given: Option<&str>,
) -> Markup {
    let chosen = given
        .and_then(|g| registry.resolve(g))
        .map(|e| e.code().value.as_str());
    html! {
        div.field {
            label for=(name) { (label) }
            select id=(name) name=(name) {
                option value="" selected[chosen.is_none()] { "Any" }
                @for entry in registry.entries() {
                    @let code = entry.code().value.as_str();
                    option value=(text(code)) selected[chosen == Some(code)] {
                        (text(code))
                        @if entry.name() != code { " — " (text(entry.name())) }
                    }
                }
            }
        }
    }
}

async fn one_action(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = blocking(site, move |site| {
        let id = api::id_of(&id)?;
        let (now, text) = api::one_action(site, id)?;
        let action = now.plan.action(id).ok_or(Error::NoSuchAction(id))?;
        let tag = site.seen.note(&text);
        let detail = ActionDetail::new(&now.plan, action);
        let heading = format!("Action {id}: {}", detail.row.title);
        let body = html! {
            (saved_notice(raw.as_deref()))
            @if site.visitor().can_write {
                p.actions {
                    a.button href={"/actions/" (id) "/edit"} { "Edit" }
                    " "
                    a href={"/actions/" (id) "/remove"} { "Remove this action" }
                }
            }
            (page::table(&detail.grid(), Some("Every field"), None))
            (history(site, id))
            p.json { a href={"/api/actions/" (id)} { "This action as JSON" } }
            p { a href="/actions" { "All actions" } }
        };
        Ok((frame(&now, &heading, Tab::Actions, &body), tag))
    })
    .await;
    match result {
        Ok((markup, tag)) => {
            let mut response = typed(
                StatusCode::OK,
                "text/html; charset=utf-8",
                markup.into_string(),
            );
            if let Ok(tag) = axum::http::HeaderValue::from_str(&tag) {
                response.headers_mut().insert(axum::http::header::ETAG, tag);
            }
            response
        }
        Err(failure) => self::failure(&failure),
    }
}

/// The action's history, as `iisg log ID` tells it, when the plan is in git.
fn history(site: &Site, id: i64) -> Markup {
    let Ok(repo) = crate::store::Repo::open(&site.dir) else {
        return html! {};
    };
    let events =
        crate::analysis::history::follow(&repo, &crate::analysis::history::Subject::Action(id))
            .map(|h| h.events)
            .unwrap_or_default();
    html! {
        h2 { "History" }
        @if events.is_empty() {
            p { "In no commit yet: its history starts when it is committed." }
        } @else {
            (page::table(&crate::render::changes::history_grid(&events), Some("Each commit that changed it, newest first"), None))
        }
    }
}

/// "Saved", after a form sent the browser here (`?saved=1`), with what became of the git
/// commit (`commit=HASH`, or `commit-failed=WHY`).
pub fn saved_notice(raw: Option<&str>) -> Markup {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    html! {
        @if get("saved").is_some() {
            p.saved role="status" {
                "Saved."
                @if let Some(hash) = get("commit") { " Committed to git as " code { (text(hash)) } "." }
            }
            @if let Some(why) = get("commit-failed") {
                p.error role="alert" { "The change is saved, but the git commit failed: " (text(why)) }
            }
        }
    }
}

async fn findings(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    answer(site, move |site| {
        let (number, pairs) = page_of(raw.as_deref())?;
        let (now, options, first) = api::check(site, Some(&without_page(&pairs)))?;
        // Only the page's findings are held whole.
        let findings = crate::check::Listing::new(&now.plan, options, first);
        let (errors, warnings) = findings.count();
        let pages = findings.len().div_ceil(ROWS_PER_PAGE).max(1);
        let number = number.min(pages);
        let shown = findings
            .iter((number - 1) * ROWS_PER_PAGE)
            .take(ROWS_PER_PAGE);
        let body = html! {
            p.count role="status" { (errors) " errors, " (warnings) " warnings." }
            (pager("/findings", &pairs, number, pages))
            @if !findings.is_empty() {
                div.scroll {
                    table.findings {
                        caption { "What validate finds" }
                        thead { tr {
                            th scope="col" { "Severity" }
                            th scope="col" { "Rule" }
                            th scope="col" { "File and line" }
                            th scope="col" { "Finding" }
                        } }
                        tbody {
                            @for finding in shown {
                                @let severity = if finding.severity == Severity::Error { "error" } else { "warning" };
                                tr class=(severity) {
                                    td { (severity) }
                                    td { code { (finding.code.as_str()) } }
                                    td { code { (text(&finding.file)) ":" (finding.line) ":" (finding.column) } }
                                    td {
                                        (text(&finding.message))
                                        @if let Some(help) = &finding.help {
                                            br; span.help { "help: " (text(help)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (pager("/findings", &pairs, number, pages))
            p.json { a href="/api/findings" { "These findings as JSON" } }
        };
        Ok(frame(&now, "Findings", Tab::Findings, &body))
    })
    .await
}

async fn style() -> Response {
    typed(
        StatusCode::OK,
        "text/css; charset=utf-8",
        format!("{}{}", page::STYLE, crate::render::html::TIMELINE_STYLE),
    )
}

/// The tab's icon: without one, a browser asks for `/favicon.ico` on every page.
async fn icon() -> Response {
    typed(StatusCode::OK, "image/svg+xml", page::ICON.to_string())
}

async fn unknown(uri: axum::http::Uri) -> Response {
    failure(&Failure::not_found(uri.path()))
}

/// Runs `work` and answers with its page, or the failure's page.
async fn answer(
    site: Arc<Site>,
    work: impl FnOnce(&Site) -> Result<Markup, Failure> + Send + 'static,
) -> Response {
    match blocking(site, work).await {
        Ok(markup) => typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            markup.into_string(),
        ),
        Err(failure) => self::failure(&failure),
    }
}

/// The failure's page, with its status.
pub fn failure(failure: &Failure) -> Response {
    let markup = page::failure(
        failure.status.as_u16(),
        &failure.error,
        failure.help.as_deref(),
    );
    typed(
        failure.status,
        "text/html; charset=utf-8",
        markup.into_string(),
    )
}

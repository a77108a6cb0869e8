//! The pages' frame and pieces, in maud: every value goes through its escaping, and
//! through [`text`], which shows control characters as escapes instead of passing them.

use maud::{DOCTYPE, Markup, html};

use crate::render::{Grid, report::Section, terminal};

/// The style sheet, inside the binary.
pub const STYLE: &str = include_str!("style.css");
/// The tab's icon, inside the binary.
pub const ICON: &str = include_str!("icon.svg");

/// Text from the plan, its control characters shown as `\u001b` and the like (as the
/// terminal output shows them); maud escapes what HTML would read.
#[must_use]
pub fn text(value: &str) -> String {
    terminal::clean(value).into_owned()
}

/// Which page of the menu is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// `/`.
    Summary,
    /// `/actions`.
    Actions,
    /// `/report/…`.
    Reports,
    /// `/findings`.
    Findings,
    /// `/partners`, `/locations`, `/funding`, `/plan`.
    Registries,
    /// `/annex`.
    Annex,
    /// `/logframe`.
    Logframe,
    /// None of them.
    None,
}

/// A whole page: head, the plan's name, the menu, then `body`.
#[must_use]
pub fn frame(plan_title: &str, heading: &str, tab: Tab, body: &Markup) -> Markup {
    live_frame(None, plan_title, heading, tab, body)
}

/// [`frame`] of a page made from the plan's `version`: its script offers to reload the page
/// once the plan has another.
#[must_use]
pub fn live_frame(
    version: Option<&str>,
    plan_title: &str,
    heading: &str,
    tab: Tab,
    body: &Markup,
) -> Markup {
    let menu = [
        ("/", "Summary", Tab::Summary),
        ("/actions", "Actions", Tab::Actions),
        ("/report/by-partner", "Reports", Tab::Reports),
        ("/annex", "Annex 1", Tab::Annex),
        ("/logframe", "Logframe", Tab::Logframe),
        ("/findings", "Findings", Tab::Findings),
        ("/partners", "Registries", Tab::Registries),
    ];
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (text(heading)) " · " (text(plan_title)) }
                link rel="stylesheet" href="/assets/style.css";
                link rel="icon" type="image/svg+xml" href="/assets/icon.svg";
                @if let Some(version) = version {
                    meta name="plan-version" content=(version);
                    script src="/assets/live.js" defer {}
                }
            }
            body {
                header {
                    p.plan { a href="/" { (text(plan_title)) } }
                    @if let Some((user, csrf)) = super::session::person() {
                        form.person method="post" action="/logout" {
                            span { (text(&user.name)) " (" (user.role.as_str()) ")" }
                            " "
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" { "Log out" }
                        }
                    }
                    nav aria-label="Main" {
                        ul {
                            @for (href, label, this) in menu {
                                li {
                                    @if this == tab {
                                        a href=(href) aria-current="page" { (label) }
                                    } @else {
                                        a href=(href) { (label) }
                                    }
                                }
                            }
                        }
                    }
                }
                main {
                    h1 { (text(heading)) }
                    (body)
                }
            }
        }
    }
}

/// A table of a grid; `link` makes the first column's cells links.
#[must_use]
pub fn table(grid: &Grid, caption: Option<&str>, link: Option<&dyn Fn(&str) -> String>) -> Markup {
    html! {
        div.scroll {
            table {
                @if let Some(caption) = caption {
                    caption { (text(caption)) }
                }
                thead {
                    tr {
                        @for header in &grid.headers {
                            th scope="col" class=(column_class(header)) { (text(header)) }
                        }
                    }
                }
                tbody {
                    @for row in &grid.rows {
                        tr {
                            @for (index, cell) in row.iter().enumerate() {
                                @let class = grid.headers.get(index).map(|h| column_class(h));
                                @match (index, link) {
                                    (0, Some(link)) => {
                                        th scope="row" class=[class] { a href=(link(cell)) { (text(cell)) } }
                                    }
                                    _ => { td class=[class] { (lines(cell)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A report's sections, each a table under its heading.
#[must_use]
pub fn sections(sections: &[Section]) -> Markup {
    html! {
        @for section in sections {
            section {
                @if let Some(title) = &section.title {
                    h2 { (text(title)) }
                }
                @if section.grid.rows.is_empty() {
                    p.empty { "Nothing to show." }
                } @else {
                    (table(&section.grid, None, None))
                }
            }
        }
    }
}

/// A cell's lines, kept as lines.
fn lines(cell: &str) -> Markup {
    html! {
        @for (index, line) in cell.lines().enumerate() {
            @if index > 0 { br; }
            (text(line))
        }
    }
}

/// `col-involved` for `Involved`: a class the style sheet can hide on a phone.
fn column_class(header: &str) -> String {
    let slug: String = header
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("col-{slug}")
}

/// The page of a failure: what went wrong and what to do.
#[must_use]
pub fn failure(status: u16, error: &str, help: Option<&str>) -> Markup {
    let heading = match status {
        400 => "Not understood",
        401 => "Log in first",
        403 => "Not allowed",
        404 => "Not found",
        421 => "Not this server",
        _ => "Something went wrong",
    };
    frame(
        "iisg",
        heading,
        Tab::None,
        &html! {
            p.error role="alert" { (text(error)) }
            @if let Some(help) = help {
                p.help { (text(help)) }
            }
            p { a href="/" { "Back to the summary" } }
        },
    )
}

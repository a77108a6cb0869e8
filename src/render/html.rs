//! The plan as one self-contained HTML page: the List of Actions with filtering and sorting,
//! a timeline in SVG, the coverage of Annex 1's needs and each partner's share. Everything
//! is inline — no script, style, font or image is fetched from anywhere.

use std::fmt::Write as _;
use std::io;

use super::Stream;
use super::action::{ActionRow, financing_text};
use super::document::{actions_by_id, subtitle, title};
use crate::analysis::coverage::NeedCoverage;
use crate::analysis::dashboard::{self, PartnerShare};
use crate::model::{Action, Month, Status, Window};
use crate::store::{Loaded, Plan};

/// Text made safe inside HTML elements and quoted attributes.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The timeline's and the status chips' style, shared with `iisg serve`'s style sheet.
pub const TIMELINE_STYLE: &str = r#"
.status { display: inline-block; padding: 0 0.5em; border-radius: 1em; color: #fff; font-size: 0.9em; white-space: nowrap; }
.s-requested { background: #bc4c00; } .s-planned { background: #57606a; } .s-in-progress { background: #0969da; }
.s-completed { background: #1a7f37; } .s-postponed { background: #8250df; } .s-cancelled { background: #6e7781; }
svg text { font: 11px system-ui, sans-serif; fill: #1b1f23; }
svg .month { fill: #57606a; }
svg .event { font-style: italic; fill: #57606a; }
.legend { display: flex; gap: 1.2em; flex-wrap: wrap; margin: 0.5em 0; color: #57606a; }
.legend span[class^="l-"]::before { content: ""; display: inline-block; width: 1.6em; height: 0.8em; margin-right: 0.4em; vertical-align: middle; }
.legend .l-within::before { background: #0969da; }
.legend .l-deadline::before { background: repeating-linear-gradient(135deg, #0969da 0 3px, #fff 3px 6px); border: 1px solid #0969da; }
.legend .l-event::before { border-top: 2px dashed #57606a; height: 0; }
.legend .l-asof::before { border-left: 2px solid #cf222e; width: 0; }
"#;

const STYLE: &str = r#"
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 1em 2em; max-width: 1400px; color: #1b1f23; background: #fff; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 2px solid #d0d7de; padding-bottom: 0.2em; }
.subtitle { color: #57606a; margin-top: 0; }
.controls { display: flex; gap: 1em; align-items: center; margin: 0.5em 0; }
.controls input { padding: 0.3em 0.5em; width: 22em; }
.controls select { padding: 0.3em; }
#count { color: #57606a; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
#actions-table thead th { cursor: pointer; user-select: none; white-space: nowrap; }
#actions-table thead th[aria-sort="ascending"]::after { content: " ▲"; }
#actions-table thead th[aria-sort="descending"]::after { content: " ▼"; }
tbody tr:nth-child(even) { background: #fafbfc; }
tr.gap td { background: #ffebe9; }
tr.gap td.need { border-left: 4px solid #cf222e; }
td.no-data { color: #57606a; font-style: italic; }
td.need { white-space: nowrap; }
.none { color: #8c959f; }
"#;

const SCRIPT: &str = r"
(function () {
  var table = document.getElementById('actions-table');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById('filter');
  var status = document.getElementById('status');
  var count = document.getElementById('count');
  function apply() {
    var query = filter.value.trim().toLowerCase();
    var wanted = status.value;
    var shown = 0;
    rows.forEach(function (row) {
      var keep = (!query || row.textContent.toLowerCase().indexOf(query) >= 0) &&
        (!wanted || row.getAttribute('data-status') === wanted);
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = shown + ' of ' + rows.length + ' actions';
  }
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    function sort() {
      var direction = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
      var numeric = th.getAttribute('data-type') === 'number';
      function key(row) {
        var text = row.cells[index].textContent.trim();
        return numeric ? (parseFloat(text) || 0) : text.toLowerCase();
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * direction;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
  });
  filter.addEventListener('input', apply);
  status.addEventListener('change', apply);
  apply();
})();
";

/// The whole page, written to `out` a row at a time.
pub fn dashboard(plan: &Plan, out: &mut Stream) -> io::Result<()> {
    let actions = actions_by_id(plan);
    let title = escape(title(plan));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <title>{title}</title>\n<style>{STYLE}{TIMELINE_STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>{title}</h1>\n<p class=\"subtitle\">{}</p>\n</header>\n",
        escape(&subtitle(plan))
    );
    actions_section(&actions, out)?;
    timeline_section(plan, &actions, out)?;
    coverage_section(&crate::analysis::coverage::coverage(plan).needs, out)?;
    partners_section(&dashboard::partners(plan), out)?;
    results_section(&crate::analysis::results::results(plan), out)?;
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out.done()
}

fn actions_section(actions: &[&Loaded<Action>], out: &mut Stream) -> io::Result<()> {
    out.push_str(
        "<section id=\"actions\">\n<h2>List of Actions</h2>\n<div class=\"controls\">\n\
         <input id=\"filter\" type=\"search\" placeholder=\"Filter: any word of any column\" aria-label=\"Filter the actions\">\n\
         <select id=\"status\" aria-label=\"Status\">\n<option value=\"\">All statuses</option>\n",
    );
    for status in Status::ALL {
        let _ = writeln!(out, "<option value=\"{status}\">{status}</option>");
    }
    let _ = write!(
        out,
        "</select>\n<span id=\"count\">{n} of {n} actions</span>\n</div>\n\
         <table id=\"actions-table\">\n<thead><tr>",
        n = actions.len()
    );
    for (heading, numeric) in [
        ("#", true),
        ("Action", false),
        ("Lead", false),
        ("Involved", false),
        ("Location", false),
        ("Scope", false),
        ("Timeline", false),
        ("Status", false),
        ("Financing", false),
    ] {
        let kind = if numeric { " data-type=\"number\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\" tabindex=\"0\"{kind}>{heading}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for loaded in actions {
        let row = ActionRow::new(loaded);
        let status = match row.requested_by {
            Some(by) => format!("{} ({})", row.status, escape(by)),
            None => row.status.to_string(),
        };
        let _ = writeln!(
            out,
            "<tr data-id=\"{id}\" data-status=\"{s}\" id=\"action-{id}\"><td>{id}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"status s-{s}\">{status}</span></td><td>{}</td></tr>",
            escape(row.title),
            escape(&row.lead.join(", ")),
            escape(&row.involved.join(", ")),
            escape(&row.locations.join(", ")),
            escape(row.scope),
            escape(row.timeline),
            escape(&financing_text(&row.financing)),
            id = row.id,
            s = row.status,
        );
        out.done()?;
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    Ok(())
}

/// Geometry of the timeline.
const LABEL: i64 = 330;
const MONTH: i64 = 44;
const ROW: i64 = 20;
const TOP: i64 = 34;

fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Requested => "#bc4c00",
        Status::Planned => "#57606a",
        Status::InProgress => "#0969da",
        Status::Completed => "#1a7f37",
        Status::Postponed => "#8250df",
        Status::Cancelled => "#8c959f",
    }
}

/// The timeline of every action, in SVG with its legend, as the dashboard draws it.
#[must_use]
pub fn timeline(plan: &Plan) -> String {
    Stream::string(|out| timeline_section(plan, &actions_by_id(plan), out))
}

fn timeline_section(plan: &Plan, actions: &[&Loaded<Action>], out: &mut Stream) -> io::Result<()> {
    let Some(info) = &plan.info else {
        return Ok(());
    };
    let start = info.record.period.value.start.value;
    let end = info.record.period.value.end.value;
    let months = start.months_until(end) + 1;
    if months <= 0 {
        return Ok(());
    }
    let width = LABEL + months * MONTH + 10;
    let height = TOP + ROW * i64::try_from(actions.len()).unwrap_or(0) + 10;
    let x_of = |month: Month| LABEL + start.months_until(month) * MONTH;
    let _ = write!(
        out,
        "<section id=\"timeline\">\n<h2>Timeline</h2>\n<div class=\"legend\"><span class=\"l-within\">within these months</span>\
         <span class=\"l-deadline\">due by the end of a month (no start given)</span>\
         <span class=\"l-event\">waits on an event</span><span class=\"l-asof\">statuses as of</span>"
    );
    for s in Status::ALL {
        let _ = write!(out, "<span class=\"status s-{s}\">{s}</span>");
    }
    let _ = write!(
        out,
        "</div>\n<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Timeline of the actions by month\">\n\
         <defs>"
    );
    for status in Status::ALL {
        let _ = write!(
            out,
            "<pattern id=\"due-{status}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"{}\"/></pattern>",
            status_colour(status)
        );
    }
    out.push_str("</defs>\n");
    for i in 0..months {
        let month = start.plus(i32::try_from(i).unwrap_or(0));
        let x = LABEL + i * MONTH;
        let shade = if month.year() % 2 == 0 {
            "#f6f8fa"
        } else {
            "#ffffff"
        };
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{TOP}\" width=\"{MONTH}\" height=\"{}\" fill=\"{shade}\" stroke=\"#eaeef2\"/>",
            height - TOP - 10
        );
        let name = &month.name()[..3];
        let _ = write!(
            out,
            "<text class=\"month\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{name}</text>",
            x + MONTH / 2,
            TOP - 6
        );
        if i == 0 || month.month() == 1 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>",
                x + 2,
                TOP - 20,
                month.year()
            );
        }
    }
    out.push('\n');
    for (index, loaded) in actions.iter().enumerate() {
        let row = ActionRow::new(loaded);
        let y = TOP + ROW * i64::try_from(index).unwrap_or(0);
        let label = short(row.title, 48);
        let _ = write!(
            out,
            "<g data-id=\"{}\"><title>#{} {} — {}</title><text x=\"4\" y=\"{}\">{} {}</text>",
            row.id,
            row.id,
            escape(row.title),
            escape(row.timeline),
            y + 14,
            row.id,
            escape(&label)
        );
        out.push_str(&bar(&row, (start, end), y, width));
        out.push_str("</g>\n");
        out.done()?;
    }
    if let Some(as_of) = info.record.as_of() {
        let month = Month::of_date(as_of);
        if month >= start && month <= end {
            let days = f64::from(as_of.format("%d").to_string().parse::<u32>().unwrap_or(1));
            let offset = ((days - 1.0) / 31.0 * MONTH as f64).round() as i64;
            let x = x_of(month) + offset;
            let _ = write!(
                out,
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#cf222e\" stroke-width=\"2\"><title>statuses as of {as_of}</title></line>",
                TOP - 4,
                height - 10
            );
        }
    }
    out.push_str("</svg>\n</section>\n");
    Ok(())
}

/// One action's mark on the timeline: a bar within its months, a hatched bar up to its
/// deadline, a dashed line for an event it waits on.
fn bar(row: &ActionRow, (start, end): (Month, Month), y: i64, width: i64) -> String {
    let mut out = String::new();
    let x_of = |month: Month| LABEL + start.months_until(month) * MONTH;
    let colour = status_colour(row.status);
    let clamp = |m: Month| m.max(start).min(end);
    match row.window.as_ref().map(|t| &t.window) {
        Some(Window::Within {
            start: from,
            end: to,
        }) if *to >= start && *from <= end => {
            let (x1, x2) = (x_of(clamp(*from)), x_of(clamp(*to)) + MONTH);
            let _ = write!(
                out,
                "<rect class=\"bar within\" x=\"{x1}\" y=\"{}\" width=\"{}\" height=\"12\" rx=\"3\" fill=\"{colour}\"/>",
                y + 4,
                x2 - x1
            );
        }
        Some(Window::Deadline { end: due }) if *due >= start => {
            let x2 = x_of(clamp(*due)) + MONTH;
            let _ = write!(
                out,
                "<rect class=\"bar deadline\" x=\"{LABEL}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"url(#due-{})\" stroke=\"{colour}\"/>\
                     <rect x=\"{}\" y=\"{}\" width=\"4\" height=\"16\" fill=\"{colour}\"/>",
                y + 4,
                x2 - LABEL,
                row.status,
                x2 - 4,
                y + 2
            );
        }
        Some(Window::Event { event }) => {
            let _ = write!(
                out,
                "<line class=\"bar event\" x1=\"{LABEL}\" y1=\"{y0}\" x2=\"{}\" y2=\"{y0}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\
                     <text class=\"event\" x=\"{}\" y=\"{}\">waits: {}</text>",
                width - 10,
                LABEL + 6,
                y + 8,
                escape(&short(event, 90)),
                y0 = y + 13
            );
        }
        Some(_) => {
            let _ = write!(
                out,
                "<text class=\"event\" x=\"{}\" y=\"{}\">outside the plan's period</text>",
                LABEL + 6,
                y + 14
            );
        }
        None => {
            let _ = write!(
                out,
                "<text class=\"event\" x=\"{}\" y=\"{}\">timeline not readable: {}</text>",
                LABEL + 6,
                y + 14,
                escape(row.timeline)
            );
        }
    }
    out
}

/// At most `max` characters, with an ellipsis when cut.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn ids(ids: &[i64], prefix: &str) -> String {
    if ids.is_empty() {
        return "<span class=\"none\">—</span>".into();
    }
    ids.iter()
        .map(|id| {
            if prefix.is_empty() {
                id.to_string()
            } else {
                format!("<a href=\"#{prefix}{id}\">{id}</a>")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn coverage_section(needs: &[NeedCoverage], out: &mut Stream) -> io::Result<()> {
    // The one answer `report --coverage` gives too: a sub-item is answered by what answers
    // it or its need; a need, by what answers it or one of its sub-items.
    let gap = |n: &NeedCoverage| n.actions.is_empty() && n.logframe.is_empty();
    let gaps = needs.iter().filter(|n| gap(n)).count();
    let _ = write!(
        out,
        "<section id=\"coverage\">\n<h2>Coverage of Annex 1</h2>\n<p>{} needs and sub-items; {gaps} answered by no action and no logframe row (highlighted).</p>\n\
         <table id=\"coverage-table\">\n<thead><tr><th scope=\"col\">Need</th><th scope=\"col\">Text</th><th scope=\"col\">Actions</th><th scope=\"col\">Logframe rows</th></tr></thead>\n<tbody>\n",
        needs.len()
    );
    for need in needs {
        let class = if gap(need) { " class=\"gap\"" } else { "" };
        let indent = if need.parent.is_some() {
            "&nbsp;&nbsp;&nbsp;"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr{class} data-need=\"{id}\"><td class=\"need\">{indent}{id}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&need.text),
            ids(&need.actions, "action-"),
            ids(&need.logframe, ""),
            id = escape(&need.need),
        );
        out.done()?;
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    Ok(())
}

fn partners_section(partners: &[PartnerShare], out: &mut Stream) -> io::Result<()> {
    out.push_str(
        "<section id=\"partners\">\n<h2>Partners</h2>\n<table id=\"partners-table\">\n<thead><tr><th scope=\"col\">Partner</th><th scope=\"col\">Name</th>\
         <th scope=\"col\">Leads</th><th scope=\"col\">Involved in</th><th scope=\"col\">Actions</th></tr></thead>\n<tbody>\n",
    );
    for partner in partners {
        let _ = writeln!(
            out,
            "<tr data-partner=\"{code}\"><td>{code}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(partner.name),
            ids(&partner.leads, "action-"),
            ids(&partner.involved, "action-"),
            partner.leads.len() + partner.involved.len(),
            code = escape(partner.code),
        );
        out.done()?;
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    Ok(())
}

/// `report --results`: each indicator, baseline → latest value → target and the share of
/// the way, "no data" marked; the rows without indicators named after.
fn results_section(
    results: &crate::analysis::results::Results,
    out: &mut Stream,
) -> io::Result<()> {
    use crate::analysis::results::NO_DATA;
    out.push_str("<section id=\"results\">\n<h2>Results</h2>\n");
    let (with, without): (Vec<_>, Vec<_>) =
        results.rows.iter().partition(|r| !r.indicators.is_empty());
    if !with.is_empty() {
        out.push_str("<table id=\"results-table\">\n<thead><tr>");
        for heading in super::report::RESULT_HEADERS {
            let _ = write!(out, "<th scope=\"col\">{heading}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &with {
            for i in &row.indicators {
                let cells = super::report::result_cells(row.id, i);
                out.push_str("<tr>");
                for cell in cells {
                    let class = if cell == NO_DATA {
                        " class=\"no-data\""
                    } else {
                        ""
                    };
                    let _ = write!(out, "<td{class}>{}</td>", escape(&cell));
                }
                out.push_str("</tr>\n");
                out.done()?;
            }
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !without.is_empty() {
        let rows: Vec<String> = without.iter().map(|r| r.id.to_string()).collect();
        let _ = writeln!(
            out,
            "<p>Logframe rows without indicators: {}.</p>",
            rows.join(", ")
        );
    }
    out.push_str("</section>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn shortens_on_characters() {
        assert_eq!(short("Čačak–Šabac", 5), "Čača…");
        assert_eq!(short("abc", 5), "abc");
    }
}

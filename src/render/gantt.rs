//! The timeline report as a Gantt chart for the terminal: a row per action, a column per
//! month, block characters for windows, a marked column for `as_of`, and a legend.

use std::fmt::Write as _;

use super::Style;
use crate::analysis::report::{TimelineReport, TimelineRow};
use crate::model::{Month, Status, Window};

/// What a cell holds, drawn with a character and coloured by status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Nothing in this month.
    Empty,
    /// Within the window.
    Window,
    /// Before a deadline: it may happen then.
    Before,
    /// The deadline's month.
    Due,
    /// The `as_of` month, where the row has nothing.
    AsOf,
    /// Text (an event the action waits on).
    Text,
}

fn symbol(status: Status) -> (char, &'static str) {
    match status {
        Status::Completed => ('✔', "32"),
        Status::InProgress => ('▶', "33"),
        Status::Planned => ('○', "34"),
        Status::Requested => ('?', "35"),
        Status::Postponed => ('‖', "90"),
        Status::Cancelled => ('✘', "31"),
    }
}

/// The cells of one row, `width` characters per month.
#[must_use]
pub fn bar(report: &TimelineReport, row: &TimelineRow, width: usize) -> Vec<(char, Mark)> {
    let months = month_count(report);
    let as_of = Month::of_date(report.as_of);
    let column = |m: Month| usize::try_from(report.start.months_until(m)).ok();
    let mut cells = vec![(' ', Mark::Empty); months * width];
    let mut fill = |from: usize, to: usize, c: char, mark: Mark| {
        for month in from..=to.min(months.saturating_sub(1)) {
            for cell in &mut cells[month * width..(month + 1) * width] {
                *cell = (c, mark);
            }
        }
    };
    match &row.window {
        Some(Window::Within { start, end }) => {
            if let (Some(a), Some(b)) = (column(*start), column(*end)) {
                fill(a, b, '█', Mark::Window);
            }
        }
        Some(Window::Deadline { end }) => {
            if let Some(b) = column(*end) {
                if b > 0 {
                    fill(0, b - 1, '·', Mark::Before);
                }
                fill(b, b, '◆', Mark::Due);
            }
        }
        Some(Window::Event { event }) => {
            let text = format!("⧗ after {event}");
            let start = column(as_of).unwrap_or(0) * width;
            for (i, c) in text.chars().enumerate() {
                if let Some(cell) = cells.get_mut(start + i) {
                    *cell = (c, Mark::Text);
                }
            }
        }
        None => {
            for (cell, c) in cells.iter_mut().zip("? timeline not readable".chars()) {
                *cell = (c, Mark::Text);
            }
        }
    }
    if let Some(a) = column(as_of) {
        let at = a * width + width / 2;
        if let Some(cell) = cells.get_mut(at)
            && matches!(cell.1, Mark::Empty | Mark::Before)
        {
            *cell = ('│', Mark::AsOf);
        }
    }
    cells
}

fn month_count(report: &TimelineReport) -> usize {
    usize::try_from(report.start.months_until(report.end) + 1).unwrap_or(1)
}

/// The chart, fitted to `columns` characters.
#[must_use]
pub fn chart(report: &TimelineReport, columns: usize, style: Style) -> String {
    let months = month_count(report);
    let fixed = 6; // "999 ✔ " before the title
    let width = [3, 2, 1]
        .into_iter()
        .find(|w| fixed + 16 + 1 + months * w <= columns)
        .unwrap_or(1);
    let title_width = columns
        .saturating_sub(fixed + 1 + months * width)
        .clamp(16, 48);
    let pad = " ".repeat(fixed + title_width + 1);
    let mut out = String::new();
    // Years over their first month, month initials under them, the as_of column marked.
    let mut years = String::new();
    let mut initials = String::new();
    let mut marker = String::new();
    let as_of = Month::of_date(report.as_of);
    for index in 0..months {
        let month = report.start.plus(i32::try_from(index).unwrap_or(0));
        let label = if index == 0 || month.month() == 1 {
            month.year().to_string()
        } else {
            String::new()
        };
        if years.chars().count() <= index * width {
            years.push_str(&" ".repeat(index * width - years.chars().count()));
            years.push_str(&label);
        }
        let initial = month.name().chars().next().unwrap_or(' ');
        let _ = write!(initials, "{initial:<width$}");
        let here = if month == as_of { "▼" } else { " " };
        let _ = write!(
            marker,
            "{}{here:<rest$}",
            " ".repeat(width / 2),
            rest = width - width / 2
        );
    }
    let _ = writeln!(out, "{pad}{}", years.trim_end());
    let _ = writeln!(out, "{pad}{}", initials.trim_end());
    let _ = writeln!(out, "{pad}{}", style.paint("1", marker.trim_end()));
    for row in &report.actions {
        let (sym, colour) = symbol(row.status);
        let mut title: String = row.title.chars().take(title_width).collect();
        if row.title.chars().count() > title_width {
            title.pop();
            title.push('…');
        }
        let mut line = format!(
            "{:>3} {} {title:<title_width$} ",
            row.id,
            style.paint(colour, &sym.to_string())
        );
        for (c, mark) in bar(report, row, width) {
            let text = c.to_string();
            match mark {
                Mark::Window | Mark::Due | Mark::Before => {
                    line.push_str(&style.paint(colour, &text));
                }
                Mark::AsOf => line.push_str(&style.paint("1", &text)),
                Mark::Empty | Mark::Text => line.push_str(&text),
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let _ = writeln!(
        out,
        "\n█ within the window   ·◆ due by the end of ◆'s month   ⧗ waits on an event   │▼ as of {}",
        report.as_of
    );
    let _ = writeln!(
        out,
        "✔ completed   ▶ in progress   ○ planned   ? requested   ‖ postponed   ✘ cancelled"
    );
    out
}

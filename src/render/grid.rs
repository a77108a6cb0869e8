//! A table of text cells, drawn as a terminal table, CSV or Markdown.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets};
use unicode_width::UnicodeWidthStr as _;

use super::{Style, cell};

/// Headers and rows of text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as the headers.
    pub rows: Vec<Vec<String>>,
    /// How readily each column is left out on a narrow terminal: 0 never, higher first.
    /// Empty: every column is kept.
    pub drop_order: Vec<u8>,
}

impl Grid {
    /// An empty grid with these headers.
    #[must_use]
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(ToString::to_string).collect(),
            rows: Vec::new(),
            drop_order: Vec::new(),
        }
    }

    /// The same grid, its columns left out on a narrow terminal in this order (one number a
    /// column: 0 never, higher first).
    #[must_use]
    pub fn dropping(mut self, order: &[u8]) -> Self {
        self.drop_order = order.to_vec();
        self
    }

    /// The columns kept on a terminal `width` characters wide: the least important ones go
    /// until every kept column can hold its longest word, so no word is cut in pieces.
    fn fitting(&self, width: usize) -> Vec<usize> {
        let longest_word = |column: usize| {
            std::iter::once(&self.headers[column])
                .chain(self.rows.iter().map(|r| &r[column]))
                .flat_map(|cell| cell.split_whitespace())
                .map(|word| word.chars().count())
                .max()
                .unwrap_or(0)
        };
        let mut kept: Vec<usize> = (0..self.headers.len()).collect();
        let needed = |kept: &[usize]| kept.iter().map(|&c| longest_word(c) + 3).sum::<usize>() + 1;
        while needed(&kept) > width {
            let Some((at, _)) = kept
                .iter()
                .enumerate()
                .filter(|&(_, &c)| self.drop_order.get(c).copied().unwrap_or(0) > 0)
                .max_by_key(|&(_, &c)| (self.drop_order[c], c))
            else {
                break;
            };
            kept.remove(at);
        }
        kept
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// A table for the terminal: fitted to its width there, unwrapped ASCII when piped.
    #[must_use]
    pub fn table(&self, style: Style) -> String {
        if !style.terminal
            && let Some(text) = self.ascii()
        {
            return text;
        }
        self.laid_out(style)
    }

    /// The unwrapped ASCII table, drawn as comfy-table draws it (`ASCII_FULL_CONDENSED`, no
    /// arrangement) but straight into one string: comfy-table keeps every cell's lines,
    /// padded, and then every line of the table at once, three copies of a big table (a
    /// report of 72,000 overdue actions took 324 MB where its CSV takes 171 MB). `None`
    /// where comfy-table would wrap after all: a line wider than it counts (65,535), or no
    /// column.
    fn ascii(&self) -> Option<String> {
        let clean = super::terminal::clean;
        let mut widths = vec![1; self.headers.len()];
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            for (width, cell) in widths.iter_mut().zip(row) {
                for line in clean(cell).split('\n') {
                    *width = (*width).max(shown_width(line));
                }
            }
        }
        if widths.is_empty() || widths.iter().any(|&w| w > usize::from(u16::MAX)) {
            return None;
        }
        let rule = |text: &mut String, fill: &str, junction: char| {
            text.push('+');
            for (column, width) in widths.iter().enumerate() {
                if column > 0 {
                    text.push(junction);
                }
                text.push_str(&fill.repeat(width + 2));
            }
            text.push_str("+\n");
        };
        let line_length = widths.iter().map(|w| w + 3).sum::<usize>() + 2;
        let mut text = String::with_capacity(line_length * (self.rows.len() + 4));
        rule(&mut text, "-", '+');
        for (index, row) in std::iter::once(&self.headers).chain(&self.rows).enumerate() {
            let cells: Vec<_> = row.iter().map(|cell| clean(cell)).collect();
            let height = cells
                .iter()
                .map(|c| c.split('\n').count())
                .max()
                .unwrap_or(1);
            let mut lines: Vec<_> = cells.iter().map(|c| c.split('\n')).collect();
            for _ in 0..height {
                text.push('|');
                for (cell, width) in lines.iter_mut().zip(&widths) {
                    let line = cell.next().unwrap_or("");
                    text.push(' ');
                    text.push_str(line);
                    pad(&mut text, width - shown_width(line) + 1);
                    text.push('|');
                }
                text.push('\n');
            }
            if index == 0 {
                rule(&mut text, "=", '=');
            }
        }
        rule(&mut text, "-", '+');
        Some(text)
    }

    /// The table laid out by comfy-table: fitted to the terminal's width.
    fn laid_out(&self, style: Style) -> String {
        let mut table = Table::new();
        if style.terminal {
            table
                .load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table
                .load_style(presets::ASCII_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled);
        }
        // The terminal's width, asked before colour is turned off (which hides the terminal
        // from comfy-table), so that a table without colour is fitted too.
        // A terminal that reports no size (0 columns) is taken as unknown.
        let width = table.width().filter(|w| *w >= 20);
        if !style.color {
            table.force_no_tty();
            if let (true, Some(width)) = (style.terminal, width) {
                table.set_width(width);
            }
        }
        let width = width.map(usize::from);
        let kept: Vec<usize> = match width {
            Some(width) if style.terminal && !self.drop_order.is_empty() => self.fitting(width),
            _ => (0..self.headers.len()).collect(),
        };
        // Escaped before the layout, so that the columns are as wide as what is shown.
        table.set_header(
            kept.iter()
                .map(|&c| super::terminal::clean(&self.headers[c])),
        );
        for row in &self.rows {
            table.add_row(kept.iter().map(|&c| super::terminal::clean(&row[c])));
        }
        let mut text = table.to_string();
        text.push('\n');
        if kept.len() < self.headers.len() {
            let left: Vec<&str> = (0..self.headers.len())
                .filter(|c| !kept.contains(c))
                .map(|c| self.headers[c].as_str())
                .collect();
            let _ = writeln!(
                text,
                "(left out to fit: {}; `--format csv` has all)",
                left.join(", ")
            );
        }
        text
    }

    /// RFC 4180 CSV with a header row, every cell safe to open in a spreadsheet (see
    /// [`cell::to_spreadsheet`]).
    #[must_use]
    pub fn csv(&self) -> String {
        self.csv_with(b',')
    }

    /// [`Grid::csv`] with another separator (`;` for a spreadsheet in a locale whose
    /// decimal mark is the comma, a tab).
    #[must_use]
    pub fn csv_with(&self, separator: u8) -> String {
        let mut csv = CsvRows::new(Vec::new(), separator);
        // Writing to memory cannot fail.
        let _ = csv.row(&self.headers);
        for row in &self.rows {
            let _ = csv.row(row);
        }
        String::from_utf8(csv.finish().unwrap_or_default()).unwrap_or_default()
    }

    /// A GitHub-flavoured Markdown table that pastes into a meeting paper as it is.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut text = markdown_head(&self.headers);
        for row in &self.rows {
            text.push_str(&markdown_row(row));
        }
        text
    }
}

/// CSV written a row at a time to a writer, as [`Grid::csv_with`] writes it: RFC 4180,
/// every cell safe to open in a spreadsheet (see [`cell::to_spreadsheet`]).
pub struct CsvRows<W: std::io::Write>(csv::Writer<W>);

impl<W: std::io::Write> CsvRows<W> {
    /// Rows for `out`, cells parted by `separator`.
    pub fn new(out: W, separator: u8) -> Self {
        Self(
            csv::WriterBuilder::new()
                .delimiter(separator)
                .from_writer(out),
        )
    }

    /// Writes a row.
    ///
    /// # Errors
    /// When the writer fails.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> std::io::Result<()> {
        let safe = cells.iter().map(|c| cell::to_spreadsheet(c.as_ref()));
        Ok(self
            .0
            .write_record(safe.map(std::borrow::Cow::into_owned))?)
    }

    /// Writes what is left and gives the writer back.
    ///
    /// # Errors
    /// When the writer fails.
    pub fn finish(self) -> std::io::Result<W> {
        self.0.into_inner().map_err(csv::IntoInnerError::into_error)
    }
}

/// A Markdown table's header line and the line under it.
#[must_use]
pub fn markdown_head<S: AsRef<str>>(headers: &[S]) -> String {
    let mut text = markdown_row(headers);
    text.push('|');
    text.push_str(&"---|".repeat(headers.len()));
    text.push('\n');
    text
}

/// A row of a Markdown table, its line end included.
#[must_use]
pub fn markdown_row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| markdown_cell(c.as_ref())).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// A cell's text made safe for a Markdown table: HTML shown as text (see
/// [`cell::markdown_text`]), pipes escaped, line breaks (a lone carriage return too) as
/// `<br>`.
fn markdown_cell(text: &str) -> String {
    cell::markdown_text(text)
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// How many columns `line` takes on screen: one a character for printable ASCII, which most
/// cells are, without a look in Unicode's width tables.
fn shown_width(line: &str) -> usize {
    if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        line.len()
    } else {
        line.width()
    }
}

/// Appends `n` spaces, a run at a time rather than a character at a time.
fn pad(text: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let run = n.min(SPACES.len());
        text.push_str(&SPACES[..run]);
        n -= run;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn grid() -> Grid {
        let mut grid = Grid::new(&["id", "title"]);
        grid.push(vec!["1".into(), "a | b, \"c\"\nd".into()]);
        grid
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(grid().csv(), "id,title\n1,\"a | b, \"\"c\"\"\nd\"\n");
    }

    #[test]
    fn markdown_escapes_pipes_and_breaks() {
        assert_eq!(
            grid().markdown(),
            "| id | title |\n|---|---|\n| 1 | a \\| b, \"c\"<br>d |\n"
        );
    }

    #[test]
    fn csv_cells_cannot_run_as_formulas() {
        let mut grid = Grid::new(&["id", "title"]);
        grid.push(vec!["-3".into(), "=1+1".into()]);
        assert_eq!(grid.csv(), "id,title\n-3,'=1+1\n");
    }

    #[test]
    fn markdown_shows_html_as_text() {
        let mut grid = Grid::new(&["title"]);
        grid.push(vec![
            "<img src=x onerror=alert(1)> & <b>|</b>\r\nx\ry".into(),
        ]);
        assert_eq!(
            grid.markdown(),
            "| title |\n|---|\n| &lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;\\|&lt;/b&gt;<br>x<br>y |\n"
        );
    }

    /// Any text a cell can hold: wide and zero-width characters, combining marks, tabs,
    /// line breaks, controls that are escaped, the table's own border characters.
    fn cell() -> impl Strategy<Value = String> {
        "[a-z \u{e9}\u{301}\u{200b}\u{6f22}\u{1f600}\t\n\r\u{1b}\u{202e}|+=-]{0,7}"
    }

    #[test]
    fn padding_longer_than_a_run_is_whole() {
        for n in [0, 1, 63, 64, 65, 150] {
            let mut text = String::from("|");
            super::pad(&mut text, n);
            assert_eq!(text, format!("|{}", " ".repeat(n)));
        }
        assert_eq!(super::shown_width("Joint Operation"), 15);
        assert_eq!(super::shown_width("Čačak 漢"), 8);
    }

    proptest! {
        #[test]
        fn piped_tables_are_drawn_as_comfy_table_draws_them(
            (headers, rows) in (1..5usize).prop_flat_map(|columns| (
                proptest::collection::vec(cell(), columns),
                proptest::collection::vec(proptest::collection::vec(cell(), columns), 0..6),
            ))
        ) {
            let grid = Grid { headers, rows, drop_order: Vec::new() };
            prop_assert_eq!(grid.table(Style::plain()), grid.laid_out(Style::plain()));
        }
    }

    #[test]
    fn plain_table_has_no_escape_codes() {
        let text = grid().table(Style::plain());
        assert!(!text.contains('\x1b'));
        assert!(text.contains("title"));
    }
}

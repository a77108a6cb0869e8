//! A table of text cells, drawn as a terminal table, CSV or Markdown.

use comfy_table::{ContentArrangement, Table, presets};

use super::{Style, cell};

/// Headers and rows of text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as the headers.
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    /// An empty grid with these headers.
    #[must_use]
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(ToString::to_string).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// A table for the terminal: fitted to its width there, unwrapped ASCII when piped.
    #[must_use]
    pub fn table(&self, style: Style) -> String {
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
        if !style.color {
            table.force_no_tty();
        }
        table.set_header(&self.headers);
        // Escaped before the layout, so that the columns are as wide as what is shown.
        for row in &self.rows {
            table.add_row(row.iter().map(|cell| super::terminal::clean(cell)));
        }
        let mut text = table.to_string();
        text.push('\n');
        text
    }

    /// RFC 4180 CSV with a header row, every cell safe to open in a spreadsheet (see
    /// [`cell::to_spreadsheet`]).
    #[must_use]
    pub fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let safe = |cells: &[String]| -> Vec<String> {
            cells
                .iter()
                .map(|c| cell::to_spreadsheet(c).into_owned())
                .collect()
        };
        // Writing to memory cannot fail.
        let _ = writer.write_record(safe(&self.headers));
        for row in &self.rows {
            let _ = writer.write_record(safe(row));
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// A GitHub-flavoured Markdown table that pastes into a meeting paper as it is.
    #[must_use]
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| markdown_cell(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let mut text = line(&self.headers);
        text.push('|');
        text.push_str(&"---|".repeat(self.headers.len()));
        text.push('\n');
        for row in &self.rows {
            text.push_str(&line(row));
        }
        text
    }
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

#[cfg(test)]
mod tests {
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

    #[test]
    fn plain_table_has_no_escape_codes() {
        let text = grid().table(Style::plain());
        assert!(!text.contains('\x1b'));
        assert!(text.contains("title"));
    }
}

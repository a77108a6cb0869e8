//! Findings for people (like rustc: the line, a caret, a help) and for machines.

use std::fmt::Write as _;

use super::Style;
use crate::diagnostic::{Cell, Code, Diagnostic, Severity};

/// One finding as rustc would show it: the message, the place, the source line with a
/// caret under the value, and a help line. `source` gives a file's text by its shown path.
#[must_use]
pub fn human<'a>(
    diagnostic: &Diagnostic,
    source: &dyn Fn(&str) -> Option<&'a str>,
    style: Style,
) -> String {
    let (label, colour) = match diagnostic.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let mut out = format!(
        "{}{}\n",
        style.paint(colour, &format!("{label}[{}]", diagnostic.code)),
        style.paint("1", &format!(": {}", diagnostic.message)),
    );
    let blue = |text: &str| style.paint("1;34", text);
    // A table's finding names its row and column; the file is not plan text to quote.
    let line_text = (diagnostic.line > 0 && diagnostic.cell.is_none())
        .then(|| source(&diagnostic.file))
        .flatten()
        .and_then(|text| source_line(text, diagnostic.line));
    let number = diagnostic.line.to_string();
    let gutter = " ".repeat(number.len());
    let place = if let Some(cell) = &diagnostic.cell {
        table_place(diagnostic, cell)
    } else if diagnostic.line == 0 {
        diagnostic.file.clone()
    } else {
        format!(
            "{}:{}:{}",
            diagnostic.file, diagnostic.line, diagnostic.column
        )
    };
    let _ = writeln!(out, "{gutter}{} {place}", blue("-->"));
    if let Some(line) = line_text {
        let column = usize::try_from(diagnostic.column.max(1) - 1).unwrap_or(0);
        // The line as it is shown, control characters escaped, and the caret under the
        // same place of it.
        let padding: String = line
            .chars()
            .take(column)
            .map(|c| match c {
                '\t' => "\t".to_string(),
                c => " ".repeat(
                    super::terminal::clean(c.encode_utf8(&mut [0; 4]))
                        .chars()
                        .count(),
                ),
            })
            .collect();
        // As many carets as the token's bytes hold characters, to the end of the line.
        let start = line
            .char_indices()
            .nth(column)
            .map_or(line.len(), |(at, _)| at);
        let mut end = (start + diagnostic.width).min(line.len());
        while !line.is_char_boundary(end) {
            end += 1;
        }
        let carets = "^".repeat(line[start..end].chars().count().max(1));
        let line = super::terminal::clean(line);
        let _ = writeln!(out, "{gutter} {}", blue("|"));
        let _ = writeln!(out, "{} {} {line}", blue(&number), blue("|"));
        let _ = writeln!(
            out,
            "{gutter} {} {padding}{}",
            blue("|"),
            style.paint(colour, &carets)
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(
            out,
            "{gutter} {} {}: {help}",
            blue("="),
            style.paint("1", "help")
        );
    }
    out
}

/// Where in a table: `list.tsv:4: row 3, column `LEAD PARTNER``, `list.tsv: header, column
/// `COLOUR``.
fn table_place(diagnostic: &Diagnostic, cell: &Cell) -> String {
    let mut place = diagnostic.file.clone();
    if diagnostic.line > 0 {
        let _ = write!(place, ":{}", diagnostic.line);
    }
    if cell.row == 0 {
        place.push_str(": header");
    } else {
        let _ = write!(place, ": row {}", cell.row);
    }
    if let Some(column) = &cell.column {
        let _ = write!(place, ", column `{column}`");
    }
    place
}

/// The 1-based line of a text, without its line ending or a leading BOM.
fn source_line(text: &str, line: u64) -> Option<&str> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let line = text.lines().nth(index)?;
    Some(line.strip_prefix('\u{feff}').unwrap_or(line))
}

/// These findings, each as [`human`] shows it and followed by a blank line, rendered on
/// every thread; the count line is [`summary`]'s, as the findings may come in batches.
#[must_use]
pub fn report<'a>(
    diagnostics: &[Diagnostic],
    source: &(dyn Fn(&str) -> Option<&'a str> + Sync),
    style: Style,
) -> String {
    // In pieces of 16, so that a thousand findings are worth the threads.
    let chunks: Vec<&[Diagnostic]> = diagnostics.chunks(16).collect();
    let parts: Vec<String> = crate::par::map(&chunks, |part| {
        let mut out = String::new();
        for diagnostic in *part {
            out.push_str(&human(diagnostic, source, style));
            out.push('\n');
        }
        out
    });
    parts.concat()
}

/// `2 errors, 5 warnings in 71 files`.
#[must_use]
pub fn summary(diagnostics: &[Diagnostic], files: usize) -> String {
    let (errors, warnings) = crate::diagnostic::count(diagnostics);
    format!(
        "{}, {} in {}\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
#[must_use]
pub fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message = format!("{message}\nhelp: {help}");
        }
        let _ = write!(out, "::{} file={}", d.severity, property(&d.file));
        if d.line > 0 {
            let _ = write!(out, ",line={},col={}", d.line, d.column.max(1));
        }
        let _ = writeln!(out, ",title={}::{}", d.code, data(&message));
    }
    out
}

/// Escapes a workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A rule as `--list-rules --format json` gives it.
#[derive(serde::Serialize)]
pub struct Rule {
    /// The code.
    pub code: Code,
    /// Its default severity.
    pub severity: Severity,
    /// What it checks.
    pub description: &'static str,
}

/// Every rule.
#[must_use]
pub fn rules() -> Vec<Rule> {
    Code::ALL
        .iter()
        .map(|&code| Rule {
            code,
            severity: code.severity(),
            description: code.description(),
        })
        .collect()
}

/// Every rule as a table.
#[must_use]
pub fn rules_grid() -> super::Grid {
    let mut grid = super::Grid::new(&["Code", "Severity", "Description"]);
    for rule in rules() {
        grid.push(vec![
            rule.code.to_string(),
            rule.severity.to_string(),
            rule.description.to_string(),
        ]);
    }
    grid
}

/// `--explain CODE`: the rule, its severity, and an example of what it reports.
#[must_use]
pub fn explain(code: Code) -> String {
    let mut example = String::new();
    for line in code.example().lines() {
        let _ = writeln!(example, "    {line}");
    }
    format!(
        "{code} ({})\n\n{}.\n\nExample of what it reports:\n\n{example}",
        code.severity(),
        capitalise(code.description()),
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn shows_the_line_and_a_caret_under_the_value() {
        let text = "id: 1\nlead: [DCFA]\n";
        let mut d = Diagnostic::new(Code::WrongType, "bad lead", "data/a.yaml").at_line(2, 8);
        d.width = 4;
        let d = d.help("did you mean `DCAF`?");
        let out = human(&d, &|_| Some(text), Style::plain());
        assert_eq!(
            out,
            "error[wrong-type]: bad lead\n --> data/a.yaml:2:8\n  |\n2 | lead: [DCFA]\n  |        ^^^^\n  = help: did you mean `DCAF`?\n"
        );
    }

    #[test]
    fn the_caret_is_as_wide_as_the_characters_of_the_value() {
        // The finding holds the value's bytes (19 here); the caret counts its characters.
        let text = "title: \"Obuka za tužioce\"  # ž and one ü: ü\n";
        let mut d = Diagnostic::new(Code::WrongType, "odd", "data/a.yaml").at_line(1, 8);
        d.width = "\"Obuka za tužioce\"".len();
        let out = human(&d, &|_| Some(text), Style::plain());
        let carets = out.lines().nth(4).unwrap();
        assert_eq!(carets, format!("  |        {}", "^".repeat(18)), "{out}");
        // A value running past its line (a folded scalar) is marked to the line's end.
        d.width = 500;
        let out = human(&d, &|_| Some(text), Style::plain());
        let to_end = text.trim_end().chars().count() - 7;
        assert!(out.contains(&"^".repeat(to_end)) && !out.contains(&"^".repeat(to_end + 1)));
    }

    #[test]
    fn a_whole_file_finding_has_no_source_line() {
        let d = Diagnostic::new(Code::NotUtf8, "bad bytes", "data/a.yaml");
        let out = human(&d, &|_| None, Style::plain());
        assert_eq!(out, "error[not-utf8]: bad bytes\n --> data/a.yaml\n");
    }

    #[test]
    fn a_table_finding_names_its_row_and_column() {
        let d = Diagnostic::new(Code::UnknownPartner, "unknown partner `DCFA`", "new.tsv")
            .in_table(4, 3, Some("LEAD PARTNER"))
            .help("did you mean `DCAF`?");
        let out = human(&d, &|_| Some("#\tACTION\n"), Style::plain());
        assert_eq!(
            out,
            "error[unknown-partner]: unknown partner `DCFA`\n --> new.tsv:4: row 3, column `LEAD PARTNER`\n  = help: did you mean `DCAF`?\n"
        );
        let d = Diagnostic::new(Code::MissingColumn, "no `TIMELINE`", "new.tsv").in_table(
            0,
            0,
            Some("TIMELINE"),
        );
        let out = human(&d, &|_| None, Style::plain());
        assert_eq!(
            out,
            "error[missing-column]: no `TIMELINE`\n --> new.tsv: header, column `TIMELINE`\n"
        );
    }

    #[test]
    fn counts_with_plurals() {
        assert_eq!(summary(&[], 1), "0 errors, 0 warnings in 1 file\n");
    }
}

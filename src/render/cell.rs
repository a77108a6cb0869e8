//! What a cell's text becomes where it goes: into a spreadsheet (CSV), where text can run as
//! a formula, and into Markdown, where text can be read as HTML.

use std::borrow::Cow;

/// A cell's text made safe to open in a spreadsheet, after OWASP's advice on CSV injection.
///
/// Spreadsheets (Excel, `LibreOffice`, Google Sheets) run a cell that begins with `=`, `+`,
/// `-` or `@` as a formula, and a tab or a carriage return in front can hide one; a formula
/// can open a link or start a program. So the rule is:
///
/// - A cell is *dangerous* when it begins with `=`, `+`, `-`, `@`, a tab or a carriage
///   return, unless it is a plain number: an optional `+` or `-`, then digits with at most
///   one decimal point (`-3`, `+4`, `1.5`). Dates and months (`2019-05`, `2019-05-31`) begin
///   with a digit, so they are never dangerous.
/// - A dangerous cell is written with an apostrophe (`'`) in front, which makes a
///   spreadsheet take it as text: `=SUM(A1)` is written `'=SUM(A1)`.
/// - So that [`from_spreadsheet`] can tell an apostrophe iisg added from one the text
///   really begins with, a cell that begins with apostrophes followed by dangerous text gets
///   one more: `'=SUM(A1)` is written `''=SUM(A1)`.
/// - Every other cell is written exactly as it is.
#[must_use]
pub fn to_spreadsheet(text: &str) -> Cow<'_, str> {
    if guarded(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as read back from a table: the apostrophe [`to_spreadsheet`] added is taken off.
///
/// A cell that begins with `'` and whose rest [`to_spreadsheet`] would have guarded loses
/// that one apostrophe (`'=SUM(A1)` → `=SUM(A1)`, `''=SUM(A1)` → `'=SUM(A1)`); any other cell
/// is kept as it is (`'-3`, `'hello`). So whatever text is exported reads back the same.
#[must_use]
pub fn from_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if guarded(rest) => rest,
        _ => cell,
    }
}

/// Whether the text, past any apostrophes it begins with, is dangerous.
fn guarded(text: &str) -> bool {
    dangerous(text.trim_start_matches('\''))
}

fn dangerous(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number(text)
}

/// `-3`, `+4`, `1.5`: digits with at most one decimal point, perhaps signed.
fn plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
}

/// Text that a Markdown renderer shows as written: `<`, `>` and `&` as HTML entities, so no
/// tag in the data reaches the page, and backslashes doubled, so none escapes what follows.
#[must_use]
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, written: &str) {
        assert_eq!(to_spreadsheet(text), written, "{text:?}");
        assert_eq!(from_spreadsheet(written), text, "{written:?}");
    }

    #[test]
    fn formulas_get_an_apostrophe() {
        case(
            "=HYPERLINK(\"http://x\",\"y\")",
            "'=HYPERLINK(\"http://x\",\"y\")",
        );
        case("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0");
        case("@SUM(A1)", "'@SUM(A1)");
        case("-2+3", "'-2+3");
        case("\t=1", "'\t=1");
        case("\r=1", "'\r=1");
        case("-", "'-");
        case("--3", "'--3");
        case("-1.2.3", "'-1.2.3");
    }

    #[test]
    fn numbers_dates_and_plain_text_stay() {
        for text in [
            "-3",
            "+4",
            "1.5",
            "-0.5",
            "2019-05",
            "2019-05-31",
            "Joint Operation",
            "",
            "'",
            "'-3",
            "'hello",
            "a=b",
            " =1",
        ] {
            case(text, text);
        }
    }

    #[test]
    fn apostrophes_before_a_formula_get_one_more() {
        case("'=already quoted", "''=already quoted");
        case("''+1+1", "'''+1+1");
    }

    #[test]
    fn every_text_reads_back() {
        let pieces = ["'", "=", "-", "3", "\t", "@", "x", ".", "+"];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            for text in &texts {
                assert_eq!(from_spreadsheet(&to_spreadsheet(text)), text, "{text:?}");
            }
        }
    }

    #[test]
    fn markdown_shows_tags_as_text() {
        assert_eq!(
            markdown_text("<script>a && b</script> \\"),
            "&lt;script&gt;a &amp;&amp; b&lt;/script&gt; \\\\"
        );
    }
}

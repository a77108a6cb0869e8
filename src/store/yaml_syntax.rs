//! What the YAML parser's own error does not say: where an unclosed bracket or quote
//! opened, where the tab is, that the file holds a git merge conflict, that a value carries
//! a tag. Consulted only for text that did not parse (and, for tags, text that holds a
//! `!`), so the files that parse pay nothing.

use serde_saphyr::granit_parser::{ErrorKind, Event, Marker, Parser, ScalarStyle, StructureStyle};

use super::yaml_error::key_on_line;
use crate::diagnostic::{Code, Diagnostic};

/// A place in the text: 1-based line, 1-based column in characters, and the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct At {
    line: u64,
    column: u64,
    byte: usize,
}

impl At {
    /// The place of the byte at `byte` (clamped to the text).
    fn of_byte(text: &str, byte: usize) -> Self {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let before = &text[..byte];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        Self {
            line: before.matches('\n').count() as u64 + 1,
            column: text[line_start..byte].chars().count() as u64 + 1,
            byte,
        }
    }

    /// The place of a parser's marker.
    fn of_marker(text: &str, marker: &Marker) -> Self {
        match marker.byte_offset() {
            Some(byte) => Self::of_byte(text, byte),
            None => Self {
                line: marker.line() as u64,
                column: marker.col() as u64 + 1,
                byte: text
                    .char_indices()
                    .nth(marker.index())
                    .map_or(text.len(), |(b, _)| b),
            },
        }
    }
}

/// What one pass over the text's YAML events found.
#[derive(Default)]
struct Events {
    /// The first explicit tag: as written, and where.
    tag: Option<(String, At)>,
    /// The collections open where the parser stopped: a flow one with its bracket and place.
    open: Vec<Option<(char, At)>>,
    /// The first quoted text that runs over lines which read like keys: its quote, where it
    /// opened and the line it ran on to.
    runaway_quote: Option<(char, At, u64)>,
    /// Where the parser stopped, and why.
    error: Option<(ErrorKind, At)>,
}

impl Events {
    /// Parses the text's events (with the parser's nesting limits, and no alias expanded)
    /// up to the first error.
    fn of(text: &str) -> Self {
        let mut events = Self::default();
        for item in Parser::new_from_str(text) {
            let (event, span) = match item {
                Ok(item) => item,
                Err(error) => {
                    let at = At::of_marker(text, error.marker());
                    events.error = Some((error.kind().clone(), at));
                    break;
                }
            };
            let tag = match &event {
                Event::SequenceStart(style, _, tag) | Event::MappingStart(style, _, tag) => {
                    let bracket = if matches!(event, Event::SequenceStart(..)) {
                        '['
                    } else {
                        '{'
                    };
                    let flow = *style == StructureStyle::Flow;
                    let at = At::of_marker(text, &span.start);
                    events.open.push(flow.then_some((bracket, at)));
                    tag.as_ref()
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    events.open.pop();
                    None
                }
                Event::Scalar(_, style, _, tag) => {
                    let quote = match style {
                        ScalarStyle::DoubleQuoted => Some('"'),
                        ScalarStyle::SingleQuoted => Some('\''),
                        _ => None,
                    };
                    if let Some(quote) = quote
                        && events.runaway_quote.is_none()
                        && span.end.line() > span.start.line()
                    {
                        let at = At::of_marker(text, &span.start);
                        let end = span.end.line() as u64;
                        if runs_over_keys(text, at.line, end) {
                            events.runaway_quote = Some((quote, at, end));
                        }
                    }
                    tag.as_ref()
                }
                _ => None,
            };
            if let Some(tag) = tag
                && events.tag.is_none()
            {
                let at = At::of_marker(text, span.tag_start.as_ref().unwrap_or(&span.start));
                events.tag = Some((tag.original(), at));
            }
        }
        events
    }
}

/// A better finding than `found`, serde-saphyr's, for text that did not parse, when the
/// text says more: a merge conflict; an unclosed bracket or quote, at the place it opened;
/// a tab, at the tab; a syntax error that a type error met earlier hid; a tag. `found`
/// otherwise.
pub(super) fn explain(text: &str, found: Diagnostic) -> Diagnostic {
    if let Some(conflict) = conflict(text, &found.file) {
        return conflict;
    }
    let events = Events::of(text);
    let file = found.file.as_str();
    let Some((kind, at)) = &events.error else {
        if let Some((quote, opened, end)) = events.runaway_quote {
            return runaway_quote(file, quote, opened, end, None);
        }
        return match events.tag {
            Some((tag, at)) if found.line == 0 || at.line <= found.line => {
                tag_finding(text, file, &tag, at)
            }
            _ => found,
        };
    };
    if let Some(tab) = tab(text, kind, *at) {
        return tab.finding(file);
    }
    if let Some(better) = syntax(text, file, kind, *at, &events) {
        return better;
    }
    // A syntax error the deserializer did not reach, because a value before it had the
    // wrong type: the file is not YAML, which is the first thing to fix.
    if found.code == Code::Syntax || matches!(kind, ErrorKind::RecursionLimitExceeded) {
        return found;
    }
    Diagnostic::new(Code::Syntax, kind.to_string(), file).at_line(at.line, at.column)
}

/// A finding for the first explicit tag in text that parsed; costs one scan for `!` when
/// the text has none.
pub(super) fn tag(text: &str, file: &str) -> Option<Diagnostic> {
    if !text.contains('!') {
        return None;
    }
    let (tag, at) = Events::of(text).tag?;
    Some(tag_finding(text, file, &tag, at))
}

fn tag_finding(text: &str, file: &str, tag: &str, at: At) -> Diagnostic {
    let field = key_on_line(text, at.line).map_or_else(String::new, |k| format!("`{k}` "));
    let mut found = Diagnostic::new(
        Code::YamlTag,
        format!("{field}has the YAML tag `{tag}`; plan files use none"),
        file,
    )
    .at_line(at.line, at.column)
    .help(format!(
        "remove `{tag}` and write the value alone: a tag can change how a value is read"
    ));
    found.width = tag.len();
    found
}

/// The syntax errors this module can place better than the parser.
fn syntax(text: &str, file: &str, kind: &ErrorKind, at: At, events: &Events) -> Option<Diagnostic> {
    let noticed = || {
        format!(
            "the parser noticed at line {}, column {}, still inside it",
            at.line, at.column
        )
    };
    let found = match kind {
        ErrorKind::UnclosedFlowCollection { open } => unclosed(
            file,
            *open,
            at,
            "the parser reached the end of the file with it still open",
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => {
            Diagnostic::new(Code::Syntax, format!("`{open}` closed by `{close}`"), file)
                .at_line(at.line, at.column)
                .help(format!("close it with `{}`", closing(*open)))
        }
        ErrorKind::MisplacedFlowCollectionEnd => {
            let bracket = text[at.byte..].chars().next().unwrap_or(']');
            Diagnostic::new(Code::Syntax, format!("`{bracket}` closes nothing"), file)
                .at_line(at.line, at.column)
                .help(format!(
                    "remove it, or open with `{}` where the list starts",
                    opening(bracket)
                ))
        }
        ErrorKind::UnclosedQuotedScalar => {
            let quote = text[at.byte..].chars().next().unwrap_or('"');
            unclosed(
                file,
                quote,
                at,
                "the parser reached the end of the file looking for it",
            )
        }
        ErrorKind::InvalidTrailingDoubleQuotedScalar => early_close(text, file, '"', at)?,
        ErrorKind::InvalidTrailingSingleQuotedScalar => early_close(text, file, '\'', at)?,
        _ => {
            // The parser stopped inside a flow collection opened on an earlier line, at a
            // line that reads like the next key: the bracket was never closed.
            let (bracket, opened) = (*events.open.last()?)?;
            if opened.line >= at.line || !runs_over_keys(text, opened.line, at.line) {
                return None;
            }
            unclosed(file, bracket, opened, &noticed())
        }
    };
    Some(found)
}

/// The finding for an unclosed bracket or quote, at the place it opened.
fn unclosed(file: &str, open: char, at: At, noticed: &str) -> Diagnostic {
    let close = closing(open);
    Diagnostic::new(Code::Syntax, format!("unclosed `{open}`"), file)
        .at_line(at.line, at.column)
        .help(format!("close it with `{close}`; {noticed}"))
}

/// Quoted text closed on a later line, by the quote that opens another value: the first
/// quote was never closed.
fn runaway_quote(file: &str, quote: char, opened: At, end: u64, noticed: Option<At>) -> Diagnostic {
    let noticed = noticed.map_or_else(String::new, |at| {
        format!(", where the parser stopped at column {}", at.column)
    });
    Diagnostic::new(
        Code::Syntax,
        format!("unclosed `{quote}`: the text opened here runs on to line {end}"),
        file,
    )
    .at_line(opened.line, opened.column)
    .help(format!(
        "end the text with `{quote}` on line {}; the `{quote}` on line {end} closed it instead{noticed}",
        opened.line
    ))
}

/// Quoted text followed by more text after its closing quote: on a later line, a quote
/// never closed; on the same line, a quote inside the text (`'Europol's day'`).
fn early_close(text: &str, file: &str, quote: char, at: At) -> Option<Diagnostic> {
    let before = text[..at.byte].trim_end_matches([' ', '\t']);
    let close = before.strip_suffix(quote)?.len();
    let open = opening_quote(&text[..close], quote)?;
    let opened = At::of_byte(text, open);
    if opened.line < at.line {
        return Some(runaway_quote(file, quote, opened, at.line, Some(at)));
    }
    // The word around the quote that ended the text early (`Europol's`, `"hi"`), without
    // the quote that really closes the text when the word ends the line.
    let start = text[..close]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(n, c)| n + c.len_utf8())
        .max(open + 1);
    let end = text[close..]
        .find(char::is_whitespace)
        .map_or(text.len(), |n| close + n);
    let mut word = &text[start..end];
    let rest_of_line = text[end..].split('\n').next().unwrap_or_default();
    if !rest_of_line.contains(quote) && word.len() > 1 {
        word = word.strip_suffix(quote).unwrap_or(word);
    }
    let (inside, escaped, other) = if quote == '\'' {
        ("an apostrophe twice", word.replace('\'', "''"), "double")
    } else {
        ("a quote as `\\\"`", word.replace('"', "\\\""), "single")
    };
    let quoted = format!("{quote}…{quote}");
    Some(
        Diagnostic::new(
            Code::Syntax,
            format!("the text in `{quoted}` opened here ends early, at the `{quote}` in `{word}`"),
            file,
        )
        .at_line(opened.line, opened.column)
        .help(format!(
            "inside `{quoted}` write {inside} (`{escaped}`), or put the text in {other} quotes"
        )),
    )
}

/// The byte offset of the quote that opens the quoted text ending just before `before`'s
/// end: the last unescaped `"` (one not after an odd number of backslashes), or the last
/// `'` not doubled.
fn opening_quote(before: &str, quote: char) -> Option<usize> {
    let bytes = before.as_bytes();
    let q = quote as u8;
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        if bytes[i] != q {
            continue;
        }
        if q == b'"' {
            let slashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            if slashes % 2 == 0 {
                return Some(i);
            }
        } else if i > 0 && bytes[i - 1] == q {
            i -= 1;
        } else {
            return Some(i);
        }
    }
    None
}

/// Whether some line after `from` up to `to` (1-based) starts a `key:` at no more
/// indentation than line `from` has: text that should have ended on line `from` went on
/// over the next keys.
fn runs_over_keys(text: &str, from: u64, to: u64) -> bool {
    let mut lines = text
        .lines()
        .skip(usize::try_from(from).unwrap_or(usize::MAX) - 1);
    let Some(first) = lines.next() else {
        return false;
    };
    let indent = indentation(first);
    lines
        .take(usize::try_from(to.saturating_sub(from)).unwrap_or(usize::MAX))
        .any(|line| indentation(line) <= indent && is_key(line.trim_start_matches(' ')))
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `key:` or `key: value`, with a key as the plan's files write them.
fn is_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && (rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
}

fn closing(open: char) -> char {
    match open {
        '[' => ']',
        '{' => '}',
        other => other,
    }
}

fn opening(close: char) -> char {
    match close {
        ']' => '[',
        '}' => '{',
        other => other,
    }
}

/// A tab where YAML allows none.
struct Tab {
    at: At,
    indentation: bool,
}

impl Tab {
    fn finding(&self, file: &str) -> Diagnostic {
        let message = if self.indentation {
            "a tab in the indentation: YAML indents with spaces only"
        } else {
            "a tab where YAML allows only spaces"
        };
        Diagnostic::new(Code::Syntax, message, file)
            .at_line(self.at.line, self.at.column)
            .help("replace the tab with spaces")
    }
}

/// The tab that made the parser stop: the parser says it met a tab, or the line it stopped
/// on (or the next, which a plain value may have run into) is indented with one. Only
/// those two lines are looked at: a tab further on played no part.
fn tab(text: &str, kind: &ErrorKind, at: At) -> Option<Tab> {
    let about_tab = matches!(
        kind,
        ErrorKind::TabNotAllowed
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabAtBlockScalarStart
            | ErrorKind::TabInIndentation
            | ErrorKind::TabInPlainScalar
    );
    let line_start = text[..at.byte].rfind('\n').map_or(0, |n| n + 1);
    let mut offset = line_start;
    for (n, line) in text[line_start..].split_inclusive('\n').take(2).enumerate() {
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        let found = match line[..lead].find('\t') {
            Some(i) => Some((i, true)),
            None if about_tab => line.find('\t').map(|i| (i, false)),
            None => None,
        };
        if let Some((i, indentation)) = found
            && (n > 0 || about_tab || i < at.byte - line_start + 1)
        {
            return Some(Tab {
                at: At::of_byte(text, offset + i),
                indentation,
            });
        }
        offset += line.len();
    }
    None
}

/// The git merge conflicts in a text, as the lines of their `<<<<<<<` and `>>>>>>>`
/// markers (the end is 0 when the text ends first).
fn conflicts(text: &str) -> Vec<(u64, u64)> {
    let marker = |line: &str, mark: &str| {
        line.strip_prefix(mark)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\r']))
    };
    let mut found: Vec<(u64, u64)> = Vec::new();
    let mut open: Option<(u64, bool)> = None;
    for (n, line) in (1..).zip(text.lines()) {
        if marker(line, "<<<<<<<") {
            open = Some((n, false));
        } else if let Some((start, _)) = open
            && (marker(line, "=======") || marker(line, "|||||||"))
        {
            open = Some((start, true));
        } else if let Some((start, true)) = open
            && marker(line, ">>>>>>>")
        {
            found.push((start, n));
            open = None;
        }
    }
    if let Some((start, true)) = open {
        found.push((start, 0));
    }
    found
}

/// A finding for a text that holds git's conflict markers: the merge was not finished.
fn conflict(text: &str, file: &str) -> Option<Diagnostic> {
    if !text.contains("<<<<<<<") {
        return None;
    }
    let found = conflicts(text);
    let (first, _) = *found.first()?;
    let lines: Vec<String> = found
        .iter()
        .map(|&(start, end)| match end {
            0 => format!("from line {start}"),
            end => format!("lines {start}–{end}"),
        })
        .collect();
    let message = match lines.len() {
        1 => format!("an unresolved git merge conflict ({})", lines[0]),
        n => format!("{n} unresolved git merge conflicts ({})", lines.join(", ")),
    };
    let mut diagnostic = Diagnostic::new(Code::MergeConflict, message, file)
        .at_line(first, 1)
        .help(
            "resolve it: keep one side (or combine the two), delete the `<<<<<<<`, `=======` \
             and `>>>>>>>` lines, then `git add` the file",
        );
    diagnostic.width = 7;
    Some(diagnostic)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `explain` makes of a text, given a stand-in for serde-saphyr's finding.
    fn finding(text: &str) -> Diagnostic {
        let found = Diagnostic::new(Code::WrongType, "serde-saphyr's", "a.yaml").at_line(1, 1);
        explain(text, found)
    }

    fn case(text: &str, code: Code, line: u64, column: u64, message: &str) {
        let found = finding(text);
        assert_eq!(
            (found.code, found.line, found.column),
            (code, line, column),
            "{text:?}: {found:?}"
        );
        assert!(found.message.contains(message), "{text:?}: {found:?}");
    }

    #[test]
    fn unclosed_brackets_and_quotes_where_they_open() {
        case(
            "id: 4\nlead: [DCAF\ninvolved: [X]\n",
            Code::Syntax,
            2,
            7,
            "unclosed `[`",
        );
        case(
            "id: 4\nlead: {a: DCAF\ninvolved: [X]\n",
            Code::Syntax,
            2,
            7,
            "unclosed `{`",
        );
        case(
            "id: 4\nlead: [DCAF, X\n",
            Code::Syntax,
            2,
            7,
            "unclosed `[`",
        );
        case(
            "id: 4\ntitle: \"Joint\nlead: [X]\n",
            Code::Syntax,
            2,
            8,
            "unclosed `\"`",
        );
        case(
            "id: 4\ntitle: 'Joint\nlead: [X]\n",
            Code::Syntax,
            2,
            8,
            "unclosed `'`",
        );
        case(
            "id: 4\ntitle: \"Joint\nlead: [X]\nnotes: \"x\"\n",
            Code::Syntax,
            2,
            8,
            "runs on to line 4",
        );
        case(
            "id: 4\ntitle: \"Joint\nlead: [X]\nnotes: x\"\n",
            Code::Syntax,
            2,
            8,
            "runs on to line 4",
        );
        case(
            "id: 4\nlead: [DCAF}\n",
            Code::Syntax,
            2,
            7,
            "`[` closed by `}`",
        );
        case(
            "id: 4\nlead: [DCAF]]\n",
            Code::Syntax,
            2,
            13,
            "`]` closes nothing",
        );
        case(
            "id: 4\nlé: é[DCAF\n",
            Code::WrongType,
            1,
            1,
            "serde-saphyr's",
        );
        case("id: 4\nlé: [é\nx: y\n", Code::Syntax, 2, 5, "unclosed `[`");
    }

    #[test]
    fn a_quote_inside_quoted_text() {
        let found = finding("id: 4\ntitle: 'Europol's day'\n");
        assert_eq!((found.line, found.column), (2, 8), "{found:?}");
        assert!(found.message.contains("`Europol's`"), "{found:?}");
        assert!(
            found.help.as_deref().unwrap().contains("`Europol''s`"),
            "{found:?}"
        );
        let found = finding("id: 4\ntitle: \"Say \"hi\" now\"\n");
        assert!(found.message.contains("in `\"hi\"`"), "{found:?}");
        assert!(found.help.unwrap().contains("(`\\\"hi\\\"`)"));
        let found = finding("id: 4\ntitle: 'Europol's'\n");
        assert!(found.message.contains("in `Europol's`"), "{found:?}");
        // Found by the property test: a space that is more than one byte.
        let found = finding("'\u{a0}'🄀");
        assert!(found.message.contains("`'🄀`"), "{found:?}");
    }

    #[test]
    fn tabs_at_the_tab() {
        case(
            "id: 4\ntitle: x\n\tlead: [X]\n",
            Code::Syntax,
            3,
            1,
            "a tab in the indentation",
        );
        case(
            "id: 4\n\ttitle: x\n",
            Code::Syntax,
            2,
            1,
            "a tab in the indentation",
        );
        case(
            "id: 4\nlead:\n\t- X\n",
            Code::Syntax,
            3,
            1,
            "a tab in the indentation",
        );
        case(
            "financing:\n  - source: GIZ\n\t  tentative: true\n",
            Code::Syntax,
            3,
            1,
            "a tab",
        );
    }

    #[test]
    fn merge_conflicts() {
        let text = "id: 4\n<<<<<<< HEAD\nstatus: planned\n=======\nstatus: done\n>>>>>>> b\n";
        case(text, Code::MergeConflict, 2, 1, "(lines 2–6)");
        let two = format!("{text}{}", &text[6..]);
        case(
            &two,
            Code::MergeConflict,
            2,
            1,
            "2 unresolved git merge conflicts",
        );
        case(
            "<<<<<<< HEAD\na: 1\n=======\n",
            Code::MergeConflict,
            1,
            1,
            "from line 1",
        );
        case("a: <<<<<<< HEAD\n", Code::WrongType, 1, 1, "serde-saphyr's");
    }

    #[test]
    fn tags_wherever_they_are() {
        let text = "id: 4\nstatus: !!python/object:x planned\n";
        let found = tag(text, "a.yaml").unwrap();
        assert_eq!(
            (found.code, found.line, found.column),
            (Code::YamlTag, 2, 9)
        );
        assert_eq!(found.width, 17);
        assert!(found.message.starts_with("`status` has the YAML tag"));
        assert!(tag("title: Stop!\nnotes: \"!x\"\n", "a.yaml").is_none());
        assert!(tag("lead: !!seq [A]\n", "a.yaml").is_some());
        case("id: !!str 4\n", Code::YamlTag, 1, 5, "`!!str`");
    }

    #[test]
    fn the_rest_is_left_to_serde_saphyr() {
        case("id: 4\ntitle: x\n", Code::WrongType, 1, 1, "serde-saphyr's");
        case(
            "id: 4\nlead: [A,\n  B]\n",
            Code::WrongType,
            1,
            1,
            "serde-saphyr's",
        );
        // A syntax error a type error hid.
        case("id: x\ntitle: a: b\n", Code::Syntax, 2, 9, "mapping values");
    }
}

//! Registry entries in their file's text: a new one appended, one replaced or taken out, and
//! a code renamed where it is written. Every other byte of the file stays as it was; the
//! result is judged (parsed and checked) before anything is written.

use std::fmt::Write as _;
use std::ops::Range;

use super::yaml;
use crate::model::{Pos, RegistryKind};

/// A registry entry's values, in the house order of its file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryDraft {
    /// The code files use.
    pub code: String,
    /// Full name.
    pub name: String,
    /// A partner's or place's kind.
    pub kind: Option<String>,
    /// A funding source's provider: a partner code.
    pub provider: Option<String>,
    /// The places a place lies within (written for places only).
    pub within: Vec<String>,
    /// A country's ISO 3166-1 alpha-2 code (places only).
    pub iso: Option<String>,
    /// Other spellings.
    pub aliases: Vec<String>,
}

/// How a registry file indents its entries: the `-` and the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    dash: usize,
}

impl Default for Layout {
    /// The shipped files' `  - code: …`.
    fn default() -> Self {
        Self { dash: 2 }
    }
}

impl Layout {
    /// The layout of the entry whose code is written at `code`, as the file has it.
    #[must_use]
    pub fn of(text: &str, code: Pos) -> Self {
        entry_range(text, code)
            .map(|range| {
                let line = &text[range.start..];
                Self {
                    dash: line.len() - line.trim_start_matches(' ').len(),
                }
            })
            .unwrap_or_default()
    }
}

/// The entry's lines, in the file's layout.
#[must_use]
pub fn render(kind: RegistryKind, entry: &EntryDraft, layout: Layout) -> String {
    let dash = " ".repeat(layout.dash);
    let key = " ".repeat(layout.dash + 2);
    let mut out = format!("{dash}- code: {}\n", yaml::scalar(&entry.code));
    let _ = writeln!(out, "{key}name: {}", yaml::scalar(&entry.name));
    if let Some(k) = &entry.kind {
        let _ = writeln!(out, "{key}kind: {}", yaml::scalar(k));
    }
    if let Some(provider) = &entry.provider {
        let _ = writeln!(out, "{key}provider: {}", yaml::scalar(provider));
    }
    if kind == RegistryKind::Locations {
        let _ = writeln!(out, "{key}within: {}", yaml::flow_list(&entry.within));
        if let Some(iso) = &entry.iso {
            let _ = writeln!(out, "{key}iso: {}", yaml::scalar(iso));
        }
    }
    let _ = writeln!(out, "{key}aliases: {}", yaml::flow_list(&entry.aliases));
    out
}

/// Why an entry cannot be changed in its file's text.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EntryError(pub &'static str);

/// The registry file's text with `entry` appended to its list; `old` is the file's text, or
/// `None` when the plan has no such file yet.
///
/// # Errors
/// When the list is written in a form that cannot take a line more (`partners: [{…}]`).
pub fn append(
    kind: RegistryKind,
    old: Option<&str>,
    entry: &EntryDraft,
    layout: Layout,
) -> Result<String, EntryError> {
    let lines = render(kind, entry, layout);
    let Some(old) = old else {
        return Ok(format!("{}:\n{lines}", kind.key()));
    };
    let mut text = old.to_string();
    let key = format!("{}:", kind.key());
    // `partners: []` (an empty list written flow style) becomes a block list of one.
    let empty_flow = text.lines().position(|line| {
        line.strip_prefix(&key)
            .is_some_and(|rest| rest.split('#').next().unwrap_or_default().trim() == "[]")
    });
    if let Some(index) = empty_flow {
        let start: usize = text.lines().take(index).map(|l| l.len() + 1).sum();
        let end = start + text[start..].find('\n').unwrap_or(text.len() - start);
        text.replace_range(start..end, &key);
        if !text[start..].contains('\n') {
            text.push('\n');
        }
        let after = start + key.len() + 1;
        text.insert_str(after.min(text.len()), &lines);
        return Ok(text);
    }
    let flow = text.lines().any(|line| {
        line.strip_prefix(&key)
            .is_some_and(|rest| rest.trim_start().starts_with(['[', '{']))
    });
    if flow {
        return Err(EntryError(
            "its list is written in brackets on one line, not one entry a block",
        ));
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&lines);
    Ok(text)
}

/// The byte range of the lines of the block-list entry whose code is written at `code`:
/// from its `- ` line to the last line indented under it (comments and blank lines after it
/// stay outside). `None` when the entry is not an item of a block list.
#[must_use]
pub fn entry_range(text: &str, code: Pos) -> Option<Range<usize>> {
    let offset = code.byte_offset()?;
    let mut start = text.get(..offset)?.rfind('\n').map_or(0, |p| p + 1);
    // Up to the line of the entry's `-` (the code need not be its first key).
    let dash = loop {
        let line = line_at(text, start);
        let body = line.trim_start_matches(' ');
        if body.starts_with("- ") || body == "-" {
            break line.len() - body.len();
        }
        if start == 0 {
            return None;
        }
        start = text[..start - 1].rfind('\n').map_or(0, |p| p + 1);
    };
    let mut end = start + line_at(text, start).len();
    let mut kept = end;
    while end < text.len() {
        end += 1; // the line break
        let line = line_at(text, end);
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if body.trim().is_empty() || (body.starts_with('#') && indent > dash) {
            end += line.len();
            continue;
        }
        if indent <= dash {
            break;
        }
        end += line.len();
        kept = end;
    }
    let end = if text[kept..].starts_with("\r\n") {
        kept + 2
    } else if text[kept..].starts_with('\n') {
        kept + 1
    } else {
        kept
    };
    Some(start..end)
}

/// The line starting at `start`, without its line break.
fn line_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    let line = rest.split('\n').next().unwrap_or_default();
    line.strip_suffix('\r').unwrap_or(line)
}

/// The file's text with the entry whose code is at `code` replaced by `lines` (or taken
/// out, when `lines` is empty).
///
/// # Errors
/// When the entry is not an item of a block list.
pub fn replace_entry(text: &str, code: Pos, lines: &str) -> Result<String, EntryError> {
    let range = entry_range(text, code).ok_or(EntryError(
        "its entries are not written one to a `- ` block",
    ))?;
    let mut out = text.to_string();
    out.replace_range(range, lines);
    Ok(out)
}

/// Where a code is written: the bytes of the scalar that holds it, quotes included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeAt {
    /// First byte.
    pub start: usize,
    /// Bytes.
    pub len: usize,
}

impl CodeAt {
    /// The scalar at `at`, when the text there reads as `code` (plain or quoted).
    #[must_use]
    pub fn scalar(text: &str, at: Pos, code: &str) -> Option<Self> {
        let start = at.byte_offset()?;
        let written = text.get(start..start + at.byte_len())?;
        (unquote(written) == code).then_some(Self {
            start,
            len: at.byte_len(),
        })
    }

    /// The `source:` value inside a funding entry written at `at`: the entry itself when it
    /// is the short form (`- GIZ`), else its `source` key's value (`{source: GIZ, …}`).
    #[must_use]
    pub fn funding_source(text: &str, at: Pos, code: &str) -> Option<Self> {
        if let Some(found) = Self::scalar(text, at, code) {
            return Some(found);
        }
        let start = at.byte_offset()?;
        let entry = match at.byte_len() {
            // A block mapping is read with its first key's position only: it runs on over
            // the lines indented as far as that key.
            0 => block_mapping(text, start)?,
            len => text.get(start..start + len)?,
        };
        let key = entry.find("source")?;
        let after = &entry[key + "source".len()..];
        let colon = after.find(':')?;
        let value = &after[colon + 1..];
        let skipped = value.len() - value.trim_start().len();
        let token_len = value
            .trim_start()
            .find([',', '}', '\n', '\r', '#'])
            .unwrap_or(value.trim_start().len());
        let token = value.trim_start()[..token_len].trim_end();
        let offset = start + key + "source".len() + colon + 1 + skipped;
        (unquote(token) == code).then_some(Self {
            start: offset,
            len: token.len(),
        })
    }
}

/// The text of the block mapping whose first key starts at `start`.
fn block_mapping(text: &str, start: usize) -> Option<&str> {
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |p| p + 1);
    let column = text[line_start..start].chars().count();
    let mut end = start + line_at(text, start).len();
    while end < text.len() {
        let next = end + 1;
        let line = line_at(text, next);
        let indent = line.len() - line.trim_start_matches(' ').len();
        if !line.trim().is_empty() && indent < column {
            break;
        }
        end = next + line.len();
    }
    text.get(start..end)
}

/// A code for a new registry entry: the name in upper-case ASCII and hyphens
/// (`Border Police Academy` → `BORDER-POLICE-ACADEMY`), numbered when taken.
pub fn new_code<S: std::hash::BuildHasher>(
    name: &str,
    taken: &std::collections::HashSet<String, S>,
) -> String {
    let base = super::slug(name, 32).to_uppercase();
    let mut code = base.clone();
    let mut n = 2;
    while taken.contains(&code) {
        code = format!("{base}-{n}");
        n += 1;
    }
    code
}

/// A scalar as written, without its quotes.
fn unquote(written: &str) -> &str {
    let trimmed = written.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = trimmed
            .strip_prefix(quote)
            .and_then(|t| t.strip_suffix(quote))
        {
            return inner;
        }
    }
    trimmed
}

/// The text with the code at each place replaced by `new` (quoted where YAML needs it);
/// every other byte stays.
#[must_use]
pub fn rename_at(text: &str, places: &[CodeAt], new: &str) -> String {
    let mut places = places.to_vec();
    places.sort_by_key(|p| std::cmp::Reverse(p.start));
    places.dedup();
    let rendered = yaml::flow_scalar(new);
    let mut out = text.to_string();
    for place in places {
        out.replace_range(place.start..place.start + place.len, &rendered);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::load::parse;

    fn code_pos(text: &str, code: &str) -> Pos {
        #[derive(serde::Deserialize)]
        struct File {
            partners: Vec<crate::model::Partner>,
        }
        let file: File = parse(text).unwrap();
        file.partners
            .iter()
            .find(|p| p.code.value == code)
            .unwrap()
            .code
            .referenced
    }

    const TEXT: &str = "# Partners.\npartners:\n  - code: A\n    name: Alpha\n    aliases: []\n  # B is new.\n  - name: Beta\n    code: B\n    aliases:\n      - Bee\n\n  - code: C\n    name: Gamma\n    aliases: []\n";

    #[test]
    fn an_entry_is_its_block_whatever_key_comes_first() {
        let a = entry_range(TEXT, code_pos(TEXT, "A")).unwrap();
        assert_eq!(&TEXT[a], "  - code: A\n    name: Alpha\n    aliases: []\n");
        let b = entry_range(TEXT, code_pos(TEXT, "B")).unwrap();
        assert_eq!(
            &TEXT[b],
            "  - name: Beta\n    code: B\n    aliases:\n      - Bee\n"
        );
        let c = entry_range(TEXT, code_pos(TEXT, "C")).unwrap();
        assert!(TEXT[c].ends_with("aliases: []\n"));
    }

    #[test]
    fn removing_an_entry_keeps_every_other_line() {
        let out = replace_entry(TEXT, code_pos(TEXT, "B"), "").unwrap();
        assert_eq!(
            out,
            "# Partners.\npartners:\n  - code: A\n    name: Alpha\n    aliases: []\n  # B is new.\n\n  - code: C\n    name: Gamma\n    aliases: []\n"
        );
    }

    #[test]
    fn appending_fits_the_file() {
        let entry = EntryDraft {
            code: "D".into(),
            name: "Delta: the fourth".into(),
            ..EntryDraft::default()
        };
        let layout = Layout::of(TEXT, code_pos(TEXT, "A"));
        let out = append(RegistryKind::Partners, Some(TEXT), &entry, layout).unwrap();
        assert!(out.starts_with(TEXT));
        assert!(out.ends_with("  - code: D\n    name: \"Delta: the fourth\"\n    aliases: []\n"));
        let empty = "# none yet\npartners: []  # add below\n";
        let out = append(
            RegistryKind::Partners,
            Some(empty),
            &entry,
            Layout::default(),
        )
        .unwrap();
        assert_eq!(
            out,
            "# none yet\npartners:\n  - code: D\n    name: \"Delta: the fourth\"\n    aliases: []\n"
        );
        let out = append(
            RegistryKind::Partners,
            Some("partners:\n"),
            &entry,
            Layout::default(),
        )
        .unwrap();
        assert!(out.starts_with("partners:\n  - code: D\n"));
        assert!(
            append(
                RegistryKind::Partners,
                Some("partners: [{code: X, name: Y}]\n"),
                &entry,
                Layout::default()
            )
            .is_err()
        );
    }

    #[test]
    fn a_rename_touches_only_the_code() {
        let text =
            "lead: [DCAF, \"JOO\"]\nfinancing:\n  - GIZ\n  - {source: 'GIZ', tentative: true}\n";
        let at = |needle: &str, n: usize| {
            let start = text.match_indices(needle).nth(n).unwrap().0;
            CodeAt {
                start,
                len: needle.len(),
            }
        };
        let out = rename_at(text, &[at("\"JOO\"", 0), at("'GIZ'", 0)], "NEW-1");
        assert_eq!(
            out,
            "lead: [DCAF, NEW-1]\nfinancing:\n  - GIZ\n  - {source: NEW-1, tentative: true}\n"
        );
    }
}

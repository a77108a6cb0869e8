//! Edits to a record's text at the positions the loader kept: only the edited values change;
//! comments, key order, quoting and blank lines elsewhere stay byte for byte.

use std::fmt::Write as _;
use std::ops::Range;

use super::yaml;
use crate::model::{Funding, Pos, Sp};

/// An item of a list value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A code.
    Code(String),
    /// A funding entry.
    Funding(Funding),
    /// A whole number (a logframe row's id).
    Number(i64),
}

/// A list of codes as written, each with its position, for [`Patch::list`].
#[must_use]
pub fn written_codes(list: &[Sp<String>]) -> Vec<(Item, Pos)> {
    list.iter()
        .map(|c| (Item::Code(c.value.clone()), c.referenced))
        .collect()
}

/// A funding list as written, each entry with its position, for [`Patch::list`].
#[must_use]
pub fn written_funding(list: &[Sp<Funding>]) -> Vec<(Item, Pos)> {
    list.iter()
        .map(|f| (Item::Funding(f.value.clone()), f.referenced))
        .collect()
}

/// A set of non-overlapping replacements in one text.
#[derive(Debug)]
pub struct Patch<'a> {
    text: &'a str,
    eol: &'static str,
    edits: Vec<(Range<usize>, String)>,
}

/// Why a patch could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot edit `{key}` in place: {reason}")]
pub struct PatchError {
    /// The key.
    pub key: String,
    /// Why.
    pub reason: &'static str,
}

impl<'a> Patch<'a> {
    /// A patch of `text`, keeping its line endings.
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            eol: if text.contains("\r\n") { "\r\n" } else { "\n" },
            edits: Vec::new(),
        }
    }

    /// Replaces the scalar value of top-level `key`, written at `at`, by `rendered`.
    ///
    /// # Errors
    /// When the position does not lie in the text.
    pub fn scalar(&mut self, key: &str, at: Pos, rendered: &str) -> Result<(), PatchError> {
        let (start, len) = self.bytes(key, at)?;
        let colon = self.key_end(key, start)?;
        let between = &self.text[colon..start];
        if between.trim_start().starts_with(['|', '>']) {
            // A block scalar: its indicator and content give way to one plain or quoted line.
            let content = &self.text[start..start + len];
            let end = start + content.trim_end().len();
            self.edits.push((colon..end, format!(" {rendered}")));
        } else if len == 0 {
            self.edits.push((colon..colon, format!(" {rendered}")));
        } else {
            self.edits.push((start..start + len, rendered.to_string()));
        }
        Ok(())
    }

    /// Replaces the bytes of a plain or quoted scalar written at `at`, at any depth (`end`
    /// inside `period:`), by `rendered`.
    ///
    /// # Errors
    /// When the position does not lie in the text, or the value is empty there.
    pub fn value(&mut self, key: &str, at: Pos, rendered: &str) -> Result<(), PatchError> {
        let (start, len) = self.bytes(key, at)?;
        if len == 0 || self.text[start..].starts_with(['|', '>']) {
            return Err(PatchError {
                key: key.into(),
                reason: "the value is not written on its line",
            });
        }
        self.edits.push((start..start + len, rendered.to_string()));
        Ok(())
    }

    /// Appends `lines` to the block scalar (`|` or `>`) of top-level `key` written at `at`,
    /// as lines of the block at its indentation, so that the lines already there stay as
    /// they are: one text line a line in a literal block, a blank line before each in a
    /// folded one (where a single line break reads as a space). `Ok(false)` when the value
    /// is not such a block (or has an explicit indentation or keeps its final lines), and
    /// nothing is changed.
    ///
    /// # Errors
    /// When the position does not lie in the text.
    pub fn append_to_block(&mut self, key: &str, at: Pos, lines: &str) -> Result<bool, PatchError> {
        let (start, len) = self.bytes(key, at)?;
        let colon = self.key_end(key, start)?;
        let header = self.text[colon..start].trim_start();
        let indicator: String = header.chars().take_while(|c| !c.is_whitespace()).collect();
        let folded = match indicator.as_str() {
            "|" | "|-" => false,
            ">" | ">-" => true,
            _ => return Ok(false),
        };
        let line_start = self.text[..start].rfind('\n').map_or(0, |p| p + 1);
        let indent = &self.text[line_start..start];
        if indent.is_empty() || !indent.bytes().all(|b| b == b' ') || lines.is_empty() {
            return Ok(false);
        }
        let end = start + self.text[start..start + len].trim_end().len();
        let eol = self.eol;
        let mut added = String::new();
        for line in lines.split('\n') {
            if folded {
                added.push_str(eol);
            }
            if line.is_empty() {
                added.push_str(eol);
            } else {
                let _ = write!(added, "{eol}{indent}{line}");
            }
        }
        self.edits.push((end..end, added));
        Ok(true)
    }

    /// Replaces the list value of top-level `key`, whose first token is at `at`, keeping its
    /// style: `[A, B]` stays a flow list, one item a line stays so (with its indentation).
    /// `old` gives the items as written, with their positions: when the new list is the old
    /// one with items removed and others appended, a block list loses and gains only those
    /// items' lines, so comments on the items kept stay where they are.
    ///
    /// # Errors
    /// When the list's extent cannot be found.
    pub fn list(
        &mut self,
        key: &str,
        at: Pos,
        old: &[(Item, Pos)],
        items: &[Item],
    ) -> Result<(), PatchError> {
        let (start, _) = self.bytes(key, at)?;
        if self.text[start..].starts_with('[') {
            let end = matching_bracket(self.text, start).ok_or(PatchError {
                key: key.into(),
                reason: "the `[` has no matching `]`",
            })?;
            self.edits.push((start..end + 1, flow(items)));
            return Ok(());
        }
        let (region, indent) = self.block_region(start);
        if items.is_empty() {
            let colon = self.key_end(key, start)?;
            self.edits.push((colon..colon, " []".into()));
            self.edits.push((region, String::new()));
        } else if let Some(edits) = self.item_edits(old, items, &region, &indent) {
            self.edits.extend(edits);
        } else {
            self.edits.push((region, self.block(items, &indent)));
        }
        Ok(())
    }

    /// The line edits that turn a block list's `old` items into `new`, when `new` is the old
    /// items that stay, in their order, followed by new ones; `None` otherwise.
    fn item_edits(
        &self,
        old: &[(Item, Pos)],
        new: &[Item],
        region: &Range<usize>,
        indent: &str,
    ) -> Option<Vec<(Range<usize>, String)>> {
        let kept: Vec<&Item> = old
            .iter()
            .map(|(item, _)| item)
            .filter(|i| new.contains(i))
            .collect();
        if new.len() < kept.len() || new[..kept.len()].iter().ne(kept.iter().copied()) {
            return None;
        }
        // Each old item owns the lines from its own to the next item's (or the block's end).
        let starts: Vec<usize> = old
            .iter()
            .map(|(_, at)| {
                let offset = at.byte_offset()?;
                (region.contains(&offset))
                    .then(|| self.text[..offset].rfind('\n').map_or(0, |p| p + 1))
            })
            .collect::<Option<_>>()?;
        if starts.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        let mut edits = Vec::new();
        for (index, (item, _)) in old.iter().enumerate() {
            if !new.contains(item) {
                let end = starts.get(index + 1).copied().unwrap_or(region.end);
                edits.push((starts[index]..end, String::new()));
            }
        }
        let added = &new[kept.len()..];
        if !added.is_empty() {
            let lead = if self.text[..region.end].ends_with('\n') {
                ""
            } else {
                self.eol
            };
            edits.push((
                region.end..region.end,
                format!("{lead}{}", self.block(added, indent)),
            ));
        }
        Some(edits)
    }

    /// Inserts a `key: value` line after the value of `after_key` at `at` (a scalar, or a
    /// list when `after_is_list`).
    ///
    /// # Errors
    /// When the position does not lie in the text.
    pub fn insert_after(
        &mut self,
        after_key: &str,
        at: Pos,
        after_is_list: bool,
        line: &str,
    ) -> Result<(), PatchError> {
        let (start, len) = self.bytes(after_key, at)?;
        let end = if after_is_list && !self.text[start..].starts_with('[') {
            self.block_region(start).0.end
        } else {
            let end = if after_is_list {
                matching_bracket(self.text, start).unwrap_or(start)
            } else {
                start + len
            };
            line_end(self.text, end)
        };
        self.insert_at(end, line);
        Ok(())
    }

    /// Appends a `key: value` line at the end of the text.
    pub fn append(&mut self, line: &str) {
        self.insert_at(self.text.len(), line);
    }

    fn insert_at(&mut self, at: usize, line: &str) {
        let needs_break = at > 0 && !self.text[..at].ends_with('\n');
        let lead = if needs_break { self.eol } else { "" };
        self.edits
            .push((at..at, format!("{lead}{line}{}", self.eol)));
    }

    /// The text with every edit made.
    #[must_use]
    pub fn apply(mut self) -> String {
        self.edits
            .sort_by_key(|(range, _)| std::cmp::Reverse((range.start, range.end)));
        let mut text = self.text.to_string();
        for (range, replacement) in self.edits {
            text.replace_range(range, &replacement);
        }
        text
    }

    /// The byte range of a value from its position.
    fn bytes(&self, key: &str, at: Pos) -> Result<(usize, usize), PatchError> {
        match (at.byte_offset(), at.byte_len()) {
            (Some(start), len) if start + len <= self.text.len() => Ok((start, len)),
            _ => Err(PatchError {
                key: key.into(),
                reason: "its position is unknown",
            }),
        }
    }

    /// The byte just after `key:` at the start of a line, before `before`.
    fn key_end(&self, key: &str, before: usize) -> Result<usize, PatchError> {
        let head = &self.text[..before];
        let pattern = format!("{key}:");
        let mut search = head;
        while let Some(at) = search.rfind(&pattern) {
            if at == 0 || head[..at].ends_with('\n') || head[..at].ends_with('\u{feff}') {
                return Ok(at + pattern.len());
            }
            search = &head[..at];
        }
        Err(PatchError {
            key: key.into(),
            reason: "the key is not at the start of a line",
        })
    }

    /// The lines of a block list whose first `-` is at `start`, and that `-`'s indentation.
    fn block_region(&self, start: usize) -> (Range<usize>, String) {
        let text = self.text;
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        let indent = text[line_start..start].to_string();
        let width = indent.len();
        let mut end = line_end(text, start);
        let mut cursor = end;
        while cursor < text.len() {
            let next = line_end(text, cursor);
            let line = text[cursor..next].trim_end_matches(['\n', '\r']);
            let spaces = line.len() - line.trim_start_matches(' ').len();
            if line.trim().is_empty() {
                cursor = next;
                continue;
            }
            let belongs = spaces > width || (spaces == width && line[spaces..].starts_with('-'));
            if !belongs {
                break;
            }
            end = next;
            cursor = next;
        }
        (line_start..end, indent)
    }

    fn block(&self, items: &[Item], indent: &str) -> String {
        let eol = self.eol;
        let mut out = String::new();
        for item in items {
            let (code, tentative) = match item {
                Item::Code(code) => (yaml::scalar(code), false),
                Item::Funding(f) => (yaml::scalar(&f.source), f.tentative),
                Item::Number(n) => (n.to_string(), false),
            };
            if tentative {
                let _ = write!(
                    out,
                    "{indent}- source: {code}{eol}{indent}  tentative: true{eol}"
                );
            } else {
                let _ = write!(out, "{indent}- {code}{eol}");
            }
        }
        out
    }
}

/// `[A, {source: B, tentative: true}]`.
fn flow(items: &[Item]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| match item {
            Item::Code(code) => yaml::flow_scalar(code),
            Item::Funding(f) if f.tentative => {
                format!(
                    "{{source: {}, tentative: true}}",
                    yaml::flow_scalar(&f.source)
                )
            }
            Item::Funding(f) => yaml::flow_scalar(&f.source),
            Item::Number(n) => n.to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// The byte after the end of the line holding `at` (after its line break).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |p| at + p + 1)
}

/// The `]` closing the `[` at `open`, skipping quoted text and nested brackets.
fn matching_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = text[open..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => {
                // '' inside single quotes is an escaped quote.
                if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            (None, '#') if text[..open + i].ends_with([' ', '\t']) => {
                // A comment inside a multi-line flow list runs to the end of its line.
                while chars.next_if(|(_, n)| *n != '\n').is_some() {}
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, ActionDraft, Status};
    use crate::store::parse_record;

    const FILE: &str = "# An action, with comments.\nid: 4\ntitle: Joint Operation  # as written\nlead: [DCAF]\ninvolved:\n  - EUROPOL   # since 2018\n  - FRONTEX\n\nlocations: ['BIH']\nscope: \"Criminal police\"\ntimeline: By May 2019\nstatus: planned\nfinancing: []\nnotes: >-\n  Two\n  lines.\n";

    fn load(text: &str) -> Action {
        parse_record(text, "a.yaml").unwrap()
    }

    #[test]
    fn a_scalar_edit_changes_one_line() {
        let action = load(FILE);
        let mut patch = Patch::new(FILE);
        patch
            .scalar("status", action.status.referenced, "completed")
            .unwrap();
        let text = patch.apply();
        assert_eq!(text, FILE.replace("status: planned", "status: completed"));
        assert_eq!(load(&text).status.value, Status::Completed);
    }

    #[test]
    fn quoted_and_block_scalars() {
        let action = load(FILE);
        let mut patch = Patch::new(FILE);
        patch
            .scalar("scope", action.scope.referenced, "Border police")
            .unwrap();
        patch
            .scalar(
                "notes",
                action.notes.as_ref().unwrap().referenced,
                "\"One: line\"",
            )
            .unwrap();
        let text = patch.apply();
        let back = load(&text);
        assert_eq!(back.scope(), "Border police");
        assert_eq!(back.notes(), Some("One: line"));
        assert!(text.ends_with("notes: \"One: line\"\n"), "{text}");
    }

    #[test]
    fn lists_keep_their_style() {
        let action = load(FILE);
        let mut patch = Patch::new(FILE);
        let items = |codes: &[&str]| {
            codes
                .iter()
                .map(|c| Item::Code((*c).into()))
                .collect::<Vec<_>>()
        };
        patch
            .list(
                "involved",
                action.involved.referenced,
                &written_codes(&action.involved.value),
                &items(&["EUROPOL", "FRONTEX", "IOM"]),
            )
            .unwrap();
        patch
            .list(
                "locations",
                action.locations.referenced,
                &written_codes(&action.locations.value),
                &items(&["BIH", "SRB"]),
            )
            .unwrap();
        patch
            .list(
                "financing",
                action.financing.referenced,
                &written_funding(&action.financing.value),
                &[Item::Funding(Funding {
                    source: "TAIEX".into(),
                    tentative: true,
                })],
            )
            .unwrap();
        let text = patch.apply();
        assert!(
            text.contains(
                "involved:\n  - EUROPOL   # since 2018\n  - FRONTEX\n  - IOM\n\nlocations: [BIH, SRB]\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("financing: [{source: TAIEX, tentative: true}]\n"),
            "{text}"
        );
        let back = ActionDraft::from(&load(&text));
        assert_eq!(back.involved, ["EUROPOL", "FRONTEX", "IOM"]);
        assert!(back.financing[0].tentative);
    }

    #[test]
    fn removing_and_adding_block_items_keeps_the_others_lines() {
        let action = load(FILE);
        let mut patch = Patch::new(FILE);
        let new = [Item::Code("EUROPOL".into()), Item::Code("IOM".into())];
        patch
            .list(
                "involved",
                action.involved.referenced,
                &written_codes(&action.involved.value),
                &new,
            )
            .unwrap();
        let text = patch.apply();
        assert!(
            text.contains("involved:\n  - EUROPOL   # since 2018\n  - IOM\n\nlocations"),
            "{text}"
        );
        // A reordering cannot keep lines: the list is written anew.
        let mut patch = Patch::new(FILE);
        let new = [Item::Code("FRONTEX".into()), Item::Code("EUROPOL".into())];
        patch
            .list(
                "involved",
                action.involved.referenced,
                &written_codes(&action.involved.value),
                &new,
            )
            .unwrap();
        assert!(
            patch
                .apply()
                .contains("involved:\n  - FRONTEX\n  - EUROPOL\n\n")
        );
    }

    #[test]
    fn a_block_list_can_become_empty_and_keys_can_be_added() {
        let action = load(FILE);
        let mut patch = Patch::new(FILE);
        patch
            .list("involved", action.involved.referenced, &[], &[])
            .unwrap();
        patch
            .insert_after(
                "financing",
                action.financing.referenced,
                true,
                "addresses: [BP-6]",
            )
            .unwrap();
        patch
            .insert_after(
                "status",
                action.status.referenced,
                false,
                "requested_by: MNE",
            )
            .unwrap();
        let text = patch.apply();
        assert!(text.contains("involved: []\n\nlocations"), "{text}");
        assert!(
            text.contains(
                "status: planned\nrequested_by: MNE\nfinancing: []\naddresses: [BP-6]\nnotes"
            ),
            "{text}"
        );
        let back = load(&text);
        assert!(back.involved.value.is_empty());
        assert_eq!(back.addresses().collect::<Vec<_>>(), ["BP-6"]);
    }

    #[test]
    fn crlf_and_bom_survive() {
        let text = format!("\u{feff}{}", FILE.replace('\n', "\r\n"));
        let action = load(&text);
        let mut patch = Patch::new(&text);
        patch
            .scalar("status", action.status.referenced, "completed")
            .unwrap();
        patch.append("# done");
        let edited = patch.apply();
        assert_eq!(
            edited,
            format!(
                "{}# done\r\n",
                text.replace("status: planned", "status: completed")
            )
        );
    }

    #[test]
    fn brackets_in_quotes_and_comments() {
        let text = "lead: ['a]', \"b\\\"]\", [c]]  # x]\n";
        assert_eq!(matching_bracket(text, 6), Some(text.find("]  #").unwrap()));
        assert_eq!(matching_bracket("[a", 0), None);
    }

    #[test]
    fn lines_appended_to_a_block_keep_the_block() {
        let head = "id: 1\ntitle: T\nlead: [A]\ninvolved: []\nlocations: []\nscope: S\n\
                    timeline: July 2018\nstatus: planned\nfinancing: []\n";
        let case = |notes: &str, lines: &str, expected: Option<(&str, &str)>| {
            let text = format!("{head}{notes}");
            let action = load(&text);
            let mut patch = Patch::new(&text);
            let at = action.notes.as_ref().unwrap().referenced;
            let done = patch.append_to_block("notes", at, lines).unwrap();
            let text = patch.apply();
            match expected {
                Some((written, value)) => {
                    assert!(done, "{notes:?}");
                    assert_eq!(&text[head.len()..], written);
                    assert_eq!(load(&text).notes(), Some(value));
                }
                None => assert!(!done && text == format!("{head}{notes}"), "{notes:?}"),
            }
        };
        case(
            "notes: >-\n  Two\n  lines.\n",
            "New",
            Some(("notes: >-\n  Two\n  lines.\n\n  New\n", "Two lines.\nNew")),
        );
        case(
            "notes: |\n    One\n    Two\n\n# end\n",
            "Three\nFour",
            Some((
                "notes: |\n    One\n    Two\n    Three\n    Four\n\n# end\n",
                "One\nTwo\nThree\nFour\n",
            )),
        );
        case(
            "notes: |-\r\n  One\r\n",
            "Two",
            Some(("notes: |-\r\n  One\r\n  Two\r\n", "One\nTwo")),
        );
        case("notes: |+\n  One\n\n", "Two", None);
        case("notes: One\n", "Two", None);
    }
}

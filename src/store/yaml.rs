//! Records as YAML text in the house style: the key order and forms of the shipped files,
//! plain scalars where YAML allows them, double-quoted ones elsewhere.

use std::fmt::Write as _;

use crate::model::{ActionDraft, Funding, LogframeDraft};

/// Words YAML 1.1 or 1.2 would read as something other than text.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf",
];

/// A scalar for a block mapping value: plain when that reads back as the same text,
/// double-quoted (with YAML's escapes) otherwise.
#[must_use]
pub fn scalar(text: &str) -> String {
    if plain_is_safe(text, false) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A scalar inside a flow sequence `[…]`, where `,[]{}` also need quoting.
#[must_use]
pub fn flow_scalar(text: &str) -> String {
    if plain_is_safe(text, true) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Double-quoted, every character that YAML would not read back as itself escaped: the
/// quote and backslash, line breaks, and whatever is not printable (`\x7f`, `\x85`, …).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if escaped(c) => {
                // Every such character is below U+10000: `\xNN` or `\uNNNN`.
                let _ = match u32::from(c) {
                    n @ 0..=0xff => write!(out, "\\x{n:02x}"),
                    n => write!(out, "\\u{n:04x}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters a YAML file may not hold as they are (outside YAML's printable set), or that
/// a reader takes for a line break or a byte-order mark: written as escapes.
fn escaped(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x08'
            | '\x0b'
            | '\x0c'
            | '\x0e'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

fn plain_is_safe(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let indicators = "-?:,[]{}#&*!|>'\"%@`";
    !(text.trim() != text
        || indicators.contains(first)
        || first.is_ascii_digit()
        || first == '+'
        || first == '.'
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| c.is_control() || escaped(c))
        || (in_flow && text.contains([',', '[', ']', '{', '}']))
        || RESERVED.contains(&text.to_ascii_lowercase().as_str()))
}

/// `[A, B]`.
#[must_use]
pub fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|i| flow_scalar(i.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// `[1, 3]`.
#[must_use]
pub fn id_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!("[{}]", ids.join(", "))
}

/// A funding list: `[A, B]` when all are confirmed, one entry a line otherwise.
#[must_use]
pub fn financing(entries: &[Funding], indent: &str) -> String {
    if entries.iter().all(|f| !f.tentative) {
        let codes: Vec<&str> = entries.iter().map(|f| f.source.as_str()).collect();
        return format!(" {}", flow_list(&codes));
    }
    let mut out = String::new();
    for entry in entries {
        let source = scalar(&entry.source);
        if entry.tentative {
            let _ = write!(
                out,
                "\n{indent}- source: {source}\n{indent}  tentative: true"
            );
        } else {
            let _ = write!(out, "\n{indent}- {source}");
        }
    }
    out
}

/// A new action file.
#[must_use]
pub fn action(draft: &ActionDraft) -> String {
    let mut out = format!("# Action {}.\n", draft.id);
    let _ = writeln!(out, "id: {}", draft.id);
    let _ = writeln!(out, "title: {}", scalar(&draft.title));
    let _ = writeln!(out, "lead: {}", flow_list(&draft.lead));
    let _ = writeln!(out, "involved: {}", flow_list(&draft.involved));
    let _ = writeln!(out, "locations: {}", flow_list(&draft.locations));
    let _ = writeln!(out, "scope: {}", scalar(&draft.scope));
    let _ = writeln!(out, "timeline: {}", scalar(&draft.timeline));
    let _ = writeln!(out, "status: {}", draft.status);
    if let Some(by) = &draft.requested_by {
        let _ = writeln!(out, "requested_by: {}", scalar(by));
    }
    let _ = writeln!(out, "financing:{}", financing(&draft.financing, "  "));
    if let Some(addresses) = &draft.addresses {
        let _ = writeln!(out, "addresses: {}", flow_list(addresses));
    }
    if let Some(rows) = &draft.contributes_to {
        let _ = writeln!(out, "contributes_to: {}", id_list(rows));
    }
    if let Some(notes) = &draft.notes {
        let _ = writeln!(out, "notes: {}", scalar(notes));
    }
    out
}

/// A new logframe row file.
#[must_use]
pub fn logframe_row(draft: &LogframeDraft) -> String {
    let mut out = format!("# Logframe row {}.\n", draft.id);
    let _ = writeln!(out, "id: {}", draft.id);
    let _ = writeln!(out, "outcome: {}", scalar(&draft.outcome));
    if !draft.addresses.is_empty() {
        let _ = writeln!(out, "addresses: {}", flow_list(&draft.addresses));
    }
    if draft.objectives.is_empty() {
        out.push_str("objectives: []\n");
    } else {
        out.push_str("objectives:\n");
        for (text, outputs) in &draft.objectives {
            let _ = writeln!(out, "  - text: {}", scalar(text));
            if outputs.is_empty() {
                out.push_str("    outputs: []\n");
            } else {
                out.push_str("    outputs:\n");
                for output in outputs {
                    let _ = writeln!(out, "      - {}", scalar(output));
                }
            }
        }
    }
    if let Some(notes) = &draft.notes {
        let _ = writeln!(out, "notes: {}", scalar(notes));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, Status};
    use crate::store::parse_record;

    #[test]
    fn plain_where_safe() {
        assert_eq!(scalar("Joint Operation DRINO"), "Joint Operation DRINO");
        assert_eq!(scalar("2019"), "\"2019\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("- x"), "\"- x\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(scalar("a\u{7f}b"), "\"a\\x7fb\"");
        assert_eq!(
            scalar("a\u{85}\u{2028}\u{feff}"),
            "\"a\\x85\\u2028\\ufeff\""
        );
        assert_eq!(
            scalar("tab\there \\ \"q\""),
            "\"tab\\there \\\\ \\\"q\\\"\""
        );
        assert_eq!(flow_scalar("a, b"), "\"a, b\"");
        assert_eq!(scalar("a, b"), "a, b");
    }

    #[test]
    fn a_written_action_reads_back_equal() {
        let draft = ActionDraft {
            id: 29,
            title: "Workshop: \"forged\" documents, #2 – Čačak".into(),
            lead: vec!["DCAF".into(), "FRONTEX".into()],
            involved: vec![],
            locations: vec!["ALB-GRE".into()],
            scope: String::new(),
            timeline: "2019 (when MSs agree)".into(),
            status: Status::Requested,
            requested_by: Some("MNE".into()),
            financing: vec![
                Funding {
                    source: "GIZ".into(),
                    tentative: false,
                },
                Funding {
                    source: "TAIEX".into(),
                    tentative: true,
                },
            ],
            addresses: Some(vec!["BP-7a".into()]),
            contributes_to: None,
            notes: Some("yes\n  two lines: here".into()),
        };
        let text = action(&draft);
        let back: Action = parse_record(&text, "a.yaml").unwrap();
        assert_eq!(ActionDraft::from(&back), draft, "{text}");
    }
}

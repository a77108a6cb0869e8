//! The cells of the document's List of Actions, read as the document writes them: names,
//! codes or aliases joined by `,` `;` `/` or `and`, a `?` or `(if available)` for tentative
//! money, `TBD` for nothing yet, Word's line-break hyphenation.

use super::{Entry, Registry, Status, lookup_key};

/// What a cell of codes gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Codes {
    /// The codes, each with whether it was marked tentative, in the order written.
    pub codes: Vec<(String, bool)>,
    /// The pieces no code, name or alias matched.
    pub unknown: Vec<String>,
    /// Whether the cell says more than its codes, so its wording should be kept in a note:
    /// a bracketed remark was dropped to find a code (`WB (PCC SEE)`), or the cell groups its
    /// pieces with both `;` and `,` (`ALB-GRE; FYROM-GRE; SRB, MNE, BiH`).
    pub keep_wording: bool,
}

/// Whether a cell says nothing is decided yet.
#[must_use]
pub fn is_undecided(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.eq_ignore_ascii_case("tbd") || text == "-" || text == "—"
}

/// Reads a cell of names, codes or aliases into registry codes. The whole cell is tried
/// first, then its pieces: split at `;` and `,`, then at ` and `, then at `/`, then at
/// spaces (`EUROPOL FRONTEX`). A split at ` and ` or at spaces is taken only when every
/// piece is known, so `Bosnia and Herzegovina` or an unknown two-word name stays whole.
/// A `?` (or `(if available)`) closing a piece marks every source of that piece tentative:
/// `JOO/TAIEX?` is two tentative sources, `GIZ, TAIEX?` one of each.
#[must_use]
pub fn codes<E: Entry>(registry: &Registry<E>, cell: &str) -> Codes {
    let mut out = Codes::default();
    let cell = mend_hyphenation(cell);
    piece(registry, &cell, false, &mut out);
    out.keep_wording |= cell.contains(';') && cell.contains(',');
    let mut seen = Vec::new();
    out.codes.retain(|(code, _)| {
        let fresh = !seen.contains(code);
        seen.push(code.clone());
        fresh
    });
    out
}

fn piece<E: Entry>(registry: &Registry<E>, text: &str, outer: bool, out: &mut Codes) {
    let text = text.trim();
    if is_undecided(text) {
        return;
    }
    let (core, marked) = strip_marks(text);
    let tentative = outer || marked;
    if is_undecided(core) {
        return;
    }
    // A cell with a separator is its pieces, unless the cell as written (case and spacing
    // aside) is one name: `Vienna, Austria` is VIE, but `ALB, MNE` is two places, though
    // its letters alone spell `ALB-MNE`.
    let separated = text.contains([';', ',']);
    let whole = if separated {
        registry.resolve_as_written(core)
    } else {
        registry.resolve(core)
    };
    if let Some(entry) = whole {
        out.codes.push((entry.code().value.clone(), tentative));
        return;
    }
    for separator in [';', ','] {
        if text.contains(separator) {
            for part in text.split(separator) {
                piece(registry, part, outer, out);
            }
            return;
        }
    }
    if let Some(parts) = split_word(text, " and ")
        && let Some(found) = all_known(registry, &parts, outer)
    {
        out.codes.extend(found.codes);
        out.keep_wording |= found.keep_wording;
        return;
    }
    if core.contains('/') {
        for part in core.split('/') {
            piece(registry, part, tentative, out);
        }
        return;
    }
    if let Some(open) = core.rfind(" (")
        && core.ends_with(')')
        && let Some(entry) = registry.resolve(&core[..open])
    {
        out.codes.push((entry.code().value.clone(), tentative));
        out.keep_wording = true;
        return;
    }
    let words: Vec<String> = core.split_whitespace().map(ToString::to_string).collect();
    if words.len() > 1
        && let Some(found) = all_known(registry, &words, tentative)
    {
        out.codes.extend(found.codes);
        return;
    }
    out.unknown.push(core.to_string());
}

/// The pieces' codes when every piece is known.
fn all_known<E: Entry>(registry: &Registry<E>, parts: &[String], tentative: bool) -> Option<Codes> {
    let mut found = Codes::default();
    for part in parts {
        piece(registry, part, tentative, &mut found);
    }
    found.unknown.is_empty().then_some(found)
}

/// `text` split at `word`, in any case, when it holds it.
fn split_word(text: &str, word: &str) -> Option<Vec<String>> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() || !lower.contains(word) {
        return None;
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, _) in lower.match_indices(word) {
        parts.push(text[start..at].to_string());
        start = at + word.len();
    }
    parts.push(text[start..].to_string());
    Some(parts)
}

/// The text without trailing tentative marks (`?`, `(if available)`), and whether it had any.
fn strip_marks(text: &str) -> (&str, bool) {
    let mut text = text.trim();
    let mut marked = false;
    loop {
        if let Some(rest) = text.strip_suffix('?') {
            text = rest.trim_end();
        } else if text.len() >= 14
            && text.is_char_boundary(text.len() - 14)
            && text[text.len() - 14..].eq_ignore_ascii_case("(if available)")
        {
            text = text[..text.len() - 14].trim_end();
        } else {
            return (text, marked);
        }
        marked = true;
    }
}

/// Mends Word's line-break hyphenation: `Implemen- tation` → `Implementation`. A hyphen
/// between a letter and a space followed by a lower-case letter is such a break.
#[must_use]
pub fn mend_hyphenation(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '-' && i > 0 && chars[i - 1].is_alphabetic() {
            let mut next = i + 1;
            while next < chars.len() && chars[next] == ' ' {
                next += 1;
            }
            if next > i + 1 && next < chars.len() && chars[next].is_lowercase() {
                i = next;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A status cell as the design maps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusCell {
    /// The status.
    pub status: Status,
    /// The requester as written (`Requested by MNE` → `MNE`).
    pub requested_by: Option<String>,
    /// Whether the wording says more than the status, so it should be kept in a note.
    pub keep_wording: bool,
}

/// Reads a status cell: empty is `planned`, `Planning / Implementation` is `in-progress`,
/// `Requested by MNE` (or `requested (MNE)`, as `list` writes it) is `requested` by MNE; a
/// status name in any case and spacing is itself. `None` for anything else.
#[must_use]
pub fn status(cell: &str) -> Option<StatusCell> {
    let text = mend_hyphenation(cell).trim().to_string();
    let plain = |status| {
        Some(StatusCell {
            status,
            requested_by: None,
            keep_wording: false,
        })
    };
    if text.is_empty() {
        return plain(Status::Planned);
    }
    let key = lookup_key(&text);
    if let Some(status) = Status::ALL
        .into_iter()
        .find(|s| lookup_key(s.as_str()) == key)
    {
        return plain(status);
    }
    // The document's own wordings below keep their text in the notes; plain synonyms
    // ("Done", "ongoing") are just the status.
    if !matches!(
        key.as_str(),
        "planningimplementation" | "implementation" | "ongoing"
    ) && let Some(status) = Status::from_words(&text)
    {
        return plain(status);
    }
    if matches!(
        key.as_str(),
        "planningimplementation" | "implementation" | "ongoing" | "inprogress"
    ) {
        return Some(StatusCell {
            status: Status::InProgress,
            requested_by: None,
            keep_wording: true,
        });
    }
    let lower = text.to_lowercase();
    let by = if lower.starts_with("requested by ") && lower.len() == text.len() {
        Some(text["requested by ".len()..].trim())
    } else if lower.starts_with("requested (") && text.ends_with(')') && lower.len() == text.len() {
        Some(text["requested (".len()..text.len() - 1].trim())
    } else {
        None
    };
    by.filter(|b| !b.is_empty()).map(|by| StatusCell {
        status: Status::Requested,
        requested_by: Some(by.to_string()),
        keep_wording: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FundingSource, Place};

    fn sp(text: &str) -> crate::model::Sp<String> {
        crate::model::Sp::new(text.to_string(), crate::model::Pos::default())
    }

    fn funding() -> Registry<FundingSource> {
        let entry = |code: &str, aliases: &[&str]| FundingSource {
            code: sp(code),
            name: sp(&format!("{code} money")),
            provider: None,
            aliases: aliases.iter().map(|a| sp(a)).collect(),
        };
        Registry::new(vec![
            entry("IPA-II-2017", &["IPA II 2017"]),
            entry("GIZ", &[]),
            entry("JOO", &[]),
            entry("TAIEX", &[]),
            entry("SELEC", &["SELEC budget"]),
            entry("EXTERNAL", &["external funding"]),
            entry("BMI-AT", &["BMI AT"]),
        ])
    }

    fn places() -> Registry<Place> {
        let entry = |code: &str, aliases: &[&str]| Place {
            code: sp(code),
            name: sp(code),
            kind: None,
            within: vec![],
            iso: None,
            aliases: aliases.iter().map(|a| sp(a)).collect(),
        };
        Registry::new(vec![
            entry("WB", &[]),
            entry("BIH", &["BiH", "Bosnia and Herzegovina"]),
            entry("VIE", &["Vienna, Austria"]),
            entry("ALB-GRE", &["ALB-GRE border"]),
            entry("MKD-GRE", &["FYROM-GRE"]),
            entry("SRB", &[]),
            entry("MNE", &[]),
            entry("ALB", &[]),
            entry("ALB-MNE", &[]),
        ])
    }

    fn case<E: Entry>(registry: &Registry<E>, cell: &str, expected: &[(&str, bool)]) {
        let got = codes(registry, cell);
        let expected: Vec<(String, bool)> = expected
            .iter()
            .map(|(c, t)| ((*c).to_string(), *t))
            .collect();
        assert_eq!(got.codes, expected, "{cell:?}");
        assert!(got.unknown.is_empty(), "{cell:?}: {:?}", got.unknown);
    }

    #[test]
    fn funding_cells() {
        let f = funding();
        case(
            &f,
            "IPA II 2017 / GIZ",
            &[("IPA-II-2017", false), ("GIZ", false)],
        );
        case(&f, "JOO/TAIEX?", &[("JOO", true), ("TAIEX", true)]);
        case(&f, "GIZ, TAIEX?", &[("GIZ", false), ("TAIEX", true)]);
        case(&f, "JOO?; GIZ", &[("JOO", true), ("GIZ", false)]);
        case(&f, "JOO/BMI AT", &[("JOO", false), ("BMI-AT", false)]);
        case(
            &f,
            "SELEC budget and external funding (if available)",
            &[("SELEC", false), ("EXTERNAL", true)],
        );
        case(&f, "TBD", &[]);
        case(&f, "", &[]);
    }

    #[test]
    fn place_cells() {
        let p = places();
        case(&p, "Vienna, Austria", &[("VIE", false)]);
        case(&p, "vienna,  austria", &[("VIE", false)]);
        // Its letters spell ALB-MNE, but it is a list of two.
        case(&p, "ALB, MNE", &[("ALB", false), ("MNE", false)]);
        case(&p, "ALB-MNE", &[("ALB-MNE", false)]);
        case(&p, "Bosnia and Herzegovina", &[("BIH", false)]);
        case(
            &p,
            "ALB-GRE; FYROM-GRE; SRB, MNE, BiH",
            &[
                ("ALB-GRE", false),
                ("MKD-GRE", false),
                ("SRB", false),
                ("MNE", false),
                ("BIH", false),
            ],
        );
        case(&p, "SRB MNE", &[("SRB", false), ("MNE", false)]);
        assert!(codes(&p, "ALB-GRE; FYROM-GRE; SRB, MNE, BiH").keep_wording);
        assert!(!codes(&p, "SRB, MNE, BiH").keep_wording);
        let remark = codes(&p, "WB (PCC SEE)");
        assert_eq!(remark.codes, [("WB".to_string(), false)]);
        assert!(remark.keep_wording);
    }

    #[test]
    fn unknown_pieces_are_named_whole() {
        let p = places();
        assert_eq!(codes(&p, "Narnia Proper").unknown, ["Narnia Proper"]);
        assert_eq!(codes(&p, "WB, Narnia").unknown, ["Narnia"]);
        assert_eq!(codes(&p, "SRB and Narnia").unknown, ["SRB and Narnia"]);
    }

    #[test]
    fn hyphenation() {
        assert_eq!(mend_hyphenation("Implemen- tation"), "Implementation");
        assert_eq!(mend_hyphenation("Prosecution - TBD"), "Prosecution - TBD");
        assert_eq!(mend_hyphenation("ALB-GRE border"), "ALB-GRE border");
        assert_eq!(mend_hyphenation("By Decem-  ber 2019"), "By December 2019");
    }

    #[test]
    fn statuses() {
        let s = |cell: &str| status(cell).map(|s| (s.status, s.requested_by, s.keep_wording));
        assert_eq!(s(""), Some((Status::Planned, None, false)));
        assert_eq!(s("completed"), Some((Status::Completed, None, false)));
        assert_eq!(s("In progress"), Some((Status::InProgress, None, false)));
        assert_eq!(
            s("Planning / Implemen- tation"),
            Some((Status::InProgress, None, true))
        );
        assert_eq!(
            s("Requested by MNE"),
            Some((Status::Requested, Some("MNE".into()), false))
        );
        assert_eq!(
            s("requested (MNE)"),
            Some((Status::Requested, Some("MNE".into()), false))
        );
        assert_eq!(s("soon"), None);
    }
}

//! Properties over any input: parsers return a value or an error, never a panic.

use iisg::model::{Action, Forum, LogframeRow, Month, Timeline};
use iisg::store::parse_record;
use proptest::prelude::*;

/// Text that looks like the data more often than random bytes do.
fn yamlish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("id: ".to_string()),
        Just("title: ".to_string()),
        Just("lead: [".to_string()),
        Just("financing:\n  - source: ".to_string()),
        Just("timeline: ".to_string()),
        Just("status: completed".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("\"".to_string()),
        Just("\u{feff}".to_string()),
        "[a-zA-Z0-9 :\\-–é]{0,12}",
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn timeline_parse_never_panics(text in "\\PC{0,40}") {
        let _ = Timeline::parse(&text);
    }

    #[test]
    fn timeline_like_text_never_panics(
        word in prop_oneof![Just("By"), Just("After"), Just("Starting after"), Just("Q2"), Just("")],
        month in "[A-Za-z]{0,10}",
        year in "[0-9]{0,6}",
        tail in "[ ()–\\-a-z]{0,12}",
    ) {
        let _ = Timeline::parse(&format!("{word} {month} {year}{tail}"));
        let _ = Month::parse(&format!("{year}-{month}"));
    }

    #[test]
    fn parsed_windows_are_ordered(text in "(By )?(January|May|Q[1-4]|December) 20[0-9]{2}( – (June|Q4) 20[0-9]{2})?") {
        if let Ok(timeline) = Timeline::parse(&text)
            && let (Some(start), Some(end)) = (timeline.window.start(), timeline.window.end())
        {
            prop_assert!(start <= end);
        }
    }

    #[test]
    fn loading_any_text_never_panics(text in yamlish()) {
        let _ = parse_record::<Action>(&text, "a.yaml");
        let _ = parse_record::<LogframeRow>(&text, "l.yaml");
        let _ = parse_record::<Forum>(&text, "f.yaml");
    }

    #[test]
    fn loading_any_unicode_never_panics(text in "\\PC{0,200}") {
        let _ = parse_record::<Action>(&text, "a.yaml");
    }
}

#[test]
fn an_action_truncated_at_any_byte_never_panics() {
    let text = std::fs::read_to_string(
        crate::test::shipped_data().join("actions/005-study-visit-s-to-joo.yaml"),
    )
    .unwrap();
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        let _ = parse_record::<Action>(&text[..end], "a.yaml");
    }
}

/// An action broken anywhere by a bracket, a quote, a tab, a conflict marker or a tag is a
/// finding, never a panic: every kind of input the second look at a refused file reads.
#[test]
fn an_action_broken_anywhere_never_panics() {
    let text = std::fs::read_to_string(
        crate::test::shipped_data().join("actions/005-study-visit-s-to-joo.yaml"),
    )
    .unwrap();
    let pieces = [
        "[",
        "{",
        "]",
        "\"",
        "'",
        "\t",
        "\n\t",
        "!!x ",
        "\n<<<<<<< HEAD\n",
        "\n=======\n",
        "é",
        "\u{3000}",
    ];
    for piece in pieces {
        for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let broken = format!("{}{piece}{}", &text[..at], &text[at..]);
            if let Err(finding) = parse_record::<Action>(&broken, "a.yaml") {
                assert!(
                    finding.line > 0 || finding.message.contains("missing"),
                    "{broken:?}: {finding:?}"
                );
            }
        }
    }
}

/// Text a person might put in a field: letters of the region, punctuation YAML cares about,
/// quotes, line breaks.
fn field_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9čćšžđČŠ –:#'\"\\[\\]{},&*!|>%@`?\\-\\n]{1,40}"
}

/// Any text at all: every Unicode scalar, with the ones YAML treats specially (controls,
/// DEL, C1 controls such as NEL, line and paragraph separators, byte-order marks,
/// non-characters, quotes and backslashes) drawn often.
fn any_text() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        (0u32..0x20).prop_map(|n| char::from_u32(n).unwrap()),
        (0x7fu32..0xa0).prop_map(|n| char::from_u32(n).unwrap()),
        prop::sample::select(vec![
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{fdd0}',
            '\u{10ffff}',
            '"',
            '\'',
            '\\',
            ' ',
            ':',
            '#',
            '-',
            '[',
            ',',
        ]),
    ];
    let one = prop_oneof![any::<char>(), special];
    prop::collection::vec(one, 0..24).prop_map(|chars| chars.into_iter().collect())
}

fn code() -> impl Strategy<Value = String> {
    "[A-Z]{2,5}(-[A-Z0-9]{1,4})?"
}

fn draft() -> impl Strategy<Value = iisg::model::ActionDraft> {
    use iisg::model::{ActionDraft, Funding, Status};
    (
        (
            1i64..100_000,
            field_text(),
            prop::collection::vec(code(), 1..3),
        ),
        (
            prop::collection::vec(code(), 0..3),
            prop::collection::vec(code(), 0..3),
        ),
        (
            field_text(),
            field_text(),
            prop::sample::select(Status::ALL.to_vec()),
        ),
        prop::collection::vec((code(), any::<bool>()), 0..3),
        (
            prop::option::of(prop::collection::vec(code(), 0..3)),
            prop::option::of(field_text()),
        ),
    )
        .prop_map(
            |(
                (id, title, lead),
                (involved, locations),
                (scope, timeline, status),
                money,
                (addresses, notes),
            )| {
                ActionDraft {
                    id,
                    title,
                    lead,
                    involved,
                    locations,
                    scope,
                    timeline,
                    status,
                    requested_by: None,
                    financing: money
                        .into_iter()
                        .map(|(source, tentative)| Funding { source, tentative })
                        .collect(),
                    addresses,
                    contributes_to: None,
                    notes,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Whatever add-action writes reads back as the same record.
    #[test]
    fn a_written_action_reads_back_equal(draft in draft()) {
        let text = iisg::store::yaml::action(&draft);
        let back: Action = parse_record(&text, "a.yaml").map_err(|d| TestCaseError::fail(format!("{d:?}\n{text}")))?;
        prop_assert_eq!(iisg::model::ActionDraft::from(&back), draft);
    }

    /// Any text, control characters included, written as a title, a list item or notes,
    /// reads back as the same text.
    #[test]
    fn any_text_reads_back_as_written(title in any_text(), notes in any_text(), item in any_text()) {
        let draft = iisg::model::ActionDraft {
            id: 1,
            title: title.clone(),
            lead: vec![item.clone()],
            involved: vec![],
            locations: vec![],
            scope: String::new(),
            timeline: "2019".into(),
            status: iisg::model::Status::Planned,
            requested_by: None,
            financing: vec![],
            addresses: None,
            contributes_to: None,
            notes: Some(notes.clone()),
        };
        let text = iisg::store::yaml::action(&draft);
        let back: Action = parse_record(&text, "a.yaml").map_err(|d| TestCaseError::fail(format!("{d:?}\n{text:?}")))?;
        prop_assert_eq!(&back.title.value, &title, "{:?}", text);
        prop_assert_eq!(&back.lead.value[0].value, &item, "{:?}", text);
        prop_assert_eq!(back.notes(), Some(notes.as_str()), "{:?}", text);
    }

    /// Editing one field in place changes that field and leaves every other line as it was.
    #[test]
    fn an_edit_changes_only_its_field(file in 1usize..=28, field in 0usize..4, value in field_text()) {
        use iisg::store::{Item, Patch};
        let dir = crate::test::shipped_data().join("actions");
        let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        let text = std::fs::read_to_string(&names[file - 1]).unwrap();
        let action: Action = parse_record(&text, "a.yaml").unwrap();
        let mut patch = Patch::new(&text);
        let rendered = iisg::store::yaml::scalar(&value);
        let key = match field {
            0 => { patch.scalar("title", action.title.referenced, &rendered).unwrap(); "title" }
            1 => { patch.scalar("scope", action.scope.referenced, &rendered).unwrap(); "scope" }
            2 => { patch.scalar("timeline", action.timeline.referenced, &rendered).unwrap(); "timeline" }
            _ => {
                let written = iisg::store::written_codes(&action.involved.value);
                patch.list("involved", action.involved.referenced, &written, &[Item::Code("IOM".into())]).unwrap();
                "involved"
            }
        };
        let edited = patch.apply();
        let back: Action = parse_record(&edited, "a.yaml").map_err(|d| TestCaseError::fail(format!("{d:?}\n{edited}")))?;
        let before = iisg::model::ActionDraft::from(&action);
        let mut after = iisg::model::ActionDraft::from(&back);
        match key {
            "title" => { prop_assert_eq!(&after.title, &value); after.title.clone_from(&before.title); }
            "scope" => { prop_assert_eq!(&after.scope, &value); after.scope.clone_from(&before.scope); }
            "timeline" => { prop_assert_eq!(&after.timeline, &value); after.timeline.clone_from(&before.timeline); }
            _ => { prop_assert_eq!(&after.involved, &vec!["IOM".to_string()]); after.involved.clone_from(&before.involved); }
        }
        prop_assert_eq!(after, before);
        // Every line but the edited key's is byte for byte the same.
        let others = |t: &str| -> Vec<String> {
            t.lines().filter(|l| !l.starts_with(&format!("{key}:"))).map(ToString::to_string).collect()
        };
        if key != "involved" || text.contains("involved: [") {
            prop_assert_eq!(others(&text), others(&edited));
        }
    }
}

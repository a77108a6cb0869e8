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

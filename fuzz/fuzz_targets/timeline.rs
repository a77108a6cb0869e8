//! Any text given to the timeline and month parsers returns a value or an error.
#![no_main]

use iisg::model::{Month, Timeline};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(timeline) = Timeline::parse(text)
        && let (Some(start), Some(end)) = (timeline.window.start(), timeline.window.end())
    {
        assert!(start <= end, "{text:?}");
    }
    let _ = Month::parse(text);
});

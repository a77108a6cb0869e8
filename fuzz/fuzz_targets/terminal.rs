//! Any bytes, written in any pieces through the terminal cleaner, come out with no control
//! character but newline and tab, no DEL, C1 or bidirectional override, and no escape
//! sequence but colours (and those only when colour is on).
#![no_main]

use std::io::Write;

use iisg::render::terminal::Clean;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, Vec<u8>, Vec<u8>)| {
    let (colours, cuts, bytes) = input;
    let mut out = Vec::new();
    {
        let mut clean = Clean::new(&mut out, colours);
        let mut rest = bytes.as_slice();
        for cut in cuts {
            let (piece, tail) = rest.split_at((cut as usize).min(rest.len()));
            clean.write_all(piece).unwrap();
            rest = tail;
        }
        clean.write_all(rest).unwrap();
        clean.flush().unwrap();
    }
    let text = std::str::from_utf8(&out).expect("the cleaner writes UTF-8");
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\u{1b}' {
            assert!(colours, "an escape with colour off: {text:?}");
            let rest = &text[at + 1..];
            let end = rest[1..]
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .map(|e| e + 1);
            assert!(
                rest.starts_with('[') && end.is_some_and(|e| rest[e..].starts_with('m')),
                "an escape that is no colour: {text:?}"
            );
            continue;
        }
        assert!(
            !(c.is_control() && c != '\n' && c != '\t')
                && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
            "{c:?} in {text:?}"
        );
    }
});

//! Text meant for a terminal, made harmless. Whatever the plan's files, file names or git
//! history hold, iisg never sends a terminal a control character: each one (but newline and
//! tab) is written as `\u001b`, the form JSON uses, so JSON stays valid and a table shows
//! plainly what was there. So are DEL, the C1 controls (U+0080–U+009F) and the bidirectional
//! overrides (U+202A–U+202E, U+2066–U+2069) that reorder what a reader sees. The only escape
//! sequences that pass are iisg's own colours (`ESC [ digits ; … m`), and only when colour is
//! on.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// A writer that passes text through [`clean`] on its way to `inner`.
pub struct Clean<'a> {
    inner: &'a mut dyn Write,
    colours: bool,
    /// The first bytes of a character split between two writes.
    carry: Vec<u8>,
}

impl<'a> Clean<'a> {
    /// Cleans what is written to `inner`; `colours` lets iisg's colour sequences through.
    pub fn new(inner: &'a mut dyn Write, colours: bool) -> Self {
        Self {
            inner,
            colours,
            carry: Vec::new(),
        }
    }
}

impl Write for Clean<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let joined;
        let bytes = if self.carry.is_empty() {
            buf
        } else {
            self.carry.extend_from_slice(buf);
            joined = std::mem::take(&mut self.carry);
            &joined
        };
        let (text, rest) = match std::str::from_utf8(bytes) {
            // A CR at the end may begin a CRLF: kept for the next write to tell.
            Ok(text) if text.ends_with('\r') => (
                Cow::Borrowed(&text[..text.len() - 1]),
                &bytes[text.len() - 1..],
            ),
            Ok(text) => (Cow::Borrowed(text), &[][..]),
            Err(e) if e.error_len().is_none() => {
                // A character cut at the end: keep its first bytes for the next write.
                let (whole, rest) = bytes.split_at(e.valid_up_to());
                (
                    Cow::Borrowed(std::str::from_utf8(whole).unwrap_or_default()),
                    rest,
                )
            }
            Err(_) => (String::from_utf8_lossy(bytes), &[][..]),
        };
        let cleaned = escape(&text, self.colours);
        self.inner.write_all(cleaned.as_bytes())?;
        self.carry = rest.to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.carry.is_empty() {
            let rest = std::mem::take(&mut self.carry);
            let text = String::from_utf8_lossy(&rest).into_owned();
            self.inner
                .write_all(escape(&text, self.colours).as_bytes())?;
        }
        self.inner.flush()
    }
}

impl Drop for Clean<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// `text` with every control character escaped (newline and tab aside), colours included.
#[must_use]
pub fn clean(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Where the next character [`escape`] must look at begins, at or after `from`: a C0
/// control but newline and tab (CR and ESC among them), DEL, a C1 control (UTF-8 `C2 80` to
/// `C2 9F`) or a bidirectional override (`E2 80 AA`–`AE`, `E2 81 A6`–`A9`). Byte by byte,
/// with no decoding: `C2`, `E2` and ASCII never occur inside another character, so what it
/// finds is always a character's start, and text of box lines and accents passes untouched.
fn next_hazard(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        if SUSPECT[usize::from(byte)]
            && match byte {
                0xc2 => matches!(bytes.get(at + 1), Some(0x80..=0x9f)),
                0xe2 => matches!(
                    (bytes.get(at + 1), bytes.get(at + 2)),
                    (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
                ),
                _ => true,
            }
        {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The bytes a character [`escape`] changes can begin with: one look-up a byte, so that
/// the scan of a large table costs little more than copying it.
const SUSPECT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = byte != b'\n' as usize && byte != b'\t' as usize;
        byte += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xe2] = true;
    table
};

fn escape(text: &str, colours: bool) -> Cow<'_, str> {
    // Most text has nothing to escape and is passed as it is; where something is, the runs
    // between are copied whole.
    let Some(mut at) = next_hazard(text.as_bytes(), 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = 0;
    loop {
        out.push_str(&text[done..at]);
        let rest = &text[at..];
        let Some(c) = rest.chars().next() else { break };
        let sgr = if c == '\u{1b}' && colours {
            colour_sequence(rest)
        } else {
            0
        };
        done = at
            + if sgr > 0 {
                out.push_str(&rest[..sgr]);
                sgr
            } else if c == '\r' && rest[1..].starts_with('\n') {
                // CRLF, the line end of calendars and of files from Windows, is a line end
                // on a terminal too: only a CR alone can draw over what a line showed.
                out.push(c);
                1
            } else {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
                c.len_utf8()
            };
        if let Some(next) = next_hazard(text.as_bytes(), done) {
            at = next;
        } else {
            out.push_str(&text[done..]);
            break;
        }
    }
    Cow::Owned(out)
}

/// The length of the colour sequence (`ESC [ 1;31 m`) `text` starts with, or 0.
fn colour_sequence(text: &str) -> usize {
    let bytes = text.as_bytes();
    if bytes.len() < 3 || bytes[1] != b'[' {
        return 0;
    }
    match bytes[2..]
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b';'))
    {
        Some(end) if bytes[2 + end] == b'm' && end <= 16 => end + 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, colours: bool, expected: &str) {
        assert_eq!(escape(text, colours), expected, "{text:?}");
    }

    #[test]
    fn controls_are_shown_not_sent() {
        case("plain text\n\tindented", false, "plain text\n\tindented");
        case(
            "Joint \u{1b}]0;pwned\u{7}Operation",
            false,
            "Joint \\u001b]0;pwned\\u0007Operation",
        );
        case("\u{1b}[2J", false, "\\u001b[2J");
        case("\u{1b}[2J", true, "\\u001b[2J");
        case(
            "\u{1b}[1;31merror\u{1b}[0m",
            true,
            "\u{1b}[1;31merror\u{1b}[0m",
        );
        case(
            "\u{1b}[1;31merror\u{1b}[0m",
            false,
            "\\u001b[1;31merror\\u001b[0m",
        );
        case("a\rb\u{7f}c\u{85}d", false, "a\\u000db\\u007fc\\u0085d");
        // CRLF is a line end; a CR alone, or before anything else, is not let through.
        case("one\r\ntwo\r\r\n", false, "one\r\ntwo\\u000d\r\n");
        case("evil\u{202e}txt.exe", false, "evil\\u202etxt.exe");
        case("čćžšđ – “quoted” …", false, "čćžšđ – “quoted” …");
    }

    #[test]
    fn characters_split_between_writes_are_whole() {
        let mut out = Vec::new();
        {
            let mut clean = Clean::new(&mut out, false);
            let text = "Čačak \u{1b}x \u{85}\r\n\r";
            for byte in text.as_bytes() {
                clean.write_all(std::slice::from_ref(byte)).unwrap();
            }
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Čačak \\u001bx \\u0085\r\n\\u000d"
        );
    }

    /// Character by character, the way [`escape`] was first written: what the byte scan
    /// must agree with.
    fn escape_by_char(text: &str, colours: bool) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let sgr = if c == '\u{1b}' && colours {
                colour_sequence(rest)
            } else {
                0
            };
            if sgr > 0 {
                out.push_str(&rest[..sgr]);
                rest = &rest[sgr..];
                continue;
            }
            let unsafe_char = (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c == '\r' && rest[1..].starts_with('\n') || !unsafe_char {
                out.push(c);
            } else {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            rest = &rest[c.len_utf8()..];
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_escapes_what_the_character_rules_say(
            text in "[a \n\t\r\u{0}\u{7}\u{1b}\\[1;m\u{7f}\u{80}\u{85}\u{9f}\u{a0}č\u{2029}\u{202a}-\u{202f}\u{2065}-\u{206a}─…\u{feff}😀]{0,40}",
            colours: bool,
        ) {
            proptest::prop_assert_eq!(escape(&text, colours), escape_by_char(&text, colours));
        }
    }

    #[test]
    fn json_stays_valid() {
        let value = serde_json::json!({"title": "a\u{7f}\u{85}\u{202e}b"});
        let text = escape(&serde_json::to_string(&value).unwrap(), false).into_owned();
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}

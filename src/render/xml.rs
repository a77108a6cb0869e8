//! A small XML writer: elements indented two spaces, every text and attribute value escaped
//! and stripped of the characters XML 1.0 does not allow (control characters, lone
//! surrogates' replacements `U+FFFE`/`U+FFFF`), so that no text of the plan can break the
//! document or inject markup into it.

use std::fmt::Write as _;
use std::io;

use super::Stream;

/// An XML document being written to a writer, a part at a time ([`Xml::done`]).
pub struct Xml<'a> {
    out: Stream<'a>,
    open: Vec<&'static str>,
}

impl<'a> Xml<'a> {
    /// A document for `out`, beginning with its XML declaration.
    pub fn to(out: &'a mut dyn io::Write) -> Self {
        let mut out = Stream::to(out);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Self {
            out,
            open: Vec::new(),
        }
    }

    /// A part of the document is made (an element and all it holds): hand it on.
    ///
    /// # Errors
    /// When the writer fails.
    pub fn done(&mut self) -> io::Result<()> {
        self.out.done()
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    fn tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        let _ = write!(self.out, "<{name}");
        for (key, value) in attributes {
            let _ = write!(self.out, " {key}=\"{}\"", escape(value));
        }
    }

    /// Opens an element; [`Xml::close`] closes it.
    pub fn open(&mut self, name: &'static str, attributes: &[(&str, &str)]) {
        self.tag(name, attributes);
        self.out.push_str(">\n");
        self.open.push(name);
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            let _ = writeln!(self.out, "</{name}>");
        }
    }

    /// An element with no content.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.tag(name, attributes);
        self.out.push_str("/>\n");
    }

    /// An element holding `text`.
    pub fn text(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.tag(name, attributes);
        let _ = writeln!(self.out, ">{}</{name}>", escape(text));
    }

    /// The end of the document, every element closed.
    ///
    /// # Errors
    /// When the writer fails.
    pub fn finish(mut self) -> io::Result<()> {
        while !self.open.is_empty() {
            self.close();
        }
        self.out.done()
    }
}

/// Whether XML 1.0 allows the character in a document at all.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Text made safe as XML character data or an attribute value in double quotes: markup
/// escaped, characters XML forbids left out, line breaks in attributes kept as references.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_never_reach_the_document() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(
            escape("a\u{0}b\u{1b}[31mc\u{fffe}d\u{7f}"),
            "ab[31mcd\u{7f}"
        );
        assert_eq!(escape("line\r\nbreak\ttab"), "line&#13;\nbreak\ttab");
        let mut bytes = Vec::new();
        let mut xml = Xml::to(&mut bytes);
        xml.open("a", &[("k", "v\"")]);
        xml.text("b", &[], "<t>");
        xml.empty("c", &[]);
        xml.finish().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"v&quot;\">\n  <b>&lt;t&gt;</b>\n  <c/>\n</a>\n"
        );
    }
}

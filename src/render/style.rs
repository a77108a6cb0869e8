//! Whether output goes to a terminal, and whether it may be coloured.

/// How to draw output.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Output goes to a terminal: fit tables to its width.
    pub terminal: bool,
    /// ANSI colours are wanted.
    pub color: bool,
}

impl Style {
    /// Plain output, as when piped.
    #[must_use]
    pub fn plain() -> Self {
        Self::default()
    }

    /// `text` in an ANSI style (e.g. `1;31` for bold red) when colour is on.
    #[must_use]
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

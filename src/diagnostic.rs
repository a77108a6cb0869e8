//! Findings about the data: what is wrong, where, and how to fix it.

use std::fmt;

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data is wrong or unreadable.
    Error,
    /// Legal but suspicious.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($($variant:ident $name:literal $severity:ident $description:literal,)*) => {
        /// The stable kebab-case code of a kind of finding.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $description] $variant,)*
        }

        impl Code {
            /// Every code, in the order `--list-rules` shows them.
            pub const ALL: &[Self] = &[$(Self::$variant,)*];

            /// The kebab-case name.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// The severity a finding of this kind has by default.
            #[must_use]
            pub fn severity(self) -> Severity {
                match self { $(Self::$variant => Severity::$severity,)* }
            }

            /// One line saying what the rule checks.
            #[must_use]
            pub fn description(self) -> &'static str {
                match self { $(Self::$variant => $description,)* }
            }
        }
    };
}

codes! {
    Unreadable "unreadable" Error "a file could not be read (missing permission, a folder where a file should be, …)",
    FileTooLarge "file-too-large" Error "a file is larger than any plan file should be, and is not read",
    NotUtf8 "not-utf8" Error "a file holds bytes that are not UTF-8 text",
    Syntax "syntax" Error "a file is not well-formed YAML, or exceeds the parser's safety budgets",
    DuplicateKey "duplicate-key" Error "a mapping repeats a key",
    UnknownField "unknown-field" Error "a record has a field the schema does not know",
    MissingField "missing-field" Error "a record lacks a required field",
    WrongType "wrong-type" Error "a value has the wrong type or form",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One finding, pointing at a place in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Which rule found it.
    pub code: Code,
    /// What is wrong, in one line.
    pub message: String,
    /// The file, as shown to the user.
    pub file: String,
    /// 1-based line; 0 when the finding is about the whole file.
    pub line: u64,
    /// 1-based column, in characters; 0 when the finding is about the whole file.
    pub column: u64,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
    /// How many characters the offending token spans (for the caret), at least 1.
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    /// A finding of `code`, with the code's default severity.
    #[must_use]
    pub fn new(code: Code, message: impl Into<String>, file: impl Into<String>) -> Self {
        Self {
            severity: code.severity(),
            code,
            message: message.into(),
            file: file.into(),
            line: 0,
            column: 0,
            help: None,
            width: 1,
        }
    }

    /// Points the finding at a position.
    #[must_use]
    pub fn at(mut self, location: serde_saphyr::Location) -> Self {
        self.line = location.line();
        self.column = location.column();
        self.width = usize::try_from(location.span().len()).unwrap_or(1).max(1);
        self
    }

    /// Points the finding at a line and column.
    #[must_use]
    pub fn at_line(mut self, line: u64, column: u64) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Adds a help line.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The sort key: file, line, column, then code.
    #[must_use]
    pub fn sort_key(&self) -> (&str, u64, u64, Code) {
        (&self.file, self.line, self.column, self.code)
    }
}

/// How many findings of each severity a list holds.
#[must_use]
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

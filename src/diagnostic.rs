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
    ($($variant:ident $name:literal $severity:ident $description:literal $example:literal,)*) => {
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

            /// A short example of data the rule reports, for `validate --explain`.
            #[must_use]
            pub fn example(self) -> &'static str {
                match self { $(Self::$variant => $example,)* }
            }

            /// The code with this name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.as_str() == name)
            }
        }
    };
}

codes! {
    Unreadable "unreadable" Error
        "a file could not be read (missing permission, a folder where a file should be, …)"
        "# data/actions/001-x.yaml is not readable by the user running iisg (chmod 000)",
    FileTooLarge "file-too-large" Error
        "a file is larger than any plan file should be (4 MiB), and is not read"
        "# data/actions/001-x.yaml is 20 MB: a pasted log, not an action",
    InterruptedChange "interrupted-change" Error
        "a change that a killed iisg left half-made could not be completed or rolled back safely (a file was edited since, or the journal was copied from elsewhere)"
        "# data/.iisg-journal names actions/004-x.yaml, which now holds neither its old nor its new text",
    NotAFile "not-a-file" Error
        "a symbolic link, folder, device, FIFO or socket stands where a plan file belongs; it is neither followed nor read, so it cannot show what it points to"
        "# ln -s /proc/self/environ data/actions/034-env.yaml",
    BadFileName "bad-file-name" Error
        "a file in a record folder has a name that is not UTF-8 text, and is not read"
        "# data/actions/034-caf\\xe9.yaml, its name saved in Latin-1",
    StrayFile "stray-file" Warning
        "something in a record folder is not a record (not a `.yaml` file) and is not read"
        "# data/actions/notes.txt, data/actions/old/",
    Unchecked "unchecked" Warning
        "a registry could not be read, so the codes that refer to it were not checked (one finding for all of them)"
        "# data/partners.yaml has a syntax error: 71 partner references not checked",
    NotUtf8 "not-utf8" Error
        "a file holds bytes that are not UTF-8 text"
        "title: caf\\xe9   # saved as Latin-1 instead of UTF-8",
    Syntax "syntax" Error
        "a file is not well-formed YAML, or exceeds the parser's safety budgets (alias bombs, deep nesting)"
        "title: \"Joint Operation\n  lead: [DCAF   # unclosed quote and bracket",
    MergeConflict "merge-conflict" Error
        "a file holds an unresolved git merge conflict: git's `<<<<<<<`, `=======` and `>>>>>>>` lines"
        "<<<<<<< HEAD\nstatus: planned\n=======\nstatus: completed\n>>>>>>> other-branch",
    YamlTag "yaml-tag" Error
        "a value carries an explicit YAML tag (`!!str`, `!!python/object:…`); plan files use none, and a tag changes how a value is read"
        "status: !!python/object:x planned",
    DuplicateKey "duplicate-key" Error
        "a mapping repeats a key"
        "status: planned\nstatus: completed",
    UnknownField "unknown-field" Error
        "a record has a field the schema does not know (often a typo)"
        "id: 1\ntitel: Joint Operation DRINO",
    MissingField "missing-field" Error
        "a record lacks a required field"
        "id: 1\ntitle: Joint Operation DRINO\n# no `lead:`",
    WrongType "wrong-type" Error
        "a value has the wrong type or form (text for a number, a word for a status, …)"
        "id: one\nstatus: done",
    EmptyField "empty-field" Error
        "a required value is empty: an action's title or lead, a registry entry's code or name, a need's text"
        "title: \"\"\nlead: []",
    InvalidId "invalid-id" Error
        "an id is outside 1 to 999999: zero, negative or too large"
        "id: 0",
    DuplicateId "duplicate-id" Error
        "two actions (or two logframe rows) have the same id; often two branches each added the next one"
        "# actions/029-a.yaml and actions/029-b.yaml both say\nid: 29",
    FileNameMismatch "file-name-mismatch" Error
        "the number in the file name is not the record's id"
        "# in actions/007-joint-operation.yaml\nid: 8",
    DuplicateCode "duplicate-code" Error
        "a registry, forum or need code is defined twice"
        "partners:\n  - code: DCAF\n    name: DCAF Ljubljana\n  - code: DCAF\n    name: DCAF Geneva",
    UnknownPartner "unknown-partner" Error
        "a partner code is not in partners.yaml"
        "lead: [DCFA]",
    UnknownFunding "unknown-funding" Error
        "a funding code is not in funding.yaml"
        "financing: [IPA-2017]",
    UnknownLocation "unknown-location" Error
        "a place code is not in locations.yaml"
        "locations: [ALB-GRC-border]",
    UnknownNeed "unknown-need" Error
        "a need id is not in any forum of Annex 1"
        "addresses: [BP-13]",
    UnknownLogframeRow "unknown-logframe-row" Error
        "an action contributes to a logframe row that does not exist"
        "contributes_to: [17]   # and data/logframe/ has rows 1 to 16",
    UnknownResult "unknown-result" Error
        "an indicator measures an objective or output its logframe row does not have"
        "objectives: [{text: A, outputs: [B]}]\nindicators:\n  - text: Trained staff\n    objective: 2",
    BadTimeline "bad-timeline" Error
        "a timeline is in none of the accepted forms"
        "timeline: Summer 2019",
    BadPeriod "bad-period" Error
        "the plan's period ends before it starts"
        "period:\n  start: 2019-12\n  end: 2018-07",
    CompletedBeforeStart "completed-before-start" Error
        "a completed action's window starts after `as_of`: it cannot have happened yet"
        "# as_of: 2019-02-26\ntimeline: June 2019\nstatus: completed",
    UnknownColumn "unknown-column" Error
        "an imported table's header names a column that is none of the document's nine"
        "#\tACTION\tLEAD PARTNER\tCOLOUR\t…   # COLOUR is no column of the List of Actions",
    MissingColumn "missing-column" Error
        "an imported table's header lacks one of the document's nine columns"
        "#\tACTION\tLEAD PARTNER\tINVOLVED\tLOCATION\tSCOPE\tSTATUS\tFINANCING   # no TIMELINE",
    DuplicateColumn "duplicate-column" Error
        "an imported table's header names one column twice"
        "#\tACTION\tLEAD\tLEAD PARTNER\t…   # LEAD and LEAD PARTNER are one column",
    BadStatus "bad-status" Error
        "an imported status cell is no status, nor a wording the document uses for one"
        "STATUS\nSomeday   # not planned, in progress, Requested by MNE, …",
    NoFreeId "no-free-id" Error
        "an imported row with an empty `#` finds no free id: the next one would be past 999999"
        "#\tACTION\n\tBorder training   # and the plan has action 999999",
    StatusSpelling "status-spelling" Warning
        "a status written in another case or word than its file form; it is read as the status it names"
        "status: Done   # read as completed; write `status: completed`",
    LeadAlsoInvolved "lead-also-involved" Warning
        "a lead partner is listed again under involved"
        "lead: [JOO]\ninvolved: [JOO, EUROPOL]",
    RepeatedCode "repeated-code" Warning
        "a list names the same code twice"
        "involved: [EUROPOL, EUROPOL]",
    AmbiguousAlias "ambiguous-alias" Warning
        "an alias or name of one registry entry is also another entry's code, alias or name"
        "  - code: MKD\n    aliases: [FYROM]\n  - code: FYR\n    aliases: [FYROM]",
    TimelineOutsidePeriod "timeline-outside-period" Warning
        "an action's window reaches outside the plan's period"
        "# period: 2018-07 to 2019-12\ntimeline: March 2020",
    Overdue "overdue" Warning
        "an action's window ended before `as_of` and it is neither completed nor cancelled"
        "# as_of: 2019-06-01\ntimeline: By April 2019\nstatus: planned",
    CompletedUnfunded "completed-unfunded" Warning
        "a completed action has no confirmed financing"
        "status: completed\nfinancing: []",
    NeedNotAddressed "need-not-addressed" Warning
        "a need of Annex 1 is answered by no action and no logframe row"
        "# forums/ct.yaml: CT-1, and no file says `addresses: [CT-1]`",
    LogframeWithoutOutputs "logframe-without-outputs" Warning
        "a logframe row lists no outputs under any objective"
        "outcome: Enhanced online investigations (dark net)\nobjectives: []",
    MissingBaseline "missing-baseline" Warning
        "an indicator has no baseline, and the plan's period has begun (the EU asks for it by the first progress report)"
        "# period: 2018-07 to 2019-12, as_of: 2019-02-26\nindicators:\n  - text: Officers trained\n    targets: [{value: 120, year: 2019}]",
    MissingTarget "missing-target" Warning
        "an indicator has no target, and the plan's period has begun"
        "# as_of after the period's start\nindicators:\n  - text: Officers trained\n    baseline: {value: 0, year: 2018}",
    TargetOutsidePeriod "target-outside-period" Warning
        "an indicator's target is for a year the plan's period does not reach"
        "# period: 2018-07 to 2019-12\n    targets: [{value: 120, year: 2021}]",
    ProgressOutsidePeriod "progress-outside-period" Warning
        "a progress value is for a period that lies wholly outside the plan's period"
        "# period: 2018-07 to 2019-12\n    progress: [{period: 2020-Q1, value: 40}]",
    ProgressBeforeBaseline "progress-before-baseline" Warning
        "a progress value is for a period that ends before the indicator's baseline year"
        "    baseline: {value: 0, year: 2019}\n    progress: [{period: 2018-Q4, value: 3}]",
    UnusedRegistryEntry "unused-registry-entry" Warning
        "a partner, funding source or place that no file refers to"
        "# partners.yaml has CTI, and no action, forum or funding source names it",
    PossibleOverlap "possible-overlap" Warning
        "two actions under different leads share a place (or one lies within the other), an audience and their title words, in overlapping windows"
        "# 030: Border surveillance training, lead DCAF, WB, Border police, May 2019\n# 031: Border surveillance training, lead FRONTEX, ALB, Border police, By June 2019",
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
    /// Where in an imported table: the row and the column whose cell it is about. A table's
    /// finding has `file` the table as given and `line` the row's line in it.
    /// Boxed: most findings have none, and a finding stays small enough to return as an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Box<Cell>>,
    /// How many bytes of its line the offending token spans, at least 1: the caret under it
    /// is as many characters as those bytes hold.
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
            cell: None,
            width: 1,
        }
    }

    /// Points the finding at a position.
    #[must_use]
    pub fn at(mut self, at: impl Into<crate::model::Pos>) -> Self {
        let at = at.into();
        self.line = at.line();
        self.column = at.column();
        self.width = at.byte_len().max(1);
        self
    }

    /// Points the finding at a line and column.
    #[must_use]
    pub fn at_line(mut self, line: u64, column: u64) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Points the finding at a cell of an imported table: the row's `line` in the file, its
    /// 1-based `row` (0 for the header), and the column's heading (none: the whole row).
    #[must_use]
    pub fn in_table(mut self, line: u64, row: usize, column: Option<&str>) -> Self {
        self.line = line;
        self.column = 0;
        self.cell = Some(Box::new(Cell {
            row,
            column: column.map(ToString::to_string),
        }));
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

/// A cell of an imported table, as a finding names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// 1-based data row, not counting the header; 0 for the header itself.
    pub row: usize,
    /// The column's heading as the document writes it (`LEAD PARTNER`); none when the
    /// finding is about the whole row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
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

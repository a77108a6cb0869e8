//! Reading every file of a plan into typed records, keeping each value's position, and
//! turning whatever cannot be read into findings rather than stopping at the first.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::discover::DataDir;
use super::yaml_error;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Action, Forum, FundingSource, LogframeRow, Partner, Place, PlanInfo, Registry};

/// No plan file is anywhere near this big; larger ones are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// One file as read: where it is and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Its path on disk.
    pub path: PathBuf,
    /// Its path as shown to the user.
    pub shown: String,
    /// Its text (empty when it could not be read).
    pub text: String,
}

/// A record together with the file it came from.
#[derive(Clone, Debug)]
pub struct Loaded<T> {
    /// The record.
    pub record: T,
    /// The file it was read from.
    pub file: Arc<SourceFile>,
}

/// A whole plan as read from its folder.
#[derive(Debug)]
pub struct Plan {
    /// The folder it was read from.
    pub dir: DataDir,
    /// `plan.yaml`, when it could be read.
    pub info: Option<Loaded<PlanInfo>>,
    /// The partner registry (what could be read of it).
    pub partners: Registry<Partner>,
    /// The funding registry.
    pub funding: Registry<FundingSource>,
    /// The place registry.
    pub places: Registry<Place>,
    /// The forums of Annex 1, in file order.
    pub forums: Vec<Loaded<Forum>>,
    /// The actions, in file order.
    pub actions: Vec<Loaded<Action>>,
    /// The logframe rows, in file order.
    pub logframe: Vec<Loaded<LogframeRow>>,
    /// What could not be read.
    pub problems: Vec<Diagnostic>,
    /// Every file read, by the path shown to the user.
    pub sources: HashMap<String, Arc<SourceFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartnersFile {
    pub(super) partners: Vec<Partner>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FundingFile {
    pub(super) funding: Vec<FundingSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LocationsFile {
    pub(super) locations: Vec<Place>,
}

/// What reading and parsing one file gave.
type Outcome<T> = (Arc<SourceFile>, Result<T, Diagnostic>);

impl Plan {
    /// Reads every file of the plan in `dir`. Never fails: what cannot be read becomes a
    /// finding in [`Plan::problems`].
    #[must_use]
    pub fn load(dir: DataDir) -> Self {
        let mut seen = Collector::default();
        let info = seen.keep(read_record::<PlanInfo>(&dir, "plan.yaml"));
        let partners = optional_registry::<PartnersFile>(&dir, "partners.yaml")
            .and_then(|o| seen.keep(o))
            .map(|l| l.record.partners)
            .unwrap_or_default();
        let funding = optional_registry::<FundingFile>(&dir, "funding.yaml")
            .and_then(|o| seen.keep(o))
            .map(|l| l.record.funding)
            .unwrap_or_default();
        let places = optional_registry::<LocationsFile>(&dir, "locations.yaml")
            .and_then(|o| seen.keep(o))
            .map(|l| l.record.locations)
            .unwrap_or_default();
        let forums = seen.keep_folder(parse_folder::<Forum>(&dir, "forums"));
        let actions = seen.keep_folder(parse_folder::<Action>(&dir, "actions"));
        let logframe = seen.keep_folder(parse_folder::<LogframeRow>(&dir, "logframe"));
        let Collector {
            mut problems,
            sources,
        } = seen;
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

        Self {
            dir,
            info,
            partners: Registry::new(partners),
            funding: Registry::new(funding),
            places: Registry::new(places),
            forums,
            actions,
            logframe,
            problems,
            sources,
        }
    }

    /// The action with this id, when exactly one file has it.
    #[must_use]
    pub fn action(&self, id: u32) -> Option<&Loaded<Action>> {
        self.actions.iter().find(|a| a.record.number() == Some(id))
    }

    /// How many files were read (or tried).
    #[must_use]
    pub fn file_count(&self) -> usize {
        self.sources.len()
    }
}

/// The registry file, or `None` when the plan has none (an empty registry).
fn optional_registry<T: DeserializeOwned>(dir: &DataDir, name: &str) -> Option<Outcome<T>> {
    dir.path
        .join(name)
        .exists()
        .then(|| read_record::<T>(dir, name))
}

/// The names of the YAML files in a sub-folder, sorted; editor backups, hidden and
/// temporary files are left out. A missing folder is an empty one.
fn list_folder(dir: &DataDir, folder: &str) -> (Vec<String>, Option<Diagnostic>) {
    let path = dir.path.join(folder);
    let entries = match fs::read_dir(&path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), None),
        Err(e) => {
            let problem = Diagnostic::new(
                Code::Unreadable,
                format!("cannot list the folder: {e}"),
                dir.show(folder),
            );
            return (Vec::new(), Some(problem));
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| !t.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| is_record_file(name))
        .map(|name| format!("{folder}/{name}"))
        .collect();
    names.sort();
    (names, None)
}

/// Whether a file name in a record folder names a record (not a backup, hidden or
/// temporary file).
#[must_use]
pub fn is_record_file(name: &str) -> bool {
    !name.starts_with('.')
        && !name.starts_with('#')
        && Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Reads and parses every record file of a folder, in parallel, in name order.
fn parse_folder<T: DeserializeOwned + Send>(
    dir: &DataDir,
    folder: &str,
) -> (Vec<Outcome<T>>, Option<Diagnostic>) {
    let (names, problem) = list_folder(dir, folder);
    let outcomes = names
        .par_iter()
        .map(|name| read_record::<T>(dir, name))
        .collect();
    (outcomes, problem)
}

/// Gathers the files read and the problems met while loading.
#[derive(Default)]
struct Collector {
    problems: Vec<Diagnostic>,
    sources: HashMap<String, Arc<SourceFile>>,
}

impl Collector {
    /// Keeps the file, and the record or the problem.
    fn keep<T>(&mut self, (file, result): Outcome<T>) -> Option<Loaded<T>> {
        self.sources.insert(file.shown.clone(), Arc::clone(&file));
        match result {
            Ok(record) => Some(Loaded { record, file }),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Keeps a whole folder's files.
    fn keep_folder<T>(
        &mut self,
        (outcomes, problem): (Vec<Outcome<T>>, Option<Diagnostic>),
    ) -> Vec<Loaded<T>> {
        self.problems.extend(problem);
        outcomes.into_iter().filter_map(|o| self.keep(o)).collect()
    }
}

/// Reads and parses one file.
fn read_record<T: DeserializeOwned>(dir: &DataDir, relative: &str) -> Outcome<T> {
    let path = dir.path.join(relative);
    let shown = dir.show(relative);
    let text = match read_text(&path) {
        Ok(text) => text,
        Err(problem) => {
            let file = Arc::new(SourceFile {
                path,
                shown: shown.clone(),
                text: String::new(),
            });
            return (file, Err(problem.into_diagnostic(shown)));
        }
    };
    let file = Arc::new(SourceFile { path, shown, text });
    let result =
        parse::<T>(&file.text).map_err(|e| yaml_error::diagnostic(&e, &file.shown, &file.text));
    (file, result)
}

/// Parses a record's text; what cannot be read becomes a finding about `shown`.
///
/// # Errors
/// The finding, with the position and a message that names the field.
pub fn parse_record<T: DeserializeOwned>(text: &str, shown: &str) -> Result<T, Diagnostic> {
    parse::<T>(text).map_err(|e| yaml_error::diagnostic(&e, shown, text))
}

/// Parses YAML text with the safety budgets on and our own error rendering.
///
/// # Errors
/// serde-saphyr's error, for [`yaml_error::diagnostic`] to explain.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options(text, options)
}

enum ReadProblem {
    Io(std::io::Error),
    TooLarge(u64),
    NotUtf8 { line: u64, column: u64 },
}

impl ReadProblem {
    fn into_diagnostic(self, shown: String) -> Diagnostic {
        match self {
            Self::Io(e) => Diagnostic::new(
                Code::Unreadable,
                format!("cannot read the file: {e}"),
                shown,
            ),
            Self::TooLarge(size) => Diagnostic::new(
                Code::FileTooLarge,
                format!(
                    "the file is {size} bytes, more than the {MAX_FILE_BYTES} a plan file may have"
                ),
                shown,
            )
            .help("split it, or check that it is the file you meant to put here"),
            Self::NotUtf8 { line, column } => Diagnostic::new(
                Code::NotUtf8,
                "the file holds bytes that are not UTF-8 text",
                shown,
            )
            .at_line(line, column)
            .help("save the file as UTF-8"),
        }
    }
}

/// Reads a file as text, refusing oversized files before reading them whole.
fn read_text(path: &Path) -> Result<String, ReadProblem> {
    let file = fs::File::open(path).map_err(ReadProblem::Io)?;
    let size = file.metadata().map_err(ReadProblem::Io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ReadProblem::TooLarge(size));
    }
    let mut bytes = Vec::new();
    // The size can change between the check and the read: never read more than the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadProblem::TooLarge(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.split(|&b| b == b'\n').count() as u64;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u64 + 1;
        ReadProblem::NotUtf8 { line, column }
    })
}

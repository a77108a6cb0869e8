//! Reading every file of a plan into typed records, keeping each value's position, and
//! turning whatever cannot be read into findings rather than stopping at the first.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustix::fd::OwnedFd;
use rustix::fs::{Mode, OFlags};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::discover::DataDir;
use super::plan::Texts;
use super::yaml_error;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{FundingSource, Partner, Place};

/// No plan file is anywhere near this big; larger ones are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// One file as read: where it is and its text.
///
/// A plan of 100,000 actions keeps 100,000 of these: the path on disk is not kept beside
/// the path shown (which ends with the same path inside the plan's folder), but made from
/// the folder's path, which all of a plan's files share.
#[derive(Debug)]
pub struct SourceFile {
    /// The plan's folder on disk, shared.
    root: Arc<Path>,
    /// Its path as shown to the user.
    shown: Box<str>,
    /// Where its path inside the plan's folder begins in `shown`.
    inside: u32,
    /// Its text (empty when it could not be read).
    pub text: String,
}

impl SourceFile {
    /// The file `relative` (a path inside the plan's folder `root`), shown as `shown`,
    /// which ends with `relative`.
    #[must_use]
    pub fn new(root: &Arc<Path>, shown: impl Into<Box<str>>, relative: &str, text: String) -> Self {
        let shown = shown.into();
        debug_assert!(shown.ends_with(relative), "{shown} shows {relative}");
        let inside = shown.len().saturating_sub(relative.len());
        Self {
            root: Arc::clone(root),
            shown,
            inside: u32::try_from(inside).unwrap_or(0),
            text,
        }
    }

    /// Its path as shown to the user: `data/actions/001-x.yaml`.
    #[must_use]
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Its path on disk.
    #[must_use]
    pub fn path(&self) -> PathBuf {
        self.root.join(self.relative())
    }

    /// Its path inside the plan's folder: `actions/001-x.yaml`.
    #[must_use]
    pub fn relative(&self) -> &str {
        self.shown
            .get(self.inside as usize..)
            .unwrap_or(&self.shown)
    }

    /// The same file without its text.
    #[must_use]
    pub fn without_text(&self) -> Self {
        Self {
            root: Arc::clone(&self.root),
            shown: self.shown.clone(),
            inside: self.inside,
            text: String::new(),
        }
    }
}

/// Every file a plan read, found by the path shown to the user. A set of the files
/// themselves, each found by its own `shown`: a map would keep every path a second time.
#[derive(Clone, Debug, Default)]
pub struct Sources(std::collections::HashSet<ByShown>);

/// A file, hashed and compared by the path shown.
#[derive(Clone, Debug)]
struct ByShown(Arc<SourceFile>);

impl std::borrow::Borrow<str> for ByShown {
    fn borrow(&self) -> &str {
        &self.0.shown
    }
}

impl std::hash::Hash for ByShown {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.shown.hash(state);
    }
}

impl PartialEq for ByShown {
    fn eq(&self, other: &Self) -> bool {
        self.0.shown == other.0.shown
    }
}

impl Eq for ByShown {}

impl Sources {
    /// The file shown as `shown`.
    #[must_use]
    pub fn get(&self, shown: &str) -> Option<&Arc<SourceFile>> {
        self.0.get(shown).map(|f| &f.0)
    }

    /// Keeps `file`, in place of a file shown the same way, which is given back.
    pub fn insert(&mut self, file: Arc<SourceFile>) -> Option<Arc<SourceFile>> {
        self.0.replace(ByShown(file)).map(|f| f.0)
    }

    /// Forgets the file shown as `shown`.
    pub fn remove(&mut self, shown: &str) -> Option<Arc<SourceFile>> {
        self.0.take(shown).map(|f| f.0)
    }

    /// Makes room for `more` files.
    pub fn reserve(&mut self, more: usize) {
        self.0.reserve(more);
    }

    /// How many files.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The paths shown, in no order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|f| &*f.0.shown)
    }
}

/// A record together with the file it came from.
#[derive(Clone, Debug)]
pub struct Loaded<T> {
    /// The record.
    pub record: Box<T>,
    /// The file it was read from.
    pub file: Arc<SourceFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartnersFile {
    #[serde(deserialize_with = "empty_when_null")]
    pub(super) partners: Vec<Partner>,
}

/// A registry's list, where `partners:` with nothing after it (every example entry still
/// commented out, as `init` writes it) is an empty list.
fn empty_when_null<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FundingFile {
    #[serde(deserialize_with = "empty_when_null")]
    pub(super) funding: Vec<FundingSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LocationsFile {
    #[serde(deserialize_with = "empty_when_null")]
    pub(super) locations: Vec<Place>,
}

/// What reading and parsing one file gave.
pub(super) type Outcome<T> = (Arc<SourceFile>, Result<Box<T>, Diagnostic>);

/// What scanning one action file gave: the file, and what the visitor kept of its action or
/// the problem (boxed, so that a plan's list of these is small to move).
pub(super) type Scanned<R> = (Arc<SourceFile>, Result<R, Box<Diagnostic>>);

/// A file of a plan kept in memory (a blob of a git revision).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blob {
    /// Its bytes.
    Text(Vec<u8>),
    /// A file larger than a plan file may be, left unread: its size.
    TooLarge(u64),
    /// A symbolic link, never read.
    Link,
}

/// Where a plan's files come from: the disk, or memory (a git revision's blobs).
pub(super) enum Files {
    Disk,
    Memory(HashMap<String, Blob>),
}

/// The files of one plan folder, read the same way wherever they come from.
pub(super) struct Source<'a> {
    pub(super) dir: &'a DataDir,
    pub(super) files: &'a Files,
    /// The folder's path, for every file read to share.
    root: Arc<Path>,
}

impl<'a> Source<'a> {
    /// The files of `dir`, from `files`.
    pub(super) fn new(dir: &'a DataDir, files: &'a Files) -> Self {
        Self {
            dir,
            files,
            root: Arc::from(dir.path.as_path()),
        }
    }

    /// The registry file, or `None` when the plan has none (an empty registry).
    pub(super) fn optional<T: FromText>(&self, name: &str) -> Option<Outcome<T>> {
        let exists = match self.files {
            // A link is there too (and is reported, not followed).
            Files::Disk => fs::symlink_metadata(self.dir.path.join(name)).is_ok(),
            Files::Memory(files) => files.contains_key(name),
        };
        exists.then(|| self.record::<T>(name, Texts::Keep))
    }

    /// The names of the YAML files in a sub-folder, sorted; editor backups, hidden and
    /// temporary files are left out. A missing folder is an empty one.
    pub(super) fn list(&self, folder: &str) -> (Vec<String>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut names: Vec<String> = match self.files {
            Files::Disk => match list_folder(self.dir, folder) {
                Ok((names, found)) => {
                    problems = found;
                    names
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => {
                    let problem = Diagnostic::new(
                        Code::Unreadable,
                        format!("cannot list the folder: {e}"),
                        self.dir.show(folder),
                    );
                    return (Vec::new(), vec![problem]);
                }
            },
            Files::Memory(files) => files
                .keys()
                .filter_map(|path| path.strip_prefix(folder)?.strip_prefix('/'))
                .filter(|name| !name.contains('/'))
                .map(ToString::to_string)
                .collect(),
        };
        names.retain(|name| is_record_file(name));
        crate::par::sort_unstable(&mut names);
        let names = names
            .into_iter()
            .map(|name| format!("{folder}/{name}"))
            .collect();
        (names, problems)
    }

    /// Reads and parses every record file of a folder, in parallel, in name order.
    pub(super) fn folder<T: FromText + Send>(
        &self,
        folder: &str,
    ) -> (Vec<Outcome<T>>, Vec<Diagnostic>) {
        let (names, problem) = self.list(folder);
        let open = self.open_folder(folder);
        let outcomes = crate::par::map(&names, |name| {
            self.record_in::<T>(open.as_ref(), name, Texts::Keep)
        });
        (outcomes, problem)
    }

    /// Reads and parses one file.
    pub(super) fn record<T: FromText>(&self, relative: &str, texts: Texts) -> Outcome<T> {
        self.record_in(None, relative, texts)
    }

    /// The folder `name` of the plan, held open, so that its files are opened by name
    /// rather than by walking their whole path each time; `None` when it cannot be opened
    /// (its files are then opened by path, and fail as they would).
    pub(super) fn open_folder(&self, name: &str) -> Option<OwnedFd> {
        match self.files {
            Files::Disk => {
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(self.dir.path.join(name), flags, Mode::empty()).ok()
            }
            Files::Memory(_) => None,
        }
    }

    /// Reads and parses one file of `folder` (held open), or of the plan's folder.
    pub(super) fn record_in<T: FromText>(
        &self,
        folder: Option<&OwnedFd>,
        relative: &str,
        texts: Texts,
    ) -> Outcome<T> {
        let shown = self.dir.show(relative);
        let parse_text = |text: &str| {
            // Boxed where it is parsed, so the plan's lists move pointers, not records.
            let result = parse_record::<T>(text, &shown).map(Box::new);
            let kept = match (texts, &result) {
                (Texts::Drop, Ok(_)) => String::new(),
                _ => text.to_owned(),
            };
            (kept, result)
        };
        let parsed = match self.files {
            // Read into this thread's buffer: a file whose text is not kept costs no
            // allocation of its own.
            Files::Disk => BUFFER.with_borrow_mut(|buffer| {
                let name = relative.rsplit_once('/').map_or(relative, |(_, n)| n);
                let file = match folder {
                    Some(folder) => open_in(folder, name),
                    // plan.yaml and the registries, not listed before: their kind is asked.
                    None => open_path(&self.dir.path.join(relative)).and_then(|file| {
                        if file.metadata()?.is_file() {
                            Ok(file)
                        } else {
                            Err(std::io::Error::from(std::io::ErrorKind::InvalidInput))
                        }
                    }),
                };
                read_into(&file.map_err(ReadProblem::Io)?, buffer)?;
                utf8(buffer).map(parse_text)
            }),
            Files::Memory(files) => match files.get(relative) {
                Some(Blob::Text(bytes)) => match too_large(bytes.len() as u64) {
                    Some(problem) => Err(problem),
                    None => utf8(bytes).map(parse_text),
                },
                Some(Blob::TooLarge(size)) => Err(ReadProblem::TooLarge(*size)),
                Some(Blob::Link) => Err(ReadProblem::Io(std::io::ErrorKind::InvalidInput.into())),
                None => Err(ReadProblem::Io(std::io::ErrorKind::NotFound.into())),
            },
        };
        match parsed {
            Ok((text, result)) => (
                Arc::new(SourceFile::new(&self.root, shown, relative, text)),
                result,
            ),
            Err(problem) => {
                let file = SourceFile::new(&self.root, shown.as_str(), relative, String::new());
                (Arc::new(file), Err(problem.into_diagnostic(shown)))
            }
        }
    }
}

thread_local! {
    /// The bytes of the file a thread is reading.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// How record files are opened: for reading, and without waiting, so that a FIFO or a
/// device put where a record file should be reads as what it holds now (and fails to
/// parse) instead of hanging the command.
const READING: OFlags = OFlags::RDONLY
    .union(OFlags::CLOEXEC)
    .union(OFlags::NONBLOCK)
    .union(OFlags::NOFOLLOW);

/// Opens the file `name` of an open folder, for reading.
fn open_in(folder: &OwnedFd, name: &str) -> std::io::Result<fs::File> {
    Ok(fs::File::from(rustix::fs::openat(
        folder,
        name,
        READING,
        Mode::empty(),
    )?))
}

/// Opens the file at `path`, for reading.
fn open_path(path: &Path) -> std::io::Result<fs::File> {
    Ok(fs::File::from(rustix::fs::open(
        path,
        READING,
        Mode::empty(),
    )?))
}

/// The names of the regular files in a record folder on disk, and a finding for everything
/// else in it that is not read: a link, folder, device, FIFO or socket where a record file
/// belongs (never followed or opened), a name that is not UTF-8, a file that is not a
/// record. Hidden files and editor backups are passed over in silence. The folder itself
/// must not be a link. The kinds come from the folder listing: no file is looked at.
fn list_folder(dir: &DataDir, folder: &str) -> std::io::Result<(Vec<String>, Vec<Diagnostic>)> {
    let path = dir.path.join(folder);
    if fs::symlink_metadata(&path)?.file_type().is_symlink() {
        let problem = Diagnostic::new(
            Code::NotAFile,
            format!("the folder `{folder}` is a symbolic link; iisg does not follow links in the plan's folder"),
            dir.show(folder),
        )
        .help(format!("make `{folder}` a real folder holding the files"));
        return Ok((Vec::new(), vec![problem]));
    }
    let mut names = Vec::new();
    let mut problems = Vec::new();
    for entry in fs::read_dir(&path)?.filter_map(Result::ok) {
        let name = match entry.file_name().into_string() {
            Ok(name) => name,
            Err(raw) => {
                let shown = raw.to_string_lossy().to_string();
                if !shown.starts_with('.') {
                    problems.push(
                        Diagnostic::new(
                            Code::BadFileName,
                            "the file's name is not UTF-8 text; iisg does not read it",
                            dir.show(&format!("{folder}/{shown}")),
                        )
                        .help("rename it: `iisg` names files with letters, digits and hyphens"),
                    );
                }
                continue;
            }
        };
        if passed_over(&name) {
            continue;
        }
        let kind = entry.file_type();
        let shown = dir.show(&format!("{folder}/{name}"));
        match kind {
            Ok(kind) if kind.is_file() => {
                if is_record_file(&name) {
                    names.push(name);
                } else {
                    problems.push(stray(shown, "file"));
                }
            }
            Ok(kind) => {
                let what = if kind.is_symlink() {
                    "a symbolic link stands where a record file belongs; iisg does not follow \
                     links in the plan's folder"
                } else if kind.is_dir() {
                    "a folder stands where a record file belongs; it is not read"
                } else {
                    "a device, FIFO or socket stands where a record file belongs; it is not read"
                };
                if is_record_file(&name) {
                    problems.push(
                        Diagnostic::new(Code::NotAFile, what, shown).help(
                            "put the record's text in a plain file of this name, or remove it",
                        ),
                    );
                } else {
                    problems.push(stray(shown, if kind.is_dir() { "folder" } else { "entry" }));
                }
            }
            Err(e) => problems.push(Diagnostic::new(
                Code::Unreadable,
                format!("cannot tell what this is: {e}"),
                shown,
            )),
        }
    }
    Ok((names, problems))
}

/// A warning for something in a record folder that is not a record.
fn stray(shown: String, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::StrayFile,
        format!("this {what} is not a record (records are `.yaml` files); iisg does not read it"),
        shown,
    )
    .help("move it out of the record folder, or name it `NNN-title.yaml` if it is a record")
}

/// Names in a record folder that are neither read nor reported: hidden files (iisg's own
/// temporaries among them) and editor backups (`name~`, `#name#`).
pub(super) fn passed_over(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
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

/// Gathers the files read and the problems met while loading.
#[derive(Default)]
pub(super) struct Collector {
    pub(super) problems: Vec<Diagnostic>,
    pub(super) sources: Sources,
}

impl Collector {
    /// Keeps the file, and the record or the problem.
    pub(super) fn keep<T>(&mut self, (file, result): Outcome<T>) -> Option<Loaded<T>> {
        self.sources.insert(Arc::clone(&file));
        match result {
            Ok(record) => Some(Loaded { record, file }),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Keeps a whole folder's files.
    pub(super) fn keep_folder<T>(
        &mut self,
        (outcomes, problem): (Vec<Outcome<T>>, Vec<Diagnostic>),
    ) -> Vec<Loaded<T>> {
        self.problems.extend(problem);
        outcomes.into_iter().filter_map(|o| self.keep(o)).collect()
    }
}

/// A record read from a file. After parsing, a record may note what only its text shows.
pub trait FromText: DeserializeOwned {
    /// Notes what the text shows beyond the values (by default nothing).
    fn note_text(&mut self, _text: &str) {}
}

impl FromText for crate::model::Action {
    /// A status written in another wording than its file form (`Planned`, `done`), as
    /// written, for the check to say what to write.
    fn note_text(&mut self, text: &str) {
        self.shrink();
        let at = self.status.referenced;
        let written = at
            .byte_offset()
            .and_then(|start| text.get(start..start + at.byte_len()))
            .map(|w| w.trim_matches(|c| c == '"' || c == '\''));
        if let Some(written) = written
            && written != self.status.value.as_str()
        {
            self.status_as_written = Some(written.into());
        }
    }
}

impl FromText for crate::model::LogframeRow {}
impl FromText for crate::model::Forum {}
impl FromText for crate::model::PlanInfo {}
impl FromText for PartnersFile {}
impl FromText for FundingFile {}
impl FromText for LocationsFile {}

/// Parses a record's text; what cannot be read becomes a finding about `shown`.
///
/// # Errors
/// The finding, with the position and a message that names the field.
pub fn parse_record<T: FromText>(text: &str, shown: &str) -> Result<T, Diagnostic> {
    let mut record = parse::<T>(text).map_err(|e| yaml_error::diagnostic(&e, shown, text))?;
    if let Some(problem) = yaml_error::parsed(text, shown) {
        return Err(problem);
    }
    record.note_text(text);
    Ok(record)
}

/// Parses YAML text with the safety budgets on and our own error rendering.
///
/// Two passes at most. The first forwards a repeated mapping key to the record's derived
/// `Deserialize`, which refuses it all the same (every record is a struct, with no map
/// fields) but cannot say where; it spares serde-saphyr hashing every key to find repeats
/// (5% of parsing a plan). Whatever the first pass refuses is parsed again with
/// serde-saphyr's own duplicate-key check, whose error has the position: the outcome is
/// the second pass's, and only files in error pay twice.
///
/// # Errors
/// serde-saphyr's error, for [`yaml_error::diagnostic`] to explain.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    // `leading_zero_numbers_as_strings`: `id: 004` reaches the model as written, for its
    // whole-number rule to read in base 10 (only values read without a type, the id and a
    // funding entry, are affected: a typed field reads its scalar as before).
    let first = serde_saphyr::options! {
        with_snippet: false,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
    };
    serde_saphyr::from_str_with_options(text, first).or_else(|_| {
        let strict = serde_saphyr::options! {
            with_snippet: false,
            leading_zero_numbers_as_strings: true,
        };
        serde_saphyr::from_str_with_options(text, strict)
    })
}

pub(super) enum ReadProblem {
    Io(std::io::Error),
    TooLarge(u64),
    NotUtf8 { line: u64, column: u64 },
}

impl ReadProblem {
    fn into_diagnostic(self, shown: String) -> Diagnostic {
        match self {
            // O_NOFOLLOW's answer for a link; a device or FIFO among the named files.
            Self::Io(e)
                if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
                    || e.kind() == std::io::ErrorKind::InvalidInput =>
            {
                Diagnostic::new(
                    Code::NotAFile,
                    "this is a symbolic link or not a regular file; iisg neither follows nor reads it",
                    shown,
                )
                .help("put the file's text in a plain file of this name")
            }
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
pub(super) fn read_text(path: &Path) -> Result<String, ReadProblem> {
    let mut bytes = Vec::new();
    read_into(&open_path(path).map_err(ReadProblem::Io)?, &mut bytes)?;
    utf8(&bytes).map(ToOwned::to_owned)
}

/// Reads a file into `buffer`, refusing oversized files before reading them whole: it
/// reads no more than one byte over the limit (and only then asks the file's size, for the
/// message).
fn read_into(file: &fs::File, buffer: &mut Vec<u8>) -> Result<(), ReadProblem> {
    buffer.clear();
    // A buffer grown by one big file is not kept for the thread's next small ones; one that
    // holds a usual file whole reads it in one call.
    buffer.shrink_to(64 * 1024);
    buffer.reserve(16 * 1024);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(buffer)
        .map_err(ReadProblem::Io)?;
    let read = buffer.len() as u64;
    match too_large(read) {
        Some(_) => {
            let size = file.metadata().map_or(read, |m| m.len().max(read));
            Err(ReadProblem::TooLarge(size))
        }
        None => Ok(()),
    }
}

/// The problem with a file of `size` bytes, if it is over the limit.
fn too_large(size: u64) -> Option<ReadProblem> {
    (size > MAX_FILE_BYTES).then_some(ReadProblem::TooLarge(size))
}

/// Bytes as text, refusing bytes that are not UTF-8 with the place of the first.
fn utf8(bytes: &[u8]) -> Result<&str, ReadProblem> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.split(|&b| b == b'\n').count() as u64;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u64 + 1;
        ReadProblem::NotUtf8 { line, column }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActionDraft;
    use crate::store::{Actions, Plan};

    fn shipped() -> DataDir {
        DataDir {
            path: Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
            shown: "data".into(),
        }
    }

    /// Every file of a folder on disk, as the in-memory loader takes them.
    fn texts(root: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(root.join(prefix)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let relative = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type().unwrap().is_dir() {
                texts(root, &relative, files);
            } else {
                files.push((relative, fs::read(entry.path()).unwrap()));
            }
        }
    }

    #[test]
    fn texts_in_memory_load_like_files_on_disk() {
        let dir = shipped();
        let mut files = Vec::new();
        texts(&dir.path, "", &mut files);
        let disk = Plan::read(dir.clone(), Actions::All, Texts::Keep);
        let memory = Plan::from_texts(dir, files);
        let drafts = |plan: &Plan| -> Vec<(String, ActionDraft)> {
            let actions = plan.actions.iter();
            actions
                .map(|a| (a.file.shown().to_string(), ActionDraft::from(&*a.record)))
                .collect()
        };
        assert_eq!(drafts(&disk), drafts(&memory));
        assert_eq!(disk.logframe.len(), memory.logframe.len());
        assert_eq!(disk.forums.len(), memory.forums.len());
        assert_eq!(
            disk.partners.entries().len(),
            memory.partners.entries().len()
        );
        assert_eq!(disk.file_count(), memory.file_count());
        assert!(memory.problems.is_empty(), "{:?}", memory.problems);
    }

    #[test]
    fn texts_in_memory_report_what_cannot_be_read() {
        let files = vec![
            (
                "actions/001-a.yaml".to_string(),
                b"id: 'unclosed\n".to_vec(),
            ),
            ("actions/002-b.yaml".to_string(), b"id: \xff".to_vec()),
            ("actions/.003-c.yaml.swp".to_string(), b"x".to_vec()),
            ("actions/sub/004-d.yaml".to_string(), b"x".to_vec()),
        ];
        let plan = Plan::from_texts(shipped(), files);
        let codes: Vec<(&str, &str)> = plan
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("data/actions/001-a.yaml", "syntax"),
                ("data/actions/002-b.yaml", "not-utf8"),
                ("data/plan.yaml", "unreadable"),
            ]
        );
        assert!(plan.actions.is_empty());
    }
}

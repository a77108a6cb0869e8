//! A change to the plan that touches several files, applied all or nothing, even across a
//! crash: the promise of `SQLite`, for plain files.
//!
//! Under the plan's lock, a [`commit`]:
//! 1. **checks** every target: inside the plan's folder, a regular file that is not
//!    read-only and still holds the text the change was decided on (or, for a new file,
//!    absent); nothing is touched before every target passes;
//! 2. **stages** each new text in a hidden file beside its target, with the mode and owner of
//!    the file it replaces, and keeps each file to be replaced or removed under a hidden
//!    backup name (a hard link, or a copy where links are not allowed); all synced;
//! 3. **records the intent**: `.iisg-journal`, written whole and synced, names every target
//!    with the identity (inode, size, hash) of its old and new contents;
//! 4. **applies** the renames and removals, and syncs the folders;
//! 5. **commits** by removing the journal; then the backups go.
//!
//! A command that finds a journal resolves it first ([`recover`], called by
//! [`DataDir::lock`]): it rolls the change back when every target provably holds its old or
//! its new contents and each old one is still kept; failing that it completes the change when
//! every new content is provably there or staged; otherwise it touches nothing and says
//! which files are in neither state. A journal only ever renames the files it names by
//! inode, so one that comes from elsewhere (a commit, a copy) can do nothing.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::write::{Inside, ensure_writable_as, sync_folder};
use super::{DataDir, WriteError};

/// The journal's name in the plan's folder.
pub const JOURNAL: &str = ".iisg-journal";
/// The largest journal written or read: about 260 bytes a file, so a million files. A change
/// whose journal would be larger is refused before any file is touched, so that every
/// journal on disk can be read back.
const MAX_JOURNAL: usize = 256 * 1024 * 1024;
/// How the hidden files of a transaction begin (staged texts, backups, the journal's own
/// temporary): never read as records, removed by the next writer once their writer is gone.
pub const TEMPORARY_PREFIX: &str = ".iisg-tx-";

/// One file of a change, named inside the plan's folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new file; its name must not exist yet.
    Create {
        /// The path inside the plan's folder.
        relative: String,
        /// Its text.
        text: String,
    },
    /// A file replaced; it must still hold `old`, the text it was read with.
    Replace {
        /// The path inside the plan's folder.
        relative: String,
        /// The text it held when read.
        old: String,
        /// Its new text.
        text: String,
    },
    /// A file removed; it must still hold `old`.
    Remove {
        /// The path inside the plan's folder.
        relative: String,
        /// The text it held when read.
        old: String,
    },
    /// A file renamed and given a new text: `from` must still hold `old`, and `to` must not
    /// exist yet. The new file keeps the old one's mode and owner.
    Rename {
        /// The path it has now.
        from: String,
        /// The text it held when read.
        old: String,
        /// Its new path.
        to: String,
        /// Its new text.
        text: String,
    },
}

impl Change {
    /// The file at `relative` given `text`: a replacement of `old`, or a new file when the
    /// plan has none there.
    #[must_use]
    pub fn write(relative: String, old: Option<String>, text: String) -> Self {
        match old {
            Some(old) => Self::Replace {
                relative,
                old,
                text,
            },
            None => Self::Create { relative, text },
        }
    }

    /// The path inside the plan's folder that holds the result (for a rename, the new one).
    #[must_use]
    pub fn relative(&self) -> &str {
        match self {
            Self::Create { relative, .. }
            | Self::Replace { relative, .. }
            | Self::Remove { relative, .. } => relative,
            Self::Rename { to, .. } => to,
        }
    }

    /// The file's text once the change is made; `None` when it is removed.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Create { text, .. } | Self::Replace { text, .. } | Self::Rename { text, .. } => {
                Some(text)
            }
            Self::Remove { .. } => None,
        }
    }

    /// Every path inside the plan's folder that the change touches.
    #[must_use]
    pub fn paths(&self) -> Vec<&str> {
        match self {
            Self::Rename { from, to, .. } => vec![from, to],
            _ => vec![self.relative()],
        }
    }

    /// The operations on single files that make the change.
    fn ops(&self) -> Vec<Op<'_>> {
        let op = |relative, old, text, like| Op {
            relative,
            old,
            text,
            like,
        };
        match self {
            Self::Create { relative, text } => vec![op(relative, None, Some(text), None)],
            Self::Replace {
                relative,
                old,
                text,
            } => vec![op(relative, Some(old), Some(text), None)],
            Self::Remove { relative, old } => vec![op(relative, Some(old), None, None)],
            Self::Rename {
                from,
                old,
                to,
                text,
            } => vec![
                op(to, None, Some(text), Some(from)),
                op(from, Some(old), None, None),
            ],
        }
    }
}

/// One file of a change: its old text (`None`: new), its new text (`None`: removed), and for
/// a new file the file whose mode and owner it takes.
struct Op<'a> {
    relative: &'a str,
    old: Option<&'a str>,
    text: Option<&'a str>,
    like: Option<&'a str>,
}

/// What recovery found and did about a change that a killed iisg left half-made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovered {
    /// The command that was interrupted (`iisg import`), as its journal names it.
    pub command: String,
    /// Its process id.
    pub pid: u32,
    /// Whether the change was completed (rather than rolled back).
    pub completed: bool,
    /// The files recovery put back or finished, inside the plan's folder.
    pub files: Vec<String>,
}

/// Identity of one version of a file: its inode and a checksum of its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Version {
    ino: u64,
    len: u64,
    hash: u64,
}

/// One target of a journal.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    /// The file, inside the plan's folder.
    target: String,
    /// What it held before; `None` when it did not exist.
    old: Option<Version>,
    /// What it holds after; `None` when it is removed.
    new: Option<Version>,
    /// The hidden file holding the new text until it is renamed over the target.
    staged: Option<String>,
    /// The hidden file keeping the old contents, and its inode.
    backup: Option<(String, u64)>,
}

/// The journal: what an unfinished change was doing.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Journal {
    /// The format's version.
    version: u32,
    /// The plan folder's device and inode: a journal is never obeyed in another folder.
    folder: (u64, u64),
    /// The writer.
    pid: u32,
    /// What the writer was (`iisg import`).
    command: String,
    /// The targets, in the order they are applied.
    entries: Vec<Entry>,
}

/// Applies `changes` as one: all of them, or none. Call it holding the plan's lock.
/// `command` names the change in a journal another command may have to resolve.
///
/// # Errors
/// [`WriteError::Refused`], [`WriteError::Exists`] or [`WriteError::Changed`] when a target
/// fails its check, and [`WriteError::Io`] when the disk fails; nothing is changed then.
/// [`WriteError::Partial`] when a failure half-way could not be undone: it names each file
/// that now differs and where its old contents are.
pub fn commit(dir: &DataDir, _lock: &super::Lock, changes: &[Change]) -> Result<(), WriteError> {
    commit_with(dir, changes, &command_name(), &mut Faults::default()).map_err(|stop| match stop {
        Stop::Error(e) => e,
        Stop::Crash => unreachable!("only tests simulate crashes"),
    })
}

/// The command line that started this process, as a journal names it.
fn command_name() -> String {
    let args: Vec<String> = std::env::args().skip(1).take(2).collect();
    format!("iisg {}", args.join(" ")).trim_end().to_string()
}

/// Resolves an unfinished change, if the plan's folder holds one. Call it holding the lock.
///
/// # Errors
/// [`WriteError::Unresolved`] when the journal cannot be obeyed safely; nothing is touched
/// then.
pub fn recover(dir: &DataDir) -> Result<Option<Recovered>, WriteError> {
    let path = dir.path.join(JOURNAL);
    let bytes = match read_capped(&path, MAX_JOURNAL as u64) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(e) => return Err(unresolved(dir, vec![format!("it cannot be read: {e}")])),
    };
    let journal: Journal = serde_json::from_slice(&bytes)
        .map_err(|e| unresolved(dir, vec![format!("it is not a journal iisg wrote: {e}")]))?;
    let folder = fs::metadata(&dir.path).map_err(|source| WriteError::Io {
        path: dir.path.clone(),
        source,
    })?;
    if journal.version != 1 || journal.folder != (folder.dev(), folder.ino()) {
        return Err(unresolved(
            dir,
            vec!["it was written for another folder (copied or committed?)".into()],
        ));
    }
    resolve(dir, &journal, &mut Faults::default()).map_err(|stop| match stop {
        Stop::Error(e) => e,
        Stop::Crash => unreachable!("only tests simulate crashes"),
    })
}

/// Whether the plan's folder holds an unfinished change.
#[must_use]
pub fn pending(dir: &DataDir) -> bool {
    fs::symlink_metadata(dir.path.join(JOURNAL)).is_ok()
}

fn unresolved(dir: &DataDir, reasons: Vec<String>) -> WriteError {
    WriteError::Unresolved {
        journal: PathBuf::from(dir.show(JOURNAL)),
        reasons,
    }
}

/// A target checked and staged, before the journal names it.
struct Staged {
    entry: Entry,
    path: PathBuf,
    new_text: Option<PathBuf>,
    backup: Option<PathBuf>,
}

fn commit_with(
    dir: &DataDir,
    changes: &[Change],
    command: &str,
    faults: &mut Faults,
) -> Result<(), Stop> {
    // 1. Check every target before touching any.
    let ops: Vec<Op> = changes.iter().flat_map(Change::ops).collect();
    let mut checks = Checks::new(dir);
    let mut targets = Vec::with_capacity(ops.len());
    for op in &ops {
        targets.push(checks.check(op)?);
    }
    // One file needs no journal: a rename (or a link, or an unlink) is all or nothing.
    if let ([op], [target]) = (ops.as_slice(), targets.as_slice()) {
        return commit_one(op, target, faults);
    }
    let folder = fs::metadata(&dir.path).map_err(|e| io_at(&dir.path, e))?;
    let durably = Durably::for_change(dir, &targets)?;
    // 2. Stage: new texts and backups, all synced.
    let mut staged = Vec::with_capacity(ops.len());
    for (n, (op, target)) in ops.iter().zip(targets).enumerate() {
        match stage(dir, op, target, n, &durably, faults) {
            Ok(one) => staged.push(one),
            Err(stop) => return Err(discard(&staged, stop)),
        }
    }
    let folders = folders_of(&staged);
    match &durably {
        Durably::EachFile => sync_folders(&folders, faults),
        Durably::AtOnce(file_systems) => sync_file_systems(file_systems, faults),
    }
    .map_err(|stop| discard(&staged, stop))?;
    // 3. The intent, durably: from here on a crash is rolled back.
    let journal = Journal {
        version: 1,
        folder: (folder.dev(), folder.ino()),
        pid: std::process::id(),
        command: command.into(),
        entries: staged.iter().map(|s| s.entry.clone()).collect(),
    };
    write_journal(dir, &journal, faults).map_err(|stop| discard(&staged, stop))?;
    // 4. Apply.
    let applied = apply(&staged, faults).and_then(|()| sync_folders(&folders, faults));
    if let Err(stop) = applied {
        return Err(match stop {
            Stop::Crash => Stop::Crash,
            Stop::Error(cause) => undo(dir, &journal, cause, faults),
        });
    }
    // 5. Commit: the journal goes, and with it the way back. A journal that cannot be
    // removed would be rolled back by the next command: roll back now, and say so.
    let removed = faults.step().and_then(|()| {
        fs::remove_file(dir.path.join(JOURNAL))
            .map_err(|e| Stop::Error(io_at(&dir.path.join(JOURNAL), e)))
    });
    if let Err(stop) = removed {
        return Err(match stop {
            Stop::Crash => Stop::Crash,
            Stop::Error(cause) => undo(dir, &journal, cause, faults),
        });
    }
    // Done: what follows only tidies, and its failures are no failure of the change. The
    // backups go before the command goes on; a kill leaves the rest to the next writer.
    after_commit(faults)?;
    sync_folder(&dir.path.join(JOURNAL));
    let mut backups = Vec::with_capacity(staged.len());
    let mut crashed = Ok(());
    for backup in staged.iter().filter_map(|one| one.backup.as_deref()) {
        // A crash at a backup's step leaves it and those after it.
        crashed = after_commit(faults);
        if crashed.is_err() {
            break;
        }
        backups.push(backup);
    }
    remove_all(&backups);
    crashed
}

/// A change of one file, checked: its new text written beside it and synced, then renamed
/// over it (or linked to its name, for a new file), or the file removed; then its folder
/// synced.
fn commit_one(op: &Op, target: &Target, faults: &mut Faults) -> Result<(), Stop> {
    let path = target.path.as_path();
    let folder = path.parent().unwrap_or(Path::new("."));
    if target.new_folder && !folder.exists() {
        faults.step()?;
        fs::create_dir_all(folder).map_err(|e| io_at(folder, e))?;
    }
    match op.text {
        None => {
            faults.step()?;
            fs::remove_file(path).map_err(|e| io_at(path, e))?;
        }
        Some(text) => {
            let staged = folder.join(format!("{TEMPORARY_PREFIX}{}-0.new", std::process::id()));
            write_new_file(&staged, text.as_bytes(), target.old.as_ref(), true, faults)?;
            let placed = (|| -> Result<(), Stop> {
                faults.step()?;
                if op.old.is_some() {
                    return fs::rename(&staged, path).map_err(|e| io_at(path, e).into());
                }
                // A link never replaces a name that someone made meanwhile.
                match fs::hard_link(&staged, path) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        Err(WriteError::Exists(path.to_path_buf()).into())
                    }
                    Err(_) => fs::rename(&staged, path).map_err(|e| io_at(path, e).into()),
                }
            })();
            if let Err(stop) = placed {
                if matches!(stop, Stop::Error(_)) {
                    let _ = fs::remove_file(&staged);
                }
                return Err(stop);
            }
            after_commit(faults)?;
            let _ = fs::remove_file(&staged);
        }
    }
    after_commit(faults)?;
    sync_folder(path);
    Ok(())
}

/// A step after the commit: only a (simulated) crash stops it.
fn after_commit(faults: &mut Faults) -> Result<(), Stop> {
    match faults.step() {
        Err(Stop::Crash) => Err(Stop::Crash),
        _ => Ok(()),
    }
}

/// A target that passed its check.
struct Target {
    /// Its path on disk.
    path: PathBuf,
    /// The file it replaces or removes, as it was checked.
    old: Option<fs::Metadata>,
    /// Whether its folder is still to be made.
    new_folder: bool,
}

/// The checks of a change's targets, each folder checked once.
struct Checks<'a> {
    inside: Inside<'a>,
    /// Each folder checked, and whether it exists.
    folders: HashMap<PathBuf, bool>,
}

impl<'a> Checks<'a> {
    fn new(dir: &'a DataDir) -> Self {
        Self {
            inside: Inside::new(dir),
            folders: HashMap::new(),
        }
    }

    /// Checks a target's folder: a writable folder, or none yet. Whether it exists.
    fn folder(&mut self, folder: &Path) -> Result<bool, WriteError> {
        if let Some(&exists) = self.folders.get(folder) {
            return Ok(exists);
        }
        let exists = match fs::symlink_metadata(folder) {
            Ok(meta) if !meta.is_dir() => {
                return Err(WriteError::Refused {
                    path: folder.to_path_buf(),
                    reason: "it is not a folder".into(),
                });
            }
            Ok(meta) => {
                ensure_writable_as(folder, &meta)?;
                true
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(io_at(folder, e)),
        };
        self.folders.insert(folder.to_path_buf(), exists);
        Ok(exists)
    }

    /// Checks one target.
    fn check(&mut self, change: &Op) -> Result<Target, WriteError> {
        let path = self.inside.path(change.relative)?;
        let new_folder = !self.folder(path.parent().unwrap_or(Path::new(".")))?;
        let meta = fs::symlink_metadata(&path);
        let old = match (change.old, meta) {
            (None, Ok(_)) => return Err(WriteError::Exists(path)),
            (None, Err(e)) if e.kind() == io::ErrorKind::NotFound => None,
            (_, Err(e)) if e.kind() == io::ErrorKind::NotFound => {
                return Err(WriteError::Changed(path));
            }
            (_, Err(e)) => return Err(io_at(&path, e)),
            (Some(old), Ok(meta)) => {
                if meta.file_type().is_symlink() {
                    return Err(WriteError::Refused {
                        path,
                        reason: "it is a symbolic link; iisg does not write through links".into(),
                    });
                }
                if !meta.is_file() {
                    return Err(WriteError::Refused {
                        path,
                        reason: "it is not a regular file".into(),
                    });
                }
                ensure_writable_as(&path, &meta)?;
                super::ensure_unchanged(&path, old)?;
                Some(meta)
            }
        };
        Ok(Target {
            path,
            old,
            new_folder,
        })
    }
}

/// Stages one target: its new text beside it, its old contents under a backup name.
fn stage(
    dir: &DataDir,
    change: &Op,
    target: Target,
    n: usize,
    durably: &Durably,
    faults: &mut Faults,
) -> Result<Staged, Stop> {
    let each = matches!(durably, Durably::EachFile);
    let Target {
        path,
        old: old_meta,
        new_folder,
    } = target;
    let folder = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    if new_folder && !folder.exists() {
        faults.step()?;
        fs::create_dir_all(&folder).map_err(|e| io_at(&folder, e))?;
    }
    let hidden = |ending: &str| {
        let name = format!("{TEMPORARY_PREFIX}{}-{n}.{ending}", std::process::id());
        (folder.join(&name), sibling(change.relative, &name))
    };
    // A renamed file's new name takes the old one's mode and owner.
    let like = match change.like {
        Some(like) => {
            let like = dir.inside(like)?;
            Some(fs::symlink_metadata(&like).map_err(|e| io_at(&like, e))?)
        }
        None => old_meta.clone(),
    };
    let mut one = Staged {
        entry: Entry {
            target: change.relative.into(),
            old: None,
            new: None,
            staged: None,
            backup: None,
        },
        path,
        new_text: None,
        backup: None,
    };
    // What this target staged goes again if a later step of its own fails.
    let filled = (|| -> Result<(), Stop> {
        if let (Some(old), Some(meta)) = (change.old, &old_meta) {
            one.entry.old = Some(Version {
                ino: meta.ino(),
                len: old.len() as u64,
                hash: checksum(old.as_bytes()),
            });
            let (backup, relative) = hidden("old");
            faults.step()?;
            let link = || fs::hard_link(&one.path, &backup);
            let linked = match link() {
                // A file of this name is a leftover of a dead process that had this one's id.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let _ = fs::remove_file(&backup);
                    link()
                }
                linked => linked,
            };
            let ino = match linked {
                Ok(()) => meta.ino(),
                // Where links are not allowed (another user's file, some file systems), a copy.
                Err(_) => write_new_file(&backup, old.as_bytes(), Some(meta), each, faults)?,
            };
            one.backup = Some(backup);
            one.entry.backup = Some((relative, ino));
        }
        if let Some(text) = change.text {
            let (staged, relative) = hidden("new");
            one.new_text = Some(staged.clone());
            let ino = write_new_file(&staged, text.as_bytes(), like.as_ref(), each, faults)?;
            one.entry.new = Some(Version {
                ino,
                len: text.len() as u64,
                hash: checksum(text.as_bytes()),
            });
            one.entry.staged = Some(relative);
        }
        Ok(())
    })();
    match filled {
        Ok(()) => Ok(one),
        Err(stop) => Err(discard(std::slice::from_ref(&one), stop)),
    }
}

/// The path of a hidden file in the same folder as `relative`.
fn sibling(relative: &str, name: &str) -> String {
    match relative.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{name}"),
        None => name.into(),
    }
}

/// Writes a new file with the mode and owner of `like` when given, synced when `sync` says
/// so; its inode.
fn write_new_file(
    path: &Path,
    bytes: &[u8],
    like: Option<&fs::Metadata>,
    sync: bool,
    faults: &mut Faults,
) -> Result<u64, Stop> {
    faults.step()?;
    let create = || OpenOptions::new().write(true).create_new(true).open(path);
    let mut file = match create() {
        // A file of this name is a leftover of a dead process that had this one's id.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let _ = fs::remove_file(path);
            create()
        }
        created => created,
    }
    .map_err(|e| io_at(path, e))?;
    let mut ino = 0;
    let written = (|| -> Result<(), Stop> {
        let created = file.metadata().map_err(|e| io_at(path, e))?;
        ino = created.ino();
        if let Some(like) = like {
            faults.step()?;
            // Owner first: changing it may clear set-id bits that the mode then restores.
            // What the new file has already (most often both) is not set again.
            let chown = (created.uid(), created.gid()) != (like.uid(), like.gid());
            if chown {
                let _ = std::os::unix::fs::fchown(&file, Some(like.uid()), Some(like.gid()));
            }
            let mode = like.mode() & 0o7777;
            if chown || created.mode() & 0o7777 != mode {
                file.set_permissions(fs::Permissions::from_mode(mode))
                    .map_err(|e| io_at(path, e))?;
            }
        }
        faults.step()?;
        file.write_all(bytes).map_err(|e| io_at(path, e))?;
        if sync {
            faults.step()?;
            file.sync_all().map_err(|e| io_at(path, e))?;
        }
        Ok(())
    })();
    if let Err(stop) = written {
        if matches!(stop, Stop::Error(_)) {
            drop(file);
            let _ = fs::remove_file(path);
        }
        return Err(stop);
    }
    Ok(ino)
}

/// Writes the journal whole: a temporary, synced, renamed into place, the folder synced.
fn write_journal(dir: &DataDir, journal: &Journal, faults: &mut Faults) -> Result<(), Stop> {
    let text = journal_text(dir, journal, MAX_JOURNAL)?;
    let temporary = dir.path.join(format!(
        "{TEMPORARY_PREFIX}{}-journal.tmp",
        std::process::id()
    ));
    let _ = fs::remove_file(&temporary);
    let written = write_new_file(&temporary, &text, None, true, faults).and_then(|_| {
        faults.step()?;
        fs::rename(&temporary, dir.path.join(JOURNAL)).map_err(|e| io_at(&dir.path, e))?;
        faults.step()?;
        sync_folder_strict(&dir.path).map_err(|e| io_at(&dir.path, e))?;
        Ok(())
    });
    if let Err(stop) = written {
        if matches!(stop, Stop::Error(_)) {
            let _ = fs::remove_file(&temporary);
            let _ = fs::remove_file(dir.path.join(JOURNAL));
        }
        return Err(stop);
    }
    Ok(())
}

/// The journal as it is written, when it is at most `cap` bytes.
fn journal_text(dir: &DataDir, journal: &Journal, cap: usize) -> Result<Vec<u8>, WriteError> {
    let text = serde_json::to_vec(journal).map_err(|e| io_at(&dir.path, io::Error::other(e)))?;
    if text.len() > cap {
        return Err(WriteError::Refused {
            path: PathBuf::from(dir.show(JOURNAL)),
            reason: format!(
                "a change of {} files is more than one transaction can record ({} MiB of \
                 journal); make it in parts",
                journal.entries.len(),
                cap / (1024 * 1024)
            ),
        });
    }
    Ok(text)
}

/// The renames and removals, in order.
fn apply(staged: &[Staged], faults: &mut Faults) -> Result<(), Stop> {
    for one in staged {
        match (&one.entry.old, &one.new_text) {
            (None, Some(new)) => {
                faults.step()?;
                // A link never replaces a name that someone made meanwhile.
                match fs::hard_link(new, &one.path) {
                    Ok(()) => {
                        faults.step()?;
                        let _ = fs::remove_file(new);
                    }
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        return Err(Stop::Error(WriteError::Exists(one.path.clone())));
                    }
                    Err(_) => {
                        faults.step()?;
                        fs::rename(new, &one.path).map_err(|e| io_at(&one.path, e))?;
                    }
                }
            }
            (Some(_), Some(new)) => {
                faults.step()?;
                fs::rename(new, &one.path).map_err(|e| io_at(&one.path, e))?;
            }
            (Some(_), None) => {
                faults.step()?;
                fs::remove_file(&one.path).map_err(|e| io_at(&one.path, e))?;
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// Removes what staging made, before any target was touched; returns the failure.
fn discard(staged: &[Staged], stop: Stop) -> Stop {
    if matches!(stop, Stop::Error(_)) {
        let made: Vec<&Path> = staged
            .iter()
            .flat_map(|one| [&one.new_text, &one.backup])
            .filter_map(Option::as_deref)
            .collect();
        remove_all(&made);
    }
    stop
}

/// How many threads at most remove the hidden files of a large change (64 files or more
/// each).
const REMOVERS: usize = 16;

/// Removes these files; one that is gone already is no failure. Removing a file's last link
/// frees its blocks, and a file system that discards blocks as it frees them (ext4 without a
/// journal, mounted with `discard`, as this project's machines are) waits on the disk for
/// each: the 10,000 backups of a large change took 1.25 s one after the other on this
/// project's machine (20 s while the disk was busy), and 0.2 to 0.5 s in [`REMOVERS`]
/// threads, whose waits overlap: the removals in one folder take turns, the freeing after
/// each does not.
fn remove_all(paths: &[&Path]) {
    fn each(paths: &[&Path]) {
        for path in paths {
            let _ = fs::remove_file(path);
        }
    }
    let threads = paths.len().div_ceil(64).min(REMOVERS);
    if threads < 2 {
        return each(paths);
    }
    std::thread::scope(|scope| {
        for part in paths.chunks(paths.len().div_ceil(threads)) {
            let thread = std::thread::Builder::new().stack_size(256 * 1024);
            // Where no thread can be had, this one removes that part.
            if thread.spawn_scoped(scope, move || each(part)).is_err() {
                each(part);
            }
        }
    });
}

/// A failure half-way through applying: rolls back in this process. Returns the failure, or
/// — when the rollback fails too — what now differs and where the old contents are.
fn undo(dir: &DataDir, journal: &Journal, cause: WriteError, faults: &mut Faults) -> Stop {
    match resolve(dir, journal, faults) {
        Ok(_) => Stop::Error(cause),
        Err(Stop::Crash) => Stop::Crash,
        Err(Stop::Error(_)) => Stop::Error(WriteError::Partial {
            cause: Box::new(cause),
            differ: differing(dir, journal),
            note: "the journal is kept; the next iisg command tries again to put them back".into(),
        }),
    }
}

/// The targets that no longer hold their old contents, with where those are kept.
fn differing(dir: &DataDir, journal: &Journal) -> Vec<(String, Option<String>)> {
    journal
        .entries
        .iter()
        .filter(|e| state(dir, &e.target, e) != State::Old)
        .map(|e| {
            (
                dir.show(&e.target),
                e.backup.as_ref().map(|(b, _)| dir.show(b)),
            )
        })
        .collect()
}

/// Where one target is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Old,
    New,
    Neither,
}

/// Whether the file at `relative` is the version `want` (`None`: absent), by inode and bytes.
fn is(dir: &DataDir, relative: &str, want: Option<Version>) -> bool {
    let Ok(path) = dir.inside(relative) else {
        return false;
    };
    match (fs::symlink_metadata(&path), want) {
        (Err(e), None) => e.kind() == io::ErrorKind::NotFound,
        (Ok(meta), Some(want)) => {
            meta.is_file()
                && meta.ino() == want.ino
                && meta.len() == want.len
                && read_capped(&path, want.len)
                    .ok()
                    .flatten()
                    .is_some_and(|bytes| checksum(&bytes) == want.hash)
        }
        _ => false,
    }
}

fn state(dir: &DataDir, relative: &str, entry: &Entry) -> State {
    if is(dir, relative, entry.old) {
        State::Old
    } else if is(dir, relative, entry.new) {
        State::New
    } else {
        State::Neither
    }
}

/// Whether a journal's hidden file is one of ours, beside its target.
fn ours(target: &str, hidden: &str) -> bool {
    let folder = |p: &str| p.rsplit_once('/').map_or("", |(f, _)| f).to_string();
    let name = hidden.rsplit('/').next().unwrap_or("");
    folder(target) == folder(hidden) && name.starts_with(TEMPORARY_PREFIX)
}

/// Rolls the journal's change back if that is provably safe, else completes it if that is;
/// then removes the journal and the hidden files it names.
fn resolve(
    dir: &DataDir,
    journal: &Journal,
    faults: &mut Faults,
) -> Result<Option<Recovered>, Stop> {
    let states: Vec<State> = journal
        .entries
        .iter()
        .map(|e| state(dir, &e.target, e))
        .collect();
    let backup_ok = |e: &Entry| {
        e.backup.as_ref().is_some_and(|(b, ino)| {
            ours(&e.target, b) && is(dir, b, e.old.map(|v| Version { ino: *ino, ..v }))
        })
    };
    let staged_ok = |e: &Entry| {
        e.staged
            .as_ref()
            .is_some_and(|s| ours(&e.target, s) && is(dir, s, e.new))
    };
    let can_undo = journal.entries.iter().zip(&states).all(|(e, s)| match s {
        State::Old => true,
        State::New => e.old.is_none() || backup_ok(e),
        State::Neither => false,
    });
    let can_finish = journal.entries.iter().zip(&states).all(|(e, s)| match s {
        State::New => true,
        State::Old => e.new.is_none() || staged_ok(e),
        State::Neither => false,
    });
    if !can_undo && !can_finish {
        let reasons = journal
            .entries
            .iter()
            .zip(&states)
            .filter(|(_, s)| **s == State::Neither)
            .map(|(e, _)| {
                format!(
                    "`{}` holds neither its old nor its new contents",
                    dir.show(&e.target)
                )
            })
            .collect::<Vec<_>>();
        let reasons = if reasons.is_empty() {
            vec!["the files that keep the old and new contents are missing".into()]
        } else {
            reasons
        };
        return Err(Stop::Error(unresolved(dir, reasons)));
    }
    let mut files = Vec::new();
    let path = |relative: &str| dir.inside(relative).map_err(Stop::Error);
    for (entry, state) in journal.entries.iter().zip(&states).rev() {
        let target = path(&entry.target)?;
        if can_undo && *state == State::New {
            faults.step()?;
            match &entry.backup {
                Some((backup, _)) => fs::rename(path(backup)?, &target),
                None => fs::remove_file(&target),
            }
            .map_err(|e| Stop::Error(io_at(&target, e)))?;
            files.push(entry.target.clone());
        } else if !can_undo && *state == State::Old {
            faults.step()?;
            match &entry.staged {
                Some(staged) => fs::rename(path(staged)?, &target),
                None => fs::remove_file(&target),
            }
            .map_err(|e| Stop::Error(io_at(&target, e)))?;
            files.push(entry.target.clone());
        }
    }
    let mut folders: Vec<PathBuf> = journal
        .entries
        .iter()
        .filter_map(|e| dir.inside(&e.target).ok())
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    sync_folders(&folders, faults)?;
    faults.step()?;
    fs::remove_file(dir.path.join(JOURNAL)).map_err(|e| Stop::Error(io_at(&dir.path, e)))?;
    sync_folder(&dir.path.join(JOURNAL));
    let hidden: Vec<PathBuf> = journal
        .entries
        .iter()
        .flat_map(|e| {
            let hidden = [e.staged.as_ref(), e.backup.as_ref().map(|(b, _)| b)];
            hidden
                .into_iter()
                .flatten()
                .filter(|relative| ours(&e.target, relative))
                .filter_map(|relative| dir.inside(relative).ok())
        })
        .collect();
    remove_all(&hidden.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    files.reverse();
    Ok(Some(Recovered {
        command: journal.command.clone(),
        pid: journal.pid,
        completed: !can_undo,
        files,
    }))
}

/// Every folder a change touches, once.
fn folders_of(staged: &[Staged]) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = staged
        .iter()
        .filter_map(|s| s.path.parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

/// Removes the hidden files that killed writers left in `folder`: iisg's own temporaries whose
/// process is gone. Call it holding the lock, with no journal pending.
pub fn remove_leftovers(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let mut leftovers = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(pid) = leftover_pid(name)
            && !Path::new(&format!("/proc/{pid}")).exists()
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            leftovers.push(entry.path());
        }
    }
    remove_all(&leftovers.iter().map(PathBuf::as_path).collect::<Vec<_>>());
}

/// The writer's process id, when `name` is one of iisg's temporary files: `.iisg-tx-PID-…`,
/// or `.NAME.tmpPID-N` as earlier versions wrote them.
fn leftover_pid(name: &str) -> Option<u32> {
    let digits = |rest: &str| -> Option<u32> {
        let end = rest.find(|c: char| !c.is_ascii_digit())?;
        rest[..end].parse().ok()
    };
    if let Some(rest) = name.strip_prefix(TEMPORARY_PREFIX) {
        return digits(rest);
    }
    let (_, tail) = name.strip_prefix('.')?.rsplit_once(".tmp")?;
    let pid = digits(tail)?;
    tail[pid.to_string().len()..]
        .strip_prefix('-')
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map(|_| pid)
}

/// Reads at most `cap` bytes of a regular file, not following a link; `None` when absent.
fn read_capped(path: &Path, cap: u64) -> io::Result<Option<Vec<u8>>> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW | OFlags::NONBLOCK;
    let file = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => File::from(fd),
        Err(e) if e == rustix::io::Errno::NOENT => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// FNV-1a over the bytes, then the length: stable across builds and versions of iisg, so that
/// a journal written by one is checked alike by the next. Inodes do the identifying; this only
/// catches a file rewritten in place.
#[must_use]
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut hasher = Fnv::default();
    hasher.write(bytes);
    hasher.write_u64(bytes.len() as u64);
    hasher.finish()
}

/// FNV-1a, the same in every run and build.
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// How a change's staged files and backups are made durable before its journal names them.
enum Durably {
    /// Each file synced as it is written, then each folder: for a change of a few files.
    EachFile,
    /// Nothing synced file by file: once everything is staged, one `syncfs` of each file
    /// system the change writes to (a folder on it, held open), which writes back every dirty
    /// page and the metadata (new names and links included) at once. The folders are opened
    /// before the first file is written: since Linux 5.8 a `syncfs` reports every write-back
    /// error of its file system since the descriptor was opened, as `fsync` does for a file.
    AtOnce(Vec<(PathBuf, File)>),
}

/// From how many files on a change is synced at once: thousands of files synced one by one
/// cost a disk flush each (about 0.4 ms on this project's machine; 3.9 s for 10,001 files),
/// where one `syncfs` costs one flush and the write-back of what is dirty.
const AT_ONCE: usize = 8;

impl Durably {
    /// How a change to `targets` is made durable: at once when it has [`AT_ONCE`] files or
    /// more and the kernel's `syncfs` reports write-back errors; then each file system of
    /// their folders gets one of them open (a folder to be made, its nearest one that exists).
    fn for_change(dir: &DataDir, targets: &[Target]) -> Result<Self, WriteError> {
        if targets.len() < AT_ONCE || !syncfs_reports_errors() {
            return Ok(Self::EachFile);
        }
        let mut folders: Vec<&Path> = targets
            .iter()
            .filter_map(|t| t.path.ancestors().skip(1).find(|f| f.is_dir()))
            .chain([dir.path.as_path()])
            .collect();
        folders.sort();
        folders.dedup();
        let mut devices = Vec::new();
        let mut file_systems = Vec::new();
        for folder in folders {
            let open = File::open(folder).map_err(|e| io_at(folder, e))?;
            let device = open.metadata().map_err(|e| io_at(folder, e))?.dev();
            if !devices.contains(&device) {
                devices.push(device);
                file_systems.push((folder.to_path_buf(), open));
            }
        }
        Ok(Self::AtOnce(file_systems))
    }
}

/// Whether this kernel's `syncfs` reports write-back errors (Linux 5.8 and later); before,
/// it returned success whatever failed, and only syncing each file tells.
fn syncfs_reports_errors() -> bool {
    let release = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let mut numbers = release
        .split(|c: char| !c.is_ascii_digit())
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let version = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    version >= (5, 8)
}

/// Syncs each file system whole: every file staged on it and every name made in it.
fn sync_file_systems(file_systems: &[(PathBuf, File)], faults: &mut Faults) -> Result<(), Stop> {
    for (folder, open) in file_systems {
        faults.step()?;
        rustix::fs::syncfs(open).map_err(|e| io_at(folder, e.into()))?;
    }
    Ok(())
}

/// Syncs each folder, so that the renames in it are on disk.
fn sync_folders(folders: &[PathBuf], faults: &mut Faults) -> Result<(), Stop> {
    for folder in folders {
        faults.step()?;
        sync_folder_strict(folder).map_err(|e| io_at(folder, e))?;
    }
    Ok(())
}

fn sync_folder_strict(folder: &Path) -> io::Result<()> {
    match File::open(folder).and_then(|f| f.sync_all()) {
        // Some file systems cannot sync a folder; the rename is as durable as they allow.
        Err(e) if e.kind() == io::ErrorKind::InvalidInput || e.raw_os_error() == Some(22) => Ok(()),
        other => other,
    }
}

fn io_at(path: &Path, source: io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Why a transaction stopped: a real failure, or (in tests) a simulated crash that leaves
/// the disk exactly as it is at that instant.
enum Stop {
    Error(WriteError),
    Crash,
}

impl From<WriteError> for Stop {
    fn from(e: WriteError) -> Self {
        Self::Error(e)
    }
}

/// Fault injection for the tests: each step of a transaction that touches the disk counts;
/// at `crash` the process "dies" (nothing more is done), at `fail` the step fails.
#[derive(Default)]
struct Faults {
    steps: usize,
    crash: Option<usize>,
    fail: Vec<usize>,
}

impl Faults {
    fn step(&mut self) -> Result<(), Stop> {
        let now = self.steps;
        self.steps += 1;
        if self.crash == Some(now) {
            return Err(Stop::Crash);
        }
        if self.fail.contains(&now) {
            return Err(Stop::Error(WriteError::Io {
                path: PathBuf::from("(injected)"),
                source: io::Error::other("injected failure"),
            }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn plan_dir() -> (tempfile::TempDir, DataDir) {
        let root = tempfile::tempdir().unwrap();
        let dir = DataDir {
            path: root.path().to_path_buf(),
            shown: "data".into(),
        };
        fs::create_dir(root.path().join("actions")).unwrap();
        (root, dir)
    }

    /// Every file below the folder, hidden ones included, by relative path.
    fn files(dir: &DataDir) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        for folder in ["", "actions"] {
            for entry in fs::read_dir(dir.path.join(folder)).unwrap().flatten() {
                if entry.file_type().unwrap().is_file() {
                    let relative = if folder.is_empty() {
                        entry.file_name().to_string_lossy().to_string()
                    } else {
                        format!("{folder}/{}", entry.file_name().to_string_lossy())
                    };
                    all.insert(relative, fs::read_to_string(entry.path()).unwrap());
                }
            }
        }
        all
    }

    /// The visible files: what a reader of the plan sees.
    fn visible(dir: &DataDir) -> BTreeMap<String, String> {
        files(dir)
            .into_iter()
            .filter(|(k, _)| !k.rsplit('/').next().unwrap().starts_with('.'))
            .collect()
    }

    fn after(before: &BTreeMap<String, String>, changes: &[Change]) -> BTreeMap<String, String> {
        let mut state = before.clone();
        for change in changes {
            if let Change::Rename { from, .. } = change {
                state.remove(from);
            }
            match change.text() {
                Some(text) => state.insert(change.relative().into(), text.into()),
                None => state.remove(change.relative()),
            };
        }
        state
    }

    fn run(dir: &DataDir, changes: &[Change], faults: &mut Faults) -> Result<(), Stop> {
        commit_with(dir, changes, "iisg test", faults)
    }

    fn recover_now(dir: &DataDir) -> Option<Recovered> {
        match recover(dir) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    fn sample(dir: &DataDir) -> Vec<Change> {
        fs::write(dir.path.join("actions/001-a.yaml"), "one").unwrap();
        fs::write(dir.path.join("actions/002-b.yaml"), "two").unwrap();
        fs::write(dir.path.join("partners.yaml"), "partners").unwrap();
        fs::write(dir.path.join("actions/004-d.yaml"), "four").unwrap();
        vec![
            Change::Rename {
                from: "actions/004-d.yaml".into(),
                old: "four".into(),
                to: "actions/005-d.yaml".into(),
                text: "five".into(),
            },
            Change::Replace {
                relative: "actions/001-a.yaml".into(),
                old: "one".into(),
                text: "ONE".into(),
            },
            Change::Create {
                relative: "actions/003-c.yaml".into(),
                text: "three".into(),
            },
            Change::Remove {
                relative: "actions/002-b.yaml".into(),
                old: "two".into(),
            },
            Change::Replace {
                relative: "partners.yaml".into(),
                old: "partners".into(),
                text: "PARTNERS".into(),
            },
        ]
    }

    #[test]
    fn a_commit_applies_everything_and_leaves_nothing_hidden() {
        let (_root, dir) = plan_dir();
        let changes = sample(&dir);
        let before = files(&dir);
        run(&dir, &changes, &mut Faults::default()).ok().unwrap();
        assert_eq!(files(&dir), after(&before, &changes));
        assert!(!pending(&dir));
    }

    /// Makes a change to a new folder.
    type Maker = Box<dyn Fn(&DataDir) -> Vec<Change>>;

    /// The sample change with more files than [`AT_ONCE`], in two folders: synced at once.
    fn large(dir: &DataDir) -> Vec<Change> {
        let mut changes = sample(dir);
        for n in 10..50 {
            let relative = format!("actions/{n:03}-x.yaml");
            let old = format!("old {n}");
            if n % 4 != 0 {
                fs::write(dir.path.join(&relative), &old).unwrap();
            }
            let text = format!("new {n}");
            changes.push(match n % 4 {
                0 => Change::Create { relative, text },
                1 => Change::Replace {
                    relative,
                    old,
                    text,
                },
                2 => Change::Remove { relative, old },
                _ => Change::Rename {
                    from: relative,
                    old,
                    to: format!("actions/{:03}-y.yaml", n + 100),
                    text,
                },
            });
        }
        changes
    }

    /// The sample change whole, each of its files alone (no journal for one file), and the
    /// large change (synced at once).
    fn sample_sets() -> Vec<Maker> {
        let mut sets: Vec<Maker> = vec![Box::new(sample)];
        for n in 0..5 {
            sets.push(Box::new(move |dir| vec![sample(dir).swap_remove(n)]));
        }
        sets.push(Box::new(large));
        sets
    }

    #[test]
    fn a_large_change_is_synced_at_once_a_small_one_file_by_file() {
        let (_root, dir) = plan_dir();
        let targets = |changes: &[Change]| -> Vec<Target> {
            let mut checks = Checks::new(&dir);
            changes
                .iter()
                .flat_map(Change::ops)
                .map(|op| checks.check(&op).unwrap())
                .collect()
        };
        let small = targets(&sample(&dir));
        assert!(matches!(
            Durably::for_change(&dir, &small),
            Ok(Durably::EachFile)
        ));
        let large = targets(&large(&dir));
        assert!(large.len() >= AT_ONCE);
        // The folder and actions/ are on one file system: one of them is synced.
        assert!(matches!(
            Durably::for_change(&dir, &large),
            Ok(Durably::AtOnce(file_systems)) if file_systems.len() == 1
        ));
    }

    #[test]
    fn a_crash_at_every_step_is_all_or_nothing_after_recovery() {
        for (set, make) in sample_sets().iter().enumerate() {
            let (_root, dir) = plan_dir();
            let changes = make(&dir);
            let before = files(&dir);
            let mut total = Faults::default();
            run(&dir, &changes, &mut total).ok().unwrap();
            for crash in 0..total.steps {
                let (_root, dir) = plan_dir();
                let changes = make(&dir);
                let mut faults = Faults {
                    crash: Some(crash),
                    ..Faults::default()
                };
                assert!(matches!(run(&dir, &changes, &mut faults), Err(Stop::Crash)));
                recover_now(&dir);
                for folder in [dir.path.clone(), dir.path.join("actions")] {
                    remove_leftovers_of_dead(&folder, std::process::id());
                }
                let now = files(&dir);
                assert!(
                    now == before || now == after(&before, &changes),
                    "set {set}, crash at step {crash}: {now:?}"
                );
            }
        }
    }

    #[test]
    fn a_failure_at_every_step_changes_nothing() {
        for (set, make) in sample_sets().iter().enumerate() {
            let (_root, dir) = plan_dir();
            let changes = make(&dir);
            let before = files(&dir);
            let mut total = Faults::default();
            run(&dir, &changes, &mut total).ok().unwrap();
            for fail in 0..total.steps {
                let (_root, dir) = plan_dir();
                let changes = make(&dir);
                let mut faults = Faults {
                    fail: vec![fail],
                    ..Faults::default()
                };
                let result = run(&dir, &changes, &mut faults);
                let now = files(&dir);
                let at = format!("set {set}, fail at {fail}");
                match result {
                    Ok(()) => assert_eq!(now, after(&before, &changes), "{at}"),
                    Err(Stop::Error(WriteError::Io { .. })) => {
                        assert_eq!(now, before, "{at}: nothing changed, nothing left");
                    }
                    Err(Stop::Error(e)) => panic!("{at}: {e}"),
                    Err(Stop::Crash) => unreachable!(),
                }
            }
        }
    }

    /// A failure while applying, and another while undoing it: either nothing changed, or
    /// the error names exactly the files that differ, and each one's old contents are where
    /// it says.
    #[test]
    fn a_failed_undo_names_what_differs() {
        for make in [sample, large] {
            a_failed_undo_names_what_differs_in(make);
        }
    }

    fn a_failed_undo_names_what_differs_in(make: fn(&DataDir) -> Vec<Change>) {
        let start = first_apply_step(make);
        let mut partial = 0;
        for first in start..start + 8 {
            for second in first + 1..first + 12 {
                let (_root, dir) = plan_dir();
                let changes = make(&dir);
                let before = visible(&dir);
                let mut faults = Faults {
                    fail: vec![first, second],
                    ..Faults::default()
                };
                match run(&dir, &changes, &mut faults) {
                    Ok(()) => assert_eq!(visible(&dir), after(&before, &changes)),
                    Err(Stop::Error(WriteError::Io { .. })) => assert_eq!(visible(&dir), before),
                    Err(Stop::Error(WriteError::Partial { differ, .. })) => {
                        partial += 1;
                        let now = visible(&dir);
                        let differing_now: Vec<String> = before
                            .keys()
                            .chain(now.keys())
                            .filter(|k| before.get(*k) != now.get(*k))
                            .map(|k| dir.show(k))
                            .collect::<std::collections::BTreeSet<_>>()
                            .into_iter()
                            .collect();
                        let mut named: Vec<String> =
                            differ.iter().map(|(f, _)| f.clone()).collect();
                        named.sort();
                        assert_eq!(named, differing_now, "faults at {first}, {second}");
                        for (file, backup) in &differ {
                            let relative = file.strip_prefix("data/").unwrap();
                            match backup {
                                Some(backup) => assert_eq!(
                                    fs::read_to_string(
                                        dir.path.join(backup.strip_prefix("data/").unwrap())
                                    )
                                    .unwrap(),
                                    before[relative]
                                ),
                                None => assert!(!before.contains_key(relative)),
                            }
                        }
                        // The next command puts everything back.
                        recover_now(&dir);
                        assert_eq!(visible(&dir), before);
                    }
                    Err(Stop::Error(e)) => panic!("{e}"),
                    Err(Stop::Crash) => unreachable!(),
                }
            }
        }
        assert!(partial > 0, "some pair of faults defeats the undo");
    }

    #[test]
    fn a_journal_from_elsewhere_is_not_obeyed() {
        let (_other_root, other) = plan_dir();
        let other_changes = sample(&other);
        let mut crash = Faults {
            crash: Some(first_apply_step(sample) + 2),
            ..Faults::default()
        };
        assert!(matches!(
            run(&other, &other_changes, &mut crash),
            Err(Stop::Crash)
        ));
        let (_root, dir) = plan_dir();
        sample(&dir);
        fs::copy(other.path.join(JOURNAL), dir.path.join(JOURNAL)).unwrap();
        let before = files(&dir);
        assert!(matches!(recover(&dir), Err(WriteError::Unresolved { .. })));
        assert_eq!(files(&dir), before, "nothing touched");
    }

    /// The first step at which a crash leaves the journal in place, for the change `make`
    /// makes.
    fn first_apply_step(make: fn(&DataDir) -> Vec<Change>) -> usize {
        for step in 0.. {
            let (_root, dir) = plan_dir();
            let changes = make(&dir);
            let mut faults = Faults {
                crash: Some(step),
                ..Faults::default()
            };
            let _ = run(&dir, &changes, &mut faults);
            if pending(&dir) {
                return step;
            }
        }
        unreachable!()
    }

    #[test]
    fn a_file_changed_after_the_crash_is_not_overwritten() {
        let (_root, dir) = plan_dir();
        let changes = sample(&dir);
        let mut faults = Faults {
            crash: Some(first_apply_step(sample) + 2),
            ..Faults::default()
        };
        assert!(matches!(run(&dir, &changes, &mut faults), Err(Stop::Crash)));
        // Someone edits the half-written file in place.
        fs::write(dir.path.join("actions/001-a.yaml"), "mine").unwrap();
        assert!(matches!(recover(&dir), Err(WriteError::Unresolved { .. })));
        assert_eq!(
            fs::read_to_string(dir.path.join("actions/001-a.yaml")).unwrap(),
            "mine"
        );
        assert!(pending(&dir));
    }

    #[test]
    fn refusals_touch_nothing() {
        let (_root, dir) = plan_dir();
        let mut changes = sample(&dir);
        let before = files(&dir);
        changes.push(Change::Create {
            relative: "partners.yaml".into(),
            text: "x".into(),
        });
        assert!(matches!(
            run(&dir, &changes, &mut Faults::default()),
            Err(Stop::Error(WriteError::Exists(_)))
        ));
        changes.pop();
        changes.push(Change::Replace {
            relative: "actions/002-b.yaml".into(),
            old: "not what it holds".into(),
            text: "x".into(),
        });
        assert!(matches!(
            run(&dir, &changes, &mut Faults::default()),
            Err(Stop::Error(WriteError::Changed(_)))
        ));
        changes.pop();
        changes.push(Change::Create {
            relative: "../outside.yaml".into(),
            text: "x".into(),
        });
        assert!(matches!(
            run(&dir, &changes, &mut Faults::default()),
            Err(Stop::Error(WriteError::Refused { .. }))
        ));
        changes.pop();
        fs::set_permissions(
            dir.path.join("partners.yaml"),
            fs::Permissions::from_mode(0o444),
        )
        .unwrap();
        assert!(matches!(
            run(&dir, &changes, &mut Faults::default()),
            Err(Stop::Error(WriteError::Refused { .. }))
        ));
        assert_eq!(files(&dir), before);
    }

    #[test]
    fn mode_is_kept() {
        let (_root, dir) = plan_dir();
        let path = dir.path.join("actions/001-a.yaml");
        fs::write(&path, "one").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let changes = [Change::Replace {
            relative: "actions/001-a.yaml".into(),
            old: "one".into(),
            text: "two".into(),
        }];
        run(&dir, &changes, &mut Faults::default()).ok().unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_journal_too_large_to_read_back_is_never_written() {
        let (_root, dir) = plan_dir();
        let entry = Entry {
            target: "actions/000001-a.yaml".into(),
            old: None,
            new: Some(Version {
                ino: 1,
                len: 1,
                hash: 1,
            }),
            staged: Some("actions/.iisg-tx-1-0.new".into()),
            backup: None,
        };
        let journal = Journal {
            version: 1,
            folder: (0, 0),
            pid: 1,
            command: "iisg test".into(),
            entries: vec![entry; 100],
        };
        let whole = journal_text(&dir, &journal, MAX_JOURNAL).unwrap();
        assert!(whole.len() < 100 * 200, "{} bytes", whole.len());
        assert!(matches!(
            journal_text(&dir, &journal, whole.len() - 1),
            Err(WriteError::Refused { reason, .. }) if reason.contains("100 files")
        ));
    }

    #[test]
    fn many_files_are_removed_by_threads_and_a_missing_one_is_no_failure() {
        let (_root, dir) = plan_dir();
        let paths: Vec<PathBuf> = (0..1000)
            .map(|n| dir.path.join(format!("actions/.iisg-tx-1-{n}.old")))
            .collect();
        for path in paths.iter().skip(1) {
            fs::write(path, "old").unwrap();
        }
        remove_all(&paths.iter().map(PathBuf::as_path).collect::<Vec<_>>());
        assert_eq!(fs::read_dir(dir.path.join("actions")).unwrap().count(), 0);
    }

    #[test]
    fn leftover_names() {
        assert_eq!(leftover_pid(".iisg-tx-123-4.new"), Some(123));
        assert_eq!(leftover_pid(".iisg-tx-77-journal.tmp"), Some(77));
        assert_eq!(leftover_pid(".004-x.yaml.tmp555-0"), Some(555));
        assert_eq!(leftover_pid(".004-x.yaml.tmp555-"), None);
        assert_eq!(leftover_pid("004-x.yaml"), None);
        assert_eq!(leftover_pid(".gitkeep"), None);
    }

    /// Like [`remove_leftovers`], for the test's own process, which is alive.
    fn remove_leftovers_of_dead(folder: &Path, pid: u32) {
        for entry in fs::read_dir(folder).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if leftover_pid(&name) == Some(pid) && entry.file_type().unwrap().is_file() {
                fs::remove_file(entry.path()).unwrap();
            }
        }
    }

    /// A random change to a folder of files `f0`…`f5`.
    fn changes_strategy() -> impl Strategy<Value = Vec<(u8, u8, String)>> {
        prop::collection::vec((0u8..6, 0u8..3, "[a-z]{0,8}"), 1..6)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random sequences of transactions, each crashed at a random step or not, then
        /// recovered: the files always equal the state before or after each transaction.
        #[test]
        fn crashes_and_recovery_keep_whole_transactions(
            transactions in prop::collection::vec((changes_strategy(), prop::option::of(0usize..80)), 1..5)
        ) {
            let (_root, dir) = plan_dir();
            for (ops, crash) in transactions {
                let before = visible(&dir);
                let mut changes = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for (file, kind, text) in ops {
                    let relative = format!("actions/f{file}.yaml");
                    if !seen.insert(relative.clone()) {
                        continue;
                    }
                    changes.push(match (before.get(&relative), kind) {
                        (None, _) => Change::Create { relative, text },
                        (Some(old), 0) => Change::Remove { relative, old: old.clone() },
                        (Some(old), _) => Change::Replace { relative, old: old.clone(), text },
                    });
                }
                let mut faults = Faults { crash, ..Faults::default() };
                let _ = run(&dir, &changes, &mut faults);
                recover_now(&dir);
                remove_leftovers_of_dead(&dir.path, std::process::id());
                remove_leftovers_of_dead(&dir.path.join("actions"), std::process::id());
                let now = files(&dir);
                prop_assert!(now == before || now == after(&before, &changes),
                    "{:?} / {:?}", now, changes);
            }
        }
    }
}

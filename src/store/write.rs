//! Writing safely: a temporary file in the same folder, flushed and synced, then renamed over
//! the target (or linked to a new name that must not exist yet), under a lock on the plan's
//! folder. A kill at any instant leaves the old file or the new one, never a mix; leftover
//! temporary files are hidden and never read as records.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use super::DataDir;

/// Why a write was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target is outside the plan's folder, or a link that points elsewhere.
    #[error("refusing to write `{}`: {reason}", path.display())]
    Refused {
        /// The target.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file already exists (for a new record).
    #[error("`{}` already exists", .0.display())]
    Exists(PathBuf),
    /// The file changed on disk since it was read.
    #[error("`{}` changed on disk while iisg was working on it", .0.display())]
    Changed(PathBuf),
    /// The operating system said no (read-only folder, full disk, …); nothing was changed.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The target.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A change failed half-way and could not be undone: these files differ from before.
    #[error(
        "{cause}; the change could not be undone: {}; {note}",
        differ_list(differ)
    )]
    Partial {
        /// What stopped the change.
        cause: Box<WriteError>,
        /// Each file that now differs from before, with where its old contents are kept.
        differ: Vec<(String, Option<String>)>,
        /// What happens next.
        note: String,
    },
    /// Another iisg held the plan's lock for longer than `--lock-timeout`.
    #[error(
        "the plan's lock is still held by {holder} after {seconds} s; nothing was read or written"
    )]
    LockTimeout {
        /// Who holds it, as far as can be told.
        holder: String,
        /// How long iisg waited.
        seconds: u64,
    },
    /// An interrupted change was found and could not be completed or rolled back safely.
    #[error("an interrupted change (`{}`) cannot be resolved safely: {}", journal.display(), reasons.join("; "))]
    Unresolved {
        /// The journal, as shown.
        journal: PathBuf,
        /// Why not.
        reasons: Vec<String>,
    },
}

fn differ_list(differ: &[(String, Option<String>)]) -> String {
    if differ.is_empty() {
        return "no file differs".into();
    }
    differ
        .iter()
        .map(|(file, backup)| match backup {
            Some(backup) => format!("`{file}` (its old contents are in `{backup}`)"),
            None => format!("`{file}` (it is new)"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl DataDir {
    /// The path of `relative` inside the folder, refused when it would land elsewhere.
    ///
    /// # Errors
    /// When `relative` is absolute, climbs out with `..`, or its folder is a link out.
    pub fn inside(&self, relative: &str) -> Result<PathBuf, WriteError> {
        Inside::new(self).path(relative)
    }
}

/// Paths inside the plan's folder, each checked as [`DataDir::inside`] checks one, the
/// plan's folder and each folder found inside it resolved once: a change of 10,000 files
/// spares 20,000 walks of `readlink` calls.
pub(super) struct Inside<'a> {
    dir: &'a DataDir,
    root: Option<PathBuf>,
    /// The folders found inside it.
    resolved: HashSet<PathBuf>,
}

impl<'a> Inside<'a> {
    pub(super) fn new(dir: &'a DataDir) -> Self {
        Self {
            dir,
            root: None,
            resolved: HashSet::new(),
        }
    }

    /// As [`DataDir::inside`].
    pub(super) fn path(&mut self, relative: &str) -> Result<PathBuf, WriteError> {
        let refuse = |reason: &str| WriteError::Refused {
            path: PathBuf::from(relative),
            reason: reason.into(),
        };
        let path = Path::new(relative);
        if !path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(refuse("the path must stay inside the plan's folder"));
        }
        let target = self.dir.path.join(path);
        let root = match &self.root {
            Some(root) => root,
            None => self
                .root
                .insert(
                    fs::canonicalize(&self.dir.path).map_err(|source| WriteError::Io {
                        path: self.dir.path.clone(),
                        source,
                    })?,
                ),
        };
        if let Some(parent) = target.parent()
            && !self.resolved.contains(parent)
            && let Ok(resolved) = fs::canonicalize(parent)
        {
            if !resolved.starts_with(root) {
                return Err(refuse(
                    "its folder is a link that leads outside the plan's folder",
                ));
            }
            self.resolved.insert(parent.to_path_buf());
        }
        Ok(target)
    }
}

/// Refuses to go on unless the file at `target` still holds `read`, the text a command
/// read and decided on: someone else's change is never overwritten.
///
/// # Errors
/// [`WriteError::Changed`] when the file holds something else; [`WriteError::Io`] when it
/// cannot be read.
pub fn ensure_unchanged(target: &Path, read: &str) -> Result<(), WriteError> {
    let now = fs::read(target).map_err(|source| WriteError::Io {
        path: target.to_path_buf(),
        source,
    })?;
    if now != read.as_bytes() {
        return Err(WriteError::Changed(target.to_path_buf()));
    }
    Ok(())
}

/// Replaces `target` (a file outside the plan, such as an export) with `bytes`, atomically:
/// a kill leaves the old file or the new one. Only a regular file or a new name is
/// written: a link, folder, device, FIFO or socket is refused, untouched. The new file keeps
/// the old one's mode and owner.
///
/// # Errors
/// When the target is not a regular file, or the folder cannot be written (read-only, full
/// disk, …); the target is then untouched.
pub fn replace(target: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    replace_with(target, |file| {
        file.write_all(bytes).map_err(|source| WriteError::Io {
            path: target.to_path_buf(),
            source,
        })
    })
}

/// [`replace`], the new contents written by `write` as they are made, through a buffer
/// into the temporary file (which can seek, as a zip needs): an export of any size is never
/// held whole. Whatever `write` fails with — a full disk half-way, a refusal of its own —
/// the temporary file is removed and the target is untouched.
///
/// # Errors
/// [`replace`]'s, and whatever `write` returns.
pub fn replace_with<E: From<WriteError>>(
    target: &Path,
    write: impl FnOnce(&mut io::BufWriter<File>) -> Result<(), E>,
) -> Result<(), E> {
    let old = match fs::symlink_metadata(target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(WriteError::Io {
                path: target.to_path_buf(),
                source,
            }
            .into());
        }
    };
    if let Some(meta) = &old {
        let kind = meta.file_type();
        let what = if kind.is_symlink() {
            Some("it is a symbolic link; iisg does not write through links")
        } else if kind.is_dir() {
            Some("it is a folder")
        } else if !kind.is_file() {
            Some("it is not a regular file (a device, FIFO or socket)")
        } else {
            None
        };
        if let Some(reason) = what {
            return Err(WriteError::Refused {
                path: target.to_path_buf(),
                reason: reason.into(),
            }
            .into());
        }
    }
    let temporary = write_temporary(target, write, old.as_ref())?;
    fs::rename(&temporary, target).map_err(|source| {
        let _ = fs::remove_file(&temporary);
        WriteError::Io {
            path: target.to_path_buf(),
            source,
        }
    })?;
    sync_folder(target);
    Ok(())
}

impl DataDir {
    /// Whether `path` (absolute, or relative to the working directory) names the plan's
    /// folder or a place inside it, links resolved.
    #[must_use]
    pub fn contains(&self, path: &Path) -> bool {
        let Ok(root) = fs::canonicalize(&self.path) else {
            return false;
        };
        let resolved = fs::canonicalize(path).ok().or_else(|| {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?;
            Some(fs::canonicalize(parent).ok()?.join(path.file_name()?))
        });
        resolved.is_some_and(|p| p.starts_with(&root))
    }
}

/// Writes a new plan folder `root/data` holding `files` (paths inside it, with their texts),
/// all at once: everything goes into a hidden folder beside it, synced, which then takes
/// the name `data` in one rename. A plan that does not exist yet has no folder to keep a
/// journal in; the one rename is its commit. A kill leaves no plan or the whole plan, and the
/// hidden folder of a killed `init` is removed by the next one.
///
/// # Errors
/// When `root` or an empty `data` there is read-only, or the disk fails; nothing is left
/// then.
pub fn create_plan(root: &Path, files: &[(String, String)]) -> Result<PathBuf, WriteError> {
    let io = |path: &Path, source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = root.join("data");
    fs::create_dir_all(root).map_err(|e| io(root, e))?;
    ensure_writable(root)?;
    if target.exists() {
        ensure_writable(&target)?;
    }
    remove_dead_staging(root);
    let staging = root.join(format!(
        "{}init-{}",
        super::transaction::TEMPORARY_PREFIX,
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&staging);
    let written = (|| -> io::Result<()> {
        fs::create_dir(&staging)?;
        let mut folders = vec![staging.clone()];
        for sub in ["actions", "logframe", "forums"] {
            fs::create_dir_all(staging.join(sub))?;
            folders.push(staging.join(sub));
        }
        for (relative, text) in files {
            if !Path::new(relative)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
            {
                return Err(io::Error::other(format!("`{relative}` is not a plan file")));
            }
            let path = staging.join(relative);
            if let Some(parent) = path.parent()
                && !folders.iter().any(|f| f == parent)
            {
                fs::create_dir_all(parent)?;
                folders.push(parent.to_path_buf());
            }
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
        }
        for folder in &folders {
            File::open(folder)?.sync_all()?;
        }
        // An empty `data` is replaced by the rename itself.
        fs::rename(&staging, &target)?;
        File::open(root)?.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(io(&target, e));
    }
    Ok(target)
}

/// Removes the hidden folders that killed `init`s left in `root`.
fn remove_dead_staging(root: &Path) {
    let prefix = format!("{}init-", super::transaction::TEMPORARY_PREFIX);
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(pid) = name.strip_prefix(&prefix)
            && pid.bytes().all(|b| b.is_ascii_digit())
            && !Path::new(&format!("/proc/{pid}")).exists()
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// A new folder only this user can enter (mode 0700), under the system's temporary folder,
/// with a name nobody can guess: for copies of plan files that an editor opens.
///
/// # Errors
/// When no such folder can be made.
pub fn private_folder(prefix: &str) -> Result<PathBuf, WriteError> {
    use std::hash::{BuildHasher, Hasher};
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    let mut last = None;
    for _ in 0..16 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let path = base.join(format!("{prefix}{:016x}", hasher.finish()));
        // mkdir never follows a link, and fails on any name that exists.
        match fs::DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => return Ok(path),
            Err(e) => last = Some(e),
        }
    }
    Err(WriteError::Io {
        path: base,
        source: last.unwrap_or_else(|| io::Error::other("no free name")),
    })
}

/// Refuses a folder or file whose permissions say nobody may write it. The operating system
/// would let root write anyway; a plan marked read-only stays so for iisg, whoever runs it.
pub(super) fn ensure_writable(path: &Path) -> Result<(), WriteError> {
    match fs::metadata(path) {
        Ok(meta) => ensure_writable_as(path, &meta),
        Err(_) => Ok(()),
    }
}

/// [`ensure_writable`], for a file or folder whose metadata is at hand.
pub(super) fn ensure_writable_as(path: &Path, meta: &fs::Metadata) -> Result<(), WriteError> {
    use std::os::unix::fs::PermissionsExt;
    if meta.permissions().mode() & 0o222 == 0 {
        return Err(WriteError::Refused {
            path: path.to_path_buf(),
            reason: "it is read-only".into(),
        });
    }
    Ok(())
}

/// Writes a new hidden file beside `target` with `write`, flushed and synced, with the mode
/// and owner of `like` (the file it will replace) when there is one; removed again when
/// anything fails.
fn write_temporary<E: From<WriteError>>(
    target: &Path,
    write: impl FnOnce(&mut io::BufWriter<File>) -> Result<(), E>,
    like: Option<&fs::Metadata>,
) -> Result<PathBuf, E> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let io = |source| WriteError::Io {
        path: target.to_path_buf(),
        source,
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    ensure_writable(folder)?;
    if like.is_some() {
        ensure_writable(target)?;
    }
    for attempt in 0..100u32 {
        let temporary = folder.join(format!(
            "{}{}-w{attempt}.new",
            super::transaction::TEMPORARY_PREFIX,
            std::process::id()
        ));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary);
        let file = match file {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(e).into()),
        };
        // Removes the temporary file unless it is done: on an error, and on a panic in
        // `write` as well.
        let unfinished = Unfinished(Some(&temporary));
        let mut out = io::BufWriter::with_capacity(1 << 16, file);
        let written: Result<(), E> = (|| {
            if let Some(like) = like {
                let file = out.get_ref();
                let _ = std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid()));
                file.set_permissions(fs::Permissions::from_mode(like.mode() & 0o7777))
                    .map_err(io)?;
            }
            write(&mut out)?;
            let file = out.into_inner().map_err(|e| io(e.into_error()))?;
            file.sync_all().map_err(io)?;
            Ok(())
        })();
        written?;
        unfinished.done();
        return Ok(temporary);
    }
    Err(io(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name",
    ))
    .into())
}

/// A temporary file being written, removed when dropped before [`Unfinished::done`].
struct Unfinished<'a>(Option<&'a Path>);

impl Unfinished<'_> {
    fn done(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let Some(path) = self.0 {
            let _ = fs::remove_file(path);
        }
    }
}

/// Makes a rename durable; best effort, as not every file system supports it.
pub(super) fn sync_folder(target: &Path) {
    if let Some(folder) = target.parent()
        && let Ok(folder) = File::open(folder)
    {
        let _ = folder.sync_all();
    }
}

/// A file-name slug of a title: lower-case ASCII letters and digits joined by single hyphens,
/// at most `max` characters, cut at a hyphen. Never empty, never `.` or `..`, never a path.
#[must_use]
pub fn slug(title: &str, max: usize) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(fold_letter) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_string();
    if slug.len() > max {
        let cut = slug[..=max].rfind('-').filter(|&at| at > 0).unwrap_or(max);
        slug.truncate(cut);
        slug = slug.trim_end_matches('-').to_string();
    }
    if slug.is_empty() {
        "untitled".into()
    } else {
        slug
    }
}

/// Latin letters with marks as their plain letters (`č` → `c`, `ß` → `ss`), so that names of
/// the region keep their shape in a slug.
fn fold_letter(c: char) -> Vec<char> {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' | 'ĉ' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => return vec!['s', 's'],
        _ => {
            let lower: Vec<char> = c.to_lowercase().collect();
            return if lower.len() == 1 && lower[0] != c {
                fold_letter(lower[0])
            } else {
                vec![c]
            };
        }
    };
    vec![plain]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(title: &str, expected: &str) {
        assert_eq!(slug(title, 48), expected, "{title:?}");
    }

    #[test]
    fn slugs() {
        case("Joint Operation DRINO", "joint-operation-drino");
        case("Study visit(s) to JOO", "study-visit-s-to-joo");
        case("../../../etc/passwd", "etc-passwd");
        case("..", "untitled");
        case("", "untitled");
        case("🚀🚀", "untitled");
        case(
            "Obuka u Čačku – Šabac, Žabljak",
            "obuka-u-cacku-sabac-zabljak",
        );
        case("Straße", "strasse");
        case(
            "Joint Operation with executive powers on the territory of key WB countries",
            "joint-operation-with-executive-powers-on-the",
        );
        assert_eq!(slug(&"a".repeat(500), 48).len(), 48);
        assert!(slug(&"ab-".repeat(200), 48).len() <= 48);
    }

    #[test]
    fn replace_keeps_mode_and_leaves_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.md");
        replace(&target, b"one").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        replace(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn replace_with_failing_half_way_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.md");
        replace(&target, b"old").unwrap();
        let failed = replace_with(&target, |out| {
            out.write_all(&vec![b'x'; 200_000]).unwrap();
            Err(WriteError::Io {
                path: target.clone(),
                source: io::Error::other("the disk is full"),
            })
        });
        assert!(matches!(failed, Err(WriteError::Io { .. })));
        assert_eq!(fs::read(&target).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
        replace_with(&target, |out| {
            out.write_all(b"new").map_err(|source| WriteError::Io {
                path: target.clone(),
                source,
            })
        })
        .unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
    }

    #[test]
    fn replace_refuses_what_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        for target in [dir.path().to_path_buf(), PathBuf::from("/dev/null")] {
            assert!(matches!(
                replace(&target, b"x"),
                Err(WriteError::Refused { .. })
            ));
        }
        assert!(Path::new("/dev/null").exists());
    }

    #[test]
    fn private_folders() {
        use std::os::unix::fs::PermissionsExt;
        let a = private_folder("iisg-test-").unwrap();
        let b = private_folder("iisg-test-").unwrap();
        assert_ne!(a, b);
        assert_eq!(
            fs::metadata(&a).unwrap().permissions().mode() & 0o777,
            0o700
        );
        fs::remove_dir(a).unwrap();
        fs::remove_dir(b).unwrap();
    }

    #[test]
    fn paths_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir {
            path: dir.path().to_path_buf(),
            shown: "data".into(),
        };
        assert!(data.inside("actions/001-a.yaml").is_ok());
        assert!(data.inside("../x.yaml").is_err());
        assert!(data.inside("/etc/passwd").is_err());
        std::os::unix::fs::symlink("/tmp", dir.path().join("actions")).unwrap();
        assert!(data.inside("actions/001-a.yaml").is_err());
    }

    #[test]
    fn links_are_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.yaml");
        fs::write(&outside, "x").unwrap();
        let link = dir.path().join("a.yaml");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert!(matches!(
            replace(&link, b"y"),
            Err(WriteError::Refused { .. })
        ));
        assert_eq!(fs::read(&outside).unwrap(), b"x");
    }
}

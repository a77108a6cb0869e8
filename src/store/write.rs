//! Writing safely: a temporary file in the same folder, flushed and synced, then renamed over
//! the target (or linked to a new name that must not exist yet), under a lock on the plan's
//! folder. A kill at any instant leaves the old file or the new one, never a mix; leftover
//! temporary files are hidden and never read as records.

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
    /// The operating system said no (read-only folder, full disk, …).
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The target.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// An exclusive lock on the plan's folder, held while a command reads, decides and writes, so
/// two commands never take the same id or overwrite each other's change.
pub struct Lock {
    _file: File,
}

impl DataDir {
    /// Takes the plan's write lock, waiting for any other iisg that holds it.
    ///
    /// # Errors
    /// When the folder cannot be opened or locked.
    pub fn lock(&self) -> Result<Lock, WriteError> {
        let io = |source| WriteError::Io {
            path: self.path.clone(),
            source,
        };
        // Locking the folder itself leaves no lock file behind for git to see.
        let file = File::open(&self.path).map_err(io)?;
        file.lock().map_err(io)?;
        Ok(Lock { _file: file })
    }

    /// The path of `relative` inside the folder, refused when it would land elsewhere.
    ///
    /// # Errors
    /// When `relative` is absolute, climbs out with `..`, or its folder is a link out.
    pub fn inside(&self, relative: &str) -> Result<PathBuf, WriteError> {
        let refuse = |reason: &str| WriteError::Refused {
            path: PathBuf::from(relative),
            reason: reason.into(),
        };
        let path = Path::new(relative);
        if !path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(refuse("the path must stay inside the plan's folder"));
        }
        let target = self.path.join(path);
        let root = fs::canonicalize(&self.path).map_err(|source| WriteError::Io {
            path: self.path.clone(),
            source,
        })?;
        if let Some(parent) = target.parent()
            && let Ok(parent) = fs::canonicalize(parent)
            && !parent.starts_with(&root)
        {
            return Err(refuse(
                "its folder is a link that leads outside the plan's folder",
            ));
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

/// Replaces `target` with `bytes`, atomically. A target that is a symbolic link is refused
/// rather than followed.
///
/// # Errors
/// When the folder cannot be written (read-only, full disk, …); the target is then untouched.
pub fn replace(target: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(WriteError::Refused {
            path: target.to_path_buf(),
            reason: "it is a symbolic link; iisg does not write through links".into(),
        });
    }
    let temporary = write_temporary(target, bytes)?;
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

/// Creates `target` with `bytes`, atomically, only if no file has that name yet.
///
/// # Errors
/// [`WriteError::Exists`] when the name is taken; otherwise as [`replace`].
pub fn create(target: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let temporary = write_temporary(target, bytes)?;
    // A hard link never replaces an existing name: the whole file appears at once, or not.
    let linked = fs::hard_link(&temporary, target);
    let _ = fs::remove_file(&temporary);
    match linked {
        Ok(()) => {
            sync_folder(target);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(WriteError::Exists(target.to_path_buf()))
        }
        Err(source) => Err(WriteError::Io {
            path: target.to_path_buf(),
            source,
        }),
    }
}

/// Removes the file `target` (not what a link points to), durably.
///
/// # Errors
/// When its folder is read-only or the file cannot be removed.
pub fn remove(target: &Path) -> Result<(), WriteError> {
    ensure_writable(target.parent().unwrap_or(Path::new(".")))?;
    fs::remove_file(target).map_err(|source| WriteError::Io {
        path: target.to_path_buf(),
        source,
    })?;
    sync_folder(target);
    Ok(())
}

/// Refuses a folder or file whose permissions say nobody may write it. The operating system
/// would let root write anyway; a plan marked read-only stays so for iisg, whoever runs it.
fn ensure_writable(path: &Path) -> Result<(), WriteError> {
    use std::os::unix::fs::PermissionsExt;
    match fs::metadata(path) {
        Ok(meta) if meta.permissions().mode() & 0o222 == 0 => Err(WriteError::Refused {
            path: path.to_path_buf(),
            reason: "it is read-only".into(),
        }),
        _ => Ok(()),
    }
}

/// Writes `bytes` to a new hidden file beside `target`, flushed and synced.
fn write_temporary(target: &Path, bytes: &[u8]) -> Result<PathBuf, WriteError> {
    let io = |source| WriteError::Io {
        path: target.to_path_buf(),
        source,
    };
    let folder = target.parent().unwrap_or(Path::new("."));
    ensure_writable(folder)?;
    ensure_writable(target)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    for attempt in 0..100u32 {
        let temporary = folder.join(format!(".{name}.tmp{}-{attempt}", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary);
        let mut file = match file {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(e)),
        };
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            drop(file);
            let _ = fs::remove_file(&temporary);
            return Err(io(e));
        }
        return Ok(temporary);
    }
    Err(io(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name",
    )))
}

/// Makes a rename durable; best effort, as not every file system supports it.
fn sync_folder(target: &Path) {
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
    fn create_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.yaml");
        create(&target, b"one").unwrap();
        assert!(matches!(
            create(&target, b"two"),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(fs::read(&target).unwrap(), b"one");
        replace(&target, b"three").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"three");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
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

//! Reading a file that someone names on the command line (a table to import): only a regular
//! file, never more than a cap, and never waiting on a FIFO or a device.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rustix::fs::{Mode, OFlags};

/// Why an input file was refused.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The operating system said no.
    #[error("{0}")]
    Io(#[source] std::io::Error),
    /// A FIFO, device, socket or folder.
    #[error("it is not a regular file (a {0}); name a file that holds the table")]
    NotAFile(&'static str),
    /// Larger than the cap.
    #[error("it is {size} bytes, more than the {cap} a table of actions may have")]
    TooLarge {
        /// Its size, as far as it was read.
        size: u64,
        /// The cap.
        cap: u64,
    },
}

/// The bytes of the regular file at `path`, at most `cap` of them. It is opened without
/// waiting (a FIFO nobody writes to answers at once), its kind and size are asked of the
/// open file, and no more than `cap` + 1 bytes are read even if it grows meanwhile.
///
/// # Errors
/// When it cannot be opened, is not a regular file, or is larger than `cap`.
pub fn read_input(path: &Path, cap: u64) -> Result<Vec<u8>, InputError> {
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK;
    let file = File::from(
        rustix::fs::open(path, flags, Mode::empty()).map_err(|e| InputError::Io(e.into()))?,
    );
    let meta = file.metadata().map_err(InputError::Io)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        use std::os::unix::fs::FileTypeExt;
        return Err(InputError::NotAFile(if kind.is_dir() {
            "folder"
        } else if kind.is_fifo() {
            "FIFO"
        } else if kind.is_socket() {
            "socket"
        } else {
            "device"
        }));
    }
    if meta.len() > cap {
        return Err(InputError::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_cap() {
        assert!(matches!(
            read_input(Path::new("/dev/zero"), 10),
            Err(InputError::NotAFile("device"))
        ));
        assert!(matches!(
            read_input(Path::new("/tmp"), 10),
            Err(InputError::NotAFile("folder"))
        ));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.tsv");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_input(&path, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_input(&path, 9),
            Err(InputError::TooLarge { size: 10, cap: 9 })
        ));
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(matches!(
            read_input(&fifo, 10),
            Err(InputError::NotAFile("FIFO"))
        ));
    }
}

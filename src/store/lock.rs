//! The plan's lock: an `flock` on the plan's folder itself (so no lock file is left for git
//! to see). Writers hold it exclusively while they read, decide and write; readers hold it
//! shared, so that they never see half of a change another command is making. A command
//! that has to wait says who holds the lock, and gives up after a time limit.

use std::fs::{File, TryLockError};
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};

use super::{DataDir, Recovered, WriteError};

/// The plan's lock, held until dropped: exclusive ([`DataDir::lock`]) or shared
/// ([`DataDir::read_lock`]).
pub struct Lock {
    _file: File,
    /// The interrupted change that taking the lock resolved, if there was one.
    pub recovered: Option<Recovered>,
}

/// How long to wait for the lock, and whom to tell that iisg is waiting.
pub struct Wait<'a> {
    /// How long to wait at most.
    pub timeout: Duration,
    /// Called once, when the lock is not free at once: who holds it.
    pub waiting: &'a mut dyn FnMut(&str),
}

/// How long a command waits in silence before it says that it waits.
const QUIET: Duration = Duration::from_millis(300);

impl DataDir {
    /// Takes the plan's write lock, waiting as `wait` says for any other iisg that holds
    /// it; then resolves a change that a killed iisg left half-made, and removes the
    /// temporary files such writers left behind.
    ///
    /// # Errors
    /// When the folder cannot be opened or locked, the wait times out, or an interrupted
    /// change cannot be resolved safely.
    pub fn lock_waiting(&self, mut wait: Wait) -> Result<Lock, WriteError> {
        let file = self.take(true, &mut wait)?;
        let recovered = super::recover(self)?;
        for folder in ["", "actions", "logframe", "forums"] {
            super::transaction::remove_leftovers(&self.path.join(folder));
        }
        Ok(Lock {
            _file: file,
            recovered,
        })
    }

    /// [`DataDir::lock_waiting`], waiting up to a minute, in silence.
    ///
    /// # Errors
    /// As [`DataDir::lock_waiting`].
    pub fn lock(&self) -> Result<Lock, WriteError> {
        self.lock_waiting(Wait {
            timeout: Duration::from_secs(60),
            waiting: &mut |_| {},
        })
    }

    /// Takes the plan's lock shared, for a command that only reads: it waits while a writer
    /// holds the lock, so it reads the plan before a change or after it, never in between.
    ///
    /// # Errors
    /// When the folder cannot be opened or locked, or the wait times out.
    pub fn read_lock(&self, mut wait: Wait) -> Result<Lock, WriteError> {
        Ok(Lock {
            _file: self.take(false, &mut wait)?,
            recovered: None,
        })
    }

    fn take(&self, exclusive: bool, wait: &mut Wait) -> Result<File, WriteError> {
        let io = |source| WriteError::Io {
            path: self.path.clone(),
            source,
        };
        let file = File::open(&self.path).map_err(io)?;
        let start = Instant::now();
        let mut told = false;
        loop {
            let tried = if exclusive {
                file.try_lock()
            } else {
                file.try_lock_shared()
            };
            match tried {
                Ok(()) => return Ok(file),
                Err(TryLockError::Error(e)) => return Err(io(e)),
                Err(TryLockError::WouldBlock) => {}
            }
            let waited = start.elapsed();
            if waited >= wait.timeout {
                return Err(WriteError::LockTimeout {
                    holder: holder(&file),
                    seconds: waited.as_secs(),
                });
            }
            if !told && waited >= QUIET {
                (wait.waiting)(&holder(&file));
                told = true;
            }
            std::thread::sleep(Duration::from_millis(20).min(wait.timeout.saturating_sub(waited)));
        }
    }
}

/// Who holds the lock on this open folder, as Linux's `/proc/locks` tells: the command, its
/// process id and since when; "another iisg" where that cannot be told.
fn holder(file: &File) -> String {
    let Ok(meta) = file.metadata() else {
        return "another iisg".into();
    };
    let locks = std::fs::read_to_string("/proc/locks").unwrap_or_default();
    let pid = locks.lines().find_map(|line| {
        // `1: FLOCK  ADVISORY  WRITE 4127 08:02:1234567 0 EOF`; waiters have `->`.
        let fields: Vec<&str> = line.split_whitespace().collect();
        let at = fields.iter().position(|f| *f == "FLOCK")?;
        if fields.get(1) == Some(&"->") {
            return None;
        }
        let pid: u32 = fields.get(at + 3)?.parse().ok()?;
        let inode: u64 = fields.get(at + 4)?.rsplit(':').next()?.parse().ok()?;
        (inode == meta.ino() && pid != std::process::id()).then_some(pid)
    });
    let Some(pid) = pid else {
        return "another iisg".into();
    };
    let command = std::fs::read(format!("/proc/{pid}/cmdline")).map_or_else(
        |_| "iisg".into(),
        |raw| {
            let mut words = raw
                .split(|&b| b == 0)
                .filter(|w| !w.is_empty())
                .map(|w| String::from_utf8_lossy(w).to_string());
            let program = words.next().unwrap_or_default();
            let program = program.rsplit('/').next().unwrap_or_default().to_string();
            std::iter::once(program)
                .chain(words.take(3))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    let since = std::fs::metadata(format!("/proc/{pid}"))
        .ok()
        .and_then(|m| chrono::DateTime::from_timestamp(m.ctime(), 0))
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format(" since %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default();
    format!("`{command}`, pid {pid}{since}")
}

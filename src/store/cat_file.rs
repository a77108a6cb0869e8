//! One long-lived `git cat-file --batch-command` for every blob a command reads: each
//! blob's size is asked first (`info`), and only a blob no larger than a plan file is read
//! (`contents`), so a huge blob in the history never reaches memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use super::git::GitError;
use super::{Blob, MAX_FILE_BYTES};

/// Requests written before their answers are read: small enough that the commands always fit
/// in the pipe to git (64 KiB on Linux) while git fills the pipe back, so neither side waits
/// on the other.
const CHUNK: usize = 256;

/// A running `git cat-file --batch-command`.
#[derive(Debug)]
pub struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    /// Starts one in the repository at `root`.
    ///
    /// # Errors
    /// When git cannot be run.
    pub fn start(root: &Path) -> Result<Self, GitError> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "core.deltaBaseCacheLimit=4m",
                "cat-file",
                "--batch-command",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(GitError::Missing)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(failed("no pipe to git"));
        };
        Ok(Self {
            child,
            stdin,
            stdout: BufReader::with_capacity(64 * 1024, stdout),
        })
    }

    /// The blobs with these ids, in order: each one's text, or [`Blob::TooLarge`] (unread)
    /// when it is larger than a plan file.
    ///
    /// # Errors
    /// When git fails, or an id names no blob.
    pub fn blobs(&mut self, oids: &[&str]) -> Result<Vec<Blob>, GitError> {
        let mut blobs = Vec::with_capacity(oids.len());
        for chunk in oids.chunks(CHUNK) {
            let sizes = self.sizes(chunk)?;
            let readable: Vec<&str> = chunk
                .iter()
                .zip(&sizes)
                .filter(|&(_, &size)| size <= MAX_FILE_BYTES)
                .map(|(oid, _)| *oid)
                .collect();
            let mut texts = self.contents(&readable)?.into_iter();
            for size in sizes {
                blobs.push(if size > MAX_FILE_BYTES {
                    Blob::TooLarge(size)
                } else {
                    Blob::Text(texts.next().unwrap_or_default())
                });
            }
        }
        Ok(blobs)
    }

    /// One blob, as [`CatFile::blobs`] reads it.
    ///
    /// # Errors
    /// As [`CatFile::blobs`].
    pub fn blob(&mut self, oid: &str) -> Result<Blob, GitError> {
        Ok(self.blobs(&[oid])?.pop().unwrap_or(Blob::TooLarge(0)))
    }

    /// The sizes of these blobs (at most [`CHUNK`]).
    fn sizes(&mut self, oids: &[&str]) -> Result<Vec<u64>, GitError> {
        self.send("info", oids)?;
        let mut sizes = Vec::with_capacity(oids.len());
        for _ in oids {
            sizes.push(self.header()?);
        }
        Ok(sizes)
    }

    /// The bytes of these blobs (at most [`CHUNK`]), each known to be small.
    fn contents(&mut self, oids: &[&str]) -> Result<Vec<Vec<u8>>, GitError> {
        if oids.is_empty() {
            return Ok(Vec::new());
        }
        self.send("contents", oids)?;
        let mut texts = Vec::with_capacity(oids.len());
        for _ in oids {
            let size = self.header()?;
            if size > MAX_FILE_BYTES {
                return Err(failed("a blob grew between two questions"));
            }
            let mut bytes = vec![0; usize::try_from(size).unwrap_or_default() + 1];
            self.stdout
                .read_exact(&mut bytes)
                .map_err(|e| failed(&e.to_string()))?;
            bytes.pop(); // the newline after the contents
            texts.push(bytes);
        }
        Ok(texts)
    }

    fn send(&mut self, command: &str, oids: &[&str]) -> Result<(), GitError> {
        let mut input = String::with_capacity(oids.len() * 50);
        for oid in oids {
            // An id is hex; anything else would be a second command.
            if oid.is_empty() || !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(failed(&format!("`{oid}` is not an object id")));
            }
            input.push_str(command);
            input.push(' ');
            input.push_str(oid);
            input.push('\n');
        }
        self.stdin
            .write_all(input.as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| failed(&e.to_string()))
    }

    /// Reads `<oid> blob <size>`: the size.
    fn header(&mut self) -> Result<u64, GitError> {
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .map_err(|e| failed(&e.to_string()))?;
        let mut words = line.split_ascii_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(_), Some("blob"), Some(size)) => {
                size.parse().map_err(|_| failed("unexpected output"))
            }
            _ => Err(failed(&format!("not a blob: {}", line.trim_end()))),
        }
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Closing its input ends it; a git that is still writing is stopped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn failed(message: &str) -> GitError {
    GitError::Failed {
        command: "cat-file --batch-command".into(),
        message: message.into(),
    }
}

//! Reading the plan as it was at a git revision, through the `git` command: never by
//! checking anything out, so the working tree is left alone.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::{Blob, DataDir, MAX_FILE_BYTES, Plan};

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The `git` program is not installed or not on `PATH`.
    #[error("cannot run `git`: {0}")]
    Missing(std::io::Error),
    /// The plan's folder is not inside a git repository.
    #[error("`{}` is not inside a git repository", .0.display())]
    NotARepository(PathBuf),
    /// The revision names no commit.
    #[error("unknown revision `{0}`: it names no commit of this repository")]
    UnknownRevision(String),
    /// Git ran and failed.
    #[error("`git {command}` failed: {message}")]
    Failed {
        /// The git subcommand.
        command: String,
        /// What git said.
        message: String,
    },
}

/// The repository that holds a plan's folder.
#[derive(Debug)]
pub struct Repo {
    /// The top of the working tree.
    root: PathBuf,
    /// The plan's folder relative to `root`, with `/` after it (empty at the root).
    prefix: String,
    /// The plan's folder, for loading plans at revisions.
    dir: DataDir,
}

/// One commit as `git log` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The full hash.
    pub hash: String,
    /// The parents' hashes, the first parent first; none for a root commit.
    pub parents: Vec<String>,
    /// The author's name.
    pub author: String,
    /// The author date, strict ISO 8601.
    pub date: String,
    /// The first line of the message.
    pub subject: String,
}

/// The files of a plan's folder that a plan is made of.
const PLAN_FILES: [&str; 7] = [
    "plan.yaml",
    "partners.yaml",
    "funding.yaml",
    "locations.yaml",
    "forums",
    "actions",
    "logframe",
];

impl Repo {
    /// The repository holding the plan's folder `dir`.
    ///
    /// # Errors
    /// When git is missing or the folder is in no repository.
    pub fn open(dir: &DataDir) -> Result<Self, GitError> {
        let output = git_in(&dir.path, &["rev-parse", "--show-toplevel"])?;
        if !output.status.success() {
            return Err(GitError::NotARepository(dir.path.clone()));
        }
        let root = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim_end());
        let not_inside = || GitError::NotARepository(dir.path.clone());
        let data = dir.path.canonicalize().map_err(|_| not_inside())?;
        let top = root.canonicalize().map_err(|_| not_inside())?;
        let relative = data.strip_prefix(&top).map_err(|_| not_inside())?;
        let mut prefix = relative.to_string_lossy().to_string();
        if !prefix.is_empty() {
            prefix.push('/');
        }
        Ok(Self {
            root: top,
            prefix,
            dir: dir.clone(),
        })
    }

    /// The full hash of the commit a revision names (`HEAD~1`, a branch, a tag, a hash).
    ///
    /// # Errors
    /// [`GitError::UnknownRevision`] when it names none.
    pub fn commit(&self, revision: &str) -> Result<String, GitError> {
        let unknown = || GitError::UnknownRevision(revision.to_string());
        // A revision starting with `-` would be read as an option.
        if revision.starts_with('-') {
            return Err(unknown());
        }
        let spec = format!("{revision}^{{commit}}");
        let output = self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ])?;
        if !output.status.success() {
            return Err(unknown());
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    /// The whole plan as it was at `commit`; what cannot be read is in its `problems`.
    ///
    /// # Errors
    /// When git fails.
    pub fn plan_at(&self, commit: &str) -> Result<Plan, GitError> {
        let entries = self.tree(commit, &PLAN_FILES)?;
        // Only the blobs that can be plan files are read: git tells each one's size first.
        let readable: Vec<&str> = entries
            .iter()
            .filter(|e| e.readable())
            .map(|e| e.oid.as_str())
            .collect();
        let mut blobs = self.blobs(&readable)?.into_iter();
        let files: Vec<(String, Blob)> = entries
            .into_iter()
            .map(|entry| {
                let blob = if entry.link {
                    Blob::Link
                } else if entry.size > MAX_FILE_BYTES {
                    Blob::TooLarge(entry.size)
                } else {
                    Blob::Text(blobs.next().unwrap_or_default())
                };
                (entry.path, blob)
            })
            .collect();
        Ok(Plan::from_blobs(self.dir.clone(), files))
    }

    /// The files under `folders` of the plan's folder at `commit`, with their blobs' ids
    /// and sizes (read from the tree, before any blob is).
    ///
    /// # Errors
    /// When git fails.
    pub fn tree(&self, commit: &str, folders: &[&str]) -> Result<Vec<TreeEntry>, GitError> {
        let mut args = vec!["ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--"];
        let specs: Vec<String> = folders
            .iter()
            .map(|f| format!("{}{f}", self.prefix))
            .collect();
        args.extend(specs.iter().map(String::as_str));
        let output = self.checked(&args)?;
        Ok(parse_tree(&output, &self.prefix))
    }

    /// The contents of these blobs, in order, read by one `git cat-file --batch`.
    ///
    /// # Errors
    /// When git fails or a blob is missing.
    pub fn blobs(&self, oids: &[&str]) -> Result<Vec<Vec<u8>>, GitError> {
        if oids.is_empty() {
            return Ok(Vec::new());
        }
        let failed = |message: String| GitError::Failed {
            command: "cat-file --batch".into(),
            message,
        };
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(GitError::Missing)?;
        let input = oids.join("\n") + "\n";
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| failed("no input".into()))?;
        // Written from another thread: git answers while it reads, and a full pipe each way
        // would otherwise stop both.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let mut bytes = Vec::new();
        if let Some(mut stdout) = child.stdout.take() {
            stdout
                .read_to_end(&mut bytes)
                .map_err(|e| failed(e.to_string()))?;
        }
        let _ = writer.join();
        let status = child.wait().map_err(|e| failed(e.to_string()))?;
        if !status.success() {
            return Err(failed(format!("exit status {status}")));
        }
        parse_batch(&bytes, oids.len()).ok_or_else(|| failed("unexpected output".into()))
    }

    /// The commits that changed the plan's `folder` (`actions`), newest first.
    ///
    /// # Errors
    /// When git fails.
    pub fn commits(&self, folder: &str) -> Result<Vec<Commit>, GitError> {
        if self.commit("HEAD").is_err() {
            return Ok(Vec::new()); // a repository with no commit yet
        }
        let path = format!("{}{folder}", self.prefix);
        let output = self.checked(&[
            "log",
            "-z",
            "--format=%H%x09%P%x09%an%x09%aI%x09%s",
            "HEAD",
            "--",
            &path,
        ])?;
        let text = String::from_utf8_lossy(&output);
        let commits = text
            .split('\0')
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| {
                let mut parts = line.trim_start_matches('\n').splitn(5, '\t');
                let hash = parts.next()?.to_string();
                let parents = parts.next()?.split(' ').filter(|p| !p.is_empty());
                Some(Commit {
                    hash,
                    parents: parents.map(ToString::to_string).collect(),
                    author: parts.next()?.to_string(),
                    date: parts.next()?.to_string(),
                    subject: parts.next().unwrap_or_default().to_string(),
                })
            })
            .collect();
        Ok(commits)
    }

    /// Commits exactly `files` (inside the plan's folder) as they are now, with `message`:
    /// `git add -- FILES`, then `git commit -- FILES`, so that nothing else staged or
    /// changed goes in. The author is git's configured one, or `fallback` (name, email) when
    /// git has none. The new commit's hash.
    ///
    /// # Errors
    /// When git fails (nothing to commit, a hook refuses, no repository).
    pub fn commit_files(
        &self,
        files: &[&str],
        message: &str,
        fallback: (&str, &str),
    ) -> Result<String, GitError> {
        let paths: Vec<String> = files
            .iter()
            .map(|f| format!("{}{f}", self.prefix))
            .collect();
        let mut add = vec!["add", "--"];
        add.extend(paths.iter().map(String::as_str));
        self.checked(&add)?;
        let configured = |key: &str| {
            self.git(&["config", "--get", key])
                .is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty())
        };
        let name = format!("user.name={}", fallback.0);
        let email = format!("user.email={}", fallback.1);
        let mut commit: Vec<&str> = Vec::new();
        if !configured("user.name") {
            commit.extend(["-c", &name]);
        }
        if !configured("user.email") {
            commit.extend(["-c", &email]);
        }
        commit.extend(["commit", "--quiet", "-m", message, "--"]);
        commit.extend(paths.iter().map(String::as_str));
        self.checked(&commit)?;
        let head = self.checked(&["rev-parse", "HEAD"])?;
        Ok(String::from_utf8_lossy(&head).trim().to_string())
    }

    fn git(&self, args: &[&str]) -> Result<Output, GitError> {
        git_in(&self.root, args)
    }

    /// Runs git; its standard output when it succeeds.
    fn checked(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        let output = self.git(args)?;
        if !output.status.success() {
            return Err(GitError::Failed {
                command: args.first().copied().unwrap_or_default().to_string(),
                message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            });
        }
        Ok(output.stdout)
    }
}

/// Runs git in a folder.
fn git_in(folder: &Path, args: &[&str]) -> Result<Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Missing)
}

/// The entries of `git ls-tree -r -z -l` output under `prefix`, the rest left out: blobs
/// only, each with its size (or `u64::MAX` when git gives none), links marked.
#[must_use]
pub fn parse_tree(output: &[u8], prefix: &str) -> Vec<TreeEntry> {
    let mut entries = Vec::new();
    for record in output.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ').filter(|m| !m.is_empty());
        let (Some(mode), Some("blob"), Some(oid), Some(size)) =
            (meta.next(), meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        if let Some(relative) = path.strip_prefix(prefix) {
            entries.push(TreeEntry {
                path: relative.to_string(),
                oid: oid.to_string(),
                size: size.parse().unwrap_or(u64::MAX),
                link: mode == "120000",
            });
        }
    }
    entries
}

/// A file of a commit's tree, as `git ls-tree -l` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    /// Its path inside the plan's folder (`actions/001-x.yaml`).
    pub path: String,
    /// Its blob's id.
    pub oid: String,
    /// Its size in bytes.
    pub size: u64,
    /// Whether it is a symbolic link (whose blob is the path it points to).
    pub link: bool,
}

impl TreeEntry {
    /// Whether its blob may be read as a plan file: not a link, and no larger than one.
    #[must_use]
    pub fn readable(&self) -> bool {
        !self.link && self.size <= MAX_FILE_BYTES
    }
}

/// Splits `git cat-file --batch` output (`<oid> blob <size>\n<bytes>\n` per object) into the
/// objects' bytes; `None` when it is not `count` blobs.
#[must_use]
pub fn parse_batch(mut bytes: &[u8], count: usize) -> Option<Vec<Vec<u8>>> {
    let mut blobs = Vec::with_capacity(count);
    while !bytes.is_empty() {
        let header_end = bytes.iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&bytes[..header_end]).ok()?;
        let size: usize = header.rsplit(' ').next()?.parse().ok()?;
        let start = header_end + 1;
        blobs.push(bytes.get(start..start + size)?.to_vec());
        bytes = bytes.get(start + size + 1..)?;
    }
    (blobs.len() == count).then_some(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_output_gives_sizes_and_links() {
        let out = b"100644 blob aaa     120\tdata/actions/001-a.yaml\0\
                    120000 blob bbb      17\tdata/actions/002-b.yaml\0\
                    160000 commit ccc       -\tdata/sub\0\
                    100644 blob ddd       5\tother/x.yaml\0";
        let entries = parse_tree(out, "data/");
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].size, entries[0].link), (120, false));
        assert_eq!(entries[1].path, "actions/002-b.yaml");
        assert!(entries[1].link && !entries[1].readable());
    }

    #[test]
    fn batch_output_splits_into_blobs() {
        let out = b"aaa blob 3\nabc\nbbb blob 0\n\nccc blob 2\n\n\n\n";
        assert_eq!(
            parse_batch(out, 3),
            Some(vec![b"abc".to_vec(), Vec::new(), b"\n\n".to_vec()])
        );
        assert_eq!(parse_batch(b"aaa missing\n", 1), None);
        assert_eq!(parse_batch(out, 2), None);
    }
}

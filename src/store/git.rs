//! Reading the plan as it was at a git revision, through the `git` command: never by
//! checking anything out, so the working tree is left alone.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::cat_file::CatFile;
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

/// Two versions of a plan, as much of each as differs.
#[derive(Debug)]
pub struct Versions {
    /// The older version: the files that differ, and `plan.yaml`.
    pub old: Plan,
    /// The newer version, likewise; `None` for the working tree.
    pub new: Option<Plan>,
    /// The files (as shown) that are the same in both, left out of the comparison.
    pub unchanged: HashSet<String>,
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

/// A blob as a tree or a diff names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobRef {
    /// Its id.
    pub oid: String,
    /// Whether it is a symbolic link (whose blob is the path it points to, never read).
    pub link: bool,
}

/// One file that differs between two trees (a commit and its first parent, or two
/// revisions), as `git diff --raw` gives it: renames are a removal and an addition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Its path inside the plan's folder (`actions/001-x.yaml`).
    pub path: String,
    /// The older tree's blob; `None` when the file was added.
    pub old: Option<BlobRef>,
    /// The newer tree's blob; `None` when the file was removed, or is the working tree's.
    pub new: Option<BlobRef>,
}

/// One commit of a walk, with the files it changed against its first parent.
#[derive(Clone, Debug)]
pub struct Step {
    /// The commit (its parents rewritten to the nearest ones that changed the paths walked).
    pub commit: Commit,
    /// The files it changed against its first parent (against nothing for a root commit).
    pub changes: Vec<FileChange>,
}

/// The files of a plan's folder that a plan is made of.
pub const PLAN_FILES: [&str; 7] = [
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

    /// The two versions of the plan that `changes` compares, read from one `git diff`:
    /// of each, only the files that differ (and `plan.yaml`), each blob's size checked
    /// before it is read. With no `until` the newer version is the working tree, for the
    /// caller to read: `new` is `None`.
    ///
    /// # Errors
    /// When git fails.
    pub fn versions(&self, since: &str, until: Option<&str>) -> Result<Versions, GitError> {
        let diff = self.diff(since, until, &PLAN_FILES)?;
        let changed: HashSet<&str> = diff.iter().map(|c| c.path.as_str()).collect();
        let tree = self.tree(since, &PLAN_FILES)?;
        // plan.yaml is read at both sides for the summary's date; when the diff does not name
        // it, it is the same blob at both.
        let plan_file: Vec<(String, BlobRef)> = tree
            .iter()
            .filter(|e| e.path == "plan.yaml" && !changed.contains("plan.yaml"))
            .map(|e| {
                let blob = BlobRef {
                    oid: e.oid.clone(),
                    link: e.link,
                };
                (e.path.clone(), blob)
            })
            .collect();
        let mut cat = self.cat_file()?;
        let mut side = |pick: &dyn Fn(&FileChange) -> Option<BlobRef>| -> Result<Plan, GitError> {
            let mut files: Vec<(String, BlobRef)> = diff
                .iter()
                .filter_map(|c| Some((c.path.clone(), pick(c)?)))
                .collect();
            files.extend(plan_file.iter().cloned());
            self.plan_of(&mut cat, &files)
        };
        let old = side(&|c| c.old.clone())?;
        let new = until.map(|_| side(&|c| c.new.clone())).transpose()?;
        // What `since` has and the diff does not name is the same in the newer version.
        let unchanged = tree
            .into_iter()
            .filter(|e| !changed.contains(e.path.as_str()))
            .map(|e| self.dir.show(&e.path))
            .collect();
        Ok(Versions {
            old,
            new,
            unchanged,
        })
    }

    /// The plan made of these files alone (paths inside the plan's folder and their blobs):
    /// links are never read, nor blobs larger than a plan file; what cannot be read is in
    /// its problems.
    ///
    /// # Errors
    /// When git fails.
    pub fn plan_of(
        &self,
        cat: &mut CatFile,
        files: &[(String, BlobRef)],
    ) -> Result<Plan, GitError> {
        let readable: Vec<&str> = files
            .iter()
            .filter(|(_, b)| !b.link)
            .map(|(_, b)| b.oid.as_str())
            .collect();
        let mut blobs = cat.blobs(&readable)?.into_iter();
        let files: Vec<(String, Blob)> = files
            .iter()
            .map(|(path, b)| {
                let blob = if b.link {
                    Blob::Link
                } else {
                    blobs.next().unwrap_or(Blob::Link)
                };
                (path.clone(), blob)
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

    /// A long-lived reader of this repository's blobs.
    ///
    /// # Errors
    /// When git cannot be run.
    pub fn cat_file(&self) -> Result<CatFile, GitError> {
        CatFile::start(&self.root)
    }

    /// Walks the commits of `HEAD` that changed `paths` (inside the plan's folder), children
    /// before their parents, in one `git log --raw` read as it streams: `visit` gets each
    /// commit with the files it changed against its first parent, and may stop the walk.
    /// A repository with no commit has none.
    ///
    /// # Errors
    /// When git fails.
    pub fn walk(
        &self,
        paths: &[&str],
        mut visit: impl FnMut(Step) -> Result<ControlFlow<()>, GitError>,
    ) -> Result<(), GitError> {
        if self.commit("HEAD").is_err() {
            return Ok(());
        }
        let failed = |message: String| GitError::Failed {
            command: "log".into(),
            message,
        };
        let mut child = self.log_command(paths).spawn().map_err(GitError::Missing)?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| failed("no output".into()))?;
        let mut stream = Tokens(BufReader::with_capacity(64 * 1024, stdout));
        let mut current: Option<Step> = None;
        let mut stopped = false;
        while let Some(token) = stream.next().map_err(|e| failed(e.to_string()))? {
            if let Some(hash) = token.strip_prefix(b"\x01") {
                if let Some(step) = current.take()
                    && visit(step)?.is_break()
                {
                    stopped = true;
                    break;
                }
                let mut field = || -> Result<String, GitError> {
                    let bytes = stream.next().map_err(|e| failed(e.to_string()))?;
                    Ok(String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned())
                };
                let parents = field()?;
                current = Some(Step {
                    commit: Commit {
                        hash: String::from_utf8_lossy(hash).into_owned(),
                        parents: parents
                            .split(' ')
                            .filter(|p| !p.is_empty())
                            .map(Into::into)
                            .collect(),
                        author: field()?,
                        date: field()?,
                        subject: field()?,
                    },
                    changes: Vec::new(),
                });
            } else if token.trim_ascii_start().starts_with(b":") {
                let path = stream
                    .next()
                    .map_err(|e| failed(e.to_string()))?
                    .unwrap_or_default();
                if let (Some(step), Some(change)) =
                    (current.as_mut(), self.file_change(&token, &path))
                {
                    step.changes.push(change);
                }
            }
        }
        if !stopped && let Some(step) = current.take() {
            let _ = visit(step)?;
        }
        if stopped {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(());
        }
        let mut message = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = stderr.read_to_string(&mut message);
        }
        let status = child.wait().map_err(|e| failed(e.to_string()))?;
        if !status.success() {
            return Err(failed(message.trim().to_string()));
        }
        Ok(())
    }

    /// The `git log` of [`Repo::walk`]: first-parent raw diffs, no rename detection, full ids,
    /// parents rewritten to the commits shown, children before parents.
    fn log_command(&self, paths: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.root)
            .args([
                "--literal-pathspecs",
                "-c",
                "log.showSignature=false",
                // git's cache of delta bases (96 MB by default) is most of its memory on a
                // long history; a small one costs no measurable time here.
                "-c",
                "core.deltaBaseCacheLimit=4m",
                "log",
            ])
            .args([
                "--raw",
                "-z",
                "--no-renames",
                "--no-abbrev",
                "--no-color",
                "--root",
                "--diff-merges=first-parent",
                "--parents",
                "--topo-order",
                "--format=%x01%H%x00%P%x00%an%x00%aI%x00%s%x00",
                "HEAD",
                "--",
            ])
            .args(self.specs(paths))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// The files under `paths` that differ from `since` to `until` (a revision, or the
    /// working tree when `None`), in one `git diff --raw`. Against the working tree a
    /// changed file's new blob is `None`: it is read from disk; files git does not track
    /// are not listed.
    ///
    /// # Errors
    /// When git fails.
    pub fn diff(
        &self,
        since: &str,
        until: Option<&str>,
        paths: &[&str],
    ) -> Result<Vec<FileChange>, GitError> {
        let mut args = vec![
            "--literal-pathspecs",
            "diff",
            "--raw",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--no-color",
            "--no-ext-diff",
            since,
        ];
        args.extend(until);
        args.push("--");
        let specs = self.specs(paths);
        args.extend(specs.iter().map(String::as_str));
        let output = self.checked(&args)?;
        let mut tokens = output.split(|&b| b == 0);
        let mut changes = Vec::new();
        while let Some(token) = tokens.next() {
            if token.trim_ascii_start().starts_with(b":") {
                let path = tokens.next().unwrap_or_default();
                changes.extend(self.file_change(token, path));
            }
        }
        Ok(changes)
    }

    /// The paths inside the plan's folder as full-tree pathspecs.
    fn specs(&self, paths: &[&str]) -> Vec<String> {
        paths
            .iter()
            .map(|p| format!("{}{p}", self.prefix))
            .collect()
    }

    /// One `:old-mode new-mode old new status` entry and its path; `None` outside the plan's
    /// folder or for what is not a file (a submodule).
    fn file_change(&self, meta: &[u8], path: &[u8]) -> Option<FileChange> {
        let meta = std::str::from_utf8(meta.trim_ascii_start().strip_prefix(b":")?).ok()?;
        let mut words = meta.split(' ');
        let (old_mode, new_mode) = (words.next()?, words.next()?);
        let (old_oid, new_oid) = (words.next()?, words.next()?);
        let side = |mode: &str, oid: &str| {
            let zero = oid.bytes().all(|b| b == b'0');
            (matches!(mode, "100644" | "100755" | "120000") && !zero).then(|| BlobRef {
                oid: oid.to_string(),
                link: mode == "120000",
            })
        };
        let path = String::from_utf8_lossy(path);
        let path = path.strip_prefix(&self.prefix)?.to_string();
        let (old, new) = (side(old_mode, old_oid), side(new_mode, new_oid));
        // Against the working tree the new side is all zeros: "read it from disk".
        let worktree = new_mode != "000000" && new.is_none() && new_mode != "160000";
        (old.is_some() || new.is_some() || worktree).then_some(FileChange { path, old, new })
    }

    /// Commits exactly `files` (inside the plan's folder) as they are now, with `message`:
    /// `git add -- FILES`, then `git commit -- FILES`, so that nothing else staged or
    /// changed goes in. The author is `author` (name, email) when given, else git's
    /// configured one; the committer is git's configured one; `fallback` (name, email)
    /// stands in for whichever git has none of. The new commit's hash.
    ///
    /// # Errors
    /// When git fails (nothing to commit, a hook refuses, no repository).
    pub fn commit_files(
        &self,
        files: &[&str],
        message: &str,
        author: Option<(&str, &str)>,
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
        let author = author.map(|(name, email)| format!("--author={name} <{email}>"));
        commit.extend(["commit", "--quiet"]);
        commit.extend(author.as_deref());
        commit.extend(["-m", message, "--"]);
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

/// Reads NUL-separated tokens as they stream.
struct Tokens<R>(R);

impl<R: BufRead> Tokens<R> {
    fn next(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut token = Vec::new();
        if self.0.read_until(0, &mut token)? == 0 {
            return Ok(None);
        }
        if token.last() == Some(&0) {
            token.pop();
        }
        Ok(Some(token))
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
    fn raw_entries_give_both_sides_of_a_change() {
        let dir = DataDir {
            path: PathBuf::from("/x/data"),
            shown: "data".into(),
        };
        let repo = Repo {
            root: PathBuf::from("/x"),
            prefix: "data/".into(),
            dir,
        };
        let zero = "0".repeat(40);
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let added = format!(":000000 100644 {zero} {a} A");
        let change = repo.file_change(added.as_bytes(), b"data/actions/001-a.yaml");
        let change = change.unwrap();
        assert_eq!(change.path, "actions/001-a.yaml");
        assert!(change.old.is_none() && !change.new.unwrap().link);
        let link = format!("\n:100644 120000 {a} {b} T");
        let change = repo
            .file_change(link.as_bytes(), b"data/plan.yaml")
            .unwrap();
        assert!(change.new.unwrap().link);
        // Outside the plan's folder, or a submodule: nothing.
        assert!(
            repo.file_change(added.as_bytes(), b"other/x.yaml")
                .is_none()
        );
        let module = format!(":000000 160000 {zero} {a} A");
        assert!(repo.file_change(module.as_bytes(), b"data/sub").is_none());
    }
}

//! A small builder: a temporary plan, some files, a command line, and what it must give.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A minimal plan that every test starts from: a period, an `as_of`, and small registries.
pub const PLAN: &str =
    "title: Test plan\nperiod:\n  start: 2018-07\n  end: 2019-12\nas_of: 2019-02-26\n";
pub const PARTNERS: &str = "partners:\n  - code: DCAF\n    name: Geneva Centre for the Democratic Control of Armed Forces\n    aliases: [DCAF Ljubljana]\n  - code: EUROPOL\n    name: European Union Agency for Law Enforcement Cooperation\n  - code: FRONTEX\n    name: European Border and Coast Guard Agency\n";
pub const FUNDING: &str =
    "funding:\n  - code: IPA-II-2017\n    name: IPA II 2017\n  - code: GIZ\n    name: GIZ\n";
pub const LOCATIONS: &str = "locations:\n  - code: WB\n    name: Western Balkans\n  - code: ALB\n    name: Albania\n    within: [WB]\n  - code: GRC\n    name: Greece\n    aliases: [GRE]\n  - code: ALB-GRE\n    name: Albania–Greece border\n    within: [ALB, GRC]\n";

/// An action file with these fields; the rest are filled with plain values.
pub fn action(id: u32, title: &str, status: &str, timeline: &str) -> String {
    format!(
        "id: {id}\ntitle: {title}\nlead: [DCAF]\ninvolved: [EUROPOL, FRONTEX]\nlocations: [ALB-GRE]\nscope: Border police\ntimeline: {timeline}\nstatus: {status}\nfinancing: [IPA-II-2017, GIZ]\n"
    )
}

pub struct Test {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    cwd: Option<PathBuf>,
    env: Vec<(String, String)>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    /// A temporary folder holding `data/` with the minimal plan and registries.
    pub fn new() -> Self {
        Self::empty()
            .file("plan.yaml", PLAN)
            .file("partners.yaml", PARTNERS)
            .file("funding.yaml", FUNDING)
            .file("locations.yaml", LOCATIONS)
    }

    /// A temporary folder with an empty `data/`.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        Self {
            dir,
            args: Vec::new(),
            cwd: None,
            env: Vec::new(),
        }
    }

    /// The minimal plan with 800 actions of one title at one place under two leads: 160,000
    /// look-alike pairs, more than `report --overlaps` lists.
    pub fn look_alikes() -> Self {
        let mut test = Self::new();
        for id in 1..=800 {
            let mut text = action(id, "Joint Operation DRINO", "planned", "May 2019");
            if id % 2 == 0 {
                text = text.replace("lead: [DCAF]", "lead: [EUROPOL]");
                text = text.replace("involved: [EUROPOL, FRONTEX]", "involved: [FRONTEX]");
            }
            test = test.file(&format!("actions/{id:03}-drino.yaml"), text);
        }
        test
    }

    /// A copy of the shipped plan.
    pub fn shipped() -> Self {
        let test = Self::empty();
        copy_dir(&shipped_data(), &test.data());
        test
    }

    /// A copy of the shipped plan in a new git repository, committed as "Ship the plan".
    pub fn repo() -> Self {
        let test = Self::shipped();
        test.git(&["init", "-q"]);
        test.commit("Ship the plan");
        test
    }

    /// Runs git in the temporary root, with a fixed identity and no user configuration;
    /// panics when it fails. Its standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(self.dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Commits everything under the root.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Writes a file under `data/`.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.data().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Runs from this folder (relative to the temporary root) instead of the root.
    pub fn cwd(mut self, relative: &str) -> Self {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(&path).unwrap();
        self.cwd = Some(path);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs the binary; panics if the exit code is not `code`.
    pub fn status(&self, code: i32) -> Output {
        let output = self.run();
        assert_eq!(
            output.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            output.stdout, output.stderr
        );
        output
    }

    pub fn run(&self) -> Output {
        self.run_with(
            &self.args.iter().map(String::as_str).collect::<Vec<_>>(),
            &[],
        )
    }

    /// Runs the binary with these arguments instead of the builder's (for several runs over
    /// one folder).
    pub fn run_in(test: &Self, args: &[&str]) -> Output {
        test.run_with(args, &[])
    }

    /// Runs the binary with these arguments and extra environment variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_iisg"));
        command
            .args(args)
            .current_dir(self.cwd.as_deref().unwrap_or(self.dir.path()))
            .env_remove("IISG_DATA")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100");
        for (key, value) in &self.env {
            command.env(key, value);
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Every file under the root with its bytes, to prove a command changed nothing.
    pub fn snapshot_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        self.snapshot_files_except(&[])
    }

    /// As [`Test::snapshot_files`], leaving out these paths (a FIFO would never be read).
    pub fn snapshot_files_except(&self, skip: &[&Path]) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        walk(self.dir.path(), &mut files, skip);
        files.sort();
        files
    }
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

/// Makes a FIFO at `path` (with mkfifo(1)).
pub fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// The `data/` folder that ships with the tool.
pub fn shipped_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn walk(dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>, skip: &[&Path]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if skip.contains(&entry.path().as_path()) {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            walk(&entry.path(), files, skip);
        } else {
            files.push((
                entry.path(),
                std::fs::read(entry.path()).unwrap_or_default(),
            ));
        }
    }
}

/// `iisg ARGS` on a real terminal: a tmux session of its own, `width` × `height`, in the
/// test's root, colour off; the session ends when this is dropped.
pub struct Terminal {
    session: String,
}

impl Terminal {
    /// Starts `iisg args` (a shell word list) in a new tmux session.
    pub fn start(test: &Test, args: &str, (width, height): (u16, u16)) -> Self {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        assert!(
            Command::new("tmux").arg("-V").output().is_ok(),
            "tmux is needed for this test: apt-get install tmux"
        );
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let terminal = Self {
            session: format!("iisg-test-{}-{n}", std::process::id()),
        };
        let script = format!(
            "cd {} && NO_COLOR=1 {} {args}; echo EXIT=$?; sleep 30",
            test.dir.path().display(),
            env!("CARGO_BIN_EXE_iisg")
        );
        let (width, height) = (width.to_string(), height.to_string());
        terminal.tmux(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width,
            "-y",
            &height,
            &script,
        ]);
        terminal
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.session])
            .args(args)
            .output()
            .unwrap()
    }

    /// What the screen shows now.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-t", "t", "-p"]).stdout).to_string()
    }

    /// Waits (up to 5 s) until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&self, text: &str) {
        for _ in 0..100 {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("{text:?} never appeared:\n{}", self.screen());
    }

    /// Types `text` as it is (no key names).
    pub fn type_text(&self, text: &str) {
        if !text.is_empty() {
            self.tmux(&["send-keys", "-t", "t", "-l", text]);
        }
    }

    /// Presses keys by name (`Enter`, `Tab`, `BSpace`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Waits for `prompt`, then types `answer` and Enter.
    pub fn answer(&self, prompt: &str, answer: &str) {
        self.wait_for(prompt);
        self.type_text(answer);
        self.keys(&["Enter"]);
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

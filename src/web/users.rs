//! Who may come in: the users file of `iisg serve --users FILE`.
//!
//! Each person has a name, an email (a commit's author with `--commit`), a role (`viewer`
//! reads; `editor` also writes) and a token, kept only as its SHA-256. A token is 32 bytes
//! from the operating system's randomness: a secret that strong needs no slow password
//! hash, and SHA-256 (the `sha2` crate, `RustCrypto`'s) is what GitHub and others keep of
//! their API tokens. The file is YAML, written whole by `iisg serve user add|remove`:
//!
//! ```yaml
//! users:
//!   - name: Ana Novak
//!     email: ana@example.org
//!     role: editor
//!     token: sha256:1f0e…
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::guard;
use crate::error::Error;

/// How a token starts, so that a secret scanner (or a person) knows one when it sees it.
pub const TOKEN_PREFIX: &str = "iisg-";
/// How a kept hash starts.
const HASH_PREFIX: &str = "sha256:";
/// The largest users file read.
const MAX_FILE: u64 = 1024 * 1024;

/// What a person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads every page and the API.
    Viewer,
    /// Reads, and changes the plan.
    Editor,
}

impl Role {
    /// The role as the file and the API write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
        }
    }
}

/// One person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// As a commit's author names them.
    pub name: String,
    /// As a commit's author gives it.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// `sha256:` and the hex of their token's SHA-256.
    pub token: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    users: Vec<User>,
}

/// The people of a users file, as read.
#[derive(Clone, Debug, Default)]
pub struct Users {
    /// Everyone, in the file's order.
    pub users: Vec<User>,
}

/// The SHA-256 of `token`, as the file keeps it.
#[must_use]
pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut kept = String::with_capacity(HASH_PREFIX.len() + 64);
    kept.push_str(HASH_PREFIX);
    for byte in digest {
        kept.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        kept.push(char::from_digit(u32::from(byte & 15), 16).unwrap_or('0'));
    }
    kept
}

impl Users {
    /// Reads the users file at `path`.
    ///
    /// # Errors
    /// When it cannot be read, is larger than 1 MiB, is not a users file, or names one
    /// person twice.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let refused = |why: String| Error::Refused {
            message: format!("cannot use the users file `{}`: {why}", path.display()),
            help: Some(format!(
                "make one with `iisg serve user add NAME --email E --role editor --users {}`",
                path.display()
            )),
        };
        let meta = std::fs::metadata(path).map_err(|e| refused(e.to_string()))?;
        if !meta.is_file() {
            return Err(refused("it is not a regular file".into()));
        }
        if meta.len() > MAX_FILE {
            return Err(refused(format!("it is larger than {MAX_FILE} bytes")));
        }
        let text = std::fs::read_to_string(path).map_err(|e| refused(e.to_string()))?;
        let file: File = serde_saphyr::from_str(&text).map_err(|e| {
            // serde-saphyr's message quotes no value of the file beyond its position.
            refused(crate::render::terminal::clean(&e.to_string()).into_owned())
        })?;
        for (index, user) in file.users.iter().enumerate() {
            check_person(&user.name, &user.email).map_err(|e| refused(e.to_string()))?;
            let hex = user.token.strip_prefix(HASH_PREFIX).unwrap_or_default();
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(refused(format!(
                    "the token of `{}` is not kept as `sha256:` and 64 hex digits",
                    user.name
                )));
            }
            if file.users[..index].iter().any(|u| u.name == user.name) {
                return Err(refused(format!("`{}` is named twice", user.name)));
            }
        }
        Ok(Self { users: file.users })
    }

    /// Reads the file at `path`, or none when there is no file yet.
    ///
    /// # Errors
    /// As [`Users::read`], but for a missing file.
    pub fn read_or_new(path: &Path) -> Result<Self, Error> {
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            _ => Self::read(path),
        }
    }

    /// The person whose token is `token`. Every kept hash is compared, each in constant
    /// time, so how long it takes does not tell how close a guess came.
    #[must_use]
    pub fn find(&self, token: &str) -> Option<&User> {
        self.find_hash(&hash(token))
    }

    /// The person whose kept hash is `kept`, compared as [`Users::find`] does.
    #[must_use]
    pub fn find_hash(&self, kept: &str) -> Option<&User> {
        let mut found = None;
        for user in &self.users {
            if guard::same(user.token.as_bytes(), kept.as_bytes()) && found.is_none() {
                found = Some(user);
            }
        }
        found
    }

    /// Adds a person with a new token, or gives one already there a new token (and the
    /// email and role given); the token, to be told once.
    ///
    /// # Errors
    /// When the name or email cannot be a commit's author, or there is no randomness.
    pub fn add(&mut self, name: &str, email: &str, role: Role) -> Result<String, Error> {
        check_person(name, email)?;
        let token = format!("{TOKEN_PREFIX}{}", guard::token()?);
        let user = User {
            name: name.to_string(),
            email: email.to_string(),
            role,
            token: hash(&token),
        };
        match self.users.iter_mut().find(|u| u.name == name) {
            Some(old) => *old = user,
            None => self.users.push(user),
        }
        Ok(token)
    }

    /// Takes the person named `name` out; whether there was one.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.users.len();
        self.users.retain(|u| u.name != name);
        self.users.len() < before
    }

    /// Writes the file whole, atomically, readable by its owner only.
    ///
    /// # Errors
    /// When it cannot be written.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let mut text = String::from(
            "# Who may open the plan with `iisg serve --users FILE`: name, email, role\n\
             # (viewer reads; editor also changes the plan) and each token's SHA-256.\n\
             # Written by `iisg serve user add|remove`; keep it outside the plan's folder.\n",
        );
        if self.users.is_empty() {
            text.push_str("users: []\n");
        } else {
            text.push_str("users:\n");
            for user in &self.users {
                let _ = write!(
                    text,
                    "  - name: {}\n    email: {}\n    role: {}\n    token: {}\n",
                    quoted(&user.name),
                    quoted(&user.email),
                    user.role.as_str(),
                    user.token
                );
            }
        }
        crate::store::replace(path, text.as_bytes())?;
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }
}

/// A YAML double-quoted scalar of `text` (which [`check_person`] has kept free of control
/// characters).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Refuses a name or email that cannot be a git author: empty, with control characters or
/// angle brackets, or an email without one `@`.
fn check_person(name: &str, email: &str) -> Result<(), Error> {
    let bad = |text: &str| {
        text.trim().is_empty()
            || text.len() > 200
            || text.trim() != text
            || text
                .chars()
                .any(|c| c.is_control() || matches!(c, '<' | '>'))
    };
    if bad(name) {
        return Err(Error::BadArgument(format!(
            "the name `{}` cannot be a commit's author: it is empty, too long, or holds a \
             control character or `<` `>`",
            crate::render::terminal::clean(name)
        )));
    }
    if bad(email) || email.contains(char::is_whitespace) || email.matches('@').count() != 1 {
        return Err(Error::BadArgument(format!(
            "`{}` is not an email address",
            crate::render::terminal::clean(email)
        )));
    }
    Ok(())
}

/// The users file as last read, read again when it changes on disk: a person taken out, or
/// given another role, is so at their next request.
#[derive(Debug)]
pub struct Kept {
    path: PathBuf,
    state: std::sync::Mutex<(Stamp, Result<Arc<Users>, String>)>,
}

impl Kept {
    /// Reads the file at `path` for the first time.
    ///
    /// # Errors
    /// As [`Users::read`].
    pub fn new(path: PathBuf) -> Result<Self, Error> {
        let users = Users::read(&path)?;
        Ok(Self {
            state: std::sync::Mutex::new((stamp(&path), Ok(Arc::new(users)))),
            path,
        })
    }

    /// Everyone as the file says now; why not, when it can no longer be read (then no one
    /// comes in).
    pub fn now(&self) -> Result<Arc<Users>, String> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = stamp(&self.path);
        if now != state.0 || now.is_none() {
            *state = (
                now,
                Users::read(&self.path)
                    .map(Arc::new)
                    .map_err(|e| e.to_string()),
            );
        }
        state.1.clone()
    }
}

/// When the file last changed, and its length.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_found_by_its_hash_only() {
        let mut users = Users::default();
        let ana = users
            .add("Ana Novak", "ana@example.org", Role::Editor)
            .unwrap();
        let ben = users.add("Ben", "ben@example.org", Role::Viewer).unwrap();
        assert!(ana.starts_with(TOKEN_PREFIX) && ana.len() == TOKEN_PREFIX.len() + 64);
        assert_eq!(users.find(&ana).unwrap().name, "Ana Novak");
        assert_eq!(users.find(&ben).unwrap().role, Role::Viewer);
        assert!(users.find("iisg-0").is_none());
        assert!(users.find(&users.users[0].token.clone()).is_none());
        assert!(!users.users.iter().any(|u| u.token.contains(&ana[5..])));
    }

    #[test]
    fn written_and_read_back_it_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.yaml");
        let mut users = Users::read_or_new(&path).unwrap();
        users
            .add("Ana \"A\" Novak", "ana@example.org", Role::Editor)
            .unwrap();
        users
            .add("Ben: B", "ben@example.org", Role::Viewer)
            .unwrap();
        users.write(&path).unwrap();
        let read = Users::read(&path).unwrap();
        assert_eq!(read.users, users.users);
        assert!(users.remove("Ben: B") && !users.remove("Ben: B"));
    }

    #[test]
    fn a_name_or_email_that_is_no_author_is_refused() {
        let mut users = Users::default();
        for (name, email) in [
            ("", "a@b"),
            ("A <x@y>", "a@b"),
            ("A\nB", "a@b"),
            ("A", "ab"),
            ("A", "a b@c"),
            ("A", "a@b@c"),
        ] {
            assert!(
                users.add(name, email, Role::Viewer).is_err(),
                "{name:?} {email:?}"
            );
        }
        assert!(users.users.is_empty());
    }
}

//! The plan kept in memory while the server runs, and kept live: a watcher of the plan's
//! folder marks what changed, a request re-reads only that (and first stats the folders,
//! so that a change renamed into place, as every iisg write is, shows at the very next
//! request), and open pages ask `/api/version` whether to offer a reload.
//!
//! Each request is answered from one snapshot of the plan, swapped whole when something
//! changed: it never sees half of a change, and holds no lock while it renders.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{
    Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::{Failure, Site, blocking, typed};
use crate::error::Error;
use crate::render;
use crate::store::{
    self, Actions, DataDir, Listed, Marks, Plan, PlanCache, SourceFile, Texts, Touch,
};

/// The script that tells an open page of a change, inside the binary.
pub const SCRIPT: &str = include_str!("live.js");

/// How long the watcher waits for a burst of changes (a checkout, an import) to end before
/// it reads them; a request reads them at once all the same.
const SETTLE: Duration = Duration::from_millis(50);
/// The longest a burst is waited for.
const SETTLE_MAX: Duration = Duration::from_millis(500);

/// One version of the plan, as every request between two changes sees it.
#[derive(Debug)]
pub struct Snapshot {
    /// The plan, every action read, as [`Plan::read`] reads it.
    pub plan: Plan,
    /// The plan's version: it changes when a file does.
    pub version: String,
    /// The stamps of the plan's folders as the plan was read.
    listed: Listed,
}

/// A plan read afresh from the files under the shared lock, as a form reads it, with the
/// version of the plan in memory at that moment: never newer than what it holds, so that
/// an open form is told of any change after it. Or the plan in memory itself, with its
/// own version, for a page that needs no file's text.
pub struct Read {
    /// The plan.
    held: Held,
    /// The plan's version, when it could be had.
    pub version: Option<String>,
}

enum Held {
    Own(Box<Plan>),
    Shared(Arc<Snapshot>),
}

impl std::ops::Deref for Read {
    type Target = Plan;

    fn deref(&self) -> &Plan {
        match &self.held {
            Held::Own(plan) => plan,
            Held::Shared(now) => &now.plan,
        }
    }
}

/// The plan in memory as it is now (every change seen), as a [`Read`]: for the pages of
/// the registries, which read every action to count what uses an entry, without reading
/// 100,000 files again for each.
///
/// # Errors
/// When the plan cannot be had.
pub fn in_memory(site: &Site) -> Result<Read, Failure> {
    let now = site.cache.snapshot()?;
    Ok(Read {
        version: Some(now.version.clone()),
        held: Held::Shared(now),
    })
}

/// Reads the plan afresh from the files, as `actions` and `texts` say (a form needs the
/// text of the record it edits).
///
/// # Errors
/// When the plan's shared lock is not had in time.
pub fn afresh(site: &Site, actions: Actions, texts: Texts) -> Result<Read, Failure> {
    let _lock = site.read_lock()?;
    let plan = Plan::read(site.dir.clone(), actions, texts);
    // Under the same lock: no iisg writes in between.
    let version = site.cache.snapshot().ok().map(|now| now.version.clone());
    Ok(Read {
        held: Held::Own(Box::new(plan)),
        version,
    })
}

/// The plan in memory, and what watches its folder.
pub struct Cache {
    inner: Arc<Inner>,
    /// Dropped with the cache, which stops the watching.
    _watcher: Option<Mutex<RecommendedWatcher>>,
    /// Why the folder is not watched, when it is not.
    unwatched: Option<String>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("unwatched", &self.unwatched)
            .finish_non_exhaustive()
    }
}

struct Inner {
    dir: DataDir,
    lock_timeout: Duration,
    /// No watcher: every request stats every file.
    polling: AtomicBool,
    /// The plan now; `None` only while it is made anew (or after that panicked: then the
    /// next request reads the whole plan again).
    now: RwLock<Option<Arc<Snapshot>>>,
    /// The files as last read; held while the plan is made anew, one request at a time.
    state: Mutex<PlanCache>,
    /// What the watcher (or a write of the server's) marked since the last look.
    marked: Mutex<Marks>,
    /// Whether anything is marked: the one thing a request asks before it answers from the
    /// plan it has, besides four `lstat`s.
    dirty: AtomicBool,
    /// Woken when the watcher marks something.
    wake: Condvar,
    /// Counts the watcher's marks, to tell when a burst has ended.
    marks_seen: AtomicU64,
    /// Counts the times files were read anew (for the tests).
    refreshes: AtomicU64,
}

/// A lock whose holder panicked is still good: the state it guards is swapped whole.
fn hold<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Cache {
    /// Reads the whole plan in `dir` under its shared lock, and starts watching the folder;
    /// when it cannot be watched (too many watches on this system), every request stats
    /// the files instead ([`Cache::unwatched`] says why).
    ///
    /// # Errors
    /// When the lock is not had within `lock_timeout`.
    pub fn new(dir: DataDir, lock_timeout: Duration) -> Result<Self, Error> {
        Self::watching(dir, lock_timeout, true)
    }

    /// [`Cache::new`], not watching unless `watching`.
    fn watching(dir: DataDir, lock_timeout: Duration, watching: bool) -> Result<Self, Error> {
        let (cache, plan) = {
            let _lock = read_lock(&dir, lock_timeout)?;
            PlanCache::read(dir.clone())
        };
        let now = snapshot(&cache, plan);
        let inner = Arc::new(Inner {
            dir,
            lock_timeout,
            polling: AtomicBool::new(false),
            now: RwLock::new(Some(now)),
            state: Mutex::new(cache),
            marked: Mutex::new(Marks::default()),
            dirty: AtomicBool::new(false),
            wake: Condvar::new(),
            marks_seen: AtomicU64::new(0),
            refreshes: AtomicU64::new(0),
        });
        let started = if watching {
            watch(&inner)
        } else {
            Err(notify::Error::generic("not asked to"))
        };
        let (watcher, unwatched) = match started {
            Ok(watcher) => {
                let settler = Arc::clone(&inner);
                std::thread::spawn(move || settle(&settler));
                (Some(Mutex::new(watcher)), None)
            }
            Err(e) => {
                inner.polling.store(true, Ordering::Relaxed);
                (None, Some(e.to_string()))
            }
        };
        Ok(Self {
            inner,
            _watcher: watcher,
            unwatched,
        })
    }

    /// Why the plan's folder is not watched, when it is not.
    #[must_use]
    pub fn unwatched(&self) -> Option<&str> {
        self.unwatched.as_deref()
    }

    /// The plan as it is now: what changed since the last request read anew first.
    ///
    /// # Errors
    /// When something changed and the plan's shared lock is not had in time.
    pub fn snapshot(&self) -> Result<Arc<Snapshot>, Error> {
        self.inner.snapshot(Marks::default())
    }

    /// The plan as it is now, `file` (one the last snapshot read) stat'ed again first: for
    /// an answer that quotes the file's bytes beside its record (an `ETag`).
    ///
    /// # Errors
    /// As [`Cache::snapshot`].
    pub fn snapshot_with(&self, file: &SourceFile) -> Result<Arc<Snapshot>, Error> {
        let mut marks = Marks::default();
        if let Ok(relative) = file.path().strip_prefix(&self.inner.dir.path) {
            marks.note(relative, Touch::Content);
        }
        self.inner.snapshot(marks)
    }

    /// Notes the files a write of the server's own changed (paths in the plan's folder):
    /// the next request reads them anew.
    pub fn wrote<'a>(&self, paths: impl IntoIterator<Item = &'a str>) {
        let mut marks = Marks::default();
        marks.wrote(paths);
        self.inner.mark(marks);
    }

    /// How many times files were read anew since the start.
    #[cfg(test)]
    fn refreshes(&self) -> u64 {
        self.inner.refreshes.load(Ordering::Relaxed)
    }
}

impl Inner {
    fn snapshot(&self, marks: Marks) -> Result<Arc<Snapshot>, Error> {
        // The plan it has, unless something is marked or a folder moved.
        if marks.is_empty()
            && !self.polling.load(Ordering::Relaxed)
            && !self.dirty.load(Ordering::Acquire)
        {
            let now = read(&self.now).clone();
            if let Some(now) = now.filter(|now| !now.listed.moved(&self.dir)) {
                return Ok(now);
            }
        }
        self.refresh(marks)
    }

    /// Reads anew what is marked, and what moved, one request at a time.
    fn refresh(&self, mut marks: Marks) -> Result<Arc<Snapshot>, Error> {
        let mut cache = hold(&self.state);
        marks.add(self.take_marked());
        if self.polling.load(Ordering::Relaxed) {
            marks.everything = true;
        }
        marks.add(cache.moved());
        let now = read(&self.now).clone();
        if let Some(now) = now.filter(|_| marks.is_empty()) {
            return Ok(now);
        }
        let lock = match read_lock(&self.dir, self.lock_timeout) {
            Ok(lock) => lock,
            Err(e) => {
                // Looked at again by the next request.
                self.mark(marks);
                return Err(e);
            }
        };
        let Some(last) = write(&self.now).take() else {
            let (fresh, plan) = PlanCache::read(self.dir.clone());
            drop(lock);
            *cache = fresh;
            return Ok(self.swap(&cache, plan));
        };
        let update = cache.check(&marks);
        drop(lock);
        if update.is_empty() {
            *write(&self.now) = Some(Arc::clone(&last));
            return Ok(last);
        }
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        // Unshared, the last plan gives its records up; else they are copied.
        let last = Arc::try_unwrap(last).map_or_else(|shared| shared.plan.clone(), |s| s.plan);
        let plan = cache.apply(last, update);
        Ok(self.swap(&cache, plan))
    }

    /// Makes `plan` the plan now.
    fn swap(&self, cache: &PlanCache, plan: Plan) -> Arc<Snapshot> {
        let now = snapshot(cache, plan);
        *write(&self.now) = Some(Arc::clone(&now));
        now
    }

    /// Adds `marks` to what the next request (or the watcher's thread) reads anew.
    fn mark(&self, marks: Marks) {
        let mut marked = hold(&self.marked);
        marked.add(marks);
        self.dirty.store(true, Ordering::Release);
    }

    fn take_marked(&self) -> Marks {
        let mut marked = hold(&self.marked);
        self.dirty.store(false, Ordering::Release);
        std::mem::take(&mut *marked)
    }
}

fn snapshot(cache: &PlanCache, plan: Plan) -> Arc<Snapshot> {
    Arc::new(Snapshot {
        plan,
        version: format!("{:016x}", cache.version()),
        listed: cache.listed(),
    })
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

fn read_lock(dir: &DataDir, timeout: Duration) -> Result<store::Lock, Error> {
    Ok(dir.read_lock(store::Wait {
        timeout,
        waiting: &mut |_| {},
    })?)
}

/// Watches the plan's folder and all below it, not following links (iisg reads none),
/// marking what each event may have changed.
fn watch(inner: &Arc<Inner>) -> notify::Result<RecommendedWatcher> {
    let config = notify::Config::default().with_follow_symlinks(false);
    let marking = Arc::downgrade(inner);
    let root = inner.dir.path.clone();
    let mut watcher = RecommendedWatcher::new(
        move |event: notify::Result<notify::Event>| {
            if let Some(inner) = marking.upgrade() {
                inner.saw(&root, event);
            }
        },
        config,
    )?;
    watcher.watch(&inner.dir.path, RecursiveMode::Recursive)?;
    Ok(watcher)
}

impl Inner {
    /// Marks what a watcher's event may have changed; an error, or events lost, mark
    /// everything.
    fn saw(&self, root: &Path, event: notify::Result<notify::Event>) {
        let mut marks = Marks::default();
        match event {
            Ok(event) if event.need_rescan() => marks.everything = true,
            Ok(event) => {
                let touch = match event.kind {
                    // Reading (iisg's own, too) changes nothing; a file closed after writing
                    // was modified, and says so again.
                    EventKind::Access(AccessKind::Close(AccessMode::Write)) => Touch::Content,
                    EventKind::Access(_) => return,
                    EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(_)) => Touch::Entry,
                    EventKind::Modify(_) | EventKind::Any | EventKind::Other => Touch::Content,
                };
                for path in &event.paths {
                    if let Ok(relative) = path.strip_prefix(root) {
                        marks.note(relative, touch);
                    }
                }
            }
            Err(_) => marks.everything = true,
        }
        if marks.is_empty() {
            return;
        }
        self.mark(marks);
        self.marks_seen.fetch_add(1, Ordering::Relaxed);
        self.wake.notify_one();
    }
}

/// Reads what the watcher marked once a burst of changes has settled, so that the next
/// request (and the open pages asking for the version) find the plan read already.
fn settle(inner: &Inner) {
    loop {
        {
            let mut marked = hold(&inner.marked);
            while marked.is_empty() {
                marked = inner
                    .wake
                    .wait(marked)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        let start = Instant::now();
        loop {
            let seen = inner.marks_seen.load(Ordering::Relaxed);
            std::thread::sleep(SETTLE);
            if inner.marks_seen.load(Ordering::Relaxed) == seen || start.elapsed() > SETTLE_MAX {
                break;
            }
        }
        // A lock not had in time leaves the marks for the next request.
        let _ = inner.snapshot(Marks::default());
    }
}

pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/api/version", get(current))
        .route("/assets/live.js", get(script))
}

/// `{"version": "…"}`: the plan's version now, which an open page compares with its own.
async fn current(State(site): State<Arc<Site>>) -> Response {
    match blocking(site, |site| Ok(site.cache.snapshot()?)).await {
        Ok(now) => typed(
            StatusCode::OK,
            "application/json",
            render::json(&serde_json::json!({ "version": now.version })),
        ),
        Err(failure) => super::api::failure(&failure),
    }
}

async fn script() -> Response {
    typed(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        SCRIPT.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    struct Case {
        _root: tempfile::TempDir,
        cache: Cache,
        four: std::path::PathBuf,
    }

    fn case(watching: bool) -> Case {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        fs::create_dir_all(data.join("actions")).unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for name in [
            "plan.yaml",
            "partners.yaml",
            "funding.yaml",
            "locations.yaml",
        ] {
            fs::copy(shipped.join(name), data.join(name)).unwrap();
        }
        let four = data.join("actions/004-joint-operation.yaml");
        fs::copy(shipped.join("actions/004-joint-operation.yaml"), &four).unwrap();
        let dir = DataDir {
            path: data,
            shown: "data".into(),
        };
        let cache = Cache::watching(dir, Duration::from_secs(5), watching).unwrap();
        Case {
            _root: root,
            cache,
            four,
        }
    }

    fn status(cache: &Cache) -> String {
        let now = cache.snapshot().unwrap();
        now.plan.actions[0].record.status.value.as_str().to_string()
    }

    /// Waits up to 5 s for `done`.
    fn eventually(done: impl Fn() -> bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if done() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn the_watcher_reads_a_change_in_place_before_any_request() {
        let case = case(true);
        assert!(case.cache.unwatched().is_none());
        assert_eq!(status(&case.cache), "planned");
        let text = fs::read_to_string(&case.four).unwrap();
        fs::write(
            &case.four,
            text.replace("status: planned", "status: completed"),
        )
        .unwrap();
        assert!(
            eventually(|| case.cache.refreshes() == 1),
            "the watcher read it"
        );
        assert_eq!(status(&case.cache), "completed");
    }

    #[test]
    fn reading_the_plan_marks_nothing() {
        let case = case(true);
        for _ in 0..5 {
            let _ = case.cache.snapshot().unwrap();
            let _ = case
                .cache
                .snapshot_with(&case.cache.snapshot().unwrap().plan.actions[0].file);
        }
        // The server's own reads (and its lock on the folder) are events too: none of them
        // may start a refresh, let alone an endless round of them.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(case.cache.refreshes(), 0);
        assert!(hold(&case.cache.inner.marked).is_empty());
    }

    #[test]
    fn with_no_watcher_each_request_stats_the_files() {
        let case = case(false);
        assert!(case.cache.unwatched().is_some());
        let version = case.cache.snapshot().unwrap().version.clone();
        let text = fs::read_to_string(&case.four).unwrap();
        fs::write(
            &case.four,
            text.replace("status: planned", "status: cancelled"),
        )
        .unwrap();
        assert_eq!(status(&case.cache), "cancelled");
        assert_ne!(case.cache.snapshot().unwrap().version, version);
    }
}

//! A plan kept in memory between reads, for `iisg serve`: the stamp of each file (its
//! inode, size and times) is noted as it is read, and a refresh re-reads only the files
//! whose stamp changed, keeping every other record as parsed. The plan it gives is the one
//! [`Plan::read`] would read at that moment, file for file and finding for finding.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hasher as _;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use rustix::fd::OwnedFd;
use rustix::fs::AtFlags;

use super::discover::DataDir;
use super::load::{
    Files, FromText, FundingFile, Loaded, LocationsFile, Outcome, PartnersFile, Source, SourceFile,
    Sources, passed_over,
};
use super::plan::{Plan, Texts};
use super::transaction::{Fnv, checksum};
use crate::diagnostic::Diagnostic;
use crate::model::{Action, Forum, LogframeRow, PlanInfo, Registry};

/// A file changed this recently may change again within the same tick of its file
/// system's clock, keeping its stamp: it is read again whenever it is named as changed.
const RACY: Duration = Duration::from_secs(2);

/// The files of the plan's folder itself, in the order [`Plan::read`] reads them.
const SINGLES: [&str; 4] = [
    "plan.yaml",
    "partners.yaml",
    "funding.yaml",
    "locations.yaml",
];
/// The record folders, in the order [`Plan::read`] reads them.
const FOLDERS: [&str; 3] = ["forums", "logframe", "actions"];

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mode: u32,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Self {
        Self {
            dev: metadata.dev(),
            ino: metadata.ino(),
            size: metadata.size(),
            mode: metadata.mode(),
            mtime: (metadata.mtime(), metadata.mtime_nsec()),
            ctime: (metadata.ctime(), metadata.ctime_nsec()),
        }
    }

    /// The stamp of the entry at `path`, not following a link; `None` when there is none.
    fn at(path: &Path) -> Option<Self> {
        std::fs::symlink_metadata(path).ok().map(|m| Self::of(&m))
    }

    /// The stamp of the entry `name` of an open folder, not following a link.
    fn in_folder(folder: &OwnedFd, name: &str) -> Option<Self> {
        let stat = rustix::fs::statat(folder, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        Some(Self {
            dev: stat.st_dev,
            ino: stat.st_ino,
            size: u64::try_from(stat.st_size).unwrap_or_default(),
            mode: stat.st_mode,
            mtime: (
                stat.st_mtime,
                i64::try_from(stat.st_mtime_nsec).unwrap_or_default(),
            ),
            ctime: (
                stat.st_ctime,
                i64::try_from(stat.st_ctime_nsec).unwrap_or_default(),
            ),
        })
    }

    /// The stamp in eight bytes, for a plan's worth of files: every field hashed (a file
    /// whose every field changed yet hashes alike has odds of one in 2^64).
    fn fingerprint(&self) -> u64 {
        let mut hasher = Fnv::default();
        for n in [self.dev, self.ino, self.size, u64::from(self.mode)] {
            hasher.write_u64(n);
        }
        for (seconds, nanos) in [self.mtime, self.ctime] {
            hasher.write_i64(seconds);
            hasher.write_i64(nanos);
        }
        hasher.finish()
    }

    /// Whether the file changed so shortly before `now` that a change in the same tick
    /// of the clock would leave this stamp as it is.
    fn racy(&self, now: SystemTime) -> bool {
        let newest = self.mtime.max(self.ctime);
        let Ok(seconds) = u64::try_from(newest.0) else {
            return false;
        };
        let nanos = u32::try_from(newest.1).unwrap_or_default();
        let changed = SystemTime::UNIX_EPOCH + Duration::new(seconds, nanos);
        changed + RACY > now
    }
}

/// What to look at again: what a file watcher saw, or what a quick look at the folders
/// found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// Every file, and read again those too recent to trust (when nothing watches).
    pub everything: bool,
    /// Folders to list again, each of whose files is stat'ed: `actions`, or the empty
    /// name for the plan's folder itself (its `plan.yaml` and registries).
    folders: BTreeSet<String>,
    /// Files that changed or may have, by their path in the plan's folder: stat'ed, and
    /// read again if their stamp is too recent to trust.
    files: BTreeSet<String>,
}

/// How a file watcher saw an entry of the plan's folder change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Touch {
    /// Its bytes or its metadata.
    Content,
    /// It came, went or was renamed: its folder's listing changed.
    Entry,
}

impl Marks {
    /// Marks everything.
    #[must_use]
    pub fn everything() -> Self {
        Self {
            everything: true,
            ..Self::default()
        }
    }

    /// Whether nothing is marked.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        !self.everything && self.folders.is_empty() && self.files.is_empty()
    }

    /// Adds what `other` marks.
    pub fn add(&mut self, other: Self) {
        self.everything |= other.everything;
        self.folders.extend(other.folders);
        self.files.extend(other.files);
    }

    /// Marks the files a change wrote (paths in the plan's folder), and their folders.
    pub fn wrote<'a>(&mut self, paths: impl IntoIterator<Item = &'a str>) {
        for path in paths {
            self.note(Path::new(path), Touch::Entry);
        }
    }

    /// Marks what the change of the entry at `relative` (a path inside the plan's folder)
    /// may have changed of the plan; whether it marked anything. iisg's own hidden files
    /// (the journal, staged texts) and editor backups mark nothing: they are not read.
    pub fn note(&mut self, relative: &Path, touch: Touch) -> bool {
        let mut names = Vec::new();
        for component in relative.components() {
            match component {
                Component::Normal(name) => names.push(name.to_str()),
                Component::CurDir => {}
                _ => return false,
            }
        }
        match names.as_slice() {
            [] => {
                self.everything = true;
                true
            }
            [Some(name)] if SINGLES.contains(name) => {
                self.files.insert((*name).to_string());
                true
            }
            [Some(name)] if FOLDERS.contains(name) => {
                self.folders.insert((*name).to_string());
                true
            }
            [Some(folder), name] if FOLDERS.contains(folder) => {
                // A name that is not UTF-8 is reported by the listing.
                if name.is_some_and(passed_over) {
                    return false;
                }
                if touch == Touch::Entry || name.is_none() {
                    self.folders.insert((*folder).to_string());
                }
                if let Some(name) = name {
                    self.files.insert(format!("{folder}/{name}"));
                }
                true
            }
            _ => false,
        }
    }

    fn lists(&self, folder: &str) -> bool {
        self.everything || self.folders.contains(folder)
    }

    fn suspects(&self, file: &str) -> bool {
        self.everything || self.files.contains(file)
    }
}

/// The stamps of the plan's folder and of its record folders: they move when an entry
/// comes, goes or is renamed into place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed([Option<Stamp>; 4]);

impl Listed {
    /// The stamps as they are now.
    fn now(dir: &DataDir) -> Self {
        Self([
            Stamp::at(&dir.path),
            Stamp::at(&dir.path.join(FOLDERS[0])),
            Stamp::at(&dir.path.join(FOLDERS[1])),
            Stamp::at(&dir.path.join(FOLDERS[2])),
        ])
    }

    /// Whether any folder of the plan in `dir` has another stamp now: four `lstat`s.
    #[must_use]
    pub fn moved(&self, dir: &DataDir) -> bool {
        Self::now(dir) != *self
    }
}

/// One file as last read.
#[derive(Debug)]
struct Seen {
    /// Its stamp's fingerprint just before it was read (`None`: it could not be
    /// stat'ed). Kept small, as the problem is boxed: the cache of a plan of 100,000
    /// files keeps 100,000 of these.
    stamp: Option<u64>,
    /// Whether it had changed too shortly before it was read to trust the stamp.
    racy: bool,
    /// A checksum of its bytes (or of why it could not be read).
    sum: u64,
    file: Arc<SourceFile>,
    /// Why it could not be read, if it could not.
    problem: Option<Box<Diagnostic>>,
}

impl Seen {
    /// What reading the file gave, with the stamp it had before, keeping its text only as
    /// `texts` says (as [`Plan::read`] does).
    fn of<T>(
        stamp: Option<Stamp>,
        now: SystemTime,
        outcome: Outcome<T>,
        texts: Texts,
    ) -> (Self, Option<Loaded<T>>) {
        let (file, result) = outcome;
        let (file, record, problem) = match result {
            Ok(record) => {
                let sum = checksum(file.text.as_bytes());
                let file = if texts == Texts::Drop {
                    Arc::new(file.without_text())
                } else {
                    file
                };
                let loaded = Loaded {
                    record,
                    file: Arc::clone(&file),
                };
                return (
                    Self {
                        stamp: stamp.map(|s| s.fingerprint()),
                        racy: stamp.is_some_and(|s| s.racy(now)),
                        sum,
                        file,
                        problem: None,
                    },
                    Some(loaded),
                );
            }
            Err(problem) => (file, None::<Loaded<T>>, problem),
        };
        let mut hasher = Fnv::default();
        hasher.write(file.text.as_bytes());
        hasher.write(problem.message.as_bytes());
        let seen = Self {
            stamp: stamp.map(|s| s.fingerprint()),
            racy: stamp.is_some_and(|s| s.racy(now)),
            sum: hasher.finish(),
            file,
            problem: Some(Box::new(problem)),
        };
        (seen, record)
    }

    /// Whether `new` read the same bytes (or failed the same way).
    fn same(&self, new: &Self) -> bool {
        self.sum == new.sum && self.problem == new.problem
    }

    /// Takes the stamp of `new`, a reading of the same bytes.
    fn restamp(&mut self, new: &Self) {
        self.stamp = new.stamp;
        self.racy = new.racy;
    }

    /// Whether the file must be read again, now that its stamp is `stamp`.
    fn stale(&self, stamp: Option<Stamp>, suspect: bool) -> bool {
        self.stamp != stamp.map(|s| s.fingerprint()) || (suspect && self.racy)
    }
}

/// A record folder as last listed.
#[derive(Debug, Default)]
struct Folder {
    /// The folder's stamp just before it was listed.
    stamp: Option<Stamp>,
    /// What its listing found that is not a record.
    listing: Vec<Diagnostic>,
    /// Its record files, by path in the plan's folder, in name order.
    files: BTreeMap<String, Seen>,
}

/// The records of one kind that a refresh read anew.
struct Fresh<T> {
    /// By path in the plan's folder: the record, or `None` when the file no longer reads
    /// as one (or is gone).
    records: HashMap<String, Option<Loaded<T>>>,
}

impl<T> Default for Fresh<T> {
    fn default() -> Self {
        Self {
            records: HashMap::new(),
        }
    }
}

/// `plan.yaml` or a registry, as a refresh found it.
#[derive(Default)]
enum Looked<T> {
    /// As it was.
    #[default]
    Same,
    /// Changed: the record it holds now (`None`: it no longer reads, or is gone).
    Changed(Option<Loaded<T>>),
}

impl<T> Looked<T> {
    fn changed(&self) -> bool {
        matches!(self, Self::Changed(_))
    }
}

/// What a refresh found changed, to make the next plan from the last one.
#[derive(Default)]
pub struct Update {
    info: Looked<PlanInfo>,
    partners: Looked<PartnersFile>,
    funding: Looked<FundingFile>,
    places: Looked<LocationsFile>,
    forums: Fresh<Forum>,
    logframe: Fresh<LogframeRow>,
    actions: Fresh<Action>,
    /// Files gone, as shown.
    gone: Vec<String>,
    /// Whether any listing found something else than before.
    listings: bool,
}

impl Update {
    /// How many files it read whose bytes changed (or that are new, or gone).
    #[must_use]
    pub fn files_changed(&self) -> usize {
        [
            self.info.changed(),
            self.partners.changed(),
            self.funding.changed(),
            self.places.changed(),
        ]
        .into_iter()
        .filter(|&read| read)
        .count()
            + self.forums.records.len()
            + self.logframe.records.len()
            + self.actions.records.len()
            + self.gone.len()
    }

    /// Whether nothing changed: the last plan is the plan now.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        !self.info.changed()
            && !self.partners.changed()
            && !self.funding.changed()
            && !self.places.changed()
            && self.forums.records.is_empty()
            && self.logframe.records.is_empty()
            && self.actions.records.is_empty()
            && self.gone.is_empty()
            && !self.listings
    }
}

/// The plan's files as last read: their stamps, checksums and problems.
#[derive(Debug)]
pub struct PlanCache {
    dir: DataDir,
    /// The stamp of the plan's folder when its files were last stat'ed.
    root: Option<Stamp>,
    /// `plan.yaml` and the registries, in [`SINGLES`] order; `None`: no such file.
    singles: [Option<Seen>; 4],
    /// The record folders, in [`FOLDERS`] order.
    folders: [Folder; 3],
    version: u64,
}

impl PlanCache {
    /// Reads the whole plan in `dir`, noting each file's stamp: as [`Plan::read`] with
    /// every action and [`Texts::Drop`].
    #[must_use]
    pub fn read(dir: DataDir) -> (Self, Plan) {
        let mut cache = Self {
            root: None,
            singles: Default::default(),
            folders: Default::default(),
            version: 0,
            dir: dir.clone(),
        };
        let empty = Plan {
            dir,
            info: None,
            partners: Registry::default(),
            funding: Registry::default(),
            places: Registry::default(),
            forums: Vec::new(),
            actions: Vec::new(),
            logframe: Vec::new(),
            problems: Vec::new(),
            sources: Sources::default(),
        };
        let update = cache.check(&Marks::everything());
        let plan = cache.apply(empty, update);
        (cache, plan)
    }

    /// A checksum of every file's bytes and of what the listings found: it changes when the
    /// plan does, and is the same for the same files.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.version
    }

    /// What a quick look finds moved: the plan's folder and each record folder whose stamp
    /// is not the one it had when last listed (a file came, went or was renamed into place,
    /// as every iisg write does), marked to be listed again.
    #[must_use]
    pub fn moved(&self) -> Marks {
        let mut marks = Marks::default();
        let now = Listed::now(&self.dir);
        for ((name, then), now) in ["", FOLDERS[0], FOLDERS[1], FOLDERS[2]]
            .iter()
            .zip(self.listed().0)
            .zip(now.0)
        {
            if then != now {
                marks.folders.insert((*name).to_string());
            }
        }
        marks
    }

    /// The stamps of the plan's folder and its record folders when last listed.
    #[must_use]
    pub fn listed(&self) -> Listed {
        let [forums, logframe, actions] = &self.folders;
        Listed([self.root, forums.stamp, logframe.stamp, actions.stamp])
    }

    /// Stats what `marks` names and reads again the files whose stamp changed (and, among
    /// those named as changed, the ones too recent to trust), new files too; what changed,
    /// for [`PlanCache::apply`]. Call it under the plan's shared lock.
    pub fn check(&mut self, marks: &Marks) -> Update {
        let now = SystemTime::now();
        let source = Source::new(&self.dir, &Files::Disk);
        let mut update = Update::default();
        if marks.lists("") {
            self.root = Stamp::at(&self.dir.path);
        }
        let [info, partners, funding, places] = &mut self.singles;
        let mut gone = Vec::new();
        let look = (marks, now);
        update.info = single(info, SINGLES[0], &source, look, true);
        update.partners = single(partners, SINGLES[1], &source, look, false);
        update.funding = single(funding, SINGLES[2], &source, look, false);
        update.places = single(places, SINGLES[3], &source, look, false);
        let [forums, logframe, actions] = &mut self.folders;
        let (forums, listed_forums) =
            folder(forums, FOLDERS[0], &source, look, Texts::Keep, &mut gone);
        let (logframe, listed_logframe) =
            folder(logframe, FOLDERS[1], &source, look, Texts::Keep, &mut gone);
        let (actions, listed_actions) =
            folder(actions, FOLDERS[2], &source, look, Texts::Drop, &mut gone);
        update.forums = forums;
        update.logframe = logframe;
        update.actions = actions;
        update.listings = listed_forums || listed_logframe || listed_actions;
        update.gone = gone;
        if !update.is_empty() {
            self.version = self.sum();
        }
        update
    }

    /// The plan as it is now: `plan` (the plan this cache gave last) with what `update`
    /// read anew in place of what it had, its unchanged records moved over as they are.
    #[must_use]
    pub fn apply(&self, plan: Plan, update: Update) -> Plan {
        if update.is_empty() {
            return plan;
        }
        let Plan {
            dir,
            mut info,
            mut partners,
            mut funding,
            mut places,
            forums,
            actions,
            logframe,
            problems: _,
            mut sources,
        } = plan;
        for shown in &update.gone {
            sources.remove(shown);
        }
        for (name, seen) in SINGLES.iter().zip(&self.singles) {
            match seen {
                Some(seen) => sources.insert(Arc::clone(&seen.file)),
                None => sources.remove(&dir.show(name)),
            };
        }
        if let Looked::Changed(new) = update.info {
            info = new;
        }
        if let Looked::Changed(new) = update.partners {
            partners = Registry::new(new.map(|l| l.record.partners).unwrap_or_default());
        }
        if let Looked::Changed(new) = update.funding {
            funding = Registry::new(new.map(|l| l.record.funding).unwrap_or_default());
        }
        if let Looked::Changed(new) = update.places {
            places = Registry::new(new.map(|l| l.record.locations).unwrap_or_default());
        }
        let [forum_files, logframe_files, action_files] = &self.folders;
        let forums = merge(forum_files, forums, update.forums, &mut sources);
        let logframe = merge(logframe_files, logframe, update.logframe, &mut sources);
        let actions = merge(action_files, actions, update.actions, &mut sources);
        let mut plan = Plan {
            dir,
            info,
            partners,
            funding,
            places,
            forums,
            actions,
            logframe,
            problems: self.problems(),
            sources,
        };
        plan.problems
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        plan
    }

    /// What could not be read, in the order [`Plan::read`] meets it.
    fn problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self
            .singles
            .iter()
            .flatten()
            .filter_map(|seen| seen.problem.as_deref().cloned())
            .collect();
        for folder in &self.folders {
            problems.extend(folder.listing.iter().cloned());
            let files = folder.files.values();
            problems.extend(files.filter_map(|seen| seen.problem.as_deref().cloned()));
        }
        problems
    }

    /// The version: a checksum over every file's path and checksum, and the listings.
    fn sum(&self) -> u64 {
        let mut hasher = Fnv::default();
        for (name, seen) in SINGLES.iter().zip(&self.singles) {
            hasher.write(name.as_bytes());
            hasher.write_u64(seen.as_ref().map_or(0, |s| s.sum));
        }
        for folder in &self.folders {
            for (name, seen) in &folder.files {
                hasher.write(name.as_bytes());
                hasher.write_u64(seen.sum);
            }
            for problem in &folder.listing {
                hasher.write(problem.file.as_bytes());
                hasher.write(problem.code.as_str().as_bytes());
            }
        }
        hasher.finish()
    }
}

/// Looks again at `plan.yaml` or a registry (`required`: reported when missing).
fn single<T: FromText>(
    seen: &mut Option<Seen>,
    name: &str,
    source: &Source,
    (marks, now): (&Marks, SystemTime),
    required: bool,
) -> Looked<T> {
    let suspect = marks.suspects(name);
    if !suspect && !marks.lists("") {
        return Looked::Same;
    }
    let stamp = Stamp::at(&source.dir.path.join(name));
    match seen {
        Some(old) if !old.stale(stamp, suspect) => return Looked::Same,
        None if stamp.is_none() && !required => return Looked::Same,
        _ => {}
    }
    if stamp.is_none() && !required {
        *seen = None;
        return Looked::Changed(None);
    }
    let outcome = source.record::<T>(name, Texts::Keep);
    let (new, loaded) = Seen::of(stamp, now, outcome, Texts::Keep);
    if let Some(old) = seen.as_mut().filter(|old| old.same(&new)) {
        old.restamp(&new);
        return Looked::Same;
    }
    *seen = Some(new);
    Looked::Changed(loaded)
}

/// Looks again at a record folder: lists it again if marked (or when a file named is new
/// to it), stats the files named (every file, when listed), and reads those whose stamp
/// changed; what was read anew, and whether the listing found something else than before.
fn folder<T: FromText + Send>(
    folder: &mut Folder,
    name: &str,
    source: &Source,
    (marks, now): (&Marks, SystemTime),
    texts: Texts,
    gone: &mut Vec<String>,
) -> (Fresh<T>, bool) {
    let mut fresh = Fresh::default();
    let prefix = format!("{name}/");
    let marked: Vec<&String> = marks
        .files
        .range(prefix.clone()..)
        .take_while(|file| file.starts_with(&prefix))
        .collect();
    let relist = marks.lists(name) || marked.iter().any(|f| !folder.files.contains_key(*f));
    if !relist && marked.is_empty() {
        return (fresh, false);
    }
    let open = source.open_folder(name);
    let mut listed = false;
    let candidates: Vec<String> = if relist {
        folder.stamp = Stamp::at(&source.dir.path.join(name));
        let (names, listing) = source.list(name);
        if listing != folder.listing {
            listed = true;
            folder.listing = listing;
        }
        let kept: HashSet<&str> = names.iter().map(String::as_str).collect();
        let left: Vec<String> = folder
            .files
            .keys()
            .filter(|file| !kept.contains(file.as_str()))
            .cloned()
            .collect();
        for file in left {
            if let Some(seen) = folder.files.remove(&file) {
                gone.push(seen.file.shown().to_string());
            }
        }
        names
    } else {
        marked.into_iter().cloned().collect()
    };
    let stale: Vec<(String, Option<Stamp>)> = candidates
        .into_par_iter()
        .filter_map(|file| {
            let base = file.rsplit_once('/').map_or(file.as_str(), |(_, n)| n);
            let stamp = match &open {
                Some(open) => Stamp::in_folder(open, base),
                None => Stamp::at(&source.dir.path.join(&file)),
            };
            let stale = folder
                .files
                .get(&file)
                .is_none_or(|seen| seen.stale(stamp, marks.suspects(&file)));
            stale.then_some((file, stamp))
        })
        .collect();
    let read: Vec<(String, Seen, Option<Loaded<T>>)> = stale
        .into_par_iter()
        .map(|(file, stamp)| {
            let outcome = source.record_in::<T>(open.as_ref(), &file, Texts::Keep);
            let (seen, loaded) = Seen::of(stamp, now, outcome, texts);
            (file, seen, loaded)
        })
        .collect();
    for (file, new, loaded) in read {
        match folder.files.get_mut(&file) {
            Some(old) if old.same(&new) => old.restamp(&new),
            _ => {
                folder.files.insert(file.clone(), new);
                fresh.records.insert(file, loaded);
            }
        }
    }
    (fresh, listed)
}

/// The records of a folder now, in name order: those read anew from `fresh`, the others
/// moved over from `old` (the folder's records in the last plan).
fn merge<T>(
    folder: &Folder,
    old: Vec<Loaded<T>>,
    mut fresh: Fresh<T>,
    sources: &mut Sources,
) -> Vec<Loaded<T>> {
    let readable = folder.files.values().filter(|s| s.problem.is_none());
    if fresh.records.is_empty() && old.len() == readable.count() {
        return old;
    }
    // An unchanged file's record shares its `SourceFile` with what the cache saw.
    let mut by_file: HashMap<*const SourceFile, Loaded<T>> = old
        .into_iter()
        .map(|loaded| (Arc::as_ptr(&loaded.file), loaded))
        .collect();
    let mut records = Vec::with_capacity(folder.files.len());
    for (file, seen) in &folder.files {
        if let Some(new) = fresh.records.remove(file) {
            sources.insert(Arc::clone(&seen.file));
            records.extend(new);
        } else if seen.problem.is_none() {
            let kept = by_file.remove(&Arc::as_ptr(&seen.file));
            debug_assert!(kept.is_some(), "no record kept for `{file}`");
            records.extend(kept);
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use super::*;
    use crate::model::ActionDraft;
    use crate::store::Actions;

    /// A copy of the shipped plan in a temporary folder, kept in a cache.
    struct Case {
        _root: tempfile::TempDir,
        dir: DataDir,
        cache: PlanCache,
        plan: Option<Plan>,
    }

    impl Case {
        fn new() -> Self {
            let root = tempfile::tempdir().unwrap();
            let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
            let data = root.path().join("data");
            for folder in ["", "actions", "forums", "logframe"] {
                fs::create_dir_all(data.join(folder)).unwrap();
                for entry in fs::read_dir(shipped.join(folder)).unwrap() {
                    let entry = entry.unwrap();
                    if entry.file_type().unwrap().is_file() {
                        fs::copy(entry.path(), data.join(folder).join(entry.file_name())).unwrap();
                    }
                }
            }
            let dir = DataDir {
                path: data,
                shown: "data".into(),
            };
            let (cache, plan) = PlanCache::read(dir.clone());
            let case = Self {
                _root: root,
                dir,
                cache,
                plan: Some(plan),
            };
            case.same_as_read();
            case
        }

        fn path(&self, relative: &str) -> PathBuf {
            self.dir.path.join(relative)
        }

        /// Refreshes with `marks`; how many files it found changed.
        fn refresh(&mut self, marks: &Marks) -> usize {
            let update = self.cache.check(marks);
            let changed = update.files_changed();
            let plan = self.plan.take().unwrap();
            self.plan = Some(self.cache.apply(plan, update));
            self.same_as_read();
            changed
        }

        /// Refreshes as a watcher that saw these entries change would.
        fn saw(&mut self, touched: &[(&str, Touch)]) -> usize {
            let mut marks = Marks::default();
            for (path, touch) in touched {
                assert!(marks.note(Path::new(path), *touch), "{path} marks nothing");
            }
            self.refresh(&marks)
        }

        /// The cached plan is the plan read afresh, finding for finding.
        fn same_as_read(&self) {
            let cached = self.plan.as_ref().unwrap();
            let read = Plan::read(self.dir.clone(), Actions::All, Texts::Drop);
            assert_eq!(cached.problems, read.problems);
            let actions = |plan: &Plan| -> Vec<(String, ActionDraft)> {
                let actions = plan.actions.iter();
                actions
                    .map(|a| (a.file.shown().to_string(), ActionDraft::from(&*a.record)))
                    .collect()
            };
            assert_eq!(actions(cached), actions(&read));
            let shown = |files: &mut dyn Iterator<Item = &Arc<SourceFile>>| -> Vec<String> {
                files.map(|f| f.shown().to_string()).collect()
            };
            assert_eq!(
                shown(&mut cached.forums.iter().map(|f| &f.file)),
                shown(&mut read.forums.iter().map(|f| &f.file))
            );
            assert_eq!(
                shown(&mut cached.logframe.iter().map(|f| &f.file)),
                shown(&mut read.logframe.iter().map(|f| &f.file))
            );
            let mut files: Vec<_> = cached.sources.keys().collect();
            let mut want: Vec<_> = read.sources.keys().collect();
            files.sort_unstable();
            want.sort_unstable();
            assert_eq!(files, want);
            let codes = |plan: &Plan| -> Vec<String> {
                use crate::model::Entry;
                plan.partners
                    .entries()
                    .iter()
                    .map(|e| e.code().value.clone())
                    .collect()
            };
            assert_eq!(codes(cached), codes(&read));
            let title = |plan: &Plan| plan.info.as_ref().map(|i| i.record.title.value.clone());
            assert_eq!(title(cached), title(&read));
            let as_of = read.as_of(None);
            let options = crate::check::Options { as_of };
            assert_eq!(
                crate::check::check(cached, options),
                crate::check::read_and_check(self.dir.clone(), None).1
            );
        }
    }

    const FOUR: &str = "actions/004-joint-operation.yaml";

    #[test]
    fn a_file_changed_in_place_is_read_alone() {
        let mut case = Case::new();
        let before = case.cache.version();
        let text = fs::read_to_string(case.path(FOUR)).unwrap();
        fs::write(
            case.path(FOUR),
            text.replace("status: planned", "status: completed"),
        )
        .unwrap();
        assert_eq!(case.saw(&[(FOUR, Touch::Content)]), 1);
        assert_ne!(case.cache.version(), before);
        // Nothing marked, nothing read.
        assert_eq!(case.refresh(&Marks::default()), 0);
        // The same bytes again: read, but nothing changed.
        fs::write(
            case.path(FOUR),
            text.replace("status: planned", "status: completed"),
        )
        .unwrap();
        let version = case.cache.version();
        assert_eq!(case.saw(&[(FOUR, Touch::Content)]), 0);
        assert_eq!(case.cache.version(), version);
    }

    #[test]
    fn files_added_removed_renamed_and_broken_are_seen() {
        let mut case = Case::new();
        fs::remove_file(case.path("actions/001-joint-operation-drino.yaml")).unwrap();
        assert_eq!(
            case.saw(&[("actions/001-joint-operation-drino.yaml", Touch::Entry)]),
            1
        );
        fs::rename(case.path(FOUR), case.path("actions/004-renamed.yaml")).unwrap();
        case.saw(&[
            (FOUR, Touch::Entry),
            ("actions/004-renamed.yaml", Touch::Entry),
        ]);
        let text = fs::read_to_string(case.path("actions/004-renamed.yaml")).unwrap();
        fs::write(
            case.path("actions/099-new.yaml"),
            text.replace("id: 4", "id: 99"),
        )
        .unwrap();
        assert_eq!(case.saw(&[("actions/099-new.yaml", Touch::Entry)]), 1);
        fs::write(case.path("actions/099-new.yaml"), "id: [unclosed\n").unwrap();
        assert_eq!(case.saw(&[("actions/099-new.yaml", Touch::Content)]), 1);
        assert!(
            case.plan
                .as_ref()
                .unwrap()
                .problems
                .iter()
                .any(|p| p.file == "data/actions/099-new.yaml")
        );
        fs::write(case.path("actions/notes.txt"), "not a record").unwrap();
        case.saw(&[("actions/notes.txt", Touch::Entry)]);
        fs::create_dir(case.path("actions/sub")).unwrap();
        case.saw(&[("actions/sub", Touch::Entry)]);
        // iisg's own temporaries and editor backups are not read.
        let mut marks = Marks::default();
        assert!(!marks.note(Path::new("actions/.iisg-tx-1-x.tmp"), Touch::Entry));
        assert!(!marks.note(Path::new(".iisg-journal"), Touch::Entry));
        assert!(!marks.note(Path::new("actions/004-renamed.yaml~"), Touch::Content));
        assert!(!marks.note(Path::new("actions/sub/deep.yaml"), Touch::Content));
        assert!(marks.is_empty());
    }

    #[test]
    fn a_registry_change_judges_the_actions_again_unread() {
        let mut case = Case::new();
        let partners = fs::read_to_string(case.path("partners.yaml")).unwrap();
        fs::write(
            case.path("partners.yaml"),
            partners.replace("code: DCAF", "code: DCAF-X"),
        )
        .unwrap();
        assert_eq!(case.saw(&[("partners.yaml", Touch::Content)]), 1);
        fs::remove_file(case.path("funding.yaml")).unwrap();
        assert_eq!(case.saw(&[("funding.yaml", Touch::Entry)]), 1);
        fs::write(case.path("plan.yaml"), "title: [broken\n").unwrap();
        assert_eq!(case.saw(&[("plan.yaml", Touch::Content)]), 1);
        fs::remove_file(case.path("plan.yaml")).unwrap();
        assert_eq!(case.saw(&[("plan.yaml", Touch::Entry)]), 1);
    }

    #[test]
    fn a_write_renamed_into_place_moves_its_folder() {
        let mut case = Case::new();
        assert!(case.cache.moved().is_empty());
        let text = fs::read_to_string(case.path(FOUR)).unwrap();
        fs::write(
            case.path("actions/.staged"),
            text.replace("status: planned", "status: cancelled"),
        )
        .unwrap();
        fs::rename(case.path("actions/.staged"), case.path(FOUR)).unwrap();
        let moved = case.cache.moved();
        assert!(
            moved.lists("actions") && !moved.lists("logframe"),
            "{moved:?}"
        );
        assert_eq!(case.refresh(&moved), 1);
        assert!(case.cache.moved().is_empty());
    }

    #[test]
    fn with_nothing_watching_everything_is_stat_ed() {
        let mut case = Case::new();
        let text = fs::read_to_string(case.path(FOUR)).unwrap();
        fs::write(case.path(FOUR), text.replace("Joint", "Common")).unwrap();
        fs::remove_dir_all(case.path("forums")).unwrap();
        case.refresh(&Marks::everything());
        fs::create_dir(case.path("forums")).unwrap();
        case.refresh(&Marks::everything());
    }
}

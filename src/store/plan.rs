//! A whole plan as read from its folder (or from a git revision): the one way every command
//! reads one, saying which actions it needs and whether their texts are kept.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::discover::DataDir;
use super::load::{
    Blob, Collector, Files, FundingFile, Loaded, LocationsFile, PartnersFile, Scanned, Source,
    SourceFile, Sources, read_text,
};
use crate::diagnostic::Diagnostic;
use crate::model::{Action, Forum, FundingSource, LogframeRow, Partner, Place, PlanInfo, Registry};

/// A whole plan as read from its folder.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The folder it was read from.
    pub dir: DataDir,
    /// `plan.yaml`, when it could be read.
    pub info: Option<Loaded<PlanInfo>>,
    /// The partner registry (what could be read of it).
    pub partners: Registry<Partner>,
    /// The funding registry.
    pub funding: Registry<FundingSource>,
    /// The place registry.
    pub places: Registry<Place>,
    /// The forums of Annex 1, in file order.
    pub forums: Vec<Loaded<Forum>>,
    /// The actions, in file order: those it was read with ([`Actions`]).
    pub actions: Vec<Loaded<Action>>,
    /// The logframe rows, in file order.
    pub logframe: Vec<Loaded<LogframeRow>>,
    /// What could not be read.
    pub problems: Vec<Diagnostic>,
    /// Every file read, by the path shown to the user.
    pub sources: Sources,
}

/// Whether a file that parses keeps its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Texts {
    /// Keep it, for commands that patch files or quote them.
    Keep,
    /// Drop it once parsed: the file can be read again to quote it.
    Drop,
}

/// The files a scan read, and what could not be read of them.
#[derive(Debug, Default)]
pub struct FilesRead {
    problems: Vec<Diagnostic>,
    files: Vec<Arc<SourceFile>>,
}

impl FilesRead {
    /// What could not be read.
    #[must_use]
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }
}

/// Which actions a plan is read with.
#[derive(Clone, Copy)]
pub enum Actions<'a> {
    /// Every action.
    All,
    /// Only the actions this keeps (the files read and their problems are the plan's all
    /// the same).
    Where(&'a (dyn Fn(&Action) -> bool + Sync)),
    /// None: the plan's other files only, for a command that reads the actions after, or
    /// one at a time ([`Plan::scan_actions`]).
    None,
}

impl Plan {
    /// Reads the plan in `dir`: every file but the actions, and of the actions those
    /// `actions` says; with [`Texts::Drop`] the action files that parse keep no text, for
    /// commands that only read the records. Never fails: what cannot be read becomes a
    /// finding in [`Plan::problems`].
    #[must_use]
    pub fn read(dir: DataDir, actions: Actions, texts: Texts) -> Self {
        let mut plan = Self::shell(dir, &Files::Disk);
        plan.read_actions(actions, texts);
        plan
    }

    /// Reads the actions of a plan read with [`Actions::None`], those `actions` says: for a
    /// filter that needs the plan's registries to be made.
    pub fn read_actions(&mut self, actions: Actions, texts: Texts) {
        match actions {
            Actions::None => {}
            Actions::All => {
                let (actions, read) = self.scan(&Files::Disk, texts, |loaded| loaded);
                self.absorb(read);
                self.actions = actions;
            }
            Actions::Where(keep) => {
                let (kept, read) =
                    self.scan_actions(texts, |loaded| keep(&loaded.record).then_some(loaded));
                self.absorb(read);
                self.actions = kept.into_iter().flatten().collect();
            }
        }
    }

    /// The plan that these files would make in `dir`: each a path inside the plan's folder
    /// (`actions/001-x.yaml`) and its bytes, as kept at a git revision. Read and checked
    /// exactly as [`Plan::read`] reads files on disk; a file missing from `files` is a
    /// missing file.
    #[must_use]
    pub fn from_texts<T: Into<Vec<u8>>>(
        dir: DataDir,
        files: impl IntoIterator<Item = (String, T)>,
    ) -> Self {
        Self::from_blobs(
            dir,
            files.into_iter().map(|(p, t)| (p, Blob::Text(t.into()))),
        )
    }

    /// As [`Plan::from_texts`], with files that were not read (too large, links) among them.
    #[must_use]
    pub fn from_blobs(dir: DataDir, files: impl IntoIterator<Item = (String, Blob)>) -> Self {
        Self::build(
            dir,
            &Files::Memory(files.into_iter().collect()),
            Texts::Keep,
        )
    }

    /// Reads and parses the action files of the plan's folder on disk in parallel, hands
    /// each action to `visit` in the thread that parsed it, and keeps what `visit` returns
    /// (in file order) instead of the action, with the files read. Unless `texts` is
    /// [`Texts::Keep`], a file that parses keeps no text. Give the files read to
    /// [`Plan::absorb`] to count them and their problems as the plan's.
    pub fn scan_actions<R: Send>(
        &self,
        texts: Texts,
        visit: impl Fn(Loaded<Action>) -> R + Sync,
    ) -> (Vec<R>, FilesRead) {
        self.scan(&Files::Disk, texts, visit)
    }

    /// Takes the files of a scan of this plan's actions, and their problems, as its own.
    pub fn absorb(&mut self, read: FilesRead) {
        self.sources.reserve(read.files.len());
        for file in read.files {
            self.sources.insert(file);
        }
        self.problems.extend(read.problems);
        self.problems
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }

    fn build(dir: DataDir, files: &Files, texts: Texts) -> Self {
        let mut plan = Self::shell(dir, files);
        let (actions, read) = plan.scan(files, texts, |loaded| loaded);
        plan.absorb(read);
        plan.actions = actions;
        plan
    }

    /// Every file but the actions.
    fn shell(dir: DataDir, files: &Files) -> Self {
        let source = Source::new(&dir, files);
        let mut seen = Collector::default();
        let info = seen.keep(source.record::<PlanInfo>("plan.yaml", Texts::Keep));
        let partners = source
            .optional::<PartnersFile>("partners.yaml")
            .and_then(|o| seen.keep(o))
            .map(|l| l.record.partners)
            .unwrap_or_default();
        let funding = source
            .optional::<FundingFile>("funding.yaml")
            .and_then(|o| seen.keep(o))
            .map(|l| l.record.funding)
            .unwrap_or_default();
        let places = source
            .optional::<LocationsFile>("locations.yaml")
            .and_then(|o| seen.keep(o))
            .map(|l| l.record.locations)
            .unwrap_or_default();
        let forums = seen.keep_folder(source.folder::<Forum>("forums"));
        let logframe = seen.keep_folder(source.folder::<LogframeRow>("logframe"));
        let Collector {
            mut problems,
            sources,
        } = seen;
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

        Self {
            dir,
            info,
            partners: Registry::new(partners),
            funding: Registry::new(funding),
            places: Registry::new(places),
            forums,
            actions: Vec::new(),
            logframe,
            problems,
            sources,
        }
    }

    fn scan<R: Send>(
        &self,
        files: &Files,
        texts: Texts,
        visit: impl Fn(Loaded<Action>) -> R + Sync,
    ) -> (Vec<R>, FilesRead) {
        let source = Source::new(&self.dir, files);
        let (names, problem) = source.list("actions");
        let folder = source.open_folder("actions");
        let outcomes: Vec<Scanned<R>> = crate::par::map(&names, |name| {
            let (file, result) = source.record_in::<Action>(folder.as_ref(), name, texts);
            let kept = match result {
                Ok(record) => Ok(visit(Loaded {
                    record,
                    file: Arc::clone(&file),
                })),
                Err(problem) => Err(Box::new(problem)),
            };
            (file, kept)
        });
        let mut kept = Vec::with_capacity(outcomes.len());
        let mut read = FilesRead {
            problems: problem,
            files: Vec::with_capacity(outcomes.len()),
        };
        for (file, result) in outcomes {
            read.files.push(file);
            match result {
                Ok(value) => kept.push(value),
                Err(problem) => read.problems.push(*problem),
            }
        }
        (kept, read)
    }

    /// The action with this id, when exactly one file has it.
    #[must_use]
    pub fn action(&self, id: i64) -> Option<&Loaded<Action>> {
        self.actions.iter().find(|a| a.record.number() == Some(id))
    }

    /// The day the date rules measure against: `given`, else the plan's `as_of`, else today.
    #[must_use]
    pub fn as_of(&self, given: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
        given
            .or_else(|| self.info.as_ref().and_then(|i| i.record.as_of()))
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The texts of these files (as shown to the user), to quote: as kept, or read again
    /// when their text was not kept. A file that cannot be read again is left out.
    #[must_use]
    pub fn texts<'a>(
        &self,
        shown: impl IntoIterator<Item = &'a str>,
    ) -> HashMap<&'a str, Cow<'_, str>> {
        let mut files: Vec<(&'a str, &SourceFile)> = shown
            .into_iter()
            .filter_map(|name| Some((name, &**self.sources.get(name)?)))
            .collect();
        files.sort_unstable_by_key(|(name, _)| *name);
        files.dedup_by_key(|(name, _)| *name);
        let texts = crate::par::map(&files, |&(name, file)| {
            if !file.text.is_empty() {
                return Some((name, Cow::Borrowed(file.text.as_str())));
            }
            read_text(&file.path())
                .ok()
                .map(|text| (name, Cow::Owned(text)))
        });
        texts.into_iter().flatten().collect()
    }

    /// How many files were read (or tried).
    #[must_use]
    pub fn file_count(&self) -> usize {
        self.sources.len()
    }
}

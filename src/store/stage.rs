//! Putting a record into the plan in memory, as it would be once written, so that the
//! validation rules can judge the plan before anything touches the disk.

use std::fs;
use std::sync::Arc;

use super::load::{FromText, FundingFile, LocationsFile, PartnersFile};
use super::{Change, Loaded, Plan, SourceFile, parse_record};
use crate::diagnostic::Diagnostic;
use crate::model::{self, Action, Forum, LogframeRow, PlanInfo, Registry, RegistryKind};

/// A kind of record that lives one to a file in a folder of its own.
pub trait Record: FromText + Sized {
    /// The folder, `actions` or `logframe`.
    const FOLDER: &'static str;
    /// How many digits the number in the file name has, at least.
    const DIGITS: usize;
    /// The plan's records of this kind.
    fn all(plan: &mut Plan) -> &mut Vec<Loaded<Self>>;
    /// The plan's records of this kind, to read.
    fn records(plan: &Plan) -> &[Loaded<Self>];
    /// The record's id.
    fn id(&self) -> i64;
}

impl Record for Action {
    const FOLDER: &'static str = "actions";
    const DIGITS: usize = 3;
    fn all(plan: &mut Plan) -> &mut Vec<Loaded<Self>> {
        &mut plan.actions
    }
    fn records(plan: &Plan) -> &[Loaded<Self>] {
        &plan.actions
    }
    fn id(&self) -> i64 {
        self.id.value
    }
}

impl Record for LogframeRow {
    const FOLDER: &'static str = "logframe";
    const DIGITS: usize = 2;
    fn all(plan: &mut Plan) -> &mut Vec<Loaded<Self>> {
        &mut plan.logframe
    }
    fn records(plan: &Plan) -> &[Loaded<Self>] {
        &plan.logframe
    }
    fn id(&self) -> i64 {
        self.id.value
    }
}

impl Plan {
    /// Puts one file of a change into the plan in memory, as if it had been written: a
    /// record, a registry, a forum or `plan.yaml` with its new text, or gone.
    ///
    /// # Errors
    /// The finding, when the new text does not read as what that file holds.
    pub fn stage_change(&mut self, change: &Change) -> Result<(), Diagnostic> {
        let relative = change.relative();
        if let Change::Rename { from, old, .. } = change {
            self.stage_change(&Change::Remove {
                relative: from.clone(),
                old: old.clone(),
            })?;
        }
        let Some(text) = change.text() else {
            let shown = self.dir.show(relative);
            self.actions.retain(|a| a.file.shown() != shown);
            self.logframe.retain(|r| r.file.shown() != shown);
            self.forums.retain(|f| f.file.shown() != shown);
            self.sources.remove(&shown);
            return Ok(());
        };
        let text = text.to_string();
        if let Some(kind) = RegistryKind::ALL.into_iter().find(|k| k.file() == relative) {
            return self.stage_registry(kind, text);
        }
        match relative.split_once('/').map(|(folder, _)| folder) {
            Some(Action::FOLDER) => self.stage::<Action>(relative, text),
            Some(LogframeRow::FOLDER) => self.stage::<LogframeRow>(relative, text),
            Some("forums") => {
                let file = self.source(relative, text);
                let forum: Forum = parse_record(&file.text, file.shown())?;
                let loaded = Loaded {
                    record: Box::new(forum),
                    file,
                };
                match self
                    .forums
                    .iter_mut()
                    .find(|f| f.file.shown() == loaded.file.shown())
                {
                    Some(slot) => *slot = loaded,
                    None => self.forums.push(loaded),
                }
                Ok(())
            }
            _ => {
                let file = self.source(relative, text);
                let info: PlanInfo = parse_record(&file.text, file.shown())?;
                self.info = Some(Loaded {
                    record: Box::new(info),
                    file,
                });
                Ok(())
            }
        }
    }

    /// Keeps `text` as the source of the file `relative`, even when it does not parse, so
    /// that a finding can show its line.
    fn source(&mut self, relative: &str, text: String) -> Arc<SourceFile> {
        let root = Arc::from(self.dir.path.as_path());
        let file = Arc::new(SourceFile::new(
            &root,
            self.dir.show(relative),
            relative,
            text,
        ));
        self.sources.insert(Arc::clone(&file));
        file
    }

    /// Puts `text` into the plan in memory as the file `relative` (replacing the record that
    /// file held), as if it had been written.
    ///
    /// # Errors
    /// The finding, when the text does not read as a record.
    pub fn stage<T: Record>(&mut self, relative: &str, text: String) -> Result<(), Diagnostic> {
        let file = self.source(relative, text);
        let shown = file.shown().to_string();
        let record = parse_record::<T>(&file.text, &shown)?;
        let loaded = Loaded {
            record: Box::new(record),
            file,
        };
        let records = T::all(self);
        match records.iter_mut().find(|r| r.file.shown() == shown) {
            Some(slot) => *slot = loaded,
            None => records.push(loaded),
        }
        Ok(())
    }

    /// The next free id for a record kind: one more than the highest id in [`IDS`](model::IDS) that any
    /// record or any file name in its folder has (a file that could not be read still holds
    /// its number); `None` when that highest is the last id of the range.
    #[must_use]
    pub fn next_id<T: Record>(&self) -> Option<i64> {
        let from_records = T::records(self).iter().map(|r| r.record.id());
        let from_names = fs::read_dir(self.dir.path.join(T::FOLDER))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<i64>().ok()
            });
        model::next_id(from_records.chain(from_names))
    }
}

impl Plan {
    /// Puts `text` into the plan in memory as the registry file of `kind`, as if written.
    ///
    /// # Errors
    /// The finding, when the text does not read as that registry.
    pub fn stage_registry(&mut self, kind: RegistryKind, text: String) -> Result<(), Diagnostic> {
        let file = self.source(kind.file(), text);
        let shown = file.shown().to_string();
        match kind {
            RegistryKind::Partners => {
                let parsed: PartnersFile = parse_record(&file.text, &shown)?;
                self.partners = Registry::new(parsed.partners);
            }
            RegistryKind::Funding => {
                let parsed: FundingFile = parse_record(&file.text, &shown)?;
                self.funding = Registry::new(parsed.funding);
            }
            RegistryKind::Locations => {
                let parsed: LocationsFile = parse_record(&file.text, &shown)?;
                self.places = Registry::new(parsed.locations);
            }
        }
        Ok(())
    }
}

impl<T: Record> Loaded<T> {
    /// The record's file, as a path inside the plan's folder (`actions/004-x.yaml`).
    #[must_use]
    pub fn relative(&self) -> String {
        let name = self
            .file
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        format!("{}/{name}", T::FOLDER)
    }
}

/// The file name of a record: its zero-padded id and a slug.
#[must_use]
pub fn file_name<T: Record>(id: i64, slug: &str) -> String {
    format!("{}/{id:0width$}-{slug}.yaml", T::FOLDER, width = T::DIGITS)
}

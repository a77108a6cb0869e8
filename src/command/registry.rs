//! `iisg partner`, `iisg location` and `iisg funding`: the registries kept by command —
//! `add`, `edit`, `rename` (every reference in every file, one transaction), `remove`
//! (refused while anything refers to the entry) and `list`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Context, input};
use crate::check;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;
use crate::model::{Entry, Registry, RegistryKind, Sp, lookup_key};
use crate::render::{self, Grid};
use crate::store::entries::{self, CodeAt, EntryDraft, Layout};
use crate::store::{Change, Plan, Texts};

/// `iisg partner …`, `iisg location …`, `iisg funding …`.
#[derive(Debug, clap::Args)]
pub struct Args<F: clap::Args> {
    /// What to do with the registry
    #[command(subcommand)]
    pub command: Subcommand<F>,
}

/// What to do with a registry.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand<F: clap::Args> {
    /// Add an entry: a code the plan's files will use, and its name.
    Add {
        /// The code files will use (letters, digits, `-`, `_`, `.`)
        code: String,
        /// The entry's values.
        #[command(flatten)]
        fields: F,
    },
    /// Change an entry's name, kind or aliases: only its own lines change.
    Edit {
        /// The entry's code
        code: String,
        /// The entry's values.
        #[command(flatten)]
        fields: F,
    },
    /// Give an entry a new code, rewritten in every file that names it, in one change.
    Rename {
        /// The code now
        old: String,
        /// The new code
        new: String,
    },
    /// Remove an entry: refused while any file refers to it, naming what does.
    Remove {
        /// The entry's code
        code: String,
    },
    /// List the entries, with how many references each has.
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t = super::show::Format::Table)]
        format: super::show::Format,
    },
}

/// The values a command line (or a form) gives for an entry.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    /// `--name`.
    pub name: Option<String>,
    /// `--kind`.
    pub kind: Option<String>,
    /// `--provider`.
    pub provider: Option<String>,
    /// `--within`.
    pub within: Vec<String>,
    /// `--remove-within`.
    pub not_within: Vec<String>,
    /// `--iso`: a country's ISO 3166-1 alpha-2 code.
    pub iso: Option<String>,
    /// `--alias`.
    pub aliases: Vec<String>,
    /// `--remove-alias`.
    pub not_aliases: Vec<String>,
}

/// What every registry's flags give.
pub trait EntryFlags: clap::Args {
    /// The registry.
    const KIND: RegistryKind;
    /// The values given.
    fn fields(&self) -> Fields;
}

/// Flags of `iisg partner add` and `edit`.
#[derive(Debug, clap::Args)]
pub struct PartnerFlags {
    /// Full name
    #[arg(long, help_heading = "Fields")]
    pub name: Option<String>,
    /// What kind of organisation (international-organisation, eu-agency, donor, …)
    #[arg(long, help_heading = "Fields")]
    pub kind: Option<String>,
    /// Another way the plan or people write it (repeatable)
    #[arg(long = "alias", value_name = "ALIAS", help_heading = "Fields")]
    pub aliases: Vec<String>,
    /// With `edit`: an alias to take away (repeatable)
    #[arg(long = "remove-alias", value_name = "ALIAS", help_heading = "Fields")]
    pub remove_aliases: Vec<String>,
}

impl EntryFlags for PartnerFlags {
    const KIND: RegistryKind = RegistryKind::Partners;
    fn fields(&self) -> Fields {
        Fields {
            name: self.name.clone(),
            kind: self.kind.clone(),
            aliases: self.aliases.clone(),
            not_aliases: self.remove_aliases.clone(),
            ..Fields::default()
        }
    }
}

/// Flags of `iisg location add` and `edit`.
#[derive(Debug, clap::Args)]
pub struct LocationFlags {
    /// Full name
    #[arg(long, help_heading = "Fields")]
    pub name: Option<String>,
    /// What kind of place: region, country, border, city, site, … (needed by `add`)
    #[arg(long, help_heading = "Fields")]
    pub kind: Option<String>,
    /// A place it lies within, by code, name or alias (repeatable): `--within WB`
    #[arg(long, value_name = "PLACE", help_heading = "Fields")]
    pub within: Vec<String>,
    /// With `edit`: a place it no longer lies within (repeatable)
    #[arg(long = "remove-within", value_name = "PLACE", help_heading = "Fields")]
    pub remove_within: Vec<String>,
    /// A country's ISO 3166-1 alpha-2 code (`AL`), for the IATI export's recipient country
    #[arg(long, value_name = "CODE", help_heading = "Fields")]
    pub iso: Option<String>,
    /// Another way the plan or people write it (repeatable)
    #[arg(long = "alias", value_name = "ALIAS", help_heading = "Fields")]
    pub aliases: Vec<String>,
    /// With `edit`: an alias to take away (repeatable)
    #[arg(long = "remove-alias", value_name = "ALIAS", help_heading = "Fields")]
    pub remove_aliases: Vec<String>,
}

impl EntryFlags for LocationFlags {
    const KIND: RegistryKind = RegistryKind::Locations;
    fn fields(&self) -> Fields {
        Fields {
            name: self.name.clone(),
            kind: self.kind.clone(),
            within: self.within.clone(),
            not_within: self.remove_within.clone(),
            iso: self.iso.clone(),
            aliases: self.aliases.clone(),
            not_aliases: self.remove_aliases.clone(),
            ..Fields::default()
        }
    }
}

/// Flags of `iisg funding add` and `edit`.
#[derive(Debug, clap::Args)]
pub struct FundingFlags {
    /// Full name
    #[arg(long, help_heading = "Fields")]
    pub name: Option<String>,
    /// The partner that provides the money: a code, name or alias
    #[arg(long, value_name = "PARTNER", help_heading = "Fields")]
    pub provider: Option<String>,
    /// Another way the plan or people write it (repeatable)
    #[arg(long = "alias", value_name = "ALIAS", help_heading = "Fields")]
    pub aliases: Vec<String>,
    /// With `edit`: an alias to take away (repeatable)
    #[arg(long = "remove-alias", value_name = "ALIAS", help_heading = "Fields")]
    pub remove_aliases: Vec<String>,
}

impl EntryFlags for FundingFlags {
    const KIND: RegistryKind = RegistryKind::Funding;
    fn fields(&self) -> Fields {
        Fields {
            name: self.name.clone(),
            provider: self.provider.clone(),
            aliases: self.aliases.clone(),
            not_aliases: self.remove_aliases.clone(),
            ..Fields::default()
        }
    }
}

/// Runs a registry command.
///
/// # Errors
/// When the entry is unknown (or, for `add`, known already), a value is not valid, the
/// change would add an error to the plan, an entry still in use would be removed, or a file
/// cannot be written; nothing is written then.
pub fn run<F: EntryFlags>(args: &Args<F>, context: &mut Context) -> Result<u8, Error> {
    let kind = F::KIND;
    match &args.command {
        Subcommand::List { format } => list(kind, *format, context),
        Subcommand::Add { code, fields } => change(kind, context, |plan| {
            add(kind, plan, code, &fields.fields())
        }),
        Subcommand::Edit { code, fields } => change(kind, context, |plan| {
            edit(kind, plan, code, &fields.fields())
        }),
        Subcommand::Rename { old, new } => {
            change(kind, context, |plan| rename(kind, plan, old, new))
        }
        Subcommand::Remove { code } => change(kind, context, |plan| remove(kind, plan, code)),
    }
}

/// A change to a registry worked out, and what to say once it is made.
#[derive(Clone, Debug)]
pub struct Planned {
    /// The files it writes.
    pub changes: Vec<Change>,
    /// What to say once it is written.
    pub done: String,
    /// A new entry's code: that no file uses it yet is not worth a warning.
    added: Option<String>,
    /// A code renamed, old and new: what the plan's findings said of the old is not new.
    renamed: Option<(String, String)>,
}

impl Planned {
    /// Whether a finding of the plan with the change is its intended outcome, not news:
    /// the new entry is used by no file yet; a finding the plan had (`baseline`) now names
    /// the new code.
    pub fn expected<'a>(&'a self, baseline: &'a [Diagnostic]) -> impl Fn(&Diagnostic) -> bool + 'a {
        let added = self.added.as_deref();
        let renamed = self
            .renamed
            .as_ref()
            .map(|(old, new)| (format!("`{old}`"), format!("`{new}`")));
        move |f: &Diagnostic| {
            let unused_new = f.code == Code::UnusedRegistryEntry
                && added.is_some_and(|c| f.message.ends_with(&format!("`{c}`")));
            // A finding the plan had, now naming the new code (`DCAF-LJ` leads … and is
            // involved).
            let had = renamed.as_ref().is_some_and(|(old, new)| {
                baseline.iter().any(|b| {
                    (b.code, &b.file, b.line) == (f.code, &f.file, f.line)
                        && b.message.replace(old.as_str(), new) == f.message
                })
            });
            unused_new || had
        }
    }
}

/// The refusal of any change to registry `kind` while some file of the plan cannot be read:
/// that file may name a code.
#[must_use]
pub fn unreadable(kind: RegistryKind, plan: &Plan) -> Option<Error> {
    let left_out = plan.problems.iter().filter(|p| super::is_error(p)).count();
    (left_out > 0).then(|| Error::Refused {
        message: format!(
            "{left_out} file{} of the plan could not be read, and a {} change must see \
             every file that may name a code; nothing was written",
            if left_out == 1 { "" } else { "s" },
            kind.noun()
        ),
        help: Some("fix them first: `iisg validate` shows what is wrong".into()),
    })
}

/// Loads the plan under the lock, makes the change, judges it and writes it.
fn change(
    kind: RegistryKind,
    context: &mut Context,
    make: impl FnOnce(&Plan) -> Result<Option<Planned>, Error>,
) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    if let Some(refusal) = unreadable(kind, &plan) {
        return Err(refusal);
    }
    let Some(planned) = make(&plan)? else {
        writeln!(context.out, "{}: nothing to change", kind.noun())?;
        return Ok(0);
    };
    let baseline = check::baseline(&plan);
    context.judge_except(
        &mut plan,
        &baseline,
        &planned.changes,
        &planned.expected(&baseline),
    )?;
    crate::store::commit(&plan.dir, &lock, &planned.changes)?;
    writeln!(context.out, "{}", planned.done)?;
    Ok(0)
}

/// A registry's entries as drafts, with where each code is written, whatever its kind.
struct Book {
    kind: RegistryKind,
    /// The file inside the plan's folder, and its text when the plan has it.
    relative: &'static str,
    old: Option<String>,
    entries: Vec<(EntryDraft, Sp<String>)>,
}

impl Book {
    fn of(plan: &Plan, kind: RegistryKind) -> Self {
        let old = plan
            .sources
            .get(&plan.dir.show(kind.file()))
            .map(|f| f.text.clone());
        let entries = match kind {
            RegistryKind::Partners => drafts(&plan.partners, |p| EntryDraft {
                kind: p.kind.as_ref().map(|k| k.value.clone()),
                ..EntryDraft::default()
            }),
            RegistryKind::Funding => drafts(&plan.funding, |f| EntryDraft {
                provider: f.provider.as_ref().map(|p| p.value.clone()),
                ..EntryDraft::default()
            }),
            RegistryKind::Locations => drafts(&plan.places, |p| EntryDraft {
                kind: p.kind.as_ref().map(|k| k.value.clone()),
                within: p.within.iter().map(|w| w.value.clone()).collect(),
                iso: p.iso.as_ref().map(|i| i.value.clone()),
                ..EntryDraft::default()
            }),
        };
        Self {
            kind,
            relative: kind.file(),
            old,
            entries,
        }
    }

    fn get(&self, code: &str) -> Option<&(EntryDraft, Sp<String>)> {
        self.entries.iter().find(|(e, _)| e.code == code)
    }

    /// The entry a person means: its code, or else an alias or name; or an error with the
    /// closest code.
    fn find(&self, plan: &Plan, text: &str) -> Result<&(EntryDraft, Sp<String>), Error> {
        let code = match self.kind {
            RegistryKind::Partners => input::resolve(&plan.partners, Some(text)),
            RegistryKind::Funding => input::resolve(&plan.funding, Some(text)),
            RegistryKind::Locations => input::resolve(&plan.places, Some(text)),
        }?
        .unwrap_or_default();
        self.get(&code)
            .ok_or_else(|| Error::BadArgument(format!("no {} `{text}`", self.kind.noun())))
    }

    fn layout(&self) -> Layout {
        match (&self.old, self.entries.first()) {
            (Some(text), Some((_, code))) => Layout::of(text, code.referenced),
            _ => Layout::default(),
        }
    }

    /// The file with `text` as its new contents.
    fn change(&self, text: String) -> Change {
        Change::write(self.relative.to_string(), self.old.clone(), text)
    }

    fn cannot(&self, plan: &Plan, why: &entries::EntryError) -> Error {
        Error::Refused {
            message: format!(
                "cannot change {} in place: {why}; nothing was written",
                plan.dir.show(self.relative)
            ),
            help: Some(
                "write it one entry a block, `  - code: …` then its keys, as `iisg init` does; \
                 or change it in an editor"
                    .into(),
            ),
        }
    }
}

fn drafts<E: Entry>(
    registry: &Registry<E>,
    own: impl Fn(&E) -> EntryDraft,
) -> Vec<(EntryDraft, Sp<String>)> {
    registry
        .entries()
        .iter()
        .map(|entry| {
            let draft = EntryDraft {
                code: entry.code().value.clone(),
                name: entry.name().to_string(),
                aliases: entry.aliases().iter().map(|a| a.value.clone()).collect(),
                ..own(entry)
            };
            (draft, entry.code().clone())
        })
        .collect()
}

/// A code as files can write it: letters and digits, with `-`, `_` and `.` between.
fn valid_code(kind: RegistryKind, code: &str) -> Result<(), Error> {
    let ok = code.chars().next().is_some_and(char::is_alphanumeric)
        && code
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && code.chars().count() <= 40;
    if ok {
        return Ok(());
    }
    Err(Error::BadArgument(format!(
        "`{code}` cannot be a {} code: use letters and digits, with `-`, `_` or `.` between \
         (at most 40), e.g. `BORDER-POLICE`; nothing was written",
        kind.noun()
    )))
}

fn nonempty(what: &str, text: &str) -> Result<String, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::BadArgument(format!(
            "the {what} cannot be empty; nothing was written"
        )));
    }
    Ok(text.to_string())
}

/// Applies the flags to a draft; the codes they name (places, a provider) resolved.
fn fill(
    kind: RegistryKind,
    plan: &Plan,
    draft: &mut EntryDraft,
    fields: &Fields,
) -> Result<(), Error> {
    if let Some(name) = &fields.name {
        draft.name = nonempty("name", name)?;
    }
    if let Some(k) = &fields.kind {
        draft.kind = Some(nonempty("kind", k)?);
    }
    if let Some(provider) = &fields.provider {
        draft.provider = input::resolve(&plan.partners, Some(provider))?;
    }
    if let Some(iso) = &fields.iso {
        let iso = iso.trim().to_ascii_uppercase();
        if iso.len() != 2 || !iso.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::BadArgument(format!(
                "`{iso}` is not an ISO 3166-1 alpha-2 country code (two letters, `AL`); \
                 nothing was written"
            )));
        }
        draft.iso = Some(iso);
    }
    let inside = plan.places.within_closure(&draft.code);
    for place in input::codes(&plan.places, &fields.within)? {
        if place == draft.code {
            return Err(Error::BadArgument(format!(
                "`{place}` cannot lie within itself; nothing was written"
            )));
        }
        if inside.contains(&place) {
            return Err(Error::BadArgument(format!(
                "`{place}` lies within `{}` already, so `{}` cannot lie within it; nothing was \
                 written",
                draft.code, draft.code
            )));
        }
        if !draft.within.contains(&place) {
            draft.within.push(place);
        }
    }
    for place in input::codes(&plan.places, &fields.not_within)? {
        draft.within.retain(|w| *w != place);
    }
    for alias in input::split(&fields.aliases) {
        if !draft
            .aliases
            .iter()
            .any(|a| lookup_key(a) == lookup_key(&alias))
        {
            draft.aliases.push(alias);
        }
    }
    for alias in input::split(&fields.not_aliases) {
        let before = draft.aliases.len();
        draft
            .aliases
            .retain(|a| lookup_key(a) != lookup_key(&alias));
        if draft.aliases.len() == before {
            return Err(Error::BadArgument(format!(
                "{} `{}` has no alias `{alias}`; nothing was written",
                kind.noun(),
                draft.code
            )));
        }
    }
    Ok(())
}

/// `add CODE …`: the entry appended to its registry; `None` never (an entry always adds).
///
/// # Errors
/// When the code is taken or not a code, the name (or a place's kind) is missing, or a
/// value is unknown.
pub fn add(
    kind: RegistryKind,
    plan: &Plan,
    code: &str,
    fields: &Fields,
) -> Result<Option<Planned>, Error> {
    let code = code.trim();
    valid_code(kind, code)?;
    let book = Book::of(plan, kind);
    if let Some((existing, _)) = book.get(code) {
        return Err(Error::Refused {
            message: format!(
                "the plan has a {} `{code}` already ({}); nothing was written",
                kind.noun(),
                existing.name
            ),
            help: Some(format!(
                "change it with `iisg {} edit {code} …`, or choose another code",
                kind.command()
            )),
        });
    }
    if fields.name.is_none() {
        return Err(Error::BadArgument(format!(
            "a new {} needs its full name: `iisg {} add {code} --name NAME`; nothing was written",
            kind.noun(),
            kind.command()
        )));
    }
    if kind == RegistryKind::Locations && fields.kind.is_none() {
        return Err(Error::BadArgument(format!(
            "a new location needs its kind (region, country, border, city, site, …): \
             `iisg location add {code} --name NAME --kind country`; nothing was written"
        )));
    }
    if !fields.not_aliases.is_empty() || !fields.not_within.is_empty() {
        return Err(Error::BadArgument(
            "`--remove-alias` and `--remove-within` are for `edit`; nothing was written".into(),
        ));
    }
    let mut draft = EntryDraft {
        code: code.to_string(),
        ..EntryDraft::default()
    };
    fill(kind, plan, &mut draft, fields)?;
    let text = entries::append(kind, book.old.as_deref(), &draft, book.layout())
        .map_err(|why| book.cannot(plan, &why))?;
    Ok(Some(Planned {
        changes: vec![book.change(text)],
        done: format!(
            "added {} {code} ({}) to {}",
            kind.noun(),
            draft.name,
            plan.dir.show(kind.file())
        ),
        added: Some(draft.code),
        renamed: None,
    }))
}

/// `edit CODE …`: the entry's own lines rewritten; `None` when nothing changes.
///
/// # Errors
/// When there is no such entry, or a value is unknown or not valid.
pub fn edit(
    kind: RegistryKind,
    plan: &Plan,
    code: &str,
    fields: &Fields,
) -> Result<Option<Planned>, Error> {
    let book = Book::of(plan, kind);
    let (old, at) = book.find(plan, code)?;
    let mut new = old.clone();
    fill(kind, plan, &mut new, fields)?;
    if new == *old {
        return Ok(None);
    }
    let text = book.old.as_deref().unwrap_or_default();
    let layout = Layout::of(text, at.referenced);
    let text = entries::replace_entry(text, at.referenced, &entries::render(kind, &new, layout))
        .map_err(|why| book.cannot(plan, &why))?;
    Ok(Some(Planned {
        changes: vec![book.change(text)],
        done: format!("changed {} {}", kind.noun(), new.code),
        added: None,
        renamed: None,
    }))
}

/// One place a file names an entry's code.
#[derive(Clone, Debug)]
struct Reference {
    /// The file inside the plan's folder.
    relative: String,
    /// What names it: `action 4 (lead)`.
    what: String,
    /// Where the code is written; `None` when the text is not at hand (or does not hold the
    /// code where it was read).
    at: Option<CodeAt>,
}

/// The references to one code, as they are found.
struct Found<'a> {
    code: &'a str,
    list: Vec<Reference>,
}

impl Found<'_> {
    /// Notes `value` when it names the code, with where the text writes it.
    fn scalar(
        &mut self,
        relative: &str,
        what: impl FnOnce() -> String,
        text: &str,
        value: &Sp<String>,
    ) {
        if value.value == self.code {
            self.list.push(Reference {
                relative: relative.to_string(),
                what: what(),
                at: CodeAt::scalar(text, value.referenced, self.code),
            });
        }
    }
}

/// Every place the plan's files name `code` of registry `kind`, in file order.
fn references(plan: &Plan, kind: RegistryKind, code: &str) -> Vec<Reference> {
    let mut found = Found {
        code,
        list: Vec::new(),
    };
    for action in &plan.actions {
        let relative = action.relative();
        let text = action.file.text.as_str();
        let a = &action.record;
        let what = |field: &str| format!("action {} ({field})", a.id.value);
        let fields: Vec<(&str, Vec<&Sp<String>>)> = match kind {
            RegistryKind::Partners => vec![
                ("lead", a.lead.value.iter().collect()),
                ("involved", a.involved.value.iter().collect()),
            ],
            RegistryKind::Locations => vec![
                ("locations", a.locations.value.iter().collect()),
                (
                    "requested_by",
                    a.requested_by.as_deref().into_iter().collect(),
                ),
            ],
            RegistryKind::Funding => {
                for entry in a.financing.value.iter().filter(|f| f.value.source == code) {
                    found.list.push(Reference {
                        relative: relative.clone(),
                        what: what("financing"),
                        at: CodeAt::funding_source(text, entry.referenced, code),
                    });
                }
                Vec::new()
            }
        };
        for (field, values) in fields {
            for value in values {
                found.scalar(&relative, || what(field), text, value);
            }
        }
    }
    for forum in &plan.forums {
        let name = forum
            .file
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().to_string());
        let relative = format!("forums/{}", name.unwrap_or_default());
        let f = &forum.record;
        let fields = match kind {
            RegistryKind::Partners => vec![("pillar", &f.pillar), ("host", &f.host)],
            RegistryKind::Locations => vec![("place", &f.place)],
            RegistryKind::Funding => Vec::new(),
        };
        for (field, value) in fields {
            if let Some(value) = value {
                let what = || format!("forum {} ({field})", f.code.value);
                found.scalar(&relative, what, &forum.file.text, value);
            }
        }
    }
    let text_of = |kind: RegistryKind| {
        plan.sources
            .get(&plan.dir.show(kind.file()))
            .map_or("", |f| f.text.as_str())
    };
    match kind {
        RegistryKind::Partners => {
            let (file, text) = (RegistryKind::Funding.file(), text_of(RegistryKind::Funding));
            for source in plan.funding.entries() {
                if let Some(provider) = &source.provider {
                    let what = || format!("funding source {} (provider)", source.code.value);
                    found.scalar(file, what, text, provider);
                }
            }
            if let Some(info) = &plan.info
                && let Some(coordinator) = &info.record.coordinator
            {
                let what = || "plan.yaml (coordinator)".to_string();
                found.scalar("plan.yaml", what, &info.file.text, coordinator);
            }
        }
        RegistryKind::Locations => {
            let (file, text) = (kind.file(), text_of(kind));
            for place in plan.places.entries() {
                for parent in &place.within {
                    let what = || format!("location {} (within)", place.code.value);
                    found.scalar(file, what, text, parent);
                }
            }
        }
        RegistryKind::Funding => {}
    }
    found.list
}

/// Gives entry `old` the code `new` in its registry and wherever a file names it, as one
/// change.
///
/// # Errors
/// When there is no such entry, the new code is taken or not a code, or a file cannot be
/// rewritten.
pub fn rename(
    kind: RegistryKind,
    plan: &Plan,
    old: &str,
    new: &str,
) -> Result<Option<Planned>, Error> {
    let book = Book::of(plan, kind);
    let (entry, at) = book.find(plan, old)?;
    let old = entry.code.clone();
    let new = new.trim();
    valid_code(kind, new)?;
    if new == old {
        return Ok(None);
    }
    if let Some((other, _)) = book.get(new) {
        return Err(Error::Refused {
            message: format!(
                "the plan has a {} `{new}` already ({}); nothing was written",
                kind.noun(),
                other.name
            ),
            help: Some("choose a code no entry has".into()),
        });
    }
    let mut by_file: BTreeMap<String, Vec<CodeAt>> = BTreeMap::new();
    let mut count = 0;
    for reference in references(plan, kind, &old) {
        let Some(place) = reference.at else {
            return Err(Error::Refused {
                message: format!(
                    "cannot find where {} names `{old}` in {}; nothing was written",
                    reference.what,
                    plan.dir.show(&reference.relative)
                ),
                help: Some(
                    "write the code there plainly (`DCAF`, not an alias), then rename".into(),
                ),
            });
        };
        by_file.entry(reference.relative).or_default().push(place);
        count += 1;
    }
    let registry_text = book.old.as_deref().unwrap_or_default();
    let own = CodeAt::scalar(registry_text, at.referenced, &old).ok_or_else(|| {
        book.cannot(
            plan,
            &entries::EntryError("the entry's code is not where it was read"),
        )
    })?;
    by_file
        .entry(book.relative.to_string())
        .or_default()
        .push(own);
    let mut changes = Vec::with_capacity(by_file.len());
    for (relative, places) in &by_file {
        let Some(file) = plan.sources.get(&plan.dir.show(relative)) else {
            continue;
        };
        changes.push(Change::Replace {
            relative: relative.clone(),
            old: file.text.clone(),
            text: entries::rename_at(&file.text, places, new),
        });
    }
    let files = changes.len() - 1;
    Ok(Some(Planned {
        changes,
        done: format!(
            "renamed {} {old} to {new}: {} and {count} reference{} in {files} file{}",
            kind.noun(),
            plan.dir.show(kind.file()),
            if count == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" },
        ),
        added: None,
        renamed: Some((old.clone(), new.to_string())),
    }))
}

/// Takes entry `code` out of its registry; refused while anything names it.
///
/// # Errors
/// When there is no such entry, or a file names it (said which).
pub fn remove(kind: RegistryKind, plan: &Plan, code: &str) -> Result<Option<Planned>, Error> {
    let book = Book::of(plan, kind);
    let (entry, at) = book.find(plan, code)?;
    let code = entry.code.clone();
    let used = references(plan, kind, &code);
    if !used.is_empty() {
        const SHOWN: usize = 8;
        let mut named: Vec<String> = used.iter().take(SHOWN).map(|r| r.what.clone()).collect();
        if used.len() > SHOWN {
            named.push(format!("and {} more", used.len() - SHOWN));
        }
        return Err(Error::Refused {
            message: format!(
                "{} {code} is still named by {}; nothing was removed",
                kind.noun(),
                named.join(", ")
            ),
            help: Some(format!(
                "change those first (`iisg list --{} {code}` lists the actions), or give the \
                 entry a new code with `iisg {} rename {code} NEW`",
                match kind {
                    RegistryKind::Partners => "partner",
                    RegistryKind::Funding => "financing",
                    RegistryKind::Locations => "location",
                },
                kind.command()
            )),
        });
    }
    let text = entries::replace_entry(book.old.as_deref().unwrap_or_default(), at.referenced, "")
        .map_err(|why| book.cannot(plan, &why))?;
    Ok(Some(Planned {
        changes: vec![book.change(text)],
        done: format!(
            "removed {} {code} from {}",
            kind.noun(),
            plan.dir.show(kind.file())
        ),
        added: None,
        renamed: None,
    }))
}

/// The entries of registry `kind` as plain values, each with how many places of the plan's
/// files name it: what `list` shows.
#[must_use]
pub fn entries(plan: &Plan, kind: RegistryKind) -> Vec<(EntryDraft, usize)> {
    Book::of(plan, kind)
        .entries
        .into_iter()
        .map(|(entry, _)| {
            let used = references(plan, kind, &entry.code).len();
            (entry, used)
        })
        .collect()
}

/// One entry, as `list --format json` prints it.
#[derive(Serialize)]
struct Listed<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    within: Option<&'a [String]>,
    aliases: &'a [String],
    references: usize,
}

fn list(
    kind: RegistryKind,
    format: super::show::Format,
    context: &mut Context,
) -> Result<u8, Error> {
    let plan = Plan::read(context.read_dir()?, crate::store::Actions::All, Texts::Drop);
    let left_out = context.tell_left_out(&plan)?;
    let book = Book::of(&plan, kind);
    let listed: Vec<Listed> = book
        .entries
        .iter()
        .map(|(e, _)| Listed {
            code: &e.code,
            name: &e.name,
            kind: e.kind.as_deref(),
            provider: e.provider.as_deref(),
            within: (kind == RegistryKind::Locations).then_some(e.within.as_slice()),
            aliases: &e.aliases,
            references: references(&plan, kind, &e.code).len(),
        })
        .collect();
    let text = match format {
        super::show::Format::Json => render::json(&listed),
        super::show::Format::Table if listed.is_empty() => format!(
            "No {} yet: `iisg {} add CODE --name NAME` adds one.\n",
            kind.key(),
            kind.command()
        ),
        super::show::Format::Table => {
            let third = match kind {
                RegistryKind::Partners | RegistryKind::Locations => "Kind",
                RegistryKind::Funding => "Provider",
            };
            let mut headers = vec!["Code", "Name", third];
            if kind == RegistryKind::Locations {
                headers.push("Within");
            }
            headers.extend(["Aliases", "Used"]);
            let mut grid = Grid::new(&headers);
            for e in &listed {
                let mut row = vec![
                    e.code.to_string(),
                    e.name.to_string(),
                    e.kind.or(e.provider).unwrap_or_default().to_string(),
                ];
                if let Some(within) = e.within {
                    row.push(within.join(", "));
                }
                row.extend([e.aliases.join(", "), e.references.to_string()]);
                grid.push(row);
            }
            let order: Vec<u8> = match kind {
                RegistryKind::Locations => vec![0, 0, 3, 2, 4, 1],
                _ => vec![0, 0, 3, 4, 1],
            };
            grid.dropping(&order).table(context.style)
        }
    };
    context.out.write_all(text.as_bytes())?;
    Ok(u8::from(left_out))
}

//! `iisg add-action`: a new action, checked against the whole plan before it is written.

use std::sync::Arc;

use std::collections::HashSet;

use super::{Context, input, prompt};
use crate::error::Error;
use crate::model::{
    Action, ActionDraft, Entry, Registry, RegistryKind, Status, Timeline, lookup_key,
};
use crate::render::terminal;
use crate::store::entries::{self, EntryDraft, Layout};
use crate::store::yaml;
use crate::store::{Actions, Change, Plan, Texts, slug};

/// Arguments of `iisg add-action`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Args {
    /// The title, as written in the plan
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub title: Option<String>,
    /// A lead partner: code, name or alias (repeat, or separate with commas, for a joint lead)
    #[arg(long, value_name = "PARTNER", help_heading = "Fields")]
    pub lead: Vec<String>,
    /// An involved partner: code, name or alias (repeatable)
    #[arg(long, value_name = "PARTNER", help_heading = "Fields")]
    pub involved: Vec<String>,
    /// A place: code, name or alias (repeatable); none while undecided
    #[arg(long = "location", value_name = "PLACE", help_heading = "Fields")]
    pub locations: Vec<String>,
    /// Who it is for, as written
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub scope: Option<String>,
    /// When: `July 2019`, `By May 2019`, `Q2 2019`, `2019`, `After <event>`, …
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub timeline: Option<String>,
    /// Status [default: planned]: requested, planned, in-progress, completed, postponed or cancelled, in any case; done,
    /// ongoing, on hold and the like are understood
    #[arg(long, value_parser = Status::parse_words, help_heading = "Fields")]
    pub status: Option<Status>,
    /// Who requested it (a place code, name or alias), for a `requested` action
    #[arg(long, value_name = "PLACE", help_heading = "Fields")]
    pub requested_by: Option<String>,
    /// A funding source: code, name or alias; end it with `?` when the money is tentative
    /// (`--financing "TAIEX?"`) (repeatable); none while undecided
    #[arg(long, value_name = "SOURCE", help_heading = "Fields")]
    pub financing: Vec<String>,
    /// An Annex 1 need it answers, e.g. `BP-7` (repeatable)
    #[arg(long = "addresses", value_name = "NEED", help_heading = "Fields")]
    pub addresses: Vec<String>,
    /// A logframe row (its id) whose results the action contributes to (repeatable)
    #[arg(long = "contributes-to", value_name = "ROW", help_heading = "Fields")]
    pub contributes_to: Vec<i64>,
    /// Free text
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub notes: Option<String>,
    /// Print the file that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Registry entries added at the prompts, for codes no registry knew.
    #[arg(skip)]
    pub new_entries: Vec<(RegistryKind, EntryDraft)>,
}

/// Runs `iisg add-action`.
///
/// # Errors
/// When a value is unknown or missing, the new action would make the plan wrong, or the
/// file cannot be written; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let mut args = args.clone();
    if context.interactive {
        ask_missing(
            &mut args,
            &Plan::read(dir.clone(), Actions::All, Texts::Keep),
        )?;
    }
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let (draft, registries) = draft(&mut plan, &args)?;
    let slug = slug(&draft.title, 48);
    let render = |id| {
        yaml::action(&ActionDraft {
            id,
            ..draft.clone()
        })
    };
    context.add_record::<Action>(
        (&mut plan, &lock),
        (draft.id, &slug),
        (&render, &registries),
        "action",
        args.dry_run,
    )
}

/// The new action `args` describe, its codes resolved against `plan` and its id the next
/// free one, with the changes that add the entries given in `args.new_entries` to their
/// registries (staged into `plan`). What `add-action` and the web server's new action share.
///
/// # Errors
/// When the title, a lead or the timeline is missing, a value is unknown, or no id is left.
pub fn draft(plan: &mut Plan, args: &Args) -> Result<(ActionDraft, Vec<Change>), Error> {
    let given = |v: &Option<String>| v.clone().filter(|t| !t.trim().is_empty());
    let title = given(&args.title).ok_or(Error::Missing("title"))?;
    if input::split(&args.lead).is_empty() {
        return Err(Error::Missing("lead"));
    }
    let timeline = given(&args.timeline).ok_or(Error::Missing("timeline"))?;
    let registries = add_entries(plan, &args.new_entries)?;
    let requested_by = given(&args.requested_by);
    let draft = ActionDraft {
        id: plan
            .next_id::<Action>()
            .ok_or_else(|| Error::NoFreeId("action".into()))?,
        title,
        lead: input::codes(&plan.partners, &args.lead)?,
        involved: input::codes(&plan.partners, &args.involved)?,
        locations: input::codes(&plan.places, &args.locations)?,
        scope: args.scope.clone().unwrap_or_default(),
        timeline,
        status: args.status.unwrap_or(Status::Planned),
        requested_by: input::resolve(&plan.places, requested_by.as_deref())?,
        financing: input::funding(plan, &args.financing)?,
        addresses: Some(input::needs(plan, &args.addresses)?).filter(|a| !a.is_empty()),
        contributes_to: Some(args.contributes_to.clone()).filter(|c| !c.is_empty()),
        notes: args.notes.clone().filter(|n| !n.trim().is_empty()),
    };
    Ok((draft, registries))
}

/// The entries added at the prompts, appended to their registries in the plan as staged;
/// the registries' new texts, to be written with the action in one change.
fn add_entries(plan: &mut Plan, new: &[(RegistryKind, EntryDraft)]) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    for kind in RegistryKind::ALL {
        let mut text = plan
            .sources
            .get(&plan.dir.show(kind.file()))
            .map(|f| f.text.clone());
        let old = text.clone();
        for (_, entry) in new.iter().filter(|(k, _)| *k == kind) {
            let appended = entries::append(kind, text.as_deref(), entry, Layout::default())
                .map_err(|why| Error::Refused {
                    message: format!(
                        "cannot add {} {} to {}: {why}; nothing was written",
                        kind.noun(),
                        entry.code,
                        plan.dir.show(kind.file())
                    ),
                    help: Some(format!(
                        "add it with `iisg {} add {} --name …` once the file is one entry a block",
                        kind.command(),
                        entry.code
                    )),
                })?;
            text = Some(appended);
        }
        let Some(text) = text.filter(|t| Some(t) != old.as_ref()) else {
            continue;
        };
        plan.stage_registry(kind, text.clone())
            .map_err(|finding| Error::Refused {
                message: format!("{}; nothing was written", finding.message),
                help: None,
            })?;
        let relative = kind.file().to_string();
        changes.push(Change::write(relative, old, text));
    }
    Ok(changes)
}

impl Args {
    /// Whether any field was given as a flag.
    fn any_field(&self) -> bool {
        self.title.is_some()
            || !self.lead.is_empty()
            || !self.involved.is_empty()
            || !self.locations.is_empty()
            || self.scope.is_some()
            || self.timeline.is_some()
            || self.status.is_some()
            || !self.financing.is_empty()
            || !self.addresses.is_empty()
    }
}

/// Asks for codes of registry `E` (names and aliases too; a funding code may end with `?`):
/// each unknown one is offered to be added on the spot — with the closest code named, so a
/// typo is answered no and the question asked again. Nothing else typed is lost.
fn ask_codes<E: Entry>(
    registry: &Registry<E>,
    (label, help): (&str, &str),
    required: bool,
    plan: &Plan,
    new: &mut Vec<(RegistryKind, EntryDraft)>,
) -> Result<String, Error> {
    let kind = E::KIND;
    let mut completions: Vec<String> = registry
        .entries()
        .iter()
        .map(|e| e.code().value.clone())
        .collect();
    completions.extend(
        new.iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, e)| e.code.clone()),
    );
    'ask: loop {
        let answer = prompt::ask(label, help, Some(completions.clone()), required, None)?;
        let mut written = Vec::new();
        let mut added = Vec::new();
        for name in input::split(std::slice::from_ref(&answer)) {
            let (bare, tentative) = match name.strip_suffix('?') {
                Some(bare) => (bare.trim_end().to_string(), "?"),
                None => (name.clone(), ""),
            };
            let known = registry
                .resolve(&bare)
                .map(|e| e.code().value.clone())
                .or_else(|| {
                    new.iter()
                        .chain(&added)
                        .find(|(k, e)| *k == kind && lookup_key(&e.code) == lookup_key(&bare))
                        .map(|(_, e)| e.code.clone())
                });
            if let Some(code) = known {
                written.push(format!("{code}{tentative}"));
                continue;
            }
            let hint = registry
                .suggest(&bare)
                .map(|c| format!(" (did you mean {c}?)"))
                .unwrap_or_default();
            let question = format!(
                "`{}` is no {} yet{hint}. Add it to {}?",
                terminal::clean(&bare),
                kind.noun(),
                kind.file()
            );
            if !prompt::confirm(&question)? {
                continue 'ask;
            }
            let entry = ask_entry(kind, &bare, plan, registry, &added)?;
            written.push(format!("{}{tentative}", entry.code));
            added.push((kind, entry));
        }
        new.extend(added);
        return Ok(written.join(", "));
    }
}

/// The values of a registry entry added at a prompt: its name (the text typed, unless
/// changed), and a place's kind or a funding source's provider.
fn ask_entry<E: Entry>(
    kind: RegistryKind,
    typed: &str,
    plan: &Plan,
    registry: &Registry<E>,
    added: &[(RegistryKind, EntryDraft)],
) -> Result<EntryDraft, Error> {
    let taken: HashSet<String> = registry
        .entries()
        .iter()
        .map(|e| e.code().value.clone())
        .chain(added.iter().map(|(_, e)| e.code.clone()))
        .collect();
    let code = entries::new_code(typed, &taken);
    let name = prompt::ask(
        &format!("Full name of {code}:"),
        &format!("Enter keeps `{typed}`"),
        None,
        false,
        None,
    )?;
    let mut entry = EntryDraft {
        code,
        name: if name.is_empty() {
            typed.to_string()
        } else {
            name
        },
        ..EntryDraft::default()
    };
    match kind {
        RegistryKind::Partners => {}
        RegistryKind::Locations => {
            let kinds = ["region", "country", "border", "city", "site"].map(String::from);
            entry.kind = Some(prompt::ask(
                "Kind of place:",
                "region, country, border, city, site, …",
                Some(kinds.to_vec()),
                true,
                None,
            )?);
            let within = ask_known(
                &plan.places,
                "Lies within:",
                "place codes, separated by commas; Enter for none",
            )?;
            entry.within = input::codes(&plan.places, &[within])?;
        }
        RegistryKind::Funding => {
            let provider = ask_known(
                &plan.partners,
                "Provided by (a partner):",
                "a partner code, name or alias; Enter for none",
            )?;
            let provider = Some(provider.as_str()).filter(|p| !p.is_empty());
            entry.provider = input::resolve(&plan.partners, provider)?;
        }
    }
    Ok(entry)
}

/// Asks for codes (names, aliases) that `registry` knows, each checked as it is typed;
/// Enter for none.
fn ask_known<E: Entry + Clone + Send + Sync + 'static>(
    registry: &Registry<E>,
    label: &str,
    help: &str,
) -> Result<String, Error> {
    let codes = registry
        .entries()
        .iter()
        .map(|e| e.code().value.clone())
        .collect();
    let known = Arc::new(registry.clone());
    let check: prompt::Check = Arc::new(move |answer: &str| {
        input::codes(&known, &[answer.to_string()])
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    prompt::ask(label, help, Some(codes), false, Some(check))
}

/// Asks for the status and the needs the action answers, each checked as it is given.
fn ask_status_and_needs(args: &mut Args, plan: &Plan) -> Result<(), Error> {
    let codes = |entries: Vec<String>| Some(entries);
    let status: prompt::Check = Arc::new(|answer: &str| {
        if answer.trim().is_empty() {
            return Ok(());
        }
        Status::parse_words(answer).map(|_| ())
    });
    let answer = prompt::ask(
        "Status:",
        "planned, requested, in-progress, completed, postponed, cancelled; Enter for planned",
        codes(Status::ALL.iter().map(|s| s.as_str().to_string()).collect()),
        false,
        Some(status),
    )?;
    args.status = Status::from_words(&answer);
    let needs: Vec<String> = plan
        .forums
        .iter()
        .flat_map(|f| f.record.all_needs())
        .map(|(need, _)| need.id.value.clone())
        .collect();
    let known_needs = needs.clone();
    let check_needs: prompt::Check = Arc::new(move |answer: &str| {
        for id in input::split(&[answer.to_string()]) {
            if !known_needs.iter().any(|k| k.eq_ignore_ascii_case(&id)) {
                return Err(format!(
                    "no need of Annex 1 is `{id}` (needs are like BP-7 or CP-2)"
                ));
            }
        }
        Ok(())
    });
    args.addresses = vec![prompt::ask(
        "Needs it answers:",
        "Annex 1 ids such as BP-7, separated by commas; Enter for none",
        codes(needs),
        false,
        Some(check_needs),
    )?];
    Ok(())
}

/// On a terminal: asks for each required field not given, and — when no field was given at
/// all — for the optional ones too (Enter leaves one empty).
fn ask_missing(args: &mut Args, plan: &Plan) -> Result<(), Error> {
    let everything = !args.any_field();
    let mut new = std::mem::take(&mut args.new_entries);
    if args.title.is_none() {
        args.title = Some(prompt::ask(
            "Title:",
            "as written in the plan",
            None,
            true,
            None,
        )?);
    }
    if args.lead.is_empty() {
        let label = (
            "Lead partner(s):",
            "codes, names or aliases, separated by commas; Tab completes",
        );
        args.lead = vec![ask_codes(&plan.partners, label, true, plan, &mut new)?];
    }
    if everything {
        let label = ("Involved partners:", "separated by commas; Enter for none");
        args.involved = vec![ask_codes(&plan.partners, label, false, plan, &mut new)?];
        let label = (
            "Locations:",
            "place codes, separated by commas; Enter while undecided",
        );
        args.locations = vec![ask_codes(&plan.places, label, false, plan, &mut new)?];
        args.scope = Some(prompt::ask(
            "Scope:",
            "who it is for, as written",
            None,
            false,
            None,
        )?);
    }
    if args.timeline.is_none() {
        let check: prompt::Check =
            Arc::new(|t| Timeline::parse(t).map(|_| ()).map_err(|e| e.reason));
        args.timeline = Some(prompt::ask(
            "Timeline:",
            "July 2019, By May 2019, Q2 2019, 2019, After <event>",
            None,
            true,
            Some(check),
        )?);
    }
    if everything {
        let label = (
            "Financing:",
            "funding codes, separated by commas; end one with ? when tentative; Enter while undecided",
        );
        args.financing = vec![ask_codes(&plan.funding, label, false, plan, &mut new)?];
        ask_status_and_needs(args, plan)?;
    }
    args.new_entries = new;
    Ok(())
}

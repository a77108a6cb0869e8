//! `iisg add-action`: a new action, checked against the whole plan before it is written.

use std::sync::Arc;

use super::{Context, input, prompt};
use crate::error::Error;
use crate::model::{Action, ActionDraft, Entry, Registry, Status, Timeline};
use crate::store::yaml;
use crate::store::{Actions, Plan, Texts, slug};

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
    /// Free text
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub notes: Option<String>,
    /// Print the file that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
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
    let title = args.title.clone().ok_or(Error::Missing("title"))?;
    if input::split(&args.lead).is_empty() {
        return Err(Error::Missing("lead"));
    }
    let timeline = args.timeline.clone().ok_or(Error::Missing("timeline"))?;

    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
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
        requested_by: input::resolve(&plan.places, args.requested_by.as_deref())?,
        financing: input::funding(&plan, &args.financing)?,
        addresses: Some(input::needs(&plan, &args.addresses)?).filter(|a| !a.is_empty()),
        notes: args.notes.clone().filter(|n| !n.trim().is_empty()),
    };
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
        &render,
        "action",
        args.dry_run,
    )
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

/// On a terminal: asks for each required field not given, and — when no field was given at
/// all — for the optional ones too (Enter leaves one empty).
/// A check of an answer of codes (names and aliases too) against a registry: each unknown
/// one is refused as typed, with the closest code and how to add it, so that nothing else
/// typed is lost. A funding code may end with `?` (tentative).
fn known<E: Entry + Clone + Send + Sync + 'static>(registry: &Registry<E>) -> prompt::Check {
    let (noun, adder) = (E::KIND.noun(), E::KIND.command());
    let registry = Arc::new(registry.clone());
    Arc::new(move |answer: &str| {
        for name in input::split(&[answer.to_string()]) {
            let name = name.strip_suffix('?').map_or(name.as_str(), str::trim_end);
            if registry.resolve(name).is_none() {
                let hint = registry
                    .suggest(name)
                    .map(|c| format!("; did you mean {c}?"))
                    .unwrap_or_default();
                return Err(format!(
                    "unknown {noun} {name}{hint} (`iisg {adder} add CODE --name {}` adds it)",
                    input::shell_word(name)
                ));
            }
        }
        Ok(())
    })
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

fn ask_missing(args: &mut Args, plan: &Plan) -> Result<(), Error> {
    let everything = !args.any_field();
    let codes = |entries: Vec<String>| Some(entries);
    let partners: Vec<String> = plan
        .partners
        .entries()
        .iter()
        .map(|e| e.code().value.clone())
        .collect();
    let places: Vec<String> = plan
        .places
        .entries()
        .iter()
        .map(|e| e.code().value.clone())
        .collect();
    let funding: Vec<String> = plan
        .funding
        .entries()
        .iter()
        .map(|e| e.code().value.clone())
        .collect();
    let known_partners = known(&plan.partners);
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
        let answer = prompt::ask(
            "Lead partner(s):",
            "codes, names or aliases, separated by commas; Tab completes",
            codes(partners.clone()),
            true,
            Some(known_partners.clone()),
        )?;
        args.lead = vec![answer];
    }
    if everything {
        let answer = prompt::ask(
            "Involved partners:",
            "separated by commas; Enter for none",
            codes(partners),
            false,
            Some(known_partners),
        )?;
        args.involved = vec![answer];
        args.locations = vec![prompt::ask(
            "Locations:",
            "place codes, separated by commas; Enter while undecided",
            codes(places),
            false,
            Some(known(&plan.places)),
        )?];
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
        args.financing = vec![prompt::ask(
            "Financing:",
            "funding codes, separated by commas; end one with ? when tentative; Enter while undecided",
            codes(funding),
            false,
            Some(known(&plan.funding)),
        )?];
        ask_status_and_needs(args, plan)?;
    }
    Ok(())
}

//! `iisg init [DIR]`: a new plan, empty or the shipped IISG plan, written all at once.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use super::Context;
use crate::error::Error;
use crate::store;

include!(concat!(env!("OUT_DIR"), "/example.rs"));

/// Arguments of `iisg init`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// The repository folder; the plan goes in its `data/` [default: the working directory]
    pub dir: Option<PathBuf>,
    /// Write the IISG Response Action 2018-2019 that ships with iisg, to try every command
    #[arg(long)]
    pub example: bool,
}

/// Runs `iisg init`.
///
/// # Errors
/// When a plan is already there, or the folder cannot be written; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let root = match &args.dir {
        Some(dir) => context.cwd.join(dir),
        None => context.cwd.clone(),
    };
    let target = root.join("data");
    if root.join("plan.yaml").exists() || target.join("plan.yaml").exists() {
        return Err(refuse(&root, "a plan is already there"));
    }
    if std::fs::read_dir(&target).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(refuse(&target, "the folder is not empty"));
    }
    let year = chrono::Local::now().year();
    let files: Vec<(String, String)> = if args.example {
        EXAMPLE
            .iter()
            .map(|(p, t)| ((*p).to_string(), (*t).to_string()))
            .collect()
    } else {
        empty_plan(year)
    };
    store::create_plan(&root, &files)?;
    let what = if args.example {
        "the IISG example plan"
    } else {
        "a new, empty plan"
    };
    writeln!(context.out, "wrote {what} to {}", target.display())?;
    let here = args
        .dir
        .as_ref()
        .map_or(String::new(), |d| format!("cd {} && ", d.display()));
    writeln!(
        context.out,
        "next: {here}`iisg partner add CODE --name NAME` for each partner, then `iisg \
         add-action`; `iisg validate` checks the plan, and `git init && git add data && git \
         commit` keeps its history"
    )?;
    Ok(0)
}

fn refuse(path: &Path, reason: &str) -> Error {
    Error::Refused {
        message: format!(
            "refusing to write a plan into `{}`: {reason}",
            path.display()
        ),
        help: Some("choose another folder; iisg init never overwrites a plan".into()),
    }
}

/// plan.yaml and empty registries, each with comments that explain its fields. Each example
/// is a whole entry: with its `#`s removed it is valid as it stands, so a person can start
/// from it.
fn empty_plan(year: i32) -> Vec<(String, String)> {
    let plan = format!(
        "# The plan: what it is, the months it covers, and the date its statuses describe.\n\
         # `iisg plan set` changes these without editing this file.\n\
         title: New plan of actions\n\
         # issued: {year}-01-31            # the date the document was issued\n\
         period:                           # the months the plan covers, both included\n  \
         start: {year}-01\n  \
         end: {year}-12\n\
         # as_of: {year}-06-30             # the date the statuses describe; default: today\n\
         # coordinator: DCAF               # the partner that keeps the plan (a partner code)\n"
    );
    let partners = "# Organisations: every partner code an action, forum or funding source uses.\n\
        # Add one with `iisg partner add CODE --name NAME`, or remove the `#`s of the example.\n\
        partners:\n\
        #  - code: DCAF                     # what files write\n\
        #    name: Geneva Centre for Security Sector Governance\n\
        #    kind: international-organisation\n\
        #    aliases: [DCAF Ljubljana]      # other ways people write it\n";
    let funding = "# Funding sources: every code an action's `financing` uses.\n\
        # Add one with `iisg funding add CODE --name NAME`, or remove the `#`s of the example.\n\
        funding:\n\
        #  - code: IPA-II-2017\n\
        #    name: EU Instrument for Pre-accession Assistance (IPA II), 2017\n\
        #    provider: DCAF                 # optional: the partner that provides it\n\
        #    aliases: [IPA II 2017]\n";
    let locations = "# Places: regions, countries, borders, cities and sites.\n\
        # Add one with `iisg location add CODE --name NAME --kind KIND`, or remove the `#`s.\n\
        locations:\n\
        #  - code: WB\n\
        #    name: Western Balkans\n\
        #    kind: region                   # region, country, border, city, site\n\
        #  - code: ALB\n\
        #    name: Albania\n\
        #    kind: country\n\
        #    within: [WB]                   # the places that directly contain it\n\
        #    aliases: [Shqipëria]\n";
    vec![
        ("plan.yaml".into(), plan),
        ("partners.yaml".into(), partners.into()),
        ("funding.yaml".into(), funding.into()),
        ("locations.yaml".into(), locations.into()),
    ]
}

//! `iisg import FILE`: the document's List of Actions (or any table with its columns) as
//! action files, checked as a whole and written all or nothing. The work is `crate::import`'s;
//! this reads the file, tells the findings and writes.

use std::io::Write;
use std::path::PathBuf;

use super::Context;
use crate::check;
use crate::error::Error;
use crate::import::{self, Import, Outcome};
use crate::render::{self, diagnostic as show};
use crate::store::{self, Change, Plan, Texts, read_table};

/// Arguments of `iisg import`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// The table: TSV or CSV (the delimiter is found from the header), an Excel workbook
    /// (.xlsx) or a Word document (.docx), whose header names the document's columns — #,
    /// ACTION, LEAD PARTNER, INVOLVED, LOCATION, SCOPE, TIMELINE, STATUS, FINANCING — in any
    /// order and case. Of a Word document, the first table with that header is read: a cell's
    /// paragraphs joined by spaces, tracked changes as accepted, a merged cell's text in
    /// every row it spans
    pub file: PathBuf,
    /// In a workbook: the sheet to read [default: the first whose header names the columns]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Show which actions and files would be added or updated, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Add the names no registry knows to partners.yaml, funding.yaml or locations.yaml
    /// instead of refusing the table
    #[arg(long)]
    pub add_missing: bool,
    /// Rewrite the actions whose id the plan already has, instead of refusing the table
    #[arg(long)]
    pub update: bool,
    /// How the findings are told: on standard error for people, or as a JSON array on
    /// standard output (what was added is then told on standard error)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// How `import` tells its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Like `validate`: the code, the message, the table's line, row and column, a help line.
    Human,
    /// An array of findings, each with `cell`: its `row` and `column`.
    Json,
}

/// Runs `iisg import`.
///
/// # Errors
/// When the table cannot be read or has errors (every one is told first), or the plan
/// cannot be read or written; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    // The table is read (and refused) before the plan's lock is taken: a slow or hostile
    // input never holds up another writer.
    let (table, shown_file) = read(args, &context.cwd)?;
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let as_of = plan.as_of(None);
    let baseline = check::check(&plan, check::Options { as_of });
    let options = import::Options {
        update: args.update,
        add_missing: args.add_missing,
    };
    let import = import::import(&table, &shown_file, &mut plan, &baseline, options);

    tell_findings(context, &plan, &import, args.format)?;
    let errors = import.errors();
    if errors > 0 {
        return Err(Error::Refused {
            message: format!(
                "{errors} problem{} in `{shown_file}`; nothing was written",
                if errors == 1 { "" } else { "s" }
            ),
            help: Some("fix the rows named above, then import again".into()),
        });
    }
    judge(context, &mut plan, &baseline, &import.changes)?;
    if !args.dry_run {
        store::commit(&plan.dir, &lock, &import.changes)?;
    }
    tell_outcomes(context, &plan, args, &import)
}

/// The table the file holds, and how findings name it (a workbook's with its sheet).
fn read(args: &Args, cwd: &std::path::Path) -> Result<(store::Table, String), Error> {
    let shown = args.file.to_string_lossy().to_string();
    let path = cwd.join(&args.file);
    let refused = |e: store::TableError| Error::Refused {
        message: e.to_string(),
        help: e.help().map(ToString::to_string),
    };
    let extension = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let kind = extension.as_deref();
    let workbook = matches!(kind, Some("xlsx" | "xlsm"));
    if !workbook && args.sheet.is_some() {
        return Err(Error::BadArgument(
            "`--sheet` chooses a sheet of a workbook (.xlsx)".into(),
        ));
    }
    let document = matches!(kind, Some("docx" | "docm"));
    if !workbook && !document {
        return Ok((read_table(&path, &shown).map_err(refused)?, shown));
    }
    let is_header = |cells: &[String]| {
        let named = cells
            .iter()
            .filter_map(|c| import::Column::named(c))
            .count();
        named >= 5
            && cells
                .iter()
                .any(|c| import::Column::named(c) == Some(import::Column::Action))
    };
    let read = if document {
        store::docx::read_docx(&path, &shown, &is_header)
    } else {
        store::sheet::read_xlsx(&path, &shown, args.sheet.as_deref(), &is_header)
    }
    .map_err(refused)?;
    Ok((read.table, format!("{shown} ({})", read.place)))
}

/// The findings: for people on standard error, each as `validate` shows one; as JSON on
/// standard output.
fn tell_findings(
    context: &mut Context,
    plan: &Plan,
    import: &Import,
    format: Format,
) -> Result<(), Error> {
    match format {
        Format::Json => context
            .out
            .write_all(render::json(&import.findings).as_bytes())?,
        Format::Human => {
            let texts = plan.texts(import.findings.iter().map(|f| f.file.as_str()));
            let source = |shown: &str| texts.get(shown).map(AsRef::as_ref);
            for finding in &import.findings {
                let text = show::human(finding, &source, context.err_style);
                writeln!(context.err, "{text}")?;
            }
        }
    }
    Ok(())
}

/// The plan-wide judgement every write passes ([`Context::judge_against`]), kept as the one
/// gate. The import has told each of its findings at its row already: what the judge would
/// print (the same findings, at the staged files) is kept back, and told only if it refuses.
fn judge(
    context: &mut Context,
    plan: &mut Plan,
    baseline: &[crate::diagnostic::Diagnostic],
    changes: &[Change],
) -> Result<(), Error> {
    let (mut told, mut nothing) = (Vec::new(), std::io::sink());
    let judged = Context {
        data: context.data.clone(),
        cwd: context.cwd.clone(),
        style: context.style,
        err_style: context.err_style,
        interactive: false,
        lock_timeout: context.lock_timeout,
        shared: None,
        matches: context.matches.clone(),
        out: &mut nothing,
        err: &mut told,
    }
    .judge_against(plan, baseline, changes);
    if judged.is_err() {
        context.err.write_all(&told)?;
    }
    judged
}

/// One line per registry entry and action added or updated, then the counts: on standard
/// output, or on standard error when that holds the JSON findings.
fn tell_outcomes(
    context: &mut Context,
    plan: &Plan,
    args: &Args,
    import: &Import,
) -> Result<u8, Error> {
    let out: &mut dyn Write = match args.format {
        Format::Human => &mut *context.out,
        Format::Json => &mut *context.err,
    };
    let verb = |done: &'static str, would: &'static str| if args.dry_run { would } else { done };
    for added in &import.added {
        writeln!(
            out,
            "{} {} `{}` ({}) to {}",
            verb("added", "would add"),
            added.kind.noun(),
            added.code,
            added.name,
            plan.dir.show(added.kind.file())
        )?;
    }
    let (mut added, mut updated, mut unchanged) = (0, 0, 0);
    for outcome in &import.outcomes {
        match outcome {
            Outcome::Add { id, relative } => {
                added += 1;
                let shown = plan.dir.show(relative);
                writeln!(out, "{} action {id}: {shown}", verb("added", "would add"))?;
            }
            Outcome::Update { id, relative } => {
                updated += 1;
                let shown = plan.dir.show(relative);
                let word = verb("updated", "would update");
                writeln!(out, "{word} action {id}: {shown}")?;
            }
            Outcome::Unchanged { id, shown } => {
                unchanged += 1;
                writeln!(out, "unchanged action {id}: {shown}")?;
            }
        }
    }
    let tail = if args.dry_run {
        "; dry run, nothing was written"
    } else {
        ""
    };
    writeln!(
        out,
        "{}: {added} added, {updated} updated, {unchanged} unchanged{tail}",
        args.file.display()
    )?;
    Ok(0)
}

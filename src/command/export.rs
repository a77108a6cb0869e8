//! `iisg export`: the whole plan as one document — Markdown or Word for the meeting paper,
//! an HTML dashboard, a workbook, a calendar, CSV of the List of Actions, or JSON of
//! everything.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::Context;
use crate::analysis::filter::Filter;
use crate::error::Error;
use crate::render::{self, Stream, document, docx, html, ics};
use crate::store::{self, Actions, Plan, Texts, WriteError};

/// Arguments of `iisg export`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// What to write
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to this file instead of standard output: a new file, or a regular file replaced
    /// atomically (never a device, FIFO, folder or link, nor anything in the plan's folder)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With `--format docx`: take the styles (and the numbering and theme they use) from
    /// this Word document, the group's own template, as pandoc's `--reference-doc` does;
    /// the document uses the styles Title, Subtitle, Heading1 and Heading2
    #[arg(long, value_name = "FILE", help_heading = "Word")]
    pub reference_doc: Option<PathBuf>,
    /// With `--format csv`: the separator between cells: `,` (the default), `;` (what
    /// Excel expects where the decimal mark is a comma: Slovenian, German, …) or `tab`
    #[arg(long, value_name = "SEP", value_parser = separator, help_heading = "CSV")]
    pub separator: Option<u8>,
    /// With `--format csv`: begin with a UTF-8 byte-order mark, so that Excel reads
    /// `č`, `ž` and `–` as they are
    #[arg(long, help_heading = "CSV")]
    pub bom: bool,
    /// With `--format iati`: the reporting organisation's IATI identifier (what `iati:
    /// reporting_org: ref:` in plan.yaml says otherwise)
    #[arg(long, value_name = "REF", help_heading = "IATI")]
    pub reporting_org: Option<String>,
    /// Which actions go into a calendar (`--format ics`) or the List of Actions
    /// (`--format csv`): `list`'s filters.
    #[command(flatten)]
    pub filters: super::list::Filters,
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The plan as a document: title, List of Actions, Annex 1 by forum, Annex 2.
    Markdown,
    /// One self-contained page: the actions (filter, sort), a timeline, coverage, partners.
    Html,
    /// The List of Actions, one row per action, in the document's nine columns.
    Csv,
    /// Everything: plan, registries, forums and needs, actions, logframe.
    Json,
    /// A Word document like the meeting paper: the List of Actions as a table on landscape
    /// pages (its header on every page), Annex 1 by forum, Annex 2 with each outcome's cell
    /// merged down, a glossary of the codes used; `import` reads its table back.
    Docx,
    /// An Excel workbook to fill in: the actions (lists to choose codes from), the needs,
    /// the logframe and the registries, a sheet each; `import` reads it back.
    Xlsx,
    /// A calendar (iCalendar, RFC 5545): each action with dates and each forum meeting, an
    /// all-day event; a deadline ("By May 2019") on its last day.
    Ics,
    /// IATI 2.03 activities: one per action, with its organisations, status, dates,
    /// countries and the results of the logframe rows it contributes to.
    Iati,
}

/// Runs `iisg export`.
///
/// # Errors
/// When the plan cannot be read or the file cannot be written.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    if (args.separator.is_some() || args.bom) && args.format != Format::Csv {
        return Err(Error::BadArgument(
            "`--separator` and `--bom` are for `--format csv`".into(),
        ));
    }
    if args.reporting_org.is_some() && args.format != Format::Iati {
        return Err(Error::BadArgument(
            "`--reporting-org` is for `--format iati`".into(),
        ));
    }
    if args.reference_doc.is_some() && args.format != Format::Docx {
        return Err(Error::BadArgument(
            "`--reference-doc` is for `--format docx`".into(),
        ));
    }
    let dir = context.read_dir()?;
    let chooses = matches!(args.format, Format::Ics | Format::Csv);
    if args.filters.any() && !chooses {
        return Err(Error::BadArgument(
            "the filters choose the actions of `--format ics` and `--format csv`; the other \
             formats export the whole plan"
                .into(),
        ));
    }
    let (plan, filter) = if chooses {
        super::list::read(&args.filters, dir)
    } else {
        (
            Plan::read(dir, Actions::All, Texts::Drop),
            Ok(Filter::default()),
        )
    };
    let left_out = context.tell_left_out(&plan)? | context.tell_duplicate_ids(&plan)?;
    filter?;
    if let Some(path) = &args.output {
        refuse_inside(&plan, &context.cwd.join(path))?;
    }
    if args.output.is_none() {
        // Standard output is cleaned of control characters, which a zip is full of.
        match args.format {
            Format::Xlsx => {
                return Err(Error::BadArgument(
                    "a workbook is a file: write it with `-o plan.xlsx`".into(),
                ));
            }
            Format::Docx => {
                return Err(Error::BadArgument(
                    "a Word document is a file: write it with `-o plan.docx`".into(),
                ));
            }
            _ => {}
        }
    }
    let ready = Ready::new(args, &plan, &context.cwd)?;
    if let Some(path) = &args.output {
        let target = context.cwd.join(path);
        store::replace_with(&target, |file| ready.file(args, &plan, &target, file))?;
        writeln!(context.out, "wrote {}", path.display())?;
    } else {
        let mut out = io::BufWriter::with_capacity(1 << 16, &mut *context.out);
        ready.text(args, &plan, &mut out)?;
        out.flush()?;
    }
    // Files left out are findings: the data is not all there.
    Ok(u8::from(left_out))
}

/// What an export needs besides the plan, gathered before a byte is written: a refusal (no
/// reporting organisation, a broken reference document) leaves no file behind.
struct Ready {
    /// With `--format iati`: who publishes it.
    publisher: Option<render::iati::Publisher>,
    /// With `--format docx`: the reference document's parts, and when it is made.
    docx: docx::Options,
}

impl Ready {
    fn new(args: &Args, plan: &Plan, cwd: &Path) -> Result<Self, Error> {
        Ok(Self {
            publisher: match args.format {
                Format::Iati => Some(publisher(plan, args.reporting_org.as_deref())?),
                _ => None,
            },
            docx: docx::Options {
                reference: match &args.reference_doc {
                    Some(path) => reference(&cwd.join(path), &path.to_string_lossy())?,
                    None => Vec::new(),
                },
                made: epoch(),
            },
        })
    }

    /// Writes the export to `file`, the temporary file that becomes `target`: a workbook or a
    /// Word document (zips, which seek back to finish each entry), or the text.
    fn file(
        &self,
        args: &Args,
        plan: &Plan,
        target: &Path,
        file: &mut io::BufWriter<std::fs::File>,
    ) -> Result<(), Error> {
        let failed = |source| {
            Error::from(WriteError::Io {
                path: target.to_path_buf(),
                source,
            })
        };
        match args.format {
            Format::Docx => match docx::document(plan, &self.docx, file) {
                Ok(_) => Ok(()),
                Err(zip::result::ZipError::Io(e)) => Err(failed(e)),
                Err(e) => Err(Error::Refused {
                    message: format!("cannot make the Word document: {e}"),
                    help: None,
                }),
            },
            Format::Xlsx => match quiet(|| render::xlsx::workbook(plan, folder(target), file)) {
                Ok(Ok(())) => Ok(()),
                // rust_xlsxwriter panics when its temporary file cannot be written.
                Err(panic) => Err(failed(io::Error::other(panic))),
                Ok(Err(rust_xlsxwriter::XlsxError::IoError(e))) => Err(failed(e)),
                Ok(Err(e)) => Err(Error::Refused {
                    message: format!("cannot make the workbook: {e}"),
                    help: None,
                }),
            },
            _ => self.text(args, plan, file).map_err(failed),
        }
    }

    /// Writes a text format to `out` as it is made: a document, a table, a calendar.
    fn text(&self, args: &Args, plan: &Plan, out: &mut dyn io::Write) -> io::Result<()> {
        match args.format {
            Format::Markdown => document::markdown(plan, &mut Stream::to(out)),
            Format::Html => html::dashboard(plan, &mut Stream::to(out)),
            Format::Csv => document::csv(plan, args.separator.unwrap_or(b','), args.bom, out),
            Format::Json => render::write_json(out, &document::everything(plan)),
            Format::Ics => {
                let actions = document::actions_by_id(plan);
                ics::calendar(plan, &actions, stamp(), &mut Stream::to(out))
            }
            Format::Iati => {
                let results = crate::analysis::results::results(plan);
                let stamp = epoch().unwrap_or_else(|| {
                    let as_of = plan.info.as_ref().and_then(|i| i.record.as_of());
                    as_of.map_or_else(now, |d| d.and_time(chrono::NaiveTime::MIN))
                });
                let publisher = self
                    .publisher
                    .as_ref()
                    .ok_or_else(|| io::Error::other("an IATI export is made with its publisher"))?;
                render::iati::activities(plan, publisher, &results, stamp, out)
            }
            Format::Docx | Format::Xlsx => Err(io::Error::other(
                "a workbook or a Word document is written to a file",
            )),
        }
    }
}

/// What `run` gives, or the message of its panic, which is not printed.
fn quiet<T>(run: impl FnOnce() -> T) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    std::panic::set_hook(hook);
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(ToString::to_string))
            .unwrap_or_else(|| "the workbook could not be made".into())
    })
}

/// The folder `target` is in.
fn folder(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A cell separator as written on the command line.
fn separator(text: &str) -> Result<u8, String> {
    match text {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "tab" | "\t" | "\\t" => Ok(b'\t'),
        "|" => Ok(b'|'),
        _ => Err(format!(
            "`{text}` is not a separator: use `,`, `;`, `tab` or `|`"
        )),
    }
}

/// The moment a calendar is made, for `DTSTAMP`: now, or `SOURCE_DATE_EPOCH` when set (the
/// reproducible-builds convention), so that two exports can be made byte for byte alike.
fn stamp() -> chrono::NaiveDateTime {
    epoch().unwrap_or_else(now)
}

/// `SOURCE_DATE_EPOCH`, when set.
fn epoch() -> Option<chrono::NaiveDateTime> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.naive_utc())
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Who publishes an IATI export: `--reporting-org`, else plan.yaml's `iati: reporting_org`;
/// its type and name from plan.yaml, else from the coordinator's partner entry.
fn publisher(plan: &Plan, reference: Option<&str>) -> Result<render::iati::Publisher, Error> {
    let info = plan.info.as_ref().map(|i| &*i.record);
    let org = info
        .and_then(|i| i.iati.as_ref())
        .map(|i| &i.value.reporting_org.value);
    let reference = reference
        .map(str::trim)
        .map(ToString::to_string)
        .or_else(|| org.map(|o| o.reference.value.trim().to_string()))
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            Error::Refused {
            message: "an IATI export needs the reporting organisation's IATI identifier; \
                      nothing was written"
                .into(),
            help: Some(
                "add it to plan.yaml — `iati: {reporting_org: {ref: XM-DAC-…, type: 40, name: …}}` \
                 — or pass `--reporting-org REF`"
                    .into(),
            ),
        }
        })?;
    let coordinator = info
        .and_then(|i| i.coordinator.as_ref())
        .and_then(|c| plan.partners.get(&c.value));
    let kind = org
        .and_then(|o| o.kind.as_ref().map(|k| k.value.0.clone()))
        .unwrap_or_else(|| {
            let kind = coordinator
                .and_then(|p| p.kind.as_ref())
                .map(|k| k.value.as_str());
            render::iati::organisation_type(kind).to_string()
        });
    let name = org
        .and_then(|o| o.name.as_ref().map(|n| n.value.clone()))
        .or_else(|| coordinator.map(|p| p.name.value.clone()))
        .unwrap_or_else(|| reference.clone());
    Ok(render::iati::Publisher {
        reference,
        kind,
        name,
    })
}

/// The parts `--reference-doc` lends, read with the checks of an import: a hostile zip, a
/// Strict document or broken XML is refused; it must have styles.
fn reference(path: &std::path::Path, shown: &str) -> Result<Vec<(String, String)>, Error> {
    let refused = |e: store::TableError| Error::Refused {
        message: e
            .to_string()
            .replacen("as a table", "as a reference document", 1),
        help: e.help().map(ToString::to_string),
    };
    let bytes = store::sheet::read_zip_file(path, shown).map_err(refused)?;
    let parts = store::docx::reference_parts(&bytes, shown, &docx::LENT_PARTS).map_err(refused)?;
    if !parts.iter().any(|(name, _)| name == docx::LENT_PARTS[0]) {
        return Err(Error::Refused {
            message: format!("`{shown}` has no `word/styles.xml` to take the styles from"),
            help: Some("name a Word document (.docx) or template saved as one".into()),
        });
    }
    Ok(parts)
}

/// An export never lands in the plan's folder, where it would replace or add a plan file.
fn refuse_inside(plan: &store::Plan, path: &std::path::Path) -> Result<(), Error> {
    if plan.dir.contains(path) {
        return Err(Error::Refused {
            message: format!(
                "refusing to write `{}`: it is inside the plan's folder `{}`; nothing was written",
                path.display(),
                plan.dir.shown
            ),
            help: Some("write the export somewhere outside the plan's folder".into()),
        });
    }
    Ok(())
}

//! `iisg man`: manual pages in roff, from the clap definitions: `iisg.1` and one page per
//! subcommand (`iisg-list.1`, …).

use std::path::PathBuf;

use clap::CommandFactory;

use super::Context;
use crate::error::Error;
use crate::store;

/// Arguments of `iisg man`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// Write `iisg.1` and a page per subcommand into this folder, instead of printing
    /// `iisg.1` to standard output
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Runs `iisg man`.
///
/// # Errors
/// When a page cannot be written.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let command = crate::Cli::command();
    let Some(dir) = &args.output else {
        context.out.write_all(&page(command))?;
        return Ok(0);
    };
    let dir = context.cwd.join(dir);
    let mut pages = vec![("iisg.1".to_string(), page(command.clone()))];
    for sub in command.get_subcommands() {
        let name = format!("iisg-{}", sub.get_name());
        let sub = sub.clone().name(name.clone());
        pages.push((format!("{name}.1"), page(sub)));
    }
    for (name, bytes) in &pages {
        store::replace(&dir.join(name), bytes)?;
    }
    writeln!(
        context.out,
        "wrote {} manual pages to {}",
        pages.len(),
        args.output.as_deref().unwrap_or(dir.as_path()).display()
    )?;
    Ok(0)
}

fn page(command: clap::Command) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(command).render(&mut bytes);
    bytes
}

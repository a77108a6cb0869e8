//! `iisg completions SHELL`: a completion script for the shell, from the clap definitions.

use clap::CommandFactory;

use super::Context;
use crate::error::Error;

/// Arguments of `iisg completions`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// The shell; e.g. `iisg completions bash > ~/.local/share/bash-completion/completions/iisg`
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `iisg completions`.
///
/// # Errors
/// When the output cannot be written.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    // The command line is defined one layer up, in the library's root: it is what this
    // command describes.
    let mut command = crate::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "iisg", &mut script);
    context.out.write_all(&script)?;
    Ok(0)
}

//! `iisg schema`: the JSON Schema of each kind of plan file, for editors and other tools.

use super::Context;
use crate::error::Error;
use crate::render::{self, schema};

/// Arguments of `iisg schema`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// The kind of file [default: every kind, as one JSON object keyed by kind]
    #[arg(long, value_enum)]
    pub kind: Option<schema::Kind>,
}

/// Runs `iisg schema`.
///
/// # Errors
/// When the output cannot be written.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let value = match args.kind {
        Some(kind) => schema::schema(kind),
        None => schema::all(),
    };
    context.out.write_all(render::json(&value).as_bytes())?;
    Ok(0)
}

//! `iisg serve`: the plan in a browser, on this machine, read afresh for every request.

use std::net::SocketAddr;

use super::Context;
use crate::error::Error;
use crate::store::{Actions, Plan, Texts};
use crate::web;

/// Arguments of `iisg serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address and port to answer on: a loopback address (`127.0.0.1`, `::1`); port 0
    /// takes a free one
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
    /// Serve no way to change the plan: no forms, no write routes
    #[arg(long)]
    pub read_only: bool,
    /// Make each change from the browser or the API a git commit of exactly the files it
    /// changed, when the plan is in git
    #[arg(long)]
    pub commit: bool,
}

/// Runs `iisg serve` until Ctrl-C or SIGTERM.
///
/// # Errors
/// When the address is not a loopback one, there is no plan, or the port is taken.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    if !args.bind.ip().is_loopback() {
        return Err(Error::Refused {
            message: format!(
                "`iisg serve` answers only on this machine for now, and `{}` is not a \
                 loopback address",
                args.bind.ip()
            ),
            help: Some(
                "bind `127.0.0.1:PORT` or `[::1]:PORT`; letting colleagues in from other \
                 machines, with `--users FILE`, comes in a later version"
                    .into(),
            ),
        });
    }
    let dir = context.data_dir()?;
    context.hold_shared(&dir)?;
    let plan = Plan::read(dir.clone(), Actions::None, Texts::Drop);
    // Each request takes the lock anew: holding it while serving would stop every writer.
    context.shared = None;
    let title = plan
        .info
        .map_or_else(|| "the plan".to_string(), |info| info.record.title.value);
    let listener = std::net::TcpListener::bind(args.bind).map_err(|e| Error::Refused {
        message: format!("cannot listen on `{}`: {e}", args.bind),
        help: Some("name another port with `--bind 127.0.0.1:PORT`, or 0 for a free one".into()),
    })?;
    let addr = listener.local_addr()?;
    let site = web::Site::new(
        dir,
        addr,
        context.lock_timeout,
        (args.read_only, args.commit),
    )?;
    if let Some(why) = site.unwatched() {
        writeln!(
            context.err,
            "warning: cannot watch the plan's folder for changes ({why}); each request looks \
             at every file's time instead"
        )?;
    }
    // Set up before the address is told: a signal that comes at once still stops it cleanly.
    let server = web::Server::new(listener, site)?;
    writeln!(context.out, "serving {title} at http://{addr}/")?;
    context.out.flush()?;
    server.run()?;
    Ok(0)
}

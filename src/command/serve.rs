//! `iisg serve`: the plan in a browser, kept in memory and watched; and `iisg serve user`,
//! which keeps the file of who may come in.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::Context;
use crate::error::Error;
use crate::store::{Actions, Plan, Texts};
use crate::web::{self, users};

/// Arguments of `iisg serve`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// Who may come in: `iisg serve user add` makes it
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The address and port to answer on; port 0 takes a free one. An address other than
    /// loopback (`127.0.0.1`, `::1`) needs `--users`
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
    /// Serve no way to change the plan: no forms, no write routes
    #[arg(long)]
    pub read_only: bool,
    /// Make each change from the browser or the API a git commit of exactly the files it
    /// changed, by the person who made it, when the plan is in git
    #[arg(long)]
    pub commit: bool,
    /// Let in only the people of this file, each with their token (`viewer` reads, `editor`
    /// writes); keep it outside the plan's folder
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,
    /// Another name the server is reached by (`plan.example.org`), with `--users`;
    /// repeatable. Its own address is always answered
    #[arg(long = "host", value_name = "NAME", requires = "users")]
    pub hosts: Vec<String>,
}

/// `iisg serve user …`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Who may come in: add, remove or list them
    #[command(subcommand)]
    User(UserCommand),
}

/// `iisg serve user add|remove|list`.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Let someone in: prints their new token, once (given again to someone there, it
    /// replaces their old one)
    Add {
        /// Their name, as a commit's author gives it
        name: String,
        /// Their email, as a commit's author gives it
        #[arg(long)]
        email: String,
        /// `viewer` reads; `editor` also changes the plan
        #[arg(long, value_enum)]
        role: users::Role,
        /// The users file (made when there is none)
        #[arg(long, value_name = "FILE")]
        users: PathBuf,
    },
    /// Let someone in no more: their token and sessions stop working at once
    Remove {
        /// Their name
        name: String,
        /// The users file
        #[arg(long, value_name = "FILE")]
        users: PathBuf,
    },
    /// Who may come in, and their roles (never their tokens)
    List {
        /// The users file
        #[arg(long, value_name = "FILE")]
        users: PathBuf,
    },
}

/// Runs `iisg serve` until Ctrl-C or SIGTERM, or `iisg serve user …`.
///
/// # Errors
/// When the address is not a loopback one and no `--users` is given, the users file cannot
/// be read, there is no plan, or the port is taken.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    if let Some(Command::User(command)) = &args.command {
        return user(command, context);
    }
    if !args.bind.ip().is_loopback() && args.users.is_none() {
        return Err(Error::Refused {
            message: format!(
                "`{}` is not a loopback address, and without `--users` anyone who reaches it \
                 could read and change the plan",
                args.bind.ip()
            ),
            help: Some(
                "say who may come in: `iisg serve user add NAME --email E --role editor \
                 --users FILE`, then `iisg serve --bind ADDR:PORT --users FILE`; or bind \
                 `127.0.0.1:PORT`"
                    .into(),
            ),
        });
    }
    let kept = args
        .users
        .as_ref()
        .map(|path| users::Kept::new(path.clone()))
        .transpose()?;
    let dir = context.data_dir()?;
    if let Some(path) = &args.users
        && let (Ok(file), Ok(plan)) = (path.canonicalize(), dir.path.canonicalize())
        && file.starts_with(&plan)
    {
        let warning = context.err_style.paint("1;33", "warning:");
        writeln!(
            context.err,
            "{warning} the users file is inside the plan's folder: it is never served, but \
             keep it outside, where it is not committed with the plan"
        )?;
    }
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
        web::Access {
            users: kept,
            hosts: args.hosts.clone(),
            title: title.clone(),
        },
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

/// `iisg serve user add|remove|list`.
fn user(command: &UserCommand, context: &mut Context) -> Result<u8, Error> {
    match command {
        UserCommand::Add {
            name,
            email,
            role,
            users: path,
        } => {
            let mut users = users::Users::read_or_new(path)?;
            let again = users.users.iter().any(|u| &u.name == name);
            let token = users.add(name, email, *role)?;
            users.write(path)?;
            let what = if again { "now comes in" } else { "may come in" };
            writeln!(
                context.out,
                "{name} ({}) {what} with this token, shown only now:\n\n  {token}\n\n\
                 Give it to them by a safe way; they log in with it at the server's address.",
                role.as_str()
            )?;
            if again {
                writeln!(context.out, "Their old token no longer works.")?;
            }
            Ok(0)
        }
        UserCommand::Remove { name, users: path } => {
            let mut users = users::Users::read(path)?;
            if !users.remove(name) {
                let names: Vec<&str> = users.users.iter().map(|u| u.name.as_str()).collect();
                return Err(Error::Refused {
                    message: format!("no one is called `{name}` in `{}`", path.display()),
                    help: Some(if names.is_empty() {
                        "the file names no one".into()
                    } else {
                        format!("it names: {}", names.join(", "))
                    }),
                });
            }
            users.write(path)?;
            writeln!(
                context.out,
                "{name} may come in no more: their token and sessions stop working at once."
            )?;
            Ok(0)
        }
        UserCommand::List { users: path } => {
            let users = users::Users::read(path)?;
            if users.users.is_empty() {
                writeln!(context.out, "No one may come in yet.")?;
            }
            for user in &users.users {
                writeln!(
                    context.out,
                    "{}\t{}\t{}",
                    user.name,
                    user.email,
                    user.role.as_str()
                )?;
            }
            Ok(0)
        }
    }
}

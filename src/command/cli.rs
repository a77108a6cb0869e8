//! The command line: the global options and the subcommand, as clap parses them.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use super::Command;
use crate::render::Style;

/// Keep a plan of actions in plain YAML files: list, check, change and report on it.
#[derive(Debug, Parser)]
#[command(name = "iisg", version, max_term_width = 100)]
pub struct Cli {
    /// The plan's folder, the one holding plan.yaml [default: data/ in the working
    /// directory or the nearest folder above it]
    #[arg(long, global = true, env = "IISG_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// How long to wait for the plan's lock while another iisg writes, in seconds
    #[arg(long, global = true, default_value_t = 60, value_name = "SECONDS")]
    pub lock_timeout: u64,
    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// How to draw on a stream, given whether it is a terminal.
    #[must_use]
    pub fn style(self, terminal: bool) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => terminal && !no_color,
        };
        Style { terminal, color }
    }
}

//! Query parameters read as the command line's flags, by the command's own parser: the
//! same names (`?status=completed&lead=DCAF` is `--status completed --lead DCAF`), the same
//! values and the same messages for a value that is wrong.

use clap::{FromArgMatches, Parser};

use crate::error::Error;

/// A command's arguments on their own, to parse with its clap definition.
#[derive(Debug, Parser)]
#[command(name = "iisg", no_binary_name = false, disable_help_flag = true)]
struct Flags<T: clap::Args> {
    #[command(flatten)]
    args: T,
}

/// The pairs of a query string, decoded; a value left empty (a form's blank field) is no
/// value at all.
#[must_use]
pub fn pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.replace('_', "-"), value.into_owned()))
        .filter(|(_, value)| !value.trim().is_empty())
        .collect()
}

/// The command's arguments from `fixed` flags and the query's `pairs`, each key one of
/// `flags` (`overdue` and the other switches among `switches`: any value but `false` or `0`
/// turns them on).
///
/// # Errors
/// [`Error::BadArgument`] for a key that is not a flag of `flags`, or a value the command
/// would refuse, with the command's message.
pub fn args<T: clap::Args>(
    fixed: &[&str],
    pairs: &[(String, String)],
    flags: &[&str],
    switches: &[&str],
) -> Result<T, Error> {
    let mut line: Vec<String> = vec!["iisg".into()];
    line.extend(fixed.iter().map(ToString::to_string));
    for (key, value) in pairs {
        if switches.contains(&key.as_str()) {
            if !matches!(value.trim(), "false" | "0") {
                line.push(format!("--{key}"));
            }
        } else if flags.contains(&key.as_str()) {
            // `--key=value`: a value that starts with `-` is still a value.
            line.push(format!("--{key}={value}"));
        } else {
            let known: Vec<String> = flags
                .iter()
                .chain(switches)
                .map(|f| format!("`{f}`"))
                .collect();
            return Err(Error::BadArgument(format!(
                "`{key}` is not a query parameter here; these are: {}",
                known.join(", ")
            )));
        }
    }
    let matches = <Flags<T> as clap::CommandFactory>::command()
        .try_get_matches_from(line)
        .map_err(|e| message(&e))?;
    Flags::<T>::from_arg_matches(&matches)
        .map(|flags| flags.args)
        .map_err(|e| message(&e))
}

/// clap's message without its `error: ` and its advice to try `--help`, which a browser
/// cannot.
fn message(error: &clap::Error) -> Error {
    let text = error.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let text = text
        .split("\n\nFor more information")
        .next()
        .unwrap_or(text)
        .trim_end();
    Error::BadArgument(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_no_values() {
        assert_eq!(
            pairs("status=completed&lead=&due_before=2019-06"),
            vec![
                ("status".to_string(), "completed".to_string()),
                ("due-before".to_string(), "2019-06".to_string())
            ]
        );
    }
}

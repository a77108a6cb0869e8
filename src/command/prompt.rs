//! Questions on a terminal, for the values a command was not given, with the registry's
//! codes offered as completions (Tab).

use std::sync::Arc;

use inquire::autocompletion::{Autocomplete, Replacement};
use inquire::validator::Validation;
use inquire::{CustomUserError, InquireError, Text};

use crate::error::Error;

/// Completes the last comma-separated word from a list of codes.
#[derive(Clone)]
pub struct Codes(pub Vec<String>);

impl Autocomplete for Codes {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, CustomUserError> {
        let (head, word) = last_word(input);
        let word = word.to_lowercase();
        Ok(self
            .0
            .iter()
            .filter(|code| code.to_lowercase().starts_with(&word))
            .map(|code| format!("{head}{code}"))
            .take(12)
            .collect())
    }

    fn get_completion(
        &mut self,
        input: &str,
        highlighted: Option<String>,
    ) -> Result<Replacement, CustomUserError> {
        if highlighted.is_some() {
            return Ok(highlighted);
        }
        let suggestions = self.get_suggestions(input)?;
        Ok(match suggestions.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        })
    }
}

/// What is before the last comma-separated word (with the comma and a space) and the word.
fn last_word(input: &str) -> (String, &str) {
    match input.rfind(',') {
        Some(at) => (
            format!("{}, ", input[..at].trim_end()),
            input[at + 1..].trim_start(),
        ),
        None => (String::new(), input.trim_start()),
    }
}

/// A judge of an answer: `Err` holds what is wrong with it.
pub type Check = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// Asks for a value. `required` refuses an empty answer; `check` judges a non-empty one.
///
/// # Errors
/// [`Error::Interrupted`] when the person presses Esc or Ctrl-C.
pub fn ask(
    label: &str,
    help: &str,
    codes: Option<Vec<String>>,
    required: bool,
    check: Option<Check>,
) -> Result<String, Error> {
    let mut prompt = Text::new(label).with_help_message(help);
    if let Some(codes) = codes {
        prompt = prompt.with_autocomplete(Codes(codes));
    }
    prompt = prompt.with_validator(move |answer: &str| {
        let answer = answer.trim();
        if answer.is_empty() {
            return Ok(if required {
                Validation::Invalid("a value is required".into())
            } else {
                Validation::Valid
            });
        }
        Ok(match check.as_ref().map_or(Ok(()), |check| check(answer)) {
            Ok(()) => Validation::Valid,
            Err(message) => Validation::Invalid(message.into()),
        })
    });
    match prompt.prompt() {
        Ok(answer) => Ok(answer.trim().to_string()),
        Err(InquireError::OperationCanceled | InquireError::OperationInterrupted) => {
            Err(Error::Interrupted)
        }
        Err(e) => Err(Error::Refused {
            message: format!("cannot ask on this terminal: {e}"),
            help: Some("give the values as flags instead".into()),
        }),
    }
}

/// Asks a yes/no-style question with one-letter answers; returns the letter chosen.
///
/// # Errors
/// [`Error::Interrupted`] when the person presses Esc or Ctrl-C.
pub fn choose(question: &str, letters: &[char]) -> Result<char, Error> {
    let help = letters
        .iter()
        .map(char::to_string)
        .collect::<Vec<_>>()
        .join("/");
    loop {
        let answer = ask(question, &help, None, true, None)?;
        if let Some(letter) = answer.chars().next().map(|c| c.to_ascii_lowercase())
            && letters.contains(&letter)
        {
            return Ok(letter);
        }
    }
}

/// Asks a question that is answered no unless the person types yes (`[y/N]`): for a step
/// that cannot be undone by iisg, such as removing a file.
///
/// # Errors
/// [`Error::Interrupted`] when the person presses Esc or Ctrl-C.
pub fn confirm(question: &str) -> Result<bool, Error> {
    let check: Check = Arc::new(|answer: &str| {
        yes(answer)
            .map(|_| ())
            .ok_or_else(|| "answer y or n".to_string())
    });
    let answer = ask(
        &format!("{question} [y/N]"),
        "y: yes; Enter or n: no",
        None,
        false,
        Some(check),
    )?;
    Ok(yes(&answer) == Some(true))
}

/// What an answer to a `[y/N]` question says: yes, no (an empty answer too), or neither.
fn yes(answer: &str) -> Option<bool> {
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "" | "n" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_only_when_typed() {
        for (answer, meant) in [
            ("y", Some(true)),
            (" Yes ", Some(true)),
            ("", Some(false)),
            ("n", Some(false)),
            ("NO", Some(false)),
            ("yep", None),
            ("remove", None),
        ] {
            assert_eq!(yes(answer), meant, "{answer:?}");
        }
    }

    #[test]
    fn completes_the_last_word() {
        let mut codes = Codes(vec!["DCAF".into(), "EUROPOL".into(), "EXTERNAL".into()]);
        assert_eq!(codes.get_suggestions("dc").unwrap(), ["DCAF"]);
        assert_eq!(
            codes.get_suggestions("DCAF, e").unwrap(),
            ["DCAF, EUROPOL", "DCAF, EXTERNAL"]
        );
        assert_eq!(
            codes.get_completion("DCAF,eu", None).unwrap(),
            Some("DCAF, EUROPOL".into())
        );
    }
}

//! Turning serde-saphyr's errors into findings that name the field and the expected form.

use serde_saphyr::Error as YamlError;

use super::yaml_syntax;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Status;

/// A finding for a file that did not deserialize: serde-saphyr's error, explained, or what
/// the text shows to be its cause (see [`yaml_syntax::explain`]).
pub fn diagnostic(error: &YamlError, file: &str, text: &str) -> Diagnostic {
    yaml_syntax::explain(text, from_error(error, file, text))
}

/// A finding for a file that parsed, if it holds what the plan's files may not: a tag.
pub fn parsed(text: &str, file: &str) -> Option<Diagnostic> {
    yaml_syntax::tag(text, file)
}

/// serde-saphyr's error as a finding that names the field and the expected form.
fn from_error(error: &YamlError, file: &str, text: &str) -> Diagnostic {
    let location = error.location();
    let field = location.and_then(|l| key_on_line(text, l.line()));
    let field_name = field
        .as_deref()
        .map_or_else(String::new, |f| format!("`{f}` "));
    let (code, message, help) = match error {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => (
            Code::UnknownField,
            format!("unknown field `{field}`"),
            Some(format!("expected one of {}", quote_list(expected))),
        ),
        YamlError::SerdeMissingField { field, .. } => (
            Code::MissingField,
            format!("missing field `{field}`"),
            Some(format!(
                "add `{field}:`; write `[]` or `\"\"` when it is empty"
            )),
        ),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => (
            Code::WrongType,
            format!("{field_name}has an unknown value `{variant}`"),
            Some(format!("expected one of {}", quote_list(expected))),
        ),
        YamlError::InvalidScalar { ty, .. } => (
            Code::WrongType,
            format!("{field_name}must be {}", describe_type(ty)),
            None,
        ),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            Code::WrongType,
            format!("{field_name}must be {expected}, not {unexpected}"),
            None,
        ),
        YamlError::Unexpected { expected, .. } if field.is_some() => (
            Code::WrongType,
            format!(
                "{field_name}must be {}",
                expected.replace("string scalar", "text")
            ),
            None,
        ),
        YamlError::ExternallyTaggedEnumExpectedScalarOrMapping { .. } => {
            list_for_word(field.as_deref())
        }
        YamlError::NullIntoString { .. } => (
            Code::WrongType,
            format!("{field_name}is empty"),
            Some("write the text, or `\"\"` where empty text is allowed".into()),
        ),
        YamlError::DuplicateMappingKey { .. } => (
            Code::DuplicateKey,
            strip_location(&error.to_string())
                .split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or_default()
                .to_string(),
            Some("keep one of them".into()),
        ),
        // The model's own messages put their help, if any, on a second line.
        YamlError::Message { msg, .. } => {
            let (message, help) = msg
                .split_once('\n')
                .map_or((msg.as_str(), None), |(m, h)| (m, Some(h.to_string())));
            (Code::WrongType, format!("{field_name}{message}"), help)
        }
        _ => (Code::Syntax, strip_location(&error.to_string()), None),
    };
    let mut diagnostic = Diagnostic::new(code, message, file);
    if let Some(location) = location {
        diagnostic = diagnostic.at(location);
    }
    if let YamlError::SerdeUnknownVariant { variant, .. } = error {
        at_value(&mut diagnostic, text, variant);
    }
    match help {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// A list where the one word of an enum should be; `status` is the records' enum.
fn list_for_word(field: Option<&str>) -> (Code, String, Option<String>) {
    let field_name = field.map_or_else(String::new, |f| format!("`{f}` "));
    let (one_of, example) = match field {
        Some("status") => (
            format!("one of {}", quote_list(&Status::NAMES)),
            ", e.g. `status: planned`",
        ),
        _ => ("one word".to_string(), ""),
    };
    (
        Code::WrongType,
        format!("{field_name}must be {one_of}, not a list"),
        Some(format!("write one value, without brackets{example}")),
    )
}

/// A value the model refused (a status no wording names) is reported at its key: points
/// the finding at the value itself when it stands on the same line.
fn at_value(diagnostic: &mut Diagnostic, text: &str, value: &str) {
    if let Some(line) = text
        .lines()
        .nth((diagnostic.line as usize).saturating_sub(1))
        && let Some((key, rest)) = line.split_once(':')
        && let Some(at) = rest.find(value)
    {
        let before = key.chars().count() + 1 + rest[..at].chars().count();
        diagnostic.column = before as u64 + 1;
        diagnostic.width = value.len().max(1);
    }
}

/// The message without serde-saphyr's ` at line L, column C` suffix (we print our own).
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    first
        .rfind(" at line ")
        .map_or(first, |at| &first[..at])
        .to_string()
}

fn quote_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_type(ty: &str) -> &'static str {
    match ty {
        "bool" => "`true` or `false`",
        t if t.starts_with('i') || t.starts_with('u') => "a whole number",
        t if t.starts_with('f') => "a number",
        _ => "a value of another form",
    }
}

/// The mapping key written on a 1-based line, e.g. `lead` for `lead: [DCAF, 3]`.
pub(super) fn key_on_line(text: &str, line: u64) -> Option<String> {
    let line = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = trimmed.split_once(':')?;
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_on_line_reads_plain_and_list_keys() {
        let text = "id: 1\nobjectives:\n  - text: x\n  plain\n";
        assert_eq!(key_on_line(text, 1).as_deref(), Some("id"));
        assert_eq!(key_on_line(text, 3).as_deref(), Some("text"));
        assert_eq!(key_on_line(text, 4), None);
        assert_eq!(key_on_line(text, 0), None);
        assert_eq!(key_on_line(text, 99), None);
    }

    #[test]
    fn strips_the_location_suffix() {
        assert_eq!(
            strip_location("invalid u32 at line 2, column 5"),
            "invalid u32"
        );
        assert_eq!(strip_location("plain"), "plain");
    }
}

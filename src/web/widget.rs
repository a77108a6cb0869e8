//! The pieces of the forms: each field under a `<label>` named as the field, its message
//! beside it when a change is refused, the registries' choices as selects or type-ahead
//! lists, the token and the version in hidden fields, and a "Save" button.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::page::text;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Entry, Registry};

/// What a refused change says, by the field it is about; the rest above the form.
#[derive(Clone, Debug, Default)]
pub struct Problems {
    /// By field name (`status`, `lead`, …).
    pub fields: BTreeMap<String, Vec<String>>,
    /// About no one field.
    pub general: Vec<String>,
}

impl Problems {
    /// Whether there is nothing to say.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    /// A message about `field`.
    pub fn field(&mut self, field: &str, message: String) {
        self.fields
            .entry(field.to_string())
            .or_default()
            .push(message);
    }

    /// The findings of a refused change, each beside the field its line is in: the key of
    /// `texts[file]` at or above its line, when it is one of `fields`.
    pub fn findings(
        &mut self,
        findings: &[Diagnostic],
        texts: &std::collections::HashMap<String, String>,
        fields: &[&str],
    ) {
        for finding in findings {
            let severity = if finding.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            let mut said = format!("{severity}[{}]: {}", finding.code.as_str(), finding.message);
            if let Some(help) = &finding.help {
                said.push_str(" — ");
                said.push_str(help);
            }
            let key = texts
                .get(&finding.file)
                .and_then(|text| key_at(text, finding.line))
                .filter(|k| fields.contains(&k.as_str()));
            match key {
                Some(key) => self.field(&key, said),
                None => self
                    .general
                    .push(format!("{}:{}: {said}", finding.file, finding.line)),
            }
        }
    }
}

/// The key whose value holds line `line` (1-based) of a YAML text: the nearest line at or
/// above it that starts a key, at the top level or as an entry's (`  - code:`, `    name:`).
#[must_use]
pub fn key_at(text: &str, line: u64) -> Option<String> {
    if line == 0 {
        return None;
    }
    text.lines()
        .take(usize::try_from(line).unwrap_or(usize::MAX))
        .filter_map(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            let (key, _) = l.split_once(':')?;
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_')
                .then(|| key.to_string())
        })
        .filter(|k| !k.is_empty())
        .last()
}

/// The messages of a refused change about no one field, and the count, above the form.
#[must_use]
pub fn summary(problems: &Problems) -> Markup {
    let count: usize =
        problems.fields.values().map(Vec::len).sum::<usize>() + problems.general.len();
    html! {
        @if count > 0 {
            div.error role="alert" id="problems" {
                p { strong { "Not saved: " }
                    @if count == 1 { "one thing to fix" } @else { (count) " things to fix" }
                    "; nothing was written." }
                ul {
                    @for (field, said) in &problems.fields {
                        li { a href={ "#f-" (field) } { (field_label(field)) } ": " (said.len()) @if said.len() == 1 { " message" } @else { " messages" } " beside the field" }
                    }
                    @for message in &problems.general { li { (text(message)) } }
                }
            }
        }
    }
}

/// A field's name as its label says it: `requested_by` is "Requested by".
fn field_label(field: &str) -> String {
    let spaced = field.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The hidden fields every form carries: the run's token, and the version it was loaded
/// from (none for a new record).
#[must_use]
pub fn hidden(csrf: &str, etag: Option<&str>) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(csrf);
        @if let Some(etag) = etag { input type="hidden" name="etag" value=(etag); }
    }
}

/// A field: its label, the control, a hint, and the messages about it.
fn field(
    name: &str,
    label: &str,
    hint: Option<&str>,
    problems: &Problems,
    control: &Markup,
) -> Markup {
    let said = problems.fields.get(name);
    html! {
        div class={ "field" @if said.is_some() { " invalid" } } {
            label for={ "f-" (name) } { (label) }
            (control)
            @if let Some(hint) = hint { span.hint id={ "f-" (name) "-hint" } { (hint) } }
            @if let Some(said) = said {
                @for message in said {
                    span.field-error id={ "f-" (name) "-error" } { (text(message)) }
                }
            }
        }
    }
}

/// `aria-describedby` for a field: its hint and its messages.
fn described(name: &str, hint: bool, problems: &Problems) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("f-{name}-hint"));
    }
    if problems.fields.contains_key(name) {
        ids.push(format!("f-{name}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A line of text.
#[must_use]
pub fn line(
    (name, label, hint): (&str, &str, Option<&str>),
    value: &str,
    required: bool,
    problems: &Problems,
) -> Markup {
    let control = html! {
        input type="text" id={ "f-" (name) } name=(name) value=(text(value)) required[required]
            aria-invalid=[problems.fields.contains_key(name).then_some("true")]
            aria-describedby=[described(name, hint.is_some(), problems)];
    };
    field(name, label, hint, problems, &control)
}

/// A date, as `YYYY-MM-DD`.
#[must_use]
pub fn date((name, label): (&str, &str), value: &str, problems: &Problems) -> Markup {
    let control = html! {
        input type="date" id={ "f-" (name) } name=(name) value=(text(value))
            aria-invalid=[problems.fields.contains_key(name).then_some("true")]
            aria-describedby=[described(name, false, problems)];
    };
    field(name, label, None, problems, &control)
}

/// Free text of several lines.
#[must_use]
pub fn area((name, label): (&str, &str), value: &str, problems: &Problems) -> Markup {
    let control = html! {
        textarea id={ "f-" (name) } name=(name) rows="4"
            aria-invalid=[problems.fields.contains_key(name).then_some("true")]
            aria-describedby=[described(name, false, problems)] { (text(value)) }
    };
    field(name, label, None, problems, &control)
}

/// One choice of `choices` (value, shown), the value given chosen; a value that is not
/// among them is kept as a choice of its own, so that what was sent is shown.
#[must_use]
pub fn choice(
    (name, label, hint): (&str, &str, Option<&str>),
    choices: &[(String, String)],
    chosen: &[String],
    multiple: bool,
    problems: &Problems,
) -> Markup {
    let strays: Vec<&String> = chosen
        .iter()
        .filter(|c| !c.is_empty() && !choices.iter().any(|(v, _)| v == *c))
        .collect();
    let size = multiple.then(|| choices.len().clamp(3, 7).to_string());
    let control = html! {
        select id={ "f-" (name) } name=(name) multiple[multiple] size=[size]
            aria-invalid=[problems.fields.contains_key(name).then_some("true")]
            aria-describedby=[described(name, hint.is_some(), problems)] {
            @for (value, shown) in choices {
                option value=(text(value)) selected[chosen.contains(value)] { (text(shown)) }
            }
            @for stray in strays {
                option value=(text(stray)) selected { (text(stray)) " (not in the registry)" }
            }
        }
    };
    field(name, label, hint, problems, &control)
}

/// A line of text with the registry's codes offered as the user types (`<datalist>`).
#[must_use]
pub fn typed(
    (name, label, hint): (&str, &str, Option<&str>),
    value: &str,
    choices: &[(String, String)],
    problems: &Problems,
) -> Markup {
    let list = format!("f-{name}-list");
    let control = html! {
        input type="text" id={ "f-" (name) } name=(name) value=(text(value)) list=(list)
            autocomplete="off"
            aria-invalid=[problems.fields.contains_key(name).then_some("true")]
            aria-describedby=[described(name, hint.is_some(), problems)];
        datalist id=(list) {
            @for (value, shown) in choices { option value=(text(value)) { (text(shown)) } }
        }
    };
    field(name, label, hint, problems, &control)
}

/// A registry's entries as choices: the code, shown with its name.
#[must_use]
pub fn entries<E: Entry>(registry: &Registry<E>) -> Vec<(String, String)> {
    registry
        .entries()
        .iter()
        .map(|e| {
            let code = e.code().value.clone();
            let shown = if e.name() == code {
                code.clone()
            } else {
                format!("{code} — {}", e.name())
            };
            (code, shown)
        })
        .collect()
}

/// Every need of Annex 1 as a choice: its id, and the id with the start of its text.
#[must_use]
pub fn needs(plan: &crate::store::Plan) -> Vec<(String, String)> {
    plan.forums
        .iter()
        .flat_map(|f| f.record.all_needs())
        .map(|(need, _)| {
            let said: String = need.text.value.chars().take(60).collect();
            let more = if need.text.value.chars().count() > 60 {
                "…"
            } else {
                ""
            };
            (
                need.id.value.clone(),
                format!("{} — {said}{more}", need.id.value),
            )
        })
        .collect()
}

/// The buttons under a form: "Save", and a way back.
#[must_use]
pub fn save(back: &str) -> Markup {
    html! {
        div.buttons {
            button type="submit" { "Save" }
            a href=(back) { "Cancel" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_belongs_to_the_key_above_it() {
        let text = "id: 4\ntitle: A\nlead:\n  - DCAF\nstatus: done\n";
        assert_eq!(key_at(text, 4).as_deref(), Some("lead"));
        assert_eq!(key_at(text, 5).as_deref(), Some("status"));
        assert_eq!(key_at(text, 0), None);
        let registry = "partners:\n  - code: A\n    name: B\n    kind: x\n";
        assert_eq!(key_at(registry, 4).as_deref(), Some("kind"));
    }
}

//! The validation rules: every finding of every file in one run, sorted by file, line and
//! column. Checks read the records as loaded, with their positions, and never stop at the
//! first finding.

mod actions;
mod coverage;
mod registries;

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Entry, Month, Registry, Sp};
use crate::store::Plan;

/// What the date rules measure against.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The day statuses are as of.
    pub as_of: NaiveDate,
}

/// Every finding about the plan: what could not be read, then every rule over what could.
#[must_use]
pub fn check(plan: &Plan, options: Options) -> Vec<Diagnostic> {
    let mut findings = Findings {
        list: plan.problems.clone(),
    };
    let period = plan.info.as_ref().map(|info| {
        (
            info.record.period.value.start.value,
            info.record.period.value.end.value,
        )
    });
    let context = Context {
        plan,
        as_of: options.as_of,
        period,
        need_ids: coverage::need_ids(plan),
    };
    registries::check(&context, &mut findings);
    actions::check(&context, &mut findings);
    coverage::check(&context, &mut findings);
    let mut list = findings.list;
    list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    list
}

/// Every finding about one file, as `validate` would report it today (for writes, which may
/// not add errors to a file).
#[must_use]
pub fn findings_in(plan: &Plan, file: &str) -> Vec<Diagnostic> {
    let as_of = plan.as_of(None);
    check(plan, Options { as_of })
        .into_iter()
        .filter(|f| f.file == file)
        .collect()
}

/// What every rule may look at.
struct Context<'a> {
    plan: &'a Plan,
    as_of: NaiveDate,
    period: Option<(Month, Month)>,
    need_ids: HashSet<&'a str>,
}

/// The findings gathered so far.
struct Findings {
    list: Vec<Diagnostic>,
}

impl Findings {
    /// Adds a finding of `code` about the value `at` in `file`.
    fn add<T>(&mut self, code: Code, file: &str, at: &Sp<T>, message: String) -> &mut Diagnostic {
        self.list
            .push(Diagnostic::new(code, message, file).at(at.referenced));
        self.list.last_mut().expect("just pushed")
    }

    /// Checks that a code is in a registry; reports `code` with a hint when it is not.
    fn known<E: Entry>(
        &mut self,
        registry: &Registry<E>,
        code: Code,
        kind: &str,
        registry_file: &str,
        file: &str,
        value: &Sp<String>,
    ) {
        if registry.get(&value.value).is_some() {
            return;
        }
        let help = unknown_help(registry, &value.value, registry_file);
        self.add(
            code,
            file,
            value,
            format!("unknown {kind} `{}`", value.value),
        )
        .help = Some(help);
    }
}

/// What to tell about an unknown code: the code an alias stands for, the closest code, or
/// where to add it.
fn unknown_help<E: Entry>(registry: &Registry<E>, text: &str, registry_file: &str) -> String {
    if let Some(entry) = registry.resolve(text) {
        return format!(
            "`{text}` is a name or alias of `{}`: files use the code",
            entry.code().value
        );
    }
    match registry.suggest(text) {
        Some(code) => format!("did you mean `{code}`?"),
        None => format!("add it to `{registry_file}`, or correct the code"),
    }
}

/// The number a file name starts with (`007-x.yaml` → 7).
fn file_number(shown: &str) -> Option<i64> {
    let name = shown.rsplit('/').next()?;
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Reports codes a list names more than once.
fn repeated(findings: &mut Findings, file: &str, list: &[Sp<String>], what: &str) {
    let mut seen = HashSet::new();
    for item in list {
        if !seen.insert(item.value.as_str()) {
            findings.add(
                Code::RepeatedCode,
                file,
                item,
                format!("`{}` is named twice under `{what}`", item.value),
            );
        }
    }
}

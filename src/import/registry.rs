//! `--add-missing`: an entry in its registry for every name no registry knows.

use std::collections::{BTreeMap, HashSet};

use super::columns::Column;
use super::row::Missing;
use crate::diagnostic::Diagnostic;
use crate::model::RegistryKind;
use crate::model::{Entry, Registry};
use crate::store::entries::{self, EntryDraft, Layout};
use crate::store::{Change, Plan};

/// A registry entry added for a name no registry knew.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    /// The registry.
    pub kind: RegistryKind,
    /// The name as the table wrote it.
    pub name: String,
    /// The code it was given.
    pub code: String,
}

/// Where the entries appended to a registry file are, so that a finding about one is told at
/// the row that named it.
#[derive(Debug)]
pub struct Appended {
    /// The file, as shown.
    pub shown: String,
    /// Whether the file is new: then none of its lines is on disk.
    pub created: bool,
    /// How many lines the file had before.
    pub kept_lines: u64,
    /// Each entry's first line, with the row (its index) and column that named it.
    pub entries: Vec<(u64, usize, Column)>,
}

/// What `--add-missing` did.
#[derive(Debug, Default)]
pub struct AddedAll {
    /// The entries, registry by registry.
    pub added: Vec<Added>,
    /// Where they are in the registries' files.
    pub appended: Vec<Appended>,
    /// The registries that could not take them, each a finding about its file.
    pub findings: Vec<Diagnostic>,
}

/// Appends an entry for every missing name to its registry, staged in the plan; the registry
/// files' new text joins `changes`. A registry whose file cannot take the entries (its list is
/// not one entry a line) is left as it was, with a finding.
pub fn add_missing(
    plan: &mut Plan,
    missing: &BTreeMap<Missing, (usize, Column)>,
    changes: &mut Vec<Change>,
) -> AddedAll {
    let mut all = AddedAll::default();
    for kind in RegistryKind::ALL {
        let names: Vec<(&Missing, &(usize, Column))> =
            missing.iter().filter(|(m, _)| m.kind == kind).collect();
        if names.is_empty() {
            continue;
        }
        let shown = plan.dir.show(kind.file());
        let before = plan.sources.get(&shown).cloned();
        let old = before.as_ref().map(|f| f.text.clone());
        let mut text = old.clone().unwrap_or_else(|| format!("{}:\n", kind.key()));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let mut appended = Appended {
            shown: shown.clone(),
            created: old.is_none(),
            kept_lines: text.matches('\n').count() as u64,
            entries: Vec::new(),
        };
        let mut taken = codes_of(plan, kind);
        let mut added = Vec::new();
        for (name, &(row, column)) in names {
            let code = entries::new_code(&name.text, &taken);
            taken.insert(code.clone());
            let first_line = text.matches('\n').count() as u64 + 1;
            appended.entries.push((first_line, row, column));
            let entry = EntryDraft {
                code: code.clone(),
                name: name.text.clone(),
                ..EntryDraft::default()
            };
            text.push_str(&entries::render(kind, &entry, Layout::default()));
            added.push(Added {
                kind,
                name: name.text.clone(),
                code,
            });
        }
        if let Err(finding) = plan.stage_registry(kind, text.clone()) {
            // The plan keeps the registry as it was, and the text that shows its lines.
            match before {
                Some(file) => plan.sources.insert(file),
                None => plan.sources.remove(&shown),
            };
            all.findings.push(
                Diagnostic::new(
                    finding.code,
                    format!(
                        "cannot add the missing names to {shown}: {}",
                        finding.message
                    ),
                    shown.clone(),
                )
                .help(format!(
                    "add them to {shown} by hand (its list must be one entry a line), then import again"
                )),
            );
            continue;
        }
        let relative = kind.file().to_string();
        changes.push(Change::write(relative, old, text));
        all.added.extend(added);
        all.appended.push(appended);
    }
    all
}

fn codes_of(plan: &Plan, kind: RegistryKind) -> HashSet<String> {
    fn all<E: Entry>(registry: &Registry<E>) -> HashSet<String> {
        registry
            .entries()
            .iter()
            .map(|e| e.code().value.clone())
            .collect()
    }
    match kind {
        RegistryKind::Partners => all(&plan.partners),
        RegistryKind::Funding => all(&plan.funding),
        RegistryKind::Locations => all(&plan.places),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_from_the_name_numbered_when_taken() {
        let taken: HashSet<String> = ["NARNIA".to_string()].into();
        assert_eq!(
            entries::new_code("Border Police Academy", &taken),
            "BORDER-POLICE-ACADEMY"
        );
        assert_eq!(entries::new_code("Narnia", &taken), "NARNIA-2");
    }
}

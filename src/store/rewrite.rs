//! Rewriting a record's file for a new version of the record: only the values that changed
//! are rewritten, every other byte kept, and the result read back to prove it says what was
//! meant. Every command that changes an action in place (`edit`, `renumber`, `import
//! --update`) rewrites it here, and `plan set` rewrites `plan.yaml` here.

use super::yaml;
use super::{Item, Loaded, Patch, PatchError, parse_record, written_codes, written_funding};
use crate::model::{Action, ActionDraft, PlanDraft, PlanInfo, Pos};

/// The action's file rewritten to hold `new`, changing only the values that differ from the
/// action as read.
///
/// # Errors
/// [`PatchError`] when the file is written in a form that cannot be changed in place, or the
/// rewritten file would not read back as `new`; the caller may then write the file anew
/// ([`yaml::action`]) or refuse.
pub fn rewrite_action(loaded: &Loaded<Action>, new: &ActionDraft) -> Result<String, PatchError> {
    let old = ActionDraft::from(&*loaded.record);
    let reads_back = |text: &str| {
        parse_record::<Action>(text, loaded.file.shown())
            .is_ok_and(|back| ActionDraft::from(&back) == *new)
    };
    // Lines added to notes written as a block go into the block; should that not read back
    // as meant (a block of a form `append_to_block` does not know), the notes are rewritten.
    let text = patch(loaded, &old, new, true)?;
    if reads_back(&text) {
        return Ok(text);
    }
    let text = patch(loaded, &old, new, false)?;
    if reads_back(&text) {
        return Ok(text);
    }
    Err(PatchError {
        key: "the file".into(),
        reason: "the edited text would not read back as the change",
    })
}

/// The line(s) `new` notes add at the end of `old`, as [`ActionDraft::add_notes`] adds them.
fn added_lines<'a>(old: &str, new: &'a str) -> Option<&'a str> {
    let rest = new.strip_prefix(old)?;
    if old.ends_with('\n') {
        rest.strip_suffix('\n')
    } else {
        rest.strip_prefix('\n')
    }
    .filter(|lines| !lines.is_empty())
}

/// The file's text with only the changed values rewritten; with `in_block`, lines appended
/// to notes written as a block scalar are added to the block.
fn patch(
    loaded: &Loaded<Action>,
    old: &ActionDraft,
    new: &ActionDraft,
    in_block: bool,
) -> Result<String, PatchError> {
    let action = &loaded.record;
    let mut patch = Patch::new(&loaded.file.text);
    if new.id != old.id {
        patch.scalar("id", action.id.referenced, &new.id.to_string())?;
    }
    let codes = |list: &[String]| list.iter().cloned().map(Item::Code).collect::<Vec<_>>();
    if new.title != old.title {
        patch.scalar("title", action.title.referenced, &yaml::scalar(&new.title))?;
    }
    if new.scope != old.scope {
        patch.scalar("scope", action.scope.referenced, &yaml::scalar(&new.scope))?;
    }
    if new.timeline != old.timeline {
        patch.scalar(
            "timeline",
            action.timeline.referenced,
            &yaml::scalar(&new.timeline),
        )?;
    }
    if new.status != old.status {
        patch.scalar("status", action.status.referenced, new.status.as_str())?;
    }
    if new.lead != old.lead {
        let written = written_codes(&action.lead.value);
        patch.list("lead", action.lead.referenced, &written, &codes(&new.lead))?;
    }
    if new.involved != old.involved {
        let written = written_codes(&action.involved.value);
        patch.list(
            "involved",
            action.involved.referenced,
            &written,
            &codes(&new.involved),
        )?;
    }
    if new.locations != old.locations {
        let written = written_codes(&action.locations.value);
        patch.list(
            "locations",
            action.locations.referenced,
            &written,
            &codes(&new.locations),
        )?;
    }
    if new.financing != old.financing {
        let items: Vec<Item> = new.financing.iter().cloned().map(Item::Funding).collect();
        let written = written_funding(&action.financing.value);
        patch.list("financing", action.financing.referenced, &written, &items)?;
    }
    if new.requested_by != old.requested_by
        && let Some(by) = &new.requested_by
    {
        match &action.requested_by {
            Some(at) => patch.scalar("requested_by", at.referenced, &yaml::scalar(by))?,
            None => patch.insert_after(
                "status",
                action.status.referenced,
                false,
                &format!("requested_by: {}", yaml::scalar(by)),
            )?,
        }
    }
    if new.addresses != old.addresses
        && let Some(needs) = &new.addresses
    {
        match &action.addresses {
            Some(at) => {
                let written = written_codes(&at.value);
                patch.list("addresses", at.referenced, &written, &codes(needs))?;
            }
            None => patch.insert_after(
                "financing",
                action.financing.referenced,
                true,
                &format!("addresses: {}", yaml::flow_list(needs)),
            )?,
        }
    }
    if new.contributes_to != old.contributes_to {
        contributes_to(&mut patch, action, new)?;
    }
    if new.notes != old.notes
        && let Some(notes) = &new.notes
    {
        let added = old.notes.as_deref().and_then(|o| added_lines(o, notes));
        match (&action.notes, added) {
            (Some(at), Some(lines))
                if in_block && patch.append_to_block("notes", at.referenced, lines)? => {}
            (Some(at), _) => patch.scalar("notes", at.referenced, &yaml::scalar(notes))?,
            (None, _) => patch.append(&format!("notes: {}", yaml::scalar(notes))),
        }
    }
    Ok(patch.apply())
}

/// `contributes_to` rewritten to `new`'s, in its list's style; a key the file lacks goes in
/// after `addresses`, else after `financing`.
fn contributes_to(patch: &mut Patch, action: &Action, new: &ActionDraft) -> Result<(), PatchError> {
    let Some(rows) = &new.contributes_to else {
        return Ok(());
    };
    let items: Vec<Item> = rows.iter().copied().map(Item::Number).collect();
    if let Some(at) = &action.contributes_to {
        let written: Vec<(Item, Pos)> = at
            .value
            .iter()
            .map(|id| (Item::Number(id.value), id.referenced))
            .collect();
        return patch.list("contributes_to", at.referenced, &written, &items);
    }
    let line = format!("contributes_to: {}", yaml::id_list(rows));
    let (key, at) = match &action.addresses {
        Some(at) => ("addresses", at.referenced),
        None => ("financing", action.financing.referenced),
    };
    patch.insert_after(key, at, true, &line)?;
    Ok(())
}

/// `plan.yaml` rewritten to hold `new`, changing only the values that differ from the plan
/// as read; a key the file lacks (`as_of` left out or commented out) is inserted on a line
/// of its own after the key before it in the house order (`title`, `issued`, `period`,
/// `as_of`, `coordinator`).
///
/// # Errors
/// [`PatchError`] when the file is written in a form that cannot be changed in place, a
/// value would be removed, or the rewritten file would not read back as `new`.
pub fn rewrite_plan(loaded: &Loaded<PlanInfo>, new: &PlanDraft) -> Result<String, PatchError> {
    let old = PlanDraft::from(&*loaded.record);
    let text = patch_plan(loaded, &old, new)?;
    match parse_record::<PlanInfo>(&text, loaded.file.shown()) {
        Ok(back) if PlanDraft::from(&back) == *new => Ok(text),
        _ => Err(PatchError {
            key: "the file".into(),
            reason: "the edited text would not read back as the change",
        }),
    }
}

fn patch_plan(
    loaded: &Loaded<PlanInfo>,
    old: &PlanDraft,
    new: &PlanDraft,
) -> Result<String, PatchError> {
    let info = &loaded.record;
    let period = &info.period.value;
    let mut patch = Patch::new(&loaded.file.text);
    if new.title != old.title {
        patch.scalar("title", info.title.referenced, &yaml::scalar(&new.title))?;
    }
    if new.period.0 != old.period.0 {
        patch.value("start", period.start.referenced, &new.period.0.iso())?;
    }
    if new.period.1 != old.period.1 {
        patch.value("end", period.end.referenced, &new.period.1.iso())?;
    }
    // Where each key's value ends, for a key inserted after it; `period` ends at whichever
    // of its months is written last.
    let period_end = [period.start.referenced, period.end.referenced]
        .into_iter()
        .max_by_key(|p| p.byte_offset().unwrap_or(0) + p.byte_len())
        .unwrap_or(info.period.referenced);
    let at = |d: Option<&crate::model::Sp<chrono::NaiveDate>>| d.map(|d| d.referenced);
    let written: [(&str, Option<Pos>); 5] = [
        ("title", Some(info.title.referenced)),
        ("issued", at(info.issued.as_ref())),
        ("period", Some(period_end)),
        ("as_of", at(info.as_of.as_ref())),
        (
            "coordinator",
            info.coordinator.as_ref().map(|c| c.referenced),
        ),
    ];
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let code = |c: &Option<String>| c.as_deref().map(yaml::scalar);
    let optional = [
        ("issued", date(old.issued), date(new.issued)),
        ("as_of", date(old.as_of), date(new.as_of)),
        (
            "coordinator",
            code(&old.coordinator),
            code(&new.coordinator),
        ),
    ];
    // In reverse: two keys inserted after the same key go in at one place, and the one
    // inserted last comes first, so the house order holds.
    for (key, old_value, new_value) in optional.into_iter().rev() {
        if old_value == new_value {
            continue;
        }
        let Some(rendered) = new_value else {
            return Err(PatchError {
                key: key.into(),
                reason: "iisg does not remove it",
            });
        };
        let index = written.iter().position(|(k, _)| *k == key).unwrap_or(0);
        if let Some(pos) = written[index].1 {
            patch.scalar(key, pos, &rendered)?;
        } else {
            let (after, pos) = written[..index]
                .iter()
                .rev()
                .find_map(|(k, p)| p.map(|p| (*k, p)))
                .unwrap_or(("title", info.title.referenced));
            patch.insert_after(after, pos, false, &format!("{key}: {rendered}"))?;
        }
    }
    Ok(patch.apply())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::SourceFile;

    fn loaded(text: &str) -> Loaded<PlanInfo> {
        Loaded {
            record: Box::new(parse_record(text, "plan.yaml").unwrap()),
            file: Arc::new(SourceFile::new(
                &Arc::from(std::path::Path::new("")),
                "plan.yaml",
                "plan.yaml",
                text.into(),
            )),
        }
    }

    fn case(text: &str, change: impl Fn(&mut PlanDraft), expected: &str) {
        let plan = loaded(text);
        let mut new = PlanDraft::from(&*plan.record);
        change(&mut new);
        assert_eq!(rewrite_plan(&plan, &new).unwrap(), expected);
    }

    #[test]
    fn plan_values_change_in_place_and_missing_keys_go_in_order() {
        let date = |s: &str| s.parse().ok();
        case(
            "title: T  # kept\nperiod: {start: 2018-07, end: 2019-12}\n",
            |p| {
                p.as_of = date("2019-05-14");
                p.coordinator = Some("DCAF".into());
                p.issued = date("2019-02-26");
            },
            "title: T  # kept\nissued: 2019-02-26\nperiod: {start: 2018-07, end: 2019-12}\n\
             as_of: 2019-05-14\ncoordinator: DCAF\n",
        );
        case(
            "title: T\r\nperiod:\r\n  end: 2019-12\r\n  start: 2018-07\r\nas_of: 2019-01-01",
            |p| {
                p.period.1 = crate::model::Month::parse("2020-01").unwrap();
                p.as_of = date("2019-02-01");
                p.title = "A: B".into();
            },
            "title: \"A: B\"\r\nperiod:\r\n  end: 2020-01\r\n  start: 2018-07\r\nas_of: 2019-02-01",
        );
    }

    #[test]
    fn a_value_is_never_removed() {
        let plan = loaded("title: T\nperiod: {start: 2018-07, end: 2019-12}\nas_of: 2019-01-01\n");
        let mut new = PlanDraft::from(&*plan.record);
        new.as_of = None;
        assert!(rewrite_plan(&plan, &new).is_err());
    }
}

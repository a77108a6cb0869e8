//! Rewriting a record's file for a new version of the record: only the values that changed
//! are rewritten, every other byte kept, and the result read back to prove it says what was
//! meant. Every command that changes an action in place (`edit`, `renumber`, `import
//! --update`) rewrites it here.

use super::yaml;
use super::{Item, Loaded, Patch, PatchError, parse_record, written_codes, written_funding};
use crate::model::{Action, ActionDraft};

/// The action's file rewritten to hold `new`, changing only the values that differ from the
/// action as read.
///
/// # Errors
/// [`PatchError`] when the file is written in a form that cannot be changed in place, or the
/// rewritten file would not read back as `new`; the caller may then write the file anew
/// ([`yaml::action`]) or refuse.
pub fn rewrite_action(loaded: &Loaded<Action>, new: &ActionDraft) -> Result<String, PatchError> {
    let old = ActionDraft::from(&*loaded.record);
    let text = patch(loaded, &old, new)?;
    match parse_record::<Action>(&text, &loaded.file.shown) {
        Ok(back) if ActionDraft::from(&back) == *new => Ok(text),
        _ => Err(PatchError {
            key: "the file".into(),
            reason: "the edited text would not read back as the change",
        }),
    }
}

/// The file's text with only the changed values rewritten.
fn patch(
    loaded: &Loaded<Action>,
    old: &ActionDraft,
    new: &ActionDraft,
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
    if new.notes != old.notes
        && let Some(notes) = &new.notes
    {
        match &action.notes {
            Some(at) => patch.scalar("notes", at.referenced, &yaml::scalar(notes))?,
            None => patch.append(&format!("notes: {}", yaml::scalar(notes))),
        }
    }
    Ok(patch.apply())
}

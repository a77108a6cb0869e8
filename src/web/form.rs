//! An action's fields as a request gives them — a JSON object, or a form's pairs — turned
//! into the arguments of `add-action` and `edit`, by the same names (`requested_by` or
//! `requested-by`), with the same meaning: a `?` after a funding code marks it tentative,
//! a list given whole replaces the list, the `add_…`/`remove_…` keys of `edit` take effect
//! in the order they come.

use std::fmt;

use axum::http::StatusCode;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use super::Failure;
use crate::command::{add_action, edit};
use crate::model::Status;

/// One field's value: text (none: cleared) or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given {
    /// A text value; `None` clears it.
    Text(Option<String>),
    /// A list of values.
    List(Vec<String>),
}

impl Given {
    /// The value as text: a list of one is its one value.
    fn text(&self, key: &str) -> Result<Option<String>, Failure> {
        match self {
            Self::Text(text) => Ok(text.clone()),
            Self::List(list) if list.len() <= 1 => Ok(list.first().cloned()),
            Self::List(_) => Err(bad(format!("`{key}` takes one text, not a list"))),
        }
    }

    /// The value as a list: a text is one value (split at commas later, as flags are).
    fn list(&self) -> Vec<String> {
        match self {
            Self::Text(text) => text.iter().cloned().collect(),
            Self::List(list) => list.clone(),
        }
    }
}

/// A field of the request, by name, in the order given.
pub type Fields = Vec<(String, Given)>;

/// The scalar fields of both an action added and an action edited.
const TEXTS: &[&str] = &[
    "title",
    "scope",
    "timeline",
    "status",
    "requested_by",
    "notes",
];
/// The list fields of an action.
const LISTS: &[&str] = &["lead", "involved", "locations", "financing", "addresses"];
/// `edit`'s flags that add, remove or confirm one value at a time, in order.
const STEPS: &[&str] = &[
    "add_involved",
    "remove_involved",
    "add_location",
    "remove_location",
    "add_financing",
    "remove_financing",
    "confirm_financing",
    "add_addresses",
    "remove_addresses",
    "add_notes",
];

fn bad(error: String) -> Failure {
    Failure {
        status: StatusCode::BAD_REQUEST,
        error,
        help: None,
    }
}

/// A key as the command line writes it, with `_` for `-`.
fn key(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('-', "_")
}

/// A JSON object's keys and values, in the order written.
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object of an action's fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, serde_json::Value>()? {
                    pairs.push(pair);
                }
                Ok(Ordered(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// The fields of a JSON object: each value text, `null` or a list of texts.
///
/// # Errors
/// 400 when the body is not such an object, with what is wrong.
pub fn from_json(body: &[u8]) -> Result<Fields, Failure> {
    let Ordered(pairs) = serde_json::from_slice(body)
        .map_err(|e| bad(format!("the body is not a JSON object of fields: {e}")))?;
    pairs
        .into_iter()
        .map(|(name, value)| {
            let given = match value {
                serde_json::Value::Null => Given::Text(None),
                serde_json::Value::String(text) => Given::Text(Some(text)),
                serde_json::Value::Array(items) => Given::List(
                    items
                        .into_iter()
                        .map(|item| match item {
                            serde_json::Value::String(text) => Ok(text),
                            other => Err(bad(format!(
                                "`{name}` takes a list of texts, and `{other}` is not one"
                            ))),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                other => {
                    return Err(bad(format!(
                        "`{name}` takes a text or a list of texts, not `{other}`"
                    )));
                }
            };
            Ok((key(&name), given))
        })
        .collect()
}

/// A form's pairs, each repeated key (a select of several) one list; the token and the
/// version the form was loaded from left out.
#[must_use]
pub fn from_pairs(pairs: &[(String, String)], lists: &[&str]) -> Fields {
    let mut fields: Fields = Vec::new();
    for (name, value) in pairs {
        let name = key(name);
        if matches!(name.as_str(), "csrf" | "etag") {
            continue;
        }
        let at = fields.iter().position(|(k, _)| *k == name);
        match (at, lists.contains(&name.as_str())) {
            (Some(at), _) => {
                if let Given::List(list) = &mut fields[at].1 {
                    list.push(value.clone());
                }
            }
            (None, true) => fields.push((name, Given::List(vec![value.clone()]))),
            (None, false) => fields.push((name, Given::Text(Some(value.clone())))),
        }
    }
    fields
}

/// The value of the field `name` in a form's body, or nothing.
#[must_use]
pub fn value(body: &[u8], name: &str) -> String {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The pairs of a form's body, in order.
#[must_use]
pub fn pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn unknown(name: &str, known: &[&[&str]]) -> Failure {
    let known: Vec<String> = known
        .iter()
        .flat_map(|k| k.iter())
        .map(|k| format!("`{k}`"))
        .collect();
    bad(format!(
        "`{name}` is not a field of an action here; these are: {}",
        known.join(", ")
    ))
}

fn status(text: Option<&str>) -> Result<Option<Status>, Failure> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| Status::parse_words(t).map_err(bad))
        .transpose()
}

/// `add-action`'s arguments from the fields of a new action.
///
/// # Errors
/// 400 for a key that is no field, or a value of the wrong kind.
pub fn add_args(fields: &Fields) -> Result<add_action::Args, Failure> {
    let mut args = add_action::Args::default();
    for (name, given) in fields {
        match name.as_str() {
            "title" => args.title = given.text(name)?,
            "scope" => args.scope = given.text(name)?,
            "timeline" => args.timeline = given.text(name)?,
            "status" => args.status = status(given.text(name)?.as_deref())?,
            "requested_by" => args.requested_by = given.text(name)?,
            "notes" => args.notes = given.text(name)?,
            "lead" => args.lead = given.list(),
            "involved" => args.involved = given.list(),
            "locations" => args.locations = given.list(),
            "financing" => args.financing = given.list(),
            "addresses" => args.addresses = given.list(),
            _ => return Err(unknown(name, &[TEXTS, LISTS])),
        }
    }
    Ok(args)
}

/// One step of an edit, owning its values.
#[derive(Clone, Debug)]
pub enum Owned {
    /// A list given whole.
    List(&'static str, Vec<String>),
    /// One value of an `add_…`/`remove_…` key.
    One(&'static str, String),
}

/// `edit`'s arguments for action `id` from the fields to change, with the steps in the
/// order their keys came.
///
/// # Errors
/// 400 for a key that is no field, a value of the wrong kind, or a lead taken away.
pub fn edit_args(id: i64, fields: &Fields) -> Result<(edit::Args, Vec<Owned>), Failure> {
    let mut args = edit::Args {
        id,
        ..edit::Args::default()
    };
    let mut owned = Vec::new();
    for (name, given) in fields {
        let name = name.as_str();
        match name {
            "title" => args.title = given.text(name)?,
            "scope" => args.scope = Some(given.text(name)?.unwrap_or_default()),
            "timeline" => args.timeline = given.text(name)?,
            "status" => args.status = status(given.text(name)?.as_deref())?,
            "requested_by" => args.requested_by = Some(given.text(name)?.unwrap_or_default()),
            "notes" => owned.push(Owned::One("notes", given.text(name)?.unwrap_or_default())),
            "lead" => {
                args.lead = given.list();
                if crate::command::input::split(&args.lead).is_empty() {
                    return Err(bad(
                        "an action needs a lead: `lead` cannot be empty; nothing was written"
                            .into(),
                    ));
                }
            }
            _ => {
                if let Some(list) = LISTS.iter().find(|l| **l == name) {
                    owned.push(Owned::List(list, given.list()));
                } else if let Some(step) = STEPS.iter().find(|s| **s == name) {
                    let values = crate::command::input::split(&given.list());
                    owned.extend(values.into_iter().map(|v| Owned::One(step, v)));
                } else {
                    return Err(unknown(name, &[TEXTS, LISTS, STEPS]));
                }
            }
        }
    }
    Ok((args, owned))
}

/// The steps `owned` make, borrowing their values.
#[must_use]
pub fn steps(owned: &[Owned]) -> Vec<edit::Step<'_>> {
    use edit::Step;
    owned
        .iter()
        .filter_map(|o| {
            Some(match o {
                Owned::List("involved", all) => Step::Involved(all),
                Owned::List("locations", all) => Step::Locations(all),
                Owned::List("financing", all) => Step::Financing(all),
                Owned::List("addresses", all) => Step::Addresses(all),
                Owned::One("notes", v) => Step::Notes(v),
                Owned::One("add_notes", v) => Step::AddNotes(v),
                Owned::One("add_involved", v) => Step::AddInvolved(v),
                Owned::One("remove_involved", v) => Step::RemoveInvolved(v),
                Owned::One("add_location", v) => Step::AddLocation(v),
                Owned::One("remove_location", v) => Step::RemoveLocation(v),
                Owned::One("add_financing", v) => Step::AddFinancing(v),
                Owned::One("remove_financing", v) => Step::RemoveFinancing(v),
                Owned::One("confirm_financing", v) => Step::ConfirmFinancing(v),
                Owned::One("add_addresses", v) => Step::AddAddresses(v),
                Owned::One("remove_addresses", v) => Step::RemoveAddresses(v),
                _ => return None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_keep_their_order() {
        let fields =
            from_json(br#"{"remove-financing": "JOO", "add_financing": ["JOO?"], "notes": null}"#)
                .unwrap();
        let (_, owned) = edit_args(6, &fields).unwrap();
        let steps = steps(&owned);
        assert_eq!(
            steps,
            [
                edit::Step::RemoveFinancing("JOO"),
                edit::Step::AddFinancing("JOO?"),
                edit::Step::Notes(""),
            ]
        );
        assert!(from_json(b"[1]").is_err());
        assert!(from_json(br#"{"title": 4}"#).is_err());
        assert!(edit_args(1, &from_json(br#"{"colour": "red"}"#).unwrap()).is_err());
    }

    #[test]
    fn a_form_repeats_a_key_for_a_list() {
        let pairs = pairs(b"csrf=x&lead=DCAF&lead=FRONTEX&title=A+b&etag=1");
        assert_eq!(
            from_pairs(&pairs, LISTS),
            vec![
                (
                    "lead".to_string(),
                    Given::List(vec!["DCAF".into(), "FRONTEX".into()])
                ),
                ("title".to_string(), Given::Text(Some("A b".into()))),
            ]
        );
    }
}

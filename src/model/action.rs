//! One action of the List of Actions, as its file holds it.

use std::fmt;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::{Sp, Status, Timeline, TimelineError};

/// The ids an action or a logframe row may have, the one range every command, the loader
/// and `import` agree on: 1 to 999,999 — more than any plan needs, and a number that fits a
/// file name.
pub const IDS: RangeInclusive<i64> = 1..=999_999;

/// Why a text is not an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdError {
    /// A whole number, but outside [`IDS`].
    OutOfRange,
    /// Not a whole number at all.
    NotANumber,
}

impl fmt::Display for IdError {
    /// The reason, to follow "`TEXT` is not an id: ".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, last) = (IDS.start(), IDS.end());
        match self {
            Self::OutOfRange => write!(f, "ids run from {first} to {last}"),
            Self::NotANumber => write!(f, "ids are whole numbers from {first} to {last}"),
        }
    }
}

impl std::error::Error for IdError {}

/// Reads an id: a whole number (`+` or `-` allowed, so that `-1` is told it is out of
/// range) in [`IDS`].
///
/// # Errors
/// When the text is not a whole number, or the number is outside [`IDS`].
pub fn parse_id(text: &str) -> Result<i64, IdError> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotANumber);
    }
    text.parse::<i64>()
        .ok()
        .filter(|id| IDS.contains(id))
        .ok_or(IdError::OutOfRange)
}

/// The id after the highest of `ids` that is in [`IDS`] (1 when none is); `None` when that
/// highest is the last id of the range.
#[must_use]
pub fn next_id(ids: impl IntoIterator<Item = i64>) -> Option<i64> {
    let highest = ids.into_iter().filter(|id| IDS.contains(id)).max();
    highest.map_or(Some(*IDS.start()), |id| {
        Some(id + 1).filter(|next| IDS.contains(next))
    })
}

/// One action: a joint operation, training, workshop, …
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Unique number in [`IDS`], equal to the number in the file name.
    #[serde(deserialize_with = "super::number::whole_number")]
    pub id: Sp<i64>,
    /// The title as written in the document.
    pub title: Sp<String>,
    /// Lead partner codes; more than one is a joint lead.
    pub lead: Sp<Vec<Sp<String>>>,
    /// Involved partner codes.
    pub involved: Sp<Vec<Sp<String>>>,
    /// Location codes; empty while undecided.
    pub locations: Sp<Vec<Sp<String>>>,
    /// Who it is for, as written.
    pub scope: Sp<Option<String>>,
    /// When, as written (see [`Timeline`]).
    pub timeline: Sp<String>,
    /// Where it stands.
    pub status: Sp<Status>,
    /// Who asked for it, for a `requested` action: a location code (a beneficiary).
    /// (This and the other fields most actions leave out are boxed: an action that has
    /// none of them is 120 bytes smaller.)
    #[serde(default)]
    pub requested_by: Option<Box<Sp<String>>>,
    /// Funding sources; empty while undecided.
    pub financing: Sp<Vec<Sp<Funding>>>,
    /// The Annex 1 needs it answers.
    #[serde(default)]
    pub addresses: Option<Sp<Vec<Sp<String>>>>,
    /// The logframe rows (by id) whose results it contributes to.
    #[serde(default)]
    pub contributes_to: Option<Box<Sp<Vec<Sp<i64>>>>>,
    /// Free text.
    #[serde(default)]
    pub notes: Option<Box<Sp<String>>>,
    /// The status as written, when that is another wording than its file form (`Planned`).
    #[serde(skip)]
    pub status_as_written: Option<Box<str>>,
}

/// One funding source of an action: a code, or `{source: CODE, tentative: true}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Funding {
    /// The funding source's code.
    pub source: String,
    /// Whether the money is not yet confirmed.
    pub tentative: bool,
}

/// The long form of a funding entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FullFunding {
    source: String,
    #[serde(default)]
    tentative: bool,
}

impl<'de> Deserialize<'de> for Funding {
    /// Either form, told apart by what the YAML holds: a scalar or a mapping. (Not an
    /// untagged enum, which buffers every entry to try each form in turn, and can only
    /// say that none fitted.)
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = Funding;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a funding source code, or `{source: CODE, tentative: true}`")
            }

            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Funding, E> {
                Ok(Funding {
                    source: code.to_owned(),
                    tentative: false,
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Funding, A::Error> {
                let full =
                    FullFunding::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Funding {
                    source: full.source,
                    tentative: full.tentative,
                })
            }
        }
        deserializer.deserialize_any(Either)
    }
}

impl std::fmt::Display for Funding {
    /// `TAIEX?` for tentative money, as the document writes it; the code otherwise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)?;
        if self.tentative {
            f.write_str("?")?;
        }
        Ok(())
    }
}

impl Action {
    /// Gives back what its lists were given to grow while they were read (a list of two
    /// codes holds room for four): a plan of 100,000 actions keeps them all.
    pub fn shrink(&mut self) {
        self.lead.value.shrink_to_fit();
        self.involved.value.shrink_to_fit();
        self.locations.value.shrink_to_fit();
        self.financing.value.shrink_to_fit();
        if let Some(addresses) = &mut self.addresses {
            addresses.value.shrink_to_fit();
        }
        if let Some(rows) = &mut self.contributes_to {
            rows.value.shrink_to_fit();
        }
    }

    /// The id, `None` when the file's id is outside [`IDS`].
    #[must_use]
    pub fn number(&self) -> Option<i64> {
        Some(self.id.value).filter(|id| IDS.contains(id))
    }

    /// The timeline read into a window.
    ///
    /// # Errors
    /// When the timeline is in none of the accepted forms.
    pub fn window(&self) -> Result<Timeline, TimelineError> {
        Timeline::parse(&self.timeline.value)
    }

    /// The scope, empty when none is written.
    #[must_use]
    pub fn scope(&self) -> &str {
        self.scope.value.as_deref().unwrap_or("")
    }

    /// The lead partner codes.
    pub fn leads(&self) -> impl Iterator<Item = &str> {
        self.lead.value.iter().map(|c| c.value.as_str())
    }

    /// The involved partner codes.
    pub fn involved(&self) -> impl Iterator<Item = &str> {
        self.involved.value.iter().map(|c| c.value.as_str())
    }

    /// The location codes.
    pub fn locations(&self) -> impl Iterator<Item = &str> {
        self.locations.value.iter().map(|c| c.value.as_str())
    }

    /// The funding entries.
    pub fn financing(&self) -> impl Iterator<Item = &Funding> {
        self.financing.value.iter().map(|f| &f.value)
    }

    /// The need ids it addresses.
    pub fn addresses(&self) -> impl Iterator<Item = &str> {
        self.addresses
            .iter()
            .flat_map(|a| a.value.iter().map(|n| n.value.as_str()))
    }

    /// The ids of the logframe rows it contributes to.
    pub fn contributes_to(&self) -> impl Iterator<Item = i64> + '_ {
        self.contributes_to
            .iter()
            .flat_map(|c| c.value.iter().map(|id| id.value))
    }

    /// The notes, if any.
    #[must_use]
    pub fn notes(&self) -> Option<&str> {
        self.notes.as_ref().map(|n| n.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, expected: Result<i64, IdError>) {
        assert_eq!(parse_id(text), expected, "{text:?}");
    }

    #[test]
    fn ids_run_from_1_to_999999() {
        case("1", Ok(1));
        case("007", Ok(7));
        case("999999", Ok(999_999));
        for text in [
            "0",
            "-1",
            "-0",
            "1000000",
            "4294967296",
            "9223372036854775807",
        ] {
            case(text, Err(IdError::OutOfRange));
        }
        case("99999999999999999999999", Err(IdError::OutOfRange));
        for text in ["", "-", "DRINO", "1.5", "1e3", " 1", "١"] {
            case(text, Err(IdError::NotANumber));
        }
    }

    #[test]
    fn the_next_id_stays_in_the_range() {
        assert_eq!(next_id([]), Some(1));
        assert_eq!(next_id([3, 1, 2]), Some(4));
        assert_eq!(next_id([5, 0, -4, 1_000_000, i64::MAX]), Some(6));
        assert_eq!(next_id([999_998]), Some(999_999));
        assert_eq!(next_id([999_999, 3]), None);
    }
}

//! One action of the List of Actions, as its file holds it.

use serde::{Deserialize, Serialize};

use super::{Sp, Status, Timeline, TimelineError};

/// One action: a joint operation, training, workshop, …
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Unique positive number, equal to the number in the file name.
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
    #[serde(default)]
    pub requested_by: Option<Sp<String>>,
    /// Funding sources; empty while undecided.
    pub financing: Sp<Vec<Sp<Funding>>>,
    /// The Annex 1 needs it answers.
    #[serde(default)]
    pub addresses: Option<Sp<Vec<Sp<String>>>>,
    /// Free text.
    #[serde(default)]
    pub notes: Option<Sp<String>>,
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
    /// The id as a positive number, `None` when the file's id is zero or negative.
    #[must_use]
    pub fn number(&self) -> Option<u32> {
        u32::try_from(self.id.value).ok().filter(|id| *id > 0)
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

    /// The notes, if any.
    #[must_use]
    pub fn notes(&self) -> Option<&str> {
        self.notes.as_ref().map(|n| n.value.as_str())
    }
}

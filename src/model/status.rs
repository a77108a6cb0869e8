//! Where an action stands: the six statuses of the design.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// The status of an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Asked for by a beneficiary, not yet planned.
    Requested,
    /// Planned; the document's empty status.
    Planned,
    /// Being planned or implemented.
    InProgress,
    /// Done.
    Completed,
    /// Put off to a later date.
    Postponed,
    /// Will not happen.
    Cancelled,
}

impl Status {
    /// Every status, in the order a report lists them.
    pub const ALL: [Self; 6] = [
        Self::Requested,
        Self::Planned,
        Self::InProgress,
        Self::Completed,
        Self::Postponed,
        Self::Cancelled,
    ];

    /// The file forms, in the order of [`Status::ALL`].
    pub const NAMES: [&'static str; 6] = [
        "requested",
        "planned",
        "in-progress",
        "completed",
        "postponed",
        "cancelled",
    ];

    /// The kebab-case name used in files and on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The IATI `ActivityStatus` code (1 pipeline … 6 suspended) for exports.
    #[must_use]
    pub fn iati_code(self) -> u8 {
        match self {
            Self::Requested | Self::Planned => 1,
            Self::InProgress => 2,
            Self::Completed => 3,
            Self::Cancelled => 5,
            Self::Postponed => 6,
        }
    }

    /// Whether the action no longer needs to happen (for overdue checks).
    #[must_use]
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled)
    }
}

impl Status {
    /// The status a person means by `text`: any case and spacing (`Completed`, `in
    /// progress`, `IN_PROGRESS`), and the common words for each (done, finished → completed;
    /// ongoing, underway, started → in-progress; delayed, on hold → postponed; canceled,
    /// dropped → cancelled; asked → requested; to do, foreseen → planned).
    #[must_use]
    pub fn from_words(text: &str) -> Option<Self> {
        let key: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "requested" | "request" | "asked" | "askedfor" => Self::Requested,
            "planned" | "plan" | "planning" | "todo" | "foreseen" | "scheduled" | "tbd" => {
                Self::Planned
            }
            "inprogress" | "progress" | "ongoing" | "underway" | "started" | "running"
            | "active" | "implementation" | "implementing" | "inimplementation" => Self::InProgress,
            "completed" | "complete" | "done" | "finished" | "closed" | "held" | "implemented" => {
                Self::Completed
            }
            "postponed" | "delayed" | "deferred" | "onhold" | "rescheduled" => Self::Postponed,
            "cancelled" | "canceled" | "dropped" | "abandoned" | "withdrawn" => Self::Cancelled,
            _ => return None,
        })
    }

    /// [`Status::from_words`] for the command line: the error lists the statuses.
    ///
    /// # Errors
    /// When the text names no status.
    pub fn parse_words(text: &str) -> Result<Self, String> {
        Self::from_words(text).ok_or_else(|| {
            format!(
                "`{text}` is not a status: use one of {}",
                Self::NAMES.join(", ")
            )
        })
    }
}

/// The file form, or any wording [`Status::from_words`] knows: `status: Planned` is read as
/// planned (the check then says to write `planned`), not a file the plan leaves out.
impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Words;
        impl<'de> serde::de::Visitor<'de> for Words {
            type Value = Status;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a status")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Status, E> {
                Status::from_words(text).ok_or_else(|| E::unknown_variant(text, &Status::NAMES))
            }

            // As an enum, the YAML reader points a refusal at the value, not at its key.
            fn visit_enum<A: serde::de::EnumAccess<'de>>(
                self,
                data: A,
            ) -> Result<Status, A::Error> {
                use serde::de::{Error, VariantAccess};
                let (text, variant): (std::borrow::Cow<'de, str>, _) = data.variant()?;
                variant.unit_variant()?;
                Status::from_words(&text)
                    .ok_or_else(|| A::Error::unknown_variant(&text, &Status::NAMES))
            }
        }
        deserializer.deserialize_enum("Status", &Status::NAMES, Words)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde() {
        for status in Status::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{status}\""));
            let back: Status = serde_json::from_str(&json).unwrap();
            assert_eq!(back, status);
        }
    }

    #[test]
    fn words_as_people_write_them() {
        let case = |text: &str, status: Option<Status>| {
            assert_eq!(Status::from_words(text), status, "{text:?}");
        };
        for status in Status::ALL {
            case(status.as_str(), Some(status));
            case(&status.as_str().to_uppercase(), Some(status));
        }
        case("Completed", Some(Status::Completed));
        case("done", Some(Status::Completed));
        case("Finished", Some(Status::Completed));
        case("in progress", Some(Status::InProgress));
        case("In_Progress", Some(Status::InProgress));
        case("ongoing", Some(Status::InProgress));
        case("on hold", Some(Status::Postponed));
        case("canceled", Some(Status::Cancelled));
        case("maybe", None);
        case("", None);
        assert!(
            Status::parse_words("maybe")
                .unwrap_err()
                .contains("in-progress")
        );
    }

    #[test]
    fn iati_codes() {
        assert_eq!(Status::Planned.iati_code(), 1);
        assert_eq!(Status::Completed.iati_code(), 3);
        assert_eq!(Status::Postponed.iati_code(), 6);
    }
}

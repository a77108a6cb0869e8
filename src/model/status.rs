//! Where an action stands: the six statuses of the design.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The status of an action.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    clap::ValueEnum,
)]
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

    /// The kebab-case name used in files and on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Planned => "planned",
            Self::InProgress => "in-progress",
            Self::Completed => "completed",
            Self::Postponed => "postponed",
            Self::Cancelled => "cancelled",
        }
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
    fn iati_codes() {
        assert_eq!(Status::Planned.iati_code(), 1);
        assert_eq!(Status::Completed.iati_code(), 3);
        assert_eq!(Status::Postponed.iati_code(), 6);
    }
}

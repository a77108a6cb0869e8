//! One row of the logical framework (Annex 2): an outcome, its objectives and their outputs.

use serde::Deserialize;

use super::{IDS, Indicator, Sp};

/// One logframe row.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogframeRow {
    /// Unique number in [`IDS`], equal to the number in the file name.
    #[serde(deserialize_with = "super::number::whole_number")]
    pub id: Sp<i64>,
    /// The outcome, as written.
    pub outcome: Sp<String>,
    /// The Annex 1 needs the row answers.
    #[serde(default)]
    pub addresses: Option<Sp<Vec<Sp<String>>>>,
    /// The objectives under the outcome.
    pub objectives: Sp<Vec<Sp<Objective>>>,
    /// EU logframe column: objectively verifiable indicators, each with its baseline,
    /// targets and progress (numbered from 1 in file order).
    #[serde(default)]
    pub indicators: Option<Sp<Vec<Sp<Indicator>>>>,
    /// EU logframe column: the baseline.
    #[serde(default)]
    pub baseline: Option<Sp<String>>,
    /// EU logframe column: the target.
    #[serde(default)]
    pub target: Option<Sp<String>>,
    /// EU logframe column: sources and means of verification.
    #[serde(default)]
    pub verification: Option<Sp<String>>,
    /// EU logframe column: assumptions.
    #[serde(default)]
    pub assumptions: Option<Sp<String>>,
    /// Free text.
    #[serde(default)]
    pub notes: Option<Sp<String>>,
}

/// One objective of a logframe row.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// The objective, as written.
    pub text: Sp<String>,
    /// Its outputs, as written.
    #[serde(default)]
    pub outputs: Vec<Sp<String>>,
}

impl LogframeRow {
    /// The id, `None` when the file's id is outside [`IDS`].
    #[must_use]
    pub fn number(&self) -> Option<i64> {
        Some(self.id.value).filter(|id| IDS.contains(id))
    }

    /// The need ids it addresses.
    pub fn addresses(&self) -> impl Iterator<Item = &str> {
        self.addresses
            .iter()
            .flat_map(|a| a.value.iter().map(|n| n.value.as_str()))
    }

    /// Its indicators, in file order (indicator 1 first).
    #[must_use]
    pub fn indicators(&self) -> &[Sp<Indicator>] {
        self.indicators.as_ref().map_or(&[], |i| i.value.as_slice())
    }

    /// How many outputs its objectives list in all.
    #[must_use]
    pub fn output_count(&self) -> usize {
        self.objectives
            .value
            .iter()
            .map(|o| o.value.outputs.len())
            .sum()
    }
}

//! A regional meeting of Annex 1 and the numbered needs it raised.

use chrono::NaiveDate;
use serde::Deserialize;

use super::Sp;

/// One regional meeting (forum).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forum {
    /// Short code, the prefix of its needs' ids (`BP`).
    pub code: Sp<String>,
    /// The IISG pillar it belongs to: a partner code.
    #[serde(default)]
    pub pillar: Option<Sp<String>>,
    /// The organisation that convened the meeting: a partner code.
    #[serde(default)]
    pub host: Option<Sp<String>>,
    /// The meeting's name.
    pub name: Sp<String>,
    /// The heading as written in the document.
    #[serde(default)]
    pub heading: Option<Sp<String>>,
    /// Where it met: a location code.
    #[serde(default)]
    pub place: Option<Sp<String>>,
    /// First day of the meeting.
    #[serde(default)]
    pub start: Option<Sp<NaiveDate>>,
    /// Last day of the meeting.
    #[serde(default)]
    pub end: Option<Sp<NaiveDate>>,
    /// The needs, conclusions and proposals it raised, numbered.
    pub needs: Sp<Vec<Sp<Need>>>,
}

/// One numbered need (`BP-7`), possibly with sub-items (`BP-7a`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// Its id, e.g. `BP-7` or `BP-7a`.
    pub id: Sp<String>,
    /// The text as written.
    pub text: Sp<String>,
    /// Sub-items.
    #[serde(default)]
    pub items: Vec<Sp<Need>>,
}

impl Forum {
    /// Every need and sub-item, depth first, with its parent's id for sub-items.
    #[must_use]
    pub fn all_needs(&self) -> Vec<(&Need, Option<&str>)> {
        let mut out = Vec::new();
        for need in &self.needs.value {
            out.push((&need.value, None));
            for item in &need.value.items {
                out.push((&item.value, Some(need.value.id.value.as_str())));
            }
        }
        out
    }
}

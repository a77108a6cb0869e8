//! The plan's own file: title, dates and the period it covers.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{Month, Sp};

/// `plan.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInfo {
    /// The plan's title.
    pub title: Sp<String>,
    /// The date the document was issued.
    #[serde(default)]
    pub issued: Option<Sp<NaiveDate>>,
    /// The months the plan covers.
    pub period: Sp<Period>,
    /// The date the statuses describe.
    #[serde(default)]
    pub as_of: Option<Sp<NaiveDate>>,
    /// The body that keeps the plan: a partner code.
    #[serde(default)]
    pub coordinator: Option<Sp<String>>,
    /// How the plan is published to IATI.
    #[serde(default)]
    pub iati: Option<Sp<Iati>>,
    /// Free text.
    #[serde(default)]
    pub notes: Option<Sp<String>>,
}

/// `iati:` in plan.yaml: what an IATI export says of who publishes it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Iati {
    /// The organisation that publishes the plan's activities.
    pub reporting_org: Sp<ReportingOrg>,
}

/// The reporting organisation of an IATI export.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingOrg {
    /// Its IATI organisation identifier (`XM-DAC-…`, `XI-IATI-…`, `GB-COH-…`); every
    /// activity's identifier starts with it.
    #[serde(rename = "ref")]
    pub reference: Sp<String>,
    /// Its IATI `OrganisationType` code (`10` government, `21` international NGO, `40`
    /// multilateral, …).
    #[serde(rename = "type", default)]
    pub kind: Option<Sp<super::Value>>,
    /// Its name; the coordinator's name when not given.
    #[serde(default)]
    pub name: Option<Sp<String>>,
}

/// A span of months, both ends included.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First month.
    pub start: Sp<Month>,
    /// Last month.
    pub end: Sp<Month>,
}

impl PlanInfo {
    /// The plan's `as_of` date, if it has one.
    #[must_use]
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.as_of.as_ref().map(|d| d.value)
    }
}

//! The records of a plan, knowing nothing of files or screens.

mod action;
pub mod cell;
mod draft;
mod forum;
mod indicator;
mod logframe;
mod month;
mod number;
mod plan;
mod registry;
mod spanned;
mod status;
mod timeline;

pub use action::{Action, Funding, IDS, IdError, next_id, parse_id};
pub use draft::{ActionDraft, FieldChange, FieldsDraft, LogframeDraft, PlanDraft};
pub use forum::{Forum, Need};
pub use indicator::{
    Indicator, IndicatorDraft, Level, Measure, PERIOD_FORMS, Progress, ProgressDraft,
    ReportingPeriod, Value,
};
pub use logframe::{LogframeRow, Objective};
pub use month::{MONTH_NAMES, Month, MonthError};
pub use plan::{Iati, Period, PlanInfo, ReportingOrg};
pub use registry::{Entry, FundingSource, Partner, Place, Registry, RegistryKind, lookup_key};
pub use spanned::{Pos, Sp};
pub use status::Status;
pub use timeline::{ACCEPTED_FORMS, Timeline, TimelineError, Window};

//! Questions asked of a loaded plan, answered as data.

pub mod changes;
pub mod coverage;
pub mod dashboard;
pub mod filter;
pub mod history;
pub mod overlap;
pub mod report;
pub mod results;

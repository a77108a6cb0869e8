//! Questions asked of a loaded plan, answered as data.

pub mod coverage;
pub mod filter;
pub mod overlap;
pub mod report;

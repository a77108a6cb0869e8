//! Questions asked of a loaded plan, answered as data.

pub mod dashboard;
pub mod filter;
pub mod overlap;

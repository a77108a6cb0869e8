//! Questions asked of a loaded plan, answered as data.

pub mod filter;
pub mod overlap;

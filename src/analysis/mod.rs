//! Questions asked of a loaded plan, answered as data.

pub mod changes;
pub mod filter;
pub mod history;
pub mod overlap;

//! Integration tests: the real binary over temporary plan folders. One binary, one module
//! per feature.

mod test;

mod cli;

mod list;
mod load;
mod shipped;
mod show;

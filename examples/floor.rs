//! The floors `scripts/bench.sh` sets `validate` beside: reading every action file of a plan
//! without parsing, and parsing every one with serde-saphyr into plain values, on two
//! threads as `validate` reads, with no spans, no checks and no output.
//!
//! `cargo run --release --example floor -- read|parse DATA_DIR`

// A program of its own, like main.rs: it may print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(what), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: floor read|parse DATA_DIR");
        std::process::exit(2);
    };
    let files: Vec<_> = std::fs::read_dir(Path::new(&dir).join("actions"))
        .expect("an actions folder")
        .map(|entry| entry.expect("a readable folder").path())
        .collect();
    let parse = what == "parse";
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build_global()
        .expect("a pool");
    let bytes: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a readable file");
            if parse {
                let value: serde_json::Value =
                    serde_saphyr::from_str(&text).expect("well-formed YAML");
                std::hint::black_box(value);
            }
            text.len()
        })
        .sum();
    println!("{} files, {bytes} bytes", files.len());
}

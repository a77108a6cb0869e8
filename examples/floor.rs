//! The floors `scripts/bench.sh` sets `validate` beside: reading every action file of a plan
//! without parsing, and parsing every one with serde-saphyr into plain values, on two
//! threads as `validate` reads, with no spans, no checks and no output. And the floor of
//! `list`'s start-up beyond the process's own: serde-saphyr parsing, on one thread and into
//! nothing, every file `list` reads.
//!
//! `cargo run --release --example floor -- read|parse|start-up DATA_DIR`

// A program of its own, like main.rs: it may print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;

use rayon::prelude::*;
use serde::de::IgnoredAny;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(what), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: floor read|parse|start-up DATA_DIR");
        std::process::exit(2);
    };
    if what == "start-up" {
        start_up(Path::new(&dir));
        return;
    }
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

/// Parses every file `list` reads (the plan's files, [`iisg::store::PLAN_FILES`], the
/// folders' files in name order) one after another on this thread into [`IgnoredAny`], the least
/// serde-saphyr can do with them, and prints how long that took, in microseconds: what
/// `list` cannot spend less than on top of the process's own start. The files are read
/// first and not timed.
fn start_up(dir: &Path) {
    let mut paths = Vec::new();
    for name in iisg::store::PLAN_FILES {
        let path = dir.join(name);
        if path.is_dir() {
            let mut names: Vec<_> = std::fs::read_dir(&path)
                .expect("a plan's folder")
                .map(|entry| entry.expect("a readable folder").path())
                .collect();
            names.sort();
            paths.extend(names);
        } else {
            paths.push(path);
        }
    }
    let texts: Vec<String> = paths
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("a readable file"))
        .collect();
    let start = std::time::Instant::now();
    for text in &texts {
        let value: IgnoredAny = serde_saphyr::from_str(text).expect("well-formed YAML");
        std::hint::black_box(value);
    }
    let took = start.elapsed();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} files, {bytes} bytes, parsed in {} us",
        texts.len(),
        took.as_micros()
    );
}

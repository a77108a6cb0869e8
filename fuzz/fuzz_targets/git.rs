//! Any bytes read as `git ls-tree -l` output or `git cat-file --batch` output give entries or
//! nothing, never a panic; a blob is never longer than the output it came from.
#![no_main]

use iisg::store::{parse_batch, parse_tree};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &[u8])| {
    let (count, bytes) = input;
    for entry in parse_tree(bytes, "data/") {
        assert!(!entry.path.is_empty() || bytes.contains(&b'\t'));
    }
    if let Some(blobs) = parse_batch(bytes, usize::from(count)) {
        assert_eq!(blobs.len(), usize::from(count));
        assert!(blobs.iter().map(Vec::len).sum::<usize>() <= bytes.len());
    }
});

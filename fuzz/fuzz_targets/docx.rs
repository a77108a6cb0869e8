//! Any bytes read as a Word document give a table or an error: never a panic, a hang or
//! memory past the caps (a zip bomb, a broken zip, broken or endless XML, spans and merges
//! out of range).
#![no_main]

use iisg::store::docx::read_docx_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = read_docx_bytes(bytes, "fuzz.docx", &|cells| !cells.is_empty());
});

//! Any bytes read as an Excel workbook give a table or an error: never a panic, a hang or
//! memory past the caps (a zip bomb, a broken zip, a broken workbook).
#![no_main]

use iisg::store::sheet::read_xlsx_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = read_xlsx_bytes(bytes.to_vec(), "fuzz.xlsx", None, &|cells| !cells.is_empty());
});

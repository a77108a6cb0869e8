//! Any bytes, read as each kind of record file beside the shipped registries, load into a
//! plan and go through every validation rule without a panic. Bytes that do not parse take
//! the loader's failure path (`store/yaml_syntax`: the merge-conflict scan, the second pass
//! over the YAML events for unclosed brackets and quotes, tabs and tags), and bytes that
//! parse and hold a `!` its tag check; the `broken-*` seeds start the fuzzer on each.
#![no_main]

use iisg::check::{self, Options};
use iisg::store::{DataDir, Plan};
use libfuzzer_sys::fuzz_target;

const PLAN: &str = include_str!("../../data/plan.yaml");
const PARTNERS: &str = include_str!("../../data/partners.yaml");
const FUNDING: &str = include_str!("../../data/funding.yaml");
const LOCATIONS: &str = include_str!("../../data/locations.yaml");
const FORUM: &str = include_str!("../../data/forums/bp.yaml");
const ACTION: &str = include_str!("../../data/actions/005-study-visit-s-to-joo.yaml");

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let slot = match which % 6 {
        0 => "actions/001-fuzz.yaml",
        1 => "logframe/01-fuzz.yaml",
        2 => "forums/fz.yaml",
        3 => "partners.yaml",
        4 => "locations.yaml",
        _ => "plan.yaml",
    };
    let mut files = vec![
        ("plan.yaml".to_string(), PLAN.as_bytes().to_vec()),
        ("partners.yaml".to_string(), PARTNERS.as_bytes().to_vec()),
        ("funding.yaml".to_string(), FUNDING.as_bytes().to_vec()),
        ("locations.yaml".to_string(), LOCATIONS.as_bytes().to_vec()),
        ("forums/bp.yaml".to_string(), FORUM.as_bytes().to_vec()),
        ("actions/005-study-visit-s-to-joo.yaml".to_string(), ACTION.as_bytes().to_vec()),
    ];
    files.retain(|(path, _)| path != slot);
    files.push((slot.to_string(), bytes.to_vec()));
    let dir = DataDir {
        path: "/nonexistent/fuzz/data".into(),
        shown: "data".into(),
    };
    let plan = Plan::from_texts(dir, files);
    let as_of = chrono::NaiveDate::from_ymd_opt(2019, 2, 26).unwrap();
    let findings = check::check(&plan, Options { as_of });
    let source = |shown: &str| plan.sources.get(shown).map(|f| f.text.as_str());
    let _ = iisg::render::diagnostic::report(&findings, plan.file_count(), &source, iisg::render::Style::plain());
});

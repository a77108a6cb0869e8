//! Any text read as an imported table, and each of its cells read as the document writes
//! them, returns a value or an error.
#![no_main]

use iisg::model::cell;
use iisg::store::{DataDir, Plan, parse_table};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let files = [
            ("plan.yaml", include_str!("../../data/plan.yaml")),
            ("partners.yaml", include_str!("../../data/partners.yaml")),
            ("funding.yaml", include_str!("../../data/funding.yaml")),
            ("locations.yaml", include_str!("../../data/locations.yaml")),
        ];
        let dir = DataDir {
            path: "/nonexistent/fuzz/data".into(),
            shown: "data".into(),
        };
        Plan::from_texts(dir, files.map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())))
    })
}

fuzz_target!(|text: &str| {
    let Ok(table) = parse_table(text) else { return };
    let plan = plan();
    for (_, cells) in &table.rows {
        for text in cells {
            let _ = cell::codes(&plan.partners, text);
            let _ = cell::codes(&plan.places, text);
            let _ = cell::codes(&plan.funding, text);
            let _ = cell::status(text);
            let _ = cell::mend_hyphenation(text);
            let _ = cell::is_undecided(text);
        }
    }
});

//! Load and validate, on the shipped plan and on a generated plan of 1,000 actions.
//! `cargo bench`; the scale script (scripts/bench.sh) times the real binary on larger plans.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use iisg::check::{self, Options};
use iisg::store::{Actions, DataDir, Plan, Texts};

const STATUSES: [&str; 4] = ["planned", "completed", "in-progress", "postponed"];
const TIMELINES: [&str; 4] = ["By June 2019", "Q3 2019", "2019-10", "After the agreement"];

/// A copy of the shipped plan with `n` actions like its own.
fn generated(n: usize) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temporary folder");
    let data = root.path().join("data");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for entry in [
        "plan.yaml",
        "partners.yaml",
        "funding.yaml",
        "locations.yaml",
    ] {
        std::fs::create_dir_all(&data).expect("data");
        std::fs::copy(shipped.join(entry), data.join(entry)).expect("copy");
    }
    for folder in ["forums", "logframe"] {
        std::fs::create_dir_all(data.join(folder)).expect("folder");
        for file in std::fs::read_dir(shipped.join(folder)).expect("read") {
            let file = file.expect("entry");
            std::fs::copy(file.path(), data.join(folder).join(file.file_name())).expect("copy");
        }
    }
    std::fs::create_dir_all(data.join("actions")).expect("actions");
    for i in 1..=n {
        let text = format!(
            "id: {i}\ntitle: Workshop {i} on border surveillance\nlead: [DCAF]\ninvolved: [EUROPOL, FRONTEX]\nlocations: [ALB-GRE]\nscope: Border police\ntimeline: {}\nstatus: {}\nfinancing:\n  - IPA-II-2017\n  - source: TAIEX\n    tentative: true\naddresses: [BP-6]\n",
            TIMELINES[i % 4],
            STATUSES[i % 4],
        );
        std::fs::write(data.join(format!("actions/{i:05}-workshop-{i}.yaml")), text)
            .expect("write");
    }
    root
}

fn benches(c: &mut Criterion) {
    let shipped =
        DataDir::named(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).expect("shipped plan");
    let as_of = chrono::NaiveDate::from_ymd_opt(2019, 2, 26).expect("date");
    c.bench_function("load shipped (28 actions)", |b| {
        b.iter(|| Plan::read(shipped.clone(), Actions::All, Texts::Keep));
    });
    c.bench_function("load + validate shipped", |b| {
        b.iter(|| {
            check::check(
                &Plan::read(shipped.clone(), Actions::All, Texts::Keep),
                Options { as_of },
            )
        });
    });
    let root = generated(1000);
    let thousand = DataDir::named(&root.path().join("data")).expect("generated plan");
    let mut group = c.benchmark_group("1,000 actions");
    group.sample_size(20);
    group.bench_function("load", |b| {
        b.iter(|| Plan::read(thousand.clone(), Actions::All, Texts::Keep));
    });
    group.bench_function("load + validate", |b| {
        b.iter(|| {
            check::check(
                &Plan::read(thousand.clone(), Actions::All, Texts::Keep),
                Options { as_of },
            )
        });
    });
    group.bench_function("read and check, as validate does", |b| {
        b.iter(|| check::read_and_check(thousand.clone(), Some(as_of)));
    });
    group.finish();
}

criterion_group!(plan, benches);
criterion_main!(plan);

//! `iisg schema`: every shipped file validates against its kind's schema, and the schema
//! refuses what the loader refuses.

use serde_json::Value;

use crate::test::{Test, shipped_data};

fn schema(kind: &str) -> Value {
    let out = Test::empty().args(["schema", "--kind", kind]).status(0);
    out.json()
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap()
}

fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).unwrap();
    validator
        .iter_errors(instance)
        .map(|e| e.to_string())
        .collect()
}

fn files(folder: &str) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(shipped_data().join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_shipped_file_validates() {
    let mut checked = 0;
    let mut kinds: Vec<(&str, Vec<std::path::PathBuf>)> = vec![
        ("action", files("actions")),
        ("logframe", files("logframe")),
        ("forum", files("forums")),
    ];
    for (kind, file) in [
        ("plan", "plan.yaml"),
        ("partners", "partners.yaml"),
        ("funding", "funding.yaml"),
        ("locations", "locations.yaml"),
    ] {
        kinds.push((kind, vec![shipped_data().join(file)]));
    }
    for (kind, paths) in kinds {
        let schema = schema(kind);
        for path in paths {
            let instance = yaml(&std::fs::read_to_string(&path).unwrap());
            let found = errors(&schema, &instance);
            assert!(found.is_empty(), "{}: {found:?}", path.display());
            checked += 1;
        }
    }
    assert_eq!(checked, 28 + 16 + 3 + 4);
}

const ACTION: &str = "id: 1\ntitle: T\nlead: [DCAF]\ninvolved: []\nlocations: []\nscope: S\ntimeline: July 2019\nstatus: planned\nfinancing: [GIZ, {source: TAIEX, tentative: true}]\n";

#[test]
fn what_the_loader_refuses_the_schema_refuses() {
    let action = schema("action");
    assert!(errors(&action, &yaml(ACTION)).is_empty());
    for (what, text) in [
        ("an unknown key", format!("{ACTION}colour: red\n")),
        ("a missing field", ACTION.replace("status: planned\n", "")),
        ("an unknown status", ACTION.replace("planned", "someday")),
        ("a text id", ACTION.replace("id: 1", "id: one")),
        (
            "an unknown key in a funding entry",
            ACTION.replace("tentative: true", "tentative: true, amount: 3"),
        ),
        (
            "a funding entry without a source",
            ACTION.replace("source: TAIEX, ", ""),
        ),
    ] {
        assert!(
            !errors(&action, &yaml(&text)).is_empty(),
            "the schema accepts {what}"
        );
        let test = Test::new().file("actions/001-t.yaml", &text);
        assert_eq!(
            Test::run_in(&test, &["validate"]).code,
            1,
            "the loader accepts {what}"
        );
    }
    let partners = schema("partners");
    let bad = yaml("partners:\n  - code: X\n    name: Y\n    colour: red\n");
    assert!(!errors(&partners, &bad).is_empty());
}

#[test]
fn every_kind_at_once() {
    let out = Test::empty().args(["schema"]).status(0);
    let all = out.json();
    let mut kinds: Vec<&String> = all.as_object().unwrap().keys().collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "action",
            "forum",
            "funding",
            "locations",
            "logframe",
            "partners",
            "plan"
        ]
    );
    assert_eq!(all["action"], schema("action"));
}

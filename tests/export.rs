//! `iisg export`: the plan as a Markdown document, CSV, JSON and a self-contained HTML page.

use crate::test::Test;

fn export(test: &Test, format: &str) -> String {
    let out = Test::run_in(test, &["export", "--format", format]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn csv_is_the_list_of_actions_with_a_header() {
    let csv = export(&Test::shipped(), "csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "#",
            "Action",
            "Lead",
            "Involved",
            "Location",
            "Scope",
            "Timeline",
            "Status",
            "Financing"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 28);
    assert_eq!(&rows[4][8], "JOO?, TAIEX?");
    assert_eq!(&rows[11][7], "requested (MNE)");
}

#[test]
fn markdown_regenerates_the_meeting_paper() {
    let md = export(&Test::shipped(), "markdown");
    assert!(md.starts_with("# IISG Response Action 2018-2019\n\nIssued 26 February 2019 · July 2018 – December 2019 · statuses as of 26 February 2019\n\n## List of Actions\n\n| # | Action | Lead |"), "{md}");
    let list = &md[..md.find("## Annex 1").unwrap()];
    assert_eq!(
        list.lines().filter(|l| l.starts_with("| ")).count(),
        29,
        "header and 28 rows"
    );
    assert!(md.contains("\n## Annex 1: needs and conclusions of the regional meetings\n"));
    // Each need says what answers it, as `report --coverage` does.
    assert!(md.contains("\n- **BP-7** Improving the quality of interviewing migrants: *(actions 8, 14; logframe rows 4, 8)*\n  - **BP-7a** Performing interviews"), "{md}");
    assert!(md.contains("**CT-1**") && md.contains("*(answered by nothing yet)*"));
    assert!(md.contains("\n## Annex 2: logical framework\n\n| Outcome | Objective | Output |\n"));
    assert!(md.contains("| 2. Increasing the use of mixed patrols along the common borders with the aim to simplify the readmission procedure | Countries make use of mixed patrols to simplify the readmission procedure of migrants | Defined common borders in exposed border areas<br>Defined procedures for setting up mixed patrols<br>"), "{md}");
    // Every forum is a heading, and so is the logframe matrix; every need a bullet.
    assert_eq!(md.matches("\n### ").count(), 4);
    assert!(md.contains("\n### Logframe matrix\n\n| Results chain | Indicators |"));
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("- **") || l.starts_with("  - **"))
            .count(),
        26
    );
}

#[test]
fn json_holds_everything() {
    let test = Test::shipped();
    let json: serde_json::Value = serde_json::from_str(&export(&test, "json")).unwrap();
    assert_eq!(json["plan"]["title"], "IISG Response Action 2018-2019");
    assert_eq!(json["plan"]["start"], "2018-07");
    assert_eq!(json["actions"].as_array().unwrap().len(), 28);
    assert_eq!(json["logframe"].as_array().unwrap().len(), 16);
    assert_eq!(json["forums"].as_array().unwrap().len(), 3);
    assert_eq!(json["forums"][0]["needs"][6]["items"][0]["id"], "BP-7a");
    assert_eq!(json["partners"][0]["code"], "DCAF");
    assert_eq!(json["funding"][0]["provider"], "EC");
    assert_eq!(json["locations"][0]["within"], serde_json::json!(["SEE"]));
    assert_eq!(
        json["actions"][4]["financing"][1],
        serde_json::json!({"source": "TAIEX", "tentative": true})
    );
}

#[test]
fn html_is_one_self_contained_page() {
    let html = export(&Test::shipped(), "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<tr data-id=").count(), 28);
    assert!(html.contains("<svg"));
    assert_eq!(
        html.matches("<g data-id=").count(),
        28,
        "a timeline row per action"
    );
    assert!(html.contains("class=\"bar deadline\""));
    assert!(html.contains("class=\"bar event\""));
    assert!(html.contains("id=\"coverage-table\""));
    assert_eq!(
        html.matches("<tr class=\"gap\"").count(),
        2,
        "CT-1 and CT-2"
    );
    assert!(html.contains("<tr data-partner=\"DCAF\">"));
    let lower = html.to_lowercase();
    for external in [
        "src=\"http",
        "href=\"http",
        "src='http",
        "href='http",
        "<link",
        "<script src",
        "<img",
        "@import",
        "url(http",
    ] {
        assert!(
            !lower.contains(external),
            "the page reaches out: {external}"
        );
    }
    assert!(html.contains("<script>"), "the filter and sort are inline");
}

#[test]
fn html_escapes_every_text() {
    let test = Test::shipped().file(
        "actions/029-x.yaml",
        "id: 29\ntitle: \"<script>alert('x')</script> & <b>bold</b>\"\nlead: [DCAF]\ninvolved: []\nlocations: []\nscope: \"\\\"quoted\\\" <i>\"\ntimeline: Q3 2019\nstatus: planned\nfinancing: []\n",
    );
    let html = export(&test, "html");
    assert!(!html.contains("<script>alert"), "raw markup got through");
    assert!(!html.contains("<b>bold"));
    assert!(
        html.contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
        )
    );
    assert!(html.contains("&quot;quoted&quot; &lt;i&gt;"));
    assert_eq!(html.matches("<script>").count(), 1);
}

#[test]
fn output_file_is_written_whole_anywhere() {
    let test = Test::shipped();
    let before = test.snapshot_files();
    let out = Test::run_in(
        &test,
        &["export", "--format", "markdown", "-o", "out/plan.md"],
    );
    assert_eq!(out.code, 2, "no folder out/: refused, {}", out.stderr);
    assert_eq!(before, test.snapshot_files());
    std::fs::create_dir(test.data().join("../out")).unwrap();
    let out = Test::run_in(
        &test,
        &["export", "--format", "markdown", "-o", "out/plan.md"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "wrote out/plan.md\n");
    let written = std::fs::read_to_string(test.data().join("../out/plan.md")).unwrap();
    assert_eq!(written, export(&test, "markdown"));
    let names: Vec<_> = std::fs::read_dir(test.data().join("../out"))
        .unwrap()
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left behind");
}

#[test]
fn csv_for_a_spreadsheet_comes_back_unchanged() {
    let test = Test::shipped();
    let out = Test::run_in(
        &test,
        &[
            "export",
            "--format",
            "csv",
            "--bom",
            "--separator",
            ";",
            "-o",
            "actions.csv",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bytes = std::fs::read(test.dir.path().join("actions.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}#;Action;Lead;".as_bytes()));
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &["import", "--update", "actions.csv"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(before, test.snapshot_files(), "{}", out.stdout);
    let out = Test::run_in(&test, &["export", "--format", "json", "--bom"]);
    assert_eq!(out.code, 2);
    let out = Test::run_in(&test, &["export", "--format", "csv", "--separator", "x"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("is not a separator"), "{}", out.stderr);
}

/// The text formats, each with what it needs, and the file name an export of it is given.
const TEXT_FORMATS: [(&str, &[&str], &str); 6] = [
    ("markdown", &[], "plan.md"),
    ("html", &[], "plan.html"),
    ("csv", &["--bom", "--separator", ";"], "plan.csv"),
    ("json", &[], "plan.json"),
    ("ics", &[], "plan.ics"),
    ("iati", &["--reporting-org", "XM-DAC-1"], "plan.xml"),
];

/// Each text format is written as it is made, to standard output or into a file: the same
/// bytes either way.
#[test]
fn standard_output_and_a_file_get_the_same_bytes() {
    let test = Test::shipped();
    let epoch = [("SOURCE_DATE_EPOCH", "1551139200")];
    for (format, extra, name) in TEXT_FORMATS {
        let mut args = vec!["export", "--format", format];
        args.extend(extra);
        let out = test.run_with(&args, &epoch);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        args.extend(["-o", name]);
        let written = test.run_with(&args, &epoch);
        assert_eq!(written.code, 0, "{format}: {}", written.stderr);
        assert_eq!(written.stdout, format!("wrote {name}\n"));
        let bytes = std::fs::read(test.dir.path().join(name)).unwrap();
        assert!(bytes.len() > 4000, "{format}: {} bytes", bytes.len());
        assert_eq!(
            out.stdout.as_bytes(),
            bytes,
            "{format}: standard output and the file differ"
        );
    }
}

/// An export that fails half-way through its file — here the file-size limit (`ulimit -f`)
/// stops its writes past a few KiB, as a full disk would — leaves the old file as it was,
/// a new name unused, and no temporary file behind; the error says what failed.
#[test]
fn an_export_failing_half_way_leaves_the_old_file() {
    let test = Test::shipped();
    let mut formats: Vec<(&str, &[&str], &str)> = TEXT_FORMATS.to_vec();
    formats.push(("docx", &[], "plan.docx"));
    formats.push(("xlsx", &[], "plan.xlsx"));
    for (format, extra, name) in formats {
        let old = test.dir.path().join(name);
        for exists in [true, false] {
            if exists {
                std::fs::write(&old, "the old export\n").unwrap();
            }
            let before = test.snapshot_files();
            // SIGXFSZ ignored, so that a write past the limit fails instead of killing iisg.
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg("trap '' XFSZ; ulimit -f 4; exec \"$0\" \"$@\"")
                .arg(env!("CARGO_BIN_EXE_iisg"))
                .args(["export", "--format", format])
                .args(extra)
                .args(["-o", name])
                .current_dir(test.dir.path())
                .env_remove("IISG_DATA")
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
            assert!(
                stderr.contains("cannot write `") && stderr.contains(&format!("/{name}`: ")),
                "{format}: {stderr}"
            );
            assert_eq!(before, test.snapshot_files(), "{format}: {stderr}");
            let _ = std::fs::remove_file(&old);
        }
    }
}

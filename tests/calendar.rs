//! `export --format ics`: a calendar any client reads, by RFC 5545, and the same events
//! with the same UIDs from one export to the next.

use crate::test::Test;

fn ics(test: &Test, args: &[&str], epoch: &str) -> String {
    let mut all = vec!["export", "--format", "ics"];
    all.extend_from_slice(args);
    let out = test.run_with(&all, &[("SOURCE_DATE_EPOCH", epoch)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// The ids of the actions `list` gives with these filters whose window has dates.
fn dated(test: &Test, filters: &[&str]) -> Vec<i64> {
    let mut args = vec!["list", "--format", "json"];
    args.extend_from_slice(filters);
    let rows = Test::run_in(test, &args).json();
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| matches!(r["window"]["kind"].as_str(), Some("within" | "deadline")))
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn every_line_is_crlf_and_folded() {
    let test = Test::shipped();
    let text = ics(&test, &[], "1551139200");
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
    assert!(!text.replace("\r\n", "").contains('\r'), "a bare CR");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let uids: Vec<&str> = text.lines().filter(|l| l.starts_with("UID:")).collect();
    let ids = dated(&test, &[]);
    let forums = text.matches("UID:forum-").count();
    assert_eq!(uids.len(), ids.len() + forums, "{uids:?}");
    assert!(forums >= 1, "the forum meetings with dates are events too");
    // A deadline is a day: the last of its month.
    assert!(text.contains("SUMMARY:Due: "), "{text}");
    assert!(text.contains("DTSTAMP:20190226T000000Z\r\n"), "{text}");
}

#[test]
fn the_uids_stay_from_one_export_to_the_next() {
    let test = Test::shipped();
    let first = ics(&test, &[], "1551139200");
    let again = ics(&test, &[], "1561939200");
    let uids = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(uids(&first), uids(&again));
    assert_ne!(first, again, "DTSTAMP says when");
    let same = ics(&test, &[], "1551139200");
    assert_eq!(first, same, "the same moment gives the same bytes");
}

#[test]
fn the_list_filters_choose_the_actions() {
    let test = Test::shipped();
    let text = ics(&test, &["--lead", "DCAF", "--status", "planned"], "0");
    let ids = dated(&test, &["--lead", "DCAF", "--status", "planned"]);
    let uids: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("UID:action-"))
        .map(|l| l.split('@').next().unwrap().to_string())
        .collect();
    assert_eq!(
        uids,
        ids.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    let out = Test::run_in(&test, &["export", "--format", "markdown", "--lead", "DCAF"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn a_strict_parser_reads_it() {
    let test = Test::shipped();
    let path = test.data().join("actions/004-joint-operation.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "title: Joint Operation",
            "title: \"Joint; Operation, \\\\ ž\\u001b[2J\\rend \\u2028 – a title long enough to fold twice over the seventy-five octets of a line\"",
        ),
    )
    .unwrap();
    let text = ics(&test, &[], "1551139200");
    assert!(!text.contains('\u{1b}'), "a control reached the file");
    let file = test.dir.path().join("plan.ics");
    std::fs::write(&file, &text).unwrap();
    let script = r#"
import sys
try:
    import icalendar
except ImportError:
    sys.exit("python3 -m pip install icalendar: the calendar is checked with it")
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for event in cal.walk("VEVENT"):
    assert event.errors == [], event.errors
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert not hasattr(start, "hour") and end > start, (start, end)
    print(event["UID"], start.isoformat(), end.isoformat(), event["SUMMARY"], sep="\t")
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let four = stdout.lines().find(|l| l.starts_with("action-4@")).unwrap();
    assert!(
        four.contains("2019-05-31\t2019-06-01\tDue: Joint; Operation, \\ ž [2J"),
        "{four}"
    );
}

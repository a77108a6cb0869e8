//! A logframe row's indicators in its file's text: one added at the end of its list, one
//! rewritten or taken out. Only that indicator's lines change (each progress value is one
//! line of them, so adding one adds a line); every other byte of the file stays, and the
//! result is read back to prove it holds what was meant.

use std::fmt::Write as _;

use super::entries::entry_range;
use super::{Loaded, PatchError, parse_record, yaml};
use crate::model::{IndicatorDraft, LogframeDraft, LogframeRow, ProgressDraft, Value};

/// What to do to a row's indicators.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Add one at the end of the list.
    Add(IndicatorDraft),
    /// Replace indicator K (from 1).
    Replace(usize, IndicatorDraft),
    /// Take indicator K (from 1) out.
    Remove(usize),
}

/// The row's indicators as plain values.
#[must_use]
pub fn drafts(row: &LogframeRow) -> Vec<IndicatorDraft> {
    row.indicators()
        .iter()
        .map(|i| IndicatorDraft::from(&i.value))
        .collect()
}

/// The row's file rewritten with `edit` made to its indicators.
///
/// # Errors
/// [`PatchError`] when the indicators are written in a form that cannot be changed in
/// place (a flow list), or the result would not read back as meant.
pub fn rewrite(loaded: &Loaded<LogframeRow>, edit: &Edit) -> Result<String, PatchError> {
    let row = &loaded.record;
    let text = loaded.file.text.as_str();
    let mut expected = drafts(row);
    let cannot = |reason| PatchError {
        key: "indicators".into(),
        reason,
    };
    // Where each written indicator's lines are.
    let ranges: Vec<std::ops::Range<usize>> = row
        .indicators()
        .iter()
        .map(|i| entry_range(text, i.value.text.referenced))
        .collect::<Option<_>>()
        .ok_or_else(|| cannot("they are not written one to a `- ` block"))?;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let dash = ranges.first().map_or(2, |r| {
        let line = &text[r.start..];
        line.len() - line.trim_start_matches(' ').len()
    });
    let mut out = text.to_string();
    match edit {
        Edit::Add(new) => {
            let lines = render(new, dash, eol);
            if let Some(last) = ranges.last() {
                out.insert_str(last.end, &lines);
            } else {
                // `indicators: []`, or with nothing after it.
                if let Some(line) = key_line(text) {
                    out.replace_range(line, &format!("indicators:{eol}{lines}"));
                } else {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push_str(eol);
                    }
                    let _ = write!(out, "indicators:{eol}{lines}");
                }
            }
            expected.push(new.clone());
        }
        Edit::Replace(number, new) => {
            let range = ranges[number - 1].clone();
            out.replace_range(range, &render(new, dash, eol));
            expected[number - 1] = new.clone();
        }
        Edit::Remove(number) => {
            if ranges.len() == 1 {
                let line =
                    key_line(text).ok_or_else(|| cannot("the key is not on a line of its own"))?;
                let range = line.start..ranges[0].end.max(line.end);
                out.replace_range(range, &format!("indicators: []{eol}"));
            } else {
                out.replace_range(ranges[number - 1].clone(), "");
            }
            expected.remove(number - 1);
        }
    }
    let back = parse_record::<LogframeRow>(&out, loaded.file.shown())
        .map_err(|_| cannot("the edited text would not read back"))?;
    if drafts(&back) != expected || LogframeDraft::from(&back) != LogframeDraft::from(&**row) {
        return Err(cannot("the edited text would not read back as the change"));
    }
    Ok(out)
}

/// The bytes of the top-level `indicators:` line (its line break included).
fn key_line(text: &str) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.strip_prefix('\u{feff}').unwrap_or(line);
        if bare.starts_with("indicators:") {
            return Some(start..start + line.len());
        }
        start += line.len();
    }
    None
}

/// A value as YAML writes it: a number plainly, a text as a scalar in a flow mapping.
fn value(value: &Value) -> String {
    match value.number() {
        Some(_) => value.0.trim().to_string(),
        None => yaml::flow_scalar(&value.0),
    }
}

/// `{value: 0, year: 2018}`.
fn measure((v, year): &(Value, u32)) -> String {
    format!("{{value: {}, year: {year}}}", value(v))
}

/// `{period: 2019-Q2, value: 40, source: …, date: …, note: …}`.
fn progress(p: &ProgressDraft) -> String {
    let mut out = format!("{{period: {}, value: {}", p.period, value(&p.value));
    if let Some(source) = &p.source {
        let _ = write!(out, ", source: {}", yaml::flow_scalar(source));
    }
    if let Some(date) = p.date {
        let _ = write!(out, ", date: {date}");
    }
    if let Some(note) = &p.note {
        let _ = write!(out, ", note: {}", yaml::flow_scalar(note));
    }
    out.push('}');
    out
}

/// An indicator's lines as an item of a block list whose `-` is at column `dash`.
#[must_use]
pub fn render(indicator: &IndicatorDraft, dash: usize, eol: &str) -> String {
    let (pad, key) = (" ".repeat(dash), " ".repeat(dash + 2));
    let mut out = format!("{pad}- text: {}{eol}", yaml::scalar(&indicator.text));
    if let Some(k) = indicator.objective {
        let _ = write!(out, "{key}objective: {k}{eol}");
    }
    if let Some(j) = indicator.output {
        let _ = write!(out, "{key}output: {j}{eol}");
    }
    if let Some(unit) = &indicator.unit {
        let _ = write!(out, "{key}unit: {}{eol}", yaml::scalar(unit));
    }
    if let Some(baseline) = &indicator.baseline {
        let _ = write!(out, "{key}baseline: {}{eol}", measure(baseline));
    }
    if !indicator.targets.is_empty() {
        let _ = write!(out, "{key}targets:{eol}");
        for target in &indicator.targets {
            let _ = write!(out, "{key}  - {}{eol}", measure(target));
        }
    }
    if let Some(verification) = &indicator.verification {
        let _ = write!(
            out,
            "{key}verification: {}{eol}",
            yaml::scalar(verification)
        );
    }
    if let Some(assumptions) = &indicator.assumptions {
        let _ = write!(out, "{key}assumptions: {}{eol}", yaml::scalar(assumptions));
    }
    if !indicator.progress.is_empty() {
        let _ = write!(out, "{key}progress:{eol}");
        for p in &indicator.progress {
            let _ = write!(out, "{key}  - {}{eol}", progress(p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::ReportingPeriod;
    use crate::store::SourceFile;

    fn loaded(text: &str) -> Loaded<LogframeRow> {
        Loaded {
            record: Box::new(parse_record(text, "logframe/01-x.yaml").unwrap()),
            file: Arc::new(SourceFile::new(
                &Arc::from(std::path::Path::new("")),
                "logframe/01-x.yaml",
                "logframe/01-x.yaml",
                text.into(),
            )),
        }
    }

    const ROW: &str = "# Row 1.\nid: 1\noutcome: O\nobjectives:\n  - text: A\n    outputs: [B]\nnotes: kept  # a comment\n";

    fn officers() -> IndicatorDraft {
        IndicatorDraft {
            text: "Officers trained: border police".into(),
            objective: Some(1),
            unit: Some("officers".into()),
            baseline: Some((Value("0".into()), 2018)),
            targets: vec![(Value("60".into()), 2019)],
            ..IndicatorDraft::default()
        }
    }

    #[test]
    fn an_indicator_is_added_then_its_progress_line_by_line() {
        let text = rewrite(&loaded(ROW), &Edit::Add(officers())).unwrap();
        assert_eq!(
            text,
            format!(
                "{ROW}indicators:\n  - text: \"Officers trained: border police\"\n    objective: 1\n    \
                 unit: officers\n    baseline: {{value: 0, year: 2018}}\n    targets:\n      - {{value: 60, year: 2019}}\n"
            )
        );
        let mut with = officers();
        with.progress.push(ProgressDraft {
            period: ReportingPeriod::parse("2019-Q1").unwrap(),
            value: Value("25".into()),
            source: Some("DCAF, report {Q1}".into()),
            date: "2019-04-10".parse().ok(),
            note: None,
        });
        let again = rewrite(&loaded(&text), &Edit::Replace(1, with)).unwrap();
        assert_eq!(
            again,
            format!(
                "{text}    progress:\n      - {{period: 2019-Q1, value: 25, source: \"DCAF, report {{Q1}}\", date: 2019-04-10}}\n"
            )
        );
        let second = rewrite(
            &loaded(&again),
            &Edit::Add(IndicatorDraft {
                text: "Protocol signed".into(),
                ..IndicatorDraft::default()
            }),
        )
        .unwrap();
        assert!(second.starts_with(&again));
        let first_out = rewrite(&loaded(&second), &Edit::Remove(1)).unwrap();
        assert_eq!(
            first_out,
            format!("{ROW}indicators:\n  - text: Protocol signed\n")
        );
        let none = rewrite(&loaded(&first_out), &Edit::Remove(1)).unwrap();
        assert_eq!(none, format!("{ROW}indicators: []\n"));
        let back = rewrite(&loaded(&none), &Edit::Add(officers())).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn crlf_and_indentation_are_kept() {
        let row = "id: 1\r\noutcome: O\r\nobjectives: []\r\nindicators:\r\n    - text: X\r\n";
        let text = rewrite(
            &loaded(row),
            &Edit::Add(IndicatorDraft {
                text: "Z".into(),
                ..IndicatorDraft::default()
            }),
        )
        .unwrap();
        assert_eq!(text, format!("{row}    - text: Z\r\n"));
    }
}

//! Where partners risk duplicating each other: actions under different leads at the same
//! (or a nested) place, for the same audience, in overlapping windows, with similar titles.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{Action, Month};
use crate::store::Plan;

/// Two actions that may be one activity planned twice.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// Indexes into `plan.actions`, the earlier file first.
    pub actions: (usize, usize),
    /// Why, in plain words.
    pub reason: String,
    /// How alike they are, 0–1.
    pub score: f64,
}

/// Words that say nothing about an activity or its audience.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "with", "within", "tbd", "etc", "ii", "iii", "iv", "2",
];

/// The significant words of a text, lower-case.
#[must_use]
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// Shared words over all words (Jaccard), 0 for two empty sets.
#[must_use]
pub fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// How alike two titles must be for a possible duplicate.
const TITLE_SIMILARITY: f64 = 0.5;

/// The months an action may take place in: its window, a deadline reaching back to the
/// plan's start, nothing for an event or an unreadable timeline.
fn months(action: &Action, plan_start: Option<Month>) -> Option<(Month, Month)> {
    let window = action.window().ok()?.window;
    let end = window.end()?;
    let start = window
        .start()
        .or(plan_start.map(|s| s.min(end)))
        .unwrap_or(end);
    Some((start, end))
}

/// What the comparison needs of one action.
struct Facts<'a> {
    audience: String,
    title: BTreeSet<String>,
    window: (Month, Month),
    leads: HashSet<&'a str>,
}

/// Possible duplicates: different leads, a shared or nested place, the same audience (the
/// same significant words of scope), overlapping windows and similar titles. Linear in the
/// number of actions for plans whose places and audiences vary; candidates are found
/// through hash maps, never by comparing every pair.
#[must_use]
pub fn possible_duplicates(plan: &Plan) -> Vec<Overlap> {
    let plan_start = plan
        .info
        .as_ref()
        .map(|i| i.record.period.value.start.value);
    // What contains each place (itself included), for "same or nested".
    let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
    for place in plan.places.entries() {
        parents.insert(
            &place.code.value,
            place.within.iter().map(|w| w.value.as_str()).collect(),
        );
    }
    let facts: Vec<Option<Facts>> = plan
        .actions
        .iter()
        .map(|loaded| {
            let action = &loaded.record;
            Some(Facts {
                audience: words(action.scope())
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(" "),
                title: words(&action.title.value),
                window: months(action, plan_start)?,
                leads: action.leads().collect(),
            })
        })
        .collect();
    // Actions by (place they name, audience).
    let mut at: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (index, loaded) in plan.actions.iter().enumerate() {
        if let Some(f) = &facts[index] {
            for place in loaded.record.locations() {
                at.entry((place, f.audience.as_str()))
                    .or_default()
                    .push(index);
            }
        }
    }
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    let mut found = Vec::new();
    for (index, loaded) in plan.actions.iter().enumerate() {
        let Some(mine) = &facts[index] else { continue };
        for place in loaded.record.locations() {
            for container in enclosing(&parents, place) {
                for &other in at
                    .get(&(container, mine.audience.as_str()))
                    .into_iter()
                    .flatten()
                {
                    let pair = (index.min(other), index.max(other));
                    if other == index || pairs.contains(&pair) {
                        continue;
                    }
                    let Some(theirs) = &facts[other] else {
                        continue;
                    };
                    let overlapping =
                        mine.window.0 <= theirs.window.1 && theirs.window.0 <= mine.window.1;
                    let title = similarity(&mine.title, &theirs.title);
                    if !overlapping
                        || !mine.leads.is_disjoint(&theirs.leads)
                        || title < TITLE_SIMILARITY
                    {
                        continue;
                    }
                    pairs.insert(pair);
                    let place_text = if container == place {
                        format!("both at {place}")
                    } else {
                        format!("{place} lies within {container}")
                    };
                    found.push(Overlap {
                        actions: pair,
                        reason: format!(
                            "different leads, {place_text}, the same audience, overlapping windows and similar titles"
                        ),
                        score: title,
                    });
                }
            }
        }
    }
    found.sort_by_key(|o| o.actions);
    found
}

/// A place and every place that contains it, however deep.
fn enclosing<'a>(parents: &HashMap<&'a str, Vec<&'a str>>, code: &'a str) -> HashSet<&'a str> {
    let mut seen = HashSet::new();
    let mut queue = vec![code];
    while let Some(next) = queue.pop() {
        if seen.insert(next) {
            queue.extend(parents.get(next).into_iter().flatten().copied());
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_stop_words_and_case() {
        let w = words("Training and practical exercise in Common Operational Measures");
        assert!(w.contains("training") && w.contains("measures") && !w.contains("and"));
    }

    #[test]
    fn similarity_is_jaccard() {
        let a = words("Joint Operation DRINO");
        let b = words("Joint Operation DRINO 2");
        assert!((similarity(&a, &b) - 1.0).abs() < f64::EPSILON);
        let c = words("Regional Risk Analysis workshop");
        assert!(similarity(&a, &c) < 0.01);
        assert!(similarity(&BTreeSet::new(), &BTreeSet::new()) < f64::EPSILON);
    }
}

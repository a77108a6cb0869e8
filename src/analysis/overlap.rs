//! Where partners risk duplicating each other: actions under different leads at the same
//! (or a nested) place, for the same audience, in overlapping windows, with similar titles.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::model::{Action, Month, Place, Registry, Timeline};
use crate::store::Plan;

/// Two actions that may be one activity planned twice.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// Indexes of the two actions in file order, the earlier first.
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

/// The months an action may take place in: its window, a deadline reaching back to the
/// plan's start, nothing for an event or an unreadable timeline.
fn months(action: &Action, plan_start: Option<Month>) -> Option<(Month, Month)> {
    window_months(&action.window().ok()?, plan_start)
}

/// The months a timeline, read, may take place in (see [`months`]).
fn window_months(timeline: &Timeline, plan_start: Option<Month>) -> Option<(Month, Month)> {
    let window = &timeline.window;
    let end = window.end()?;
    let start = window
        .start()
        .or(plan_start.map(|s| s.min(end)))
        .unwrap_or(end);
    Some((start, end))
}

/// What the duplicate rule needs of one action, kept small: a plan of 100,000 actions keeps
/// one of these per action instead of the action. The hashes are computed where the action
/// is read (in parallel), so the index over the plan sorts and searches numbers.
#[derive(Debug)]
pub struct Facts {
    /// The audience's and the title's significant words, as one key.
    key: Box<str>,
    /// `key`'s hash.
    key_hash: u64,
    /// The months it may take place in.
    window: (Month, Month),
    /// Its lead partner codes.
    leads: Box<[Box<str>]>,
    /// Its location codes, each with its hash.
    places: Box<[(u64, Box<str>)]>,
}

/// A text's hash: fixed, the same in every thread and run.
fn hash(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl Facts {
    /// What the rule compares of `action`, whose timeline reads as `timeline`; `None` when
    /// it has nothing to compare: no title words, no window, or no place.
    #[must_use]
    pub fn of(action: &Action, timeline: &Timeline, plan_start: Option<Month>) -> Option<Self> {
        if action.locations.value.is_empty() {
            return None;
        }
        let title = title_key(&action.title.value);
        if title.is_empty() {
            return None;
        }
        let window = window_months(timeline, plan_start)?;
        let mut key = joined_words(action.scope(), |_| true);
        key.push('\u{1f}');
        key.push_str(&title);
        let places = action.locations().map(|p| (hash(p), p.into())).collect();
        Some(Self {
            key_hash: hash(&key),
            key: key.into_boxed_str(),
            window,
            leads: action.leads().map(Into::into).collect(),
            places,
        })
    }

    /// Whether no partner leads both; linear however many leads a file names.
    fn leads_disjoint(&self, other: &Self) -> bool {
        let (few, many) = if self.leads.len() <= other.leads.len() {
            (&self.leads, &other.leads)
        } else {
            (&other.leads, &self.leads)
        };
        if few.len() * many.len() <= 64 {
            return few.iter().all(|l| !many.contains(l));
        }
        let set: HashSet<&str> = few.iter().map(|l| &**l).collect();
        many.iter().all(|m| !set.contains(&**m))
    }
}

/// The plan's first month, for windows that are a deadline.
#[must_use]
pub fn plan_start(plan: &Plan) -> Option<Month> {
    plan.info
        .as_ref()
        .map(|i| i.record.period.value.start.value)
}

/// The places that directly contain each place (for "same or nested").
fn parents(places: &Registry<Place>) -> HashMap<&str, Vec<&str>> {
    places
        .entries()
        .iter()
        .map(|p| {
            let within = p.within.iter().map(|w| w.value.as_str()).collect();
            (p.code.value.as_str(), within)
        })
        .collect()
}

/// How many actions of one bucket a new one is compared with: enough to find a duplicate,
/// few enough that a plan of identical rows stays linear.
const CANDIDATES: usize = 8;

/// Possible duplicates, for `validate`: different leads, a shared or nested place, the same
/// audience (the same significant words of scope), the same title words (numbers aside) and
/// overlapping windows. `facts` has one entry per action, in file order; `places` tells
/// which places lie within which. Each action is
/// reported at most once, against an action found through a sorted index, so the work and
/// the output stay linear in the number of actions (but for the sort), and the memory is
/// one index entry per action and place.
#[must_use]
pub fn possible_duplicates(facts: &[Option<&Facts>], places: &Registry<Place>) -> Vec<Overlap> {
    let parents = &parents(places);
    // (place named, key, action) sorted by hash: the actions of one bucket lie together.
    let mut at: Vec<(u64, u64, usize)> = Vec::new();
    for (index, f) in facts.iter().enumerate() {
        if let Some(f) = f {
            at.extend(
                f.places
                    .iter()
                    .map(|(place, _)| (*place, f.key_hash, index)),
            );
        }
    }
    at.sort_unstable();
    // Each place an action names, with every place that contains it; computed once a place.
    let mut containers: HashMap<&str, Vec<(&str, u64)>> = HashMap::new();
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    let mut found = Vec::new();
    'actions: for (index, mine) in facts.iter().enumerate() {
        let Some(mine) = mine else { continue };
        for place in mine.places.iter().map(|(_, p)| &**p) {
            let around = containers.entry(place).or_insert_with(|| {
                let all = enclosing(parents, place).into_iter();
                all.map(|c| (c, hash(c))).collect()
            });
            for &(container, container_hash) in &*around {
                let wanted = (container_hash, mine.key_hash);
                let first = at.partition_point(|e| (e.0, e.1) < wanted);
                let bucket = at[first..].iter().take_while(|e| (e.0, e.1) == wanted);
                let others = bucket.filter_map(|&(_, _, other)| {
                    let theirs = facts[other]?;
                    // Equal key hashes, checked for equal keys; a place is trusted to its
                    // 64-bit hash (checking it would cost as many places as the other names).
                    let same = other != index && theirs.key == mine.key;
                    same.then_some((other, theirs))
                });
                for (other, theirs) in others.take(CANDIDATES) {
                    let pair = (index.min(other), index.max(other));
                    let overlapping =
                        mine.window.0 <= theirs.window.1 && theirs.window.0 <= mine.window.1;
                    if !overlapping || !mine.leads_disjoint(theirs) || !pairs.insert(pair) {
                        continue;
                    }
                    let place_text = if container == place {
                        format!("both at {place}")
                    } else {
                        format!("{place} lies within {container}")
                    };
                    found.push(Overlap {
                        actions: pair,
                        reason: format!(
                            "different leads, {place_text}, the same audience and title, overlapping windows"
                        ),
                        score: 1.0,
                    });
                    continue 'actions;
                }
            }
        }
    }
    found.sort_by_key(|o| o.actions);
    found
}

/// A place and every place that contains it, however deep: the place first, then outwards,
/// each once.
fn enclosing<'a>(parents: &HashMap<&'a str, Vec<&'a str>>, code: &'a str) -> Vec<&'a str> {
    let mut order = vec![code];
    let mut seen = HashSet::from([code]);
    let mut next = 0;
    while let Some(&place) = order.get(next) {
        next += 1;
        for &parent in parents.get(place).into_iter().flatten() {
            if seen.insert(parent) {
                order.push(parent);
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_words_are_the_words_in_order() {
        for text in [
            "Training and practical exercise in Common Operational Measures",
            "Joint Operation TUZI II 2 and the TUZI",
            "Ελληνική ΑΣΤΥΝΟΜΊΑ, Σ; İstanbul ÇARŞI — border/police 3x",
            "",
            "the and of",
        ] {
            let expected: Vec<String> = words(text).into_iter().collect();
            assert_eq!(joined_words(text, |_| true), expected.join(" "), "{text}");
        }
    }

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

/// How two or more actions overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Different leads may be planning one activity twice.
    Duplicate,
    /// One lead repeats an activity: the same title, several times.
    Series,
}

/// A possible duplication, for the `--overlaps` report.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Ranked {
    /// The actions' ids.
    pub actions: Vec<i64>,
    /// Why, in plain words.
    pub reason: String,
    /// How strong the case is, 0–1.
    pub score: f64,
    /// Duplicate or series.
    pub kind: Kind,
}

/// A title's significant words in a fixed order, numbers and roman numerals left out:
/// `Joint Operation TUZI II` and `Joint Operation TUZI` share one key.
fn title_key(title: &str) -> String {
    const NUMERALS: &[&str] = &["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    joined_words(title, |w| {
        !w.chars().all(|c| c.is_ascii_digit()) && !NUMERALS.contains(&w)
    })
}

/// The [`words`] of a text that `keep` keeps, sorted and joined by spaces: the same as
/// collecting them, without a set or a string for each word already in lower case.
fn joined_words(text: &str, keep: impl Fn(&str) -> bool) -> String {
    let mut list: Vec<Cow<str>> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                Cow::Owned(w.to_lowercase())
            } else {
                Cow::Borrowed(w)
            }
        })
        .filter(|w| !STOP_WORDS.contains(&&**w) && keep(w))
        .collect();
    list.sort_unstable();
    list.dedup();
    list.join(" ")
}

/// How many actions at one place may share an audience before sharing it stops being a
/// sign of duplication.
const GENERIC: usize = 3;

/// Shared words over the smaller set: 1 when one title's words are all in the other.
fn containment(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / smaller as f64
}

/// Every possible duplication, strongest first: pairs of actions under different leads at
/// the same or a nested place, in overlapping (or undated) windows, with similar titles or
/// the same audience; and series of actions one lead repeats under one title.
#[must_use]
pub fn ranked(plan: &Plan) -> Vec<Ranked> {
    let (plan_start, parents) = (plan_start(plan), parents(&plan.places));
    let actions: Vec<&Action> = plan.actions.iter().map(|l| &*l.record).collect();
    let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, action) in actions.iter().enumerate() {
        for place in action.locations() {
            at.entry(place).or_default().push(index);
        }
    }
    let facts = PairFacts {
        titles: actions.iter().map(|a| words(&a.title.value)).collect(),
        audiences: actions.iter().map(|a| words(a.scope())).collect(),
        windows: actions.iter().map(|a| months(a, plan_start)).collect(),
        actions,
        at,
    };
    let mut found = Vec::new();
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for (i, action) in facts.actions.iter().enumerate() {
        for place in action.locations() {
            for container in enclosing(&parents, place) {
                for &j in facts.at.get(container).into_iter().flatten() {
                    let pair = (i.min(j), i.max(j));
                    if i == j || !pairs.insert(pair) {
                        continue;
                    }
                    if let Some(found_pair) = pair_case(&facts, (i, j), place, container) {
                        found.push(found_pair);
                    }
                }
            }
        }
    }
    let dated: Vec<Option<(Month, Month)>> = facts
        .actions
        .iter()
        .map(|a| {
            let window = a.window().ok()?.window;
            Some((window.start()?, window.end()?))
        })
        .collect();
    found.extend(series(&facts.actions, &dated));
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.actions.cmp(&b.actions))
    });
    found
}

/// What the pair comparison looks at, per action.
struct PairFacts<'a> {
    actions: Vec<&'a Action>,
    titles: Vec<BTreeSet<String>>,
    audiences: Vec<BTreeSet<String>>,
    windows: Vec<Option<(Month, Month)>>,
    at: HashMap<&'a str, Vec<usize>>,
}

/// The case for two actions, `place` of the first lying in `container` named by the
/// second; `None` when they share a lead, their windows do not meet, or they look alike
/// in neither title nor (a not too common) audience.
fn pair_case(
    facts: &PairFacts,
    (i, j): (usize, usize),
    place: &str,
    container: &str,
) -> Option<Ranked> {
    let PairFacts {
        actions,
        titles,
        audiences,
        windows,
        at,
    } = facts;
    let (action, other) = (actions[i], actions[j]);
    let leads: HashSet<&str> = action.leads().collect();
    if other.leads().any(|l| leads.contains(l)) {
        return None;
    }
    let window = match (windows[i], windows[j]) {
        (Some(a), Some(b)) if a.0 <= b.1 && b.0 <= a.1 => 1.0,
        (Some(_), Some(_)) => return None,
        _ => 0.5,
    };
    let title = containment(&titles[i], &titles[j]);
    let audience = similarity(&audiences[i], &audiences[j]);
    // An audience shared by many actions at one place (border and criminal police across
    // the Western Balkans) says little on its own.
    let common = at.get(container).map_or(0, |here| {
        here.iter()
            .filter(|&&k| similarity(&audiences[k], &audiences[i]) >= 0.5)
            .count()
    });
    if title <= 0.5 && (audience < 0.5 || common > GENERIC) {
        return None;
    }
    let nested = container != place;
    let score =
        0.25 * if nested { 0.8 } else { 1.0 } + 0.4 * title + 0.2 * audience + 0.15 * window;
    let (first, second) = if action.id.value <= other.id.value {
        (action, other)
    } else {
        (other, action)
    };
    let mut because = vec![format!(
        "different leads ({} / {})",
        first.leads().collect::<Vec<_>>().join(", "),
        second.leads().collect::<Vec<_>>().join(", ")
    )];
    because.push(if nested {
        format!("{place} lies within {container}")
    } else {
        format!("both at {place}")
    });
    if title > 0.5 {
        because.push("similar titles".into());
    }
    if audience >= 0.5 {
        because.push("the same audience".into());
    }
    because.push(if window >= 1.0 {
        "overlapping windows".into()
    } else {
        "one window is undated".into()
    });
    Some(Ranked {
        actions: vec![first.id.value, second.id.value],
        reason: because.join(", "),
        score: (score * 100.0).round() / 100.0,
        kind: Kind::Duplicate,
    })
}

/// Actions one lead repeats under one title (numbers aside): reported once per series.
fn series(actions: &[&Action], windows: &[Option<(Month, Month)>]) -> Vec<Ranked> {
    let mut groups: HashMap<(Vec<&str>, String), Vec<usize>> = HashMap::new();
    for (index, action) in actions.iter().enumerate() {
        let mut leads: Vec<&str> = action.leads().collect();
        leads.sort_unstable();
        let key = title_key(&action.title.value);
        if !key.is_empty() {
            groups.entry((leads, key)).or_default().push(index);
        }
    }
    let mut out = Vec::new();
    for ((leads, _), members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        let overlapping = members.iter().enumerate().any(|(n, &a)| {
            members[n + 1..]
                .iter()
                .any(|&b| match (windows[a], windows[b]) {
                    (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
                    _ => false,
                })
        });
        let mut ids: Vec<i64> = members.iter().map(|&i| actions[i].id.value).collect();
        ids.sort_unstable();
        let when: Vec<&str> = members
            .iter()
            .map(|&i| actions[i].timeline.value.as_str())
            .collect();
        let title = &actions[members[0]].title.value;
        out.push(Ranked {
            reason: format!(
                "a series, not a duplicate: {} repeats \"{title}\" {} times ({}){}",
                leads.join(" and "),
                ids.len(),
                when.join("; "),
                if overlapping {
                    "; some windows overlap"
                } else {
                    ""
                }
            ),
            actions: ids,
            score: if overlapping { 0.9 } else { 0.6 },
            kind: Kind::Series,
        });
    }
    out
}

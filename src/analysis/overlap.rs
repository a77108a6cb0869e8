//! Where partners risk duplicating each other: actions under different leads at the same
//! (or a nested) place, for the same audience, in overlapping windows, with similar titles.

use std::borrow::Cow;
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;

use rayon::prelude::*;

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

/// How many cases `report --overlaps` lists at most, the strongest: a generated plan of
/// 100,000 actions has millions of look-alike pairs, more than a meeting reads and more rows
/// than fit in memory. The shipped plan has 8 cases, a generated one of 2,000 actions 3,874.
pub const MOST_CASES: usize = 10_000;

/// What `report --overlaps` says when a cap left cases out.
pub const PARTIAL: &str = "Only the 10,000 strongest possible duplications are listed: \
    this plan has more than that, or more look-alike titles than are compared.";

/// How many entries of the title index one action looks through, over all its places and
/// words, for titles like its own: more than any action of the shipped plan (4) or of a
/// generated plan of 1,000 (162) or 2,000 actions (345) needs, so that those find every
/// pair; few enough that a plan of many identical titles at one place stays linear.
const LOOKED_AT: usize = 512;

/// Lists of numbers kept end to end, one per action or place: one allocation for them all.
#[derive(Debug, Default)]
struct Lists {
    items: Vec<u32>,
    ends: Vec<usize>,
}

impl Lists {
    /// Adds the next list.
    fn push(&mut self, list: impl IntoIterator<Item = u32>) {
        self.items.extend(list);
        self.ends.push(self.items.len());
    }

    /// List `index`.
    fn get(&self, index: usize) -> &[u32] {
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.items[start..self.ends[index]]
    }
}

/// How many numbers two sorted lists share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => (i, j, both) = (i + 1, j + 1, both + 1),
        }
    }
    both
}

/// [`similarity`] of two sets of words, each kept as sorted numbers.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let both = shared(a, b);
    let union = a.len() + b.len() - both;
    if union == 0 {
        return 0.0;
    }
    both as f64 / union as f64
}

/// Shared words over the smaller set: 1 when one title's words are all in the other.
fn containment(a: &[u32], b: &[u32]) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    shared(a, b) as f64 / smaller as f64
}

/// `name`'s number among `names`, given it when it is new.
fn intern<'a>(numbers: &mut HashMap<&'a str, u32>, names: &mut Vec<&'a str>, name: &'a str) -> u32 {
    *numbers.entry(name).or_insert_with(|| {
        names.push(name);
        (names.len() - 1) as u32
    })
}

/// Every possible duplication, strongest first, at most [`MOST_CASES`]: pairs of actions
/// under different leads at the same or a nested place, in overlapping (or undated)
/// windows, with similar titles or the same audience; and series of actions one lead
/// repeats under one title.
///
/// A pair is judged where a walk over every action, each of its places and the places
/// around those, and every action named there, would meet it first. That walk is
/// quadratic; pairs are found instead through an index of the title words at each place
/// (each action looking for titles at least as long as its own, through the rarest half of
/// its words, at most [`LOOKED_AT`] entries of the index) and through the audiences that at
/// most [`GENERIC`] actions at a place share, so the work is linear in the actions.
///
/// Two caps keep a large plan's report finite; neither changes that of the shipped plan or
/// of a generated one of 1,000 or 2,000 actions. An action with more titles like its own
/// than [`LOOKED_AT`] entries show is compared with those it finds first (at its own
/// places first, through its rarest words, shortest titles first): pairs past them are
/// left out. And only the [`MOST_CASES`] strongest cases (series among them) are listed.
#[must_use]
pub fn ranked(plan: &Plan) -> Overlaps {
    let (cases, _, partial) = ranked_within(plan, MOST_CASES, LOOKED_AT);
    Overlaps { cases, partial }
}

/// The possible duplications of a plan, strongest first ([`ranked`]).
#[derive(Clone, Debug)]
pub struct Overlaps {
    /// The cases listed.
    pub cases: Vec<Ranked>,
    /// Whether a cap left cases out: more than [`MOST_CASES`] were found, or an action had
    /// more titles like its own than it looked through.
    pub partial: bool,
}

/// [`ranked`], listing at most `most` cases, each action looking through at most
/// `looked_at` entries of the title index; with how many entries were looked through, and
/// whether a cap left cases out.
fn ranked_within(plan: &Plan, most: usize, looked_at: usize) -> (Vec<Ranked>, usize, bool) {
    // The series first: their groups of every action are gone before the pairs' facts.
    let series = all_series(plan);
    let facts = PairFacts::new(plan);
    let mut commons = Commons::default();
    let mut best = Best {
        most,
        heap: BinaryHeap::new(),
    };
    let (looked, cut) = title_pairs(&facts, &mut best, looked_at);
    audience_pairs(&facts, &mut commons, &mut best);
    let found = best.heap.into_sorted_vec();
    // A full heap may have turned cases away.
    let full = found.len() >= most || found.len() + series.len() > most;
    (listed(&facts, &found, series, most), looked, cut || full)
}

/// The series of `plan`'s actions ([`series`]).
fn all_series(plan: &Plan) -> Vec<Ranked> {
    let actions: Vec<&Action> = plan.actions.iter().map(|l| &*l.record).collect();
    let dated: Vec<Option<(Month, Month)>> = actions
        .iter()
        .map(|a| {
            let window = a.window().ok()?.window;
            Some((window.start()?, window.end()?))
        })
        .collect();
    series(&actions, &dated)
}

/// The cases `found` (in order), then the `series`, strongest first, at most `most`.
fn listed(facts: &PairFacts, found: &[Found], series: Vec<Ranked>, most: usize) -> Vec<Ranked> {
    let mut rows: Vec<Ranked> = found
        .iter()
        .filter_map(|f| Some(facts.row(f.meeting, &facts.likeness(f.meeting)?)))
        .collect();
    rows.extend(series);
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.actions.cmp(&b.actions))
    });
    rows.truncate(most);
    rows
}

/// Pairs with similar titles: each action looks, at each place it names and each place
/// within or around those, for the titles at least as long as its own (or as long and
/// later) that share one of the rarest half of its words there. Two titles sharing more
/// than half of the shorter one's words share one of any half of them. The actions look in
/// parallel, in runs of file order. Returns how many entries of the index were looked
/// through, at most `looked_at` an action, and whether any action stopped with entries left.
fn title_pairs(facts: &PairFacts, best: &mut Best, looked_at: usize) -> (usize, bool) {
    let count = facts.actions.len();
    // Each place an action names, once.
    let places = |action: usize| {
        let names = facts.names.get(action);
        let mut places = names.iter().enumerate();
        std::iter::from_fn(move || {
            places
                .find(|&(n, p)| !names[..n].contains(p))
                .map(|(_, &p)| p)
        })
    };
    // The entries of each word lie together, counted first so that nothing grows.
    let mut starts = vec![0_u32; facts.vocabulary + 1];
    for action in 0..count {
        let title = facts.titles.get(action);
        for _ in places(action) {
            for &word in title {
                starts[word as usize + 1] += 1;
            }
        }
    }
    for word in 0..facts.vocabulary {
        starts[word + 1] += starts[word];
    }
    let mut next = starts.clone();
    let mut entries = vec![(0, 0, 0); starts[facts.vocabulary] as usize];
    for action in 0..count {
        let title = facts.titles.get(action);
        for place in places(action) {
            for &word in title {
                let at = &mut next[word as usize];
                entries[*at as usize] = (place, title.len() as u32, action as u32);
                *at += 1;
            }
        }
    }
    drop(next);
    for word in 0..facts.vocabulary {
        entries[starts[word] as usize..starts[word + 1] as usize].sort_unstable();
    }
    let titles = Titles {
        facts,
        starts,
        entries,
        nearby: facts.nearby(),
    };
    let run = count.div_ceil(rayon::current_num_threads() * 4).max(1);
    let runs: Vec<usize> = (0..count).step_by(run).collect();
    let parts: Vec<(Best, usize, bool)> = runs
        .into_par_iter()
        .map(|start| titles.look(start..count.min(start + run), best.most, looked_at))
        .collect();
    let (mut looked, mut cut) = (0, false);
    for (part, part_looked, part_cut) in parts {
        for found in part.heap {
            best.offer(found);
        }
        looked += part_looked;
        cut |= part_cut;
    }
    (looked, cut)
}

/// An entry of the title index: (place, title length, action).
type Entry = (u32, u32, u32);

/// The title index, and what the actions look through it for.
struct Titles<'a> {
    facts: &'a PairFacts<'a>,
    /// Where each word's entries start in `entries`, and (last) where they end.
    starts: Vec<u32>,
    /// For each word, the actions whose titles have it, one entry for each place they
    /// name: by place, then shortest titles first, then in file order.
    entries: Vec<Entry>,
    /// Each named place with the places around and within it ([`PairFacts::nearby`]).
    nearby: Lists,
}

impl Titles<'_> {
    /// The entries of `word` at `place`.
    fn bucket(&self, place: u32, word: u32) -> &[Entry] {
        let word = word as usize;
        let all = &self.entries[self.starts[word] as usize..self.starts[word + 1] as usize];
        let from = all.partition_point(|e| e.0 < place);
        let to = all.partition_point(|e| e.0 <= place);
        &all[from..to]
    }

    /// The strongest `most` cases the actions of `actions` find with titles like theirs,
    /// each looking through at most `looked_at` entries; how many entries they looked
    /// through, and whether any of them stopped with entries left.
    fn look(&self, actions: Range<usize>, most: usize, looked_at: usize) -> (Best, usize, bool) {
        let facts = self.facts;
        let mut best = Best {
            most,
            heap: BinaryHeap::new(),
        };
        // Title pairs judge no audience: this stays empty.
        let mut commons = Commons::default();
        let mut seen = vec![u32::MAX; facts.actions.len()];
        let mut visited = vec![u32::MAX; facts.places.len()];
        let mut rarest: Vec<&[Entry]> = Vec::new();
        let (mut looked, mut cut) = (0, false);
        for x in actions {
            let title = facts.titles.get(x);
            let me = (title.len() as u32, x as u32);
            let mut left = looked_at;
            'places: for &named in facts.names.get(x) {
                for &place in self.nearby.get(named as usize) {
                    if std::mem::replace(&mut visited[place as usize], me.1) == me.1 {
                        continue;
                    }
                    rarest.clear();
                    rarest.extend(title.iter().map(|&word| self.bucket(place, word)));
                    rarest.sort_by_key(|b| b.len());
                    for bucket in rarest.drain(..).take(title.len().div_ceil(2)) {
                        let after = bucket.partition_point(|e| (e.1, e.2) <= me);
                        for &(_, _, y) in &bucket[after..] {
                            if left == 0 {
                                cut = true;
                                break 'places;
                            }
                            left -= 1;
                            let y = y as usize;
                            if std::mem::replace(&mut seen[y], me.1) == me.1
                                || containment(title, facts.titles.get(y)) <= 0.5
                            {
                                continue;
                            }
                            let (a, b) = (x.min(y), x.max(y));
                            if let Some(found) = facts.judge(&mut commons, &best, a, b) {
                                best.offer(found);
                            }
                        }
                    }
                }
            }
            looked += looked_at - left;
        }
        (best, looked, cut)
    }
}

/// Pairs with the same audience, not similar titles: each action's audience, at each
/// place around its own, against the actions named there with a like audience, where
/// those are at most [`GENERIC`].
fn audience_pairs(facts: &PairFacts, commons: &mut Commons, best: &mut Best) {
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for i in 0..facts.actions.len() {
        let audience = facts.audiences[i];
        if facts.audience_words.get(audience as usize).is_empty() {
            continue;
        }
        for &place in facts.names.get(i) {
            for &container in facts.enclosing.get(place as usize) {
                if facts.at.get(container as usize).is_empty() {
                    continue;
                }
                let like = commons.like(facts, container, audience);
                if like.count > GENERIC {
                    continue;
                }
                for j in like.actions.clone() {
                    let j = j as usize;
                    let pair = (i.min(j), i.max(j));
                    if i == j
                        || containment(facts.titles.get(i), facts.titles.get(j)) > 0.5
                        || !pairs.insert(pair)
                    {
                        continue;
                    }
                    if let Some(found) = facts.judge(commons, best, pair.0, pair.1) {
                        best.offer(found);
                    }
                }
            }
        }
    }
}

/// What the pair comparison looks at, per action and per place, in numbers.
struct PairFacts<'a> {
    actions: Vec<&'a Action>,
    /// Each title's significant words, as sorted numbers.
    titles: Lists,
    /// How many words the titles and audiences have between them: each word's number is
    /// below.
    vocabulary: usize,
    /// Each action's audience: the number of its set of significant words.
    audiences: Vec<u32>,
    /// Each audience's words, as sorted numbers.
    audience_words: Lists,
    windows: Vec<Option<(Month, Month)>>,
    /// Each action's lead partners, as sorted numbers.
    leads: Lists,
    /// Each action's places, by number, as it names them.
    names: Lists,
    /// Each place's code, by number: first those the actions name.
    places: Vec<&'a str>,
    /// Each place an action names, then the places around it ([`enclosing`]).
    enclosing: Lists,
    /// The actions naming each place, in file order (twice for one naming it twice).
    at: Lists,
}

impl<'a> PairFacts<'a> {
    /// The facts of `plan`'s actions.
    fn new(plan: &'a Plan) -> Self {
        let (plan_start, parents) = (plan_start(plan), parents(&plan.places));
        let actions: Vec<&Action> = plan.actions.iter().map(|l| &*l.record).collect();
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut numbered = |text: &str| {
            let mut list: Vec<u32> = words(text)
                .into_iter()
                .map(|word| {
                    let next = vocabulary.len() as u32;
                    *vocabulary.entry(word).or_insert(next)
                })
                .collect();
            list.sort_unstable();
            list
        };
        let (mut titles, mut audience_words, mut names, mut leads) = Default::default();
        let (mut partner_of, mut partners) = (HashMap::new(), Vec::new());
        let mut audience_of: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut audiences = Vec::with_capacity(actions.len());
        let (mut place_of, mut places) = (HashMap::new(), Vec::new());
        for action in &actions {
            Lists::push(&mut titles, numbered(&action.title.value));
            let next = audience_of.len() as u32;
            let audience = *audience_of
                .entry(numbered(action.scope()))
                .or_insert_with_key(|words| {
                    Lists::push(&mut audience_words, words.iter().copied());
                    next
                });
            audiences.push(audience);
            let numbers = action
                .locations()
                .map(|p| intern(&mut place_of, &mut places, p));
            Lists::push(&mut names, numbers.collect::<Vec<_>>());
            let mut numbers: Vec<u32> = action
                .leads()
                .map(|l| intern(&mut partner_of, &mut partners, l))
                .collect();
            numbers.sort_unstable();
            Lists::push(&mut leads, numbers);
        }
        let mut enclosing_lists = Lists::default();
        for named in 0..places.len() {
            let around = enclosing(&parents, places[named]);
            let numbers: Vec<u32> = around
                .into_iter()
                .map(|c| intern(&mut place_of, &mut places, c))
                .collect();
            enclosing_lists.push(numbers);
        }
        let mut at = vec![Vec::new(); places.len()];
        for action in 0..actions.len() {
            for &place in names.get(action) {
                at[place as usize].push(action as u32);
            }
        }
        let mut at_lists = Lists::default();
        for list in at {
            at_lists.push(list);
        }
        Self {
            vocabulary: vocabulary.len(),
            windows: actions.iter().map(|a| months(a, plan_start)).collect(),
            actions,
            titles,
            leads,
            audiences,
            audience_words,
            names,
            places,
            enclosing: enclosing_lists,
            at: at_lists,
        }
    }

    /// Each place an action names with every place around it and every named place within
    /// it: where the actions it may be compared with are named.
    fn nearby(&self) -> Lists {
        let named = self.enclosing.ends.len();
        let mut within = vec![Vec::new(); named];
        for place in 0..named {
            for &around in &self.enclosing.get(place)[1..] {
                if let Some(list) = within.get_mut(around as usize) {
                    list.push(place as u32);
                }
            }
        }
        let mut nearby = Lists::default();
        for (place, inside) in within.into_iter().enumerate() {
            nearby.push(self.enclosing.get(place).iter().copied().chain(inside));
        }
        nearby
    }

    /// Where the walk over every action, each of its places, each place around that and
    /// each action named there first meets `a` and `b` (`a` before `b`): from `a` if `a`
    /// reaches `b`, else from `b`.
    fn meeting(&self, a: usize, b: usize) -> Option<Meeting> {
        [(a, b), (b, a)].into_iter().find_map(|(first, second)| {
            let theirs = self.names.get(second);
            let mut mine = self.names.get(first).iter().enumerate();
            mine.find_map(|(place_at, &place)| {
                let around = self.enclosing.get(place as usize);
                let container_at = around.iter().position(|c| theirs.contains(c))?;
                Some(Meeting {
                    first: first as u32,
                    place_at: place_at as u32,
                    container_at: container_at as u32,
                    second: second as u32,
                })
            })
        })
    }

    /// The place of the first action where the walk meets a pair.
    fn place(&self, meeting: Meeting) -> u32 {
        self.names.get(meeting.first as usize)[meeting.place_at as usize]
    }

    /// The place the second action names where the walk meets a pair.
    fn container(&self, meeting: Meeting) -> u32 {
        let around = self.enclosing.get(self.place(meeting) as usize);
        around[meeting.container_at as usize]
    }

    /// The case for `a` and `b` (`a` before `b`), judged where the walk meets them first;
    /// `None` when they share a lead, their windows do not meet, they look alike in
    /// neither title nor (a not too common) audience, or the case is weaker than all
    /// `best` keeps.
    fn judge(&self, commons: &mut Commons, best: &Best, a: usize, b: usize) -> Option<Found> {
        let like = self.alike(a, b)?;
        // Where they meet only lowers the score: a case weaker than all kept even at one
        // place is not worth finding where.
        if best.keeps_none(like.score()) {
            return None;
        }
        self.case(commons, self.meeting(a, b)?, like)
    }

    /// The case for two actions as `like` as that where the walk meets them; `None` when
    /// they look alike in neither title nor (a not too common) audience.
    fn case(&self, commons: &mut Commons, meeting: Meeting, like: Likeness) -> Option<Found> {
        let like = Likeness {
            nested: self.place(meeting) != self.container(meeting),
            ..like
        };
        // An audience shared by many actions at one place (border and criminal police
        // across the Western Balkans) says little on its own.
        let first = meeting.first as usize;
        if like.title <= 0.5
            && (like.audience < 0.5
                || commons
                    .like(self, self.container(meeting), self.audiences[first])
                    .count
                    > GENERIC)
        {
            return None;
        }
        let (x, y) = (
            self.actions[first].id.value,
            self.actions[meeting.second as usize].id.value,
        );
        Some(Found {
            score: Reverse(like.score().to_bits()),
            ids: (x.min(y), x.max(y)),
            meeting,
        })
    }

    /// How alike the two actions are where the walk meets them; `None` when they share a
    /// lead or their windows do not meet.
    fn likeness(&self, meeting: Meeting) -> Option<Likeness> {
        let like = self.alike(meeting.first as usize, meeting.second as usize)?;
        let nested = self.place(meeting) != self.container(meeting);
        Some(Likeness { nested, ..like })
    }

    /// How alike `i` and `j` are at one place; `None` when they share a lead or their
    /// windows do not meet.
    fn alike(&self, i: usize, j: usize) -> Option<Likeness> {
        let window = match (self.windows[i], self.windows[j]) {
            (Some(a), Some(b)) if a.0 <= b.1 && b.0 <= a.1 => 1.0,
            (Some(_), Some(_)) => return None,
            _ => 0.5,
        };
        if shared(self.leads.get(i), self.leads.get(j)) > 0 {
            return None;
        }
        let audience = |k: usize| self.audience_words.get(self.audiences[k] as usize);
        Some(Likeness {
            title: containment(self.titles.get(i), self.titles.get(j)),
            audience: jaccard(audience(i), audience(j)),
            window,
            nested: false,
        })
    }

    /// The report's row for a case.
    fn row(&self, meeting: Meeting, like: &Likeness) -> Ranked {
        let (action, other) = (
            self.actions[meeting.first as usize],
            self.actions[meeting.second as usize],
        );
        let place = self.places[self.place(meeting) as usize];
        let container = self.places[self.container(meeting) as usize];
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
        because.push(if like.nested {
            format!("{place} lies within {container}")
        } else {
            format!("both at {place}")
        });
        if like.title > 0.5 {
            because.push("similar titles".into());
        }
        if like.audience >= 0.5 {
            because.push("the same audience".into());
        }
        because.push(if like.window >= 1.0 {
            "overlapping windows".into()
        } else {
            "one window is undated".into()
        });
        Ranked {
            actions: vec![first.id.value, second.id.value],
            reason: because.join(", "),
            score: like.score(),
            kind: Kind::Duplicate,
        }
    }
}

/// Where the walk over every pair meets one first: `first`'s `place_at`-th place lies in
/// the `container_at`-th place around it, which `second` names. Ordered as the walk goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Meeting {
    first: u32,
    place_at: u32,
    container_at: u32,
    second: u32,
}

/// How alike two actions are where the walk meets them.
#[derive(Clone, Copy)]
struct Likeness {
    /// Their titles' [`containment`].
    title: f64,
    /// Their audiences' [`similarity`].
    audience: f64,
    /// 1 for overlapping windows, 0.5 when one is undated.
    window: f64,
    /// Whether one's place lies within the other's, not the same.
    nested: bool,
}

impl Likeness {
    /// How strong the case is, 0–1, to two decimals.
    fn score(&self) -> f64 {
        let score = 0.25 * if self.nested { 0.8 } else { 1.0 }
            + 0.4 * self.title
            + 0.2 * self.audience
            + 0.15 * self.window;
        (score * 100.0).round() / 100.0
    }
}

/// A case found, ordered as the report lists them: strongest first (a score is not
/// negative, so its bits order as it does), then by the actions' ids, then as the walk
/// met them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    score: Reverse<u64>,
    ids: (i64, i64),
    meeting: Meeting,
}

/// The strongest cases found so far, at most `most`; the weakest on top.
struct Best {
    most: usize,
    heap: BinaryHeap<Found>,
}

impl Best {
    /// Whether a case of `score` is weaker than every case kept, and they are all kept.
    fn keeps_none(&self, score: f64) -> bool {
        self.heap.len() >= self.most
            && self
                .heap
                .peek()
                .is_some_and(|weakest| Reverse(score.to_bits()) > weakest.score)
    }

    /// Keeps `found` if it is among the strongest.
    fn offer(&mut self, found: Found) {
        let full = self.heap.len() >= self.most;
        if full && self.heap.peek().is_some_and(|weakest| found >= *weakest) {
            return;
        }
        self.heap.push(found);
        if self.heap.len() > self.most {
            self.heap.pop();
        }
    }
}

/// How many actions at a place have an audience like one's, computed once per place and
/// audience.
#[derive(Default)]
struct Commons {
    /// Each place's actions as (audience, action), sorted, once asked for.
    by_audience: HashMap<u32, Vec<(u32, u32)>>,
    /// What is known of (place, audience).
    known: HashMap<(u32, u32), Like>,
}

/// The actions at a place with an audience like one's (Jaccard 0.5 or more): how many, up
/// to one more than [`GENERIC`], and which while they are no more.
#[derive(Clone, Debug, Default)]
struct Like {
    count: usize,
    actions: Vec<u32>,
}

impl Commons {
    /// The actions named at `place` with an audience like `audience`.
    fn like(&mut self, facts: &PairFacts, place: u32, audience: u32) -> &Like {
        self.known.entry((place, audience)).or_insert_with(|| {
            let here = self.by_audience.entry(place).or_insert_with(|| {
                let actions = facts.at.get(place as usize).iter();
                let mut list: Vec<(u32, u32)> =
                    actions.map(|&k| (facts.audiences[k as usize], k)).collect();
                list.sort_unstable();
                list
            });
            let mine = facts.audience_words.get(audience as usize);
            let mut like = Like::default();
            for group in here.chunk_by(|a, b| a.0 == b.0) {
                if jaccard(mine, facts.audience_words.get(group[0].0 as usize)) >= 0.5 {
                    like.count += group.len();
                    if like.count > GENERIC {
                        like.actions = Vec::new();
                        break;
                    }
                    like.actions.extend(group.iter().map(|&(_, k)| k));
                }
            }
            like
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Actions, DataDir, Texts};
    use proptest::prelude::*;

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

    /// The walk [`ranked`] stands for: every action, each of its places, each place around
    /// that, each action named there, each pair judged where first met.
    fn every_pair(facts: &PairFacts) -> Vec<Found> {
        let mut commons = Commons::default();
        let (mut pairs, mut found) = (HashSet::new(), Vec::new());
        for i in 0..facts.actions.len() {
            for (place_at, &place) in facts.names.get(i).iter().enumerate() {
                let around = facts.enclosing.get(place as usize).iter();
                for (container_at, &container) in around.enumerate() {
                    for &j in facts.at.get(container as usize) {
                        let j = j as usize;
                        if i == j || !pairs.insert((i.min(j), i.max(j))) {
                            continue;
                        }
                        let meeting = Meeting {
                            first: i as u32,
                            place_at: place_at as u32,
                            container_at: container_at as u32,
                            second: j as u32,
                        };
                        let like = facts.alike(i, j);
                        found.extend(like.and_then(|l| facts.case(&mut commons, meeting, l)));
                    }
                }
            }
        }
        found.sort_unstable();
        found
    }

    /// What the walk over every pair lists, and what the index lists with no cap.
    fn both(plan: &Plan) -> (String, String) {
        let facts = PairFacts::new(plan);
        let walked = listed(&facts, &every_pair(&facts), all_series(plan), usize::MAX);
        let (indexed, _, partial) = ranked_within(plan, usize::MAX, usize::MAX);
        assert!(!partial);
        let json = |rows: &[Ranked]| serde_json::to_string_pretty(rows).unwrap();
        (json(&walked), json(&indexed))
    }

    const LOCATIONS: &str = "locations:
  - {code: SEE, name: Southeast Europe, kind: region, within: [], aliases: []}
  - {code: EU, name: EU, kind: region, within: [], aliases: []}
  - {code: WB, name: Western Balkans, kind: region, within: [SEE], aliases: []}
  - {code: ALB, name: Albania, kind: country, within: [WB], aliases: []}
  - {code: GRC, name: Greece, kind: country, within: [SEE, EU], aliases: []}
  - {code: ALB-GRE, name: border, kind: border, within: [ALB, GRC], aliases: []}
";

    /// What an action of a test plan says.
    #[derive(Clone, Debug)]
    struct Sketch {
        title: String,
        leads: Vec<&'static str>,
        places: Vec<&'static str>,
        scope: &'static str,
        timeline: &'static str,
    }

    /// A plan of `LOCATIONS` and these actions, numbered by `ids`.
    fn plan_of(actions: &[Sketch], ids: &[i64]) -> Plan {
        let dir = DataDir {
            path: "/nonexistent/data".into(),
            shown: "data".into(),
        };
        let mut files = vec![("locations.yaml".to_string(), LOCATIONS.to_string())];
        for (n, (a, id)) in actions.iter().zip(ids).enumerate() {
            let text = format!(
                "id: {id}\ntitle: {}\nlead: [{}]\ninvolved: []\nlocations: [{}]\nscope: {}\n\
                 timeline: {}\nstatus: planned\nfinancing: []\naddresses: [BP-1]\n",
                a.title,
                a.leads.join(", "),
                a.places.join(", "),
                a.scope,
                a.timeline
            );
            files.push((format!("actions/{n:04}-a.yaml"), text));
        }
        let plan = Plan::from_texts(dir, files);
        assert_eq!(plan.actions.len(), actions.len(), "{:?}", plan.problems);
        plan
    }

    fn sketch() -> impl Strategy<Value = Sketch> {
        let word = prop::sample::select(vec![
            "Joint",
            "Operation",
            "DRINO",
            "TUZI",
            "workshop",
            "risk",
            "analysis",
            "II",
            "2",
            "the",
            "border",
        ]);
        let title = prop::collection::vec(word, 1..6).prop_map(|w| w.join(" "));
        let leads = prop::sample::subsequence(vec!["DCAF", "FRONTEX", "IOM"], 1..3);
        let place = prop::sample::select(vec!["SEE", "EU", "WB", "ALB", "GRC", "ALB-GRE", "XX"]);
        let places = prop::collection::vec(place, 0..4);
        let scope = prop::sample::select(vec![
            "Border police",
            "Border police and criminal police",
            "Criminal police",
            "Prosecutors",
            "TBD",
        ]);
        let timeline = prop::sample::select(vec![
            "May 2019",
            "By June 2019",
            "Q3 2019",
            "2019-11",
            "After the entry into force of agreement 5",
        ]);
        (title, leads, places, scope, timeline).prop_map(
            |(title, leads, places, scope, timeline)| Sketch {
                title,
                leads,
                places,
                scope,
                timeline,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The index finds every pair the walk over every pair finds, judged alike, in the
        /// same order; the caps keep out nothing in a plan this small.
        #[test]
        fn the_index_finds_what_the_walk_over_every_pair_finds(
            (actions, ids) in prop::collection::vec(sketch(), 0..40).prop_flat_map(|a| {
                let ids = Just((1..=a.len()).map(|i| i64::try_from(i).unwrap()).collect::<Vec<_>>()).prop_shuffle();
                (Just(a), ids)
            })
        ) {
            let plan = plan_of(&actions, &ids);
            let (walked, indexed) = both(&plan);
            prop_assert_eq!(&walked, &indexed);
            let (capped, looked, partial) = ranked_within(&plan, MOST_CASES, LOOKED_AT);
            prop_assert!(!partial);
            prop_assert_eq!(serde_json::to_string_pretty(&capped).unwrap(), indexed);
            prop_assert!(looked <= actions.len() * LOOKED_AT);
        }
    }

    /// The note spells the cap out in words people read: it must say the cap there is.
    #[test]
    fn the_partial_note_names_the_cap() {
        let digits = MOST_CASES.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        assert!(
            PARTIAL.contains(&format!("Only the {grouped} strongest")),
            "{PARTIAL}"
        );
    }

    #[test]
    fn the_index_finds_what_the_walk_finds_in_the_shipped_plan() {
        let dir = DataDir {
            path: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
            shown: "data".into(),
        };
        let plan = Plan::read(dir, Actions::All, Texts::Drop);
        let (walked, indexed) = both(&plan);
        assert_eq!(walked, indexed);
        assert!(walked.contains("\"duplicate\"") && walked.contains("\"series\""));
    }

    #[test]
    fn many_identical_titles_at_one_place_stay_bounded() {
        let n = 2_000;
        let actions: Vec<Sketch> = (0..n)
            .map(|i| Sketch {
                title: "Joint Operation DRINO".into(),
                leads: vec![if i % 2 == 0 { "DCAF" } else { "FRONTEX" }],
                places: vec!["ALB"],
                scope: "Border police",
                timeline: "May 2019",
            })
            .collect();
        let ids: Vec<i64> = (1..=2_000).collect();
        let plan = plan_of(&actions, &ids);
        // A million pairs, half of them cases: each action looks through 16 entries, and
        // the 50 strongest cases are listed.
        let (rows, looked, partial) = ranked_within(&plan, 50, 16);
        assert!(looked <= n * 16, "{looked}");
        assert!(partial);
        assert_eq!(rows.len(), 50);
        assert!(
            rows.iter()
                .all(|r| r.kind == Kind::Duplicate && r.score >= 1.0)
        );
        let (rows, looked, partial) = ranked_within(&plan, MOST_CASES, LOOKED_AT);
        assert!(looked <= n * LOOKED_AT, "{looked}");
        assert!(partial);
        assert_eq!(rows.len(), MOST_CASES);
        // The strongest first, each pair once.
        let pairs: HashSet<&[i64]> = rows.iter().map(|r| &r.actions[..]).collect();
        assert_eq!(pairs.len(), rows.len());
        assert_eq!(rows[0].actions, [1, 2]);
    }
}

//! The validation rules: every finding of every file in one run, sorted by file, line and
//! column. Checks read the records as loaded, with their positions, and never stop at the
//! first finding.

mod actions;
mod coverage;
mod registries;
mod results;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::NaiveDate;

use crate::analysis::overlap;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Action, Entry, Funding, Month, Pos, Registry, RegistryKind, Sp};
use crate::store::{Actions, Change, DataDir, Loaded, Plan, SourceFile, Texts};

/// What the date rules measure against.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The day statuses are as of.
    pub as_of: NaiveDate,
}

/// Every finding about the plan: what could not be read, then every rule over what could.
#[must_use]
pub fn check(plan: &Plan, options: Options) -> Vec<Diagnostic> {
    let rules = Checker::new(plan, options);
    let each = crate::par::map(&plan.actions, |loaded| rules.action(loaded));
    rules.finish(each, &[])
}

/// How many errors and warnings [`check`] finds, without keeping each action's findings:
/// what a summary tells (72,000 findings at 100,000 actions are 25 MB).
#[must_use]
pub fn count(plan: &Plan, options: Options) -> (usize, usize) {
    let rules = Checker::new(plan, options);
    let (counts, each): (Vec<_>, Vec<_>) = crate::par::map(&plan.actions, |loaded| {
        let mut one = rules.action(loaded);
        let counted = crate::diagnostic::count(&one.findings);
        one.findings = Vec::new();
        (counted, one)
    })
    .into_iter()
    .unzip();
    let rest = crate::diagnostic::count(&rules.finish(each, &[]));
    counts.into_iter().fold(rest, |(errors, warnings), (e, w)| {
        (errors + e, warnings + w)
    })
}

/// Reads the plan in `dir` and checks it as `iisg validate` does: each action by its own
/// rules as it is read, keeping only what the plan-wide rules need, so a plan of 100,000
/// actions is checked without holding them. The date rules measure against `as_of`, else
/// the plan's. Gives the plan without its actions (its files and problems are all there)
/// and every finding, sorted.
#[must_use]
pub fn read_and_check(dir: DataDir, as_of: Option<NaiveDate>) -> (Plan, Vec<Diagnostic>) {
    let mut plan = Plan::read(dir, Actions::None, Texts::Drop);
    let as_of = plan.as_of(as_of);
    let rules = Checker::new(&plan, Options { as_of });
    let (each, read) = plan.scan_actions(Texts::Drop, |loaded| rules.action(&loaded));
    let findings = rules.finish(each, read.problems());
    plan.absorb(read);
    (plan, findings)
}

/// The rules, ready to check actions one at a time, in any thread, as they are read (each
/// action's own rules need only the registries and the forums), then the plan as a whole
/// from what was kept of each: a plan of 100,000 actions is checked without holding them.
pub struct Checker<'a> {
    context: Context<'a>,
    used: Used,
}

/// What one action's own rules found, and what the plan-wide rules need of it.
#[derive(Debug)]
pub struct Checked {
    findings: Vec<Diagnostic>,
    /// Boxed, so that a plan's worth of these moves pointers.
    seen: Box<Seen>,
}

/// What the plan-wide rules need of one action.
#[derive(Debug)]
struct Seen {
    file: Arc<SourceFile>,
    id: Sp<i64>,
    title: Pos,
    overlap: Option<overlap::Facts>,
}

impl<'a> Checker<'a> {
    /// The rules over `plan`'s registries, forums and logframe rows, as of `options.as_of`.
    #[must_use]
    pub fn new(plan: &'a Plan, options: Options) -> Self {
        let period = plan.info.as_ref().map(|info| {
            (
                info.record.period.value.start.value,
                info.record.period.value.end.value,
            )
        });
        let need_ids = coverage::need_ids(plan);
        let flags = |n: usize| (0..n).map(|_| AtomicBool::new(false)).collect();
        Self {
            used: Used {
                partners: flags(plan.partners.entries().len()),
                funding: flags(plan.funding.entries().len()),
                places: flags(plan.places.entries().len()),
                needs: flags(need_ids.len()),
            },
            context: Context {
                plan,
                as_of: options.as_of,
                period,
                plan_start: overlap::plan_start(plan),
                need_ids,
                logframe_ids: plan.logframe.iter().map(|r| r.record.id.value).collect(),
                registry_files: RegistryKind::ALL.map(|kind| plan.dir.show(kind.file())),
                unreadable: RegistryKind::ALL.map(|kind| {
                    let shown = plan.dir.show(kind.file());
                    plan.problems
                        .iter()
                        .any(|p| p.file == shown && p.severity == Severity::Error)
                }),
                unchecked: Default::default(),
            },
        }
    }

    /// Checks one action by its own rules, and notes what it refers to.
    #[must_use]
    pub fn action(&self, loaded: &Loaded<Action>) -> Checked {
        let mut own = Findings { list: Vec::new() };
        let timeline = actions::action(&self.context, &mut own, loaded);
        self.used.note(&self.context, &loaded.record);
        let action = &loaded.record;
        // A first finding makes room for four: at 100,000 actions with 72,000 findings
        // that spare room was 26 MB of the peak, held until the plan-wide rules ran.
        own.list.shrink_to_fit();
        Checked {
            findings: own.list,
            seen: Box::new(Seen {
                file: Arc::clone(&loaded.file),
                id: action.id.clone(),
                title: action.title.referenced,
                overlap: timeline.and_then(|timeline| {
                    overlap::Facts::of(action, &timeline, self.context.plan_start)
                }),
            }),
        }
    }

    /// Every finding: the plan's reading problems and `problems` (of files read apart from
    /// it), each action's own findings, then the plan-wide rules; sorted by file, line and
    /// column.
    #[must_use]
    pub fn finish(self, checked: Vec<Checked>, problems: &[Diagnostic]) -> Vec<Diagnostic> {
        let mut own = Vec::with_capacity(checked.len());
        let mut seen = Vec::with_capacity(checked.len());
        for one in checked {
            own.push(one.findings);
            seen.push(one.seen);
        }
        // The plan-wide rules only add findings: run first, they let the list be made at
        // its size, where growing it held up to three times its 8 MB at 100,000 actions.
        let mut later = self.plan_wide(seen);
        let size = self.context.plan.problems.len()
            + problems.len()
            + own.iter().map(Vec::len).sum::<usize>()
            + later.len();
        let mut list = Vec::with_capacity(size);
        list.extend_from_slice(&self.context.plan.problems);
        list.extend_from_slice(problems);
        list.extend(own.into_iter().flatten());
        list.append(&mut later);
        let order = self.order(list.len(), |i| Place::of(&list[i]));
        permute(&mut list, order);
        list
    }

    /// The findings of the plan-wide rules, from what was seen of each action.
    #[allow(clippy::vec_box)] // Boxed, so that a plan's worth of these moves pointers.
    fn plan_wide(&self, seen: Vec<Box<Seen>>) -> Vec<Diagnostic> {
        let context = &self.context;
        let mut later = Findings { list: Vec::new() };
        registries::check(context, &mut later);
        actions::plan_wide(context, &mut later, &seen);
        coverage::check(context, &mut later, &self.used);
        context.fold_unchecked(&mut later);
        // Freeing 100,000 of these takes 20 ms: let a worker do it while the report is made.
        let many = seen.len();
        crate::par::drop_later(seen, many);
        later.list
    }

    /// The order findings are told in: what every other file depends on first (an
    /// unreadable plan.yaml or registry), then the rest, each sorted by file, line and
    /// column; findings alike in all that keep the order they were found in.
    fn order<'p>(&self, len: usize, place: impl Fn(usize) -> Place<'p>) -> Vec<usize> {
        let context = &self.context;
        let plan_file = context.plan.dir.show("plan.yaml");
        let rank: Vec<(bool, bool)> = (0..len)
            .map(|i| {
                let f = place(i);
                let depended_on =
                    f.file == plan_file || context.registry_files.iter().any(|r| r == f.file);
                let first =
                    depended_on && (f.severity == Severity::Error || f.code == Code::Unchecked);
                (!first, f.code == Code::Unchecked)
            })
            .collect();
        // Sorted by index: a stable sort of the findings themselves takes a buffer as large
        // as the list (8 MB of 72,000 findings).
        let key = |i: usize| {
            let f = place(i);
            (rank[i], f.file, f.line, f.column, f.code)
        };
        let mut order: Vec<usize> = (0..len).collect();
        order.sort_by(|&a, &b| key(a).cmp(&key(b)));
        order
    }
}

/// Where a finding is, and what sorts it.
#[derive(Clone, Copy)]
struct Place<'a> {
    file: &'a str,
    line: u64,
    column: u64,
    code: Code,
    severity: Severity,
}

impl<'a> Place<'a> {
    fn of(f: &'a Diagnostic) -> Self {
        Self {
            file: &f.file,
            line: f.line,
            column: f.column,
            code: f.code,
            severity: f.severity,
        }
    }
}

/// Every finding of [`check`], in its order, each action's own kept only as where it is and
/// what found it, and found again when it is shown: what a page of `serve` needs of 72,000
/// findings, without holding their 25 MB of messages and file names.
pub struct Listing<'a> {
    rules: Checker<'a>,
    /// Findings kept whole: told first, read apart from the plan, and the plan-wide ones.
    whole: Vec<Diagnostic>,
    /// The actions with findings of their own: which action, its file, where each is.
    own: Vec<Own>,
    /// Each finding in the order told.
    order: Vec<At>,
    errors: usize,
}

/// An action's own findings, as a [`Listing`] keeps them.
struct Own {
    action: usize,
    file: String,
    places: Vec<(u64, u64, Code, Severity)>,
}

/// What a [`Listing`] keeps of one action's findings: where each is, or (should they be
/// about more than one file) the findings themselves.
enum Kept {
    Own(String, Vec<(u64, u64, Code, Severity)>),
    Whole(Vec<Diagnostic>),
}

/// A finding of a [`Listing`]: kept whole, or the `nth` of an action's own.
#[derive(Clone, Copy)]
enum At {
    Whole(u32),
    Own(u32, u32),
}

impl<'a> Listing<'a> {
    /// The findings of `plan`, after `first` (told first, in their order).
    #[must_use]
    pub fn new(plan: &'a Plan, options: Options, first: Vec<Diagnostic>) -> Self {
        let rules = Checker::new(plan, options);
        // Each action's findings are made small in the thread that finds them: the peak
        // is while every action's are in hand.
        let each = crate::par::map(&plan.actions, |loaded| {
            let one = rules.action(loaded);
            let file = one.findings.first().map(|f| f.file.clone());
            let kept = match file {
                None => Kept::Whole(Vec::new()),
                Some(file) if one.findings.iter().all(|f| f.file == file) => Kept::Own(
                    file,
                    one.findings
                        .iter()
                        .map(|f| (f.line, f.column, f.code, f.severity))
                        .collect(),
                ),
                Some(_) => Kept::Whole(one.findings),
            };
            (one.seen, kept)
        });
        let mut seen = Vec::with_capacity(each.len());
        let mut whole = Vec::new();
        let mut own = Vec::new();
        let mut places = Vec::new();
        whole.extend_from_slice(&plan.problems);
        places.extend((0..whole.len()).map(|i| At::Whole(i as u32)));
        for (action, (one, kept)) in each.into_iter().enumerate() {
            seen.push(one);
            match kept {
                Kept::Own(file, found) => {
                    let slot = own.len() as u32;
                    places.extend((0..found.len()).map(|n| At::Own(slot, n as u32)));
                    own.push(Own {
                        action,
                        file,
                        places: found,
                    });
                }
                Kept::Whole(findings) => {
                    for f in findings {
                        places.push(At::Whole(whole.len() as u32));
                        whole.push(f);
                    }
                }
            }
        }
        for f in rules.plan_wide(seen) {
            places.push(At::Whole(whole.len() as u32));
            whole.push(f);
        }
        let mut listing = Self {
            rules,
            whole,
            own,
            order: Vec::new(),
            errors: 0,
        };
        let sorted = listing
            .rules
            .order(places.len(), |i| listing.place(places[i]));
        let mut order: Vec<At> = (0..first.len())
            .map(|i| At::Whole((listing.whole.len() + i) as u32))
            .collect();
        order.extend(sorted.into_iter().map(|i| places[i]));
        listing.whole.extend(first);
        listing.errors = order
            .iter()
            .filter(|&&at| listing.place(at).severity == Severity::Error)
            .count();
        listing.order = order;
        listing
    }

    fn place(&self, at: At) -> Place<'_> {
        match at {
            At::Whole(i) => Place::of(&self.whole[i as usize]),
            At::Own(slot, n) => {
                let own = &self.own[slot as usize];
                let (line, column, code, severity) = own.places[n as usize];
                Place {
                    file: &own.file,
                    line,
                    column,
                    code,
                    severity,
                }
            }
        }
    }

    /// How many findings there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// How many are errors and how many warnings.
    #[must_use]
    pub fn count(&self) -> (usize, usize) {
        (self.errors, self.len() - self.errors)
    }

    /// The findings from the `skip`th on, in order, each found again as it is reached.
    pub fn iter(&self, skip: usize) -> impl Iterator<Item = Diagnostic> + '_ {
        let mut found: Option<(u32, Vec<Diagnostic>)> = None;
        self.order
            .iter()
            .skip(skip)
            .filter_map(move |&at| match at {
                At::Whole(i) => self.whole.get(i as usize).cloned(),
                At::Own(slot, n) => {
                    if found.as_ref().is_some_and(|(s, _)| *s != slot) {
                        found = None;
                    }
                    let (_, findings) = found.get_or_insert_with(|| {
                        let action =
                            &self.rules.context.plan.actions[self.own[slot as usize].action];
                        (slot, self.rules.action(action).findings)
                    });
                    // The rules find the same again: nothing is left out.
                    findings.get(n as usize).cloned()
                }
            })
    }
}

impl serde::Serialize for Listing<'_> {
    /// As the list [`check`] gives would be: a JSON array of every finding.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter(0))
    }
}

/// Puts in each place `i` of `list` the item that was at `order[i]`, moving each once.
fn permute<T>(list: &mut [T], mut order: Vec<usize>) {
    // Each cycle of the permutation in turn: place `start` takes the finding at
    // `order[start]`, that place the one at its `order`, and so on round the cycle; a
    // placed index is marked by pointing at itself.
    for start in 0..list.len() {
        let mut at = start;
        loop {
            let next = order[at];
            order[at] = at;
            if next == start {
                break;
            }
            list.swap(at, next);
            at = next;
        }
    }
}

/// The registry entries and needs the actions checked so far refer to: one flag each, set
/// from any thread, so nothing of an action need be kept to find what nothing uses.
struct Used {
    partners: Vec<AtomicBool>,
    funding: Vec<AtomicBool>,
    places: Vec<AtomicBool>,
    needs: Vec<AtomicBool>,
}

impl Used {
    fn note(&self, context: &Context, action: &Action) {
        let plan = context.plan;
        let set = |flags: &[AtomicBool], index: Option<usize>| {
            if let Some(flag) = index.and_then(|i| flags.get(i)) {
                flag.store(true, Ordering::Relaxed);
            }
        };
        for code in action.leads().chain(action.involved()) {
            set(&self.partners, plan.partners.index(code));
        }
        let requester = action.requested_by.iter().map(|r| r.value.as_str());
        for code in action.locations().chain(requester) {
            set(&self.places, plan.places.index(code));
        }
        for funding in action.financing() {
            set(&self.funding, plan.funding.index(&funding.source));
        }
        for need in action.addresses() {
            set(&self.needs, context.need_ids.get(need).copied());
        }
    }

    /// The codes of the flagged entries of a registry.
    fn codes<'r, E: Entry>(flags: &[AtomicBool], registry: &'r Registry<E>) -> HashSet<&'r str> {
        let entries = registry.entries().iter();
        entries
            .zip(flags)
            .filter(|(_, flag)| flag.load(Ordering::Relaxed))
            .map(|(entry, _)| entry.code().value.as_str())
            .collect()
    }
}

/// Every finding about one file, as `validate` would report it today (for writes, which may
/// not add errors to a file).
#[must_use]
pub fn findings_in(plan: &Plan, file: &str) -> Vec<Diagnostic> {
    let as_of = plan.as_of(None);
    check(plan, Options { as_of })
        .into_iter()
        .filter(|f| f.file == file)
        .collect()
}

/// What every rule may look at.
struct Context<'a> {
    plan: &'a Plan,
    as_of: NaiveDate,
    period: Option<(Month, Month)>,
    plan_start: Option<Month>,
    /// Every need and sub-item id, with its number among them.
    need_ids: HashMap<&'a str, usize>,
    /// The ids of the logframe rows, for the rows actions contribute to.
    logframe_ids: HashSet<i64>,
    /// The registries' files as shown: partners, funding, locations.
    registry_files: [String; 3],
    /// Whether each registry could not be read: then codes are not checked against it.
    unreadable: [bool; 3],
    /// How many codes were not checked, for each registry that could not be read.
    unchecked: [AtomicUsize; 3],
}

impl Context<'_> {
    /// Whether registry `index` (partners, funding, locations) could not be read: then the
    /// code is counted, not reported, and `true` is returned.
    fn skip_unreadable(&self, kind: RegistryKind) -> bool {
        let index = kind.index();
        if self.unreadable[index] {
            self.unchecked[index].fetch_add(1, Ordering::Relaxed);
        }
        self.unreadable[index]
    }

    /// One finding for each registry that could not be read, instead of one for each code
    /// that could not be checked against it.
    fn fold_unchecked(&self, findings: &mut Findings) {
        for kind in RegistryKind::ALL {
            let (index, noun) = (kind.index(), kind.noun());
            let count = self.unchecked[index].load(Ordering::Relaxed);
            if count == 0 {
                continue;
            }
            let file = &self.registry_files[index];
            findings.list.push(
                Diagnostic::new(
                    Code::Unchecked,
                    format!(
                        "`{file}` could not be read: {count} {noun} reference{} not checked",
                        if count == 1 { "" } else { "s" }
                    ),
                    file.clone(),
                )
                .help("fix the file as the finding above says; then every code is checked again"),
            );
        }
    }

    /// Reports `code` in `file` unless it is a partner's code.
    fn known_partner(&self, findings: &mut Findings, file: &str, code: &Sp<String>) {
        if self.skip_unreadable(RegistryKind::Partners) {
            return;
        }
        let registry_file = &self.registry_files[RegistryKind::Partners.index()];
        let partners = &self.plan.partners;
        findings.known(partners, Code::UnknownPartner, registry_file, file, code);
    }

    /// Reports `code` in `file` unless it is a place's code.
    fn known_place(&self, findings: &mut Findings, file: &str, code: &Sp<String>) {
        if self.skip_unreadable(RegistryKind::Locations) {
            return;
        }
        let registry_file = &self.registry_files[RegistryKind::Locations.index()];
        let places = &self.plan.places;
        findings.known(places, Code::UnknownLocation, registry_file, file, code);
    }

    /// Reports the source of a funding entry in `file` unless it is a funding source's code.
    fn known_funding(&self, findings: &mut Findings, file: &str, entry: &Sp<Funding>) {
        if self.skip_unreadable(RegistryKind::Funding) {
            return;
        }
        let funding = &self.plan.funding;
        if funding.get(&entry.value.source).is_some() {
            return;
        }
        let source = Sp::new(entry.value.source.clone(), entry.referenced);
        let registry_file = &self.registry_files[RegistryKind::Funding.index()];
        let rule = Code::UnknownFunding;
        findings.known(funding, rule, registry_file, file, &source);
    }
}

/// What `changes` would add to `plan`, staged into it as if written: the findings of
/// [`new_findings`] but those `expected` picks (the change's intended outcome), or, when a
/// new text does not even read, that finding. Any error among them refuses the change; the
/// one judge the commands and the web server share, which tells nothing itself.
pub fn judge(
    plan: &mut Plan,
    baseline: &[Diagnostic],
    changes: &[Change],
    expected: &dyn Fn(&Diagnostic) -> bool,
) -> Vec<Diagnostic> {
    let unparsed: Vec<Diagnostic> = changes
        .iter()
        .filter_map(|change| plan.stage_change(change).err())
        .collect();
    if !unparsed.is_empty() {
        return unparsed;
    }
    let touched: HashSet<String> = changes
        .iter()
        .flat_map(Change::paths)
        .map(|p| plan.dir.show(p))
        .collect();
    new_findings(plan, baseline, &touched)
        .into_iter()
        .filter(|f| !expected(f))
        .collect()
}

/// The findings the plan has now, against which a change is judged.
#[must_use]
pub fn baseline(plan: &Plan) -> Vec<Diagnostic> {
    check(
        plan,
        Options {
            as_of: plan.as_of(None),
        },
    )
}

/// What the rules find in the plan as staged that it did not have before (`baseline`):
/// errors anywhere, and warnings about the files in `touched` (as shown). The one judge of
/// every change: a finding the plan had is not the change's doing, also when it now falls in
/// a file the change rewrites (a renumbered action), or when its message names a date the
/// change moved (`as_of`) at the same place of a file untouched.
#[must_use]
pub fn new_findings<S: std::hash::BuildHasher>(
    plan: &Plan,
    baseline: &[Diagnostic],
    touched: &HashSet<String, S>,
) -> Vec<Diagnostic> {
    let mut had: HashMap<(Code, &str), Vec<&str>> = HashMap::new();
    let mut places: HashSet<(Code, &str, u64, u64)> = HashSet::new();
    for b in baseline {
        had.entry((b.code, b.message.as_str()))
            .or_default()
            .push(b.file.as_str());
        places.insert((b.code, b.file.as_str(), b.line, b.column));
    }
    let as_of = plan.as_of(None);
    check(plan, Options { as_of })
        .into_iter()
        .filter(|f| {
            let same_message = had
                .get(&(f.code, f.message.as_str()))
                .is_some_and(|files| files.iter().any(|b| *b == f.file || touched.contains(*b)));
            let same_place = !touched.contains(&f.file)
                && places.contains(&(f.code, f.file.as_str(), f.line, f.column));
            !(same_message || same_place)
                && (f.severity == Severity::Error || touched.contains(&f.file))
        })
        .collect()
}

/// The findings gathered so far.
struct Findings {
    list: Vec<Diagnostic>,
}

impl Findings {
    /// Adds a finding of `code` about the value `at` in `file`.
    fn add<T>(&mut self, code: Code, file: &str, at: &Sp<T>, message: String) -> &mut Diagnostic {
        self.add_at(code, file, at.referenced, message)
    }

    /// Adds a finding of `code` about what is written at `at` in `file`.
    fn add_at(&mut self, code: Code, file: &str, at: Pos, message: String) -> &mut Diagnostic {
        self.list.push(Diagnostic::new(code, message, file).at(at));
        self.list.last_mut().expect("just pushed")
    }

    /// Checks that a code is in a registry; reports `code` with a hint when it is not.
    fn known<E: Entry>(
        &mut self,
        registry: &Registry<E>,
        code: Code,
        registry_file: &str,
        file: &str,
        value: &Sp<String>,
    ) {
        if registry.get(&value.value).is_some() {
            return;
        }
        let help = unknown_help(registry, &value.value, registry_file);
        self.add(
            code,
            file,
            value,
            format!("unknown {} `{}`", E::KIND.noun(), value.value),
        )
        .help = Some(help);
    }
}

/// What to tell about an unknown code: the code an alias stands for, the closest code, or
/// where to add it.
fn unknown_help<E: Entry>(registry: &Registry<E>, text: &str, registry_file: &str) -> String {
    if let Some(entry) = registry.resolve(text) {
        return format!(
            "`{text}` is a name or alias of `{}`: files use the code",
            entry.code().value
        );
    }
    match registry.suggest(text) {
        Some(code) => format!("did you mean `{code}`?"),
        None => format!("add it to `{registry_file}`, or correct the code"),
    }
}

/// The number a file name starts with (`007-x.yaml` → 7).
fn file_number(shown: &str) -> Option<i64> {
    let name = shown.rsplit('/').next()?;
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    name[..digits].parse().ok()
}

/// Reports codes a list names more than once.
fn repeated(findings: &mut Findings, file: &str, list: &[Sp<String>], what: &str) {
    // Most lists name a code or two: compare them pairwise; a long one through a set.
    let mut seen = HashSet::new();
    for (index, item) in list.iter().enumerate() {
        let again = if list.len() <= 8 {
            list[..index]
                .iter()
                .any(|earlier| earlier.value == item.value)
        } else {
            !seen.insert(item.value.as_str())
        };
        if again {
            findings.add(
                Code::RepeatedCode,
                file,
                item,
                format!("`{}` is named twice under `{what}`", item.value),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_moves_each_item_to_its_place() {
        let case = |order: &[usize], expected: &str| {
            let mut list: Vec<char> = "abcdef".chars().take(order.len()).collect();
            permute(&mut list, order.to_vec());
            assert_eq!(list.iter().collect::<String>(), expected, "{order:?}");
        };
        case(&[], "");
        case(&[0, 1, 2], "abc");
        case(&[2, 0, 1], "cab");
        case(&[1, 0, 3, 2], "badc");
        case(&[5, 4, 0, 1, 3, 2], "feabdc");
    }
}

//! Registries of partners, funding sources and places: the codes files refer to, and the
//! names and aliases people write.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Deserialize;

use super::Sp;

/// One of the three registries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegistryKind {
    /// `partners.yaml`.
    Partners,
    /// `funding.yaml`.
    Funding,
    /// `locations.yaml`.
    Locations,
}

impl RegistryKind {
    /// The three, in the order they are listed.
    pub const ALL: [Self; 3] = [Self::Partners, Self::Funding, Self::Locations];

    /// The registry's file, inside the plan's folder.
    #[must_use]
    pub fn file(self) -> &'static str {
        match self {
            Self::Partners => "partners.yaml",
            Self::Funding => "funding.yaml",
            Self::Locations => "locations.yaml",
        }
    }

    /// How a message names one of its entries: `unknown location X`.
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Self::Partners => "partner",
            Self::Funding => "funding source",
            Self::Locations => "location",
        }
    }

    /// The command that keeps it: `iisg partner …`, `iisg funding …`, `iisg location …`.
    #[must_use]
    pub fn command(self) -> &'static str {
        match self {
            Self::Partners => "partner",
            Self::Funding => "funding",
            Self::Locations => "location",
        }
    }

    /// Its place in [`RegistryKind::ALL`], for per-registry arrays.
    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The registry's top-level key.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Partners => "partners",
            Self::Funding => "funding",
            Self::Locations => "locations",
        }
    }
}

/// An organisation: an EU agency, international organisation, regional initiative, donor, …
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The code files use.
    pub code: Sp<String>,
    /// Full name.
    pub name: Sp<String>,
    /// What kind of organisation it is.
    #[serde(default)]
    pub kind: Option<Sp<String>>,
    /// Other ways the document or people write it.
    #[serde(default)]
    pub aliases: Vec<Sp<String>>,
}

/// A source of money for actions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingSource {
    /// The code files use.
    pub code: Sp<String>,
    /// Full name.
    pub name: Sp<String>,
    /// The partner that provides the money, if it is one.
    #[serde(default)]
    pub provider: Option<Sp<String>>,
    /// Other ways the document or people write it.
    #[serde(default)]
    pub aliases: Vec<Sp<String>>,
}

/// A place: a region, country, border, city or site.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// The code files use.
    pub code: Sp<String>,
    /// Full name.
    pub name: Sp<String>,
    /// country, border, region, city, site, …
    #[serde(default)]
    pub kind: Option<Sp<String>>,
    /// Codes of the places that directly contain this one.
    #[serde(default)]
    pub within: Vec<Sp<String>>,
    /// A country's ISO 3166-1 alpha-2 code (`AL`), for IATI's `recipient-country`.
    #[serde(default)]
    pub iso: Option<Sp<String>>,
    /// Other ways the document or people write it.
    #[serde(default)]
    pub aliases: Vec<Sp<String>>,
}

/// What every registry entry has.
pub trait Entry {
    /// The registry entries of this type belong to.
    const KIND: RegistryKind;
    /// The code files use.
    fn code(&self) -> &Sp<String>;
    /// Full name.
    fn name(&self) -> &str;
    /// Other accepted spellings.
    fn aliases(&self) -> &[Sp<String>];
}

macro_rules! entry {
    ($type:ty, $kind:ident) => {
        impl Entry for $type {
            const KIND: RegistryKind = RegistryKind::$kind;
            fn code(&self) -> &Sp<String> {
                &self.code
            }
            fn name(&self) -> &str {
                &self.name.value
            }
            fn aliases(&self) -> &[Sp<String>] {
                &self.aliases
            }
        }
    };
}
entry!(Partner, Partners);
entry!(FundingSource, Funding);
entry!(Place, Locations);

/// The entries of one registry, looked up by code, alias or name.
#[derive(Clone, Debug)]
pub struct Registry<E> {
    entries: Vec<E>,
    by_code: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
}

impl<E> Default for Registry<E> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            by_code: HashMap::new(),
            by_key: HashMap::new(),
        }
    }
}

/// The form in which codes, names and aliases are compared: lower case, letters and digits
/// only, so `IPA II 2017`, `ipa-ii-2017` and `IPA-II-2017` meet.
#[must_use]
pub fn lookup_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl<E: Entry> Registry<E> {
    /// Indexes the entries; on a repeated code or alias the first one wins.
    #[must_use]
    pub fn new(entries: Vec<E>) -> Self {
        let mut by_code = HashMap::new();
        let mut by_key = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            by_code.entry(entry.code().value.clone()).or_insert(index);
        }
        // Codes first, so an alias can never shadow another entry's code.
        for (index, entry) in entries.iter().enumerate() {
            by_key
                .entry(lookup_key(&entry.code().value))
                .or_insert(index);
        }
        for (index, entry) in entries.iter().enumerate() {
            let names = entry.aliases().iter().map(|a| a.value.as_str());
            for name in names.chain([entry.name()]) {
                let key = lookup_key(name);
                if !key.is_empty() {
                    by_key.entry(key).or_insert(index);
                }
            }
        }
        Self {
            entries,
            by_code,
            by_key,
        }
    }

    /// All entries, in file order.
    #[must_use]
    pub fn entries(&self) -> &[E] {
        &self.entries
    }

    /// The entry with exactly this code.
    #[must_use]
    pub fn get(&self, code: &str) -> Option<&E> {
        self.by_code.get(code).map(|&i| &self.entries[i])
    }

    /// The position in [`Registry::entries`] of the entry with exactly this code.
    #[must_use]
    pub fn index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The entry a person means by `text`: its code, an alias or its name, in any case and
    /// spacing.
    #[must_use]
    pub fn resolve(&self, text: &str) -> Option<&E> {
        self.get(text).or_else(|| {
            self.by_key
                .get(&lookup_key(text))
                .map(|&i| &self.entries[i])
        })
    }

    /// The entry whose code, alias or name is `text` as written, in any case and spacing
    /// but with its punctuation: for a text that may be a list (`ALB, MNE`), which
    /// [`Registry::resolve`] would read as the one code its letters spell (`ALB-MNE`).
    #[must_use]
    pub fn resolve_as_written(&self, text: &str) -> Option<&E> {
        let form = |t: &str| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let wanted = form(text);
        self.entries.iter().find(|entry| {
            let aliases = entry.aliases().iter().map(|a| a.value.as_str());
            [entry.code().value.as_str(), entry.name()]
                .into_iter()
                .chain(aliases)
                .any(|spelling| form(spelling) == wanted)
        })
    }

    /// The code closest to a misspelt `text`, for a "did you mean" hint.
    #[must_use]
    pub fn suggest(&self, text: &str) -> Option<&str> {
        let wanted = lookup_key(text);
        if wanted.is_empty() {
            return None;
        }
        let mut best: Option<(f64, &str)> = None;
        for entry in &self.entries {
            let spellings = entry.aliases().iter().map(|a| a.value.as_str());
            for spelling in spellings.chain([entry.code().value.as_str(), entry.name()]) {
                let score = strsim::normalized_damerau_levenshtein(&wanted, &lookup_key(spelling));
                if score >= 0.6 && best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, entry.code().value.as_str()));
                }
            }
        }
        best.map(|(_, code)| code)
    }
}

impl Registry<Place> {
    /// The codes of `code` and of every place inside it, however deep.
    #[must_use]
    pub fn within_closure(&self, code: &str) -> HashSet<String> {
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for place in &self.entries {
            for parent in &place.within {
                children
                    .entry(parent.value.as_str())
                    .or_default()
                    .push(place.code.value.as_str());
            }
        }
        let mut seen = HashSet::from([code.to_string()]);
        let mut queue = VecDeque::from([code]);
        while let Some(next) = queue.pop_front() {
            for child in children.get(next).into_iter().flatten() {
                if seen.insert((*child).to_string()) {
                    queue.push_back(child);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(text: &str) -> Sp<String> {
        Sp::new(text.to_string(), crate::model::Pos::default())
    }

    fn place(code: &str, name: &str, within: &[&str], aliases: &[&str]) -> Place {
        Place {
            code: sp(code),
            name: sp(name),
            kind: None,
            within: within.iter().map(|w| sp(w)).collect(),
            iso: None,
            aliases: aliases.iter().map(|a| sp(a)).collect(),
        }
    }

    fn places() -> Registry<Place> {
        Registry::new(vec![
            place("WB", "Western Balkans", &[], &[]),
            place("ALB", "Albania", &["WB"], &[]),
            place("GRC", "Greece", &[], &["GRE"]),
            place("MKD", "North Macedonia", &["WB"], &["FYROM"]),
            place("ALB-GRE", "Albania–Greece border", &["ALB", "GRC"], &[]),
            place(
                "MKD-GRE",
                "North Macedonia–Greece border",
                &["MKD", "GRC"],
                &["FYROM-GRE"],
            ),
        ])
    }

    #[test]
    fn resolves_codes_aliases_and_names() {
        let places = places();
        let code = |text: &str| places.resolve(text).map(|p| p.code.value.as_str());
        assert_eq!(code("ALB"), Some("ALB"));
        assert_eq!(code("alb"), Some("ALB"));
        assert_eq!(code("FYROM"), Some("MKD"));
        assert_eq!(code("fyrom-gre"), Some("MKD-GRE"));
        assert_eq!(code("north macedonia"), Some("MKD"));
        assert_eq!(code("GRE"), Some("GRC"));
        assert_eq!(code("Narnia"), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn suggests_close_codes_only() {
        let places = places();
        assert_eq!(places.suggest("ALBB"), Some("ALB"));
        assert_eq!(places.suggest("Albnia"), Some("ALB"));
        assert_eq!(places.suggest("zzzzzz"), None);
    }

    #[test]
    fn within_closure_descends_through_every_level() {
        let places = places();
        let mut wb: Vec<_> = places.within_closure("WB").into_iter().collect();
        wb.sort();
        assert_eq!(wb, ["ALB", "ALB-GRE", "MKD", "MKD-GRE", "WB"]);
        let mut grc: Vec<_> = places.within_closure("GRC").into_iter().collect();
        grc.sort();
        assert_eq!(grc, ["ALB-GRE", "GRC", "MKD-GRE"]);
    }

    #[test]
    fn within_closure_survives_cycles() {
        let places = Registry::new(vec![
            place("A", "A", &["B"], &[]),
            place("B", "B", &["A"], &[]),
        ]);
        assert_eq!(places.within_closure("A").len(), 2);
    }
}

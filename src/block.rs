//! Block: candidate pairs from a union of blocking rules, each pair once. Blocks of common names
//! (Nguyễn Văn Hùng born 1985) are split by the middle name, and capped if still too big.
use crate::normalize::{PartialDate, PersonalId};
use crate::places::PlaceRef;
use crate::rules::{Blocking, BlockingRule};
use crate::subjects::intern::{FastMap, NONE, NameTable, hash_str, mix};
use crate::subjects::{Dataset, PersonRec, Subject};
use rayon::prelude::*;
use serde::Serialize;

/// The keys a blocking rule may use.
pub const KEYS: [&str; 15] = [
    "id",
    "cmnd",
    "birth_year",
    "dob",
    "birth_md",
    "family",
    "given",
    "middle",
    "name_phonetic",
    "given_phonetic",
    "name_sorted",
    "mother",
    "spouse",
    "birth_district",
    "birth_province",
];

/// What a key is computed from, for subjects and persons alike.
struct KeySource<'a> {
    name: u32,
    mother: u32,
    spouse: u32,
    dob: Option<PartialDate>,
    id: Option<PersonalId>,
    cmnd: Option<u32>,
    birth_place: Option<&'a PlaceRef>,
}

/// A blocking key, compiled from its name once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Id,
    Cmnd,
    BirthYear,
    Dob,
    BirthMd,
    Family,
    Given,
    Middle,
    NamePhonetic,
    GivenPhonetic,
    NameSorted,
    Mother,
    Spouse,
    BirthDistrict,
    BirthProvince,
}

impl Key {
    fn parse(k: &str) -> Option<Key> {
        Some(match k {
            "id" => Key::Id,
            "cmnd" => Key::Cmnd,
            "birth_year" => Key::BirthYear,
            "dob" => Key::Dob,
            "birth_md" => Key::BirthMd,
            "family" => Key::Family,
            "given" => Key::Given,
            "middle" => Key::Middle,
            "name_phonetic" => Key::NamePhonetic,
            "given_phonetic" => Key::GivenPhonetic,
            "name_sorted" => Key::NameSorted,
            "mother" => Key::Mother,
            "spouse" => Key::Spouse,
            "birth_district" => Key::BirthDistrict,
            "birth_province" => Key::BirthProvince,
            _ => return None,
        })
    }
}

fn relative_key(names: &NameTable, n: u32) -> Option<u64> {
    (n != NONE).then(|| {
        mix(
            names.names[n as usize].k_family,
            names.names[n as usize].k_given,
        )
    })
}

fn key_part(k: Key, s: &KeySource, names: &NameTable) -> Option<u64> {
    let name = (s.name != NONE).then(|| &names.names[s.name as usize]);
    Some(match k {
        Key::Id => s.id?.value(),
        Key::Cmnd => s.cmnd? as u64,
        Key::BirthYear => s.dob?.year as u64,
        Key::BirthMd => {
            let d = s
                .dob
                .filter(|d| d.precision() == crate::normalize::Precision::Day)?;
            (d.month as u64) << 8 | d.day as u64
        }
        Key::NameSorted => name?.k_sorted,
        Key::Mother => relative_key(names, s.mother)?,
        Key::Spouse => relative_key(names, s.spouse)?,
        Key::Dob => {
            let d = s.dob?;
            (d.year as u64) << 16 | (d.month as u64) << 8 | d.day as u64
        }
        Key::Family => name?.k_family,
        Key::Given => name?.k_given,
        Key::Middle => name?.k_middle,
        Key::NamePhonetic => name?.k_phonetic,
        Key::GivenPhonetic => name?.k_given_phonetic,
        Key::BirthDistrict => s.birth_place?.district? as u64,
        Key::BirthProvince => s.birth_place?.province? as u64,
    })
}

/// A rule with its keys compiled.
struct Compiled {
    seed: u64,
    keys: Vec<Key>,
}

impl Compiled {
    fn new(rule: &BlockingRule) -> Compiled {
        Compiled {
            seed: hash_str(&rule.name),
            // unknown keys are reported when the rules are checked
            keys: rule.keys.iter().filter_map(|k| Key::parse(k)).collect(),
        }
    }
}

fn rule_key(rule: &Compiled, s: &KeySource, names: &NameTable) -> Option<u64> {
    let mut h = rule.seed;
    for &k in &rule.keys {
        h = mix(h, key_part(k, s, names)?);
    }
    Some(h)
}

fn fine_key(base: u64, s: &KeySource, names: &NameTable) -> u64 {
    let middle = if s.name == NONE {
        0
    } else {
        names.names[s.name as usize].k_middle
    };
    mix(base, middle)
}

fn subject_source<'a>(s: &Subject, d: &'a Dataset) -> KeySource<'a> {
    KeySource {
        name: s.name,
        mother: s.mother,
        spouse: s.spouse,
        dob: s.dob,
        id: s.id,
        cmnd: s.cmnd,
        birth_place: (s.birth_place != NONE).then(|| &d.places[s.birth_place as usize]),
    }
}

fn person_source<'a>(p: &PersonRec, d: &'a Dataset) -> KeySource<'a> {
    KeySource {
        name: p.name,
        mother: p.mother,
        spouse: p.spouse,
        dob: p.dob,
        id: p.id,
        cmnd: p.cmnd,
        birth_place: (p.birth_place != NONE).then(|| &d.places[p.birth_place as usize]),
    }
}

/// Blocks in compressed form: key → range of `persons`.
#[derive(Default)]
struct Index {
    ranges: FastMap<u64, (u32, u32)>,
    persons: Vec<u32>,
}

impl Index {
    fn build(mut pairs: Vec<(u64, u32)>) -> Index {
        pairs.par_sort_unstable();
        let mut ranges = FastMap::with_capacity_and_hasher(pairs.len() / 2, Default::default());
        let mut start = 0usize;
        for i in 1..=pairs.len() {
            if i == pairs.len() || pairs[i].0 != pairs[start].0 {
                ranges.insert(pairs[start].0, (start as u32, i as u32));
                start = i;
            }
        }
        Index {
            ranges,
            persons: pairs.into_iter().map(|(_, p)| p).collect(),
        }
    }
    fn get(&self, k: u64) -> &[u32] {
        match self.ranges.get(&k) {
            Some(&(a, b)) => &self.persons[a as usize..b as usize],
            None => &[],
        }
    }
}

struct RuleIndex {
    rule: BlockingRule,
    compiled: Compiled,
    base: Index,
    fine: Index,
    split_blocks: usize,
}

/// Pairs per rule, as the summary reports them.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RuleStats {
    /// the rule
    pub name: String,
    /// pairs the rule produced (before de-duplication across rules)
    pub pairs: u64,
    /// pairs no earlier rule had produced
    pub new_pairs: u64,
    /// blocks bigger than `max_block_size`, split by the middle name
    pub split_blocks: usize,
    /// subjects whose block was still bigger than `hard_cap` after the split (capped)
    pub capped_lookups: u64,
}

/// The blocking indexes over the registry's persons.
pub struct Blocker {
    rules: Vec<RuleIndex>,
    settings: Blocking,
}

impl Blocker {
    /// Index the persons for every rule.
    pub fn new(data: &Dataset, settings: &Blocking) -> Blocker {
        let rules = settings
            .rule
            .iter()
            .map(|rule| {
                let compiled = Compiled::new(rule);
                let pairs: Vec<(u64, u32)> = data
                    .persons
                    .par_iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        rule_key(&compiled, &person_source(p, data), &data.names)
                            .map(|k| (k, i as u32))
                    })
                    .collect();
                let base = Index::build(pairs);
                // oversized blocks get a finer index by middle name
                let big: Vec<u64> = base
                    .ranges
                    .iter()
                    .filter(|(_, (a, b))| (b - a) as usize > settings.max_block_size)
                    .map(|(k, _)| *k)
                    .collect();
                let mut fine_pairs = Vec::new();
                for k in &big {
                    for &p in base.get(*k) {
                        fine_pairs.push((
                            fine_key(
                                *k,
                                &person_source(&data.persons[p as usize], data),
                                &data.names,
                            ),
                            p,
                        ));
                    }
                }
                RuleIndex {
                    rule: rule.clone(),
                    compiled,
                    split_blocks: big.len(),
                    base,
                    fine: Index::build(fine_pairs),
                }
            })
            .collect();
        Blocker {
            rules,
            settings: settings.clone(),
        }
    }

    /// The candidate persons of a subject (sorted, each once), with the first rule that found each;
    /// adds to the per-rule statistics.
    pub fn candidates(
        &self,
        s: &Subject,
        data: &Dataset,
        stats: &mut [RuleStats],
    ) -> Vec<(u32, u8)> {
        let src = subject_source(s, data);
        let mut out: Vec<(u32, u8)> = Vec::new();
        for (ri, r) in self.rules.iter().enumerate() {
            let Some(k) = rule_key(&r.compiled, &src, &data.names) else {
                continue;
            };
            let mut block = r.base.get(k);
            if block.len() > self.settings.max_block_size {
                block = r.fine.get(fine_key(k, &src, &data.names));
                if block.len() > self.settings.hard_cap {
                    block = &block[..self.settings.hard_cap];
                    stats[ri].capped_lookups += 1;
                }
            }
            stats[ri].pairs += block.len() as u64;
            out.extend(block.iter().map(|&p| (p, ri as u8)));
        }
        // each person once, credited to a training rule when one found it
        out.sort_unstable_by_key(|&(p, ri)| (p, !self.rules[ri as usize].rule.train, ri));
        out.dedup_by_key(|x| x.0);
        for &(_, ri) in &out {
            stats[ri as usize].new_pairs += 1;
        }
        out
    }

    /// True when the pairs of rule `ri` train the model.
    pub fn trains(&self, ri: u8) -> bool {
        self.rules[ri as usize].rule.train
    }

    /// Empty statistics, one per rule.
    pub fn new_stats(&self) -> Vec<RuleStats> {
        self.rules
            .iter()
            .map(|r| RuleStats {
                name: r.rule.name.clone(),
                split_blocks: r.split_blocks,
                ..RuleStats::default()
            })
            .collect()
    }
}

/// Add up per-thread statistics.
pub fn merge_stats(a: &mut [RuleStats], b: &[RuleStats]) {
    for (x, y) in a.iter_mut().zip(b) {
        x.pairs += y.pairs;
        x.new_pairs += y.new_pairs;
        x.capped_lookups += y.capped_lookups;
    }
}

//! Block: candidate pairs from a union of blocking rules, each pair once. Blocks of common names
//! (Nguyễn Văn Hùng born 1985) are split by the middle name, and capped if still too big.
use crate::normalize::{PartialDate, PersonalId};
use crate::places::PlaceRef;
use crate::rules::{Blocking, BlockingRule};
use crate::subjects::intern::{NONE, NameTable, hash_str, mix};
use crate::subjects::{Dataset, PersonRec, Subject};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

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

fn key_part(k: &str, s: &KeySource, names: &NameTable) -> Option<u64> {
    let name = (s.name != NONE).then(|| &names.names[s.name as usize]);
    Some(match k {
        "id" => s.id?.value(),
        "cmnd" => s.cmnd? as u64,
        "birth_year" => s.dob?.year as u64,
        "birth_md" => {
            let d = s
                .dob
                .filter(|d| d.precision() == crate::normalize::Precision::Day)?;
            (d.month as u64) << 8 | d.day as u64
        }
        "name_sorted" => name?.k_sorted,
        "mother" => (s.mother != NONE).then(|| {
            mix(
                names.names[s.mother as usize].k_family,
                names.names[s.mother as usize].k_given,
            )
        })?,
        "spouse" => (s.spouse != NONE).then(|| {
            mix(
                names.names[s.spouse as usize].k_family,
                names.names[s.spouse as usize].k_given,
            )
        })?,
        "dob" => {
            let d = s.dob?;
            (d.year as u64) << 16 | (d.month as u64) << 8 | d.day as u64
        }
        "family" => name?.k_family,
        "given" => name?.k_given,
        "middle" => name?.k_middle,
        "name_phonetic" => name?.k_phonetic,
        "given_phonetic" => name?.k_given_phonetic,
        "birth_district" => s.birth_place?.district? as u64,
        "birth_province" => s.birth_place?.province? as u64,
        _ => return None,
    })
}

fn rule_key(rule: &BlockingRule, s: &KeySource, names: &NameTable) -> Option<u64> {
    let mut h = hash_str(&rule.name);
    for k in &rule.keys {
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
    ranges: HashMap<u64, (u32, u32)>,
    persons: Vec<u32>,
}

impl Index {
    fn build(mut pairs: Vec<(u64, u32)>) -> Index {
        pairs.par_sort_unstable();
        let mut ranges = HashMap::with_capacity(pairs.len() / 2);
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
                let pairs: Vec<(u64, u32)> = data
                    .persons
                    .par_iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        rule_key(rule, &person_source(p, data), &data.names).map(|k| (k, i as u32))
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
            let Some(k) = rule_key(&r.rule, &src, &data.names) else {
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
        out.sort_unstable();
        out.dedup_by_key(|x| x.0);
        for &(_, ri) in &out {
            stats[ri as usize].new_pairs += 1;
        }
        out
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

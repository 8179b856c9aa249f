//! Block: candidate pairs from a union of blocking rules, each pair once. Blocks of common names
//! (Nguyễn Văn Hùng born 1985) are split by the middle name, and capped if still too big.
use crate::hash::{FastMap, hash_str, mix};
use crate::normalize::Precision;
use crate::settings::{BlockKey, BlockRule, Blocking};
use crate::subjects::names::NameTable;
use crate::subjects::{Dataset, Facts, NameId, PersonIdx, Subject};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

fn relative_key(names: &NameTable, n: Option<NameId>) -> Option<u64> {
    n.map(|n| {
        let e = names.get(n);
        mix(e.k_family, e.k_given)
    })
}

fn key_part(k: BlockKey, f: &Facts, data: &Dataset) -> Option<u64> {
    let names = &data.names;
    let name = f.name.map(|n| names.get(n));
    let birth_place = f.birth_place.map(|p| data.place(p));
    Some(match k {
        BlockKey::Id => f.id?.value(),
        BlockKey::Cmnd => f.cmnd? as u64,
        BlockKey::BirthYear => f.dob?.year as u64,
        BlockKey::BirthMd => {
            let d = f.dob.filter(|d| d.precision() == Precision::Day)?;
            (d.month as u64) << 8 | d.day as u64
        }
        BlockKey::NameSorted => name?.k_sorted,
        BlockKey::Mother => relative_key(names, f.mother)?,
        BlockKey::Spouse => relative_key(names, f.spouse)?,
        BlockKey::Dob => {
            let d = f.dob?;
            (d.year as u64) << 16 | (d.month as u64) << 8 | d.day as u64
        }
        BlockKey::Family => name?.k_family,
        BlockKey::Given => name?.k_given,
        BlockKey::Middle => name?.k_middle,
        BlockKey::NamePhonetic => name?.k_phonetic,
        BlockKey::GivenPhonetic => name?.k_given_phonetic,
        BlockKey::BirthDistrict => birth_place?.district? as u64,
        BlockKey::BirthProvince => birth_place?.province? as u64,
    })
}

/// The key of a rule for one record's facts (`None` when a key has no value).
fn rule_key(seed: u64, keys: &[BlockKey], f: &Facts, data: &Dataset) -> Option<u64> {
    let mut h = seed;
    for &k in keys {
        h = mix(h, key_part(k, f, data)?);
    }
    Some(h)
}

/// The finer key of an oversized block: the middle name.
fn fine_key(base: u64, f: &Facts, data: &Dataset) -> u64 {
    mix(base, f.name.map_or(0, |n| data.names.get(n).k_middle))
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
    rule: BlockRule,
    seed: u64,
    base: Index,
    fine: Index,
    split_blocks: usize,
}

/// Pairs per rule, as the summary reports them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
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
            .rules
            .iter()
            .map(|rule| {
                let seed = hash_str(&rule.name);
                let pairs: Vec<(u64, u32)> = data
                    .persons
                    .par_iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        rule_key(seed, &rule.keys, &p.facts, data).map(|k| (k, i as u32))
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
                        fine_pairs.push((fine_key(*k, &data.persons[p as usize].facts, data), p));
                    }
                }
                RuleIndex {
                    rule: rule.clone(),
                    seed,
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
    ) -> Vec<(PersonIdx, u8)> {
        let mut buf = Vec::new();
        self.candidates_into(s, data, stats, &mut buf);
        buf.iter().map(|&c| Self::unpack(c)).collect()
    }

    /// A candidate as the buffer of [`Blocker::candidates_into`] holds it.
    #[inline]
    pub fn unpack(c: u64) -> (PersonIdx, u8) {
        (PersonIdx::new((c >> 16) as usize), c as u8)
    }

    /// [`Blocker::candidates`] into a reused buffer, each candidate packed as
    /// `person << 16 | (not training) << 8 | rule` (see [`Blocker::unpack`]): one integer sort
    /// puts each person once, credited to a training rule when one found it.
    pub fn candidates_into(
        &self,
        s: &Subject,
        data: &Dataset,
        stats: &mut [RuleStats],
        out: &mut Vec<u64>,
    ) {
        out.clear();
        for (ri, r) in self.rules.iter().enumerate() {
            let Some(k) = rule_key(r.seed, &r.rule.keys, &s.facts, data) else {
                continue;
            };
            let mut block = r.base.get(k);
            if block.len() > self.settings.max_block_size {
                block = r.fine.get(fine_key(k, &s.facts, data));
                if block.len() > self.settings.hard_cap {
                    block = &block[..self.settings.hard_cap];
                    stats[ri].capped_lookups += 1;
                }
            }
            stats[ri].pairs += block.len() as u64;
            let tag = ((!r.rule.train) as u64) << 8 | ri as u64;
            out.extend(block.iter().map(|&p| (p as u64) << 16 | tag));
        }
        out.sort_unstable();
        out.dedup_by_key(|c| *c >> 16);
        for &c in out.iter() {
            stats[(c & 0xFF) as usize].new_pairs += 1;
        }
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

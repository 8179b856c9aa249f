//! Block: candidate pairs from a union of blocking rules, each pair once. Blocks of common names
//! (Nguyễn Văn Hùng born 1985) are split by the middle name, and capped if still too big.
use crate::hash::{hash_str, mix};
use crate::normalize::Precision;
use crate::settings::{BlockKey, BlockRule, Blocking};
use crate::subjects::names::NameEntry;
use crate::subjects::{Dataset, Facts, NameId, PersonIdx, Subject};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What a record's keys read, looked up once for all the rules: its name's entry, its mother's
/// and spouse's, its birth place (every rule read them again before: a random read each, for
/// the subjects, whose names lie all over the table).
struct Parts<'a> {
    f: &'a Facts,
    name: Option<&'a NameEntry>,
    mother: Option<u64>,
    spouse: Option<u64>,
    birth: Option<&'a crate::places::PlaceRef>,
}

impl<'a> Parts<'a> {
    fn of(f: &'a Facts, data: &'a Dataset) -> Parts<'a> {
        let names = &data.names;
        let relative = |n: Option<NameId>| {
            n.map(|n| {
                let e = names.get(n);
                mix(e.k_family, e.k_given)
            })
        };
        Parts {
            f,
            name: f.name.map(|n| names.get(n)),
            mother: relative(f.mother),
            spouse: relative(f.spouse),
            birth: f.birth_place.map(|p| data.place(p)),
        }
    }

    fn part(&self, k: BlockKey) -> Option<u64> {
        let f = self.f;
        Some(match k {
            BlockKey::Id => f.id?.value(),
            BlockKey::Cmnd => f.cmnd? as u64,
            BlockKey::BirthYear => f.dob?.year as u64,
            BlockKey::BirthMd => {
                let d = f.dob.filter(|d| d.precision() == Precision::Day)?;
                (d.month as u64) << 8 | d.day as u64
            }
            BlockKey::NameSorted => self.name?.k_sorted,
            BlockKey::Mother => self.mother?,
            BlockKey::Spouse => self.spouse?,
            BlockKey::Dob => {
                let d = f.dob?;
                (d.year as u64) << 16 | (d.month as u64) << 8 | d.day as u64
            }
            BlockKey::Family => self.name?.k_family,
            BlockKey::Given => self.name?.k_given,
            BlockKey::Middle => self.name?.k_middle,
            BlockKey::NamePhonetic => self.name?.k_phonetic,
            BlockKey::GivenPhonetic => self.name?.k_given_phonetic,
            BlockKey::BirthDistrict => self.birth?.district? as u64,
            BlockKey::BirthProvince => self.birth?.province? as u64,
        })
    }

    /// The key of a rule (`None` when a key has no value).
    fn key(&self, seed: u64, keys: &[BlockKey]) -> Option<u64> {
        let mut h = seed;
        for &k in keys {
            h = mix(h, self.part(k)?);
        }
        Some(h)
    }
}

/// The key of a rule for one record's facts (`None` when a key has no value).
fn rule_key(seed: u64, keys: &[BlockKey], f: &Facts, data: &Dataset) -> Option<u64> {
    Parts::of(f, data).key(seed, keys)
}

/// Every rule's `(key, record)` pairs of the records (those a key has a value for), the records'
/// parts read once for all the rules, in parallel chunks.
fn keys_by_rule<'a>(
    rules: &[(u64, &[BlockKey])],
    records: impl IndexedParallelIterator<Item = &'a Facts>,
    data: &Dataset,
) -> Vec<Vec<(u64, u32)>> {
    const CHUNK: usize = 1 << 14;
    let parts: Vec<Vec<Vec<(u64, u32)>>> = records
        .enumerate()
        .chunks(CHUNK)
        .map(|chunk| {
            let mut out: Vec<Vec<(u64, u32)>> = rules
                .iter()
                .map(|_| Vec::with_capacity(chunk.len()))
                .collect();
            for (i, f) in chunk {
                let p = Parts::of(f, data);
                for (o, &(seed, keys)) in out.iter_mut().zip(rules) {
                    if let Some(k) = p.key(seed, keys) {
                        o.push((k, i as u32));
                    }
                }
            }
            out
        })
        .collect();
    (0..rules.len())
        .map(|r| {
            let mut all = Vec::with_capacity(parts.iter().map(|p| p[r].len()).sum());
            for p in &parts {
                all.extend_from_slice(&p[r]);
            }
            all
        })
        .collect()
}

/// `(key, record)` pairs whose records increase (as [`keys_by_rule`] gives them) sorted by key
/// and record: a stable least-significant-digit radix sort of the keys, a byte a pass (a pass
/// skipped when every key has the same byte there), keeping the records' order among equal keys.
/// A rule's keys are hashes over millions of records, where comparison sorting cost several
/// times more.
fn sort_by_key(mut v: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    debug_assert!(v.windows(2).all(|w| w[0].1 < w[1].1));
    let n = v.len();
    if n < 1 << 12 {
        v.sort_unstable();
        return v;
    }
    let mut counts = [[0u32; 256]; 8];
    for &(k, _) in &v {
        for (b, c) in counts.iter_mut().enumerate() {
            c[(k >> (8 * b)) as u8 as usize] += 1;
        }
    }
    let mut out = vec![(0u64, 0u32); n];
    for (b, c) in counts.iter().enumerate() {
        if c.iter().any(|&x| x as usize == n) {
            continue;
        }
        let mut at = [0u32; 256];
        let mut sum = 0;
        for (a, &x) in at.iter_mut().zip(c) {
            *a = sum;
            sum += x;
        }
        for &(k, r) in &v {
            let d = (k >> (8 * b)) as u8 as usize;
            out[at[d] as usize] = (k, r);
            at[d] += 1;
        }
        std::mem::swap(&mut v, &mut out);
    }
    v
}

/// The finer key of an oversized block: the middle name.
fn fine_key(base: u64, f: &Facts, data: &Dataset) -> u64 {
    mix(base, f.name.map_or(0, |n| data.names.get(n).k_middle))
}

/// Blocks in compressed form: the distinct keys, sorted, each with the end of its run of persons
/// in the rule's `persons` (a run starts where the previous one ends, the first at `base`). Sorted
/// keys are looked up by a merge with the subjects' sorted keys ([`Blocker::spans`]) — no hash
/// table, no random probe per subject and rule — or, for one subject, by binary search.
#[derive(Default)]
struct Index {
    base: u32,
    keys: Vec<u64>,
    ends: Vec<u32>,
}

impl Index {
    /// The index of `(key, person)` pairs sorted by key and person, the persons appended to
    /// `persons` in that order.
    fn build(pairs: Vec<(u64, u32)>, persons: &mut Vec<u32>) -> Index {
        debug_assert!(pairs.is_sorted());
        let base = persons.len() as u32;
        let mut index = Index {
            base,
            keys: Vec::new(),
            ends: Vec::new(),
        };
        for (i, w) in pairs.windows(2).enumerate() {
            if w[0].0 != w[1].0 {
                index.keys.push(w[0].0);
                index.ends.push(base + i as u32 + 1);
            }
        }
        if let Some(last) = pairs.last() {
            index.keys.push(last.0);
            index.ends.push(base + pairs.len() as u32);
        }
        persons.extend(pairs.iter().map(|&(_, p)| p));
        index
    }
    /// The run of the `i`-th key.
    fn run(&self, i: usize) -> Span {
        let start = if i == 0 { self.base } else { self.ends[i - 1] };
        (start, self.ends[i] - start)
    }
    /// The run of a key (empty when no person has it).
    fn find(&self, k: u64) -> Span {
        self.keys.binary_search(&k).map_or((0, 0), |i| self.run(i))
    }
    /// The runs of sorted keys (`keys[i].0`), merged with this index's sorted keys: `f(i, run)`
    /// for each key that has one.
    fn merge(&self, keys: &[(u64, u32)], mut f: impl FnMut(usize, Span)) {
        let mut j = 0;
        for (i, &(k, _)) in keys.iter().enumerate() {
            while j < self.keys.len() && self.keys[j] < k {
                j += 1;
            }
            if j < self.keys.len() && self.keys[j] == k {
                f(i, self.run(j));
            }
        }
    }
}

/// A run of a rule's persons: start and length.
type Span = (u32, u32);

struct RuleIndex {
    rule: BlockRule,
    seed: u64,
    /// the persons of `base`'s runs, then those of `fine`'s
    persons: Vec<u32>,
    base: Index,
    fine: Index,
    split_blocks: usize,
}

impl RuleIndex {
    fn block(&self, s: Span) -> &[u32] {
        &self.persons[s.0 as usize..(s.0 + s.1) as usize]
    }
    /// The rule's statistics before any subject.
    fn new_stats(&self) -> RuleStats {
        RuleStats {
            name: self.rule.name.clone(),
            split_blocks: self.split_blocks,
            ..RuleStats::default()
        }
    }
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

/// Every subject's block under every rule, for subjects in a given order ([`Blocker::spans`]).
pub struct Spans {
    /// per rule, per subject
    spans: Vec<Vec<Span>>,
    /// pairs and capped lookups per rule (`new_pairs` are counted as candidates are gathered)
    stats: Vec<RuleStats>,
}

impl Spans {
    /// The statistics of the spans (pairs, capped lookups), the spans freed.
    pub fn into_stats(self) -> Vec<RuleStats> {
        self.stats
    }
}

impl Blocker {
    /// Index the persons for every rule.
    pub fn new(data: &Dataset, settings: &Blocking) -> Blocker {
        let seeds: Vec<(u64, &[BlockKey])> = settings
            .rules
            .iter()
            .map(|r| (hash_str(&r.name), r.keys.as_slice()))
            .collect();
        let keys = keys_by_rule(&seeds, data.persons.par_iter().map(|p| &p.facts), data);
        // the rules side by side: a rule's radix sort, runs and split run on one core
        let rules = settings
            .rules
            .par_iter()
            .zip(keys)
            .map(|(rule, pairs)| {
                let seed = hash_str(&rule.name);
                let mut persons = Vec::with_capacity(pairs.len());
                let base = Index::build(sort_by_key(pairs), &mut persons);
                // oversized blocks get a finer index by middle name
                let mut split_blocks = 0;
                let mut fine_pairs = Vec::new();
                for (i, &k) in base.keys.iter().enumerate() {
                    let run = base.run(i);
                    if run.1 as usize > settings.max_block_size {
                        split_blocks += 1;
                        for &p in &persons[run.0 as usize..(run.0 + run.1) as usize] {
                            let f = fine_key(k, &data.persons[p as usize].facts, data);
                            fine_pairs.push((f, p));
                        }
                    }
                }
                fine_pairs.par_sort_unstable();
                let fine = Index::build(fine_pairs, &mut persons);
                RuleIndex {
                    rule: rule.clone(),
                    seed,
                    persons,
                    base,
                    fine,
                    split_blocks,
                }
            })
            .collect();
        Blocker {
            rules,
            settings: settings.clone(),
        }
    }

    /// A block bigger than `hard_cap` (after the split) is cut to its first `hard_cap` persons.
    fn capped(&self, mut s: Span, stats: &mut RuleStats) -> Span {
        if s.1 as usize > self.settings.hard_cap {
            s.1 = self.settings.hard_cap as u32;
            stats.capped_lookups += 1;
        }
        s
    }

    /// The block of one subject under rule `r`, found by binary search.
    fn block_of(&self, r: &RuleIndex, s: &Subject, data: &Dataset, stats: &mut RuleStats) -> Span {
        let Some(k) = rule_key(r.seed, &r.rule.keys, &s.facts, data) else {
            return (0, 0);
        };
        let span = r.base.find(k);
        if span.1 as usize <= self.settings.max_block_size {
            return span;
        }
        self.capped(r.fine.find(fine_key(k, &s.facts, data)), stats)
    }

    /// The blocks of every subject under every rule, kept at the subject's place `at[i]` in the
    /// order the subjects will be compared: each rule's keys of the subjects (read in their own
    /// order, sequentially) sorted and merged with the rule's sorted keys, the rules side by side.
    pub fn spans(&self, data: &Dataset, at: &[u32]) -> Spans {
        let subjects = &data.subjects;
        let seeds: Vec<(u64, &[BlockKey])> = self
            .rules
            .iter()
            .map(|r| (r.seed, r.rule.keys.as_slice()))
            .collect();
        let keys = keys_by_rule(&seeds, subjects.par_iter().map(|s| &s.facts), data);
        let (spans, stats) = self
            .rules
            .par_iter()
            .zip(keys)
            .map(|(r, keys)| {
                let mut stats = r.new_stats();
                let keys = sort_by_key(keys);
                let mut spans = vec![(0u32, 0u32); subjects.len()];
                let mut big = Vec::new();
                r.base.merge(&keys, |j, run| {
                    let (k, i) = keys[j];
                    if run.1 as usize > self.settings.max_block_size {
                        big.push((fine_key(k, &subjects[i as usize].facts, data), i));
                    } else {
                        spans[at[i as usize] as usize] = run;
                    }
                });
                big.sort_unstable();
                r.fine.merge(&big, |j, run| {
                    spans[at[big[j].1 as usize] as usize] = self.capped(run, &mut stats);
                });
                stats.pairs = spans.iter().map(|s| s.1 as u64).sum();
                (spans, stats)
            })
            .unzip();
        Spans { spans, stats }
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
            let span = self.block_of(r, s, data, &mut stats[ri]);
            stats[ri].pairs += span.1 as u64;
            self.push(ri, span, out);
        }
        Self::dedup(out, stats);
    }

    /// The candidates of the subject at place `i` of [`Blocker::spans`], as
    /// [`Blocker::candidates_into`] gives them; adds its new pairs to `stats` (the others are in
    /// `spans.stats`).
    pub fn candidates_at(
        &self,
        spans: &Spans,
        i: usize,
        stats: &mut [RuleStats],
        out: &mut Vec<u64>,
    ) {
        out.clear();
        for (ri, s) in spans.spans.iter().enumerate() {
            self.push(ri, s[i], out);
        }
        Self::dedup(out, stats);
    }

    fn push(&self, ri: usize, span: Span, out: &mut Vec<u64>) {
        let r = &self.rules[ri];
        let tag = ((!r.rule.train) as u64) << 8 | ri as u64;
        out.extend(r.block(span).iter().map(|&p| (p as u64) << 16 | tag));
    }

    fn dedup(out: &mut Vec<u64>, stats: &mut [RuleStats]) {
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
        self.rules.iter().map(RuleIndex::new_stats).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The radix sort gives what sorting by key and record gives: keys random, few, equal, and
    /// alike in all but one byte, short lists and long.
    #[test]
    fn keys_sorted_by_radix_as_by_comparison() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for n in [0, 1, 5, 4095, 4096, 20_000, 100_000] {
            for kind in 0..4 {
                let v: Vec<(u64, u32)> = (0..n as u32)
                    .map(|i| {
                        let r = next();
                        let k = match kind {
                            0 => r,
                            1 => r % 37,
                            2 => 42,
                            _ => 0xABCD_0000_0000_0000 | (r & 0xFF) << 16,
                        };
                        (k, i * 3)
                    })
                    .collect();
                let mut want = v.clone();
                want.sort_unstable();
                assert_eq!(sort_by_key(v), want, "n {n} kind {kind}");
            }
        }
    }
}

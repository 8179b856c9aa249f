//! Term frequencies of family and given names among the registry's persons: agreement on a rare
//! name is worth more than on Nguyễn (38 % of the country).
use super::em::FLOOR;
use super::model::Model;
use crate::compare::{Cmp, Gamma};
use crate::subjects::{Dataset, PersonIdx};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// The smallest term frequency used (a name seen once in a small extract is not impossible).
const TF_MIN: f64 = 1e-5;

/// Per person, the adjustments (log2) its family name and its given name bring to a pair that
/// agrees on them, under one model: read once per candidate pair, so kept side by side in a
/// 16-byte slot (not looked up through the person and the name table at every pair).
pub struct TermFrequencies {
    bits: Vec<[f64; 2]>,
}

impl TermFrequencies {
    /// Count over the persons, and weigh each person's names under `model`: the person's name
    /// frequency replaces the average frequency of agreement (the exact level's u), so that
    /// agreement on a rare name weighs more.
    pub fn new(data: &Dataset, model: &Model) -> TermFrequencies {
        if !model.tf_adjustment {
            return TermFrequencies {
                bits: vec![[0.0; 2]; data.persons.len()],
            };
        }
        // persons per distinct name first (an array), then the names' parts counted from those:
        // a hash a name, not a hash a person (the counts are whole numbers, added exactly)
        let mut per_id = vec![0u32; data.names.names.len()];
        for id in data.persons.iter().filter_map(|p| p.facts.name) {
            per_id[id.index()] += 1;
        }
        let mut family: HashMap<&[u32], f64> = HashMap::default();
        let mut given: HashMap<&[u32], f64> = HashMap::default();
        let mut n: f64 = 0.0;
        for (e, &k) in data.names.names.iter().zip(&per_id) {
            if k > 0 {
                *family.entry(e.family()).or_default() += f64::from(k);
                *given.entry(e.given()).or_default() += f64::from(k);
                n += f64::from(k);
            }
        }
        let n = n.max(1.0);
        let bits = |c: Cmp, count: f64| -> f64 {
            let u = model.comparisons[c as usize].u[0].max(FLOOR);
            (u / (count / n).max(TF_MIN)).log2()
        };
        // per name first (fewer than persons), then per person
        let per_name: Vec<[f64; 2]> = data
            .names
            .names
            .par_iter()
            .map(|e| {
                [
                    bits(Cmp::Family, family.get(e.family()).copied().unwrap_or(0.0)),
                    bits(Cmp::Given, given.get(e.given()).copied().unwrap_or(0.0)),
                ]
            })
            .collect();
        TermFrequencies {
            bits: data
                .persons
                .par_iter()
                .map(|p| p.facts.name.map_or([0.0; 2], |id| per_name[id.index()]))
                .collect(),
        }
    }

    /// Start loading a person's slot (a hint: a pair a few ahead).
    #[inline]
    pub fn prefetch(&self, p: PersonIdx) {
        if let Some(slot) = self.bits.get(p.index()) {
            crate::compare::prefetch(slot);
        }
    }

    /// The adjustments (log2) of a pair whose family and/or given names agree (exactly, or but
    /// for diacritics one side lacks). A name typed without diacritics agrees with the registry's
    /// name as often as an exact one would: its level's own u also holds how rare such typing
    /// is, which the level's m and u weigh.
    #[inline]
    pub fn adjustment(&self, g: &Gamma, p: PersonIdx) -> (f64, f64) {
        let [family, given] = self.bits[p.index()];
        let on = |c: Cmp, b: f64| -> f64 {
            let level = g[c as usize];
            if level == crate::compare::NULL || !crate::compare::name::agrees(level) {
                0.0
            } else {
                b
            }
        };
        (on(Cmp::Family, family), on(Cmp::Given, given))
    }
}

//! Term frequencies of family and given names among the registry's persons: agreement on a rare
//! name is worth more than on Nguyễn (38 % of the country).
use super::em::FLOOR;
use super::model::Model;
use crate::compare::{Cmp, Gamma};
use crate::subjects::{Dataset, Person};
use rustc_hash::FxHashMap as HashMap;

/// The smallest term frequency used (a name seen once in a small extract is not impossible).
const TF_MIN: f64 = 1e-5;

/// Per name id, the share of persons with its family name and with its given name.
pub struct TermFrequencies {
    family: Vec<f64>,
    given: Vec<f64>,
}

impl TermFrequencies {
    /// Count over the persons.
    pub fn new(data: &Dataset) -> TermFrequencies {
        let mut family: HashMap<&[u32], f64> = HashMap::default();
        let mut given: HashMap<&[u32], f64> = HashMap::default();
        let mut n: f64 = 0.0;
        for id in data.persons.iter().filter_map(|p| p.facts.name) {
            let e = data.names.get(id);
            *family.entry(e.family()).or_default() += 1.0;
            *given.entry(e.given()).or_default() += 1.0;
            n += 1.0;
        }
        let n = n.max(1.0);
        let names = &data.names.names;
        TermFrequencies {
            family: names
                .iter()
                .map(|e| family.get(e.family()).copied().unwrap_or(0.0) / n)
                .collect(),
            given: names
                .iter()
                .map(|e| given.get(e.given()).copied().unwrap_or(0.0) / n)
                .collect(),
        }
    }

    /// The adjustments (log2) of a pair whose family and/or given names agree (exactly, or but
    /// for diacritics one side lacks): the person's name frequency replaces the average frequency
    /// of agreement (the exact level's u), so that agreement on a rare name weighs more. A name
    /// typed without diacritics agrees with the registry's name as often as an exact one would:
    /// its level's own u also holds how rare such typing is, which the level's m and u weigh.
    pub fn adjustment(&self, model: &Model, g: &Gamma, p: &Person) -> (f64, f64) {
        let Some(id) = p.facts.name.filter(|_| model.tf_adjustment) else {
            return (0.0, 0.0);
        };
        let adj = |c: Cmp, tf: f64| -> f64 {
            let i = c as usize;
            let level = g[i];
            if level == crate::compare::NULL || !crate::compare::name::agrees(level) {
                return 0.0;
            }
            let u = model.comparisons[i].u[0].max(FLOOR);
            (u / tf.max(TF_MIN)).log2()
        };
        (
            adj(Cmp::Family, self.family[id.index()]),
            adj(Cmp::Given, self.given[id.index()]),
        )
    }
}

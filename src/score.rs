//! Score: the Fellegi–Sunter model. u from seeded random pairs, m and λ by expectation–maximisation
//! over agreement-pattern counts (not over pairs), term-frequency adjustment of exact name
//! agreement. The model saves to and loads from JSON.
use crate::compare::{Comparer, Gamma, N, NULL, SPECS};
use crate::error::{Error, Result};
use crate::subjects::intern::NONE;
use crate::subjects::{Dataset, PersonRec};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One comparison's parameters.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ComparisonParams {
    /// comparison name
    pub name: String,
    /// level labels
    pub levels: Vec<String>,
    /// P(level | match)
    pub m: Vec<f64>,
    /// P(level | non-match)
    pub u: Vec<f64>,
}

/// A trained model.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// format version
    pub version: u32,
    /// prior probability that two random records (a subject and a person) match: λ over the
    /// whole comparison space, as Splink's `probability_two_random_records_match`
    pub lambda: f64,
    /// the share of matches among the candidate pairs EM saw (for information)
    pub lambda_blocked: f64,
    /// per comparison, in vector order
    pub comparisons: Vec<ComparisonParams>,
    /// term-frequency adjustment of exact family/given name agreement
    pub tf_adjustment: bool,
    /// how the model was made
    pub training: Training,
}

/// Provenance of the parameters.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct Training {
    /// seed of the u sampling
    pub seed: u64,
    /// random pairs used for u
    pub u_pairs: u64,
    /// EM iterations run
    pub em_iterations: usize,
    /// EM converged within tolerance
    pub em_converged: bool,
    /// candidate pairs (pattern counts) EM ran over
    pub em_pairs: u64,
    /// distinct agreement patterns
    pub patterns: usize,
    /// "trained", "loaded" or "builtin"
    pub source: String,
    /// comparisons whose trained m was implausible and replaced by the built-in one
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_m: Vec<String>,
}

/// What is known of a subject before any comparison, as bits added to every candidate's weight.
#[derive(Clone, Copy, Debug, Default)]
pub struct Priors {
    /// the registry's baseline date
    pub baseline: Option<crate::normalize::PartialDate>,
    /// bits taken from a death registered before the baseline
    pub dead_before_baseline_bits: f64,
}

impl Priors {
    /// From the job's rules.
    pub fn from_rules(r: &crate::rules::Rules) -> Priors {
        Priors {
            baseline: Some(r.baseline()),
            dead_before_baseline_bits: r.thresholds.dead_before_baseline_bits,
        }
    }

    /// The bits for one subject: a death before the baseline is of a person the registry was not
    /// built to hold.
    pub fn bits(&self, s: &crate::subjects::Subject) -> f64 {
        match (self.baseline, s.event_date) {
            (Some(b), Some(d)) if s.role == crate::subjects::Role::Nkt && d < b => {
                -self.dead_before_baseline_bits
            }
            _ => 0.0,
        }
    }
}

/// Smallest probability kept, so that no log-odds is infinite.
const FLOOR: f64 = 1e-6;

/// Comparisons whose every level happens to true matches, with the least share of matches a
/// level keeps however the training data looked: where someone lives changes between a book
/// and the registry (people move, wives move to the husband's commune), so a different
/// residence must weigh against a link, never veto it.
/// The same holds for an ID copied by hand into a book: a slipped digit, or another person's
/// number (a parent's), must not veto a record that agrees on everything else; and for the
/// spouse's name, since the registry shows the present spouse and an old marriage book may name
/// an earlier one (widowed or divorced, then remarried).
const SOFT_LEVELS: [(crate::compare::Cmp, f64); 4] = [
    (crate::compare::Cmp::Residence, 0.02),
    (crate::compare::Cmp::Origin, 0.02),
    (crate::compare::Cmp::Id, 0.002),
    (crate::compare::Cmp::Spouse, 0.03),
];

/// Comparisons whose m contradicts what a comparison means: agreement on the first level less
/// likely among matches than among non-matches, or disagreement (the last level) more likely.
/// EM lands there when a cluster of non-matches (relatives sharing names and places) looks more
/// alike than the true matches; soft comparisons are left alone (their floor allows it).
pub fn implausible_m(m: &[Vec<f64>], u: &[Vec<f64>]) -> Vec<usize> {
    (0..m.len())
        .filter(|&i| !SOFT_LEVELS.iter().any(|(c, _)| *c as usize == i))
        .filter(|&i| {
            let last = m[i].len() - 1;
            m[i][0] < u[i][0] || m[i][last] > u[i][last]
        })
        .collect()
}

/// True when EM's "match" class is not the same person: among matches, the family name, the
/// given name or the date of birth (exact or compatible) agree less than half the time. That is
/// what EM learns when its training pairs are mostly relatives.
pub fn degenerate_m(m: &[Vec<f64>]) -> bool {
    use crate::compare::Cmp;
    m[Cmp::Family as usize][0] < 0.5
        || m[Cmp::Given as usize][0] < 0.5
        || m[Cmp::Dob as usize][0] + m[Cmp::Dob as usize][1] < 0.5
}

/// Raise the m of soft comparisons' levels to their floor (then renormalise).
pub fn floor_soft_levels(m: &mut [Vec<f64>]) {
    for (c, floor) in SOFT_LEVELS {
        let v = &mut m[c as usize];
        for x in v.iter_mut() {
            *x = x.max(floor);
        }
        normalize(v);
    }
}

fn initial_m() -> Vec<Vec<f64>> {
    // agreement likely under a match; the exact split is learnt
    SPECS
        .iter()
        .map(|s| {
            let n = s.levels.len();
            let mut v: Vec<f64> = (0..n).map(|i| 0.6f64.powi(i as i32 + 1)).collect();
            v[0] = 0.8;
            normalize(&mut v);
            v
        })
        .collect()
}

fn normalize(v: &mut [f64]) {
    for x in v.iter_mut() {
        *x = x.max(FLOOR);
    }
    let s: f64 = v.iter().sum();
    for x in v.iter_mut() {
        *x /= s;
    }
}

/// u from random pairs (seeded, deterministic): the level frequencies among pairs that are
/// almost all non-matches.
pub fn estimate_u(data: &Dataset, cmp: &Comparer, seed: u64, n: usize) -> (Vec<Vec<f64>>, u64) {
    let ns = data.subjects.len();
    let np = data.persons.len();
    let mut counts: Vec<Vec<f64>> = SPECS.iter().map(|s| vec![1.0; s.levels.len()]).collect();
    if ns == 0 || np == 0 {
        for c in &mut counts {
            normalize(c);
        }
        return (counts, 0);
    }
    let chunks = 16usize;
    let per = n.div_ceil(chunks);
    let partial: Vec<Vec<Vec<f64>>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = Pcg64::seed_from_u64(seed.wrapping_add(c as u64 * 0x9E37_79B9));
            let mut counts: Vec<Vec<f64>> =
                SPECS.iter().map(|s| vec![0.0; s.levels.len()]).collect();
            for _ in 0..per {
                let s = &data.subjects[rng.random_range(0..ns)];
                let p = &data.persons[rng.random_range(0..np)];
                let g = cmp.gamma(s, p);
                for (i, &l) in g.iter().enumerate() {
                    if l != NULL {
                        counts[i][l as usize] += 1.0;
                    }
                }
            }
            counts
        })
        .collect();
    for p in partial {
        for (c, pc) in counts.iter_mut().zip(p) {
            for (x, y) in c.iter_mut().zip(pc) {
                *x += y;
            }
        }
    }
    for c in &mut counts {
        normalize(c);
    }
    (counts, (per * chunks) as u64)
}

/// EM for m and λ over agreement-pattern counts, with u fixed (Splink's default).
pub fn em(
    patterns: &[(Gamma, u64)],
    u: &[Vec<f64>],
    max_iter: usize,
    tol: f64,
) -> (Vec<Vec<f64>>, f64, usize, bool) {
    let (m, _, lambda, iters, converged) = em_full(patterns, u, false, max_iter, tol);
    (m, lambda, iters, converged)
}

/// EM over agreement-pattern counts: m and λ, and u too when `update_u` (the non-matches among
/// blocked pairs share names and years far more than random pairs do, so a u fixed from random
/// pairs would let EM call every blocked pair a match). Returns (m, u, λ, iterations, converged).
pub fn em_full(
    patterns: &[(Gamma, u64)],
    u0: &[Vec<f64>],
    update_u: bool,
    max_iter: usize,
    tol: f64,
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>, f64, usize, bool) {
    let mut m = initial_m();
    let mut u: Vec<Vec<f64>> = u0.to_vec();
    let mut lambda = 0.1f64;
    let total: f64 = patterns.iter().map(|(_, c)| *c as f64).sum();
    if total == 0.0 {
        return (m, u, lambda, 0, true);
    }
    let mut iters = 0;
    let mut converged = false;
    for _ in 0..max_iter {
        iters += 1;
        let mut m_new: Vec<Vec<f64>> = SPECS.iter().map(|s| vec![0.0; s.levels.len()]).collect();
        let mut u_new: Vec<Vec<f64>> = SPECS.iter().map(|s| vec![0.0; s.levels.len()]).collect();
        let mut match_mass = 0.0;
        for (g, c) in patterns {
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for (i, &l) in g.iter().enumerate() {
                if l != NULL {
                    pm *= m[i][l as usize];
                    pu *= u[i][l as usize];
                }
            }
            let post = pm / (pm + pu);
            let w = post * *c as f64;
            match_mass += w;
            let wu = (1.0 - post) * *c as f64;
            for (i, &l) in g.iter().enumerate() {
                if l != NULL {
                    m_new[i][l as usize] += w;
                    u_new[i][l as usize] += wu;
                }
            }
        }
        for v in &mut m_new {
            normalize(v);
        }
        if update_u {
            for v in &mut u_new {
                normalize(v);
            }
        }
        let lambda_new = (match_mass / total).clamp(FLOOR, 1.0 - FLOOR);
        let delta = m_new
            .iter()
            .flatten()
            .zip(m.iter().flatten())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f64, f64::max)
            .max((lambda_new - lambda).abs());
        m = m_new;
        if update_u {
            u = u_new;
        }
        lambda = lambda_new;
        if delta < tol {
            converged = true;
            break;
        }
    }
    (m, u, lambda, iters, converged)
}

impl Model {
    /// Assemble a model.
    pub fn new(
        lambda: f64,
        lambda_blocked: f64,
        m: Vec<Vec<f64>>,
        u: Vec<Vec<f64>>,
        tf_adjustment: bool,
        training: Training,
    ) -> Model {
        let comparisons = SPECS
            .iter()
            .zip(m.into_iter().zip(u))
            .map(|(s, (m, u))| ComparisonParams {
                name: s.name.to_string(),
                levels: s.levels.iter().map(|l| l.to_string()).collect(),
                m,
                u,
            })
            .collect();
        Model {
            version: 1,
            lambda,
            lambda_blocked,
            comparisons,
            tf_adjustment,
            training,
        }
    }

    /// log2 of the prior odds.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// The weight (log2 Bayes factor) of one comparison at one level; 0 for null.
    pub fn level_weight(&self, i: usize, level: u8) -> f64 {
        if level == NULL {
            return 0.0;
        }
        let c = &self.comparisons[i];
        let l = level as usize;
        (c.m[l].max(FLOOR) / c.u[l].max(FLOOR)).log2()
    }

    /// The match weight of a vector, without term-frequency adjustment.
    pub fn weight(&self, g: &Gamma) -> f64 {
        self.prior_weight()
            + g.iter()
                .enumerate()
                .map(|(i, &l)| self.level_weight(i, l))
                .sum::<f64>()
    }

    /// Every level's weight in a table (index 15 = null = 0), for the hot loop.
    pub fn weight_table(&self) -> WeightTable {
        let mut w = [[0.0f64; 16]; N];
        for (i, row) in w.iter_mut().enumerate() {
            for (l, x) in row.iter_mut().enumerate().take(self.comparisons[i].m.len()) {
                *x = self.level_weight(i, l as u8);
            }
        }
        WeightTable {
            prior: self.prior_weight(),
            w,
        }
    }

    /// Set λ for a data set from the model's share of matches among candidate pairs
    /// (`lambda_blocked`): the expected matches among this run's candidate pairs, spread over
    /// every (subject, person) pair. A saved model thus fits a data set of another size.
    pub fn rescale(&mut self, candidate_pairs: u64, subjects: usize, persons: usize) {
        let space = (subjects as f64 * persons as f64).max(1.0);
        self.lambda = (self.lambda_blocked * candidate_pairs as f64 / space).clamp(1e-12, 0.5);
    }

    /// The built-in model (trained on the project's synthetic data), for jobs too small to train.
    pub fn builtin() -> Model {
        let mut m: Model = serde_json::from_str(include_str!("../rules/model.json"))
            .expect("rules/model.json is a model");
        m.training.source = "builtin".to_string();
        m
    }

    /// Save as JSON.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Output {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        crate::output::write_bytes(path, text.as_bytes())
    }

    /// Load from JSON, checking that it fits the comparisons of this version.
    pub fn load(path: &Path) -> Result<Model> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut m: Model = serde_json::from_str(&text).map_err(|e| Error::Model {
            path: path.to_path_buf(),
            reason: format!("not a doisoat model: {e}"),
        })?;
        if m.comparisons.len() != N
            || m.comparisons.iter().zip(SPECS.iter()).any(|(c, s)| {
                c.name != s.name || c.m.len() != s.levels.len() || c.u.len() != s.levels.len()
            })
        {
            return Err(Error::Model {
                path: path.to_path_buf(),
                reason:
                    "the model's comparisons do not match this version of doisoat; train a new one"
                        .to_string(),
            });
        }
        if !(0.0..1.0).contains(&m.lambda) {
            return Err(Error::Model {
                path: path.to_path_buf(),
                reason: format!("lambda {} is not a probability", m.lambda),
            });
        }
        m.training.source = "loaded".to_string();
        Ok(m)
    }
}

/// Precomputed level weights.
pub struct WeightTable {
    prior: f64,
    w: [[f64; 16]; N],
}

impl WeightTable {
    /// The weight of a vector (no TF).
    #[inline]
    pub fn weight(&self, g: &Gamma) -> f64 {
        let mut s = self.prior;
        for (i, &l) in g.iter().enumerate() {
            s += self.w[i][(l & 15) as usize];
        }
        s
    }
}

/// Probability from a log2 weight.
pub fn probability(weight: f64) -> f64 {
    let odds = weight.exp2();
    if odds.is_infinite() {
        1.0
    } else {
        odds / (1.0 + odds)
    }
}

/// Term frequencies of family and given names among the registry's persons, per name id.
pub struct TermFrequencies {
    /// per name id: term frequency of its family name (0 = unknown)
    family: Vec<f64>,
    /// per name id: term frequency of its given name
    given: Vec<f64>,
}

/// The smallest term frequency used (a name seen once in a small extract is not impossible).
const TF_MIN: f64 = 1e-5;

impl TermFrequencies {
    /// Count over the persons.
    pub fn new(data: &Dataset) -> TermFrequencies {
        let mut family: HashMap<Vec<u32>, f64> = HashMap::new();
        let mut given: HashMap<Vec<u32>, f64> = HashMap::new();
        let mut n: f64 = 0.0;
        for p in &data.persons {
            if p.name == NONE {
                continue;
            }
            let e = &data.names.names[p.name as usize];
            *family.entry(e.family().to_vec()).or_default() += 1.0;
            *given.entry(e.given().to_vec()).or_default() += 1.0;
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

    /// The TF adjustments (log2) of a pair whose family and/or given names agree exactly.
    pub fn adjustment(
        &self,
        model: &Model,
        g: &Gamma,
        p: &PersonRec,
        data: &Dataset,
    ) -> (f64, f64) {
        if !model.tf_adjustment || p.name == NONE {
            return (0.0, 0.0);
        }
        let _ = data;
        let adj = |i: usize, tf: f64| -> f64 {
            if g[i] != 0 {
                return 0.0;
            }
            let u = model.comparisons[i].u[0].max(FLOOR);
            (u / tf.max(TF_MIN)).log2()
        };
        let id = p.name as usize;
        (
            adj(crate::compare::Cmp::Family as usize, self.family[id]),
            adj(crate::compare::Cmp::Given as usize, self.given[id]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Simulate patterns from known m/u/λ and check EM recovers them (Splink's own test idea).
    #[test]
    fn em_recovers_known_parameters() {
        let mut rng = Pcg64::seed_from_u64(7);
        let true_lambda = 0.2;
        let true_m: Vec<Vec<f64>> = SPECS
            .iter()
            .map(|s| {
                let mut v: Vec<f64> = (0..s.levels.len())
                    .map(|i| {
                        if i == 0 {
                            0.85
                        } else {
                            0.15 / (s.levels.len() - 1) as f64
                        }
                    })
                    .collect();
                normalize(&mut v);
                v
            })
            .collect();
        let true_u: Vec<Vec<f64>> = SPECS
            .iter()
            .map(|s| {
                let mut v: Vec<f64> = (0..s.levels.len())
                    .map(|i| {
                        if i + 1 == s.levels.len() {
                            0.8
                        } else {
                            0.2 / (s.levels.len() - 1) as f64
                        }
                    })
                    .collect();
                normalize(&mut v);
                v
            })
            .collect();
        let draw = |p: &[f64], rng: &mut Pcg64| -> u8 {
            let r: f64 = rng.random();
            let mut acc = 0.0;
            for (i, x) in p.iter().enumerate() {
                acc += x;
                if r < acc {
                    return i as u8;
                }
            }
            (p.len() - 1) as u8
        };
        let mut counts: HashMap<Gamma, u64> = HashMap::new();
        for _ in 0..200_000 {
            let is_match = rng.random::<f64>() < true_lambda;
            let mut g = [0u8; N];
            for i in 0..N {
                g[i] = draw(if is_match { &true_m[i] } else { &true_u[i] }, &mut rng);
            }
            *counts.entry(g).or_default() += 1;
        }
        let mut patterns: Vec<(Gamma, u64)> = counts.into_iter().collect();
        patterns.sort();
        let (m, lambda, _, converged) = em(&patterns, &true_u, 200, 1e-7);
        assert!(converged);
        assert!((lambda - true_lambda).abs() < 0.01, "lambda {lambda}");
        for (mi, ti) in m.iter().zip(&true_m) {
            for (a, b) in mi.iter().zip(ti) {
                assert!((a - b).abs() < 0.02, "m {a} vs {b}");
            }
        }
    }

    #[test]
    fn implausible_m_is_caught() {
        let u: Vec<Vec<f64>> = SPECS
            .iter()
            .map(|s| vec![1.0 / s.levels.len() as f64; s.levels.len()])
            .collect();
        let mut m = initial_m();
        assert!(implausible_m(&m, &u).is_empty());
        // birth place: "different" far likelier among matches than among non-matches
        let bp = crate::compare::Cmp::BirthPlace as usize;
        m[bp] = vec![0.1, 0.1, 0.1, 0.7];
        assert_eq!(implausible_m(&m, &u), vec![bp]);
        // a soft comparison may say so
        let r = crate::compare::Cmp::Residence as usize;
        m[r] = vec![0.1, 0.1, 0.1, 0.7];
        assert_eq!(implausible_m(&m, &u), vec![bp]);
        assert!(!degenerate_m(&m));
        // dates of birth that mostly disagree among "matches": EM found siblings
        let d = crate::compare::Cmp::Dob as usize;
        m[d] = vec![0.25, 0.1, 0.0, 0.05, 0.6];
        assert!(degenerate_m(&m));
    }

    #[test]
    fn probability_is_monotone_and_bounded() {
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
        assert!(probability(10.0) > probability(5.0));
        assert_eq!(probability(5000.0), 1.0);
        assert!(probability(-5000.0) >= 0.0);
    }
}

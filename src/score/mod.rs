//! Score: the Fellegi–Sunter model. u from seeded random pairs, m and λ by expectation–maximisation
//! over agreement-pattern counts, term-frequency adjustment of exact name agreement, and what is
//! known of a subject before any comparison. [`Scorer`] is the one place a pair's weight is made:
//! the run and `explain` both call it.
pub mod em;
pub mod model;
pub mod tf;
pub mod train;

pub use model::{Model, RETRAIN_COMMAND, Source, Training, WeightTable, probability};
pub use tf::TermFrequencies;
pub use train::{Fallback, MIN_TRAINING_PAIRS, PatternCounts, train};

use crate::compare::{COMPARISONS, Gamma, NULL};
use crate::normalize::PartialDate;
use crate::settings::Settings;
use crate::subjects::{Dataset, PersonIdx, Role, Subject};
use rayon::prelude::*;

/// A scored candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// the person
    pub person: PersonIdx,
    /// match weight (log2 odds, with TF adjustment and the subject's prior bits)
    pub weight: f64,
    /// the comparison vector
    pub gamma: Gamma,
}

/// What is known of a subject before any comparison, as bits added to every candidate's weight.
#[derive(Clone, Copy, Debug)]
pub struct Priors {
    /// the registry's baseline date
    pub baseline: PartialDate,
    /// bits taken from a death registered before the baseline
    pub dead_before_baseline_bits: f64,
}

impl Priors {
    /// From the job's settings.
    pub fn new(s: &Settings) -> Priors {
        Priors {
            baseline: s.baseline,
            dead_before_baseline_bits: s.thresholds.dead_before_baseline_bits,
        }
    }

    /// The bits for one subject: a death before the baseline is of a person the registry was not
    /// built to hold.
    pub fn bits(&self, s: &Subject) -> f64 {
        match s.event_date {
            Some(d) if s.role == Role::Nkt && d < self.baseline => -self.dead_before_baseline_bits,
            _ => 0.0,
        }
    }
}

/// One comparison's part of a weight.
#[derive(Clone, Debug)]
pub struct Part {
    /// the comparison's index in [`COMPARISONS`]
    pub comparison: usize,
    /// its level (`NULL` when a side has no value)
    pub level: u8,
    /// P(level | match), when not null
    pub m: f64,
    /// P(level | non-match), when not null
    pub u: f64,
    /// the weight (log2 Bayes factor)
    pub weight: f64,
}

/// How a pair's weight adds up (Splink's waterfall).
#[derive(Clone, Debug)]
pub struct Breakdown {
    /// the prior (λ)
    pub prior: f64,
    /// each comparison's part
    pub parts: Vec<Part>,
    /// term-frequency adjustment of the family name
    pub tf_family: f64,
    /// term-frequency adjustment of the given name
    pub tf_given: f64,
    /// the subject's prior bits (a death before the baseline)
    pub subject_bits: f64,
    /// the total: the weight the run used
    pub total: f64,
}

/// Scores candidate pairs with a model: the weight table, the term frequencies, the priors.
pub struct Scorer<'a> {
    /// the model
    pub model: &'a Model,
    table: WeightTable,
    tf: TermFrequencies,
    priors: Priors,
}

/// Candidates kept per subject, best first.
pub const KEEP: usize = 5;

impl<'a> Scorer<'a> {
    /// A scorer over a dataset.
    pub fn new(model: &'a Model, data: &Dataset, settings: &Settings) -> Scorer<'a> {
        Scorer {
            model,
            table: model.weight_table(),
            tf: TermFrequencies::new(data, model),
            priors: Priors::new(settings),
        }
    }

    /// The weight of a pair.
    #[inline]
    pub fn weight(&self, s: &Subject, p: PersonIdx, g: &Gamma) -> f64 {
        let (a, b) = self.tf.adjustment(g, p);
        self.table.weight(g) + a + b + self.priors.bits(s)
    }

    /// How the weight of a pair adds up; its total is [`Scorer::weight`].
    pub fn breakdown(&self, s: &Subject, p: PersonIdx, g: &Gamma) -> Breakdown {
        let (tf_family, tf_given) = self.tf.adjustment(g, p);
        let parts = g
            .iter()
            .enumerate()
            .map(|(i, &level)| {
                let c = &self.model.comparisons[i];
                let (m, u) = if level == NULL {
                    (0.0, 0.0)
                } else {
                    (c.m[level as usize], c.u[level as usize])
                };
                Part {
                    comparison: i,
                    level,
                    m,
                    u,
                    weight: self.model.level_weight(i, level),
                }
            })
            .collect();
        debug_assert_eq!(COMPARISONS.len(), g.len());
        Breakdown {
            prior: self.model.prior_weight(),
            parts,
            tf_family,
            tf_given,
            subject_bits: self.priors.bits(s),
            total: self.weight(s, p, g),
        }
    }

    /// A subject's candidates scored, best first (ties by person), the best [`KEEP`] kept;
    /// `gammas` are the candidates' packed vectors.
    pub fn rank(&self, s: &Subject, persons: &[PersonIdx], gammas: &[u64]) -> Vec<Scored> {
        // the order of the ranking: heavier first, then by person (persons are distinct, so the
        // order is total and the best KEEP are the same however they are picked)
        let order = |a: &(f64, PersonIdx, u64), b: &(f64, PersonIdx, u64)| {
            b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
        };
        let mut v: Vec<(f64, PersonIdx, u64)> = Vec::with_capacity(persons.len());
        for (k, (&p, &g)) in persons.iter().zip(gammas).enumerate() {
            // the persons' term-frequency slots lie all over: ask for one a few pairs ahead
            if let Some(&q) = persons.get(k + 8) {
                self.tf.prefetch(q);
            }
            v.push((self.weight(s, p, &crate::compare::unpack(g)), p, g));
        }
        if v.len() > KEEP {
            v.select_nth_unstable_by(KEEP - 1, order);
            v.truncate(KEEP);
        }
        v.sort_unstable_by(order);
        v.into_iter()
            .map(|(weight, person, g)| Scored {
                person,
                weight,
                gamma: crate::compare::unpack(g),
            })
            .collect()
    }

    /// Every subject's candidates ranked.
    pub fn rank_all(
        &self,
        data: &Dataset,
        pairs: &crate::pipeline::CandidatePairs,
    ) -> Vec<Vec<Scored>> {
        const STEP: usize = 4096;
        let n = data.subjects.len();
        crate::progress::start("score", n as u64, "subjects");
        (0..n)
            .into_par_iter()
            .map(|si| {
                if si % STEP == 0 {
                    crate::progress::inc(STEP.min(n - si) as u64);
                }
                let (persons, gammas) = pairs.of(si);
                self.rank(&data.subjects[si], persons, gammas)
            })
            .collect()
    }
}

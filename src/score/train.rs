//! Training: u from random pairs, m and λ by EM on the training rules' pattern counts, with the
//! built-in model as the fallback when the job is too small or EM learnt relatives.
use super::em::{self, degenerate_m, floor_soft_levels, implausible_m};
use super::model::{Model, Source, Training};
use crate::compare::{Comparer, Gamma};
use crate::error::Result;
use crate::settings::Settings;
use crate::subjects::Dataset;

/// Agreement-pattern counts (packed vectors) of the pairs that train the model.
pub type PatternCounts = crate::hash::FastMap<u64, u64>;

/// Fewer candidate pairs than this and EM is not trusted: the built-in model is used.
pub const MIN_TRAINING_PAIRS: u64 = 20_000;

/// How to get the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// the built-in model when the job is too small or EM degenerate (the main job)
    Builtin,
    /// EM only, whatever it learns (retraining the built-in model itself)
    None,
}

/// Train the model on a job's pattern counts (or use the built-in one; see [`Fallback`]).
pub fn train(
    data: &Dataset,
    cmp: &Comparer,
    counts: &PatternCounts,
    settings: &Settings,
    fallback: Fallback,
) -> Result<Model> {
    let n_pairs: u64 = counts.values().sum();
    let (ns, np) = (data.subjects.len(), data.persons.len());
    let builtin = |source: Source| -> Result<Model> {
        let mut b = Model::builtin()?;
        b.rescale(n_pairs, ns, np);
        b.training.source = source;
        Ok(b)
    };
    if fallback == Fallback::Builtin && n_pairs < MIN_TRAINING_PAIRS {
        return builtin(Source::Builtin);
    }
    let ms = &settings.model;
    let (u, u_pairs) = em::estimate_u(data, cmp, ms.seed, ms.u_sample_pairs);
    let mut patterns: Vec<(Gamma, u64)> = counts
        .iter()
        .map(|(g, n)| (crate::compare::unpack(*g), *n))
        .collect();
    patterns.sort();
    let em_pairs: u64 = patterns.iter().map(|(_, c)| c).sum();
    let r = em::em(&patterns, &u, true, ms.max_em_iterations, ms.em_tolerance);
    let mut m = r.m;
    floor_soft_levels(&mut m);
    let mut replaced_m = Vec::new();
    if fallback == Fallback::Builtin {
        if degenerate_m(&m) {
            return builtin(Source::BuiltinEmDegenerate);
        }
        // a comparison whose trained m says disagreement favours a match: use the built-in m
        let b = Model::builtin()?;
        for i in implausible_m(&m, &u) {
            m[i] = b.comparisons[i].m.clone();
            replaced_m.push(b.comparisons[i].name.clone());
        }
    }
    // EM saw only candidate pairs: the prior of two random records is the expected number of
    // matches among them spread over every (subject, person) pair
    let space = (ns as f64 * np as f64).max(1.0);
    let lambda = (r.lambda * em_pairs as f64 / space).clamp(1e-12, 0.5);
    Ok(Model::new(
        lambda,
        r.lambda,
        m,
        u,
        ms.tf_adjustment,
        Training {
            seed: ms.seed,
            u_pairs,
            em_iterations: r.iterations,
            em_converged: r.converged,
            em_pairs,
            patterns: patterns.len(),
            source: Source::Trained,
            replaced_m,
        },
    ))
}

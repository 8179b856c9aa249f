//! The Fellegi–Sunter model: m and u per comparison level, λ, how it was made; saved to and
//! loaded from JSON, checked against the comparisons of this version.
use super::em::{FLOOR, Params};
use crate::compare::{COMPARISONS, Gamma, N, NULL};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The documented command that retrains the built-in model (`rules/model.json`).
pub const RETRAIN_COMMAND: &str = "bash benches/retrain.sh";

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

/// Where a run's model came from.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// EM on this job's candidate pairs
    #[default]
    Trained,
    /// a saved model given with `--model`
    Loaded,
    /// the built-in model: too few candidate pairs to train one
    Builtin,
    /// the built-in model: EM on this job learnt relatives, not the same person
    BuiltinEmDegenerate,
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
    /// how the model was made
    pub source: Source,
    /// comparisons whose trained m was implausible and replaced by the built-in one
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_m: Vec<String>,
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

impl Model {
    /// Assemble a model from m and u in vector order.
    pub fn new(
        lambda: f64,
        lambda_blocked: f64,
        m: Params,
        u: Params,
        tf_adjustment: bool,
        training: Training,
    ) -> Model {
        let comparisons = COMPARISONS
            .iter()
            .zip(m.into_iter().zip(u))
            .map(|(c, (m, u))| ComparisonParams {
                name: c.name.to_string(),
                levels: c.levels.iter().map(|l| l.code.to_string()).collect(),
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
    /// An error, naming the command that retrains it, when it does not fit this version's
    /// comparisons.
    pub fn builtin() -> Result<Model> {
        let path = Path::new("rules/model.json (built in)");
        let mut m = Model::parse(include_str!("../../rules/model.json"), path)?;
        m.training.source = Source::Builtin;
        Ok(m)
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
        let mut m = Model::parse(&text, path)?;
        m.training.source = Source::Loaded;
        Ok(m)
    }

    fn parse(text: &str, path: &Path) -> Result<Model> {
        let bad = |reason: String| Error::Model {
            path: path.to_path_buf(),
            reason,
        };
        let m: Model =
            serde_json::from_str(text).map_err(|e| bad(format!("not a doisoat model: {e}")))?;
        let expected: Vec<String> = COMPARISONS
            .iter()
            .map(|c| format!("{} ({} levels)", c.name, c.levels.len()))
            .collect();
        let found: Vec<String> = m
            .comparisons
            .iter()
            .map(|c| format!("{} ({} levels)", c.name, c.m.len()))
            .collect();
        let fits = m.comparisons.len() == N
            && m.comparisons.iter().zip(COMPARISONS.iter()).all(|(c, d)| {
                c.name == d.name && c.m.len() == d.levels.len() && c.u.len() == d.levels.len()
            });
        if !fits {
            return Err(bad(format!(
                "the model's comparisons do not match this version of doisoat (it has {}; this version compares {}); train a new one (the built-in model is retrained with `{RETRAIN_COMMAND}`)",
                found.join(", "),
                expected.join(", ")
            )));
        }
        if !(0.0..1.0).contains(&m.lambda) {
            return Err(bad(format!("lambda {} is not a probability", m.lambda)));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_fits_the_declared_comparisons() {
        let m = Model::builtin().expect("rules/model.json is stale: retrain it");
        assert_eq!(m.comparisons.len(), N);
        for (c, d) in m.comparisons.iter().zip(COMPARISONS.iter()) {
            let codes: Vec<&str> = d.levels.iter().map(|l| l.code).collect();
            assert_eq!(c.levels, codes, "{}: level labels", c.name);
        }
    }

    #[test]
    fn a_stale_model_is_a_clear_error() {
        let mut m = Model::builtin().unwrap();
        m.comparisons.pop();
        let text = serde_json::to_string(&m).unwrap();
        let e = Model::parse(&text, Path::new("old.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("do not match"), "{e}");
        assert!(e.contains(RETRAIN_COMMAND), "{e}");
    }

    #[test]
    fn probability_is_monotone_and_bounded() {
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
        assert!(probability(10.0) > probability(5.0));
        assert_eq!(probability(5000.0), 1.0);
        assert!(probability(-5000.0) >= 0.0);
    }
}

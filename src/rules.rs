//! Rules as written: `rules/default.toml` built in, a user's rules file over it. The default file
//! is also the schema: a user key that the defaults lack, or of another type, is reported — every
//! problem at once — before anything runs. The settings module resolves them into typed settings.
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use toml::Value;

/// The built-in default rules.
pub const DEFAULT_RULES: &str = include_str!("../rules/default.toml");

/// One blocking rule: pairs agreeing on all `keys` are candidates.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlockingRule {
    /// the rule's name in summaries
    pub name: String,
    /// the keys (see `rules/default.toml`)
    pub keys: Vec<String>,
    /// its pairs train the model (EM); a rule that pairs relatives (the same mother, the same
    /// spouse) would teach EM that a sibling is a match
    #[serde(default = "yes")]
    pub train: bool,
}

fn yes() -> bool {
    true
}

/// Blocking settings.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Blocking {
    /// split blocks bigger than this
    pub max_block_size: usize,
    /// cap blocks still bigger than this
    pub hard_cap: usize,
    /// the rules
    pub rule: Vec<BlockingRule>,
}

/// Model settings.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelSettings {
    /// seed of the u sampling
    pub seed: u64,
    /// random pairs for u
    pub u_sample_pairs: usize,
    /// EM iterations
    pub max_em_iterations: usize,
    /// EM convergence
    pub em_tolerance: f64,
    /// term-frequency adjustment on names
    pub tf_adjustment: bool,
}

/// Decision thresholds.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// link at or above
    pub match_probability: f64,
    /// review at or above
    pub review_probability: f64,
    /// near-tie margin in bits
    pub tie_margin: f64,
    /// bits taken from every candidate of a death registered before the baseline date
    pub dead_before_baseline_bits: f64,
}

/// The syllable cost model.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// d/gi/r, s/x, ch/tr
    pub onset_dialect: f32,
    /// l/n
    pub onset_l_n: f32,
    /// d/đ
    pub onset_d_dd: f32,
    /// h/k, l/t, n/m
    pub onset_lookalike: f32,
    /// i/y
    pub rhyme_i_y: f32,
    /// n/ng, t/c
    pub rhyme_coda_n_ng: f32,
    /// nh/n, ch/t
    pub rhyme_coda_nh_n: f32,
    /// a lost vowel modifier
    pub rhyme_modifier: f32,
    /// hỏi/ngã
    pub tone_hoi_nga: f32,
    /// ngã/nặng
    pub tone_nga_nang: f32,
    /// a tone dropped
    pub tone_dropped: f32,
    /// hỏi/nặng
    pub tone_hoi_nang: f32,
}

/// Place settings.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlaceSettings {
    /// old name → legacy commune code
    pub aliases: BTreeMap<String, String>,
}

/// Everything the rules set.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// registry baseline date (YYYY-MM-DD)
    pub baseline_date: String,
    /// an unlinked subject at least this old at the baseline is presumed dead before it; 0: off
    pub presumed_dead_age: u16,
    /// the job's legacy province code, "" to infer
    pub province: String,
    /// two-digit year pivot
    pub two_digit_year_pivot: u16,
    /// header → canonical column
    pub columns: BTreeMap<String, String>,
    /// place settings
    pub places: PlaceSettings,
    /// blocking
    pub blocking: Blocking,
    /// model
    pub model: ModelSettings,
    /// thresholds
    pub thresholds: Thresholds,
    /// syllable costs
    pub costs: Costs,
}

/// Tables whose keys are free (user data), not part of the schema.
const FREE_TABLES: [&str; 2] = ["columns", "places.aliases"];

impl Default for Rules {
    fn default() -> Self {
        toml::from_str(DEFAULT_RULES).expect("rules/default.toml is valid")
    }
}

impl Rules {
    /// Load a rules file over the defaults (its keys and types checked; values are checked when
    /// they are resolved into settings).
    pub fn load(path: &Path) -> Result<Rules> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Rules::from_str_over_defaults(&text).map_err(|problems| Error::Rules {
            path: path.to_path_buf(),
            problems,
        })
    }

    /// Parse rules text over the defaults, or list its problems of keys and types.
    pub fn from_str_over_defaults(text: &str) -> std::result::Result<Rules, Vec<String>> {
        let user: Value = toml::from_str::<Value>(text)
            .map_err(|e| vec![format!("not valid TOML: {}", e.message())])?;
        let mut merged: Value = toml::from_str(DEFAULT_RULES).expect("defaults parse");
        let mut problems = Vec::new();
        check_and_merge(&mut merged, &user, "", &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        merged
            .try_into()
            .map_err(|e: toml::de::Error| vec![e.to_string()])
    }

    /// The rules in effect as TOML (every key), as a run saves them beside its outputs.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// A stable digest of the rules in effect (for provenance).
    pub fn digest(&self) -> String {
        use sha2::Digest;
        let text = toml::to_string(self).unwrap_or_default();
        let d = sha2::Sha256::digest(text.as_bytes());
        d.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn check_and_merge(base: &mut Value, user: &Value, path: &str, problems: &mut Vec<String>) {
    let (Value::Table(bt), Value::Table(ut)) = (base, user) else {
        return;
    };
    let free = FREE_TABLES.contains(&path);
    for (k, uv) in ut {
        let full = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        match bt.get_mut(k) {
            None if free => {
                if !matches!(uv, Value::String(_)) {
                    problems.push(format!(
                        "{full}: expected a string, found {}",
                        type_name(uv)
                    ));
                } else {
                    bt.insert(k.clone(), uv.clone());
                }
            }
            None => {
                let known: Vec<&String> = bt.keys().collect();
                problems.push(format!(
                    "{full}: unknown key (known here: {})",
                    known
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Some(bv) => {
                let same = std::mem::discriminant(bv) == std::mem::discriminant(uv)
                    || matches!((&*bv, uv), (Value::Float(_), Value::Integer(_)));
                if !same {
                    problems.push(format!(
                        "{full}: expected {}, found {}",
                        type_name(bv),
                        type_name(uv)
                    ));
                    continue;
                }
                match uv {
                    Value::Table(_) => check_and_merge(bv, uv, &full, problems),
                    Value::Integer(i) if matches!(bv, Value::Float(_)) => {
                        *bv = Value::Float(*i as f64)
                    }
                    _ => *bv = uv.clone(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_apply() {
        let r = Rules::from_str_over_defaults("province = \"42\"\n[thresholds]\nmatch_probability = 0.99\n[columns]\n\"Họ tên người chết\" = \"nktHoTen\"\n").unwrap();
        assert_eq!(r.province, "42");
        assert_eq!(r.thresholds.match_probability, 0.99);
        assert_eq!(r.thresholds.review_probability, 0.30);
        assert_eq!(
            r.columns.get("Họ tên người chết").map(String::as_str),
            Some("nktHoTen")
        );
    }

    #[test]
    fn effective_rules_round_trip() {
        let r = Rules::from_str_over_defaults("baseline_date = \"2020-01-01\"").unwrap();
        let again = Rules::from_str_over_defaults(&r.to_toml()).unwrap();
        assert_eq!(r, again);
        assert_eq!(r.digest(), again.digest());
    }
}

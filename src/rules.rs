//! Rules: `rules/default.toml` built in, a user's rules file over it. The default file is also the
//! schema: a user key that the defaults lack, or of another type, is reported — every problem at
//! once — before anything runs.
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
    /// Load a rules file over the defaults; every problem is reported at once.
    pub fn load(path: &Path) -> Result<Rules> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Rules::from_str_over_defaults(&text).map_err(|problems| Error::Rules {
            path: path.to_path_buf(),
            problems,
        })
    }

    /// Parse rules text over the defaults, or list its problems.
    pub fn from_str_over_defaults(text: &str) -> std::result::Result<Rules, Vec<String>> {
        let user: Value = toml::from_str::<Value>(text)
            .map_err(|e| vec![format!("not valid TOML: {}", e.message())])?;
        let mut merged: Value = toml::from_str(DEFAULT_RULES).expect("defaults parse");
        let mut problems = Vec::new();
        check_and_merge(&mut merged, &user, "", &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let rules: Rules = match merged.try_into() {
            Ok(r) => r,
            Err(e) => return Err(vec![e.to_string()]),
        };
        let problems = rules.validate();
        if problems.is_empty() {
            Ok(rules)
        } else {
            Err(problems)
        }
    }

    /// Semantic checks of values (ranges, known keys, parsable dates and codes).
    pub fn validate(&self) -> Vec<String> {
        let mut p = Vec::new();
        if crate::normalize::parse_date(&self.baseline_date)
            .date
            .is_none_or(|d| d.precision() != crate::normalize::Precision::Day)
        {
            p.push(format!(
                "baseline_date: \"{}\" is not a date (YYYY-MM-DD)",
                self.baseline_date
            ));
        }
        if !self.province.is_empty()
            && self
                .province
                .parse::<u8>()
                .ok()
                .is_none_or(|c| !crate::normalize::id::PROVINCE_CODES.contains(&(c as u16)))
        {
            p.push(format!(
                "province: \"{}\" is not a legacy province code (e.g. \"42\")",
                self.province
            ));
        }
        let t = &self.thresholds;
        for (k, v) in [
            ("thresholds.match_probability", t.match_probability),
            ("thresholds.review_probability", t.review_probability),
        ] {
            if !(0.0..=1.0).contains(&v) {
                p.push(format!("{k}: {v} is not a probability between 0 and 1"));
            }
        }
        if t.review_probability > t.match_probability {
            p.push(format!(
                "thresholds.review_probability ({}) is above thresholds.match_probability ({})",
                t.review_probability, t.match_probability
            ));
        }
        if t.tie_margin < 0.0 {
            p.push("thresholds.tie_margin must not be negative".to_string());
        }
        if t.dead_before_baseline_bits < 0.0 {
            p.push("thresholds.dead_before_baseline_bits must not be negative".to_string());
        }
        if self.blocking.rule.is_empty() {
            p.push("blocking.rule: at least one blocking rule is needed".to_string());
        }
        for (i, r) in self.blocking.rule.iter().enumerate() {
            if r.keys.is_empty() {
                p.push(format!("blocking.rule[{i}] ({}): no keys", r.name));
            }
            for k in &r.keys {
                if !crate::block::KEYS.contains(&k.as_str()) {
                    p.push(format!(
                        "blocking.rule[{i}] ({}): unknown key \"{k}\"; known keys: {}",
                        r.name,
                        crate::block::KEYS.join(", ")
                    ));
                }
            }
        }
        if self.blocking.max_block_size == 0
            || self.blocking.hard_cap < self.blocking.max_block_size
        {
            p.push(
                "blocking: max_block_size must be > 0 and hard_cap >= max_block_size".to_string(),
            );
        }
        if self.model.u_sample_pairs == 0 {
            p.push("model.u_sample_pairs must be > 0".to_string());
        }
        for (name, code) in &self.places.aliases {
            if code.len() != 5 || code.parse::<u32>().is_err() {
                p.push(format!(
                    "places.aliases.\"{name}\": \"{code}\" is not a 5-digit commune code"
                ));
            }
        }
        p
    }

    /// The baseline date.
    pub fn baseline(&self) -> crate::normalize::PartialDate {
        crate::normalize::parse_date(&self.baseline_date)
            .date
            .unwrap_or(crate::normalize::PartialDate::ymd(2021, 7, 1))
    }

    /// Header mappings as loose key → canonical column.
    pub fn column_map(&self) -> std::collections::HashMap<String, String> {
        self.columns
            .iter()
            .map(|(k, v)| (crate::normalize::text::loose_key(k), v.clone()))
            .collect()
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
    fn defaults_load_and_validate() {
        let r = Rules::default();
        assert!(r.validate().is_empty(), "{:?}", r.validate());
        assert_eq!(r.baseline().to_string(), "2021-07-01");
        assert!(r.blocking.rule.len() >= 4);
    }

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
    fn every_problem_is_reported_at_once() {
        let text = "baseline_date = \"sometime\"\nprovinse = \"42\"\n[thresholds]\nmatch_probability = \"high\"\nreview_probability = 1.5\n[[blocking.rule]]\nname = \"x\"\nkeys = [\"shoe_size\"]\n";
        let problems = Rules::from_str_over_defaults(text).unwrap_err();
        let all = problems.join("\n");
        assert!(all.contains("provinse: unknown key"), "{all}");
        assert!(
            all.contains("thresholds.match_probability: expected a number, found a string"),
            "{all}"
        );
        // type errors stop before semantic checks; fix them and the rest shows
        let text2 = "baseline_date = \"sometime\"\n[thresholds]\nreview_probability = 1.5\n[[blocking.rule]]\nname = \"x\"\nkeys = [\"shoe_size\"]\n";
        let all = Rules::from_str_over_defaults(text2).unwrap_err().join("\n");
        assert!(all.contains("baseline_date"), "{all}");
        assert!(all.contains("review_probability"), "{all}");
        assert!(all.contains("unknown key \"shoe_size\""), "{all}");
    }
}

//! Settings: the rules resolved once into typed values (dates parsed, codes checked, blocking keys
//! compiled), as ruff turns raw options into settings. Every stage reads these, never the raw TOML.
use crate::error::{Error, Result};
use crate::normalize::{PartialDate, Precision};
use crate::rules::{Costs, ModelSettings, Rules, Thresholds};
use std::collections::HashMap;
use std::path::Path;

/// A key a blocking rule may use, compiled from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKey {
    /// the 12-digit personal ID
    Id,
    /// the 9-digit CMND
    Cmnd,
    /// year of birth
    BirthYear,
    /// full date of birth
    Dob,
    /// day and month of birth
    BirthMd,
    /// family name, folded
    Family,
    /// given name, folded
    Given,
    /// middle name, folded
    Middle,
    /// family and given name, phonetic
    NamePhonetic,
    /// given name, phonetic
    GivenPhonetic,
    /// family name and the other syllables sorted
    NameSorted,
    /// mother's family and given name
    Mother,
    /// spouse's family and given name
    Spouse,
    /// district of birth
    BirthDistrict,
    /// province of birth
    BirthProvince,
}

impl BlockKey {
    /// Every key with its name in the rules file.
    pub const NAMES: [(&'static str, BlockKey); 15] = [
        ("id", BlockKey::Id),
        ("cmnd", BlockKey::Cmnd),
        ("birth_year", BlockKey::BirthYear),
        ("dob", BlockKey::Dob),
        ("birth_md", BlockKey::BirthMd),
        ("family", BlockKey::Family),
        ("given", BlockKey::Given),
        ("middle", BlockKey::Middle),
        ("name_phonetic", BlockKey::NamePhonetic),
        ("given_phonetic", BlockKey::GivenPhonetic),
        ("name_sorted", BlockKey::NameSorted),
        ("mother", BlockKey::Mother),
        ("spouse", BlockKey::Spouse),
        ("birth_district", BlockKey::BirthDistrict),
        ("birth_province", BlockKey::BirthProvince),
    ];

    /// The key of a name in the rules file.
    pub fn parse(name: &str) -> Option<BlockKey> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
    }
}

/// A blocking rule with its keys compiled.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockRule {
    /// the rule's name in summaries
    pub name: String,
    /// the keys, all of which a pair must share
    pub keys: Vec<BlockKey>,
    /// its pairs train the model
    pub train: bool,
}

/// Blocking settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocking {
    /// split blocks bigger than this
    pub max_block_size: usize,
    /// cap blocks still bigger than this
    pub hard_cap: usize,
    /// the rules
    pub rules: Vec<BlockRule>,
}

/// Everything the stages need, resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    /// the registry's baseline date
    pub baseline: PartialDate,
    /// an unlinked subject at least this old at the baseline is presumed dead; 0: off
    pub presumed_dead_age: u16,
    /// the job's province (legacy code), if given
    pub province: Option<u8>,
    /// two-digit year pivot
    pub two_digit_year_pivot: u16,
    /// header (as a loose key) → canonical column
    pub columns: HashMap<String, String>,
    /// user place aliases: name → legacy commune code
    pub place_aliases: Vec<(String, u32)>,
    /// blocking
    pub blocking: Blocking,
    /// model
    pub model: ModelSettings,
    /// thresholds
    pub thresholds: Thresholds,
    /// syllable costs
    pub costs: Costs,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::resolve(&Rules::default()).expect("rules/default.toml resolves")
    }
}

impl Settings {
    /// Resolve rules into settings, or list every problem of their values at once.
    pub fn resolve(r: &Rules) -> std::result::Result<Settings, Vec<String>> {
        let mut p = Vec::new();
        let baseline = crate::normalize::parse_date(&r.baseline_date)
            .date
            .filter(|d| d.precision() == Precision::Day);
        if baseline.is_none() {
            p.push(format!(
                "baseline_date: \"{}\" is not a date (YYYY-MM-DD)",
                r.baseline_date
            ));
        }
        let province = if r.province.is_empty() {
            None
        } else {
            let c = r
                .province
                .parse::<u8>()
                .ok()
                .filter(|c| crate::normalize::id::PROVINCE_CODES.contains(&(*c as u16)));
            if c.is_none() {
                p.push(format!(
                    "province: \"{}\" is not a legacy province code (e.g. \"42\")",
                    r.province
                ));
            }
            c
        };
        check_thresholds(&r.thresholds, &mut p);
        let blocking = resolve_blocking(r, &mut p);
        if r.model.u_sample_pairs == 0 {
            p.push("model.u_sample_pairs must be > 0".to_string());
        }
        let mut place_aliases = Vec::new();
        for (name, code) in &r.places.aliases {
            match code.parse::<u32>() {
                Ok(c) if code.len() == 5 => place_aliases.push((name.clone(), c)),
                _ => p.push(format!(
                    "places.aliases.\"{name}\": \"{code}\" is not a 5-digit commune code"
                )),
            }
        }
        if !p.is_empty() {
            return Err(p);
        }
        Ok(Settings {
            baseline: baseline.unwrap_or(PartialDate::ymd(2021, 7, 1)),
            presumed_dead_age: r.presumed_dead_age,
            province,
            two_digit_year_pivot: r.two_digit_year_pivot,
            columns: r
                .columns
                .iter()
                .map(|(k, v)| (crate::normalize::text::loose_key(k), v.clone()))
                .collect(),
            place_aliases,
            blocking,
            model: r.model.clone(),
            thresholds: r.thresholds.clone(),
            costs: r.costs.clone(),
        })
    }

    /// Parse rules text over the defaults and resolve it: every problem, of keys, types or
    /// values, in one list.
    pub fn parse(text: &str) -> std::result::Result<(Rules, Settings), Vec<String>> {
        let rules = Rules::from_str_over_defaults(text)?;
        let settings = Settings::resolve(&rules)?;
        Ok((rules, settings))
    }

    /// Load a rules file (the defaults when `None`) and resolve it.
    pub fn load(path: Option<&Path>) -> Result<(Rules, Settings)> {
        let rules = match path {
            Some(p) => Rules::load(p)?,
            None => Rules::default(),
        };
        let settings = Settings::resolve(&rules).map_err(|problems| Error::Rules {
            path: path.map(Path::to_path_buf).unwrap_or_default(),
            problems,
        })?;
        Ok((rules, settings))
    }
}

fn check_thresholds(t: &Thresholds, p: &mut Vec<String>) {
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
}

fn resolve_blocking(r: &Rules, p: &mut Vec<String>) -> Blocking {
    let b = &r.blocking;
    if b.rule.is_empty() {
        p.push("blocking.rule: at least one blocking rule is needed".to_string());
    }
    let known: Vec<&str> = BlockKey::NAMES.iter().map(|(n, _)| *n).collect();
    let mut rules = Vec::new();
    for (i, rule) in b.rule.iter().enumerate() {
        if rule.keys.is_empty() {
            p.push(format!("blocking.rule[{i}] ({}): no keys", rule.name));
        }
        let mut keys = Vec::new();
        for k in &rule.keys {
            match BlockKey::parse(k) {
                Some(key) => keys.push(key),
                None => p.push(format!(
                    "blocking.rule[{i}] ({}): unknown key \"{k}\"; known keys: {}",
                    rule.name,
                    known.join(", ")
                )),
            }
        }
        rules.push(BlockRule {
            name: rule.name.clone(),
            keys,
            train: rule.train,
        });
    }
    if rules.len() > u8::MAX as usize {
        p.push(format!(
            "blocking.rule: at most {} rules (found {})",
            u8::MAX,
            rules.len()
        ));
    }
    if b.max_block_size == 0 || b.hard_cap < b.max_block_size {
        p.push("blocking: max_block_size must be > 0 and hard_cap >= max_block_size".to_string());
    }
    Blocking {
        max_block_size: b.max_block_size,
        hard_cap: b.hard_cap,
        rules,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_resolve() {
        let s = Settings::default();
        assert_eq!(s.baseline.to_string(), "2021-07-01");
        assert_eq!(s.province, None);
        assert!(s.blocking.rules.len() >= 4);
        assert!(s.blocking.rules.iter().all(|r| !r.keys.is_empty()));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = "baseline_date = \"sometime\"\nprovinse = \"42\"\n[thresholds]\nmatch_probability = \"high\"\nreview_probability = 1.5\n[[blocking.rule]]\nname = \"x\"\nkeys = [\"shoe_size\"]\n";
        let all = Settings::parse(text).unwrap_err().join("\n");
        assert!(all.contains("provinse: unknown key"), "{all}");
        assert!(
            all.contains("thresholds.match_probability: expected a number, found a string"),
            "{all}"
        );
        // type errors stop before value checks; fix them and the rest shows
        let text2 = "baseline_date = \"sometime\"\nprovince = \"99\"\n[thresholds]\nreview_probability = 1.5\n[[blocking.rule]]\nname = \"x\"\nkeys = [\"shoe_size\"]\n";
        let all = Settings::parse(text2).unwrap_err().join("\n");
        assert!(all.contains("baseline_date"), "{all}");
        assert!(all.contains("province: \"99\""), "{all}");
        assert!(all.contains("review_probability"), "{all}");
        assert!(all.contains("unknown key \"shoe_size\""), "{all}");
    }

    #[test]
    fn values_are_typed_once() {
        let (_, s) = Settings::parse(
            "province = \"42\"\nbaseline_date = \"2020-03-04\"\n[places.aliases]\n\"Xóm Mới\" = \"18607\"\n",
        )
        .unwrap();
        assert_eq!(s.province, Some(42));
        assert_eq!(s.baseline, PartialDate::ymd(2020, 3, 4));
        assert_eq!(s.place_aliases, vec![("Xóm Mới".to_string(), 18607)]);
    }
}

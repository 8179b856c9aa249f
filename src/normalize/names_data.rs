//! The name data under `rules/names/`, built into the binary: frequencies, compounds, variants.
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const NAMES_TOML: &str = include_str!("../../rules/names/names.toml");
const GIVEN_MALE: &str = include_str!("../../rules/names/given_male.txt");
const GIVEN_FEMALE: &str = include_str!("../../rules/names/given_female.txt");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesFile {
    family: Vec<(String, f64)>,
    compound_family: Vec<String>,
    middle_male: Vec<(String, f64)>,
    middle_female: Vec<(String, f64)>,
    common_given_male: Vec<(String, f64)>,
    common_given_female: Vec<(String, f64)>,
    variant: Vec<VariantEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantEntry {
    position: String,
    forms: Vec<String>,
    #[allow(dead_code)]
    note: String,
}

/// Where a variant class applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariantPosition {
    /// only as a family name
    Family,
    /// anywhere in a name
    Any,
}

/// The name tables, parsed once.
pub struct NameData {
    /// family names (lowercase canonical, space-separated syllables) with weights
    pub family: Vec<(String, f64)>,
    /// compound family names as lowercase syllable lists, longest first
    pub compound_family: Vec<Vec<String>>,
    /// middle names by sex (index 0 male, 1 female), "" = none
    pub middle: [Vec<(String, f64)>; 2],
    /// given names by sex with weights
    pub given: [Vec<(String, f64)>; 2],
    family_set: HashSet<String>,
    other_set: HashSet<String>,
    /// lowercase canonical form → (class id, position)
    variants: HashMap<String, Vec<(u16, VariantPosition)>>,
}

fn canon_lower(s: &str) -> String {
    crate::normalize::text::canon_words(s)
}

fn weighted(list: &[(String, f64)]) -> Vec<(String, f64)> {
    list.iter().map(|(n, w)| (canon_lower(n), *w)).collect()
}

fn given_list(txt: &str, common: &[(String, f64)]) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    let boost: HashMap<String, f64> = common.iter().map(|(n, w)| (canon_lower(n), *w)).collect();
    let mut seen = HashSet::new();
    for line in txt.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = canon_lower(line);
        if seen.insert(n.clone()) {
            let w = boost.get(&n).copied().unwrap_or(1.0);
            out.push((n, w));
        }
    }
    for (n, w) in boost {
        if seen.insert(n.clone()) {
            out.push((n, w));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The embedded name data.
pub static NAME_DATA: LazyLock<NameData> = LazyLock::new(|| {
    let file: NamesFile = toml::from_str(NAMES_TOML).expect("rules/names/names.toml is valid");
    let family = weighted(&file.family);
    let mut compound_family: Vec<Vec<String>> = file
        .compound_family
        .iter()
        .map(|c| canon_lower(c).split(' ').map(str::to_string).collect())
        .collect();
    compound_family.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let middle = [weighted(&file.middle_male), weighted(&file.middle_female)];
    let given = [
        given_list(GIVEN_MALE, &file.common_given_male),
        given_list(GIVEN_FEMALE, &file.common_given_female),
    ];
    let family_set: HashSet<String> = family
        .iter()
        .filter_map(|(n, _)| n.split(' ').next().map(str::to_string))
        .collect();
    let mut other_set: HashSet<String> = HashSet::new();
    for list in middle.iter().chain(given.iter()) {
        for (n, _) in list {
            for s in n.split(' ').filter(|s| !s.is_empty()) {
                other_set.insert(s.to_string());
            }
        }
    }
    let mut variants: HashMap<String, Vec<(u16, VariantPosition)>> = HashMap::new();
    for (i, v) in file.variant.iter().enumerate() {
        let pos = if v.position == "family" {
            VariantPosition::Family
        } else {
            VariantPosition::Any
        };
        for f in &v.forms {
            variants
                .entry(canon_lower(f))
                .or_default()
                .push((i as u16, pos));
        }
    }
    NameData {
        family,
        compound_family,
        middle,
        given,
        family_set,
        other_set,
        variants,
    }
});

impl NameData {
    /// True when `a` and `b` (lowercase canonical) are in one variant class valid at this position.
    pub fn same_variant(&self, a: &str, b: &str, family_position: bool) -> bool {
        let (Some(va), Some(vb)) = (self.variants.get(a), self.variants.get(b)) else {
            return false;
        };
        va.iter().any(|(ca, pa)| {
            vb.iter()
                .any(|(cb, _)| ca == cb && (family_position || *pa == VariantPosition::Any))
        })
    }

    /// True when a syllable is a known family name.
    pub fn is_family(&self, syl: &str) -> bool {
        self.family_set.contains(syl)
    }

    /// True when a syllable is a known middle or given name.
    pub fn is_given_or_middle(&self, syl: &str) -> bool {
        self.other_set.contains(syl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        let d = &*NAME_DATA;
        assert_eq!(d.family[0].0, "nguyễn");
        assert!(d.is_family("hồ") && !d.is_family("hòa"));
        assert!(d.is_given_or_middle("hoàng"));
        assert!(d.same_variant("hoàng", "huỳnh", true));
        assert!(!d.same_variant("hoàng", "huỳnh", false));
        assert!(d.same_variant("phúc", "phước", false));
        assert!(d.given[0].len() > 300 && d.given[1].len() > 240);
    }
}

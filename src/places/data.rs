//! The gazetteer tables under `rules/places/`, embedded and indexed by folded name.
use crate::normalize::letters;
use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

/// A folded lookup key: lowercase ASCII letters and digits, no spaces (`Thạch Long` → `thachlong`);
/// numbered wards lose leading zeros (`Phường 04` → `4`).
pub fn key(name: &str) -> String {
    let pre = crate::normalize::text::prenormalize(name);
    let k: String = letters::fold_str(&pre)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_digit()) {
        return k.trim_start_matches('0').to_string();
    }
    k
}

/// A key that keeps diacritics: lowercase canonical syllables without spaces (`thạchlong`).
pub fn accent_key(name: &str) -> String {
    crate::normalize::text::canon_words(name)
        .split(' ')
        .collect()
}

/// The same key with `y` written `i` (Kỳ Anh / Kì Anh), for a second lookup.
pub fn iy_key(k: &str) -> String {
    k.replace('y', "i")
}

/// A province of the 63-province era or of 2025.
#[derive(Clone, Debug)]
pub struct Province {
    /// 2-digit GSO code (of its own vintage)
    pub code: u8,
    /// name without the type
    pub name: String,
    /// Tỉnh / Thành phố
    pub kind: String,
}

/// A legacy district.
#[derive(Clone, Debug)]
pub struct District {
    /// 3-digit code
    pub code: u16,
    /// legacy province code
    pub province: u8,
    /// name without the type
    pub name: String,
    /// Huyện / Quận / Thị xã / Thành phố
    pub kind: String,
    /// [`accent_key`] of the name
    pub accent: String,
}

/// A legacy commune with its 2025 successors.
#[derive(Clone, Debug)]
pub struct Commune {
    /// 5-digit code
    pub code: u32,
    /// legacy district code
    pub district: u16,
    /// legacy province code
    pub province: u8,
    /// name without the type
    pub name: String,
    /// Xã / Phường / Thị trấn
    pub kind: String,
    /// 2025 commune codes; the default one first
    pub successors: Vec<u32>,
    /// [`accent_key`] of the name
    pub accent: String,
}

/// A 2025 commune.
#[derive(Clone, Debug)]
pub struct Commune2025 {
    /// 5-digit code
    pub code: u32,
    /// 2025 province code
    pub province: u8,
    /// name without the type
    pub name: String,
    /// Xã / Phường / Đặc khu
    pub kind: String,
}

/// The whole gazetteer with its name indexes.
#[derive(Clone)]
pub struct Gazetteer {
    /// legacy provinces by code
    pub provinces: HashMap<u8, Province>,
    /// legacy districts by code
    pub districts: HashMap<u16, District>,
    /// legacy communes by code
    pub communes: HashMap<u32, Commune>,
    /// 2025 provinces by code
    pub provinces_2025: HashMap<u8, Province>,
    /// 2025 communes by code
    pub communes_2025: HashMap<u32, Commune2025>,
    /// legacy province → 2025 province
    pub province_to_2025: HashMap<u8, u8>,
    /// island districts without communes → their 2025 đặc khu
    pub district_to_2025: HashMap<u16, Vec<u32>>,
    /// 2025 commune → the legacy communes that formed it
    pub predecessors: HashMap<u32, Vec<u32>>,
    pub(crate) province_keys: HashMap<String, Vec<u8>>,
    pub(crate) province_2025_keys: HashMap<String, Vec<u8>>,
    pub(crate) district_keys: HashMap<String, Vec<u16>>,
    pub(crate) commune_keys: HashMap<String, Vec<u32>>,
    pub(crate) alias_keys: HashMap<String, Vec<u32>>,
    pub(crate) commune_2025_keys: HashMap<String, Vec<u32>>,
    pub(crate) district_alias_keys: HashMap<(u8, String), Vec<u16>>,
}

fn rows(csv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(split_csv_line)
}

/// Split one line of the generated CSVs (fields quoted only when they contain commas).
fn split_csv_line(line: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            out.push(&r[..end]);
            rest = r.get(end + 1..).unwrap_or("");
            rest = rest.strip_prefix(',').unwrap_or(rest);
            if rest.is_empty() {
                break;
            }
            continue;
        }
        match rest.find(',') {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + 1..];
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out
}

fn num<T: std::str::FromStr + Default>(s: &str) -> T {
    s.parse().unwrap_or_default()
}

fn add<T: Copy + PartialEq>(m: &mut HashMap<String, Vec<T>>, k: String, v: T) {
    let e = m.entry(k).or_default();
    if !e.contains(&v) {
        e.push(v);
    }
}

/// Province nicknames found in addresses.
const PROVINCE_NICKNAMES: [(&str, u8); 9] = [
    ("hcm", 79),
    ("tphcm", 79),
    ("saigon", 79),
    ("hn", 1),
    ("hue", 46),
    ("thuathienhue", 46),
    ("brvt", 77),
    ("vungtau", 77),
    ("bariavungtau", 77),
];

/// The embedded gazetteer.
pub static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut g = Gazetteer {
        provinces: HashMap::default(),
        districts: HashMap::default(),
        communes: HashMap::default(),
        provinces_2025: HashMap::default(),
        communes_2025: HashMap::default(),
        province_to_2025: HashMap::default(),
        district_to_2025: HashMap::default(),
        predecessors: HashMap::default(),
        province_keys: HashMap::default(),
        province_2025_keys: HashMap::default(),
        district_keys: HashMap::default(),
        commune_keys: HashMap::default(),
        alias_keys: HashMap::default(),
        commune_2025_keys: HashMap::default(),
        district_alias_keys: HashMap::default(),
    };
    for r in rows(include_str!("../../rules/places/provinces_legacy.csv")) {
        let p = Province {
            code: num(r[0]),
            name: r[1].to_string(),
            kind: r[2].to_string(),
        };
        add(&mut g.province_keys, key(&p.name), p.code);
        g.provinces.insert(p.code, p);
    }
    for (k, c) in PROVINCE_NICKNAMES {
        add(&mut g.province_keys, k.to_string(), c);
    }
    for r in rows(include_str!("../../rules/places/provinces_2025.csv")) {
        let p = Province {
            code: num(r[0]),
            name: r[1].to_string(),
            kind: r[2].to_string(),
        };
        add(&mut g.province_2025_keys, key(&p.name), p.code);
        g.provinces_2025.insert(p.code, p);
    }
    for r in rows(include_str!("../../rules/places/districts_legacy.csv")) {
        let d = District {
            code: num(r[0]),
            province: num(r[1]),
            name: r[2].to_string(),
            kind: r[3].to_string(),
            accent: accent_key(r[2]),
        };
        add(&mut g.district_keys, key(&d.name), d.code);
        g.districts.insert(d.code, d);
    }
    for r in rows(include_str!("../../rules/places/communes_legacy.csv")) {
        let c = Commune {
            code: num(r[0]),
            district: num(r[1]),
            province: num(r[2]),
            name: r[3].to_string(),
            kind: r[4].to_string(),
            successors: Vec::new(),
            accent: accent_key(r[3]),
        };
        add(&mut g.commune_keys, key(&c.name), c.code);
        g.communes.insert(c.code, c);
    }
    for r in rows(include_str!("../../rules/places/communes_2025.csv")) {
        let c = Commune2025 {
            code: num(r[0]),
            province: num(r[1]),
            name: r[2].to_string(),
            kind: r[3].to_string(),
        };
        add(&mut g.commune_2025_keys, key(&c.name), c.code);
        g.communes_2025.insert(c.code, c);
    }
    for r in rows(include_str!("../../rules/places/crosswalk.csv")) {
        let (old, new, default): (u32, u32, bool) = (num(r[0]), num(r[1]), r[2] == "1");
        if let Some(c) = g.communes.get_mut(&old) {
            if default {
                c.successors.insert(0, new);
            } else {
                c.successors.push(new);
            }
        }
        g.predecessors.entry(new).or_default().push(old);
    }
    for r in rows(include_str!("../../rules/places/district_crosswalk.csv")) {
        g.district_to_2025
            .entry(num(r[0]))
            .or_default()
            .push(num(r[1]));
    }
    for r in rows(include_str!("../../rules/places/province_crosswalk.csv")) {
        g.province_to_2025.insert(num(r[0]), num(r[1]));
    }
    for r in rows(include_str!("../../rules/places/aliases.csv")) {
        add(&mut g.alias_keys, r[1].to_string(), num::<u32>(r[0]));
    }
    for r in rows(include_str!("../../rules/places/district_aliases.csv")) {
        let codes: Vec<u16> = r[3].split(';').map(num).collect();
        g.district_alias_keys
            .insert((num(r[0]), r[1].to_string()), codes);
    }
    g
});

impl Gazetteer {
    /// Add a user alias: an old name → a legacy commune code. `false` when the code is unknown.
    pub fn add_alias(&mut self, name: &str, commune: u32) -> bool {
        if !self.communes.contains_key(&commune) {
            return false;
        }
        add(&mut self.alias_keys, key(name), commune);
        true
    }

    /// The display name of a legacy commune with its type and parents.
    pub fn commune_label(&self, code: u32) -> String {
        let Some(c) = self.communes.get(&code) else {
            return String::new();
        };
        let d = &self.districts[&c.district];
        let p = &self.provinces[&c.province];
        format!(
            "{} {}, {} {}, {} {}",
            c.kind, c.name, d.kind, d.name, p.kind, p.name
        )
    }

    /// The display name of a 2025 commune with its province.
    pub fn commune_2025_label(&self, code: u32) -> String {
        let Some(c) = self.communes_2025.get(&code) else {
            return String::new();
        };
        let p = &self.provinces_2025[&c.province];
        format!("{} {}, {} {}", c.kind, c.name, p.kind, p.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        let g = &*GAZETTEER;
        assert_eq!(g.provinces.len(), 63);
        assert_eq!(g.districts.len(), 696);
        assert_eq!(g.communes.len(), 10_035);
        assert_eq!(g.provinces_2025.len(), 34);
        assert_eq!(g.communes_2025.len(), 3_321);
        assert_eq!(g.province_to_2025.len(), 63);
        let split = g
            .communes
            .values()
            .filter(|c| c.successors.len() > 1)
            .count();
        assert_eq!(split, 471);
    }

    #[test]
    fn every_legacy_commune_maps_into_its_2025_province() {
        let g = &*GAZETTEER;
        for c in g.communes.values() {
            assert!(!c.successors.is_empty(), "{} has no successor", c.code);
            let p2025 = g.province_to_2025[&c.province];
            assert!(
                c.successors
                    .iter()
                    .any(|s| g.communes_2025[s].province == p2025),
                "{} {} maps outside 2025 province {p2025}",
                c.code,
                c.name
            );
        }
    }

    #[test]
    fn keys() {
        assert_eq!(key("Thạch Long"), "thachlong");
        assert_eq!(key("04"), "4");
        assert_eq!(key("Phường 04"), "phuong04");
        assert_eq!(key("Đồng Môn"), "dongmon");
    }
}

//! Catalogues (`rules/catalog.toml`): sex, the 54 ethnic groups, nationality, with their aliases.
use super::id::Sex;
use super::text::loose_key;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

const CATALOG_TOML: &str = include_str!("../../rules/catalog.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    sex: SexFile,
    ethnicity: Vec<Vec<String>>,
    nationality: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SexFile {
    nam: Vec<String>,
    nu: Vec<String>,
    unknown: Vec<String>,
}

/// One catalogue entry: its code and its official name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// the code (GSO ethnic code, ISO country code)
    pub code: String,
    /// the official name
    pub name: String,
}

/// The catalogues, with lookup keys insensitive to case, diacritics and punctuation.
pub struct Catalog {
    sex: HashMap<String, Option<Sex>>,
    ethnicity: HashMap<String, usize>,
    /// ethnic groups in code order
    pub ethnic_groups: Vec<Entry>,
    nationality: HashMap<String, usize>,
    /// nationalities
    pub nationalities: Vec<Entry>,
}

fn table(rows: &[Vec<String>]) -> (HashMap<String, usize>, Vec<Entry>) {
    let mut keys = HashMap::new();
    let mut entries = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        entries.push(Entry {
            code: row[0].clone(),
            name: row[1].clone(),
        });
        for alias in &row[1..] {
            keys.insert(loose_key(alias), i);
        }
        // "Mông (Mèo)": the part before the bracket names the group too
        let bare = row[1].split('(').next().unwrap_or(&row[1]);
        keys.entry(loose_key(bare)).or_insert(i);
    }
    (keys, entries)
}

/// The embedded catalogues.
pub static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let file: CatalogFile = toml::from_str(CATALOG_TOML).expect("rules/catalog.toml is valid");
    let mut sex = HashMap::new();
    for (list, v) in [
        (&file.sex.nam, Some(Sex::Nam)),
        (&file.sex.nu, Some(Sex::Nu)),
        (&file.sex.unknown, None),
    ] {
        for a in list {
            sex.insert(loose_key(a), v);
        }
    }
    let (ethnicity, ethnic_groups) = table(&file.ethnicity);
    let (nationality, nationalities) = table(&file.nationality);
    Catalog {
        sex,
        ethnicity,
        ethnic_groups,
        nationality,
        nationalities,
    }
});

/// The result of a catalogue lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup<T> {
    /// nothing written
    Empty,
    /// found
    Found(T),
    /// written but not in the catalogue (kept verbatim)
    Unknown(String),
}

impl<T: Clone> Lookup<T> {
    /// The value, if found.
    pub fn found(&self) -> Option<T> {
        match self {
            Lookup::Found(v) => Some(v.clone()),
            _ => None,
        }
    }
}

impl Catalog {
    /// Sex from a cell ("Nam", "nữ", "1", "2", "F" …); `Found(None)` for "chưa xác định".
    pub fn sex(&self, raw: &str) -> Lookup<Option<Sex>> {
        let k = loose_key(raw);
        if k.is_empty() {
            return Lookup::Empty;
        }
        match self.sex.get(&k) {
            Some(v) => Lookup::Found(*v),
            None => Lookup::Unknown(raw.trim().to_string()),
        }
    }

    /// Ethnic group index (into `ethnic_groups`) from a name, alias or code.
    pub fn ethnicity(&self, raw: &str) -> Lookup<usize> {
        self.lookup(raw, &self.ethnicity, &self.ethnic_groups)
    }

    /// Nationality index (into `nationalities`) from a name, alias or code.
    pub fn nationality(&self, raw: &str) -> Lookup<usize> {
        self.lookup(raw, &self.nationality, &self.nationalities)
    }

    fn lookup(&self, raw: &str, keys: &HashMap<String, usize>, entries: &[Entry]) -> Lookup<usize> {
        let k = loose_key(raw);
        if k.is_empty() {
            return Lookup::Empty;
        }
        if let Some(&i) = keys.get(&k) {
            return Lookup::Found(i);
        }
        if let Some(i) = entries.iter().position(|e| loose_key(&e.code) == k) {
            return Lookup::Found(i);
        }
        // "Mông (Mèo)" written with a different bracket part
        let bare = loose_key(raw.split('(').next().unwrap_or(raw));
        match keys.get(&bare) {
            Some(&i) if !bare.is_empty() => Lookup::Found(i),
            _ => Lookup::Unknown(raw.trim().to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sex_values() {
        let c = &*CATALOG;
        assert_eq!(c.sex("Nam"), Lookup::Found(Some(Sex::Nam)));
        assert_eq!(c.sex("NỮ"), Lookup::Found(Some(Sex::Nu)));
        assert_eq!(c.sex("2"), Lookup::Found(Some(Sex::Nu)));
        assert_eq!(c.sex("Chưa xác định"), Lookup::Found(None));
        assert_eq!(c.sex(""), Lookup::Empty);
        assert!(matches!(c.sex("x"), Lookup::Unknown(_)));
    }

    #[test]
    fn fifty_four_groups_and_aliases() {
        let c = &*CATALOG;
        assert_eq!(
            c.ethnic_groups
                .iter()
                .filter(|e| e.code.as_str() <= "54")
                .count(),
            54
        );
        let mong = c.ethnicity("Mông").found().unwrap();
        assert_eq!(c.ethnicity("Mông (Mèo)").found(), Some(mong));
        assert_eq!(c.ethnicity("mèo").found(), Some(mong));
        assert_eq!(c.ethnicity("H'Mông").found(), Some(mong));
        assert_eq!(
            c.ethnic_groups[c.ethnicity("Khmer").found().unwrap()].name,
            "Khơ Me"
        );
        assert_eq!(
            c.ethnic_groups[c.ethnicity("kinh").found().unwrap()].code,
            "01"
        );
        assert_eq!(
            c.nationalities[c.nationality("Viet Nam").found().unwrap()].code,
            "VN"
        );
    }

    #[test]
    fn no_alias_names_two_entries() {
        let file: CatalogFile = toml::from_str(CATALOG_TOML).unwrap();
        for rows in [&file.ethnicity, &file.nationality] {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for row in rows {
                for a in &row[1..] {
                    if let Some(prev) = seen.insert(loose_key(a), &row[0]) {
                        assert_eq!(prev, row[0], "alias {a} names {prev} and {}", row[0]);
                    }
                }
            }
        }
    }
}

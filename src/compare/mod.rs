//! Compare: each candidate pair put at one level of each comparison (Splink's `Comparison` /
//! `ComparisonLevel`; γ). Every comparison is declared once, in [`COMPARISONS`]: its name, its
//! ordered levels, how it reads a subject and a person, whether it is soft, and the conflict field
//! it feeds with how that field is shown. The model, the conflicts, the outputs and `explain` all
//! derive from the declarations.
pub mod date;
mod memo;
pub mod name;
pub mod place;
pub mod syllable;

use crate::ingest::Table;
use crate::places::Places;
use crate::subjects::{Dataset, NameId, Person, PlaceId, Role, Subject};
use crate::vocab::Field;
use name::NameComparer;

/// A comparison has no value on one side.
pub const NULL: u8 = 15;

/// One level of a comparison: its code (in `model.json`) and what it means, in words.
#[derive(Clone, Copy, Debug)]
pub struct Level {
    /// the code
    pub code: &'static str,
    /// in Vietnamese
    pub vi: &'static str,
    /// in English
    pub en: &'static str,
}

impl Level {
    /// A level.
    pub const fn new(code: &'static str, vi: &'static str, en: &'static str) -> Level {
        Level { code, vi, en }
    }
}

/// The two values of a field as the outputs show them: the book's and the registry's.
pub type Shown = (String, String);

/// How a comparison's level makes a conflict, and how the field is shown.
#[derive(Clone, Copy)]
pub struct Conflict {
    /// the field it feeds
    pub field: Field,
    /// true when the pair disagrees on the field at this level (`NULL` when a side is empty)
    pub at: fn(&Comparer, &Subject, &Person, u8) -> bool,
    /// the book's and the registry's values
    pub show: fn(&Sources, &Subject, &Person) -> Shown,
}

/// One comparison.
#[derive(Clone, Copy)]
pub struct Comparison {
    /// the name in `model.json` and `explain`
    pub name: &'static str,
    /// what it compares, in Vietnamese
    pub vi: &'static str,
    /// what it compares, in English
    pub en: &'static str,
    /// the levels, most alike first
    pub levels: &'static [Level],
    /// the level of a pair; `None` when a side has no value
    pub level: LevelFn,
    /// a soft comparison never vetoes a link: the least share of matches each level keeps
    pub soft: Option<f64>,
    /// the conflict field it feeds
    pub conflict: Option<Conflict>,
}

macro_rules! comparisons {
    ($($(#[$doc:meta])* $var:ident => $decl:expr,)+) => {
        /// The comparisons, in vector order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Cmp { $($(#[$doc])* $var,)+ }
        /// Number of comparisons.
        pub const N: usize = [$(Cmp::$var,)+].len();
        /// Every comparison, in vector order.
        pub const COMPARISONS: [Comparison; N] = [$($decl,)+];

        /// The levels of a pair into `g`, each comparison's function called directly (a loop
        /// over the declarations calls each through a pointer and inlines none), but the three
        /// name parts, which [`Comparer::gamma`] reads together.
        #[inline(always)]
        fn levels_but_name_parts(c: &Comparer, s: &Subject, p: &Person, g: &mut Gamma) {
            $(
                if !matches!(Cmp::$var, Cmp::Family | Cmp::Middle | Cmp::Given) {
                    const F: LevelFn = COMPARISONS[Cmp::$var as usize].level;
                    if let Some(x) = F(c, s, p) {
                        g[Cmp::$var as usize] = x;
                    }
                }
            )+
        }
    };
}

/// How a comparison puts a pair at a level.
type LevelFn = fn(&Comparer, &Subject, &Person) -> Option<u8>;

/// A comparison vector.
pub type Gamma = [u8; N];

/// What the show functions read: the dataset and the tables its rows came from.
pub struct Sources<'a> {
    /// the data
    pub data: &'a Dataset,
    /// civil tables in dataset order
    pub civil: &'a [&'a Table],
    /// population tables in dataset order
    pub population: &'a [&'a Table],
}

/// The only columns of the tables read once the data are normalized (by [`Sources`]: the values
/// shown beside a conflict, the book and number of `links.csv` and `record_key`); `reconcile`
/// frees the others after normalize ([`Table::retain_columns`]).
pub const SHOWN_COLUMNS: [&str; 7] = [
    "quyenSo",
    "so",
    "nksNoiSinh",
    "noiDangKy",
    "noiCap",
    "noi_sinh",
    "noi_dang_ky_khai_sinh",
];

impl Sources<'_> {
    /// A cell of a subject's row, trimmed.
    pub fn civil_cell(&self, s: &Subject, column: &str) -> String {
        debug_assert!(SHOWN_COLUMNS.contains(&column), "{column} is not kept");
        self.civil[s.table as usize]
            .cell(s.row as usize, column)
            .trim()
            .to_string()
    }
    /// A cell of a person's row, trimmed.
    pub fn registry_cell(&self, p: &Person, column: &str) -> String {
        debug_assert!(SHOWN_COLUMNS.contains(&column), "{column} is not kept");
        self.population[p.source.0 as usize]
            .cell(p.source.1 as usize, column)
            .trim()
            .to_string()
    }
}

/// A name-part comparison's level (0 when the two names are the same).
fn names(
    c: &Comparer,
    s: &Subject,
    p: &Person,
    f: fn(&NameComparer, NameId, NameId) -> u8,
) -> Option<u8> {
    match (s.facts.name, p.facts.name) {
        (Some(a), Some(b)) if a == b => Some(0),
        (Some(a), Some(b)) => Some(f(&c.names, a, b)),
        _ => None,
    }
}

fn show_names(x: &Sources, s: &Subject, p: &Person) -> Shown {
    let n = &x.data.names;
    (n.display(s.facts.name), n.display(p.facts.name))
}

fn show_dates(_: &Sources, s: &Subject, p: &Person) -> Shown {
    let f = |d: Option<crate::normalize::PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
    (f(s.facts.dob), f(p.facts.dob))
}

/// A name part or a whole name disagrees: not the same, and not only missing diacritics.
fn names_disagree(_: &Comparer, _: &Subject, _: &Person, level: u8) -> bool {
    level != NULL && !name::agrees(level)
}

/// The commune whose book holds a birth is not the one the registry names as the place of birth
/// registration (nor its old or 2025 name, nor one merged into the same 2025 commune).
fn reg_place_conflict(c: &Comparer, s: &Subject, p: &Person, level: u8) -> bool {
    match (s.facts.reg_place, p.facts.reg_place) {
        (Some(a), Some(b)) if level != NULL && s.role == Role::Nks => {
            let g = c.places.gazetteer();
            crate::places::compare::same_unit(g, c.data.place(a), c.data.place(b)) == Some(false)
        }
        _ => false,
    }
}

fn differs(_: &Comparer, _: &Subject, _: &Person, level: u8) -> bool {
    level == 1
}

fn same_or_not<T: PartialEq>(a: Option<T>, b: Option<T>) -> Option<u8> {
    Some((a? != b?) as u8)
}

const SAME_DIFFERENT: [Level; 2] = [
    Level::new("same", "giống nhau", "the same"),
    Level::new("different", "khác nhau", "different"),
];

const ID_LEVELS: [Level; 4] = [
    Level::new("same_id", "trùng số định danh", "the same personal ID"),
    Level::new("same_cmnd", "trùng số CMND", "the same CMND"),
    Level::new("one_digit_off", "lệch một chữ số", "one digit off"),
    Level::new("different_id", "khác số định danh", "another personal ID"),
];

fn id_level(_: &Comparer, s: &Subject, p: &Person) -> Option<u8> {
    let (a, b) = (&s.facts, &p.facts);
    match (a.id, b.id) {
        (Some(x), Some(y)) if x == y => Some(0),
        (Some(x), Some(y)) if one_digit_off(x.value(), y.value()) => Some(2),
        (Some(_), Some(_)) => Some(3),
        _ => match (a.cmnd, b.cmnd) {
            (Some(x), Some(y)) if x == y => Some(1),
            _ => None,
        },
    }
}

fn place_of(c: &Comparer, a: Option<PlaceId>, b: Option<PlaceId>) -> Option<u8> {
    c.place_keys.level(c.places, &c.data.places, a, b)
}

fn birth_place_conflict(c: &Comparer, s: &Subject, p: &Person, level: u8) -> bool {
    match (s.facts.birth_place, p.facts.birth_place) {
        (Some(a), Some(b)) if level != NULL => {
            place::is_conflict(level, c.data.place(a), c.data.place(b))
        }
        _ => false,
    }
}

fn show_birth_places(x: &Sources, s: &Subject, p: &Person) -> Shown {
    (
        x.civil_cell(s, "nksNoiSinh"),
        x.registry_cell(p, "noi_sinh"),
    )
}

comparisons! {
    /// family name
    Family => Comparison {
        name: "family_name",
        vi: "họ",
        en: "family name",
        levels: &name::family::LEVELS,
        level: |c, s, p| names(c, s, p, |n, a, b| n.family(a, b)),
        soft: None,
        conflict: Some(Conflict { field: Field::Name, at: names_disagree, show: show_names }),
    },
    /// middle name
    Middle => Comparison {
        name: "middle_name",
        vi: "chữ đệm",
        en: "middle name",
        levels: &name::middle::LEVELS,
        level: |c, s, p| names(c, s, p, |n, a, b| n.middle(a, b)),
        soft: None,
        conflict: Some(Conflict { field: Field::Name, at: names_disagree, show: show_names }),
    },
    /// given name
    Given => Comparison {
        name: "given_name",
        vi: "tên",
        en: "given name",
        levels: &name::given::LEVELS,
        level: |c, s, p| names(c, s, p, |n, a, b| n.given(a, b)),
        soft: None,
        conflict: Some(Conflict { field: Field::Name, at: names_disagree, show: show_names }),
    },
    /// date of birth
    Dob => Comparison {
        name: "dob",
        vi: "ngày sinh",
        en: "date of birth",
        levels: &date::dob::LEVELS,
        level: |_, s, p| date::compare_book_registry(s.facts.dob, p.facts.dob),
        soft: None,
        conflict: Some(Conflict {
            field: Field::Dob,
            at: |_, _, _, l| l != NULL && date::is_conflict(l),
            show: show_dates,
        }),
    },
    /// sex
    Sex => Comparison {
        name: "sex",
        vi: "giới tính",
        en: "sex",
        levels: &SAME_DIFFERENT,
        level: |_, s, p| same_or_not(s.facts.sex, p.facts.sex),
        soft: None,
        conflict: Some(Conflict {
            field: Field::Gender,
            at: differs,
            show: |_, s, p| {
                let f = |x: Option<crate::normalize::Sex>| x.map(|x| x.label().to_string()).unwrap_or_default();
                (f(s.facts.sex), f(p.facts.sex))
            },
        }),
    },
    /// place of birth
    BirthPlace => Comparison {
        name: "birth_place",
        vi: "nơi sinh",
        en: "place of birth",
        levels: &place::levels::LEVELS,
        level: |c, s, p| place_of(c, s.facts.birth_place, p.facts.birth_place),
        soft: None,
        conflict: Some(Conflict {
            field: Field::BirthPlace,
            at: birth_place_conflict,
            show: show_birth_places,
        }),
    },
    /// the place of birth registration: a birth record's agency against the registry's
    RegPlace => Comparison {
        name: "birth_registration_place",
        vi: "nơi đăng ký khai sinh",
        en: "place of birth registration",
        levels: &place::levels::LEVELS,
        level: |c, s, p| {
            (s.role == Role::Nks).then(|| place_of(c, s.facts.reg_place, p.facts.reg_place)).flatten()
        },
        soft: None,
        conflict: Some(Conflict {
            field: Field::BirthPlace,
            at: reg_place_conflict,
            show: |x, s, p| {
                let agency = match x.civil_cell(s, "noiDangKy") {
                    a if a.is_empty() => x.civil_cell(s, "noiCap"),
                    a => a,
                };
                (agency, x.registry_cell(p, "noi_dang_ky_khai_sinh"))
            },
        }),
    },
    /// ethnic group
    Ethnicity => Comparison {
        name: "ethnicity",
        vi: "dân tộc",
        en: "ethnicity",
        levels: &SAME_DIFFERENT,
        level: |_, s, p| same_or_not(s.facts.ethnicity, p.facts.ethnicity),
        soft: None,
        conflict: Some(Conflict {
            field: Field::Ethnicity,
            at: differs,
            show: |_, s, p| {
                let f = |e: Option<u8>| {
                    e.map(|i| crate::normalize::catalog::CATALOG.ethnic_groups[i as usize].name.clone())
                        .unwrap_or_default()
                };
                (f(s.facts.ethnicity), f(p.facts.ethnicity))
            },
        }),
    },
    /// father's name
    Father => Comparison {
        name: "father_name",
        vi: "họ tên cha",
        en: "father's name",
        levels: &name::whole::LEVELS,
        level: |c, s, p| c.names.whole(s.facts.father, p.facts.father),
        soft: None,
        conflict: Some(Conflict {
            field: Field::FatherName,
            // (a birth book that leaves the father blank is decided in classify: it depends on
            // whether a recognition in the books explains it)
            at: names_disagree,
            show: |x, s, p| (x.data.names.display(s.facts.father), x.data.names.display(p.facts.father)),
        }),
    },
    /// mother's name
    Mother => Comparison {
        name: "mother_name",
        vi: "họ tên mẹ",
        en: "mother's name",
        levels: &name::whole::LEVELS,
        level: |c, s, p| c.names.whole(s.facts.mother, p.facts.mother),
        soft: None,
        conflict: Some(Conflict {
            field: Field::MotherName,
            at: names_disagree,
            show: |x, s, p| (x.data.names.display(s.facts.mother), x.data.names.display(p.facts.mother)),
        }),
    },
    /// spouse's name: the registry shows the present spouse, an old marriage book may name an
    /// earlier one (widowed or divorced, then remarried), so it is soft
    Spouse => Comparison {
        name: "spouse_name",
        vi: "họ tên vợ/chồng",
        en: "spouse's name",
        levels: &name::whole::LEVELS,
        level: |c, s, p| c.names.whole(s.facts.spouse, p.facts.spouse),
        soft: Some(0.03),
        conflict: None,
    },
    /// personal ID or CMND: an ID copied by hand into a book (a slipped digit, a parent's number)
    /// must not veto a record that agrees on everything else, so it is soft
    Id => Comparison {
        name: "personal_id",
        vi: "số định danh / CMND",
        en: "personal ID / CMND",
        levels: &ID_LEVELS,
        level: id_level,
        soft: Some(0.002),
        conflict: None,
    },
    /// where the person lives: people move (wives to the husband's commune), so it is soft
    Residence => Comparison {
        name: "residence",
        vi: "nơi cư trú",
        en: "residence",
        levels: &place::levels::LEVELS,
        level: |c, s, p| place_of(c, s.facts.residence, p.facts.residence),
        soft: Some(0.02),
        conflict: None,
    },
    /// a death, marriage or certification registered where the person's birth was (people often
    /// marry, certify and die in the commune where they were born); soft like the residence
    Origin => Comparison {
        name: "origin",
        vi: "nơi đăng ký so với nơi khai sinh",
        en: "registering agency against the birth registration",
        levels: &place::levels::LEVELS,
        level: |c, s, p| {
            (s.role != Role::Nks)
                .then(|| place_of(c, s.facts.reg_place, p.facts.reg_place.or(p.facts.birth_place)))
                .flatten()
        },
        soft: Some(0.02),
        conflict: None,
    },
    /// quê quán, the family's place of origin: books and the registry often name it at another
    /// precision (a district, a province) or after a father's origin, so it is soft
    Home => Comparison {
        name: "que_quan",
        vi: "quê quán",
        en: "place of origin (quê quán)",
        levels: &place::levels::LEVELS,
        level: |c, s, p| place_of(c, s.facts.home, p.facts.home),
        soft: Some(0.02),
        conflict: None,
    },
}

/// Ask the CPU to start loading `x` into the cache (a hint: never faults, no effect elsewhere).
#[inline(always)]
pub fn prefetch<T>(x: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing and never faults, whatever the address
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(x as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Prefetch a person's facts (one cache line), a few pairs before they are compared.
#[inline(always)]
pub fn prefetch_person(data: &Dataset, p: crate::subjects::PersonIdx) {
    prefetch(&data.person(p).facts);
}

/// Prefetch the name entries a person's comparisons read (its facts were prefetched earlier).
#[inline(always)]
pub fn prefetch_names(data: &Dataset, p: crate::subjects::PersonIdx) {
    let f = &data.person(p).facts;
    // what the comparisons read of a name is in its first cache line
    for n in [f.name, f.mother, f.father].into_iter().flatten() {
        prefetch(data.names.get(n));
    }
    if let Some(b) = f.birth_place {
        prefetch(data.place(b));
    }
}

/// Pack a vector into 4 bits per comparison.
pub fn pack(g: &Gamma) -> u64 {
    g.iter()
        .enumerate()
        .fold(0u64, |acc, (i, &l)| acc | ((l as u64 & 0xF) << (4 * i)))
}

/// Unpack a packed vector.
pub fn unpack(p: u64) -> Gamma {
    let mut g = [0u8; N];
    for (i, l) in g.iter_mut().enumerate() {
        *l = ((p >> (4 * i)) & 0xF) as u8;
    }
    g
}

/// Compares subjects with persons of one dataset.
pub struct Comparer<'a> {
    /// the data
    pub data: &'a Dataset,
    /// names
    pub names: NameComparer<'a>,
    /// places
    pub places: &'a Places,
    /// the places as the comparisons read them
    place_keys: place::Keys,
}

impl<'a> Comparer<'a> {
    /// A comparer over a dataset.
    pub fn new(data: &'a Dataset, places: &'a Places, costs: &'a crate::rules::Costs) -> Self {
        Comparer {
            data,
            names: NameComparer {
                names: &data.names,
                costs,
            },
            places,
            place_keys: place::Keys::new(places, &data.places),
        }
    }

    /// The comparison vector of a pair: each comparison's level as [`COMPARISONS`] declares it
    /// (a test holds the two equal), the family, middle and given names from one reading of the
    /// two names ([`NameComparer::parts3`]).
    #[inline]
    pub fn gamma(&self, s: &Subject, p: &Person) -> Gamma {
        let mut g = [NULL; N];
        if let (Some(a), Some(b)) = (s.facts.name, p.facts.name) {
            let (family, middle, given) = self.names.parts3(a, b);
            g[Cmp::Family as usize] = family;
            g[Cmp::Middle as usize] = middle;
            g[Cmp::Given as usize] = given;
        }
        levels_but_name_parts(self, s, p, &mut g);
        g
    }

    /// The comparison vector of a pair, each level from its declaration in turn: what
    /// [`Comparer::gamma`] must give.
    pub fn gamma_declared(&self, s: &Subject, p: &Person) -> Gamma {
        let mut g = [NULL; N];
        for (l, c) in g.iter_mut().zip(COMPARISONS.iter()) {
            if let Some(x) = (c.level)(self, s, p) {
                *l = x;
            }
        }
        g
    }

    /// The conflicting fields of a pair at `g`, each once, with its shown values (the first
    /// comparison that finds the conflict shows it), in field order.
    pub fn conflicts(&self, s: &Subject, p: &Person, g: &Gamma) -> Vec<(Field, usize)> {
        let mut out: Vec<(Field, usize)> = Vec::new();
        for (i, c) in COMPARISONS.iter().enumerate() {
            if let Some(k) = c.conflict
                && (k.at)(self, s, p, g[i])
                && !out.iter().any(|(f, _)| *f == k.field)
            {
                out.push((k.field, i));
            }
        }
        out.sort_by_key(|(f, _)| *f);
        out
    }
}

/// Two 12-digit IDs one typing slip apart: one digit replaced, or two neighbours swapped.
fn one_digit_off(a: u64, b: u64) -> bool {
    let digit = |v: u64, i: u32| (v / 10u64.pow(i)) % 10;
    // the positions that differ, stopping at a third (called on every pair with two IDs)
    let mut diff = [0u32; 2];
    let mut n = 0;
    for i in 0..12 {
        if digit(a, i) != digit(b, i) {
            if n == 2 {
                return false;
            }
            diff[n] = i;
            n += 1;
        }
    }
    let [i, j] = diff;
    match n {
        1 => true,
        2 => j == i + 1 && digit(a, i) == digit(b, j) && digit(a, j) == digit(b, i),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_slips() {
        assert!(one_digit_off(42185000111, 42085000111));
        assert!(one_digit_off(42085000111, 42085001011));
        assert!(!one_digit_off(42085000111, 42085000222));
        assert!(!one_digit_off(42185000111, 42085000112));
        // every slip of every position of one ID, against the definition
        let a = 42_185_000_111u64;
        let digit = |v: u64, i: u32| (v / 10u64.pow(i)) % 10;
        let by_definition = |b: u64| {
            let diff: Vec<u32> = (0..12).filter(|&i| digit(a, i) != digit(b, i)).collect();
            match diff.as_slice() {
                [_] => true,
                [i, j] => {
                    *j == i + 1 && digit(a, *i) == digit(b, *j) && digit(a, *j) == digit(b, *i)
                }
                _ => false,
            }
        };
        for i in 0..12 {
            for d in 0..10 {
                for j in 0..12 {
                    for e in 0..10 {
                        let set = |v: u64, k: u32, x: u64| {
                            v - digit(v, k) * 10u64.pow(k) + x * 10u64.pow(k)
                        };
                        let b = set(set(a, i, d), j, e);
                        assert_eq!(one_digit_off(a, b), by_definition(b), "{a} {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn pack_round_trip() {
        let mut g: Gamma = [NULL; N];
        for (i, x) in g.iter_mut().enumerate() {
            *x = (i % 5) as u8;
        }
        g[5] = NULL;
        assert_eq!(unpack(pack(&g)), g);
        const { assert!(4 * N <= 64, "a vector packs into 64 bits") };
    }

    #[test]
    fn declarations_are_consistent() {
        let mut names = std::collections::HashSet::new();
        for c in &COMPARISONS {
            assert!(names.insert(c.name), "{} declared twice", c.name);
            assert!(
                (2..NULL as usize).contains(&c.levels.len()),
                "{}: levels",
                c.name
            );
            assert!(
                c.soft
                    .is_none_or(|f| f > 0.0 && f * c.levels.len() as f64 <= 1.0)
            );
        }
    }
}

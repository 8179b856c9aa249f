//! Compare: each candidate pair put at one level of each comparison (Splink's `Comparison` /
//! `ComparisonLevel`; γ). Levels are small integers; `NULL` when a side has no value.
pub mod date;
pub mod name;

use crate::places::{PlaceLevel, Places};
use crate::subjects::intern::NONE;
use crate::subjects::{Dataset, PersonRec, Subject};
use name::NameComparer;

/// A comparison has no value on one side.
pub const NULL: u8 = 15;

/// The comparisons, in vector order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// family name
    Family = 0,
    /// middle name
    Middle,
    /// given name
    Given,
    /// date of birth
    Dob,
    /// sex
    Sex,
    /// place of birth
    BirthPlace,
    /// place of birth registration
    RegPlace,
    /// ethnicity
    Ethnicity,
    /// father's name
    Father,
    /// mother's name
    Mother,
    /// spouse's name
    Spouse,
    /// personal ID / CMND
    Id,
    /// where the person lives
    Residence,
    /// a death, marriage or certification registered where the person's birth was
    Origin,
}

/// Number of comparisons.
pub const N: usize = 14;

/// A comparison vector.
pub type Gamma = [u8; N];

/// One comparison's name and level labels.
pub struct Spec {
    /// name in model.json and explanations
    pub name: &'static str,
    /// level labels, level 0 first
    pub levels: &'static [&'static str],
}

/// The comparisons' specs, in vector order.
pub const SPECS: [Spec; N] = [
    Spec {
        name: "family_name",
        levels: &name::family::LABELS,
    },
    Spec {
        name: "middle_name",
        levels: &name::middle::LABELS,
    },
    Spec {
        name: "given_name",
        levels: &name::given::LABELS,
    },
    Spec {
        name: "dob",
        levels: &date::dob::LABELS,
    },
    Spec {
        name: "sex",
        levels: &["same", "different"],
    },
    Spec {
        name: "birth_place",
        levels: &[
            "same_commune",
            "same_district",
            "same_province",
            "different",
        ],
    },
    Spec {
        name: "birth_registration_place",
        levels: &[
            "same_commune",
            "same_district",
            "same_province",
            "different",
        ],
    },
    Spec {
        name: "ethnicity",
        levels: &["same", "different"],
    },
    Spec {
        name: "father_name",
        levels: &name::whole::LABELS,
    },
    Spec {
        name: "mother_name",
        levels: &name::whole::LABELS,
    },
    Spec {
        name: "spouse_name",
        levels: &name::whole::LABELS,
    },
    Spec {
        name: "personal_id",
        levels: &["same_id", "same_cmnd", "one_digit_off", "different_id"],
    },
    Spec {
        name: "residence",
        levels: &[
            "same_commune",
            "same_district",
            "same_province",
            "different",
        ],
    },
    Spec {
        name: "origin",
        levels: &[
            "same_commune",
            "same_district",
            "same_province",
            "different",
        ],
    },
];

/// Pack a vector into 56 bits (4 per comparison).
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

fn place_level(l: PlaceLevel) -> u8 {
    match l {
        PlaceLevel::SameCommune => 0,
        PlaceLevel::SameDistrict => 1,
        PlaceLevel::SameProvince => 2,
        PlaceLevel::Different => 3,
        PlaceLevel::Unknown => NULL,
    }
}

/// Compares subjects with persons of one dataset.
pub struct Comparer<'a> {
    /// the data
    pub data: &'a Dataset,
    /// names
    pub names: NameComparer<'a>,
    /// places
    pub places: &'a Places,
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
        }
    }

    fn place(&self, a: u32, b: u32) -> u8 {
        if a == NONE || b == NONE {
            return NULL;
        }
        place_level(
            self.places
                .compare(&self.data.places[a as usize], &self.data.places[b as usize]),
        )
    }

    /// The comparison vector of a pair.
    pub fn gamma(&self, s: &Subject, p: &PersonRec) -> Gamma {
        let mut g = [NULL; N];
        if s.name != NONE && s.name == p.name {
            g[Cmp::Family as usize] = 0;
            g[Cmp::Middle as usize] = 0;
            g[Cmp::Given as usize] = 0;
        } else if s.name != NONE && p.name != NONE {
            g[Cmp::Family as usize] = self.names.family(s.name, p.name);
            g[Cmp::Middle as usize] = self.names.middle(s.name, p.name);
            g[Cmp::Given as usize] = self.names.given(s.name, p.name);
        }
        g[Cmp::Dob as usize] = date::compare_dob(s.dob, p.dob).unwrap_or(NULL);
        if let (Some(a), Some(b)) = (s.sex, p.sex) {
            g[Cmp::Sex as usize] = (a != b) as u8;
        }
        g[Cmp::BirthPlace as usize] = self.place(s.birth_place, p.birth_place);
        if s.role == crate::subjects::Role::Nks {
            g[Cmp::RegPlace as usize] = self.place(s.reg_place, p.reg_place);
        } else {
            // people often marry, certify and die in the commune where they were born
            let origin = if p.reg_place != NONE {
                p.reg_place
            } else {
                p.birth_place
            };
            g[Cmp::Origin as usize] = self.place(s.reg_place, origin);
        }
        if let (Some(a), Some(b)) = (s.ethnicity, p.ethnicity) {
            g[Cmp::Ethnicity as usize] = (a != b) as u8;
        }
        g[Cmp::Father as usize] = self.names.whole(s.father, p.father).unwrap_or(NULL);
        g[Cmp::Mother as usize] = self.names.whole(s.mother, p.mother).unwrap_or(NULL);
        g[Cmp::Spouse as usize] = self.names.whole(s.spouse, p.spouse).unwrap_or(NULL);
        g[Cmp::Residence as usize] = self.place(s.residence, p.residence);
        g[Cmp::Id as usize] = match (s.id, p.id) {
            (Some(a), Some(b)) if a == b => 0,
            (Some(a), Some(b)) if one_digit_off(&a.digits(), &b.digits()) => 2,
            (Some(_), Some(_)) => 3,
            _ => match (s.cmnd, p.cmnd) {
                (Some(a), Some(b)) if a == b => 1,
                _ => NULL,
            },
        };
        g
    }
}

/// Two IDs one typing slip apart: one digit replaced, or two neighbours swapped.
fn one_digit_off(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_slips() {
        assert!(one_digit_off("042185000111", "042085000111"));
        assert!(one_digit_off("042085000111", "042085001011"));
        assert!(!one_digit_off(
            "042085000111",
            "042085000111".replace("111", "222").as_str()
        ));
        assert!(!one_digit_off("042185000111", "042085000112"));
    }

    #[test]
    fn pack_round_trip() {
        let g: Gamma = [0, 1, 2, 3, 4, NULL, 0, 1, 2, 3, NULL, 0, 3, 2];
        assert_eq!(unpack(pack(&g)), g);
    }
}

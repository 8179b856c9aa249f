//! Subjects: the persons each civil record is about (with their role), and the registry's persons,
//! as typed normalized values over interned names and places.
pub mod build;
mod civil;
mod dedupe;
pub mod ids;
pub mod names;
mod places;
pub mod record;
mod registry;
pub mod syllables;

pub use build::build;
pub use ids::{NameId, PersonIdx, PlaceId};
pub use record::{Facts, Person, RegisterNumber, Subject};

use crate::ingest::RecordType;
use crate::places::PlaceRef;
use names::NameTable;
use serde::Serialize;

/// The role of a subject in its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// người được khai sinh (KS)
    Nks,
    /// người được khai tử (KT)
    Nkt,
    /// chồng (KH)
    Chong,
    /// vợ (KH)
    Vo,
    /// cha/mẹ (CMC)
    Cm,
    /// con (CMC)
    Nc,
    /// người được xác nhận (HN)
    Nxn,
}

impl Role {
    /// The code used in outputs.
    pub fn code(self) -> &'static str {
        match self {
            Role::Nks => "nks",
            Role::Nkt => "nkt",
            Role::Chong => "chong",
            Role::Vo => "vo",
            Role::Cm => "cm",
            Role::Nc => "nc",
            Role::Nxn => "nxn",
        }
    }
    /// The roles of a record type, in output order.
    pub fn of(t: RecordType) -> &'static [Role] {
        match t {
            RecordType::KS => &[Role::Nks],
            RecordType::KT => &[Role::Nkt],
            RecordType::KH => &[Role::Chong, Role::Vo],
            RecordType::CMC => &[Role::Cm, Role::Nc],
            RecordType::HN => &[Role::Nxn],
        }
    }
    /// Every role.
    pub const ALL: [Role; 7] = [
        Role::Nks,
        Role::Nkt,
        Role::Chong,
        Role::Vo,
        Role::Cm,
        Role::Nc,
        Role::Nxn,
    ];
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// Marital status as the registry records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Marital {
    /// not recorded
    #[default]
    Unknown,
    /// chưa kết hôn / độc thân
    Single,
    /// đã kết hôn / có vợ / có chồng
    Married,
    /// ly hôn
    Divorced,
    /// góa
    Widowed,
}

/// The value of a cell of a column with few distinct values (sex, ethnicity, marital status),
/// computed once per thread and text: `f` folds and looks up, a few hundred instructions a cell.
pub(crate) fn memo<V: Copy + 'static>(
    cache: &'static std::thread::LocalKey<std::cell::RefCell<rustc_hash::FxHashMap<String, V>>>,
    s: &str,
    f: impl FnOnce(&str) -> V,
) -> V {
    cache.with(|seen| {
        if let Some(&v) = seen.borrow().get(s) {
            return v;
        }
        let v = f(s);
        let mut seen = seen.borrow_mut();
        if seen.len() > 4096 {
            seen.clear();
        }
        seen.insert(s.to_string(), v);
        v
    })
}

/// Read a marital status cell (a column of a few distinct values, each read once per thread).
pub fn parse_marital(s: &str) -> Marital {
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<String, Marital>> = Default::default();
    }
    memo(&SEEN, s, marital_of)
}

fn marital_of(s: &str) -> Marital {
    let k = crate::normalize::text::loose_key(s);
    if k.is_empty() {
        Marital::Unknown
    } else if k.contains("chuaketho")
        || k.contains("chuacovo")
        || k.contains("chuacochong")
        || k.contains("docthan")
    {
        Marital::Single
    } else if k.contains("lyhon") || k.contains("lydi") {
        Marital::Divorced
    } else if k.contains("goa") {
        Marital::Widowed
    } else if k.contains("daketho") || k.contains("covo") || k.contains("cochong") || k == "kethon"
    {
        Marital::Married
    } else {
        Marital::Unknown
    }
}

/// A civil file's identity for provenance.
#[derive(Clone, Debug)]
pub struct CivilFile {
    /// relative path
    pub source_file: String,
    /// record type
    pub record_type: RecordType,
}

/// Everything normalized, ready for blocking.
pub struct Dataset {
    /// interned names
    pub names: NameTable,
    /// resolved places by id
    pub places: Vec<PlaceRef>,
    /// the civil subjects, in file order then row then role
    pub subjects: Vec<Subject>,
    /// the registry's persons
    pub persons: Vec<Person>,
    /// civil files
    pub civil_files: Vec<CivilFile>,
    /// population files
    pub population_files: Vec<String>,
    /// the job's province (given or inferred)
    pub province: Option<u8>,
    /// rows of the extract set aside because an earlier row has their ID
    pub duplicate_ids: Vec<DuplicateId>,
}

/// A row of the extract whose personal ID an earlier row has: set aside (the first row is the
/// one linked) and reported as a `duplicate_id` finding.
#[derive(Clone, Debug)]
pub struct DuplicateId {
    /// the ID both rows carry
    pub person_id: String,
    /// the set-aside row's name
    pub name: Option<NameId>,
    /// its date of birth
    pub dob: Option<crate::normalize::PartialDate>,
    /// `file:row` of the row set aside
    pub set_aside: String,
    /// `file:row` of the row kept
    pub kept: String,
}

impl Dataset {
    /// A resolved place.
    #[inline]
    pub fn place(&self, id: PlaceId) -> &PlaceRef {
        &self.places[id.index()]
    }
    /// A registry person.
    #[inline]
    pub fn person(&self, i: PersonIdx) -> &Person {
        &self.persons[i.index()]
    }
    /// The source file of a subject.
    pub fn source_file(&self, s: &Subject) -> &str {
        &self.civil_files[s.table as usize].source_file
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marital_statuses() {
        assert_eq!(parse_marital("Chưa kết hôn"), Marital::Single);
        assert_eq!(parse_marital("Độc thân"), Marital::Single);
        assert_eq!(parse_marital("Đã kết hôn"), Marital::Married);
        assert_eq!(parse_marital("Có vợ"), Marital::Married);
        assert_eq!(parse_marital("Ly hôn"), Marital::Divorced);
        assert_eq!(parse_marital(""), Marital::Unknown);
    }
}

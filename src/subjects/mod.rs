//! Subjects: the persons each civil record is about (with their role), and the registry's persons,
//! as typed normalized values over interned names and places.
pub mod build;
pub mod intern;

pub use build::build;

use crate::ingest::RecordType;
use crate::normalize::{PartialDate, PersonalId, Sex};
use crate::places::PlaceRef;
use intern::NameTable;
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
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<Role> {
        [
            Role::Nks,
            Role::Nkt,
            Role::Chong,
            Role::Vo,
            Role::Cm,
            Role::Nc,
            Role::Nxn,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
    /// The template column prefix of the role.
    fn prefix(self) -> &'static str {
        self.code()
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

/// Read a marital status cell.
pub fn parse_marital(s: &str) -> Marital {
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

/// Flag bits of a subject.
pub mod flag {
    /// a date that cannot be read, or a month above 12, or an implausible year
    pub const INVALID_DATE: u32 = 1;
    /// a day past the month's end (30/02)
    pub const IMPOSSIBLE_DATE: u32 = 1 << 1;
    /// registered before the event (birth or death)
    pub const REGISTRATION_BEFORE_EVENT: u32 = 1 << 2;
    /// no signer (nguoiKy) recorded
    pub const MISSING_SIGNER: u32 = 1 << 3;
    /// no book number (quyenSo) or register number (so)
    pub const MISSING_BOOK_NUMBER: u32 = 1 << 4;
    /// the register number continues the previous year's numbering
    pub const NUMBERING_CONTINUED: u32 = 1 << 5;
    /// the ID's sex digit disagrees with the record's sex
    pub const ID_SEX_MISMATCH: u32 = 1 << 6;
    /// the ID's year digits disagree with the record's birth year
    pub const ID_BIRTH_YEAR_MISMATCH: u32 = 1 << 7;
    /// the ID's province digits disagree with the birth-registration province
    pub const ID_PROVINCE_MISMATCH: u32 = 1 << 8;
    /// a place that no unit matches ("lưu nháp")
    pub const UNRESOLVED_PLACE: u32 = 1 << 9;
    /// a legacy encoding was decoded in the record
    pub const LEGACY_ENCODING: u32 = 1 << 10;
    /// the same book key (agency, book, number, year) appears more than once
    pub const DUPLICATE_BOOK_KEY: u32 = 1 << 11;
    /// the same event of the same person registered more than once
    pub const DUPLICATE_EVENT: u32 = 1 << 12;
    /// a malformed ID (wrong length, letters, unknown province)
    pub const INVALID_ID: u32 = 1 << 13;
    /// a mandatory field is empty (name, or date of birth for KS)
    pub const MISSING_MANDATORY: u32 = 1 << 14;
    /// a two-digit year was expanded
    pub const TWO_DIGIT_YEAR: u32 = 1 << 15;
    /// no person found, and old enough at the baseline to be presumed dead before it
    pub const PRESUMED_DEAD: u32 = 1 << 16;

    /// (bit, code) in output order.
    pub const ALL: [(u32, &str); 17] = [
        (INVALID_DATE, "invalid_date"),
        (IMPOSSIBLE_DATE, "impossible_date"),
        (REGISTRATION_BEFORE_EVENT, "registration_before_event"),
        (MISSING_SIGNER, "missing_signer"),
        (MISSING_BOOK_NUMBER, "missing_book_number"),
        (NUMBERING_CONTINUED, "numbering_continued"),
        (ID_SEX_MISMATCH, "id_sex_mismatch"),
        (ID_BIRTH_YEAR_MISMATCH, "id_birth_year_mismatch"),
        (ID_PROVINCE_MISMATCH, "id_province_mismatch"),
        (UNRESOLVED_PLACE, "unresolved_place"),
        (LEGACY_ENCODING, "legacy_encoding"),
        (DUPLICATE_BOOK_KEY, "duplicate_book_key"),
        (DUPLICATE_EVENT, "duplicate_event"),
        (INVALID_ID, "invalid_id"),
        (MISSING_MANDATORY, "missing_mandatory_field"),
        (TWO_DIGIT_YEAR, "two_digit_year"),
        (PRESUMED_DEAD, "presumed_dead"),
    ];
}

/// One person a civil record is about.
#[derive(Clone, Debug)]
pub struct Subject {
    /// index into [`Dataset::civil_files`]
    pub table: u32,
    /// data row index in its table
    pub row: u32,
    /// spreadsheet row number
    pub source_row: u32,
    /// record type
    pub record_type: RecordType,
    /// role in the record
    pub role: Role,
    /// name id
    pub name: u32,
    /// sex (from the record, or implied by the role)
    pub sex: Option<Sex>,
    /// date of birth
    pub dob: Option<PartialDate>,
    /// place of birth (place id; KS only)
    pub birth_place: u32,
    /// registration place (place id)
    pub reg_place: u32,
    /// where the person lived: the record's `*NoiCuTru`, else the registering agency (deaths,
    /// marriages and certifications are registered where the person lives); none for births
    pub residence: u32,
    /// registration date
    pub reg_date: Option<PartialDate>,
    /// ethnic group index
    pub ethnicity: Option<u8>,
    /// father's name id (KS)
    pub father: u32,
    /// mother's name id (KS)
    pub mother: u32,
    /// spouse's name id (KH: the other party)
    pub spouse: u32,
    /// personal ID in the record
    pub id: Option<PersonalId>,
    /// 9-digit CMND in the record
    pub cmnd: Option<u32>,
    /// death date (KT) or marriage date (KH)
    pub event_date: Option<PartialDate>,
    /// KH: the marriage was later dissolved (divorce / annulment noted)
    pub dissolved: bool,
    /// HN: the certified marital status
    pub certified: Marital,
    /// book key hash (agency, type, book, number, year), if the number is present
    pub book_key: Option<u64>,
    /// the register number's numeric part and the registration year, for numbering checks
    pub number: Option<(u64, u32, u16)>,
    /// flag bits ([`flag`])
    pub flags: u32,
    /// legacy encodings decoded in the row (bits by `Encoding as u8`)
    pub decoded: u8,
}

/// One person of the population extract.
#[derive(Clone, Debug)]
pub struct PersonRec {
    /// the personal ID, or `file:row` when the extract has none
    pub person_id: String,
    /// name id
    pub name: u32,
    /// sex
    pub sex: Option<Sex>,
    /// date of birth
    pub dob: Option<PartialDate>,
    /// place of birth (place id)
    pub birth_place: u32,
    /// place of birth registration (place id)
    pub reg_place: u32,
    /// permanent residence (place id)
    pub residence: u32,
    /// ethnic group index
    pub ethnicity: Option<u8>,
    /// father's name id
    pub father: u32,
    /// mother's name id
    pub mother: u32,
    /// spouse's name id
    pub spouse: u32,
    /// personal ID
    pub id: Option<PersonalId>,
    /// CMND
    pub cmnd: Option<u32>,
    /// date of death
    pub death: Option<PartialDate>,
    /// marital status
    pub marital: Marital,
    /// population table index and data row index
    pub source: (u32, u32),
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
    pub persons: Vec<PersonRec>,
    /// civil files
    pub civil_files: Vec<CivilFile>,
    /// population files
    pub population_files: Vec<String>,
    /// the job's province (given or inferred)
    pub province: Option<u8>,
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

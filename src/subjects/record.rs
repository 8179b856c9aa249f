//! The typed records: what a civil subject and a registry person both say about someone
//! ([`Facts`], the part that blocking and comparison read), and what only each side has.
use super::ids::{NameId, PlaceId};
use super::{Marital, Role};
use crate::ingest::RecordType;
use crate::normalize::{PartialDate, PersonalId, Sex};
use crate::vocab::Flags;

/// What both sides say about a person, normalized and interned: 64 bytes, one cache line (a
/// test holds it there), since every candidate pair reads a person's facts first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// name
    pub name: Option<NameId>,
    /// sex (a subject's from its record, or implied by its role)
    pub sex: Option<Sex>,
    /// date of birth
    pub dob: Option<PartialDate>,
    /// place of birth (nơi sinh)
    pub birth_place: Option<PlaceId>,
    /// a subject: its registering agency; a person: the place of birth registration
    pub reg_place: Option<PlaceId>,
    /// where the person lives: a subject's `*NoiCuTru`, else its registering agency (deaths,
    /// marriages and certifications are registered where the person lives; none for births);
    /// a person's permanent residence (thường trú)
    pub residence: Option<PlaceId>,
    /// quê quán (the family's place of origin)
    pub home: Option<PlaceId>,
    /// ethnic group index
    pub ethnicity: Option<u8>,
    /// father's name
    pub father: Option<NameId>,
    /// mother's name
    pub mother: Option<NameId>,
    /// spouse's name (a KH subject: the other party)
    pub spouse: Option<NameId>,
    /// personal ID
    pub id: Option<PersonalId>,
    /// 9-digit CMND
    pub cmnd: Option<u32>,
}

/// The register number's book (a hash of agency, type and book number), number and year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisterNumber {
    /// agency, type and book number, hashed
    pub book: u64,
    /// the numeric part of the register number
    pub number: u32,
    /// the registration year (0 when unknown)
    pub year: u16,
}

/// One person a civil record is about.
#[derive(Clone, Debug)]
pub struct Subject {
    /// what the record says about the person
    pub facts: Facts,
    /// index into [`super::Dataset::civil_files`]
    pub table: u32,
    /// data row index in its table
    pub row: u32,
    /// spreadsheet row number
    pub source_row: u32,
    /// record type
    pub record_type: RecordType,
    /// role in the record
    pub role: Role,
    /// registration date
    pub reg_date: Option<PartialDate>,
    /// death date (KT) or marriage date (KH)
    pub event_date: Option<PartialDate>,
    /// KH: the marriage was later dissolved (divorce / annulment noted)
    pub dissolved: bool,
    /// HN: the certified marital status
    pub certified: Marital,
    /// the register number, when present
    pub number: Option<RegisterNumber>,
    /// flags
    pub flags: Flags,
    /// legacy encodings decoded in the row (bits by `Encoding as u8`)
    pub decoded: u8,
}

impl Subject {
    /// The book key (agency, type, book, number, year) of a numbered record.
    pub fn book_key(&self) -> Option<u64> {
        self.number
            .map(|n| crate::hash::mix(crate::hash::mix(n.book, n.number as u64), n.year as u64))
    }
}

/// One person of the population extract. Its facts come first and the person is aligned to a
/// cache line, so that a comparison reads one line of it.
#[derive(Clone, Debug)]
#[repr(C, align(64))]
pub struct Person {
    /// what the registry says about the person
    pub facts: Facts,
    /// the personal ID as written in outputs, or `file:row` when the extract has none
    pub person_id: String,
    /// date of death
    pub death: Option<PartialDate>,
    /// marital status
    pub marital: Marital,
    /// population table index and data row index
    pub source: (u32, u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persons_facts_are_one_cache_line() {
        assert_eq!(std::mem::size_of::<Facts>(), 64);
        assert_eq!(std::mem::align_of::<Person>(), 64);
        assert_eq!(std::mem::offset_of!(Person, facts), 0);
    }
}

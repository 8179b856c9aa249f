//! The conflicting fields of a linked pair, as the comparisons declare them, and what they mean
//! for the personal ID (a conflict on birth year, sex or birth-registration province forces its
//! re-issue); the registry's ID checked against the book.
use crate::compare::{Cmp, Comparer, Gamma, date, name};
use crate::normalize::Precision;
use crate::subjects::{Person, Role, Subject};
use crate::vocab::{Field, Flag, Flags};

/// What a linked pair disagrees on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conflicts {
    /// the fields, in field order, each with the comparison that shows it
    pub fields: Vec<(Field, usize)>,
    /// the personal ID must be re-issued
    pub id_reissue: bool,
    /// flags the registry's side raises (its ID against the book)
    pub flags: Flags,
}

/// The conflicts of subject `s` linked to person `p` at vector `g`. `recognised`: a
/// parent-child recognition (CMC) in the books recognises the person as a father's child.
pub fn conflicts(
    cmp: &Comparer,
    s: &Subject,
    p: &Person,
    g: &Gamma,
    recognised: bool,
) -> Conflicts {
    let mut fields = cmp.conflicts(s, p, g);
    // a birth book that leaves the father blank while the registry names one disagrees with it,
    // unless a recognition in the books explains it
    if s.role == Role::Nks
        && s.facts.father.is_none()
        && p.facts.father.is_some()
        && !recognised
        && !s.flags.has(Flag::FatherRecognised)
    {
        fields.push((Field::FatherName, Cmp::Father as usize));
        fields.sort_by_key(|(f, _)| *f);
    }
    let has = |f: Field| fields.iter().any(|(x, _)| *x == f);
    let mut flags = Flags::NONE;
    let (sf, pf) = (&s.facts, &p.facts);
    // the birth-registration province decides the ID's first digits
    let mut reg_province_conflict = false;
    if s.role == Role::Nks
        && let Some(sp) = sf.reg_place.map(|x| cmp.data.place(x))
    {
        if let Some(pp) = pf.reg_place.map(|x| cmp.data.place(x))
            && let (Some(a), Some(b)) = (sp.province, pp.province)
        {
            reg_province_conflict = a != b;
        }
        if let (Some(id), Some(prov)) = (pf.id, sp.province)
            && id.province_code() != prov as u16
        {
            flags.set(Flag::IdProvinceMismatch);
        }
    }
    // the registry's ID against the book's sex and birth year
    if let Some(id) = pf.id {
        if sf.sex.is_some_and(|x| x != id.sex()) {
            flags.set(Flag::IdSexMismatch);
        }
        if sf.dob.is_some_and(|d| d.year != id.birth_year()) {
            flags.set(Flag::IdBirthYearMismatch);
        }
    }
    // a name of the book typed without diacritics: no conflict, but data to fix
    let folded = [
        Cmp::Family,
        Cmp::Middle,
        Cmp::Given,
        Cmp::Father,
        Cmp::Mother,
        Cmp::Spouse,
    ]
    .iter()
    .any(|&c| g[c as usize] == name::family::NO_DIACRITICS);
    let book_ascii = [sf.name, sf.father, sf.mother, sf.spouse]
        .into_iter()
        .flatten()
        .any(|n| cmp.data.names.get(n).ascii);
    if folded && book_ascii {
        flags.set(Flag::NoDiacritics);
    }
    // the registry knows only the year where the book has the day
    let dob_level = g[Cmp::Dob as usize];
    let registry_year_only = pf.dob.is_some_and(|d| d.month == 0)
        && sf.dob.is_some_and(|d| d.precision() == Precision::Day)
        && dob_level == date::dob::COMPATIBLE;
    if dob_level == date::dob::REGISTRY_JAN_1 || registry_year_only {
        flags.set(Flag::RegistryDobYearOnly);
    }
    let dob_conflict = has(Field::Dob) && date::is_conflict(dob_level);
    let year_conflict = dob_conflict && sf.dob.zip(pf.dob).is_some_and(|(a, b)| a.year != b.year);
    Conflicts {
        id_reissue: has(Field::Gender) || year_conflict || reg_province_conflict,
        fields,
        flags,
    }
}

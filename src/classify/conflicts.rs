//! The conflicting fields of a linked pair, as the comparisons declare them, and what they mean
//! for the personal ID (a conflict on birth year, sex or birth-registration province forces its
//! re-issue); the registry's ID checked against the book.
use crate::compare::{Cmp, Comparer, Gamma, date};
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

/// The conflicts of subject `s` linked to person `p` at vector `g`.
pub fn conflicts(cmp: &Comparer, s: &Subject, p: &Person, g: &Gamma) -> Conflicts {
    let fields = cmp.conflicts(s, p, g);
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
    let dob_conflict = has(Field::Dob) && date::is_conflict(g[Cmp::Dob as usize]);
    let year_conflict = dob_conflict && sf.dob.zip(pf.dob).is_some_and(|(a, b)| a.year != b.year);
    Conflicts {
        id_reissue: has(Field::Gender) || year_conflict || reg_province_conflict,
        fields,
        flags,
    }
}

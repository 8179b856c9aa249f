//! Civil subjects from the rows of the books: one per role, with the record's flags (dates, IDs,
//! signer, book numbers) and the raw texts still to intern (names) or resolve (places).
use super::record::{Facts, RegisterNumber, Subject};
use super::{Marital, Role, parse_marital};
use crate::hash::{hash_str, mix};
use crate::ingest::{RecordType, Table};
use crate::normalize::catalog::{CATALOG, Lookup};
use crate::normalize::date::{DateIssue, parse_date_with_pivot};
use crate::normalize::id::{IdIssue, IdMismatch};
use crate::normalize::text::loose_key;
use crate::normalize::{PartialDate, PersonalId, Precision, Sex, parse_id};
use crate::places::PlaceRef;
use crate::vocab::{Flag, Flags};

/// Texts still to intern or resolve, by subject index (or person index, for the extract).
#[derive(Default)]
pub(super) struct Pending<'a> {
    /// four names per subject: its own, father, mother, spouse
    pub names: Vec<&'a str>,
    /// places of birth
    pub births: Vec<(usize, &'a str)>,
    /// residences as the book writes them
    pub residences: Vec<(usize, &'a str)>,
    /// quê quán
    pub homes: Vec<(usize, &'a str)>,
}

impl<'a> Pending<'a> {
    /// Append the texts of a later part whose indexes start at `offset`.
    pub fn append(&mut self, other: Pending<'a>, offset: usize) {
        self.names.extend(other.names);
        for (mine, theirs) in [
            (&mut self.births, other.births),
            (&mut self.residences, other.residences),
            (&mut self.homes, other.homes),
        ] {
            mine.extend(theirs.into_iter().map(|(i, t)| (i + offset, t)));
        }
    }
}

/// The fields of a subject as raw text, read from its table row.
struct RawSubject<'a> {
    name: &'a str,
    sex: &'a str,
    dob: &'a str,
    birth_place: &'a str,
    residence: &'a str,
    home: &'a str,
    ethnicity: &'a str,
    father: &'a str,
    mother: &'a str,
    spouse: &'a str,
    id: &'a str,
    event_date: &'a str,
}

/// The columns of one role's fields in a book, found once per book.
struct RoleColumns {
    name: Option<usize>,
    sex: Option<usize>,
    dob: Option<usize>,
    birth_text: Option<usize>,
    birth_code: Option<usize>,
    residence: Option<usize>,
    home: Option<usize>,
    ethnicity: Option<usize>,
    father: Option<usize>,
    mother: Option<usize>,
    spouse: Option<usize>,
    id: Option<usize>,
    event: Option<usize>,
    event_fallback: Option<usize>,
}

impl RoleColumns {
    fn of(t: &Table, role: Role) -> RoleColumns {
        let p = role.code();
        let f = |suffix: &str| t.col(&format!("{p}{suffix}"));
        let nks = role == Role::Nks;
        let (event, event_fallback) = match role {
            Role::Nkt => (t.col("nktNgayChet"), None),
            Role::Chong | Role::Vo => (t.col("ngayXacLapQuanHeHonNhan"), t.col("ngayDangKy")),
            _ => (None, None),
        };
        RoleColumns {
            name: f("HoTen"),
            sex: f("GioiTinh"),
            dob: f("NgaySinh"),
            birth_text: if nks { f("NoiSinh") } else { None },
            birth_code: if nks { f("NoiSinhDVHC") } else { None },
            residence: if nks { None } else { f("NoiCuTru") },
            home: f("QueQuan"),
            ethnicity: f("DanToc"),
            father: if nks { t.col("chaHoTen") } else { None },
            mother: if nks { t.col("meHoTen") } else { None },
            spouse: match role {
                Role::Chong => t.col("voHoTen"),
                Role::Vo => t.col("chongHoTen"),
                _ => None,
            },
            id: f("SoGiayToTuyThan"),
            event,
            event_fallback,
        }
    }
}

fn raw_subject<'a>(t: &'a Table, r: usize, c: &RoleColumns) -> RawSubject<'a> {
    let get = |col: Option<usize>| col.map_or("", |c| t.data[c].get(r));
    let event = match get(c.event) {
        d if d.trim().is_empty() => get(c.event_fallback),
        d => d,
    };
    // the free text, or else the unit code the template keeps beside it
    let birth_place = match get(c.birth_text) {
        b if b.trim().is_empty() => get(c.birth_code),
        b => b,
    };
    RawSubject {
        name: get(c.name),
        sex: get(c.sex),
        dob: get(c.dob),
        birth_place,
        residence: get(c.residence),
        home: get(c.home),
        ethnicity: get(c.ethnicity),
        father: get(c.father),
        mother: get(c.mother),
        spouse: get(c.spouse),
        id: get(c.id),
        event_date: event,
    }
}

/// A date, with its problems as flags; `None` when it cannot be compared.
pub(super) fn date(s: &str, pivot: u16, flags: &mut Flags) -> Option<PartialDate> {
    if s.trim().is_empty() {
        return None;
    }
    let d = parse_date_with_pivot(s, pivot);
    match d.issue {
        Some(DateIssue::ImpossibleDate) => flags.set(Flag::ImpossibleDate),
        Some(DateIssue::TwoDigitYear) => flags.set(Flag::TwoDigitYear),
        Some(DateIssue::AgeNotDate) | None => {}
        Some(_) => flags.set(Flag::InvalidDate),
    }
    match d.issue {
        Some(DateIssue::Unparseable | DateIssue::ImplausibleYear | DateIssue::AgeNotDate) => None,
        // a month above 12 keeps only its year for comparisons
        Some(DateIssue::InvalidMonth) => d.date.map(|x| PartialDate::year(x.year)),
        _ => d.date,
    }
}

/// A sex cell.
pub(super) fn sex_of(s: &str) -> Option<Sex> {
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<String, Option<Sex>>> = Default::default();
    }
    super::memo(&SEEN, s, |s| match CATALOG.sex(s) {
        Lookup::Found(v) => v,
        _ => None,
    })
}

/// An ethnicity cell.
pub(super) fn ethnicity_of(s: &str) -> Option<u8> {
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<String, Option<u8>>> = Default::default();
    }
    super::memo(&SEEN, s, |s| CATALOG.ethnicity(s).found().map(|i| i as u8))
}

/// An ID cell: the personal ID or the CMND, a malformed one flagged.
/// Flags of the cells themselves: a value a spreadsheet would run as a formula, control
/// characters (stripped from the normalized values), a name longer than any real one (compared on
/// its first words only).
fn cell_flags(raw: &RawSubject, flags: &mut Flags) {
    use crate::normalize::text::{formula_like, has_control};
    let texts = [
        raw.name,
        raw.father,
        raw.mother,
        raw.spouse,
        raw.id,
        raw.birth_place,
        raw.residence,
        raw.home,
    ];
    if texts.iter().any(|v| formula_like(v)) {
        flags.set(Flag::FormulaLikeValue);
    }
    if texts.iter().any(|v| has_control(v)) {
        flags.set(Flag::ControlCharacters);
    }
    let names = [raw.name, raw.father, raw.mother, raw.spouse];
    if names.iter().any(|v| {
        v.split_whitespace()
            .nth(super::names::MAX_SYLLABLES)
            .is_some()
    }) {
        flags.set(Flag::NameTooLong);
    }
}

pub(super) fn id_of(s: &str, flags: &mut Flags) -> (Option<PersonalId>, Option<u32>) {
    let p = parse_id(s);
    if p.issue.is_some_and(|i| {
        matches!(
            i,
            IdIssue::WrongLength | IdIssue::NotDigits | IdIssue::UnknownProvince
        )
    }) {
        flags.set(Flag::InvalidId);
    }
    (p.id, p.cmnd.and_then(|c| c.parse().ok()))
}

/// The number part and year of a register number like "15/2005" or "15".
fn register_number(so: &str) -> Option<(u32, Option<u16>)> {
    let parts: Vec<&str> = so
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let n = parts.first()?.parse().ok()?;
    let year = parts
        .get(1)
        .and_then(|y| y.parse::<u16>().ok())
        .filter(|y| (1850..=2100).contains(y));
    Some((n, year))
}

/// The columns of a book's registering agency: `noiDangKy`, or `noiCap` (HN books).
#[derive(Clone, Copy)]
pub(super) struct AgencyColumns(Option<usize>, Option<usize>);

impl AgencyColumns {
    /// The agency columns of a book.
    pub fn of(t: &Table) -> AgencyColumns {
        AgencyColumns(t.col("noiDangKy"), t.col("noiCap"))
    }
    /// The registering agency of a row: `noiDangKy`, or `noiCap` when that is empty.
    pub fn get(self, t: &Table, r: usize) -> &str {
        let a = cell(t, self.0, r);
        if a.trim().is_empty() {
            cell(t, self.1, r)
        } else {
            a
        }
    }
}

/// What the record (not one of its persons) says: shared by its subjects.
struct RecordPart {
    flags: Flags,
    reg_date: Option<PartialDate>,
    number: Option<RegisterNumber>,
    dissolved: bool,
    certified: Marital,
}

/// The columns of a book that every record reads.
struct BookColumns {
    signer: Option<usize>,
    so: Option<usize>,
    quyen: Option<usize>,
    date: Option<usize>,
    state: Option<usize>,
    hn: Option<usize>,
    cmc_kind: Option<usize>,
    agency: AgencyColumns,
}

impl BookColumns {
    fn of(t: &Table) -> BookColumns {
        BookColumns {
            signer: t.col("nguoiKy"),
            so: t.col("so"),
            quyen: t.col("quyenSo"),
            date: t.col("ngayDangKy"),
            state: t.col("tinhTrangKetHon"),
            hn: t.col("nxnTinhTrangHonNhan"),
            cmc_kind: t.col("loaiXacNhan"),
            agency: AgencyColumns::of(t),
        }
    }
}

fn cell(t: &Table, c: Option<usize>, r: usize) -> &str {
    c.map_or("", |c| t.data[c].get(r))
}

/// The record part of a row. `agency` is the registering agency as resolved in the first round
/// (books write it in several ways: the book key uses its commune when there is one).
fn record_part(
    t: &Table,
    r: usize,
    rt: RecordType,
    cols: &BookColumns,
    agency_place: Option<&PlaceRef>,
    pivot: u16,
) -> RecordPart {
    let mut flags = Flags::NONE;
    if cell(t, cols.signer, r).trim().is_empty() {
        flags.set(Flag::MissingSigner);
    }
    let so = cell(t, cols.so, r).trim();
    let quyen = cell(t, cols.quyen, r).trim();
    if so.is_empty() || quyen.is_empty() {
        flags.set(Flag::MissingBookNumber);
    }
    let reg_date = date(cell(t, cols.date, r), pivot, &mut flags);
    let number = register_number(so).map(|(n, so_year)| {
        if let (Some(sy), Some(d)) = (so_year, reg_date)
            && sy != d.year
        {
            flags.set(Flag::NumberingContinued);
        }
        let agency = match agency_place.and_then(|p| p.commune) {
            Some(c) => c as u64,
            None => hash_str(&loose_key(cols.agency.get(t, r))),
        };
        RegisterNumber {
            book: mix(mix(agency, rt as u64), hash_str(&loose_key(quyen))),
            number: n,
            year: reg_date.map(|d| d.year).or(so_year).unwrap_or(0),
        }
    });
    let dissolved = cols.state.is_some_and(|c| {
        let k = loose_key(t.data[c].get(r));
        k.contains("lyhon") || k.contains("huy")
    });
    let certified = cols
        .hn
        .map_or(Marital::Unknown, |c| parse_marital(t.data[c].get(r)));
    RecordPart {
        flags,
        reg_date,
        number,
        dissolved,
        certified,
    }
}

/// The sex of a subject: from its record, or implied by its role (a husband, a wife, the parent of
/// a "cha nhận con" recognition).
fn sex_of_subject(t: &Table, r: usize, role: Role, raw: &str, cols: &BookColumns) -> Option<Sex> {
    match role {
        Role::Chong => Some(Sex::Nam),
        Role::Vo => Some(Sex::Nu),
        Role::Cm => sex_of(raw).or_else(|| {
            let k = loose_key(cell(t, cols.cmc_kind, r));
            if k.starts_with("chanhan") || k.ends_with("nhancha") {
                Some(Sex::Nam)
            } else if k.starts_with("menhan") || k.ends_with("nhanme") {
                Some(Sex::Nu)
            } else {
                None
            }
        }),
        _ => sex_of(raw),
    }
}

/// The ID checked against the record's sex and birth year.
fn id_flags(id: Option<PersonalId>, sex: Option<Sex>, dob: Option<PartialDate>, flags: &mut Flags) {
    let Some(id) = id else { return };
    for m in id.check(sex, dob.map(|d| d.year), None) {
        flags.set(match m {
            IdMismatch::Sex => Flag::IdSexMismatch,
            IdMismatch::BirthYear => Flag::IdBirthYearMismatch,
            IdMismatch::Province => Flag::IdProvinceMismatch,
        });
    }
}

/// The subjects of rows `rows` of one book (table `ti`): one per role and row, with their texts
/// still to intern or resolve (indexes from 0). `agencies` are the resolved registering agencies
/// of those rows (first round), `reg_places` their final place ids.
pub(super) fn read_book<'a>(
    t: &'a Table,
    ti: u32,
    rt: RecordType,
    rows: std::ops::Range<usize>,
    agencies: &[Option<&PlaceRef>],
    reg_places: &[Option<super::PlaceId>],
    pivot: u16,
) -> (Vec<Subject>, Pending<'a>) {
    let mut out = Vec::with_capacity(rows.len() * Role::of(rt).len());
    let mut pending = Pending::default();
    let start = rows.start;
    let cols = BookColumns::of(t);
    let roles: Vec<(Role, RoleColumns)> = Role::of(rt)
        .iter()
        .map(|&role| (role, RoleColumns::of(t, role)))
        .collect();
    for r in rows {
        let rec = record_part(t, r, rt, &cols, agencies[r - start], pivot);
        for (role, rc) in &roles {
            let role = *role;
            let raw = raw_subject(t, r, rc);
            let mut flags = rec.flags;
            cell_flags(&raw, &mut flags);
            if t.row_decoded[r] != 0 {
                flags.set(Flag::LegacyEncoding);
            }
            let sex = sex_of_subject(t, r, role, raw.sex, &cols);
            let dob = date(raw.dob, pivot, &mut flags);
            let event_date = date(raw.event_date, pivot, &mut flags);
            let (id, cmnd) = id_of(raw.id, &mut flags);
            id_flags(id, sex, dob, &mut flags);
            // registered before the event it registers
            let event = match role {
                Role::Nks => dob,
                Role::Nkt => event_date,
                _ => None,
            };
            if let (Some(rd), Some(ev)) = (rec.reg_date, event)
                && rd.precision() == Precision::Day
                && ev.precision() == Precision::Day
                && rd < ev
            {
                flags.set(Flag::RegistrationBeforeEvent);
            }
            if raw.name.trim().is_empty() || (role == Role::Nks && raw.dob.trim().is_empty()) {
                flags.set(Flag::MissingMandatory);
            }
            let si = out.len();
            pending
                .names
                .extend([raw.name, raw.father, raw.mother, raw.spouse]);
            for (list, text) in [
                (&mut pending.births, raw.birth_place),
                (&mut pending.residences, raw.residence),
                (&mut pending.homes, raw.home),
            ] {
                if !text.trim().is_empty() {
                    list.push((si, text));
                }
            }
            let reg_place = reg_places[r - start];
            out.push(Subject {
                facts: Facts {
                    sex,
                    dob,
                    reg_place,
                    residence: if role == Role::Nks { None } else { reg_place },
                    ethnicity: ethnicity_of(raw.ethnicity),
                    id,
                    cmnd,
                    ..Facts::default()
                },
                table: ti,
                row: r as u32,
                source_row: t.source_rows[r],
                record_type: rt,
                role,
                reg_date: rec.reg_date,
                event_date,
                dissolved: rec.dissolved,
                certified: rec.certified,
                number: rec.number,
                flags,
                decoded: t.row_decoded[r],
            });
        }
    }
    (out, pending)
}

/// Numbering that continues across years within one book: the first number of a year is the
/// previous year's last number + 1 instead of 1 (TT 04/2020 Art. 29(3) says numbers restart at 01).
pub(super) fn mark_numbering(subjects: &mut [Subject]) {
    use std::collections::{HashMap, HashSet};
    // (book, year) → (min, max) register number
    let mut span: HashMap<(u64, u16), (u32, u32)> = HashMap::new();
    for n in subjects.iter().filter_map(|s| s.number) {
        if n.year != 0 {
            let e = span.entry((n.book, n.year)).or_insert((n.number, n.number));
            e.0 = e.0.min(n.number);
            e.1 = e.1.max(n.number);
        }
    }
    let mut continued: HashSet<(u64, u16)> = HashSet::new();
    for (&(book, year), &(min, _)) in &span {
        if min > 1
            && let Some(&(_, prev_max)) = span.get(&(book, year - 1))
            && min == prev_max + 1
        {
            continued.insert((book, year));
        }
    }
    for s in subjects.iter_mut() {
        if let Some(n) = s.number
            && continued.contains(&(n.book, n.year))
        {
            s.flags.set(Flag::NumberingContinued);
        }
    }
}

/// Births whose child a father's recognition (CMC: `cm` a man, `nc` the child) in the books names:
/// the same name (folded) and a compatible date of birth. Their blank father is no conflict.
pub(super) fn mark_recognitions(subjects: &mut [Subject], names: &super::names::NameTable) {
    use crate::compare::date::{compare_dob, dob::COMPATIBLE};
    use std::collections::HashMap;
    let key = |n: super::NameId| {
        let e = names.get(n);
        (e.k_family, e.k_middle, e.k_given)
    };
    let mut children: HashMap<(u64, u64, u64), Vec<Option<PartialDate>>> = HashMap::new();
    for pair in subjects.windows(2) {
        let (cm, nc) = (&pair[0], &pair[1]);
        if cm.role == Role::Cm
            && nc.role == Role::Nc
            && (cm.table, cm.row) == (nc.table, nc.row)
            && cm.facts.sex != Some(Sex::Nu)
            && let Some(n) = nc.facts.name
        {
            children.entry(key(n)).or_default().push(nc.facts.dob);
        }
    }
    if children.is_empty() {
        return;
    }
    for s in subjects.iter_mut() {
        if s.role == Role::Nks
            && s.facts.father.is_none()
            && let Some(n) = s.facts.name
            && children.get(&key(n)).is_some_and(|dobs| {
                dobs.iter()
                    .any(|d| compare_dob(*d, s.facts.dob).is_none_or(|l| l <= COMPATIBLE))
            })
        {
            s.flags.set(Flag::FatherRecognised);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_numbers() {
        assert_eq!(register_number("15/2005"), Some((15, Some(2005))));
        assert_eq!(register_number("15"), Some((15, None)));
        assert_eq!(register_number(""), None);
    }

    #[test]
    fn dates_flag_their_problems() {
        let mut f = Flags::NONE;
        assert_eq!(date("30/02/2001", 2025, &mut f).map(|d| d.year), Some(2001));
        assert!(f.has(Flag::ImpossibleDate));
        let mut f = Flags::NONE;
        assert_eq!(date("xx", 2025, &mut f), None);
        assert!(f.has(Flag::InvalidDate));
        let mut f = Flags::NONE;
        assert_eq!(date("", 2025, &mut f), None);
        assert!(f.is_empty());
    }
}

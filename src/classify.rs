//! Classify: one status per subject, its conflicting fields, flags and duplicate groups; and the
//! population side's findings. Cosmetic differences never make a conflict: names compare after
//! normalization, dates at the common precision, places across vintages.
use crate::compare::{Cmp, NULL, date};
use crate::ingest::RecordType;
use crate::link::{Decision, Scored};
use crate::normalize::PartialDate;
use crate::places::PlaceRef;
use crate::score::probability;
use crate::subjects::intern::NONE;
use crate::subjects::{Dataset, Marital, Role, flag};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The status of a civil subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// linked, every compared field agrees
    Matched,
    /// linked, some fields disagree
    Conflict,
    /// a candidate exists but the evidence is not decisive
    Review,
    /// in scope, but no person in the extract
    Missing,
    /// not expected in the extract
    OutOfScope,
}

impl Status {
    /// All statuses in report order.
    pub const ALL: [Status; 5] = [
        Status::Matched,
        Status::Conflict,
        Status::Review,
        Status::Missing,
        Status::OutOfScope,
    ];
    /// The code used in outputs.
    pub fn code(self) -> &'static str {
        match self {
            Status::Matched => "matched",
            Status::Conflict => "conflict",
            Status::Review => "review",
            Status::Missing => "missing",
            Status::OutOfScope => "out_of_scope",
        }
    }
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// A field that can conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// name
    Name,
    /// date of birth
    Dob,
    /// sex
    Gender,
    /// place of birth
    BirthPlace,
    /// ethnicity
    Ethnicity,
    /// father's name
    FatherName,
    /// mother's name
    MotherName,
}

impl Field {
    /// All fields in output order.
    pub const ALL: [Field; 7] = [
        Field::Name,
        Field::Dob,
        Field::Gender,
        Field::BirthPlace,
        Field::Ethnicity,
        Field::FatherName,
        Field::MotherName,
    ];
    /// The code used in outputs.
    pub fn code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Dob => "dob",
            Field::Gender => "gender",
            Field::BirthPlace => "birth_place",
            Field::Ethnicity => "ethnicity",
            Field::FatherName => "father_name",
            Field::MotherName => "mother_name",
        }
    }
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// A population finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// a person in scope with no birth record
    NoBirthRecord,
    /// a death record exists, the registry shows the person alive
    DeathNotRecorded,
    /// a marriage record exists, the registry's marital status disagrees
    MarriageNotRecorded,
}

impl FindingKind {
    /// All kinds in report order.
    pub const ALL: [FindingKind; 3] = [
        FindingKind::NoBirthRecord,
        FindingKind::DeathNotRecorded,
        FindingKind::MarriageNotRecorded,
    ];
    /// The code used in outputs.
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::NoBirthRecord => "no_birth_record",
            FindingKind::DeathNotRecorded => "death_not_recorded",
            FindingKind::MarriageNotRecorded => "marriage_not_recorded",
        }
    }
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// One row of `links.csv`, before formatting.
#[derive(Clone, Debug)]
pub struct LinkRow {
    /// subject index
    pub subject: usize,
    /// the linked person (matched / conflict)
    pub person: Option<u32>,
    /// status
    pub status: Status,
    /// the chosen (or best) candidate
    pub best: Option<Scored>,
    /// conflicting fields
    pub conflicts: Vec<Field>,
    /// a conflict on birth year, sex or birth-registration place: the ID must be re-issued
    pub id_reissue: bool,
    /// flag bits
    pub flags: u32,
    /// duplicate group label(s)
    pub duplicate_group: String,
    /// review candidates (person, probability)
    pub candidates: Vec<(u32, f64)>,
}

/// One population finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// person index
    pub person: u32,
    /// kind
    pub kind: FindingKind,
    /// the civil subject that shows it, if any
    pub evidence: Option<usize>,
}

fn place_conflict(level: u8, a: &PlaceRef, b: &PlaceRef) -> bool {
    match level {
        3 => true,
        2 => a.district.is_some() && b.district.is_some(),
        1 => a.commune.is_some() && b.commune.is_some(),
        _ => false,
    }
}

/// The conflicting fields of a linked pair, and whether the ID must be re-issued.
pub fn conflicts(data: &Dataset, subject: usize, s: &Scored) -> (Vec<Field>, bool, u32) {
    let sub = &data.subjects[subject];
    let per = &data.persons[s.person as usize];
    let g = &s.gamma;
    let mut out = Vec::new();
    let mut flags = 0u32;
    if sub.name != NONE && per.name != NONE && sub.name != per.name {
        out.push(Field::Name);
    }
    let dob_conflict = g[Cmp::Dob as usize] != NULL && date::is_conflict(g[Cmp::Dob as usize]);
    if dob_conflict {
        out.push(Field::Dob);
    }
    let sex_conflict = g[Cmp::Sex as usize] == 1;
    if sex_conflict {
        out.push(Field::Gender);
    }
    let bp = g[Cmp::BirthPlace as usize];
    if bp != NULL
        && place_conflict(
            bp,
            &data.places[sub.birth_place as usize],
            &data.places[per.birth_place as usize],
        )
    {
        out.push(Field::BirthPlace);
    }
    if g[Cmp::Ethnicity as usize] == 1 {
        out.push(Field::Ethnicity);
    }
    if sub.father != NONE && per.father != NONE && sub.father != per.father {
        out.push(Field::FatherName);
    }
    if sub.mother != NONE && per.mother != NONE && sub.mother != per.mother {
        out.push(Field::MotherName);
    }
    // the birth-registration province decides the ID's first digits
    let mut reg_province_conflict = false;
    if sub.role == Role::Nks && sub.reg_place != NONE {
        let sp = &data.places[sub.reg_place as usize];
        if per.reg_place != NONE {
            let pp = &data.places[per.reg_place as usize];
            if let (Some(a), Some(b)) = (sp.province, pp.province) {
                reg_province_conflict = a != b;
            }
        }
        if let (Some(id), Some(p)) = (per.id, sp.province)
            && id.province_code() != p as u16
        {
            flags |= flag::ID_PROVINCE_MISMATCH;
        }
    }
    // the registry's ID against the book's sex and birth year
    if let Some(id) = per.id {
        if sub.sex.is_some_and(|x| x != id.sex()) {
            flags |= flag::ID_SEX_MISMATCH;
        }
        if sub.dob.is_some_and(|d| d.year != id.birth_year()) {
            flags |= flag::ID_BIRTH_YEAR_MISMATCH;
        }
    }
    let year_conflict = dob_conflict && sub.dob.zip(per.dob).is_some_and(|(a, b)| a.year != b.year);
    let reissue = sex_conflict || year_conflict || reg_province_conflict;
    (out, reissue, flags)
}

/// Classify every subject; returns the link rows (in subject order) and the findings.
pub fn classify(
    data: &Dataset,
    decisions: &[Decision],
    event_groups: &[Vec<usize>],
    baseline: PartialDate,
    presumed_dead_age: u16,
) -> (Vec<LinkRow>, Vec<Finding>) {
    // civil deaths before the baseline: their persons are not expected in the registry, nor
    // found for their births and marriages. The death record is found by the folded name (a tone
    // slipped in one book or the other), the same sex and a date of birth that is not plainly
    // another (a partial date, a day/month swap or a one-digit slip is the same person's).
    let name_key = |n: u32| {
        let e = &data.names.names[n as usize];
        (e.k_family, e.k_middle, e.k_given)
    };
    type Death = (Option<PartialDate>, Option<crate::normalize::Sex>);
    let mut dead_before: HashMap<(u64, u64, u64), Vec<Death>> = HashMap::new();
    for s in &data.subjects {
        if s.role == Role::Nkt && s.name != NONE && s.event_date.is_some_and(|d| d < baseline) {
            dead_before
                .entry(name_key(s.name))
                .or_default()
                .push((s.dob, s.sex));
        }
    }
    let died_before_baseline = |s: &crate::subjects::Subject| {
        if s.role == Role::Nkt {
            return s.event_date.is_some_and(|d| d < baseline);
        }
        if s.name == NONE {
            return false;
        }
        dead_before.get(&name_key(s.name)).is_some_and(|deaths| {
            deaths.iter().any(|(dob, sex)| {
                date::compare_dob(*dob, s.dob).is_none_or(|l| l < date::dob::ELSE)
                    && !matches!((sex, s.sex), (Some(a), Some(b)) if *a != b)
            })
        })
    };
    let mut rows: Vec<LinkRow> = Vec::with_capacity(decisions.len());
    for (i, d) in decisions.iter().enumerate() {
        let s = &data.subjects[i];
        let mut row = LinkRow {
            subject: i,
            person: None,
            status: Status::Missing,
            best: None,
            conflicts: Vec::new(),
            id_reissue: false,
            flags: s.flags,
            duplicate_group: String::new(),
            candidates: Vec::new(),
        };
        match d {
            Decision::Linked(sc) => {
                let (c, reissue, f) = conflicts(data, i, sc);
                row.status = if c.is_empty() {
                    Status::Matched
                } else {
                    Status::Conflict
                };
                row.conflicts = c;
                row.id_reissue = reissue;
                row.flags |= f;
                row.person = Some(sc.person);
                row.best = Some(sc.clone());
            }
            Decision::Review(c) => {
                row.status = Status::Review;
                row.best = c.first().cloned();
                row.candidates = c
                    .iter()
                    .map(|x| (x.person, probability(x.weight)))
                    .collect();
            }
            Decision::Unlinked => {
                // a dated death after the baseline is of someone the registry should hold
                let presumed_dead = presumed_dead_age > 0
                    && !(s.role == Role::Nkt && s.event_date.is_some())
                    && s.dob
                        .is_some_and(|d| d.year + presumed_dead_age <= baseline.year);
                row.status = if died_before_baseline(s) {
                    Status::OutOfScope
                } else if presumed_dead {
                    row.flags |= flag::PRESUMED_DEAD;
                    Status::OutOfScope
                } else {
                    Status::Missing
                };
            }
        }
        rows.push(row);
    }
    assign_duplicates(data, &mut rows, event_groups);
    let findings = findings(data, &rows);
    (rows, findings)
}

fn assign_duplicates(data: &Dataset, rows: &mut [LinkRow], event_groups: &[Vec<usize>]) {
    // the same book key: agency, book type, book number, register number, year
    let mut by_key: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, s) in data.subjects.iter().enumerate() {
        if let Some(k) = s.book_key {
            by_key.entry(k).or_default().push(i);
        }
    }
    let mut book_groups: Vec<Vec<usize>> = by_key
        .into_values()
        .filter(|v| {
            let records: std::collections::BTreeSet<(u32, u32)> = v
                .iter()
                .map(|&i| (data.subjects[i].table, data.subjects[i].row))
                .collect();
            records.len() > 1
        })
        .collect();
    book_groups.sort();
    // the same event found twice: linked to one person (from `link`), or the same name, mother
    // and date of birth in two birth records — the same year, and the same day where both books
    // write one (a book that wrote only the year cannot tell the days apart, and parents do not
    // give two children born the same year one name); namesakes born the same day are common
    // enough that the mother is required
    let mut ev: BTreeMap<(RecordType, u32, u16, u32), Vec<usize>> = BTreeMap::new();
    for (i, s) in data.subjects.iter().enumerate() {
        if s.record_type == RecordType::KS
            && s.mother != NONE
            && s.name != NONE
            && let Some(d) = s.dob
        {
            ev.entry((s.record_type, s.name, d.year, s.mother))
                .or_default()
                .push(i);
        }
    }
    let mut events: Vec<Vec<usize>> = event_groups.to_vec();
    for v in ev.into_values() {
        for (k, &a) in v.iter().enumerate() {
            for &b in &v[k + 1..] {
                if date::compare_dob(data.subjects[a].dob, data.subjects[b].dob)
                    .is_some_and(|l| l <= date::dob::COMPATIBLE)
                {
                    events.push(vec![a, b]);
                }
            }
        }
    }
    // merge overlapping event groups
    let mut parent: HashMap<usize, usize> = HashMap::new();
    fn find(p: &mut HashMap<usize, usize>, x: usize) -> usize {
        let q = *p.get(&x).unwrap_or(&x);
        if q == x {
            return x;
        }
        let r = find(p, q);
        p.insert(x, r);
        r
    }
    for g in &events {
        for &x in &g[1..] {
            let (a, b) = (find(&mut parent, g[0]), find(&mut parent, x));
            if a != b {
                parent.insert(a.max(b), a.min(b));
            }
        }
    }
    let mut merged: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for g in &events {
        for &x in g {
            let r = find(&mut parent, x);
            merged.entry(r).or_default().push(x);
        }
    }
    let mut event_sets: Vec<Vec<usize>> = merged
        .into_values()
        .map(|mut v| {
            v.sort_unstable();
            v.dedup();
            v
        })
        .filter(|v| v.len() > 1)
        .collect();
    event_sets.sort();
    for (n, g) in book_groups.iter().enumerate() {
        for &i in g {
            rows[i].flags |= flag::DUPLICATE_BOOK_KEY;
            push_label(&mut rows[i].duplicate_group, &format!("B{}", n + 1));
        }
    }
    for (n, g) in event_sets.iter().enumerate() {
        for &i in g {
            rows[i].flags |= flag::DUPLICATE_EVENT;
            push_label(&mut rows[i].duplicate_group, &format!("E{}", n + 1));
        }
    }
}

fn push_label(s: &mut String, l: &str) {
    if !s.is_empty() {
        s.push(';');
    }
    s.push_str(l);
}

/// A registry person whose birth should be in these books: registered in the job's province (or
/// where that cannot be told).
pub fn person_in_scope(data: &Dataset, i: usize) -> bool {
    let per = &data.persons[i];
    let reg_province = (per.reg_place != NONE)
        .then(|| data.places[per.reg_place as usize].province)
        .flatten();
    match (data.province, reg_province) {
        (Some(job), Some(p)) => job == p,
        _ => true,
    }
}

fn findings(data: &Dataset, rows: &[LinkRow]) -> Vec<Finding> {
    let mut has_birth = vec![false; data.persons.len()];
    let mut out = Vec::new();
    for r in rows {
        let Some(p) = r.person else { continue };
        let s = &data.subjects[r.subject];
        let per = &data.persons[p as usize];
        match s.role {
            Role::Nks => has_birth[p as usize] = true,
            Role::Nkt if per.death.is_none() => out.push(Finding {
                person: p,
                kind: FindingKind::DeathNotRecorded,
                evidence: Some(r.subject),
            }),
            Role::Chong | Role::Vo if !s.dissolved && per.marital == Marital::Single => {
                out.push(Finding {
                    person: p,
                    kind: FindingKind::MarriageNotRecorded,
                    evidence: Some(r.subject),
                })
            }
            _ => {}
        }
    }
    for (i, per) in data.persons.iter().enumerate() {
        if has_birth[i] {
            continue;
        }
        // in scope: the birth was registered in the job's province (or we cannot tell); without
        // a registration place, the ID's first three digits name that province
        let reg_province = (per.reg_place != NONE)
            .then(|| data.places[per.reg_place as usize].province)
            .flatten()
            .or_else(|| per.id.and_then(|id| u8::try_from(id.province_code()).ok()));
        let in_scope = match (data.province, reg_province) {
            (Some(job), Some(p)) => job == p,
            _ => true,
        };
        if in_scope {
            out.push(Finding {
                person: i as u32,
                kind: FindingKind::NoBirthRecord,
                evidence: None,
            });
        }
    }
    // one death and one marriage finding per person is enough evidence; keep the first by source
    out.sort_by(|a, b| {
        data.persons[a.person as usize]
            .person_id
            .cmp(&data.persons[b.person as usize].person_id)
            .then(a.kind.cmp(&b.kind))
            .then(a.evidence.cmp(&b.evidence))
    });
    out.dedup_by(|a, b| a.person == b.person && a.kind == b.kind);
    out
}

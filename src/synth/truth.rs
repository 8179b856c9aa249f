//! The truth of a generated province: every subject's person, expected status, conflicting fields,
//! duplicate group and noise; and the population findings.
use super::books::Rec;
use super::population::Person;
use super::registry::{Side, same_unit};
use super::shelve::Book;
use crate::encoding::Encoding;
use crate::error::Result;
use crate::normalize::PartialDate;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The order of conflict fields in the truth.
const ORDER: [&str; 7] = [
    "name",
    "dob",
    "gender",
    "birth_place",
    "ethnicity",
    "father_name",
    "mother_name",
];

/// The spreadsheet row of a book's header.
pub fn header_row(book: &Book) -> u32 {
    if book.title { 3 } else { 1 }
}

/// The conflicts and noise of one subject once the registry's side is known.
fn settle(
    r: &Rec,
    s: &super::books::SubjectTruth,
    p: &Person,
    x: &Side,
    b: &Book,
) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut conflicts = s.conflicts.clone();
    let mut noise = s.noise.clone();
    if x.sex_error {
        conflicts.push("gender");
        noise.push("registry_sex_error");
    }
    if s.role == "nks" {
        if x.place_error {
            conflicts.push("birth_place");
            noise.push("registry_birth_place_error");
        }
        // the registry's commune of birth registration against the one whose book holds it
        if !same_unit(x.reg_place.unwrap_or(p.birth_commune), r.commune) {
            conflicts.push("birth_place");
        }
        if x.reg_place.is_some() {
            noise.push("registry_reg_place");
        }
    }
    if x.dob_year_only {
        noise.push("registry_year_only");
        // a year-only registry date cannot contradict the book's day or month
        let written = r
            .cells
            .get(super::books::col(s.role, "NgaySinh"))
            .and_then(|t| crate::normalize::parse_date(t).date);
        if written.is_some_and(|d| d.year == p.dob.year) {
            conflicts.retain(|c| *c != "dob");
        }
    }
    match b.legacy {
        Some(Encoding::Tcvn3) => noise.push("tcvn3_file"),
        Some(_) => noise.push("vni_file"),
        None => {}
    }
    if b.title {
        noise.push("title_row");
    }
    if b.xlsx {
        noise.push("xlsx_file");
    }
    conflicts.sort_by_key(|c| ORDER.iter().position(|o| o == c));
    conflicts.dedup();
    noise.sort_unstable();
    noise.dedup();
    (conflicts, noise)
}

/// Write `truth/subjects.csv` and `truth/findings.csv`.
pub fn write(
    out: &Path,
    people: &[Person],
    recs: &[Rec],
    books: &[Book],
    sides: &[Side],
    ks_lost: &[bool],
    baseline: PartialDate,
) -> Result<()> {
    let mut rows: Vec<(String, u32, usize, Vec<String>)> = Vec::new();
    let mut evidence: BTreeMap<(u32, &str), String> = BTreeMap::new();
    for b in books {
        let hr = header_row(b);
        for (k, &ri) in b.records.iter().enumerate() {
            let r = &recs[ri];
            let source_row = hr + 1 + k as u32;
            for (ord, s) in r.subjects.iter().enumerate() {
                let pi = s.person as usize;
                let (p, x) = (&people[pi], &sides[pi]);
                let (mut conflicts, noise) = settle(r, s, p, x, b);
                let (pid, status) = if x.in_registry {
                    let st = if conflicts.is_empty() {
                        "matched"
                    } else {
                        "conflict"
                    };
                    (p.id.digits(), st)
                } else if p.death.is_some_and(|d| d < baseline) {
                    (String::new(), "out_of_scope")
                } else {
                    (String::new(), "missing")
                };
                if !x.in_registry {
                    conflicts.clear();
                }
                let mut groups = Vec::new();
                if let Some(gid) = r.book_group {
                    groups.push(format!("B{gid}"));
                }
                if let Some(gid) = r.event_group {
                    groups.push(format!("E{gid}"));
                }
                let ev = format!("{}:{}", b.path, source_row);
                match s.role {
                    "nkt" if x.in_registry && x.death_hidden => {
                        evidence
                            .entry((s.person, "death_not_recorded"))
                            .or_insert(ev);
                    }
                    "chong" | "vo" if x.in_registry && x.marriage_hidden => {
                        evidence
                            .entry((s.person, "marriage_not_recorded"))
                            .or_insert(ev);
                    }
                    _ => {}
                }
                rows.push((
                    b.path.clone(),
                    source_row,
                    ord,
                    vec![
                        b.path.clone(),
                        source_row.to_string(),
                        r.rt.code().to_string(),
                        s.role.to_string(),
                        pid,
                        status.to_string(),
                        conflicts.join(";"),
                        groups.join(";"),
                        noise.join(";"),
                    ],
                ));
            }
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    crate::output::write_atomic(&out.join("truth").join("subjects.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record([
            "source_file",
            "source_row",
            "record_type",
            "role",
            "person_id",
            "expected_status",
            "conflict_fields",
            "duplicate_group",
            "noise",
        ])?;
        for (.., r) in &rows {
            csv.write_record(r)?;
        }
        csv.flush()
    })?;
    // population findings: a birth whose surviving book lost its record; deaths and marriages
    // the registry does not show
    let mut findings: Vec<(String, &str, String)> = Vec::new();
    let mut seen: HashSet<(u32, &str)> = HashSet::new();
    for (i, p) in people.iter().enumerate() {
        if sides[i].in_registry && p.born_here && ks_lost[i] {
            findings.push((p.id.digits(), "no_birth_record", String::new()));
        }
    }
    for ((pi, kind), ev) in &evidence {
        if seen.insert((*pi, kind)) {
            findings.push((people[*pi as usize].id.digits(), kind, ev.clone()));
        }
    }
    findings.sort();
    crate::output::write_atomic(&out.join("truth").join("findings.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["person_id", "finding", "evidence"])?;
        for (a, b, c) in &findings {
            csv.write_record([a.as_str(), b, c.as_str()])?;
        }
        csv.flush()
    })
}

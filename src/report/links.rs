//! `links.csv` and `population_findings.csv`: one row per civil subject, one per finding.
use crate::classify::{Field, Finding, LinkRow};
use crate::error::Result;
use crate::ingest::Table;
use crate::normalize::catalog::CATALOG;
use crate::subjects::intern::NONE;
use crate::subjects::{Dataset, flag};
use std::path::Path;

/// The header of `links.csv`.
pub const LINKS_HEADER: [&str; 32] = [
    "source_file",
    "source_row",
    "record_type",
    "role",
    "person_id",
    "status",
    "match_probability",
    "match_weight",
    "conflict_fields",
    "id_reissue",
    "flags",
    "duplicate_group",
    "candidates",
    "civil_name",
    "registry_name",
    "civil_dob",
    "registry_dob",
    "civil_gender",
    "registry_gender",
    "civil_birth_place",
    "registry_birth_place",
    "civil_ethnicity",
    "registry_ethnicity",
    "civil_father_name",
    "registry_father_name",
    "civil_mother_name",
    "registry_mother_name",
    "reg_commune",
    "reg_commune_2025",
    "reg_date",
    "book",
    "number",
];

/// The flags of a row as `;`-separated codes (`legacy_encoding:tcvn3` names the encoding).
pub fn flag_codes(bits: u32, decoded: u8) -> String {
    let mut out: Vec<String> = Vec::new();
    for (b, code) in flag::ALL {
        if bits & b == 0 {
            continue;
        }
        if b == flag::LEGACY_ENCODING {
            for e in [
                crate::encoding::Encoding::Tcvn3,
                crate::encoding::Encoding::Vni,
                crate::encoding::Encoding::Viqr,
                crate::encoding::Encoding::Cp1258,
                crate::encoding::Encoding::Mojibake,
            ] {
                if decoded & (1 << (e as u8)) != 0 {
                    out.push(format!("{code}:{}", e.as_str()));
                }
            }
        } else {
            out.push(code.to_string());
        }
    }
    out.join(";")
}

fn fmt_date(d: Option<crate::normalize::PartialDate>) -> String {
    d.map(|x| x.to_string()).unwrap_or_default()
}

fn fmt_sex(s: Option<crate::normalize::Sex>) -> String {
    s.map(|x| x.label().to_string()).unwrap_or_default()
}

fn fmt_eth(e: Option<u8>) -> String {
    e.map(|i| CATALOG.ethnic_groups[i as usize].name.clone())
        .unwrap_or_default()
}

/// Write `links.csv`.
pub fn write_links(
    path: &Path,
    data: &Dataset,
    rows: &[LinkRow],
    civil: &[&Table],
    pop: &[&Table],
) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(LINKS_HEADER)?;
        for r in rows {
            let s = &data.subjects[r.subject];
            let t = civil[s.table as usize];
            let person = r.person.map(|p| &data.persons[p as usize]);
            let mut civ = [(); 7].map(|_| String::new());
            let mut reg = [(); 7].map(|_| String::new());
            if let Some(p) = person {
                let pt = pop[p.source.0 as usize];
                for f in &r.conflicts {
                    let i = *f as usize;
                    let (a, b) = match f {
                        Field::Name => (data.names.display(s.name), data.names.display(p.name)),
                        Field::Dob => (fmt_date(s.dob), fmt_date(p.dob)),
                        Field::Gender => (fmt_sex(s.sex), fmt_sex(p.sex)),
                        Field::BirthPlace => (
                            t.cell(s.row as usize, "nksNoiSinh").to_string(),
                            pt.cell(p.source.1 as usize, "noi_sinh").to_string(),
                        ),
                        Field::Ethnicity => (fmt_eth(s.ethnicity), fmt_eth(p.ethnicity)),
                        Field::FatherName => {
                            (data.names.display(s.father), data.names.display(p.father))
                        }
                        Field::MotherName => {
                            (data.names.display(s.mother), data.names.display(p.mother))
                        }
                    };
                    civ[i] = a;
                    reg[i] = b;
                }
            }
            let reg_place = (s.reg_place != NONE).then(|| &data.places[s.reg_place as usize]);
            let (prob, weight) = match &r.best {
                Some(b) => (
                    format!("{:.4}", crate::score::probability(b.weight)),
                    format!("{:.2}", b.weight),
                ),
                None => (String::new(), String::new()),
            };
            let cands = r
                .candidates
                .iter()
                .map(|(p, pr)| format!("{}:{:.4}", data.persons[*p as usize].person_id, pr))
                .collect::<Vec<_>>()
                .join(";");
            let mut rec: Vec<String> = vec![
                t.source_file.clone(),
                s.source_row.to_string(),
                s.record_type.code().to_string(),
                s.role.code().to_string(),
                person.map(|p| p.person_id.clone()).unwrap_or_default(),
                r.status.code().to_string(),
                prob,
                weight,
                r.conflicts
                    .iter()
                    .map(|f| f.code())
                    .collect::<Vec<_>>()
                    .join(";"),
                r.id_reissue.to_string(),
                flag_codes(r.flags, s.decoded),
                r.duplicate_group.clone(),
                cands,
            ];
            for i in 0..7 {
                rec.push(std::mem::take(&mut civ[i]));
                rec.push(std::mem::take(&mut reg[i]));
            }
            rec.push(
                reg_place
                    .and_then(|p| p.commune)
                    .map(|c| format!("{c:05}"))
                    .unwrap_or_default(),
            );
            rec.push(
                reg_place
                    .and_then(|p| p.communes_2025.first())
                    .map(|c| format!("{c:05}"))
                    .unwrap_or_default(),
            );
            rec.push(fmt_date(s.reg_date));
            rec.push(t.cell(s.row as usize, "quyenSo").trim().to_string());
            rec.push(t.cell(s.row as usize, "so").trim().to_string());
            csv.write_record(&rec)?;
        }
        csv.flush()
    })
}

/// Write `population_findings.csv`.
pub fn write_findings(
    path: &Path,
    data: &Dataset,
    findings: &[Finding],
    civil: &[&Table],
) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["person_id", "finding", "evidence"])?;
        for f in findings {
            let ev = f.evidence.map(|i| {
                let s = &data.subjects[i];
                format!("{}:{}", civil[s.table as usize].source_file, s.source_row)
            });
            csv.write_record([
                data.persons[f.person as usize].person_id.as_str(),
                f.kind.code(),
                ev.as_deref().unwrap_or(""),
            ])?;
        }
        csv.flush()
    })
}

//! `links.csv` and `population_findings.csv`: one row per civil subject, one per finding.
use crate::classify::{Finding, LinkRow};
use crate::compare::{COMPARISONS, Sources};
use crate::encoding::Encoding;
use crate::error::Result;
use crate::subjects::Dataset;
use crate::vocab::{Field, Flag, Flags};
use std::path::Path;
use std::sync::LazyLock;

/// The columns of `links.csv` before the per-field values.
const HEAD: [&str; 13] = [
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
];

/// The columns of `links.csv` after them.
const TAIL: [&str; 5] = [
    "reg_commune",
    "reg_commune_2025",
    "reg_date",
    "book",
    "number",
];

/// The header of `links.csv`: [`HEAD`], then `civil_<field>` and `registry_<field>` for every
/// conflict field, then [`TAIL`].
pub static LINKS_HEADER: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut h: Vec<String> = HEAD.iter().map(|s| s.to_string()).collect();
    for f in Field::ALL {
        h.push(format!("civil_{}", f.code()));
        h.push(format!("registry_{}", f.code()));
    }
    h.extend(TAIL.iter().map(|s| s.to_string()));
    h
});

const ENCODINGS: [Encoding; 5] = [
    Encoding::Tcvn3,
    Encoding::Vni,
    Encoding::Viqr,
    Encoding::Cp1258,
    Encoding::Mojibake,
];

/// The flags of a row as `;`-separated codes (`legacy_encoding:tcvn3` names the encoding).
pub fn flag_codes(flags: Flags, decoded: u8) -> String {
    let mut out: Vec<String> = Vec::new();
    for f in flags.iter() {
        if f == Flag::LegacyEncoding {
            for e in ENCODINGS {
                if decoded & (1 << (e as u8)) != 0 {
                    out.push(format!("{}:{}", f.code(), e.as_str()));
                }
            }
        } else {
            out.push(f.code().to_string());
        }
    }
    out.join(";")
}

fn fmt_date(d: Option<crate::normalize::PartialDate>) -> String {
    d.map(|x| x.to_string()).unwrap_or_default()
}

/// One row of `links.csv`.
fn record(x: &Sources, r: &LinkRow) -> Vec<String> {
    let data = x.data;
    let s = &data.subjects[r.subject];
    let person = r.person.map(|p| data.person(p));
    let mut values = vec![(String::new(), String::new()); Field::ALL.len()];
    // every row says whom it is about: the book's name and date of birth, and the registry's
    // when linked; the other fields are filled where they conflict
    let names = &data.names;
    let date = |d: Option<crate::normalize::PartialDate>| fmt_date(d);
    values[Field::Name as usize].0 = names.display(s.facts.name);
    values[Field::Dob as usize].0 = date(s.facts.dob);
    if let Some(p) = person {
        values[Field::Name as usize].1 = names.display(p.facts.name);
        values[Field::Dob as usize].1 = date(p.facts.dob);
        for (f, ci) in &r.conflicts {
            if let Some(k) = COMPARISONS[*ci].conflict {
                values[*f as usize] = (k.show)(x, s, p);
            }
        }
    }
    let reg_place = s.facts.reg_place.map(|p| data.place(p));
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
        .map(|(p, pr)| format!("{}:{:.4}", data.person(*p).person_id, pr))
        .collect::<Vec<_>>()
        .join(";");
    let mut rec: Vec<String> = vec![
        data.source_file(s).to_string(),
        s.source_row.to_string(),
        s.record_type.code().to_string(),
        s.role.code().to_string(),
        person.map(|p| p.person_id.clone()).unwrap_or_default(),
        r.status.code().to_string(),
        prob,
        weight,
        r.conflicts
            .iter()
            .map(|(f, _)| f.code())
            .collect::<Vec<_>>()
            .join(";"),
        r.id_reissue.to_string(),
        flag_codes(r.flags, s.decoded),
        r.duplicate_group.clone(),
        cands,
    ];
    for (a, b) in values {
        rec.push(a);
        rec.push(b);
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
    rec.push(x.civil_cell(s, "quyenSo"));
    rec.push(x.civil_cell(s, "so"));
    rec
}

/// Write `links.csv`.
pub fn write_links(path: &Path, x: &Sources, rows: &[LinkRow]) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(LINKS_HEADER.iter())?;
        for r in rows {
            csv.write_record(record(x, r))?;
        }
        csv.flush()
    })
}

/// Write `population_findings.csv`.
pub fn write_findings(path: &Path, data: &Dataset, findings: &[Finding]) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["person_id", "finding", "evidence"])?;
        for f in findings {
            let ev = f.evidence.map(|i| {
                let s = &data.subjects[i];
                format!("{}:{}", data.source_file(s), s.source_row)
            });
            csv.write_record([
                data.person(f.person).person_id.as_str(),
                f.kind.code(),
                ev.as_deref().unwrap_or(""),
            ])?;
        }
        csv.flush()
    })
}

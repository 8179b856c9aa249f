//! `coverage.csv`: the books the drop holds, per commune, record type and registration year, and
//! for births the registry persons whose book is not in the drop ("book not in the drop", never a
//! finding).
use crate::classify::{Coverage, Scope};
use crate::error::Result;
use crate::ingest::RecordType;
use crate::subjects::Dataset;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The header of `coverage.csv`.
pub const HEADER: [&str; 6] = [
    "commune",
    "record_type",
    "year",
    "records",
    "in_drop",
    "births_not_in_drop",
];

/// One row of `coverage.csv`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CoverageRow {
    /// legacy commune code (`00000` when unknown)
    pub commune: String,
    /// record type
    pub record_type: String,
    /// registration year (year of birth for the registry's persons)
    pub year: u16,
    /// records of the drop
    pub records: u64,
    /// the drop holds the books of that year
    pub in_drop: bool,
    /// registry persons born that year, registered there, whose birth book is not in the drop
    pub births_not_in_drop: u64,
}

/// Which registry persons have a birth record linked in this run (by person index).
pub fn with_birth_record(data: &Dataset, rows: &[crate::classify::LinkRow]) -> Vec<bool> {
    let mut has = vec![false; data.persons.len()];
    for r in rows {
        let s = &data.subjects[r.subject];
        if let Some(p) = r.person
            && s.record_type == RecordType::KS
            && s.role == crate::subjects::Role::Nks
        {
            has[p.index()] = true;
        }
    }
    has
}

/// Write `coverage.csv`; `rows` are the run's links: a person whose birth record was found (in
/// another commune's book, say) is not counted as one whose book is not in the drop.
pub fn write(
    path: &Path,
    data: &Dataset,
    coverage: &Coverage,
    rows: &[crate::classify::LinkRow],
) -> Result<()> {
    let has_birth = with_birth_record(data, rows);
    let mut rows: BTreeMap<(u32, RecordType, u16), CoverageRow> = BTreeMap::new();
    fn row<'a>(
        rows: &'a mut BTreeMap<(u32, RecordType, u16), CoverageRow>,
        coverage: &Coverage,
        (commune, rt, year): (u32, RecordType, u16),
    ) -> &'a mut CoverageRow {
        rows.entry((commune, rt, year))
            .or_insert_with(|| CoverageRow {
                commune: format!("{commune:05}"),
                record_type: rt.code().to_string(),
                year,
                in_drop: coverage.covers(commune, rt, year),
                ..CoverageRow::default()
            })
    }
    for (&k, &n) in &coverage.records {
        row(&mut rows, coverage, k).records = n as u64;
    }
    // the persons' scopes (found once, in parallel, by `Coverage::infer`), counted here
    let not_in_drop: Vec<(u32, u16)> = has_birth
        .par_iter()
        .enumerate()
        .filter(|(_, b)| !**b)
        .filter_map(|(i, _)| match coverage.scope_at(i) {
            Scope::BookNotInDrop { commune, year } => Some((commune, year)),
            _ => None,
        })
        .collect();
    for (commune, year) in not_in_drop {
        row(&mut rows, coverage, (commune, RecordType::KS, year)).births_not_in_drop += 1;
    }
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(HEADER)?;
        for r in rows.values() {
            csv.write_record([
                r.commune.clone(),
                r.record_type.clone(),
                r.year.to_string(),
                r.records.to_string(),
                r.in_drop.to_string(),
                r.births_not_in_drop.to_string(),
            ])?;
        }
        csv.flush()
    })
}

/// Read `coverage.csv` back (empty when the run has none).
pub fn read(path: &Path) -> Result<Vec<CoverageRow>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let bad = |e: csv::Error| crate::error::Error::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut rdr = csv::Reader::from_path(path).map_err(bad)?;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let r = rec.map_err(bad)?;
        let get = |i: usize| r.get(i).unwrap_or("");
        out.push(CoverageRow {
            commune: get(0).to_string(),
            record_type: get(1).to_string(),
            year: get(2).parse().unwrap_or(0),
            records: get(3).parse().unwrap_or(0),
            in_drop: get(4) == "true",
            births_not_in_drop: get(5).parse().unwrap_or(0),
        });
    }
    Ok(out)
}

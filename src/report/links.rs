//! `links.csv` and `population_findings.csv`: one row per civil subject, one per finding.
use super::figures::{FindingRec, LinkCols, LinkRec};
use crate::classify::{Finding, LinkRow};
use crate::compare::{COMPARISONS, Sources};
use crate::encoding::Encoding;
use crate::error::Result;
use crate::normalize::text::escape_cell;
use crate::subjects::Dataset;
use crate::vocab::{Field, Flag, Flags};
use rayon::prelude::*;
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

/// Positions of the columns in [`LINKS_HEADER`].
pub mod col {
    use crate::vocab::Field;
    pub const SOURCE_FILE: usize = 0;
    pub const SOURCE_ROW: usize = 1;
    pub const RECORD_TYPE: usize = 2;
    pub const ROLE: usize = 3;
    pub const PERSON_ID: usize = 4;
    pub const STATUS: usize = 5;
    pub const PROBABILITY: usize = 6;
    pub const WEIGHT: usize = 7;
    pub const CONFLICTS: usize = 8;
    pub const ID_REISSUE: usize = 9;
    pub const FLAGS: usize = 10;
    pub const DUPLICATE_GROUP: usize = 11;
    pub const CANDIDATES: usize = 12;
    /// `civil_<field>`
    pub const fn civil(f: Field) -> usize {
        super::HEAD.len() + 2 * f as usize
    }
    /// `registry_<field>`
    pub const fn registry(f: Field) -> usize {
        civil(f) + 1
    }
    /// the `i`th of [`TAIL`](super::TAIL)
    pub const fn tail(i: usize) -> usize {
        super::HEAD.len() + 2 * Field::ALL.len() + i
    }
}

/// The columns of `links.csv` after them.
const TAIL: [&str; 7] = [
    "reg_commune",
    "reg_commune_2025",
    "reg_date",
    "book",
    "number",
    "record_key",
    "decision",
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

/// `x` with `decimals` digits after the point, as `format!("{x:.decimals$}")` writes it (a test
/// holds them equal): read off an integer, unless `x` is within a hair of a tie between two
/// roundings, which the formatting machinery settles exactly (it is slow: two numbers a row).
fn fixed(x: f64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let y = x.abs() * scale as f64;
    // below 1e9 the product is within 1.2e-7 of |x|·10^decimals: far from a tie, it rounds right
    if x.is_finite() && y < 1e9 && (y - y.trunc() - 0.5).abs() > 1e-6 {
        let k = y.round() as u64;
        let mut out = String::with_capacity(16);
        if x.is_sign_negative() {
            out.push('-');
        }
        out.push_str(&(k / scale).to_string());
        if decimals > 0 {
            out.push('.');
            let frac = (k % scale).to_string();
            out.extend(std::iter::repeat_n('0', decimals as usize - frac.len()));
            out.push_str(&frac);
        }
        return out;
    }
    format!("{x:.prec$}", prec = decimals as usize)
}

/// A commune code with five digits at least (`01234`), as `format!("{c:05}")` writes it.
pub fn commune_code(c: u32) -> String {
    let mut digits = [b'0'; 10];
    let (mut v, mut n) = (c, 0);
    while v > 0 || n < 5 {
        digits[n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
    }
    digits[..n].iter().rev().map(|&b| b as char).collect()
}

fn fmt_date(d: Option<crate::normalize::PartialDate>) -> String {
    d.map(|x| x.to_string()).unwrap_or_default()
}

/// One row of `links.csv`; `shown[i]`: the name of id `i` as displayed.
fn record(x: &Sources, r: &LinkRow, key: &str, decided: &str, shown: &[String]) -> Vec<String> {
    let data = x.data;
    let s = &data.subjects[r.subject];
    let person = r.person.map(|p| data.person(p));
    let mut values = vec![(String::new(), String::new()); Field::ALL.len()];
    // every row says whom it is about: the book's name and date of birth, and the registry's
    // when linked; the other fields are filled where they conflict
    let name = |n: Option<crate::subjects::NameId>| {
        n.map_or_else(String::new, |n| shown[n.index()].clone())
    };
    let date = |d: Option<crate::normalize::PartialDate>| fmt_date(d);
    values[Field::Name as usize].0 = name(s.facts.name);
    values[Field::Dob as usize].0 = date(s.facts.dob);
    if let Some(p) = person {
        values[Field::Name as usize].1 = name(p.facts.name);
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
            fixed(crate::score::probability(b.weight), 4),
            fixed(b.weight, 2),
        ),
        None => (String::new(), String::new()),
    };
    let cands = r
        .candidates
        .iter()
        .map(|(p, pr)| format!("{}:{}", data.person(*p).person_id, fixed(*pr, 4)))
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
        if r.id_reissue { "true" } else { "false" }.to_string(),
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
            .map(commune_code)
            .unwrap_or_default(),
    );
    rec.push(
        reg_place
            .and_then(|p| p.communes_2025.first())
            .map(|&c| commune_code(c))
            .unwrap_or_default(),
    );
    rec.push(fmt_date(s.reg_date));
    rec.push(x.civil_cell(s, "quyenSo"));
    rec.push(x.civil_cell(s, "so"));
    rec.push(key.to_string());
    rec.push(decided.to_string());
    rec
}

/// Write `links.csv` (`decided`: the decision in force per subject, from the store), counting
/// each row into `reports` as the reports read it back. Rows are formatted and counted in parallel
/// chunks ([`crate::report::Part`]), a batch at a time on a helper thread, while this thread writes
/// the batch before it and adds its parts to `reports` in row order; at most two batches are in
/// memory, never the whole file, and a row is freed on the thread that made it.
pub fn write_links(
    path: &Path,
    x: &Sources,
    rows: &[LinkRow],
    decided: &[&str],
    reports: &mut crate::report::Builder,
) -> Result<()> {
    const CHUNK: usize = 8_192;
    let cols = LinkCols::identity();
    let keys = super::record_key::keys(x);
    // each distinct name displayed once (a name is on many rows)
    let names = &x.data.names;
    let shown: Vec<String> = (0..names.len())
        .into_par_iter()
        .map(|i| names.display(Some(crate::subjects::NameId::new(i))))
        .collect();
    let (counter, mut absorb) = reports.split();
    let format = |chunk: &[LinkRow]| {
        let mut csv = csv::Writer::from_writer(Vec::with_capacity(chunk.len() * 320));
        let mut part = crate::report::Part::default();
        for r in chunk {
            let decided = decided.get(r.subject).copied().unwrap_or("");
            let mut cells = record(x, r, &keys[r.subject], decided, &shown);
            // text cells made safe to open in a spreadsheet (the two numbers can start with `-`);
            // writing to memory cannot fail
            for (i, c) in cells.iter().enumerate() {
                let _ = if i == col::PROBABILITY || i == col::WEIGHT {
                    csv.write_field(c)
                } else {
                    csv.write_field(escape_cell(c).as_bytes())
                };
            }
            let _ = csv.write_record(None::<&[u8]>);
            counter.add(&mut part, &LinkRec::from_owned_cells(&cols, &mut cells));
        }
        crate::progress::inc(chunk.len() as u64);
        (csv.into_inner().unwrap_or_default(), part)
    };
    crate::progress::start("report", rows.len() as u64, "rows");
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(&mut *w);
        csv.write_record(LINKS_HEADER.iter())?;
        csv.flush()?;
        drop(csv);
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Vec<u8>, crate::report::Part)>>(1);
            scope.spawn(move || {
                for batch in rows.chunks(CHUNK * 16) {
                    // the receiver is gone when writing failed: stop formatting
                    if tx
                        .send(batch.par_chunks(CHUNK).map(format).collect())
                        .is_err()
                    {
                        break;
                    }
                }
            });
            for done in rx {
                for (bytes, part) in done {
                    w.write_all(&bytes)?;
                    absorb.absorb(part);
                }
            }
            Ok(())
        })
    })
}

/// The header of `population_findings.csv`.
pub const FINDINGS_HEADER: [&str; 6] =
    ["person_id", "finding", "evidence", "name", "dob", "commune"];

/// The rows of `population_findings.csv`.
pub fn finding_recs(data: &Dataset, findings: &[Finding]) -> Vec<FindingRec> {
    let commune = |p: Option<crate::subjects::PlaceId>| {
        p.and_then(|p| data.place(p).commune).map(commune_code)
    };
    findings
        .iter()
        .map(|f| {
            let p = data.person(f.person);
            let ev = f.evidence.map(|i| &data.subjects[i]);
            let place = match ev {
                Some(s) => commune(s.facts.reg_place),
                None => commune(p.facts.reg_place).or_else(|| commune(p.facts.residence)),
            };
            FindingRec {
                person_id: p.person_id.clone(),
                finding: Some(f.kind),
                evidence: ev
                    .map(|s| format!("{}:{}", data.source_file(s), s.source_row))
                    .unwrap_or_default(),
                name: data.names.display(p.facts.name),
                dob: fmt_date(p.facts.dob),
                commune: place.unwrap_or_default(),
            }
        })
        .collect()
}

/// The `duplicate_id` findings: each row of the extract set aside because an earlier row has its
/// ID, with both rows as the evidence.
pub fn duplicate_id_recs(data: &Dataset) -> Vec<FindingRec> {
    data.duplicate_ids
        .iter()
        .map(|d| FindingRec {
            person_id: d.person_id.clone(),
            finding: Some(crate::vocab::FindingKind::DuplicateId),
            evidence: format!("{} (kept: {})", d.set_aside, d.kept),
            name: data.names.display(d.name),
            dob: fmt_date(d.dob),
            commune: String::new(),
        })
        .collect()
}

/// Write `population_findings.csv`.
pub fn write_findings(path: &Path, recs: &[FindingRec]) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(FINDINGS_HEADER)?;
        for f in recs {
            csv.write_record(
                [
                    escape_cell(&f.person_id),
                    f.finding.map_or("", |k| k.code()).into(),
                    escape_cell(&f.evidence),
                    escape_cell(&f.name),
                    escape_cell(&f.dob),
                    escape_cell(&f.commune),
                ]
                .iter()
                .map(|c| c.as_bytes()),
            )?;
        }
        csv.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_moved_in_read_as_cells_borrowed() {
        let cols = LinkCols::identity();
        let mut cells: Vec<String> = (0..LINKS_HEADER.len()).map(|i| format!("c{i}")).collect();
        cells[col::RECORD_TYPE] = "KS".into();
        cells[col::STATUS] = "conflict".into();
        cells[col::PROBABILITY] = "0.9712".into();
        cells[col::ID_REISSUE] = "true".into();
        cells[col::FLAGS] = "legacy_encoding:tcvn3".into();
        // a field named twice, and the name (whose cell is read for the name columns too)
        cells[col::CONFLICTS] = format!("name;{0};{0}", Field::Dob.code());
        let borrowed = LinkRec::from_cells(&cols, |i| cells.get(i).map(String::as_str));
        let moved = LinkRec::from_owned_cells(&cols, &mut cells.clone());
        assert_eq!(format!("{moved:?}"), format!("{borrowed:?}"));
        assert_eq!(moved.values.len(), 3);
        assert_eq!(moved.values[2].1, format!("c{}", col::civil(Field::Dob)));
    }

    #[test]
    fn commune_codes_have_five_digits_at_least() {
        for c in [0, 7, 1234, 18607, 99999, 100000, u32::MAX] {
            assert_eq!(commune_code(c), format!("{c:05}"));
        }
    }

    #[test]
    fn fixed_point_as_the_format_macro_writes_it() {
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.00005,
            0.99995,
            0.999_95,
            1e-9,
            -1e-9,
            123.455,
            -2.675,
            32.03,
            1e8,
            2e9,
            f64::NAN,
            f64::INFINITY,
        ];
        // every tie of four and two decimals in a range, and a walk of odd values
        xs.extend((0..20_000).map(|i| (2 * i + 1) as f64 / 20_000.0));
        xs.extend((0..20_000).map(|i| (2 * i + 1) as f64 / 200.0 - 100.0));
        let mut v = 0.123_456_789_f64;
        for _ in 0..100_000 {
            v = (v * 7.3 + 0.1).fract() * 60.0 - 30.0;
            xs.push(v);
            xs.push(v / 30.0);
        }
        for x in xs {
            assert_eq!(fixed(x, 4), format!("{x:.4}"), "{x:e}");
            assert_eq!(fixed(x, 2), format!("{x:.2}"), "{x:e}");
        }
    }

    #[test]
    fn the_column_positions_name_the_header() {
        let h = &*LINKS_HEADER;
        assert_eq!(h[col::SOURCE_FILE], "source_file");
        assert_eq!(h[col::STATUS], "status");
        assert_eq!(h[col::PROBABILITY], "match_probability");
        assert_eq!(h[col::CONFLICTS], "conflict_fields");
        assert_eq!(h[col::ID_REISSUE], "id_reissue");
        assert_eq!(h[col::FLAGS], "flags");
        assert_eq!(h[col::CANDIDATES], "candidates");
        for f in Field::ALL {
            assert_eq!(h[col::civil(*f)], format!("civil_{}", f.code()));
            assert_eq!(h[col::registry(*f)], format!("registry_{}", f.code()));
        }
        assert_eq!(h[col::tail(0)], "reg_commune");
        assert_eq!(h[col::tail(4)], "number");
        assert_eq!(h.len(), col::tail(TAIL.len()));
    }
}

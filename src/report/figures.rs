//! The figures of the compliance report, computed from the run's files (`links.csv`,
//! `population_findings.csv`, `summary.json`) so that `doisoat report DIR` and the tests get the
//! same numbers as the run itself.
use crate::error::{Error, Result};
use crate::ingest::RecordType;
use crate::summary::Summary;
use crate::vocab::{Criterion, Field, FindingKind, Flag, Flags, Status};
use std::collections::BTreeMap;
use std::path::Path;

/// One row of `links.csv`.
#[derive(Clone, Debug, Default)]
pub struct LinkRec {
    /// source file
    pub source_file: String,
    /// spreadsheet row
    pub source_row: String,
    /// KS, KH, …
    pub record_type: Option<RecordType>,
    /// nks, chong, …
    pub role: String,
    /// linked person
    pub person_id: String,
    /// status
    pub status: Option<Status>,
    /// probability of the best candidate
    pub probability: Option<f64>,
    /// conflicting fields
    pub conflicts: Vec<Field>,
    /// ID re-issue needed
    pub id_reissue: bool,
    /// flags
    pub flags: Flags,
    /// duplicate groups
    pub duplicate_group: String,
    /// review candidates
    pub candidates: String,
    /// (field, civil value, registry value) of each conflict
    pub values: Vec<(Field, String, String)>,
    /// the book's name
    pub civil_name: String,
    /// the registry's name, when linked
    pub registry_name: String,
    /// the book's date of birth
    pub civil_dob: String,
    /// the registry's date of birth, when linked
    pub registry_dob: String,
    /// registering legacy commune code
    pub commune: String,
    /// its 2025 commune code
    pub commune_2025: String,
    /// registration date
    pub reg_date: String,
    /// book number
    pub book: String,
    /// register number
    pub number: String,
}

impl LinkRec {
    /// Linked to a person (matched or conflict).
    pub fn linked(&self) -> bool {
        matches!(self.status, Some(Status::Matched | Status::Conflict))
    }
    /// Expected in the registry (not out of scope).
    pub fn in_scope(&self) -> bool {
        self.status != Some(Status::OutOfScope)
    }
    /// The record type's code.
    pub fn type_code(&self) -> &'static str {
        self.record_type.map_or("", |t| t.code())
    }
    /// The status's code.
    pub fn status_code(&self) -> &'static str {
        self.status.map_or("", |s| s.code())
    }
    /// The registration year, if any.
    pub fn year(&self) -> Option<u16> {
        self.reg_date.get(..4).and_then(|y| y.parse().ok())
    }
    /// Has none of the "sạch" problems: duplicates, invalid formats, unresolved places.
    pub fn clean(&self) -> bool {
        self.duplicate_group.is_empty()
            && !self.flags.iter().any(|f| f.criterion() == Criterion::Clean)
    }
    /// All mandatory fields present.
    pub fn complete(&self) -> bool {
        !self
            .flags
            .iter()
            .any(|f| f.criterion() == Criterion::Complete)
    }
}

/// The flags of a `links.csv` cell (`legacy_encoding:tcvn3` is `legacy_encoding`).
pub fn parse_flags(s: &str) -> Flags {
    s.split(';')
        .filter_map(|f| Flag::from_code(f.split(':').next().unwrap_or(f)))
        .collect()
}

/// One population finding.
#[derive(Clone, Debug)]
pub struct FindingRec {
    /// person
    pub person_id: String,
    /// kind
    pub finding: Option<FindingKind>,
    /// `file:row` or empty
    pub evidence: String,
}

/// A rate with its numerator and denominator; no rate when the denominator is 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Rate {
    /// numerator
    pub num: u64,
    /// denominator
    pub den: u64,
}

impl Rate {
    /// The rate, `None` when nothing was counted.
    pub fn value(&self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 / self.den as f64)
    }
    /// As a percentage with one decimal, or "—".
    pub fn pct(&self) -> String {
        match self.value() {
            Some(v) => format!("{:.1} %", v * 100.0),
            None => "—".to_string(),
        }
    }
    fn add(&mut self, ok: bool) {
        self.den += 1;
        self.num += ok as u64;
    }
}

/// Rates of a group of subjects (a commune, a type, a year).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct GroupRates {
    /// subjects
    pub subjects: u64,
    /// by status
    pub by_status: BTreeMap<String, u64>,
    /// đúng: matched / linked
    pub correct: Rate,
    /// đủ: linked / in scope
    pub found: Rate,
    /// đủ: mandatory fields present
    pub complete: Rate,
    /// sạch: no duplicate, format or place problem
    pub clean: Rate,
}

impl GroupRates {
    fn add(&mut self, r: &LinkRec) {
        self.subjects += 1;
        *self
            .by_status
            .entry(r.status_code().to_string())
            .or_default() += 1;
        if r.linked() {
            self.correct.add(r.status == Some(Status::Matched));
        }
        if r.in_scope() {
            self.found.add(r.linked());
        }
        self.complete.add(r.complete());
        self.clean.add(r.clean());
    }
}

/// Everything the reports show.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Figures {
    /// all subjects
    pub overall: GroupRates,
    /// sống: linked deaths the registry shows / linked deaths
    pub deaths_propagated: Rate,
    /// sống: linked marriages the registry shows / linked marriages
    pub marriages_propagated: Rate,
    /// đủ: registry persons in scope with a birth record
    pub persons_with_birth: Rate,
    /// by legacy commune code ("" = unknown); communes of the province with no records included
    pub by_commune: BTreeMap<String, GroupRates>,
    /// by record type
    pub by_type: BTreeMap<String, GroupRates>,
    /// by registration year
    pub by_year: BTreeMap<u16, GroupRates>,
    /// conflicts by field
    pub conflicts_by_field: BTreeMap<String, u64>,
    /// subjects by flag
    pub flags: BTreeMap<String, u64>,
    /// findings by kind
    pub findings: BTreeMap<String, u64>,
    /// ID re-issues needed
    pub id_reissue: u64,
    /// histogram of best-candidate probabilities, 20 bins of 0.05
    pub probability_histogram: Vec<u64>,
}

fn read(path: &Path) -> Result<(csv::StringRecord, Vec<csv::StringRecord>)> {
    let mut r = csv::Reader::from_path(path).map_err(|e| Error::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let h = r
        .headers()
        .map_err(|e| Error::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?
        .clone();
    let rows = r
        .records()
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    Ok((h, rows))
}

fn split(s: &str) -> Vec<String> {
    s.split(';')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Read `links.csv`.
pub fn read_links(path: &Path) -> Result<Vec<LinkRec>> {
    let mut out = Vec::new();
    for_each_link(path, |r| out.push(r))?;
    Ok(out)
}

/// Stream the rows of `links.csv`.
pub fn for_each_link(path: &Path, mut f: impl FnMut(LinkRec)) -> Result<()> {
    let bad = |e: csv::Error| Error::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut rdr = csv::Reader::from_path(path).map_err(bad)?;
    let h = rdr.headers().map_err(bad)?.clone();
    let col = |name: &str| h.iter().position(|x| x == name);
    let idx: BTreeMap<&str, Option<usize>> = super::links::LINKS_HEADER
        .iter()
        .map(|n| (n.as_str(), col(n)))
        .collect();
    let get = |r: &csv::StringRecord, n: &str| {
        idx.get(n)
            .copied()
            .flatten()
            .and_then(|i| r.get(i))
            .unwrap_or("")
            .to_string()
    };
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(bad)? {
        let r = &rec;
        let conflicts: Vec<Field> = split(&get(r, "conflict_fields"))
            .iter()
            .filter_map(|c| Field::from_code(c))
            .collect();
        let values = conflicts
            .iter()
            .map(|f| {
                (
                    *f,
                    get(r, &format!("civil_{}", f.code())),
                    get(r, &format!("registry_{}", f.code())),
                )
            })
            .collect();
        f(LinkRec {
            source_file: get(r, "source_file"),
            source_row: get(r, "source_row"),
            record_type: RecordType::from_code(&get(r, "record_type")),
            role: get(r, "role"),
            person_id: get(r, "person_id"),
            status: Status::from_code(&get(r, "status")),
            probability: get(r, "match_probability").parse().ok(),
            conflicts,
            id_reissue: get(r, "id_reissue") == "true",
            flags: parse_flags(&get(r, "flags")),
            civil_name: get(r, "civil_name"),
            registry_name: get(r, "registry_name"),
            civil_dob: get(r, "civil_dob"),
            registry_dob: get(r, "registry_dob"),
            duplicate_group: get(r, "duplicate_group"),
            candidates: get(r, "candidates"),
            values,
            commune: get(r, "reg_commune"),
            commune_2025: get(r, "reg_commune_2025"),
            reg_date: get(r, "reg_date"),
            book: get(r, "book"),
            number: get(r, "number"),
        });
    }
    Ok(())
}

/// Read `population_findings.csv`.
pub fn read_findings(path: &Path) -> Result<Vec<FindingRec>> {
    let (_, rows) = read(path)?;
    Ok(rows
        .iter()
        .map(|r| FindingRec {
            person_id: r.get(0).unwrap_or("").to_string(),
            finding: FindingKind::from_code(r.get(1).unwrap_or("")),
            evidence: r.get(2).unwrap_or("").to_string(),
        })
        .collect())
}

/// Compute the figures. `province` adds the province's communes that have no records;
/// `persons_in_scope` is the number of registry persons whose birth should be in these books.
pub fn compute(
    links: &[LinkRec],
    findings: &[FindingRec],
    province: Option<u8>,
    persons_in_scope: u64,
) -> Figures {
    let mut f = Figures {
        probability_histogram: vec![0; 20],
        ..Figures::default()
    };
    if let Some(p) = province {
        for c in crate::places::GAZETTEER
            .communes
            .values()
            .filter(|c| c.province == p)
        {
            f.by_commune.entry(format!("{:05}", c.code)).or_default();
        }
    }
    let evidence: std::collections::HashSet<(&str, Option<FindingKind>)> = findings
        .iter()
        .filter(|x| x.evidence.contains(':'))
        .map(|x| (x.evidence.as_str(), x.finding))
        .collect();
    for r in links {
        f.overall.add(r);
        f.by_commune.entry(r.commune.clone()).or_default().add(r);
        f.by_type
            .entry(r.type_code().to_string())
            .or_default()
            .add(r);
        if let Some(y) = r.year() {
            f.by_year.entry(y).or_default().add(r);
        }
        for c in &r.conflicts {
            *f.conflicts_by_field
                .entry(c.code().to_string())
                .or_default() += 1;
        }
        for fl in r.flags.iter() {
            *f.flags.entry(fl.code().to_string()).or_default() += 1;
        }
        f.id_reissue += r.id_reissue as u64;
        if let Some(p) = r.probability {
            let bin = ((p * 20.0).floor() as usize).min(19);
            f.probability_histogram[bin] += 1;
        }
        let ev = format!("{}:{}", r.source_file, r.source_row);
        if r.linked() && r.role == "nkt" {
            f.deaths_propagated
                .add(!evidence.contains(&(ev.as_str(), Some(FindingKind::DeathNotRecorded))));
        }
        if r.linked() && (r.role == "chong" || r.role == "vo") {
            f.marriages_propagated
                .add(!evidence.contains(&(ev.as_str(), Some(FindingKind::MarriageNotRecorded))));
        }
    }
    for x in findings {
        let code = x.finding.map_or("", |k| k.code());
        *f.findings.entry(code.to_string()).or_default() += 1;
    }
    let no_birth = f
        .findings
        .get(FindingKind::NoBirthRecord.code())
        .copied()
        .unwrap_or(0);
    f.persons_with_birth = Rate {
        num: persons_in_scope.saturating_sub(no_birth),
        den: persons_in_scope,
    };
    f
}

/// A run folder read back: its figures, rows, findings and summary.
pub struct RunFiles {
    /// the figures
    pub figures: Figures,
    /// `links.csv`
    pub links: Vec<LinkRec>,
    /// `population_findings.csv`
    pub findings: Vec<FindingRec>,
    /// `summary.json`
    pub summary: Summary,
}

/// Read a run folder and compute its figures.
pub fn from_dir(dir: &Path) -> Result<RunFiles> {
    let summary = Summary::read(dir)?;
    let links = read_links(&dir.join("links.csv"))?;
    let findings = read_findings(&dir.join("population_findings.csv"))?;
    let figures = compute(
        &links,
        &findings,
        summary.province,
        summary.counts.persons_in_scope as u64,
    );
    Ok(RunFiles {
        figures,
        links,
        findings,
        summary,
    })
}

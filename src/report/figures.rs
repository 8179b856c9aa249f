//! The figures of the compliance report, computed from the run's files (`links.csv`,
//! `population_findings.csv`, `summary.json`) so that `doisoat report DIR` and the tests get the
//! same numbers as the run itself.
use crate::error::{Error, Result};
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
    pub record_type: String,
    /// nks, chong, …
    pub role: String,
    /// linked person
    pub person_id: String,
    /// status code
    pub status: String,
    /// probability of the best candidate
    pub probability: Option<f64>,
    /// conflicting fields
    pub conflicts: Vec<String>,
    /// ID re-issue needed
    pub id_reissue: bool,
    /// flags
    pub flags: Vec<String>,
    /// duplicate groups
    pub duplicate_group: String,
    /// review candidates
    pub candidates: String,
    /// (field, civil value, registry value) of each conflict
    pub values: Vec<(String, String, String)>,
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
        self.status == "matched" || self.status == "conflict"
    }
    /// Expected in the registry (not out of scope).
    pub fn in_scope(&self) -> bool {
        self.status != "out_of_scope"
    }
    /// The registration year, if any.
    pub fn year(&self) -> Option<u16> {
        self.reg_date.get(..4).and_then(|y| y.parse().ok())
    }
    /// Has none of the "sạch" problems: duplicates, invalid formats, unresolved places.
    pub fn clean(&self) -> bool {
        self.duplicate_group.is_empty()
            && !self.flags.iter().any(|f| CLEAN_FLAGS.contains(&f.as_str()))
    }
    /// All mandatory fields present.
    pub fn complete(&self) -> bool {
        !self.flags.iter().any(|f| {
            f == "missing_mandatory_field" || f == "missing_book_number" || f == "missing_signer"
        })
    }
}

/// Flags that make a record not "sạch".
pub const CLEAN_FLAGS: [&str; 8] = [
    "invalid_date",
    "impossible_date",
    "invalid_id",
    "unresolved_place",
    "duplicate_book_key",
    "duplicate_event",
    "numbering_continued",
    "registration_before_event",
];

/// One population finding.
#[derive(Clone, Debug)]
pub struct FindingRec {
    /// person
    pub person_id: String,
    /// kind code
    pub finding: String,
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
        *self.by_status.entry(r.status.clone()).or_default() += 1;
        if r.linked() {
            self.correct.add(r.status == "matched");
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
        .map(|n| (*n, col(n)))
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
        let conflicts = split(&get(r, "conflict_fields"));
        let values = conflicts
            .iter()
            .map(|f| {
                (
                    f.clone(),
                    get(r, &format!("civil_{f}")),
                    get(r, &format!("registry_{f}")),
                )
            })
            .collect();
        f(LinkRec {
            source_file: get(r, "source_file"),
            source_row: get(r, "source_row"),
            record_type: get(r, "record_type"),
            role: get(r, "role"),
            person_id: get(r, "person_id"),
            status: get(r, "status"),
            probability: get(r, "match_probability").parse().ok(),
            conflicts,
            id_reissue: get(r, "id_reissue") == "true",
            flags: split(&get(r, "flags")),
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
            finding: r.get(1).unwrap_or("").to_string(),
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
    let evidence: std::collections::HashSet<(&str, &str)> = findings
        .iter()
        .filter_map(|x| {
            x.evidence
                .split_once(':')
                .map(|_| (x.evidence.as_str(), x.finding.as_str()))
        })
        .collect();
    for r in links {
        f.overall.add(r);
        f.by_commune.entry(r.commune.clone()).or_default().add(r);
        f.by_type.entry(r.record_type.clone()).or_default().add(r);
        if let Some(y) = r.year() {
            f.by_year.entry(y).or_default().add(r);
        }
        for c in &r.conflicts {
            *f.conflicts_by_field.entry(c.clone()).or_default() += 1;
        }
        for fl in &r.flags {
            let key = fl.split(':').next().unwrap_or(fl).to_string();
            *f.flags.entry(key).or_default() += 1;
        }
        f.id_reissue += r.id_reissue as u64;
        if let Some(p) = r.probability {
            let bin = ((p * 20.0).floor() as usize).min(19);
            f.probability_histogram[bin] += 1;
        }
        let ev = format!("{}:{}", r.source_file, r.source_row);
        if r.linked() && r.role == "nkt" {
            f.deaths_propagated
                .add(!evidence.contains(&(ev.as_str(), "death_not_recorded")));
        }
        if r.linked() && (r.role == "chong" || r.role == "vo") {
            f.marriages_propagated
                .add(!evidence.contains(&(ev.as_str(), "marriage_not_recorded")));
        }
    }
    for x in findings {
        *f.findings.entry(x.finding.clone()).or_default() += 1;
    }
    let no_birth = f.findings.get("no_birth_record").copied().unwrap_or(0);
    f.persons_with_birth = Rate {
        num: persons_in_scope.saturating_sub(no_birth),
        den: persons_in_scope,
    };
    f
}

/// Read a run folder and compute its figures.
pub fn from_dir(dir: &Path) -> Result<(Figures, Vec<LinkRec>, Vec<FindingRec>, serde_json::Value)> {
    let links = read_links(&dir.join("links.csv"))?;
    let findings = read_findings(&dir.join("population_findings.csv"))?;
    let summary: serde_json::Value = std::fs::read_to_string(dir.join("summary.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let province = summary["province"].as_u64().map(|p| p as u8);
    let in_scope = summary["counts"]["persons_in_scope"].as_u64().unwrap_or(0);
    let f = compute(&links, &findings, province, in_scope);
    Ok((f, links, findings, summary))
}

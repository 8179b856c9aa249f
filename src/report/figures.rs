//! The figures of the compliance report, computed from the run's files (`links.csv`,
//! `population_findings.csv`, `summary.json`) so that `doisoat report DIR` and the tests get the
//! same numbers as the run itself.
use crate::error::{Error, Result};
use crate::ingest::RecordType;
use crate::vocab::{Criterion, Field, FindingKind, Flag, Flags, Status};
use std::collections::BTreeMap;
use std::path::Path;

/// One row of `links.csv`.
#[derive(Clone, Debug, Default)]
pub struct LinkRec {
    /// the decision in force from the decisions store (`accept_conflict`, …), if any
    pub decision: String,
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
    /// the record's key across runs (`record_key`)
    pub record_key: String,
}

impl LinkRec {
    /// Linked to a person (matched or conflict).
    pub fn linked(&self) -> bool {
        matches!(self.status, Some(Status::Matched | Status::Conflict))
    }
    /// Expected in the registry: not out of scope, nor a duplicate registration people decided
    /// to cancel.
    pub fn in_scope(&self) -> bool {
        self.status != Some(Status::OutOfScope) && self.decision != "cancel_record"
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
    /// the registry's name of the person
    pub name: String,
    /// the registry's date of birth
    pub dob: String,
    /// the legacy commune whose officers act on it (`file:row`'s commune for evidence; else the
    /// person's place of birth registration, or of residence)
    pub commune: String,
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
    fn absorb(&mut self, o: Rate) {
        self.num += o.num;
        self.den += o.den;
    }
}

/// Add the counts of `b` to those of `a`.
fn absorb_counts<K: Ord>(a: &mut BTreeMap<K, u64>, b: BTreeMap<K, u64>) {
    for (k, n) in b {
        *a.entry(k).or_default() += n;
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

/// Count one more under `key` (the key copied only the first time it is seen: a row is counted
/// under several keys, on the thread that writes `links.csv`).
pub(crate) fn bump<N: From<u8> + std::ops::AddAssign>(map: &mut BTreeMap<String, N>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += N::from(1),
        None => {
            map.insert(key.to_string(), N::from(1));
        }
    }
}

impl GroupRates {
    fn add(&mut self, r: &LinkRec) {
        self.subjects += 1;
        bump(&mut self.by_status, r.status_code());
        if r.linked() {
            self.correct.add(r.status == Some(Status::Matched));
        }
        if r.in_scope() {
            self.found.add(r.linked());
        }
        self.complete.add(r.complete());
        self.clean.add(r.clean());
    }

    fn absorb(&mut self, o: GroupRates) {
        let GroupRates {
            subjects,
            by_status,
            correct,
            found,
            complete,
            clean,
        } = o;
        self.subjects += subjects;
        absorb_counts(&mut self.by_status, by_status);
        self.correct.absorb(correct);
        self.found.absorb(found);
        self.complete.absorb(complete);
        self.clean.absorb(clean);
    }
}

/// Add the groups of `b` to those of `a`.
fn absorb_groups<K: Ord>(a: &mut BTreeMap<K, GroupRates>, b: BTreeMap<K, GroupRates>) {
    for (k, g) in b {
        a.entry(k).or_default().absorb(g);
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
    /// subjects by the decision in force about them (`accept_conflict`: accepted conflicts, …)
    pub decided: BTreeMap<String, u64>,
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

/// Read `links.csv`.
pub fn read_links(path: &Path) -> Result<Vec<LinkRec>> {
    let mut out = Vec::new();
    for_each_link(path, |r| out.push(r))?;
    Ok(out)
}

/// Where each column of [`LINKS_HEADER`](super::links::LINKS_HEADER) is in a `links.csv` (a file
/// written by another version may lack some, or order them otherwise).
pub struct LinkCols {
    pos: Vec<Option<usize>>,
}

impl LinkCols {
    /// The columns of a record in [`LINKS_HEADER`](super::links::LINKS_HEADER) order.
    pub fn identity() -> LinkCols {
        LinkCols {
            pos: (0..super::links::LINKS_HEADER.len()).map(Some).collect(),
        }
    }

    /// The columns of a file with this header.
    pub fn of_header(h: &csv::StringRecord) -> LinkCols {
        LinkCols {
            pos: super::links::LINKS_HEADER
                .iter()
                .map(|n| h.iter().position(|x| x == n))
                .collect(),
        }
    }
}

impl LinkRec {
    /// [`LinkRec::from_cells`] of a row the run has just formatted, its text cells moved in,
    /// not copied (the row is not read again).
    pub fn from_owned_cells(cols: &LinkCols, cells: &mut [String]) -> LinkRec {
        // the parsed cells and the conflicts' values first (a value is the name's or the date
        // of birth's too, taken after)
        let shared: &[String] = cells;
        let rec = LinkRec::parsed(|i| {
            cols.pos[i]
                .and_then(|j| shared.get(j))
                .map_or("", String::as_str)
        });
        rec.with_text(|i| {
            cols.pos[i]
                .and_then(|j| cells.get_mut(j))
                .map(std::mem::take)
                .unwrap_or_default()
        })
    }

    /// A row from its cells: `cell(i)` is the cell at position `i` of the record.
    pub fn from_cells<'a>(cols: &LinkCols, cell: impl Fn(usize) -> Option<&'a str>) -> LinkRec {
        let get = |i: usize| -> &'a str { cols.pos[i].and_then(&cell).unwrap_or("") };
        LinkRec::parsed(get).with_text(|i| get(i).to_string())
    }

    /// The cells read as values (type, status, probability, conflicts and their values, flags):
    /// `get(i)` is the cell of column `i` of [`LINKS_HEADER`](super::links::LINKS_HEADER).
    fn parsed<'a>(get: impl Fn(usize) -> &'a str) -> LinkRec {
        use super::links::col;
        let conflicts: Vec<Field> = get(col::CONFLICTS)
            .split(';')
            .filter_map(Field::from_code)
            .collect();
        let values = conflicts
            .iter()
            .map(|&f| {
                (
                    f,
                    get(col::civil(f)).to_string(),
                    get(col::registry(f)).to_string(),
                )
            })
            .collect();
        LinkRec {
            record_type: RecordType::from_code(get(col::RECORD_TYPE)),
            status: Status::from_code(get(col::STATUS)),
            probability: get(col::PROBABILITY).parse().ok(),
            conflicts,
            id_reissue: get(col::ID_REISSUE) == "true",
            flags: parse_flags(get(col::FLAGS)),
            values,
            ..LinkRec::default()
        }
    }

    /// The text cells, each as `own(i)` gives it for column `i`.
    fn with_text(self, mut own: impl FnMut(usize) -> String) -> LinkRec {
        use super::links::col;
        LinkRec {
            source_file: own(col::SOURCE_FILE),
            source_row: own(col::SOURCE_ROW),
            role: own(col::ROLE),
            person_id: own(col::PERSON_ID),
            civil_name: own(col::civil(Field::Name)),
            registry_name: own(col::registry(Field::Name)),
            civil_dob: own(col::civil(Field::Dob)),
            registry_dob: own(col::registry(Field::Dob)),
            duplicate_group: own(col::DUPLICATE_GROUP),
            candidates: own(col::CANDIDATES),
            commune: own(col::tail(0)),
            commune_2025: own(col::tail(1)),
            reg_date: own(col::tail(2)),
            book: own(col::tail(3)),
            number: own(col::tail(4)),
            record_key: own(col::tail(5)),
            decision: own(col::tail(6)),
            ..self
        }
    }
}

/// Stream the rows of `links.csv`.
pub fn for_each_link(path: &Path, mut f: impl FnMut(LinkRec)) -> Result<()> {
    let bad = |e: csv::Error| Error::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut rdr = csv::Reader::from_path(path).map_err(bad)?;
    let cols = LinkCols::of_header(rdr.headers().map_err(bad)?);
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(bad)? {
        // the cells `links.csv` escaped against spreadsheet formulas, read back as they were
        f(LinkRec::from_cells(&cols, |i| {
            rec.get(i).map(crate::normalize::text::unescape_cell)
        }));
    }
    Ok(())
}

/// Read `population_findings.csv`.
pub fn read_findings(path: &Path) -> Result<Vec<FindingRec>> {
    let (h, rows) = read(path)?;
    let pos: Vec<Option<usize>> = super::links::FINDINGS_HEADER
        .iter()
        .map(|n| h.iter().position(|x| x == *n))
        .collect();
    Ok(rows
        .iter()
        .map(|r| {
            let get = |i: usize| {
                let v = pos[i].and_then(|p| r.get(p)).unwrap_or("");
                crate::normalize::text::unescape_cell(v).to_string()
            };
            FindingRec {
                person_id: get(0),
                finding: FindingKind::from_code(&get(1)),
                evidence: get(2),
                name: get(3),
                dob: get(4),
                commune: get(5),
            }
        })
        .collect())
}

impl Figures {
    /// No rows yet: every commune of the province listed, with nothing counted.
    pub fn start(province: Option<u8>) -> Figures {
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
        f
    }

    /// Nothing counted, no commune listed: the figures of a part of the rows, for
    /// [`Figures::absorb`].
    pub fn empty() -> Figures {
        Figures::start(None)
    }

    /// Add the figures of other rows (counted apart by [`Figures::add_link`]): the same figures
    /// as counting them here.
    pub fn absorb(&mut self, o: Figures) {
        // every field named, so that a field added later is not forgotten here
        let Figures {
            overall,
            deaths_propagated,
            marriages_propagated,
            persons_with_birth,
            by_commune,
            by_type,
            by_year,
            conflicts_by_field,
            flags,
            findings,
            id_reissue,
            probability_histogram,
            decided,
        } = o;
        self.overall.absorb(overall);
        self.deaths_propagated.absorb(deaths_propagated);
        self.marriages_propagated.absorb(marriages_propagated);
        self.persons_with_birth.absorb(persons_with_birth);
        absorb_groups(&mut self.by_commune, by_commune);
        absorb_groups(&mut self.by_type, by_type);
        absorb_groups(&mut self.by_year, by_year);
        absorb_counts(&mut self.conflicts_by_field, conflicts_by_field);
        absorb_counts(&mut self.flags, flags);
        absorb_counts(&mut self.findings, findings);
        self.id_reissue += id_reissue;
        if self.probability_histogram.len() < probability_histogram.len() {
            self.probability_histogram
                .resize(probability_histogram.len(), 0);
        }
        for (a, b) in self
            .probability_histogram
            .iter_mut()
            .zip(probability_histogram)
        {
            *a += b;
        }
        absorb_counts(&mut self.decided, decided);
    }

    /// Count one row of `links.csv`; `recorded(kind)` says whether a finding of that kind names
    /// this row as its evidence.
    pub fn add_link(&mut self, r: &LinkRec, recorded: impl Fn(FindingKind) -> bool) {
        let f = self;
        f.overall.add(r);
        match f.by_commune.get_mut(&r.commune) {
            Some(c) => c.add(r),
            None => f.by_commune.entry(r.commune.clone()).or_default().add(r),
        }
        match f.by_type.get_mut(r.type_code()) {
            Some(t) => t.add(r),
            None => f
                .by_type
                .entry(r.type_code().to_string())
                .or_default()
                .add(r),
        }
        if let Some(y) = r.year() {
            f.by_year.entry(y).or_default().add(r);
        }
        for c in &r.conflicts {
            bump(&mut f.conflicts_by_field, c.code());
        }
        for fl in r.flags.iter() {
            bump(&mut f.flags, fl.code());
        }
        f.id_reissue += r.id_reissue as u64;
        if !r.decision.is_empty() {
            bump(&mut f.decided, &r.decision);
        }
        if let Some(p) = r.probability {
            let bin = ((p * 20.0).floor() as usize).min(19);
            f.probability_histogram[bin] += 1;
        }
        if r.linked() && r.role == "nkt" {
            f.deaths_propagated
                .add(!recorded(FindingKind::DeathNotRecorded));
        }
        if r.linked() && (r.role == "chong" || r.role == "vo") {
            f.marriages_propagated
                .add(!recorded(FindingKind::MarriageNotRecorded));
        }
    }

    /// Count the population findings (after every row).
    pub fn add_findings(&mut self, findings: &[FindingRec], persons_in_scope: u64) {
        for x in findings {
            let code = x.finding.map_or("", |k| k.code());
            *self.findings.entry(code.to_string()).or_default() += 1;
        }
        let no_birth = self
            .findings
            .get(FindingKind::NoBirthRecord.code())
            .copied()
            .unwrap_or(0);
        self.persons_with_birth = Rate {
            num: persons_in_scope.saturating_sub(no_birth),
            den: persons_in_scope,
        };
    }
}

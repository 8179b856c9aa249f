//! Report: the files for machines (links, findings, summary) and for people (an Excel work book and
//! a self-contained HTML page), all computed from the run's files.
pub mod communes;
pub mod coverage;
pub mod decided;
pub mod figures;
pub mod glossary;
pub mod html;
pub mod i18n;
pub mod labels;
pub mod links;
pub mod record_key;
pub mod worklists;
pub mod xlsx;

use crate::error::Result;
use crate::summary::Summary;
use crate::vocab::FindingKind;
pub use i18n::Lang;
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

/// Write `report.xlsx` and `report.html` into a run folder from its `links.csv`,
/// `population_findings.csv` and `summary.json` (read row by row).
pub fn write_reports(dir: &Path, lang: Lang, per_commune: bool) -> Result<()> {
    let (summary, warnings) = Summary::read_checked(dir)?;
    for w in warnings {
        eprintln!("[doisoat] warning: {w}");
    }
    let findings = figures::read_findings(&dir.join("population_findings.csv"))?;
    let mut b = Builder::new(&findings, summary.province, lang);
    figures::for_each_link(&dir.join("links.csv"), |r| b.add(&r))?;
    b.write(dir, &summary, per_commune)
}

/// What both reports (the work book and the page) are made of.
pub struct Content<'a> {
    /// the figures
    pub f: &'a figures::Figures,
    /// every work-list item
    pub items: &'a [worklists::WorkItem],
    /// the run's summary
    pub summary: &'a Summary,
    /// `coverage.csv`
    pub coverage: &'a [coverage::CoverageRow],
    /// the language
    pub lang: Lang,
}

/// The reports' figures and work lists, built one row of `links.csv` at a time: from the file
/// (`doisoat report`) or from the rows as the run writes them — the same rows give the same
/// reports, and no row is held longer than it takes to count it.
pub struct Builder<'a> {
    figures: figures::Figures,
    lists: worklists::WorkLists,
    keys: Keys<'a>,
    findings: &'a [figures::FindingRec],
}

/// What a row is looked up in as it is counted: the findings that name it as their evidence.
/// Shared by the threads that count rows apart ([`Part`]).
pub struct Keys<'a> {
    /// the kinds of the findings that name a row (`file:row`) as their evidence
    evidence: HashMap<&'a str, Vec<FindingKind>>,
    /// the rows those are, by file (so that most rows are looked up without making their key)
    evidence_rows: HashMap<&'a str, rustc_hash::FxHashSet<&'a str>>,
    lang: Lang,
}

impl Keys<'_> {
    /// A row's `file:row` when a finding names it, with the kinds of those findings.
    fn named(&self, r: &figures::LinkRec) -> Option<(String, &[FindingKind])> {
        // `file:row` is the key of an evidence split at its last `:` (a row number has none)
        let named = r.source_row.contains(':')
            || self
                .evidence_rows
                .get(r.source_file.as_str())
                .is_some_and(|rows| rows.contains(r.source_row.as_str()));
        if !named {
            return None;
        }
        let key = format!("{}:{}", r.source_file, r.source_row);
        let kinds = self.evidence.get(key.as_str())?;
        Some((key, kinds))
    }

    /// Count one row into a part.
    pub fn add(&self, part: &mut Part, r: &figures::LinkRec) {
        let named = self.named(r);
        let kinds = named.as_ref().map(|n| n.1);
        part.figures
            .add_link(r, |k| kinds.is_some_and(|v| v.contains(&k)));
        if let Some((key, _)) = named {
            part.kept.push((key, r.clone()));
        }
        worklists::route(&mut part.items, self.lang, r);
    }
}

/// Rows counted apart, on a thread that formats them ([`Keys::add`]), then added to the builder
/// in row order ([`Builder::absorb`]): the same reports as adding the rows one by one.
pub struct Part {
    figures: figures::Figures,
    items: Vec<worklists::WorkItem>,
    kept: Vec<(String, figures::LinkRec)>,
}

impl Default for Part {
    fn default() -> Self {
        Part {
            figures: figures::Figures::empty(),
            items: Vec::new(),
            kept: Vec::new(),
        }
    }
}

impl<'a> Builder<'a> {
    /// A builder for a run of this province with these findings.
    pub fn new(findings: &'a [figures::FindingRec], province: Option<u8>, lang: Lang) -> Self {
        let mut evidence: HashMap<&str, Vec<FindingKind>> = HashMap::default();
        let mut evidence_rows: HashMap<&str, rustc_hash::FxHashSet<&str>> = HashMap::default();
        for f in findings.iter().filter(|f| f.evidence.contains(':')) {
            let kinds = evidence.entry(f.evidence.as_str()).or_default();
            kinds.extend(f.finding);
            if let Some((file, row)) = f.evidence.rsplit_once(':') {
                evidence_rows.entry(file).or_default().insert(row);
            }
        }
        Builder {
            figures: figures::Figures::start(province),
            lists: worklists::WorkLists::new(findings, lang),
            keys: Keys {
                evidence,
                evidence_rows,
                lang,
            },
            findings,
        }
    }

    /// Count one row of `links.csv` (rows in file order).
    pub fn add(&mut self, r: &figures::LinkRec) {
        let named = self.keys.named(r);
        let kinds = named.as_ref().map(|n| n.1);
        self.figures
            .add_link(r, |k| kinds.is_some_and(|v| v.contains(&k)));
        self.lists.add_link(r, named.as_ref().map(|n| n.0.as_str()));
    }

    /// What rows are looked up in, to count them apart into [`Part`]s, and where the parts go.
    pub fn split(&mut self) -> (&Keys<'a>, Absorb<'_>) {
        (
            &self.keys,
            Absorb {
                figures: &mut self.figures,
                lists: &mut self.lists,
            },
        )
    }

    /// Write `report.xlsx` and `report.html` of the run with this summary into `dir` (its
    /// `coverage.csv` read from there), and with `per_commune` one work book per commune under
    /// `dir/worklists/`.
    pub fn write(mut self, dir: &Path, summary: &Summary, per_commune: bool) -> Result<()> {
        self.figures
            .add_findings(self.findings, summary.counts.persons_in_scope as u64);
        let coverage = coverage::read(&dir.join("coverage.csv"))?;
        let (f, lang) = (&self.figures, self.keys.lang);
        let items = self.lists.finish(self.findings);
        let content = Content {
            f,
            items: &items,
            summary,
            coverage: &coverage,
            lang,
        };
        // the work book (most of the time: compression) and the page are written side by side
        let (book, page) = rayon::join(
            || xlsx::write(&dir.join("report.xlsx"), &content),
            || {
                crate::output::write_bytes(
                    &dir.join("report.html"),
                    html::render(&content).as_bytes(),
                )
            },
        );
        book?;
        page?;
        if per_commune {
            communes::write(dir, f, &items, lang)?;
        }
        // the lists freed on a thread of their own: the reports are written, and freeing a
        // province's work items (~20 strings each) one by one kept this thread 0.3 s (perf)
        // (when no thread can be made, the closure and the items are dropped here)
        let _ = std::thread::Builder::new().spawn(move || drop(items));
        Ok(())
    }
}

/// Where the parts of the rows go: the builder's figures and lists.
pub struct Absorb<'b> {
    figures: &'b mut figures::Figures,
    lists: &'b mut worklists::WorkLists,
}

impl Absorb<'_> {
    /// Add a part of the rows (the parts in row order).
    pub fn absorb(&mut self, part: Part) {
        self.figures.absorb(part.figures);
        self.lists.absorb(part.items, part.kept);
    }
}

#[cfg(test)]
mod tests {
    use super::figures::{FindingRec, LinkRec};
    use super::*;
    use crate::ingest::schema::RecordType;
    use crate::vocab::{Field, Flag, Status};

    /// Rows of every status, type, role, flag, conflict and decision, some named by findings.
    fn rows() -> Vec<LinkRec> {
        let mut x = 7u64;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize % n
        };
        (0..700)
            .map(|i| {
                let status = Status::ALL[next(Status::ALL.len())];
                let conflicts: Vec<Field> = (0..next(3))
                    .map(|_| Field::ALL[next(Field::ALL.len())])
                    .collect();
                LinkRec {
                    decision: ["", "", "cancel_record", "accept_conflict"][next(4)].into(),
                    source_file: format!("f{}.csv", next(3)),
                    source_row: (i % 97).to_string(),
                    record_type: [RecordType::KS, RecordType::KH, RecordType::KT][next(3)].into(),
                    role: ["nks", "nkt", "chong", "vo", "cha"][next(5)].into(),
                    person_id: format!("0010{i:08}"),
                    status: Some(status),
                    probability: (next(4) > 0).then(|| next(1000) as f64 / 1000.0),
                    values: conflicts
                        .iter()
                        .map(|&f| (f, format!("c{}", next(9)), format!("r{}", next(9))))
                        .collect(),
                    conflicts,
                    id_reissue: next(5) == 0,
                    flags: (0..next(3))
                        .map(|_| Flag::ALL[next(Flag::ALL.len())])
                        .collect(),
                    duplicate_group: if next(9) == 0 {
                        "g1".into()
                    } else {
                        String::new()
                    },
                    candidates: "001:0.5".into(),
                    civil_name: format!("Nguyễn Văn {}", next(20)),
                    registry_name: format!("Nguyễn Văn {}", next(20)),
                    civil_dob: "01.02.1990".into(),
                    registry_dob: "1990".into(),
                    commune: format!("{:05}", 4000 + next(30)),
                    commune_2025: format!("{:05}", 9000 + next(10)),
                    reg_date: format!("{}-03-04", 1990 + next(30)),
                    book: next(5).to_string(),
                    number: next(300).to_string(),
                    record_key: format!("k{i}"),
                }
            })
            .collect()
    }

    fn findings() -> Vec<FindingRec> {
        let kinds = crate::vocab::FindingKind::ALL;
        (0..60)
            .map(|i| FindingRec {
                person_id: format!("0020{i:08}"),
                finding: Some(kinds[i % kinds.len()]),
                evidence: if i % 4 == 3 {
                    String::new()
                } else {
                    format!("f{}.csv:{}", i % 3, (i * 7) % 97)
                },
                name: "Lê Thị Hoa".into(),
                dob: "1970".into(),
                commune: "04001".into(),
            })
            .collect()
    }

    #[test]
    fn rows_counted_in_parts_make_the_reports_of_rows_counted_one_by_one() {
        let (rows, findings) = (rows(), findings());
        let json = |b: Builder| {
            let f = serde_json::to_string(&b.figures).unwrap();
            let items = serde_json::to_string(&b.lists.finish(&findings)).unwrap();
            (f, items)
        };
        let mut one = Builder::new(&findings, Some(1), Lang::Vi);
        rows.iter().for_each(|r| one.add(r));
        let one = json(one);
        for size in [1, 7, 100, 700] {
            let mut parts = Builder::new(&findings, Some(1), Lang::Vi);
            let (keys, mut absorb) = parts.split();
            for chunk in rows.chunks(size) {
                let mut p = Part::default();
                chunk.iter().for_each(|r| keys.add(&mut p, r));
                absorb.absorb(p);
            }
            assert_eq!(json(parts), one, "parts of {size}");
        }
        // the rows reach the figures and the lists
        assert!(one.0.contains("deaths_propagated") && one.1.len() > 1000);
    }
}

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
    /// the kinds of the findings that name a row (`file:row`) as their evidence
    evidence: HashMap<&'a str, Vec<FindingKind>>,
    /// the rows those are, by file (so that most rows are looked up without making their key)
    evidence_rows: HashMap<&'a str, rustc_hash::FxHashSet<&'a str>>,
    findings: &'a [figures::FindingRec],
    lang: Lang,
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
            evidence,
            evidence_rows,
            findings,
            lang,
        }
    }

    /// Count one row of `links.csv` (rows in file order).
    pub fn add(&mut self, r: &figures::LinkRec) {
        // `file:row` is the key of an evidence split at its last `:` (a row number has none)
        let named = |file: &str, row: &str| {
            row.contains(':')
                || self
                    .evidence_rows
                    .get(file)
                    .is_some_and(|rows| rows.contains(row))
        };
        let key = named(&r.source_file, &r.source_row)
            .then(|| format!("{}:{}", r.source_file, r.source_row));
        let kinds = key.as_deref().and_then(|k| self.evidence.get(k));
        self.figures
            .add_link(r, |k| kinds.is_some_and(|v| v.contains(&k)));
        let named = kinds.is_some();
        self.lists.add_link(r, key.as_deref().filter(|_| named));
    }

    /// Write `report.xlsx` and `report.html` of the run with this summary into `dir` (its
    /// `coverage.csv` read from there), and with `per_commune` one work book per commune under
    /// `dir/worklists/`.
    pub fn write(mut self, dir: &Path, summary: &Summary, per_commune: bool) -> Result<()> {
        self.figures
            .add_findings(self.findings, summary.counts.persons_in_scope as u64);
        let coverage = coverage::read(&dir.join("coverage.csv"))?;
        let (f, lang) = (&self.figures, self.lang);
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
        Ok(())
    }
}

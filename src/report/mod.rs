//! Report: the files for machines (links, findings, summary) and for people (an Excel work book and
//! a self-contained HTML page), all computed from the run's files.
pub mod coverage;
pub mod figures;
pub mod html;
pub mod i18n;
pub mod links;
pub mod worklists;
pub mod xlsx;

use crate::error::Result;
pub use i18n::Lang;
use std::path::Path;

/// Write `report.xlsx` and `report.html` into a run folder from its `links.csv`,
/// `population_findings.csv` and `summary.json`.
pub fn write_reports(dir: &Path, lang: Lang) -> Result<()> {
    let figures::RunFiles {
        figures: f,
        links,
        findings,
        summary,
    } = figures::from_dir(dir)?;
    let items = worklists::build(&links, &findings, lang);
    drop((links, findings));
    // the work book (most of the time: compression) and the page are written side by side
    let (book, page) = rayon::join(
        || xlsx::write(&dir.join("report.xlsx"), &f, &items, &summary, lang),
        || {
            let page = html::render(&f, &items, &summary, lang);
            crate::output::write_bytes(&dir.join("report.html"), page.as_bytes())
        },
    );
    book?;
    page
}

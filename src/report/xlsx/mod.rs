//! `report.xlsx`: the summary, rates per commune / type / year, conflicts, flags, findings, the
//! books' coverage, a glossary and one work-list sheet per recipient, with native charts, frozen
//! headers, filters and widths; and the per-commune work books (`worklists/<district>/<commune>.xlsx`).
//! Every cell a person reads is a label or a value, never a code; every text cell is a string (a
//! value that looks like a formula stays text).
pub mod lists;
mod sheets;

use super::figures::Figures;
use super::i18n::Lang;
use super::worklists::WorkItem;
use crate::error::{Error, Result};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::path::Path;

pub use lists::{COLUMNS as COLUMN_KEYS, worksheet_name};

/// What the province's work book is made of: what the page is made of.
pub use crate::report::Content as Book;

fn new_book() -> Workbook {
    let mut wb = Workbook::new();
    // level 1 of 9: most of a large work book's time was its compression (a province's book:
    // 22 MB at the default level, 34 MB at level 1, written in a third of the time)
    wb.set_zip_compression_level(1);
    // no wall-clock time inside: the same run gives the same bytes
    if let Ok(t) = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1) {
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&t));
    }
    wb
}

/// A cell's text cut to what Excel holds (32,767 characters), marked with "…" where cut: a
/// 1 MB cell of a broken book must not stop the report.
pub fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 32_000;
    if s.len() <= MAX {
        return s.into();
    }
    let mut out: String = s.chars().take(MAX).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out.into()
}

fn save(mut wb: Workbook, path: &Path) -> Result<()> {
    // saved beside the target, then renamed: never a half-written report
    let tmp = path.with_extension(format!("xlsx.{}.tmp", std::process::id()));
    if let Err(e) = wb.save(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Output {
            path: path.to_path_buf(),
            reason: e.to_string(),
        });
    }
    crate::output::make_private(&tmp)?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

fn output_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Output {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Write the province's work book.
pub fn write(path: &Path, b: &Book) -> Result<()> {
    let err = output_error(path);
    let mut wb = new_book();
    let lang = b.lang;
    sheets::summary(&mut wb, b.f, b.summary, lang).map_err(&err)?;
    sheets::groups(&mut wb, b.f, lang).map_err(&err)?;
    sheets::counts(&mut wb, b.f, lang).map_err(&err)?;
    sheets::coverage(&mut wb, b.coverage, lang).map_err(&err)?;
    lists::all(&mut wb, b.items, lang).map_err(&err)?;
    sheets::glossary(&mut wb, lang).map_err(&err)?;
    save(wb, path)
}

/// Write one commune's work book: its figures against the province's, its work lists only, and
/// the glossary.
pub fn write_commune(
    path: &Path,
    commune: &str,
    province: &Figures,
    items: &[WorkItem],
    lang: Lang,
) -> Result<()> {
    let err = output_error(path);
    let mut wb = new_book();
    sheets::versus(&mut wb, commune, province, lang).map_err(&err)?;
    lists::all(&mut wb, items, lang).map_err(&err)?;
    sheets::glossary(&mut wb, lang).map_err(&err)?;
    if let Some(dir) = path.parent() {
        crate::output::create_private_dir(dir)?;
    }
    save(wb, path)
}

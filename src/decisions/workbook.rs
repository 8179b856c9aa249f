//! The work book round trip: the decisions people picked in the `Quyết định` column of a
//! `report.xlsx` (or a commune's work book), taken in keyed by `record_key`, never by row number;
//! and the store written out as a work book.
use super::{Decision, Imported, checked};
use crate::error::{Error, Result};
use crate::report::i18n::{Lang, t};
use crate::report::xlsx::lists::{COLUMNS, DECISION_COL, KEY_COL, NOTE_COL, PERSON_COL};
use calamine::{Data, Reader, open_workbook_auto};
use std::path::Path;

/// The position of each column a decision needs in a sheet's header, if the sheet is a work list.
struct Cols {
    key: usize,
    person: Option<usize>,
    decision: usize,
    note: Option<usize>,
}

fn cols(header: &[String]) -> Option<Cols> {
    // a work list's labels, or the names of an exported store (`person_id`, `note`)
    let find = |col: usize, alias: &str| {
        let names = [t(Lang::Vi, COLUMNS[col]), t(Lang::En, COLUMNS[col]), alias];
        header.iter().position(|h| names.contains(&h.trim()))
    };
    Some(Cols {
        key: find(KEY_COL, "record_key")?,
        person: find(PERSON_COL, "person_id"),
        decision: find(DECISION_COL, "Quyết định")?,
        note: find(NOTE_COL, "note"),
    })
}

fn text(d: &Data) -> String {
    crate::ingest::xlsx::cell_text(d).trim().to_string()
}

/// Read the decisions filled in a work book: every sheet whose header has the `record_key` and
/// `Quyết định` columns; rows with no decision are skipped, the others taken or refused with
/// `sheet:row` and why. `by` is who filled it in.
pub fn read_xlsx(path: &Path, by: &str, now: &str) -> Result<Imported> {
    let mut wb = open_workbook_auto(path).map_err(|e| Error::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let (mut took, mut refused) = (Vec::new(), Vec::new());
    let mut lists = 0;
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        let mut rows = range.rows();
        let Some(head) = rows.next() else { continue };
        let header: Vec<String> = head.iter().map(text).collect();
        let Some(c) = cols(&header) else { continue };
        lists += 1;
        for (i, row) in rows.enumerate() {
            let cell = |p: usize| row.get(p).map(text).unwrap_or_default();
            let kind = cell(c.decision);
            if kind.is_empty() {
                continue;
            }
            let person = c.person.map(cell).unwrap_or_default();
            let unescape = |s: String| crate::normalize::text::unescape_cell(&s).to_string();
            match checked(unescape(cell(c.key)), person, &kind) {
                Ok((record_key, person_id, kind)) => took.push(Decision {
                    record_key,
                    person_id,
                    kind,
                    by: by.to_string(),
                    note: c.note.map(cell).unwrap_or_default(),
                    at: now.to_string(),
                    run: String::new(),
                }),
                // the spreadsheet row, as Excel numbers it
                Err(why) => refused.push((format!("{name}:{}", i + 2), why)),
            }
        }
    }
    if lists == 0 {
        return Err(Error::Invalid(format!(
            "{}: no sheet has the record_key and {} columns; give a report.xlsx written by doisoat reconcile (or a CSV with record_key, person_id, decision, by, note)",
            path.display(),
            t(Lang::Vi, "decision_col")
        )));
    }
    Ok(Imported { took, refused })
}

/// Write every decision with its history to a work book, one sheet, with the labels of `lang`.
pub fn write_xlsx(path: &Path, ds: &[Decision], lang: Lang) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let xerr = |e: rust_xlsxwriter::XlsxError| Error::Output {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let ws = wb
        .add_worksheet()
        .set_name(lang.pick("Quyết định", "Decisions"))
        .map_err(xerr)?;
    let head = [
        "record_key",
        "person_id",
        "decision",
        lang.pick("Quyết định", "Decision"),
        "by",
        "note",
        "at",
        "run",
    ];
    let bold = Format::new().set_bold();
    for (j, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *h, &bold)
            .map_err(xerr)?;
    }
    for (i, d) in ds.iter().enumerate() {
        let cells = [
            d.record_key.as_str(),
            d.person_id.as_str(),
            d.kind.code(),
            d.kind.label(lang),
            d.by.as_str(),
            d.note.as_str(),
            d.at.as_str(),
            d.run.as_str(),
        ];
        for (j, v) in cells.iter().enumerate() {
            let v = crate::normalize::text::escape_cell(v);
            ws.write_string(i as u32 + 1, j as u16, crate::report::xlsx::fit(&v))
                .map_err(xerr)?;
        }
    }
    ws.autofilter(0, 0, ds.len().max(1) as u32, head.len() as u16 - 1)
        .map_err(xerr)?;
    ws.set_column_width(0, 40.0).map_err(xerr)?;
    ws.set_column_width(3, 26.0).map_err(xerr)?;
    let buf = wb.save_to_buffer().map_err(xerr)?;
    crate::output::write_atomic(path, |w| std::io::Write::write_all(w, &buf))
}

/// Every decision kind's label is one the import takes back.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::Kind;

    #[test]
    fn labels_and_codes_are_read_back() {
        for k in Kind::ALL {
            for l in [Lang::Vi, Lang::En] {
                assert_eq!(Kind::from_text(k.label(l)), Some(k));
                assert_eq!(
                    Kind::from_text(&format!(" {} ", k.label(l).to_uppercase())),
                    Some(k)
                );
            }
            assert_eq!(Kind::from_text(k.code()), Some(k));
        }
        assert_eq!(Kind::from_text("maybe"), None);
    }
}

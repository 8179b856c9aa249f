//! The work-list sheets: one per recipient, a row per item with whom it is about and what to do,
//! in the order of commune, book and number; written in constant memory and split past Excel's
//! row limit.
use super::sheets::header;
use crate::decisions::Kind;
use crate::report::i18n::{Lang, t};
use crate::report::labels;
use crate::report::worklists::{Recipient, WorkItem};
use rayon::prelude::*;
use rust_xlsxwriter::{DataValidation, Workbook, XlsxError};

/// The columns of a work-list sheet (label keys).
pub const COLUMNS: [&str; 22] = [
    "commune_name",
    "district",
    "commune_2025",
    "book",
    "number",
    "date",
    "type",
    "role",
    "name",
    "dob",
    "registry_name",
    "registry_dob",
    "person",
    "issue",
    "civil_value",
    "registry_value",
    "action",
    "file",
    "row",
    "record_key",
    "decision_col",
    "note_col",
];

/// Where a decision is filled in: the columns of [`COLUMNS`] that `decisions import` reads.
pub const PERSON_COL: usize = 12;
/// the `record_key` column
pub const KEY_COL: usize = 19;
/// the decision column (a drop-down of the decisions' labels)
pub const DECISION_COL: usize = 20;
/// the note column
pub const NOTE_COL: usize = 21;

/// The cells of an item, in [`COLUMNS`] order.
pub fn cells(it: &WorkItem, lang: Lang) -> [String; 22] {
    cells_with(it, lang, &mut Places::default())
}

/// The labels of the communes a sheet names, made once each (a province's sheet names a few
/// hundred communes in hundreds of thousands of rows).
#[derive(Default)]
struct Places {
    /// legacy code → (commune name, district name)
    communes: rustc_hash::FxHashMap<String, (String, String)>,
    /// 2025 code → name
    communes_2025: rustc_hash::FxHashMap<String, String>,
}

fn cells_with(it: &WorkItem, lang: Lang, places: &mut Places) -> [String; 22] {
    let (commune, district) = places
        .communes
        .entry(it.commune.clone())
        .or_insert_with(|| {
            (
                labels::commune_name(&it.commune),
                labels::district(&it.commune).1,
            )
        })
        .clone();
    let commune_2025 = places
        .communes_2025
        .entry(it.commune_2025.clone())
        .or_insert_with(|| labels::commune_2025_name(&it.commune_2025))
        .clone();
    [
        commune,
        district,
        commune_2025,
        it.book.clone(),
        it.number.clone(),
        it.reg_date.clone(),
        labels::record_type(&it.record_type, lang),
        labels::role(&it.role, lang),
        it.name.clone(),
        it.dob.clone(),
        it.registry_name.clone(),
        it.registry_dob.clone(),
        it.person_id.clone(),
        it.issue_label(lang),
        it.civil.clone(),
        it.registry.clone(),
        it.action.clone(),
        it.source_file.clone(),
        it.source_row.clone(),
        it.record_key.clone(),
        String::new(),
        String::new(),
    ]
}

/// The drop-down of the decision column: the decisions' labels, any other text refused.
fn drop_down(lang: Lang) -> std::result::Result<DataValidation, XlsxError> {
    let labels: Vec<&str> = Kind::ALL.iter().map(|k| k.label(lang)).collect();
    DataValidation::new()
        .allow_list_strings(&labels)?
        .set_input_title(t(lang, "decision_col"))?
        .set_input_message(t(lang, "decision_help"))
}

/// Write one sheet per recipient (even an empty one: "nothing to do" is news too). The sheets are
/// added in order, then their rows written side by side: each constant-memory sheet streams to a
/// file of its own, and the rows of a province were most of the work book's time on one core.
pub fn all(
    wb: &mut Workbook,
    items: &[WorkItem],
    lang: Lang,
) -> std::result::Result<(), XlsxError> {
    const MAX_ROWS: usize = 1_000_000;
    let first = wb.worksheets_mut().len();
    let mut parts: Vec<Vec<&WorkItem>> = Vec::new();
    for &r in Recipient::ALL {
        let list: Vec<&WorkItem> = items.iter().filter(|i| i.recipient == r).collect();
        let n = list.len().div_ceil(MAX_ROWS).max(1);
        for part in 0..n {
            let name = if part == 0 {
                worksheet_name(r, lang)
            } else {
                let base: String = worksheet_name(r, lang).chars().take(25).collect();
                format!("{base} ({})", part + 1)
            };
            let ws = wb.add_worksheet_with_constant_memory()?.set_name(name)?;
            let heads: Vec<&str> = COLUMNS.iter().map(|c| t(lang, c)).collect();
            header(ws, 0, &heads)?;
            for (col, width) in [(0, 24.0), (1, 20.0), (8, 26.0), (13, 28.0), (16, 60.0)] {
                ws.set_column_width(col, width)?;
            }
            let lo = (part * MAX_ROWS).min(list.len());
            parts.push(list[lo..((part + 1) * MAX_ROWS).min(list.len())].to_vec());
        }
    }
    let validation = drop_down(lang)?;
    wb.worksheets_mut()[first..]
        .par_iter_mut()
        .zip(&parts)
        .try_for_each(|(ws, chunk)| {
            let mut places = Places::default();
            for (k, it) in chunk.iter().enumerate() {
                for (j, v) in cells_with(it, lang, &mut places).iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(k as u32 + 1, j as u16, super::fit(v))?;
                    }
                }
            }
            let last = (chunk.len() as u32).max(1);
            let col = DECISION_COL as u16;
            ws.add_data_validation(1, col, last, col, &validation)?;
            ws.set_column_width(col, 26.0)?;
            ws.set_column_width(NOTE_COL as u16, 30.0)?;
            ws.autofilter(0, 0, last, COLUMNS.len() as u16 - 1)?;
            Ok(())
        })
}

/// The sheet name of a recipient's work list (≤ 31 characters, as Excel requires).
pub fn worksheet_name(r: Recipient, lang: Lang) -> String {
    let name = format!(
        "{} - {}",
        if lang == Lang::Vi { "DS" } else { "List" },
        r.label(lang)
    );
    name.chars().take(31).collect()
}

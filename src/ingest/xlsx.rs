//! Excel and OpenDocument workbooks through calamine: every sheet with a header is a table.
use super::build::RawRow;
use calamine::{Data, Reader, open_workbook_auto};
use std::path::Path;

/// The sheets of a workbook as rows with spreadsheet row numbers.
pub fn sheets(path: &Path) -> Result<Vec<(String, Vec<RawRow>)>, String> {
    let mut wb = open_workbook_auto(path).map_err(|e| e.to_string())?;
    let names = wb.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(format!("sheet {name}: {e}")),
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::with_capacity(range.height());
        for (i, row) in range.rows().enumerate() {
            // cells left of the range's first column are empty in the sheet
            let mut cells: Vec<String> = vec![String::new(); c0 as usize];
            cells.extend(row.iter().map(cell_text));
            rows.push((r0 + i as u32 + 1, cells));
        }
        out.push((name, rows));
    }
    Ok(out)
}

/// A cell as text: integers without ".0" (IDs!), dates as ISO.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

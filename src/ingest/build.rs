//! From raw rows to a [`Table`]: find the header under the title rows, recognise the columns,
//! decode legacy encodings per column.
use super::lexicon::NameLexicon;
use super::schema::{self, CIVIL_KEYS, POPULATION_KEYS};
use super::table::{BadRow, ColumnInfo, Skipped, StrColumn, Table, TableKind};
use crate::encoding::{self, Detection, Encoding, NoLexicon};
use crate::normalize::text::loose_key;
use rayon::prelude::*;
use std::collections::HashMap;

/// What the caller expects a file to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// a civil-status book
    Civil,
    /// a population extract
    Population,
    /// either (`normalize --input`)
    Any,
}

/// One raw row: its spreadsheet row number and its cells.
pub type RawRow = (u32, Vec<String>);

/// How many rows at the top of a file are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// What a header cell names: the canonical column, whether it is a civil template column, and
/// whether it was only guessed from the header's words (an exact name or alias wins over a guess).
fn recognise(
    cell: &str,
    expect: Expect,
    map: &HashMap<String, String>,
) -> Option<(String, bool, bool)> {
    recognise_exact(cell, expect, map)
        .map(|(c, civil)| (c, civil, false))
        .or_else(|| {
            (expect != Expect::Civil)
                .then(|| schema::guess_population_field(&loose_key(cell)))
                .flatten()
                .map(|c| (c.to_string(), false, true))
        })
}

fn recognise_exact(
    cell: &str,
    expect: Expect,
    map: &HashMap<String, String>,
) -> Option<(String, bool)> {
    let k = loose_key(cell);
    if k.is_empty() {
        return None;
    }
    if let Some(c) = map.get(&k) {
        let civil = CIVIL_KEYS.values().any(|v| v == c);
        return Some((c.clone(), civil));
    }
    if expect != Expect::Population
        && let Some(c) = CIVIL_KEYS.get(&k)
    {
        return Some((c.clone(), true));
    }
    if expect != Expect::Civil
        && let Some(c) = POPULATION_KEYS.get(&k)
    {
        return Some((c.to_string(), false));
    }
    None
}

/// The header: the row of the first rows that names the most known columns (the first, on ties).
fn find_header(
    source_file: &str,
    head: &[RawRow],
    expect: Expect,
    column_map: &HashMap<String, String>,
) -> Result<usize, Skipped> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, cells)) in head.iter().enumerate() {
        let n = cells
            .iter()
            .filter(|c| recognise(c, expect, column_map).is_some())
            .count();
        if n >= 2 && best.is_none_or(|(_, b)| n > b) {
            best = Some((i, n));
        }
    }
    if let Some((hi, _)) = best {
        return Ok(hi);
    }
    let found = head
        .iter()
        .find(|(_, c)| c.iter().any(|x| !x.trim().is_empty()))
        .map(|(_, c)| {
            c.iter()
                .filter(|x| !x.trim().is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| "(empty file)".to_string());
    let expected = match expect {
        Expect::Civil => {
            "the Ministry's template columns (so, quyenSo, ngayDangKy, nksHoTen, nktHoTen, chongHoTen, …)"
        }
        Expect::Population => {
            "so_dinh_danh, ho_ten, ngay_sinh, gioi_tinh, … (or aliases such as \"Họ và tên\", \"Số định danh cá nhân\")"
        }
        Expect::Any => "civil template or population columns",
    };
    Err(Skipped {
        path: source_file.to_string(),
        reason: format!(
            "no header row found in the first {HEADER_SEARCH_ROWS} rows; expected {expected}; found: {found}"
        ),
    })
}

/// The columns of a header row, each recognised once, with the counts of civil and population
/// columns among them.
fn columns_of(
    header_cells: &[String],
    expect: Expect,
    column_map: &HashMap<String, String>,
) -> (Vec<ColumnInfo>, usize, usize) {
    let mut columns: Vec<ColumnInfo> = Vec::new();
    let (mut civil_hits, mut pop_hits) = (0, 0);
    let recs: Vec<Option<(String, bool, bool)>> = header_cells
        .iter()
        .map(|h| recognise(h, expect, column_map))
        .collect();
    for (j, h) in header_cells.iter().enumerate() {
        let mut rec = recs[j].clone();
        // a guess gives way to a column named exactly, and to an earlier guess
        if let Some((c, _, true)) = &rec
            && recs.iter().enumerate().any(|(i, o)| {
                o.as_ref()
                    .is_some_and(|(oc, _, guessed)| oc == c && (!guessed || i < j))
            })
        {
            rec = None;
        }
        match &rec {
            Some((_, true, _)) => civil_hits += 1,
            Some((_, false, _)) => pop_hits += 1,
            None => {}
        }
        let header = if h.trim().is_empty() {
            format!("column_{}", j + 1)
        } else {
            h.trim().to_string()
        };
        columns.push(ColumnInfo {
            header,
            canonical: rec.map(|(c, ..)| c),
            encoding: None,
        });
    }
    (columns, civil_hits, pop_hits)
}

/// What a table holds, from its columns; why it cannot be used otherwise.
fn kind_of(
    source_file: &str,
    columns: &[ColumnInfo],
    header_row: u32,
    header_cells: &[String],
    (civil_hits, pop_hits): (usize, usize),
    expect: Expect,
) -> Result<TableKind, Skipped> {
    let skip = |reason: String| Skipped {
        path: source_file.to_string(),
        reason,
    };
    if civil_hits >= pop_hits && expect != Expect::Population {
        return match schema::detect_record_type(
            columns.iter().filter_map(|c| c.canonical.as_deref()),
        ) {
            Some(t) => Ok(TableKind::Civil(t)),
            None => Err(skip(format!(
                "header found on row {header_row} but no column says the record type; expected person columns such as nksHoTen (KS), nktHoTen (KT), chongHoTen/voHoTen (KH), cmHoTen/ncHoTen (CMC), nxnHoTen (HN); found: {}",
                header_cells.join(", ")
            ))),
        };
    }
    if !columns
        .iter()
        .any(|c| c.canonical.as_deref() == Some("ho_ten"))
    {
        return Err(skip(format!(
            "population file without a name column (ho_ten / \"Họ và tên\"); found: {}",
            header_cells.join(", ")
        )));
    }
    Ok(TableKind::Population)
}

/// Build a table from the rows of one file.
pub fn build(
    source_file: &str,
    rows: impl Iterator<Item = Result<RawRow, BadRow>>,
    expect: Expect,
    column_map: &HashMap<String, String>,
    bad_rows: &mut Vec<BadRow>,
) -> Result<Table, Skipped> {
    let mut rows = rows.peekable();
    let mut head: Vec<RawRow> = Vec::new();
    while head.len() < HEADER_SEARCH_ROWS {
        match rows.next() {
            Some(Ok(r)) => head.push(r),
            Some(Err(b)) => bad_rows.push(b),
            None => break,
        }
    }
    let hi = find_header(source_file, &head, expect, column_map)?;
    let (header_row, header_cells) = head[hi].clone();
    let (mut columns, civil_hits, pop_hits) = columns_of(&header_cells, expect, column_map);
    let kind = kind_of(
        source_file,
        &columns,
        header_row,
        &header_cells,
        (civil_hits, pop_hits),
        expect,
    )?;
    // data rows: those after the header in `head`, then the rest of the file
    let width = columns.len();
    let mut data: Vec<StrColumn> = (0..width).map(|_| StrColumn::with_capacity(1024)).collect();
    let mut source_rows = Vec::new();
    let mut extra_cols: Vec<bool> = vec![false; width];
    let tail = head.into_iter().skip(hi + 1).map(Ok);
    for item in tail.chain(rows) {
        let (row, cells) = match item {
            Ok(r) => r,
            Err(b) => {
                bad_rows.push(b);
                continue;
            }
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() > width && cells[width..].iter().any(|c| !c.trim().is_empty()) {
            bad_rows.push(BadRow {
                source_file: source_file.to_string(),
                source_row: row,
                problem: format!(
                    "{} cells but the header has {width} columns; the extra cells are ignored",
                    cells.len()
                ),
            });
        }
        for (j, col) in data.iter_mut().enumerate() {
            let v = cells.get(j).map_or("", |s| s.as_str());
            if !v.is_empty() {
                extra_cols[j] = true;
            }
            col.push(v);
        }
        source_rows.push(row);
    }
    // ignore columns with neither a header nor data
    let keep: Vec<bool> = columns
        .iter()
        .zip(&extra_cols)
        .map(|(c, &has_data)| has_data || !c.header.starts_with("column_"))
        .collect();
    let mut k = keep.iter();
    columns.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    data.retain(|_| *k.next().unwrap_or(&true));
    let mut table = Table {
        source_file: source_file.to_string(),
        kind,
        header_row,
        columns,
        row_decoded: vec![0; source_rows.len()],
        data,
        source_rows,
    };
    decode_columns(&mut table);
    Ok(table)
}

/// Decide each text column's encoding from a sample and repair its cells (§2.9).
fn decode_columns(table: &mut Table) {
    let n = table.len();
    let results: Vec<Option<(Encoding, StrColumn, Vec<u8>)>> = table
        .columns
        .par_iter()
        .zip(table.data.par_iter())
        .map(|(info, col)| {
            let canonical = info.canonical.as_deref()?;
            if !schema::is_text_column(canonical) {
                return None;
            }
            let is_name = schema::is_name_column(canonical);
            let sample: Vec<&str> = col.iter().filter(|c| !c.is_empty()).take(400).collect();
            let det = if is_name {
                encoding::detect(&sample, &NameLexicon)
            } else {
                encoding::detect(&sample, &NoLexicon)
            };
            repair_column(col, &det, is_name, n)
        })
        .collect();
    for (j, r) in results.into_iter().enumerate() {
        let Some((enc, col, bits)) = r else { continue };
        table.data[j] = col;
        table.columns[j].encoding = Some(enc).filter(|e| *e != Encoding::Unicode);
        for (row, b) in bits.into_iter().enumerate() {
            table.row_decoded[row] |= b;
        }
    }
}

fn repair_column(
    col: &StrColumn,
    det: &Detection,
    is_name: bool,
    n: usize,
) -> Option<(Encoding, StrColumn, Vec<u8>)> {
    let mut cache: HashMap<&str, (String, u8)> = HashMap::new();
    let mut out = StrColumn::with_capacity(n);
    let mut bits = vec![0u8; n];
    let mut changed = false;
    for (i, cell) in col.iter().enumerate() {
        if cell.is_ascii() && det.encoding != Encoding::Viqr {
            out.push(cell);
            continue;
        }
        let (text, b) = cache.entry(cell).or_insert_with(|| {
            let r = if is_name {
                encoding::repair(cell, det, &NameLexicon)
            } else {
                encoding::repair(cell, det, &NoLexicon)
            };
            (r.text, r.decoded.map_or(0, |e| 1u8 << (e as u8)))
        });
        if *b != 0 {
            changed = true;
        }
        bits[i] = *b;
        out.push(text);
    }
    changed.then_some((det.encoding, out, bits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::RecordType;

    fn rows(data: &[&[&str]]) -> Vec<Result<RawRow, BadRow>> {
        data.iter()
            .enumerate()
            .map(|(i, r)| Ok(((i + 1) as u32, r.iter().map(|s| s.to_string()).collect())))
            .collect()
    }

    #[test]
    fn title_rows_are_skipped_and_counted() {
        let r = rows(&[
            &["SỔ ĐĂNG KÝ KHAI SINH - XÃ THẠCH LONG", "", ""],
            &["", "", ""],
            &["so", "quyenSo", "nksHoTen", "nksNgaySinh", ""],
            &["1/2001", "01", "Nguyễn Văn An", "01/01/2001", ""],
        ]);
        let mut bad = Vec::new();
        let t = build(
            "a.csv",
            r.into_iter(),
            Expect::Civil,
            &HashMap::new(),
            &mut bad,
        )
        .unwrap();
        assert_eq!(t.kind, TableKind::Civil(RecordType::KS));
        assert_eq!(t.header_row, 3);
        assert_eq!(t.source_rows, vec![4]);
        assert_eq!(t.columns.len(), 4, "the empty column is ignored");
        assert_eq!(t.cell(0, "nksHoTen"), "Nguyễn Văn An");
    }

    #[test]
    fn unrecognisable_file_lists_the_columns_found() {
        let r = rows(&[&["foo", "bar"], &["1", "2"]]);
        let mut bad = Vec::new();
        let e = build(
            "x.csv",
            r.into_iter(),
            Expect::Population,
            &HashMap::new(),
            &mut bad,
        )
        .unwrap_err();
        assert!(e.reason.contains("found: foo, bar"), "{}", e.reason);
    }

    #[test]
    fn legacy_column_is_decoded_and_rows_record_it() {
        let r = rows(&[
            &["Số định danh cá nhân", "Họ và tên", "Ngày sinh"],
            &["042089001234", "NguyÔn V¨n §øc", "1989"],
            &["042189001235", "TrÇn ThÞ H\u{AD}¬ng", "1989"],
            &["042189001236", "Lª ThÞ Thñy", "1989"],
        ]);
        let mut bad = Vec::new();
        let t = build(
            "p.csv",
            r.into_iter(),
            Expect::Population,
            &HashMap::new(),
            &mut bad,
        )
        .unwrap();
        assert_eq!(t.kind, TableKind::Population);
        assert_eq!(t.cell(0, "ho_ten"), "Nguyễn Văn Đức");
        assert_eq!(t.decoded_in_row(1), vec![Encoding::Tcvn3]);
        assert_eq!(t.columns[1].encoding, Some(Encoding::Tcvn3));
    }
}

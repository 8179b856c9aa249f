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
pub const HEADER_SEARCH_ROWS: usize = 30;

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
        // a row names at most its non-blank cells: one that cannot beat the best is not read
        // (most rows after the header leave optional columns empty)
        if let Some((_, b)) = best
            && cells.iter().filter(|c| !c.trim().is_empty()).count() <= b
        {
            continue;
        }
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
        .any(|c| c.canonical.as_deref() == Some("so_dinh_danh"))
    {
        return Err(skip(format!(
            "population file without its ID column (so_dinh_danh); aliases tried: {}; columns found: {}; name the column in the rules' [columns] section if it goes by another name",
            super::aliases::aliases_of("so_dinh_danh").join(", "),
            header_cells.join(", ")
        )));
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

/// A file's header: where it is, its columns, and what the table holds.
pub struct Header {
    /// index of the header among the first rows
    pub index: usize,
    /// its spreadsheet row number
    pub row: u32,
    /// its columns, recognised
    pub columns: Vec<ColumnInfo>,
    /// what the table holds
    pub kind: TableKind,
}

/// Find the header among a file's first rows and recognise its columns.
pub fn header(
    source_file: &str,
    head: &[RawRow],
    expect: Expect,
    column_map: &HashMap<String, String>,
) -> Result<Header, Skipped> {
    if expect == Expect::Population
        && let Ok(h) = header(source_file, head, Expect::Civil, column_map)
        && let TableKind::Civil(t) = h.kind
    {
        return Err(Skipped {
            path: source_file.to_string(),
            reason: format!(
                "this is a civil-status book ({}: {}), not a population extract; give it with --civil",
                t.code(),
                t.label_en()
            ),
        });
    }
    let hi = find_header(source_file, head, expect, column_map)?;
    let (row, cells) = &head[hi];
    let (columns, civil_hits, pop_hits) = columns_of(cells, expect, column_map);
    let kind = kind_of(
        source_file,
        &columns,
        *row,
        cells,
        (civil_hits, pop_hits),
        expect,
    )?;
    Ok(Header {
        index: hi,
        row: *row,
        columns,
        kind,
    })
}

/// One column of a [`Grid`]: cells as bytes, made a [`StrColumn`] (checked once) at the end; the
/// earlier parts of a grid joined from chunks in `parts`.
#[derive(Default)]
pub struct ByteColumn {
    buf: Vec<u8>,
    ends: Vec<u32>,
    parts: Vec<(Vec<u8>, Vec<u32>)>,
}

/// Data rows as columns, with their spreadsheet row numbers.
pub struct Grid {
    /// one column per header column
    pub data: Vec<ByteColumn>,
    /// spreadsheet row of each data row
    pub rows: Vec<u32>,
    /// the column holds a value somewhere
    pub used: Vec<bool>,
}

impl Grid {
    /// An empty grid of `width` columns.
    pub fn new(width: usize) -> Grid {
        Grid {
            data: (0..width).map(|_| ByteColumn::default()).collect(),
            rows: Vec::new(),
            used: vec![false; width],
        }
    }

    /// Add a row (a blank one is skipped); a row with more or fewer cells than the header is
    /// kept and reported.
    pub fn push<C: AsRef<[u8]>>(
        &mut self,
        source_file: &str,
        row: u32,
        cells: &[C],
        bad_rows: &mut Vec<BadRow>,
    ) {
        let blank = |c: &C| c.as_ref().iter().all(u8::is_ascii_whitespace);
        if cells.iter().all(blank) {
            return;
        }
        let width = self.data.len();
        let extra = cells.len() > width && cells[width..].iter().any(|c| !blank(c));
        if extra || cells.len() < width {
            let what = if extra {
                "the extra cells are ignored"
            } else {
                "the missing cells are read as empty"
            };
            bad_rows.push(BadRow {
                source_file: source_file.to_string(),
                source_row: row,
                problem: format!(
                    "{} cells but the header has {width} columns; {what}",
                    cells.len()
                ),
            });
        }
        for (j, col) in self.data.iter_mut().enumerate() {
            let v: &[u8] = cells.get(j).map_or(&[], |c| c.as_ref());
            if !v.is_empty() {
                self.used[j] = true;
            }
            col.buf.extend_from_slice(v);
            col.ends.push(col.buf.len() as u32);
        }
        self.rows.push(row);
    }

    /// Make room for `factor` times the rows and bytes held so far, a fifth more, in every
    /// column: a chunk of a large file, sized from its first rows, is then filled without its
    /// columns growing by doubling (each doubling a copy, and pages touched twice). Room never
    /// written is never backed by memory.
    pub fn reserve_scaled(&mut self, factor: f64) {
        let more = |n: usize| (n as f64 * factor * 1.2) as usize + 64;
        for col in &mut self.data {
            col.buf.reserve(more(col.buf.len()));
            col.ends.reserve(more(col.ends.len()));
        }
        self.rows.reserve(more(self.rows.len()));
    }

    /// Join grids of the same columns, in order: each chunk's columns are kept as parts of the
    /// joined columns, not copied (a large extract's cells are hundreds of megabytes).
    pub fn concat(grids: Vec<Grid>, width: usize) -> Grid {
        let mut out = Grid::new(width);
        out.rows
            .reserve_exact(grids.iter().map(|g| g.rows.len()).sum());
        for g in grids {
            for (o, col) in out.data.iter_mut().zip(g.data) {
                o.parts.extend(col.parts);
                o.parts.push((col.buf, col.ends));
            }
            for (a, b) in out.used.iter_mut().zip(g.used) {
                *a |= b;
            }
            out.rows.extend(g.rows);
        }
        out
    }
}

/// The table of a header and its rows: columns with neither a header nor data dropped, legacy
/// encodings decoded.
pub fn finish(source_file: &str, header: Header, grid: Grid) -> Table {
    let Header {
        row: header_row,
        mut columns,
        kind,
        ..
    } = header;
    let Grid {
        data,
        rows: source_rows,
        used,
    } = grid;
    let mut data: Vec<StrColumn> = data
        .into_iter()
        .map(|mut c| {
            c.parts.push((c.buf, c.ends));
            StrColumn::from_parts(c.parts)
        })
        .collect();
    let keep: Vec<bool> = columns
        .iter()
        .zip(&used)
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
    table
}

/// The first rows of a file (where its header is looked for), bad rows set aside.
pub fn head_rows(
    rows: &mut impl Iterator<Item = Result<RawRow, BadRow>>,
    bad_rows: &mut Vec<BadRow>,
) -> Vec<RawRow> {
    let mut head = Vec::new();
    while head.len() < HEADER_SEARCH_ROWS {
        match rows.next() {
            Some(Ok(r)) => head.push(r),
            Some(Err(b)) => bad_rows.push(b),
            None => break,
        }
    }
    head
}

/// Build a table from the rows of one file.
pub fn build(
    source_file: &str,
    mut rows: impl Iterator<Item = Result<RawRow, BadRow>>,
    expect: Expect,
    column_map: &HashMap<String, String>,
    bad_rows: &mut Vec<BadRow>,
) -> Result<Table, Skipped> {
    let head = head_rows(&mut rows, bad_rows);
    let h = header(source_file, &head, expect, column_map)?;
    let mut grid = Grid::new(h.columns.len());
    // data rows: those after the header in `head`, then the rest of the file
    let tail = head.into_iter().skip(h.index + 1).map(Ok);
    for item in tail.chain(rows) {
        match item {
            Ok((row, cells)) => grid.push(source_file, row, &cells, bad_rows),
            Err(b) => bad_rows.push(b),
        }
    }
    Ok(finish(source_file, h, grid))
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
    // each distinct cell that may need it is repaired once, the distinct cells in parallel
    let skip = |cell: &str| cell.is_ascii() && det.encoding != Encoding::Viqr;
    let mut index: rustc_hash::FxHashMap<&str, u32> = Default::default();
    let mut distinct: Vec<&str> = Vec::new();
    let slots: Vec<u32> = col
        .iter()
        .map(|cell| {
            if skip(cell) {
                return u32::MAX;
            }
            *index.entry(cell).or_insert_with(|| {
                distinct.push(cell);
                (distinct.len() - 1) as u32
            })
        })
        .collect();
    let repaired: Vec<Option<encoding::Repaired>> = distinct
        .par_iter()
        .map(|cell| {
            if is_name {
                encoding::repair_changed(cell, det, &NameLexicon)
            } else {
                encoding::repair_changed(cell, det, &NoLexicon)
            }
        })
        .collect();
    if repaired.iter().all(Option::is_none) {
        return None;
    }
    let mut out = StrColumn::with_capacity(n);
    let mut bits = vec![0u8; n];
    for (i, (cell, slot)) in col.iter().zip(slots).enumerate() {
        match repaired.get(slot as usize).and_then(Option::as_ref) {
            Some(r) => {
                bits[i] = r.decoded.map_or(0, |e| 1u8 << (e as u8));
                out.push(&r.text);
            }
            None => out.push(cell),
        }
    }
    Some((det.encoding, out, bits))
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
    fn a_blank_cell_names_no_column() {
        for cell in ["", " ", "\t", "\u{A0}"] {
            for expect in [Expect::Civil, Expect::Population, Expect::Any] {
                assert!(
                    recognise(cell, expect, &HashMap::new()).is_none(),
                    "{cell:?}"
                );
            }
        }
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

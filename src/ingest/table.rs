//! A table read from one file: columns of strings with each row's provenance.
use super::schema::RecordType;
use crate::encoding::Encoding;

/// A column of strings in a few buffers (one allocation per part, not per cell): one part, or one
/// per chunk of a large file parsed in parallel (kept as they were parsed, not copied together).
#[derive(Clone, Debug, Default)]
pub struct StrColumn {
    parts: Vec<Part>,
    /// the first row of each part
    firsts: Vec<u32>,
    len: usize,
}

/// Cells `buf[ends[i-1]..ends[i]]`.
#[derive(Clone, Debug, Default)]
struct Part {
    buf: String,
    ends: Vec<u32>,
}

impl Part {
    fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start as usize..end as usize]
    }
    /// Bytes that must be UTF-8 (checked once for the whole part; a cell that is not is read
    /// lossily).
    fn of_bytes(buf: Vec<u8>, ends: Vec<u32>) -> Part {
        match into_string(buf) {
            Ok(buf) => Part { buf, ends },
            Err(bytes) => {
                let mut p = Part {
                    buf: String::with_capacity(bytes.len()),
                    ends: Vec::with_capacity(ends.len()),
                };
                let mut start = 0;
                for &end in &ends {
                    p.buf
                        .push_str(&String::from_utf8_lossy(&bytes[start..end as usize]));
                    p.ends.push(p.buf.len() as u32);
                    start = end as usize;
                }
                p
            }
        }
    }
}

impl StrColumn {
    /// An empty column with room for `n` cells.
    pub fn with_capacity(n: usize) -> Self {
        StrColumn {
            parts: vec![Part {
                buf: String::new(),
                ends: Vec::with_capacity(n),
            }],
            firsts: vec![0],
            len: 0,
        }
    }
    /// Append a cell.
    pub fn push(&mut self, s: &str) {
        if self.parts.is_empty() {
            *self = StrColumn::with_capacity(0);
        }
        let p = self.parts.last_mut().expect("a part");
        p.buf.push_str(s);
        p.ends.push(p.buf.len() as u32);
        self.len += 1;
    }
    /// The cell at row `i` ("" past the end).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        match self.parts.as_slice() {
            [one] => one.get(i),
            [] => "",
            parts => {
                let k = self.firsts.partition_point(|&f| f as usize <= i) - 1;
                parts[k].get(i - self.firsts[k] as usize)
            }
        }
    }
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.len
    }
    /// True when there are no cells.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// A column of the cells `buf[ends[i-1]..ends[i]]` of bytes that must be UTF-8 (checked once
    /// for the whole column; a cell that is not is read lossily).
    pub fn from_bytes(buf: Vec<u8>, ends: Vec<u32>) -> StrColumn {
        StrColumn::from_parts(vec![(buf, ends)])
    }
    /// A column of the cells of several parts in order, each as [`StrColumn::from_bytes`] reads
    /// it, none copied.
    pub fn from_parts(parts: Vec<(Vec<u8>, Vec<u32>)>) -> StrColumn {
        let mut c = StrColumn::default();
        for (buf, ends) in parts {
            if ends.is_empty() {
                continue;
            }
            c.firsts.push(c.len as u32);
            c.len += ends.len();
            c.parts.push(Part::of_bytes(buf, ends));
        }
        c
    }
    /// Append the cells of another column.
    pub fn append(&mut self, other: StrColumn) {
        for p in other.parts {
            if p.ends.is_empty() {
                continue;
            }
            self.firsts.push(self.len as u32);
            self.len += p.ends.len();
            self.parts.push(p);
        }
    }
    /// Iterate over the cells.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .flat_map(|p| (0..p.ends.len()).map(move |i| p.get(i)))
    }
}

/// Bytes as a `String` when they are UTF-8 (checked with SIMD: the columns of a large extract
/// are hundreds of megabytes), else the bytes back.
pub fn into_string(buf: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&buf).is_ok() {
        // SAFETY: the bytes were checked to be UTF-8 just above
        Ok(unsafe { String::from_utf8_unchecked(buf) })
    } else {
        Err(buf)
    }
}

/// What a table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// a civil-status book of one record type
    Civil(RecordType),
    /// a population-database extract
    Population,
}

/// One column's header and what it was recognised as.
#[derive(Clone, Debug)]
pub struct ColumnInfo {
    /// the header as written
    pub header: String,
    /// the canonical field (template name or population field), if recognised
    pub canonical: Option<String>,
    /// the legacy encoding the column was decoded from, if any
    pub encoding: Option<Encoding>,
}

/// A table read from a file, with provenance for every row.
#[derive(Clone, Debug)]
pub struct Table {
    /// path relative to the input folder, `/` separators
    pub source_file: String,
    /// civil (with its type) or population
    pub kind: TableKind,
    /// the spreadsheet row number of the header
    pub header_row: u32,
    /// the columns, in file order
    pub columns: Vec<ColumnInfo>,
    /// the cells, one [`StrColumn`] per column
    pub data: Vec<StrColumn>,
    /// the spreadsheet row number of each data row
    pub source_rows: Vec<u32>,
    /// per row: bit `1 << (encoding as u8)` for each legacy encoding decoded in that row
    pub row_decoded: Vec<u8>,
}

impl Table {
    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.source_rows.len()
    }
    /// True when the table has no data rows.
    pub fn is_empty(&self) -> bool {
        self.source_rows.is_empty()
    }
    /// The index of a canonical column.
    pub fn col(&self, canonical: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.canonical.as_deref() == Some(canonical))
    }
    /// Free the cells of every column but `keep` (canonical names): once the rows are normalized,
    /// the outputs read a few columns only, and the rest of a province's text is a gigabyte.
    pub fn retain_columns(&mut self, keep: &[&str]) {
        for (info, col) in self.columns.iter().zip(self.data.iter_mut()) {
            if !info.canonical.as_deref().is_some_and(|c| keep.contains(&c)) {
                *col = StrColumn::default();
            }
        }
    }
    /// A cell by row and canonical column ("" when the column is absent).
    pub fn cell(&self, row: usize, canonical: &str) -> &str {
        self.col(canonical).map_or("", |c| self.data[c].get(row))
    }
    /// The legacy encodings decoded in a row.
    pub fn decoded_in_row(&self, row: usize) -> Vec<Encoding> {
        let bits = self.row_decoded.get(row).copied().unwrap_or(0);
        [
            Encoding::Tcvn3,
            Encoding::Vni,
            Encoding::Viqr,
            Encoding::Cp1258,
            Encoding::Mojibake,
        ]
        .into_iter()
        .filter(|e| bits & (1 << (*e as u8)) != 0)
        .collect()
    }
}

/// A file that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    /// the file, relative to the input folder
    pub path: String,
    /// what was wrong, with the columns found vs expected where that is the problem
    pub reason: String,
}

/// A row that was read with a problem (it is kept unless it could not be read at all).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BadRow {
    /// the file
    pub source_file: String,
    /// the spreadsheet row number
    pub source_row: u32,
    /// what was wrong
    pub problem: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_column_round_trip() {
        let mut c = StrColumn::with_capacity(3);
        for s in ["a", "", "Nguyễn"] {
            c.push(s);
        }
        assert_eq!(c.iter().collect::<Vec<_>>(), vec!["a", "", "Nguyễn"]);
        assert_eq!(c.get(9), "");
    }

    #[test]
    fn a_column_of_parts_reads_as_one() {
        let part = |cells: &[&str]| {
            let mut buf = Vec::new();
            let mut ends = Vec::new();
            for c in cells {
                buf.extend_from_slice(c.as_bytes());
                ends.push(buf.len() as u32);
            }
            (buf, ends)
        };
        let mut bad = part(&["x"]);
        bad.0.push(0xFF);
        *bad.1.last_mut().unwrap() += 1;
        let c = StrColumn::from_parts(vec![
            part(&["a", "", "Nguyễn"]),
            part(&[]),
            part(&["b"]),
            bad,
            part(&["", "c"]),
        ]);
        let want = ["a", "", "Nguyễn", "b", "x\u{FFFD}", "", "c"];
        assert_eq!(c.len(), want.len());
        assert_eq!(c.iter().collect::<Vec<_>>(), want);
        for (i, w) in want.iter().enumerate() {
            assert_eq!(c.get(i), *w, "{i}");
        }
        assert_eq!(c.get(want.len()), "");
        let mut d = StrColumn::from_parts(vec![part(&["a"])]);
        d.push("b");
        d.append(StrColumn::from_parts(vec![part(&["c"]), part(&["d"])]));
        assert_eq!(d.iter().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(d.get(3), "d");
        assert!(StrColumn::default().is_empty());
        assert_eq!(StrColumn::default().get(0), "");
    }
}

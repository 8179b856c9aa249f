//! A table read from one file: columns of strings with each row's provenance.
use super::schema::RecordType;
use crate::encoding::Encoding;

/// A column of strings in one buffer (one allocation per column, not per cell).
#[derive(Clone, Debug, Default)]
pub struct StrColumn {
    buf: String,
    ends: Vec<u32>,
}

impl StrColumn {
    /// An empty column with room for `n` cells.
    pub fn with_capacity(n: usize) -> Self {
        StrColumn {
            buf: String::new(),
            ends: Vec::with_capacity(n),
        }
    }
    /// Append a cell.
    pub fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u32);
    }
    /// The cell at row `i` ("" past the end).
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start as usize..end as usize]
    }
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// True when there are no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// A column of the cells `buf[ends[i-1]..ends[i]]` of bytes that must be UTF-8 (checked once
    /// for the whole column; a cell that is not is read lossily).
    pub fn from_bytes(buf: Vec<u8>, ends: Vec<u32>) -> StrColumn {
        match into_string(buf) {
            Ok(buf) => StrColumn { buf, ends },
            Err(bytes) => {
                let mut c = StrColumn::with_capacity(ends.len());
                let mut start = 0;
                for &end in &ends {
                    c.push(&String::from_utf8_lossy(&bytes[start..end as usize]));
                    start = end as usize;
                }
                c
            }
        }
    }
    /// Append the cells of another column.
    pub fn append(&mut self, other: StrColumn) {
        let base = self.buf.len() as u32;
        self.buf.push_str(&other.buf);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }
    /// Iterate over the cells.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(move |i| self.get(i))
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
}

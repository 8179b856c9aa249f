//! Parquet extracts through polars: every column read as text.
use super::build::RawRow;
use polars::prelude::*;
use std::path::Path;

/// The rows of a Parquet file; the header is row 1 and data rows follow.
pub fn rows(path: &Path) -> Result<Vec<RawRow>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let df = ParquetReader::new(file)
        .finish()
        .map_err(|e| e.to_string())?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut cols: Vec<Vec<String>> = Vec::with_capacity(names.len());
    for c in df.columns() {
        let s = c
            .as_materialized_series()
            .cast(&DataType::String)
            .map_err(|e| e.to_string())?;
        let ca = s.str().map_err(|e| e.to_string())?;
        cols.push(ca.iter().map(|v| v.unwrap_or("").to_string()).collect());
    }
    let n = df.height();
    let mut out = Vec::with_capacity(n + 1);
    out.push((1, names));
    for i in 0..n {
        out.push(((i + 2) as u32, cols.iter().map(|c| c[i].clone()).collect()));
    }
    Ok(out)
}

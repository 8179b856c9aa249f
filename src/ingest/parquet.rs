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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_columns_read_as_text() {
        // an extract as a database exports it: IDs as integers (the leading zero lost), dates
        // and timestamps as such, a null
        let mut df = df!(
            "so_dinh_danh" => [42_090_012_345i64, 1_051_318_500],
            "ho_ten" => ["Nguyễn Văn Hùng", "Trần Thị Thủy"],
            "ngay_sinh" => [19_489i32, 0],
            "ngay_chet" => [Some(1_646_388_000_000i64), None],
        )
        .unwrap();
        df.apply("ngay_sinh", |s| s.cast(&DataType::Date).unwrap())
            .unwrap();
        df.apply("ngay_chet", |s| {
            s.cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                .unwrap()
        })
        .unwrap();
        let path = std::env::temp_dir().join(format!("doisoat-pq-{}.parquet", std::process::id()));
        ParquetWriter::new(std::fs::File::create(&path).unwrap())
            .finish(&mut df)
            .unwrap();
        let rows = rows(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            rows[0].1,
            ["so_dinh_danh", "ho_ten", "ngay_sinh", "ngay_chet"]
        );
        assert_eq!(rows[1].0, 2);
        assert_eq!(rows[1].1[0], "42090012345");
        assert_eq!(rows[1].1[2], "2023-05-12");
        assert!(rows[1].1[3].starts_with("2022-03-04"), "{}", rows[1].1[3]);
        assert_eq!(rows[2].1[2], "1970-01-01");
        assert_eq!(rows[2].1[3], "");
    }
}

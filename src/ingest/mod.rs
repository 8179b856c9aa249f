//! Ingest: read the files analysts have (CSV, UTF-16 text, XLSX/XLS/ODS, Parquet), a file or a
//! folder of them, into tables with provenance. A bad file is skipped and reported; the job goes on.
pub mod aliases;
pub mod build;
pub mod csv;
pub mod lexicon;
pub mod parquet;
pub mod schema;
pub mod table;
pub mod xlsx;

pub use build::Expect;
pub use schema::RecordType;
pub use table::{BadRow, Skipped, StrColumn, Table, TableKind};

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The size of the pieces a large file is read in, side by side.
const READ_PIECE: usize = 16 << 20;

/// A file's bytes. A file of several pieces is read in parallel, each piece at its offset
/// through one handle into its part of the buffer: read whole on one core, the kernel's copy and
/// the buffer's page faults were 0.2–0.5 s of the population extract's 460 MB (perf). One handle
/// reads one file even when another replaces the path meanwhile; a file that fails or changes
/// size while read in pieces is read again whole, as `std::fs::read` reads it.
fn read_bytes(path: &Path, piece: usize) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let size = |f: &std::fs::File| -> std::io::Result<Option<usize>> {
        Ok(usize::try_from(f.metadata()?.len()).ok())
    };
    let len = match size(&file)? {
        Some(len) if len >= 2 * piece && cfg!(any(unix, windows)) => len,
        _ => return std::fs::read(path),
    };
    let mut buf = vec![0u8; len];
    let read = buf
        .par_chunks_mut(piece)
        .enumerate()
        .try_for_each(|(i, part)| read_at(&file, part, (i * piece) as u64));
    if read.is_ok() && size(&file)? == Some(len) {
        return Ok(buf);
    }
    drop(buf);
    std::fs::read(path)
}

/// Fill `buf` from the file's bytes at `at`, without moving a shared position.
#[cfg(unix)]
fn read_at(f: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

/// Fill `buf` from the file's bytes at `at` (Windows: `seek_read` may read less than asked).
#[cfg(windows)]
fn read_at(f: &std::fs::File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_read(buf, at) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Elsewhere pieces are not read at offsets: [`read_bytes`] reads the file whole.
#[cfg(not(any(unix, windows)))]
fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// What one file gave: its tables, why it was skipped, its bad rows, its name.
type FileResult = (Vec<Table>, Vec<Skipped>, Vec<BadRow>, String);

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Ingested {
    /// the tables, sorted by source file
    pub tables: Vec<Table>,
    /// files that could not be used
    pub skipped: Vec<Skipped>,
    /// rows read with a problem
    pub bad_rows: Vec<BadRow>,
    /// files read (relative names), sorted
    pub files_read: Vec<String>,
}

const SUPPORTED: [&str; 9] = [
    "csv", "txt", "tsv", "xlsx", "xlsm", "xls", "xlsb", "ods", "parquet",
];

/// Every supported file under a path (the path itself if it is a file), in sorted order, with
/// its name relative to the folder given (`/` separators).
pub fn list_files(path: &Path) -> Result<Vec<(PathBuf, String)>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_file() {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        return Ok(vec![(path.to_path_buf(), name)]);
    }
    let mut out = Vec::new();
    walk(path, path, &mut out)?;
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(root, &p, out)?;
        } else if is_supported(&p) {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((p, rel));
        }
    }
    Ok(())
}

fn is_supported(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| SUPPORTED.contains(&e.to_string_lossy().to_lowercase().as_str()))
}

/// Read every file under the given paths. Unreadable or unrecognisable files are reported in
/// `skipped`; the others are read (in parallel, results in sorted order).
pub fn read_inputs(
    paths: &[PathBuf],
    expect: Expect,
    column_map: &HashMap<String, String>,
) -> Result<Ingested> {
    // a file named twice (a folder given twice, or a folder and a file inside it) is read once
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        for (path, rel) in list_files(p)? {
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.insert(key) {
                files.push((path, rel));
            }
        }
    }
    if files.is_empty() {
        return Err(Error::NoInput(paths.first().cloned().unwrap_or_default()));
    }
    let what = if expect == Expect::Population {
        "ingest:pop"
    } else {
        "ingest"
    };
    crate::progress::start(what, files.len() as u64, "files");
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|(path, rel)| {
            let (t, s, b) = read_file(path, rel, expect, column_map);
            crate::progress::inc(1);
            (t, s, b, rel.clone())
        })
        .collect();
    let mut out = Ingested::default();
    for (t, s, b, rel) in results {
        out.tables.extend(t);
        out.skipped.extend(s);
        out.bad_rows.extend(b);
        out.files_read.push(rel);
    }
    Ok(out)
}

/// Read one file into tables (a workbook may hold several sheets).
pub fn read_file(
    path: &Path,
    rel: &str,
    expect: Expect,
    column_map: &HashMap<String, String>,
) -> (Vec<Table>, Vec<Skipped>, Vec<BadRow>) {
    let mut tables = Vec::new();
    let mut skipped = Vec::new();
    let mut bad = Vec::new();
    let skip = |reason: String| Skipped {
        path: rel.to_string(),
        reason,
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
    {
        skipped.push(skip("an Excel lock file, not a workbook".to_string()));
        return (tables, skipped, bad);
    }
    match ext.as_str() {
        "csv" | "txt" | "tsv" => match read_bytes(path, READ_PIECE) {
            Ok(bytes) => {
                let text = csv::decode_bytes(&bytes);
                match csv::table(rel, &text, expect, column_map, &mut bad) {
                    Ok(t) => tables.push(t),
                    Err(s) => skipped.push(s),
                }
            }
            Err(e) => skipped.push(skip(format!("cannot read: {e}"))),
        },
        "parquet" => match parquet::rows(path) {
            Ok(rows) => {
                match build::build(rel, rows.into_iter().map(Ok), expect, column_map, &mut bad) {
                    Ok(t) => tables.push(t),
                    Err(s) => skipped.push(s),
                }
            }
            Err(e) => skipped.push(skip(format!("not a readable Parquet file: {e}"))),
        },
        _ => match xlsx::sheets(path) {
            Ok(sheets) => {
                let multi = sheets.len() > 1;
                let mut reasons = Vec::new();
                for (name, rows) in sheets {
                    if rows
                        .iter()
                        .all(|(_, c)| c.iter().all(|x| x.trim().is_empty()))
                    {
                        continue;
                    }
                    let label = if multi {
                        format!("{rel}#{name}")
                    } else {
                        rel.to_string()
                    };
                    match build::build(
                        &label,
                        rows.into_iter().map(Ok),
                        expect,
                        column_map,
                        &mut bad,
                    ) {
                        Ok(t) => tables.push(t),
                        Err(s) => reasons.push(s),
                    }
                }
                if tables.is_empty() {
                    if reasons.is_empty() {
                        skipped.push(skip("the workbook has no data".to_string()));
                    }
                    skipped.extend(reasons);
                }
            }
            Err(e) => skipped.push(skip(format!("not a readable workbook: {e}"))),
        },
    }
    (tables, skipped, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_in_pieces_is_the_file() {
        let dir = std::env::temp_dir().join(format!("doisoat-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for len in [0usize, 1, 99, 100, 199, 200, 201, 1000, 12_345] {
            let path = dir.join(format!("f{len}.csv"));
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_bytes(&path, 100).unwrap(), bytes, "{len} bytes");
        }
        assert!(read_bytes(&dir.join("absent.csv"), 100).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

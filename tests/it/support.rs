//! Helpers shared by the integration tests.
use std::path::{Path, PathBuf};

/// A temporary folder for one test, removed when the test is done with it.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // outputs are written 0700/0600: removable by their owner
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh temporary folder for one test (removed when the returned value is dropped).
pub fn temp_dir(name: &str) -> TempDir {
    let d = std::env::temp_dir().join(format!("doisoat-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}

/// The repository's fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Read a CSV as rows of (header → value).
pub fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            h.iter()
                .zip(rec.unwrap().iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .collect()
}

/// Run reconcile with default rules.
pub fn reconcile(
    civil: &Path,
    population: &Path,
    out: &Path,
) -> doisoat::Result<doisoat::pipeline::Run> {
    let opts = doisoat::pipeline::Options::new(
        vec![civil.to_path_buf()],
        population.to_path_buf(),
        out.to_path_buf(),
    );
    doisoat::pipeline::reconcile(&opts)
}

/// The books of `src` re-exported into `flat`: every file renamed and moved into one folder, its
/// data rows in reverse order, with Windows line ends (title rows and the header stay on top).
pub fn reexport(src: &Path, flat: &Path) {
    std::fs::create_dir_all(flat).unwrap();
    let mut stack = vec![src.to_path_buf()];
    let mut n = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "csv") {
                // bytes: some books are in legacy encodings
                let bytes = std::fs::read(&p).unwrap();
                let mut lines: Vec<&[u8]> = bytes
                    .split(|b| *b == b'\n')
                    .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                    .filter(|l| !l.is_empty())
                    .collect();
                // title rows and the header stay on top
                let h = lines
                    .iter()
                    .position(|l| l.starts_with(b"so,"))
                    .unwrap_or(0);
                let mut rest = lines.split_off(h + 1);
                rest.reverse();
                let mut out = Vec::new();
                for l in lines.iter().chain(&rest) {
                    out.extend_from_slice(l);
                    out.extend_from_slice(b"\r\n");
                }
                n += 1;
                std::fs::write(flat.join(format!("export_{n}.csv")), out).unwrap();
            } else {
                std::fs::copy(
                    &p,
                    flat.join(format!(
                        "export_{n}_{}",
                        p.file_name().unwrap().to_string_lossy()
                    )),
                )
                .unwrap();
                n += 1;
            }
        }
    }
}

/// Run the binary: its stdout, its stderr, and whether it succeeded.
pub fn doisoat(args: &[&str]) -> (String, String, bool) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_doisoat"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

/// A row of a CSV output: header → value.
pub type Row = std::collections::BTreeMap<String, String>;

/// `doisoat reconcile` (the binary) of these books and extract into `out`, with `extra`
/// arguments: the rows of its `links.csv` and what it said on stderr.
pub fn reconcile_cli(
    civil: &Path,
    population: &Path,
    out: &Path,
    extra: &[&str],
) -> (Vec<Row>, String) {
    let (c, p, o) = (
        civil.display().to_string(),
        population.display().to_string(),
        out.display().to_string(),
    );
    let mut a = vec!["reconcile", "--civil", &c, "--population", &p, "--out", &o];
    a.extend(extra);
    let (_, stderr, ok) = doisoat(&a);
    assert!(ok, "{stderr}");
    (read_csv(&out.join("links.csv")), stderr)
}

/// The cells of every row of a work book's work-list sheets (`DS - …`).
pub fn work_list_rows(book: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(book).unwrap();
    let names: Vec<String> = wb.sheet_names().to_vec();
    names
        .iter()
        .filter(|n| n.starts_with("DS - "))
        .flat_map(|n| {
            let range = wb.worksheet_range(n).unwrap();
            range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect::<Vec<Vec<String>>>()
        })
        .collect()
}

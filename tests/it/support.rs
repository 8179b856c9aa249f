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

//! Helpers shared by the integration tests.
use std::path::{Path, PathBuf};

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("doisoat-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
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
    let opts = doisoat::pipeline::Options {
        civil: vec![civil.to_path_buf()],
        population: population.to_path_buf(),
        out: out.to_path_buf(),
        rules: doisoat::rules::Rules::default(),
        rules_path: None,
        model: None,
        quiet: true,
        lang: doisoat::report::Lang::Vi,
    };
    doisoat::pipeline::reconcile(&opts)
}

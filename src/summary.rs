//! The run summary (`summary.json`): inputs, counts, blocking, the model, files read and skipped,
//! warnings, and time and memory per stage. Written by the run, read back (typed) by the reports.
use crate::block::RuleStats;
use crate::error::{Error, Result};
use crate::ingest::{BadRow, Skipped};
use crate::score::Model;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Time and memory of one stage.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Stage {
    /// stage name
    pub name: String,
    /// wall-clock seconds
    pub seconds: f64,
    /// peak resident memory of the process so far (MiB)
    pub peak_rss_mib: f64,
}

/// Inputs of a run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Inputs {
    /// civil paths as given
    pub civil: Vec<String>,
    /// population path as given
    pub population: String,
    /// rules file, if any
    pub rules: Option<String>,
    /// model file, if any
    pub model: Option<String>,
    /// digest of the rules in effect
    pub rules_digest: String,
    /// baseline date in effect
    pub baseline_date: String,
    /// when each input was last modified (UTC, as the file system says): the extract's date
    pub modified: BTreeMap<String, String>,
}

/// Counts by status, type, flag and finding.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub struct Counts {
    /// civil records read
    pub civil_records: usize,
    /// civil subjects (records × roles)
    pub subjects: usize,
    /// registry persons
    pub persons: usize,
    /// subjects by status
    pub by_status: BTreeMap<String, usize>,
    /// subjects by record type and status
    pub by_type: BTreeMap<String, BTreeMap<String, usize>>,
    /// subjects by flag
    pub by_flag: BTreeMap<String, usize>,
    /// conflicts by field
    pub conflicts_by_field: BTreeMap<String, usize>,
    /// findings by kind
    pub by_finding: BTreeMap<String, usize>,
    /// subjects whose ID must be re-issued
    pub id_reissue: usize,
    /// registry persons whose birth should be in these books: registered in the province, in a
    /// commune and year whose birth books are in the drop
    pub persons_in_scope: usize,
    /// registry persons registered in the province whose birth book is not in the drop
    #[serde(default)]
    pub persons_book_not_in_drop: usize,
}

/// Blocking summary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BlockingSummary {
    /// pairs per rule
    pub rules: Vec<RuleStats>,
    /// distinct candidate pairs compared
    pub candidate_pairs: u64,
    /// the split threshold
    pub max_block_size: usize,
    /// the cap
    pub hard_cap: usize,
}

/// Files read and skipped.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub struct Files {
    /// civil files read
    pub civil_read: Vec<String>,
    /// population files read
    pub population_read: Vec<String>,
    /// files skipped, with the reason
    pub skipped: Vec<Skipped>,
    /// rows read with a problem
    pub bad_rows: usize,
    /// the first bad rows, for the analyst
    pub bad_row_examples: Vec<BadRow>,
}

/// The run summary. Everything but `stages` is the same for the same inputs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Summary {
    /// doisoat version
    pub version: String,
    /// inputs and rules
    pub inputs: Inputs,
    /// the job's province (legacy code)
    pub province: Option<u8>,
    /// counts
    pub counts: Counts,
    /// blocking
    pub blocking: BlockingSummary,
    /// the model
    pub model: Model,
    /// the decision thresholds in effect
    pub thresholds: crate::rules::Thresholds,
    /// files
    pub files: Files,
    /// what the analyst should know about this run
    pub warnings: Vec<String>,
    /// time and peak memory per stage
    pub stages: Vec<Stage>,
    /// which run wrote the folder, and the size of each file it wrote
    #[serde(default)]
    pub run: RunStamp,
    /// the decisions applied (`--decisions`), and those that could not be
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decisions: Option<crate::pipeline::decided::Applied>,
}

/// The identity of a run: an id, and the size of every output file the run wrote, so that a
/// folder whose files come from different runs (copied by hand, or an older doisoat's) is seen.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct RunStamp {
    /// a new id for every run
    pub id: String,
    /// bytes of each output file (by name) as the run wrote it
    pub outputs: BTreeMap<String, u64>,
}

/// The files of a run that `report` and `explain` read.
pub const STAMPED: [&str; 5] = [
    "links.csv",
    "population_findings.csv",
    "coverage.csv",
    "model.json",
    "rules.toml",
];

impl RunStamp {
    /// The stamp of the files just written into `dir`.
    pub fn of(dir: &Path) -> RunStamp {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        RunStamp {
            id: format!("{t:x}-{:x}", std::process::id()),
            outputs: STAMPED
                .iter()
                .filter_map(|f| {
                    let m = std::fs::metadata(dir.join(f)).ok()?;
                    Some((f.to_string(), m.len()))
                })
                .collect(),
        }
    }
}

impl Summary {
    /// Read a run folder's summary and check that its files are the run's: an error when one was
    /// replaced by another run's or is missing; warnings when an input changed since the run.
    pub fn read_checked(dir: &Path) -> Result<(Summary, Vec<String>)> {
        let s = Summary::read(dir)?;
        if s.run.id.is_empty() {
            return Err(Error::Invalid(format!(
                "{}: summary.json carries no run id (a folder of an older doisoat, or assembled by hand): run reconcile again",
                dir.display()
            )));
        }
        for (f, &bytes) in &s.run.outputs {
            let got = std::fs::metadata(dir.join(f)).map(|m| m.len()).ok();
            if got != Some(bytes) {
                return Err(Error::Invalid(format!(
                    "{}: {f} is not the one run {} wrote ({}; the run wrote {bytes} bytes): the folder mixes runs; run reconcile again",
                    dir.display(),
                    s.run.id,
                    got.map_or_else(|| "missing".to_string(), |b| format!("{b} bytes"))
                )));
            }
        }
        let mut warnings = Vec::new();
        for (path, when) in &s.inputs.modified {
            let now = modified_utc(Path::new(path));
            if !when.is_empty() && now != *when {
                warnings.push(format!(
                    "{} changed since the run ({} then, {} now): the outputs describe the earlier file",
                    crate::normalize::text::printable(path),
                    when,
                    if now.is_empty() { "missing" } else { now.as_str() }
                ));
            }
        }
        Ok((s, warnings))
    }

    /// Read a run folder's `summary.json`.
    pub fn read(dir: &Path) -> Result<Summary> {
        let path = dir.join("summary.json");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| Error::Unreadable {
            path,
            reason: format!("not the summary of a doisoat run of this version: {e}"),
        })
    }
}

/// Drop the per-stage timings from a summary's JSON (they are the only part that varies).
pub fn without_timings(summary_json: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(summary_json).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("stages");
        o.remove("run");
    }
    v.to_string()
}

/// When a file was last modified (UTC, as the file system says), empty when it cannot be told.
pub fn modified_utc(p: &Path) -> String {
    let Ok(t) = std::fs::metadata(p).and_then(|m| m.modified()) else {
        return String::new();
    };
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or_else(|_| String::new(), |d| utc(d.as_secs() as i64))
}

/// Seconds since 1970 as `YYYY-MM-DD HH:MM:SS` UTC.
pub fn utc(secs: i64) -> String {
    let day = crate::normalize::PartialDate::from_unix_days(secs / 86_400);
    let s = secs % 86_400;
    format!("{day} {:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

/// Peak resident set size so far, in MiB (Linux `VmHWM`; 0 elsewhere).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

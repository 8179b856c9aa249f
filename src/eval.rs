//! Evaluation against known truth: precision, recall and F1 of links, the status confusion
//! matrix, conflict fields, duplicate groups and population findings, broken down by record type
//! and by noise kind.
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Precision, recall, F1 with their counts.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Prf {
    /// true positives
    pub tp: u64,
    /// false positives
    pub fp: u64,
    /// false negatives
    pub fn_: u64,
    /// precision
    pub precision: f64,
    /// recall
    pub recall: f64,
    /// F1
    pub f1: f64,
}

impl Prf {
    fn new(tp: u64, fp: u64, fn_: u64) -> Prf {
        let p = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            tp,
            fp,
            fn_,
            precision: round(p),
            recall: round(r),
            f1: round(f),
        }
    }
    fn add(&mut self, tp: u64, fp: u64, fn_: u64) {
        *self = Prf::new(self.tp + tp, self.fp + fp, self.fn_ + fn_);
    }
}

fn round(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// The evaluation (`eval.json`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Evaluation {
    /// civil subjects evaluated
    pub subjects: usize,
    /// links (matched/conflict with a person)
    pub links: Prf,
    /// truth status → predicted status → count
    pub status_confusion: BTreeMap<String, BTreeMap<String, u64>>,
    /// share of subjects whose predicted status equals the truth
    pub status_accuracy: f64,
    /// conflict fields, over subjects linked correctly
    pub conflict_fields: Prf,
    /// conflict fields by field
    pub conflict_fields_by_field: BTreeMap<String, Prf>,
    /// a cosmetic difference reported as a conflict: subjects linked correctly with a predicted
    /// conflict that the truth does not have, and only cosmetic noise
    pub cosmetic_false_conflicts: u64,
    /// duplicate groups, over pairs of subjects
    pub duplicate_pairs: Prf,
    /// population findings
    pub findings: Prf,
    /// findings by kind
    pub findings_by_kind: BTreeMap<String, Prf>,
    /// links by record type
    pub links_by_type: BTreeMap<String, Prf>,
    /// links by noise kind (a subject counts under every noise it has)
    pub links_by_noise: BTreeMap<String, Prf>,
}

fn read_csv(path: &Path) -> Result<Vec<HashMap<String, String>>> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| Error::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let headers = rdr
        .headers()
        .map_err(|e| Error::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?
        .clone();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        out.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(out)
}

fn split(s: &str) -> BTreeSet<String> {
    s.split(';')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn pairs_of(groups: &HashMap<String, Vec<usize>>) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for v in groups.values() {
        for i in 0..v.len() {
            for j in i + 1..v.len() {
                out.insert((v[i].min(v[j]), v[i].max(v[j])));
            }
        }
    }
    out
}

/// Evaluate a run (`run_dir/links.csv`, `run_dir/population_findings.csv`) against the truth.
pub fn evaluate(truth_dir: &Path, run_dir: &Path) -> Result<Evaluation> {
    let truth = read_csv(&truth_dir.join("subjects.csv"))?;
    let links = read_csv(&run_dir.join("links.csv"))?;
    let key = |r: &HashMap<String, String>| {
        (
            r["source_file"].clone(),
            r["source_row"].clone(),
            r["role"].clone(),
        )
    };
    let pred: HashMap<(String, String, String), usize> =
        links.iter().enumerate().map(|(i, r)| (key(r), i)).collect();
    let mut ev = Evaluation {
        subjects: truth.len(),
        ..Evaluation::default()
    };
    let mut correct_status = 0u64;
    let mut truth_groups: HashMap<String, Vec<usize>> = HashMap::new();
    let mut pred_groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (ti, t) in truth.iter().enumerate() {
        let p = pred.get(&key(t)).map(|&i| &links[i]);
        let t_pid = t["person_id"].as_str();
        let t_status = t["expected_status"].as_str();
        let p_status = p.map_or("absent", |r| r["status"].as_str());
        let p_pid = p
            .filter(|r| matches!(r["status"].as_str(), "matched" | "conflict"))
            .map_or("", |r| r["person_id"].as_str());
        *ev.status_confusion
            .entry(t_status.to_string())
            .or_default()
            .entry(p_status.to_string())
            .or_default() += 1;
        correct_status += (t_status == p_status) as u64;
        let (tp, fp, fn_) = match (t_pid.is_empty(), p_pid.is_empty()) {
            (false, false) if t_pid == p_pid => (1, 0, 0),
            (false, false) => (0, 1, 1),
            (true, false) => (0, 1, 0),
            (false, true) => (0, 0, 1),
            (true, true) => (0, 0, 0),
        };
        ev.links.add(tp, fp, fn_);
        ev.links_by_type
            .entry(t["record_type"].clone())
            .or_default()
            .add(tp, fp, fn_);
        for n in split(&t["noise"]) {
            ev.links_by_noise.entry(n).or_default().add(tp, fp, fn_);
        }
        if tp == 1 {
            let tf = split(&t["conflict_fields"]);
            let pf = p.map(|r| split(&r["conflict_fields"])).unwrap_or_default();
            let (a, b, c) = (
                tf.intersection(&pf).count() as u64,
                pf.difference(&tf).count() as u64,
                tf.difference(&pf).count() as u64,
            );
            ev.conflict_fields.add(a, b, c);
            for f in tf.union(&pf) {
                let e = ev.conflict_fields_by_field.entry(f.clone()).or_default();
                e.add(
                    tf.contains(f)
                        .then_some(pf.contains(f))
                        .map_or(0, |x| x as u64),
                    (!tf.contains(f)) as u64,
                    (tf.contains(f) && !pf.contains(f)) as u64,
                );
            }
            if b > 0 && tf.is_empty() {
                ev.cosmetic_false_conflicts += 1;
            }
        }
        for g in split(&t["duplicate_group"]) {
            truth_groups.entry(g).or_default().push(ti);
        }
        if let Some(r) = p {
            for g in split(&r["duplicate_group"]) {
                pred_groups.entry(g).or_default().push(ti);
            }
        }
    }
    ev.status_accuracy = round(correct_status as f64 / truth.len().max(1) as f64);
    let (tpairs, ppairs) = (pairs_of(&truth_groups), pairs_of(&pred_groups));
    ev.duplicate_pairs = Prf::new(
        tpairs.intersection(&ppairs).count() as u64,
        ppairs.difference(&tpairs).count() as u64,
        tpairs.difference(&ppairs).count() as u64,
    );
    // findings
    let tf = read_csv(&truth_dir.join("findings.csv"))?;
    let pf = read_csv(&run_dir.join("population_findings.csv"))?;
    let set = |v: &[HashMap<String, String>]| -> BTreeSet<(String, String)> {
        v.iter()
            .map(|r| (r["person_id"].clone(), r["finding"].clone()))
            .collect()
    };
    let (ts, ps) = (set(&tf), set(&pf));
    ev.findings = Prf::new(
        ts.intersection(&ps).count() as u64,
        ps.difference(&ts).count() as u64,
        ts.difference(&ps).count() as u64,
    );
    for kind in [
        "no_birth_record",
        "death_not_recorded",
        "marriage_not_recorded",
    ] {
        let t: BTreeSet<_> = ts.iter().filter(|x| x.1 == kind).collect();
        let p: BTreeSet<_> = ps.iter().filter(|x| x.1 == kind).collect();
        ev.findings_by_kind.insert(
            kind.to_string(),
            Prf::new(
                t.intersection(&p).count() as u64,
                p.difference(&t).count() as u64,
                t.difference(&p).count() as u64,
            ),
        );
    }
    Ok(ev)
}

/// A plain-text table of the main figures.
pub fn table(ev: &Evaluation) -> String {
    let mut s = String::new();
    let line = |s: &mut String, name: &str, p: &Prf| {
        s.push_str(&format!(
            "{name:<32} {:>8.4} {:>8.4} {:>8.4} {:>9} {:>7} {:>7}\n",
            p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
        ))
    };
    s.push_str(&format!(
        "{:<32} {:>8} {:>8} {:>8} {:>9} {:>7} {:>7}\n",
        "", "precision", "recall", "F1", "tp", "fp", "fn"
    ));
    line(&mut s, "links", &ev.links);
    line(&mut s, "conflict fields", &ev.conflict_fields);
    line(&mut s, "duplicate pairs", &ev.duplicate_pairs);
    line(&mut s, "population findings", &ev.findings);
    for (k, p) in &ev.links_by_type {
        line(&mut s, &format!("links {k}"), p);
    }
    for (k, p) in &ev.conflict_fields_by_field {
        line(&mut s, &format!("conflict {k}"), p);
    }
    for (k, p) in &ev.findings_by_kind {
        line(&mut s, &format!("finding {k}"), p);
    }
    s.push_str(&format!(
        "status accuracy {:.4}; cosmetic differences reported as conflicts: {}\n",
        ev.status_accuracy, ev.cosmetic_false_conflicts
    ));
    s.push_str("status confusion (truth → predicted):\n");
    for (t, m) in &ev.status_confusion {
        s.push_str(&format!(
            "  {t:<13} {}\n",
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    s.push_str("link recall/precision by noise kind:\n");
    for (k, p) in &ev.links_by_noise {
        s.push_str(&format!(
            "  {k:<30} P {:.4} R {:.4} (n {})\n",
            p.precision,
            p.recall,
            p.tp + p.fn_
        ));
    }
    s
}

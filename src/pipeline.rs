//! The one place that wires the stages: ingest → normalize → subjects → block → compare → score →
//! link → classify → report, timing each stage.
use crate::block::{self, Blocker, RuleStats};
use crate::classify::{self, FindingKind, LinkRow, Status};
use crate::compare::{self, Comparer, Gamma};
use crate::error::{Error, Result};
use crate::ingest::{self, Expect, Ingested, RecordType, Table, TableKind};
use crate::link::{self, Scored};
use crate::places::Places;
use crate::rules::Rules;
use crate::score::{self, Model, Priors, TermFrequencies, Training};
use crate::subjects::{self, Dataset, flag};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

/// What `reconcile` needs.
#[derive(Clone, Debug)]
pub struct Options {
    /// civil files or folders
    pub civil: Vec<PathBuf>,
    /// the population extract (file or folder)
    pub population: PathBuf,
    /// output folder
    pub out: PathBuf,
    /// the rules in effect
    pub rules: Rules,
    /// the rules file, if one was given (for provenance)
    pub rules_path: Option<PathBuf>,
    /// a saved model to use instead of training
    pub model: Option<PathBuf>,
    /// progress on stderr
    pub quiet: bool,
    /// language of the reports
    pub lang: crate::report::Lang,
}

/// Time and memory of one stage.
#[derive(Clone, Debug, Serialize)]
pub struct Stage {
    /// stage name
    pub name: String,
    /// wall-clock seconds
    pub seconds: f64,
    /// peak resident memory of the process so far (MiB)
    pub peak_rss_mib: f64,
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

struct Timer {
    stages: Vec<Stage>,
    start: Instant,
    quiet: bool,
}

impl Timer {
    fn stage(&mut self, name: &str, detail: String) {
        let s = Stage {
            name: name.to_string(),
            seconds: self.start.elapsed().as_secs_f64(),
            peak_rss_mib: peak_rss_mib(),
        };
        if !self.quiet {
            eprintln!(
                "[doisoat] {:<10} {:>7.2}s  peak {:>7.0} MiB  {}",
                s.name, s.seconds, s.peak_rss_mib, detail
            );
        }
        self.stages.push(s);
        self.start = Instant::now();
    }
}

/// The run summary (`summary.json`). Everything but `stages` is the same for the same inputs.
#[derive(Clone, Debug, Serialize)]
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
    /// files
    pub files: Files,
    /// what the analyst should know about this run
    pub warnings: Vec<String>,
    /// time and peak memory per stage
    pub stages: Vec<Stage>,
}

/// Inputs of a run.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize, Default)]
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
    /// registry persons whose birth should be in these books (birth registered in the province)
    pub persons_in_scope: usize,
}

/// Blocking summary.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize, Default)]
pub struct Files {
    /// civil files read
    pub civil_read: Vec<String>,
    /// population files read
    pub population_read: Vec<String>,
    /// files skipped, with the reason
    pub skipped: Vec<ingest::Skipped>,
    /// rows read with a problem
    pub bad_rows: usize,
    /// the first bad rows, for the analyst
    pub bad_row_examples: Vec<ingest::BadRow>,
}

/// Everything a run produced, kept in memory for the reports.
pub struct Run {
    /// normalized data
    pub data: Dataset,
    /// what ingest read of the civil files (its tables are freed once the outputs are written)
    pub civil: Ingested,
    /// what ingest read of the population extract (tables freed likewise)
    pub population: Ingested,
    /// one row per subject
    pub rows: Vec<LinkRow>,
    /// population findings
    pub findings: Vec<classify::Finding>,
    /// the summary
    pub summary: Summary,
}

impl Run {
    /// Civil tables in dataset order.
    pub fn civil_tables(&self) -> Vec<&Table> {
        self.civil
            .tables
            .iter()
            .filter(|t| matches!(t.kind, TableKind::Civil(_)))
            .collect()
    }
    /// Population tables in dataset order.
    pub fn population_tables(&self) -> Vec<&Table> {
        self.population
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::Population)
            .collect()
    }
}

/// Read and normalize the inputs (shared by `reconcile` and `explain`).
pub fn prepare(
    opts: &Options,
    timer_quiet: bool,
) -> Result<(Ingested, Ingested, Dataset, Places, Vec<Stage>)> {
    let mut timer = Timer {
        stages: Vec::new(),
        start: Instant::now(),
        quiet: timer_quiet,
    };
    let map = opts.rules.column_map();
    let civil = ingest::read_inputs(&opts.civil, Expect::Civil, &map)?;
    let population = ingest::read_inputs(
        std::slice::from_ref(&opts.population),
        Expect::Population,
        &map,
    )?;
    if !population
        .tables
        .iter()
        .any(|t| t.kind == TableKind::Population)
    {
        let why = population
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.path, s.reason))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::Invalid(format!(
            "no population file could be read from {} ({why})",
            opts.population.display()
        )));
    }
    let n_civil: usize = civil.tables.iter().map(Table::len).sum();
    let n_pop: usize = population.tables.iter().map(Table::len).sum();
    timer.stage(
        "ingest",
        format!(
            "{n_civil} civil records in {} files, {n_pop} persons; {} files skipped",
            civil.tables.len(),
            civil.skipped.len() + population.skipped.len()
        ),
    );
    let aliases: Vec<(String, u32)> = opts
        .rules
        .places
        .aliases
        .iter()
        .filter_map(|(k, v)| v.parse().ok().map(|c| (k.clone(), c)))
        .collect();
    let (places, bad) = Places::with_aliases(&aliases);
    if !bad.is_empty() {
        return Err(Error::Rules {
            path: opts.rules_path.clone().unwrap_or_default(),
            problems: bad,
        });
    }
    let tables: Vec<&Table> = civil
        .tables
        .iter()
        .chain(population.tables.iter())
        .collect();
    let data = subjects::build(&tables, &places, &opts.rules);
    timer.stage(
        "normalize",
        format!(
            "{} subjects, {} persons, {} distinct names, {} distinct places",
            data.subjects.len(),
            data.persons.len(),
            data.names.names.len(),
            data.places.len()
        ),
    );
    Ok((civil, population, data, places, timer.stages))
}

/// Agreement-pattern counts of the pairs that train the model.
pub type PatternCounts = HashMap<Gamma, u64>;

/// Every subject's candidate persons with their comparison vectors.
pub type CandidatePairs = Vec<Vec<(u32, Gamma)>>;

/// Candidate pairs of every subject with their comparison vectors, the rules' statistics, and
/// the pattern counts of the pairs found by training rules.
pub fn compare_all(
    data: &Dataset,
    blocker: &Blocker,
    cmp: &Comparer,
) -> (CandidatePairs, Vec<RuleStats>, PatternCounts) {
    type Chunk = (CandidatePairs, Vec<RuleStats>, PatternCounts);
    let chunks: Vec<Chunk> = data
        .subjects
        .par_chunks(2048)
        .map(|chunk| {
            let mut stats = blocker.new_stats();
            let mut counts = PatternCounts::new();
            let out = chunk
                .iter()
                .map(|s| {
                    blocker
                        .candidates(s, data, &mut stats)
                        .into_iter()
                        .map(|(p, ri)| {
                            let g = cmp.gamma(s, &data.persons[p as usize]);
                            if blocker.trains(ri) {
                                *counts.entry(g).or_default() += 1;
                            }
                            (p, g)
                        })
                        .collect()
                })
                .collect();
            (out, stats, counts)
        })
        .collect();
    let mut stats = blocker.new_stats();
    let mut counts = PatternCounts::new();
    let mut all = Vec::with_capacity(data.subjects.len());
    for (out, st, c) in chunks {
        block::merge_stats(&mut stats, &st);
        for (g, n) in c {
            *counts.entry(g).or_default() += n;
        }
        all.extend(out);
    }
    (all, stats, counts)
}

/// Score every candidate, best first, keeping the top few.
pub fn score_all(
    data: &Dataset,
    pairs: &[Vec<(u32, Gamma)>],
    model: &Model,
    tf: &TermFrequencies,
    priors: &Priors,
) -> Vec<Vec<Scored>> {
    let table = model.weight_table();
    pairs
        .par_iter()
        .enumerate()
        .map(|(si, cands)| {
            let prior = priors.bits(&data.subjects[si]);
            let mut v: Vec<Scored> = cands
                .iter()
                .map(|(p, g)| {
                    let (a, b) = tf.adjustment(model, g, &data.persons[*p as usize], data);
                    Scored {
                        person: *p,
                        weight: table.weight(g) + a + b + prior,
                        gamma: *g,
                    }
                })
                .collect();
            v.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.person.cmp(&b.person)));
            v.truncate(5);
            v
        })
        .collect()
}

/// Fewer candidate pairs than this and EM is not trusted: the built-in model is used.
pub const MIN_TRAINING_PAIRS: u64 = 20_000;

/// Train (or load) the model.
pub fn train(
    data: &Dataset,
    cmp: &Comparer,
    counts: &PatternCounts,
    opts: &Options,
) -> Result<Model> {
    // λ is the share of matches among training pairs spread over the comparison space
    let n_pairs: u64 = counts.values().sum();
    if let Some(path) = &opts.model {
        let mut m = Model::load(path)?;
        m.rescale(n_pairs, data.subjects.len(), data.persons.len());
        return Ok(m);
    }
    if n_pairs < MIN_TRAINING_PAIRS {
        let mut m = Model::builtin();
        m.rescale(n_pairs, data.subjects.len(), data.persons.len());
        return Ok(m);
    }
    let m = &opts.rules.model;
    let (u, u_pairs) = score::estimate_u(data, cmp, m.seed, m.u_sample_pairs);
    let mut patterns: Vec<(Gamma, u64)> = counts.iter().map(|(g, n)| (*g, *n)).collect();
    patterns.sort();
    let em_pairs: u64 = patterns.iter().map(|(_, c)| c).sum();
    let (mut mm, _, lambda_blocked, iters, converged) =
        score::em_full(&patterns, &u, true, m.max_em_iterations, m.em_tolerance);
    score::floor_soft_levels(&mut mm);
    let builtin = Model::builtin();
    if score::degenerate_m(&mm) {
        let mut b = builtin;
        b.rescale(n_pairs, data.subjects.len(), data.persons.len());
        b.training.source = "builtin (EM degenerate)".to_string();
        return Ok(b);
    }
    // a comparison whose trained m says disagreement favours a match: use the built-in m
    let mut replaced_m = Vec::new();
    for i in score::implausible_m(&mm, &u) {
        mm[i] = builtin.comparisons[i].m.clone();
        replaced_m.push(builtin.comparisons[i].name.clone());
    }
    // EM saw only candidate pairs: the prior of two random records is the expected number of
    // matches among them spread over every (subject, person) pair
    let space = (data.subjects.len() as f64 * data.persons.len() as f64).max(1.0);
    let lambda = (lambda_blocked * em_pairs as f64 / space).clamp(1e-12, 0.5);
    Ok(Model::new(
        lambda,
        lambda_blocked,
        mm,
        u,
        m.tf_adjustment,
        Training {
            seed: m.seed,
            u_pairs,
            em_iterations: iters,
            em_converged: converged,
            em_pairs,
            patterns: patterns.len(),
            source: "trained".to_string(),
            replaced_m,
        },
    ))
}

/// Run the whole job and write its outputs into `opts.out`.
pub fn reconcile(opts: &Options) -> Result<Run> {
    for p in &opts.civil {
        crate::output::check_not_input(&opts.out, &[p.as_path()])?;
    }
    let (civil, population, data, places, mut stages) = prepare(opts, opts.quiet)?;
    let mut timer = Timer {
        stages: Vec::new(),
        start: Instant::now(),
        quiet: opts.quiet,
    };
    let mut warnings = Vec::new();
    let blocker = Blocker::new(&data, &opts.rules.blocking);
    let cmp = Comparer::new(&data, &places, &opts.rules.costs);
    let (pairs, rule_stats, train_counts) = compare_all(&data, &blocker, &cmp);
    let n_pairs: u64 = pairs.iter().map(|v| v.len() as u64).sum();
    timer.stage("block+compare", format!("{n_pairs} candidate pairs"));
    if n_pairs == 0 {
        warnings.push("zero candidate pairs: no civil subject shares a blocking key with any person; check that the population file is the right extract and that names and dates were read (see files.skipped)".to_string());
    }
    for r in &rule_stats {
        if r.capped_lookups > 0 {
            warnings.push(format!("blocking rule {}: {} lookups hit blocks larger than hard_cap ({}) after splitting; those blocks were capped", r.name, r.capped_lookups, opts.rules.blocking.hard_cap));
        }
    }
    let model = train(&data, &cmp, &train_counts, opts)?;
    drop(train_counts);
    if model.training.source == "builtin (EM degenerate)" {
        warnings.push("EM on this job's candidate pairs learnt relatives, not the same person (names or dates of birth disagree among its matches): the built-in model was used; check the blocking rules' `train` settings".to_string());
    }
    if model.training.source == "builtin" {
        warnings.push(format!("only {n_pairs} candidate pairs (fewer than {MIN_TRAINING_PAIRS}): the built-in model was used instead of training one on this job"));
    }
    if !model.training.replaced_m.is_empty() {
        warnings.push(format!(
            "EM gave implausible m (disagreement weighing for a match) for {}: the built-in m was used for them",
            model.training.replaced_m.join(", ")
        ));
    }
    if model.training.source == "trained" && !model.training.em_converged {
        warnings.push(format!(
            "EM stopped after {} iterations without converging",
            model.training.em_iterations
        ));
    }
    timer.stage(
        "score:model",
        format!(
            "lambda {:.3e} (blocked {:.4}), {} patterns",
            model.lambda, model.lambda_blocked, model.training.patterns
        ),
    );
    let tf = TermFrequencies::new(&data);
    let scored = score_all(&data, &pairs, &model, &tf, &Priors::from_rules(&opts.rules));
    drop(pairs);
    timer.stage("score", String::new());
    let mut decisions = link::decide(&scored, &opts.rules.thresholds);
    let groups = link::one_to_one(
        &data,
        &mut decisions,
        &scored,
        &opts.rules.thresholds,
        &opts.rules.costs,
    );
    timer.stage("link", format!("{} duplicate-event groups", groups.len()));
    let (rows, findings) = classify::classify(
        &data,
        &decisions,
        &groups,
        opts.rules.baseline(),
        opts.rules.presumed_dead_age,
    );
    drop((scored, decisions));
    timer.stage("classify", format!("{} findings", findings.len()));
    let mut run = Run {
        summary: Summary {
            version: env!("CARGO_PKG_VERSION").to_string(),
            inputs: Inputs {
                civil: opts.civil.iter().map(|p| absolute(p)).collect(),
                population: absolute(&opts.population),
                rules: opts.rules_path.as_ref().map(|p| absolute(p)),
                model: opts.model.as_ref().map(|p| absolute(p)),
                rules_digest: opts.rules.digest(),
                baseline_date: opts.rules.baseline().to_string(),
                modified: opts
                    .civil
                    .iter()
                    .chain(std::iter::once(&opts.population))
                    .map(|p| (absolute(p), modified(p)))
                    .collect(),
            },
            province: data.province,
            counts: Counts::default(),
            blocking: BlockingSummary {
                rules: rule_stats,
                candidate_pairs: n_pairs,
                max_block_size: opts.rules.blocking.max_block_size,
                hard_cap: opts.rules.blocking.hard_cap,
            },
            model,
            files: Files {
                civil_read: civil.tables.iter().map(|t| t.source_file.clone()).collect(),
                population_read: population
                    .tables
                    .iter()
                    .map(|t| t.source_file.clone())
                    .collect(),
                skipped: civil
                    .skipped
                    .iter()
                    .chain(population.skipped.iter())
                    .cloned()
                    .collect(),
                bad_rows: civil.bad_rows.len() + population.bad_rows.len(),
                bad_row_examples: civil
                    .bad_rows
                    .iter()
                    .chain(population.bad_rows.iter())
                    .take(50)
                    .cloned()
                    .collect(),
            },
            warnings,
            stages: Vec::new(),
        },
        data,
        civil,
        population,
        rows,
        findings,
    };
    run.summary.counts = counts(&run);
    write_outputs(&run, opts)?;
    timer.stage("report", opts.out.display().to_string());
    stages.extend(timer.stages);
    run.summary.stages = stages;
    write_summary(&run, opts)?;
    // the raw tables are no longer needed: free them before the reports read the files back
    run.civil.tables = Vec::new();
    run.population.tables = Vec::new();
    // the reports are computed from the files just written, as `doisoat report` does
    let t = Instant::now();
    crate::report::write_reports(&opts.out, opts.lang)?;
    if !opts.quiet {
        eprintln!(
            "[doisoat] reports    {:>7.2}s  report.xlsx, report.html",
            t.elapsed().as_secs_f64()
        );
    }
    Ok(run)
}

/// A path's modification time as `YYYY-MM-DD HH:MM:SS` UTC ("" when unknown).
fn modified(p: &std::path::Path) -> String {
    let Ok(t) = std::fs::metadata(p).and_then(|m| m.modified()) else {
        return String::new();
    };
    let Ok(d) = t.duration_since(std::time::UNIX_EPOCH) else {
        return String::new();
    };
    let secs = d.as_secs() as i64;
    let day = crate::synth::population::add_days(
        crate::normalize::PartialDate::ymd(1970, 1, 1),
        (secs / 86_400) as i32,
    );
    let s = secs % 86_400;
    format!("{day} {:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

fn absolute(p: &std::path::Path) -> String {
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// Counts for the summary.
pub fn counts(run: &Run) -> Counts {
    let d = &run.data;
    let mut c = Counts {
        civil_records: d
            .subjects
            .iter()
            .filter(|s| subjects::Role::of(s.record_type)[0] == s.role)
            .count(),
        subjects: d.subjects.len(),
        persons: d.persons.len(),
        ..Counts::default()
    };
    for st in Status::ALL {
        c.by_status.insert(st.code().to_string(), 0);
    }
    for rt in RecordType::ALL {
        let m: BTreeMap<String, usize> = Status::ALL
            .iter()
            .map(|s| (s.code().to_string(), 0))
            .collect();
        c.by_type.insert(rt.code().to_string(), m);
    }
    for r in &run.rows {
        let s = &d.subjects[r.subject];
        *c.by_status.entry(r.status.code().to_string()).or_default() += 1;
        *c.by_type
            .entry(s.record_type.code().to_string())
            .or_default()
            .entry(r.status.code().to_string())
            .or_default() += 1;
        for (b, code) in flag::ALL {
            if r.flags & b != 0 {
                *c.by_flag.entry(code.to_string()).or_default() += 1;
            }
        }
        for f in &r.conflicts {
            *c.conflicts_by_field
                .entry(f.code().to_string())
                .or_default() += 1;
        }
        c.id_reissue += r.id_reissue as usize;
    }
    c.persons_in_scope = (0..d.persons.len())
        .filter(|&i| classify::person_in_scope(d, i))
        .count();
    for k in FindingKind::ALL {
        c.by_finding.insert(k.code().to_string(), 0);
    }
    for f in &run.findings {
        *c.by_finding.entry(f.kind.code().to_string()).or_default() += 1;
    }
    c
}

fn write_outputs(run: &Run, opts: &Options) -> Result<()> {
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;
    let civil = run.civil_tables();
    let pop = run.population_tables();
    crate::report::links::write_links(
        &opts.out.join("links.csv"),
        &run.data,
        &run.rows,
        &civil,
        &pop,
    )?;
    crate::report::links::write_findings(
        &opts.out.join("population_findings.csv"),
        &run.data,
        &run.findings,
        &civil,
    )?;
    run.summary.model.save(&opts.out.join("model.json"))?;
    Ok(())
}

fn write_summary(run: &Run, opts: &Options) -> Result<()> {
    let path = opts.out.join("summary.json");
    let text = serde_json::to_string_pretty(&run.summary).map_err(|e| Error::Output {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    crate::output::write_bytes(&path, text.as_bytes())
}

/// Drop the per-stage timings from a summary's JSON (they are the only part that varies).
pub fn without_timings(summary_json: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(summary_json).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("stages");
    }
    v.to_string()
}

/// Re-export for explain.
pub use compare::SPECS;

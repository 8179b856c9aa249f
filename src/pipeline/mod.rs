//! The one place that wires the stages: ingest → normalize → subjects → block → compare → score →
//! link → classify → report, timing each stage.
use crate::block::{self, Blocker, RuleStats};
use crate::classify::{self, LinkRow};
use crate::compare::Comparer;
use crate::error::{Error, Result};
use crate::ingest::{self, Expect, Ingested, Table, TableKind};
use crate::link;
use crate::normalize::text::printable;
use crate::places::Places;
use crate::rules::Rules;
use crate::score::{self, Fallback, Model, PatternCounts, Scorer, Source};
use crate::settings::Settings;
use crate::subjects::{self, Dataset, PersonIdx};
use crate::summary::{BlockingSummary, Stage, Summary, peak_rss_mib};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub mod decided;
mod record;
pub use record::counts;
use record::{files, inputs, write_outputs, write_summary};

/// What `reconcile` needs.
#[derive(Clone, Debug)]
pub struct Options {
    /// civil files or folders
    pub civil: Vec<PathBuf>,
    /// the population extract (file or folder)
    pub population: PathBuf,
    /// output folder
    pub out: PathBuf,
    /// the rules as written (saved beside the outputs, digested for provenance)
    pub rules: Rules,
    /// the rules resolved
    pub settings: Settings,
    /// the rules file, if one was given (for provenance)
    pub rules_path: Option<PathBuf>,
    /// a saved model to use instead of training
    pub model: Option<PathBuf>,
    /// no progress on stderr
    pub quiet: bool,
    /// language of the reports
    pub lang: crate::vocab::Lang,
    /// also one work book per commune under `worklists/`
    pub per_commune: bool,
    /// a decisions store to apply (`--decisions`)
    pub decisions: Option<PathBuf>,
}

impl Options {
    /// Options with the built-in rules.
    pub fn new(civil: Vec<PathBuf>, population: PathBuf, out: PathBuf) -> Options {
        Options {
            civil,
            population,
            out,
            rules: Rules::default(),
            settings: Settings::default(),
            rules_path: None,
            model: None,
            quiet: true,
            lang: crate::vocab::Lang::Vi,
            per_commune: false,
            decisions: None,
        }
    }
}

/// Times the stages and prints a line for each on stderr (unless quiet).
struct Timer {
    stages: Vec<Stage>,
    start: Instant,
    quiet: bool,
}

impl Timer {
    fn new(quiet: bool) -> Timer {
        crate::progress::enable(!quiet);
        Timer {
            stages: Vec::new(),
            start: Instant::now(),
            quiet,
        }
    }

    fn stage(&mut self, name: &str, detail: String) {
        crate::progress::finish();
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

/// Everything a run produced, kept in memory for the reports.
pub struct Run {
    /// normalized data
    pub data: Dataset,
    /// one row per subject
    pub rows: Vec<LinkRow>,
    /// population findings
    pub findings: Vec<classify::Finding>,
    /// the summary
    pub summary: Summary,
}

/// The inputs read and normalized.
pub struct Prepared {
    /// what ingest read of the civil files
    pub civil: Ingested,
    /// what ingest read of the population extract
    pub population: Ingested,
    /// normalized data
    pub data: Dataset,
    /// the place resolver (with the rules' aliases)
    pub places: Places,
    /// time of the stages so far
    pub stages: Vec<Stage>,
}

impl Prepared {
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

/// Read and normalize the inputs (shared by `reconcile`, `explain` and `train`).
pub fn prepare(opts: &Options) -> Result<Prepared> {
    let mut timer = Timer::new(opts.quiet);
    let map = &opts.settings.columns;
    let civil = ingest::read_inputs(&opts.civil, Expect::Civil, map)?;
    if !civil
        .tables
        .iter()
        .any(|t| matches!(t.kind, TableKind::Civil(_)))
    {
        let why = civil
            .skipped
            .iter()
            .map(|s| format!("\n  {}: {}", printable(&s.path), printable(&s.reason)))
            .collect::<String>();
        return Err(Error::Invalid(format!(
            "no usable civil-status book in {} ({} files looked at, none a book); what was skipped and why:{why}",
            opts.civil
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            civil.files_read.len()
        )));
    }
    let population = ingest::read_inputs(
        std::slice::from_ref(&opts.population),
        Expect::Population,
        map,
    )?;
    if !population
        .tables
        .iter()
        .any(|t| t.kind == TableKind::Population)
    {
        let why = population
            .skipped
            .iter()
            .map(|s| format!("\n  {}: {}", printable(&s.path), printable(&s.reason)))
            .collect::<String>();
        return Err(Error::Invalid(format!(
            "no population file could be read from {}; what was skipped and why:{why}",
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
    let (places, bad) = Places::with_aliases(&opts.settings.place_aliases);
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
    let data = subjects::build(&tables, &places, &opts.settings);
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
    Ok(Prepared {
        civil,
        population,
        data,
        places,
        stages: timer.stages,
    })
}

/// Every subject's candidate persons with their comparison vectors (packed), in the order the
/// subjects were compared, kept in the parts the comparison made them in (one per
/// [`COMPARE_CHUNK`] subjects: joining them into one list was a serial copy of every pair, 0.3 s
/// of page faults on one core at 1.6 M persons).
#[derive(Default)]
pub struct CandidatePairs {
    /// each subject's place in the order of comparison
    pub slot: Vec<u32>,
    /// the parts, [`COMPARE_CHUNK`] places each (the last one fewer)
    pub parts: Vec<PairsPart>,
}

/// The candidates of consecutive subjects (in the order of comparison).
#[derive(Default)]
pub struct PairsPart {
    /// where each subject's candidates start in the part (one more entry than subjects)
    pub start: Vec<u32>,
    /// the candidate persons
    pub person: Vec<PersonIdx>,
    /// their comparison vectors, packed ([`crate::compare::pack`])
    pub gamma: Vec<u64>,
}

/// Subjects compared as one piece of work, and kept as one part.
pub const COMPARE_CHUNK: usize = 2048;

impl CandidatePairs {
    /// Subject `i`'s candidates and vectors.
    pub fn of(&self, i: usize) -> (&[PersonIdx], &[u64]) {
        let k = self.slot[i] as usize;
        let part = &self.parts[k / COMPARE_CHUNK];
        let j = k % COMPARE_CHUNK;
        let (a, b) = (part.start[j] as usize, part.start[j + 1] as usize);
        (&part.person[a..b], &part.gamma[a..b])
    }
    /// Every pair's comparison vector, packed, in the order of comparison.
    pub fn gammas(&self) -> impl Iterator<Item = u64> + '_ {
        self.parts.iter().flat_map(|p| p.gamma.iter().copied())
    }
    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.person.len()).sum()
    }
    /// True when there is no pair.
    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| p.person.is_empty())
    }
}

/// What blocking and comparison found.
pub struct Candidates {
    /// per subject, its candidates with their vectors
    pub pairs: CandidatePairs,
    /// pairs per blocking rule
    pub stats: Vec<RuleStats>,
    /// the agreement patterns of the pairs that train the model
    pub training: PatternCounts,
}

/// Candidate pairs of every subject with their comparison vectors, compared block by block while
/// the blocks are hot in cache: the subjects in the persons' order (year of birth, folded family
/// and given name), so that consecutive subjects share candidates.
pub fn compare_all(data: &Dataset, blocker: &Blocker, cmp: &Comparer) -> Candidates {
    let key = |s: &crate::subjects::Subject| {
        let n = s.facts.name.map(|n| data.names.get(n));
        (
            s.facts.dob.map_or(0, |d| d.year),
            n.map_or(0, |e| e.k_family),
            n.map_or(0, |e| e.k_given),
        )
    };
    let mut order: Vec<u32> = (0..data.subjects.len() as u32).collect();
    order.par_sort_by_cached_key(|&i| key(&data.subjects[i as usize]));
    let subjects: Vec<&crate::subjects::Subject> =
        order.iter().map(|&i| &data.subjects[i as usize]).collect();
    let mut slot = vec![0u32; data.subjects.len()];
    for (k, &i) in order.iter().enumerate() {
        slot[i as usize] = k as u32;
    }
    let spans = blocker.spans(data, &slot);
    crate::progress::start("compare", order.len() as u64, "subjects");
    let chunks: Vec<(PairsPart, Vec<RuleStats>, PatternCounts)> = subjects
        .par_chunks(COMPARE_CHUNK)
        // each chunk its own piece of work: rayon would otherwise hand a core runs of hundreds of
        // chunks, split again only when the other core steals, and the last run kept one core
        // busy alone for 0.6 s at 1.6 M persons (perf, by thread)
        .with_max_len(1)
        .enumerate()
        .map(|(c, chunk)| {
            let mut stats = blocker.new_stats();
            let mut training = PatternCounts::default();
            let mut part = PairsPart {
                start: Vec::with_capacity(chunk.len() + 1),
                ..Default::default()
            };
            part.start.push(0);
            let mut buf = Vec::new();
            for (j, s) in chunk.iter().enumerate() {
                blocker.candidates_at(&spans, c * COMPARE_CHUNK + j, &mut stats, &mut buf);
                for (k, &c) in buf.iter().enumerate() {
                    // the candidates lie all over the persons and the names: ask for those of the
                    // pairs a few ahead while this one is compared
                    if let Some(&f) = buf.get(k + 8) {
                        crate::compare::prefetch_person(data, Blocker::unpack(f).0);
                    }
                    if let Some(&f) = buf.get(k + 4) {
                        crate::compare::prefetch_names(data, Blocker::unpack(f).0);
                    }
                    let (p, ri) = Blocker::unpack(c);
                    let g = crate::compare::pack(&cmp.gamma(s, data.person(p)));
                    if blocker.trains(ri) {
                        *training.entry(g).or_default() += 1;
                    }
                    part.person.push(p);
                    part.gamma.push(g);
                }
                part.start.push(part.person.len() as u32);
            }
            // kept until scored: no room left over
            part.person.shrink_to_fit();
            part.gamma.shrink_to_fit();
            crate::progress::inc(chunk.len() as u64);
            (part, stats, training)
        })
        .collect();
    let mut all = Candidates {
        pairs: CandidatePairs {
            slot,
            parts: Vec::with_capacity(chunks.len()),
        },
        stats: spans.into_stats(),
        training: PatternCounts::default(),
    };
    for (part, stats, training) in chunks {
        block::merge_stats(&mut all.stats, &stats);
        for (g, k) in training {
            *all.training.entry(g).or_default() += k;
        }
        all.pairs.parts.push(part);
    }
    all
}

/// The model of a run: loaded (`--model`), or trained on its pairs, or the built-in one.
pub fn model_for(
    opts: &Options,
    data: &Dataset,
    cmp: &Comparer,
    training: &PatternCounts,
    n_pairs: u64,
) -> Result<Model> {
    match &opts.model {
        Some(path) => {
            let mut m = Model::load(path)?;
            m.rescale(n_pairs, data.subjects.len(), data.persons.len());
            Ok(m)
        }
        None => score::train(data, cmp, training, &opts.settings, Fallback::Builtin),
    }
}

/// The decisions of the run's store (`--decisions`), resolved to its subjects and persons.
fn people_decided(
    opts: &Options,
    p: &Prepared,
) -> Result<(Option<decided::Resolved>, Option<decided::Applied>)> {
    let Some(path) = &opts.decisions else {
        return Ok((None, None));
    };
    if !path.exists() {
        return Err(Error::Invalid(format!(
            "--decisions {}: no such store; create it with `doisoat decisions import FILE --decisions {}`",
            path.display(),
            path.display()
        )));
    }
    let ds = crate::decisions::Store::open(path)?.latest()?;
    let (civil, population) = (p.civil_tables(), p.population_tables());
    let x = crate::compare::Sources {
        data: &p.data,
        civil: &civil,
        population: &population,
    };
    let (r, a) = decided::resolve(&x, &ds);
    Ok((Some(r), Some(a)))
}

/// What the analyst should know about the candidate pairs.
fn blocking_warnings(stats: &[RuleStats], n_pairs: u64, settings: &Settings) -> Vec<String> {
    let mut w = Vec::new();
    if n_pairs == 0 {
        w.push("zero candidate pairs: no civil subject shares a blocking key with any person; check that the population file is the right extract and that names and dates were read (see files.skipped)".to_string());
    }
    for r in stats {
        if r.capped_lookups > 0 {
            w.push(format!("blocking rule {}: {} lookups hit blocks larger than hard_cap ({}) after splitting; those blocks were capped", r.name, r.capped_lookups, settings.blocking.hard_cap));
        }
    }
    w
}

/// What the analyst should know about the model.
fn model_warnings(model: &Model, n_pairs: u64) -> Vec<String> {
    let mut w = Vec::new();
    let t = &model.training;
    match t.source {
        Source::BuiltinEmDegenerate => w.push("EM on this job's candidate pairs learnt relatives, not the same person (names or dates of birth disagree among its matches): the built-in model was used; check the blocking rules' `train` settings".to_string()),
        Source::Builtin => w.push(format!("only {n_pairs} candidate pairs (fewer than {}): the built-in model was used instead of training one on this job", score::MIN_TRAINING_PAIRS)),
        Source::Trained if !t.em_converged => w.push(format!("EM stopped after {} iterations without converging", t.em_iterations)),
        _ => {}
    }
    if !t.replaced_m.is_empty() {
        w.push(format!(
            "EM gave implausible m (disagreement weighing for a match) for {}: the built-in m was used for them",
            t.replaced_m.join(", ")
        ));
    }
    w
}

/// Run the whole job and write its outputs into `opts.out`: into a new folder beside it, put in
/// place when the run is complete (so `opts.out` holds the previous run or this one, never a
/// mixture).
pub fn reconcile(opts: &Options) -> Result<Run> {
    let inputs: Vec<&Path> = opts
        .civil
        .iter()
        .map(PathBuf::as_path)
        .chain([opts.population.as_path()])
        .chain(opts.rules_path.as_deref())
        .chain(opts.model.as_deref())
        .collect();
    let dir = crate::output::RunDir::begin(&opts.out, &inputs)?;
    let staged = Options {
        out: dir.path().to_path_buf(),
        ..opts.clone()
    };
    let run = run_into(&staged)?;
    dir.commit()?;
    Ok(run)
}

/// The job, its outputs written into `opts.out`.
fn run_into(opts: &Options) -> Result<Run> {
    let mut prepared = prepare(opts)?;
    // the outputs read a few columns of the tables from now on: the rest is freed
    for t in prepared
        .civil
        .tables
        .iter_mut()
        .chain(prepared.population.tables.iter_mut())
    {
        t.retain_columns(&crate::compare::SHOWN_COLUMNS);
    }
    let (data, places) = (&prepared.data, &prepared.places);
    let mut timer = Timer::new(opts.quiet);
    let mut warnings = Vec::new();
    let settings = &opts.settings;
    let blocker = Blocker::new(data, &settings.blocking);
    let cmp = Comparer::new(data, places, &settings.costs);
    let cands = compare_all(data, &blocker, &cmp);
    let n_pairs = cands.pairs.len() as u64;
    timer.stage("block+compare", format!("{n_pairs} candidate pairs"));
    warnings.extend(blocking_warnings(&cands.stats, n_pairs, settings));
    let model = model_for(opts, data, &cmp, &cands.training, n_pairs)?;
    warnings.extend(model_warnings(&model, n_pairs));
    timer.stage(
        "score:model",
        format!(
            "lambda {:.3e} (blocked {:.4}), {} patterns",
            model.lambda, model.lambda_blocked, model.training.patterns
        ),
    );
    let scorer = Scorer::new(&model, data, settings);
    let mut scored = scorer.rank_all(data, &cands.pairs);
    let stats = cands.stats;
    drop(cands.pairs);
    timer.stage("score", String::new());
    let (people, applied) = people_decided(opts, &prepared)?;
    if let Some(r) = &people {
        r.filter(&mut scored);
    }
    let t = &settings.thresholds;
    let mut decisions = link::decide(&scored, t);
    if let Some(r) = &people {
        r.force(data, &cmp, &scorer, &scored, &mut decisions);
    }
    let mut groups = link::one_to_one(data, &mut decisions, &scored, t, &settings.costs);
    groups.extend(link::rejoin_births(
        data,
        &mut decisions,
        &scored,
        &settings.costs,
    ));
    timer.stage("link", format!("{} duplicate-event groups", groups.len()));
    let coverage = classify::Coverage::infer(data, places.gazetteer());
    let ctx = classify::Context {
        cmp: &cmp,
        baseline: settings.baseline,
        presumed_dead_age: settings.presumed_dead_age,
        coverage: &coverage,
    };
    let (mut rows, findings) = classify::classify(&ctx, &decisions, &groups);
    let decided_col = people
        .as_ref()
        .map(|r| {
            r.settle_duplicates(&mut rows);
            r.mark(&mut rows)
        })
        .unwrap_or_default();
    drop((scored, decisions));
    timer.stage("classify", format!("{} findings", findings.len()));
    let mut summary = Summary {
        version: env!("CARGO_PKG_VERSION").to_string(),
        inputs: inputs(opts),
        province: data.province,
        counts: counts(data, &coverage, &rows, &findings),
        blocking: BlockingSummary {
            rules: stats,
            candidate_pairs: n_pairs,
            max_block_size: settings.blocking.max_block_size,
            hard_cap: settings.blocking.hard_cap,
        },
        model,
        thresholds: settings.thresholds.clone(),
        files: files(&prepared),
        warnings,
        stages: Vec::new(),
        run: Default::default(),
        decisions: applied,
    };
    let finding_recs = record::finding_recs(data, &findings, &mut summary);
    let mut reports = crate::report::Builder::new(&finding_recs, data.province, opts.lang);
    write_outputs(
        &prepared,
        &cmp,
        &rows,
        &decided_col,
        &finding_recs,
        &summary,
        opts,
        &mut reports,
    )?;
    crate::report::coverage::write(&opts.out.join("coverage.csv"), data, &coverage, &rows)?;
    timer.stage(
        "report",
        "links.csv, population_findings.csv, coverage.csv".to_string(),
    );
    summary.stages = prepared
        .stages
        .iter()
        .cloned()
        .chain(timer.stages)
        .collect();
    summary.run = crate::summary::RunStamp::of(&opts.out);
    write_summary(&summary, &opts.out)?;
    // the raw tables are no longer needed: free them before the reports
    let Prepared {
        data,
        civil,
        population,
        ..
    } = prepared;
    drop((civil, population));
    // the reports were counted from the rows as they were written, as `doisoat report` counts
    // them from the files
    let t = Instant::now();
    reports.write(&opts.out, &summary, opts.per_commune)?;
    if !opts.quiet {
        eprintln!(
            "[doisoat] reports    {:>7.2}s  report.xlsx, report.html",
            t.elapsed().as_secs_f64()
        );
    }
    Ok(Run {
        data,
        rows,
        findings,
        summary,
    })
}

//! What a run records: its inputs and files read, its counts, and the files it writes (links,
//! findings, model, effective rules, summary).
use super::{Options, Prepared};
use crate::classify::{self, LinkRow};
use crate::compare::Comparer;
use crate::error::{Error, Result};
use crate::ingest::RecordType;
use crate::normalize::text::printable;
use crate::report::figures::FindingRec;
use crate::subjects::{Dataset, Role};
use crate::summary::{Counts, Files, Inputs, Summary};
use crate::vocab::{FindingKind, Status};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The rows of `population_findings.csv`: the run's findings, then the rows of the extract set
/// aside for a duplicate ID (counted and warned of in the summary).
pub(super) fn finding_recs(
    data: &Dataset,
    findings: &[classify::Finding],
    summary: &mut Summary,
) -> Vec<FindingRec> {
    let mut finding_recs = crate::report::links::finding_recs(data, findings);
    let dups = crate::report::links::duplicate_id_recs(data);
    if !dups.is_empty() {
        *summary
            .counts
            .by_finding
            .entry(FindingKind::DuplicateId.code().to_string())
            .or_default() += dups.len();
        summary.warnings.push(format!(
            "{} rows of the population extract carry an ID an earlier row has: set aside (one row per ID is linked) and listed as duplicate_id findings, first {}",
            dups.len(),
            printable(&dups[0].evidence)
        ));
    }
    finding_recs.extend(dups);
    finding_recs
}

pub(super) fn inputs(opts: &Options) -> Inputs {
    Inputs {
        civil: opts.civil.iter().map(|p| absolute(p)).collect(),
        population: absolute(&opts.population),
        rules: opts.rules_path.as_ref().map(|p| absolute(p)),
        model: opts.model.as_ref().map(|p| absolute(p)),
        rules_digest: opts.rules.digest(),
        baseline_date: opts.settings.baseline.to_string(),
        modified: opts
            .civil
            .iter()
            .chain(std::iter::once(&opts.population))
            .map(|p| (absolute(p), crate::summary::modified_utc(p)))
            .collect(),
    }
}

pub(super) fn files(p: &Prepared) -> Files {
    let (civil, population) = (&p.civil, &p.population);
    Files {
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
    }
}

/// A path made absolute and resolved (as given when it cannot be).
fn absolute(p: &Path) -> String {
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// Counts for the summary.
pub fn counts(
    d: &Dataset,
    coverage: &classify::Coverage,
    rows: &[LinkRow],
    findings: &[classify::Finding],
) -> Counts {
    let mut c = Counts {
        civil_records: d
            .subjects
            .iter()
            .filter(|s| Role::of(s.record_type)[0] == s.role)
            .count(),
        subjects: d.subjects.len(),
        persons: d.persons.len(),
        ..Counts::default()
    };
    let zero = || -> BTreeMap<String, usize> {
        Status::ALL
            .iter()
            .map(|s| (s.code().to_string(), 0))
            .collect()
    };
    c.by_status = zero();
    for rt in RecordType::ALL {
        c.by_type.insert(rt.code().to_string(), zero());
    }
    // counted in parallel by code, then keyed as the summary writes them (the sums are whole
    // numbers: the same in any order)
    type Tally = BTreeMap<&'static str, usize>;
    #[derive(Default)]
    struct Part {
        status: Tally,
        by_type: BTreeMap<&'static str, Tally>,
        flag: Tally,
        field: Tally,
        id_reissue: usize,
    }
    fn add(into: &mut Tally, from: Tally) {
        for (k, n) in from {
            *into.entry(k).or_default() += n;
        }
    }
    let part = rows
        .par_iter()
        .fold(Part::default, |mut t, r| {
            let s = &d.subjects[r.subject];
            *t.status.entry(r.status.code()).or_default() += 1;
            *t.by_type
                .entry(s.record_type.code())
                .or_default()
                .entry(r.status.code())
                .or_default() += 1;
            for f in r.flags.iter() {
                *t.flag.entry(f.code()).or_default() += 1;
            }
            for (f, _) in &r.conflicts {
                *t.field.entry(f.code()).or_default() += 1;
            }
            t.id_reissue += r.id_reissue as usize;
            t
        })
        .reduce(Part::default, |mut a, b| {
            add(&mut a.status, b.status);
            for (rt, t) in b.by_type {
                add(a.by_type.entry(rt).or_default(), t);
            }
            add(&mut a.flag, b.flag);
            add(&mut a.field, b.field);
            a.id_reissue += b.id_reissue;
            a
        });
    let keyed = |into: &mut BTreeMap<String, usize>, from: Tally| {
        for (k, n) in from {
            *into.entry(k.to_string()).or_default() += n;
        }
    };
    keyed(&mut c.by_status, part.status);
    for (rt, t) in part.by_type {
        keyed(c.by_type.entry(rt.to_string()).or_default(), t);
    }
    keyed(&mut c.by_flag, part.flag);
    keyed(&mut c.conflicts_by_field, part.field);
    c.id_reissue += part.id_reissue;
    // a person whose birth record was found is in scope, wherever the registry says it was; the
    // persons counted in parallel (the other core is idle here)
    let has_birth = crate::report::coverage::with_birth_record(d, rows);
    let (in_scope, not_in_drop) = has_birth
        .par_iter()
        .enumerate()
        .map(|(i, &found)| match coverage.scope_at(i) {
            classify::Scope::InScope => (1, 0),
            _ if found => (1, 0),
            classify::Scope::BookNotInDrop { .. } => (0, 1),
            classify::Scope::OtherProvince => (0, 0),
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    c.persons_in_scope += in_scope;
    c.persons_book_not_in_drop += not_in_drop;
    for k in FindingKind::ALL {
        c.by_finding.insert(k.code().to_string(), 0);
    }
    for f in findings {
        *c.by_finding.entry(f.kind.code().to_string()).or_default() += 1;
    }
    c
}

pub(super) fn write_outputs(
    p: &Prepared,
    cmp: &Comparer,
    rows: &[LinkRow],
    decided: &[&'static str],
    findings: &[FindingRec],
    summary: &Summary,
    opts: &Options,
    reports: &mut crate::report::Builder,
) -> Result<()> {
    crate::output::create_private_dir(&opts.out)?;
    let (civil, pop) = (p.civil_tables(), p.population_tables());
    let sources = crate::compare::Sources {
        data: cmp.data,
        civil: &civil,
        population: &pop,
    };
    crate::report::links::write_links(
        &opts.out.join("links.csv"),
        &sources,
        rows,
        decided,
        reports,
    )?;
    crate::report::links::write_findings(&opts.out.join("population_findings.csv"), findings)?;
    summary.model.save(&opts.out.join("model.json"))?;
    crate::output::write_bytes(
        &opts.out.join("rules.toml"),
        effective_rules(opts).as_bytes(),
    )
}

/// The rules in effect (the command line's baseline date included), as `rules.toml` beside the
/// outputs: `explain` and the review page read them so that they score as the run did.
pub(super) fn effective_rules(opts: &Options) -> String {
    let mut r = opts.rules.clone();
    r.baseline_date = opts.settings.baseline.to_string();
    format!(
        "# The rules in effect for this run (doisoat {}): every key, the command line included.\n{}",
        env!("CARGO_PKG_VERSION"),
        r.to_toml()
    )
}

pub(super) fn write_summary(summary: &Summary, out: &Path) -> Result<()> {
    let path = out.join("summary.json");
    let text = serde_json::to_string_pretty(summary).map_err(|e| Error::Output {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    crate::output::write_bytes(&path, text.as_bytes())
}

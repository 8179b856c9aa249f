//! `doisoat reconcile`: the main job.
use crate::pipeline::{self, Options};
use crate::settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reconcile`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Civil-status books: files or folders (CSV, XLSX, Parquet).
    #[arg(long, required = true, num_args = 1..)]
    civil: Vec<PathBuf>,
    /// The population-database extract (file or folder).
    #[arg(long, required = true)]
    population: PathBuf,
    /// Output folder.
    #[arg(long, required = true)]
    out: PathBuf,
    /// A rules file over the built-in defaults (rules/default.toml).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// A saved model.json to use instead of training.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The registry's baseline date (overrides the rules).
    #[arg(long)]
    baseline_date: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress on stderr.
    #[arg(long)]
    quiet: bool,
    /// Language of the reports.
    #[arg(long, value_enum, default_value = "vi")]
    lang: crate::vocab::Lang,
    /// Also write one work book per commune: worklists/<district>/<commune>.xlsx.
    #[arg(long)]
    per_commune: bool,
    /// A decisions store (SQLite) to apply: same_person and not_same_person pairs.
    #[arg(long)]
    decisions: Option<PathBuf>,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .ok();
    }
    let (mut rules, mut settings) = Settings::load(a.rules.as_deref())?;
    if let Some(b) = &a.baseline_date {
        rules.baseline_date = b.clone();
        settings = Settings::resolve(&rules)
            .map_err(|problems| anyhow::anyhow!("--baseline-date: {}", problems.join("; ")))?;
    }
    let opts = Options {
        civil: a.civil,
        population: a.population,
        out: a.out,
        rules,
        settings,
        rules_path: a.rules,
        model: a.model,
        quiet: a.quiet,
        lang: a.lang,
        per_commune: a.per_commune,
        decisions: a.decisions,
    };
    let run = pipeline::reconcile(&opts)?;
    if !opts.quiet {
        let c = &run.summary.counts;
        eprintln!(
            "[doisoat] {} subjects: {}",
            c.subjects,
            c.by_status
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        use crate::normalize::text::printable;
        if let Some(d) = &run.summary.decisions {
            eprintln!(
                "[doisoat] decisions: {} in the store, {} applied, {} not (listed in summary.json)",
                d.in_store,
                d.applied,
                d.not_applied.len()
            );
        }
        for w in &run.summary.warnings {
            eprintln!("[doisoat] warning: {}", printable(w));
        }
        for s in &run.summary.files.skipped {
            eprintln!(
                "[doisoat] skipped {}: {}",
                printable(&s.path),
                printable(&s.reason)
            );
        }
        if run.summary.files.bad_rows > 0 {
            eprintln!(
                "[doisoat] {} rows read with a problem (summary.json lists the first 50), e.g. {}",
                run.summary.files.bad_rows,
                run.summary
                    .files
                    .bad_row_examples
                    .first()
                    .map(|b| printable(&format!(
                        "{}:{}: {}",
                        b.source_file, b.source_row, b.problem
                    )))
                    .unwrap_or_default()
            );
        }
        eprintln!("[doisoat] outputs in {}", opts.out.display());
    }
    // the process ends here and the OS takes its memory back at once: freeing a province's
    // millions of small allocations one by one took a quarter of a second at 1.6 M persons
    std::mem::forget(run);
    Ok(ExitCode::SUCCESS)
}

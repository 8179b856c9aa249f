//! `doisoat demo`: the first command a newcomer runs — a small synthetic province made by the
//! binary itself, reconciled end to end, with the paths of what to open printed at the end.
use crate::pipeline::{self, Options};
use crate::synth::{self, config::NoiseConfig};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The file that marks a folder as made by `demo` (so that `demo` never replaces anything else).
const MARK: &str = ".doisoat-demo";

/// Arguments of `demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where the sample province and its run go (replaced when it is an earlier demo's).
    #[arg(long, default_value = "doisoat-demo")]
    out: PathBuf,
    /// Persons in the sample province.
    #[arg(long, default_value_t = 20_000)]
    persons: usize,
    /// Language of the reports.
    #[arg(long, value_enum, default_value = "vi")]
    lang: crate::vocab::Lang,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    prepare(&a.out)?;
    let data = a.out.join("data");
    let t = std::time::Instant::now();
    let stats = synth::generate(a.persons, 1, 42, &NoiseConfig::default(), &data)?;
    eprintln!(
        "[doisoat] demo: a synthetic Hà Tĩnh of {} persons, {} civil records in {} books ({:.1}s) → {}",
        stats.persons,
        stats.records,
        stats.files,
        t.elapsed().as_secs_f64(),
        data.display()
    );
    let run_dir = a.out.join("run");
    let opts = Options {
        lang: a.lang,
        per_commune: true,
        quiet: false,
        ..Options::new(
            vec![data.join("civil")],
            data.join("population.csv"),
            run_dir.clone(),
        )
    };
    let run = pipeline::reconcile(&opts)?;
    let c = &run.summary.counts;
    let at = |f: &str| std::path::absolute(run_dir.join(f)).unwrap_or_else(|_| run_dir.join(f));
    println!(
        "doisoat demo: {} civil subjects reconciled with {} registry persons.",
        c.subjects, stats.registry_persons
    );
    println!(
        "  report (open in a browser): {}",
        at("report.html").display()
    );
    println!(
        "  work book (Excel):          {}",
        at("report.xlsx").display()
    );
    println!(
        "  work lists per commune:     {}",
        at("worklists").display()
    );
    println!(
        "  every subject (CSV):        {}",
        at("links.csv").display()
    );
    println!(
        "  the data it came from:      {} (truth in truth/: `doisoat eval --truth {} --out {}`)",
        data.display(),
        data.join("truth").display(),
        run_dir.display()
    );
    println!(
        "  decide the cases to review: doisoat review {} --decisions {}",
        run_dir.display(),
        out_dir_of(&run_dir).join("decisions.sqlite").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Make `out` an empty demo folder: created, or emptied when an earlier demo made it; anything
/// else there is left alone and the command stops.
fn prepare(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        if !out.join(MARK).exists() {
            anyhow::bail!(
                "{} exists and was not made by `doisoat demo`: it is left as it is; give another folder with --out",
                out.display()
            );
        }
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out)?;
    std::fs::write(
        out.join(MARK),
        "made by `doisoat demo`; the next demo replaces this folder\n",
    )?;
    Ok(())
}

/// The demo's folder (the run's parent).
fn out_dir_of(run: &Path) -> PathBuf {
    run.parent()
        .map_or_else(|| run.to_path_buf(), Path::to_path_buf)
}

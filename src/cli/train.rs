//! `doisoat train`: EM on a data set's candidate pairs, with no built-in fallback, saved as a
//! model. `benches/retrain.sh` runs it on the synthetic province that makes the built-in model
//! (`rules/model.json`).
use crate::block::Blocker;
use crate::compare::Comparer;
use crate::pipeline::{self, Options};
use crate::score::{self, Fallback};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `train`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Civil-status books: files or folders.
    #[arg(long, required = true, num_args = 1..)]
    civil: Vec<PathBuf>,
    /// The population-database extract.
    #[arg(long, required = true)]
    population: PathBuf,
    /// Where to write the model (JSON).
    #[arg(long, required = true)]
    out: PathBuf,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut opts = Options::new(a.civil, a.population, a.out.clone());
    opts.quiet = false;
    let p = pipeline::prepare(&opts)?;
    let blocker = Blocker::new(&p.data, &opts.settings.blocking);
    let cmp = Comparer::new(&p.data, &p.places, &opts.settings.costs);
    let cands = pipeline::compare_all(&p.data, &blocker, &cmp);
    let model = score::train(
        &p.data,
        &cmp,
        &cands.training,
        &opts.settings,
        Fallback::None,
    )?;
    model.save(&a.out)?;
    eprintln!(
        "[doisoat] model trained on {} pairs ({} patterns, EM {} iterations{}) → {}",
        model.training.em_pairs,
        model.training.patterns,
        model.training.em_iterations,
        if model.training.em_converged {
            ""
        } else {
            ", not converged"
        },
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

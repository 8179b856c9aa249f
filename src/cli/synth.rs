//! `doisoat synth`: a synthetic province with known truth.
use crate::synth::{self, config::NoiseConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synth`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Persons in the population.
    #[arg(long)]
    persons: usize,
    /// Random seed (the same seed gives the same data).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The province (legacy 2-digit code), Hà Tĩnh by default.
    #[arg(long, default_value = "42")]
    province: String,
    /// Error rates (a copy of rules/synth.toml); built-in rates by default.
    #[arg(long)]
    noise: Option<PathBuf>,
    /// Output folder: population.csv, civil/, truth/.
    #[arg(long)]
    out: PathBuf,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let places = crate::places::Places::new();
    let province = super::normalize::parse_province(&places, &a.province)
        .ok_or_else(|| anyhow::anyhow!("unknown province {:?}", a.province))?;
    let cfg = match &a.noise {
        Some(p) => NoiseConfig::parse(&std::fs::read_to_string(p)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
        None => NoiseConfig::default(),
    };
    let t = std::time::Instant::now();
    let stats = synth::generate(a.persons, a.seed, province, &cfg, &a.out)?;
    eprintln!(
        "[doisoat] synth seed {}: {} persons ({} in the registry), {} civil records in {} files ({}) in {:.1}s → {}",
        stats.seed,
        stats.persons,
        stats.registry_persons,
        stats.records,
        stats.files,
        stats
            .by_type
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        t.elapsed().as_secs_f64(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

//! `doisoat eval`: score a reconcile run against the generator's truth.
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `eval`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The truth folder written by `synth` (DIR/truth).
    #[arg(long)]
    truth: PathBuf,
    /// The reconcile output folder to evaluate; eval.json is written into it.
    #[arg(long)]
    out: PathBuf,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let ev = crate::eval::evaluate(&a.truth, &a.out)?;
    print!("{}", crate::eval::table(&ev));
    let text = serde_json::to_string_pretty(&ev)?;
    crate::output::write_bytes(&a.out.join("eval.json"), text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

//! `doisoat report DIR`: re-write the reports of a finished run.
use crate::report::{self, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A reconcile output folder.
    dir: PathBuf,
    /// Language of the labels.
    #[arg(long, value_enum, default_value = "vi")]
    lang: Lang,
    /// Also write one work book per commune: worklists/<district>/<commune>.xlsx.
    #[arg(long)]
    per_commune: bool,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    report::write_reports(&a.dir, a.lang, a.per_commune)?;
    eprintln!(
        "[doisoat] report.xlsx and report.html written to {}",
        a.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

//! The command line: one file per command, this one parses and dispatches.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// doisoat — đối soát sổ hộ tịch với Cơ sở dữ liệu quốc gia về dân cư.
#[derive(Parser, Debug)]
#[command(name = "doisoat", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Normalize names, dates, IDs or places (one JSON object per value), or a whole table.
    Normalize(normalize::Args),
    /// Reconcile civil books with the population extract and write links, findings and reports.
    Reconcile(reconcile::Args),
    /// Generate a synthetic province with known truth.
    Synth(synth::Args),
    /// Evaluate a reconcile run against synthetic truth.
    Eval(eval::Args),
}

pub mod eval;
pub mod normalize;
pub mod reconcile;
pub mod synth;

/// Run the command line; errors are printed on stderr with a non-zero exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Normalize(a) => normalize::run(a),
        Command::Reconcile(a) => reconcile::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Eval(a) => eval::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("doisoat: {e:#}");
            ExitCode::from(2)
        }
    }
}

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
    /// Make a small synthetic province, reconcile it, and print where the report and work lists are.
    Demo(demo::Args),
    /// Normalize names, dates, IDs or places (one JSON object per value), or a whole table.
    Normalize(normalize::Args),
    /// Reconcile civil books with the population extract and write links, findings and reports.
    Reconcile(reconcile::Args),
    /// Generate a synthetic province with known truth.
    Synth(synth::Args),
    /// Evaluate a reconcile run against synthetic truth.
    Eval(eval::Args),
    /// Explain one civil record's match weight: every comparison's level and weight.
    Explain(explain::Args),
    /// Re-write report.xlsx and report.html of a finished run.
    Report(report::Args),
    /// Train a model on a data set with EM only (the built-in model: `bash benches/retrain.sh`).
    Train(train::Args),
    /// The decisions store: import decisions from a CSV or a filled-in work book, export them.
    Decisions(decisions::Args),
    /// A local review page: decide the run's cases one per screen, into the decisions store.
    Review(review::Args),
    /// Print the glossary: every status, flag, finding and field with its label and meaning.
    Glossary(glossary::Args),
}

pub mod decisions;
pub mod demo;
pub mod eval;
pub mod explain;
pub mod glossary;
pub mod normalize;
pub mod reconcile;
pub mod report;
pub mod review;
pub mod synth;
pub mod train;

/// Run the command line; errors are printed on stderr with a non-zero exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Decisions(a) => decisions::run(a),
        Command::Glossary(a) => glossary::run(a),
        Command::Normalize(a) => normalize::run(a),
        Command::Reconcile(a) => reconcile::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Report(a) => report::run(a),
        Command::Review(a) => review::run(a),
        Command::Train(a) => train::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // a file name or a cell in the message may carry terminal escape sequences
            let msg = format!("{e:#}");
            let lines: Vec<String> = msg.lines().map(crate::normalize::text::printable).collect();
            eprintln!("doisoat: {}", lines.join("\n"));
            ExitCode::from(2)
        }
    }
}

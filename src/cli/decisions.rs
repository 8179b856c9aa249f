//! `doisoat decisions import|export`: fill the decisions store from a CSV, or write it out with its
//! history.
use crate::decisions::{self, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `decisions`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Take decisions from a CSV (record_key, person_id, decision, by, note).
    Import {
        /// The CSV of decisions.
        file: PathBuf,
        /// The store (created when it does not exist).
        #[arg(long)]
        decisions: PathBuf,
    },
    /// Write every decision, with its history, to a CSV.
    Export {
        /// The store.
        #[arg(long)]
        decisions: PathBuf,
        /// The CSV to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    use crate::normalize::text::printable;
    match a.action {
        Action::Import { file, decisions } => {
            crate::output::check_not_input(&decisions, &[file.as_path()])?;
            let decisions::Imported { took, refused } =
                decisions::read_csv(&file, &decisions::now())?;
            let mut store = Store::open(&decisions)?;
            store.add(&took)?;
            eprintln!(
                "[doisoat] {} decisions taken into {}, {} rows refused",
                took.len(),
                decisions.display(),
                refused.len()
            );
            for (row, why) in &refused {
                eprintln!(
                    "[doisoat] {}:{row}: {}",
                    printable(&file.display().to_string()),
                    printable(why)
                );
            }
        }
        Action::Export { decisions, out } => {
            if !decisions.exists() {
                anyhow::bail!("{}: no such decisions store", decisions.display());
            }
            crate::output::check_not_input(&out, &[decisions.as_path()])?;
            let all = Store::open(&decisions)?.all()?;
            decisions::write_csv(&out, &all)?;
            eprintln!(
                "[doisoat] {} decisions written to {}",
                all.len(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

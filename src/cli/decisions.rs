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
    /// Take decisions from a CSV (record_key, person_id, decision, by, note) or from a work book
    /// filled in (the `Quyết định` column of report.xlsx's work lists, keyed by record_key).
    Import {
        /// The CSV of decisions, or the filled-in report.xlsx.
        file: PathBuf,
        /// The store (created when it does not exist).
        #[arg(long)]
        decisions: PathBuf,
        /// Who decided, for a work book (a CSV says it in its `by` column); default: the user.
        #[arg(long)]
        by: Option<String>,
    },
    /// Write every decision, with its history, to a CSV or (`.xlsx`) a work book.
    Export {
        /// The store.
        #[arg(long)]
        decisions: PathBuf,
        /// The file to write: `.csv` or `.xlsx`.
        #[arg(long)]
        out: PathBuf,
        /// Language of the work book's labels.
        #[arg(long, value_enum, default_value = "vi")]
        lang: crate::vocab::Lang,
    },
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    use crate::normalize::text::printable;
    match a.action {
        Action::Import {
            file,
            decisions,
            by,
        } => {
            crate::output::check_not_input(&decisions, &[file.as_path()])?;
            let decisions::Imported { took, refused } = if is_workbook(&file) {
                let by = by.unwrap_or_else(user);
                decisions::workbook::read_xlsx(&file, &by, &decisions::now())?
            } else {
                decisions::read_csv(&file, &decisions::now())?
            };
            let mut store = Store::open(&decisions)?;
            store.add(&took)?;
            eprintln!(
                "[doisoat] {} decisions taken into {}, {} rows refused",
                took.len(),
                decisions.display(),
                refused.len()
            );
            for (at, why) in &refused {
                eprintln!(
                    "[doisoat] {} {}: {}",
                    printable(&file.display().to_string()),
                    printable(at),
                    printable(why)
                );
            }
        }
        Action::Export {
            decisions,
            out,
            lang,
        } => {
            if !decisions.exists() {
                anyhow::bail!("{}: no such decisions store", decisions.display());
            }
            crate::output::check_not_input(&out, &[decisions.as_path()])?;
            let all = Store::open(&decisions)?.all()?;
            if is_workbook(&out) {
                decisions::workbook::write_xlsx(&out, &all, lang)?;
            } else {
                decisions::write_csv(&out, &all)?;
            }
            eprintln!(
                "[doisoat] {} decisions written to {}",
                all.len(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A work book by its name (`.xlsx`, `.xlsm`).
fn is_workbook(p: &std::path::Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// Who runs the command, for the `by` of a work book's decisions.
pub fn user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "report.xlsx".to_string())
}

//! `doisoat glossary`: every status, flag, finding and field with its label and meaning, as the
//! Markdown table of the README.
use crate::report::glossary;
use std::process::ExitCode;

/// Arguments of `glossary`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Language of the labels.
    #[arg(long, value_enum, default_value = "vi")]
    lang: crate::vocab::Lang,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    print!("{}", glossary::markdown(a.lang));
    Ok(ExitCode::SUCCESS)
}

//! `doisoat review RUN_DIR --decisions DB`: the local review page (127.0.0.1 only, with a
//! random token), one case per screen, each decision written to the store at once.
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `review`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A reconcile output folder.
    dir: PathBuf,
    /// The decisions store (created when it does not exist).
    #[arg(long)]
    decisions: PathBuf,
    /// The port on 127.0.0.1 (default: any free one; the address is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Do not open the browser; only print the address.
    #[arg(long)]
    no_open: bool,
    /// Language of the page.
    #[arg(long, value_enum, default_value = "vi")]
    lang: crate::vocab::Lang,
    /// Who decides (kept with every decision); default: the user.
    #[arg(long)]
    by: Option<String>,
}

/// Run the command (until it is stopped).
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    crate::output::check_not_input(&a.decisions, &[a.dir.as_path()])?;
    crate::review::serve(crate::review::Options {
        dir: a.dir,
        decisions: a.decisions,
        port: a.port,
        open: !a.no_open,
        lang: a.lang,
        by: a.by.unwrap_or_else(super::decisions::user),
    })?;
    Ok(ExitCode::SUCCESS)
}

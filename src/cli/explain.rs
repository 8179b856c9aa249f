//! `doisoat explain DIR FILE:ROW`: one subject's normalized values on both sides, each comparison's
//! level and weight adding up to the weight the run used, for the best candidates, and why the
//! run decided as it did.
use crate::compare::{COMPARISONS, NULL};
use crate::explain::{Explanation, LoadedRun, VALUE_NAMES};
use crate::score::probability;
use crate::vocab::Lang;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `explain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A reconcile output folder (it holds summary.json, model.json and rules.toml).
    dir: PathBuf,
    /// The civil record: its source_file and source_row as in links.csv (`path/to/book.csv:12`).
    record: String,
    /// Language of the explanation.
    #[arg(long, value_enum, default_value = "en")]
    lang: Lang,
}

fn line(out: &mut String, a: &str, b: &str, m: &str, u: &str, w: f64) {
    let _ = writeln!(out, "  {a:<26} {b:<22} {m:>9} {u:>9} {w:>8.2}");
}

/// The text of one explanation.
pub fn render(e: &Explanation, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {} candidate(s)", e.title, e.candidates.len());
    for d in &e.decision {
        let _ = writeln!(out, "  {d}");
    }
    for (k, c) in e.candidates.iter().take(2).enumerate() {
        let w = c.scored.weight;
        let _ = writeln!(
            out,
            "\n{} person {}: match weight {w:.2}, probability {:.4}",
            if k == 0 { "best" } else { "runner-up" },
            c.person_id,
            probability(w)
        );
        let _ = writeln!(out, "  {:<20} {:<40} registry", "field", "civil record");
        for ((name, civ), reg) in VALUE_NAMES.iter().zip(&e.values).zip(&c.values) {
            let _ = writeln!(out, "  {name:<20} {civ:<40} {reg}");
        }
        let _ = writeln!(
            out,
            "  {:<26} {:<22} {:>9} {:>9} {:>8}",
            "comparison", "level", "m", "u", "weight"
        );
        let b = &c.breakdown;
        line(&mut out, "prior (λ)", "", "", "", b.prior);
        for p in &b.parts {
            let cmp = &COMPARISONS[p.comparison];
            if p.level == NULL {
                line(&mut out, cmp.name, "(no value)", "", "", 0.0);
                continue;
            }
            let lvl = cmp.levels[p.level as usize].code;
            let (m, u) = (format!("{:.5}", p.m), format!("{:.5}", p.u));
            line(&mut out, cmp.name, lvl, &m, &u, p.weight);
        }
        line(&mut out, "tf: family name", "", "", "", b.tf_family);
        line(&mut out, "tf: given name", "", "", "", b.tf_given);
        if b.subject_bits != 0.0 {
            let why = lang.pick("chết trước mốc CSDL", "died before the baseline");
            line(&mut out, why, "", "", "", b.subject_bits);
        }
        line(&mut out, "total", "", "", "", b.total);
    }
    out.push('\n');
    out
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let run = LoadedRun::load(&a.dir)?;
    let mut out = String::new();
    for si in run.find(&a.record)? {
        out.push_str(&render(&run.explain(si, a.lang), a.lang));
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

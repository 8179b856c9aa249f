//! `doisoat explain DIR FILE:ROW`: one subject's normalized values on both sides and each
//! comparison's level and weight, adding up to the final weight (Splink's waterfall), for the
//! chosen person and the runner-up.
use crate::compare::{Comparer, NULL, SPECS};
use crate::normalize::catalog::CATALOG;
use crate::pipeline::{self, Options};
use crate::rules::Rules;
use crate::score::{Model, TermFrequencies, probability};
use crate::subjects::intern::NONE;
use crate::subjects::{Dataset, PersonRec, Subject};
use anyhow::Context;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `explain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A reconcile output folder (it holds summary.json and model.json).
    dir: PathBuf,
    /// The civil record: its source_file and source_row as in links.csv (`path/to/book.csv:12`).
    record: String,
}

fn place(data: &Dataset, places: &crate::places::Places, id: u32) -> String {
    if id == NONE {
        return String::new();
    }
    let p = &data.places[id as usize];
    let g = places.gazetteer();
    match (p.commune, p.district, p.province) {
        (Some(c), ..) => g.commune_label(c),
        (None, Some(d), _) => format!("{} {}", g.districts[&d].kind, g.districts[&d].name),
        (None, None, Some(pr)) => format!("{} {}", g.provinces[&pr].kind, g.provinces[&pr].name),
        _ => "(unresolved)".to_string(),
    }
}

fn values_subject(
    data: &Dataset,
    places: &crate::places::Places,
    s: &Subject,
) -> Vec<(&'static str, String)> {
    vec![
        ("name", data.names.display(s.name)),
        ("dob", s.dob.map(|d| d.to_string()).unwrap_or_default()),
        (
            "sex",
            s.sex.map(|x| x.label().to_string()).unwrap_or_default(),
        ),
        ("birth_place", place(data, places, s.birth_place)),
        ("registration_place", place(data, places, s.reg_place)),
        ("residence", place(data, places, s.residence)),
        (
            "ethnicity",
            s.ethnicity
                .map(|e| CATALOG.ethnic_groups[e as usize].name.clone())
                .unwrap_or_default(),
        ),
        ("father", data.names.display(s.father)),
        ("mother", data.names.display(s.mother)),
        ("spouse", data.names.display(s.spouse)),
        (
            "id",
            s.id.map(|i| i.digits())
                .or(s.cmnd.map(|c| format!("{c:09}")))
                .unwrap_or_default(),
        ),
    ]
}

fn values_person(data: &Dataset, places: &crate::places::Places, p: &PersonRec) -> Vec<String> {
    vec![
        data.names.display(p.name),
        p.dob.map(|d| d.to_string()).unwrap_or_default(),
        p.sex.map(|x| x.label().to_string()).unwrap_or_default(),
        place(data, places, p.birth_place),
        place(data, places, p.reg_place),
        place(data, places, p.residence),
        p.ethnicity
            .map(|e| CATALOG.ethnic_groups[e as usize].name.clone())
            .unwrap_or_default(),
        data.names.display(p.father),
        data.names.display(p.mother),
        data.names.display(p.spouse),
        p.id.map(|i| i.digits()).unwrap_or_default(),
    ]
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let (file, row) = a
        .record
        .rsplit_once(':')
        .context("give the record as FILE:ROW, e.g. thach_ha/KS_2001.csv:12")?;
    let row: u32 = row.parse().context("the row after ':' must be a number")?;
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(a.dir.join("summary.json"))
            .with_context(|| format!("{} is not a reconcile output folder", a.dir.display()))?,
    )?;
    let model = Model::load(&a.dir.join("model.json"))?;
    let inputs = &summary["inputs"];
    let rules = match inputs["rules"].as_str() {
        Some(p) => Rules::load(std::path::Path::new(p))?,
        None => Rules::default(),
    };
    let opts = Options {
        civil: inputs["civil"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|x| x.as_str().map(PathBuf::from))
                    .collect()
            })
            .unwrap_or_default(),
        population: PathBuf::from(inputs["population"].as_str().unwrap_or_default()),
        out: a.dir.clone(),
        rules,
        rules_path: None,
        model: None,
        quiet: true,
        lang: crate::report::Lang::Vi,
    };
    let (civil, _pop, data, places, _) = pipeline::prepare(&opts, true)?;
    let _ = civil;
    let idx: Vec<usize> = data
        .subjects
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            data.civil_files[s.table as usize].source_file == file && s.source_row == row
        })
        .map(|(i, _)| i)
        .collect();
    if idx.is_empty() {
        anyhow::bail!("no civil record {file}:{row} in this run's inputs");
    }
    let blocker = crate::block::Blocker::new(&data, &opts.rules.blocking);
    let cmp = Comparer::new(&data, &places, &opts.rules.costs);
    let tf = TermFrequencies::new(&data);
    let priors = crate::score::Priors::from_rules(&opts.rules);
    let mut out = String::new();
    for i in idx {
        let s = &data.subjects[i];
        let prior = priors.bits(s);
        let mut stats = blocker.new_stats();
        let mut cands: Vec<(u32, f64, crate::compare::Gamma, (f64, f64))> = blocker
            .candidates(s, &data, &mut stats)
            .into_iter()
            .map(|(p, _)| {
                let g = cmp.gamma(s, &data.persons[p as usize]);
                let t = tf.adjustment(&model, &g, &data.persons[p as usize], &data);
                (p, model.weight(&g) + t.0 + t.1 + prior, g, t)
            })
            .collect();
        cands.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let _ = writeln!(
            out,
            "{file}:{row} {} ({})  {} candidate(s)",
            s.record_type.code(),
            s.role.code(),
            cands.len()
        );
        let sv = values_subject(&data, &places, s);
        for (k, (pi, w, g, t)) in cands.iter().take(2).enumerate() {
            let p = &data.persons[*pi as usize];
            let _ = writeln!(
                out,
                "\n{} person {}: match weight {:.2}, probability {:.4}",
                if k == 0 { "best" } else { "runner-up" },
                p.person_id,
                w,
                probability(*w)
            );
            let pv = values_person(&data, &places, p);
            let _ = writeln!(out, "  {:<20} {:<40} registry", "field", "civil record");
            for ((name, civ), reg) in sv.iter().zip(pv.iter()) {
                let _ = writeln!(out, "  {:<20} {:<40} {}", name, civ, reg);
            }
            let _ = writeln!(
                out,
                "  {:<26} {:<20} {:>9} {:>9} {:>8}",
                "comparison", "level", "m", "u", "weight"
            );
            let _ = writeln!(
                out,
                "  {:<26} {:<20} {:>9} {:>9} {:>8.2}",
                "prior (λ)",
                format!("{:.3e}", model.lambda),
                "",
                "",
                model.prior_weight()
            );
            for (ci, &l) in g.iter().enumerate() {
                let spec = &SPECS[ci];
                if l == NULL {
                    let _ = writeln!(
                        out,
                        "  {:<26} {:<20} {:>9} {:>9} {:>8.2}",
                        spec.name, "(no value)", "", "", 0.0
                    );
                    continue;
                }
                let c = &model.comparisons[ci];
                let _ = writeln!(
                    out,
                    "  {:<26} {:<20} {:>9.5} {:>9.5} {:>8.2}",
                    spec.name,
                    spec.levels[l as usize],
                    c.m[l as usize],
                    c.u[l as usize],
                    model.level_weight(ci, l)
                );
            }
            let _ = writeln!(
                out,
                "  {:<26} {:<20} {:>9} {:>9} {:>8.2}",
                "tf: family name", "", "", "", t.0
            );
            let _ = writeln!(
                out,
                "  {:<26} {:<20} {:>9} {:>9} {:>8.2}",
                "tf: given name", "", "", "", t.1
            );
            if prior != 0.0 {
                let _ = writeln!(
                    out,
                    "  {:<26} {:<20} {:>9} {:>9} {:>8.2}",
                    "died before the baseline", "", "", "", prior
                );
            }
            let _ = writeln!(
                out,
                "  {:<26} {:<20} {:>9} {:>9} {:>8.2}",
                "total", "", "", "", w
            );
        }
        out.push('\n');
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

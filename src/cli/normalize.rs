//! `doisoat normalize name|date|id VALUE…`: one JSON object per value.
use crate::encoding::{self, Encoding};
use crate::normalize::names_data::NameLexicon;
use crate::normalize::{normalize_name, parse_date, parse_id};
use clap::ValueEnum;
use serde_json::{Value, json};
use std::process::ExitCode;

/// Arguments of `normalize`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What the values are.
    kind: Option<Kind>,
    /// The values to normalize.
    values: Vec<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Kind {
    Name,
    Date,
    Id,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(kind) = args.kind else {
        anyhow::bail!("say what to normalize: name, date or id");
    };
    for v in &args.values {
        let obj = match kind {
            Kind::Name => name_json(v),
            Kind::Date => date_json(v),
            Kind::Id => id_json(v),
        };
        println!("{obj}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON object for one name.
pub fn name_json(v: &str) -> Value {
    let det = encoding::detect(&[v], &NameLexicon);
    let rep = encoding::repair(v, &det, &NameLexicon);
    let n = normalize_name(&rep.text);
    let enc = rep.decoded.unwrap_or_else(|| {
        if crate::normalize::text::nfc(v) != v { Encoding::Unicode } else { Encoding::Unicode }
    });
    json!({
        "input": v,
        "canonical": n.canonical(),
        "family": n.family().iter().map(|s| crate::normalize::text::capitalize(s)).collect::<Vec<_>>().join(" "),
        "middle": n.middle().iter().map(|s| crate::normalize::text::capitalize(s)).collect::<Vec<_>>().join(" "),
        "given": n.given().iter().map(|s| crate::normalize::text::capitalize(s)).collect::<Vec<_>>().join(" "),
        "folded": n.folded(),
        "encoding": enc.as_str(),
    })
}

/// The JSON object for one date.
pub fn date_json(v: &str) -> Value {
    let d = parse_date(v);
    json!({
        "input": v,
        "value": d.date.map(|x| x.to_string()),
        "precision": d.date.map(|x| x.precision()),
        "valid": d.is_valid(),
        "issue": d.issue.map(|i| i.code()),
        "suggestion": d.suggestion.map(|x| x.to_string()),
    })
}

/// The JSON object for one ID.
pub fn id_json(v: &str) -> Value {
    let p = parse_id(v);
    json!({
        "input": v,
        "valid": p.id.is_some(),
        "province_code": p.id.map(|i| format!("{:03}", i.province_code())),
        "sex": p.id.map(|i| i.sex().code()),
        "birth_year": p.id.map(|i| i.birth_year()),
        "cmnd": p.cmnd,
        "issue": p.issue.map(|i| i.code()),
    })
}

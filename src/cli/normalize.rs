//! `doisoat normalize name|date|id|place VALUE…` (one JSON object per value, one per line) and
//! `doisoat normalize --input FILE --out FILE` (a whole table cleaned, the input untouched).
use crate::encoding::{self, Encoding};
use crate::ingest::lexicon::NameLexicon;
use crate::ingest::{self, Expect};
use crate::normalize::catalog::{CATALOG, Lookup};
use crate::normalize::text::capitalize;
use crate::normalize::text::{escape_cell, printable};
use crate::normalize::{normalize_name, parse_date, parse_id};
use crate::places::{Context, Places};
use anyhow::Context as _;
use clap::ValueEnum;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `normalize`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What the values are.
    kind: Option<Kind>,
    /// The values to normalize.
    values: Vec<String>,
    /// The job's province (legacy 2-digit code or name), used to resolve places.
    #[arg(long)]
    province: Option<String>,
    /// Clean a whole table (CSV, XLSX, Parquet) instead of values.
    #[arg(long, requires = "out")]
    input: Option<PathBuf>,
    /// Where to write the cleaned table (CSV, UTF-8).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Kind {
    Name,
    Date,
    Id,
    Place,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let places = Places::new();
    let province = match &args.province {
        Some(p) => {
            Some(parse_province(&places, p).with_context(|| format!("unknown province {p:?}"))?)
        }
        None => None,
    };
    if let (Some(input), Some(out)) = (&args.input, &args.out) {
        return table(input, out, &places, province);
    }
    let Some(kind) = args.kind else {
        anyhow::bail!(
            "say what to normalize (name, date, id or place) followed by values, or use --input FILE --out FILE"
        );
    };
    for v in &args.values {
        let obj = match kind {
            Kind::Name => name_json(v),
            Kind::Date => date_json(v),
            Kind::Id => id_json(v),
            Kind::Place => place_json(&places, v, province),
        };
        println!("{obj}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A legacy province from a code ("42", "042") or a name ("Hà Tĩnh").
pub fn parse_province(places: &Places, s: &str) -> Option<u8> {
    let g = places.gazetteer();
    if let Ok(n) = s.trim().parse::<u16>() {
        return u8::try_from(n).ok().filter(|c| g.provinces.contains_key(c));
    }
    let k = crate::places::data::key(s);
    let k = k.trim_start_matches("tinh").trim_start_matches("thanhpho");
    g.provinces
        .values()
        .find(|p| crate::places::data::key(&p.name) == k)
        .map(|p| p.code)
}

fn join_cap(parts: &[String]) -> String {
    parts
        .iter()
        .map(|s| capitalize(s))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The JSON object for one name.
pub fn name_json(v: &str) -> Value {
    let det = encoding::detect(&[v], &NameLexicon);
    let rep = encoding::repair(v, &det, &NameLexicon);
    let n = normalize_name(&rep.text);
    let enc = rep.decoded.unwrap_or(Encoding::Unicode);
    json!({
        "input": v,
        "canonical": n.canonical(),
        "family": join_cap(n.family()),
        "middle": join_cap(n.middle()),
        "given": join_cap(n.given()),
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

/// The JSON object for one place.
pub fn place_json(places: &Places, v: &str, province: Option<u8>) -> Value {
    let det = encoding::detect(&[v], &encoding::NoLexicon);
    let text = encoding::repair(v, &det, &encoding::NoLexicon).text;
    let r = places.resolve(
        &text,
        Context {
            province,
            ..Context::default()
        },
    );
    let g = places.gazetteer();
    json!({
        "input": v,
        "resolved": r.is_resolved(),
        "province_code": r.province.map(|p| format!("{p:02}")),
        "district_code": r.district.map(|d| format!("{d:03}")),
        "commune_code": r.commune.map(|c| format!("{c:05}")),
        "province_code_2025": r.province_2025.map(|p| format!("{p:02}")),
        "commune_codes_2025": r.communes_2025.iter().map(|c| format!("{c:05}")).collect::<Vec<_>>(),
        "candidates": r.candidates.iter().map(|c| format!("{c:05}")).collect::<Vec<_>>(),
        "confidence": ((r.confidence as f64) * 100.0).round() / 100.0,
        "label": r.commune.map(|c| g.commune_label(c)),
        "label_2025": r.communes_2025.first().map(|c| g.commune_2025_label(*c)),
        "issue": r.issue.map(|i| i.code()),
    })
}

/// What a column is normalized as.
#[derive(Clone, Copy, PartialEq)]
enum ColKind {
    Name,
    Date,
    Id,
    Place,
    Sex,
    Ethnicity,
    Nationality,
}

fn col_kind(canonical: &str) -> Option<ColKind> {
    let c = canonical;
    if crate::ingest::schema::is_name_column(c) && c != "nguoiKy" {
        Some(ColKind::Name)
    } else if c.contains("NgaySinh") && !c.contains("BangChu")
        || c.ends_with("NgayChet")
        || c == "ngayDangKy"
        || c == "ngay_sinh"
        || c == "ngay_chet"
    {
        Some(ColKind::Date)
    } else if c.ends_with("SoGiayToTuyThan") || c == "so_dinh_danh" || c == "so_cmnd" {
        Some(ColKind::Id)
    } else if c.ends_with("NoiSinh")
        || c.ends_with("QueQuan")
        || c == "noiDangKy"
        || c.starts_with("noi_")
        || c == "que_quan"
        || c.ends_with("NoiCuTru")
    {
        Some(ColKind::Place)
    } else if c.ends_with("GioiTinh") || c == "gioi_tinh" {
        Some(ColKind::Sex)
    } else if c.ends_with("DanToc") || c == "dan_toc" {
        Some(ColKind::Ethnicity)
    } else if c.ends_with("QuocTich") || c == "quoc_tich" {
        Some(ColKind::Nationality)
    } else {
        None
    }
}

fn table(
    input: &std::path::Path,
    out: &std::path::Path,
    places: &Places,
    province: Option<u8>,
) -> anyhow::Result<ExitCode> {
    crate::output::check_not_input(out, &[input])?;
    let ing = ingest::read_inputs(&[input.to_path_buf()], Expect::Any, &HashMap::new())?;
    for s in &ing.skipped {
        eprintln!("skipped {}: {}", s.path, s.reason);
    }
    for b in &ing.bad_rows {
        eprintln!(
            "{}:{}: {}",
            printable(&b.source_file),
            b.source_row,
            printable(&b.problem)
        );
    }
    if ing.tables.is_empty() {
        anyhow::bail!("no table could be read from {}", input.display());
    }
    let mut rows_written = 0usize;
    crate::output::write_atomic(out, |w| {
        let mut csv = csv::Writer::from_writer(w);
        for (ti, t) in ing.tables.iter().enumerate() {
            let kinds: Vec<Option<ColKind>> = t
                .columns
                .iter()
                .map(|c| c.canonical.as_deref().and_then(col_kind))
                .collect();
            if ti == 0 {
                let mut header = vec!["source_file".to_string(), "source_row".to_string()];
                for (c, k) in t.columns.iter().zip(&kinds) {
                    header.push(c.header.clone());
                    if k.is_some() {
                        header.push(format!(
                            "{}_normalized",
                            c.canonical.as_deref().unwrap_or(&c.header)
                        ));
                    }
                }
                header.push("legacy_encoding".to_string());
                header.push("issues".to_string());
                csv.write_record(&header)?;
            }
            for r in 0..t.len() {
                let mut rec = vec![t.source_file.clone(), t.source_rows[r].to_string()];
                let mut issues = Vec::new();
                for (j, k) in kinds.iter().enumerate() {
                    let v = t.data[j].get(r);
                    rec.push(v.to_string());
                    let Some(k) = k else { continue };
                    let col = t.columns[j].canonical.as_deref().unwrap_or("");
                    let (norm, issue) = normalize_cell(*k, v, places, province);
                    if let Some(i) = issue {
                        issues.push(format!("{col}:{i}"));
                    }
                    rec.push(norm);
                }
                rec.push(
                    t.decoded_in_row(r)
                        .iter()
                        .map(|e| e.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                );
                rec.push(issues.join(";"));
                // opened in a spreadsheet, a formula-like cell stays text
                csv.write_record(rec.iter().map(|c| escape_cell(c).into_owned()))?;
                rows_written += 1;
            }
        }
        csv.flush()
    })?;
    eprintln!("{} rows written to {}", rows_written, out.display());
    Ok(ExitCode::SUCCESS)
}

fn normalize_cell(
    k: ColKind,
    v: &str,
    places: &Places,
    province: Option<u8>,
) -> (String, Option<String>) {
    if v.trim().is_empty() {
        return (String::new(), None);
    }
    match k {
        ColKind::Name => (normalize_name(v).canonical(), None),
        ColKind::Date => {
            let d = parse_date(v);
            (
                d.date.map(|x| x.to_string()).unwrap_or_default(),
                d.issue.map(|i| i.code().to_string()),
            )
        }
        ColKind::Id => {
            let p = parse_id(v);
            (
                p.id.map(|i| i.digits()).or(p.cmnd).unwrap_or_default(),
                p.issue
                    .filter(|i| *i != crate::normalize::id::IdIssue::Cmnd)
                    .map(|i| i.code().to_string()),
            )
        }
        ColKind::Place => {
            let r = places.resolve(
                v,
                Context {
                    province,
                    ..Context::default()
                },
            );
            let g = places.gazetteer();
            let label = match (r.commune, r.district, r.province) {
                (Some(c), ..) => g.commune_label(c),
                (None, Some(d), _) => format!("{} {}", g.districts[&d].kind, g.districts[&d].name),
                (None, None, Some(p)) => {
                    format!("{} {}", g.provinces[&p].kind, g.provinces[&p].name)
                }
                _ => String::new(),
            };
            (label, r.issue.map(|i| i.code().to_string()))
        }
        ColKind::Sex => match CATALOG.sex(v) {
            Lookup::Found(Some(s)) => (s.label().to_string(), None),
            Lookup::Found(None) => (String::new(), None),
            _ => (v.to_string(), Some("unknown_sex".to_string())),
        },
        ColKind::Ethnicity => match CATALOG.ethnicity(v) {
            Lookup::Found(i) => (CATALOG.ethnic_groups[i].name.clone(), None),
            _ => (v.to_string(), Some("unknown_ethnicity".to_string())),
        },
        ColKind::Nationality => match CATALOG.nationality(v) {
            Lookup::Found(i) => (CATALOG.nationalities[i].name.clone(), None),
            _ => (v.to_string(), Some("unknown_nationality".to_string())),
        },
    }
}

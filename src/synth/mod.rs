//! Synthetic data with known truth: a province's people, their civil books with every error type
//! of the domain at documented rates (`rules/synth.toml`), the registry extract, and the truth.
pub mod books;
pub mod config;
mod events;
pub mod noise;
pub mod placetext;
pub mod population;
pub mod registry;
pub mod shelve;
pub mod survival;
mod truth;
pub mod typing;

use crate::encoding::{self, Encoding};
use crate::error::{Error, Result};
use crate::ingest::schema::civil_columns;
use crate::normalize::PartialDate;
use crate::places::GAZETTEER;
use config::NoiseConfig;
use population::Generator;
use rand::SeedableRng;
use rand_pcg::Pcg64;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// What the generator made, in numbers.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SynthStats {
    /// persons generated
    pub persons: usize,
    /// persons in the registry extract
    pub registry_persons: usize,
    /// civil records
    pub records: usize,
    /// records by type
    pub by_type: BTreeMap<String, usize>,
    /// civil files
    pub files: usize,
    /// seed
    pub seed: u64,
}

/// Generate a data set into `out`: `population.csv`, `civil/`, `truth/`.
pub fn generate(
    persons: usize,
    seed: u64,
    province: u8,
    cfg: &NoiseConfig,
    out: &Path,
) -> Result<SynthStats> {
    let g = &*GAZETTEER;
    let mut communes: Vec<u32> = g
        .communes
        .values()
        .filter(|c| c.province == province)
        .map(|c| c.code)
        .collect();
    communes.sort_unstable();
    if communes.is_empty() {
        return Err(Error::Invalid(format!(
            "province {province:02} has no communes in the gazetteer"
        )));
    }
    let mut elsewhere: Vec<(u32, u8)> = g
        .communes
        .values()
        .filter(|c| c.province != province)
        .map(|c| (c.code, c.province))
        .collect();
    elsewhere.sort_unstable();
    // people born elsewhere mostly come from the neighbouring provinces (Nghệ An for Hà Tĩnh)
    let near: Vec<(u32, u8)> = elsewhere
        .iter()
        .copied()
        .filter(|(_, p)| p.abs_diff(province) <= 6)
        .collect();
    let mut pool = near.clone();
    pool.extend(elsewhere.iter().step_by(7).copied());
    let baseline = crate::normalize::parse_date(&cfg.shape.baseline_date)
        .date
        .unwrap_or(PartialDate::ymd(2021, 7, 1));
    let generator = Generator {
        communes: &communes,
        elsewhere: &pool,
        province,
        inlaw_elsewhere: (cfg.shape.born_elsewhere * 3.0).min(0.9),
    };
    let people = generator.generate(persons, seed);
    let mut rng = Pcg64::seed_from_u64(seed ^ 0xB00C);
    let generated = events::records(&people, cfg, &communes, seed, &mut rng);
    let mut recs = generated.recs;
    let book_list = shelve::books(&mut recs, cfg, &mut rng);
    let sides = registry::sides(&people, &recs, cfg, baseline, (&communes, &pool), &mut rng);
    std::fs::create_dir_all(out.join("civil")).map_err(|e| Error::io(out, e))?;
    std::fs::create_dir_all(out.join("truth")).map_err(|e| Error::io(out, e))?;
    let reg_count = registry::write_population(out, &people, &sides, &communes, cfg, &mut rng)?;
    write_books(out, &recs, &book_list)?;
    truth::write(
        out,
        &people,
        &recs,
        &book_list,
        &sides,
        &generated.ks_lost,
        baseline,
    )?;
    let mut by_type = BTreeMap::new();
    for r in &recs {
        *by_type.entry(r.rt.code().to_string()).or_insert(0usize) += 1;
    }
    let stats = SynthStats {
        persons: people.iter().filter(|p| p.exists).count(),
        registry_persons: reg_count,
        records: recs.len(),
        by_type,
        files: book_list.len(),
        seed,
    };
    let text = serde_json::to_string_pretty(&stats).unwrap_or_default();
    crate::output::write_bytes(&out.join("truth").join("stats.json"), text.as_bytes())?;
    Ok(stats)
}

fn to_legacy_bytes(text: &str, enc: Encoding) -> Vec<u8> {
    encoding::encode(text, enc)
        .chars()
        .map(|c| encoding::char_to_byte(c).unwrap_or(b'?'))
        .collect()
}

fn write_books(out: &Path, recs: &[books::Rec], list: &[shelve::Book]) -> Result<()> {
    let civil = out.join("civil");
    list.par_iter().try_for_each(|b| -> Result<()> {
        let r0 = &recs[b.records[0]];
        let cols = civil_columns(r0.rt);
        let path = civil.join(&b.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut grid: Vec<Vec<String>> = Vec::new();
        if b.title {
            grid.push(vec![shelve::title(r0.rt, r0.commune, &b.quyen)]);
            grid.push(vec![]);
        }
        grid.push(cols.clone());
        for &ri in &b.records {
            let r = &recs[ri];
            grid.push(
                cols.iter()
                    .map(|c| r.cells.get(c.as_str()).cloned().unwrap_or_default())
                    .collect(),
            );
        }
        if b.xlsx {
            let mut wb = rust_xlsxwriter::Workbook::new();
            // a fixed creation time: the same seed gives the same bytes
            if let Ok(t) = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 10, 31) {
                wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&t));
            }
            let ws = wb.add_worksheet();
            for (i, row) in grid.iter().enumerate() {
                for (j, v) in row.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(i as u32, j as u16, v)
                            .map_err(|e| Error::Output {
                                path: path.clone(),
                                reason: e.to_string(),
                            })?;
                    }
                }
            }
            wb.save(&path).map_err(|e| Error::Output {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            return Ok(());
        }
        let mut buf = Vec::new();
        {
            // half the books were saved by Excel on Windows: CRLF line ends (chosen by the path,
            // so that the generator's random stream stays as it was)
            let crlf = crate::hash::hash_str(&b.path).is_multiple_of(2);
            let mut csv = csv::WriterBuilder::new()
                .flexible(true)
                .terminator(if crlf {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                })
                .from_writer(&mut buf);
            for row in &grid {
                if row.is_empty() {
                    csv.write_record([""]).map_err(|e| Error::Output {
                        path: path.clone(),
                        reason: e.to_string(),
                    })?;
                } else {
                    csv.write_record(row).map_err(|e| Error::Output {
                        path: path.clone(),
                        reason: e.to_string(),
                    })?;
                }
            }
            csv.flush().map_err(|e| Error::io(&path, e))?;
        }
        let bytes = match b.legacy {
            Some(enc) => to_legacy_bytes(&String::from_utf8_lossy(&buf), enc),
            None => buf,
        };
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    })
}

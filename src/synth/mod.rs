//! Synthetic data with known truth: a province's people, their civil books with every error type
//! of the domain at documented rates (`rules/synth.toml`), the registry extract, and the truth.
pub mod books;
pub mod config;
pub mod noise;
pub mod placetext;
pub mod population;
pub mod shelve;

use crate::encoding::{self, Encoding};
use crate::error::{Error, Result};
use crate::ingest::schema::civil_columns;
use crate::normalize::{PartialDate, Sex};
use crate::places::GAZETTEER;
use config::NoiseConfig;
use placetext::Style;
use population::{EXTRACT, Generator, Person};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
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

fn registry_date(d: PartialDate) -> String {
    format!("{:02}/{:02}/{}", d.day, d.month, d.year)
}

fn display(name: &[String]) -> String {
    name.iter()
        .map(|w| crate::normalize::text::capitalize(w))
        .collect::<Vec<_>>()
        .join(" ")
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
    let mut recs = books::records(&people, cfg, baseline, &mut rng);
    let book_list = shelve::books(&mut recs, cfg, &mut rng);

    // the registry: alive at the baseline and not absent
    let n = people.len();
    let mut in_registry = vec![false; n];
    for (i, p) in people.iter().enumerate() {
        in_registry[i] = p.exists
            && p.death.is_none_or(|d| d >= baseline)
            && rng.random::<f64>() >= cfg.population.absent_from_registry;
    }
    let mut has_ks = vec![false; n];
    let mut has_kt = vec![false; n];
    let mut has_kh = vec![false; n];
    for r in &recs {
        for s in &r.subjects {
            match s.role {
                "nks" => has_ks[s.person as usize] = true,
                "nkt" => has_kt[s.person as usize] = true,
                "chong" | "vo" if !people[s.person as usize].divorced => {
                    has_kh[s.person as usize] = true
                }
                _ => {}
            }
        }
    }
    let mut death_hidden = vec![false; n];
    let mut marriage_hidden = vec![false; n];
    let mut sex_error = vec![false; n];
    let mut place_error = vec![false; n];
    for i in 0..n {
        death_hidden[i] = has_kt[i] && rng.random::<f64>() < cfg.population.death_not_propagated;
        marriage_hidden[i] =
            has_kh[i] && rng.random::<f64>() < cfg.population.marriage_not_propagated;
        sex_error[i] = rng.random::<f64>() < cfg.record.registry_sex_error;
        place_error[i] = rng.random::<f64>() < cfg.record.registry_birth_place_error;
    }
    std::fs::create_dir_all(out.join("civil")).map_err(|e| Error::io(out, e))?;
    std::fs::create_dir_all(out.join("truth")).map_err(|e| Error::io(out, e))?;
    let reg_count = write_population(
        out,
        &people,
        &in_registry,
        &death_hidden,
        &marriage_hidden,
        &sex_error,
        &place_error,
        &communes,
        cfg,
        &mut rng,
    )?;
    write_books(out, &recs, &book_list)?;
    write_truth(
        out,
        &people,
        &recs,
        &book_list,
        &in_registry,
        &has_ks,
        &death_hidden,
        &marriage_hidden,
        &sex_error,
        &place_error,
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

#[allow(clippy::too_many_arguments)]
fn write_population(
    out: &Path,
    people: &[Person],
    in_registry: &[bool],
    death_hidden: &[bool],
    marriage_hidden: &[bool],
    sex_error: &[bool],
    place_error: &[bool],
    communes: &[u32],
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
) -> Result<usize> {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if !in_registry[i] {
            continue;
        }
        let new_names = rng.random::<f64>() < cfg.population.new_place_names;
        let style = |rng: &mut Pcg64| {
            if new_names {
                Style::New
            } else if rng.random::<bool>() {
                Style::Full
            } else {
                Style::Abbrev
            }
        };
        let birth = if place_error[i] {
            communes[rng.random_range(0..communes.len())]
        } else {
            p.birth_commune
        };
        let st = style(rng);
        let st2 = style(rng);
        // people move: the registry knows the new home, the books the old one
        let home = if p.death.is_none() && rng.random::<f64>() < cfg.population.moved {
            communes[rng.random_range(0..communes.len())]
        } else {
            p.home
        };
        let sex = if sex_error[i] {
            if p.sex == Sex::Nam { Sex::Nu } else { Sex::Nam }
        } else {
            p.sex
        };
        let name = display(&p.name);
        let name = if rng.random::<f64>() < 0.15 {
            name.to_uppercase()
        } else {
            name
        };
        let dob = if p.dob.year < 1960 && rng.random::<f64>() < 0.2 {
            p.dob.year.to_string()
        } else {
            registry_date(p.dob)
        };
        let spouse = p
            .spouse
            .filter(|&s| people[s as usize].exists && !marriage_hidden[i] && !p.divorced);
        let marital = if marriage_hidden[i] {
            "Chưa kết hôn"
        } else if p.divorced {
            "Ly hôn"
        } else if let Some(s) = p.spouse {
            if people[s as usize].death.is_some_and(|d| d <= EXTRACT) {
                "Góa"
            } else {
                "Đã kết hôn"
            }
        } else {
            "Chưa kết hôn"
        };
        let death = if death_hidden[i] {
            String::new()
        } else {
            p.death.map(registry_date).unwrap_or_default()
        };
        let eth = &crate::normalize::catalog::CATALOG.ethnic_groups[p.ethnicity as usize].name;
        rows.push((
            p.id.digits(),
            vec![
                p.id.digits(),
                name,
                dob,
                sex.label().to_string(),
                placetext::write(birth, st, rng),
                placetext::write(p.birth_commune, st2, rng),
                placetext::write(p.birth_commune, Style::NoProvince, rng),
                eth.clone(),
                "Việt Nam".to_string(),
                placetext::write(home, if new_names { Style::New } else { Style::Full }, rng),
                display(&p.father_name),
                display(&p.mother_name),
                spouse
                    .map(|s| display(&people[s as usize].name))
                    .unwrap_or_default(),
                marital.to_string(),
                death,
                p.cmnd.map(|c| format!("{c:09}")).unwrap_or_default(),
            ],
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let n = rows.len();
    crate::output::write_atomic(&out.join("population.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record([
            "Số định danh cá nhân",
            "Họ, chữ đệm và tên",
            "Ngày, tháng, năm sinh",
            "Giới tính",
            "Nơi sinh",
            "Nơi đăng ký khai sinh",
            "Quê quán",
            "Dân tộc",
            "Quốc tịch",
            "Nơi thường trú",
            "Họ tên cha",
            "Họ tên mẹ",
            "Họ tên vợ/chồng",
            "Tình trạng hôn nhân",
            "Ngày chết",
            "Số CMND",
        ])?;
        for (_, r) in &rows {
            csv.write_record(r)?;
        }
        csv.flush()
    })?;
    Ok(n)
}

fn to_legacy_bytes(text: &str, enc: Encoding) -> Vec<u8> {
    encoding::encode(text, enc)
        .chars()
        .map(|c| encoding::char_to_byte(c).unwrap_or(b'?'))
        .collect()
}

fn header_row(book: &shelve::Book) -> u32 {
    if book.title { 3 } else { 1 }
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

#[allow(clippy::too_many_arguments)]
fn write_truth(
    out: &Path,
    people: &[Person],
    recs: &[books::Rec],
    list: &[shelve::Book],
    in_registry: &[bool],
    has_ks: &[bool],
    death_hidden: &[bool],
    marriage_hidden: &[bool],
    sex_error: &[bool],
    place_error: &[bool],
    baseline: PartialDate,
) -> Result<()> {
    let mut rows: Vec<(String, u32, usize, Vec<String>)> = Vec::new();
    let mut evidence: BTreeMap<(u32, &str), String> = BTreeMap::new();
    for b in list {
        let hr = header_row(b);
        for (k, &ri) in b.records.iter().enumerate() {
            let r = &recs[ri];
            let source_row = hr + 1 + k as u32;
            for (ord, s) in r.subjects.iter().enumerate() {
                let pi = s.person as usize;
                let p = &people[pi];
                let mut conflicts: Vec<&str> = s.conflicts.clone();
                let mut noise: Vec<&str> = s.noise.clone();
                if sex_error[pi] {
                    conflicts.push("gender");
                    noise.push("registry_sex_error");
                }
                if place_error[pi] && s.role == "nks" {
                    conflicts.push("birth_place");
                    noise.push("registry_birth_place_error");
                }
                if b.legacy.is_some() {
                    noise.push(if b.legacy == Some(Encoding::Tcvn3) {
                        "tcvn3_file"
                    } else {
                        "vni_file"
                    });
                }
                if b.title {
                    noise.push("title_row");
                }
                if b.xlsx {
                    noise.push("xlsx_file");
                }
                let order = [
                    "name",
                    "dob",
                    "gender",
                    "birth_place",
                    "ethnicity",
                    "father_name",
                    "mother_name",
                ];
                conflicts.sort_by_key(|c| order.iter().position(|o| o == c));
                conflicts.dedup();
                noise.sort_unstable();
                noise.dedup();
                let (pid, status) = if in_registry[pi] {
                    (
                        p.id.digits(),
                        if conflicts.is_empty() {
                            "matched"
                        } else {
                            "conflict"
                        },
                    )
                } else if p.death.is_some_and(|d| d < baseline) {
                    (String::new(), "out_of_scope")
                } else {
                    (String::new(), "missing")
                };
                if !in_registry[pi] {
                    conflicts.clear();
                }
                let mut groups = Vec::new();
                if let Some(gid) = r.book_group {
                    groups.push(format!("B{gid}"));
                }
                if let Some(gid) = r.event_group {
                    groups.push(format!("E{gid}"));
                }
                let ev = format!("{}:{}", b.path, source_row);
                match s.role {
                    "nkt" if in_registry[pi] && death_hidden[pi] => {
                        evidence
                            .entry((s.person, "death_not_recorded"))
                            .or_insert(ev);
                    }
                    "chong" | "vo" if in_registry[pi] && marriage_hidden[pi] => {
                        evidence
                            .entry((s.person, "marriage_not_recorded"))
                            .or_insert(ev);
                    }
                    _ => {}
                }
                rows.push((
                    b.path.clone(),
                    source_row,
                    ord,
                    vec![
                        b.path.clone(),
                        source_row.to_string(),
                        r.rt.code().to_string(),
                        s.role.to_string(),
                        pid,
                        status.to_string(),
                        conflicts.join(";"),
                        groups.join(";"),
                        noise.join(";"),
                    ],
                ));
            }
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    crate::output::write_atomic(&out.join("truth").join("subjects.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record([
            "source_file",
            "source_row",
            "record_type",
            "role",
            "person_id",
            "expected_status",
            "conflict_fields",
            "duplicate_group",
            "noise",
        ])?;
        for (.., r) in &rows {
            csv.write_record(r)?;
        }
        csv.flush()
    })?;
    // population findings
    let mut findings: Vec<(String, &str, String)> = Vec::new();
    let mut seen: HashSet<(u32, &str)> = HashSet::new();
    for (i, p) in people.iter().enumerate() {
        if in_registry[i] && p.born_here && !has_ks[i] {
            findings.push((p.id.digits(), "no_birth_record", String::new()));
        }
    }
    for ((pi, kind), ev) in &evidence {
        if seen.insert((*pi, kind)) {
            findings.push((people[*pi as usize].id.digits(), kind, ev.clone()));
        }
    }
    let _ = (death_hidden, marriage_hidden);
    findings.sort();
    crate::output::write_atomic(&out.join("truth").join("findings.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["person_id", "finding", "evidence"])?;
        for (a, b, c) in &findings {
            csv.write_record([a.as_str(), b, c.as_str()])?;
        }
        csv.flush()
    })
}

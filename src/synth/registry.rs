//! The registry extract: who is in it, what it knows differently from the books (deaths and
//! marriages not propagated, a wrong sex or commune, a year-only date of birth), and the file.
use super::books::Rec;
use super::config::NoiseConfig;
use super::placetext::{self, Style};
use super::population::{EXTRACT, Person};
use crate::error::Result;
use crate::normalize::{PartialDate, Sex};
use crate::places::GAZETTEER;
use rand::RngExt;
use rand_pcg::Pcg64;
use std::path::Path;

/// What the registry says of one person, against the truth.
#[derive(Clone, Debug, Default)]
pub struct Side {
    /// in the extract: alive at the baseline and not absent
    pub in_registry: bool,
    /// a registered death it does not show
    pub death_hidden: bool,
    /// a registered marriage it does not show
    pub marriage_hidden: bool,
    /// the sex is wrong
    pub sex_error: bool,
    /// the place of birth names another commune
    pub place_error: bool,
    /// the place of birth registration names this other commune
    pub reg_place: Option<u32>,
    /// the date of birth is the year only (01/01/YYYY or YYYY)
    pub dob_year_only: bool,
}

/// Two legacy communes are the same unit for the registry: the same code, or merged into the
/// same 2025 commune.
pub fn same_unit(a: u32, b: u32) -> bool {
    if a == b {
        return true;
    }
    let g = &*GAZETTEER;
    match (g.communes.get(&a), g.communes.get(&b)) {
        (Some(x), Some(y)) => x.successors.iter().any(|s| y.successors.contains(s)),
        _ => false,
    }
}

/// Another commune than `c` for a registry error: in the province mostly, a fifth elsewhere.
fn another_commune(c: u32, communes: &[u32], elsewhere: &[(u32, u8)], rng: &mut Pcg64) -> u32 {
    for _ in 0..50 {
        let b = if rng.random::<f64>() < 0.2 && !elsewhere.is_empty() {
            elsewhere[rng.random_range(0..elsewhere.len())].0
        } else {
            communes[rng.random_range(0..communes.len())]
        };
        if !same_unit(b, c) {
            return b;
        }
    }
    c
}

/// Draw what the registry knows of every person.
pub fn sides(
    people: &[Person],
    recs: &[Rec],
    cfg: &NoiseConfig,
    baseline: PartialDate,
    (communes, elsewhere): (&[u32], &[(u32, u8)]),
    rng: &mut Pcg64,
) -> Vec<Side> {
    let n = people.len();
    let mut s: Vec<Side> = people
        .iter()
        .map(|p| Side {
            in_registry: p.exists
                && p.death.is_none_or(|d| d >= baseline)
                && rng.random::<f64>() >= cfg.population.absent_from_registry,
            ..Side::default()
        })
        .collect();
    let (mut has_ks, mut has_kt, mut has_kh) = (vec![false; n], vec![false; n], vec![false; n]);
    for r in recs {
        for t in &r.subjects {
            let i = t.person as usize;
            match t.role {
                "nks" => has_ks[i] = true,
                "nkt" => has_kt[i] = true,
                "chong" | "vo" if !people[i].divorced => has_kh[i] = true,
                _ => {}
            }
        }
    }
    let pop = &cfg.population;
    for (i, p) in people.iter().enumerate() {
        let x = &mut s[i];
        x.death_hidden = has_kt[i] && rng.random::<f64>() < pop.death_not_propagated;
        x.marriage_hidden = has_kh[i] && rng.random::<f64>() < pop.marriage_not_propagated;
        x.sex_error = rng.random::<f64>() < cfg.record.registry_sex_error;
        x.place_error = rng.random::<f64>() < cfg.record.registry_birth_place_error;
        if has_ks[i] && rng.random::<f64>() < cfg.record.registry_reg_place_error {
            x.reg_place = Some(another_commune(p.birth_commune, communes, elsewhere, rng));
        }
        let year_only = match p.dob.year {
            ..1955 => pop.dob_year_only_old,
            1955..1975 => pop.dob_year_only_mid,
            _ => pop.dob_year_only_young,
        };
        x.dob_year_only = rng.random::<f64>() < year_only;
    }
    s
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

/// The extract's columns.
const HEADER: [&str; 16] = [
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
];

/// One person's row of the extract.
fn row(
    people: &[Person],
    i: usize,
    x: &Side,
    communes: &[u32],
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
) -> Vec<String> {
    let p = &people[i];
    let new_names = rng.random::<f64>() < cfg.population.new_place_names;
    let style = |rng: &mut Pcg64| match (new_names, rng.random::<bool>()) {
        (true, _) => Style::New,
        (false, true) => Style::Full,
        (false, false) => Style::Abbrev,
    };
    let birth = if x.place_error {
        communes[rng.random_range(0..communes.len())]
    } else {
        p.birth_commune
    };
    let (st, st2) = (style(rng), style(rng));
    // people move: the registry knows the new home, the books the old one
    let home = if p.death.is_none() && rng.random::<f64>() < cfg.population.moved {
        communes[rng.random_range(0..communes.len())]
    } else {
        p.home
    };
    let sex = match (x.sex_error, p.sex) {
        (true, Sex::Nam) => Sex::Nu,
        (true, Sex::Nu) => Sex::Nam,
        (false, s) => s,
    };
    let name = display(&p.name);
    let name = if rng.random::<f64>() < 0.15 {
        name.to_uppercase()
    } else {
        name
    };
    let dob = if !x.dob_year_only {
        registry_date(p.dob)
    } else if rng.random::<f64>() < cfg.population.dob_year_only_as_jan_1 {
        format!("01/01/{}", p.dob.year)
    } else {
        p.dob.year.to_string()
    };
    let spouse = p
        .spouse
        .filter(|&s| people[s as usize].exists && !x.marriage_hidden && !p.divorced);
    let marital = if x.marriage_hidden {
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
    let death = if x.death_hidden {
        String::new()
    } else {
        p.death.map(registry_date).unwrap_or_default()
    };
    let eth = &crate::normalize::catalog::CATALOG.ethnic_groups[p.ethnicity as usize].name;
    let reg_place = x.reg_place.unwrap_or(p.birth_commune);
    vec![
        p.id.digits(),
        name,
        dob,
        sex.label().to_string(),
        placetext::write(birth, st, rng),
        placetext::write(reg_place, st2, rng),
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
    ]
}

/// Write `population.csv`, sorted by ID; returns the number of persons in it.
pub fn write_population(
    out: &Path,
    people: &[Person],
    sides: &[Side],
    communes: &[u32],
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
) -> Result<usize> {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for (i, x) in sides.iter().enumerate() {
        if x.in_registry {
            rows.push((people[i].id.digits(), row(people, i, x, communes, cfg, rng)));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let n = rows.len();
    crate::output::write_atomic(&out.join("population.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(HEADER)?;
        for (_, r) in &rows {
            csv.write_record(r)?;
        }
        csv.flush()
    })?;
    Ok(n)
}

//! Civil records from the generated lives, written into books as a digitization drop organises
//! them, with the truth of every subject.
use super::config::NoiseConfig;
use super::noise::{self, Written};
use super::placetext::{self, Style};
use super::population::Person;
use crate::ingest::RecordType;
use crate::ingest::schema::civil_columns;
use crate::normalize::catalog::CATALOG;
use crate::normalize::{PartialDate, Sex};
use rand::RngExt;
use rand_pcg::Pcg64;
use std::collections::BTreeMap;

/// The truth about one subject of a record.
#[derive(Clone, Debug, Default)]
pub struct SubjectTruth {
    /// role code
    pub role: &'static str,
    /// person index
    pub person: u32,
    /// fields that truly disagree with the registry (before registry-side errors)
    pub conflicts: Vec<&'static str>,
    /// noise kinds applied
    pub noise: Vec<&'static str>,
}

/// One civil record.
#[derive(Clone, Debug)]
pub struct Rec {
    /// type
    pub rt: RecordType,
    /// registering legacy commune
    pub commune: u32,
    /// registration date
    pub reg_date: PartialDate,
    /// cells by template column
    pub cells: BTreeMap<&'static str, String>,
    /// subjects in role order
    pub subjects: Vec<SubjectTruth>,
    /// duplicate-event group (records of the same event share it)
    pub event_group: Option<u32>,
    /// duplicate-book-number group
    pub book_group: Option<u32>,
    /// typed without diacritics (set when the books are shelved)
    pub ascii: bool,
}

pub(super) fn hit(rng: &mut Pcg64, p: f64) -> bool {
    p > 0.0 && rng.random::<f64>() < p
}

pub(super) fn fmt_date(d: PartialDate, rng: &mut Pcg64) -> String {
    if rng.random::<f64>() < 0.7 {
        format!("{:02}.{:02}.{}", d.day, d.month, d.year)
    } else {
        format!("{:02}/{:02}/{}", d.day, d.month, d.year)
    }
}

fn ethnicity_text(
    i: u8,
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
    noise: &mut Vec<&'static str>,
) -> String {
    let e = &CATALOG.ethnic_groups[i as usize];
    if i != 0 && hit(rng, cfg.record.ethnicity_alias) {
        noise.push("ethnicity_alias");
        // an alias from the catalogue: the first one that is not the official name
        let alias = match e.code.as_str() {
            "08" => "Mông (Mèo)",
            "05" => "Khmer",
            "06" => "Mường",
            "03" => "Thái",
            _ => e.name.as_str(),
        };
        return alias.to_string();
    }
    e.name.clone()
}

/// The whole-series encoding of a commune's books of one type: old offices typed TCVN3 or VNI.
pub fn series_encoding(
    commune: u32,
    rt: RecordType,
    cfg: &NoiseConfig,
) -> Option<crate::encoding::Encoding> {
    // deterministic per series, independent of the record stream
    let h = crate::hash::mix(commune as u64, rt as u64);
    let u = (h % 1_000_000) as f64 / 1_000_000.0;
    if u < cfg.shape.tcvn3_files {
        Some(crate::encoding::Encoding::Tcvn3)
    } else if u < cfg.shape.tcvn3_files + cfg.shape.vni_files {
        Some(crate::encoding::Encoding::Vni)
    } else {
        None
    }
}

/// The noise of a series written in a legacy encoding: no Unicode-only effects (NFD, composite,
/// stray mojibake or VNI tokens) — the whole file is one encoding.
pub(super) fn legacy_safe(cfg: &NoiseConfig) -> NoiseConfig {
    let mut c = cfg.clone();
    c.name.nfd = 0.0;
    c.name.composite = 0.0;
    c.name.mojibake = 0.0;
    c.name.vni_token = 0.0;
    c
}

/// Write a civil name with noise; returns the text, and records the change and the noise.
fn civil_name(
    p: &Person,
    name: &[String],
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
    t: &mut SubjectTruth,
    field: &'static str,
) -> String {
    let w: Written = noise::name(
        name,
        p.fam_len.min(name.len().saturating_sub(1)),
        p.sex,
        &cfg.name,
        rng,
    );
    if w.changed {
        t.conflicts.push(field);
    }
    t.noise.extend(w.kinds);
    w.text
}

pub(super) fn parent_name(
    name: &[String],
    sex: Sex,
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
    t: &mut SubjectTruth,
    field: &'static str,
) -> String {
    // parents' names get half the subject's rate of real errors
    let mut c = cfg.name.clone();
    for v in [
        &mut c.typo,
        &mut c.tone_slip,
        &mut c.tone_dropped,
        &mut c.modifier_dropped,
        &mut c.van_thi_dropped,
        &mut c.variant,
        &mut c.i_y,
        &mut c.dialect,
        &mut c.swap,
    ] {
        *v *= 0.5;
    }
    let w = noise::name(name, 1.min(name.len().saturating_sub(1)), sex, &c, rng);
    if w.changed {
        t.conflicts.push(field);
    }
    t.noise.extend(w.kinds.into_iter().map(|k| {
        if field == "father_name" {
            father_kind(k)
        } else {
            mother_kind(k)
        }
    }));
    w.text
}

fn father_kind(k: &'static str) -> &'static str {
    match k {
        "typo" | "tone_slip" | "tone_dropped" | "modifier_dropped" | "van_thi_dropped"
        | "van_thi_added" | "variant" | "i_y" | "dialect" | "swap" => "father_name_error",
        _ => "father_name_cosmetic",
    }
}

fn mother_kind(k: &'static str) -> &'static str {
    match k {
        "typo" | "tone_slip" | "tone_dropped" | "modifier_dropped" | "van_thi_dropped"
        | "van_thi_added" | "variant" | "i_y" | "dialect" | "swap" => "mother_name_error",
        _ => "mother_name_cosmetic",
    }
}

/// The fields shared by every person part of a record (name, sex, dob, ethnicity, IDs).
#[allow(clippy::too_many_arguments)]
pub(super) fn person_part(
    rec: &mut Rec,
    prefix: &'static str,
    people: &[Person],
    pi: u32,
    event: PartialDate,
    with_sex: bool,
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
    t: &mut SubjectTruth,
) {
    let p = &people[pi as usize];
    let mut name = p.name.clone();
    if hit(rng, cfg.record.unrecorded_correction) && name.len() >= 2 {
        // the registry holds a corrected name (a cải chính of one syllable's tone or a letter);
        // the book still has the old one
        let last = name.len() - 1;
        let before = name[last].clone();
        let mut c = cfg.name.clone();
        c.tone_slip = 1.0;
        let w = noise::name(
            &name[last..],
            0,
            p.sex,
            &NoiseConfig::clean_name_with(c),
            rng,
        );
        let fixed = crate::normalize::normalize_name(&w.text).lower();
        name[last] = if fixed != before && !fixed.is_empty() {
            fixed
        } else if before.ends_with('h') {
            before.trim_end_matches('h').to_string()
        } else {
            format!("{before}h")
        };
        t.conflicts.push("name");
        t.noise.push("unrecorded_correction");
    }
    let text = civil_name(p, &name, cfg, rng, t, "name");
    rec.cells.insert(col(prefix, "HoTen"), text);
    if with_sex {
        let mut sex = p.sex;
        if hit(rng, cfg.record.wrong_sex) {
            sex = if sex == Sex::Nam { Sex::Nu } else { Sex::Nam };
            t.conflicts.push("gender");
            t.noise.push("wrong_sex");
        }
        rec.cells
            .insert(col(prefix, "GioiTinh"), sex.label().to_string());
    }
    let old = p.dob.year < 1975;
    let (w, _) = noise::dob(p.dob, &cfg.date, old, rng);
    if w.changed {
        t.conflicts.push("dob");
    }
    t.noise.extend(w.kinds);
    rec.cells.insert(col(prefix, "NgaySinh"), w.text);
    let mut n = Vec::new();
    rec.cells.insert(
        col(prefix, "DanToc"),
        ethnicity_text(p.ethnicity, cfg, rng, &mut n),
    );
    t.noise.extend(n);
    rec.cells
        .insert(col(prefix, "QuocTich"), "Việt Nam".to_string());
    // the ID as the book has it: a 12-digit ID from 2016, a CMND before
    if prefix != "nks" {
        if event.year >= 2016 && rng.random::<f64>() < 0.85 {
            rec.cells
                .insert(col(prefix, "LoaiGiayToTuyThan"), "4".to_string());
            let mut digits = p.id.digits().into_bytes();
            if rng.random::<f64>() < cfg.record.id_typo {
                let i = rng.random_range(3..12);
                digits[i] = b'0' + (digits[i] - b'0' + rng.random_range(1..10u8)) % 10;
                t.noise.push("id_typo");
            } else if hit(rng, cfg.record.id_lost_digit) {
                // a digit lost inside: 11 digits that start with 0, no ID at all
                digits.remove(rng.random_range(3..11));
                t.noise.push("id_11_digits");
            }
            rec.cells.insert(
                col(prefix, "SoGiayToTuyThan"),
                String::from_utf8(digits).unwrap_or_default(),
            );
        } else if let Some(c) = p
            .cmnd
            .filter(|_| event.year >= 1990 && rng.random::<f64>() < 0.6)
        {
            rec.cells
                .insert(col(prefix, "LoaiGiayToTuyThan"), "1".to_string());
            rec.cells
                .insert(col(prefix, "SoGiayToTuyThan"), format!("{c:09}"));
        }
        rec.cells.insert(
            col(prefix, "NoiCuTru"),
            placetext::write(p.home, Style::Full, rng),
        );
    }
}

pub(super) fn col(prefix: &str, field: &str) -> &'static str {
    // leak-free: the template names are a fixed set, look them up
    static NAMES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<&'static str> = Vec::new();
        for t in RecordType::ALL {
            for c in civil_columns(t) {
                if !v.contains(&c.as_str()) {
                    v.push(Box::leak(c.into_boxed_str()));
                }
            }
        }
        v
    });
    let want = format!("{prefix}{field}");
    NAMES
        .iter()
        .copied()
        .find(|c| *c == want)
        .unwrap_or("ghiChu")
}

pub(super) fn place_style(
    cfg: &NoiseConfig,
    code: u32,
    rng: &mut Pcg64,
    noise: &mut Vec<&'static str>,
) -> Style {
    if hit(rng, cfg.record.old_place_name) && placetext::has_old_name(code) {
        noise.push("old_place_name");
        return Style::Old;
    }
    if hit(rng, cfg.record.place_no_diacritics) {
        noise.push("place_no_diacritics");
        return Style::Plain;
    }
    if hit(rng, cfg.record.abbreviated_place) {
        noise.push("abbreviated_place");
        return Style::Abbrev;
    }
    if rng.random::<f64>() < 0.3 {
        Style::NoProvince
    } else {
        Style::Full
    }
}

pub(super) fn header(rec: &mut Rec, cfg: &NoiseConfig, rng: &mut Pcg64, t: &mut [SubjectTruth]) {
    let era_2025 = rec.reg_date >= PartialDate::ymd(2025, 7, 1);
    // the books are the old communes' books: their agency keeps its name; records after the
    // reform often add the new commune's name after it
    let agency = if era_2025 && rng.random::<f64>() < 0.5 {
        let old = placetext::write(rec.commune, Style::Agency, rng);
        format!(
            "{old} (nay {})",
            placetext::write(rec.commune, Style::New, rng)
        )
    } else if rng.random::<f64>() < 0.5 {
        placetext::write(rec.commune, Style::Agency, rng)
    } else {
        placetext::write(rec.commune, Style::NoProvince, rng)
    };
    rec.cells.insert("noiDangKy", agency);
    let d = fmt_date(rec.reg_date, rng);
    rec.cells.insert("ngayDangKy", d);
    if hit(rng, cfg.record.missing_signer) {
        for s in t.iter_mut() {
            s.noise.push("missing_signer");
        }
    } else {
        let signer = [
            "Nguyễn Văn Hải",
            "Trần Thị Hoa",
            "Lê Văn Sơn",
            "Phan Đình Phùng",
            "Võ Thị Lan",
        ][rng.random_range(0..5)];
        rec.cells.insert("nguoiKy", signer.to_string());
        rec.cells.insert("chucVuNguoiKy", "Chủ tịch".to_string());
    }
    rec.cells
        .insert("nguoiThucHien", "Công chức Tư pháp - Hộ tịch".to_string());
}

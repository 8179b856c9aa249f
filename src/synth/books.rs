//! Civil records from the generated lives, written into books as a digitization drop organises
//! them, with the truth of every subject.
use super::config::NoiseConfig;
use super::noise::{self, Written};
use super::placetext::{self, Style};
use super::population::{EXTRACT, Person, add_days};
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
}

fn hit(rng: &mut Pcg64, p: f64) -> bool {
    p > 0.0 && rng.random::<f64>() < p
}

fn fmt_date(d: PartialDate, rng: &mut Pcg64) -> String {
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
fn legacy_safe(cfg: &NoiseConfig) -> NoiseConfig {
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

fn parent_name(
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
fn person_part(
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

fn col(prefix: &str, field: &str) -> &'static str {
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

fn place_style(
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

fn header(rec: &mut Rec, cfg: &NoiseConfig, rng: &mut Pcg64, t: &mut [SubjectTruth]) {
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

/// Build the records of every event, in a deterministic order.
pub fn records(
    people: &[Person],
    cfg_in: &NoiseConfig,
    baseline: PartialDate,
    rng: &mut Pcg64,
) -> Vec<Rec> {
    let safe = legacy_safe(cfg_in);
    let pick = |commune: u32, rt: RecordType| {
        if series_encoding(commune, rt, cfg_in).is_some() {
            &safe
        } else {
            cfg_in
        }
    };
    let cfg = cfg_in;
    let n_exist = people.iter().filter(|p| p.exists).count() as f64;
    let total = cfg.shape.records_per_person * n_exist;
    let target = |share: f64| (total * share).round() as usize;
    let mut recs = Vec::new();
    let mut event_group = 0u32;

    // births: older cohorts were less often kept or digitized
    let weight = |y: u16| match y {
        ..1960 => 0.15,
        1960..1975 => 0.45,
        1975..1990 => 0.8,
        _ => 1.0,
    };
    let births = weighted_sample(
        people
            .iter()
            .enumerate()
            .filter(|(_, p)| p.exists && p.born_here)
            .map(|(i, p)| (i as u32, weight(p.dob.year)))
            .collect(),
        target(cfg.shape.share_ks),
        rng,
    );
    for pi in births {
        let p = &people[pi as usize];
        let late = rng.random::<f64>() < 0.12;
        let mut reg = if late {
            add_days(p.dob, rng.random_range(400..365 * 15))
        } else {
            add_days(p.dob, rng.random_range(1..60))
        };
        if reg > EXTRACT {
            reg = EXTRACT;
        }
        let dup = hit(rng, cfg.record.duplicate_registration);
        let group = dup.then(|| {
            event_group += 1;
            event_group
        });
        let copies = if dup { 2 } else { 1 };
        for copy in 0..copies {
            let reg = if copy == 1 {
                add_days(reg, rng.random_range(365..365 * 10)).min(EXTRACT)
            } else {
                reg
            };
            let cfg = pick(p.birth_commune, RecordType::KS);
            let mut t = SubjectTruth {
                role: "nks",
                person: pi,
                ..Default::default()
            };
            let mut rec = Rec {
                rt: RecordType::KS,
                commune: p.birth_commune,
                reg_date: reg,
                cells: BTreeMap::new(),
                subjects: Vec::new(),
                event_group: group,
                book_group: None,
            };
            person_part(&mut rec, "nks", people, pi, reg, true, cfg, rng, &mut t);
            if hit(rng, cfg.date.registration_before_birth) {
                let before = add_days(p.dob, -rng.random_range(1..30));
                rec.reg_date = before;
                t.noise.push("registration_before_birth");
            }
            let mut n = Vec::new();
            let st = place_style(cfg, p.birth_commune, rng, &mut n);
            t.noise.extend(n);
            rec.cells
                .insert("nksNoiSinh", placetext::write(p.birth_commune, st, rng));
            // quê quán, as the registry holds it (the commune of birth, as the generator's
            // registry writes it), left blank in a tenth of the books
            if rng.random::<f64>() < 0.9 {
                let st = place_style(cfg, p.birth_commune, rng, &mut Vec::new());
                rec.cells
                    .insert("nksQueQuan", placetext::write(p.birth_commune, st, rng));
            }
            let (fname, mname) = (p.father_name.clone(), p.mother_name.clone());
            if rng.random::<f64>() < 0.02 {
                rec.cells.insert("nksLoaiKhaiSinh", "3".to_string());
            } else {
                let f = parent_name(&fname, Sex::Nam, cfg, rng, &mut t, "father_name");
                rec.cells.insert("chaHoTen", f);
            }
            let m = parent_name(&mname, Sex::Nu, cfg, rng, &mut t, "mother_name");
            rec.cells.insert("meHoTen", m);
            if copy == 1 {
                t.noise.push("duplicate_registration");
            }
            let mut ts = vec![t];
            header(&mut rec, cfg, rng, &mut ts);
            rec.subjects = ts;
            recs.push(rec);
        }
    }
    // deaths registered in the province
    let deaths = weighted_sample(
        people
            .iter()
            .enumerate()
            .filter(|(_, p)| p.exists && p.death.is_some())
            .map(|(i, p)| {
                (
                    i as u32,
                    if p.death.is_some_and(|d| d.year >= 1990) {
                        1.0
                    } else {
                        0.3
                    },
                )
            })
            .collect(),
        target(cfg.shape.share_kt),
        rng,
    );
    for pi in deaths {
        let p = &people[pi as usize];
        let death = p.death.unwrap_or(EXTRACT);
        let reg = add_days(death, rng.random_range(1..30)).min(EXTRACT);
        let cfg = pick(p.home, RecordType::KT);
        let mut t = SubjectTruth {
            role: "nkt",
            person: pi,
            ..Default::default()
        };
        let mut rec = Rec {
            rt: RecordType::KT,
            commune: p.home,
            reg_date: reg,
            cells: BTreeMap::new(),
            subjects: Vec::new(),
            event_group: None,
            book_group: None,
        };
        person_part(&mut rec, "nkt", people, pi, death, true, cfg, rng, &mut t);
        let dtext = if rng.random::<f64>() < 0.05 {
            format!(
                "{}h{:02}' ngày {}/{}/{}",
                rng.random_range(0..24),
                rng.random_range(0..60),
                death.day,
                death.month,
                death.year
            )
        } else {
            fmt_date(death, rng)
        };
        rec.cells.insert("nktNgayChet", dtext);
        rec.cells.insert(
            "nktNoiChet",
            placetext::write(p.home, Style::NoProvince, rng),
        );
        let mut ts = vec![t];
        header(&mut rec, cfg, rng, &mut ts);
        rec.subjects = ts;
        recs.push(rec);
        let _ = baseline;
    }
    // marriages registered in the province (one record per couple)
    let couples: Vec<(u32, f64)> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.exists
                && p.sex == Sex::Nam
                && p.marriage.is_some()
                && p.spouse.is_some_and(|s| people[s as usize].exists)
        })
        .map(|(i, p)| {
            (
                i as u32,
                if p.marriage.is_some_and(|d| d.year >= 1975) {
                    1.0
                } else {
                    0.35
                },
            )
        })
        .collect();
    for hi in weighted_sample(couples, target(cfg.shape.share_kh), rng) {
        let h = &people[hi as usize];
        let wi = h.spouse.unwrap_or(hi);
        let w = &people[wi as usize];
        let md = h.marriage.unwrap_or(EXTRACT);
        let commune = if rng.random::<bool>() { h.home } else { w.home };
        let cfg = pick(commune, RecordType::KH);
        let mut rec = Rec {
            rt: RecordType::KH,
            commune,
            reg_date: md,
            cells: BTreeMap::new(),
            subjects: Vec::new(),
            event_group: None,
            book_group: None,
        };
        let mut tc = SubjectTruth {
            role: "chong",
            person: hi,
            ..Default::default()
        };
        let mut tv = SubjectTruth {
            role: "vo",
            person: wi,
            ..Default::default()
        };
        person_part(&mut rec, "chong", people, hi, md, false, cfg, rng, &mut tc);
        person_part(&mut rec, "vo", people, wi, md, false, cfg, rng, &mut tv);
        if h.divorced {
            rec.cells.insert("tinhTrangKetHon", "Đã ly hôn".to_string());
        }
        let mut ts = vec![tc, tv];
        header(&mut rec, cfg, rng, &mut ts);
        rec.subjects = ts;
        recs.push(rec);
    }
    // marital-status certifications
    let adults: Vec<u32> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.exists && p.dob.year <= 2006)
        .map(|(i, _)| i as u32)
        .collect();
    let n_hn = target(cfg.shape.share_hn);
    for _ in 0..n_hn {
        if adults.is_empty() {
            break;
        }
        let pi = adults[rng.random_range(0..adults.len())];
        let p = &people[pi as usize];
        let from = (p.dob.year + 18).max(1995);
        let to = p.death.map_or(2025, |d| d.year).min(2025);
        if from >= to {
            continue;
        }
        let year = rng.random_range(from..to);
        let date = PartialDate::ymd(year, rng.random_range(1..=12), rng.random_range(1..=28));
        let married = p.marriage.is_some_and(|m| m <= date) && !p.divorced;
        let cfg = pick(p.home, RecordType::HN);
        let mut rec = Rec {
            rt: RecordType::HN,
            commune: p.home,
            reg_date: date,
            cells: BTreeMap::new(),
            subjects: Vec::new(),
            event_group: None,
            book_group: None,
        };
        let mut t = SubjectTruth {
            role: "nxn",
            person: pi,
            ..Default::default()
        };
        person_part(&mut rec, "nxn", people, pi, date, true, cfg, rng, &mut t);
        rec.cells.insert(
            "nxnTinhTrangHonNhan",
            if married {
                "Đang có vợ/chồng"
            } else if p.divorced {
                "Đã ly hôn"
            } else {
                "Chưa đăng ký kết hôn với ai"
            }
            .to_string(),
        );
        rec.cells
            .insert("nxnMucDichSuDung", "Bổ sung hồ sơ".to_string());
        rec.cells
            .insert("noiCap", placetext::write(p.home, Style::Agency, rng));
        let mut ts = vec![t];
        header(&mut rec, cfg, rng, &mut ts);
        rec.cells
            .remove("noiDangKy")
            .map(|v| rec.cells.insert("noiCap", v));
        rec.subjects = ts;
        recs.push(rec);
    }
    // parent-child recognitions (a handful)
    let n_cmc = target(cfg.shape.share_cmc).max(if total > 2000.0 { 1 } else { 0 });
    let children: Vec<u32> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.exists && p.father.is_some_and(|f| people[f as usize].exists) && p.dob.year >= 1990
        })
        .map(|(i, _)| i as u32)
        .collect();
    for _ in 0..n_cmc {
        if children.is_empty() {
            break;
        }
        let ci = children[rng.random_range(0..children.len())];
        let fi = people[ci as usize].father.unwrap_or(ci);
        let date = add_days(people[ci as usize].dob, rng.random_range(30..2000)).min(EXTRACT);
        let cfg = pick(people[ci as usize].home, RecordType::CMC);
        let mut rec = Rec {
            rt: RecordType::CMC,
            commune: people[ci as usize].home,
            reg_date: date,
            cells: BTreeMap::new(),
            subjects: Vec::new(),
            event_group: None,
            book_group: None,
        };
        let mut tp = SubjectTruth {
            role: "cm",
            person: fi,
            ..Default::default()
        };
        let mut tn = SubjectTruth {
            role: "nc",
            person: ci,
            ..Default::default()
        };
        person_part(&mut rec, "cm", people, fi, date, false, cfg, rng, &mut tp);
        person_part(&mut rec, "nc", people, ci, date, true, cfg, rng, &mut tn);
        rec.cells.insert("loaiXacNhan", "Cha nhận con".to_string());
        let mut ts = vec![tp, tn];
        header(&mut rec, cfg, rng, &mut ts);
        rec.subjects = ts;
        recs.push(rec);
    }
    recs
}

/// Weighted sampling without replacement (Efraimidis–Spirakis), in index order.
fn weighted_sample(items: Vec<(u32, f64)>, k: usize, rng: &mut Pcg64) -> Vec<u32> {
    if k >= items.len() {
        return items.into_iter().map(|(i, _)| i).collect();
    }
    let mut keyed: Vec<(f64, u32)> = items
        .into_iter()
        .map(|(i, w)| (rng.random::<f64>().powf(1.0 / w.max(1e-9)), i))
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<u32> = keyed.into_iter().take(k).map(|(_, i)| i).collect();
    out.sort_unstable();
    out
}

//! The civil records of the generated lives, in a deterministic order: births (with the books that
//! did not survive, births registered twice, fathers left blank and their recognitions), deaths,
//! marriages, marital-status certifications and parent-child recognitions.
use super::books::{
    Rec, SubjectTruth, fmt_date, header, hit, legacy_safe, parent_name, person_part, place_style,
    series_encoding,
};
use super::config::NoiseConfig;
use super::placetext::{self, Style};
use super::population::{EXTRACT, Person, add_days};
use super::survival::Books;
use super::typing;
use crate::ingest::RecordType;
use crate::normalize::{PartialDate, Sex};
use rand::RngExt;
use rand_pcg::Pcg64;
use std::collections::BTreeMap;

/// The records and what the truth needs to know about the births that are not there.
pub struct Generated {
    /// every record
    pub recs: Vec<Rec>,
    /// per person: the birth was registered in a book that survived, but its record is not in
    /// the drop (a torn page, never digitized): a real `no_birth_record`
    pub ks_lost: Vec<bool>,
}

/// How a birth registered twice differs the second time.
#[derive(Clone, Copy, Default)]
struct Again {
    /// days added to the date of birth
    days: i32,
    /// Văn/Thị added or dropped
    van_thi: bool,
}

struct Events<'a> {
    people: &'a [Person],
    cfg: &'a NoiseConfig,
    safe: NoiseConfig,
    ascii: NoiseConfig,
    seed: u64,
    books: Books<'a>,
    communes: &'a [u32],
    recs: Vec<Rec>,
    event_group: u32,
    ks_lost: Vec<bool>,
    /// persons a father's recognition in the books recognises
    recognised: Vec<bool>,
}

fn empty(rt: RecordType, commune: u32, reg_date: PartialDate, group: Option<u32>) -> Rec {
    Rec {
        rt,
        commune,
        reg_date,
        cells: BTreeMap::new(),
        subjects: Vec::new(),
        event_group: group,
        book_group: None,
        ascii: false,
    }
}

fn truth(role: &'static str, person: u32) -> SubjectTruth {
    SubjectTruth {
        role,
        person,
        ..Default::default()
    }
}

impl<'a> Events<'a> {
    /// The noise of a series: whole legacy-encoded series have no Unicode-only effects.
    fn cfg_for(&self, commune: u32, rt: RecordType) -> &NoiseConfig {
        if series_encoding(commune, rt, self.cfg).is_some() {
            &self.safe
        } else {
            self.cfg
        }
    }

    /// A new record of a type, where and when it is registered: typed without diacritics now
    /// and then (never a whole legacy-encoded series), with the noise that goes with its typing.
    fn open(
        &self,
        rt: RecordType,
        commune: u32,
        reg: PartialDate,
        group: Option<u32>,
        rng: &mut Pcg64,
    ) -> (Rec, NoiseConfig) {
        let mut rec = empty(rt, commune, reg, group);
        let legacy = series_encoding(commune, rt, self.cfg).is_some();
        rec.ascii = !legacy && typing::typed_ascii(self.cfg, self.seed, commune, rt, reg.year, rng);
        let cfg = if rec.ascii {
            self.ascii.clone()
        } else {
            self.cfg_for(commune, rt).clone()
        };
        (rec, cfg)
    }

    /// Push a record whose book survived; false when its book is lost.
    fn push(&mut self, mut rec: Rec, mut ts: Vec<SubjectTruth>, rng: &mut Pcg64) -> bool {
        if !self.books.survives(rec.commune, rec.rt, rec.reg_date.year) {
            return false;
        }
        let cfg = self.cfg_for(rec.commune, rec.rt).clone();
        header(&mut rec, &cfg, rng, &mut ts);
        rec.subjects = ts;
        if rec.ascii {
            typing::fold(&mut rec, self.people);
        }
        self.recs.push(rec);
        true
    }

    /// One birth record (the second registration of a birth when `again`).
    fn birth(
        &mut self,
        pi: u32,
        commune: u32,
        reg: PartialDate,
        again: Option<Again>,
        group: Option<u32>,
        rng: &mut Pcg64,
    ) -> (Rec, Vec<SubjectTruth>, bool) {
        let p = &self.people[pi as usize];
        let (mut rec, cfg) = self.open(RecordType::KS, commune, reg, group, rng);
        let mut t = truth("nks", pi);
        person_part(
            &mut rec,
            "nks",
            self.people,
            pi,
            reg,
            true,
            &cfg,
            rng,
            &mut t,
        );
        if let Some(a) = again {
            rereg_differences(&mut rec, &mut t, p, a);
            rec.cells.insert("loaiDangKy", "Đăng ký lại".to_string());
            t.noise.push("duplicate_registration");
        }
        if hit(rng, cfg.date.registration_before_birth) {
            rec.reg_date = add_days(p.dob, -rng.random_range(1..30));
            t.noise.push("registration_before_birth");
        }
        let mut n = Vec::new();
        let st = place_style(&cfg, p.birth_commune, rng, &mut n);
        t.noise.extend(n);
        rec.cells
            .insert("nksNoiSinh", placetext::write(p.birth_commune, st, rng));
        // quê quán, as the registry holds it (the commune of birth), blank in a tenth of books
        if rng.random::<f64>() < 0.9 {
            let st = place_style(&cfg, p.birth_commune, rng, &mut Vec::new());
            rec.cells
                .insert("nksQueQuan", placetext::write(p.birth_commune, st, rng));
        }
        let blank = hit(rng, cfg.record.father_blank);
        if blank {
            rec.cells.insert("nksLoaiKhaiSinh", "3".to_string());
            t.noise.push("father_blank");
        } else {
            let f = parent_name(&p.father_name, Sex::Nam, &cfg, rng, &mut t, "father_name");
            rec.cells.insert("chaHoTen", f);
        }
        let m = parent_name(&p.mother_name, Sex::Nu, &cfg, rng, &mut t, "mother_name");
        rec.cells.insert("meHoTen", m);
        (rec, vec![t], blank)
    }

    /// Births registered in the province: in the books that survived, less those lost one by
    /// one; a birth registered twice now and then (đăng ký lại). Returns the records written.
    fn births(&mut self, rng: &mut Pcg64) -> usize {
        let mut written = 0;
        for pi in 0..self.people.len() as u32 {
            let p = &self.people[pi as usize];
            if !p.exists || !p.born_here {
                continue;
            }
            let late = rng.random::<f64>() < 0.12;
            let reg = if late {
                add_days(p.dob, rng.random_range(400..365 * 15))
            } else {
                add_days(p.dob, rng.random_range(1..60))
            }
            .min(EXTRACT);
            let commune = p.birth_commune;
            if !self.books.survives(commune, RecordType::KS, reg.year) {
                continue; // the book of that year did not survive: not a finding
            }
            if hit(rng, self.cfg.survival.individual_loss) {
                self.ks_lost[pi as usize] = true;
                continue;
            }
            let dup = hit(rng, self.cfg.record.duplicate_registration);
            let group = dup.then(|| {
                self.event_group += 1;
                self.event_group
            });
            let (rec, mut ts, blank) = self.birth(pi, commune, reg, None, group, rng);
            // a father left blank is a conflict with the registry unless a recognition in the
            // books explains it
            if blank && hit(rng, self.cfg.record.father_recognised) && self.recognise(pi, rng) {
                self.recognised[pi as usize] = true;
            } else if blank {
                ts[0].conflicts.push("father_name");
            }
            written += self.push(rec, ts, rng) as usize;
            if dup {
                written += self.again(pi, reg, group, rng) as usize;
            }
        }
        written
    }

    /// The second registration of a birth, years later, maybe at another commune.
    fn again(&mut self, pi: u32, first: PartialDate, group: Option<u32>, rng: &mut Pcg64) -> bool {
        let reg = add_days(first, rng.random_range(365..365 * 15)).min(EXTRACT);
        let home = self.people[pi as usize].birth_commune;
        let commune = if hit(rng, self.cfg.record.reregistration_elsewhere) {
            self.communes[rng.random_range(0..self.communes.len())]
        } else {
            home
        };
        let a = Again {
            days: if hit(rng, self.cfg.record.reregistration_day) {
                [-3, -2, -1, 1, 2, 3][rng.random_range(0..6)]
            } else {
                0
            },
            van_thi: hit(rng, self.cfg.record.reregistration_van_thi),
        };
        let (rec, mut ts, blank) = self.birth(pi, commune, reg, Some(a), group, rng);
        if blank && !self.recognised[pi as usize] {
            ts[0].conflicts.push("father_name");
        }
        if !super::registry::same_unit(commune, home) {
            // the truth's birth_place follows from the registry's commune (see truth.rs)
            ts[0].noise.push("reregistered_elsewhere");
        }
        self.push(rec, ts, rng)
    }

    /// A father's recognition of a child born without a father in the book, registered some
    /// years later where the child lives; true when its book survived.
    fn recognise(&mut self, ci: u32, rng: &mut Pcg64) -> bool {
        let child = &self.people[ci as usize];
        let Some(fi) = child.father.filter(|&f| self.people[f as usize].exists) else {
            return false;
        };
        let date = add_days(child.dob, rng.random_range(365..365 * 8)).min(EXTRACT);
        self.cmc(fi, ci, child.home, date, rng)
    }

    /// A "cha nhận con" record.
    fn cmc(&mut self, fi: u32, ci: u32, commune: u32, date: PartialDate, rng: &mut Pcg64) -> bool {
        let (mut rec, cfg) = self.open(RecordType::CMC, commune, date, None, rng);
        let (mut tp, mut tn) = (truth("cm", fi), truth("nc", ci));
        person_part(
            &mut rec,
            "cm",
            self.people,
            fi,
            date,
            false,
            &cfg,
            rng,
            &mut tp,
        );
        person_part(
            &mut rec,
            "nc",
            self.people,
            ci,
            date,
            true,
            &cfg,
            rng,
            &mut tn,
        );
        rec.cells.insert("loaiXacNhan", "Cha nhận con".to_string());
        self.push(rec, vec![tp, tn], rng)
    }
}

/// What a second registration changes: the day of birth, Văn/Thị; the truth follows.
fn rereg_differences(rec: &mut Rec, t: &mut SubjectTruth, p: &Person, a: Again) {
    if a.days != 0 {
        let d = add_days(p.dob, a.days);
        rec.cells.insert(
            "nksNgaySinh",
            format!("{:02}/{:02}/{}", d.day, d.month, d.year),
        );
        t.conflicts.retain(|c| *c != "dob");
        t.conflicts.push("dob");
        t.noise.push("rereg_day");
    }
    if a.van_thi
        && let Some(name) = rec.cells.get("nksHoTen").cloned()
    {
        let mut w: Vec<&str> = name.split_whitespace().collect();
        let gender = if p.sex == Sex::Nam { "Văn" } else { "Thị" };
        let is_gender =
            |x: &&str| crate::normalize::normalize_name(x).lower() == gender.to_lowercase();
        if let Some(i) = w.iter().position(is_gender) {
            w.remove(i);
        } else if w.len() >= 2 {
            w.insert(1, gender);
        }
        rec.cells.insert("nksHoTen", w.join(" "));
        if !t.conflicts.contains(&"name") {
            t.conflicts.push("name");
        }
        t.noise.push("rereg_van_thi");
    }
}

/// Build the records of every event, in a deterministic order.
pub fn records(
    people: &[Person],
    cfg: &NoiseConfig,
    communes: &[u32],
    seed: u64,
    rng: &mut Pcg64,
) -> Generated {
    let mut ev = Events {
        people,
        cfg,
        safe: legacy_safe(cfg),
        ascii: typing::ascii_safe(cfg),
        seed,
        books: Books::new(&cfg.survival, seed),
        communes,
        recs: Vec::new(),
        event_group: 0,
        ks_lost: vec![false; people.len()],
        recognised: vec![false; people.len()],
    };
    let ks = ev.births(rng);
    // the other books in Hà Tĩnh's proportions to the births
    let total = ks as f64 / cfg.shape.share_ks.max(1e-9);
    let target = |share: f64| (total * share).round() as usize;
    deaths(&mut ev, target(cfg.shape.share_kt), rng);
    marriages(&mut ev, target(cfg.shape.share_kh), rng);
    certifications(&mut ev, target(cfg.shape.share_hn), rng);
    let n_cmc = target(cfg.shape.share_cmc).max((total > 2000.0) as usize);
    recognitions(&mut ev, n_cmc, rng);
    Generated {
        recs: ev.recs,
        ks_lost: ev.ks_lost,
    }
}

/// Deaths registered in the province.
fn deaths(ev: &mut Events, n: usize, rng: &mut Pcg64) {
    let people = ev.people;
    let books = ev.books;
    let items = people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.exists
                && p.death
                    .is_some_and(|d| books.survives(p.home, RecordType::KT, d.year))
        })
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
        .collect();
    for pi in weighted_sample(items, n, rng) {
        let p = &people[pi as usize];
        let death = p.death.unwrap_or(EXTRACT);
        let reg = add_days(death, rng.random_range(1..30)).min(EXTRACT);
        let (mut rec, cfg) = ev.open(RecordType::KT, p.home, reg, None, rng);
        let mut t = truth("nkt", pi);
        person_part(&mut rec, "nkt", people, pi, death, true, &cfg, rng, &mut t);
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
        ev.push(rec, vec![t], rng);
    }
}

/// Marriages registered in the province (one record per couple).
fn marriages(ev: &mut Events, n: usize, rng: &mut Pcg64) {
    let people = ev.people;
    let books = ev.books;
    // a couple whose marriage one of their communes' surviving books can hold
    let kept = |h: &Person, w: &Person, d: PartialDate| {
        [h.home, w.home]
            .into_iter()
            .filter(|&c| books.survives(c, RecordType::KH, d.year))
            .collect::<Vec<u32>>()
    };
    let couples: Vec<(u32, f64)> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.exists
                && p.sex == Sex::Nam
                && p.spouse.is_some_and(|s| people[s as usize].exists)
                && p.marriage.is_some_and(|d| {
                    !kept(p, &people[p.spouse.unwrap_or(0) as usize], d).is_empty()
                })
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
    for hi in weighted_sample(couples, n, rng) {
        let h = &people[hi as usize];
        let wi = h.spouse.unwrap_or(hi);
        let w = &people[wi as usize];
        let md = h.marriage.unwrap_or(EXTRACT);
        let homes = kept(h, w, md);
        let commune = homes[rng.random_range(0..homes.len())];
        let (mut rec, cfg) = ev.open(RecordType::KH, commune, md, None, rng);
        let (mut tc, mut tv) = (truth("chong", hi), truth("vo", wi));
        person_part(&mut rec, "chong", people, hi, md, false, &cfg, rng, &mut tc);
        person_part(&mut rec, "vo", people, wi, md, false, &cfg, rng, &mut tv);
        if h.divorced {
            rec.cells.insert("tinhTrangKetHon", "Đã ly hôn".to_string());
        }
        ev.push(rec, vec![tc, tv], rng);
    }
}

/// Marital-status certifications.
fn certifications(ev: &mut Events, n: usize, rng: &mut Pcg64) {
    let people = ev.people;
    let adults: Vec<u32> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.exists && p.dob.year <= 2006)
        .map(|(i, _)| i as u32)
        .collect();
    for _ in 0..n {
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
        let (mut rec, cfg) = ev.open(RecordType::HN, p.home, date, None, rng);
        let mut t = truth("nxn", pi);
        person_part(&mut rec, "nxn", people, pi, date, true, &cfg, rng, &mut t);
        let state = if married {
            "Đang có vợ/chồng"
        } else if p.divorced {
            "Đã ly hôn"
        } else {
            "Chưa đăng ký kết hôn với ai"
        };
        rec.cells.insert("nxnTinhTrangHonNhan", state.to_string());
        rec.cells
            .insert("nxnMucDichSuDung", "Bổ sung hồ sơ".to_string());
        if ev.push(rec, vec![t], rng) {
            // certificates name their issuing agency noiCap
            let rec = ev.recs.last_mut().expect("just pushed");
            if let Some(v) = rec.cells.remove("noiDangKy") {
                rec.cells.insert("noiCap", v);
            }
        }
    }
}

/// Parent-child recognitions of children whose birth books name their father (a handful).
fn recognitions(ev: &mut Events, n: usize, rng: &mut Pcg64) {
    let people = ev.people;
    let children: Vec<u32> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.exists && p.father.is_some_and(|f| people[f as usize].exists) && p.dob.year >= 1990
        })
        .map(|(i, _)| i as u32)
        .collect();
    for _ in 0..n {
        if children.is_empty() {
            break;
        }
        let ci = children[rng.random_range(0..children.len())];
        let child = &people[ci as usize];
        let fi = child.father.unwrap_or(ci);
        let date = add_days(child.dob, rng.random_range(30..2000)).min(EXTRACT);
        ev.cmc(fi, ci, child.home, date, rng);
    }
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

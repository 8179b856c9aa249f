//! Building the dataset: subjects from the civil rows (one per role), persons from the extract,
//! names interned, places resolved with the registration place as the prior of the place of birth.
use super::intern::{self, NONE, NameTable, hash_str};
use super::{CivilFile, Dataset, Marital, PersonRec, Role, Subject, flag, parse_marital};
use crate::ingest::{RecordType, Table, TableKind};
use crate::normalize::catalog::{CATALOG, Lookup};
use crate::normalize::date::{DateIssue, parse_date_with_pivot};
use crate::normalize::{PartialDate, PersonalId, Sex, parse_id};
use crate::places::{Context, PlaceIssue, PlaceRef, Places};
use rayon::prelude::*;
use std::collections::HashMap;

/// The fields of a subject as raw text, read from its table row.
struct RawSubject<'a> {
    name: &'a str,
    sex: &'a str,
    dob: &'a str,
    birth_place: &'a str,
    residence: &'a str,
    ethnicity: &'a str,
    father: &'a str,
    mother: &'a str,
    spouse: &'a str,
    id: &'a str,
    event_date: &'a str,
}

fn raw_subject<'a>(t: &'a Table, r: usize, role: Role) -> RawSubject<'a> {
    let p = role.prefix();
    let f = |suffix: &str| t.cell(r, &format!("{p}{suffix}"));
    let (father, mother) = if role == Role::Nks {
        (t.cell(r, "chaHoTen"), t.cell(r, "meHoTen"))
    } else {
        ("", "")
    };
    let spouse = match role {
        Role::Chong => t.cell(r, "voHoTen"),
        Role::Vo => t.cell(r, "chongHoTen"),
        _ => "",
    };
    let event_date = match role {
        Role::Nkt => t.cell(r, "nktNgayChet"),
        Role::Chong | Role::Vo => {
            let d = t.cell(r, "ngayXacLapQuanHeHonNhan");
            if d.trim().is_empty() {
                t.cell(r, "ngayDangKy")
            } else {
                d
            }
        }
        _ => "",
    };
    RawSubject {
        name: f("HoTen"),
        sex: f("GioiTinh"),
        dob: f("NgaySinh"),
        // the free text, or else the unit code the template keeps beside it
        birth_place: match role {
            Role::Nks if f("NoiSinh").trim().is_empty() => f("NoiSinhDVHC"),
            Role::Nks => f("NoiSinh"),
            _ => "",
        },
        residence: if role == Role::Nks { "" } else { f("NoiCuTru") },
        ethnicity: f("DanToc"),
        father,
        mother,
        spouse,
        id: f("SoGiayToTuyThan"),
        event_date,
    }
}

/// Date parsing with flag bits.
fn date(s: &str, pivot: u16, flags: &mut u32) -> Option<PartialDate> {
    if s.trim().is_empty() {
        return None;
    }
    let d = parse_date_with_pivot(s, pivot);
    match d.issue {
        Some(DateIssue::ImpossibleDate) => *flags |= flag::IMPOSSIBLE_DATE,
        Some(DateIssue::TwoDigitYear) => *flags |= flag::TWO_DIGIT_YEAR,
        Some(DateIssue::AgeNotDate) => {}
        Some(_) => *flags |= flag::INVALID_DATE,
        None => {}
    }
    match d.issue {
        Some(DateIssue::Unparseable | DateIssue::ImplausibleYear | DateIssue::AgeNotDate) => None,
        // a month above 12 keeps only its year for comparisons
        Some(DateIssue::InvalidMonth) => d.date.map(|x| PartialDate {
            year: x.year,
            month: 0,
            day: 0,
        }),
        _ => d.date,
    }
}

fn sex_of(s: &str) -> Option<Sex> {
    match CATALOG.sex(s) {
        Lookup::Found(v) => v,
        _ => None,
    }
}

fn ethnicity_of(s: &str) -> Option<u8> {
    CATALOG.ethnicity(s).found().map(|i| i as u8)
}

fn id_of(s: &str, flags: &mut u32) -> (Option<PersonalId>, Option<u32>) {
    let p = parse_id(s);
    if p.issue.is_some_and(|i| {
        matches!(
            i,
            crate::normalize::id::IdIssue::WrongLength
                | crate::normalize::id::IdIssue::NotDigits
                | crate::normalize::id::IdIssue::UnknownProvince
        )
    }) {
        *flags |= flag::INVALID_ID;
    }
    (p.id, p.cmnd.and_then(|c| c.parse().ok()))
}

/// The number part and year of a register number like "15/2005" or "15".
fn register_number(so: &str) -> Option<(u32, Option<u16>)> {
    let parts: Vec<&str> = so
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let n = parts.first()?.parse().ok()?;
    let year = parts
        .get(1)
        .and_then(|y| y.parse::<u16>().ok())
        .filter(|y| (1850..=2100).contains(y));
    Some((n, year))
}

/// The registering agency of a row: `noiDangKy`, or `noiCap` (HN books) when that is empty.
fn agency(t: &Table, r: usize) -> &str {
    let a = t.cell(r, "noiDangKy");
    if a.trim().is_empty() {
        t.cell(r, "noiCap")
    } else {
        a
    }
}

/// Places to resolve: raw text with its context.
#[derive(Default)]
struct PlaceQueue {
    keys: Vec<(String, u8, u32, bool)>,
    index: HashMap<(String, u8, u32, bool), u32>,
}

impl PlaceQueue {
    fn add(&mut self, text: &str, province: Option<u8>, prior: u32, new_era: bool) -> u32 {
        if text.trim().is_empty() {
            return NONE;
        }
        let k = (text.to_string(), province.unwrap_or(0), prior, new_era);
        if let Some(&i) = self.index.get(&k) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push(k.clone());
        self.index.insert(k, i);
        i
    }
}

/// Resolve queued places; priors refer to places of an earlier round (already resolved).
fn resolve_round(queue: &PlaceQueue, resolved: &[PlaceRef], places: &Places) -> Vec<PlaceRef> {
    queue
        .keys
        .par_iter()
        .map(|(text, prov, prior, new_era)| {
            let prior = (*prior != NONE).then(|| &resolved[*prior as usize]);
            places.resolve(
                text,
                Context {
                    province: (*prov != 0).then_some(*prov),
                    prior,
                    new_era: *new_era,
                },
            )
        })
        .collect()
}

/// Build the dataset from the ingested tables.
pub fn build(tables: &[&Table], places: &Places, rules: &crate::rules::Rules) -> Dataset {
    let pivot = rules.two_digit_year_pivot;
    let new_era_from = PartialDate::ymd(2025, 7, 1);
    let mut names = NameTable::default();
    let mut civil_files = Vec::new();
    let mut population_files = Vec::new();
    let civil: Vec<(u32, &Table, RecordType)> = tables
        .iter()
        .filter_map(|&t| match t.kind {
            TableKind::Civil(rt) => Some((t, rt)),
            TableKind::Population => None,
        })
        .enumerate()
        .map(|(i, (t, rt))| (i as u32, t, rt))
        .collect();
    for (_, t, rt) in &civil {
        civil_files.push(CivilFile {
            source_file: t.source_file.clone(),
            record_type: *rt,
        });
    }
    let pops: Vec<&Table> = tables
        .iter()
        .copied()
        .filter(|t| t.kind == TableKind::Population)
        .collect();
    for t in &pops {
        population_files.push(t.source_file.clone());
    }

    // registration places first: they are the prior of places of birth
    let given_province = rules.province.parse::<u8>().ok();
    let mut q1 = PlaceQueue::default();
    let mut reg_ids: Vec<Vec<u32>> = Vec::new();
    for (_, t, _) in &civil {
        let dcol = t.col("ngayDangKy");
        reg_ids.push(
            (0..t.len())
                .map(|r| {
                    let new_era = dcol
                        .and_then(|c| parse_date_with_pivot(t.data[c].get(r), pivot).date)
                        .is_some_and(|d| d >= new_era_from);
                    q1.add(agency(t, r), given_province, NONE, new_era)
                })
                .collect(),
        );
    }
    let mut pop_reg: Vec<Vec<u32>> = Vec::new();
    for t in &pops {
        let col = t.col("noi_dang_ky_khai_sinh");
        pop_reg.push(
            (0..t.len())
                .map(|r| {
                    col.map_or(NONE, |c| {
                        q1.add(t.data[c].get(r), given_province, NONE, false)
                    })
                })
                .collect(),
        );
    }
    let round1 = resolve_round(&q1, &[], places);
    // the job's province: given, or the province of most civil records' registering agency
    let province = given_province.or_else(|| {
        let mut counts: HashMap<u8, usize> = HashMap::new();
        for ids in &reg_ids {
            for &id in ids {
                if id != NONE
                    && let Some(p) = round1[id as usize].province
                {
                    *counts.entry(p).or_default() += 1;
                }
            }
        }
        counts
            .into_iter()
            .max_by_key(|(p, n)| (*n, std::cmp::Reverse(*p)))
            .map(|(p, _)| p)
    });
    let mut q2 = PlaceQueue::default();
    // round-1 places re-queued with the job province as context, so ids live in one table
    let reg_final: Vec<u32> = q1
        .keys
        .iter()
        .map(|(text, _, _, ne)| q2.add(text, province, NONE, *ne))
        .collect();
    let remap = |id: u32| {
        if id == NONE {
            NONE
        } else {
            reg_final[id as usize]
        }
    };

    // subjects
    let mut subjects: Vec<Subject> = Vec::new();
    let mut name_raw: Vec<&str> = Vec::new();
    let mut birth_raw: Vec<(usize, &str)> = Vec::new();
    let mut home_raw: Vec<(usize, &str)> = Vec::new();
    for (ti, t, rt) in &civil {
        let signer = t.col("nguoiKy");
        let so_col = t.col("so");
        let quyen_col = t.col("quyenSo");
        let date_col = t.col("ngayDangKy");
        let state_col = t.col("tinhTrangKetHon");
        let hn_col = t.col("nxnTinhTrangHonNhan");
        let cmc_kind = t.col("loaiXacNhan");
        for r in 0..t.len() {
            let mut rec_flags = 0u32;
            if signer.is_some_and(|c| t.data[c].get(r).trim().is_empty()) || signer.is_none() {
                rec_flags |= flag::MISSING_SIGNER;
            }
            let so = so_col.map_or("", |c| t.data[c].get(r)).trim();
            let quyen = quyen_col.map_or("", |c| t.data[c].get(r)).trim();
            if so.is_empty() || quyen.is_empty() {
                rec_flags |= flag::MISSING_BOOK_NUMBER;
            }
            let reg_date = date(
                date_col.map_or("", |c| t.data[c].get(r)),
                pivot,
                &mut rec_flags,
            );
            let reg_text = agency(t, r);
            let (number, book_key) = match register_number(so) {
                Some((n, so_year)) => {
                    let year = reg_date.map(|d| d.year).or(so_year).unwrap_or(0);
                    if let (Some(sy), Some(d)) = (so_year, reg_date)
                        && sy != d.year
                    {
                        rec_flags |= flag::NUMBERING_CONTINUED;
                    }
                    // the agency by its resolved commune (books write it in several ways), else its text
                    let rid = reg_ids[*ti as usize][r];
                    let agency = match (rid != NONE)
                        .then(|| round1[rid as usize].commune)
                        .flatten()
                    {
                        Some(c) => c as u64,
                        None => hash_str(&crate::normalize::text::loose_key(reg_text)),
                    };
                    let book = intern::mix(
                        intern::mix(agency, *rt as u64),
                        hash_str(&crate::normalize::text::loose_key(quyen)),
                    );
                    (
                        Some((book, n, year)),
                        Some(intern::mix(intern::mix(book, n as u64), year as u64)),
                    )
                }
                None => (None, None),
            };
            let dissolved = state_col.is_some_and(|c| {
                let k = crate::normalize::text::loose_key(t.data[c].get(r));
                k.contains("lyhon") || k.contains("huy")
            });
            let certified = hn_col.map_or(Marital::Unknown, |c| parse_marital(t.data[c].get(r)));
            for &role in Role::of(*rt) {
                let raw = raw_subject(t, r, role);
                let mut flags = rec_flags;
                if t.row_decoded[r] != 0 {
                    flags |= flag::LEGACY_ENCODING;
                }
                let sex = match role {
                    Role::Chong => Some(Sex::Nam),
                    Role::Vo => Some(Sex::Nu),
                    Role::Cm => sex_of(raw.sex).or_else(|| {
                        let k = cmc_kind
                            .map(|c| crate::normalize::text::loose_key(t.data[c].get(r)))
                            .unwrap_or_default();
                        if k.starts_with("chanhan") || k.ends_with("nhancha") {
                            Some(Sex::Nam)
                        } else if k.starts_with("menhan") || k.ends_with("nhanme") {
                            Some(Sex::Nu)
                        } else {
                            None
                        }
                    }),
                    _ => sex_of(raw.sex),
                };
                let dob = date(raw.dob, pivot, &mut flags);
                let event_date = date(raw.event_date, pivot, &mut flags);
                let (id, cmnd) = id_of(raw.id, &mut flags);
                if let Some(id) = id {
                    for m in id.check(sex, dob.map(|d| d.year), None) {
                        flags |= match m {
                            crate::normalize::id::IdMismatch::Sex => flag::ID_SEX_MISMATCH,
                            crate::normalize::id::IdMismatch::BirthYear => {
                                flag::ID_BIRTH_YEAR_MISMATCH
                            }
                            crate::normalize::id::IdMismatch::Province => {
                                flag::ID_PROVINCE_MISMATCH
                            }
                        };
                    }
                }
                // registered before the event it registers
                let event = if role == Role::Nks {
                    dob
                } else if role == Role::Nkt {
                    event_date
                } else {
                    None
                };
                if let (Some(rd), Some(ev)) = (reg_date, event)
                    && rd.precision() == crate::normalize::Precision::Day
                    && ev.precision() == crate::normalize::Precision::Day
                    && rd < ev
                {
                    flags |= flag::REGISTRATION_BEFORE_EVENT;
                }
                if raw.name.trim().is_empty() || (role == Role::Nks && raw.dob.trim().is_empty()) {
                    flags |= flag::MISSING_MANDATORY;
                }
                let si = subjects.len();
                name_raw.extend([raw.name, raw.father, raw.mother, raw.spouse]);
                if !raw.birth_place.trim().is_empty() {
                    birth_raw.push((si, raw.birth_place));
                }
                if !raw.residence.trim().is_empty() {
                    home_raw.push((si, raw.residence));
                }
                let reg_place = remap(reg_ids[*ti as usize][r]);
                subjects.push(Subject {
                    table: *ti,
                    row: r as u32,
                    source_row: t.source_rows[r],
                    record_type: *rt,
                    role,
                    name: NONE,
                    sex,
                    dob,
                    birth_place: NONE,
                    reg_place,
                    residence: if role == Role::Nks { NONE } else { reg_place },
                    reg_date,
                    ethnicity: ethnicity_of(raw.ethnicity),
                    father: NONE,
                    mother: NONE,
                    spouse: NONE,
                    id,
                    cmnd,
                    event_date,
                    dissolved,
                    certified,
                    book_key,
                    number,
                    flags,
                    decoded: t.row_decoded[r],
                });
            }
        }
    }
    // persons
    let mut persons: Vec<PersonRec> = Vec::new();
    let mut pop_birth: Vec<(usize, &str)> = Vec::new();
    let mut pop_home: Vec<(usize, &str)> = Vec::new();
    for (pi, t) in pops.iter().enumerate() {
        let c = |name: &str| t.col(name);
        let (cid, cname, cdob, csex, cbirth, ceth, cfa, cmo, csp, cmar, cdeath, ccmnd) = (
            c("so_dinh_danh"),
            c("ho_ten"),
            c("ngay_sinh"),
            c("gioi_tinh"),
            c("noi_sinh"),
            c("dan_toc"),
            c("ho_ten_cha"),
            c("ho_ten_me"),
            c("ho_ten_vo_chong"),
            c("tinh_trang_hon_nhan"),
            c("ngay_chet"),
            c("so_cmnd"),
        );
        let chome = c("noi_thuong_tru");
        let get = |col: Option<usize>, r: usize| col.map_or("", |c| t.data[c].get(r));
        for r in 0..t.len() {
            let mut fl = 0u32;
            let raw_id = get(cid, r);
            let (id, _) = id_of(raw_id, &mut fl);
            let (_, cmnd) = id_of(get(ccmnd, r), &mut fl);
            let person_id = match id {
                Some(i) => i.digits(),
                None if !raw_id.trim().is_empty() => raw_id.trim().to_string(),
                None => format!("{}:{}", t.source_file, t.source_rows[r]),
            };
            name_raw.extend([get(cname, r), get(cfa, r), get(cmo, r), get(csp, r)]);
            let b = get(cbirth, r);
            if !b.trim().is_empty() {
                pop_birth.push((persons.len(), b));
            }
            let h = get(chome, r);
            if !h.trim().is_empty() {
                pop_home.push((persons.len(), h));
            }
            persons.push(PersonRec {
                person_id,
                name: NONE,
                sex: sex_of(get(csex, r)),
                dob: date(get(cdob, r), pivot, &mut fl),
                birth_place: NONE,
                reg_place: remap(pop_reg[pi][r]),
                residence: NONE,
                ethnicity: ethnicity_of(get(ceth, r)),
                father: NONE,
                mother: NONE,
                spouse: NONE,
                id,
                cmnd,
                death: date(get(cdeath, r), pivot, &mut fl),
                marital: parse_marital(get(cmar, r)),
                source: (pi as u32, r as u32),
            });
        }
    }
    // names: all at once, distinct strings normalized in parallel
    let ids = names.intern_raw(&name_raw);
    let ns = subjects.len();
    for (i, s) in subjects.iter_mut().enumerate() {
        s.name = ids[i * 4];
        s.father = ids[i * 4 + 1];
        s.mother = ids[i * 4 + 2];
        s.spouse = ids[i * 4 + 3];
    }
    for (i, p) in persons.iter_mut().enumerate() {
        let b = (ns + i) * 4;
        p.name = ids[b];
        p.father = ids[b + 1];
        p.mother = ids[b + 2];
        p.spouse = ids[b + 3];
    }
    // places of birth, with the registration place as the prior
    let reg_round: Vec<PlaceRef> = resolve_round(&q2, &[], places);
    let mut q3 = PlaceQueue::default();
    let births: Vec<(usize, u32)> = birth_raw
        .iter()
        .map(|(si, text)| {
            let s = &subjects[*si];
            let new_era = s.reg_date.is_some_and(|d| d >= new_era_from);
            (*si, q3.add(text, province, s.reg_place, new_era))
        })
        .collect();
    let pop_births: Vec<(usize, u32)> = pop_birth
        .iter()
        .map(|(pi, text)| (*pi, q3.add(text, province, persons[*pi].reg_place, false)))
        .collect();
    // residences: the record's own, near its registering agency; the registry's
    let homes: Vec<(usize, u32)> = home_raw
        .iter()
        .map(|(si, text)| {
            let s = &subjects[*si];
            let new_era = s.reg_date.is_some_and(|d| d >= new_era_from);
            (*si, q3.add(text, province, s.reg_place, new_era))
        })
        .collect();
    let pop_homes: Vec<(usize, u32)> = pop_home
        .iter()
        .map(|(pi, text)| (*pi, q3.add(text, province, NONE, false)))
        .collect();
    let round3 = resolve_round(&q3, &reg_round, places);
    let offset = reg_round.len() as u32;
    let mut all_places = reg_round;
    all_places.extend(round3);
    for (si, id) in births {
        subjects[si].birth_place = if id == NONE { NONE } else { id + offset };
    }
    for (pi, id) in pop_births {
        persons[pi].birth_place = if id == NONE { NONE } else { id + offset };
    }
    // the book's own residence when it names a commune; else the registering agency stays
    for (si, id) in homes {
        if id != NONE {
            let p = &all_places[(id + offset) as usize];
            if p.commune.is_some() || !p.communes_2025.is_empty() {
                subjects[si].residence = id + offset;
            }
        }
    }
    for (pi, id) in pop_homes {
        persons[pi].residence = if id == NONE { NONE } else { id + offset };
    }
    for s in &mut subjects {
        for p in [s.reg_place, s.birth_place] {
            if p != NONE && all_places[p as usize].issue == Some(PlaceIssue::UnresolvedPlace) {
                s.flags |= flag::UNRESOLVED_PLACE;
            }
        }
    }
    mark_numbering(&mut subjects);
    Dataset {
        names,
        places: all_places,
        subjects,
        persons,
        civil_files,
        population_files,
        province,
    }
}

/// Numbering that continues across years within one book: the first number of a year is the
/// previous year's last number + 1 instead of 1 (TT 04/2020 Art. 29(3) says numbers restart at 01).
fn mark_numbering(subjects: &mut [Subject]) {
    // (book, year) → (min, max) register number
    let mut span: HashMap<(u64, u16), (u32, u32)> = HashMap::new();
    for s in subjects.iter() {
        if let Some((book, n, year)) = s.number
            && year != 0
        {
            let e = span.entry((book, year)).or_insert((n, n));
            e.0 = e.0.min(n);
            e.1 = e.1.max(n);
        }
    }
    let mut continued: std::collections::HashSet<(u64, u16)> = std::collections::HashSet::new();
    for (&(book, year), &(min, _)) in &span {
        if min > 1
            && let Some(&(_, prev_max)) = span.get(&(book, year - 1))
            && min == prev_max + 1
        {
            continued.insert((book, year));
        }
    }
    for s in subjects.iter_mut() {
        if let Some((book, _, year)) = s.number
            && continued.contains(&(book, year))
        {
            s.flags |= flag::NUMBERING_CONTINUED;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_numbers() {
        assert_eq!(register_number("15/2005"), Some((15, Some(2005))));
        assert_eq!(register_number("15"), Some((15, None)));
        assert_eq!(register_number(""), None);
    }
}

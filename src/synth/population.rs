//! A province's people: founders, marriages and children over generations, deaths, IDs.
use crate::normalize::id::PROVINCE_CODES;
use crate::normalize::names_data::NAME_DATA;
use crate::normalize::{PartialDate, PersonalId, Sex};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use std::collections::HashSet;

/// The extract date: the registry is read in late 2025.
pub const EXTRACT: PartialDate = PartialDate {
    year: 2025,
    month: 10,
    day: 31,
};

/// One generated person (the truth).
#[derive(Clone, Debug)]
pub struct Person {
    /// sex
    pub sex: Sex,
    /// date of birth
    pub dob: PartialDate,
    /// canonical lowercase syllables: family, then middle, then given
    pub name: Vec<String>,
    /// number of family syllables
    pub fam_len: usize,
    /// father (index), when in the population
    pub father: Option<u32>,
    /// mother (index)
    pub mother: Option<u32>,
    /// father's name (always known)
    pub father_name: Vec<String>,
    /// mother's name
    pub mother_name: Vec<String>,
    /// spouse (index)
    pub spouse: Option<u32>,
    /// marriage date (for a married person)
    pub marriage: Option<PartialDate>,
    /// the marriage was dissolved
    pub divorced: bool,
    /// date of death
    pub death: Option<PartialDate>,
    /// born in the province
    pub born_here: bool,
    /// legacy commune of birth (in another province when born elsewhere)
    pub birth_commune: u32,
    /// legacy commune of residence in the province
    pub home: u32,
    /// ethnic group index
    pub ethnicity: u8,
    /// personal ID
    pub id: PersonalId,
    /// CMND (adults of the CMND era)
    pub cmnd: Option<u32>,
    /// part of the generated population (trimmed persons are not)
    pub exists: bool,
    /// has children
    pub has_children: bool,
}

/// Weighted choice over (value, weight).
pub struct Weighted<T> {
    items: Vec<T>,
    cum: Vec<f64>,
}

impl<T: Clone> Weighted<T> {
    /// Build from pairs.
    pub fn new(pairs: &[(T, f64)]) -> Self {
        let mut cum = Vec::with_capacity(pairs.len());
        let mut acc = 0.0;
        for (_, w) in pairs {
            acc += w.max(0.0);
            cum.push(acc);
        }
        Weighted {
            items: pairs.iter().map(|(t, _)| t.clone()).collect(),
            cum,
        }
    }
    /// Draw one.
    pub fn draw(&self, rng: &mut Pcg64) -> T {
        let total = *self.cum.last().unwrap_or(&1.0);
        let r = rng.random::<f64>() * total;
        let i = self
            .cum
            .partition_point(|&c| c <= r)
            .min(self.items.len() - 1);
        self.items[i].clone()
    }
}

fn date_in(rng: &mut Pcg64, year: u16) -> PartialDate {
    let month = rng.random_range(1..=12u8);
    let day = rng.random_range(1..=crate::normalize::date::days_in_month(year, month));
    PartialDate::ymd(year, month, day)
}

/// Add days to a date.
pub fn add_days(d: PartialDate, days: i32) -> PartialDate {
    d.add_days(days)
}

/// Name samplers by sex and era.
pub struct Namer {
    family: Weighted<String>,
    middle: [Weighted<String>; 2],
    middle_modern: [Weighted<String>; 2],
    given: [Weighted<String>; 2],
}

impl Default for Namer {
    fn default() -> Self {
        Namer::new()
    }
}

impl Namer {
    /// From the embedded name data.
    pub fn new() -> Self {
        let d = &*NAME_DATA;
        // younger generations carry Văn/Thị less often (vietnamese-text.md §3.4)
        let modern = |list: &[(String, f64)]| -> Vec<(String, f64)> {
            list.iter()
                .map(|(n, w)| {
                    (
                        n.clone(),
                        if n == "văn" || n == "thị" {
                            w * 0.45
                        } else {
                            *w
                        },
                    )
                })
                .collect()
        };
        Namer {
            family: Weighted::new(&d.family),
            middle: [Weighted::new(&d.middle[0]), Weighted::new(&d.middle[1])],
            middle_modern: [
                Weighted::new(&modern(&d.middle[0])),
                Weighted::new(&modern(&d.middle[1])),
            ],
            given: [Weighted::new(&d.given[0]), Weighted::new(&d.given[1])],
        }
    }
    /// A family name.
    pub fn family(&self, rng: &mut Pcg64) -> Vec<String> {
        self.family
            .draw(rng)
            .split(' ')
            .map(str::to_string)
            .collect()
    }
    /// Middle and given for a sex and birth year, avoiding given names in `avoid`.
    pub fn rest(&self, sex: Sex, year: u16, avoid: &[String], rng: &mut Pcg64) -> Vec<String> {
        let s = (sex == Sex::Nu) as usize;
        let m = if year >= 1985 {
            self.middle_modern[s].draw(rng)
        } else {
            self.middle[s].draw(rng)
        };
        let mut given = self.given[s].draw(rng);
        for _ in 0..5 {
            if !avoid.contains(&given) && given != m {
                break;
            }
            given = self.given[s].draw(rng);
        }
        let mut out: Vec<String> = m
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect();
        out.push(given);
        out
    }
}

/// Generate the people of a province.
pub struct Generator<'a> {
    /// legacy communes of the province
    pub communes: &'a [u32],
    /// communes of other provinces (for people born elsewhere), with their province
    pub elsewhere: &'a [(u32, u8)],
    /// the province's legacy code
    pub province: u8,
    /// share of in-laws born elsewhere
    pub inlaw_elsewhere: f64,
}

fn children_mean(mother_year: u16) -> f64 {
    match mother_year {
        ..1940 => 4.6,
        1940..1950 => 4.0,
        1950..1960 => 3.2,
        1960..1970 => 2.6,
        1970..1980 => 2.2,
        _ => 1.9,
    }
}

impl Generator<'_> {
    fn death(&self, dob: PartialDate, rng: &mut Pcg64) -> Option<PartialDate> {
        let age_days = if rng.random::<f64>() < 0.02 {
            rng.random_range(1..365 * 3)
        } else {
            // age at death roughly normal around 76 (sum of uniforms)
            let a: f64 = (0..4).map(|_| rng.random::<f64>()).sum::<f64>() / 4.0;
            let years = 46.0 + a * 60.0 + rng.random::<f64>() * 4.0;
            (years * 365.25) as i32
        };
        let d = add_days(dob, age_days);
        (d <= EXTRACT).then_some(d)
    }

    fn new_person(
        &self,
        out: &mut Vec<Person>,
        sex: Sex,
        dob: PartialDate,
        name: Vec<String>,
        fam_len: usize,
        parents: (Option<u32>, Option<u32>),
        parent_names: (Vec<String>, Vec<String>),
        home: u32,
        born_here: bool,
        ethnicity: u8,
        rng: &mut Pcg64,
    ) -> u32 {
        let birth_commune = if born_here {
            home
        } else {
            self.elsewhere[rng.random_range(0..self.elsewhere.len())].0
        };
        let death = self.death(dob, rng);
        out.push(Person {
            sex,
            dob,
            name,
            fam_len,
            father: parents.0,
            mother: parents.1,
            father_name: parent_names.0,
            mother_name: parent_names.1,
            spouse: None,
            marriage: None,
            divorced: false,
            death,
            born_here,
            birth_commune,
            home,
            ethnicity,
            id: PersonalId::from_parts(1, Sex::Nam, 1900, 0).expect("placeholder"),
            cmnd: None,
            exists: true,
            has_children: false,
        });
        (out.len() - 1) as u32
    }

    fn outsider(
        &self,
        out: &mut Vec<Person>,
        namer: &Namer,
        sex: Sex,
        year: u16,
        home: u32,
        here: bool,
        rng: &mut Pcg64,
    ) -> u32 {
        let fam = namer.family(rng);
        let fam_len = fam.len();
        let mut name = fam.clone();
        name.extend(namer.rest(sex, year, &[], rng));
        let mut father = fam;
        father.extend(namer.rest(Sex::Nam, year.saturating_sub(28), &[], rng));
        let mut mother = namer.family(rng);
        mother.extend(namer.rest(Sex::Nu, year.saturating_sub(25), &[], rng));
        let dob = date_in(rng, year);
        let eth = if rng.random::<f64>() < 0.01 {
            rng.random_range(1..10u8)
        } else {
            0
        };
        self.new_person(
            out,
            sex,
            dob,
            name,
            fam_len,
            (None, None),
            (father, mother),
            home,
            here,
            eth,
            rng,
        )
    }

    /// Generate about `target` people; returns exactly `target` existing persons (extra leaves
    /// are trimmed), deterministic for the seed.
    pub fn generate(&self, target: usize, seed: u64) -> Vec<Person> {
        let namer = Namer::new();
        // calibrate the number of founders with a small trial run
        let trial_f = 400usize;
        let trial = self.run(trial_f, usize::MAX, seed, &namer).len().max(1);
        let founders = ((trial_f as f64) * (target as f64) / (trial as f64) * 1.03).ceil() as usize;
        let mut people = self.run(founders.max(2), target * 2, seed, &namer);
        // trim random childless unmarried persons down to the target
        let mut rng = Pcg64::seed_from_u64(seed ^ 0x7A11);
        let mut excess = people.len().saturating_sub(target);
        let mut tries = 0usize;
        while excess > 0 && tries < people.len() * 8 {
            tries += 1;
            let i = rng.random_range(0..people.len());
            let p = &people[i];
            if p.exists && !p.has_children && p.spouse.is_none() {
                people[i].exists = false;
                excess -= 1;
            }
        }
        self.assign_ids(&mut people, seed);
        people
    }

    fn run(&self, founders: usize, cap: usize, seed: u64, namer: &Namer) -> Vec<Person> {
        let mut rng = Pcg64::seed_from_u64(seed);
        let mut people: Vec<Person> = Vec::new();
        let founder_years = Weighted::new(
            &(1920u16..=1962)
                .map(|y| (y, 1.0 + (y - 1920) as f64 / 10.0))
                .collect::<Vec<_>>(),
        );
        // founder couples
        let mut couples: Vec<(u32, u32, PartialDate)> = Vec::new();
        for _ in 0..founders / 2 {
            let wy = founder_years.draw(&mut rng);
            let hy = wy.saturating_sub(rng.random_range(0..7));
            let home = self.communes[rng.random_range(0..self.communes.len())];
            let h = self.outsider(&mut people, namer, Sex::Nam, hy, home, true, &mut rng);
            let w = self.outsider(&mut people, namer, Sex::Nu, wy, home, true, &mut rng);
            let my = (wy + rng.random_range(18..26)).min(2024);
            let md = date_in(&mut rng, my);
            couples.push((h, w, md));
        }
        let mut k = 0;
        while k < couples.len() && people.len() < cap {
            let (h, w, md) = couples[k];
            k += 1;
            if people[h as usize].death.is_some_and(|d| d < md)
                || people[w as usize].death.is_some_and(|d| d < md)
            {
                continue;
            }
            for (a, b) in [(h, w), (w, h)] {
                people[a as usize].spouse = Some(b);
                people[a as usize].marriage = Some(md);
            }
            if rng.random::<f64>() < 0.03 {
                people[h as usize].divorced = true;
                people[w as usize].divorced = true;
            }
            let wy = people[w as usize].dob.year;
            let mean = children_mean(wy);
            let n_children = ((mean + (rng.random::<f64>() - 0.5) * 2.5).round().max(0.0)) as usize;
            let mut date = add_days(md, rng.random_range(300..900));
            let mut siblings: Vec<String> = Vec::new();
            for _ in 0..n_children {
                let end = people[w as usize].death.unwrap_or(EXTRACT).min(
                    people[h as usize]
                        .death
                        .map_or(EXTRACT, |d| add_days(d, 280)),
                );
                if date > EXTRACT || date > end || date.year > wy + 43 {
                    break;
                }
                let sex = if rng.random::<bool>() {
                    Sex::Nam
                } else {
                    Sex::Nu
                };
                let father = &people[h as usize];
                let fam: Vec<String> = father.name[..father.fam_len].to_vec();
                let fam_len = fam.len();
                let mut name = fam;
                let rest = namer.rest(sex, date.year, &siblings, &mut rng);
                siblings.push(rest.last().cloned().unwrap_or_default());
                name.extend(rest);
                let (home, eth) = (people[h as usize].home, people[h as usize].ethnicity);
                let (fname, mname) = (
                    people[h as usize].name.clone(),
                    people[w as usize].name.clone(),
                );
                let c = self.new_person(
                    &mut people,
                    sex,
                    date,
                    name,
                    fam_len,
                    (Some(h), Some(w)),
                    (fname, mname),
                    home,
                    true,
                    eth,
                    &mut rng,
                );
                people[h as usize].has_children = true;
                people[w as usize].has_children = true;
                // the child marries an in-law at 19–32 if alive and old enough by now
                if let Some(couple) =
                    self.marry_child(&mut people, namer, (c, sex, date, home), &mut rng)
                {
                    couples.push(couple);
                }
                date = add_days(date, rng.random_range(400..1600));
            }
        }
        people
    }

    /// A child (`c`, of this sex, born that date at that home) who marries, at 19–32, an in-law
    /// from here or elsewhere: the new couple, to have children in turn.
    fn marry_child(
        &self,
        people: &mut Vec<Person>,
        namer: &Namer,
        (c, sex, date, home): (u32, Sex, PartialDate, u32),
        rng: &mut Pcg64,
    ) -> Option<(u32, u32, PartialDate)> {
        let age = rng.random_range(19..33u16);
        let my = date.year + age;
        if my <= 2024
            && rng.random::<f64>() < 0.86
            && people[c as usize].death.is_none_or(|d| d.year > my)
        {
            let here = rng.random::<f64>() >= self.inlaw_elsewhere;
            let other_year = if sex == Sex::Nam {
                date.year + rng.random_range(0..6)
            } else {
                date.year.saturating_sub(rng.random_range(0..6))
            };
            let spouse_home = if here {
                self.communes[rng.random_range(0..self.communes.len())]
            } else {
                home
            };
            let other_sex = if sex == Sex::Nam { Sex::Nu } else { Sex::Nam };
            let o = self.outsider(
                people,
                namer,
                other_sex,
                other_year.min(2006),
                spouse_home,
                here,
                rng,
            );
            // patrilocal: the couple lives at the husband's home
            let (hh, ww) = if sex == Sex::Nam { (c, o) } else { (o, c) };
            let couple_home = if rng.random::<f64>() < 0.85 {
                people[hh as usize].home
            } else {
                self.communes[rng.random_range(0..self.communes.len())]
            };
            people[hh as usize].home = couple_home;
            people[ww as usize].home = couple_home;
            return Some((hh, ww, date_in(rng, my)));
        }
        None
    }

    fn assign_ids(&self, people: &mut [Person], seed: u64) {
        let mut rng = Pcg64::seed_from_u64(seed ^ 0x1D);
        let mut used: HashSet<u64> = HashSet::new();
        let other: Vec<u16> = PROVINCE_CODES
            .iter()
            .copied()
            .filter(|&c| c != self.province as u16)
            .collect();
        for p in people.iter_mut() {
            let prov = if p.born_here {
                self.province as u16
            } else {
                crate::places::GAZETTEER
                    .communes
                    .get(&p.birth_commune)
                    .map_or(other[0], |c| c.province as u16)
            };
            loop {
                let r = rng.random_range(0..1_000_000u32);
                if let Some(id) = PersonalId::from_parts(prov, p.sex, p.dob.year, r)
                    && used.insert(id.value())
                {
                    p.id = id;
                    break;
                }
            }
            if p.dob.year < 2002 {
                let prefix: u32 = if self.province == 42 {
                    18
                } else {
                    10 + (self.province as u32 % 80)
                };
                p.cmnd = Some(prefix * 10_000_000 + rng.random_range(0..10_000_000u32));
            }
        }
    }
}

//! Which books the drop holds. Provinces digitized the books that survived, so for each commune
//! and record type the registration years its books cover are inferred from the records
//! themselves; a registry person born where and when no birth book survives cannot have a birth
//! record in the drop: "book not in the drop", counted, never a finding.
use crate::ingest::RecordType;
use crate::places::{Gazetteer, PlaceRef};
use crate::subjects::{Dataset, Person, Role};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Below this many records a year, a year without any is as likely chance as a lost book.
const SPARSE: f64 = 3.0;

/// The years the drop covers, per legacy commune and record type.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// records per (commune, type, year)
    pub records: BTreeMap<(u32, RecordType, u16), u32>,
    covered: BTreeSet<(u32, RecordType, u16)>,
    /// communes with birth books, for a person whose commune is unknown
    ks_communes: BTreeSet<u32>,
    /// every registry person's [`Coverage::scope`], by person index ([`Coverage::infer`]): the
    /// findings, the summary's counts and `coverage.csv` each asked it of every person (the
    /// findings on one core)
    scopes: Vec<Scope>,
}

/// Where a registry person stands for `no_birth_record`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// the birth should be in the drop
    InScope,
    /// registered in another province
    OtherProvince,
    /// the book of the person's commune and year is not in the drop
    BookNotInDrop {
        /// legacy commune (0 when unknown)
        commune: u32,
        /// year of birth (0 when unknown)
        year: u16,
    },
}

/// The legacy communes a place names: its commune, or the predecessors of its 2025 commune.
fn legacy_communes(g: &Gazetteer, p: &PlaceRef) -> Vec<u32> {
    if let Some(c) = p.commune {
        return vec![c];
    }
    if p.district.is_none() && p.communes_2025.len() == 1 {
        return g
            .predecessors
            .get(&p.communes_2025[0])
            .cloned()
            .unwrap_or_default();
    }
    Vec::new()
}

/// The legacy communes a registry place may name: as [`legacy_communes`], and when its words also
/// name a 2025 commune (an extract written in the new units: "Xã Thạch Hà" is the 2025 commune as
/// well as the old town), that commune's predecessors too.
fn registry_communes(g: &Gazetteer, p: &PlaceRef) -> Vec<u32> {
    let mut v = legacy_communes(g, p);
    for c in &p.alt_2025 {
        v.extend(g.predecessors.get(c).into_iter().flatten());
    }
    v.sort_unstable();
    v.dedup();
    v
}

impl Coverage {
    /// Infer the coverage from the civil records (one count per record, by its registering
    /// commune and registration year).
    pub fn infer(data: &Dataset, g: &Gazetteer) -> Coverage {
        type Counts = BTreeMap<(u32, RecordType, u16), u32>;
        // counted in parallel (whole numbers: the same sums in any order)
        let records = data
            .subjects
            .par_iter()
            .fold(Counts::new, |mut m, s| {
                if Role::of(s.record_type)[0] != s.role {
                    return m;
                }
                let year = s
                    .reg_date
                    .map(|d| d.year)
                    .or(s.number.map(|n| n.year).filter(|&y| y != 0));
                let (Some(year), Some(place)) = (year, s.facts.reg_place) else {
                    return m;
                };
                for commune in legacy_communes(g, data.place(place)) {
                    *m.entry((commune, s.record_type, year)).or_default() += 1;
                }
                m
            })
            .reduce(Counts::new, |mut a, b| {
                for (k, n) in b {
                    *a.entry(k).or_default() += n;
                }
                a
            });
        let mut c = Coverage::from_counts(records);
        c.scopes = data
            .persons
            .par_iter()
            .map(|p| c.scope(data, g, p))
            .collect();
        c
    }

    /// Person `i`'s scope, as [`Coverage::scope`] gives it, from the run's persons.
    ///
    /// # Panics
    ///
    /// When `i` is not a person of the dataset the coverage was inferred from
    /// ([`Coverage::infer`]; a coverage made otherwise holds no scopes).
    pub fn scope_at(&self, i: usize) -> Scope {
        self.scopes[i]
    }

    /// The coverage of record counts per (commune, type, year).
    fn from_counts(records: BTreeMap<(u32, RecordType, u16), u32>) -> Coverage {
        let mut c = Coverage {
            records,
            ..Coverage::default()
        };
        // a year without records is a lost book; in a series so thin that an empty year can be
        // chance, one empty year between two with records is taken as covered (a run of empty
        // years is a lost book whatever the series)
        let mut series: BTreeMap<(u32, RecordType), Vec<(u16, u32)>> = BTreeMap::new();
        for (&(commune, rt, year), &n) in &c.records {
            series.entry((commune, rt)).or_default().push((year, n));
        }
        for ((commune, rt), years) in series {
            let (first, last) = (years[0].0, years[years.len() - 1].0);
            let total: u32 = years.iter().map(|(_, n)| n).sum();
            let mean = total as f64 / years.len() as f64;
            let has = |y: u16| years.binary_search_by_key(&y, |(yy, _)| *yy).is_ok();
            for y in first..=last {
                if has(y) || mean < SPARSE && y > first && y < last && has(y - 1) && has(y + 1) {
                    c.covered.insert((commune, rt, y));
                }
            }
            if rt == RecordType::KS {
                c.ks_communes.insert(commune);
            }
        }
        c
    }

    /// True when the drop holds the books of a commune, type and year.
    pub fn covers(&self, commune: u32, rt: RecordType, year: u16) -> bool {
        self.covered.contains(&(commune, rt, year))
    }

    /// True when a birth of `year` in one of `communes` is surely in a book of the drop: which
    /// one is not known (a 2025 commune names several old ones), so every one of their books
    /// must cover the year — a finding must not come from a neighbour's book.
    fn surely_covered(&self, communes: &[u32], year: u16) -> bool {
        communes
            .iter()
            .all(|&c| self.covers(c, RecordType::KS, year))
    }

    /// The share of the communes with birth books whose books cover a year.
    fn province_share(&self, year: u16) -> f64 {
        if self.ks_communes.is_empty() {
            return 0.0;
        }
        let n = self
            .ks_communes
            .iter()
            .filter(|&&c| self.covers(c, RecordType::KS, year))
            .count();
        n as f64 / self.ks_communes.len() as f64
    }

    /// Where a registry person stands for `no_birth_record`: registered in the job's province (the
    /// registration place, else the ID's first digits), and in a commune and year whose birth
    /// books are in the drop (the province's books, when the commune is not known).
    pub fn scope(&self, data: &Dataset, g: &Gazetteer, p: &Person) -> Scope {
        let place = p.facts.reg_place.map(|x| data.place(x));
        let reg_province = place.and_then(|x| x.province).or_else(|| {
            p.facts
                .id
                .and_then(|id| u8::try_from(id.province_code()).ok())
        });
        if let (Some(job), Some(prov)) = (data.province, reg_province)
            && job != prov
        {
            return Scope::OtherProvince;
        }
        let year = p.facts.dob.map(|d| d.year);
        let mut communes = place.map(|x| registry_communes(g, x)).unwrap_or_default();
        // a 2025 commune names several old ones: the place of birth may say which one
        if communes.len() > 1
            && let Some(b) = p.facts.birth_place
        {
            let born: Vec<u32> = registry_communes(g, data.place(b))
                .into_iter()
                .filter(|c| communes.contains(c))
                .collect();
            if born.len() == 1 {
                communes = born;
            }
        }
        let covered = match (communes.is_empty(), year) {
            (false, Some(y)) => self.surely_covered(&communes, y),
            (false, None) => communes.iter().any(|c| self.ks_communes.contains(c)),
            (true, Some(y)) => self.province_share(y) >= 0.5,
            (true, None) => !self.ks_communes.is_empty(),
        };
        if covered {
            Scope::InScope
        } else {
            Scope::BookNotInDrop {
                commune: communes.first().copied().unwrap_or(0),
                year: year.unwrap_or(0),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coverage(records: &[(u32, u16, u32)]) -> Coverage {
        Coverage::from_counts(
            records
                .iter()
                .map(|&(commune, year, n)| ((commune, RecordType::KS, year), n))
                .collect(),
        )
    }

    #[test]
    fn lost_years_and_thin_series() {
        // a commune whose books start in 1988 and lost 1995–1996
        let mut v: Vec<(u32, u16, u32)> = (1988..2020).map(|y| (18607, y, 120)).collect();
        v.retain(|(_, y, _)| !(1995..=1996).contains(y));
        // a thin series: two records a year, some years none
        v.extend([(18691, 2000, 2), (18691, 2002, 1), (18691, 2004, 2)]);
        let c = coverage(&v);
        assert!(
            !c.covers(18607, RecordType::KS, 1987),
            "before the first book"
        );
        assert!(c.covers(18607, RecordType::KS, 1990));
        assert!(!c.covers(18607, RecordType::KS, 1995), "a lost book");
        assert!(
            c.covers(18691, RecordType::KS, 2001),
            "a thin series: an empty year is chance"
        );
        assert!(c.covers(18691, RecordType::KS, 2003));
        assert!(!c.covers(18691, RecordType::KS, 2005));
        assert!((c.province_share(1990) - 0.5).abs() < 1e-9);
        // two empty years in a thin series: a lost book
        let c = coverage(&[(18692, 2000, 1), (18692, 2003, 2)]);
        assert!(!c.covers(18692, RecordType::KS, 2001) && !c.covers(18692, RecordType::KS, 2002));
    }
}

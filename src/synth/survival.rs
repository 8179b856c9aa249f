//! Which books survived to be digitized: per commune and record type, a first surviving year and
//! perhaps a lost run of years, drawn from the seed so that the same seed loses the same books.
use super::config::Survival;
use crate::hash::mix;
use crate::ingest::RecordType;

/// The surviving books of a province.
#[derive(Clone, Copy)]
pub struct Books<'a> {
    cfg: &'a Survival,
    seed: u64,
}

impl<'a> Books<'a> {
    /// The books of a seed.
    pub fn new(cfg: &'a Survival, seed: u64) -> Books<'a> {
        Books { cfg, seed }
    }

    /// A uniform draw in [0, 1) for a series and a purpose, independent of the record stream.
    fn draw(&self, commune: u32, rt: RecordType, what: u64) -> f64 {
        let h = mix(mix(mix(self.seed, commune as u64), rt as u64), what);
        (h >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&self, commune: u32, rt: RecordType, what: u64, lo: u16, hi: u16) -> u16 {
        let span = hi.saturating_sub(lo) as f64 + 1.0;
        lo + (self.draw(commune, rt, what) * span).floor() as u16
    }

    /// The first year whose book survived.
    pub fn first_year(&self, commune: u32, rt: RecordType) -> u16 {
        let c = self.cfg;
        match rt {
            RecordType::KS => self.between(commune, rt, 1, c.ks_first_from, c.ks_first_to),
            RecordType::KT | RecordType::KH => {
                self.between(commune, rt, 1, c.event_first_from, c.event_first_to)
            }
            RecordType::HN | RecordType::CMC => c.recent_first,
        }
    }

    /// The run of years lost after the first, if any (first, last).
    pub fn gap(&self, commune: u32, rt: RecordType) -> Option<(u16, u16)> {
        let c = self.cfg;
        if self.draw(commune, rt, 2) >= c.gap_share {
            return None;
        }
        let first = self.first_year(commune, rt) + 1;
        let last_start = c.electronic_from.saturating_sub(c.gap_max).max(first);
        let start = self.between(commune, rt, 3, first, last_start);
        let len = self.between(commune, rt, 4, c.gap_min, c.gap_max);
        Some((start, (start + len - 1).min(c.electronic_from - 1)))
    }

    /// True when the book of a commune, type and year survived.
    pub fn survives(&self, commune: u32, rt: RecordType, year: u16) -> bool {
        if year >= self.cfg.electronic_from {
            return true;
        }
        year >= self.first_year(commune, rt)
            && self
                .gap(commune, rt)
                .is_none_or(|(a, b)| year < a || year > b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::config::NoiseConfig;

    #[test]
    fn books_are_lost_before_their_first_year_and_in_gaps_only() {
        let cfg = NoiseConfig::default().survival;
        let b = Books::new(&cfg, 7);
        let mut gaps = 0;
        for commune in 18000..18100 {
            let first = b.first_year(commune, RecordType::KS);
            assert!((cfg.ks_first_from..=cfg.ks_first_to).contains(&first));
            assert!(!b.survives(commune, RecordType::KS, first - 1));
            assert!(b.survives(commune, RecordType::KS, 2020));
            if let Some((a, z)) = b.gap(commune, RecordType::KS) {
                gaps += 1;
                assert!(
                    a > first && z < cfg.electronic_from && !b.survives(commune, RecordType::KS, a)
                );
            }
        }
        assert!(
            (10..45).contains(&gaps),
            "{gaps} of 100 series lost a run of years"
        );
        let clean = NoiseConfig::clean().survival;
        assert!(Books::new(&clean, 7).survives(18001, RecordType::KS, 1930));
    }
}

//! Places compared through the gazetteer at commune, district and province level, across the two
//! vintages of administrative units.
use crate::places::{PlaceLevel, PlaceRef, Places};
use crate::subjects::{Dataset, PlaceId};

/// Levels of a place comparison.
pub mod levels {
    use crate::compare::Level;
    /// the same commune (in either vintage)
    pub const SAME_COMMUNE: u8 = 0;
    /// the same legacy district
    pub const SAME_DISTRICT: u8 = 1;
    /// the same province
    pub const SAME_PROVINCE: u8 = 2;
    /// different
    pub const DIFFERENT: u8 = 3;
    /// the levels
    pub const LEVELS: [Level; 4] = [
        Level::new("same_commune", "cùng xã", "the same commune"),
        Level::new("same_district", "cùng huyện", "the same district"),
        Level::new("same_province", "cùng tỉnh", "the same province"),
        Level::new("different", "khác tỉnh", "another province"),
    ];
}

/// The level of two places (`None` when either is missing or unresolved).
pub fn level(
    places: &Places,
    data: &Dataset,
    a: Option<PlaceId>,
    b: Option<PlaceId>,
) -> Option<u8> {
    of_refs(places, &data.places, a, b)
}

/// [`level`] over a table of places.
fn of_refs(
    places: &Places,
    refs: &[PlaceRef],
    a: Option<PlaceId>,
    b: Option<PlaceId>,
) -> Option<u8> {
    let (a, b) = (a?, b?);
    let (x, y) = (&refs[a.index()], &refs[b.index()]);
    if a == b {
        return x.is_resolved().then_some(levels::SAME_COMMUNE);
    }
    match places.compare(x, y) {
        PlaceLevel::SameCommune => Some(levels::SAME_COMMUNE),
        PlaceLevel::SameDistrict => Some(levels::SAME_DISTRICT),
        PlaceLevel::SameProvince => Some(levels::SAME_PROVINCE),
        PlaceLevel::Different => Some(levels::DIFFERENT),
        PlaceLevel::Unknown => None,
    }
}

/// A place as the comparisons read it, 20 bytes inline: a province's tens of thousands of
/// distinct places fit in the L2 cache, where their [`PlaceRef`]s (with three `Vec`s each) do not.
/// The 2025 successor sets are kept when they hold one commune at most (a legacy commune that was
/// not split); the others are read from the places, for the pairs whose level may depend on them.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    commune: u32,
    /// the one 2025 commune of `communes_2025`
    commune_2025: u32,
    /// the one 2025 commune of `alt_2025`
    alt_2025: u32,
    district: u16,
    province: u8,
    /// the 2025 province, given or mapped from the legacy one
    province_2025: u8,
    flags: u8,
}

const NONE_COMMUNE: u32 = u32::MAX;
const NONE_DISTRICT: u16 = u16::MAX;
const NONE_PROVINCE: u8 = u8::MAX;
const RESOLVED: u8 = 1;
const COMMUNE: u8 = 2;
const ALT_2025: u8 = 4;
const COMMUNES_2025: u8 = 8;
/// a successor set holds more than one commune: not in the key
const SPLIT: u8 = 16;

impl Key {
    fn of(g: &crate::places::Gazetteer, p: &PlaceRef) -> Key {
        let province_2025 = p
            .province_2025
            .or_else(|| p.province.and_then(|x| g.province_to_2025.get(&x).copied()));
        let one = |v: &[u32]| match v {
            [c] => *c,
            _ => NONE_COMMUNE,
        };
        Key {
            commune: p.commune.unwrap_or(NONE_COMMUNE),
            commune_2025: one(&p.communes_2025),
            alt_2025: one(&p.alt_2025),
            district: p.district.unwrap_or(NONE_DISTRICT),
            province: p.province.unwrap_or(NONE_PROVINCE),
            province_2025: province_2025.unwrap_or(NONE_PROVINCE),
            flags: [
                (p.is_resolved(), RESOLVED),
                (p.commune.is_some(), COMMUNE),
                (!p.alt_2025.is_empty(), ALT_2025),
                (!p.communes_2025.is_empty(), COMMUNES_2025),
                (p.communes_2025.len() > 1 || p.alt_2025.len() > 1, SPLIT),
            ]
            .iter()
            .fold(0, |f, &(on, bit)| if on { f | bit } else { f }),
        }
    }
    /// A legacy commune of this place may map into the other's 2025 communes (the only test of
    /// [`crate::places::compare`] that reads the successor sets).
    fn may_map_into(self, other: Key) -> bool {
        let (x, y) = (self.flags, other.flags);
        x & COMMUNE != 0
            && x & COMMUNES_2025 != 0
            && (y & COMMUNE == 0 && y & COMMUNES_2025 != 0 || y & ALT_2025 != 0)
    }
    /// [`crate::places::compare`]'s test of a legacy commune mapping into the other's 2025
    /// communes, for places whose successor sets are in their keys (neither is `SPLIT`).
    fn maps_into(self, y: Key) -> bool {
        self.commune != NONE_COMMUNE
            && self.commune_2025 != NONE_COMMUNE
            && (y.commune == NONE_COMMUNE && self.commune_2025 == y.commune_2025
                || self.commune_2025 == y.alt_2025)
    }
}

/// The [`Key`] of every place of a dataset, by place id.
pub struct Keys(Vec<Key>);

impl Keys {
    /// The keys of a table of places (a dataset's, by place id).
    pub fn new(places: &Places, refs: &[PlaceRef]) -> Keys {
        let g = places.gazetteer();
        Keys(refs.iter().map(|p| Key::of(g, p)).collect())
    }

    /// [`level`], from the keys (the places themselves read only when the successor sets decide).
    #[inline]
    pub fn level(
        &self,
        places: &Places,
        refs: &[PlaceRef],
        a: Option<PlaceId>,
        b: Option<PlaceId>,
    ) -> Option<u8> {
        let (a, b) = (a?, b?);
        let (x, y) = (self.0[a.index()], self.0[b.index()]);
        if a == b {
            return (x.flags & RESOLVED != 0).then_some(levels::SAME_COMMUNE);
        }
        if x.flags & y.flags & RESOLVED == 0 {
            return None;
        }
        if x.commune != NONE_COMMUNE && x.commune == y.commune {
            return Some(levels::SAME_COMMUNE);
        }
        if (x.flags | y.flags) & SPLIT == 0 {
            if x.maps_into(y) || y.maps_into(x) {
                return Some(levels::SAME_COMMUNE);
            }
        } else if x.may_map_into(y) || y.may_map_into(x) {
            return of_refs(places, refs, Some(a), Some(b));
        }
        if x.district != NONE_DISTRICT && x.district == y.district {
            return Some(levels::SAME_DISTRICT);
        }
        if x.province != NONE_PROVINCE && y.province != NONE_PROVINCE {
            return Some(if x.province == y.province {
                levels::SAME_PROVINCE
            } else {
                levels::DIFFERENT
            });
        }
        match (x.province_2025, y.province_2025) {
            (NONE_PROVINCE, _) | (_, NONE_PROVINCE) => None,
            (p, q) if p == q => Some(levels::SAME_PROVINCE),
            _ => Some(levels::DIFFERENT),
        }
    }
}

/// True when the level is a real disagreement: another province, or another district or commune
/// where both sides name one (a place known only to its province cannot disagree on its commune).
pub fn is_conflict(level: u8, a: &PlaceRef, b: &PlaceRef) -> bool {
    match level {
        levels::DIFFERENT => true,
        levels::SAME_PROVINCE => a.district.is_some() && b.district.is_some(),
        levels::SAME_DISTRICT => a.commune.is_some() && b.commune.is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::Context;
    use crate::synth::placetext::{Style, write};
    use rand::{RngExt, SeedableRng};

    /// The keys give the level the places give, for every pair of places written in every style
    /// (commune, district or province only, 2025 names, unresolved text).
    #[test]
    fn keys_agree_with_the_places() {
        let places = Places::new();
        let g = places.gazetteer();
        let mut communes: Vec<u32> = g.communes.values().map(|c| c.code).collect();
        communes.sort_unstable();
        let mut rng = rand_pcg::Pcg64::seed_from_u64(5);
        let styles = [
            Style::Full,
            Style::Abbrev,
            Style::Plain,
            Style::NoProvince,
            Style::Agency,
            Style::New,
            Style::Old,
        ];
        let mut texts: Vec<String> = (0..400)
            .map(|i| {
                // most from one province (pairs at every level), some from anywhere
                let pool: Vec<u32> = if i % 4 == 0 {
                    communes.clone()
                } else {
                    communes
                        .iter()
                        .copied()
                        .filter(|&c| g.communes[&c].province == 42)
                        .collect()
                };
                write(
                    pool[rng.random_range(0..pool.len())],
                    styles[i % styles.len()],
                    &mut rng,
                )
            })
            .collect();
        for t in [
            "Hà Tĩnh",
            "huyện Can Lộc, Hà Tĩnh",
            "Thành phố Hà Nội",
            "Nghệ An",
            "xyz",
            "",
            "Trần Phú",
            "Phường Trần Phú, Hà Tĩnh",
            "Xã Thạch Long",
        ] {
            texts.push(t.to_string());
        }
        let refs: Vec<PlaceRef> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let ctx = Context {
                    province: (i % 3 != 0).then_some(42),
                    prior: None,
                    new_era: i % 5 == 0,
                };
                places.resolve(t, ctx)
            })
            .collect();
        let keys = Keys::new(&places, &refs);
        let (mut slow_paths, mut mapped) = (0, 0);
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..refs.len() {
            for j in 0..refs.len() {
                let (a, b) = (Some(PlaceId::new(i)), Some(PlaceId::new(j)));
                let x = Key::of(g, &refs[i]);
                let y = Key::of(g, &refs[j]);
                slow_paths += ((x.flags | y.flags) & SPLIT != 0
                    && (x.may_map_into(y) || y.may_map_into(x)))
                    as usize;
                mapped += ((x.flags | y.flags) & SPLIT == 0 && (x.maps_into(y) || y.maps_into(x)))
                    as usize;
                let got = keys.level(&places, &refs, a, b);
                seen.insert(got);
                assert_eq!(
                    got,
                    of_refs(&places, &refs, a, b),
                    "{:?} / {:?}",
                    texts[i],
                    texts[j]
                );
            }
        }
        assert_eq!(seen.len(), 5, "every level and none: {seen:?}");
        assert!(mapped > 0, "pairs mapped through their keys' 2025 communes");
        assert!(
            slow_paths > 0 && slow_paths < refs.len() * refs.len() / 2,
            "{slow_paths}"
        );
    }
}

//! Two resolved places compared across vintages: the same commune (in either vintage), district,
//! province, or different.
use super::data::Gazetteer;
use super::resolve::PlaceRef;
use serde::Serialize;

/// How two places compare (Splink's levels for the birth-place comparison).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceLevel {
    /// the same commune (legacy codes agree, or a legacy commune maps into the other's 2025 commune)
    SameCommune,
    /// the same legacy district
    SameDistrict,
    /// the same province
    SameProvince,
    /// different units
    Different,
    /// one side is not resolved
    Unknown,
}

/// Compare two resolved places across vintages.
pub fn compare(g: &Gazetteer, a: &PlaceRef, b: &PlaceRef) -> PlaceLevel {
    if !a.is_resolved() || !b.is_resolved() {
        return PlaceLevel::Unknown;
    }
    match (a.commune, b.commune) {
        (Some(x), Some(y)) if x == y => return PlaceLevel::SameCommune,
        _ => {}
    }
    // a legacy commune on one side, a 2025 commune (or a 2025 reading of the same words) on
    // the other: any part of a split counts
    let maps_into = |x: &PlaceRef, y: &PlaceRef| {
        x.commune.is_some()
            && (y.commune.is_none() && x.communes_2025.iter().any(|c| y.communes_2025.contains(c))
                || x.communes_2025.iter().any(|c| y.alt_2025.contains(c)))
    };
    if maps_into(a, b) || maps_into(b, a) {
        return PlaceLevel::SameCommune;
    }
    if let (Some(x), Some(y)) = (a.district, b.district)
        && x == y
    {
        return PlaceLevel::SameDistrict;
    }
    match (a.province, b.province) {
        (Some(x), Some(y)) => {
            if x == y {
                PlaceLevel::SameProvince
            } else {
                PlaceLevel::Different
            }
        }
        _ => {
            let pa = a
                .province_2025
                .or_else(|| a.province.and_then(|p| g.province_to_2025.get(&p).copied()));
            let pb = b
                .province_2025
                .or_else(|| b.province.and_then(|p| g.province_to_2025.get(&p).copied()));
            match (pa, pb) {
                (Some(x), Some(y)) if x == y => PlaceLevel::SameProvince,
                (Some(_), Some(_)) => PlaceLevel::Different,
                _ => PlaceLevel::Unknown,
            }
        }
    }
}

/// A place resolved to one commune, in either vintage.
fn commune_level(p: &PlaceRef) -> bool {
    p.commune.is_some() || (p.district.is_none() && p.communes_2025.len() == 1)
}

/// Whether two places name the same commune for the purpose of a disagreement: the same unit, its
/// old or 2025 name, or communes merged into the same 2025 commune are the same; another commune
/// or another province is not. `None` when the places cannot tell (not both resolved to a
/// commune, and no province apart).
pub fn same_unit(g: &Gazetteer, a: &PlaceRef, b: &PlaceRef) -> Option<bool> {
    if !a.is_resolved() || !b.is_resolved() {
        return None;
    }
    let level = compare(g, a, b);
    if level == PlaceLevel::SameCommune {
        return Some(true);
    }
    let successors = |p: &PlaceRef| -> Vec<u32> {
        if commune_level(p) {
            p.communes_2025.iter().chain(&p.alt_2025).copied().collect()
        } else {
            Vec::new()
        }
    };
    let (sa, sb) = (successors(a), successors(b));
    if sa.iter().any(|c| sb.contains(c)) {
        return Some(true);
    }
    // an ambiguous reading that one of the readings of the other side matches
    let readings =
        |p: &PlaceRef| -> Vec<u32> { p.commune.iter().chain(&p.candidates).copied().collect() };
    let (ra, rb) = (readings(a), readings(b));
    if ra.iter().any(|c| rb.contains(c)) {
        return Some(true);
    }
    let sure = |p: &PlaceRef| commune_level(p) && p.candidates.is_empty();
    let districts_apart = matches!((a.district, b.district), (Some(x), Some(y)) if x != y);
    match level {
        PlaceLevel::Different => Some(false),
        PlaceLevel::SameProvince if districts_apart => Some(false),
        PlaceLevel::SameDistrict | PlaceLevel::SameProvince if sure(a) && sure(b) => Some(false),
        _ => None,
    }
}

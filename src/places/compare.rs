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

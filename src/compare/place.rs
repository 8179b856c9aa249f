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
    let (a, b) = (a?, b?);
    if a == b {
        return (data.place(a).is_resolved()).then_some(levels::SAME_COMMUNE);
    }
    match places.compare(data.place(a), data.place(b)) {
        PlaceLevel::SameCommune => Some(levels::SAME_COMMUNE),
        PlaceLevel::SameDistrict => Some(levels::SAME_DISTRICT),
        PlaceLevel::SameProvince => Some(levels::SAME_PROVINCE),
        PlaceLevel::Different => Some(levels::DIFFERENT),
        PlaceLevel::Unknown => None,
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

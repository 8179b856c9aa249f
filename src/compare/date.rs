//! Dates of birth compared at the coarsest common precision, with levels for the usual slips.
use crate::normalize::{PartialDate, Precision};

/// Levels of the date-of-birth comparison.
pub mod dob {
    use crate::compare::Level;
    /// the same full date
    pub const EXACT: u8 = 0;
    /// compatible partial dates (same year, and month where both have one), or the same partial
    /// date, or an impossible date whose official repair is the other date
    pub const COMPATIBLE: u8 = 1;
    /// day and month swapped
    pub const SWAP: u8 = 2;
    /// one digit different, or the year off by one
    pub const SLIP: u8 = 3;
    /// different
    pub const ELSE: u8 = 4;
    /// the levels
    pub const LEVELS: [Level; 5] = [
        Level::new("exact", "trùng ngày", "the same date"),
        Level::new(
            "compatible_partial",
            "khớp ở phần hai bên cùng có (năm, tháng)",
            "agree on what both know (year, month)",
        ),
        Level::new(
            "day_month_swap",
            "đảo ngày và tháng",
            "day and month swapped",
        ),
        Level::new(
            "one_digit_or_year",
            "lệch một chữ số hoặc một năm",
            "one digit or one year off",
        ),
        Level::new("different", "khác ngày sinh", "another date"),
    ];
}

fn digits(d: &PartialDate) -> [u8; 8] {
    let s = format!("{:02}{:02}{:04}", d.day, d.month, d.year);
    let b = s.as_bytes();
    let mut out = [0u8; 8];
    out.copy_from_slice(&b[..8]);
    out
}

/// Compare two dates of birth; `None` when either is missing.
pub fn compare_dob(a: Option<PartialDate>, b: Option<PartialDate>) -> Option<u8> {
    let (a, b) = (a?, b?);
    if a == b {
        return Some(if a.precision() == Precision::Day {
            dob::EXACT
        } else {
            dob::COMPATIBLE
        });
    }
    if a.precision() == Precision::Day && b.precision() == Precision::Day {
        if a.official_repair() == Some(b) || b.official_repair() == Some(a) {
            return Some(dob::COMPATIBLE);
        }
        if a.year == b.year && a.day == b.month && a.month == b.day {
            return Some(dob::SWAP);
        }
        let (da, db) = (digits(&a), digits(&b));
        let diff = da.iter().zip(&db).filter(|(x, y)| x != y).count();
        if diff == 1 || (a.day == b.day && a.month == b.month && a.year.abs_diff(b.year) == 1) {
            return Some(dob::SLIP);
        }
        return Some(dob::ELSE);
    }
    // at least one partial: compare what both know
    let months_agree = a.month == 0 || b.month == 0 || a.month == b.month;
    if a.year == b.year && months_agree {
        return Some(dob::COMPATIBLE);
    }
    let year_digits = |y: u16| format!("{y:04}").into_bytes();
    let ydiff = year_digits(a.year)
        .iter()
        .zip(year_digits(b.year).iter())
        .filter(|(x, y)| x != y)
        .count();
    if (ydiff == 1 || a.year.abs_diff(b.year) == 1) && months_agree {
        return Some(dob::SLIP);
    }
    Some(dob::ELSE)
}

/// True when the level means the two dates really disagree (not a cosmetic or partial difference).
pub fn is_conflict(level: u8) -> bool {
    level >= dob::SWAP
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Option<PartialDate> {
        Some(PartialDate {
            year: y,
            month: m,
            day,
        })
    }

    #[test]
    fn levels() {
        assert_eq!(compare_dob(d(1990, 3, 5), d(1990, 3, 5)), Some(dob::EXACT));
        assert_eq!(
            compare_dob(d(1990, 0, 0), d(1990, 3, 5)),
            Some(dob::COMPATIBLE)
        );
        assert_eq!(
            compare_dob(d(1990, 3, 0), d(1990, 3, 5)),
            Some(dob::COMPATIBLE)
        );
        assert_eq!(compare_dob(d(1990, 4, 0), d(1990, 3, 5)), Some(dob::ELSE));
        assert_eq!(compare_dob(d(1990, 3, 5), d(1990, 5, 3)), Some(dob::SWAP));
        assert_eq!(compare_dob(d(1990, 3, 5), d(1991, 3, 5)), Some(dob::SLIP));
        assert_eq!(compare_dob(d(1990, 3, 5), d(1990, 3, 6)), Some(dob::SLIP));
        assert_eq!(
            compare_dob(d(1990, 3, 5), d(1980, 3, 5)),
            Some(dob::SLIP),
            "one digit"
        );
        assert_eq!(compare_dob(d(1990, 3, 5), d(1972, 11, 20)), Some(dob::ELSE));
        assert_eq!(
            compare_dob(d(2001, 2, 30), d(2001, 3, 1)),
            Some(dob::COMPATIBLE),
            "official repair"
        );
        assert_eq!(compare_dob(None, d(1990, 1, 1)), None);
    }
}

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
    /// the registry holds 1 January of the book's year: a year-only date stored as 01/01/YYYY
    pub const REGISTRY_JAN_1: u8 = 2;
    /// day and month swapped
    pub const SWAP: u8 = 3;
    /// one digit different, or the year off by one
    pub const SLIP: u8 = 4;
    /// different
    pub const ELSE: u8 = 5;
    /// the levels
    pub const LEVELS: [Level; 6] = [
        Level::new("exact", "trùng ngày", "the same date"),
        Level::new(
            "compatible_partial",
            "khớp ở phần hai bên cùng có (năm, tháng)",
            "agree on what both know (year, month)",
        ),
        Level::new(
            "registry_jan_1",
            "CSDL ghi 01/01 của cùng năm (chỉ biết năm sinh)",
            "the registry has 1 January of the same year (only the year known)",
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

/// How many of the four digits of two years differ.
fn year_digits_apart(a: u16, b: u16) -> usize {
    (0..4)
        .filter(|k| a / 10u16.pow(*k) % 10 != b / 10u16.pow(*k) % 10)
        .count()
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
        // one digit of `ddmmyyyy` apart, or the year off by one with the same day and month; the
        // year's digits read only when the day's and month's leave one slip at most (most pairs
        // of a block, and the u estimate's random pairs, differ in both)
        let day_month = |d: &PartialDate| {
            let (day, month) = (d.day as u16, d.month as u16);
            [day / 10 % 10, day % 10, month / 10 % 10, month % 10]
        };
        let (da, db) = (day_month(&a), day_month(&b));
        let slip = match da.iter().zip(&db).filter(|(x, y)| x != y).count() {
            0 => {
                year_digits_apart(a.year, b.year) == 1
                    || (a.day == b.day && a.month == b.month && a.year.abs_diff(b.year) == 1)
            }
            1 => year_digits_apart(a.year, b.year) == 0,
            _ => false,
        };
        return Some(if slip { dob::SLIP } else { dob::ELSE });
    }
    // at least one partial: compare what both know
    let months_agree = a.month == 0 || b.month == 0 || a.month == b.month;
    if a.year == b.year && months_agree {
        return Some(dob::COMPATIBLE);
    }
    let ydiff = year_digits_apart(a.year, b.year);
    if (ydiff == 1 || a.year.abs_diff(b.year) == 1) && months_agree {
        return Some(dob::SLIP);
    }
    Some(dob::ELSE)
}

/// A book's date of birth against the registry's. The registry stores a year-only date as
/// 01/01/YYYY: a registry 1 January against another day of the book's year is compared at year
/// precision ([`dob::REGISTRY_JAN_1`], a level of its own so that EM learns how often 1 January is
/// real); both sides showing 1 January is an exact agreement.
pub fn compare_book_registry(
    book: Option<PartialDate>,
    registry: Option<PartialDate>,
) -> Option<u8> {
    let (b, r) = (book?, registry?);
    if r.month == 1 && r.day == 1 && b != r && b.precision() == Precision::Day {
        return compare_dob(Some(b), Some(PartialDate::year(r.year))).map(|l| match l {
            dob::COMPATIBLE => dob::REGISTRY_JAN_1,
            other => other,
        });
    }
    compare_dob(Some(b), Some(r))
}

/// True when the level means the two dates really disagree (not a cosmetic or partial difference).
pub fn is_conflict(level: u8) -> bool {
    level >= dob::SWAP
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits of a date as `ddmmyyyy` writes them (what [`super::compare_dob`]'s slip is
    /// defined on).
    fn digits(d: &PartialDate) -> [u8; 8] {
        let (day, month, year) = (d.day as u16, d.month as u16, d.year);
        [
            (day / 10 % 10) as u8,
            (day % 10) as u8,
            (month / 10 % 10) as u8,
            (month % 10) as u8,
            (year / 1000 % 10) as u8,
            (year / 100 % 10) as u8,
            (year / 10 % 10) as u8,
            (year % 10) as u8,
        ]
    }

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

    /// The slip test reads the year's digits only when the day's and month's allow a slip: it
    /// must give the level the definition gives (one digit of `ddmmyyyy` apart, or the year off
    /// by one with the same day and month), on dates near each other and far apart, impossible
    /// ones included.
    #[test]
    fn slips_as_defined_on_the_digits() {
        let by_definition = |a: PartialDate, b: PartialDate| {
            let (da, db) = (digits(&a), digits(&b));
            let diff = da.iter().zip(&db).filter(|(x, y)| x != y).count();
            diff == 1 || (a.day == b.day && a.month == b.month && a.year.abs_diff(b.year) == 1)
        };
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut seen = [0usize; 6];
        for i in 0..400_000 {
            let a = PartialDate::ymd(
                1900 + next(130) as u16,
                1 + next(13) as u8,
                1 + next(32) as u8,
            );
            // a date near `a` (a digit or two changed), or any date
            let b = if i % 2 == 0 {
                let mut b = a;
                for _ in 0..1 + next(2) {
                    match next(4) {
                        0 => b.day = (b.day + [1, 10, 9][next(3) as usize]) % 40 + 1,
                        1 => b.month = (b.month + [1, 10][next(2) as usize]) % 13 + 1,
                        2 => b.year += [1, 10, 100][next(3) as usize],
                        _ => b.year -= [1, 10][next(2) as usize],
                    }
                }
                b
            } else {
                PartialDate::ymd(
                    1900 + next(130) as u16,
                    1 + next(13) as u8,
                    1 + next(32) as u8,
                )
            };
            let level = compare_dob(Some(a), Some(b)).unwrap();
            seen[level as usize] += 1;
            let earlier = a == b
                || a.official_repair() == Some(b)
                || b.official_repair() == Some(a)
                || (a.year == b.year && a.day == b.month && a.month == b.day);
            if !earlier {
                let want = if by_definition(a, b) {
                    dob::SLIP
                } else {
                    dob::ELSE
                };
                assert_eq!(level, want, "{a:?} {b:?}");
            }
        }
        assert!(seen[dob::SLIP as usize] > 10_000 && seen[dob::ELSE as usize] > 10_000);
        assert!(
            seen[dob::SWAP as usize] > 0 && seen[dob::COMPATIBLE as usize] > 0,
            "{seen:?}"
        );
    }

    #[test]
    fn a_registry_first_of_january_is_a_year() {
        let j = |b, r| compare_book_registry(b, r);
        assert_eq!(j(d(1935, 4, 23), d(1935, 1, 1)), Some(dob::REGISTRY_JAN_1));
        assert!(!is_conflict(dob::REGISTRY_JAN_1));
        assert_eq!(
            j(d(1935, 1, 1), d(1935, 1, 1)),
            Some(dob::EXACT),
            "a true 1 January"
        );
        assert_eq!(j(d(1935, 0, 0), d(1935, 1, 1)), Some(dob::COMPATIBLE));
        assert_eq!(j(d(1936, 4, 23), d(1935, 1, 1)), Some(dob::SLIP));
        assert_eq!(j(d(1950, 4, 23), d(1935, 1, 1)), Some(dob::ELSE));
        // the book's 1 January is what the book says
        assert_eq!(j(d(1935, 1, 1), d(1935, 4, 23)), Some(dob::ELSE));
    }
}

//! Dates as the books have them: partial dates first-class, many formats, impossible dates flagged.
use serde::Serialize;
use std::fmt;

/// A date known to the year, the month or the day. Month and day are kept as written, even
/// when out of range, so that an impossible date can be reported and still compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PartialDate {
    /// the year (four digits)
    pub year: u16,
    /// 0 when unknown
    pub month: u8,
    /// 0 when unknown
    pub day: u8,
}

/// How much of a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// year only
    Year,
    /// year and month
    Month,
    /// a full date
    Day,
}

impl PartialDate {
    /// A full date.
    pub fn ymd(year: u16, month: u8, day: u8) -> Self {
        PartialDate { year, month, day }
    }
    /// A date known to the year only.
    pub fn year(year: u16) -> Self {
        PartialDate {
            year,
            month: 0,
            day: 0,
        }
    }
    /// The date `days` later (earlier when negative); a partial or invalid date counts as day 0.
    pub fn add_days(self, days: i32) -> PartialDate {
        from_ordinal(self.ordinal().unwrap_or(0) + days)
    }
    /// The date of a count of days since 1970-01-01 (Unix time / 86 400).
    pub fn from_unix_days(days: i64) -> PartialDate {
        PartialDate::ymd(1970, 1, 1).add_days(days as i32)
    }
    /// How precise the date is.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (0, _) => Precision::Year,
            (_, 0) => Precision::Month,
            _ => Precision::Day,
        }
    }
    /// True when month and day are in range for the year.
    pub fn is_valid(&self) -> bool {
        match self.precision() {
            Precision::Year => true,
            Precision::Month => (1..=12).contains(&self.month),
            Precision::Day => {
                (1..=12).contains(&self.month)
                    && self.day >= 1
                    && self.day <= days_in_month(self.year, self.month)
            }
        }
    }
    /// Days since 0000-03-01 style ordinal, for differences (valid full dates only).
    pub fn ordinal(&self) -> Option<i32> {
        if self.precision() != Precision::Day || !self.is_valid() {
            return None;
        }
        // days from civil (H. Hinnant)
        let (y, m, d) = (self.year as i32, self.month as i32, self.day as i32);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(era * 146_097 + doe)
    }
    /// The official repair of an impossible day (Sở Tư pháp Thừa Thiên Huế guidance, 11/3/2020):
    /// 29/2 in a non-leap year, 30/2, 31/4 … become the first day of the next month.
    pub fn official_repair(&self) -> Option<PartialDate> {
        if self.precision() != Precision::Day || self.is_valid() || !(1..=12).contains(&self.month)
        {
            return None;
        }
        let (y, m) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        Some(PartialDate::ymd(y, m, 1))
    }
}

/// The inverse of [`PartialDate::ordinal`] (H. Hinnant's civil_from_days).
fn from_ordinal(z: i32) -> PartialDate {
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    PartialDate::ymd(y as u16, m as u8, d as u8)
}

/// A date's ISO text in a buffer on the stack: `1996`, `1996-11`, `1996-11-02` (the year with
/// four digits at least, month and day with two; written for every row of the outputs, so not
/// through the formatting machinery).
struct Iso {
    buf: [u8; 16],
    len: usize,
}

impl Iso {
    fn of(d: &PartialDate) -> Iso {
        let mut iso = Iso {
            buf: [0; 16],
            len: 0,
        };
        iso.number(d.year as u32, 4);
        if d.month != 0 {
            iso.buf[iso.len] = b'-';
            iso.len += 1;
            iso.number(d.month as u32, 2);
            if d.day != 0 {
                iso.buf[iso.len] = b'-';
                iso.len += 1;
                iso.number(d.day as u32, 2);
            }
        }
        iso
    }
    /// `v` with at least `width` digits (zeros in front).
    fn number(&mut self, v: u32, width: usize) {
        let mut digits = [b'0'; 10];
        let (mut v, mut n) = (v, 0);
        while v > 0 || n < width {
            digits[n] = b'0' + (v % 10) as u8;
            v /= 10;
            n += 1;
        }
        for k in (0..n).rev() {
            self.buf[self.len] = digits[k];
            self.len += 1;
        }
    }
    fn as_str(&self) -> &str {
        // ASCII digits and dashes only
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Iso::of(self).as_str())
    }
}

/// Days in a month of a year (Gregorian).
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// What is wrong with a date as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DateIssue {
    /// no date could be read
    Unparseable,
    /// a day past the month's end (30/02, 31/04)
    ImpossibleDate,
    /// a month above 12
    InvalidMonth,
    /// a year outside 1850–2100
    ImplausibleYear,
    /// an age ("35 tuổi") where a date belongs
    AgeNotDate,
    /// a two-digit year, expanded by the pivot
    TwoDigitYear,
}

impl DateIssue {
    /// The snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            DateIssue::Unparseable => "unparseable_date",
            DateIssue::ImpossibleDate => "impossible_date",
            DateIssue::InvalidMonth => "invalid_month",
            DateIssue::ImplausibleYear => "implausible_year",
            DateIssue::AgeNotDate => "age_not_date",
            DateIssue::TwoDigitYear => "two_digit_year",
        }
    }
}

/// A normalized date: the value (if any), the verbatim text, an issue, the official repair.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NormDate {
    /// the date as written (month/day possibly out of range)
    pub date: Option<PartialDate>,
    /// the text as given
    pub verbatim: String,
    /// the time of day written before the date, if any ("0h20'")
    pub time: Option<String>,
    /// what is wrong, if anything
    pub issue: Option<DateIssue>,
    /// the official repair of an impossible day, as a suggestion only
    pub suggestion: Option<PartialDate>,
}

impl NormDate {
    /// True when a date was read and it is a real date.
    pub fn is_valid(&self) -> bool {
        self.date.is_some_and(|d| d.is_valid())
            && !matches!(self.issue, Some(DateIssue::ImplausibleYear))
    }
}

/// The century pivot for two-digit years: `yy` ≤ pivot's `yy` → 20yy, else 19yy.
pub const DEFAULT_PIVOT: u16 = 2025;

/// Parse a date as written in a civil book or a registry extract.
pub fn parse_date(raw: &str) -> NormDate {
    parse_date_with_pivot(raw, DEFAULT_PIVOT)
}

/// [`parse_date`] with an explicit two-digit-year pivot.
pub fn parse_date_with_pivot(raw: &str, pivot: u16) -> NormDate {
    match numeric(raw) {
        Some(date) => checked(
            NormDate {
                verbatim: raw.to_string(),
                ..NormDate::default()
            },
            date,
            false,
        ),
        None => parse_text(raw, pivot),
    }
}

/// The forms most cells are written in, read without the general parser (a test holds the two
/// equal): `d/m/yyyy` and `yyyy/m/d`, one or two digits for day and month, the separator a slash,
/// a dot or a dash (the same twice), nothing else.
fn numeric(raw: &str) -> Option<PartialDate> {
    let b = raw.as_bytes();
    if !(8..=10).contains(&b.len()) {
        return None;
    }
    let sep = *b.iter().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let mut parts = [0u16; 3];
    let mut lens = [0usize; 3];
    let mut k = 0;
    for &c in b {
        if c == sep {
            k += 1;
            if k == 3 {
                return None;
            }
        } else if c.is_ascii_digit() && lens[k] < 4 {
            parts[k] = parts[k] * 10 + (c - b'0') as u16;
            lens[k] += 1;
        } else {
            return None;
        }
    }
    match lens {
        [1 | 2, 1 | 2, 4] => Some(PartialDate {
            year: parts[2],
            month: parts[1] as u8,
            day: parts[0] as u8,
        }),
        [4, 1 | 2, 1 | 2] => Some(PartialDate {
            year: parts[0],
            month: parts[1] as u8,
            day: parts[2] as u8,
        }),
        _ => None,
    }
}

/// [`parse_date_with_pivot`] of any text.
fn parse_text(raw: &str, pivot: u16) -> NormDate {
    let mut out = NormDate {
        verbatim: raw.to_string(),
        ..NormDate::default()
    };
    let lower = crate::normalize::text::prenormalize(raw).to_lowercase();
    let mut s = lower.trim();
    if s.is_empty() {
        return out;
    }
    if s.contains("tuổi")
        || s.ends_with('t') && s[..s.len() - 1].trim().chars().all(|c| c.is_ascii_digit())
    {
        out.issue = Some(DateIssue::AgeNotDate);
        return out;
    }
    // time of day before the date: "0h20' ngày 25/9/2000", "10 giờ 30 phút ngày …"
    if let Some(i) = s.find("ngày") {
        let before = s[..i].trim();
        if !before.is_empty() {
            out.time = Some(before.to_string());
        }
        s = s[i + "ngày".len()..].trim();
    }
    // ISO timestamps from spreadsheets: "2000-09-25 00:00:00", "2000-09-25T00:00:00"
    let s = s
        .split(['t', ' '])
        .next()
        .filter(|p| p.len() >= 8 && p.as_bytes()[4] == b'-')
        .unwrap_or(s);
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let words = s.contains("tháng") || s.contains("năm");
    // a time of day beside the date with no "ngày" to mark it (or "ngày" in an old encoding):
    // "10h08' ngµy 22/3/2006", "22/3/2006 10:08" — the date is the three numbers ending in the year
    let nums: &[&str] = match nums.iter().position(|n| n.len() == 4) {
        Some(k) if nums.len() > 3 && k >= 2 => &nums[k - 2..=k],
        Some(0) if nums.len() > 3 => &nums[..3],
        _ => &nums,
    };
    let parsed = match nums {
        [one] => parse_digits(one, pivot),
        [a, b] if words || a.len() <= 2 => {
            let (m, y) = (a.parse().ok(), b.parse::<u16>().ok());
            match (m, y) {
                (Some(m), Some(y)) => year_of(y, b.len(), pivot).map(|(y, two)| {
                    (
                        PartialDate {
                            year: y,
                            month: m,
                            day: 0,
                        },
                        two,
                    )
                }),
                _ => None,
            }
        }
        [a, b, c] if a.len() == 4 => {
            let y: u16 = a.parse().unwrap_or(0);
            Some((
                PartialDate {
                    year: y,
                    month: b.parse().unwrap_or(0),
                    day: c.parse().unwrap_or(0),
                },
                false,
            ))
        }
        [a, b, c] => {
            let (d, m) = (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
            c.parse::<u16>()
                .ok()
                .and_then(|y| year_of(y, c.len(), pivot))
                .map(|(y, two)| {
                    (
                        PartialDate {
                            year: y,
                            month: m,
                            day: d,
                        },
                        two,
                    )
                })
        }
        _ => None,
    };
    let Some((date, two_digit)) = parsed else {
        out.issue = Some(DateIssue::Unparseable);
        return out;
    };
    checked(out, date, two_digit)
}

/// A date read: what is wrong with it, if anything.
fn checked(mut out: NormDate, date: PartialDate, two_digit: bool) -> NormDate {
    out.date = Some(date);
    if !(1850..=2100).contains(&date.year) {
        out.issue = Some(DateIssue::ImplausibleYear);
    } else if date.month > 12 || (date.precision() != Precision::Year && date.month == 0) {
        out.issue = Some(DateIssue::InvalidMonth);
    } else if !date.is_valid() {
        out.issue = Some(DateIssue::ImpossibleDate);
        out.suggestion = date.official_repair();
    } else if two_digit {
        out.issue = Some(DateIssue::TwoDigitYear);
    }
    out
}

fn year_of(y: u16, len: usize, pivot: u16) -> Option<(u16, bool)> {
    match len {
        4 => Some((y, false)),
        2 | 1 => {
            let cut = pivot % 100;
            Some((if y <= cut { 2000 + y } else { 1900 + y }, true))
        }
        _ => None,
    }
}

fn parse_digits(d: &str, pivot: u16) -> Option<(PartialDate, bool)> {
    let n = |r: std::ops::Range<usize>| d[r].parse::<u16>().unwrap_or(0);
    match d.len() {
        4 => Some((
            PartialDate {
                year: n(0..4),
                month: 0,
                day: 0,
            },
            false,
        )),
        2 => year_of(n(0..2), 2, pivot).map(|(y, t)| {
            (
                PartialDate {
                    year: y,
                    month: 0,
                    day: 0,
                },
                t,
            )
        }),
        // mmyyyy (the vendor uploader's MMYYYY), else ddmmyy
        6 if (1..=12).contains(&n(0..2)) && (1850..=2100).contains(&n(2..6)) => Some((
            PartialDate {
                year: n(2..6),
                month: n(0..2) as u8,
                day: 0,
            },
            false,
        )),
        6 => year_of(n(4..6), 2, pivot).map(|(y, t)| {
            (
                PartialDate {
                    year: y,
                    month: n(2..4) as u8,
                    day: n(0..2) as u8,
                },
                t,
            )
        }),
        // ddmmyyyy, or yyyymmdd when it cannot be ddmmyyyy
        8 if n(0..2) > 31 || (n(0..4) >= 1850 && n(4..6) <= 12 && n(4..8) < 1850) => Some((
            PartialDate {
                year: n(0..4),
                month: n(4..6) as u8,
                day: n(6..8) as u8,
            },
            false,
        )),
        8 => Some((
            PartialDate {
                year: n(4..8),
                month: n(2..4) as u8,
                day: n(0..2) as u8,
            },
            false,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_forms_read_as_the_general_parser_reads_them() {
        let mut cases: Vec<String> = Vec::new();
        for (d, m) in [
            (1, 1),
            (5, 9),
            (25, 9),
            (31, 4),
            (30, 2),
            (29, 2),
            (0, 0),
            (7, 13),
            (99, 99),
        ] {
            for y in [1848, 1850, 1900, 2000, 2024, 2101, 9999, 0] {
                cases.push(format!("{d}/{m}/{y}"));
                cases.push(format!("{d:02}/{m:02}/{y:04}"));
                cases.push(format!("{y:04}-{m:02}-{d:02}"));
                cases.push(format!("{y}-{m}-{d}"));
                cases.push(format!("{d}-{m}-{y}"));
                cases.push(format!("{y}/{m}/{d}"));
                cases.push(format!("{d}.{m}.{y}"));
                cases.push(format!("{d:02}.{m:02}.{y}"));
                cases.push(format!("{y}.{m}.{d}"));
                cases.push(format!("{d}/{m}.{y}"));
            }
        }
        cases.extend(
            [
                "1/1/85",
                "12/2000",
                "2000",
                "1234567890",
                "99999/1/2000",
                "25/9/2000 ",
                "25//2000",
                "2000-09-25T00:00:00",
                "--/--/----",
                "123/4/2000",
                "1/234/2000",
                "1/2/3/4",
                "0000-00-00",
                "25/09/2000a",
            ]
            .map(String::from),
        );
        for c in cases {
            for pivot in [2025, 1930] {
                let (fast, slow) = (parse_date_with_pivot(&c, pivot), parse_text(&c, pivot));
                assert_eq!(fast.date, slow.date, "{c}");
                assert_eq!(fast.issue, slow.issue, "{c}");
                assert_eq!(fast.suggestion, slow.suggestion, "{c}");
                assert_eq!(fast.time, slow.time, "{c}");
                assert_eq!(fast.verbatim, slow.verbatim, "{c}");
            }
        }
    }

    #[test]
    fn iso_text_as_the_format_macro_writes_it() {
        for year in [0u16, 7, 99, 100, 999, 1000, 1996, 9999, 10000, u16::MAX] {
            for month in [0u8, 1, 9, 10, 12, 13, 99, 100, u8::MAX] {
                for day in [0u8, 1, 9, 10, 31, 99, 100, u8::MAX] {
                    let d = PartialDate { year, month, day };
                    let want = match d.precision() {
                        Precision::Year => format!("{year:04}"),
                        Precision::Month => format!("{year:04}-{month:02}"),
                        Precision::Day => format!("{year:04}-{month:02}-{day:02}"),
                    };
                    assert_eq!(d.to_string(), want);
                }
            }
        }
    }

    #[test]
    fn days_are_added_across_months_and_years() {
        for d in [
            PartialDate::ymd(2000, 2, 29),
            PartialDate::ymd(1930, 1, 1),
            PartialDate::ymd(2025, 12, 31),
        ] {
            assert_eq!(from_ordinal(d.ordinal().unwrap()), d);
            assert_eq!(d.add_days(0), d);
        }
        assert_eq!(
            PartialDate::ymd(2000, 2, 28).add_days(2),
            PartialDate::ymd(2000, 3, 1)
        );
        assert_eq!(PartialDate::from_unix_days(0), PartialDate::ymd(1970, 1, 1));
        assert_eq!(
            PartialDate::from_unix_days(20_454),
            PartialDate::ymd(2026, 1, 1)
        );
    }

    fn v(s: &str) -> (Option<String>, Option<&'static str>) {
        let d = parse_date(s);
        (d.date.map(|x| x.to_string()), d.issue.map(DateIssue::code))
    }

    #[test]
    fn formats() {
        let cases = [
            ("25/09/2000", "2000-09-25"),
            ("25.9.2000", "2000-09-25"),
            ("25-09-2000", "2000-09-25"),
            ("25092000", "2000-09-25"),
            ("09/2000", "2000-09"),
            ("09.2000", "2000-09"),
            ("092000", "2000-09"),
            ("2000", "2000"),
            ("2000-09-25", "2000-09-25"),
            ("2000-09-25 00:00:00", "2000-09-25"),
            ("0h20' ngày 25/9/2000", "2000-09-25"),
            ("10h08' ng\u{b5}y 22/3/2006", "2006-03-22"),
            ("22/3/2006 10:08", "2006-03-22"),
            ("2006-03-22 10:08:00", "2006-03-22"),
            ("ngày 25 tháng 9 năm 2000", "2000-09-25"),
            ("tháng 9 năm 2000", "2000-09"),
            ("năm 1950", "1950"),
        ];
        for (input, want) in cases {
            assert_eq!(v(input), (Some(want.to_string()), None), "{input}");
        }
    }

    #[test]
    fn issues() {
        assert_eq!(
            v("30/02/2001"),
            (Some("2001-02-30".into()), Some("impossible_date"))
        );
        assert_eq!(
            parse_date("30/02/2001")
                .suggestion
                .map(|d| d.to_string())
                .as_deref(),
            Some("2001-03-01")
        );
        assert_eq!(
            parse_date("29/02/2001")
                .suggestion
                .map(|d| d.to_string())
                .as_deref(),
            Some("2001-03-01")
        );
        assert_eq!(parse_date("29/02/2000").issue, None);
        assert_eq!(parse_date("31/12/2001").suggestion, None);
        assert_eq!(v("13/25/1990").1, Some("invalid_month"));
        assert_eq!(
            v("5/3/87"),
            (Some("1987-03-05".into()), Some("two_digit_year"))
        );
        assert_eq!(
            v("5/3/07"),
            (Some("2007-03-05".into()), Some("two_digit_year"))
        );
        assert_eq!(v("35 tuổi").1, Some("age_not_date"));
        assert_eq!(v("không rõ").1, Some("unparseable_date"));
        assert_eq!(v(""), (None, None));
        assert_eq!(
            parse_date("0h20' ngày 25/9/2000").time.as_deref(),
            Some("0h20'")
        );
    }

    #[test]
    fn ordinal_differences() {
        let a = PartialDate::ymd(2000, 3, 1).ordinal().unwrap();
        let b = PartialDate::ymd(2000, 2, 28).ordinal().unwrap();
        assert_eq!(a - b, 2);
    }
}

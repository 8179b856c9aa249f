//! The 12-digit personal ID (số định danh cá nhân) and the old 9-digit CMND.
//!
//! `PPP G YY RRRRRR`: birth-registration province (63-province list), century + sex, the last two
//! digits of the birth year, six random digits; no check digit (`civil-registry-domain.md` §4).
use serde::Serialize;

/// The 3-digit province codes of the 63-province list (TT 07/2016/TT-BCA Phụ lục 1).
pub const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// Sex as the ID's fourth digit and the catalogues give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// nam
    Nam,
    /// nữ
    Nu,
}

impl Sex {
    /// `nam` / `nu`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Nam => "nam",
            Sex::Nu => "nu",
        }
    }
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Nam => "Nam",
            Sex::Nu => "Nữ",
        }
    }
}

/// A well-formed personal ID. Only [`parse_id`] builds one. Its value is never zero (the
/// province code leads it), so `Option<PersonalId>` is eight bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonalId {
    value: std::num::NonZeroU64,
}

impl PersonalId {
    /// An ID of a known province's code (digits 1–3), else `None`.
    fn of(value: u64) -> Option<PersonalId> {
        let id = PersonalId {
            value: std::num::NonZeroU64::new(value)?,
        };
        PROVINCE_CODES.contains(&id.province_code()).then_some(id)
    }
    /// The 12 digits (written for every person of the extract: not through `format!`).
    pub fn digits(&self) -> String {
        let mut v = self.value();
        let mut d = [b'0'; 12];
        for x in d.iter_mut().rev() {
            *x = b'0' + (v % 10) as u8;
            v /= 10;
        }
        d.iter().map(|&b| b as char).collect()
    }
    /// The numeric value (for compact storage).
    #[inline]
    pub fn value(&self) -> u64 {
        self.value.get()
    }
    /// The birth-registration province code (digits 1–3).
    pub fn province_code(&self) -> u16 {
        (self.value() / 1_000_000_000) as u16
    }
    /// The sex coded in digit 4.
    pub fn sex(&self) -> Sex {
        if self.g().is_multiple_of(2) {
            Sex::Nam
        } else {
            Sex::Nu
        }
    }
    /// The birth year from digits 4–6.
    pub fn birth_year(&self) -> u16 {
        1900 + 100 * (self.g() / 2) as u16 + ((self.value() / 1_000_000) % 100) as u16
    }
    fn g(&self) -> u64 {
        (self.value() / 100_000_000) % 10
    }
}

/// What is wrong with an ID as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdIssue {
    /// not 9 or 12 digits
    WrongLength,
    /// characters other than digits
    NotDigits,
    /// digits 1–3 are not in the 63-province list
    UnknownProvince,
    /// 10 or 11 digits whose leading zeros, lost in a spreadsheet, were restored
    LeadingZeroRestored,
    /// a 9-digit CMND: kept, never trusted as unique
    Cmnd,
}

impl IdIssue {
    /// The snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            IdIssue::WrongLength => "id_wrong_length",
            IdIssue::NotDigits => "id_not_digits",
            IdIssue::UnknownProvince => "id_unknown_province",
            IdIssue::LeadingZeroRestored => "id_leading_zero_restored",
            IdIssue::Cmnd => "cmnd_9_digits",
        }
    }
}

/// The result of reading an ID field.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IdParse {
    /// a valid 12-digit ID
    pub id: Option<PersonalId>,
    /// a 9-digit CMND
    pub cmnd: Option<String>,
    /// what was wrong
    pub issue: Option<IdIssue>,
}

/// Read a personal ID or a CMND from a cell (spaces, dots and dashes ignored).
pub fn parse_id(raw: &str) -> IdParse {
    // twelve digits, as most cells are: nothing to expand, strip or restore
    if raw.len() == 12 && raw.bytes().all(|b| b.is_ascii_digit()) {
        let value = raw.bytes().fold(0u64, |v, b| v * 10 + (b - b'0') as u64);
        let id = PersonalId::of(value);
        return IdParse {
            id,
            cmnd: None,
            issue: id.is_none().then_some(IdIssue::UnknownProvince),
        };
    }
    parse_any(raw)
}

/// [`parse_id`] of any text.
fn parse_any(raw: &str) -> IdParse {
    let expanded = expand_scientific(raw.trim());
    let raw = expanded.as_deref().unwrap_or(raw);
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\'' | '\u{A0}'))
        .collect();
    let mut out = IdParse::default();
    if s.is_empty() {
        return out;
    }
    // spreadsheets write big numbers as 4.2089001234E+11 or with a trailing .0
    let s = s
        .strip_suffix("0")
        .filter(|_| raw.trim().ends_with(".0"))
        .map_or(s.clone(), str::to_string);
    if !s.chars().all(|c| c.is_ascii_digit()) {
        out.issue = Some(IdIssue::NotDigits);
        return out;
    }
    match s.len() {
        9 => {
            out.cmnd = Some(s);
            out.issue = Some(IdIssue::Cmnd);
        }
        // Excel drops zeros only at the front of a number: 10 or 11 digits that start with 0
        // lost a digit elsewhere (04208500123 is no ID of Cao Bằng 004)
        10 | 11 if s.starts_with('0') => out.issue = Some(IdIssue::WrongLength),
        // Excel reads an ID as a number and drops its leading zeros: one for most provinces,
        // two for the 00x ones (Hà Nội 001, Hà Giang 002, Cao Bằng 004, Bắc Kạn 006, …)
        10..=12 => {
            let value: u64 = s.parse().unwrap_or(0);
            if let Some(id) = PersonalId::of(value) {
                out.id = Some(id);
                if s.len() < 12 {
                    out.issue = Some(IdIssue::LeadingZeroRestored);
                }
            } else {
                out.issue = Some(IdIssue::UnknownProvince);
            }
        }
        _ => out.issue = Some(IdIssue::WrongLength),
    }
    out
}

/// `4.2090012345E+10` (a spreadsheet's scientific notation) written out in digits, when the
/// mantissa holds every digit (an ID's last digits may be zeros the notation drops, but not
/// more than two: `4.20890E+10` is a rounded display); `None` when the text is not in that
/// notation or lost digits.
fn expand_scientific(s: &str) -> Option<String> {
    let (mantissa, exp) = s.split_once(['E', 'e'])?;
    let exp: usize = exp.strip_prefix('+').unwrap_or(exp).parse().ok()?;
    let (int, frac) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    let ok = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if int.is_empty()
        || !ok(int)
        || !ok(frac)
        || frac.len() > exp
        || frac.len() + 2 < exp
        || exp > 15
    {
        return None;
    }
    Some(format!("{int}{frac}{}", "0".repeat(exp - frac.len())))
}

/// A disagreement between an ID and the record that carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdMismatch {
    /// digit 4 parity vs the record's sex
    Sex,
    /// digits 4–6 vs the record's birth year
    BirthYear,
    /// digits 1–3 vs the province of birth registration
    Province,
}

impl IdMismatch {
    /// The flag code.
    pub fn code(self) -> &'static str {
        match self {
            IdMismatch::Sex => "id_sex_mismatch",
            IdMismatch::BirthYear => "id_birth_year_mismatch",
            IdMismatch::Province => "id_province_mismatch",
        }
    }
}

impl PersonalId {
    /// Check the ID against what a record says (each part only when the record has it).
    /// `province` is the legacy 2-digit province of the birth registration.
    pub fn check(
        &self,
        sex: Option<Sex>,
        birth_year: Option<u16>,
        province: Option<u8>,
    ) -> Vec<IdMismatch> {
        let mut out = Vec::new();
        if sex.is_some_and(|s| s != self.sex()) {
            out.push(IdMismatch::Sex);
        }
        if birth_year.is_some_and(|y| y != self.birth_year()) {
            out.push(IdMismatch::BirthYear);
        }
        if province.is_some_and(|p| p as u16 != self.province_code()) {
            out.push(IdMismatch::Province);
        }
        out
    }

    /// Build an ID from its parts (for the synthetic generator); `None` for an unknown province.
    pub fn from_parts(province: u16, sex: Sex, birth_year: u16, random: u32) -> Option<PersonalId> {
        if !PROVINCE_CODES.contains(&province) || !(1900..2400).contains(&birth_year) {
            return None;
        }
        let century = ((birth_year - 1900) / 100) as u64;
        let g = century * 2 + if sex == Sex::Nu { 1 } else { 0 };
        let yy = (birth_year % 100) as u64;
        let value = province as u64 * 1_000_000_000
            + g * 100_000_000
            + yy * 1_000_000
            + (random % 1_000_000) as u64;
        PersonalId::of(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_twelve() {
        for c in ["042089001234", "001000000001", "096999999999"] {
            let id = parse_id(c).id.unwrap();
            assert_eq!(id.digits(), c);
            assert_eq!(id.digits(), format!("{:012}", id.value()));
        }
    }

    #[test]
    fn twelve_digits_read_as_any_text_is_read() {
        for c in [
            "042089001234",
            "000000000000",
            "999999999999",
            "001234567890",
            "100000000000",
            "042189001235",
            "096000000001",
            "097000000001",
        ] {
            assert_eq!(parse_id(c), parse_any(c), "{c}");
        }
        // every province code
        for p in 0..1000u64 {
            let c = format!("{:03}085001234", p);
            assert_eq!(parse_id(&c), parse_any(&c), "{c}");
        }
    }

    #[test]
    fn structure() {
        assert_eq!(PROVINCE_CODES.len(), 63);
        let p = parse_id("001099000001");
        let id = p.id.unwrap();
        assert_eq!(
            (id.province_code(), id.sex(), id.birth_year()),
            (1, Sex::Nam, 1999)
        );
        let id = parse_id("042 305 123456").id.unwrap();
        assert_eq!(
            (id.province_code(), id.sex(), id.birth_year()),
            (42, Sex::Nu, 2005)
        );
        assert_eq!(
            parse_id("003099000001").issue,
            Some(IdIssue::UnknownProvince)
        );
        assert_eq!(
            parse_id("42089001234").issue,
            Some(IdIssue::LeadingZeroRestored)
        );
        assert_eq!(parse_id("42089001234").id.unwrap().digits(), "042089001234");
        // Hà Nội's 001 loses two zeros; a phone number is no ID
        assert_eq!(parse_id("1051318500").id.unwrap().digits(), "001051318500");
        assert_eq!(parse_id("0912345678").issue, Some(IdIssue::WrongLength));
        // a digit lost inside, not a zero lost in front: invalid, not province 004
        assert_eq!(parse_id("04208500123").issue, Some(IdIssue::WrongLength));
        assert_eq!(parse_id("04208500123").id, None);
        assert_eq!(
            parse_id("4.2089001234E+10").id.unwrap().digits(),
            "042089001234"
        );
        assert_eq!(parse_id("4.20890E+10").id, None);
        assert_eq!(parse_id("183456789").cmnd.as_deref(), Some("183456789"));
        assert_eq!(parse_id("12345").issue, Some(IdIssue::WrongLength));
        assert_eq!(parse_id("04208900123X").issue, Some(IdIssue::NotDigits));
    }

    #[test]
    fn checks_and_round_trip() {
        let id = PersonalId::from_parts(42, Sex::Nu, 1989, 123_456).unwrap();
        assert_eq!(id.digits(), "042189123456");
        assert!(id.check(Some(Sex::Nu), Some(1989), Some(42)).is_empty());
        assert_eq!(
            id.check(Some(Sex::Nam), Some(1988), Some(40)),
            vec![IdMismatch::Sex, IdMismatch::BirthYear, IdMismatch::Province]
        );
    }
}

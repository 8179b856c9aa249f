//! The Vietnamese letter table: each toned vowel as (base letter, tone), both ways.
//!
//! Built from the 12 vowels × 6 tones of the alphabet, not from any converter's table, so that the
//! normalizer can take a tone off a letter and put it back on another without string replacement.
use std::sync::LazyLock;

/// The six tones, in the order of the table below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(u8)]
pub enum Tone {
    /// ngang (no mark)
    #[default]
    Ngang = 0,
    /// huyền (grave)
    Huyen = 1,
    /// sắc (acute)
    Sac = 2,
    /// hỏi (hook above)
    Hoi = 3,
    /// ngã (tilde)
    Nga = 4,
    /// nặng (dot below)
    Nang = 5,
}

impl Tone {
    /// All tones, in table order.
    pub const ALL: [Tone; 6] = [
        Tone::Ngang,
        Tone::Huyen,
        Tone::Sac,
        Tone::Hoi,
        Tone::Nga,
        Tone::Nang,
    ];

    /// The tone of a combining mark, if it is one (U+0340/U+0341 are the deprecated forms).
    pub fn from_combining(c: char) -> Option<Tone> {
        match c {
            '\u{300}' | '\u{340}' => Some(Tone::Huyen),
            '\u{301}' | '\u{341}' => Some(Tone::Sac),
            '\u{309}' => Some(Tone::Hoi),
            '\u{303}' => Some(Tone::Nga),
            '\u{323}' => Some(Tone::Nang),
            _ => None,
        }
    }

    /// The tone from its table index.
    pub fn from_index(i: u8) -> Tone {
        Tone::ALL[i as usize % 6]
    }
}

/// The vowel modifiers that combining marks can add to a base letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modifier {
    /// U+0302 (â ê ô)
    Circumflex,
    /// U+0306 (ă)
    Breve,
    /// U+031B (ơ ư)
    Horn,
}

impl Modifier {
    /// The modifier of a combining mark, if it is one.
    pub fn from_combining(c: char) -> Option<Modifier> {
        match c {
            '\u{302}' => Some(Modifier::Circumflex),
            '\u{306}' => Some(Modifier::Breve),
            '\u{31B}' => Some(Modifier::Horn),
            _ => None,
        }
    }

    /// Apply the modifier to a toneless base letter (either case); `None` if it does not combine.
    pub fn apply(self, base: char) -> Option<char> {
        let out = match (self, base) {
            (Modifier::Circumflex, 'a') => 'â',
            (Modifier::Circumflex, 'e') => 'ê',
            (Modifier::Circumflex, 'o') => 'ô',
            (Modifier::Breve, 'a') => 'ă',
            (Modifier::Horn, 'o') => 'ơ',
            (Modifier::Horn, 'u') => 'ư',
            (Modifier::Circumflex, 'A') => 'Â',
            (Modifier::Circumflex, 'E') => 'Ê',
            (Modifier::Circumflex, 'O') => 'Ô',
            (Modifier::Breve, 'A') => 'Ă',
            (Modifier::Horn, 'O') => 'Ơ',
            (Modifier::Horn, 'U') => 'Ư',
            _ => return None,
        };
        Some(out)
    }
}

/// The 12 vowel letters, lowercase, each with its 6 toned forms (ngang, huyền, sắc, hỏi, ngã, nặng).
pub const VOWELS: [[char; 6]; 12] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

const LO: u32 = 0xC0;
const HI: u32 = 0x1EFA;

/// Packed entry: bit 15 set = present; bits 8..12 vowel index; bits 4..7 tone; bit 0 = uppercase.
static TABLE: LazyLock<Vec<u16>> = LazyLock::new(|| {
    let mut t = vec![0u16; (HI - LO) as usize];
    for (vi, row) in VOWELS.iter().enumerate() {
        for (ti, &c) in row.iter().enumerate() {
            for (upper, ch) in [(0u16, c), (1u16, upper_of(c))] {
                let cp = ch as u32;
                if (LO..HI).contains(&cp) {
                    t[(cp - LO) as usize] =
                        0x8000 | ((vi as u16) << 8) | ((ti as u16) << 4) | upper;
                }
            }
        }
    }
    t
});

fn upper_of(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

/// Split a letter into its toneless base (same case) and its tone. ASCII vowels give `Ngang`;
/// anything that is not a Vietnamese vowel gives `None`.
#[inline]
pub fn split_tone(c: char) -> Option<(char, Tone)> {
    let cp = c as u32;
    if cp < 0x80 {
        return match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y' => {
                Some((c, Tone::Ngang))
            }
            _ => None,
        };
    }
    if !(LO..HI).contains(&cp) {
        return None;
    }
    let e = TABLE[(cp - LO) as usize];
    if e & 0x8000 == 0 {
        return None;
    }
    let vi = ((e >> 8) & 0x0F) as usize;
    let ti = ((e >> 4) & 0x0F) as u8;
    let base = VOWELS[vi][0];
    let base = if e & 1 == 1 { upper_of(base) } else { base };
    Some((base, Tone::from_index(ti)))
}

/// Put a tone on a toneless vowel (either case); `None` if `base` is not a vowel letter.
#[inline]
pub fn with_tone(base: char, tone: Tone) -> Option<char> {
    let lower = base.to_lowercase().next().unwrap_or(base);
    let vi = VOWELS.iter().position(|row| row[0] == lower)?;
    let c = VOWELS[vi][tone as usize];
    Some(if lower != base { upper_of(c) } else { c })
}

/// True for the 12 toneless vowel letters (lowercase).
#[inline]
pub fn is_base_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// The diacritic-free ASCII form of a lowercase toneless letter (`đ` → `d`, `ư` → `u`).
#[inline]
pub fn ascii_base(c: char) -> char {
    match c {
        'ă' | 'â' => 'a',
        'ê' => 'e',
        'ô' | 'ơ' => 'o',
        'ư' => 'u',
        'đ' => 'd',
        'Ă' | 'Â' => 'A',
        'Ê' => 'E',
        'Ô' | 'Ơ' => 'O',
        'Ư' => 'U',
        'Đ' => 'D',
        _ => c,
    }
}

/// Fold any Vietnamese letter to lowercase ASCII where it has an ASCII base (`Ễ` → `e`, `Đ` → `d`).
#[inline]
pub fn fold_char(c: char) -> char {
    let base = match split_tone(c) {
        Some((b, _)) => b,
        None => c,
    };
    let b = ascii_base(base);
    if b.is_ascii() {
        b.to_ascii_lowercase()
    } else {
        b.to_lowercase().next().unwrap_or(b)
    }
}

/// Fold a whole string to lowercase ASCII where possible, stripping combining marks.
pub fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_combining(c) {
            continue;
        }
        out.push(fold_char(c));
    }
    out
}

/// True for the combining marks used in Vietnamese (tones and vowel modifiers).
#[inline]
pub fn is_combining(c: char) -> bool {
    Tone::from_combining(c).is_some() || Modifier::from_combining(c).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_toned_letter_round_trips_in_both_cases() {
        for row in VOWELS {
            for (ti, &c) in row.iter().enumerate() {
                let (b, t) = split_tone(c).unwrap();
                assert_eq!(b, row[0]);
                assert_eq!(t as usize, ti);
                assert_eq!(with_tone(b, t), Some(c));
                let u = upper_of(c);
                let (bu, tu) = split_tone(u).unwrap();
                assert_eq!(bu, upper_of(row[0]));
                assert_eq!(tu as usize, ti);
                assert_eq!(with_tone(bu, tu), Some(u));
            }
        }
    }

    #[test]
    fn d_with_stroke_has_no_tone_and_folds_to_d() {
        assert_eq!(split_tone('đ'), None);
        assert_eq!(fold_char('Đ'), 'd');
        assert_eq!(fold_str("Nguyễn Đức Hưng"), "nguyen duc hung");
    }
}

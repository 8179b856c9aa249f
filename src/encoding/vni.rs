//! VNI-Windows: a base letter followed by a mark byte (and a few single bytes), decode and encode.
//!
//! Written from the structure in `vietnamese-text.md` §2.4 (mark byte → modifier and tone);
//! decoding takes the longest match and the case of the base letter, and accepts mark bytes of
//! either case because caps-lock and half-converted files mix them.
use crate::normalize::letters::{self, Modifier, Tone};

/// What a mark byte (lowercase form) adds to the base vowel before it.
fn mark(b: u8) -> Option<(Option<Modifier>, Tone)> {
    use Modifier::{Breve, Circumflex};
    let lower = match b {
        0xC0..=0xDF => b + 0x20,
        _ => b,
    };
    Some(match lower {
        0xF9 => (None, Tone::Sac),
        0xF8 => (None, Tone::Huyen),
        0xFB => (None, Tone::Hoi),
        0xF5 => (None, Tone::Nga),
        0xEF => (None, Tone::Nang),
        0xE2 => (Some(Circumflex), Tone::Ngang),
        0xE1 => (Some(Circumflex), Tone::Sac),
        0xE0 => (Some(Circumflex), Tone::Huyen),
        0xE5 => (Some(Circumflex), Tone::Hoi),
        0xE3 => (Some(Circumflex), Tone::Nga),
        0xE4 => (Some(Circumflex), Tone::Nang),
        0xEA => (Some(Breve), Tone::Ngang),
        0xE9 => (Some(Breve), Tone::Sac),
        0xE8 => (Some(Breve), Tone::Huyen),
        0xFA => (Some(Breve), Tone::Hoi),
        0xFC => (Some(Breve), Tone::Nga),
        0xEB => (Some(Breve), Tone::Nang),
        _ => return None,
    })
}

/// Single-byte letters (lowercase byte → letter); the uppercase byte is 0x20 lower.
fn single(b: u8) -> Option<char> {
    let (lower, upper) = (b | 0x20, b & 0x20 == 0);
    let c = match lower {
        0xF4 => 'ơ',
        0xF6 => 'ư',
        0xF1 => 'đ',
        0xED => 'í',
        0xEC => 'ì',
        0xE6 => 'ỉ',
        0xF3 => 'ĩ',
        0xF2 => 'ị',
        0xEE => 'ỵ',
        _ => return None,
    };
    if !(0xC0..=0xFF).contains(&b) {
        return None;
    }
    Some(if upper {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    })
}

/// Decode text whose characters stand for VNI-Windows bytes. Non-VNI characters pass through.
pub fn decode(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // base letter: an ASCII vowel, or the single-byte ơ/ư which take tone marks too
        let base = match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y' => Some(c),
            _ => super::char_to_byte(c).and_then(|b| match b | 0x20 {
                0xF4 | 0xF6 => single(b),
                _ => None,
            }),
        };
        if let Some(base) = base
            && let Some(&next) = chars.get(i + 1)
            && let Some(b) = super::char_to_byte(next)
            && let Some((modifier, tone)) = mark(b)
        {
            let modified = match modifier {
                Some(m) => m.apply(base),
                None => Some(base),
            };
            if let Some(m) = modified
                && let Some(t) = letters::with_tone(m, tone)
            {
                out.push(t);
                i += 2;
                continue;
            }
        }
        match super::char_to_byte(c)
            .filter(|b| *b >= 0xC0)
            .and_then(single)
        {
            Some(l) => out.push(l),
            None => out.push(c),
        }
        i += 1;
    }
    out
}

/// Encode Unicode (NFC) text to VNI-Windows, returned as the characters a cp1252 reader shows.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        encode_char(c, &mut out);
    }
    out
}

fn encode_char(c: char, out: &mut String) {
    let upper = c.is_uppercase();
    let lower = c.to_lowercase().next().unwrap_or(c);
    let case = |b: u8| -> char { if upper { (b - 0x20) as char } else { b as char } };
    let Some((base, tone)) = letters::split_tone(lower) else {
        if lower == 'đ' {
            out.push(case(0xF1));
        } else {
            out.push(c);
        }
        return;
    };
    // i and y-dot-below have single bytes
    let single_i = match (base, tone) {
        ('i', Tone::Sac) => Some(0xED),
        ('i', Tone::Huyen) => Some(0xEC),
        ('i', Tone::Hoi) => Some(0xE6),
        ('i', Tone::Nga) => Some(0xF3),
        ('i', Tone::Nang) => Some(0xF2),
        ('y', Tone::Nang) => Some(0xEE),
        _ => None,
    };
    if let Some(b) = single_i {
        out.push(case(b));
        return;
    }
    let tone_byte = match tone {
        Tone::Ngang => None,
        Tone::Sac => Some(0xF9),
        Tone::Huyen => Some(0xF8),
        Tone::Hoi => Some(0xFB),
        Tone::Nga => Some(0xF5),
        Tone::Nang => Some(0xEF),
    };
    let (letter, combined): (char, Option<u8>) = match base {
        'â' | 'ê' | 'ô' => {
            let m = match tone {
                Tone::Ngang => 0xE2,
                Tone::Sac => 0xE1,
                Tone::Huyen => 0xE0,
                Tone::Hoi => 0xE5,
                Tone::Nga => 0xE3,
                Tone::Nang => 0xE4,
            };
            (letters::ascii_base(base), Some(m))
        }
        'ă' => {
            let m = match tone {
                Tone::Ngang => 0xEA,
                Tone::Sac => 0xE9,
                Tone::Huyen => 0xE8,
                Tone::Hoi => 0xFA,
                Tone::Nga => 0xFC,
                Tone::Nang => 0xEB,
            };
            ('a', Some(m))
        }
        'ơ' => {
            out.push(case(0xF4));
            if let Some(t) = tone_byte {
                out.push(case(t));
            }
            return;
        }
        'ư' => {
            out.push(case(0xF6));
            if let Some(t) = tone_byte {
                out.push(case(t));
            }
            return;
        }
        _ => (base, tone_byte),
    };
    out.push(if upper {
        letter.to_ascii_uppercase()
    } else {
        letter
    });
    if let Some(m) = combined {
        out.push(case(m));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints() {
        for (legacy, unicode) in [
            ("Nguyeãn", "Nguyễn"),
            ("Traàn", "Trần"),
            ("Leâ", "Lê"),
            ("Phaïm", "Phạm"),
            ("Hoaøng", "Hoàng"),
            ("Huyønh", "Huỳnh"),
            ("Vuõ", "Vũ"),
            ("Voõ", "Võ"),
            ("Ñaëng", "Đặng"),
            ("Buøi", "Bùi"),
            ("Ñoã", "Đỗ"),
            ("Hoà", "Hồ"),
            ("Ngoâ", "Ngô"),
            ("Döông", "Dương"),
            ("Vaên", "Văn"),
            ("Thò", "Thị"),
            ("Ñöùc", "Đức"),
            ("Höông", "Hương"),
            ("Thuûy", "Thủy"),
            ("Quyù", "Quý"),
            ("yû", "ỷ"),
            ("yõ", "ỹ"),
            ("î", "ỵ"),
        ] {
            assert_eq!(decode(legacy), unicode, "{legacy}");
            assert_eq!(encode(unicode), legacy, "{unicode}");
        }
    }

    #[test]
    fn mark_byte_of_either_case() {
        assert_eq!(decode("NGUYEÃN"), "NGUYỄN");
        assert_eq!(decode("NGUYEãN"), "NGUYỄN");
    }
}

//! VIQR (RFC 1456): ASCII mnemonics after the vowel (`Nguye^~n`, `DDu+'c`), decode and encode.
use crate::normalize::letters::{self, Modifier, Tone};

fn modifier(c: char) -> Option<Modifier> {
    match c {
        '^' => Some(Modifier::Circumflex),
        '(' => Some(Modifier::Breve),
        '+' => Some(Modifier::Horn),
        _ => None,
    }
}

fn tone(c: char) -> Option<Tone> {
    match c {
        '\'' => Some(Tone::Sac),
        '`' => Some(Tone::Huyen),
        '?' => Some(Tone::Hoi),
        '~' => Some(Tone::Nga),
        '.' => Some(Tone::Nang),
        _ => None,
    }
}

/// Decode VIQR. A mark is read as a diacritic only when it combines with the letter before it;
/// `\` escapes a literal mark.
pub fn decode(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if (c == 'd' || c == 'D') && matches!(chars.get(i + 1), Some('d' | 'D')) {
            out.push(if c == 'd' { 'đ' } else { 'Đ' });
            i += 2;
            continue;
        }
        if letters::split_tone(c).is_some() {
            let mut letter = c;
            let mut j = i + 1;
            if let Some(m) = chars.get(j).and_then(|&n| modifier(n))
                && let Some(l) = m.apply(letter)
            {
                letter = l;
                j += 1;
            }
            if let Some(t) = chars.get(j).and_then(|&n| tone(n))
                && let Some(l) = letters::with_tone(letter, t)
            {
                letter = l;
                j += 1;
            }
            out.push(letter);
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Encode Unicode (NFC) text to VIQR.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            'đ' => out.push_str("dd"),
            'Đ' => out.push_str("DD"),
            _ => match letters::split_tone(c) {
                Some((base, t)) => {
                    let plain = letters::ascii_base(base);
                    out.push(plain);
                    let lower = base.to_lowercase().next().unwrap_or(base);
                    match lower {
                        'â' | 'ê' | 'ô' => out.push('^'),
                        'ă' => out.push('('),
                        'ơ' | 'ư' => out.push('+'),
                        _ => {}
                    }
                    match t {
                        Tone::Ngang => {}
                        Tone::Sac => out.push('\''),
                        Tone::Huyen => out.push('`'),
                        Tone::Hoi => out.push('?'),
                        Tone::Nga => out.push('~'),
                        Tone::Nang => out.push('.'),
                    }
                }
                None => out.push(c),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints() {
        for (v, u) in [
            ("Nguye^~n", "Nguyễn"),
            ("Tra^`n", "Trần"),
            ("DDa(.ng", "Đặng"),
            ("DDu+'c", "Đức"),
            ("Du+o+ng", "Dương"),
            ("Thu?y", "Thủy"),
            ("Thi.", "Thị"),
        ] {
            assert_eq!(decode(v), u);
            assert_eq!(encode(u), v);
        }
        assert_eq!(decode("Thu.y\\."), "Thụy.");
    }
}

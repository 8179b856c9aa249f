//! One Vietnamese syllable: tone extraction, onset/vowel/coda parse, canonical tone placement.
//!
//! The algorithm is the one in `vietnamese-text.md` §1.4: take the tone off, parse the toneless
//! syllable, put the tone back on the letter the rule chooses. Never string replacement.
use super::letters::{self, Modifier, Tone};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Where the tone goes in open `oa`, `oe`, `uy` syllables (the only place the styles differ).
///
/// doisoat's canonical style is [`ToneStyle::FirstVowel`] (`hòa`, `thủy`): Unikey's default and
/// what 93 % of the open oa/oe/uy name syllables in UIT-ViNames use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ToneStyle {
    /// `hòa`, `khỏe`, `thủy` (traditional)
    #[default]
    FirstVowel,
    /// `hoà`, `khoẻ`, `thuỷ` (QĐ 1989/QĐ-BGDĐT schoolbook rule)
    MainVowel,
}

/// Onsets, longest first so the first match is the longest.
const ONSETS: [&str; 33] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "dz", "b", "c", "d", "đ",
    "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x", "f", "j", "w", "z",
];

const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Toneless rhymes (vowel cluster + coda) of Vietnamese, including the `y…` forms met after `qu`.
const RHYMES: &[&str] = &[
    // open and glide-final
    "a", "ai", "ao", "au", "ay", "âu", "ây", "e", "eo", "ê", "êu", "i", "ia", "iu", "iêu", "o",
    "oi", "ô", "ôi", "ơ", "ơi", "u", "ua", "ui", "uôi", "ư", "ưa", "ưi", "ưu", "ươi", "ươu", "y",
    "yêu", "oa", "oai", "oay", "oao", "oe", "oeo", "uê", "uy", "uya", "uyu", "uơ", "uây", "uâu",
    // closed
    "ac", "ach", "am", "an", "ang", "anh", "ap", "at", "ăc", "ăm", "ăn", "ăng", "ăp", "ăt", "âc",
    "âm", "ân", "âng", "âp", "ât", "ec", "em", "en", "eng", "ep", "et", "êch", "êm", "ên", "ênh",
    "êp", "êt", "ich", "im", "in", "inh", "ip", "it", "iêc", "iêm", "iên", "iêng", "iêp", "iêt",
    "yêm", "yên", "yêng", "yêt", "oc", "om", "on", "ong", "op", "ot", "ooc", "oong", "ôc", "ôm",
    "ôn", "ông", "ôp", "ôt", "ơm", "ơn", "ơp", "ơt", "uc", "um", "un", "ung", "up", "ut", "uôc",
    "uôm", "uôn", "uông", "uôt", "ưc", "ưm", "ưn", "ưng", "ưt", "ươc", "ươm", "ươn", "ương", "ươp",
    "ươt", "oac", "oach", "oam", "oan", "oang", "oanh", "oap", "oat", "oăc", "oăm", "oăn", "oăng",
    "oăt", "oen", "oet", "uân", "uâng", "uât", "uêch", "uênh", "uych", "uyn", "uynh", "uyp", "uyt",
    "uyên", "uyêt", // after qu the u is the onset: these nuclei only occur there
    "ych", "ynh", "yt", "yn", "yp",
];

static RHYME_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| RHYMES.iter().copied().collect());

/// A syllable taken apart: lowercase toneless letters, the onset/vowel/coda split, the tone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// lowercase, toneless (modifiers kept)
    pub toneless: String,
    /// byte length of the onset in `toneless`
    pub onset_len: usize,
    /// byte length of the vowel cluster
    pub vowel_len: usize,
    /// the tone
    pub tone: Tone,
    /// two different tones were typed on the token (the last one is kept)
    pub tone_conflict: bool,
}

impl Parsed {
    /// The onset (`ngh`, `qu`, `` … ).
    pub fn onset(&self) -> &str {
        &self.toneless[..self.onset_len]
    }
    /// The vowel cluster.
    pub fn vowels(&self) -> &str {
        &self.toneless[self.onset_len..self.onset_len + self.vowel_len]
    }
    /// The coda (one of ∅ c ch m n ng nh p t).
    pub fn coda(&self) -> &str {
        &self.toneless[self.onset_len + self.vowel_len..]
    }
    /// The rhyme: vowel cluster + coda.
    pub fn rhyme(&self) -> &str {
        &self.toneless[self.onset_len..]
    }

    /// True when the rhyme is in the inventory and a stop coda carries only sắc or nặng.
    pub fn is_valid(&self) -> bool {
        let mut rhyme = self.rhyme();
        let owned;
        // `gi` + ê… is gi + iê… with the i merged (giếng, giêng)
        if self.onset() == "gi" && rhyme.starts_with('ê') {
            owned = format!("i{rhyme}");
            rhyme = &owned;
        }
        if !RHYME_SET.contains(rhyme) {
            return false;
        }
        let stop = matches!(self.coda(), "c" | "ch" | "p" | "t");
        !stop || matches!(self.tone, Tone::Sac | Tone::Nang)
    }

    /// The syllable written with its tone on the canonical letter for `style` (lowercase).
    pub fn render(&self, style: ToneStyle) -> String {
        let vowels: Vec<char> = self.vowels().chars().collect();
        let pos = tone_position(&vowels, !self.coda().is_empty(), style);
        let mut out = String::with_capacity(self.toneless.len() + 2);
        out.push_str(self.onset());
        for (i, &v) in vowels.iter().enumerate() {
            if i == pos {
                out.push(letters::with_tone(v, self.tone).unwrap_or(v));
            } else {
                out.push(v);
            }
        }
        out.push_str(self.coda());
        out
    }
}

/// Take the tone off a token: lowercase toneless letters, the tone, and whether two tones clashed.
/// Combining marks in any order are accepted (tone typed before the circumflex included).
/// `None` when a vowel modifier follows a letter it cannot modify.
pub fn strip_tone(token: &str) -> Option<(String, Tone, bool)> {
    let mut out = String::with_capacity(token.len());
    let mut tone = Tone::Ngang;
    let mut conflict = false;
    let set = |t: Tone, tone: &mut Tone, conflict: &mut bool| {
        if *tone != Tone::Ngang && *tone != t {
            *conflict = true;
        }
        *tone = t;
    };
    for c in token.chars() {
        if let Some(t) = Tone::from_combining(c) {
            set(t, &mut tone, &mut conflict);
            continue;
        }
        if let Some(m) = Modifier::from_combining(c) {
            let last = out.pop()?;
            out.push(m.apply(last)?);
            continue;
        }
        let lc = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        match letters::split_tone(lc) {
            Some((base, t)) => {
                if t != Tone::Ngang {
                    set(t, &mut tone, &mut conflict);
                }
                out.push(base);
            }
            None => out.push(lc),
        }
    }
    Some((out, tone, conflict))
}

/// Parse a token into onset, vowel cluster and coda. `None` for anything that is not shaped like a
/// Vietnamese syllable (foreign or garbled tokens are left alone by the caller).
pub fn parse(token: &str) -> Option<Parsed> {
    let (toneless, tone, tone_conflict) = strip_tone(token)?;
    let (onset_len, vowel_len) = split(&toneless)?;
    Some(Parsed {
        toneless,
        onset_len,
        vowel_len,
        tone,
        tone_conflict,
    })
}

fn split(s: &str) -> Option<(usize, usize)> {
    let mut onset = ONSETS
        .iter()
        .find(|o| s.starts_with(**o))
        .map_or(0, |o| o.len());
    let rest = &s[onset..];
    let next_is_vowel = rest.chars().next().is_some_and(letters::is_base_vowel);
    if onset == 2 && s.starts_with("gi") && !next_is_vowel {
        onset = 1; // gì, gìn: the i is the vowel
    } else if !next_is_vowel {
        return None; // includes "qu" with no vowel after it
    }
    let rest = &s[onset..];
    let vowel_len: usize = rest
        .chars()
        .take_while(|&c| letters::is_base_vowel(c))
        .map(char::len_utf8)
        .sum();
    if vowel_len == 0 || rest[..vowel_len].chars().count() > 3 {
        return None;
    }
    let coda = &rest[vowel_len..];
    if !CODAS.contains(&coda) {
        return None;
    }
    Some((onset, vowel_len))
}

/// Index in `v` of the letter that carries the tone (§1.4 step 3, Unikey's order).
fn tone_position(v: &[char], closed: bool, style: ToneStyle) -> usize {
    if v.len() == 1 {
        return 0;
    }
    if let Some(i) = v.iter().position(|c| matches!(c, 'â' | 'ê' | 'ô')) {
        return i;
    }
    if let Some(i) = v.iter().position(|&c| c == 'ơ') {
        return i; // ươ, ươi, ươu, uơ → ơ
    }
    if let Some(i) = v.iter().position(|c| matches!(c, 'ă' | 'ư')) {
        return i;
    }
    if v.len() == 3 {
        return 1;
    }
    if closed {
        return 1;
    }
    let pair = (v[0], v[1]);
    if matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y')) {
        return match style {
            ToneStyle::FirstVowel => 0,
            ToneStyle::MainVowel => 1,
        };
    }
    0
}

/// Canonicalize one token (any case, NFC or not): lowercase, tone re-placed. Tokens that do not
/// parse come back lowercased and marked `false`.
pub fn canon(token: &str, style: ToneStyle) -> (String, bool) {
    match parse(token) {
        Some(p) => (p.render(style), true),
        None => (token.to_lowercase(), false),
    }
}

/// True when the token is a valid Vietnamese syllable (grammar + rhyme inventory + stop-coda tones).
pub fn is_valid(token: &str) -> bool {
    parse(token).is_some_and(|p| p.is_valid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_test_vectors() {
        // (input, FirstVowel, MainVowel) from vietnamese-text.md §1.4
        let cases = [
            ("Qúy", "quý", "quý"),
            ("gía", "giá", "giá"),
            ("gìn", "gìn", "gìn"),
            ("gìơ", "giờ", "giờ"),
            ("hoà", "hòa", "hoà"),
            ("hòa", "hòa", "hoà"),
            ("Hòang", "hoàng", "hoàng"),
            ("Hùynh", "huỳnh", "huỳnh"),
            ("thụy", "thụy", "thuỵ"),
            ("thuỵ", "thụy", "thuỵ"),
            ("lựơng", "lượng", "lượng"),
            ("baỏ", "bảo", "bảo"),
            ("tìên", "tiền", "tiền"),
            ("qủyên", "quyển", "quyển"),
            ("cưả", "cửa", "cửa"),
            ("chuỵên", "chuyện", "chuyện"),
            ("thủơ", "thuở", "thuở"),
            ("ngừơi", "người", "người"),
            ("họach", "hoạch", "hoạch"),
            ("thọai", "thoại", "thoại"),
            ("khuỷu", "khuỷu", "khuỷu"),
            ("oái", "oái", "oái"),
            ("ngoằn", "ngoằn", "ngoằn"),
            ("khỏe", "khỏe", "khoẻ"),
            ("hoàn", "hoàn", "hoàn"),
            ("suýt", "suýt", "suýt"),
        ];
        for (input, a, b) in cases {
            assert_eq!(
                canon(input, ToneStyle::FirstVowel).0,
                a,
                "{input} first-vowel"
            );
            assert_eq!(
                canon(input, ToneStyle::MainVowel).0,
                b,
                "{input} main-vowel"
            );
        }
    }

    #[test]
    fn nfd_composite_and_tone_before_circumflex() {
        let nfd = "Nguye\u{302}\u{303}n"; // NFD
        let composite = "Nguy\u{EA}\u{303}n"; // Unikey "tổ hợp"
        let tone_first = "Nguye\u{303}\u{302}n"; // tone typed before the circumflex
        for s in [nfd, composite, tone_first] {
            assert_eq!(canon(s, ToneStyle::FirstVowel).0, "nguyễn", "{s:?}");
        }
        assert_eq!(canon("a\u{301}\u{302}", ToneStyle::FirstVowel).0, "ấ");
    }

    #[test]
    fn two_different_tones_keep_the_last_and_are_flagged() {
        let p = parse("hóà").unwrap();
        assert_eq!(p.tone, Tone::Huyen);
        assert!(p.tone_conflict);
    }

    #[test]
    fn validity() {
        for ok in [
            "nguyễn", "hưng", "hùng", "giếng", "quỳnh", "người", "khuỷu", "gì", "đặng", "thuở",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in ["tr", "hùt", "xyz", "nguyá»…n", "bcd", "qu", "hòc"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn foreign_tokens_are_left_alone() {
        assert_eq!(
            canon("Kdăm", ToneStyle::FirstVowel),
            ("kdăm".to_string(), false)
        );
        assert!(!canon("H'Linh", ToneStyle::FirstVowel).1);
    }
}

//! The errors the generator writes into books: real ones change a value (and the truth says the
//! field disagrees), cosmetic ones only change how it is written.
use super::config::{DateNoise, NameNoise};
use crate::encoding::{self, Encoding};
use crate::normalize::letters::{self, Tone};
use crate::normalize::syllable::{self, ToneStyle};
use crate::normalize::{PartialDate, Sex};
use rand::RngExt;
use rand_pcg::Pcg64;
use unicode_normalization::UnicodeNormalization;

/// A value as written, whether it really differs from the truth, and the noise kinds applied.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// the text in the book
    pub text: String,
    /// the value differs from the truth (not only its writing)
    pub changed: bool,
    /// noise kinds applied
    pub kinds: Vec<&'static str>,
}

fn hit(rng: &mut Pcg64, p: f64) -> bool {
    p > 0.0 && rng.random::<f64>() < p
}

fn retone(syl: &str, f: impl Fn(Tone) -> Option<Tone>) -> Option<String> {
    let p = syllable::parse(syl)?;
    let t = f(p.tone)?;
    let mut q = p.clone();
    q.tone = t;
    Some(q.render(ToneStyle::FirstVowel))
}

fn map_chars(syl: &str, f: impl Fn(char) -> Option<char>) -> Option<String> {
    let idx: Vec<usize> = syl
        .char_indices()
        .filter(|(_, c)| f(*c).is_some())
        .map(|(i, _)| i)
        .collect();
    let &i = idx.first()?;
    let c = syl[i..].chars().next()?;
    let mut out = syl[..i].to_string();
    out.push(f(c)?);
    out.push_str(&syl[i + c.len_utf8()..]);
    Some(out)
}

/// Apply name noise to a canonical lowercase name (syllables); `middle` is the range of middle
/// syllables, the last syllable is the given name.
pub fn name(syls: &[String], fam_len: usize, sex: Sex, n: &NameNoise, rng: &mut Pcg64) -> Written {
    let mut s: Vec<String> = syls.to_vec();
    let mut kinds = Vec::new();
    let pick = |rng: &mut Pcg64, len: usize| rng.random_range(0..len);
    if s.is_empty() {
        return Written::default();
    }
    real_changes(&mut s, fam_len, sex, n, rng, &mut kinds);
    spelling_changes(&mut s, fam_len, n, rng, &mut kinds);
    let changed = s != syls;
    // cosmetic: how the (possibly changed) name is written — case and tone style first, then
    // the Unicode form, then a token in another encoding, then spaces (the order real files have)
    let mut words: Vec<String> = s
        .iter()
        .map(|w| crate::normalize::text::capitalize(w))
        .collect();
    if hit(rng, n.tone_style) {
        words = words
            .iter()
            .map(|w| {
                syllable::parse(w).map_or(w.clone(), |p| {
                    crate::normalize::text::capitalize(&p.render(ToneStyle::MainVowel))
                })
            })
            .collect();
        kinds.push("tone_style");
    }
    let upper = hit(rng, n.upper_case);
    if upper {
        words = words.iter().map(|w| w.to_uppercase()).collect();
        kinds.push("upper_case");
    }
    if hit(rng, n.nfd) {
        words = words.iter().map(|w| w.nfd().collect()).collect();
        kinds.push("nfd");
    } else if hit(rng, n.composite) {
        words = words
            .iter()
            .map(|w| {
                w.chars()
                    .flat_map(|c| match letters::split_tone(c) {
                        Some((b, t)) if t != Tone::Ngang => vec![
                            b,
                            [
                                '\u{300}', '\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}',
                            ][t as usize],
                        ],
                        _ => vec![c],
                    })
                    .collect()
            })
            .collect();
        kinds.push("composite");
    }
    if hit(rng, n.mojibake) {
        let i = pick(rng, words.len());
        words[i] = encoding::encode(&words[i], Encoding::Mojibake);
        kinds.push("mojibake");
    } else if hit(rng, n.vni_token) {
        let i = pick(rng, words.len());
        let nfc: String = words[i].nfc().collect();
        words[i] = encoding::encode(&nfc, Encoding::Vni);
        kinds.push("vni_token");
    }
    let glue = words.len() >= 3
        && !upper
        && words[words.len() - 1].chars().count() >= 2
        && hit(rng, n.glued);
    let mut text = if glue {
        kinds.push("glued");
        let mut t = words[..words.len() - 2].join(" ");
        t.push(' ');
        t.push_str(&words[words.len() - 2]);
        t.push_str(&words[words.len() - 1]);
        t
    } else {
        words.join(" ")
    };
    if hit(rng, n.spacing) {
        text = if rng.random::<bool>() {
            format!(" {}  ", text.replacen(' ', "  ", 1))
        } else {
            text.replacen(' ', "   ", 1)
        };
        kinds.push("spacing");
    }
    Written {
        text,
        changed,
        kinds,
    }
}

/// The real changes of a name (what a clerk or a reader got wrong), in the order they are drawn.
fn real_changes(
    s: &mut Vec<String>,
    fam_len: usize,
    sex: Sex,
    n: &NameNoise,
    rng: &mut Pcg64,
    kinds: &mut Vec<&'static str>,
) {
    let pick = |rng: &mut Pcg64, len: usize| rng.random_range(0..len);
    // real changes
    if hit(rng, n.typo) {
        let i = pick(rng, s.len());
        let look = |c: char| -> Option<char> {
            Some(match c {
                'u' => 'n',
                'n' => 'u',
                'm' => 'n',
                'a' => 'o',
                'o' => 'a',
                'c' => 'e',
                'e' => 'c',
                'l' => 't',
                't' => 'l',
                'h' => 'k',
                'k' => 'h',
                _ => return None,
            })
        };
        if let Some(x) = map_chars(&s[i], look) {
            s[i] = x;
            kinds.push("typo");
        }
    }
    if hit(rng, n.tone_slip) {
        let i = pick(rng, s.len());
        if let Some(x) = retone(&s[i], |t| match t {
            Tone::Hoi => Some(Tone::Nga),
            Tone::Nga => Some(Tone::Nang),
            Tone::Nang => Some(Tone::Nga),
            Tone::Sac => Some(Tone::Huyen),
            Tone::Huyen => Some(Tone::Sac),
            Tone::Ngang => None,
        }) {
            s[i] = x;
            kinds.push("tone_slip");
        }
    }
    if hit(rng, n.tone_dropped) {
        let i = pick(rng, s.len());
        if let Some(x) = retone(&s[i], |t| (t != Tone::Ngang).then_some(Tone::Ngang)) {
            s[i] = x;
            kinds.push("tone_dropped");
        }
    }
    if hit(rng, n.modifier_dropped) {
        let i = pick(rng, s.len());
        let drop = |c: char| -> Option<char> {
            if c == 'đ' {
                return Some('d');
            }
            let (b, t) = letters::split_tone(c)?;
            let a = letters::ascii_base(b);
            (a != b).then(|| letters::with_tone(a, t)).flatten()
        };
        if let Some(x) = map_chars(&s[i], drop) {
            s[i] = x;
            kinds.push("modifier_dropped");
        }
    }
    let n_mid = s.len().saturating_sub(fam_len + 1);
    if hit(rng, n.van_thi_dropped) && s.len() >= 2 {
        let word = if sex == Sex::Nu { "thị" } else { "văn" };
        if let Some(i) = (fam_len..fam_len + n_mid).find(|&i| s[i] == word) {
            s.remove(i);
            kinds.push("van_thi_dropped");
        } else if n_mid == 0 && s.len() == fam_len + 1 {
            s.insert(fam_len, word.to_string());
            kinds.push("van_thi_added");
        }
    }
}

/// The rest of the real changes: a variant spelling, i/y, a dialect onset, middle and given
/// swapped.
fn spelling_changes(
    s: &mut [String],
    fam_len: usize,
    n: &NameNoise,
    rng: &mut Pcg64,
    kinds: &mut Vec<&'static str>,
) {
    let pick = |rng: &mut Pcg64, len: usize| rng.random_range(0..len);
    let n_mid = s.len().saturating_sub(fam_len + 1);
    if hit(rng, n.variant) {
        let swap = |w: &str, family: bool| -> Option<&'static str> {
            Some(match (w, family) {
                ("hoàng", true) => "huỳnh",
                ("huỳnh", true) => "hoàng",
                ("vũ", true) => "võ",
                ("võ", true) => "vũ",
                ("phúc", _) => "phước",
                ("phước", _) => "phúc",
                _ => return None,
            })
        };
        if let Some(x) = swap(&s[0], true) {
            s[0] = x.to_string();
            kinds.push("variant");
        } else if let Some(i) = (1..s.len()).find(|&i| swap(&s[i], false).is_some()) {
            s[i] = swap(&s[i], false).unwrap_or_default().to_string();
            kinds.push("variant");
        }
    }
    if hit(rng, n.i_y)
        && let Some(i) = (0..s.len()).rev().find(|&i| {
            s[i] != "thị"
                && syllable::parse(&s[i]).is_some_and(|p| {
                    matches!(p.vowels(), "i" | "y")
                        && p.coda().is_empty()
                        && matches!(
                            p.onset(),
                            "qu" | "s" | "k" | "l" | "m" | "h" | "v" | "d" | "t"
                        )
                })
        })
    {
        let flip = |c: char| -> Option<char> {
            let (b, t) = letters::split_tone(c)?;
            match b {
                'i' => letters::with_tone('y', t),
                'y' => letters::with_tone('i', t),
                _ => None,
            }
        };
        if let Some(x) = map_chars(&s[i], flip) {
            s[i] = x;
            kinds.push("i_y");
        }
    }
    if hit(rng, n.dialect) {
        let i = pick(rng, s.len());
        let w = s[i].clone();
        let swaps = [
            ("tr", "ch"),
            ("ch", "tr"),
            ("gi", "d"),
            ("d", "gi"),
            ("r", "d"),
            ("s", "x"),
            ("x", "s"),
            ("l", "n"),
            ("n", "l"),
        ];
        if let Some((a, b)) = swaps.iter().find(|(a, _)| {
            w.starts_with(a) && !(*a == "n" && (w.starts_with("ng") || w.starts_with("nh")))
        }) {
            s[i] = format!("{b}{}", &w[a.len()..]);
            kinds.push("dialect");
        } else if w.ends_with('n') && !w.ends_with("nh") {
            s[i] = format!("{w}g");
            kinds.push("dialect");
        }
    }
    if hit(rng, n.swap) && n_mid >= 1 {
        let last = s.len() - 1;
        s.swap(last - 1, last);
        kinds.push("swap");
    }
}

/// Write a date of birth with date noise; `old` books write year-only dates more often.
pub fn dob(
    truth: PartialDate,
    n: &DateNoise,
    old: bool,
    rng: &mut Pcg64,
) -> (Written, PartialDate) {
    let mut d = truth;
    let mut kinds = Vec::new();
    if hit(rng, n.day_month_swap) && d.day <= 12 && d.day != d.month {
        std::mem::swap(&mut d.day, &mut d.month);
        kinds.push("day_month_swap");
    }
    if hit(rng, n.year_slip) {
        if rng.random::<bool>() {
            d.year = if rng.random::<bool>() {
                d.year + 1
            } else {
                d.year - 1
            };
        } else {
            let digit = rng.random_range(0..10u16);
            let ones = d.year % 10;
            d.year = d.year - ones
                + if digit == ones {
                    (digit + 1) % 10
                } else {
                    digit
                };
        }
        kinds.push("year_slip");
    }
    let changed = d != truth;
    let year_only_rate = if old {
        (n.year_only * 4.0).min(0.5)
    } else {
        n.year_only
    };
    let sep = if rng.random::<f64>() < 0.6 { "/" } else { "." };
    let text = if hit(rng, n.impossible)
        && !changed
        && d.day == 1
        && matches!(d.month, 3 | 5 | 7 | 10 | 12)
    {
        kinds.push("impossible_date");
        let (pm, pd) = if d.month == 3 {
            (2, if rng.random::<bool>() { 30 } else { 29 })
        } else {
            (d.month - 1, 31)
        };
        let pd =
            if d.month == 3 && pd == 29 && crate::normalize::date::days_in_month(d.year, 2) == 29 {
                30
            } else {
                pd
            };
        format!("{pd:02}{sep}{pm:02}{sep}{}", d.year)
    } else if hit(rng, year_only_rate) {
        // only the year is written: a day/month swap no longer shows
        kinds.retain(|k| *k != "day_month_swap");
        kinds.push("year_only");
        format!("{}", d.year)
    } else if hit(rng, n.ddmmyyyy) {
        kinds.push("ddmmyyyy");
        format!("{:02}{:02}{}", d.day, d.month, d.year)
    } else if hit(rng, n.two_digit_year) && (1926..=2025).contains(&d.year) {
        kinds.push("two_digit_year");
        format!("{:02}{sep}{:02}{sep}{:02}", d.day, d.month, d.year % 100)
    } else if rng.random::<f64>() < 0.1 {
        format!("{}{sep}{}{sep}{}", d.day, d.month, d.year)
    } else {
        format!("{:02}{sep}{:02}{sep}{}", d.day, d.month, d.year)
    };
    let changed = if kinds.contains(&"year_only") {
        d.year != truth.year
    } else {
        changed
    };
    (
        Written {
            text,
            changed,
            kinds,
        },
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn cosmetic_noise_never_changes_the_normalized_name() {
        let mut cfg = super::super::config::NoiseConfig::default().name;
        for v in [
            &mut cfg.typo,
            &mut cfg.tone_slip,
            &mut cfg.tone_dropped,
            &mut cfg.modifier_dropped,
            &mut cfg.van_thi_dropped,
            &mut cfg.variant,
            &mut cfg.i_y,
            &mut cfg.dialect,
            &mut cfg.swap,
        ] {
            *v = 0.0;
        }
        cfg.mojibake = 0.0;
        cfg.vni_token = 0.0;
        for v in [
            &mut cfg.tone_style,
            &mut cfg.nfd,
            &mut cfg.upper_case,
            &mut cfg.spacing,
            &mut cfg.glued,
            &mut cfg.composite,
        ] {
            *v = 0.5;
        }
        let mut rng = Pcg64::seed_from_u64(1);
        let truth: Vec<String> = ["nguyễn", "thị", "thủy"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for _ in 0..200 {
            let w = name(&truth, 1, Sex::Nu, &cfg, &mut rng);
            assert!(!w.changed);
            assert_eq!(
                crate::normalize::normalize_name(&w.text).lower(),
                "nguyễn thị thủy",
                "{:?}",
                w
            );
        }
    }
}

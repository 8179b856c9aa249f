//! The cost of two syllables against each other (`vietnamese-text.md` §5.2): onsets of one dialect
//! group, rhymes that differ by a lost modifier or i/y, tone slips (hỏi/ngã, ngã/nặng).
use crate::normalize::letters::{self, Tone};
use crate::rules::Costs;
use crate::subjects::syllables::SylInfo;

fn onset_group(o: &str) -> u8 {
    match o {
        "c" | "k" | "q" => 1,
        "g" | "gh" => 2,
        "ng" | "ngh" => 3,
        _ => 0,
    }
}

fn onset_cost(a: &str, b: &str, c: &Costs) -> f32 {
    if a == b {
        return 0.0;
    }
    let (ga, gb) = (onset_group(a), onset_group(b));
    if ga != 0 && ga == gb {
        return 0.0;
    }
    let pair = |x: &str, y: &str| (a == x && b == y) || (a == y && b == x);
    let dzr = |o: &str| matches!(o, "d" | "gi" | "r" | "dz");
    if dzr(a) && dzr(b) {
        return c.onset_dialect;
    }
    if pair("s", "x") || pair("ch", "tr") {
        return c.onset_dialect;
    }
    if pair("l", "n") {
        return c.onset_l_n;
    }
    if pair("d", "đ") {
        return c.onset_d_dd;
    }
    if pair("h", "k") || pair("l", "t") || pair("n", "m") || pair("kh", "k") || pair("th", "t") {
        return c.onset_lookalike;
    }
    1.0
}

fn fold_modifiers(v: &str) -> String {
    v.chars().map(letters::ascii_base).collect()
}

fn rhyme_cost(
    a: &crate::normalize::syllable::Parsed,
    b: &crate::normalize::syllable::Parsed,
    c: &Costs,
) -> f32 {
    let (ra, rb) = (a.rhyme(), b.rhyme());
    if ra == rb {
        return 0.0;
    }
    let (va, vb, ca, cb) = (a.vowels(), b.vowels(), a.coda(), b.coda());
    // i/y in an open single-vowel syllable (Quý/Quí, Sỹ/Sĩ)
    if ca.is_empty() && cb.is_empty() && matches!((va, vb), ("i", "y") | ("y", "i")) {
        return c.rhyme_i_y;
    }
    if va == vb {
        let pair = |x: &str, y: &str| (ca == x && cb == y) || (ca == y && cb == x);
        if pair("n", "ng") || pair("t", "c") {
            return c.rhyme_coda_n_ng;
        }
        if pair("nh", "n") || pair("ch", "t") {
            return c.rhyme_coda_nh_n;
        }
    }
    if ca == cb && fold_modifiers(va) == fold_modifiers(vb) {
        return c.rhyme_modifier;
    }
    let d = strsim::levenshtein(ra, rb) as f32;
    let n = ra.chars().count().max(rb.chars().count()).max(1) as f32;
    (d / n).min(1.0)
}

fn tone_cost(a: Tone, b: Tone, c: &Costs) -> f32 {
    use Tone::*;
    if a == b {
        return 0.0;
    }
    match (a.min(b), a.max(b)) {
        (Hoi, Nga) => c.tone_hoi_nga,
        (Nga, Nang) => c.tone_nga_nang,
        (Ngang, _) => c.tone_dropped,
        (Hoi, Nang) => c.tone_hoi_nang,
        _ => 1.0,
    }
}

/// The cost of reading syllable `a` as `b`, in [0, 1] (0 = the same).
pub fn syllable_cost(a: &SylInfo, b: &SylInfo, c: &Costs) -> f32 {
    if a.text == b.text {
        return 0.0;
    }
    match (&a.parsed, &b.parsed) {
        (Some(pa), Some(pb)) => {
            let total = onset_cost(pa.onset(), pb.onset(), c)
                + rhyme_cost(pa, pb, c)
                + tone_cost(pa.tone, pb.tone, c);
            total.min(1.0)
        }
        _ => {
            let d = strsim::levenshtein(&a.folded, &b.folded) as f32;
            let n = a.folded.len().max(b.folded.len()).max(1) as f32;
            (0.25 + d / n).min(1.0)
        }
    }
}

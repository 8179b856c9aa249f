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

/// What an onset pair costs, by which of the cost model's weights (the model is the rules', so
/// a table of parts serves every rules file).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OnsetPart {
    /// the same, or one spelling group (c/k/q, g/gh, ng/ngh)
    Zero,
    /// d/gi/r, s/x, ch/tr
    Dialect,
    /// l/n
    LN,
    /// d/đ
    DDd,
    /// look-alike letters
    Lookalike,
    /// unrelated
    One,
}

impl OnsetPart {
    /// The part's cost under a cost model.
    #[inline]
    pub fn value(self, c: &Costs) -> f32 {
        match self {
            OnsetPart::Zero => 0.0,
            OnsetPart::Dialect => c.onset_dialect,
            OnsetPart::LN => c.onset_l_n,
            OnsetPart::DDd => c.onset_d_dd,
            OnsetPart::Lookalike => c.onset_lookalike,
            OnsetPart::One => 1.0,
        }
    }
}

/// The part of an onset pair.
pub fn onset_part(a: &str, b: &str) -> OnsetPart {
    if a == b {
        return OnsetPart::Zero;
    }
    let (ga, gb) = (onset_group(a), onset_group(b));
    if ga != 0 && ga == gb {
        return OnsetPart::Zero;
    }
    let pair = |x: &str, y: &str| (a == x && b == y) || (a == y && b == x);
    let dzr = |o: &str| matches!(o, "d" | "gi" | "r" | "dz");
    if dzr(a) && dzr(b) {
        return OnsetPart::Dialect;
    }
    if pair("s", "x") || pair("ch", "tr") {
        return OnsetPart::Dialect;
    }
    if pair("l", "n") {
        return OnsetPart::LN;
    }
    if pair("d", "đ") {
        return OnsetPart::DDd;
    }
    if pair("h", "k") || pair("l", "t") || pair("n", "m") || pair("kh", "k") || pair("th", "t") {
        return OnsetPart::Lookalike;
    }
    OnsetPart::One
}

fn fold_modifiers(v: &str) -> String {
    v.chars().map(letters::ascii_base).collect()
}

/// What a rhyme pair costs, by which of the cost model's weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RhymePart {
    /// the same rhyme
    Zero,
    /// i/y in an open single-vowel syllable
    IY,
    /// n/ng, t/c codas
    NNg,
    /// nh/n, ch/t codas
    NhN,
    /// a lost vowel modifier
    Modifier,
    /// edit distance over length
    Edit(f32),
}

impl RhymePart {
    /// The part's cost under a cost model.
    #[inline]
    pub fn value(self, c: &Costs) -> f32 {
        match self {
            RhymePart::Zero => 0.0,
            RhymePart::IY => c.rhyme_i_y,
            RhymePart::NNg => c.rhyme_coda_n_ng,
            RhymePart::NhN => c.rhyme_coda_nh_n,
            RhymePart::Modifier => c.rhyme_modifier,
            RhymePart::Edit(x) => x,
        }
    }
}

/// The part of the rhymes of two parsed syllables (it reads their rhymes only).
pub fn rhyme_part(
    a: &crate::normalize::syllable::Parsed,
    b: &crate::normalize::syllable::Parsed,
) -> RhymePart {
    let (ra, rb) = (a.rhyme(), b.rhyme());
    if ra == rb {
        return RhymePart::Zero;
    }
    let (va, vb, ca, cb) = (a.vowels(), b.vowels(), a.coda(), b.coda());
    // i/y in an open single-vowel syllable (Quý/Quí, Sỹ/Sĩ)
    if ca.is_empty() && cb.is_empty() && matches!((va, vb), ("i", "y") | ("y", "i")) {
        return RhymePart::IY;
    }
    if va == vb {
        let pair = |x: &str, y: &str| (ca == x && cb == y) || (ca == y && cb == x);
        if pair("n", "ng") || pair("t", "c") {
            return RhymePart::NNg;
        }
        if pair("nh", "n") || pair("ch", "t") {
            return RhymePart::NhN;
        }
    }
    if ca == cb && fold_modifiers(va) == fold_modifiers(vb) {
        return RhymePart::Modifier;
    }
    let d = strsim::levenshtein(ra, rb) as f32;
    let n = ra.chars().count().max(rb.chars().count()).max(1) as f32;
    RhymePart::Edit((d / n).min(1.0))
}

/// The cost of a tone pair.
pub fn tone_cost(a: Tone, b: Tone, c: &Costs) -> f32 {
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
            let total = onset_part(pa.onset(), pb.onset()).value(c)
                + rhyme_part(pa, pb).value(c)
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

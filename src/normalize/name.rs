//! Personal names: canonical syllables, family / middle / given, and the keys used for blocking.
use super::names_data::NAME_DATA;
use super::syllable::{self, ToneStyle};
use super::{letters, text};
use std::cell::RefCell;

/// A normalized personal name. Only [`normalize_name`] builds one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct NormName {
    syllables: Vec<String>,
    family_len: usize,
    given_len: usize,
    issues: u8,
}

/// Issue bits of a name.
pub mod issue {
    /// two different tones typed on one syllable
    pub const TONE_CONFLICT: u8 = 1;
    /// a token is not a Vietnamese syllable (left as typed, lowercased)
    pub const UNPARSED: u8 = 2;
    /// an ethnic-minority pattern (Y / H' prefix) put the family name last
    pub const ETHNIC_ORDER: u8 = 4;
}

impl NormName {
    /// The lowercase canonical syllables, in written order.
    pub fn syllables(&self) -> &[String] {
        &self.syllables
    }
    /// The family name syllables (one, or a known compound).
    pub fn family(&self) -> &[String] {
        if self.issues & issue::ETHNIC_ORDER != 0 {
            return &self.syllables[self.syllables.len() - self.family_len..];
        }
        &self.syllables[..self.family_len]
    }
    /// The middle syllables (between family and given).
    pub fn middle(&self) -> &[String] {
        let n = self.syllables.len();
        if self.issues & issue::ETHNIC_ORDER != 0 {
            return &self.syllables[..n - self.family_len - self.given_len];
        }
        &self.syllables[self.family_len..n - self.given_len]
    }
    /// The given name syllables (the last one).
    pub fn given(&self) -> &[String] {
        let n = self.syllables.len();
        if self.issues & issue::ETHNIC_ORDER != 0 {
            let end = n - self.family_len;
            return &self.syllables[end - self.given_len..end];
        }
        &self.syllables[n - self.given_len..]
    }
    /// True when nothing was left after normalization.
    pub fn is_empty(&self) -> bool {
        self.syllables.is_empty()
    }
    /// Issue bits (see [`issue`]).
    pub fn issues(&self) -> u8 {
        self.issues
    }
    /// Canonical display form: NFC, canonical tone placement, each syllable capitalised.
    pub fn canonical(&self) -> String {
        join(self.syllables.iter().map(|s| text::capitalize(s)))
    }
    /// Lowercase canonical form (the exact key).
    pub fn lower(&self) -> String {
        self.syllables.join(" ")
    }
    /// Lowercase ASCII form, `đ` → `d`.
    pub fn folded(&self) -> String {
        letters::fold_str(&self.lower())
    }
    /// The exact key with `y` → `i` in open single-vowel syllables (§4.2).
    pub fn iy_key(&self) -> String {
        join(self.syllables.iter().map(|s| iy_fold(s)))
    }
    /// The phonetic class key of the whole name (§4.4), tones dropped.
    pub fn phonetic_key(&self) -> String {
        join(self.syllables.iter().map(|s| phonetic(s)))
    }
}

fn join<I: Iterator<Item = String>>(it: I) -> String {
    let mut out = String::new();
    for (i, s) in it.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&s);
    }
    out
}

const IY_ONSETS: [&str; 19] = [
    "", "b", "d", "đ", "h", "k", "kh", "l", "m", "n", "ph", "qu", "r", "s", "t", "th", "tr", "v",
    "x",
];

/// `y` → `i` when the vowel is a lone i/y in an open syllable after a listed onset (`Quý`→`quí`,
/// `Sỹ`→`sĩ`); never inside `uy`, `ay`, `yê` or a closed syllable.
pub fn iy_fold(syl: &str) -> String {
    match syllable::parse(syl) {
        Some(p) if p.vowels() == "y" && p.coda().is_empty() && IY_ONSETS.contains(&p.onset()) => {
            let mut out = p.onset().to_string();
            out.push(letters::with_tone('i', p.tone).unwrap_or('i'));
            out
        }
        _ => syl.to_string(),
    }
}

/// The phonetic class of a syllable: onset class · folded nucleus · coda class (§4.4).
pub fn phonetic(syl: &str) -> String {
    let Some(p) = syllable::parse(syl) else {
        return letters::fold_str(syl);
    };
    let onset = match p.onset() {
        "c" | "k" | "q" => "K",
        "qu" => "KW",
        "g" | "gh" => "G",
        "ng" | "ngh" => "NG",
        "d" | "gi" | "r" | "dz" => "Z",
        "v" => "V",
        "s" | "x" => "S",
        "ch" | "tr" => "C",
        "l" | "n" => "N",
        "đ" => "D",
        "ph" | "f" => "F",
        "th" => "TH",
        "kh" => "X",
        "nh" => "NH",
        "b" => "B",
        "p" => "P",
        "h" => "H",
        "m" => "M",
        "t" => "T",
        other => other,
    };
    let folded: String = p.vowels().chars().map(letters::ascii_base).collect();
    let nucleus = match folded.as_str() {
        "ie" | "ye" | "ia" => "IE".to_string(),
        "uo" | "ua" => "UO".to_string(),
        "y" if p.coda().is_empty() && IY_ONSETS.contains(&p.onset()) => "i".to_string(),
        other => other.to_string(),
    };
    let coda = match p.coda() {
        "n" | "ng" | "nh" => "N",
        "t" | "c" | "ch" => "K",
        other => other,
    };
    format!("{onset}{nucleus}{coda}")
}

const CACHE_CAP: usize = 1 << 16;

thread_local! {
    static SYL_CACHE: RefCell<rustc_hash::FxHashMap<String, (String, bool, bool)>> = RefCell::new(Default::default());
}

/// Canonicalize one token with a per-thread cache: (lowercase canonical, parsed, tone conflict).
fn canon_token(tok: &str) -> (String, bool, bool) {
    SYL_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(v) = c.get(tok) {
            return v.clone();
        }
        let v = match syllable::parse(tok) {
            Some(p) => (p.render(ToneStyle::FirstVowel), true, p.tone_conflict),
            None => (text::nfc(&tok.to_lowercase()).into_owned(), false, false),
        };
        if c.len() >= CACHE_CAP {
            c.clear();
        }
        c.insert(tok.to_string(), v.clone());
        v
    })
}

/// Normalize a decoded name: §1.2 clean-up, NFC, tone re-placed per syllable, glued tokens split,
/// then family / middle / given.
pub fn normalize_name(raw: &str) -> NormName {
    let pre = text::prenormalize(raw);
    let pre = text::strip_soft_hyphen(&pre);
    let pre = text::nfc(&pre);
    let mut syllables = Vec::with_capacity(4);
    let mut issues = 0u8;
    for tok in text::name_tokens(&pre) {
        // an apostrophe inside an ethnic name (H'Linh) is kept; elsewhere it is dropped
        let tok = tok.trim_matches('\'');
        if tok.is_empty() {
            continue;
        }
        let (canon, parsed, conflict) = canon_token(tok);
        if !parsed {
            issues |= issue::UNPARSED;
        }
        if conflict {
            issues |= issue::TONE_CONFLICT;
        }
        syllables.push(canon);
    }
    let n = syllables.len();
    if n == 0 {
        return NormName::default();
    }
    let ethnic = n >= 3 && (syllables[0] == "y" || syllables[0].starts_with("h'"));
    if ethnic {
        issues |= issue::ETHNIC_ORDER;
        return NormName {
            syllables,
            family_len: 1,
            given_len: 1,
            issues,
        };
    }
    let family_len = if n == 1 {
        0
    } else {
        NAME_DATA
            .compound_family
            .iter()
            .find(|c| c.len() < n && syllables[..c.len()] == c[..])
            .map_or(1, Vec::len)
    };
    NormName {
        syllables,
        family_len,
        given_len: 1,
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_forms() {
        let n = normalize_name("  nguyễn   văn  hùng ");
        assert_eq!(n.canonical(), "Nguyễn Văn Hùng");
        assert_eq!(n.family(), ["nguyễn"]);
        assert_eq!(n.middle(), ["văn"]);
        assert_eq!(n.given(), ["hùng"]);
        assert_eq!(n.folded(), "nguyen van hung");
        let t = normalize_name("Tôn Thất Bách");
        assert_eq!(t.family(), ["tôn", "thất"]);
        assert!(t.middle().is_empty());
        let single = normalize_name("Lan");
        assert!(single.family().is_empty());
        assert_eq!(single.given(), ["lan"]);
    }

    #[test]
    fn style_traps() {
        assert_eq!(
            normalize_name("Nguyễn Thị Thuỷ"),
            normalize_name("Nguyễn Thị Thủy")
        );
        assert_eq!(normalize_name("Lê Văn Hoà").canonical(), "Lê Văn Hòa");
        assert_ne!(
            normalize_name("Hùng").lower(),
            normalize_name("Hưng").lower()
        );
        assert_eq!(normalize_name("Ðặng Ðức").canonical(), "Đặng Đức");
        assert_eq!(
            normalize_name("PhạmQuốc Quân").canonical(),
            "Phạm Quốc Quân"
        );
        assert_eq!(normalize_name("TrỊnh Văn HuỆ").canonical(), "Trịnh Văn Huệ");
        assert_eq!(normalize_name("NGUYỄN VĂN AN").canonical(), "Nguyễn Văn An");
        assert_eq!(normalize_name("Nguye\u{302}\u{303}n").canonical(), "Nguyễn");
    }

    #[test]
    fn keys() {
        assert_eq!(normalize_name("Hồ Sỹ Quý").iy_key(), "hồ sĩ quí");
        assert_eq!(normalize_name("Huy").iy_key(), "huy");
        assert_eq!(
            normalize_name("Trần Văn Long").phonetic_key(),
            normalize_name("Chần Văn Nong").phonetic_key()
        );
        assert_ne!(phonetic("đức"), phonetic("dức"));
        assert_eq!(phonetic("giang"), phonetic("rang"));
    }

    #[test]
    fn ethnic_prefix_puts_the_clan_last() {
        let n = normalize_name("Y Ngông Niê");
        assert_eq!(n.family(), ["niê"]);
        assert_eq!(n.given(), ["ngông"]);
        assert_eq!(n.middle(), ["y"]);
    }
}

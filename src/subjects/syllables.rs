//! What the comparator needs to know about one syllable, computed once per distinct syllable: its
//! parse, its folded and i/y-folded forms (as syllable ids), its phonetic class and variant classes.
use crate::normalize::names_data::NAME_DATA;
use crate::normalize::syllable::{self, Parsed};
use crate::normalize::{letters, name};
use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

/// No variant class.
pub const NO_CLASS: u16 = u16::MAX;

/// One distinct syllable.
#[derive(Clone, Debug)]
pub struct SylInfo {
    /// lowercase canonical text
    pub text: String,
    /// ASCII-folded text
    pub folded: String,
    /// the parse, when it is a Vietnamese syllable
    pub parsed: Option<Parsed>,
    /// i/y-folded syllable id (the same id for `quý` and `quí`)
    pub iy: u32,
    /// the ASCII-folded syllable id (the same id for `thảo`, `thạo` and `thao`)
    pub fold: u32,
    /// the text carries no diacritic (it is its own folded form)
    pub ascii: bool,
    /// phonetic class key
    pub phonetic: String,
    /// `văn` (false) or `thị` (true)
    pub gender_middle: Option<bool>,
    /// family-position variant class (Hoàng/Huỳnh …), [`NO_CLASS`] = none
    pub family_class: u16,
    /// any-position variant class (Phúc/Phước …)
    pub any_class: u16,
}

/// What the name comparisons read of a syllable for every pair, kept apart from its texts and
/// parse (16 bytes, four to a cache line: the comparison of 30 M pairs reads them at random).
#[derive(Clone, Copy, Debug)]
pub struct SylHot {
    /// as [`SylInfo::iy`]
    pub iy: u32,
    /// as [`SylInfo::fold`]
    pub fold: u32,
    /// as [`SylInfo::family_class`]
    pub family_class: u16,
    /// as [`SylInfo::any_class`]
    pub any_class: u16,
    /// as [`SylInfo::gender_middle`]
    pub gender_middle: Option<bool>,
}

/// The distinct syllables of a run, by id.
#[derive(Default)]
pub struct Syllables {
    /// syllables by id
    syls: Vec<SylInfo>,
    hot: Vec<SylHot>,
    index: HashMap<String, u32>,
}

impl Syllables {
    /// The id of a syllable, interning it (and its folded forms) when new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.index.get(s) {
            return id;
        }
        let folded = letters::fold_str(s);
        let (family_class, any_class) = variant_classes(s);
        let id = self.syls.len() as u32;
        self.index.insert(s.to_string(), id);
        self.syls.push(SylInfo {
            text: s.to_string(),
            ascii: folded == s,
            folded: folded.clone(),
            parsed: syllable::parse(s),
            iy: id,
            fold: id,
            phonetic: name::phonetic(s),
            // typed without diacritics, Văn and Thị are still the gender words
            gender_middle: match s {
                "văn" | "van" => Some(false),
                "thị" | "thi" => Some(true),
                _ => None,
            },
            family_class,
            any_class,
        });
        let last = &self.syls[id as usize];
        self.hot.push(SylHot {
            iy: id,
            fold: id,
            family_class,
            any_class,
            gender_middle: last.gender_middle,
        });
        let iy_text = name::iy_fold(s);
        if iy_text != s {
            let other = self.id(&iy_text);
            self.syls[id as usize].iy = other;
            self.hot[id as usize].iy = other;
        }
        if folded != s {
            let other = self.id(&folded);
            self.syls[id as usize].fold = other;
            self.hot[id as usize].fold = other;
        }
        id
    }

    /// What the comparisons read of a syllable.
    #[inline]
    pub fn hot(&self, id: u32) -> &SylHot {
        &self.hot[id as usize]
    }

    /// The syllable of an id.
    #[inline]
    pub fn get(&self, id: u32) -> &SylInfo {
        &self.syls[id as usize]
    }

    /// Number of distinct syllables.
    pub fn len(&self) -> usize {
        self.syls.len()
    }

    /// True when no syllable was interned.
    pub fn is_empty(&self) -> bool {
        self.syls.is_empty()
    }
}

/// (family-position class, any-position class) of a syllable; [`NO_CLASS`] = none.
fn variant_classes(s: &str) -> (u16, u16) {
    let mut fam = NO_CLASS;
    let mut any = NO_CLASS;
    for (i, pair) in VARIANT_PROBES.iter().enumerate() {
        if pair.contains(&s) {
            fam = i as u16;
            if NAME_DATA.same_variant(pair[0], pair[1], false) {
                any = i as u16;
            }
        }
    }
    (fam, any)
}

/// Single-syllable variant pairs of `rules/names/names.toml`, as probes for class ids.
static VARIANT_PROBES: LazyLock<Vec<[&'static str; 2]>> = LazyLock::new(|| {
    let pairs: &[[&str; 2]] = &[
        ["hoàng", "huỳnh"],
        ["vũ", "võ"],
        ["chu", "châu"],
        ["phúc", "phước"],
        ["hồng", "hường"],
        ["nhậm", "nhiệm"],
        ["thì", "thời"],
        ["cảnh", "kiểng"],
        ["hoa", "huê"],
        ["nguyên", "ngươn"],
        ["thái", "thới"],
        ["bảo", "bửu"],
        ["đảm", "đởm"],
        ["doãn", "dzoãn"],
        ["dũng", "dzũng"],
    ];
    pairs
        .iter()
        .filter(|p| NAME_DATA.same_variant(p[0], p[1], true))
        .copied()
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_forms_share_ids() {
        let mut s = Syllables::default();
        let (thao, thạo, plain) = (s.id("thảo"), s.id("thạo"), s.id("thao"));
        assert_eq!(s.get(thao).fold, plain);
        assert_eq!(s.get(thạo).fold, plain);
        assert!(s.get(plain).ascii && !s.get(thao).ascii);
        let (quy, qui) = (s.id("quý"), s.id("quí"));
        assert_eq!(s.get(quy).iy, qui);
        let (hoang, huynh) = (s.id("hoàng"), s.id("huỳnh"));
        assert_eq!(s.get(hoang).family_class, s.get(huynh).family_class);
        assert_ne!(s.get(hoang).family_class, NO_CLASS);
        assert_eq!(s.get(hoang).any_class, NO_CLASS);
    }
}

//! What the comparator needs to know about one syllable, computed once per distinct syllable: its
//! parse, its folded and i/y-folded forms (as syllable ids), its phonetic class and variant classes.
use crate::compare::syllable::{OnsetPart, RhymePart, onset_part, rhyme_part};
use crate::normalize::letters::Tone;
use crate::normalize::names_data::NAME_DATA;
use crate::normalize::syllable::{self, Parsed};
use crate::normalize::{letters, name};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::sync::{LazyLock, OnceLock};

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
    /// the text carries no diacritic (it is its own folded form)
    pub ascii: bool,
    /// phonetic class key
    pub phonetic: String,
}

/// What the name comparisons read of a syllable for every pair, kept apart from its texts and
/// parse ([`SylInfo`]) in 20 bytes: the comparison of 30 M pairs reads them at random.
#[derive(Clone, Copy, Debug)]
pub struct SylHot {
    /// i/y-folded syllable id (the same id for `quý` and `quí`)
    pub iy: u32,
    /// the ASCII-folded syllable id (the same id for `thảo`, `thạo` and `thao`)
    pub fold: u32,
    /// family-position variant class (Hoàng/Huỳnh …), [`NO_CLASS`] = none
    pub family_class: u16,
    /// any-position variant class (Phúc/Phước …)
    pub any_class: u16,
    /// `văn` (false) or `thị` (true)
    pub gender_middle: Option<bool>,
    /// the tone of the parse; `None` when the syllable is no Vietnamese syllable
    pub tone: Option<Tone>,
    /// the onset's id among the run's onsets ([`NO_PART`] when none)
    pub onset: u8,
    /// the rhyme's id among the run's rhymes ([`NO_PART`] when none)
    pub rhyme: u16,
}

/// No onset or rhyme id (the syllable did not parse, or the inventory overflowed).
pub const NO_PART: u16 = u16::MAX;

/// The parts of the syllable cost of every pair of the run's onsets and of its rhymes: a pair of
/// parsed syllables costs its onsets' part, its rhymes' part and its tones' cost, the same sum
/// [`crate::compare::syllable::syllable_cost`] makes, read from two small tables instead of
/// recomputed (or memoized: most syllable pairs of a province are unique).
struct PartTable {
    onsets: usize,
    onset: Vec<OnsetPart>,
    rhymes: usize,
    rhyme: Vec<RhymePart>,
}

impl PartTable {
    fn build(s: &Syllables) -> PartTable {
        let parsed = |id: u32| s.syls[id as usize].parsed.as_ref();
        let onset_text = |id: u32| parsed(id).map_or("", |p| p.onset());
        let (onsets, rhymes) = (s.onset_rep.len(), s.rhyme_rep.len());
        let onset = (0..onsets * onsets)
            .map(|k| {
                onset_part(
                    onset_text(s.onset_rep[k / onsets]),
                    onset_text(s.onset_rep[k % onsets]),
                )
            })
            .collect();
        let rhyme = (0..rhymes * rhymes)
            .into_par_iter()
            .map(|k| {
                match (
                    parsed(s.rhyme_rep[k / rhymes]),
                    parsed(s.rhyme_rep[k % rhymes]),
                ) {
                    (Some(a), Some(b)) => rhyme_part(a, b),
                    _ => RhymePart::Edit(1.0),
                }
            })
            .collect();
        PartTable {
            onsets,
            onset,
            rhymes,
            rhyme,
        }
    }
}

/// The distinct syllables of a run, by id.
#[derive(Default)]
pub struct Syllables {
    /// syllables by id
    syls: Vec<SylInfo>,
    hot: Vec<SylHot>,
    index: HashMap<String, u32>,
    /// onsets by text, each with the first syllable that has it
    onset_ids: HashMap<String, u8>,
    onset_rep: Vec<u32>,
    /// rhymes by text and vowel length, each with the first syllable that has it
    rhyme_ids: HashMap<(String, usize), u16>,
    rhyme_rep: Vec<u32>,
    /// built at the first comparison; syllables interned after it fall back to the full cost
    parts: OnceLock<PartTable>,
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
            phonetic: name::phonetic(s),
        });
        // typed without diacritics, Văn and Thị are still the gender words
        let gender_middle = match s {
            "văn" | "van" => Some(false),
            "thị" | "thi" => Some(true),
            _ => None,
        };
        let last = &self.syls[id as usize];
        let (mut onset, mut rhyme) = (NO_PART as u8, NO_PART);
        if let Some(p) = &last.parsed {
            let n = self.onset_ids.len();
            if let Some(&o) = self.onset_ids.get(p.onset()) {
                onset = o;
            } else if n < NO_PART as u8 as usize {
                self.onset_ids.insert(p.onset().to_string(), n as u8);
                self.onset_rep.push(id);
                onset = n as u8;
            }
            let key = (p.rhyme().to_string(), p.vowel_len);
            let n = self.rhyme_ids.len();
            if let Some(&r) = self.rhyme_ids.get(&key) {
                rhyme = r;
            } else if n < NO_PART as usize {
                self.rhyme_ids.insert(key, n as u16);
                self.rhyme_rep.push(id);
                rhyme = n as u16;
            }
        }
        self.hot.push(SylHot {
            iy: id,
            fold: id,
            family_class,
            any_class,
            gender_middle,
            tone: last.parsed.as_ref().map(|p| p.tone),
            onset,
            rhyme,
        });
        let iy_text = name::iy_fold(s);
        if iy_text != s {
            let other = self.id(&iy_text);
            self.hot[id as usize].iy = other;
        }
        if folded != s {
            let other = self.id(&folded);
            self.hot[id as usize].fold = other;
        }
        id
    }

    /// What the comparisons read of a syllable.
    #[inline]
    pub fn hot(&self, id: u32) -> &SylHot {
        &self.hot[id as usize]
    }

    /// The onset and rhyme parts of the cost of two parsed syllables; `None` when one did not
    /// parse or was interned after the table was built.
    #[inline]
    pub fn parts(&self, a: &SylHot, b: &SylHot) -> Option<(OnsetPart, RhymePart)> {
        let t = self.parts.get_or_init(|| PartTable::build(self));
        let (oa, ob, ra, rb) = (
            a.onset as usize,
            b.onset as usize,
            a.rhyme as usize,
            b.rhyme as usize,
        );
        (oa < t.onsets && ob < t.onsets && ra < t.rhymes && rb < t.rhymes)
            .then(|| (t.onset[oa * t.onsets + ob], t.rhyme[ra * t.rhymes + rb]))
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
        assert_eq!(s.hot(thao).fold, plain);
        assert_eq!(s.hot(thạo).fold, plain);
        assert!(s.get(plain).ascii && !s.get(thao).ascii);
        let (quy, qui) = (s.id("quý"), s.id("quí"));
        assert_eq!(s.hot(quy).iy, qui);
        let (hoang, huynh) = (s.id("hoàng"), s.id("huỳnh"));
        assert_eq!(s.hot(hoang).family_class, s.hot(huynh).family_class);
        assert_ne!(s.hot(hoang).family_class, NO_CLASS);
        assert_eq!(s.hot(hoang).any_class, NO_CLASS);
    }
}

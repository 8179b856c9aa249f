//! Interned names: every distinct normalized name once, as a [`NameId`] over syllable ids, with its
//! blocking keys, so that the hot loops compare integers instead of handling strings.
use super::ids::NameId;
use super::syllables::{SylInfo, Syllables};
use crate::hash::hash_str;
use crate::normalize::{NormName, name};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// A name's syllable ids, kept inline (no pointer to chase in the comparison loop).
#[derive(Clone, Copy, Debug, Default)]
pub struct SylList {
    ids: [u32; MAX_SYLLABLES],
    len: u8,
}

impl SylList {
    fn new(v: &[u32]) -> SylList {
        let mut ids = [0u32; MAX_SYLLABLES];
        let len = v.len().min(MAX_SYLLABLES);
        ids[..len].copy_from_slice(&v[..len]);
        SylList {
            ids,
            len: len as u8,
        }
    }
}

impl std::ops::Deref for SylList {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.ids[..self.len as usize]
    }
}

impl<'a> IntoIterator for &'a SylList {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A distinct normalized name. What the comparisons read (the syllables, the parts, `ascii`)
/// comes first, in the entry's first cache line (a test holds it there).
#[derive(Clone, Debug)]
#[repr(C, align(64))]
pub struct NameEntry {
    /// syllable ids in written order
    pub syl: SylList,
    /// family syllables are `syl[fam.0..fam.1]`
    pub fam: (u8, u8),
    /// middle syllables
    pub mid: (u8, u8),
    /// given syllables
    pub giv: (u8, u8),
    /// no syllable carries a diacritic (typed on a keyboard without Vietnamese)
    pub ascii: bool,
    /// lowercase canonical full name
    pub lower: String,
    /// blocking key: family (folded)
    pub k_family: u64,
    /// middle (folded)
    pub k_middle: u64,
    /// given (folded)
    pub k_given: u64,
    /// family + given, phonetic
    pub k_phonetic: u64,
    /// given, phonetic
    pub k_given_phonetic: u64,
    /// family + the other syllables sorted (folded): the same when middle and given are swapped
    pub k_sorted: u64,
}

impl NameEntry {
    /// Family syllable ids.
    pub fn family(&self) -> &[u32] {
        &self.syl[self.fam.0 as usize..self.fam.1 as usize]
    }
    /// Middle syllable ids.
    pub fn middle(&self) -> &[u32] {
        &self.syl[self.mid.0 as usize..self.mid.1 as usize]
    }
    /// Given syllable ids.
    pub fn given(&self) -> &[u32] {
        &self.syl[self.giv.0 as usize..self.giv.1 as usize]
    }
}

static TABLE_IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The most syllables a name keeps; a longer one is cut (and its record flagged by the caller).
pub const MAX_SYLLABLES: usize = 12;

/// Interned names and their syllables.
pub struct NameTable {
    /// a process-unique id: caches keyed by syllable ids must not mix two tables
    pub id: u64,
    /// names by id
    pub names: Vec<NameEntry>,
    /// the syllables
    pub syllables: Syllables,
    index: HashMap<String, NameId>,
}

impl Default for NameTable {
    fn default() -> Self {
        NameTable {
            id: TABLE_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            names: Vec::new(),
            syllables: Syllables::default(),
            index: HashMap::default(),
        }
    }
}

/// A new name with its syllables interned, before its blocking keys are computed.
struct Draft {
    syl: Vec<u32>,
    fam: (u8, u8),
    mid: (u8, u8),
    giv: (u8, u8),
    lower: String,
}

impl Draft {
    /// The entry, with its keys (read-only over the syllables: runs in parallel).
    fn entry(self, s: &Syllables) -> NameEntry {
        let Draft {
            syl,
            fam,
            mid,
            giv,
            lower,
        } = self;
        let fold = |r| join(&syl, r, s, |x| x.folded.as_str());
        let phon = |r| join(&syl, r, s, |x| x.phonetic.as_str());
        let mut rest: Vec<&str> = syl[fam.1 as usize..]
            .iter()
            .chain(&syl[..fam.0 as usize])
            .map(|&x| s.get(x).folded.as_str())
            .collect();
        rest.sort_unstable();
        NameEntry {
            k_family: hash_str(&fold(fam)),
            k_middle: hash_str(&fold(mid)),
            k_given: hash_str(&fold(giv)),
            k_phonetic: hash_str(&[phon(fam).as_str(), phon(giv).as_str()].join("|")),
            k_given_phonetic: hash_str(&phon(giv)),
            k_sorted: hash_str(&[fold(fam).as_str(), rest.join(" ").as_str()].join("|")),
            ascii: syl.iter().all(|&x| s.get(x).ascii),
            syl: SylList::new(&syl),
            fam,
            mid,
            giv,
            lower,
        }
    }
}

fn join(syl: &[u32], part: (u8, u8), syls: &Syllables, f: impl Fn(&SylInfo) -> &str) -> String {
    syl[part.0 as usize..part.1 as usize]
        .iter()
        .map(|&s| f(syls.get(s)))
        .collect::<Vec<_>>()
        .join(" ")
}

impl NameTable {
    /// Intern raw name strings (already decoded): one id per input (`None` for an empty one).
    /// Distinct strings are normalized once, in parallel.
    pub fn intern_raw(&mut self, raws: &[&str]) -> Vec<Option<NameId>> {
        self.intern_parts(&[raws])
    }

    /// [`NameTable::intern_raw`] of lists read one after the other (not copied into one list).
    pub fn intern_parts(&mut self, parts: &[&[&str]]) -> Vec<Option<NameId>> {
        let mut items: Vec<Option<&str>> = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
        for raws in parts {
            items.par_extend(
                raws.par_iter()
                    .map(|r| (!r.trim().is_empty()).then_some(*r)),
            );
        }
        let (order, local) = super::dedupe::dedupe(&items);
        drop(items);
        let normalized: Vec<(NormName, String)> = order
            .par_iter()
            .map(|r| {
                let n = name::normalize_name(r);
                let lower = n.lower();
                (n, lower)
            })
            .collect();
        // new names get their ids and syllables in order; their keys are computed in parallel
        let base = self.names.len();
        let mut drafts = Vec::new();
        let ids: Vec<Option<NameId>> = normalized
            .into_iter()
            .map(|(n, lower)| {
                if n.is_empty() {
                    return None;
                }
                if let Some(&id) = self.index.get(&lower) {
                    return Some(id);
                }
                let id = NameId::new(base + drafts.len());
                self.index.insert(lower.clone(), id);
                drafts.push(self.draft(&n, lower));
                Some(id)
            })
            .collect();
        let syls = &self.syllables;
        let entries: Vec<NameEntry> = drafts.into_par_iter().map(|d| d.entry(syls)).collect();
        self.names.extend(entries);
        local
            .into_par_iter()
            .map(|l| l.and_then(|l| ids[l as usize]))
            .collect()
    }

    /// Intern one normalized name (`None` when it is empty).
    pub fn intern(&mut self, n: &NormName) -> Option<NameId> {
        if n.is_empty() {
            return None;
        }
        let lower = n.lower();
        if let Some(&id) = self.index.get(&lower) {
            return Some(id);
        }
        let entry = self.draft(n, lower).entry(&self.syllables);
        let id = NameId::new(self.names.len());
        self.index.insert(entry.lower.clone(), id);
        self.names.push(entry);
        Some(id)
    }

    /// A new name's syllables interned and its parts found.
    fn draft(&mut self, n: &NormName, lower: String) -> Draft {
        let syl: Vec<u32> = n
            .syllables()
            .iter()
            .take(MAX_SYLLABLES)
            .map(|s| self.syllables.id(s))
            .collect();
        let len = syl.len() as u8;
        // at most MAX_SYLLABLES words are kept: the parts are capped before they are narrowed
        let fam_len = (n.family().len().min(MAX_SYLLABLES) as u8).min(len);
        let giv_len = (n.given().len().min(MAX_SYLLABLES) as u8).min(len - fam_len);
        let ethnic = n.issues() & name::issue::ETHNIC_ORDER != 0;
        let (fam, mid, giv) = if ethnic {
            (
                (len - fam_len, len),
                (0, len - fam_len - giv_len),
                (len - fam_len - giv_len, len - fam_len),
            )
        } else {
            ((0, fam_len), (fam_len, len - giv_len), (len - giv_len, len))
        };
        Draft {
            syl,
            fam,
            mid,
            giv,
            lower,
        }
    }

    /// Number the names again in the order `order` first names them (the rest after, as they
    /// were): names compared together then lie together in memory. Returns the new id of each
    /// old id.
    pub fn renumber(&mut self, order: impl Iterator<Item = NameId>) -> Vec<NameId> {
        let n = self.names.len();
        let mut new_of: Vec<Option<NameId>> = vec![None; n];
        let mut seq: Vec<usize> = Vec::with_capacity(n);
        for id in order.chain((0..n).map(NameId::new)) {
            if new_of[id.index()].is_none() {
                new_of[id.index()] = Some(NameId::new(seq.len()));
                seq.push(id.index());
            }
        }
        let mut old: Vec<Option<NameEntry>> = std::mem::take(&mut self.names)
            .into_iter()
            .map(Some)
            .collect();
        self.names = seq
            .iter()
            .map(|&i| old[i].take().expect("each name once"))
            .collect();
        let map: Vec<NameId> = new_of
            .into_iter()
            .map(|x| x.expect("every name numbered"))
            .collect();
        for v in self.index.values_mut() {
            *v = map[v.index()];
        }
        map
    }

    /// The entry of a name.
    #[inline]
    pub fn get(&self, id: NameId) -> &NameEntry {
        &self.names[id.index()]
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no name is interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The syllable of a syllable id.
    #[inline]
    pub fn syl(&self, id: u32) -> &SylInfo {
        self.syllables.get(id)
    }

    /// What the comparisons read of a syllable (see [`super::syllables::SylHot`]).
    #[inline]
    pub fn hot(&self, id: u32) -> &super::syllables::SylHot {
        self.syllables.hot(id)
    }

    /// The lowercase canonical name ("" for none).
    pub fn lower(&self, id: Option<NameId>) -> &str {
        id.map_or("", |i| self.get(i).lower.as_str())
    }

    /// The canonical display form of a name ("" for none).
    pub fn display(&self, id: Option<NameId>) -> String {
        // one allocation: each syllable capitalized in place of a string per syllable
        let lower = self.lower(id);
        let mut out = String::with_capacity(lower.len() + 4);
        for (i, w) in lower.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            crate::normalize::text::capitalize_into(w, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_comparisons_read_is_in_the_first_cache_line() {
        assert_eq!(std::mem::align_of::<NameEntry>(), 64);
        assert!(std::mem::offset_of!(NameEntry, ascii) < 64);
        assert!(std::mem::offset_of!(NameEntry, giv) + 2 <= 64);
        assert_eq!(std::mem::offset_of!(NameEntry, syl), 0);
    }

    #[test]
    fn interning_dedups_and_keys_fold() {
        let mut t = NameTable::default();
        let ids = t.intern_raw(&[
            "Nguyễn Văn Hùng",
            "NGUYỄN VĂN HÙNG",
            "",
            "Nguyễn Văn Hưng",
            "Nguyen Van Hung",
        ]);
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[2], None);
        assert_ne!(ids[0], ids[3]);
        let (a, b) = (t.get(ids[0].unwrap()), t.get(ids[3].unwrap()));
        assert_eq!(
            a.k_given, b.k_given,
            "folded keys merge Hùng/Hưng for blocking"
        );
        assert!(!a.ascii);
        assert!(
            t.get(ids[4].unwrap()).ascii,
            "a name typed without diacritics"
        );
        assert_eq!(t.display(ids[3]), "Nguyễn Văn Hưng");
        assert_eq!(t.display(None), "");
    }

    #[test]
    fn a_name_of_many_words_is_cut() {
        let mut t = NameTable::default();
        let long = vec!["an"; 300].join(" ");
        let id = t.intern_raw(&[long.as_str()])[0].unwrap();
        assert!(t.get(id).syl.len() <= MAX_SYLLABLES);
    }

    #[test]
    fn renumbering_keeps_every_name() {
        let mut t = NameTable::default();
        let ids = t.intern_raw(&["Lê Văn An", "Trần Thị Bình", "Phạm Văn Chi"]);
        let map = t.renumber([ids[2].unwrap()].into_iter());
        assert_eq!(
            t.display(Some(map[ids[2].unwrap().index()])),
            "Phạm Văn Chi"
        );
        assert_eq!(t.display(Some(map[ids[0].unwrap().index()])), "Lê Văn An");
        assert_eq!(map[ids[2].unwrap().index()].index(), 0);
        let again = t.intern_raw(&["Trần Thị Bình"])[0];
        assert_eq!(again, Some(map[ids[1].unwrap().index()]));
    }
}

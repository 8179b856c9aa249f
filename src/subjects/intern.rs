//! Interned normalized values: every distinct name and syllable once, as integer ids, so that the
//! hot loops compare integers and look features up in tables instead of handling strings.
use crate::normalize::names_data::NAME_DATA;
use crate::normalize::syllable::{self, Parsed};
use crate::normalize::{NormName, letters, name};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::Hasher;

/// No value.
pub const NONE: u32 = u32::MAX;

/// A stable 64-bit hash (FNV-1a) for blocking keys: deterministic across runs and platforms.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Combine hashes (order matters): a multiply-rotate step and the splitmix64 finaliser —
/// deterministic, and far cheaper than SipHash in the blocking loops.
pub fn mix(a: u64, b: u64) -> u64 {
    let mut x = (a ^ 0x9e37_79b9_7f4a_7c15).rotate_left(23) ^ b.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A hasher for maps keyed by integers that are already hashes or small ids.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = mix(self.0, *b as u64);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = mix(self.0, v);
    }
    fn write_u32(&mut self, v: u32) {
        self.0 = mix(self.0, v as u64);
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// What the comparator needs to know about one syllable.
#[derive(Clone, Debug)]
pub struct SylInfo {
    /// lowercase canonical text
    pub text: String,
    /// ASCII-folded
    pub folded: String,
    /// the parse, when it is a Vietnamese syllable
    pub parsed: Option<Parsed>,
    /// i/y-folded text id (same id for `quý` and `quí`)
    pub iy: u32,
    /// phonetic class key
    pub phonetic: String,
    /// `văn` or `thị`
    pub gender_middle: Option<bool>,
}

/// A distinct normalized name.
#[derive(Clone, Debug)]
pub struct NameEntry {
    /// syllable ids in written order
    pub syl: Vec<u32>,
    /// family syllables are `syl[fam.0..fam.1]`
    pub fam: (u8, u8),
    /// middle syllables
    pub mid: (u8, u8),
    /// given syllables
    pub giv: (u8, u8),
    /// lowercase canonical full name
    pub lower: String,
    /// blocking keys (hashes): family, middle, given (folded), whole-name phonetic, given phonetic
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

/// Interned names and syllables.
pub struct NameTable {
    /// a process-unique id: caches keyed by syllable ids must not mix two tables
    pub id: u64,
    /// names by id
    pub names: Vec<NameEntry>,
    /// syllables by id
    pub syls: Vec<SylInfo>,
    name_index: HashMap<String, u32>,
    syl_index: HashMap<String, u32>,
    /// family-position variant class per syllable id (Hoàng/Huỳnh …), `u16::MAX` = none
    pub family_class: Vec<u16>,
    /// any-position variant class per syllable id (Phúc/Phước …)
    pub any_class: Vec<u16>,
}

impl Default for NameTable {
    fn default() -> Self {
        NameTable {
            id: TABLE_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            names: Vec::new(),
            syls: Vec::new(),
            name_index: HashMap::new(),
            syl_index: HashMap::new(),
            family_class: Vec::new(),
            any_class: Vec::new(),
        }
    }
}

impl NameTable {
    /// Intern raw name strings (already decoded): returns one id per input (`NONE` for empty).
    /// Distinct strings are normalized once, in parallel.
    pub fn intern_raw(&mut self, raws: &[&str]) -> Vec<u32> {
        let mut distinct: HashMap<&str, u32> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        let local: Vec<u32> = raws
            .iter()
            .map(|r| {
                if r.trim().is_empty() {
                    return NONE;
                }
                *distinct.entry(r).or_insert_with(|| {
                    order.push(r);
                    (order.len() - 1) as u32
                })
            })
            .collect();
        let normalized: Vec<NormName> = order.par_iter().map(|r| name::normalize_name(r)).collect();
        let ids: Vec<u32> = normalized.iter().map(|n| self.intern(n)).collect();
        local
            .into_iter()
            .map(|l| if l == NONE { NONE } else { ids[l as usize] })
            .collect()
    }

    /// Intern one normalized name.
    pub fn intern(&mut self, n: &NormName) -> u32 {
        if n.is_empty() {
            return NONE;
        }
        let lower = n.lower();
        if let Some(&id) = self.name_index.get(&lower) {
            return id;
        }
        let syl: Vec<u32> = n.syllables().iter().map(|s| self.syl_id(s)).collect();
        let len = syl.len() as u8;
        let fam_len = n.family().len() as u8;
        let giv_len = n.given().len() as u8;
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
        let fold = |r: (u8, u8), syl: &[u32], this: &Self| -> String {
            syl[r.0 as usize..r.1 as usize]
                .iter()
                .map(|&s| this.syls[s as usize].folded.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let phon = |r: (u8, u8), syl: &[u32], this: &Self| -> String {
            syl[r.0 as usize..r.1 as usize]
                .iter()
                .map(|&s| this.syls[s as usize].phonetic.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let entry = NameEntry {
            k_family: hash_str(&fold(fam, &syl, self)),
            k_middle: hash_str(&fold(mid, &syl, self)),
            k_given: hash_str(&fold(giv, &syl, self)),
            k_phonetic: hash_str(&format!(
                "{}|{}",
                phon(fam, &syl, self),
                phon(giv, &syl, self)
            )),
            k_given_phonetic: hash_str(&phon(giv, &syl, self)),
            k_sorted: {
                let mut rest: Vec<&str> = syl[fam.1 as usize..]
                    .iter()
                    .chain(&syl[..fam.0 as usize])
                    .map(|&s| self.syls[s as usize].folded.as_str())
                    .collect();
                rest.sort_unstable();
                hash_str(&format!("{}|{}", fold(fam, &syl, self), rest.join(" ")))
            },
            syl,
            fam,
            mid,
            giv,
            lower: lower.clone(),
        };
        let id = self.names.len() as u32;
        self.names.push(entry);
        self.name_index.insert(lower, id);
        id
    }

    fn syl_id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.syl_index.get(s) {
            return id;
        }
        let parsed = syllable::parse(s);
        let iy_text = name::iy_fold(s);
        let id = self.syls.len() as u32;
        self.syl_index.insert(s.to_string(), id);
        self.syls.push(SylInfo {
            text: s.to_string(),
            folded: letters::fold_str(s),
            parsed,
            iy: id,
            phonetic: name::phonetic(s),
            gender_middle: match s {
                "văn" => Some(false),
                "thị" => Some(true),
                _ => None,
            },
        });
        let (fc, ac) = variant_classes(s);
        self.family_class.push(fc);
        self.any_class.push(ac);
        if iy_text != s {
            let other = self.syl_id(&iy_text);
            self.syls[id as usize].iy = other;
        }
        id
    }

    /// The lowercase canonical name of an id ("" for `NONE`).
    pub fn lower(&self, id: u32) -> &str {
        if id == NONE {
            ""
        } else {
            &self.names[id as usize].lower
        }
    }

    /// The canonical display form of a name id.
    pub fn display(&self, id: u32) -> String {
        self.lower(id)
            .split(' ')
            .map(crate::normalize::text::capitalize)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// (family-position class, any-position class) of a syllable; `u16::MAX` = none.
fn variant_classes(s: &str) -> (u16, u16) {
    let mut fam = u16::MAX;
    let mut any = u16::MAX;
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
static VARIANT_PROBES: std::sync::LazyLock<Vec<[&'static str; 2]>> =
    std::sync::LazyLock::new(|| {
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
    fn interning_dedups_and_keys_fold() {
        let mut t = NameTable::default();
        let ids = t.intern_raw(&[
            "Nguyễn Văn Hùng",
            "NGUYỄN VĂN HÙNG",
            "",
            "Nguyễn Văn Hưng",
            "Hồ Sỹ Quý",
        ]);
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[2], NONE);
        assert_ne!(ids[0], ids[3]);
        let (a, b) = (&t.names[ids[0] as usize], &t.names[ids[3] as usize]);
        assert_eq!(
            a.k_given, b.k_given,
            "folded keys merge Hùng/Hưng for blocking"
        );
        let q = &t.names[ids[4] as usize];
        let quy = q.given()[0];
        assert_eq!(t.syls[t.syls[quy as usize].iy as usize].text, "quí");
        let hoang = t.intern_raw(&["Hoàng"])[0];
        let huynh = t.intern_raw(&["Huỳnh"])[0];
        let (h1, h2) = (
            t.names[hoang as usize].syl[0],
            t.names[huynh as usize].syl[0],
        );
        assert_eq!(t.family_class[h1 as usize], t.family_class[h2 as usize]);
        assert_ne!(t.family_class[h1 as usize], u16::MAX);
        assert_eq!(t.any_class[h1 as usize], u16::MAX);
    }
}

//! Names compared part by part with the Vietnamese cost model (`vietnamese-text.md` §5.2): tone
//! slips, hỏi/ngã and ngã/nặng, dialect onsets, i/y, lost vowel modifiers, Văn/Thị dropped,
//! Hoàng/Huỳnh at the family position, middle and given swapped.
use super::Level;
use crate::rules::Costs;
use crate::subjects::NameId;
use crate::subjects::names::{MAX_SYLLABLES, NameEntry, NameTable};
use crate::subjects::syllables::{NO_CLASS, SylHot};

pub use super::syllable::syllable_cost;

/// Two syllable-id sequences are equal (names are a few syllables: a loop beats a `memcmp` call).
#[inline]
fn same(a: &[u32], b: &[u32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Compares names of one [`NameTable`].
pub struct NameComparer<'a> {
    /// the names
    pub names: &'a NameTable,
    /// the syllable costs
    pub costs: &'a Costs,
}

/// The level of names that agree once folded, one of them typed without diacritics: never a
/// conflict (the sources do not disagree, one lacks information), a level of its own so that EM
/// learns what such an agreement is worth (tone-less `Thao` fits Thảo, Thạo, Tháo…).
pub const NO_DIACRITICS_LEVEL: Level = Level::new(
    "no_diacritics",
    "giống khi bỏ dấu (một bên gõ không dấu)",
    "the same once diacritics are folded (one side typed without them)",
);

/// True when a name-part or whole-name level says the two agree (exactly, or but for the
/// diacritics one side lacks): every other level is a disagreement.
pub fn agrees(level: u8) -> bool {
    level <= family::NO_DIACRITICS
}

/// The syllables of a name by part; for a name compared without diacritics, their folded ids.
struct Parts {
    syl: [u32; MAX_SYLLABLES],
    fam: (u8, u8),
    mid: (u8, u8),
    giv: (u8, u8),
}

impl Parts {
    fn folded(e: &NameEntry, names: &NameTable) -> Parts {
        let mut syl = [0u32; MAX_SYLLABLES];
        for (x, &s) in syl.iter_mut().zip(e.syl.iter()) {
            *x = names.hot(s).fold;
        }
        Parts {
            syl,
            fam: e.fam,
            mid: e.mid,
            giv: e.giv,
        }
    }
}

/// A name's parts as syllable-id slices (of the name itself, or of its folded [`Parts`]).
#[derive(Clone, Copy)]
struct View<'x> {
    family: &'x [u32],
    middle: &'x [u32],
    given: &'x [u32],
}

impl<'x> View<'x> {
    fn of(syl: &'x [u32], fam: (u8, u8), mid: (u8, u8), giv: (u8, u8)) -> View<'x> {
        let r = |p: (u8, u8)| &syl[p.0 as usize..p.1 as usize];
        View {
            family: r(fam),
            middle: r(mid),
            given: r(giv),
        }
    }
    fn entry(e: &'x NameEntry) -> View<'x> {
        View::of(&e.syl, e.fam, e.mid, e.giv)
    }
    fn parts(p: &'x Parts) -> View<'x> {
        View::of(&p.syl, p.fam, p.mid, p.giv)
    }
}

/// Levels of the family-name comparison.
pub mod family {
    use crate::compare::Level;
    /// the same family name
    pub const EXACT: u8 = 0;
    /// the same once diacritics are folded, one name typed without them
    pub const NO_DIACRITICS: u8 = 1;
    /// a variant spelling at the family position (Hoàng/Huỳnh, Vũ/Võ, i/y)
    pub const VARIANT: u8 = 2;
    /// one slip (cost ≤ 0.5)
    pub const SLIP: u8 = 3;
    /// different
    pub const ELSE: u8 = 4;
    /// the levels
    pub const LEVELS: [Level; 5] = [
        Level::new("exact", "giống hệt", "the same"),
        super::NO_DIACRITICS_LEVEL,
        Level::new(
            "variant",
            "biến thể (Hoàng/Huỳnh, Vũ/Võ, i/y)",
            "a variant (Hoàng/Huỳnh, Vũ/Võ, i/y)",
        ),
        Level::new("slip", "sai một lỗi gõ", "one slip"),
        Level::new("different", "khác họ", "another family name"),
    ];
}

/// Levels of the given-name comparison.
pub mod given {
    use crate::compare::Level;
    /// the same given name
    pub const EXACT: u8 = 0;
    /// the same once diacritics are folded, one name typed without them
    pub const NO_DIACRITICS: u8 = 1;
    /// i/y or a variant class (Phúc/Phước)
    pub const VARIANT: u8 = 2;
    /// one slip (cost ≤ 0.5: tone, dialect onset, lost modifier), or middle and given swapped
    pub const SLIP: u8 = 3;
    /// similar (cost ≤ 0.8)
    pub const FUZZY: u8 = 4;
    /// different
    pub const ELSE: u8 = 5;
    /// the levels
    pub const LEVELS: [Level; 6] = [
        Level::new("exact", "giống hệt", "the same"),
        super::NO_DIACRITICS_LEVEL,
        Level::new(
            "variant",
            "biến thể (Phúc/Phước, i/y)",
            "a variant (Phúc/Phước, i/y)",
        ),
        Level::new(
            "slip_or_swap",
            "sai một lỗi (dấu, phụ âm), hoặc đảo chữ đệm và tên",
            "one slip (tone, onset), or middle and given swapped",
        ),
        Level::new("fuzzy", "gần giống", "similar"),
        Level::new("different", "khác tên", "another given name"),
    ];
}

/// Levels of the middle-name comparison.
pub mod middle {
    use crate::compare::Level;
    /// the same middle syllables (or none on both sides)
    pub const EXACT: u8 = 0;
    /// the same once diacritics are folded, one name typed without them
    pub const NO_DIACRITICS: u8 = 1;
    /// only Văn/Thị added or dropped, or a variant
    pub const GENDER_WORD: u8 = 2;
    /// one slip, or a syllable dropped, or swapped with the given name
    pub const SLIP: u8 = 3;
    /// different
    pub const ELSE: u8 = 4;
    /// the levels
    pub const LEVELS: [Level; 5] = [
        Level::new("exact", "giống hệt", "the same"),
        super::NO_DIACRITICS_LEVEL,
        Level::new(
            "van_thi_or_variant",
            "chỉ thêm/bớt Văn, Thị, hoặc biến thể",
            "only Văn/Thị added or dropped, or a variant",
        ),
        Level::new(
            "slip_or_drop",
            "sai một lỗi, hoặc thiếu một chữ đệm",
            "one slip, or a syllable dropped",
        ),
        Level::new("different", "khác chữ đệm", "another middle name"),
    ];
}

/// Levels of a whole-name comparison (parents, spouse).
pub mod whole {
    use crate::compare::Level;
    /// the same name
    pub const EXACT: u8 = 0;
    /// the same once diacritics are folded, one name typed without them
    pub const NO_DIACRITICS: u8 = 1;
    /// close: each part a variant or a slip, or only the given name mistyped
    pub const CLOSE: u8 = 2;
    /// the same given name, the rest differs
    pub const GIVEN: u8 = 3;
    /// different
    pub const ELSE: u8 = 4;
    /// the levels
    pub const LEVELS: [Level; 5] = [
        Level::new("exact", "giống hệt", "the same"),
        super::NO_DIACRITICS_LEVEL,
        Level::new("close", "gần giống", "close"),
        Level::new("same_given", "chỉ trùng tên", "the same given name only"),
        Level::new("different", "khác", "different"),
    ];
}

impl NameComparer<'_> {
    #[inline]
    fn syl(&self, id: u32) -> &SylHot {
        self.names.hot(id)
    }

    fn cost(&self, a: u32, b: u32) -> f32 {
        if a == b {
            return 0.0;
        }
        let (ha, hb) = (self.syl(a), self.syl(b));
        if ha.iy == hb.iy {
            return self.costs.rhyme_i_y;
        }
        // two parsed syllables: the sum of `syllable_cost`, its parts read from the run's tables
        if let (Some(ta), Some(tb)) = (ha.tone, hb.tone)
            && let Some((onset, rhyme)) = self.names.syllables.parts(ha, hb)
        {
            let c = self.costs;
            let total = onset.value(c) + rhyme.value(c) + super::syllable::tone_cost(ta, tb, c);
            return total.min(1.0);
        }
        // the syllable inventory is small and pairs repeat: memoized per thread
        let (x, y) = (a.min(b), a.max(b));
        f32::from_bits(super::memo::get(
            &super::memo::SYLLABLES,
            self.names.id,
            x,
            y,
            || syllable_cost(self.names.syl(a), self.names.syl(b), self.costs).to_bits(),
        ))
    }

    fn same_any_class(&self, x: u32, y: u32) -> bool {
        let c = self.syl(x).any_class;
        c != NO_CLASS && c == self.syl(y).any_class
    }

    /// Minimum-cost alignment of two syllable sequences (insert/delete costs 1, Văn/Thị 0.2).
    pub fn seq_cost(&self, a: &[u32], b: &[u32]) -> f32 {
        let indel = |s: u32| {
            if self.syl(s).gender_middle.is_some() {
                0.2
            } else {
                1.0
            }
        };
        let (n, m) = (a.len(), b.len());
        if n == 1 && m == 1 {
            // the table below for one syllable against one (most family and given names): the
            // substitution, or deleting one and inserting the other (the same sum either way)
            return self.cost(a[0], b[0]).min(indel(b[0]) + indel(a[0]));
        }
        let mut dp = [[0f32; 8]; 8];
        if n >= 8 || m >= 8 {
            return (n.max(m)) as f32;
        }
        for i in 1..=n {
            dp[i][0] = dp[i - 1][0] + indel(a[i - 1]);
        }
        for j in 1..=m {
            dp[0][j] = dp[0][j - 1] + indel(b[j - 1]);
        }
        for i in 1..=n {
            for j in 1..=m {
                let sub = dp[i - 1][j - 1] + self.cost(a[i - 1], b[j - 1]);
                let del = dp[i - 1][j] + indel(a[i - 1]);
                let ins = dp[i][j - 1] + indel(b[j - 1]);
                dp[i][j] = sub.min(del).min(ins);
            }
        }
        dp[n][m]
    }

    /// Compare two names by part with `f(a, b, folded)`: as written, or folded when exactly one
    /// of them was typed without diacritics (then a tone or a modifier the typist could not type
    /// costs nothing).
    fn by_parts<R>(&self, a: NameId, b: NameId, f: impl FnOnce(View, View, bool) -> R) -> R {
        let (na, nb) = (self.names.get(a), self.names.get(b));
        if na.ascii == nb.ascii {
            return f(View::entry(na), View::entry(nb), false);
        }
        let (pa, pb) = (Parts::folded(na, self.names), Parts::folded(nb, self.names));
        f(View::parts(&pa), View::parts(&pb), true)
    }

    /// True when the raw part of both names is the same.
    fn raw_same(&self, a: NameId, b: NameId, part: fn(&NameEntry) -> &[u32]) -> bool {
        same(part(self.names.get(a)), part(self.names.get(b)))
    }

    /// The family, middle and given levels of two names: what [`Self::family`], [`Self::middle`]
    /// and [`Self::given`] give, the two entries read, cut into parts and (when one was typed
    /// without diacritics) folded once for the three instead of once for each.
    pub fn parts3(&self, a: NameId, b: NameId) -> (u8, u8, u8) {
        match self.parts_of::<false>(a, b) {
            Some(levels) => levels,
            None => unreachable!("only a whole-name comparison stops at the given name"),
        }
    }

    /// [`Self::parts3`]; with `STOP_AT_ELSE`, `None` as soon as the given names are different
    /// (then the family and middle names are not compared: see [`Self::whole`]).
    #[inline(always)]
    fn parts_of<const STOP_AT_ELSE: bool>(&self, a: NameId, b: NameId) -> Option<(u8, u8, u8)> {
        if a == b {
            return Some((family::EXACT, middle::EXACT, given::EXACT));
        }
        let (na, nb) = (self.names.get(a), self.names.get(b));
        let (ra, rb) = (View::entry(na), View::entry(nb));
        let same_f = same(ra.family, rb.family);
        let same_m = same(ra.middle, rb.middle);
        let same_g = same(ra.given, rb.given);
        let levels = |pa: View, pb: View, folded: bool| {
            let g = if same_g {
                given::EXACT
            } else {
                self.given_of(pa, pb, folded)
            };
            if STOP_AT_ELSE && g == given::ELSE {
                return None;
            }
            let f = if same_f {
                family::EXACT
            } else {
                self.family_of(pa, pb, folded)
            };
            let m = if same_m {
                middle::EXACT
            } else {
                self.middle_of(pa, pb, folded)
            };
            Some((f, m, g))
        };
        if same_f && same_m && same_g {
            Some((family::EXACT, middle::EXACT, given::EXACT))
        } else if na.ascii == nb.ascii {
            levels(ra, rb, false)
        } else {
            let (pa, pb) = (Parts::folded(na, self.names), Parts::folded(nb, self.names));
            levels(View::parts(&pa), View::parts(&pb), true)
        }
    }

    /// The family-name level.
    pub fn family(&self, a: NameId, b: NameId) -> u8 {
        self.family_raw(a, b)
    }

    /// The middle-name level.
    pub fn middle(&self, a: NameId, b: NameId) -> u8 {
        self.middle_raw(a, b)
    }

    /// The given-name level (with the swap of middle and given detected).
    pub fn given(&self, a: NameId, b: NameId) -> u8 {
        self.given_raw(a, b)
    }

    fn family_raw(&self, a: NameId, b: NameId) -> u8 {
        if self.raw_same(a, b, NameEntry::family) {
            return family::EXACT;
        }
        self.by_parts(a, b, |pa, pb, folded| self.family_of(pa, pb, folded))
    }

    fn family_of(&self, pa: View, pb: View, folded: bool) -> u8 {
        let (fa, fb) = (pa.family, pb.family);
        if same(fa, fb) {
            return if folded {
                family::NO_DIACRITICS
            } else {
                family::EXACT
            };
        }
        if fa.is_empty() || fb.is_empty() {
            return family::ELSE;
        }
        if fa.len() == fb.len() {
            let variant = fa.iter().zip(fb).all(|(&x, &y)| {
                x == y
                    || self.syl(x).iy == self.syl(y).iy
                    || (self.syl(x).family_class != NO_CLASS
                        && self.syl(x).family_class == self.syl(y).family_class)
            });
            if variant {
                return family::VARIANT;
            }
        }
        if self.seq_cost(fa, fb) <= 0.5 {
            family::SLIP
        } else {
            family::ELSE
        }
    }

    fn given_raw(&self, a: NameId, b: NameId) -> u8 {
        if self.raw_same(a, b, NameEntry::given) {
            return given::EXACT;
        }
        self.by_parts(a, b, |na, nb, folded| self.given_of(na, nb, folded))
    }

    fn given_of(&self, na: View, nb: View, folded: bool) -> u8 {
        let (ga, gb) = (na.given, nb.given);
        if same(ga, gb) {
            return if folded {
                given::NO_DIACRITICS
            } else {
                given::EXACT
            };
        }
        if ga.len() == gb.len()
            && ga.iter().zip(gb).all(|(&x, &y)| {
                x == y || self.syl(x).iy == self.syl(y).iy || self.same_any_class(x, y)
            })
        {
            return given::VARIANT;
        }
        // Nguyễn Đức Anh / Nguyễn Anh Đức
        if na.middle.last().is_some_and(|m| gb.last() == Some(m))
            && nb.middle.last().is_some_and(|m| ga.last() == Some(m))
        {
            return given::SLIP;
        }
        let c = self.seq_cost(ga, gb);
        if c <= 0.5 {
            given::SLIP
        } else if c <= 0.8 {
            given::FUZZY
        } else {
            given::ELSE
        }
    }

    fn middle_raw(&self, a: NameId, b: NameId) -> u8 {
        if self.raw_same(a, b, NameEntry::middle) {
            return middle::EXACT;
        }
        self.by_parts(a, b, |na, nb, folded| self.middle_of(na, nb, folded))
    }

    fn middle_of(&self, na: View, nb: View, folded: bool) -> u8 {
        let (ma, mb) = (na.middle, nb.middle);
        if same(ma, mb) {
            return if folded {
                middle::NO_DIACRITICS
            } else {
                middle::EXACT
            };
        }
        let real = |s: &&u32| self.syl(**s).gender_middle.is_none();
        let gender = |m: &[u32]| m.iter().find_map(|&s| self.syl(s).gender_middle);
        let opposite = matches!((gender(ma), gender(mb)), (Some(x), Some(y)) if x != y);
        if opposite {
            return middle::ELSE; // Văn on one side, Thị on the other: not the same person's name
        }
        if ma.iter().filter(real).eq(mb.iter().filter(real)) {
            return middle::GENDER_WORD;
        }
        if ma.len() == mb.len()
            && ma.iter().zip(mb).all(|(&x, &y)| {
                x == y || self.syl(x).iy == self.syl(y).iy || self.same_any_class(x, y)
            })
        {
            return middle::GENDER_WORD;
        }
        if ma.last().is_some_and(|m| nb.given.last() == Some(m))
            && mb.last().is_some_and(|m| na.given.last() == Some(m))
        {
            return middle::SLIP;
        }
        // one syllable dropped or added (Nguyễn Thị Thu Hà / Nguyễn Thu Hà), or slips that cost
        // less than one whole syllable; a syllable replaced by an unrelated one is different
        let dropped = |long: &[u32], short: &[u32]| {
            long.len() == short.len() + 1
                && (0..long.len()).any(|k| long[..k].iter().chain(&long[k + 1..]).eq(short.iter()))
        };
        if dropped(ma, mb) || dropped(mb, ma) || self.seq_cost(ma, mb) < 1.0 {
            middle::SLIP
        } else {
            middle::ELSE
        }
    }

    /// A whole-name level (parents, spouse); `None` when either side has no name.
    pub fn whole(&self, a: Option<NameId>, b: Option<NameId>) -> Option<u8> {
        let (a, b) = (a?, b?);
        if a == b {
            return Some(whole::EXACT);
        }
        // part by part: a variant family name (Hoàng/Huỳnh), Văn/Thị dropped, one slip; or the
        // family and middle names the same and the given name mistyped (Hải / Hảl). Every level
        // but `ELSE` needs the given names at most fuzzy, so different given names end it before
        // the family and middle names are compared (most parents' names of a candidate pair).
        let Some((family, middle, given)) = self.parts_of::<true>(a, b) else {
            return Some(whole::ELSE);
        };
        if agrees(family) && agrees(middle) && agrees(given) {
            return Some(whole::NO_DIACRITICS);
        }
        if family <= family::SLIP && middle <= middle::SLIP && given <= given::SLIP
            || agrees(family) && middle <= middle::GENDER_WORD && given <= given::FUZZY
        {
            return Some(whole::CLOSE);
        }
        if given <= given::VARIANT {
            return Some(whole::GIVEN);
        }
        Some(whole::ELSE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn levels(a: &str, b: &str) -> (u8, u8, u8) {
        let mut t = NameTable::default();
        let ids = t.intern_raw(&[a, b]);
        let (a, b) = (ids[0].unwrap(), ids[1].unwrap());
        let costs = Rules::default().costs;
        let c = NameComparer {
            names: &t,
            costs: &costs,
        };
        (c.family(a, b), c.middle(a, b), c.given(a, b))
    }

    /// `parts3` reads the two names once for the three parts: it must give each part's own level,
    /// on names drawn as the generator draws them and then typed without diacritics, with middle
    /// and given swapped, a syllable dropped or taken from another name.
    #[test]
    fn parts3_is_the_three_part_comparisons() {
        use crate::normalize::letters::fold_str;
        use rand::{RngExt, SeedableRng};
        let namer = crate::synth::population::Namer::new();
        let mut rng = rand_pcg::Pcg64::seed_from_u64(5);
        let draw = |rng: &mut rand_pcg::Pcg64| {
            let sex = if rng.random::<bool>() {
                crate::normalize::Sex::Nam
            } else {
                crate::normalize::Sex::Nu
            };
            let mut v = namer.family(rng);
            v.extend(namer.rest(sex, rng.random_range(1930..2025u16), &[], rng));
            v
        };
        let mut raw: Vec<String> = Vec::new();
        for _ in 0..3000 {
            let a = draw(&mut rng);
            let other = draw(&mut rng);
            let mut b = a.clone();
            match rng.random_range(0..6) {
                0 => b = b.iter().map(|w| fold_str(w)).collect(),
                1 if b.len() >= 3 => {
                    let n = b.len();
                    b.swap(n - 1, n - 2)
                }
                2 if b.len() >= 3 => {
                    b.remove(rng.random_range(1..b.len() - 1));
                }
                3 => {
                    let i = rng.random_range(0..b.len());
                    b[i] = other[rng.random_range(0..other.len())].clone();
                }
                4 => b = other,
                _ => {}
            }
            raw.push(a.join(" "));
            raw.push(b.join(" "));
        }
        let mut t = NameTable::default();
        let refs: Vec<&str> = raw.iter().map(String::as_str).collect();
        let ids = t.intern_raw(&refs);
        let costs = Rules::default().costs;
        let c = NameComparer {
            names: &t,
            costs: &costs,
        };
        let (mut kinds, mut wholes) = (
            std::collections::HashSet::new(),
            std::collections::HashSet::new(),
        );
        for w in ids.chunks(2) {
            let (Some(a), Some(b)) = (w[0], w[1]) else {
                continue;
            };
            for (x, y) in [(a, b), (b, a)] {
                let each = (c.family(x, y), c.middle(x, y), c.given(x, y));
                assert_eq!(
                    c.parts3(x, y),
                    each,
                    "{} / {}",
                    t.get(x).lower,
                    t.get(y).lower
                );
                kinds.insert(each);
                // the whole-name level, which stops at a different given name, is the one the
                // three parts make
                let (f, m, g) = each;
                let by_parts = if x == y {
                    whole::EXACT
                } else if agrees(f) && agrees(m) && agrees(g) {
                    whole::NO_DIACRITICS
                } else if f <= family::SLIP && m <= middle::SLIP && g <= given::SLIP
                    || agrees(f) && m <= middle::GENDER_WORD && g <= given::FUZZY
                {
                    whole::CLOSE
                } else if g <= given::VARIANT {
                    whole::GIVEN
                } else {
                    whole::ELSE
                };
                assert_eq!(c.whole(Some(x), Some(y)), Some(by_parts));
                wholes.insert(by_parts);
            }
        }
        assert!(kinds.len() >= 20, "{} kinds of level triples", kinds.len());
        assert_eq!(wholes.len(), 5, "whole-name levels {wholes:?}");
    }

    #[test]
    fn vietnamese_traps() {
        assert_eq!(levels("Nguyễn Văn Hùng", "Nguyễn Văn Hùng"), (0, 0, 0));
        assert_eq!(
            levels("Nguyễn Văn Hùng", "Nguyễn Văn Hưng").2,
            given::ELSE,
            "Hùng ≠ Hưng: tone and modifier differ"
        );
        assert_eq!(
            levels("Nguyễn Văn Hưng", "Nguyễn Văn Hung").2,
            given::SLIP,
            "a lost modifier"
        );
        assert_eq!(
            levels("Hoàng Văn Long", "Huỳnh Văn Long").0,
            family::VARIANT
        );
        assert_eq!(levels("Lê Thị Lan", "Lê Lan").1, middle::GENDER_WORD);
        assert_eq!(
            levels("Phạm Văn Dũng", "Phạm Văn Dụng").2,
            given::SLIP,
            "ngã/nặng"
        );
        assert_eq!(levels("Trần Thị Lan", "Trần Thị Nan").2, given::SLIP, "l/n");
        assert_eq!(
            levels("Hồ Sỹ Quý", "Hồ Sĩ Quí"),
            (0, middle::GENDER_WORD, given::VARIANT)
        );
        assert_eq!(
            levels("Nguyễn Đức Anh", "Nguyễn Anh Đức"),
            (0, middle::SLIP, given::SLIP)
        );
        assert_eq!(
            levels("Nguyễn Văn An", "Trần Thị Bình"),
            (family::ELSE, middle::ELSE, given::ELSE)
        );
        assert_eq!(levels("Lê Văn Phúc", "Lê Văn Phước").2, given::VARIANT);
    }

    #[test]
    fn table_costs_are_the_full_costs() {
        let mut t = NameTable::default();
        let words = [
            "hùng", "hưng", "hưởng", "hưỡng", "giang", "dang", "rang", "quý", "quí", "thủy",
            "thụy", "nguyễn", "ng", "x", "lan", "nan", "thanh", "thân", "than", "tan", "tanh",
            "phúc", "phước", "hoàng", "huỳnh", "đức", "dức", "anh", "ánh", "minh", "kiên", "kiêng",
            "ngọc", "ngoc", "bích", "bich", "chí", "trí", "sơn", "xơn", "hà", "kha", "sỹ", "sĩ",
            "xyzw",
        ];
        t.intern_raw(&words);
        let costs = Rules::default().costs;
        let c = NameComparer {
            names: &t,
            costs: &costs,
        };
        // the old definition: 0 for the same syllable, the i/y cost for an i/y pair, else the
        // full syllable cost
        let want = |t: &NameTable, a: u32, b: u32| {
            if a == b {
                0.0
            } else if t.hot(a).iy == t.hot(b).iy {
                costs.rhyme_i_y
            } else {
                syllable_cost(t.syl(a), t.syl(b), &costs)
            }
        };
        let n = t.syllables.len() as u32;
        let mut from_table = 0;
        for a in 0..n {
            for b in 0..n {
                assert_eq!(c.cost(a, b).to_bits(), want(&t, a, b).to_bits(), "{a} {b}");
                from_table += t.syllables.parts(t.hot(a), t.hot(b)).is_some() as usize;
            }
        }
        assert!(from_table > (n * n / 2) as usize, "the table is used");
        // a syllable of a rhyme first seen after the table was built is costed in full (one of
        // known parts, like `khương`, is read from the table)
        t.intern_raw(&["xoăn"]);
        let k = t.syllables.len() as u32 - 1;
        assert!(t.hot(k).tone.is_some(), "xoăn parses");
        assert!(t.syllables.parts(t.hot(k), t.hot(0)).is_none());
        let c = NameComparer {
            names: &t,
            costs: &costs,
        };
        for a in 0..=k {
            assert_eq!(c.cost(a, k).to_bits(), want(&t, a, k).to_bits());
        }
    }

    #[test]
    fn costs_are_symmetric_and_bounded() {
        let mut t = NameTable::default();
        let words = [
            "hùng", "hưng", "hưởng", "hưỡng", "giang", "dang", "rang", "quý", "quí", "thủy",
            "thụy", "nguyễn", "ng", "x",
        ];
        let ids = t.intern_raw(&words);
        let costs = Rules::default().costs;
        for a in ids.iter().flatten() {
            for b in ids.iter().flatten() {
                let (sa, sb) = (t.syl(t.get(*a).syl[0]), t.syl(t.get(*b).syl[0]));
                let (x, y) = (syllable_cost(sa, sb, &costs), syllable_cost(sb, sa, &costs));
                assert!((x - y).abs() < 1e-6, "{} {}", sa.text, sb.text);
                assert!((0.0..=1.0).contains(&x));
            }
        }
    }
}

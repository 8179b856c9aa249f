//! Per-thread, direct-mapped memos of pair comparisons (a slot per hash; the last pair wins). Only
//! the syllable costs are memoized: their inventory is small, so the memo stays in cache; memos of
//! name or place pairs, too many to stay in cache, made a province's comparison slower, not faster.
use std::cell::RefCell;
use std::thread::LocalKey;

/// A memo of `u32` results keyed by a pair of ids within one data set (`tag`).
pub struct Memo {
    slots: Vec<(u64, u64, u32)>,
}

impl Memo {
    fn new(bits: u32) -> Memo {
        Memo {
            slots: vec![(u64::MAX, u64::MAX, 0); 1 << bits],
        }
    }
}

thread_local! {
    /// syllable-id pair costs, as `f32` bits
    pub static SYLLABLES: RefCell<Memo> = RefCell::new(Memo::new(14));
}

/// The memoized `f()` of the pair `(a, b)` of the data set `tag`.
#[inline]
pub fn get(
    memo: &'static LocalKey<RefCell<Memo>>,
    tag: u64,
    a: u32,
    b: u32,
    f: impl FnOnce() -> u32,
) -> u32 {
    let key = (a as u64) << 32 | b as u64;
    memo.with(|m| {
        let m = m.borrow_mut();
        let mask = m.slots.len() - 1;
        let slot = (crate::hash::mix(key, tag) as usize) & mask;
        let e = m.slots[slot];
        if e.0 == tag && e.1 == key {
            return e.2;
        }
        // the memo is released while computing: `f` may use another memo
        drop(m);
        let v = f();
        memo.with(|m| m.borrow_mut().slots[slot] = (tag, key, v));
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memoizes_by_tag_and_pair() {
        let mut calls = 0;
        let mut f = |v| {
            calls += 1;
            v
        };
        assert_eq!(get(&SYLLABLES, 1, 2, 3, || f(7)), 7);
        assert_eq!(get(&SYLLABLES, 1, 2, 3, || f(9)), 7, "memoized");
        assert_eq!(get(&SYLLABLES, 2, 2, 3, || f(9)), 9, "another data set");
        assert_eq!(calls, 2);
    }
}

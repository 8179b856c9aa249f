//! The name lexicon the encoding detector asks when two readings of a token are both valid
//! syllables: the name data of `normalize` (family names first, middle and given after) lent to
//! `encoding`, which knows nothing of names.
use crate::encoding::{Lexicon, lex_key};
use crate::normalize::names_data::NAME_DATA;
use std::cell::RefCell;

thread_local! {
    /// tokens as written → (known as a family name, known as a middle or given name): the same
    /// few thousand tokens are asked about in every cell of every name column
    static KNOWN: RefCell<rustc_hash::FxHashMap<String, (bool, bool)>> = Default::default();
}

/// Family names at the first position, middle and given names after it.
pub struct NameLexicon;

impl Lexicon for NameLexicon {
    fn knows(&self, position: usize, syllable: &str) -> bool {
        if position == 0 {
            NAME_DATA.is_family(syllable)
        } else {
            NAME_DATA.is_given_or_middle(syllable)
        }
    }
    fn knows_token(&self, position: usize, token: &str) -> bool {
        let pick = |k: (bool, bool)| if position == 0 { k.0 } else { k.1 };
        KNOWN.with(|m| {
            if let Some(&k) = m.borrow().get(token) {
                return pick(k);
            }
            let key = lex_key(token);
            let k = (
                NAME_DATA.is_family(&key),
                NAME_DATA.is_given_or_middle(&key),
            );
            let mut m = m.borrow_mut();
            if m.len() > 1 << 18 {
                m.clear();
            }
            m.insert(token.to_string(), k);
            pick(k)
        })
    }
}

//! The name lexicon the encoding detector asks when two readings of a token are both valid
//! syllables: the name data of `normalize` (family names first, middle and given after) lent to
//! `encoding`, which knows nothing of names.
use crate::encoding::Lexicon;
use crate::normalize::names_data::NAME_DATA;

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
}

//! Places to resolve, queued by text and context so that each distinct one is resolved once, in
//! parallel; a later round can use places of an earlier one as priors.
use super::dedupe::dedupe;
use super::ids::PlaceId;
use crate::places::{Context, PlaceRef, Places};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// A place's text (borrowed from its table) and the context it is resolved in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct PlaceKey<'a> {
    text: &'a str,
    province: u8,
    prior: Option<PlaceId>,
    new_era: bool,
}

impl<'a> PlaceKey<'a> {
    /// The key of a place to queue; `None` for an empty text.
    pub fn new(
        text: &'a str,
        province: Option<u8>,
        prior: Option<PlaceId>,
        new_era: bool,
    ) -> Option<PlaceKey<'a>> {
        (!text.trim().is_empty()).then_some(PlaceKey {
            text,
            province: province.unwrap_or(0),
            prior,
            new_era,
        })
    }
}

/// Distinct places with their context, in the order first seen.
#[derive(Default)]
pub(super) struct PlaceQueue<'a> {
    keys: Vec<PlaceKey<'a>>,
    index: HashMap<PlaceKey<'a>, u32>,
}

impl<'a> PlaceQueue<'a> {
    /// Queue places (deduplicated in parallel); the index of each in this queue (`None` for none).
    pub fn add_all(&mut self, items: &[Option<PlaceKey<'a>>]) -> Vec<Option<u32>> {
        let (distinct, local) = dedupe(items);
        let (keys, index) = (&mut self.keys, &mut self.index);
        let ids: Vec<u32> = distinct
            .iter()
            .map(|k| {
                *index.entry(*k).or_insert_with(|| {
                    keys.push(*k);
                    (keys.len() - 1) as u32
                })
            })
            .collect();
        local
            .into_par_iter()
            .map(|l| l.map(|l| ids[l as usize]))
            .collect()
    }

    /// The queued places as (text, new era), in queue order.
    pub fn texts(&self) -> impl Iterator<Item = (&'a str, bool)> + '_ {
        self.keys.iter().map(|k| (k.text, k.new_era))
    }

    /// Resolve every queued place; priors are ids into `earlier` (a round already resolved).
    pub fn resolve(&self, earlier: &[PlaceRef], places: &Places) -> Vec<PlaceRef> {
        self.keys
            .par_iter()
            .map(|k| {
                places.resolve(
                    k.text,
                    Context {
                        province: (k.province != 0).then_some(k.province),
                        prior: k.prior.map(|p| &earlier[p.index()]),
                        new_era: k.new_era,
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_place_and_context_once() {
        let mut q = PlaceQueue::default();
        let k = |t, era| PlaceKey::new(t, Some(1), None, era);
        let ids = q.add_all(&[k("Ba Đình", false), k("  ", false), k("Ba Đình", true)]);
        assert_eq!(ids, vec![Some(0), None, Some(1)]);
        let again = q.add_all(&[k("Ba Đình", true), k("Hoàn Kiếm", false)]);
        assert_eq!(again, vec![Some(1), Some(2)]);
        let texts: Vec<_> = q.texts().collect();
        assert_eq!(
            texts,
            vec![("Ba Đình", false), ("Ba Đình", true), ("Hoàn Kiếm", false)]
        );
    }
}

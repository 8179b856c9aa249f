//! Places to resolve, queued by text and context so that each distinct one is resolved once, in
//! parallel; a later round can use places of an earlier one as priors.
use super::ids::PlaceId;
use crate::places::{Context, PlaceRef, Places};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

#[derive(Clone, PartialEq, Eq, Hash)]
struct PlaceKey {
    text: String,
    province: u8,
    prior: Option<PlaceId>,
    new_era: bool,
}

/// Distinct places with their context, in the order first seen.
#[derive(Default)]
pub(super) struct PlaceQueue {
    keys: Vec<PlaceKey>,
    index: HashMap<PlaceKey, u32>,
}

impl PlaceQueue {
    /// Queue a place; its index in this queue (`None` for an empty text).
    pub fn add(
        &mut self,
        text: &str,
        province: Option<u8>,
        prior: Option<PlaceId>,
        new_era: bool,
    ) -> Option<u32> {
        if text.trim().is_empty() {
            return None;
        }
        let k = PlaceKey {
            text: text.to_string(),
            province: province.unwrap_or(0),
            prior,
            new_era,
        };
        if let Some(&i) = self.index.get(&k) {
            return Some(i);
        }
        let i = self.keys.len() as u32;
        self.keys.push(k.clone());
        self.index.insert(k, i);
        Some(i)
    }

    /// The queued places as (text, new era), in queue order.
    pub fn texts(&self) -> impl Iterator<Item = (&str, bool)> {
        self.keys.iter().map(|k| (k.text.as_str(), k.new_era))
    }

    /// Resolve every queued place; priors are ids into `earlier` (a round already resolved).
    pub fn resolve(&self, earlier: &[PlaceRef], places: &Places) -> Vec<PlaceRef> {
        self.keys
            .par_iter()
            .map(|k| {
                places.resolve(
                    &k.text,
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

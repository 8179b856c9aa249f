//! Distinct values of a long list, found in parallel: each chunk dedupes its own part, the
//! chunks' distinct values are merged in order, so ids follow the order values are first seen.
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::hash::Hash;

/// Items per chunk: large enough that a chunk's map is worth building, small enough to balance.
const CHUNK: usize = 1 << 16;

/// The distinct values of `items` in the order first seen, and each item's index into them
/// (`None` stays `None`). The same result as one serial pass with one map.
pub(super) fn dedupe<K: Hash + Eq + Copy + Send + Sync>(
    items: &[Option<K>],
) -> (Vec<K>, Vec<Option<u32>>) {
    let parts: Vec<(Vec<K>, Vec<Option<u32>>)> = items
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut index: HashMap<K, u32> = HashMap::default();
            let mut order = Vec::new();
            let ids = chunk
                .iter()
                .map(|k| {
                    k.map(|k| {
                        *index.entry(k).or_insert_with(|| {
                            order.push(k);
                            (order.len() - 1) as u32
                        })
                    })
                })
                .collect();
            (order, ids)
        })
        .collect();
    let mut index: HashMap<K, u32> = HashMap::default();
    let mut all = Vec::new();
    let maps: Vec<Vec<u32>> = parts
        .iter()
        .map(|(order, _)| {
            order
                .iter()
                .map(|k| {
                    *index.entry(*k).or_insert_with(|| {
                        all.push(*k);
                        (all.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let mut ids = vec![None; items.len()];
    ids.par_chunks_mut(CHUNK)
        .zip(&parts)
        .zip(&maps)
        .for_each(|((out, (_, local)), map)| {
            for (o, l) in out.iter_mut().zip(local) {
                *o = l.map(|l| map[l as usize]);
            }
        });
    (all, ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_one_serial_pass() {
        // values repeat within and across chunks; some are missing
        let items: Vec<Option<u32>> = (0..300_000u32)
            .map(|i| (i % 7 != 0).then_some((i * 7919) % 10_007))
            .collect();
        let (distinct, ids) = dedupe(&items);
        let mut index = std::collections::HashMap::new();
        let mut order = Vec::new();
        let serial: Vec<Option<u32>> = items
            .iter()
            .map(|k| {
                k.map(|k| {
                    *index.entry(k).or_insert_with(|| {
                        order.push(k);
                        (order.len() - 1) as u32
                    })
                })
            })
            .collect();
        assert_eq!(distinct, order);
        assert_eq!(ids, serial);
        assert_eq!(dedupe::<u32>(&[]), (vec![], vec![]));
    }
}

//! Distinct values of a long list, found in parallel: each chunk dedupes its own part, the
//! chunks' distinct values are merged in order, so ids follow the order values are first seen.
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::hash::{BuildHasher, Hash};

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
    let orders: Vec<&[K]> = parts.iter().map(|(order, _)| order.as_slice()).collect();
    let (all, maps) = merge(&orders);
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

/// The merge is split by the top bits of a value's hash into this many shards, merged side by
/// side (one map over all the chunks' values was most of the dedupe of a province's names).
const SHARD_BITS: u32 = 6;
const SHARDS: usize = 1 << SHARD_BITS;

/// The shard of a value from its hash, remixed (splitmix64's finalizer): a shard's map hashes
/// its values with the same hash, whose own bits must stay spread within the shard.
fn shard_of(h: u64) -> u8 {
    let mut z = h;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> (64 - SHARD_BITS)) as u8
}

/// The chunks' distinct values (`orders`, each in the order its chunk first saw them) merged: the
/// distinct values of all in the order first seen, and per chunk the merged index of each of its
/// values. Each shard numbers its values in the order first seen (chunk, then position); the
/// shards' numbers are then ranked by where each value was first seen.
fn merge<K: Hash + Eq + Copy + Send + Sync>(orders: &[&[K]]) -> (Vec<K>, Vec<Vec<u32>>) {
    let build = rustc_hash::FxBuildHasher;
    // per chunk: the positions of its values grouped by shard (each group in position order),
    // and where each shard's group starts
    let groups: Vec<(Vec<u32>, Vec<u32>)> = orders
        .par_iter()
        .map(|order| {
            let shard: Vec<u8> = order.iter().map(|k| shard_of(build.hash_one(k))).collect();
            let mut start = vec![0u32; SHARDS + 1];
            for &s in &shard {
                start[s as usize + 1] += 1;
            }
            for i in 0..SHARDS {
                start[i + 1] += start[i];
            }
            let mut next = start.clone();
            let mut pos = vec![0u32; order.len()];
            for (p, &s) in shard.iter().enumerate() {
                pos[next[s as usize] as usize] = p as u32;
                next[s as usize] += 1;
            }
            (pos, start)
        })
        .collect();
    // per shard: where each of its distinct values was first seen (chunk << 32 | position), and
    // the shard's number of every value of its groups, chunk by chunk
    let shards: Vec<(Vec<u64>, Vec<u32>)> = (0..SHARDS)
        .into_par_iter()
        .map(|s| {
            let mut index: HashMap<K, u32> = HashMap::default();
            let (mut first, mut local) = (Vec::new(), Vec::new());
            for (ci, (order, (pos, start))) in orders.iter().zip(&groups).enumerate() {
                for &p in &pos[start[s] as usize..start[s + 1] as usize] {
                    let id = *index.entry(order[p as usize]).or_insert_with(|| {
                        first.push((ci as u64) << 32 | p as u64);
                        (first.len() - 1) as u32
                    });
                    local.push(id);
                }
            }
            (first, local)
        })
        .collect();
    // the merged order: every distinct value by where it was first seen
    let mut ranked: Vec<(u64, u32, u32)> = shards
        .iter()
        .enumerate()
        .flat_map(|(s, (first, _))| {
            first
                .iter()
                .enumerate()
                .map(move |(i, &f)| (f, s as u32, i as u32))
        })
        .collect();
    ranked.par_sort_unstable_by_key(|r| r.0);
    let mut merged: Vec<Vec<u32>> = shards.iter().map(|(f, _)| vec![0; f.len()]).collect();
    for (g, &(_, s, i)) in ranked.iter().enumerate() {
        merged[s as usize][i as usize] = g as u32;
    }
    let all: Vec<K> = ranked
        .iter()
        .map(|&(f, _, _)| orders[(f >> 32) as usize][(f & 0xffff_ffff) as usize])
        .collect();
    // where each chunk's values begin in each shard's numbers
    let mut offsets = Vec::with_capacity(groups.len());
    let mut at = vec![0u32; SHARDS];
    for (_, start) in &groups {
        offsets.push(at.clone());
        for s in 0..SHARDS {
            at[s] += start[s + 1] - start[s];
        }
    }
    let maps = groups
        .par_iter()
        .zip(&offsets)
        .map(|((pos, start), off)| {
            let mut map = vec![0u32; pos.len()];
            for s in 0..SHARDS {
                let group = &pos[start[s] as usize..start[s + 1] as usize];
                let ids = &shards[s].1[off[s] as usize..off[s] as usize + group.len()];
                for (&p, &id) in group.iter().zip(ids) {
                    map[p as usize] = merged[s][id as usize];
                }
            }
            map
        })
        .collect();
    (all, maps)
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

    #[test]
    fn the_sharded_merge_is_the_serial_merge() {
        // many chunks, each a list of distinct strings, values shared across chunks
        let words: Vec<String> = (0..5_000u32)
            .map(|i| format!("w{}", (i * 7919) % 3_001))
            .collect();
        let orders: Vec<Vec<&str>> = (0..40usize)
            .map(|c| {
                let mut seen = std::collections::HashSet::new();
                words[c * 97 % 4_000..]
                    .iter()
                    .step_by(c % 5 + 1)
                    .map(String::as_str)
                    .filter(|w| seen.insert(*w))
                    .collect()
            })
            .collect();
        let slices: Vec<&[&str]> = orders.iter().map(Vec::as_slice).collect();
        let (all, maps) = merge(&slices);
        let mut index = std::collections::HashMap::new();
        let mut serial = Vec::new();
        for (order, map) in orders.iter().zip(&maps) {
            let ids: Vec<u32> = order
                .iter()
                .map(|k| {
                    *index.entry(*k).or_insert_with(|| {
                        serial.push(*k);
                        (serial.len() - 1) as u32
                    })
                })
                .collect();
            assert_eq!(&ids, map);
        }
        assert_eq!(all, serial);
        assert_eq!(merge::<u32>(&[]), (vec![], vec![]));
    }
}

//! Duplicate registrations: the same book key twice (`B` groups), and the same event of the same
//! person registered twice (`E` groups): linked to one person, or the same name, mother and date
//! of birth in two birth records.
use super::LinkRow;
use crate::ingest::RecordType;
use crate::link::same_birth;
use crate::rules::Costs;
use crate::subjects::Dataset;
use crate::vocab::Flag;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// `(key, subject)` sorted, in runs of one key: the subjects of each key in subject order.
fn runs<K: Ord + Copy + Send>(mut keyed: Vec<(K, usize)>) -> Vec<(K, Vec<usize>)> {
    keyed.par_sort_unstable();
    keyed
        .chunk_by(|x, y| x.0 == y.0)
        .map(|run| (run[0].0, run.iter().map(|&(_, i)| i).collect()))
        .collect()
}

/// Groups of subjects sharing a book key that are more than one record.
fn book_groups(data: &Dataset) -> Vec<Vec<usize>> {
    let keyed: Vec<(u64, usize)> = data
        .subjects
        .par_iter()
        .enumerate()
        .filter_map(|(i, s)| s.book_key().map(|k| (k, i)))
        .collect();
    let record = |i: usize| (data.subjects[i].table, data.subjects[i].row);
    let mut groups: Vec<Vec<usize>> = runs(keyed)
        .into_iter()
        .map(|(_, v)| v)
        .filter(|v| v.iter().any(|&i| record(i) != record(v[0])))
        .collect();
    groups.sort();
    groups
}

/// Pairs of birth records that register the same birth ([`crate::link::same_birth`]: close
/// names, the same parents, dates a slip apart), found among those with the same folded family and
/// given name born within a year — unless they are linked to two different persons (twins, or
/// namesakes the registry tells apart). The groups are checked in parallel; the pairs come in no
/// particular order ([`merge`] sorts).
fn same_birth_pairs(data: &Dataset, rows: &[LinkRow], costs: &Costs) -> Vec<Vec<usize>> {
    let keyed: Vec<((u64, u64, u16), usize)> = data
        .subjects
        .par_iter()
        .enumerate()
        .filter_map(|(i, s)| match (s.record_type, s.facts.name, s.facts.dob) {
            (RecordType::KS, Some(n), Some(d)) => {
                let e = data.names.get(n);
                Some(((e.k_family, e.k_given, d.year), i))
            }
            _ => None,
        })
        .collect();
    let ev = runs(keyed);
    let candidate = |a: usize, b: usize| {
        let apart = matches!((rows[a].person, rows[b].person), (Some(x), Some(y)) if x != y);
        !apart && same_birth(data, a, b, costs)
    };
    (0..ev.len())
        .into_par_iter()
        .flat_map_iter(|r| {
            let ((f, g, y), v) = &ev[r];
            let mut out = Vec::new();
            // the same year, and the next one (a year slipped in one of the books): the run
            // after this one when it has that key
            for (k, &a) in v.iter().enumerate() {
                for &b in &v[k + 1..] {
                    if candidate(a, b) {
                        out.push(vec![a.min(b), a.max(b)]);
                    }
                }
            }
            if let Some((_, next)) = ev.get(r + 1).filter(|n| n.0 == (*f, *g, *y + 1)) {
                for &a in v {
                    for &b in next {
                        if candidate(a, b) {
                            out.push(vec![a.min(b), a.max(b)]);
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// Merge overlapping groups (union–find), each sorted, in order.
fn merge(groups: &[Vec<usize>]) -> Vec<Vec<usize>> {
    fn find(p: &mut HashMap<usize, usize>, x: usize) -> usize {
        let q = *p.get(&x).unwrap_or(&x);
        if q == x {
            return x;
        }
        let r = find(p, q);
        p.insert(x, r);
        r
    }
    let mut parent: HashMap<usize, usize> = HashMap::new();
    for g in groups {
        for &x in &g[1..] {
            let (a, b) = (find(&mut parent, g[0]), find(&mut parent, x));
            if a != b {
                parent.insert(a.max(b), a.min(b));
            }
        }
    }
    let mut merged: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for g in groups {
        for &x in g {
            let r = find(&mut parent, x);
            merged.entry(r).or_default().push(x);
        }
    }
    let mut sets: Vec<Vec<usize>> = merged
        .into_values()
        .map(|mut v| {
            v.sort_unstable();
            v.dedup();
            v
        })
        .filter(|v| v.len() > 1)
        .collect();
    sets.sort();
    sets
}

fn push_label(s: &mut String, l: &str) {
    if !s.is_empty() {
        s.push(';');
    }
    s.push_str(l);
}

/// Flag and label the duplicate groups; `event_groups` are the subjects `link` kept on one person.
pub(super) fn assign(
    data: &Dataset,
    rows: &mut [LinkRow],
    event_groups: &[Vec<usize>],
    costs: &Costs,
) {
    let mut events: Vec<Vec<usize>> = event_groups.to_vec();
    events.extend(same_birth_pairs(data, rows, costs));
    for (n, g) in book_groups(data).iter().enumerate() {
        for &i in g {
            rows[i].flags.set(Flag::DuplicateBookKey);
            push_label(&mut rows[i].duplicate_group, &format!("B{}", n + 1));
        }
    }
    for (n, g) in merge(&events).iter().enumerate() {
        for &i in g {
            rows[i].flags.set(Flag::DuplicateEvent);
            push_label(&mut rows[i].duplicate_group, &format!("E{}", n + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_groups_merge() {
        let g = merge(&[vec![3, 1], vec![1, 7], vec![9, 8]]);
        assert_eq!(g, vec![vec![1, 3, 7], vec![8, 9]]);
        assert!(merge(&[]).is_empty());
    }
}

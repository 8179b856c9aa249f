//! Duplicate registrations: the same book key twice (`B` groups), and the same event of the same
//! person registered twice (`E` groups): linked to one person, or the same name, mother and date
//! of birth in two birth records.
use super::LinkRow;
use crate::ingest::RecordType;
use crate::link::same_birth;
use crate::rules::Costs;
use crate::subjects::Dataset;
use crate::vocab::Flag;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Groups of subjects sharing a book key that are more than one record.
fn book_groups(data: &Dataset) -> Vec<Vec<usize>> {
    let mut by_key: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, s) in data.subjects.iter().enumerate() {
        if let Some(k) = s.book_key() {
            by_key.entry(k).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = by_key
        .into_values()
        .filter(|v| {
            let records: BTreeSet<(u32, u32)> = v
                .iter()
                .map(|&i| (data.subjects[i].table, data.subjects[i].row))
                .collect();
            records.len() > 1
        })
        .collect();
    groups.sort();
    groups
}

/// Pairs of birth records that register the same birth ([`crate::link::same_birth`]: close
/// names, the same parents, dates a slip apart), found among those with the same folded family and
/// given name born within a year — unless they are linked to two different persons (twins, or
/// namesakes the registry tells apart).
fn same_birth_pairs(data: &Dataset, rows: &[LinkRow], costs: &Costs) -> Vec<Vec<usize>> {
    let mut ev: BTreeMap<(u64, u64, u16), Vec<usize>> = BTreeMap::new();
    for (i, s) in data.subjects.iter().enumerate() {
        if s.record_type == RecordType::KS
            && let (Some(n), Some(d)) = (s.facts.name, s.facts.dob)
        {
            let e = data.names.get(n);
            ev.entry((e.k_family, e.k_given, d.year))
                .or_default()
                .push(i);
        }
    }
    let candidate = |a: usize, b: usize| {
        let apart = matches!((rows[a].person, rows[b].person), (Some(x), Some(y)) if x != y);
        !apart && same_birth(data, a, b, costs)
    };
    let mut out = Vec::new();
    for (&(f, g, y), v) in &ev {
        // the same year, and the next one (a year slipped in one of the books)
        for (k, &a) in v.iter().enumerate() {
            for &b in &v[k + 1..] {
                if candidate(a, b) {
                    out.push(vec![a.min(b), a.max(b)]);
                }
            }
        }
        if let Some(next) = ev.get(&(f, g, y + 1)) {
            for &a in v {
                for &b in next {
                    if candidate(a, b) {
                        out.push(vec![a.min(b), a.max(b)]);
                    }
                }
            }
        }
    }
    out
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

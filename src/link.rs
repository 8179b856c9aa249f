//! Link: choose each subject's person. A clear winner above the match threshold links; a near-tie
//! or a probability between the thresholds goes to review with the candidates; a person has at most
//! one birth and one death record (two records of the same event are a duplicate, not two links).
use crate::compare::date::{compare_dob, dob::COMPATIBLE};
use crate::compare::name::{NameComparer, whole::CLOSE};
use crate::ingest::RecordType;
use crate::normalize::{PartialDate, Precision};
use crate::rules::{Costs, Thresholds};
use crate::score::{Scored, probability};
use crate::subjects::{Dataset, PersonIdx};
use rayon::prelude::*;

/// The decision for one subject.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// linked to a person
    Linked(Scored),
    /// ambiguous or between thresholds: the candidates to check
    Review(Vec<Scored>),
    /// no candidate worth a look
    Unlinked,
}

/// Decide every subject from its best candidates (sorted by weight, best first).
pub fn decide(cands: &[Vec<Scored>], t: &Thresholds) -> Vec<Decision> {
    cands
        .par_iter()
        .map(|c| {
            let Some(best) = c.first() else {
                return Decision::Unlinked;
            };
            let p = probability(best.weight);
            let runner_close = c.get(1).is_some_and(|r| {
                best.weight - r.weight < t.tie_margin
                    && probability(r.weight) >= t.review_probability
            });
            if p >= t.match_probability && !runner_close {
                Decision::Linked(best.clone())
            } else if p >= t.review_probability {
                let keep: Vec<Scored> = c
                    .iter()
                    .filter(|x| probability(x.weight) >= t.review_probability)
                    .take(3)
                    .cloned()
                    .collect();
                Decision::Review(keep)
            } else {
                Decision::Unlinked
            }
        })
        .collect()
}

/// True when two subjects that link the same person describe the same event (a duplicate
/// registration, not a namesake or twins): close names, the same full date of birth, the same
/// mother (births) and the same death date (deaths) where both records have them.
pub fn same_event(data: &Dataset, a: usize, b: usize, costs: &Costs) -> bool {
    let (x, y) = (&data.subjects[a], &data.subjects[b]);
    let (fx, fy) = (&x.facts, &y.facts);
    let names = NameComparer {
        names: &data.names,
        costs,
    };
    let full = |d: Option<PartialDate>| d.is_some_and(|d| d.precision() == Precision::Day);
    // a birth book that wrote only the year is the same event when the mother is named alike
    let mothers = fx.mother.is_some() && fy.mother.is_some();
    x.record_type == y.record_type
        && names.whole(fx.name, fy.name).is_some_and(|l| l <= CLOSE)
        && (full(fx.dob) && full(fy.dob) || mothers)
        && compare_dob(fx.dob, fy.dob).is_some_and(|l| l <= COMPATIBLE)
        && names.whole(fx.mother, fy.mother).is_none_or(|l| l <= CLOSE)
        && compare_dob(x.event_date, y.event_date).is_none_or(|l| l <= COMPATIBLE)
}

/// True when two birth records that link the same person register the same birth twice: a
/// re-registration (đăng ký lại) of a lost record, at the same or another commune, years later,
/// often differs a little — a day, Văn/Thị, the birth place. Close names, the same parents where
/// both books name them (at least one of them named in both), and dates of birth a slip apart.
pub fn same_birth(data: &Dataset, a: usize, b: usize, costs: &Costs) -> bool {
    use crate::compare::date::dob::SLIP;
    let (x, y) = (&data.subjects[a], &data.subjects[b]);
    let (fx, fy) = (&x.facts, &y.facts);
    let names = NameComparer {
        names: &data.names,
        costs,
    };
    let close =
        |p: Option<crate::subjects::NameId>, q| names.whole(p, q).is_some_and(|l| l <= CLOSE);
    let parents_named =
        fx.mother.is_some() && fy.mother.is_some() || fx.father.is_some() && fy.father.is_some();
    let parents_agree = [(fx.mother, fy.mother), (fx.father, fy.father)]
        .into_iter()
        .all(|(p, q)| p.is_none() || q.is_none() || close(p, q));
    let near_day = match (
        fx.dob.and_then(|d| d.ordinal()),
        fy.dob.and_then(|d| d.ordinal()),
    ) {
        (Some(d), Some(e)) => d.abs_diff(e) <= 3,
        _ => false,
    };
    x.record_type == RecordType::KS
        && y.record_type == RecordType::KS
        && close(fx.name, fy.name)
        && parents_named
        && parents_agree
        && (near_day || compare_dob(fx.dob, fy.dob).is_some_and(|l| l <= SLIP))
}

/// The folded family and given name of a subject, to find the records of one birth.
fn birth_key(data: &Dataset, i: usize) -> Option<(u64, u64)> {
    let e = data.names.get(data.subjects[i].facts.name?);
    Some((e.k_family, e.k_given))
}

/// A birth registered twice whose later record did not link on its own (a day, the birth place,
/// the commune differ, so its weight stayed low, or the person went to the first record): it links
/// to the first record's person when the two are the same birth and that person is among its
/// candidates. Returns the pairs joined (first record, later one).
pub fn rejoin_births(
    data: &Dataset,
    decisions: &mut [Decision],
    cands: &[Vec<Scored>],
    costs: &Costs,
) -> Vec<Vec<usize>> {
    let ks = |i: usize| data.subjects[i].record_type == RecordType::KS;
    // the linked births by key, each key's records in subject order: one sorted list (a map of
    // a list per key was a million small allocations at province scale)
    let mut linked: Vec<((u64, u64), usize, PersonIdx)> = decisions
        .par_iter()
        .enumerate()
        .filter_map(|(i, d)| match (d, ks(i), birth_key(data, i)) {
            (Decision::Linked(s), true, Some(k)) => Some((k, i, s.person)),
            _ => None,
        })
        .collect();
    linked.par_sort_unstable();
    let linked_with = |k: (u64, u64)| {
        let lo = linked.partition_point(|x| x.0 < k);
        let hi = lo + linked[lo..].partition_point(|x| x.0 == k);
        &linked[lo..hi]
    };
    // each unlinked birth looked at on its own (what it finds depends on the linked ones only),
    // in parallel, then linked in subject order
    let found: Vec<(usize, usize, Scored)> = decisions
        .par_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            if matches!(d, Decision::Linked(_)) || !ks(i) {
                return None;
            }
            let others = birth_key(data, i).map(linked_with)?;
            others.iter().find_map(|&(_, j, person)| {
                let c = cands[i].iter().find(|c| c.person == person)?;
                same_birth(data, j, i, costs).then(|| (i, j, c.clone()))
            })
        })
        .collect();
    let mut groups = Vec::new();
    for (i, j, c) in found {
        decisions[i] = Decision::Linked(c);
        groups.push(vec![j.min(i), j.max(i)]);
    }
    groups
}

/// Enforce one birth and one death record per person. Subjects that claim the same person for
/// the same event are kept linked when they are the same event registered twice (returned as
/// groups); otherwise the weaker ones go to review.
pub fn one_to_one(
    data: &Dataset,
    decisions: &mut [Decision],
    cands: &[Vec<Scored>],
    t: &Thresholds,
    costs: &Costs,
) -> Vec<Vec<usize>> {
    // the claims sorted by (person, event), each one's subjects in order: one list, not a map of
    // a list per claim (a million small allocations at province scale)
    let mut claims: Vec<((PersonIdx, RecordType), usize)> = decisions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let rt = data.subjects[i].record_type;
            match d {
                Decision::Linked(s) if matches!(rt, RecordType::KS | RecordType::KT) => {
                    Some(((s.person, rt), i))
                }
                _ => None,
            }
        })
        .collect();
    claims.par_sort_unstable();
    let mut claimed: Vec<(PersonIdx, RecordType)> = claims.iter().map(|c| c.0).collect();
    claimed.dedup();
    let mut groups = Vec::new();
    for run in claims.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        let subs: Vec<usize> = run.iter().map(|c| c.1).collect();
        let weight = |i: usize| {
            if let Decision::Linked(s) = &decisions[i] {
                s.weight
            } else {
                f64::MIN
            }
        };
        let mut order = subs.clone();
        order.sort_by(|&a, &b| weight(b).total_cmp(&weight(a)).then(a.cmp(&b)));
        let head = order[0];
        let mut group = vec![head];
        for &other in &order[1..] {
            if same_event(data, head, other, costs) || same_birth(data, head, other, costs) {
                group.push(other);
                continue;
            }
            // the weaker claim takes its next strong, unclaimed candidate, or goes to review
            let rt = data.subjects[other].record_type;
            let next = cands[other].iter().skip(1).find(|c| {
                probability(c.weight) >= t.match_probability
                    && claimed.binary_search(&(c.person, rt)).is_err()
            });
            decisions[other] = match next {
                Some(c) => Decision::Linked(c.clone()),
                None => Decision::Review(cands[other].iter().take(3).cloned().collect()),
            };
        }
        if group.len() > 1 {
            group.sort_unstable();
            groups.push(group);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::NULL;

    fn sc(person: usize, weight: f64) -> Scored {
        Scored {
            person: PersonIdx::new(person),
            weight,
            gamma: [NULL; crate::compare::N],
        }
    }

    #[test]
    fn thresholds_and_near_ties() {
        let t = Thresholds {
            match_probability: 0.95,
            review_probability: 0.3,
            tie_margin: 3.0,
            dead_before_baseline_bits: 5.0,
        };
        let d = decide(
            &[
                vec![sc(1, 20.0), sc(2, 2.0)],
                vec![sc(1, 20.0), sc(2, 18.5)],
                vec![sc(3, 0.5)],
                vec![sc(4, -10.0)],
                vec![],
            ],
            &t,
        );
        assert!(matches!(d[0], Decision::Linked(ref s) if s.person == PersonIdx::new(1)));
        assert!(matches!(d[1], Decision::Review(ref v) if v.len() == 2));
        assert!(matches!(d[2], Decision::Review(_)));
        assert_eq!(d[3], Decision::Unlinked);
        assert_eq!(d[4], Decision::Unlinked);
    }
}

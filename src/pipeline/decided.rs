//! What people decided, applied to a run before one-to-one linking: a `not_same_person` pair is
//! taken out of the candidates, a `same_person` pair is linked whatever the scores (and still goes
//! through the one-birth-record-per-person check). The other decisions are kept in the store for
//! the work lists.
use crate::compare::{Comparer, Sources};
use crate::decisions::{Decision, Kind};
use crate::link;
use crate::score::{Scored, Scorer};
use crate::subjects::{Dataset, PersonIdx};
use std::collections::HashMap;

/// How the decisions of a store met this run.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Applied {
    /// decisions in force in the store
    pub in_store: usize,
    /// applied to this run
    pub applied: usize,
    /// those that could not be, each with why (`record_key person_id: reason`)
    pub not_applied: Vec<String>,
}

/// The decisions of a run, resolved to subjects and persons.
pub struct Resolved {
    /// subject → persons never to link it to
    not_same: HashMap<usize, Vec<PersonIdx>>,
    /// subject → the person it is
    same: Vec<(usize, PersonIdx)>,
}

/// Resolve decisions against the run's records and persons.
pub fn resolve(x: &Sources, ds: &[Decision]) -> (Resolved, Applied) {
    let data = x.data;
    let keys = crate::report::record_key::keys(x);
    let by_key: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let by_id: HashMap<&str, PersonIdx> = data
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| (p.person_id.as_str(), PersonIdx::new(i)))
        .collect();
    let mut r = Resolved {
        not_same: HashMap::new(),
        same: Vec::new(),
    };
    let mut a = Applied {
        in_store: ds.len(),
        ..Applied::default()
    };
    for d in ds {
        let why = |reason: &str| format!("{} {}: {reason}", d.record_key, d.person_id);
        let (Some(&si), Some(&p)) = (
            by_key.get(d.record_key.as_str()),
            by_id.get(d.person_id.as_str()),
        ) else {
            let gone = if by_key.contains_key(d.record_key.as_str()) {
                "the person is not in this extract"
            } else {
                "the record is not in this run's books"
            };
            a.not_applied.push(why(gone));
            continue;
        };
        match d.kind {
            Kind::NotSamePerson => r.not_same.entry(si).or_default().push(p),
            Kind::SamePerson => r.same.push((si, p)),
            _ => {
                a.not_applied.push(why(
                    "kept in the store; this version applies same_person and not_same_person only",
                ));
                continue;
            }
        }
        a.applied += 1;
    }
    (r, a)
}

impl Resolved {
    /// Take the `not_same_person` pairs out of the candidates.
    pub fn filter(&self, scored: &mut [Vec<Scored>]) {
        for (&si, ps) in &self.not_same {
            scored[si].retain(|c| !ps.contains(&c.person));
        }
    }

    /// Link the `same_person` pairs (scored as any pair is, so the outputs show their levels).
    pub fn force(
        &self,
        data: &Dataset,
        cmp: &Comparer,
        scorer: &Scorer,
        scored: &[Vec<Scored>],
        decisions: &mut [link::Decision],
    ) {
        for &(si, p) in &self.same {
            let found = scored[si].iter().find(|c| c.person == p).cloned();
            let s = found.or_else(|| {
                let subject = &data.subjects[si];
                let g = crate::compare::pack(&cmp.gamma(subject, data.person(p)));
                scorer.rank(data, subject, &[p], &[g]).into_iter().next()
            });
            if let Some(s) = s {
                decisions[si] = link::Decision::Linked(s);
            }
        }
    }
}

//! What people decided, applied to a run before one-to-one linking: a `not_same_person` pair is
//! taken out of the candidates, a `same_person` pair is linked whatever the scores (and still goes
//! through the one-birth-record-per-person check). The others are shown in `links.csv`'s
//! `decision` column: an accepted conflict leaves the work lists, a fix decided but still found
//! comes back flagged `fix_not_seen`.
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
    /// subject → the other decisions about it and a person (for the outputs)
    other: HashMap<usize, Vec<(PersonIdx, Kind)>>,
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
        other: HashMap::new(),
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
            k => r.other.entry(si).or_default().push((p, k)),
        }
        a.applied += 1;
    }
    (r, a)
}

impl Resolved {
    /// The decision in force about each subject of the run and its linked person, for the
    /// `decision` column of `links.csv`; a fix decided but not seen flags the row `fix_not_seen`.
    pub fn mark(&self, rows: &mut [crate::classify::LinkRow]) -> Vec<&'static str> {
        let n = rows.iter().map(|r| r.subject + 1).max().unwrap_or(0);
        let mut out = vec![""; n];
        for r in rows.iter_mut() {
            let k = r.subject;
            let Some(p) = r.person else { continue };
            if self.same.contains(&(r.subject, p)) {
                out[k] = Kind::SamePerson.code();
            }
            let Some(v) = self.other.get(&r.subject) else {
                continue;
            };
            for &(q, kind) in v {
                if q != p {
                    continue;
                }
                out[k] = kind.code();
                if matches!(kind, Kind::FixedInBook | Kind::FixedInRegistry)
                    && !r.conflicts.is_empty()
                {
                    r.flags.set(crate::vocab::Flag::FixNotSeen);
                }
            }
        }
        out
    }

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

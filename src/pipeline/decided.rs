//! What people decided, applied to a run before one-to-one linking: a `not_same_person` pair is
//! taken out of the candidates, a `same_person` pair is linked whatever the scores (and still goes
//! through the one-birth-record-per-person check). The others are shown in `links.csv`'s
//! `decision` column: an accepted conflict leaves the work lists, a fix decided but still found
//! comes back flagged `fix_not_seen`. A record to cancel (`cancel_record`, of a duplicate
//! registration) takes no person, and the registration it duplicated is no longer flagged.
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
    /// the subjects to cancel (duplicate registrations)
    cancel: std::collections::BTreeSet<usize>,
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
        cancel: Default::default(),
    };
    let mut a = Applied {
        in_store: ds.len(),
        ..Applied::default()
    };
    for d in ds {
        let why = |reason: &str| format!("{} {}: {reason}", d.record_key, d.person_id);
        // decisions come in the order they were made: a later one about a record to cancel
        // takes the cancellation back
        if let Some(&si) = by_key.get(d.record_key.as_str()) {
            r.cancel.remove(&si);
        }
        if d.kind == Kind::CancelRecord {
            // about the record alone: whoever it was linked to
            match by_key.get(d.record_key.as_str()) {
                Some(&si) => {
                    r.cancel.insert(si);
                    a.applied += 1;
                }
                None => a
                    .not_applied
                    .push(why("the record is not in this run's books")),
            }
            continue;
        }
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
            if self.cancel.contains(&k) {
                out[k] = Kind::CancelRecord.code();
                continue;
            }
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

    /// Take the `not_same_person` pairs out of the candidates, and every candidate of a record
    /// to cancel.
    pub fn filter(&self, scored: &mut [Vec<Scored>]) {
        for (&si, ps) in &self.not_same {
            scored[si].retain(|c| !ps.contains(&c.person));
        }
        for &si in &self.cancel {
            scored[si].clear();
        }
    }

    /// A duplicate group whose records but one are to be cancelled is settled: that one is no
    /// longer flagged a duplicate (the records to cancel keep their group, as evidence).
    pub fn settle_duplicates(&self, rows: &mut [crate::classify::LinkRow]) {
        use crate::vocab::Flag;
        if self.cancel.is_empty() {
            return;
        }
        let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (i, r) in rows.iter().enumerate() {
            for g in r.duplicate_group.split(';').filter(|g| !g.is_empty()) {
                groups.entry(g.to_string()).or_default().push(i);
            }
        }
        for (label, members) in groups {
            let standing: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| !self.cancel.contains(&rows[i].subject))
                .collect();
            if standing.len() > 1 || standing.len() == members.len() {
                continue;
            }
            for i in standing {
                let r = &mut rows[i];
                let rest: Vec<String> = r
                    .duplicate_group
                    .split(';')
                    .filter(|g| !g.is_empty() && *g != label)
                    .map(str::to_string)
                    .collect();
                r.duplicate_group = rest.join(";");
                for (prefix, flag) in [("B", Flag::DuplicateBookKey), ("E", Flag::DuplicateEvent)] {
                    if !rest.iter().any(|g| g.starts_with(prefix)) {
                        r.flags.unset(flag);
                    }
                }
            }
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
            if self.cancel.contains(&si) {
                continue;
            }
            let found = scored[si].iter().find(|c| c.person == p).cloned();
            let s = found.or_else(|| {
                let subject = &data.subjects[si];
                let g = crate::compare::pack(&cmp.gamma(subject, data.person(p)));
                scorer.rank(subject, &[p], &[g]).into_iter().next()
            });
            if let Some(s) = s {
                decisions[si] = link::Decision::Linked(s);
            }
        }
    }
}

//! Classify: one status per subject, its conflicting fields, flags and duplicate groups; and the
//! population side's findings. Cosmetic differences never make a conflict: names compare after
//! normalization, dates at the common precision, places across vintages.
mod conflicts;
pub mod coverage;
mod duplicates;
mod findings;

pub use conflicts::{Conflicts, conflicts};
pub use coverage::{Coverage, Scope};

use crate::compare::{Comparer, date};
use crate::link::Decision;
use crate::normalize::{PartialDate, Sex};
use crate::score::{Scored, probability};
use crate::subjects::{Dataset, NameId, PersonIdx, Role, Subject};
use crate::vocab::{Field, FindingKind, Flag, Flags, Status};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// One row of `links.csv`, before formatting.
#[derive(Clone, Debug)]
pub struct LinkRow {
    /// subject index
    pub subject: usize,
    /// the linked person (matched / conflict)
    pub person: Option<PersonIdx>,
    /// status
    pub status: Status,
    /// the chosen (or best) candidate
    pub best: Option<Scored>,
    /// conflicting fields, in field order, each with the comparison that shows it
    pub conflicts: Vec<(Field, usize)>,
    /// a conflict on birth year, sex or birth-registration place: the ID must be re-issued
    pub id_reissue: bool,
    /// flags
    pub flags: Flags,
    /// duplicate group label(s)
    pub duplicate_group: String,
    /// review candidates (person, probability)
    pub candidates: Vec<(PersonIdx, f64)>,
}

/// One population finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// the person
    pub person: PersonIdx,
    /// kind
    pub kind: FindingKind,
    /// the civil subject that shows it, if any
    pub evidence: Option<usize>,
}

/// Civil deaths before the baseline: their persons are not expected in the registry, nor found for
/// their births and marriages. A death record is found by the folded name (a tone slipped in one
/// book or the other), the same sex and a date of birth that is not plainly another (a partial
/// date, a day/month swap or a one-digit slip is the same person's).
struct DeadBefore {
    baseline: PartialDate,
    /// by folded (family, middle, given): the dates of birth and sexes of the dead
    deaths: HashMap<(u64, u64, u64), Vec<Death>>,
}

/// A death record's date of birth and sex.
type Death = (Option<PartialDate>, Option<Sex>);

impl DeadBefore {
    fn key(data: &Dataset, n: NameId) -> (u64, u64, u64) {
        let e = data.names.get(n);
        (e.k_family, e.k_middle, e.k_given)
    }

    fn new(data: &Dataset, baseline: PartialDate) -> DeadBefore {
        let mut deaths: HashMap<_, Vec<_>> = HashMap::new();
        for s in &data.subjects {
            if s.role == Role::Nkt
                && let Some(n) = s.facts.name
                && s.event_date.is_some_and(|d| d < baseline)
            {
                deaths
                    .entry(Self::key(data, n))
                    .or_default()
                    .push((s.facts.dob, s.facts.sex));
            }
        }
        DeadBefore { baseline, deaths }
    }

    fn holds(&self, data: &Dataset, s: &Subject) -> bool {
        if s.role == Role::Nkt {
            return s.event_date.is_some_and(|d| d < self.baseline);
        }
        let Some(n) = s.facts.name else { return false };
        self.deaths.get(&Self::key(data, n)).is_some_and(|deaths| {
            deaths.iter().any(|(dob, sex)| {
                date::compare_dob(*dob, s.facts.dob).is_none_or(|l| l < date::dob::ELSE)
                    && !matches!((sex, s.facts.sex), (Some(a), Some(b)) if *a != b)
            })
        })
    }
}

/// What classification needs besides the decisions.
pub struct Context<'a> {
    /// the comparer of the run (conflicts are decided by the comparisons)
    pub cmp: &'a Comparer<'a>,
    /// the registry's baseline date
    pub baseline: PartialDate,
    /// an unlinked subject this old at the baseline is presumed dead (0: off)
    pub presumed_dead_age: u16,
    /// the books the drop holds
    pub coverage: &'a Coverage,
}

/// The persons a father's recognition (a CMC record whose `cm` is not a woman) links as the child.
fn recognised_children(data: &Dataset, decisions: &[Decision]) -> HashSet<PersonIdx> {
    let mut out = HashSet::new();
    for (i, w) in data.subjects.windows(2).enumerate() {
        let (cm, nc) = (&w[0], &w[1]);
        if cm.role == Role::Cm
            && nc.role == Role::Nc
            && (cm.table, cm.row) == (nc.table, nc.row)
            && cm.facts.sex != Some(Sex::Nu)
            && let Decision::Linked(sc) = &decisions[i + 1]
        {
            out.insert(sc.person);
        }
    }
    out
}

fn row_of(
    ctx: &Context,
    dead: &DeadBefore,
    recognised: &HashSet<PersonIdx>,
    i: usize,
    d: &Decision,
) -> LinkRow {
    let data = ctx.cmp.data;
    let s = &data.subjects[i];
    let mut row = LinkRow {
        subject: i,
        person: None,
        status: Status::Missing,
        best: None,
        conflicts: Vec::new(),
        id_reissue: false,
        flags: s.flags,
        duplicate_group: String::new(),
        candidates: Vec::new(),
    };
    match d {
        Decision::Linked(sc) => {
            let rec = recognised.contains(&sc.person);
            let c = conflicts(ctx.cmp, s, data.person(sc.person), &sc.gamma, rec);
            row.status = if c.fields.is_empty() {
                Status::Matched
            } else {
                Status::Conflict
            };
            row.conflicts = c.fields;
            row.id_reissue = c.id_reissue;
            row.flags = row.flags.union(c.flags);
            row.person = Some(sc.person);
            row.best = Some(sc.clone());
        }
        Decision::Review(c) => {
            row.status = Status::Review;
            row.best = c.first().cloned();
            row.candidates = c
                .iter()
                .map(|x| (x.person, probability(x.weight)))
                .collect();
        }
        Decision::Unlinked => {
            // a dated death after the baseline is of someone the registry should hold
            let age = ctx.presumed_dead_age;
            let presumed_dead = age > 0
                && !(s.role == Role::Nkt && s.event_date.is_some())
                && s.facts
                    .dob
                    .is_some_and(|d| d.year + age <= ctx.baseline.year);
            row.status = if dead.holds(data, s) {
                Status::OutOfScope
            } else if presumed_dead {
                row.flags.set(Flag::PresumedDead);
                Status::OutOfScope
            } else {
                Status::Missing
            };
        }
    }
    row
}

/// Classify every subject; returns the link rows (in subject order) and the findings.
pub fn classify(
    ctx: &Context,
    decisions: &[Decision],
    event_groups: &[Vec<usize>],
) -> (Vec<LinkRow>, Vec<Finding>) {
    let data = ctx.cmp.data;
    let dead = DeadBefore::new(data, ctx.baseline);
    let recognised = recognised_children(data, decisions);
    let mut rows: Vec<LinkRow> = decisions
        .par_iter()
        .enumerate()
        .map(|(i, d)| row_of(ctx, &dead, &recognised, i, d))
        .collect();
    duplicates::assign(data, &mut rows, event_groups, ctx.cmp.names.costs);
    let findings = findings::findings(data, ctx.coverage, &rows);
    (rows, findings)
}

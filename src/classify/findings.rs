//! The population side's findings: persons in scope with no birth record, deaths and marriages
//! the books hold and the registry does not show.
use super::coverage::{Coverage, Scope};
use super::{Finding, LinkRow};
use crate::subjects::{Dataset, Marital, PersonIdx, Role};
use crate::vocab::FindingKind;

/// Every finding, sorted by person and kind; one per person and kind.
pub(super) fn findings(data: &Dataset, coverage: &Coverage, rows: &[LinkRow]) -> Vec<Finding> {
    let mut has_birth = vec![false; data.persons.len()];
    let mut out = Vec::new();
    for r in rows {
        let Some(p) = r.person else { continue };
        let s = &data.subjects[r.subject];
        let per = data.person(p);
        let kind = match s.role {
            Role::Nks => {
                has_birth[p.index()] = true;
                None
            }
            Role::Nkt if per.death.is_none() => Some(FindingKind::DeathNotRecorded),
            Role::Chong | Role::Vo if !s.dissolved && per.marital == Marital::Single => {
                Some(FindingKind::MarriageNotRecorded)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(Finding {
                person: p,
                kind,
                evidence: Some(r.subject),
            });
        }
    }
    for (i, &found) in has_birth.iter().enumerate() {
        if !found && coverage.scope_at(i) == Scope::InScope {
            out.push(Finding {
                person: PersonIdx::new(i),
                kind: FindingKind::NoBirthRecord,
                evidence: None,
            });
        }
    }
    // one death and one marriage finding per person is enough evidence; keep the first by source
    out.sort_by(|a, b| {
        data.person(a.person)
            .person_id
            .cmp(&data.person(b.person).person_id)
            .then(a.kind.cmp(&b.kind))
            .then(a.evidence.cmp(&b.evidence))
    });
    out.dedup_by(|a, b| a.person == b.person && a.kind == b.kind);
    out
}

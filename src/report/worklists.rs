//! Work lists: every finding routed to who fixes it — the commune justice officer (fix the
//! digitized record against the book), the commune police (update the registry), the citizen (a
//! correction procedure).
use super::figures::{FindingRec, LinkRec};
use super::i18n::t;
pub use crate::vocab::Recipient;
use crate::vocab::{Field, FindingKind, Flag, Lang, Status};
use serde::Serialize;
use std::collections::HashMap;

/// One line of a work list.
#[derive(Clone, Debug, Serialize)]
pub struct WorkItem {
    /// who acts
    pub recipient: Recipient,
    /// legacy commune code of the record (empty for registry-only findings)
    pub commune: String,
    /// its 2025 commune
    pub commune_2025: String,
    /// provenance
    pub source_file: String,
    /// provenance
    pub source_row: String,
    /// book (quyển số)
    pub book: String,
    /// register number (số)
    pub number: String,
    /// registration date
    pub reg_date: String,
    /// record type
    pub record_type: String,
    /// role
    pub role: String,
    /// person in the registry
    pub person_id: String,
    /// what is wrong (a code)
    pub issue: String,
    /// the book's value
    pub civil: String,
    /// the registry's value
    pub registry: String,
    /// what to do
    pub action: String,
}

fn item(
    r: &LinkRec,
    recipient: Recipient,
    issue: String,
    civil: String,
    registry: String,
    action: String,
) -> WorkItem {
    WorkItem {
        recipient,
        commune: r.commune.clone(),
        commune_2025: r.commune_2025.clone(),
        source_file: r.source_file.clone(),
        source_row: r.source_row.clone(),
        book: r.book.clone(),
        number: r.number.clone(),
        reg_date: r.reg_date.clone(),
        record_type: r.type_code().to_string(),
        role: r.role.clone(),
        person_id: r.person_id.clone(),
        issue,
        civil,
        registry,
        action,
    }
}

/// The work lists, built row by row in the order of `links.csv`, then from the findings.
pub struct WorkLists {
    items: Vec<WorkItem>,
    /// the rows that findings name as their evidence (`file:row`), kept when they pass
    evidence: HashMap<String, Option<LinkRec>>,
    lang: Lang,
}

impl WorkLists {
    /// Empty lists for these findings.
    pub fn new(findings: &[FindingRec], lang: Lang) -> WorkLists {
        WorkLists {
            items: Vec::new(),
            evidence: findings
                .iter()
                .filter(|f| !f.evidence.is_empty())
                .map(|f| (f.evidence.clone(), None))
                .collect(),
            lang,
        }
    }

    /// Add the items of one row of `links.csv`; `key` is its `file:row` when a finding names it.
    pub fn add_link(&mut self, r: &LinkRec, key: Option<&str>) {
        if let Some(k) = key
            && let Some(slot) = self.evidence.get_mut(k)
        {
            *slot = Some(r.clone());
        }
        let data_flags: Vec<&str> = r
            .flags
            .iter()
            .filter(|f| f.recipient() == Some(Recipient::Justice) && *f != Flag::NoDiacritics)
            .map(|f| f.code())
            .collect();
        if r.flags.has(Flag::NoDiacritics) {
            self.items.push(item(
                r,
                Recipient::Justice,
                Flag::NoDiacritics.code().to_string(),
                r.civil_name.clone(),
                r.registry_name.clone(),
                t(self.lang, "act_no_diacritics").to_string(),
            ));
        }
        if r.flags.has(Flag::RegistryDobYearOnly) {
            self.items.push(item(
                r,
                Recipient::Police,
                Flag::RegistryDobYearOnly.code().to_string(),
                r.civil_dob.clone(),
                r.registry_dob.clone(),
                t(self.lang, "act_complete_dob").to_string(),
            ));
        }
        if !data_flags.is_empty() {
            self.items.push(item(
                r,
                Recipient::Justice,
                data_flags.join(";"),
                String::new(),
                String::new(),
                t(self.lang, "act_fix_record").to_string(),
            ));
        }
        match r.status {
            Some(Status::Review) => self.items.push(item(
                r,
                Recipient::Justice,
                "review".into(),
                String::new(),
                r.candidates.clone(),
                t(self.lang, "act_review").to_string(),
            )),
            Some(Status::Missing) => self.items.push(item(
                r,
                Recipient::Justice,
                "missing".into(),
                String::new(),
                String::new(),
                t(self.lang, "act_missing").to_string(),
            )),
            Some(Status::Conflict) => {
                for (field, civ, reg) in &r.values {
                    let reissue = r.id_reissue
                        && matches!(field, Field::Dob | Field::Gender | Field::BirthPlace);
                    let (who, act) = if reissue {
                        (Recipient::Citizen, "act_reissue")
                    } else {
                        (Recipient::Police, "act_update_registry")
                    };
                    self.items.push(item(
                        r,
                        who,
                        format!("conflict:{}", field.code()),
                        civ.clone(),
                        reg.clone(),
                        t(self.lang, act).to_string(),
                    ));
                }
            }
            _ => {}
        }
    }

    /// Add the findings' items and return every item, by recipient (within a list, in the order
    /// of links.csv, then of the findings).
    pub fn finish(mut self, findings: &[FindingRec]) -> Vec<WorkItem> {
        for f in findings {
            let base = self
                .evidence
                .get(&f.evidence)
                .cloned()
                .flatten()
                .unwrap_or_default();
            let (who, act) = match f.finding {
                Some(FindingKind::DeathNotRecorded) => (Recipient::Police, "act_record_death"),
                Some(FindingKind::MarriageNotRecorded) => {
                    (Recipient::Police, "act_record_marriage")
                }
                Some(FindingKind::DuplicateId) => (Recipient::Police, "act_duplicate_id"),
                _ => (Recipient::Justice, "act_no_birth"),
            };
            let mut it = item(
                &base,
                who,
                f.finding.map_or("", |k| k.code()).to_string(),
                String::new(),
                String::new(),
                t(self.lang, act).to_string(),
            );
            it.person_id = f.person_id.clone();
            self.items.push(it);
        }
        self.items.sort_by_key(|i| i.recipient);
        self.items
    }
}

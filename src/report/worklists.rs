//! Work lists: every finding routed to who fixes it — the commune justice officer (fix the
//! digitized record against the book), the commune police (update the registry), the citizen (a
//! correction procedure) — with whom it is about (the name and date of birth as the book has them,
//! the registry's where they differ) and what to do, in words.
use super::figures::{FindingRec, LinkRec};
use super::i18n::{action, t};
pub use crate::vocab::Recipient;
use crate::vocab::{Field, FindingKind, Flag, Lang, Status};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// What a work-list line is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Issue {
    /// a field differs between the book and the registry
    Conflict(Field),
    /// data-quality flags of the digitized record (the codes are in `WorkItem::flags`)
    Flags,
    /// the name was typed without diacritics
    NoDiacritics,
    /// the registry has the year of birth only
    RegistryDobYearOnly,
    /// candidates too close to decide
    Review,
    /// no person in the registry
    Missing,
    /// a population finding
    Finding(FindingKind),
}

impl Issue {
    /// The code, as in the CSV files (`conflict:name`, `review`, `death_not_recorded`, …).
    pub fn code(self) -> String {
        match self {
            Issue::Conflict(f) => format!("conflict:{}", f.code()),
            Issue::Flags => "flags".to_string(),
            Issue::NoDiacritics => Flag::NoDiacritics.code().to_string(),
            Issue::RegistryDobYearOnly => Flag::RegistryDobYearOnly.code().to_string(),
            Issue::Review => Status::Review.code().to_string(),
            Issue::Missing => Status::Missing.code().to_string(),
            Issue::Finding(k) => k.code().to_string(),
        }
    }

    /// The label people read (the flags' labels are the item's own).
    pub fn label(self, lang: Lang) -> String {
        match self {
            Issue::Conflict(f) => format!("{}: {}", t(lang, "conflict"), f.label(lang)),
            Issue::Flags => t(lang, "data_flags").to_string(),
            Issue::NoDiacritics => Flag::NoDiacritics.label(lang).to_string(),
            Issue::RegistryDobYearOnly => Flag::RegistryDobYearOnly.label(lang).to_string(),
            Issue::Review => Status::Review.label(lang).to_string(),
            Issue::Missing => Status::Missing.label(lang).to_string(),
            Issue::Finding(k) => k.label(lang).to_string(),
        }
    }
}

/// One line of a work list.
#[derive(Clone, Debug, Serialize)]
pub struct WorkItem {
    /// who acts
    pub recipient: Recipient,
    /// legacy commune code (of the record; of the person for registry-only findings)
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
    /// record type code
    pub record_type: String,
    /// role code
    pub role: String,
    /// person in the registry
    pub person_id: String,
    /// the name as the book has it (the registry's for registry-only findings)
    pub name: String,
    /// the date of birth as the book has it
    pub dob: String,
    /// the registry's name, when it differs
    pub registry_name: String,
    /// the registry's date of birth, when it differs
    pub registry_dob: String,
    /// what is wrong
    pub issue: Issue,
    /// the flags, for [`Issue::Flags`]
    pub flags: Vec<Flag>,
    /// the book's value of the issue
    pub civil: String,
    /// the registry's value
    pub registry: String,
    /// what to do, in words
    pub action: String,
    /// the civil record's key across runs (empty for registry-only findings)
    pub record_key: String,
}

impl WorkItem {
    /// The issue in words: its label, or the flags' labels.
    pub fn issue_label(&self, lang: Lang) -> String {
        match self.issue {
            Issue::Flags => self
                .flags
                .iter()
                .map(|f| f.label(lang))
                .collect::<Vec<_>>()
                .join("; "),
            i => i.label(lang),
        }
    }

    /// The issue's code(s), for tooltips and machines.
    pub fn issue_code(&self) -> String {
        match self.issue {
            Issue::Flags => self
                .flags
                .iter()
                .map(|f| f.code())
                .collect::<Vec<_>>()
                .join(";"),
            i => i.code(),
        }
    }
}

fn item(r: &LinkRec, recipient: Recipient, issue: Issue, values: (String, String)) -> WorkItem {
    let differs = |a: &str, b: &str| if a == b { String::new() } else { b.to_string() };
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
        name: r.civil_name.clone(),
        dob: r.civil_dob.clone(),
        registry_name: differs(&r.civil_name, &r.registry_name),
        registry_dob: differs(&r.civil_dob, &r.registry_dob),
        issue,
        flags: Vec::new(),
        civil: values.0,
        registry: values.1,
        action: String::new(),
        record_key: r.record_key.clone(),
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

    fn push(&mut self, it: WorkItem) {
        push(&mut self.items, self.lang, it);
    }

    /// Add the items of one row of `links.csv`; `key` is its `file:row` when a finding names it.
    pub fn add_link(&mut self, r: &LinkRec, key: Option<&str>) {
        if let Some(k) = key {
            self.keep(k, r.clone());
        }
        route(&mut self.items, self.lang, r);
    }

    /// Keep the row `file:row` (`key`) for the findings that name it as their evidence (the
    /// last row of that key wins, as rows come in order).
    fn keep(&mut self, key: &str, r: LinkRec) {
        if let Some(slot) = self.evidence.get_mut(key) {
            *slot = Some(r);
        }
    }

    /// Add the items and kept rows of a part of the rows (routed by [`route`] on another thread),
    /// the parts in row order: the same lists as adding their rows here.
    pub fn absorb(&mut self, items: Vec<WorkItem>, kept: Vec<(String, LinkRec)>) {
        self.items.extend(items);
        for (k, r) in kept {
            self.keep(&k, r);
        }
    }

    /// Add the findings' items and return every item: by recipient, then commune, book and
    /// number (numbers in numeric order), then file and row.
    pub fn finish(mut self, findings: &[FindingRec]) -> Vec<WorkItem> {
        for f in findings {
            let base = self.evidence.get(&f.evidence).cloned().flatten();
            let kind = f.finding.unwrap_or(FindingKind::NoBirthRecord);
            let who = match kind {
                FindingKind::DeathNotRecorded
                | FindingKind::MarriageNotRecorded
                | FindingKind::DuplicateId => Recipient::Police,
                FindingKind::NoBirthRecord => Recipient::Justice,
            };
            let mut it = item(
                base.as_ref().unwrap_or(&LinkRec::default()),
                who,
                Issue::Finding(kind),
                (String::new(), String::new()),
            );
            it.person_id = f.person_id.clone();
            if base.is_none() {
                // a registry-only finding: the registry's person, in the commune responsible
                it.name = f.name.clone();
                it.dob = f.dob.clone();
                it.commune = f.commune.clone();
                it.commune_2025 = super::labels::commune_2025_code(&f.commune);
            }
            self.push(it);
        }
        let items = self.items;
        // each item's key made once (it parses numbers), sorted with the item's position: the
        // order of a stable sort by key, the same items giving the same order
        let mut order: Vec<_> = items
            .par_iter()
            .enumerate()
            .map(|(i, it)| (sort_key(it), i))
            .collect();
        order.par_sort_unstable();
        let order: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
        let mut slots: Vec<Option<WorkItem>> = items.into_iter().map(Some).collect();
        order.into_iter().filter_map(|i| slots[i].take()).collect()
    }
}

/// An item with its action, added to `items`.
fn push(items: &mut Vec<WorkItem>, lang: Lang, mut it: WorkItem) {
    it.action = action(lang, &it);
    items.push(it);
}

/// The items of one row of `links.csv`, added to `items`.
pub fn route(items: &mut Vec<WorkItem>, lang: Lang, r: &LinkRec) {
    if r.decision == crate::decisions::Kind::CancelRecord.code() {
        // decided: the registration to cancel; nothing left to route
        return;
    }
    let none = || (String::new(), String::new());
    let mut add = |who, issue, values, flags| {
        let mut it = item(r, who, issue, values);
        it.flags = flags;
        push(items, lang, it);
    };
    if r.flags.has(Flag::NoDiacritics) {
        let values = (r.civil_name.clone(), r.registry_name.clone());
        add(Recipient::Justice, Issue::NoDiacritics, values, Vec::new());
    }
    if r.flags.has(Flag::RegistryDobYearOnly) {
        let values = (r.civil_dob.clone(), r.registry_dob.clone());
        add(
            Recipient::Police,
            Issue::RegistryDobYearOnly,
            values,
            Vec::new(),
        );
    }
    let data_flags: Vec<Flag> = r
        .flags
        .iter()
        .filter(|f| f.recipient() == Some(Recipient::Justice) && *f != Flag::NoDiacritics)
        .collect();
    if !data_flags.is_empty() {
        add(Recipient::Justice, Issue::Flags, none(), data_flags);
    }
    match r.status {
        Some(Status::Review) => {
            let values = (String::new(), r.candidates.clone());
            add(Recipient::Justice, Issue::Review, values, Vec::new());
        }
        Some(Status::Missing) => add(Recipient::Justice, Issue::Missing, none(), Vec::new()),
        // a conflict people accepted leaves the work lists
        Some(Status::Conflict) if r.decision != "accept_conflict" => {
            for (field, civ, reg) in &r.values {
                let reissue =
                    r.id_reissue && matches!(field, Field::Dob | Field::Gender | Field::BirthPlace);
                let who = if reissue {
                    Recipient::Citizen
                } else {
                    Recipient::Police
                };
                let values = (civ.clone(), reg.clone());
                add(who, Issue::Conflict(*field), values, Vec::new());
            }
        }
        _ => {}
    }
}

/// Order of a work list: commune, book, number, then provenance (numbers as numbers).
fn sort_key(i: &WorkItem) -> impl Ord + '_ {
    let num = |s: &str| s.trim().parse::<u64>().unwrap_or(u64::MAX);
    let row = i.source_row.parse::<u64>().unwrap_or(u64::MAX);
    (
        i.recipient,
        i.commune.is_empty(),
        i.commune.as_str(),
        num(&i.book),
        i.book.as_str(),
        num(&i.number),
        i.number.as_str(),
        i.source_file.as_str(),
        row,
    )
}

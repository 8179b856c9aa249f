//! Work lists: every finding routed to who fixes it — the commune justice officer (fix the
//! digitized record against the book), the commune police (update the registry), the citizen (a
//! correction procedure).
use super::figures::{CLEAN_FLAGS, FindingRec, LinkRec};
use super::i18n::{Lang, t};
use serde::Serialize;

/// Who acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Recipient {
    /// cán bộ tư pháp - hộ tịch xã
    Justice,
    /// công an xã
    Police,
    /// công dân
    Citizen,
}

impl Recipient {
    /// All, in report order.
    pub const ALL: [Recipient; 3] = [Recipient::Justice, Recipient::Police, Recipient::Citizen];
    /// The label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Recipient::Justice => t(lang, "wl_justice"),
            Recipient::Police => t(lang, "wl_police"),
            Recipient::Citizen => t(lang, "wl_citizen"),
        }
    }
    /// A short id for anchors and sheet names.
    pub fn id(self) -> &'static str {
        match self {
            Recipient::Justice => "tu-phap",
            Recipient::Police => "cong-an",
            Recipient::Citizen => "cong-dan",
        }
    }
}

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
        record_type: r.record_type.clone(),
        role: r.role.clone(),
        person_id: r.person_id.clone(),
        issue,
        civil,
        registry,
        action,
    }
}

/// Build the work lists of a run.
pub fn build(links: &[LinkRec], findings: &[FindingRec], lang: Lang) -> Vec<WorkItem> {
    let mut out = Vec::new();
    let by_source: std::collections::HashMap<String, &LinkRec> = links
        .iter()
        .map(|r| (format!("{}:{}", r.source_file, r.source_row), r))
        .collect();
    for r in links {
        let data_flags: Vec<&str> = r
            .flags
            .iter()
            .map(|f| f.as_str())
            .filter(|f| {
                CLEAN_FLAGS.contains(f)
                    || matches!(
                        *f,
                        "missing_signer" | "missing_book_number" | "missing_mandatory_field"
                    )
            })
            .collect();
        if !data_flags.is_empty() {
            out.push(item(
                r,
                Recipient::Justice,
                data_flags.join(";"),
                String::new(),
                String::new(),
                t(lang, "act_fix_record").to_string(),
            ));
        }
        match r.status.as_str() {
            "review" => out.push(item(
                r,
                Recipient::Justice,
                "review".into(),
                String::new(),
                r.candidates.clone(),
                t(lang, "act_review").to_string(),
            )),
            "missing" => out.push(item(
                r,
                Recipient::Justice,
                "missing".into(),
                String::new(),
                String::new(),
                t(lang, "act_missing").to_string(),
            )),
            "conflict" => {
                for (field, civ, reg) in &r.values {
                    let reissue =
                        r.id_reissue && matches!(field.as_str(), "dob" | "gender" | "birth_place");
                    let (who, act) = if reissue {
                        (Recipient::Citizen, "act_reissue")
                    } else {
                        (Recipient::Police, "act_update_registry")
                    };
                    out.push(item(
                        r,
                        who,
                        format!("conflict:{field}"),
                        civ.clone(),
                        reg.clone(),
                        t(lang, act).to_string(),
                    ));
                }
            }
            _ => {}
        }
    }
    for f in findings {
        let src = by_source.get(&f.evidence).copied();
        let base = src.cloned().unwrap_or_default();
        let (who, act) = match f.finding.as_str() {
            "death_not_recorded" => (Recipient::Police, "act_record_death"),
            "marriage_not_recorded" => (Recipient::Police, "act_record_marriage"),
            _ => (Recipient::Justice, "act_no_birth"),
        };
        let mut it = item(
            &base,
            who,
            f.finding.clone(),
            String::new(),
            String::new(),
            t(lang, act).to_string(),
        );
        it.person_id = f.person_id.clone();
        out.push(it);
    }
    // by recipient; within a list, in the order of links.csv (file, row), then of the findings
    out.sort_by_key(|i| i.recipient);
    out
}

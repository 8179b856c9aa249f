//! The review queue and its cases: every subject of a run that a person should look at (to
//! review, a conflict, a duplicate registration), filtered by commune, record type, status and
//! conflict field; each case with both sides' values, the candidates, and the comparison levels
//! and weights of `explain`, in words.
use crate::compare::{COMPARISONS, NULL};
use crate::explain::{Explainer, LoadedRun, VALUE_NAMES, explain_subject};
use crate::report::figures::LinkRec;
use crate::report::labels;
use crate::score::probability;
use crate::vocab::{Field, Lang, Status};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// A case of the queue: a row of `links.csv` and its subject.
pub struct Case {
    /// the row in `links.csv`
    pub link: usize,
    /// the subject
    pub subject: usize,
}

/// What a case is, for the queue's status filter.
fn kind(r: &LinkRec) -> Option<&'static str> {
    match r.status {
        Some(Status::Review) => Some("review"),
        Some(Status::Conflict) => Some("conflict"),
        _ if !r.duplicate_group.is_empty() && r.in_scope() => Some("duplicate"),
        _ => None,
    }
}

/// The cases of a run, in the order of `links.csv`.
pub fn queue(run: &LoadedRun) -> Vec<Case> {
    let data = &run.prepared.data;
    let by_row: HashMap<(&str, u32, &str), usize> = data
        .subjects
        .iter()
        .enumerate()
        .map(|(i, s)| ((data.source_file(s), s.source_row, s.role.code()), i))
        .collect();
    run.links
        .iter()
        .enumerate()
        .filter(|(_, r)| kind(r).is_some())
        .filter_map(|(i, r)| {
            let row: u32 = r.source_row.parse().ok()?;
            let si = *by_row.get(&(r.source_file.as_str(), row, r.role.as_str()))?;
            Some(Case {
                link: i,
                subject: si,
            })
        })
        .collect()
}

/// The queue's filters, as the page sends them (empty: any).
#[derive(Default)]
pub struct Filter {
    /// legacy commune code
    pub commune: String,
    /// record type code
    pub record_type: String,
    /// `review`, `conflict`, `duplicate`
    pub status: String,
    /// conflict field code
    pub field: String,
}

impl Filter {
    fn keeps(&self, r: &LinkRec) -> bool {
        (self.commune.is_empty() || r.commune == self.commune)
            && (self.record_type.is_empty() || r.type_code() == self.record_type)
            && (self.status.is_empty() || kind(r) == Some(self.status.as_str()))
            && (self.field.is_empty() || r.conflicts.iter().any(|f| f.code() == self.field))
    }
}

/// The cases that pass a filter (their positions in the queue), and what each filter can pick.
pub fn listing(run: &LoadedRun, q: &[Case], f: &Filter, lang: Lang) -> Value {
    let ids: Vec<usize> = q
        .iter()
        .enumerate()
        .filter(|(_, c)| f.keeps(&run.links[c.link]))
        .map(|(i, _)| i)
        .collect();
    let (mut communes, mut types, mut statuses, mut fields) = (
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
    );
    for c in q {
        let r = &run.links[c.link];
        communes
            .entry(r.commune.clone())
            .or_insert_with(|| labels::commune_name(&r.commune));
        types
            .entry(r.type_code().to_string())
            .or_insert_with(|| labels::record_type(r.type_code(), lang));
        if let Some(k) = kind(r) {
            statuses.entry(k.to_string()).or_insert_with(|| match k {
                "review" => Status::Review.label(lang).to_string(),
                "conflict" => Status::Conflict.label(lang).to_string(),
                _ => lang
                    .pick("Đăng ký trùng", "Duplicate registration")
                    .to_string(),
            });
        }
        for fl in &r.conflicts {
            fields
                .entry(fl.code().to_string())
                .or_insert_with(|| fl.label(lang).to_string());
        }
    }
    json!({
        "total": q.len(),
        "ids": ids,
        "facets": {
            "commune": communes,
            "type": types,
            "status": statuses,
            "field": fields,
        }
    })
}

/// The labels of [`VALUE_NAMES`].
fn value_label(name: &str, lang: Lang) -> &'static str {
    let (vi, en) = match name {
        "name" => ("Họ tên", "Name"),
        "dob" => ("Ngày sinh", "Date of birth"),
        "sex" => ("Giới tính", "Sex"),
        "birth_place" => ("Nơi sinh", "Place of birth"),
        "registration_place" => ("Nơi đăng ký khai sinh", "Place of registration"),
        "residence" => ("Nơi thường trú", "Residence"),
        "que_quan" => ("Quê quán", "Home town"),
        "ethnicity" => ("Dân tộc", "Ethnicity"),
        "father" => ("Họ tên cha", "Father"),
        "mother" => ("Họ tên mẹ", "Mother"),
        "spouse" => ("Vợ/chồng", "Spouse"),
        _ => ("Số định danh / CMND", "Personal ID / old ID card"),
    };
    lang.pick(vi, en)
}

/// One case, as the page shows it.
pub fn case(run: &LoadedRun, x: &Explainer, q: &[Case], id: usize, lang: Lang) -> Option<Value> {
    let c = q.get(id)?;
    let r = &run.links[c.link];
    let e = explain_subject(x, Some(r), c.subject, lang);
    let candidates: Vec<Value> = e
        .candidates
        .iter()
        .take(9)
        .map(|cv| {
            let b = &cv.breakdown;
            let parts: Vec<Value> = b
                .parts
                .iter()
                .map(|p| {
                    let cmp = &COMPARISONS[p.comparison];
                    let level = if p.level == NULL {
                        lang.pick("không có giá trị", "no value").to_string()
                    } else {
                        let l = &cmp.levels[p.level as usize];
                        lang.pick(l.vi, l.en).to_string()
                    };
                    json!({
                        "comparison": lang.pick(cmp.vi, cmp.en),
                        "level": level,
                        "weight": round(if p.level == NULL { 0.0 } else { p.weight }),
                    })
                })
                .collect();
            json!({
                "person_id": cv.person_id,
                "linked": cv.person_id == r.person_id,
                "probability": round4(probability(cv.scored.weight)),
                "weight": round(cv.scored.weight),
                "values": cv.values,
                "prior": round(b.prior),
                "tf": round(b.tf_family + b.tf_given),
                "subject_bits": round(b.subject_bits),
                "total": round(b.total),
                "parts": parts,
            })
        })
        .collect();
    let conflicts: Vec<String> = r
        .conflicts
        .iter()
        .map(|f: &Field| f.label(lang).to_string())
        .collect();
    Some(json!({
        "id": id,
        "total": q.len(),
        "title": e.title,
        "record_key": r.record_key,
        "status": r.status.map(|s| s.label(lang).to_string()).unwrap_or_default(),
        "kind": kind(r),
        "commune": labels::commune_name(&r.commune),
        "type": labels::record_type(r.type_code(), lang),
        "role": labels::role(&r.role, lang),
        "book": r.book,
        "number": r.number,
        "reg_date": r.reg_date,
        "person_id": r.person_id,
        "conflicts": conflicts,
        "duplicate_group": r.duplicate_group,
        "fields": VALUE_NAMES.iter().map(|n| value_label(n, lang)).collect::<Vec<_>>(),
        "values": e.values,
        "candidates": candidates,
        "explanation": e.decision,
    }))
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

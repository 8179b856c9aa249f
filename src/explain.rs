//! Explaining a run's decision for one civil subject: both sides' values, each candidate's
//! comparison levels and weights adding up to the weight the run used (Splink's waterfall), and
//! why the run linked the chosen person, or why the runner-up lost, or why it went to review.
//! It calls the functions the run called ([`Blocker::candidates`], [`Comparer::gamma`],
//! [`Scorer::rank`], [`link::decide`]) with the run's model and effective rules.
use crate::block::Blocker;
use crate::compare::{COMPARISONS, Comparer, NULL};
use crate::error::{Error, Result};
use crate::link::{self, Decision};
use crate::normalize::catalog::CATALOG;
use crate::pipeline::{Options, Prepared};
use crate::report::figures::LinkRec;
use crate::rules::Rules;
use crate::score::{Breakdown, Model, Scored, Scorer, probability};
use crate::settings::Settings;
use crate::subjects::{Dataset, Facts, PlaceId};
use crate::summary::Summary;
use crate::vocab::{Lang, Status};
use std::path::Path;

/// A finished run loaded for explaining: its inputs read and normalized again, its model, its
/// effective rules, and its rows.
pub struct LoadedRun {
    /// the run's summary
    pub summary: Summary,
    /// the run's model
    pub model: Model,
    /// the run's options (effective rules included)
    pub opts: Options,
    /// the inputs, prepared as the run prepared them
    pub prepared: Prepared,
    /// `links.csv`
    pub links: Vec<LinkRec>,
}

impl LoadedRun {
    /// Load a run folder: its summary, model and `rules.toml`, and its inputs again.
    pub fn load(dir: &Path) -> Result<LoadedRun> {
        let (summary, warnings) = Summary::read_checked(dir)?;
        for w in warnings {
            eprintln!("[doisoat] warning: {w}");
        }
        let model = Model::load(&dir.join("model.json"))?;
        let rules_path = dir.join("rules.toml");
        if !rules_path.exists() {
            return Err(Error::Invalid(format!(
                "{} has no rules.toml (the rules the run used): it was made by an older doisoat; run reconcile again",
                dir.display()
            )));
        }
        let (rules, settings): (Rules, Settings) = Settings::load(Some(&rules_path))?;
        let mut opts = Options::new(
            summary.inputs.civil.iter().map(Into::into).collect(),
            summary.inputs.population.clone().into(),
            dir.to_path_buf(),
        );
        opts.rules = rules;
        opts.settings = settings;
        let prepared = crate::pipeline::prepare(&opts)?;
        let links = crate::report::figures::read_links(&dir.join("links.csv"))?;
        Ok(LoadedRun {
            summary,
            model,
            opts,
            prepared,
            links,
        })
    }

    /// The subjects of a record given as `FILE:ROW`, or the subject of a `record_key`.
    pub fn find(&self, record: &str) -> Result<Vec<usize>> {
        if record.contains('|') {
            let (civil, population) = (
                self.prepared.civil_tables(),
                self.prepared.population_tables(),
            );
            let x = crate::compare::Sources {
                data: &self.prepared.data,
                civil: &civil,
                population: &population,
            };
            return crate::report::record_key::keys(&x)
                .iter()
                .position(|k| k == record)
                .map(|i| vec![i])
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "no civil record with record_key {record:?} in this run's inputs (links.csv lists every key)"
                    ))
                });
        }
        let (file, row) = record.rsplit_once(':').ok_or_else(|| {
            Error::Invalid(format!(
                "give the record as FILE:ROW, e.g. thach_ha/KS_2001.csv:12, or as its record_key from links.csv (got {record:?})"
            ))
        })?;
        let row: u32 = row.parse().map_err(|_| {
            Error::Invalid(format!("the row after ':' must be a number: {record:?}"))
        })?;
        let data = &self.prepared.data;
        let idx: Vec<usize> = (0..data.subjects.len())
            .filter(|&i| {
                let s = &data.subjects[i];
                data.source_file(s) == file && s.source_row == row
            })
            .collect();
        if idx.is_empty() {
            return Err(Error::Invalid(format!(
                "no civil record {file}:{row} in this run's inputs"
            )));
        }
        Ok(idx)
    }

    /// The stages explaining calls, built once for as many subjects as needed.
    pub fn stages(&self) -> Stages<'_> {
        let (data, places) = (&self.prepared.data, &self.prepared.places);
        let settings = &self.opts.settings;
        Stages {
            data,
            settings,
            blocker: Blocker::new(data, &settings.blocking),
            cmp: Comparer::new(data, places, &settings.costs),
            scorer: Scorer::new(&self.model, data, settings),
        }
    }

    /// Explain one subject.
    pub fn explain(&self, si: usize, lang: Lang) -> Explanation {
        explain_subject(&self.stages().explainer(), self.row_of(si), si, lang)
    }

    /// The run's row of a subject in `links.csv`.
    fn row_of(&self, si: usize) -> Option<&LinkRec> {
        let data = &self.prepared.data;
        let s = &data.subjects[si];
        let (file, row) = (data.source_file(s), s.source_row.to_string());
        self.links
            .iter()
            .find(|r| r.source_file == file && r.source_row == row && r.role == s.role.code())
    }
}

/// The stages of a loaded run that explaining calls (blocking, comparison, scoring).
pub struct Stages<'a> {
    data: &'a Dataset,
    settings: &'a Settings,
    blocker: Blocker,
    cmp: Comparer<'a>,
    scorer: Scorer<'a>,
}

impl Stages<'_> {
    /// What [`explain_subject`] takes.
    pub fn explainer(&self) -> Explainer<'_> {
        Explainer {
            data: self.data,
            blocker: &self.blocker,
            cmp: &self.cmp,
            scorer: &self.scorer,
            settings: self.settings,
        }
    }
}

/// What explaining needs: the run's stages, built once.
pub struct Explainer<'a> {
    /// the data
    pub data: &'a Dataset,
    /// blocking
    pub blocker: &'a Blocker,
    /// comparison
    pub cmp: &'a Comparer<'a>,
    /// scoring
    pub scorer: &'a Scorer<'a>,
    /// settings
    pub settings: &'a Settings,
}

/// One candidate explained.
pub struct CandidateView {
    /// the person's ID as in the outputs
    pub person_id: String,
    /// the scored candidate
    pub scored: Scored,
    /// how its weight adds up
    pub breakdown: Breakdown,
    /// the person's values, in [`VALUE_NAMES`] order
    pub values: Vec<String>,
}

/// A subject explained.
pub struct Explanation {
    /// `file:row (type, role)`
    pub title: String,
    /// the subject's values, in [`VALUE_NAMES`] order
    pub values: Vec<String>,
    /// the candidates, best first
    pub candidates: Vec<CandidateView>,
    /// the decision of the run, in words
    pub decision: Vec<String>,
}

/// The values shown for both sides.
pub const VALUE_NAMES: [&str; 12] = [
    "name",
    "dob",
    "sex",
    "birth_place",
    "registration_place",
    "residence",
    "que_quan",
    "ethnicity",
    "father",
    "mother",
    "spouse",
    "id",
];

fn place(data: &Dataset, places: &crate::places::Places, id: Option<PlaceId>) -> String {
    let Some(id) = id else { return String::new() };
    let p = data.place(id);
    let g = places.gazetteer();
    match (p.commune, p.district, p.province) {
        (Some(c), ..) => g.commune_label(c),
        (None, Some(d), _) => format!("{} {}", g.districts[&d].kind, g.districts[&d].name),
        (None, None, Some(pr)) => format!("{} {}", g.provinces[&pr].kind, g.provinces[&pr].name),
        _ => "(unresolved)".to_string(),
    }
}

/// A record's values in [`VALUE_NAMES`] order.
pub fn values(cmp: &Comparer, f: &Facts) -> Vec<String> {
    let (data, places) = (cmp.data, cmp.places);
    let n = &data.names;
    vec![
        n.display(f.name),
        f.dob.map(|d| d.to_string()).unwrap_or_default(),
        f.sex.map(|x| x.label().to_string()).unwrap_or_default(),
        place(data, places, f.birth_place),
        place(data, places, f.reg_place),
        place(data, places, f.residence),
        place(data, places, f.home),
        f.ethnicity
            .map(|e| CATALOG.ethnic_groups[e as usize].name.clone())
            .unwrap_or_default(),
        n.display(f.father),
        n.display(f.mother),
        n.display(f.spouse),
        f.id.map(|i| i.digits())
            .or(f.cmnd.map(|c| format!("{c:09}")))
            .unwrap_or_default(),
    ]
}

/// Explain subject `si`; `row` is the run's row of it, when found.
pub fn explain_subject(x: &Explainer, row: Option<&LinkRec>, si: usize, lang: Lang) -> Explanation {
    let data = x.data;
    let s = &data.subjects[si];
    let mut stats = x.blocker.new_stats();
    let persons: Vec<_> = x
        .blocker
        .candidates(s, data, &mut stats)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let gammas: Vec<u64> = persons
        .iter()
        .map(|&p| crate::compare::pack(&x.cmp.gamma(s, data.person(p))))
        .collect();
    let ranked = x.scorer.rank(s, &persons, &gammas);
    let candidates: Vec<CandidateView> = ranked
        .iter()
        .map(|c| CandidateView {
            person_id: data.person(c.person).person_id.clone(),
            breakdown: x.scorer.breakdown(s, c.person, &c.gamma),
            values: values(x.cmp, &data.person(c.person).facts),
            scored: c.clone(),
        })
        .collect();
    let decision = decision_text(x, &candidates, row, lang);
    Explanation {
        title: format!(
            "{}:{} {} ({})",
            data.source_file(s),
            s.source_row,
            s.record_type.code(),
            s.role.code()
        ),
        values: values(x.cmp, &s.facts),
        candidates,
        decision,
    }
}

/// The comparisons on which the runner-up scored clearly less than the best.
fn where_it_lost(best: &Breakdown, other: &Breakdown, lang: Lang) -> Vec<String> {
    let mut v: Vec<(f64, String)> = best
        .parts
        .iter()
        .zip(&other.parts)
        .filter(|(a, b)| a.weight - b.weight >= 1.0)
        .map(|(a, b)| {
            let c = &COMPARISONS[a.comparison];
            let lvl = |l: u8| {
                if l == NULL {
                    lang.pick("không có", "no value").to_string()
                } else {
                    let x = &c.levels[l as usize];
                    lang.pick(x.vi, x.en).to_string()
                }
            };
            (
                a.weight - b.weight,
                format!(
                    "{}: {} / {} ({:+.1})",
                    lang.pick(c.vi, c.en),
                    lvl(a.level),
                    lvl(b.level),
                    b.weight - a.weight
                ),
            )
        })
        .collect();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    v.into_iter().map(|(_, s)| s).collect()
}

fn decision_text(
    x: &Explainer,
    cands: &[CandidateView],
    row: Option<&LinkRec>,
    lang: Lang,
) -> Vec<String> {
    let t = &x.settings.thresholds;
    let mut out = Vec::new();
    let Some(row) = row else {
        out.push(
            lang.pick(
                "(dòng này không có trong links.csv của lần chạy)",
                "(this row is not in the run's links.csv)",
            )
            .to_string(),
        );
        return out;
    };
    let status = row.status.unwrap_or(Status::Missing);
    out.push(format!(
        "{}: {}{}",
        lang.pick("Kết quả của lần chạy", "The run decided"),
        status.label(lang),
        if row.person_id.is_empty() {
            String::new()
        } else {
            format!(" — {}", row.person_id)
        }
    ));
    let scored: Vec<Scored> = cands.iter().map(|c| c.scored.clone()).collect();
    let alone = link::decide(std::slice::from_ref(&scored), t).remove(0);
    let (best, runner) = (cands.first(), cands.get(1));
    match (&alone, best) {
        (_, None) => out.push(
            lang.pick(
                "Không có ứng viên nào chung khóa ghép cặp.",
                "No candidate shares a blocking key.",
            )
            .to_string(),
        ),
        (Decision::Linked(b), Some(bv)) => {
            out.push(format!(
                "{} {} ({:.4} ≥ {}).",
                lang.pick(
                    "Ứng viên tốt nhất đạt ngưỡng khớp:",
                    "The best candidate reaches the match threshold:"
                ),
                bv.person_id,
                probability(b.weight),
                t.match_probability
            ));
            if row.person_id != bv.person_id {
                out.push(lang.pick("Nhưng công dân này đã được ghép với một bản ghi khác mạnh hơn (mỗi người một bản ghi khai sinh/khai tử): bản ghi này lấy ứng viên kế tiếp hoặc chuyển sang xem xét.", "But that person is taken by a stronger record (one birth and one death record per person): this one took its next candidate or went to review.").to_string());
            }
        }
        (Decision::Review(_), Some(bv)) => {
            let p = probability(bv.scored.weight);
            if p < t.match_probability {
                out.push(format!(
                    "{} ({p:.4} < {}).",
                    lang.pick(
                        "Xác suất của ứng viên tốt nhất dưới ngưỡng khớp",
                        "The best candidate's probability is below the match threshold"
                    ),
                    t.match_probability
                ));
            }
            if let Some(r) = runner {
                let gap = bv.scored.weight - r.scored.weight;
                if gap < t.tie_margin && probability(r.scored.weight) >= t.review_probability {
                    out.push(format!(
                        "{} {} ({gap:.1} < {} bit).",
                        lang.pick("Ứng viên thứ hai quá gần:", "The runner-up is too close:"),
                        r.person_id,
                        t.tie_margin
                    ));
                }
            }
        }
        (Decision::Unlinked, Some(bv)) => out.push(format!(
            "{} ({:.4} < {}).",
            lang.pick(
                "Không ứng viên nào đạt ngưỡng xem xét",
                "No candidate reaches the review threshold"
            ),
            probability(bv.scored.weight),
            t.review_probability
        )),
    }
    if let (Some(b), Some(r)) = (best, runner) {
        let lost = where_it_lost(&b.breakdown, &r.breakdown, lang);
        if !lost.is_empty() {
            out.push(format!(
                "{} {}: {}",
                lang.pick("Ứng viên thứ hai thua ở", "The runner-up lost on"),
                r.person_id,
                lost.join("; ")
            ));
        }
    }
    out
}

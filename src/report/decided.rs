//! What the reports say about the decisions people made: how many the store held, how many this
//! run applied, those it could not (the record or the person is gone), and the subjects under each
//! decision (accepted conflicts stay in the figures, counted as accepted).
use super::figures::Figures;
use super::i18n::{Lang, t};
use crate::decisions::Kind;
use crate::summary::Summary;

/// The lines of the decisions section, `(label, value)`; none when the run had no store.
pub fn lines(f: &Figures, s: &Summary, lang: Lang) -> Vec<(String, String)> {
    let Some(d) = &s.decisions else {
        return Vec::new();
    };
    let mut out = vec![
        (
            t(lang, "decisions_in_store").to_string(),
            d.in_store.to_string(),
        ),
        (
            t(lang, "decisions_applied").to_string(),
            d.applied.to_string(),
        ),
        (
            t(lang, "decisions_not_applied").to_string(),
            d.not_applied.len().to_string(),
        ),
    ];
    for k in Kind::ALL {
        let n = f.decided.get(k.code()).copied().unwrap_or(0);
        out.push((
            format!("{}: {}", t(lang, "subjects_decided"), k.label(lang)),
            n.to_string(),
        ));
    }
    for why in &d.not_applied {
        out.push((t(lang, "decision_not_applied").to_string(), why.clone()));
    }
    out
}

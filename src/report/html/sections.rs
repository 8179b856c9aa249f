//! The sections of the page, each from the figures, the work lists or the summary.
use super::charts::{self, HistogramText};
use super::{Page, esc};
use crate::compare::COMPARISONS;
use crate::report::figures::{GroupRates, Rate};
use crate::report::i18n::{Lang, t};
use crate::report::labels;
use crate::report::worklists::{Recipient, WorkItem};
use crate::vocab::{Field, FindingKind, Flag, Status, Term};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn card(out: &mut String, title: &str, question: &str, r: &Rate) {
    let _ = write!(
        out,
        "<div class=\"card\"><div>{}</div><div class=\"big\">{}</div><div class=\"n\">{} / {}</div><div class=\"q\">{}</div></div>",
        esc(title),
        esc(&r.pct()),
        r.num,
        r.den,
        esc(question)
    );
}

/// The four criteria, then the rates behind them.
pub fn cards(o: &mut String, p: &Page) {
    let (f, lang) = (p.f, p.lang);
    let live = Rate {
        num: f.deaths_propagated.num + f.marriages_propagated.num,
        den: f.deaths_propagated.den + f.marriages_propagated.den,
    };
    o.push_str("<div class=\"cards\">");
    for (k, q, r) in [
        ("correct", "correct_q", &f.overall.correct),
        ("complete", "complete_q", &f.overall.found),
        ("clean", "clean_q", &f.overall.clean),
        ("live", "live_q", &live),
    ] {
        card(o, t(lang, k), t(lang, q), r);
    }
    o.push_str("</div><div class=\"cards\" style=\"margin-top:12px\">");
    for (k, q, r) in [
        ("mandatory", "complete", &f.overall.complete),
        ("persons_birth", "complete", &f.persons_with_birth),
        ("deaths", "live", &f.deaths_propagated),
        ("marriages", "live", &f.marriages_propagated),
    ] {
        card(o, t(lang, k), t(lang, q), r);
    }
    o.push_str("</div>");
}

/// A rate cell: "97.1 % (120/130)", sorting by its value.
fn rate_cell(o: &mut String, r: &Rate) {
    let _ = write!(
        o,
        "<td class=\"num\" data-v=\"{}\">{} <span class=\"muted\">({}/{})</span></td>",
        r.value().map_or(-1.0, |v| v),
        esc(&r.pct()),
        r.num,
        r.den
    );
}

/// The communes worst first: a chart of those that most need help, then every commune in a
/// sortable table with its district, its 2025 commune, its rates with counts and its work lists.
pub fn communes(o: &mut String, p: &Page) {
    let lang = p.lang;
    let mut communes: Vec<(&String, &GroupRates)> =
        p.f.by_commune
            .iter()
            .filter(|(_, g)| g.subjects > 0)
            .collect();
    communes.sort_by(|a, b| {
        let v = |g: &GroupRates| g.found.value().unwrap_or(1.0);
        v(a.1).total_cmp(&v(b.1)).then(a.0.cmp(b.0))
    });
    let _ = write!(
        o,
        "<h2 id=\"communes\">{}</h2><h3>{}</h3>",
        esc(t(lang, "rates_by_commune")),
        esc(t(lang, "worst_first"))
    );
    let bars: Vec<(String, f64, String)> = communes
        .iter()
        .take(25)
        .map(|(k, g)| {
            (
                format!("{}, {}", labels::commune_name(k), labels::district(k).1),
                g.found.value().unwrap_or(0.0),
                format!("{} ({}/{})", g.found.pct(), g.found.num, g.found.den),
            )
        })
        .collect();
    o.push_str(&charts::hbars(
        &bars,
        1.0,
        "#2f8f5b",
        t(lang, "worst_first"),
    ));
    let mut per: BTreeMap<(&str, Recipient), usize> = BTreeMap::new();
    for it in p.items {
        *per.entry((it.commune.as_str(), it.recipient)).or_default() += 1;
    }
    let _ = write!(
        o,
        "<p class=\"muted\">{}</p><table class=\"sortable wide\"><thead><tr>",
        esc(t(lang, "sort_hint"))
    );
    for k in [
        "commune_name",
        "district",
        "commune_2025",
        "subjects",
        "complete",
        "correct",
        "clean",
        "mandatory",
    ] {
        let _ = write!(o, "<th>{}</th>", esc(t(lang, k)));
    }
    for &r in Recipient::ALL {
        let _ = write!(o, "<th>{}</th>", esc(r.label(lang)));
    }
    o.push_str("</tr></thead><tbody>");
    for (k, g) in &communes {
        let _ = write!(
            o,
            "<tr><td title=\"{k}\">{}</td><td>{}</td><td>{}</td><td class=\"num\" data-v=\"{}\">{}</td>",
            esc(&labels::commune_name(k)),
            esc(&labels::district(k).1),
            esc(&labels::successor_name(k)),
            g.subjects,
            g.subjects
        );
        for r in [&g.found, &g.correct, &g.clean, &g.complete] {
            rate_cell(o, r);
        }
        for &r in Recipient::ALL {
            let n = per.get(&(k.as_str(), r)).copied().unwrap_or(0);
            let _ = write!(
                o,
                "<td class=\"num\" data-v=\"{n}\"><a href=\"#wl-{}\">{n}</a></td>",
                r.code()
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
    let empty: Vec<String> =
        p.f.by_commune
            .iter()
            .filter(|(_, g)| g.subjects == 0)
            .map(|(k, _)| labels::commune_name(k))
            .collect();
    if !empty.is_empty() {
        // a commune with no records is shown as such, not as 0 %
        let _ = write!(
            o,
            "<p class=\"none\">{} ({}): {}</p>",
            esc(t(lang, "no_records")),
            empty.len(),
            esc(&empty.join(", "))
        );
    }
}

/// The books in the drop per commune and year (births), communes with a missing year first.
pub fn coverage(o: &mut String, p: &Page) {
    let lang = p.lang;
    let births: Vec<_> = p
        .coverage
        .iter()
        .filter(|r| r.record_type == "KS")
        .collect();
    if births.is_empty() {
        return;
    }
    let mut by: BTreeMap<&str, Vec<(u16, u64, bool)>> = BTreeMap::new();
    for r in &births {
        by.entry(r.commune.as_str())
            .or_default()
            .push((r.year, r.records, r.in_drop));
    }
    let lo = births.iter().map(|r| r.year).min().unwrap_or(0);
    let hi = births.iter().map(|r| r.year).max().unwrap_or(0);
    let mut rows: Vec<(usize, charts::CoverageRow)> = by
        .into_iter()
        .map(|(c, cells)| {
            let gaps = cells.iter().filter(|x| !x.2 && x.0 >= lo).count();
            (gaps, (labels::commune_name(c), cells))
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.0.cmp(&b.1.0)));
    let shown: Vec<charts::CoverageRow> = rows.into_iter().take(60).map(|(_, r)| r).collect();
    let _ = write!(
        o,
        "<h2 id=\"coverage\">{}</h2><p class=\"muted\">{}</p>",
        esc(t(lang, "coverage")),
        esc(t(lang, "coverage_note"))
    );
    o.push_str(&charts::coverage_grid(
        &shown,
        (lo, hi),
        t(lang, "coverage"),
    ));
}

/// Statuses by record type.
pub fn statuses(o: &mut String, p: &Page) {
    let lang = p.lang;
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "statuses_by_type")));
    let colors = [
        (Status::Matched, "#2f8f5b"),
        (Status::Conflict, "#e0a030"),
        (Status::Review, "#7a6bd1"),
        (Status::Missing, "#c8413b"),
        (Status::OutOfScope, "#9aa"),
    ];
    let rows: Vec<(String, Vec<(u64, &str)>)> =
        p.f.by_type
            .iter()
            .map(|(k, g)| {
                let parts = colors
                    .iter()
                    .map(|(s, c)| (g.by_status.get(s.code()).copied().unwrap_or(0), *c))
                    .collect();
                (labels::record_type(k, lang), parts)
            })
            .collect();
    let legend: Vec<(&str, &str)> = colors.iter().map(|(s, c)| (s.label(lang), *c)).collect();
    o.push_str(&charts::stacked(
        &rows,
        &legend,
        t(lang, "statuses_by_type"),
    ));
}

/// Conflicts by field, and the IDs to re-issue.
pub fn conflicts(o: &mut String, p: &Page) {
    let lang = p.lang;
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "conflicts")));
    let max = p.f.conflicts_by_field.values().copied().max().unwrap_or(0) as f64;
    let bars: Vec<(String, f64, String)> =
        p.f.conflicts_by_field
            .iter()
            .map(|(k, v)| {
                let name = Field::from_code(k).map_or(k.as_str(), |f| f.label(lang));
                (name.to_string(), *v as f64, v.to_string())
            })
            .collect();
    o.push_str(&charts::hbars(&bars, max, "#e0a030", t(lang, "conflicts")));
    let _ = write!(
        o,
        "<p>{}: {}</p>",
        esc(t(lang, "id_reissue")),
        p.f.id_reissue
    );
}

/// The probability histogram with its axes and thresholds.
pub fn histogram(o: &mut String, p: &Page) {
    let lang = p.lang;
    let th = &p.summary.thresholds;
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "histogram")));
    o.push_str(&charts::histogram(
        &p.f.probability_histogram,
        &HistogramText {
            x: t(lang, "probability"),
            y: t(lang, "subjects_log"),
            thresholds: [
                (th.review_probability, t(lang, "review_threshold")),
                (th.match_probability, t(lang, "match_threshold")),
            ],
        },
    ));
}

/// The "đủ" rate by registration year.
pub fn trend(o: &mut String, p: &Page) {
    let lang = p.lang;
    let _ = write!(
        o,
        "<h2>{}</h2><p class=\"muted\">{} — {}</p>",
        esc(t(lang, "trend")),
        esc(t(lang, "complete")),
        esc(t(lang, "complete_q"))
    );
    let pts: Vec<(String, Option<f64>)> =
        p.f.by_year
            .iter()
            .map(|(y, g)| (y.to_string(), g.found.value()))
            .collect();
    o.push_str(&charts::line(&pts, "#2f8f5b", t(lang, "trend")));
}

/// A table of counts by label, the code in a tooltip.
fn counts<T: Term>(
    o: &mut String,
    title: &str,
    head: &str,
    data: &BTreeMap<String, u64>,
    lang: Lang,
) {
    let _ = write!(
        o,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(title),
        esc(head),
        esc(t(lang, "count"))
    );
    for (k, v) in data {
        let name = T::from_code(k).map_or(k.as_str(), |x| x.label(lang));
        let _ = write!(
            o,
            "<tr><td title=\"{}\">{}</td><td class=\"num\">{v}</td></tr>",
            esc(k),
            esc(name)
        );
    }
    o.push_str("</tbody></table>");
}

/// The flags and the population findings.
pub fn flags_and_findings(o: &mut String, p: &Page) {
    let lang = p.lang;
    counts::<Flag>(o, t(lang, "flags"), t(lang, "flag"), &p.f.flags, lang);
    counts::<FindingKind>(
        o,
        t(lang, "findings"),
        t(lang, "finding"),
        &p.f.findings,
        lang,
    );
}

/// The decisions applied to the run, and those that could not be (only with `--decisions`).
pub fn decisions(o: &mut String, p: &Page) {
    let lang = p.lang;
    let lines = crate::report::decided::lines(p.f, p.summary, lang);
    if lines.is_empty() {
        return;
    }
    let _ = write!(o, "<h2>{}</h2><table>", esc(t(lang, "decisions")));
    for (k, v) in lines {
        let _ = write!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(&k), esc(&v));
    }
    o.push_str("</table>");
}

/// Blocking rules and the model's levels, by their labels.
pub fn model(o: &mut String, p: &Page) {
    let (lang, s) = (p.lang, p.summary);
    let _ = write!(
        o,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(t(lang, "model")),
        esc(t(lang, "rule")),
        esc(t(lang, "pairs")),
        esc(t(lang, "split"))
    );
    for r in &s.blocking.rules {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.name),
            r.new_pairs,
            r.split_blocks
        );
    }
    let _ = write!(
        o,
        "<tr><th>{}</th><td class=\"num\">{}</td><td></td></tr></tbody></table>",
        esc(t(lang, "total")),
        s.blocking.candidate_pairs
    );
    let _ = write!(
        o,
        "<p>{}: {}</p><table><thead><tr><th>{}</th><th>{}</th><th>m</th><th>u</th></tr></thead><tbody>",
        esc(t(lang, "lambda")),
        serde_json::to_string(&s.model.lambda).unwrap_or_default(),
        esc(t(lang, "comparison")),
        esc(t(lang, "level"))
    );
    for c in &s.model.comparisons {
        let decl = COMPARISONS.iter().find(|d| d.name == c.name);
        for (i, l) in c.levels.iter().enumerate() {
            let level = decl
                .and_then(|d| d.levels.iter().find(|x| x.code == l))
                .map_or(l.as_str(), |x| lang.pick(x.vi, x.en));
            let _ = write!(
                o,
                "<tr><td title=\"{}\">{}</td><td title=\"{}\">{}</td><td class=\"num\">{:.4}</td><td class=\"num\">{:.4}</td></tr>",
                esc(&c.name),
                esc(decl.map_or(c.name.as_str(), |d| lang.pick(d.vi, d.en))),
                esc(l),
                esc(level),
                c.m.get(i).copied().unwrap_or(0.0),
                c.u.get(i).copied().unwrap_or(0.0)
            );
        }
    }
    o.push_str("</tbody></table>");
}

/// What every status, flag, finding and field means.
pub fn glossary(o: &mut String, lang: Lang) {
    let _ = write!(
        o,
        "<h2 id=\"glossary\">{}</h2><table class=\"wide\"><colgroup><col style=\"width:16%\"><col style=\"width:24%\"><col></colgroup><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(t(lang, "glossary")),
        esc(t(lang, "kind_term")),
        esc(t(lang, "label")),
        esc(t(lang, "meaning"))
    );
    for (kind, code, label, about) in crate::report::glossary::entries(lang) {
        let _ = write!(
            o,
            "<tr><td>{}</td><td title=\"{}\">{}</td><td>{}</td></tr>",
            esc(kind),
            esc(code),
            esc(label),
            esc(about)
        );
    }
    o.push_str("</tbody></table>");
}

/// The first rows of each work list (all of them are in the work book).
pub fn worklists(o: &mut String, p: &Page) {
    let lang = p.lang;
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "worklists")));
    let cols = [
        "commune_name",
        "name",
        "dob",
        "book",
        "number",
        "date",
        "person",
        "issue",
        "civil_value",
        "registry_value",
        "action",
    ];
    for &r in Recipient::ALL {
        let list: Vec<&WorkItem> = p.items.iter().filter(|i| i.recipient == r).collect();
        let _ = write!(
            o,
            "<h3 id=\"wl-{}\">{} ({}; {} {})</h3><table class=\"wide\"><thead><tr>",
            r.code(),
            esc(r.label(lang)),
            list.len(),
            list.len().min(200),
            esc(t(lang, "first_rows"))
        );
        for c in cols {
            let _ = write!(o, "<th>{}</th>", esc(t(lang, c)));
        }
        o.push_str("</tr></thead><tbody>");
        for it in list.iter().take(200) {
            let vals = [
                labels::commune_name(&it.commune),
                it.name.clone(),
                it.dob.clone(),
                it.book.clone(),
                it.number.clone(),
                it.reg_date.clone(),
                it.person_id.clone(),
                it.issue_label(lang),
                it.civil.clone(),
                it.registry.clone(),
                it.action.clone(),
            ];
            let _ = write!(
                o,
                "<tr title=\"{}:{} {}\">",
                esc(&it.source_file),
                esc(&it.source_row),
                esc(&it.issue_code())
            );
            for v in vals {
                let _ = write!(o, "<td>{}</td>", esc(&v));
            }
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table>");
    }
}

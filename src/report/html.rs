//! `report.html`: one self-contained page (inline SVG and CSS, no script, no outside font) that opens
//! offline: the four criteria, rates per commune, statuses by type, conflicts, the probability
//! histogram, the trend by year, the blocking and model summary, and the work lists.
use super::figures::{Figures, Rate};
use super::i18n::{Lang, t};
use super::worklists::{Recipient, WorkItem};
use crate::places::GAZETTEER;
use crate::summary::Summary;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:24px;color:#1d2733;background:#fff}\
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccd;padding-bottom:4px}\
.cards{display:flex;gap:16px;flex-wrap:wrap}.card{border:1px solid #ccd;border-radius:8px;padding:12px 16px;min-width:200px;flex:1}\
.card .big{font-size:30px;font-weight:700;color:#1f5fa8}.card .q{font-size:12px;color:#556}.card .n{font-size:12px;color:#333}\
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #dde;padding:3px 6px;text-align:left}th{background:#eef2f8;position:sticky;top:0}\
td.num{text-align:right}.none{color:#999;font-style:italic}svg text{font-size:11px;fill:#333}.muted{color:#667;font-size:12px}";

fn card(out: &mut String, title: &str, question: &str, r: &Rate, lang: Lang) {
    let _ = write!(
        out,
        "<div class=\"card\"><div>{}</div><div class=\"big\">{}</div><div class=\"n\">{} / {}</div><div class=\"q\">{}</div></div>",
        esc(title),
        esc(&r.pct()),
        r.num,
        r.den,
        esc(question)
    );
    let _ = lang;
}

/// A horizontal bar chart: (label, value, text shown at the end of the bar).
pub fn hbars(rows: &[(String, f64, String)], max: f64, color: &str) -> String {
    let h = 18.0;
    let width = 720.0;
    let label_w = 260.0;
    let mut s = format!(
        "<svg width=\"{width}\" height=\"{}\" role=\"img\">",
        rows.len() as f64 * h + 8.0
    );
    for (i, (label, v, txt)) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * h;
        let w = if max > 0.0 {
            // room after the bar for "99.7 % (120 345/130 394)"
            (v / max).clamp(0.0, 1.0) * (width - label_w - 170.0)
        } else {
            0.0
        };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            esc(label),
            h - 4.0,
            label_w + w + 4.0,
            y + 13.0,
            esc(txt)
        );
    }
    s.push_str("</svg>");
    s
}

fn stacked(rows: &[(String, Vec<(u64, &str)>)], legend: &[(&str, &str)]) -> String {
    let h = 22.0;
    let width = 720.0;
    let label_w = 120.0;
    let mut s = format!(
        "<svg width=\"{width}\" height=\"{}\" role=\"img\">",
        rows.len() as f64 * h + 30.0
    );
    for (i, (label, parts)) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * h;
        let total: u64 = parts.iter().map(|p| p.0).sum();
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            y + 14.0,
            esc(label)
        );
        let mut x = label_w;
        for (n, color) in parts {
            let w = if total > 0 {
                *n as f64 / total as f64 * (width - label_w - 10.0)
            } else {
                0.0
            };
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\"><title>{n}</title></rect>",
                h - 6.0
            );
            x += w;
        }
    }
    let y = rows.len() as f64 * h + 12.0;
    let mut x = label_w;
    for (name, color) in legend {
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x + 14.0,
            y + 9.0,
            esc(name)
        );
        x += 120.0;
    }
    s.push_str("</svg>");
    s
}

fn columns(values: &[u64], labels: &[String]) -> String {
    let (width, height) = (720.0, 180.0);
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bw = (width - 40.0) / values.len().max(1) as f64;
    let mut s = format!(
        "<svg width=\"{width}\" height=\"{}\" role=\"img\">",
        height + 30.0
    );
    for (i, v) in values.iter().enumerate() {
        let h = *v as f64 / max * height;
        let x = 30.0 + i as f64 * bw;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#1f5fa8\"><title>{v}</title></rect>",
            height - h,
            bw - 2.0
        );
        if i % 4 == 0 {
            let _ = write!(
                s,
                "<text x=\"{x:.1}\" y=\"{}\">{}</text>",
                height + 14.0,
                esc(&labels[i])
            );
        }
    }
    s.push_str("</svg>");
    s
}

fn line(points: &[(String, Option<f64>)], color: &str) -> String {
    let (width, height) = (720.0, 160.0);
    let n = points.len().max(2) as f64;
    let mut s = format!(
        "<svg width=\"{width}\" height=\"{}\" role=\"img\"><line x1=\"30\" y1=\"{height}\" x2=\"{width}\" y2=\"{height}\" stroke=\"#99a\"/>",
        height + 30.0
    );
    let mut path = String::new();
    for (i, (label, v)) in points.iter().enumerate() {
        let x = 30.0 + i as f64 / (n - 1.0) * (width - 40.0);
        if let Some(v) = v {
            let y = height - v * height;
            let _ = write!(
                path,
                "{}{x:.1},{y:.1} ",
                if path.is_empty() { "M" } else { "L" }
            );
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2\" fill=\"{color}\"><title>{}: {:.1} %</title></circle>",
                esc(label),
                v * 100.0
            );
        }
        if i % 5 == 0 {
            let _ = write!(
                s,
                "<text x=\"{x:.1}\" y=\"{}\">{}</text>",
                height + 14.0,
                esc(label)
            );
        }
    }
    let _ = write!(
        s,
        "<path d=\"{path}\" fill=\"none\" stroke=\"{color}\"/></svg>"
    );
    s
}

fn commune_label(code: &str) -> String {
    code.parse::<u32>()
        .ok()
        .and_then(|c| GAZETTEER.communes.get(&c))
        .map_or_else(
            || code.to_string(),
            |c| format!("{} {} ({code})", c.kind, c.name),
        )
}

/// Render the page.
pub fn render(f: &Figures, items: &[WorkItem], summary: &Summary, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>",
        if lang == Lang::Vi { "vi" } else { "en" },
        esc(t(lang, "title"))
    );
    let _ = write!(o, "<h1>{}</h1>", esc(t(lang, "title")));
    let _ = write!(
        o,
        "<p class=\"muted\">{}: {} · {}: {} · {}: {}</p>",
        esc(t(lang, "subjects")),
        f.overall.subjects,
        esc(t(lang, "baseline")),
        esc(&summary.inputs.baseline_date),
        esc(t(lang, "rules_digest")),
        esc(&summary.inputs.rules_digest)
    );
    o.push_str("<div class=\"cards\">");
    card(
        &mut o,
        t(lang, "correct"),
        t(lang, "correct_q"),
        &f.overall.correct,
        lang,
    );
    card(
        &mut o,
        t(lang, "complete"),
        t(lang, "complete_q"),
        &f.overall.found,
        lang,
    );
    card(
        &mut o,
        t(lang, "clean"),
        t(lang, "clean_q"),
        &f.overall.clean,
        lang,
    );
    let live = Rate {
        num: f.deaths_propagated.num + f.marriages_propagated.num,
        den: f.deaths_propagated.den + f.marriages_propagated.den,
    };
    card(&mut o, t(lang, "live"), t(lang, "live_q"), &live, lang);
    o.push_str("</div><div class=\"cards\" style=\"margin-top:12px\">");
    card(
        &mut o,
        t(lang, "mandatory"),
        t(lang, "complete"),
        &f.overall.complete,
        lang,
    );
    card(
        &mut o,
        t(lang, "persons_birth"),
        t(lang, "complete"),
        &f.persons_with_birth,
        lang,
    );
    card(
        &mut o,
        t(lang, "deaths"),
        t(lang, "live"),
        &f.deaths_propagated,
        lang,
    );
    card(
        &mut o,
        t(lang, "marriages"),
        t(lang, "live"),
        &f.marriages_propagated,
        lang,
    );
    o.push_str("</div>");
    // rates per commune
    let _ = write!(
        o,
        "<h2 id=\"communes\">{}</h2>",
        esc(t(lang, "rates_by_commune"))
    );
    let mut communes: Vec<(&String, &super::figures::GroupRates)> = f
        .by_commune
        .iter()
        .filter(|(_, g)| g.subjects > 0)
        .collect();
    communes.sort_by(|a, b| {
        b.1.found
            .value()
            .unwrap_or(0.0)
            .total_cmp(&a.1.found.value().unwrap_or(0.0))
            .then(a.0.cmp(b.0))
    });
    let bars: Vec<(String, f64, String)> = communes
        .iter()
        .map(|(k, g)| {
            (
                commune_label(k),
                g.found.value().unwrap_or(0.0),
                format!("{} ({}/{})", g.found.pct(), g.found.num, g.found.den),
            )
        })
        .collect();
    let _ = write!(
        o,
        "<p class=\"muted\">{} — {}</p>{}",
        esc(t(lang, "complete")),
        esc(t(lang, "complete_q")),
        hbars(&bars, 1.0, "#2f8f5b")
    );
    // commune table with work-list links
    let mut per: BTreeMap<(&str, Recipient), usize> = BTreeMap::new();
    for it in items {
        *per.entry((it.commune.as_str(), it.recipient)).or_default() += 1;
    }
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        esc(t(lang, "commune")),
        esc(t(lang, "commune_2025")),
        esc(t(lang, "subjects")),
        esc(t(lang, "correct")),
        esc(t(lang, "complete")),
        esc(t(lang, "clean")),
        esc(t(lang, "mandatory"))
    );
    for &r in Recipient::ALL {
        let _ = write!(o, "<th>{}</th>", esc(r.label(lang)));
    }
    o.push_str("</tr>");
    let mut empty = Vec::new();
    for (k, g) in &f.by_commune {
        if g.subjects == 0 {
            empty.push(commune_label(k));
            continue;
        }
        let new = k
            .parse::<u32>()
            .ok()
            .and_then(|c| GAZETTEER.communes.get(&c))
            .and_then(|c| c.successors.first())
            .map(|n| GAZETTEER.commune_2025_label(*n))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td>",
            esc(&commune_label(k)),
            esc(&new),
            g.subjects
        );
        for r in [&g.correct, &g.found, &g.clean, &g.complete] {
            let _ = write!(
                o,
                "<td class=\"num\">{} <span class=\"muted\">({}/{})</span></td>",
                esc(&r.pct()),
                r.num,
                r.den
            );
        }
        for &r in Recipient::ALL {
            let n = per.get(&(k.as_str(), r)).copied().unwrap_or(0);
            let _ = write!(
                o,
                "<td class=\"num\"><a href=\"#wl-{}\">{n}</a></td>",
                r.code()
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>");
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
    // statuses by type
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "statuses_by_type")));
    let colors = [
        ("matched", "#2f8f5b"),
        ("conflict", "#e0a030"),
        ("review", "#7a6bd1"),
        ("missing", "#c8413b"),
        ("out_of_scope", "#9aa"),
    ];
    let rows: Vec<(String, Vec<(u64, &str)>)> = f
        .by_type
        .iter()
        .map(|(k, g)| {
            (
                k.clone(),
                colors
                    .iter()
                    .map(|(s, c)| (g.by_status.get(*s).copied().unwrap_or(0), *c))
                    .collect(),
            )
        })
        .collect();
    let legend: Vec<(&str, &str)> = colors.iter().map(|(s, c)| (t(lang, s), *c)).collect();
    o.push_str(&stacked(&rows, &legend));
    // conflicts by field
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "conflicts")));
    let max = f.conflicts_by_field.values().copied().max().unwrap_or(0) as f64;
    let bars: Vec<(String, f64, String)> = f
        .conflicts_by_field
        .iter()
        .map(|(k, v)| (k.clone(), *v as f64, v.to_string()))
        .collect();
    o.push_str(&hbars(&bars, max, "#e0a030"));
    let _ = write!(o, "<p>{}: {}</p>", esc(t(lang, "id_reissue")), f.id_reissue);
    // histogram
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "histogram")));
    let labels: Vec<String> = (0..20).map(|i| format!("{:.2}", i as f64 * 0.05)).collect();
    o.push_str(&columns(&f.probability_histogram, &labels));
    // trend
    let _ = write!(
        o,
        "<h2>{}</h2><p class=\"muted\">{}</p>",
        esc(t(lang, "trend")),
        esc(t(lang, "complete"))
    );
    let pts: Vec<(String, Option<f64>)> = f
        .by_year
        .iter()
        .map(|(y, g)| (y.to_string(), g.found.value()))
        .collect();
    o.push_str(&line(&pts, "#2f8f5b"));
    // flags and findings
    let _ = write!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th></tr>",
        esc(t(lang, "flags")),
        esc(t(lang, "flag")),
        esc(t(lang, "count"))
    );
    for (k, v) in &f.flags {
        let _ = write!(o, "<tr><td>{}</td><td class=\"num\">{v}</td></tr>", esc(k));
    }
    let _ = write!(
        o,
        "</table><h2>{}</h2><table><tr><th>{}</th><th>{}</th></tr>",
        esc(t(lang, "findings")),
        esc(t(lang, "finding")),
        esc(t(lang, "count"))
    );
    for (k, v) in &f.findings {
        let _ = write!(o, "<tr><td>{}</td><td class=\"num\">{v}</td></tr>", esc(k));
    }
    o.push_str("</table>");
    // blocking and model
    let _ = write!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(t(lang, "model")),
        esc(t(lang, "rule")),
        esc(t(lang, "pairs")),
        esc(t(lang, "split"))
    );
    for r in &summary.blocking.rules {
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
        "<tr><th>{}</th><td class=\"num\">{}</td><td></td></tr></table>",
        esc(t(lang, "total")),
        summary.blocking.candidate_pairs
    );
    let _ = write!(
        o,
        "<p>{}: {}</p><table><tr><th>comparison</th><th>level</th><th>m</th><th>u</th></tr>",
        esc(t(lang, "lambda")),
        serde_json::to_string(&summary.model.lambda).unwrap_or_default()
    );
    for c in &summary.model.comparisons {
        for (i, l) in c.levels.iter().enumerate() {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.4}</td><td class=\"num\">{:.4}</td></tr>",
                esc(&c.name),
                esc(l),
                c.m.get(i).copied().unwrap_or(0.0),
                c.u.get(i).copied().unwrap_or(0.0)
            );
        }
    }
    o.push_str("</table>");
    // work lists
    let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "worklists")));
    let cols = [
        "commune",
        "file",
        "row",
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
        let list: Vec<&WorkItem> = items.iter().filter(|i| i.recipient == r).collect();
        let _ = write!(
            o,
            "<h3 id=\"wl-{}\">{} ({}; {} {})</h3><table><tr>",
            r.code(),
            esc(r.label(lang)),
            list.len(),
            list.len().min(200),
            esc(t(lang, "first_rows"))
        );
        for c in cols {
            let _ = write!(o, "<th>{}</th>", esc(t(lang, c)));
        }
        o.push_str("</tr>");
        for it in list.iter().take(200) {
            let vals = [
                &it.commune,
                &it.source_file,
                &it.source_row,
                &it.book,
                &it.number,
                &it.reg_date,
                &it.person_id,
                &it.issue,
                &it.civil,
                &it.registry,
                &it.action,
            ];
            o.push_str("<tr>");
            for v in vals {
                let _ = write!(o, "<td>{}</td>", esc(v));
            }
            o.push_str("</tr>");
        }
        o.push_str("</table>");
    }
    o.push_str("</body></html>\n");
    o
}

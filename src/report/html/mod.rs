//! `report.html`: one self-contained page (inline SVG, CSS and a small sorting script; no outside
//! font or file) that opens offline and reads on a 1280-px laptop and on A4: the four criteria, the
//! communes worst first, the books' coverage, statuses, conflicts, the probability histogram, the
//! trend by year, flags and findings, the model, a glossary and the first rows of the work lists.
//! Every code is shown by its label; codes stay in tooltips.
mod charts;
mod sections;

use super::i18n::{Lang, t};
use std::fmt::Write as _;

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:16px auto;max-width:1220px;padding:0 12px;color:#1d2733;background:#fff}\
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccd;padding-bottom:4px}h3{font-size:15px}\
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ccd;border-radius:8px;padding:10px 14px;min-width:180px;flex:1}\
.card .big{font-size:28px;font-weight:700;color:#1f5fa8}.card .q{font-size:12px;color:#556}.card .n{font-size:12px;color:#333}\
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #dde;padding:3px 5px;text-align:left;vertical-align:top}\
th{background:#eef2f8}table.wide{width:100%;table-layout:fixed}table.wide td,table.wide th{overflow-wrap:anywhere}\
table.sortable th{cursor:pointer}td.num{text-align:right;white-space:nowrap}.none{color:#999;font-style:italic}\
svg{display:block;height:auto}svg text{font-size:11px;fill:#333}.muted{color:#667;font-size:12px}\
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}h2{break-after:avoid}table,svg{break-inside:auto}tr{break-inside:avoid}.card{break-inside:avoid}a{color:inherit;text-decoration:none}}\
@page{size:A4;margin:12mm}";

/// Sort a `table.sortable` by the clicked column: numbers by their `data-v`, text in Vietnamese
/// order. The page shows everything without it.
const SCRIPT: &str = "document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('thead th').forEach(function(th,i){th.addEventListener('click',function(){var b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),asc=th.getAttribute('data-asc')!=='1';th.setAttribute('data-asc',asc?'1':'0');r.sort(function(x,y){var a=x.cells[i],c=y.cells[i],u=a.getAttribute('data-v'),w=c.getAttribute('data-v');var d=(u!==null&&w!==null)?parseFloat(u)-parseFloat(w):a.textContent.localeCompare(c.textContent,'vi');return asc?d:-d;});r.forEach(function(e){b.appendChild(e);});});});});";

/// What the page is made of: what the work book is made of.
pub use crate::report::Content as Page;

/// Render the page.
pub fn render(p: &Page) -> String {
    let lang = p.lang;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>",
        if lang == Lang::Vi { "vi" } else { "en" },
        esc(t(lang, "title"))
    );
    let _ = write!(o, "<h1>{}</h1>", esc(t(lang, "title")));
    let _ = write!(
        o,
        "<p class=\"muted\">{}: {} · {}: {} · {}: {}</p>",
        esc(t(lang, "subjects")),
        p.f.overall.subjects,
        esc(t(lang, "baseline")),
        esc(&p.summary.inputs.baseline_date),
        esc(t(lang, "rules_digest")),
        esc(&p.summary.inputs.rules_digest)
    );
    sections::cards(&mut o, p);
    sections::communes(&mut o, p);
    sections::coverage(&mut o, p);
    sections::statuses(&mut o, p);
    sections::conflicts(&mut o, p);
    sections::histogram(&mut o, p);
    sections::trend(&mut o, p);
    sections::flags_and_findings(&mut o, p);
    sections::decisions(&mut o, p);
    sections::model(&mut o, p);
    sections::glossary(&mut o, lang);
    sections::worklists(&mut o, p);
    let _ = writeln!(o, "<script>{SCRIPT}</script></body></html>");
    o
}

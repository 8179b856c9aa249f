//! The figure sheets of the work books: summary, rates by commune / type / year, counts of
//! conflicts, flags and findings, coverage, a commune against its province, and the glossary.
use crate::report::coverage::CoverageRow;
use crate::report::figures::{Figures, GroupRates, Rate};
use crate::report::i18n::{Lang, t};
use crate::report::labels;
use crate::summary::Summary;
use crate::vocab::{Field, FindingKind, Flag, Status, Term};
use rust_xlsxwriter::{Chart, ChartType, Format, Note, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;

type R = std::result::Result<(), XlsxError>;

/// Bold headers in `row`, widths from their lengths, frozen above the next row.
pub fn header(ws: &mut Worksheet, row: u32, cols: &[&str]) -> R {
    let bold = Format::new().set_bold();
    for (j, c) in cols.iter().enumerate() {
        ws.write_string_with_format(row, j as u16, *c, &bold)?;
        ws.set_column_width(j as u16, (c.chars().count() as f64 + 4.0).clamp(10.0, 48.0))?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

fn rate(ws: &mut Worksheet, row: u32, col: u16, r: &Rate) -> R {
    let pct = Format::new().set_num_format("0.0%");
    match r.value() {
        Some(v) => ws.write_number_with_format(row, col, v, &pct)?,
        None => ws.write_string(row, col, "—")?,
    };
    ws.write_number(row, col + 1, r.num as f64)?;
    ws.write_number(row, col + 2, r.den as f64)?;
    Ok(())
}

const STATUSES: [Status; 5] = [
    Status::Matched,
    Status::Conflict,
    Status::Review,
    Status::Missing,
    Status::OutOfScope,
];

fn group_headers(lang: Lang, first: &[&'static str]) -> Vec<String> {
    let mut h: Vec<String> = first.iter().map(|k| t(lang, k).to_string()).collect();
    h.push(t(lang, "subjects").to_string());
    for s in STATUSES {
        h.push(s.label(lang).to_string());
    }
    for k in ["correct", "complete", "mandatory", "clean"] {
        h.push(t(lang, k).to_string());
        h.push(format!("{} ({})", t(lang, k), t(lang, "numerator")));
        h.push(format!("{} ({})", t(lang, k), t(lang, "denominator")));
    }
    h
}

fn group_row(ws: &mut Worksheet, row: u32, col: u16, g: &GroupRates) -> R {
    ws.write_number(row, col, g.subjects as f64)?;
    for (k, s) in STATUSES.iter().enumerate() {
        let n = g.by_status.get(s.code()).copied().unwrap_or(0);
        ws.write_number(row, col + 1 + k as u16, n as f64)?;
    }
    let base = col + 6;
    for (k, r) in [&g.correct, &g.found, &g.complete, &g.clean]
        .iter()
        .enumerate()
    {
        rate(ws, row, base + 3 * k as u16, r)?;
    }
    Ok(())
}

/// The summary sheet: the four criteria with their counts, then the provenance.
pub fn summary(wb: &mut Workbook, f: &Figures, summary: &Summary, lang: Lang) -> R {
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name(t(lang, "summary"))?;
    ws.write_string_with_format(0, 0, t(lang, "title"), &bold)?;
    ws.set_column_width(0, 58)?;
    ws.set_column_width(1, 14)?;
    let rows: Vec<(&str, &str, Rate)> = vec![
        ("correct", "correct_q", f.overall.correct),
        ("complete", "complete_q", f.overall.found),
        ("complete", "mandatory", f.overall.complete),
        ("complete", "persons_birth", f.persons_with_birth),
        ("clean", "clean_q", f.overall.clean),
        ("live", "deaths", f.deaths_propagated),
        ("live", "marriages", f.marriages_propagated),
    ];
    let heads = [
        t(lang, "rate"),
        "%",
        t(lang, "numerator"),
        t(lang, "denominator"),
    ];
    header(ws, 2, &heads)?;
    ws.set_column_width(0, 58)?;
    for (i, (crit, q, r)) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(row, 0, format!("{} — {}", t(lang, crit), t(lang, q)))?;
        rate(ws, row, 1, r)?;
    }
    let mut row = 12;
    ws.write_string_with_format(row, 0, t(lang, "provenance"), &bold)?;
    row += 1;
    let inputs = &summary.inputs;
    let mut prov: Vec<(String, String)> = vec![
        (t(lang, "version").to_string(), summary.version.clone()),
        (
            t(lang, "rules_digest").to_string(),
            inputs.rules_digest.clone(),
        ),
        (
            t(lang, "baseline").to_string(),
            inputs.baseline_date.clone(),
        ),
        (t(lang, "population").to_string(), inputs.population.clone()),
    ];
    for c in &inputs.civil {
        prov.push((t(lang, "civil_books").to_string(), c.clone()));
    }
    let c = &summary.counts;
    for (k, v) in [
        ("subjects", c.subjects),
        ("persons", c.persons),
        ("civil_records", c.civil_records),
    ] {
        prov.push((t(lang, k).to_string(), v.to_string()));
    }
    for (k, v) in prov {
        ws.write_string(row, 0, super::fit(&k))?;
        ws.write_string(row, 1, super::fit(&v))?;
        row += 1;
    }
    let decided = crate::report::decided::lines(f, summary, lang);
    if !decided.is_empty() {
        row += 1;
        ws.write_string_with_format(row, 0, t(lang, "decisions"), &bold)?;
        row += 1;
        for (k, v) in decided {
            ws.write_string(row, 0, super::fit(&k))?;
            ws.write_string(row, 1, super::fit(&v))?;
            row += 1;
        }
    }
    Ok(())
}

/// Rates by commune (worst first), by record type and by registration year, each with a chart.
pub fn groups(wb: &mut Workbook, f: &Figures, lang: Lang) -> R {
    type Rows<'a> = Vec<(Vec<String>, &'a GroupRates)>;
    let mut communes: Vec<(&String, &GroupRates)> = f.by_commune.iter().collect();
    // the communes that need help first; those without records last
    communes.sort_by(|a, b| {
        let v = |g: &GroupRates| g.found.value().unwrap_or(f64::INFINITY);
        v(a.1).total_cmp(&v(b.1)).then(a.0.cmp(b.0))
    });
    let sheets: [(&str, &[&'static str], Rows); 3] = [
        (
            "by_commune",
            &["commune_name", "district", "commune_2025", "commune"],
            communes
                .into_iter()
                .map(|(k, g)| {
                    let row = vec![
                        labels::commune_name(k),
                        labels::district(k).1,
                        labels::successor_name(k),
                        k.clone(),
                    ];
                    (row, g)
                })
                .collect(),
        ),
        (
            "by_type",
            &["type"],
            f.by_type
                .iter()
                .map(|(k, g)| (vec![labels::record_type(k, lang)], g))
                .collect(),
        ),
        (
            "by_year",
            &["year"],
            f.by_year
                .iter()
                .map(|(k, g)| (vec![k.to_string()], g))
                .collect(),
        ),
    ];
    for (name, first, rows) in sheets.iter() {
        group_sheet(wb, t(lang, name), first, rows, *name == "by_year", lang)?;
    }
    Ok(())
}

fn group_sheet(
    wb: &mut Workbook,
    sheet: &str,
    first: &[&'static str],
    rows: &[(Vec<String>, &GroupRates)],
    by_year: bool,
    lang: Lang,
) -> R {
    let heads = group_headers(lang, first);
    let ws = wb.add_worksheet().set_name(sheet)?;
    let refs: Vec<&str> = heads.iter().map(String::as_str).collect();
    header(ws, 0, &refs)?;
    for (i, (keys, g)) in rows.iter().enumerate() {
        let row = 1 + i as u32;
        for (j, k) in keys.iter().enumerate() {
            ws.write_string(row, j as u16, super::fit(k))?;
        }
        group_row(ws, row, first.len() as u16, g)?;
        if g.subjects == 0 {
            // a commune with no records says so, rather than showing 0 %
            ws.write_string(row, first.len() as u16, t(lang, "no_records"))?;
        }
    }
    let n = rows.len() as u32;
    if n == 0 {
        return Ok(());
    }
    ws.autofilter(0, 0, n, heads.len() as u16 - 1)?;
    // a native chart of the "đủ" and "đúng" rates
    let mut chart = Chart::new(if by_year {
        ChartType::Line
    } else {
        ChartType::Column
    });
    for (col, name) in [(9, "complete"), (6, "correct")] {
        let col = first.len() as u16 + col;
        chart
            .add_series()
            .set_categories((sheet, 1, 0, n.min(60), 0))
            .set_values((sheet, 1, col, n.min(60), col))
            .set_name(t(lang, name));
    }
    chart.title().set_name(sheet);
    ws.insert_chart(n + 3, 1, &chart)?;
    Ok(())
}

fn count_sheet<T: Term>(
    wb: &mut Workbook,
    name: &str,
    key: &str,
    data: &BTreeMap<String, u64>,
    lang: Lang,
) -> R {
    let ws = wb.add_worksheet().set_name(t(lang, name))?;
    header(ws, 0, &[t(lang, key), t(lang, "count")])?;
    ws.set_column_width(0, 40)?;
    for (i, (k, v)) in data.iter().enumerate() {
        let label = T::from_code(k).map_or(k.as_str(), |x| x.label(lang));
        ws.write_string(1 + i as u32, 0, label)?;
        ws.write_number(1 + i as u32, 1, *v as f64)?;
    }
    if !data.is_empty() {
        let sheet = t(lang, name);
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories((sheet, 1, 0, data.len() as u32, 0))
            .set_values((sheet, 1, 1, data.len() as u32, 1))
            .set_name(t(lang, "count"));
        ws.insert_chart(1, 3, &chart)?;
    }
    Ok(())
}

/// Conflicts by field, flags and findings, by their labels.
pub fn counts(wb: &mut Workbook, f: &Figures, lang: Lang) -> R {
    count_sheet::<Field>(wb, "conflicts", "field", &f.conflicts_by_field, lang)?;
    count_sheet::<Flag>(wb, "flags", "flag", &f.flags, lang)?;
    count_sheet::<FindingKind>(wb, "findings", "finding", &f.findings, lang)
}

/// The books in the drop: one row per commune, record type and year.
pub fn coverage(wb: &mut Workbook, rows: &[CoverageRow], lang: Lang) -> R {
    if rows.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet().set_name(t(lang, "coverage_sheet"))?;
    let heads = [
        t(lang, "commune_name"),
        t(lang, "district"),
        t(lang, "commune"),
        t(lang, "type"),
        t(lang, "year"),
        t(lang, "records"),
        t(lang, "in_drop"),
        t(lang, "births_not_in_drop"),
    ];
    header(ws, 0, &heads)?;
    let red = Format::new().set_font_color("#C8413B");
    for (i, r) in rows.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, labels::commune_name(&r.commune))?;
        ws.write_string(row, 1, labels::district(&r.commune).1)?;
        ws.write_string(row, 2, &r.commune)?;
        ws.write_string(row, 3, labels::record_type(&r.record_type, lang))?;
        ws.write_number(row, 4, r.year as f64)?;
        ws.write_number(row, 5, r.records as f64)?;
        if r.in_drop {
            ws.write_string(row, 6, t(lang, "yes"))?;
        } else {
            ws.write_string_with_format(row, 6, t(lang, "no"), &red)?;
        }
        ws.write_number(row, 7, r.births_not_in_drop as f64)?;
    }
    ws.autofilter(0, 0, rows.len() as u32, heads.len() as u16 - 1)?;
    Ok(())
}

/// A commune's rates beside its province's.
pub fn versus(wb: &mut Workbook, commune: &str, province: &Figures, lang: Lang) -> R {
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name(t(lang, "summary"))?;
    let title = format!(
        "{} — {}, {}",
        t(lang, "title"),
        labels::commune_name(commune),
        labels::district(commune).1
    );
    ws.write_string_with_format(0, 0, title, &bold)?;
    let empty = GroupRates::default();
    let mine = province.by_commune.get(commune).unwrap_or(&empty);
    let heads = [
        t(lang, "rate"),
        t(lang, "this_commune"),
        t(lang, "numerator"),
        t(lang, "denominator"),
        t(lang, "province"),
        t(lang, "numerator"),
        t(lang, "denominator"),
    ];
    header(ws, 2, &heads)?;
    ws.set_column_width(0, 58)?;
    let all = &province.overall;
    for (i, (crit, q, a, b)) in [
        ("correct", "correct_q", &mine.correct, &all.correct),
        ("complete", "complete_q", &mine.found, &all.found),
        ("complete", "mandatory", &mine.complete, &all.complete),
        ("clean", "clean_q", &mine.clean, &all.clean),
    ]
    .into_iter()
    .enumerate()
    {
        let row = 3 + i as u32;
        ws.write_string(row, 0, format!("{} — {}", t(lang, crit), t(lang, q)))?;
        rate(ws, row, 1, a)?;
        rate(ws, row, 4, b)?;
    }
    ws.write_string(8, 0, t(lang, "subjects"))?;
    ws.write_number(8, 1, mine.subjects as f64)?;
    ws.write_number(8, 4, all.subjects as f64)?;
    Ok(())
}

/// The glossary: every status, field, flag, finding and term; the code in a note.
pub fn glossary(wb: &mut Workbook, lang: Lang) -> R {
    let ws = wb.add_worksheet().set_name(t(lang, "glossary"))?;
    header(
        ws,
        0,
        &[t(lang, "kind_term"), t(lang, "label"), t(lang, "meaning")],
    )?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(2, 110)?;
    let wrap = Format::new().set_text_wrap();
    for (i, (kind, code, label, about)) in crate::report::glossary::entries(lang)
        .into_iter()
        .enumerate()
    {
        let row = 1 + i as u32;
        ws.write_string(row, 0, kind)?;
        ws.write_string(row, 1, label)?;
        ws.insert_note(row, 1, &Note::new(code).add_author_prefix(false))?;
        ws.write_string_with_format(row, 2, about, &wrap)?;
    }
    Ok(())
}

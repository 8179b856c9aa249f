//! `report.xlsx`: the summary, rates per commune / type / year, conflicts, flags, findings and one
//! work-list sheet per recipient, with native charts, frozen headers, filters and widths.
use super::figures::{Figures, GroupRates, Rate};
use super::i18n::{Lang, t};
use super::worklists::{Recipient, WorkItem};
use crate::error::{Error, Result};
use crate::places::GAZETTEER;
use crate::summary::Summary;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

fn header(
    ws: &mut Worksheet,
    row: u32,
    cols: &[&str],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    for (j, c) in cols.iter().enumerate() {
        ws.write_string_with_format(row, j as u16, *c, bold)?;
        ws.set_column_width(j as u16, (c.chars().count() as f64 + 4.0).clamp(10.0, 48.0))?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

fn rate(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    r: &Rate,
    pct: &Format,
) -> std::result::Result<(), XlsxError> {
    match r.value() {
        Some(v) => ws.write_number_with_format(row, col, v, pct)?,
        None => ws.write_string(row, col, "—")?,
    };
    ws.write_number(row, col + 1, r.num as f64)?;
    ws.write_number(row, col + 2, r.den as f64)?;
    Ok(())
}

const STATUSES: [&str; 5] = ["matched", "conflict", "review", "missing", "out_of_scope"];

fn group_headers(lang: Lang, first: &[&'static str]) -> Vec<String> {
    let mut h: Vec<String> = first.iter().map(|k| t(lang, k).to_string()).collect();
    h.push(t(lang, "subjects").to_string());
    for s in STATUSES {
        h.push(t(lang, s).to_string());
    }
    for k in ["correct", "complete", "mandatory", "clean"] {
        h.push(t(lang, k).to_string());
        h.push(format!("{} ({})", t(lang, k), t(lang, "numerator")));
        h.push(format!("{} ({})", t(lang, k), t(lang, "denominator")));
    }
    h
}

fn group_row(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    g: &GroupRates,
    pct: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.write_number(row, col, g.subjects as f64)?;
    for (k, s) in STATUSES.iter().enumerate() {
        ws.write_number(
            row,
            col + 1 + k as u16,
            g.by_status.get(*s).copied().unwrap_or(0) as f64,
        )?;
    }
    let base = col + 6;
    for (k, r) in [&g.correct, &g.found, &g.complete, &g.clean]
        .iter()
        .enumerate()
    {
        rate(ws, row, base + 3 * k as u16, r, pct)?;
    }
    Ok(())
}

fn commune_names(code: &str) -> (String, String) {
    let g = &*GAZETTEER;
    let c = code.parse::<u32>().ok().and_then(|c| g.communes.get(&c));
    match c {
        Some(c) => {
            let d = &g.districts[&c.district];
            let new = c
                .successors
                .first()
                .map(|n| g.commune_2025_label(*n))
                .unwrap_or_default();
            (format!("{} {}, {} {}", c.kind, c.name, d.kind, d.name), new)
        }
        None => (String::new(), String::new()),
    }
}

/// Write the workbook.
pub fn write(
    path: &Path,
    f: &Figures,
    items: &[WorkItem],
    summary: &Summary,
    lang: Lang,
) -> Result<()> {
    let err = |e: XlsxError| Error::Output {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut wb = Workbook::new();
    // level 1 of 9: most of a large work book's time was its compression, for a file a fifth larger
    wb.set_zip_compression_level(1);
    // no wall-clock time inside: the same run gives the same bytes
    if let Ok(t) = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1) {
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&t));
    }
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    // summary
    {
        let ws = wb
            .add_worksheet()
            .set_name(t(lang, "summary"))
            .map_err(err)?;
        ws.write_string_with_format(0, 0, t(lang, "title"), &bold)
            .map_err(err)?;
        ws.set_column_width(0, 58).map_err(err)?;
        ws.set_column_width(1, 14).map_err(err)?;
        let rows: Vec<(&str, &str, Rate)> = vec![
            ("correct", "correct_q", f.overall.correct),
            ("complete", "complete_q", f.overall.found),
            ("complete", "mandatory", f.overall.complete),
            ("complete", "persons_birth", f.persons_with_birth),
            ("clean", "clean_q", f.overall.clean),
            ("live", "deaths", f.deaths_propagated),
            ("live", "marriages", f.marriages_propagated),
        ];
        header(
            ws,
            2,
            &[
                t(lang, "rate"),
                "%",
                t(lang, "numerator"),
                t(lang, "denominator"),
            ],
            &bold,
        )
        .map_err(err)?;
        for (i, (crit, q, r)) in rows.iter().enumerate() {
            let row = 3 + i as u32;
            ws.write_string(row, 0, format!("{} — {}", t(lang, crit), t(lang, q)))
                .map_err(err)?;
            rate(ws, row, 1, r, &pct).map_err(err)?;
        }
        let mut row = 12;
        ws.write_string_with_format(row, 0, t(lang, "provenance"), &bold)
            .map_err(err)?;
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
            ("population".to_string(), inputs.population.clone()),
        ];
        for c in &inputs.civil {
            prov.push(("civil".to_string(), c.clone()));
        }
        let c = &summary.counts;
        for (k, v) in [
            ("subjects", c.subjects),
            ("persons", c.persons),
            ("civil_records", c.civil_records),
        ] {
            prov.push((k.to_string(), v.to_string()));
        }
        for (k, v) in prov {
            ws.write_string(row, 0, k).map_err(err)?;
            ws.write_string(row, 1, v).map_err(err)?;
            row += 1;
        }
    }
    // groups
    type Rows<'a> = Vec<(Vec<String>, &'a GroupRates)>;
    let sheets: [(&str, Rows); 3] = [
        (
            "by_commune",
            f.by_commune
                .iter()
                .map(|(k, g)| {
                    let (name, new) = commune_names(k);
                    (vec![k.clone(), name, new], g)
                })
                .collect(),
        ),
        (
            "by_type",
            f.by_type
                .iter()
                .map(|(k, g)| (vec![k.clone()], g))
                .collect(),
        ),
        (
            "by_year",
            f.by_year
                .iter()
                .map(|(k, g)| (vec![k.to_string()], g))
                .collect(),
        ),
    ];
    for (name, rows) in sheets.iter() {
        let first: &[&'static str] = match *name {
            "by_commune" => &["commune", "commune_name", "commune_2025"],
            "by_type" => &["type"],
            _ => &["year"],
        };
        let heads = group_headers(lang, first);
        let ws = wb.add_worksheet().set_name(t(lang, name)).map_err(err)?;
        let refs: Vec<&str> = heads.iter().map(String::as_str).collect();
        header(ws, 0, &refs, &bold).map_err(err)?;
        for (i, (keys, g)) in rows.iter().enumerate() {
            let row = 1 + i as u32;
            for (j, k) in keys.iter().enumerate() {
                ws.write_string(row, j as u16, k).map_err(err)?;
            }
            group_row(ws, row, first.len() as u16, g, &pct).map_err(err)?;
            if g.subjects == 0 {
                // a commune with no records says so, rather than showing 0 %
                ws.write_string(row, first.len() as u16, t(lang, "no_records"))
                    .map_err(err)?;
            }
        }
        let n = rows.len() as u32;
        if n > 0 {
            ws.autofilter(0, 0, n, heads.len() as u16 - 1)
                .map_err(err)?;
            // a native chart of the "đủ" rate
            let sheet = t(lang, name);
            let mut chart = Chart::new(if *name == "by_year" {
                ChartType::Line
            } else {
                ChartType::Column
            });
            let col = first.len() as u16 + 6 + 3;
            chart
                .add_series()
                .set_categories((sheet, 1, 0, n, 0))
                .set_values((sheet, 1, col, n, col))
                .set_name(t(lang, "complete"));
            let col = first.len() as u16 + 6;
            chart
                .add_series()
                .set_categories((sheet, 1, 0, n, 0))
                .set_values((sheet, 1, col, n, col))
                .set_name(t(lang, "correct"));
            chart.title().set_name(t(lang, name));
            ws.insert_chart(n + 3, 1, &chart).map_err(err)?;
        }
    }
    // conflicts, flags, findings
    for (name, data) in [
        ("conflicts", &f.conflicts_by_field),
        ("flags", &f.flags),
        ("findings", &f.findings),
    ] {
        let ws = wb.add_worksheet().set_name(t(lang, name)).map_err(err)?;
        let key = match name {
            "conflicts" => "field",
            "flags" => "flag",
            _ => "finding",
        };
        header(ws, 0, &[t(lang, key), t(lang, "count")], &bold).map_err(err)?;
        for (i, (k, v)) in data.iter().enumerate() {
            ws.write_string(1 + i as u32, 0, k).map_err(err)?;
            ws.write_number(1 + i as u32, 1, *v as f64).map_err(err)?;
        }
        if !data.is_empty() {
            let sheet = t(lang, name);
            let mut chart = Chart::new(ChartType::Bar);
            chart
                .add_series()
                .set_categories((sheet, 1, 0, data.len() as u32, 0))
                .set_values((sheet, 1, 1, data.len() as u32, 1))
                .set_name(t(lang, "count"));
            ws.insert_chart(1, 3, &chart).map_err(err)?;
        }
    }
    // work lists
    let cols = [
        "commune",
        "commune_2025",
        "file",
        "row",
        "book",
        "number",
        "date",
        "type",
        "role",
        "person",
        "issue",
        "civil_value",
        "registry_value",
        "action",
    ];
    // work lists: written row by row in constant memory, split past Excel's row limit
    const MAX_ROWS: usize = 1_000_000;
    for &r in Recipient::ALL {
        let list: Vec<&WorkItem> = items.iter().filter(|i| i.recipient == r).collect();
        let parts = list.len().div_ceil(MAX_ROWS).max(1);
        for part in 0..parts {
            let name = if part == 0 {
                worksheet_name(r, lang)
            } else {
                format!(
                    "{} ({})",
                    worksheet_name(r, lang).chars().take(25).collect::<String>(),
                    part + 1
                )
            };
            let ws = wb
                .add_worksheet_with_constant_memory()
                .map_err(err)?
                .set_name(name)
                .map_err(err)?;
            let heads: Vec<&str> = cols.iter().map(|c| t(lang, c)).collect();
            header(ws, 0, &heads, &bold).map_err(err)?;
            let chunk =
                &list[(part * MAX_ROWS).min(list.len())..((part + 1) * MAX_ROWS).min(list.len())];
            for (k, it) in chunk.iter().enumerate() {
                let n = k as u32 + 1;
                let vals = [
                    &it.commune,
                    &it.commune_2025,
                    &it.source_file,
                    &it.source_row,
                    &it.book,
                    &it.number,
                    &it.reg_date,
                    &it.record_type,
                    &it.role,
                    &it.person_id,
                    &it.issue,
                    &it.civil,
                    &it.registry,
                    &it.action,
                ];
                for (j, v) in vals.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(n, j as u16, v.as_str()).map_err(err)?;
                    }
                }
            }
            ws.autofilter(0, 0, (chunk.len() as u32).max(1), cols.len() as u16 - 1)
                .map_err(err)?;
        }
    }
    // saved beside the target, then renamed: never a half-written report
    let tmp = path.with_extension(format!("xlsx.{}.tmp", std::process::id()));
    if let Err(e) = wb.save(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// The sheet name of a recipient's work list (≤ 31 characters, as Excel requires).
pub fn worksheet_name(r: Recipient, lang: Lang) -> String {
    let name = format!(
        "{} - {}",
        if lang == Lang::Vi { "DS" } else { "List" },
        r.label(lang)
    );
    name.chars().take(31).collect()
}

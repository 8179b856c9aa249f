//! Inline SVG charts of the page: bars, stacked bars, the probability histogram (axes, log scale,
//! thresholds), the trend line and the coverage grid. Each scales to the page width (`viewBox`).
use super::esc;
use std::fmt::Write as _;

/// Open an SVG of a fixed drawing size that scales down to the page.
fn open(width: f64, height: f64, label: &str) -> String {
    format!(
        "<svg viewBox=\"0 0 {width} {height}\" style=\"max-width:{width}px\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        esc(label)
    )
}

/// A horizontal bar chart: (label, value, text at the end of the bar, tooltip).
pub fn hbars(rows: &[(String, f64, String)], max: f64, color: &str, label: &str) -> String {
    let (h, width, label_w) = (18.0, 900.0, 330.0);
    let mut s = open(width, rows.len() as f64 * h + 8.0, label);
    for (i, (name, v, txt)) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * h;
        // room after the bar for "99.7 % (120 345/130 394)"
        let w = if max > 0.0 {
            (v / max).clamp(0.0, 1.0) * (width - label_w - 190.0)
        } else {
            0.0
        };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            esc(name),
            h - 4.0,
            esc(name),
            esc(txt),
            label_w + w + 4.0,
            y + 13.0,
            esc(txt)
        );
    }
    s.push_str("</svg>");
    s
}

/// Stacked bars of counts per row, with a legend: (row label, [(count, colour)]).
pub fn stacked(
    rows: &[(String, Vec<(u64, &str)>)],
    legend: &[(&str, &str)],
    label: &str,
) -> String {
    let (h, width, label_w) = (22.0, 900.0, 200.0);
    let mut s = open(width, rows.len() as f64 * h + 30.0, label);
    for (i, (name, parts)) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * h;
        let total: u64 = parts.iter().map(|p| p.0).sum();
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            y + 14.0,
            esc(name)
        );
        let mut x = label_w;
        for (k, (n, color)) in parts.iter().enumerate() {
            let w = if total > 0 {
                *n as f64 / total as f64 * (width - label_w - 10.0)
            } else {
                0.0
            };
            let what = legend.get(k).map_or("", |l| l.0);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\"><title>{}: {n}</title></rect>",
                h - 6.0,
                esc(what)
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
        x += 130.0;
    }
    s.push_str("</svg>");
    s
}

/// The labels of the histogram's axes and thresholds.
pub struct HistogramText<'a> {
    /// x axis
    pub x: &'a str,
    /// y axis
    pub y: &'a str,
    /// the thresholds: (probability, label)
    pub thresholds: [(f64, &'a str); 2],
}

/// Columns of counts over probability bins of equal width from 0 to 1, on a log scale, with both
/// axes, their labels and the thresholds marked.
pub fn histogram(values: &[u64], text: &HistogramText) -> String {
    let (width, height, left, bottom, top) = (900.0, 260.0, 70.0, 44.0, 22.0);
    let plot_w = width - left - 20.0;
    let plot_h = height - bottom - top;
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let decades = max.log10().ceil().max(1.0);
    let y_of = |v: f64| top + plot_h - (v.max(1.0).log10() / decades) * plot_h;
    let mut s = open(width, height, text.x);
    // axes and the y ticks: 1, 10, 100, …
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"#556\"/><line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#556\"/>",
        top + plot_h,
        left + plot_w
    );
    for d in 0..=decades as u32 {
        let y = y_of(10f64.powi(d as i32));
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{y:.1}\" x2=\"{left}\" y2=\"{y:.1}\" stroke=\"#556\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 4.0,
            left - 6.0,
            y + 4.0,
            10u64.pow(d)
        );
    }
    let bw = plot_w / values.len().max(1) as f64;
    for (i, v) in values.iter().enumerate() {
        let x = left + i as f64 * bw;
        let (lo, hi) = (
            i as f64 / values.len() as f64,
            (i + 1) as f64 / values.len() as f64,
        );
        if *v > 0 {
            let y = y_of(*v as f64);
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#1f5fa8\"><title>{lo:.2}–{hi:.2}: {v}</title></rect>",
                x + 1.0,
                bw - 2.0,
                top + plot_h - y
            );
        }
    }
    for k in 0..=10 {
        let x = left + k as f64 / 10.0 * plot_w;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{0}\" x2=\"{x:.1}\" y2=\"{1}\" stroke=\"#556\"/><text x=\"{x:.1}\" y=\"{2}\" text-anchor=\"middle\">{3:.1}</text>",
            top + plot_h,
            top + plot_h + 4.0,
            top + plot_h + 16.0,
            k as f64 / 10.0
        );
    }
    for (p, name) in text.thresholds {
        let x = left + p.clamp(0.0, 1.0) * plot_w;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#c8413b\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{}\" text-anchor=\"end\" fill=\"#c8413b\">{} {p}</text>",
            top + plot_h,
            x - 3.0,
            top - 6.0,
            esc(name)
        );
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {3})\">{}</text></svg>",
        left + plot_w / 2.0,
        height - 6.0,
        esc(text.x),
        top + plot_h / 2.0,
        esc(text.y)
    );
    s
}

/// A line of rates (0–1) over labelled points, with a 0–100 % axis.
pub fn line(points: &[(String, Option<f64>)], color: &str, label: &str) -> String {
    let (width, height, left) = (900.0, 180.0, 44.0);
    let n = points.len().max(2) as f64;
    let mut s = open(width, height + 30.0, label);
    for k in 0..=4 {
        let y = height - k as f64 / 4.0 * height + 4.0;
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{width}\" y2=\"{y:.1}\" stroke=\"#dde\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{} %</text>",
            left - 4.0,
            y + 4.0,
            k * 25
        );
    }
    let mut path = String::new();
    for (i, (name, v)) in points.iter().enumerate() {
        let x = left + 6.0 + i as f64 / (n - 1.0) * (width - left - 16.0);
        if let Some(v) = v {
            let y = height - v * height + 4.0;
            let _ = write!(
                path,
                "{}{x:.1},{y:.1} ",
                if path.is_empty() { "M" } else { "L" }
            );
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2\" fill=\"{color}\"><title>{}: {:.1} %</title></circle>",
                esc(name),
                v * 100.0
            );
        }
        if i % 5 == 0 {
            let _ = write!(
                s,
                "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                height + 20.0,
                esc(name)
            );
        }
    }
    let _ = write!(
        s,
        "<path d=\"{path}\" fill=\"none\" stroke=\"{color}\"/></svg>"
    );
    s
}

/// A row of the coverage grid: the commune's label and its (year, records, book in the drop) cells.
pub type CoverageRow = (String, Vec<(u16, u64, bool)>);

/// A grid of communes (rows) by years (columns): a cell per year with its count, red where the
/// year's book is not in the drop.
pub fn coverage_grid(rows: &[CoverageRow], years: (u16, u16), label: &str) -> String {
    let (y0, y1) = years;
    let ncols = (y1.saturating_sub(y0) + 1) as f64;
    let (label_w, h, width) = (260.0, 14.0, 900.0);
    let cw = (width - label_w - 4.0) / ncols;
    let mut s = open(width, rows.len() as f64 * h + 24.0, label);
    for y in (y0..=y1).filter(|y| y % 10 == 0 || *y == y0) {
        let x = label_w + (y - y0) as f64 * cw;
        let _ = write!(s, "<text x=\"{x:.1}\" y=\"10\">{y}</text>");
    }
    for (i, (name, cells)) in rows.iter().enumerate() {
        let top = 16.0 + i as f64 * h;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            top + 11.0,
            esc(name)
        );
        for (year, n, in_drop) in cells {
            let x = label_w + (year - y0) as f64 * cw;
            let fill = if !in_drop {
                "#c8413b"
            } else if *n == 0 {
                "#eef2f8"
            } else {
                "#2f8f5b"
            };
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{}\" fill=\"{fill}\"><title>{} {year}: {n}</title></rect>",
                (cw - 1.0).max(0.5),
                h - 2.0,
                esc(name)
            );
        }
    }
    s.push_str("</svg>");
    s
}

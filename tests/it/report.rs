//! The reports: every figure recomputed from links.csv and population_findings.csv, the work book
//! read back, the HTML rendered in a real browser, and a snapshot of the HTML of a fixed case.
use crate::support::{fixtures, read_csv, reconcile, temp_dir};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::path::Path;

fn run_fixture(name: &str) -> crate::support::TempDir {
    let case = fixtures().join("reconcile/province_mix");
    let out = temp_dir(name);
    reconcile(&case.join("civil"), &case.join("population.csv"), &out).unwrap();
    out
}

fn cell(v: &Data) -> String {
    match v {
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// (num, den) pairs recomputed independently from the CSVs.
struct Expected {
    correct: (u64, u64),
    found: (u64, u64),
    clean: (u64, u64),
    by_type: BTreeMap<String, u64>,
    conflicts: BTreeMap<String, u64>,
    findings: BTreeMap<String, u64>,
}

fn expected(dir: &Path) -> Expected {
    let links = read_csv(&dir.join("links.csv"));
    let findings = read_csv(&dir.join("population_findings.csv"));
    let linked = links
        .iter()
        .filter(|r| r["status"] == "matched" || r["status"] == "conflict")
        .count() as u64;
    let matched = links.iter().filter(|r| r["status"] == "matched").count() as u64;
    let in_scope = links
        .iter()
        .filter(|r| r["status"] != "out_of_scope")
        .count() as u64;
    let dirty = [
        "invalid_date",
        "impossible_date",
        "invalid_id",
        "unresolved_place",
        "duplicate_book_key",
        "duplicate_event",
        "numbering_continued",
        "registration_before_event",
    ];
    let clean = links
        .iter()
        .filter(|r| {
            r["duplicate_group"].is_empty() && !r["flags"].split(';').any(|f| dirty.contains(&f))
        })
        .count() as u64;
    let mut by_type = BTreeMap::new();
    let mut conflicts = BTreeMap::new();
    for r in &links {
        *by_type.entry(r["record_type"].clone()).or_insert(0) += 1;
        for c in r["conflict_fields"].split(';').filter(|c| !c.is_empty()) {
            *conflicts.entry(c.to_string()).or_insert(0) += 1;
        }
    }
    let mut f = BTreeMap::new();
    for r in &findings {
        *f.entry(r["finding"].clone()).or_insert(0) += 1;
    }
    Expected {
        correct: (matched, linked),
        found: (linked, in_scope),
        clean: (clean, links.len() as u64),
        by_type,
        conflicts,
        findings: f,
    }
}

#[test]
fn every_figure_is_recomputed_from_the_csv_files() {
    let dir = run_fixture("report-figures");
    let e = expected(&dir);
    let mut wb: Xlsx<_> = open_workbook(dir.join("report.xlsx")).unwrap();
    // the summary sheet: (rate, num, den) of đúng, đủ, …, sạch
    let summary = wb.worksheet_range("Tổng hợp").unwrap();
    let row = |i: usize| -> (u64, u64) {
        let r: Vec<&Data> = summary.rows().nth(i).unwrap().iter().collect();
        (cell(r[2]).parse().unwrap(), cell(r[3]).parse().unwrap())
    };
    assert_eq!(row(3), e.correct, "đúng");
    assert_eq!(row(4), e.found, "đủ");
    assert_eq!(row(7), e.clean, "sạch");
    // per type: the subject count column
    let types = wb.worksheet_range("Theo loại").unwrap();
    let got: BTreeMap<String, u64> = types
        .rows()
        .skip(1)
        .filter(|r| !cell(&r[0]).is_empty())
        .map(|r| (cell(&r[0]), cell(&r[1]).parse().unwrap()))
        .collect();
    assert_eq!(got, e.by_type);
    let conflicts = wb.worksheet_range("Sai lệch theo trường").unwrap();
    let got: BTreeMap<String, u64> = conflicts
        .rows()
        .skip(1)
        .map(|r| (cell(&r[0]), cell(&r[1]).parse().unwrap()))
        .collect();
    assert_eq!(got, e.conflicts);
    let findings = wb.worksheet_range("Phát hiện dân cư").unwrap();
    let got: BTreeMap<String, u64> = findings
        .rows()
        .skip(1)
        .map(|r| (cell(&r[0]), cell(&r[1]).parse().unwrap()))
        .collect();
    assert_eq!(got, e.findings);
    // the HTML shows the same headline numbers
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for (n, d) in [e.correct, e.found, e.clean] {
        assert!(
            html.contains(&format!("<div class=\"n\">{n} / {d}</div>")),
            "{n} / {d} in the HTML"
        );
    }
}

#[test]
fn the_work_book_reads_back() {
    let dir = run_fixture("report-xlsx");
    let mut wb: Xlsx<_> = open_workbook(dir.join("report.xlsx")).unwrap();
    let names = wb.sheet_names().to_vec();
    for want in [
        "Tổng hợp",
        "Theo xã",
        "Theo loại",
        "Theo năm",
        "Sai lệch theo trường",
        "Cờ dữ liệu",
        "Phát hiện dân cư",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    let lists: Vec<&String> = names.iter().filter(|n| n.starts_with("DS - ")).collect();
    assert_eq!(lists.len(), 3, "{names:?}");
    // every commune of Hà Tĩnh is a row, those without records said so
    let communes = wb.worksheet_range("Theo xã").unwrap();
    let g = &*doisoat::places::GAZETTEER;
    let n_ht = g.communes.values().filter(|c| c.province == 42).count();
    assert!(communes.height() > n_ht, "{} rows", communes.height());
    assert_eq!(cell(&communes.rows().next().unwrap()[0]), "Xã (mã cũ)");
    assert!(
        communes
            .rows()
            .any(|r| r.iter().any(|c| cell(c) == "không có bản ghi"))
    );
    // the police list has the death and the marriage the registry does not show
    let police = wb.worksheet_range("DS - Công an xã").unwrap();
    let issues: Vec<String> = police.rows().skip(1).map(|r| cell(&r[10])).collect();
    assert!(
        issues.contains(&"death_not_recorded".to_string()),
        "{issues:?}"
    );
    assert!(
        issues.contains(&"marriage_not_recorded".to_string()),
        "{issues:?}"
    );
    // English labels on request
    doisoat::report::write_reports(&dir, doisoat::report::Lang::En).unwrap();
    let wb: Xlsx<_> = open_workbook(dir.join("report.xlsx")).unwrap();
    assert!(wb.sheet_names().iter().any(|n| n == "Summary"));
}

#[test]
fn the_run_and_doisoat_report_write_the_same_reports() {
    // the run builds its reports from the rows it has just written, `doisoat report` from the
    // files: they must not differ by a byte
    let dir = run_fixture("report-same");
    let (html, book) = (
        std::fs::read(dir.join("report.html")).unwrap(),
        std::fs::read(dir.join("report.xlsx")).unwrap(),
    );
    doisoat::report::write_reports(&dir, doisoat::report::Lang::Vi).unwrap();
    assert!(
        std::fs::read(dir.join("report.html")).unwrap() == html,
        "report.html differs"
    );
    assert!(
        std::fs::read(dir.join("report.xlsx")).unwrap() == book,
        "report.xlsx differs"
    );
}

#[test]
fn the_html_renders_in_a_real_browser() {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(browser) = browser else {
        println!("skipped: no chromium on this machine (.ci/run installs Debian's chromium)");
        return;
    };
    let dir = run_fixture("report-browser");
    let shot = dir.join("shot.png");
    let profile = dir.join("profile");
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", dir.join("report.html").display()))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")))
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    // a blank page of this size compresses to a few kilobytes; the report is far richer
    assert!(
        png.len() > 40_000,
        "the screenshot looks blank ({} bytes)",
        png.len()
    );
}

#[test]
fn html_snapshot_of_a_fixed_case() {
    let dir = run_fixture("report-snapshot");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        !html.contains("<script") && !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
    insta::assert_snapshot!(html);
}

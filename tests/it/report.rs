//! The reports: every figure recomputed from links.csv and population_findings.csv, the work book
//! read back, the HTML rendered in a real browser, and a snapshot of the HTML of a fixed case.
use crate::support::{fixtures, read_csv, reconcile, temp_dir};
use calamine::{Data, Reader, Xlsx, open_workbook};
use doisoat::report::Lang;
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
        // the sheets show labels, not codes
        let t = doisoat::ingest::schema::RecordType::from_code(&r["record_type"]).unwrap();
        *by_type.entry(t.label(Lang::Vi).to_string()).or_insert(0) += 1;
        for c in r["conflict_fields"].split(';').filter(|c| !c.is_empty()) {
            let label = doisoat::vocab::Field::from_code(c).unwrap().label(Lang::Vi);
            *conflicts.entry(label.to_string()).or_insert(0) += 1;
        }
    }
    let mut f = BTreeMap::new();
    for r in &findings {
        let label = doisoat::vocab::FindingKind::from_code(&r["finding"])
            .unwrap()
            .label(Lang::Vi);
        *f.entry(label.to_string()).or_insert(0) += 1;
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
    assert_eq!(cell(&communes.rows().next().unwrap()[0]), "Tên xã");
    assert!(
        communes
            .rows()
            .any(|r| r.iter().any(|c| cell(c) == "không có bản ghi"))
    );
    // the police list has the death and the marriage the registry does not show, in words, with
    // whom each row is about
    let police = wb.worksheet_range("DS - Công an xã").unwrap();
    let mut rows = police.rows();
    let head: Vec<String> = rows.next().unwrap().iter().map(cell).collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {head:?}"))
    };
    let (issue, who, action) = (col("Vấn đề"), col("Họ tên (theo sổ)"), col("Việc cần làm"));
    let rows: Vec<Vec<String>> = rows.map(|r| r.iter().map(cell).collect()).collect();
    let issues: Vec<&str> = rows.iter().map(|r| r[issue].as_str()).collect();
    assert!(issues.contains(&"Khai tử chưa cập nhật"), "{issues:?}");
    assert!(issues.contains(&"Kết hôn chưa cập nhật"), "{issues:?}");
    for r in &rows {
        assert!(!r[who].is_empty(), "a name on every row: {r:?}");
        assert!(!r[action].is_empty(), "an action on every row: {r:?}");
        assert!(
            !r[issue].contains('_'),
            "no code in the visible text: {r:?}"
        );
    }
    // sorted by commune, then book and number
    let keys: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[col("Tên xã")].clone(), r[col("Quyển số")].clone()))
        .collect();
    let mut communes: Vec<&String> = keys.iter().map(|k| &k.0).collect();
    communes.dedup();
    let mut seen = communes.clone();
    seen.sort();
    seen.dedup();
    assert_eq!(
        communes.len(),
        seen.len(),
        "each commune's rows together: {keys:?}"
    );
    // English labels on request
    doisoat::report::write_reports(&dir, doisoat::report::Lang::En, false).unwrap();
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
    doisoat::report::write_reports(&dir, doisoat::report::Lang::Vi, false).unwrap();
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
    // on a 1280 px laptop screen the page needs no horizontal scrolling: a copy of the page with a
    // line that writes its widths into the DOM, read back with --dump-dom
    let probe = dir.join("probe.html");
    let mut page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    page.push_str(
        "<script>document.body.setAttribute('data-width', \
         document.documentElement.scrollWidth + 'x' + document.documentElement.clientWidth)</script>",
    );
    std::fs::write(&probe, page).unwrap();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args(["--window-size=1280,900", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", probe.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let at = dom.find("data-width=\"").expect("the probe ran") + 12;
    let (scroll, client) = dom[at..dom[at..].find('"').unwrap() + at]
        .split_once('x')
        .unwrap();
    let (scroll, client): (u32, u32) = (scroll.parse().unwrap(), client.parse().unwrap());
    assert!(
        scroll <= client && client <= 1280,
        "page {scroll} px wide in a {client} px window"
    );
}

#[test]
fn one_work_book_per_commune_holds_that_communes_rows_only() {
    let dir = run_fixture("report-communes");
    doisoat::report::write_reports(&dir, Lang::Vi, true).unwrap();
    let wb: Xlsx<_> = open_workbook(dir.join("report.xlsx")).unwrap();
    let lists: Vec<String> = wb
        .sheet_names()
        .iter()
        .filter(|n| n.starts_with("DS - "))
        .cloned()
        .collect();
    // (sheet, row cells) of every work-list row of a book
    let rows_of = |path: &Path| -> Vec<(String, Vec<String>)> {
        let mut wb: Xlsx<_> = open_workbook(path).unwrap();
        let mut all = Vec::new();
        for name in &lists {
            let Ok(range) = wb.worksheet_range(name) else {
                continue;
            };
            for r in range.rows().skip(1) {
                all.push((name.clone(), r.iter().map(cell).collect()));
            }
        }
        all
    };
    let province = rows_of(&dir.join("report.xlsx"));
    let mut books = Vec::new();
    for d in std::fs::read_dir(dir.join("worklists")).unwrap() {
        let d = d.unwrap().path();
        if d.is_dir() {
            for f in std::fs::read_dir(&d).unwrap() {
                books.push(f.unwrap().path());
            }
        } else {
            books.push(d);
        }
    }
    assert!(books.len() >= 2, "{books:?}");
    let mut together = Vec::new();
    for b in &books {
        let rows = rows_of(b);
        let communes: std::collections::BTreeSet<&str> =
            rows.iter().map(|(_, r)| r[0].as_str()).collect();
        assert!(communes.len() <= 1, "{b:?} holds {communes:?}");
        // the commune's figures stand beside the province's
        let mut wb: Xlsx<_> = open_workbook(b).unwrap();
        assert!(wb.worksheet_range("Tổng hợp").is_ok(), "{b:?}");
        together.extend(rows);
    }
    let (mut a, mut b) = (province, together);
    a.sort();
    b.sort();
    assert_eq!(
        a, b,
        "the communes' books together are the province's lists"
    );
}

#[test]
fn html_snapshot_of_a_fixed_case() {
    let dir = run_fixture("report-snapshot");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        !html.contains("<script src") && !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
    insta::assert_snapshot!(html);
}

//! Hardening: wrong inputs refused with a message that says what to fix, outputs safe to open in a
//! spreadsheet, never half-written and private, and no reader or normalizer that panics.
use crate::support::{fixtures, read_csv, reconcile, temp_dir};
use std::path::Path;

const KS_HEADER: &str = "so,quyenSo,trangSo,ngayDangKy,loaiDangKy,noiDangKy,nguoiKy,chucVuNguoiKy,nguoiThucHien,ghiChu,nksHoTen,nksGioiTinh,nksNgaySinh,nksNoiSinh,nksDanToc,nksQuocTich,meHoTen,chaHoTen,nksSoDinhDanh";
const POP_HEADER: &str = "Số định danh cá nhân,\"Họ, chữ đệm và tên\",\"Ngày, tháng, năm sinh\",Giới tính,Nơi sinh,Nơi đăng ký khai sinh,Dân tộc,Quốc tịch,Họ tên cha,Họ tên mẹ";
const PLACE: &str = "\"Xã Thạch Long, Huyện Thạch Hà, Tỉnh Hà Tĩnh\"";

/// A birth row of the template: (number, name, sex, dob, mother, father, ID).
fn ks_row(
    n: u32,
    name: &str,
    sex: &str,
    dob: &str,
    mother: &str,
    father: &str,
    id: &str,
) -> String {
    format!(
        "{n}/2000,01/2000,,05.05.2000,,\"UBND xã Thạch Long, Huyện Thạch Hà\",Nguyễn Văn Hải,,,,{name},{sex},{dob},{PLACE},Kinh,,{mother},{father},{id}"
    )
}

/// A registry row: (ID, name, dob, sex, mother, father).
fn pop_row(id: &str, name: &str, dob: &str, sex: &str, mother: &str, father: &str) -> String {
    format!("{id},{name},{dob},{sex},{PLACE},{PLACE},Kinh,Việt Nam,{father},{mother}")
}

/// A small case: a folder with one birth book, and the extract.
fn case(dir: &Path, ks: &[String], pop: &[String]) -> (std::path::PathBuf, std::path::PathBuf) {
    let civil = dir.join("civil/thach_ha/18607_thach_long/KS");
    std::fs::create_dir_all(&civil).unwrap();
    let mut book = KS_HEADER.to_string();
    for r in ks {
        book.push('\n');
        book.push_str(r);
    }
    std::fs::write(civil.join("KS_2000_q01.csv"), book + "\n").unwrap();
    let mut p = POP_HEADER.to_string();
    for r in pop {
        p.push('\n');
        p.push_str(r);
    }
    std::fs::write(dir.join("population.csv"), p + "\n").unwrap();
    (dir.join("civil"), dir.join("population.csv"))
}

fn plain_case(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    case(
        dir,
        &[
            ks_row(
                1,
                "Phạm Văn Long",
                "Nam",
                "15/04/2000",
                "Lê Thị Lựu",
                "Phạm Văn Đông",
                "",
            ),
            ks_row(
                2,
                "Nguyễn Thị Hằng",
                "Nữ",
                "03/03/2000",
                "Trần Thị Gái",
                "Nguyễn Văn Thuận",
                "",
            ),
        ],
        &[
            pop_row(
                "042200000123",
                "Phạm Văn Long",
                "15/04/2000",
                "Nam",
                "Lê Thị Lựu",
                "Phạm Văn Đông",
            ),
            pop_row(
                "042300000124",
                "Nguyễn Thị Hằng",
                "03/03/2000",
                "Nữ",
                "Trần Thị Gái",
                "Nguyễn Văn Thuận",
            ),
        ],
    )
}

fn err(civil: &Path, pop: &Path, out: &Path) -> String {
    match reconcile(civil, pop, out) {
        Ok(_) => panic!("the run should have been refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn formula_like_values_are_neutralised_in_every_csv_and_flagged() {
    let dir = temp_dir("h-formula");
    let (civil, pop) = case(
        &dir,
        &[
            ks_row(
                1,
                "\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"",
                "Nam",
                "15/04/2000",
                "Lê Thị Lựu",
                "Phạm Văn Đông",
                "",
            )
            .replacen("1/2000", "=1+2", 1),
            ks_row(
                2,
                "Nguyễn Thị Hằng",
                "Nữ",
                "03/03/2000",
                "@SUM(A1)",
                "Nguyễn Văn Thuận",
                "+cmd|' /C calc'!A0",
            ),
        ],
        &[
            pop_row(
                "042200000123",
                "-Phạm Văn Long",
                "15/04/2000",
                "Nam",
                "Lê Thị Lựu",
                "Phạm Văn Đông",
            ),
            pop_row(
                "042300000124",
                "Nguyễn Thị Hằng",
                "03/03/2000",
                "Nữ",
                "Trần Thị Gái",
                "Nguyễn Văn Thuận",
            ),
        ],
    );
    let out = dir.join("out");
    reconcile(&civil, &pop, &out).unwrap();
    for f in ["links.csv", "population_findings.csv", "coverage.csv"] {
        let mut r = csv::Reader::from_path(out.join(f)).unwrap();
        let h = r.headers().unwrap().clone();
        for rec in r.records() {
            let rec = rec.unwrap();
            for (name, v) in h.iter().zip(rec.iter()) {
                let numeric = name == "match_probability" || name == "match_weight";
                if !numeric {
                    assert!(
                        !v.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{f} {name}: {v:?} reaches a spreadsheet as a formula"
                    );
                }
            }
        }
    }
    let links = read_csv(&out.join("links.csv"));
    assert_eq!(links[0]["number"], "'=1+2", "{:?}", links[0]);
    for r in &links {
        assert!(
            r["flags"].split(';').any(|f| f == "formula_like_value"),
            "{r:?}"
        );
    }
    // the reports read the values back as they were, and every cell of the work book is text
    doisoat::report::write_reports(&out, doisoat::report::Lang::Vi, false).unwrap();
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    for name in wb.sheet_names().to_vec() {
        let f = wb.worksheet_formula(&name).unwrap();
        assert!(
            f.used_cells().all(|(_, _, v)| v.is_empty()),
            "{name} holds formulas"
        );
        let range = wb.worksheet_range(&name).unwrap();
        for (_, _, v) in range.used_cells() {
            if let Data::String(s) = v
                && s.starts_with('\'')
            {
                panic!("{name}: the work book shows the escape: {s}");
            }
        }
    }
}

#[test]
fn a_civil_folder_without_a_usable_book_stops_the_job() {
    let dir = temp_dir("h-nobook");
    let (_, pop) = plain_case(&dir);
    let junk = dir.join("junk");
    std::fs::create_dir_all(&junk).unwrap();
    std::fs::write(junk.join("notes.csv"), "a,b,c\n1,2,3\n").unwrap();
    std::fs::write(junk.join("broken.xlsx"), b"PK\x03\x04 not really").unwrap();
    let e = err(&junk, &pop, &dir.join("out"));
    assert!(e.contains("no usable civil-status book"), "{e}");
    assert!(e.contains("notes.csv") && e.contains("broken.xlsx"), "{e}");
    assert!(!dir.join("out").join("links.csv").exists());
}

#[test]
fn a_population_file_without_its_id_column_stops_the_job() {
    let dir = temp_dir("h-noid");
    let (civil, pop) = plain_case(&dir);
    let text = std::fs::read_to_string(&pop).unwrap();
    let no_id: String = text
        .lines()
        .map(|l| l.split_once(',').unwrap().1.to_string() + "\n")
        .collect();
    std::fs::write(&pop, no_id).unwrap();
    let e = err(&civil, &pop, &dir.join("out"));
    assert!(e.contains("without its ID column"), "{e}");
    assert!(
        e.contains("Số định danh cá nhân") && e.contains("CCCD"),
        "aliases: {e}"
    );
    assert!(e.contains("Họ, chữ đệm và tên"), "columns found: {e}");
}

#[test]
fn a_civil_book_given_as_the_population_is_refused() {
    let dir = temp_dir("h-swap");
    let (civil, _) = plain_case(&dir);
    let book = civil.join("thach_ha/18607_thach_long/KS/KS_2000_q01.csv");
    let e = err(&civil, &book, &dir.join("out"));
    assert!(e.contains("civil-status book (KS"), "{e}");
    assert!(e.contains("--civil"), "{e}");
}

#[test]
fn duplicate_ids_are_a_finding_and_one_row_per_id_is_linked() {
    let dir = temp_dir("h-dupid");
    let (civil, pop) = case(
        &dir,
        &[ks_row(
            1,
            "Phạm Văn Long",
            "Nam",
            "15/04/2000",
            "Lê Thị Lựu",
            "Phạm Văn Đông",
            "",
        )],
        &[
            pop_row(
                "042200000123",
                "Phạm Văn Long",
                "15/04/2000",
                "Nam",
                "Lê Thị Lựu",
                "Phạm Văn Đông",
            ),
            pop_row(
                "042200000123",
                "Phạm Văn Long",
                "15/04/2000",
                "Nam",
                "Lê Thị Lựu",
                "Phạm Văn Đông",
            ),
        ],
    );
    let out = dir.join("out");
    let run = reconcile(&civil, &pop, &out).unwrap();
    assert_eq!(run.data.persons.len(), 1);
    let findings = read_csv(&out.join("population_findings.csv"));
    let dup: Vec<_> = findings
        .iter()
        .filter(|f| f["finding"] == "duplicate_id")
        .collect();
    assert_eq!(dup.len(), 1, "{findings:?}");
    assert_eq!(dup[0]["person_id"], "042200000123");
    assert!(
        dup[0]["evidence"].contains("population.csv:3") && dup[0]["evidence"].contains(":2"),
        "{:?}",
        dup[0]
    );
    let links = read_csv(&out.join("links.csv"));
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["status"], "matched");
    assert!(
        run.summary
            .warnings
            .iter()
            .any(|w| w.contains("duplicate_id")),
        "{:?}",
        run.summary.warnings
    );
}

#[test]
fn a_file_named_twice_is_read_once() {
    let dir = temp_dir("h-twice");
    let (civil, pop) = plain_case(&dir);
    let book = civil.join("thach_ha/18607_thach_long/KS/KS_2000_q01.csv");
    let mut opts = doisoat::pipeline::Options::new(
        vec![civil.clone(), civil.clone(), book],
        pop,
        dir.join("out"),
    );
    opts.quiet = true;
    let run = doisoat::pipeline::reconcile(&opts).unwrap();
    assert_eq!(run.summary.counts.civil_records, 2);
}

#[test]
fn an_output_folder_inside_an_input_or_holding_other_files_is_refused() {
    let dir = temp_dir("h-outside");
    let (civil, pop) = plain_case(&dir);
    let e = err(&civil, &pop, &civil.join("out"));
    assert!(e.contains("inside the input folder"), "{e}");
    let e = err(&civil, &pop, &dir);
    assert!(e.contains("holds the input"), "{e}");
    let mine = dir.join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("thesis.docx"), "mine").unwrap();
    let e = err(&civil, &pop, &mine);
    assert!(e.contains("not a doisoat run"), "{e}");
    assert_eq!(
        std::fs::read_to_string(mine.join("thesis.docx")).unwrap(),
        "mine"
    );
}

#[test]
fn short_rows_and_control_characters_are_reported_and_long_names_capped() {
    let dir = temp_dir("h-rows");
    let long_name = vec!["An"; 300].join(" ");
    let (civil, pop) = case(
        &dir,
        &[
            ks_row(
                1,
                "Phạm\u{0} Văn\u{1b} Long",
                "Nam",
                "15/04/2000",
                "Lê Thị Lựu",
                "Phạm Văn Đông",
                "",
            ),
            ks_row(
                2,
                &long_name,
                "Nữ",
                "03/03/2000",
                "Trần Thị Gái",
                "Nguyễn Văn Thuận",
                "",
            ),
            "3/2000,01/2000,,05.05.2000".to_string(),
        ],
        &[pop_row(
            "042200000123",
            "Phạm Văn Long",
            "15/04/2000",
            "Nam",
            "Lê Thị Lựu",
            "Phạm Văn Đông",
        )],
    );
    let out = dir.join("out");
    let run = reconcile(&civil, &pop, &out).unwrap();
    assert!(
        run.summary
            .files
            .bad_row_examples
            .iter()
            .any(|b| b.source_row == 4 && b.problem.contains("cells but the header has")),
        "{:?}",
        run.summary.files.bad_row_examples
    );
    let links = read_csv(&out.join("links.csv"));
    let row = |n: &str| links.iter().find(|r| r["source_row"] == n).unwrap();
    let first = row("2");
    assert!(first["flags"].contains("control_characters"), "{first:?}");
    assert_eq!(first["civil_name"], "Phạm Văn Long");
    assert_eq!(first["status"], "matched", "stripped, the name agrees");
    assert!(
        row("3")["flags"].contains("name_too_long"),
        "{:?}",
        row("3")
    );
    // the terminal never gets the raw escape
    let bad = dir.join("bad\u{1b}[2J.csv");
    std::fs::write(&bad, "x\n").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_doisoat"))
        .args(["reconcile", "--civil"])
        .arg(&bad)
        .arg("--population")
        .arg(&pop)
        .arg("--out")
        .arg(dir.join("out2"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(stderr.contains("\\u{1b}"), "{stderr}");
}

#[test]
fn a_run_is_put_in_place_whole_and_its_files_checked_by_report_and_explain() {
    let dir = temp_dir("h-atomic");
    let (civil, pop) = plain_case(&dir);
    let out = dir.join("out");
    // a dead run's temporary folder is cleared away
    let stale = dir.join(".out.doisoat-999999999.tmp");
    std::fs::create_dir_all(&stale).unwrap();
    reconcile(&civil, &pop, &out).unwrap();
    assert!(!stale.exists(), "the dead run's folder is removed");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("doisoat-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // a second run replaces the first whole
    let first = doisoat::summary::Summary::read(&out).unwrap().run.id;
    reconcile(&civil, &pop, &out).unwrap();
    let second = doisoat::summary::Summary::read(&out).unwrap().run.id;
    assert_ne!(first, second);
    // private outputs
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out), 0o700);
        for f in std::fs::read_dir(&out).unwrap() {
            let p = f.unwrap().path();
            if p.is_file() {
                assert_eq!(mode(&p), 0o600, "{p:?}");
            }
        }
    }
    // an input changed since the run: a warning, not a refusal
    let text = std::fs::read_to_string(&pop).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&pop, text).unwrap();
    let (_, warnings) = doisoat::summary::Summary::read_checked(&out).unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("changed since the run")),
        "{warnings:?}"
    );
    // a file of another run: report and explain refuse the folder
    let mut links = std::fs::read(out.join("links.csv")).unwrap();
    links.extend_from_slice(b"x.csv,9,KS,nks,,missing,,,,false,,,,,,,,,,,,,,,,,,,,,,\n");
    std::fs::write(out.join("links.csv"), links).unwrap();
    let e = doisoat::report::write_reports(&out, doisoat::report::Lang::Vi, false).unwrap_err();
    assert!(e.to_string().contains("mixes runs"), "{e}");
    let e = doisoat::explain::LoadedRun::load(&out).err().unwrap();
    assert!(e.to_string().contains("mixes runs"), "{e}");
}

#[test]
fn the_nasty_files_run_end_to_end() {
    // binary, truncated zip, an unterminated quote at the end, a 1 MB cell, 100,000 commas,
    // control characters: each file is read or skipped with a reason, and the job goes on
    let nasty = fixtures().join("nasty");
    let case = fixtures().join("reconcile/province_mix");
    let out = temp_dir("h-nasty");
    let opts = doisoat::pipeline::Options::new(
        vec![case.join("civil"), nasty.clone()],
        case.join("population.csv"),
        out.join("run"),
    );
    let run = doisoat::pipeline::reconcile(&opts).unwrap();
    let read: Vec<&String> = run.summary.files.civil_read.iter().collect();
    let skipped: Vec<&String> = run.summary.files.skipped.iter().map(|s| &s.path).collect();
    for f in std::fs::read_dir(&nasty).unwrap() {
        let name = f.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "README.md" {
            continue;
        }
        assert!(
            read.iter().any(|r| r.contains(&name)) || skipped.iter().any(|s| s.contains(&name)),
            "{name}: neither read nor skipped ({read:?}, {skipped:?})"
        );
    }
    // and the same files as the population extract
    for f in std::fs::read_dir(&nasty).unwrap() {
        let p = f.unwrap().path();
        let opts = doisoat::pipeline::Options::new(vec![case.join("civil")], p, out.join("pop"));
        let _ = doisoat::pipeline::reconcile(&opts);
    }
}

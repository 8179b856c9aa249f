//! The command line: `normalize` outputs as snapshots, the table mode, and clear errors.
use crate::support::temp_dir;

use crate::support::doisoat;

#[test]
fn normalize_names() {
    let (out, _, ok) = doisoat(&[
        "normalize",
        "name",
        "Hoà Hoàng Dieäu",
        "NguyÔn V¨n §øc",
        "Nguyá»…n VÄƒn HÃ¹ng",
        "Nguye^~n Va(n Hu`ng",
        "trần  thị thuỷ",
        "PhạmQuốc Quân",
        "Tôn Nữ Thị Hoà",
        "Y Ngông Niê",
    ]);
    assert!(ok);
    insta::assert_snapshot!(out);
}

#[test]
fn normalize_dates() {
    let (out, _, ok) = doisoat(&[
        "normalize",
        "date",
        "25/09/2000",
        "25.9.2000",
        "25092000",
        "09/2000",
        "1950",
        "5/3/87",
        "30/02/2001",
        "0h20' ngày 25/9/2000",
        "35 tuổi",
        "13/25/1990",
    ]);
    assert!(ok);
    insta::assert_snapshot!(out);
}

#[test]
fn normalize_ids() {
    let (out, _, ok) = doisoat(&[
        "normalize",
        "id",
        "042189123456",
        "001099000001",
        "003099000001",
        "42089001234",
        "183456789",
        "12345",
    ]);
    assert!(ok);
    insta::assert_snapshot!(out);
}

#[test]
fn normalize_places() {
    let (out, _, ok) = doisoat(&[
        "normalize",
        "place",
        "--province",
        "42",
        "X. Thạch Long, H. Thạch Hà, T. Hà Tĩnh",
        "xa ho do huyen loc ha",
        "Kỳ Anh",
        "Xã Thạch Đồng, TP Hà Tĩnh",
        "nhà",
    ]);
    assert!(ok);
    insta::assert_snapshot!(out);
}

#[test]
fn normalize_a_table_leaves_the_input_untouched() {
    let dir = temp_dir("cli-table");
    let input = dir.join("ks.csv");
    let text = "SỔ ĐĂNG KÝ KHAI SINH\nso,nksHoTen,nksNgaySinh,nksGioiTinh,nksNoiSinh\n1/2001,NguyÔn V¨n §øc,30/02/2001,Nam,\"X. Thạch Long, H. Thạch Hà, T. Hà Tĩnh\"\n";
    std::fs::write(&input, text).unwrap();
    let out = dir.join("clean.csv");
    let (_, err, ok) = doisoat(&[
        "normalize",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    let rows = crate::support::read_csv(&out);
    assert_eq!(rows[0]["source_row"], "3");
    assert_eq!(rows[0]["nksHoTen_normalized"], "Nguyễn Văn Đức");
    assert_eq!(rows[0]["legacy_encoding"], "tcvn3");
    assert!(rows[0]["issues"].contains("nksNgaySinh:impossible_date"));
    let (_, err, ok) = doisoat(&[
        "normalize",
        "--input",
        input.to_str().unwrap(),
        "--out",
        input.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("never writes over its inputs"), "{err}");
}

#[test]
fn unknown_province_is_an_error() {
    let (_, err, ok) = doisoat(&["normalize", "place", "--province", "Atlantis", "x"]);
    assert!(!ok);
    assert!(err.contains("unknown province"), "{err}");
}

#[test]
fn demo_makes_a_province_reconciles_it_and_says_where_to_look() {
    let dir = temp_dir("demo");
    let out = dir.join("doisoat-demo");
    let out_s = out.to_str().unwrap();
    let (stdout, stderr, ok) = doisoat(&["demo", "--out", out_s, "--persons", "2000"]);
    assert!(ok, "{stderr}");
    for f in ["report.html", "report.xlsx", "worklists", "links.csv"] {
        let p = out.join("run").join(f);
        assert!(p.exists(), "{p:?}");
        assert!(stdout.contains(&p.display().to_string()), "{f} in {stdout}");
    }
    // an earlier demo is replaced; any other folder is left alone
    let (_, stderr, ok) = doisoat(&["demo", "--out", out_s, "--persons", "2000"]);
    assert!(ok, "{stderr}");
    let other = dir.join("mine");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("keep.txt"), "mine").unwrap();
    let (_, stderr, ok) = doisoat(&["demo", "--out", other.to_str().unwrap()]);
    assert!(
        !ok && stderr.contains("not made by `doisoat demo`"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(other.join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn the_readme_glossary_is_the_glossary_of_the_code() {
    // every status, flag, finding and field code is explained in the README, with its label
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let (vi, _, ok) = doisoat(&["glossary"]);
    assert!(ok);
    let (en, _, ok) = doisoat(&["glossary", "--lang", "en"]);
    assert!(ok);
    for table in [&vi, &en] {
        for line in table.lines().skip(2) {
            assert!(
                readme.contains(line),
                "the README lacks the glossary line {line}"
            );
        }
    }
    for s in doisoat::vocab::Status::ALL {
        assert!(vi.contains(&format!("`{}`", s.code())), "{s:?}");
    }
    for f in doisoat::vocab::Flag::ALL {
        assert!(vi.contains(&format!("`{}`", f.code())), "{f:?}");
    }
    for f in doisoat::vocab::FindingKind::ALL {
        assert!(vi.contains(&format!("`{}`", f.code())), "{f:?}");
    }
}

#[test]
fn progress_is_stage_lines_off_a_terminal_and_nothing_when_quiet() {
    let case = crate::support::fixtures().join("reconcile/province_mix");
    let dir = temp_dir("progress");
    let args = |out: &str| {
        vec![
            "reconcile".to_string(),
            "--civil".to_string(),
            case.join("civil").display().to_string(),
            "--population".to_string(),
            case.join("population.csv").display().to_string(),
            "--out".to_string(),
            dir.join(out).display().to_string(),
        ]
    };
    let a = args("a");
    let (_, stderr, ok) = doisoat(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok, "{stderr}");
    // stderr is a pipe here: the stage lines, and no bar drawn
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    for stage in [
        "ingest",
        "normalize",
        "block+compare",
        "score",
        "link",
        "classify",
        "report",
    ] {
        assert!(
            stderr.contains(&format!("[doisoat] {stage}")),
            "{stage}: {stderr}"
        );
    }
    let mut q = args("b");
    q.push("--quiet".to_string());
    let (_, stderr, ok) = doisoat(&q.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn decisions_are_imported_applied_and_exported() {
    use crate::support::read_csv;
    let case = crate::support::fixtures().join("reconcile/province_mix");
    let dir = temp_dir("decisions");
    let pop = case.join("population.csv");
    let run = |out: &str, extra: &[&str]| {
        crate::support::reconcile_cli(&case.join("civil"), &pop, &dir.join(out), extra)
    };
    let (before, _) = run("before", &[]);
    let review = before.iter().find(|r| r["status"] == "review").unwrap();
    let chosen = review["candidates"]
        .split(';')
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap();
    let matched = before.iter().find(|r| r["status"] == "matched").unwrap();
    let conflicts: Vec<_> = before
        .iter()
        .filter(|r| r["status"] == "conflict")
        .collect();
    let (accepted, fixed) = (conflicts[0], conflicts[1]);
    let csv = format!(
        "record_key,person_id,decision,by,note\n{},{chosen},same_person,an,checked the book\n{},{},not_same_person,an,\nKS|99999|1/2000|1/2000|2000-01-01|nks,042000000001,same_person,an,\n{},{chosen},maybe,an,\n{},{},accept_conflict,bình,\n{},{},fixed_in_book,bình,\n",
        review["record_key"],
        matched["record_key"],
        matched["person_id"],
        review["record_key"],
        accepted["record_key"],
        accepted["person_id"],
        fixed["record_key"],
        fixed["person_id"]
    );
    std::fs::write(dir.join("d.csv"), csv).unwrap();
    let db = dir.join("decisions.sqlite");
    let (db_s, d_s) = (
        db.display().to_string(),
        dir.join("d.csv").display().to_string(),
    );
    let (_, stderr, ok) = doisoat(&["decisions", "import", &d_s, "--decisions", &db_s]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("5 decisions taken") && stderr.contains("1 rows refused"),
        "{stderr}"
    );
    assert!(
        stderr.contains("d.csv row 5") && stderr.contains("unknown decision"),
        "{stderr}"
    );
    let (after, stderr) = run("after", &["--decisions", &db_s]);
    assert!(
        stderr.contains("5 in the store, 4 applied, 1 not"),
        "{stderr}"
    );
    let row = |rows: &[std::collections::BTreeMap<String, String>], key: &str| {
        rows.iter()
            .find(|r| r["record_key"] == key)
            .unwrap()
            .clone()
    };
    let r = row(&after, &review["record_key"]);
    assert_eq!(r["person_id"], chosen, "{r:?}");
    assert!(
        r["status"] == "matched" || r["status"] == "conflict",
        "{r:?}"
    );
    let m = row(&after, &matched["record_key"]);
    assert_ne!(m["person_id"], matched["person_id"], "{m:?}");
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("after/summary.json")).unwrap())
            .unwrap();
    assert_eq!(s["decisions"]["applied"], 4);
    // an accepted conflict leaves the work lists; a fix decided but still found is flagged
    let a = row(&after, &accepted["record_key"]);
    assert_eq!(a["decision"], "accept_conflict");
    let f = row(&after, &fixed["record_key"]);
    assert_eq!(f["decision"], "fixed_in_book");
    assert!(f["flags"].contains("fix_not_seen"), "{f:?}");
    let listed = |d: &str, file: &str, line: &str| -> bool {
        crate::support::work_list_rows(&dir.join(d).join("report.xlsx"))
            .iter()
            .any(|r| r.iter().any(|c| c == file) && r.iter().any(|c| c == line))
    };
    assert!(listed(
        "before",
        &accepted["source_file"],
        &accepted["source_row"]
    ));
    assert!(!listed(
        "after",
        &accepted["source_file"],
        &accepted["source_row"]
    ));
    assert!(
        s["decisions"]["not_applied"][0]
            .as_str()
            .unwrap()
            .contains("not in this run")
    );
    // the same inputs and decisions give the same outputs
    let (again, _) = run("again", &["--decisions", &db_s]);
    assert_eq!(again, after);
    // exported with their history
    let out = dir.join("export.csv");
    let (_, stderr, ok) = doisoat(&[
        "decisions",
        "export",
        "--decisions",
        &db_s,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let rows = read_csv(&out);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["decision"], "same_person");
    assert_eq!(rows[0]["note"], "checked the book");
}

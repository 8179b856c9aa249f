//! Reconcile end to end on the hand-made fixtures, determinism, and bad input.
use crate::support::{fixtures, read_csv, reconcile, temp_dir};

#[test]
fn every_fixture_case_gives_its_expected_links_and_findings() {
    let root = fixtures().join("reconcile");
    let mut cases = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let case = entry.unwrap().path();
        if !case.join("population.csv").exists() {
            continue;
        }
        cases += 1;
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let out = temp_dir(&format!("case-{name}"));
        reconcile(&case.join("civil"), &case.join("population.csv"), &out).unwrap();
        let got = read_csv(&out.join("links.csv"));
        let want = read_csv(&case.join("expected_links.csv"));
        assert_eq!(got.len(), want.len(), "{name}: row count");
        // review candidates are compared by person; their probabilities belong to the model
        let persons = |c: &str| -> Vec<String> {
            c.split(';')
                .filter(|x| !x.is_empty())
                .map(|x| x.split(':').next().unwrap_or("").to_string())
                .collect()
        };
        for (g, w) in got.iter().zip(&want) {
            for (k, v) in w {
                if k == "candidates" {
                    assert_eq!(
                        persons(&g[k]),
                        persons(v),
                        "{name}: {} row {} candidates",
                        w["source_file"],
                        w["source_row"]
                    );
                    continue;
                }
                assert_eq!(
                    &g[k], v,
                    "{name}: {} row {} ({}) column {k}",
                    w["source_file"], w["source_row"], w["role"]
                );
            }
        }
        let got = std::fs::read_to_string(out.join("population_findings.csv")).unwrap();
        let want = std::fs::read_to_string(case.join("expected_findings.csv")).unwrap();
        assert_eq!(got, want, "{name}: population findings");
    }
    assert!(cases >= 1);
}

#[test]
fn same_inputs_same_outputs_byte_for_byte() {
    let case = fixtures().join("reconcile/province_mix");
    let (a, b) = (temp_dir("det-a"), temp_dir("det-b"));
    reconcile(&case.join("civil"), &case.join("population.csv"), &a).unwrap();
    reconcile(&case.join("civil"), &case.join("population.csv"), &b).unwrap();
    for f in [
        "links.csv",
        "population_findings.csv",
        "model.json",
        "report.xlsx",
        "report.html",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let sa = doisoat::summary::without_timings(
        &std::fs::read_to_string(a.join("summary.json")).unwrap(),
    );
    let sb = doisoat::summary::without_timings(
        &std::fs::read_to_string(b.join("summary.json")).unwrap(),
    );
    assert_eq!(sa, sb, "summary.json apart from the stage timings");
}

#[test]
fn no_population_file_is_a_clear_error() {
    let case = fixtures().join("reconcile/province_mix");
    let dir = temp_dir("nopop");
    std::fs::write(dir.join("notes.csv"), "ghi chú,khác\n1,2\n").unwrap();
    let err = reconcile(
        &case.join("civil"),
        &dir.join("notes.csv"),
        &dir.join("out"),
    )
    .err()
    .expect("an error");
    let msg = err.to_string();
    assert!(msg.contains("no population file could be read"), "{msg}");
    assert!(msg.contains("found: ghi chú, khác"), "{msg}");
    let err = reconcile(
        &case.join("civil"),
        &dir.join("absent.csv"),
        &dir.join("out"),
    )
    .err()
    .expect("an error");
    assert!(err.to_string().contains("absent.csv"), "{err}");
}

#[test]
fn zero_candidate_pairs_still_runs_and_says_so() {
    let case = fixtures().join("reconcile/province_mix");
    let dir = temp_dir("zero");
    std::fs::write(dir.join("pop.csv"), "Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính\n042099000001,Zzz Qqq Xxx,01/01/1899,Nam\n").unwrap();
    let run = reconcile(&case.join("civil"), &dir.join("pop.csv"), &dir.join("out")).unwrap();
    assert_eq!(run.summary.blocking.candidate_pairs, 0);
    assert!(
        run.summary
            .warnings
            .iter()
            .any(|w| w.contains("zero candidate pairs")),
        "{:?}",
        run.summary.warnings
    );
    assert!(run.rows.iter().all(|r| matches!(
        r.status,
        doisoat::vocab::Status::Missing | doisoat::vocab::Status::OutOfScope
    )));
}

#[test]
fn bad_rows_and_bad_files_never_stop_the_job() {
    let case = fixtures().join("reconcile/province_mix");
    let dir = temp_dir("badrows");
    let civil = dir.join("civil");
    std::fs::create_dir_all(&civil).unwrap();
    std::fs::write(civil.join("broken.xlsx"), b"this is not a workbook").unwrap();
    std::fs::write(civil.join("random.csv"), "a,b,c\n1,2,3\n").unwrap();
    std::fs::write(
        civil.join("ks.csv"),
        "so,quyenSo,ngayDangKy,nksHoTen,nksNgaySinh,meHoTen\n1/2001,01/2001,05.01.2001,Hồ Sỹ Quý,01/01/2001,Đặng Thị Xuân,extra,cells\n2/2001,01/2001,06.01.2001,Lê Thị Mỹ,03/01/2001,Trần Thị Hồng\n",
    )
    .unwrap();
    let inputs_before = std::fs::read(civil.join("ks.csv")).unwrap();
    let run = reconcile(&civil, &case.join("population.csv"), &dir.join("out")).unwrap();
    assert_eq!(
        run.rows.len(),
        2,
        "both rows of the good file were reconciled"
    );
    let skipped: Vec<&str> = run
        .summary
        .files
        .skipped
        .iter()
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(skipped, vec!["broken.xlsx", "random.csv"]);
    assert!(
        run.summary.files.skipped[1]
            .reason
            .contains("found: a, b, c")
    );
    assert_eq!(run.summary.files.bad_rows, 1);
    assert_eq!(run.summary.files.bad_row_examples[0].source_row, 2);
    assert_eq!(
        std::fs::read(civil.join("ks.csv")).unwrap(),
        inputs_before,
        "inputs are never modified"
    );
}

#[test]
fn a_rules_file_with_several_errors_lists_them_all() {
    let dir = temp_dir("rules");
    let p = dir.join("rules.toml");
    std::fs::write(&p, "provinse = \"42\"\n[thresholds]\nmatch_probability = \"cao\"\n[blocking]\nmax_block_sise = 3\n").unwrap();
    let err = doisoat::rules::Rules::load(&p).unwrap_err().to_string();
    assert!(err.contains("3 problem(s)"), "{err}");
    assert!(
        err.contains("provinse")
            && err.contains("match_probability")
            && err.contains("max_block_sise"),
        "{err}"
    );
}

#[test]
fn record_keys_are_unique_and_survive_a_re_export() {
    let case = fixtures().join("reconcile/province_mix");
    let a = temp_dir("key-a");
    reconcile(
        &case.join("civil"),
        &case.join("population.csv"),
        &a.join("run"),
    )
    .unwrap();
    // the same books re-exported: every file renamed and moved into one folder, its data rows in
    // reverse order, with Windows line ends
    let flat = a.join("reexport");
    crate::support::reexport(&case.join("civil"), &flat);
    reconcile(&flat, &case.join("population.csv"), &a.join("run2")).unwrap();
    let by_key = |dir: &std::path::Path| -> std::collections::BTreeMap<String, (String, String)> {
        let rows = read_csv(&dir.join("links.csv"));
        let n = rows.len();
        let m: std::collections::BTreeMap<_, _> = rows
            .into_iter()
            .map(|r| {
                (
                    r["record_key"].clone(),
                    (r["person_id"].clone(), r["status"].clone()),
                )
            })
            .collect();
        assert_eq!(m.len(), n, "record keys are unique");
        m
    };
    let (k1, k2) = (by_key(&a.join("run")), by_key(&a.join("run2")));
    assert_eq!(
        k1.keys().collect::<Vec<_>>(),
        k2.keys().collect::<Vec<_>>(),
        "the same keys after the re-export"
    );
    assert!(k1.keys().all(|k| k.split('|').count() >= 4), "{k1:?}");
    // explain takes a record_key
    let key = k1.keys().find(|k| !k.contains('#')).unwrap().clone();
    let run = doisoat::explain::LoadedRun::load(&a.join("run")).unwrap();
    assert_eq!(run.find(&key).unwrap().len(), 1);
}

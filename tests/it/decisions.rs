//! Decisions that last: every kind honoured by a re-run on books re-exported in another row
//! order, taken from a filled-in work book (keyed by record_key, not by row), and a store that two
//! writers share.
use crate::support::{
    Row, doisoat, fixtures, reconcile_cli as reconcile, reexport, temp_dir, work_list_rows,
};
use doisoat::decisions::{Decision, Kind, Store};
use std::collections::BTreeMap;
use std::path::Path;

/// A copy of `report.xlsx` with the decision (and, where given, the person) filled in on the work
/// lists' rows of the given record keys, as an analyst would in Excel.
fn fill_in(report: &Path, out: &Path, picks: &BTreeMap<String, (&str, Option<String>)>) -> usize {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(report).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut filled = 0;
    for name in wb.sheet_names().to_vec() {
        let range = wb.worksheet_range(&name).unwrap();
        let ws = book.add_worksheet().set_name(&name).unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let head = rows.first().cloned().unwrap_or_default();
        let col = |h: &str| head.iter().position(|x| x == h);
        let (key, decision, person, note) = (
            col("record_key"),
            col("Quyết định"),
            col("Số định danh"),
            col("Ghi chú"),
        );
        for (i, r) in rows.iter().enumerate() {
            for (j, v) in r.iter().enumerate() {
                ws.write_string(i as u32, j as u16, v).unwrap();
            }
            let (Some(k), Some(d), Some(p), Some(n)) = (key, decision, person, note) else {
                continue;
            };
            if let Some((kind, who)) = picks.get(&r[k]) {
                ws.write_string(i as u32, d as u16, *kind).unwrap();
                ws.write_string(i as u32, n as u16, "đã đối chiếu sổ gốc")
                    .unwrap();
                if let Some(who) = who {
                    ws.write_string(i as u32, p as u16, who).unwrap();
                }
                filled += 1;
            }
        }
    }
    book.save(out).unwrap();
    filled
}

#[test]
fn every_decision_is_honoured_after_the_books_are_re_exported() {
    let case = fixtures().join("reconcile/province_mix");
    let pop = case.join("population.csv");
    let dir = temp_dir("decided");
    let (before, _) = reconcile(&case.join("civil"), &pop, &dir.join("before"), &[]);
    let find = |f: &dyn Fn(&&Row) -> bool| before.iter().find(f).unwrap().clone();
    let review = find(&|r| r["status"] == "review");
    let chosen = review["candidates"].split(';').nth(1).unwrap();
    let chosen = chosen.split(':').next().unwrap().to_string();
    let matched = find(&|r| r["status"] == "matched" && r["duplicate_group"].is_empty());
    let conflicts: Vec<&Row> = before
        .iter()
        .filter(|r| r["status"] == "conflict")
        .collect();
    assert!(conflicts.len() >= 3, "{conflicts:?}");
    // the later of two birth registrations of one person
    let twice: Vec<&Row> = before
        .iter()
        .filter(|r| r["duplicate_group"].starts_with('E') && r["status"] == "matched")
        .collect();
    assert_eq!(twice.len(), 2, "{twice:?}");
    let (kept, cancelled) = (twice[0].clone(), twice[1].clone());
    assert_eq!(kept["person_id"], cancelled["person_id"]);

    // the work book filled in: labels of the drop-down, in Vietnamese
    let mut picks: BTreeMap<String, (&str, Option<String>)> = BTreeMap::new();
    let label = |k: Kind| k.label(doisoat::vocab::Lang::Vi);
    picks.insert(
        review["record_key"].clone(),
        (label(Kind::SamePerson), Some(chosen.clone())),
    );
    picks.insert(
        conflicts[0]["record_key"].clone(),
        (label(Kind::AcceptConflict), None),
    );
    picks.insert(
        conflicts[1]["record_key"].clone(),
        (label(Kind::FixedInBook), None),
    );
    picks.insert(
        conflicts[2]["record_key"].clone(),
        (label(Kind::FixedInRegistry), None),
    );
    picks.insert(
        cancelled["record_key"].clone(),
        (label(Kind::CancelRecord), None),
    );
    let book = dir.join("filled.xlsx");
    let filled = fill_in(&dir.join("before/report.xlsx"), &book, &picks);
    assert!(filled >= picks.len(), "{filled} rows filled");
    let db = dir.join("decisions.sqlite");
    let (db_s, book_s) = (db.display().to_string(), book.display().to_string());
    let (_, err, ok) = doisoat(&[
        "decisions",
        "import",
        &book_s,
        "--decisions",
        &db_s,
        "--by",
        "an",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("0 rows refused"), "{err}");
    // and one by CSV
    let csv = dir.join("d.csv");
    std::fs::write(
        &csv,
        format!(
            "record_key,person_id,decision,by,note\n{},{},not_same_person,bình,\n",
            matched["record_key"], matched["person_id"]
        ),
    )
    .unwrap();
    let (_, err, ok) = doisoat(&[
        "decisions",
        "import",
        csv.to_str().unwrap(),
        "--decisions",
        &db_s,
    ]);
    assert!(ok, "{err}");
    let store = Store::open(&db).unwrap();
    let latest = store.latest().unwrap();
    let kinds: std::collections::BTreeSet<&str> = latest.iter().map(|d| d.kind.code()).collect();
    assert_eq!(kinds.len(), Kind::ALL.len(), "{kinds:?}");
    assert!(
        latest
            .iter()
            .all(|d| d.kind == Kind::NotSamePerson || d.by == "an")
    );

    // the books re-exported in another row order, under other names
    let flat = dir.join("reexport");
    reexport(&case.join("civil"), &flat);
    let (after, err) = reconcile(&flat, &pop, &dir.join("after"), &["--decisions", &db_s]);
    assert!(err.contains("6 in the store, 6 applied, 0 not"), "{err}");
    let row = |key: &str| {
        after
            .iter()
            .find(|r| r["record_key"] == key)
            .unwrap()
            .clone()
    };
    // same_person: linked to the person people chose
    let r = row(&review["record_key"]);
    assert_eq!(r["person_id"], chosen, "{r:?}");
    assert_eq!(r["decision"], "same_person");
    // not_same_person: never linked to that person
    let r = row(&matched["record_key"]);
    assert_ne!(r["person_id"], matched["person_id"], "{r:?}");
    // accept_conflict: still a conflict in the figures, off the work lists
    let r = row(&conflicts[0]["record_key"]);
    assert_eq!(
        (r["status"].as_str(), r["decision"].as_str()),
        ("conflict", "accept_conflict")
    );
    // fixed_*: the books were not corrected, so the difference comes back flagged
    for c in &conflicts[1..3] {
        let r = row(&c["record_key"]);
        assert!(r["decision"].starts_with("fixed_in_"), "{r:?}");
        assert!(r["flags"].contains("fix_not_seen"), "{r:?}");
    }
    // cancel_record: the cancelled registration takes no person, the other is no longer a duplicate
    let r = row(&cancelled["record_key"]);
    assert_eq!(
        (r["person_id"].as_str(), r["decision"].as_str()),
        ("", "cancel_record")
    );
    let k = row(&kept["record_key"]);
    assert_eq!(k["person_id"], kept["person_id"]);
    assert!(
        k["duplicate_group"].is_empty() && !k["flags"].contains("duplicate_event"),
        "{k:?}"
    );

    // the reports say what was applied; the accepted conflict and the cancelled record are off
    // the work lists, the fixes not seen are on them
    let html = std::fs::read_to_string(dir.join("after/report.html")).unwrap();
    assert!(
        html.contains("Quyết định đã áp dụng"),
        "no decisions section"
    );
    let listed = |d: &str, key: &str| -> bool {
        work_list_rows(&dir.join(d).join("report.xlsx"))
            .iter()
            .any(|r| r.iter().any(|c| c == key))
    };
    assert!(listed("before", &conflicts[0]["record_key"]));
    assert!(!listed("after", &conflicts[0]["record_key"]));
    assert!(!listed("after", &cancelled["record_key"]));
    assert!(listed("after", &conflicts[1]["record_key"]));

    // exported as a work book, with the history
    let out = dir.join("export.xlsx");
    let (_, err, ok) = doisoat(&[
        "decisions",
        "export",
        "--decisions",
        &db_s,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(range.rows().count(), 1 + store.all().unwrap().len());
    // and taken back in as it is
    let db2 = dir.join("again.sqlite");
    let (_, err, ok) = doisoat(&[
        "decisions",
        "import",
        out.to_str().unwrap(),
        "--decisions",
        db2.to_str().unwrap(),
    ]);
    assert!(ok && err.contains("0 rows refused"), "{err}");
    let pairs = |s: &Store| -> Vec<(String, String, Kind)> {
        let mut v: Vec<_> = s
            .latest()
            .unwrap()
            .into_iter()
            .map(|d| (d.record_key, d.person_id, d.kind))
            .collect();
        v.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        v
    };
    assert_eq!(pairs(&Store::open(&db2).unwrap()), pairs(&store));
}

#[test]
fn a_work_book_without_a_decision_column_is_refused() {
    let dir = temp_dir("no-decision-col");
    let path = dir.join("other.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "ho_ten").unwrap();
    book.save(&path).unwrap();
    let db = dir.join("d.sqlite");
    let (_, err, ok) = doisoat(&[
        "decisions",
        "import",
        path.to_str().unwrap(),
        "--decisions",
        db.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("no sheet has the record_key"), "{err}");
}

fn decision(i: usize, kind: Kind, by: &str) -> Decision {
    Decision {
        record_key: format!("KS|00001|1/2000|{i}/2000|2000-01-01|nks"),
        person_id: format!("0420000{i:05}"),
        kind,
        by: by.to_string(),
        note: String::new(),
        at: doisoat::decisions::now(),
        run: String::new(),
    }
}

#[test]
fn the_store_is_append_only_latest_wins_and_two_writers_share_it() {
    let dir = temp_dir("store");
    let db = dir.join("d.sqlite");
    Store::open(&db).unwrap();
    let writers: Vec<_> = ["an", "bình"]
        .into_iter()
        .map(|by| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&db).unwrap();
                for i in 0..60 {
                    let kind = if by == "an" {
                        Kind::SamePerson
                    } else {
                        Kind::NotSamePerson
                    };
                    s.add(&[decision(i, kind, by)]).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let s = Store::open(&db).unwrap();
    let all = s.all().unwrap();
    assert_eq!(all.len(), 120, "every decision of both writers kept");
    // the history keeps both; one in force per pair, the later one
    let latest = s.latest().unwrap();
    assert_eq!(latest.len(), 60);
    for d in &latest {
        let last = all
            .iter()
            .rev()
            .find(|x| x.record_key == d.record_key && x.person_id == d.person_id)
            .unwrap();
        assert_eq!(last, d);
    }
}

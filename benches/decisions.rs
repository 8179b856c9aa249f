//! Decisions at province scale: one review-page case (both sides, the candidates, the levels and
//! weights) on a reconciled synthetic province, and taking in a filled-in 100,000-row work book.
//! `DOISOAT_BENCH_PERSONS` sets the province's size (default 200,000; 1,600,000 for a province).
use criterion::{Criterion, criterion_group, criterion_main};
use doisoat::explain::LoadedRun;
use doisoat::report::i18n::{Lang, t};
use doisoat::report::xlsx::lists::{COLUMNS, DECISION_COL, KEY_COL, PERSON_COL};
use doisoat::review::cases;
use std::hint::black_box;

fn review_case(c: &mut Criterion, dir: &std::path::Path) {
    let persons: usize = std::env::var("DOISOAT_BENCH_PERSONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let cfg = doisoat::synth::config::NoiseConfig::default();
    doisoat::synth::generate(persons, 7, 42, &cfg, dir).unwrap();
    let mut opts = doisoat::pipeline::Options::new(
        vec![dir.join("civil")],
        dir.join("population.csv"),
        dir.join("run"),
    );
    opts.quiet = true;
    doisoat::pipeline::reconcile(&opts).unwrap();
    let run = LoadedRun::load(&dir.join("run")).unwrap();
    let stages = run.stages();
    let x = stages.explainer();
    let q = cases::queue(&run);
    assert!(!q.is_empty());
    let mut i = 0;
    c.bench_function(&format!("review_case_{persons}_persons"), |b| {
        b.iter(|| {
            i = (i + 7919) % q.len();
            black_box(cases::case(&run, &x, &q, i, Lang::Vi))
        })
    });
    let filter = cases::Filter::default();
    c.bench_function(&format!("review_queue_{persons}_persons"), |b| {
        b.iter(|| black_box(cases::listing(&run, &q, &filter, Lang::Vi)))
    });
}

fn import_workbook(c: &mut Criterion, dir: &std::path::Path) {
    const ROWS: u32 = 100_000;
    let path = dir.join("filled.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name("DS - Tư pháp xã").unwrap();
    for (j, k) in COLUMNS.iter().enumerate() {
        ws.write_string(0, j as u16, t(Lang::Vi, k)).unwrap();
    }
    let label = doisoat::decisions::Kind::AcceptConflict.label(Lang::Vi);
    for r in 1..=ROWS {
        for (j, v) in [
            (0, "Xã Thạch Hà"),
            (8, "Nguyễn Văn An"),
            (9, "1990-01-01"),
            (13, "Khác biệt: Ngày sinh"),
        ] {
            ws.write_string(r, j, v).unwrap();
        }
        ws.write_string(r, PERSON_COL as u16, format!("042090{r:06}"))
            .unwrap();
        ws.write_string(
            r,
            KEY_COL as u16,
            format!("KS|18607|1/1990|{r}/1990|1990-02-01|nks"),
        )
        .unwrap();
        ws.write_string(r, DECISION_COL as u16, label).unwrap();
    }
    book.save(&path).unwrap();
    c.bench_function("import_workbook_100k_rows", |b| {
        b.iter(|| {
            let got =
                doisoat::decisions::workbook::read_xlsx(&path, "bench", "2026-12-02 00:00:00")
                    .unwrap();
            assert_eq!(got.took.len(), ROWS as usize);
            black_box(got)
        })
    });
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("doisoat-bench-decisions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    import_workbook(c, &dir);
    review_case(c, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);

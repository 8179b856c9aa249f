//! Ingest: reading one large CSV (a synthetic population extract of 100,000 persons), against the
//! floor of reading its bytes.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use doisoat::ingest::{self, Expect};
use std::collections::HashMap;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("doisoat-bench-ingest-{}", std::process::id()));
    let cfg = doisoat::synth::config::NoiseConfig::default();
    doisoat::synth::generate(100_000, 7, 42, &cfg, &dir).unwrap();
    let path = dir.join("population.csv");
    let bytes = std::fs::metadata(&path).unwrap().len();
    let map = HashMap::new();
    let mut g = c.benchmark_group("ingest");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("read_bytes_floor", |b| {
        b.iter(|| black_box(std::fs::read(&path).unwrap()))
    });
    g.bench_function("population_csv", |b| {
        b.iter(|| {
            black_box(ingest::read_file(
                &path,
                "population.csv",
                Expect::Population,
                &map,
            ))
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);

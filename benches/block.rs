//! Block: building the indexes and generating every subject's candidate pairs.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use doisoat::block::Blocker;
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let (data, _places, rules) = common::dataset(30_000);
    let mut g = c.benchmark_group("block");
    g.throughput(Throughput::Elements(data.subjects.len() as u64));
    g.bench_function("index", |b| {
        b.iter(|| black_box(Blocker::new(&data, &rules.blocking)))
    });
    let blocker = Blocker::new(&data, &rules.blocking);
    g.bench_function("candidates", |b| {
        b.iter(|| {
            let mut stats = blocker.new_stats();
            for s in &data.subjects {
                black_box(blocker.candidates(s, &data, &mut stats));
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);

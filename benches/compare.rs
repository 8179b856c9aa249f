//! Compare: comparison vectors of the candidate pairs, in pairs per second (both cores).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use doisoat::block::Blocker;
use doisoat::compare::Comparer;
use rayon::prelude::*;
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let (data, places, rules) = common::dataset(30_000);
    let blocker = Blocker::new(&data, &rules.blocking);
    let mut stats = blocker.new_stats();
    let pairs: Vec<(u32, doisoat::subjects::PersonIdx)> = data
        .subjects
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            blocker
                .candidates(s, &data, &mut stats)
                .into_iter()
                .map(move |(p, _)| (i as u32, p))
        })
        .collect();
    let cmp = Comparer::new(&data, &places, &rules.costs);
    let mut g = c.benchmark_group("compare");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("gamma_parallel", |b| {
        b.iter(|| {
            pairs.par_iter().for_each(|&(s, p)| {
                black_box(cmp.gamma(&data.subjects[s as usize], data.person(p)));
            })
        })
    });
    g.bench_function("gamma_one_core", |b| {
        b.iter(|| {
            for &(s, p) in &pairs {
                black_box(cmp.gamma(&data.subjects[s as usize], data.person(p)));
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

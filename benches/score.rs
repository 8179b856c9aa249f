//! Score: EM over pattern counts, and weighting every candidate pair (compare + score together is
//! the reconcile hot path).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use doisoat::block::Blocker;
use doisoat::compare::Comparer;
use doisoat::score::{Model, Scorer};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let (data, places, rules) = common::dataset(30_000);
    let blocker = Blocker::new(&data, &rules.blocking);
    let cmp = Comparer::new(&data, &places, &rules.costs);
    let pairs = doisoat::pipeline::compare_all(&data, &blocker, &cmp).pairs;
    let n = pairs.len() as u64;
    let mut counts: std::collections::HashMap<doisoat::compare::Gamma, u64> = Default::default();
    for gm in pairs.gammas() {
        *counts.entry(doisoat::compare::unpack(gm)).or_default() += 1;
    }
    let mut patterns: Vec<_> = counts.into_iter().collect();
    patterns.sort();
    let (u, _) = doisoat::score::em::estimate_u(&data, &cmp, 1, 200_000);
    let model = Model::builtin().unwrap();
    let scorer = Scorer::new(&model, &data, &rules);
    let mut g = c.benchmark_group("score");
    g.throughput(Throughput::Elements(n));
    g.bench_function("weigh_pairs", |b| {
        b.iter(|| black_box(scorer.rank_all(&data, &pairs)))
    });
    // the hot path of a run: comparison vector and weight of every candidate pair, both cores
    let flat: Vec<(u32, doisoat::subjects::PersonIdx)> = (0..data.subjects.len())
        .flat_map(|s| pairs.of(s).0.iter().map(move |p| (s as u32, *p)))
        .collect();
    g.bench_function("compare_and_score", |b| {
        b.iter(|| {
            use rayon::prelude::*;
            let total: f64 = flat
                .par_iter()
                .map(|&(s, p)| {
                    let sub = &data.subjects[s as usize];
                    let gm = cmp.gamma(sub, data.person(p));
                    scorer.weight(sub, p, &gm)
                })
                .sum();
            black_box(total)
        })
    });
    g.throughput(Throughput::Elements(patterns.len() as u64));
    g.bench_function("em", |b| {
        b.iter(|| black_box(doisoat::score::em::em(&patterns, &u, true, 100, 1e-5)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);

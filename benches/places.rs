//! Places: resolving free text, with the cache that real files' repetition makes effective, and
//! without it (every string new).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use doisoat::places::{Context, Places};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let texts = common::places(50_000);
    let mut g = c.benchmark_group("places");
    g.throughput(Throughput::Elements(texts.len() as u64));
    let places = Places::new();
    let ctx = Context {
        province: Some(42),
        ..Context::default()
    };
    g.bench_function("resolve_cached", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(places.resolve(t, ctx));
            }
        })
    });
    let distinct: Vec<&String> = texts.iter().take(2_000).collect();
    g.throughput(Throughput::Elements(distinct.len() as u64));
    g.bench_function("resolve_uncached", |b| {
        b.iter(|| {
            for t in &distinct {
                black_box(doisoat::places::resolve::resolve(
                    places.gazetteer(),
                    t,
                    ctx,
                ));
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);

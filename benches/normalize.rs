//! Normalize: Unicode names, legacy-encoded names (column detection + per-cell repair), dates.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use doisoat::encoding::{self, Encoding};
use doisoat::ingest::lexicon::NameLexicon;
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let names = common::names(20_000);
    let mut g = c.benchmark_group("normalize");
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function("names_unicode", |b| {
        b.iter(|| {
            for n in &names {
                black_box(doisoat::normalize::normalize_name(n));
            }
        })
    });
    for enc in [Encoding::Tcvn3, Encoding::Vni] {
        let legacy: Vec<String> = names.iter().map(|n| encoding::encode(n, enc)).collect();
        g.bench_function(format!("names_{}", enc.as_str()), |b| {
            b.iter(|| {
                let sample: Vec<&str> = legacy.iter().take(400).map(String::as_str).collect();
                let det = encoding::detect(&sample, &NameLexicon);
                for n in &legacy {
                    let r = encoding::repair(n, &det, &NameLexicon);
                    black_box(doisoat::normalize::normalize_name(&r.text));
                }
            })
        });
    }
    let dates: Vec<String> = (0..20_000)
        .map(|i| match i % 5 {
            0 => format!("{:02}/{:02}/{}", i % 28 + 1, i % 12 + 1, 1930 + i % 95),
            1 => format!("{:02}.{:02}.{}", i % 28 + 1, i % 12 + 1, 1930 + i % 95),
            2 => format!("{:02}{:02}{}", i % 28 + 1, i % 12 + 1, 1930 + i % 95),
            3 => format!("{}", 1930 + i % 95),
            _ => format!("{}/{}", i % 12 + 1, 1930 + i % 95),
        })
        .collect();
    g.throughput(Throughput::Elements(dates.len() as u64));
    g.bench_function("dates", |b| {
        b.iter(|| {
            for d in &dates {
                black_box(doisoat::normalize::parse_date(d));
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

//! Shared inputs for the benches: realistic names, places and a small synthetic province.
#![allow(dead_code)]
use doisoat::normalize::Sex;
use doisoat::synth::population::Namer;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

/// `n` full names drawn with the generator's name frequencies (so common names repeat).
pub fn names(n: usize) -> Vec<String> {
    let namer = Namer::new();
    let mut rng = Pcg64::seed_from_u64(42);
    (0..n)
        .map(|_| {
            let sex = if rng.random::<bool>() {
                Sex::Nam
            } else {
                Sex::Nu
            };
            let year = rng.random_range(1930..2025u16);
            let mut v = namer.family(&mut rng);
            v.extend(namer.rest(sex, year, &[], &mut rng));
            v.iter()
                .map(|w| doisoat::normalize::text::capitalize(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Place strings as books write them: the province's communes in several styles.
pub fn places(n: usize) -> Vec<String> {
    let mut communes: Vec<u32> = doisoat::places::GAZETTEER
        .communes
        .values()
        .filter(|c| c.province == 42)
        .map(|c| c.code)
        .collect();
    communes.sort_unstable();
    let mut rng = Pcg64::seed_from_u64(7);
    use doisoat::synth::placetext::{Style, write};
    let styles = [
        Style::Full,
        Style::Abbrev,
        Style::Plain,
        Style::NoProvince,
        Style::Agency,
        Style::New,
    ];
    (0..n)
        .map(|_| {
            write(
                communes[rng.random_range(0..communes.len())],
                styles[rng.random_range(0..styles.len())],
                &mut rng,
            )
        })
        .collect()
}

/// A small synthetic province, ingested and normalized.
pub fn dataset(
    persons: usize,
) -> (
    doisoat::subjects::Dataset,
    doisoat::places::Places,
    doisoat::settings::Settings,
) {
    let dir = std::env::temp_dir().join(format!("doisoat-bench-{persons}"));
    if !dir.join("population.csv").exists() {
        doisoat::synth::generate(
            persons,
            9,
            42,
            &doisoat::synth::config::NoiseConfig::default(),
            &dir,
        )
        .unwrap();
    }
    let rules = doisoat::settings::Settings::default();
    let civil = doisoat::ingest::read_inputs(
        &[dir.join("civil")],
        doisoat::ingest::Expect::Civil,
        &Default::default(),
    )
    .unwrap();
    let pop = doisoat::ingest::read_inputs(
        &[dir.join("population.csv")],
        doisoat::ingest::Expect::Population,
        &Default::default(),
    )
    .unwrap();
    let tables: Vec<&doisoat::ingest::Table> =
        civil.tables.iter().chain(pop.tables.iter()).collect();
    let places = doisoat::places::Places::new();
    let data = doisoat::subjects::build(&tables, &places, &rules);
    (data, places, rules)
}

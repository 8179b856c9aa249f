//! Compare: the comparison vectors the pipeline computes are those the declarations give.
use crate::support::temp_dir;
use doisoat::block::Blocker;
use doisoat::compare::{COMPARISONS, Cmp, Comparer, NULL};
use doisoat::settings::Settings;
use doisoat::synth::config::NoiseConfig;

/// A small synthetic province (Hà Tĩnh, the generator's default errors), read and normalized.
fn province(
    name: &str,
    persons: usize,
    seed: u64,
) -> (doisoat::subjects::Dataset, doisoat::places::Places) {
    let d = temp_dir(name);
    doisoat::synth::generate(persons, seed, 42, &NoiseConfig::default(), &d).unwrap();
    let read = |p: std::path::PathBuf, e| {
        doisoat::ingest::read_inputs(&[p], e, &Default::default()).unwrap()
    };
    let civil = read(d.join("civil"), doisoat::ingest::Expect::Civil);
    let pop = read(
        d.join("population.csv"),
        doisoat::ingest::Expect::Population,
    );
    let tables: Vec<&doisoat::ingest::Table> =
        civil.tables.iter().chain(pop.tables.iter()).collect();
    let places = doisoat::places::Places::new();
    let data = doisoat::subjects::build(&tables, &places, &Settings::default());
    (data, places)
}

/// `Comparer::gamma` reads the three name parts together and calls the other comparisons
/// directly; each level must be the one its declaration gives, on every candidate pair of a small
/// province (names with and without diacritics, swapped, dropped, mistyped) and on pairs drawn at
/// random (the unrelated names blocking never brings).
#[test]
fn gamma_is_the_declared_comparisons() {
    let settings = Settings::default();
    let (data, places) = province("compare-gamma", 4000, 21);
    let cmp = Comparer::new(&data, &places, &settings.costs);
    let blocker = Blocker::new(&data, &settings.blocking);
    let mut stats = blocker.new_stats();
    let (mut pairs, mut differing_names) = (0usize, 0usize);
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for s in &data.subjects {
        let mut persons: Vec<_> = blocker
            .candidates(s, &data, &mut stats)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        for _ in 0..3 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let i = (x >> 33) as usize % data.persons.len();
            persons.push(doisoat::subjects::PersonIdx::new(i));
        }
        for p in persons {
            let p = data.person(p);
            let (fast, declared) = (cmp.gamma(s, p), cmp.gamma_declared(s, p));
            assert_eq!(
                fast, declared,
                "subject {:?} person {:?}",
                s.facts.name, p.facts.name
            );
            pairs += 1;
            differing_names +=
                (fast[Cmp::Family as usize] != NULL && fast[Cmp::Given as usize] != 0) as usize;
        }
    }
    assert!(pairs > 10_000, "{pairs} pairs");
    assert!(
        differing_names > 5_000,
        "{differing_names} pairs of differing given names"
    );
    assert_eq!(COMPARISONS.len(), doisoat::compare::N);
}

/// Every person's scope is found once, in parallel, when the coverage is inferred; the findings,
/// the summary's counts and `coverage.csv` read it from there: it must be the scope the person
/// has, for every person of a small province (in scope, another province, book not in the drop).
#[test]
fn scopes_found_once_are_the_persons_scopes() {
    use doisoat::classify::{Coverage, Scope};
    let (data, places) = province("compare-scopes", 3000, 5);
    let g = places.gazetteer();
    let coverage = Coverage::infer(&data, g);
    let mut kinds = [0usize; 3];
    for (i, p) in data.persons.iter().enumerate() {
        let s = coverage.scope(&data, g, p);
        assert_eq!(coverage.scope_at(i), s, "person {i}");
        kinds[match s {
            Scope::InScope => 0,
            Scope::OtherProvince => 1,
            Scope::BookNotInDrop { .. } => 2,
        }] += 1;
    }
    assert!(kinds.iter().all(|&k| k > 100), "scopes {kinds:?}");
}

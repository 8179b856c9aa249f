//! Properties that must always hold: normalization is total and idempotent, similarities are
//! symmetric and bounded, blocking yields each pair once.
use doisoat::normalize::{normalize_name, parse_date, parse_id};
use proptest::prelude::*;

fn vietnamese_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Nguyễn",
        "nguyễn",
        "NGUYỄN",
        "Nguye\u{302}\u{303}n",
        "Văn",
        "Thị",
        "thuỷ",
        "Thủy",
        "hoà",
        "Hòa",
        "Đức",
        "Ðức",
        "Quý",
        "gìơ",
        "lựơng",
        "PhạmQuốc",
        "H'Linh",
        "Y",
        "§øc",
        "Vuõ",
        "á»…",
        " ",
        "  ",
        "-",
        ".",
        "\u{200B}",
        "\u{AD}",
        "x",
        "Ư",
        "ươ",
    ]);
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn name_normalization_is_total_and_idempotent(s in vietnamese_text()) {
        let n = normalize_name(&s);
        let again = normalize_name(&n.canonical());
        prop_assert_eq!(again.canonical(), n.canonical());
        prop_assert_eq!(again.lower(), n.lower());
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,40}") {
        let _ = normalize_name(&s);
        let _ = parse_date(&s);
        let _ = parse_id(&s);
        let _ = doisoat::places::Places::new().resolve(&s, doisoat::places::Context::default());
    }

    #[test]
    fn syllable_costs_are_symmetric_and_bounded(a in vietnamese_text(), b in vietnamese_text()) {
        let mut t = doisoat::subjects::intern::NameTable::default();
        let ids = t.intern_raw(&[a.as_str(), b.as_str()]);
        let costs = doisoat::rules::Rules::default().costs;
        if ids[0] != doisoat::subjects::intern::NONE && ids[1] != doisoat::subjects::intern::NONE {
            for &x in &t.names[ids[0] as usize].syl {
                for &y in &t.names[ids[1] as usize].syl {
                    let (sx, sy) = (&t.syls[x as usize], &t.syls[y as usize]);
                    let c1 = doisoat::compare::name::syllable_cost(sx, sy, &costs);
                    let c2 = doisoat::compare::name::syllable_cost(sy, sx, &costs);
                    prop_assert!((c1 - c2).abs() < 1e-6);
                    prop_assert!((0.0..=1.0).contains(&c1));
                }
            }
            let c = doisoat::compare::name::NameComparer { names: &t, costs: &costs };
            prop_assert_eq!(c.whole(ids[0], ids[1]), c.whole(ids[1], ids[0]));
        }
    }
}

#[test]
fn blocking_yields_each_pair_once() {
    let case = crate::support::fixtures().join("reconcile/province_mix");
    let rules = doisoat::rules::Rules::default();
    let civil = doisoat::ingest::read_inputs(
        &[case.join("civil")],
        doisoat::ingest::Expect::Civil,
        &Default::default(),
    )
    .unwrap();
    let pop = doisoat::ingest::read_inputs(
        &[case.join("population.csv")],
        doisoat::ingest::Expect::Population,
        &Default::default(),
    )
    .unwrap();
    let tables: Vec<&doisoat::ingest::Table> =
        civil.tables.iter().chain(pop.tables.iter()).collect();
    let places = doisoat::places::Places::new();
    let data = doisoat::subjects::build(&tables, &places, &rules);
    let blocker = doisoat::block::Blocker::new(&data, &rules.blocking);
    let mut stats = blocker.new_stats();
    let mut total_new = 0;
    for s in &data.subjects {
        let c = blocker.candidates(s, &data, &mut stats);
        let mut persons: Vec<u32> = c.iter().map(|x| x.0).collect();
        total_new += persons.len() as u64;
        persons.dedup();
        assert_eq!(persons.len(), c.len(), "a pair appears twice");
    }
    assert_eq!(
        stats.iter().map(|s| s.new_pairs).sum::<u64>(),
        total_new,
        "new pairs per rule add up"
    );
}

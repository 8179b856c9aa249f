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
        let mut t = doisoat::subjects::names::NameTable::default();
        let ids = t.intern_raw(&[a.as_str(), b.as_str()]);
        let costs = doisoat::rules::Rules::default().costs;
        if let (Some(x), Some(y)) = (ids[0], ids[1]) {
            for &i in &t.get(x).syl {
                for &j in &t.get(y).syl {
                    let (sx, sy) = (t.syl(i), t.syl(j));
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

    /// Blocking gives exactly what its definition says: for every rule, the persons sharing all
    /// its keys with the subject; a block over `max_block_size` narrowed to those sharing the
    /// middle name too and then cut at `hard_cap`; each person once, credited to the first
    /// training rule that found it (else the first rule); the statistics adding up.
    #[test]
    fn blocking_gives_what_its_rules_define(
        persons in prop::collection::vec(record(), 1..60),
        subjects in prop::collection::vec(record(), 1..20),
        max_block in 1usize..6,
        cap_extra in 0usize..4,
    ) {
        check_blocking(&persons, &subjects, max_block, max_block + cap_extra)?;
    }
}

/// A small record: indices into tiny name and date alphabets, so that keys collide often.
type Rec = (usize, usize, usize, u16, u8, Option<usize>);

fn record() -> impl Strategy<Value = Rec> {
    (
        0..3usize,
        0..3usize,
        0..4usize,
        0..3u16,
        0..3u8,
        prop::option::of(0..2usize),
    )
}

const FAMILY: [&str; 3] = ["Nguyễn", "Nguyen", "Trần"];
const MIDDLE: [&str; 3] = ["Văn", "Thị", "Đức"];
const GIVEN: [&str; 4] = ["Hùng", "Hưng", "Lan", "An"];
const MOTHER: [&str; 2] = ["Lê Thị Hoa", "Phạm Thị Mai"];

fn build(persons: &[Rec], subjects: &[Rec]) -> doisoat::subjects::Dataset {
    use doisoat::subjects::{Dataset, Facts, Person, Role, Subject};
    let mut names = doisoat::subjects::names::NameTable::default();
    let facts = |names: &mut doisoat::subjects::names::NameTable, r: &Rec| {
        let full = format!("{} {} {}", FAMILY[r.0], MIDDLE[r.1], GIVEN[r.2]);
        let ids = names.intern_raw(&[full.as_str(), r.5.map_or("", |m| MOTHER[m])]);
        Facts {
            name: ids[0],
            mother: ids[1],
            dob: Some(doisoat::normalize::PartialDate::ymd(1990 + r.3, 1 + r.4, 1)),
            ..Facts::default()
        }
    };
    let persons = persons
        .iter()
        .enumerate()
        .map(|(i, r)| Person {
            facts: facts(&mut names, r),
            person_id: format!("p{i}"),
            death: None,
            marital: doisoat::subjects::Marital::Unknown,
            source: (0, i as u32),
        })
        .collect();
    let subjects = subjects
        .iter()
        .enumerate()
        .map(|(i, r)| Subject {
            facts: facts(&mut names, r),
            table: 0,
            row: i as u32,
            source_row: i as u32 + 2,
            record_type: doisoat::ingest::RecordType::KS,
            role: Role::Nks,
            reg_date: None,
            event_date: None,
            dissolved: false,
            certified: doisoat::subjects::Marital::Unknown,
            number: None,
            flags: Default::default(),
            decoded: 0,
        })
        .collect();
    Dataset {
        names,
        places: Vec::new(),
        subjects,
        persons,
        civil_files: Vec::new(),
        population_files: Vec::new(),
        province: None,
        duplicate_ids: Vec::new(),
    }
}

/// The value of a key, computed from its definition (folded name parts, the date).
fn key(
    k: doisoat::settings::BlockKey,
    f: &doisoat::subjects::Facts,
    d: &doisoat::subjects::Dataset,
) -> Option<(u64, u64)> {
    use doisoat::settings::BlockKey::*;
    let name = f.name.map(|n| d.names.get(n));
    Some(match k {
        BirthYear => (f.dob?.year as u64, 0),
        Dob => (
            f.dob?.year as u64,
            (f.dob?.month as u64) << 8 | f.dob?.day as u64,
        ),
        Family => (name?.k_family, 0),
        Given => (name?.k_given, 0),
        Middle => (name?.k_middle, 0),
        Mother => {
            let m = d.names.get(f.mother?);
            (m.k_family, m.k_given)
        }
        _ => unreachable!("not used by the test's rules"),
    })
}

fn check_blocking(
    persons: &[Rec],
    subjects: &[Rec],
    max_block: usize,
    cap: usize,
) -> Result<(), TestCaseError> {
    use doisoat::settings::{BlockKey::*, BlockRule, Blocking};
    let data = build(persons, subjects);
    let rule = |name: &str, keys: Vec<doisoat::settings::BlockKey>, train: bool| BlockRule {
        name: name.into(),
        keys,
        train,
    };
    let settings = Blocking {
        max_block_size: max_block,
        hard_cap: cap,
        rules: vec![
            rule("year_family_given", vec![BirthYear, Family, Given], true),
            rule("family_mother_year", vec![Family, Mother, BirthYear], false),
            rule("given_middle_dob", vec![Given, Middle, Dob], true),
        ],
    };
    let blocker = doisoat::block::Blocker::new(&data, &settings);
    let mut stats = blocker.new_stats();
    let (mut want_pairs, mut want_new) = (vec![0u64; 3], vec![0u64; 3]);
    for s in &data.subjects {
        let got = blocker.candidates(s, &data, &mut stats);
        let mut want: std::collections::BTreeMap<usize, usize> = Default::default();
        for (ri, r) in settings.rules.iter().enumerate() {
            let ks: Option<Vec<_>> = r.keys.iter().map(|k| key(*k, &s.facts, &data)).collect();
            let Some(ks) = ks else { continue };
            let mut block: Vec<usize> = (0..data.persons.len())
                .filter(|&p| {
                    let kp: Option<Vec<_>> = r
                        .keys
                        .iter()
                        .map(|k| key(*k, &data.persons[p].facts, &data))
                        .collect();
                    kp.as_ref() == Some(&ks)
                })
                .collect();
            if block.len() > max_block {
                let mid = |f: &doisoat::subjects::Facts| f.name.map(|n| data.names.get(n).k_middle);
                block.retain(|&p| mid(&data.persons[p].facts) == mid(&s.facts));
                block.truncate(cap);
            }
            want_pairs[ri] += block.len() as u64;
            for p in block {
                let e = want.entry(p).or_insert(ri);
                let better = |a: usize, b: usize| {
                    (!settings.rules[a].train, a) < (!settings.rules[b].train, b)
                };
                if better(ri, *e) {
                    *e = ri;
                }
            }
        }
        let got: Vec<(usize, usize)> = got
            .iter()
            .map(|(p, ri)| (p.index(), *ri as usize))
            .collect();
        let want: Vec<(usize, usize)> = want.into_iter().collect();
        prop_assert_eq!(&got, &want);
        for (_, ri) in want {
            want_new[ri] += 1;
        }
    }
    prop_assert_eq!(
        stats.iter().map(|s| s.pairs).collect::<Vec<_>>(),
        want_pairs
    );
    prop_assert_eq!(
        stats.iter().map(|s| s.new_pairs).collect::<Vec<_>>(),
        want_new
    );
    // the merge of sorted keys (the whole job's path) gives every subject the same candidates and
    // the same statistics as the lookup of one subject, in any order of the subjects
    let order: Vec<&doisoat::subjects::Subject> = data.subjects.iter().rev().collect();
    let at: Vec<u32> = (0..order.len() as u32).rev().collect();
    let spans = blocker.spans(&data, &at);
    let mut merged = blocker.new_stats();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut one = blocker.new_stats();
    for (i, s) in order.iter().enumerate() {
        blocker.candidates_at(&spans, i, &mut merged, &mut a);
        blocker.candidates_into(s, &data, &mut one, &mut b);
        prop_assert_eq!(&a, &b);
    }
    let spans = spans.into_stats();
    for (m, s) in merged.iter_mut().zip(&spans) {
        m.pairs = s.pairs;
        m.capped_lookups = s.capped_lookups;
    }
    let key = |v: &[doisoat::block::RuleStats]| {
        v.iter()
            .map(|s| (s.pairs, s.new_pairs, s.capped_lookups, s.split_blocks))
            .collect::<Vec<_>>()
    };
    prop_assert_eq!(key(&merged), key(&one));
    Ok(())
}

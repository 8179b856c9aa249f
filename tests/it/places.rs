//! Places over the whole gazetteer, and hand-checked cases from Hà Tĩnh.
use doisoat::normalize::letters::fold_str;
use doisoat::places::{Context, GAZETTEER, PlaceIssue, PlaceLevel, Places};

fn abbrev(kind: &str) -> &'static str {
    match kind {
        "Xã" => "X.",
        "Phường" => "P.",
        "Thị trấn" => "TT.",
        "Huyện" => "H.",
        "Quận" => "Q.",
        "Thị xã" => "TX.",
        "Thành phố" => "TP.",
        "Tỉnh" => "T.",
        _ => "",
    }
}

#[test]
fn every_legacy_commune_resolves_to_itself_in_three_spellings() {
    let g = &*GAZETTEER;
    let places = Places::new();
    let mut failures = Vec::new();
    let mut codes: Vec<&u32> = g.communes.keys().collect();
    codes.sort();
    for code in codes {
        let c = &g.communes[code];
        let d = &g.districts[&c.district];
        let p = &g.provinces[&c.province];
        let full = format!(
            "{} {}, {} {}, {} {}",
            c.kind, c.name, d.kind, d.name, p.kind, p.name
        );
        let short = format!(
            "{} {}, {} {}, {} {}",
            abbrev(&c.kind),
            c.name,
            abbrev(&d.kind),
            d.name,
            abbrev(&p.kind),
            p.name
        );
        let plain = fold_str(&full);
        // two communes of one district whose names differ only by diacritics cannot be told
        // apart without them: the plain spelling is then ambiguous between exactly those
        let twins: Vec<u32> = g
            .communes
            .values()
            .filter(|o| o.district == c.district && fold_str(&o.name) == fold_str(&c.name))
            .map(|o| o.code)
            .collect();
        for text in [&full, &short, &plain] {
            let r = places.resolve(text, Context::default());
            let ok = r.commune == Some(*code)
                || (text == &plain
                    && twins.len() > 1
                    && (r.candidates.contains(code)
                        || r.commune.is_some_and(|x| twins.contains(&x))));
            if !ok {
                failures.push(format!("{text} → {:?} {:?}", r.commune, r.issue));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

#[test]
fn every_alias_resolves_to_its_unit() {
    let g = &*GAZETTEER;
    let places = Places::new();
    let text = include_str!("../../rules/places/aliases.csv");
    let mut failures = Vec::new();
    let mut n = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let code: u32 = f[0].parse().unwrap();
        let c = &g.communes[&code];
        let d = &g.districts[&c.district];
        let p = &g.provinces[&c.province];
        // the alias key as written (folded, no spaces) with its district and province
        let typ = if f[3].is_empty() { "xa" } else { f[3] };
        let q = format!(
            "{} {}, {} {}, {} {}",
            typ, f[1], d.kind, d.name, p.kind, p.name
        );
        // an old name that is also the current name of another commune of the district: the
        // current name wins, by design
        let taken = g.communes.values().any(|o| {
            o.district == c.district && o.code != code && fold_str(&o.name).replace(' ', "") == f[1]
        });
        if taken {
            continue;
        }
        let r = places.resolve(&q, Context::default());
        n += 1;
        if r.commune != Some(code) && !r.candidates.contains(&code) {
            failures.push(format!("{q} → {:?} {:?}", r.commune, r.issue));
        }
    }
    assert!(n > 4000);
    assert!(
        failures.is_empty(),
        "{} of {n} failures, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

#[test]
fn ha_tinh_hand_checked_cases() {
    let places = Places::new();
    let ctx = Context {
        province: Some(42),
        ..Context::default()
    };
    // Lộc Hà district no longer exists: Hộ Độ is now in TP Hà Tĩnh
    let r = places.resolve("Xã Hộ Độ, Huyện Lộc Hà, Tỉnh Hà Tĩnh", ctx);
    assert_eq!(r.commune, Some(18598));
    assert_eq!(r.district, Some(436));
    // Cẩm Vịnh was given by Cẩm Xuyên to TP Hà Tĩnh
    let r = places.resolve("X. Cẩm Vịnh, H. Cẩm Xuyên, T. Hà Tĩnh", ctx);
    assert_eq!(r.commune, Some(18691));
    assert_eq!(r.issue, Some(PlaceIssue::DistrictChanged));
    // Kỳ Anh: the district and the town share the name; the written type decides
    let town = places.resolve("Thị xã Kỳ Anh, Hà Tĩnh", ctx);
    let district = places.resolve("Huyện Kỳ Anh, Hà Tĩnh", ctx);
    assert_eq!(town.district, Some(449));
    assert_eq!(district.district, Some(447));
    let plain = places.resolve("Kỳ Anh, Hà Tĩnh", ctx);
    assert_eq!(plain.issue, Some(PlaceIssue::Ambiguous), "{plain:?}");
    assert_eq!(plain.province, Some(42));
    // a commune with its old merged name
    let r = places.resolve("Xã Thạch Đồng, TP Hà Tĩnh", ctx);
    assert_eq!(r.commune, Some(18103));
    assert_eq!(r.issue, Some(PlaceIssue::HistoricalName));
    // the province from the job when the text has none
    let r = places.resolve("Thạch Long, Thạch Hà", ctx);
    assert_eq!(r.province, Some(42), "{r:?}");
    assert!(r.commune.is_some(), "{r:?}");
}

#[test]
fn comparison_levels_across_vintages() {
    let places = Places::new();
    let g = places.gazetteer();
    let ctx = Context::default();
    let a = places.resolve("Xã Hộ Độ, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh", ctx);
    let b = places.resolve("Xa Ho Do, TP Ha Tinh, Ha Tinh", ctx);
    assert_eq!(places.compare(&a, &b), PlaceLevel::SameCommune);
    // the 2025 unit that absorbed it
    let new_code = g.communes[&18598].successors[0];
    let new_name = format!(
        "{} {}, Tỉnh Hà Tĩnh",
        g.communes_2025[&new_code].kind, g.communes_2025[&new_code].name
    );
    let c = places.resolve(&new_name, ctx);
    assert!(
        c.communes_2025.contains(&new_code) || c.alt_2025.contains(&new_code),
        "{new_name} → {c:?}"
    );
    assert_eq!(
        places.compare(&a, &c),
        PlaceLevel::SameCommune,
        "{new_name}"
    );
    let other = places.resolve("Xã Thạch Long, Huyện Thạch Hà, Tỉnh Hà Tĩnh", ctx);
    assert_eq!(places.compare(&a, &other), PlaceLevel::SameProvince);
    let far = places.resolve("Phường Bến Nghé, Quận 1, TP Hồ Chí Minh", ctx);
    assert_eq!(places.compare(&a, &far), PlaceLevel::Different);
    let none = places.resolve("nhà", ctx);
    assert_eq!(none.issue, Some(PlaceIssue::UnresolvedPlace));
    assert_eq!(places.compare(&a, &none), PlaceLevel::Unknown);
}

#[test]
fn user_aliases_resolve_names_no_list_has() {
    let (places, bad) = Places::with_aliases(&[
        ("Thạch Long Cũ".to_string(), 18607),
        ("Nowhere".to_string(), 99999),
    ]);
    assert_eq!(bad.len(), 1, "an unknown code is reported");
    let r = places.resolve("Xã Thạch Long Cũ, Huyện Thạch Hà", Context::default());
    assert_eq!(r.commune, Some(18607));
    let plain = Places::new().resolve("Xã Thạch Long Cũ, Huyện Thạch Hà", Context::default());
    assert_eq!(
        plain.commune, None,
        "without the alias only the district is known"
    );
}

#[test]
fn unit_codes_resolve_as_places() {
    // the template's nksNoiSinhDVHC and agencies written as their unit code; Excel may have
    // dropped the leading zeros of a northern commune's code
    let places = Places::new();
    let r = places.resolve("18607", Context::default());
    assert_eq!(
        (r.province, r.district, r.commune),
        (Some(42), Some(445), Some(18607))
    );
    assert!(!r.communes_2025.is_empty());
    assert_eq!(places.resolve("4", Context::default()).province, Some(4));
    assert_eq!(places.resolve("4", Context::default()).commune, None);
    let r = places.resolve("00004", Context::default());
    assert_eq!(r.commune, Some(4));
    let r = places.resolve("445", Context::default());
    assert_eq!(
        (r.province, r.district, r.commune),
        (Some(42), Some(445), None)
    );
    let r = places.resolve("42", Context::default());
    assert_eq!((r.province, r.district), (Some(42), None));
    // an unknown code is not a place
    assert!(!places.resolve("99999", Context::default()).is_resolved());
}

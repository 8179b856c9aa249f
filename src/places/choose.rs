//! Scoring the readings of a parsed place: every assignment of its components to commune, district
//! and province, each unit nested in the next, the written unit types and diacritics, the context
//! province and the prior place; the best readings are kept.
use super::data::Gazetteer;
use super::resolve::{Choice, Context, Hit, PlaceIssue};

/// The hits of each component by the role it may play (provinces, districts, communes of both
/// vintages), made once per place rather than once per assignment of roles; one more entry,
/// `[None]`, for a role left unused (component `n`).
pub(super) struct Roles {
    provinces: Vec<Vec<Option<Hit>>>,
    districts: Vec<Vec<Option<u16>>>,
    communes: Vec<Vec<Option<Hit>>>,
}

impl Roles {
    pub(super) fn of(hits: &[Vec<Hit>]) -> Roles {
        fn lists<T>(hits: &[Vec<Hit>], f: impl Fn(&Hit) -> Option<T>) -> Vec<Vec<Option<T>>> {
            hits.iter()
                .map(|h| h.iter().filter_map(|x| f(x).map(Some)).collect())
                .chain([vec![None]])
                .collect()
        }
        Roles {
            provinces: lists(hits, |h| {
                matches!(h, Hit::Province(_) | Hit::Province2025(_)).then_some(*h)
            }),
            districts: lists(hits, |h| match h {
                Hit::District(d) => Some(*d),
                _ => None,
            }),
            communes: lists(hits, |h| {
                matches!(h, Hit::Commune(..) | Hit::Commune2025(_)).then_some(*h)
            }),
        }
    }
}

/// Add the province; false when the reading is impossible.
fn with_province(ch: &mut Choice, p: Option<Hit>) {
    match p {
        Some(Hit::Province(code)) => {
            ch.province = Some(code);
            ch.score += 1.0;
        }
        Some(Hit::Province2025(code)) => {
            ch.province_2025 = Some(code);
            ch.score += 0.9;
        }
        _ => {}
    }
}

/// Add the district, nested in the province; false when it is not.
fn with_district(g: &Gazetteer, ch: &mut Choice, dc: u16, kind: (&str, &str)) -> bool {
    let dp = g.districts[&dc].province;
    if ch.province.is_some_and(|pp| pp != dp)
        || ch
            .province_2025
            .is_some_and(|p25| g.province_to_2025.get(&dp) != Some(&p25))
    {
        return false;
    }
    ch.district = Some(dc);
    ch.province.get_or_insert(dp);
    ch.score += 2.0;
    // "Huyện Kỳ Anh" vs "Thị xã Kỳ Anh": the written type decides
    if kind.0 == g.districts[&dc].kind {
        ch.score += 0.3;
    }
    if kind.1 == g.districts[&dc].accent {
        ch.score += 0.2;
    }
    true
}

/// Add a legacy commune, nested in both; false when it cannot be.
fn with_commune(
    g: &Gazetteer,
    ch: &mut Choice,
    code: u32,
    alias: bool,
    kind: (&str, &str),
) -> bool {
    let cm = &g.communes[&code];
    if ch.province.is_some_and(|pp| pp != cm.province)
        || ch
            .province_2025
            .is_some_and(|p25| g.province_to_2025.get(&cm.province) != Some(&p25))
    {
        return false;
    }
    if ch.district.is_some_and(|dc| dc != cm.district) {
        // the commune moved to another district of the same province
        ch.score -= 1.5;
        ch.issue = Some(PlaceIssue::DistrictChanged);
    }
    if kind.0 == cm.kind {
        ch.score += 0.3;
    }
    // Sa Pa / Sa Pả, Trực Hưng / Trực Hùng: the diacritics decide
    if kind.1 == cm.accent {
        ch.score += 0.2;
    }
    ch.commune = Some(code);
    ch.district = Some(cm.district);
    ch.province = Some(cm.province);
    ch.score += if alias { 2.5 } else { 3.0 };
    if alias && ch.issue.is_none() {
        ch.issue = Some(PlaceIssue::HistoricalName);
    }
    true
}

/// Add a 2025 commune; false when it cannot be under the reading's units.
fn with_commune_2025(g: &Gazetteer, ch: &mut Choice, code: u32, kind: &str, ctx: Context) -> bool {
    let cm = &g.communes_2025[&code];
    if ctx.new_era {
        ch.score += 1.0;
    }
    if ch
        .province
        .is_some_and(|pp| g.province_to_2025.get(&pp) != Some(&cm.province))
        || ch.province_2025.is_some_and(|p25| p25 != cm.province)
    {
        return false;
    }
    if let Some(dc) = ch.district {
        // a 2025 name under a legacy district: only if one of its predecessors is there
        let preds = g.predecessors.get(&code).map(Vec::as_slice).unwrap_or(&[]);
        if !preds.iter().any(|p| g.communes[p].district == dc) {
            return false;
        }
    }
    ch.commune_2025 = Some(code);
    ch.province_2025 = Some(cm.province);
    // below a legacy district of the same name: old books name old units
    ch.score += 1.9;
    if kind == cm.kind {
        ch.score += 0.3;
    }
    ch.issue.get_or_insert(PlaceIssue::NewEraName);
    true
}

/// What the context says: the job's province, the prior place's district or province.
fn with_context(g: &Gazetteer, ch: &mut Choice, ctx: Context) {
    if let Some(cp) = ctx.province {
        let same = ch.province == Some(cp)
            || ch
                .province_2025
                .is_some_and(|p| g.province_to_2025.get(&cp) == Some(&p));
        if same {
            ch.score += 0.6;
        }
    }
    if let Some(prior) = ctx.prior {
        if prior.district.is_some() && prior.district == ch.district {
            ch.score += 0.4;
        } else if prior.province.is_some() && prior.province == ch.province {
            ch.score += 0.2;
        }
    }
}

/// Score every reading of the components with roles `(ci, di, pi)` (the number of components =
/// the role is unused)
/// and keep the best ones in `best`.
pub(super) fn evaluate(
    g: &Gazetteer,
    roles: &Roles,
    kinds: &[(&str, &str)],
    (ci, di, pi): (usize, usize, usize),
    base: f32,
    ctx: Context,
    best: &mut Vec<Choice>,
    best_score: &mut f32,
) {
    let (provinces, districts, communes) = (
        &roles.provinces[pi],
        &roles.districts[di],
        &roles.communes[ci],
    );
    for p in provinces {
        for d in districts {
            for c in communes {
                let mut ch = Choice {
                    score: base,
                    ..Choice::default()
                };
                with_province(&mut ch, *p);
                if let Some(dc) = d
                    && !with_district(g, &mut ch, *dc, kinds[di])
                {
                    continue;
                }
                let ok = match c {
                    Some(Hit::Commune(code, alias)) => {
                        with_commune(g, &mut ch, *code, *alias, kinds[ci])
                    }
                    Some(Hit::Commune2025(code)) => {
                        with_commune_2025(g, &mut ch, *code, kinds[ci].0, ctx)
                    }
                    _ => true,
                };
                if !ok || ch.province.is_none() && ch.province_2025.is_none() {
                    continue;
                }
                with_context(g, &mut ch, ctx);
                if ch.score > *best_score + 1e-4 {
                    *best_score = ch.score;
                    best.clear();
                    best.push(ch);
                } else if (ch.score - *best_score).abs() <= 1e-4 {
                    best.push(ch);
                }
            }
        }
    }
}

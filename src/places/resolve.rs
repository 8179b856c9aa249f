//! Resolve parsed places against the gazetteer (both vintages) and compare two resolved places.
use super::data::{Gazetteer, iy_key, key};
use super::parse::{Level, ParsedPlace, parse, parse_mode};
use serde::Serialize;

/// What is uncertain or wrong about a resolved place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceIssue {
    /// nothing in the gazetteer matches ("lưu nháp")
    UnresolvedPlace,
    /// several units match equally well; the common parent is kept and the candidates listed
    Ambiguous,
    /// the commune was found in another district of the province than the one written
    DistrictChanged,
    /// matched an old (merged) name of the commune
    HistoricalName,
    /// only the 2025 unit is known (a new-era name)
    NewEraName,
    /// the province was not written and came from the job's context
    ProvinceFromContext,
}

impl PlaceIssue {
    /// The snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            PlaceIssue::UnresolvedPlace => "unresolved_place",
            PlaceIssue::Ambiguous => "ambiguous_place",
            PlaceIssue::DistrictChanged => "district_changed",
            PlaceIssue::HistoricalName => "historical_name",
            PlaceIssue::NewEraName => "new_era_name",
            PlaceIssue::ProvinceFromContext => "province_from_context",
        }
    }
}

/// A place resolved to units of both vintages. Only [`resolve`] builds one.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PlaceRef {
    /// legacy 2-digit province code
    pub province: Option<u8>,
    /// legacy 3-digit district code
    pub district: Option<u16>,
    /// legacy 5-digit commune code
    pub commune: Option<u32>,
    /// 2025 province code
    pub province_2025: Option<u8>,
    /// 2025 commune codes (several when the legacy commune was split; the default first)
    pub communes_2025: Vec<u32>,
    /// 0–1
    pub confidence: f32,
    /// legacy commune codes when ambiguous
    pub candidates: Vec<u32>,
    /// what is uncertain
    pub issue: Option<PlaceIssue>,
    /// 2025 communes the same words name under the new-era reading (a legacy and a 2025 commune
    /// can share a name: legacy Phường Trần Phú is not 2025 Phường Trần Phú)
    pub alt_2025: Vec<u32>,
}

impl PlaceRef {
    /// True when at least the province is known.
    pub fn is_resolved(&self) -> bool {
        self.province.is_some() || self.province_2025.is_some()
    }
}

/// What the resolver knows beyond the text: the job's province and a prior place.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// the job's (legacy) province
    pub province: Option<u8>,
    /// a place that makes units near it likelier (the registration place for a place of birth)
    pub prior: Option<&'a PlaceRef>,
    /// the text was written on or after 1 July 2025: 2025 names come first
    pub new_era: bool,
}

/// A unit a place word names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Hit {
    Province(u8),
    Province2025(u8),
    District(u16),
    Commune(u32, bool),
    Commune2025(u32),
}

fn lookup(g: &Gazetteer, name: &str, level: Option<Level>, out: &mut Vec<Hit>) {
    let k = key(name);
    if k.is_empty() {
        return;
    }
    let any = level.is_none();
    let try_keys = [k.clone(), iy_key(&k)];
    for (attempt, k) in try_keys.iter().enumerate() {
        if attempt == 1 && (!out.is_empty() || *k == try_keys[0]) {
            break;
        }
        if any || matches!(level, Some(Level::Province | Level::City)) {
            for &p in g.province_keys.get(k).into_iter().flatten() {
                out.push(Hit::Province(p));
            }
            for &p in g.province_2025_keys.get(k).into_iter().flatten() {
                out.push(Hit::Province2025(p));
            }
        }
        if any || matches!(level, Some(Level::District | Level::City)) {
            for &d in g.district_keys.get(k).into_iter().flatten() {
                out.push(Hit::District(d));
            }
            for ((_, ak), ds) in &g.district_alias_keys {
                if ak == k {
                    out.extend(ds.iter().map(|&d| Hit::District(d)));
                }
            }
        }
        if any || level == Some(Level::Commune) {
            for &c in g.commune_keys.get(k).into_iter().flatten() {
                out.push(Hit::Commune(c, false));
            }
            for &c in g.alias_keys.get(k).into_iter().flatten() {
                out.push(Hit::Commune(c, true));
            }
            for &c in g.commune_2025_keys.get(k).into_iter().flatten() {
                out.push(Hit::Commune2025(c));
            }
        }
    }
}

/// One reading of a place: the units it names, with its score.
#[derive(Clone, Debug, Default)]
pub(super) struct Choice {
    pub province: Option<u8>,
    pub province_2025: Option<u8>,
    pub district: Option<u16>,
    pub commune: Option<u32>,
    pub commune_2025: Option<u32>,
    pub score: f32,
    pub issue: Option<PlaceIssue>,
}

/// Resolve free text to units of both vintages: the strict parse, and the loose one when the
/// strict one does not reach a commune; the better-scoring reading wins.
pub fn resolve(g: &Gazetteer, text: &str, ctx: Context) -> PlaceRef {
    if let Some(r) = resolve_code(g, text, ctx) {
        return r;
    }
    let (strict, s1) = resolve_parsed(g, &parse(text), ctx);
    if strict.commune.is_some() && strict.issue.is_none() {
        return strict;
    }
    let (loose, s2) = resolve_parsed(g, &parse_mode(text, true), ctx);
    if s2 > s1 + 1e-4 { loose } else { strict }
}

/// A place written as an administrative-unit code (the template's `nksNoiSinhDVHC`, or a
/// `noiDangKy` holding the agency's unit code): 5 digits a commune, 3 a district, 2 a province,
/// leading zeros lost in a spreadsheet restored. A legacy code comes first, except on or after
/// 1 July 2025 when a 2025 code does; `None` when the text is not a known code.
fn resolve_code(g: &Gazetteer, text: &str, ctx: Context) -> Option<PlaceRef> {
    let t = text.trim();
    if t.is_empty() || t.len() > 5 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = t.parse().ok()?;
    let choice = |c: Choice| finish(g, vec![c], ctx);
    match t.len() {
        1 | 2 => {
            let p = u8::try_from(n).ok()?;
            let legacy = g.provinces.contains_key(&p).then(|| Choice {
                province: Some(p),
                ..Choice::default()
            });
            let new = g.provinces_2025.contains_key(&p).then(|| Choice {
                province_2025: Some(p),
                ..Choice::default()
            });
            let pick = if ctx.new_era {
                new.or(legacy)
            } else {
                legacy.or(new)
            };
            pick.map(choice)
        }
        3 => {
            let d = g.districts.get(&u16::try_from(n).ok()?)?;
            Some(choice(Choice {
                province: Some(d.province),
                district: Some(d.code),
                ..Choice::default()
            }))
        }
        _ => {
            let legacy = g.communes.get(&n).map(|c| Choice {
                province: Some(c.province),
                district: Some(c.district),
                commune: Some(c.code),
                ..Choice::default()
            });
            let new = g.communes_2025.get(&n).map(|c| Choice {
                province_2025: Some(c.province),
                commune_2025: Some(c.code),
                ..Choice::default()
            });
            let pick = if ctx.new_era {
                new.or(legacy)
            } else {
                legacy.or(new)
            };
            pick.map(choice)
        }
    }
}

/// Resolve an already parsed place; also returns the reading's score.
pub fn resolve_parsed(g: &Gazetteer, parsed: &ParsedPlace, ctx: Context) -> (PlaceRef, f32) {
    let mut comps: Vec<super::parse::Component> = parsed
        .components
        .iter()
        .filter(|c| c.level != Some(Level::Village))
        .cloned()
        .collect();
    // "Phan Rang - Tháp Chàm": a dash inside a unit's name split it in two pieces
    let mut k = 0;
    while k + 1 < comps.len() {
        let joined = format!("{}{}", key(&comps[k].name), key(&comps[k + 1].name));
        let known = g.district_keys.contains_key(&joined)
            || g.commune_keys.contains_key(&joined)
            || g.province_keys.contains_key(&joined);
        if known
            && comps[k + 1].level.is_none()
            && !g.district_keys.contains_key(&key(&comps[k].name))
        {
            let next = comps.remove(k + 1);
            comps[k].name = format!("{} {}", comps[k].name, next.name);
            comps[k].accented.push_str(&next.accented);
        } else {
            k += 1;
        }
    }
    let comps: Vec<&super::parse::Component> = comps.iter().collect();
    if comps.is_empty() {
        return (unresolved(), f32::MIN);
    }
    let hits: Vec<Vec<Hit>> = comps
        .iter()
        .map(|c| {
            let mut v = Vec::new();
            lookup(g, &c.name, c.level, &mut v);
            v
        })
        .collect();
    let kinds: Vec<(&str, &str)> = comps
        .iter()
        .map(|c| (c.kind, c.accented.as_str()))
        .collect();
    let n = comps.len();
    // a component that can only be a province: a reading that leaves it out contradicts what is
    // written ("Xã Thiên Lộc, Thành phố Hà Nội" is no commune of Hà Tĩnh)
    let province_only: Vec<bool> = hits
        .iter()
        .map(|h| {
            !h.is_empty()
                && h.iter()
                    .all(|x| matches!(x, Hit::Province(_) | Hit::Province2025(_)))
        })
        .collect();
    let roles = super::choose::Roles::of(&hits);
    let mut best: Vec<Choice> = Vec::new();
    let mut best_score = f32::MIN;
    // one comp per role (commune, district, province), roles on distinct comps; `n` = unused
    for ci in 0..=n {
        for di in 0..=n {
            if di < n && di == ci {
                continue;
            }
            for pi in 0..=n {
                if pi < n && (pi == ci || pi == di) {
                    continue;
                }
                if ci == n && di == n && pi == n {
                    continue;
                }
                // written order is commune, district, province (left to right)
                let order_ok = (ci == n || di == n || ci < di)
                    && (di == n || pi == n || di < pi)
                    && (ci == n || pi == n || ci < pi);
                let unused = n - [ci, di, pi].iter().filter(|&&x| x < n).count();
                let dropped_province = (0..n)
                    .filter(|&i| province_only[i] && i != ci && i != di && i != pi)
                    .count();
                let base = if order_ok { 0.0 } else { -1.0 }
                    - unused as f32 * 0.5
                    - dropped_province as f32 * 2.0;
                super::choose::evaluate(
                    g,
                    &roles,
                    &kinds,
                    (ci, di, pi),
                    base,
                    ctx,
                    &mut best,
                    &mut best_score,
                );
            }
        }
    }
    if best.is_empty() {
        return (unresolved(), f32::MIN);
    }
    let alt = alt_readings(g, &comps, &best);
    let mut r = finish(g, best, ctx);
    r.alt_2025 = alt;
    (r, best_score)
}

/// The 2025 communes that the commune-level words of the best reading also name.
fn alt_readings(g: &Gazetteer, comps: &[&super::parse::Component], best: &[Choice]) -> Vec<u32> {
    let Some(p25) = best[0]
        .province
        .and_then(|p| g.province_to_2025.get(&p).copied())
        .or(best[0].province_2025)
    else {
        return Vec::new();
    };
    // a district written as well as a province: the address is in the legacy units, and its
    // words are no 2025 reading (the 2025 units have no districts)
    let levels = |l: &[Level]| {
        comps
            .iter()
            .filter(|c| c.level.is_some_and(|x| l.contains(&x)))
            .count()
    };
    if levels(&[Level::District]) > 0 || levels(&[Level::City, Level::Province]) >= 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in comps {
        if matches!(
            c.level,
            Some(Level::District | Level::Province | Level::City)
        ) {
            continue;
        }
        for &code in g.commune_2025_keys.get(&key(&c.name)).into_iter().flatten() {
            if g.communes_2025[&code].province == p25 && !out.contains(&code) {
                out.push(code);
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn unresolved() -> PlaceRef {
    PlaceRef {
        issue: Some(PlaceIssue::UnresolvedPlace),
        ..PlaceRef::default()
    }
}

fn finish(g: &Gazetteer, mut best: Vec<Choice>, ctx: Context) -> PlaceRef {
    best.dedup_by(|a, b| {
        a.commune == b.commune
            && a.district == b.district
            && a.province == b.province
            && a.commune_2025 == b.commune_2025
            && a.province_2025 == b.province_2025
    });
    let first = best[0].clone();
    let mut r = PlaceRef::default();
    if best.len() == 1 {
        r.province = first.province;
        r.district = first.district;
        r.commune = first.commune;
        r.issue = first.issue;
        r.confidence = match first.issue {
            None if first.commune.is_some() => 1.0,
            None => 0.9,
            Some(PlaceIssue::HistoricalName) => 0.85,
            Some(PlaceIssue::NewEraName) => 0.85,
            Some(PlaceIssue::DistrictChanged) => 0.75,
            Some(_) => 0.6,
        };
        if let Some(c25) = first.commune_2025 {
            r.communes_2025 = vec![c25];
            // the legacy parents are known when every predecessor shares them
            let preds = g.predecessors.get(&c25).cloned().unwrap_or_default();
            let same = |f: &dyn Fn(u32) -> u32| {
                preds
                    .iter()
                    .map(|p| f(*p))
                    .collect::<std::collections::BTreeSet<_>>()
            };
            let ps = same(&|p| g.communes[&p].province as u32);
            if ps.len() == 1 {
                r.province = ps.first().map(|&p| p as u8);
            }
            let ds = same(&|p| g.communes[&p].district as u32);
            if ds.len() == 1 && r.district.is_none() {
                r.district = ds.first().map(|&d| d as u16);
            }
            if preds.len() == 1 {
                r.commune = Some(preds[0]);
            }
        }
        r.province_2025 = first.province_2025;
    } else {
        // ambiguous: keep what all the best choices share
        let all = |f: &dyn Fn(&Choice) -> Option<u32>| {
            let v = f(&best[0]);
            best.iter().all(|c| f(c) == v).then_some(v).flatten()
        };
        r.province = all(&|c| c.province.map(u32::from)).map(|p| p as u8);
        r.district = all(&|c| c.district.map(u32::from)).map(|d| d as u16);
        r.commune = all(&|c| c.commune);
        r.province_2025 = all(&|c| c.province_2025.map(u32::from)).map(|p| p as u8);
        let mut cands: Vec<u32> = best.iter().filter_map(|c| c.commune).collect();
        cands.sort_unstable();
        cands.dedup();
        r.candidates = cands;
        r.issue = Some(PlaceIssue::Ambiguous);
        r.confidence = if r.district.is_some() {
            0.6
        } else if r.province.is_some() {
            0.45
        } else {
            0.3
        };
        if r.province.is_none() && r.province_2025.is_none() {
            // several provinces: use the job's one if it is among them
            if let Some(cp) = ctx.province
                && best.iter().any(|c| c.province == Some(cp))
            {
                r.province = Some(cp);
                r.issue = Some(PlaceIssue::Ambiguous);
            }
        }
    }
    if let Some(c) = r.commune
        && r.communes_2025.is_empty()
    {
        r.communes_2025 = g.communes[&c].successors.clone();
    }
    if r.commune.is_none()
        && let Some(d) = r.district
        && let Some(s) = g.district_to_2025.get(&d)
    {
        r.communes_2025 = s.clone();
    }
    if r.province_2025.is_none() {
        r.province_2025 = r.province.and_then(|p| g.province_to_2025.get(&p).copied());
    }
    if !r.is_resolved() {
        // several provinces have a unit of that name: not resolved, but say which
        return PlaceRef {
            issue: Some(if r.candidates.is_empty() {
                PlaceIssue::UnresolvedPlace
            } else {
                PlaceIssue::Ambiguous
            }),
            candidates: r.candidates,
            ..PlaceRef::default()
        };
    }
    r
}

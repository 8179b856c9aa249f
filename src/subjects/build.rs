//! Building the dataset: subjects from the civil rows (one per role), persons from the extract,
//! names interned, places resolved with the registration place as the prior of the place of birth.
use super::civil::{self, AgencyColumns};
use super::ids::{NameId, PlaceId};
use super::names::NameTable;
use super::places::{PlaceKey, PlaceQueue};
use super::record::Facts;
use super::{CivilFile, Dataset, registry};
use crate::ingest::{RecordType, Table, TableKind};
use crate::normalize::PartialDate;
use crate::normalize::date::parse_date_with_pivot;
use crate::places::{PlaceIssue, PlaceRef, Places};
use crate::settings::Settings;
use crate::vocab::Flag;
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;

/// The day the 2025 administrative units took effect: a record registered since then names them.
const NEW_ERA: PartialDate = PartialDate {
    year: 2025,
    month: 7,
    day: 1,
};

/// Rows per unit of parallel work when reading the tables.
const ROWS_PER_CHUNK: usize = 8192;

/// The tables' rows cut into chunks: (table position, rows), in table and row order.
fn row_chunks<'t>(tables: impl Iterator<Item = &'t Table>) -> Vec<(usize, Range<usize>)> {
    tables
        .enumerate()
        .flat_map(|(i, t)| {
            (0..t.len())
                .step_by(ROWS_PER_CHUNK)
                .map(move |r| (i, r..(r + ROWS_PER_CHUNK).min(t.len())))
        })
        .collect()
}

/// The registration places of every table's rows, queued (first round, no prior): one flat list
/// in table and row order, with the position where each table's rows start.
struct RegPlaces {
    civil: Vec<Option<u32>>,
    civil_start: Vec<usize>,
    population: Vec<Option<u32>>,
    population_start: Vec<usize>,
}

/// Where each table's rows start in a flat list of all their rows.
fn starts<'t>(tables: impl Iterator<Item = &'t Table>) -> Vec<usize> {
    tables
        .scan(0, |at, t| {
            let s = *at;
            *at += t.len();
            Some(s)
        })
        .collect()
}

fn queue_reg_places<'a>(
    civil: &[(u32, &'a Table, RecordType)],
    pops: &[&'a Table],
    province: Option<u8>,
    pivot: u16,
    q: &mut PlaceQueue<'a>,
) -> RegPlaces {
    let keys: Vec<Option<PlaceKey<'a>>> = row_chunks(civil.iter().map(|c| c.1))
        .into_par_iter()
        .flat_map_iter(|(ti, rows)| {
            let t = civil[ti].1;
            let dcol = t.col("ngayDangKy");
            let agency = AgencyColumns::of(t);
            rows.map(move |r| {
                let new_era = dcol
                    .and_then(|c| parse_date_with_pivot(t.data[c].get(r), pivot).date)
                    .is_some_and(|d| d >= NEW_ERA);
                PlaceKey::new(agency.get(t, r), province, None, new_era)
            })
        })
        .collect();
    let civil_ids = q.add_all(&keys);
    let keys: Vec<Option<PlaceKey<'a>>> = row_chunks(pops.iter().copied())
        .into_par_iter()
        .flat_map_iter(|(pi, rows)| {
            let t = pops[pi];
            let col = t.col("noi_dang_ky_khai_sinh");
            rows.map(move |r| {
                col.and_then(|c| PlaceKey::new(t.data[c].get(r), province, None, false))
            })
        })
        .collect();
    RegPlaces {
        civil: civil_ids,
        civil_start: starts(civil.iter().map(|c| c.1)),
        population: q.add_all(&keys),
        population_start: starts(pops.iter().copied()),
    }
}

/// The province of most civil records' registering agency.
fn infer_province(reg: &RegPlaces, round1: &[PlaceRef]) -> Option<u8> {
    let mut counts: HashMap<u8, usize> = HashMap::new();
    for id in reg.civil.iter().flatten() {
        if let Some(p) = round1[*id as usize].province {
            *counts.entry(p).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(p, n)| (*n, std::cmp::Reverse(*p)))
        .map(|(p, _)| p)
}

/// Give each fact its interned name ids, four per record: own, father, mother, spouse.
fn assign_names(facts: &mut [&mut Facts], ids: &[Option<NameId>]) {
    facts
        .par_iter_mut()
        .zip(ids.par_chunks(4))
        .for_each(|(f, id)| {
            f.name = id[0];
            f.father = id[1];
            f.mother = id[2];
            f.spouse = id[3];
        });
}

/// Places of birth, residences and quê quán of both sides, resolved after the registration places
/// (`reg_round`, whose ids come first) with them as priors; returns every place of the run.
fn resolve_rest<'a>(
    subjects: &mut [super::Subject],
    persons: &mut [super::Person],
    civil_pending: &civil::Pending<'a>,
    pop_pending: &civil::Pending<'a>,
    province: Option<u8>,
    reg_round: Vec<PlaceRef>,
    places: &Places,
) -> Vec<PlaceRef> {
    let mut q3 = PlaceQueue::default();
    let era = |s: &super::Subject| s.reg_date.is_some_and(|d| d >= NEW_ERA);
    // each text queued with its context (prior, new era) as `ctx` gives it for its index
    type Ctx<'c> = &'c (dyn Fn(usize) -> (Option<PlaceId>, bool) + Sync);
    let mut queue = |list: &[(usize, &'a str)], ctx: Ctx| -> Vec<(usize, Option<u32>)> {
        let keys: Vec<Option<PlaceKey<'a>>> = list
            .par_iter()
            .map(|(i, text)| {
                let (prior, new_era) = ctx(*i);
                PlaceKey::new(text, province, prior, new_era)
            })
            .collect();
        list.iter()
            .map(|(i, _)| *i)
            .zip(q3.add_all(&keys))
            .collect()
    };
    let s = &*subjects;
    let births = queue(&civil_pending.births, &|i| {
        (s[i].facts.reg_place, era(&s[i]))
    });
    let homes = queue(&civil_pending.residences, &|i| {
        (s[i].facts.reg_place, era(&s[i]))
    });
    let origins = queue(&civil_pending.homes, &|i| (None, era(&s[i])));
    let p = &*persons;
    let pop_births = queue(&pop_pending.births, &|i| (p[i].facts.reg_place, false));
    let pop_homes = queue(&pop_pending.residences, &|_| (None, false));
    let pop_origins = queue(&pop_pending.homes, &|_| (None, false));
    let round3 = q3.resolve(&reg_round, places);
    let offset = reg_round.len();
    let mut all_places = reg_round;
    all_places.extend(round3);
    let id3 = |i: Option<u32>| i.map(|i| PlaceId::new(i as usize + offset));
    for (si, id) in births {
        subjects[si].facts.birth_place = id3(id);
    }
    for (si, id) in origins {
        subjects[si].facts.home = id3(id);
    }
    // the book's own residence when it names a commune; else the registering agency stays
    for (si, id) in homes {
        if let Some(id) = id3(id) {
            let p = &all_places[id.index()];
            if p.commune.is_some() || !p.communes_2025.is_empty() {
                subjects[si].facts.residence = Some(id);
            }
        }
    }
    for (pi, id) in pop_births {
        persons[pi].facts.birth_place = id3(id);
    }
    for (pi, id) in pop_homes {
        persons[pi].facts.residence = id3(id);
    }
    for (pi, id) in pop_origins {
        persons[pi].facts.home = id3(id);
    }
    all_places
}

/// Chunks read in parallel joined in order, their pending texts' indexes shifted to match. The
/// records and their names are moved into place on both cores (`blank`: a copy of a record that
/// owns nothing, to fill the list with first); copied and faulted in on one core they were up to
/// 0.9 s at 1.6 M persons (perf). The other pending lists, smaller, are appended here.
fn join_parts<'a, T: Clone + Send + Sync>(
    parts: Vec<(Vec<T>, civil::Pending<'a>)>,
    blank: fn(&T) -> T,
) -> (Vec<T>, civil::Pending<'a>) {
    // every list sized once (growing them by doubling copied and faulted in the pages again)
    let total = |f: fn(&civil::Pending<'a>) -> usize| parts.iter().map(|p| f(&p.1)).sum::<usize>();
    let mut pending = civil::Pending {
        names: Vec::new(),
        births: Vec::with_capacity(total(|p| p.births.len())),
        residences: Vec::with_capacity(total(|p| p.residences.len())),
        homes: Vec::with_capacity(total(|p| p.homes.len())),
    };
    let (mut lists, mut names) = (Vec::with_capacity(parts.len()), Vec::new());
    let mut at = 0;
    for (list, mut p) in parts {
        names.push(std::mem::take(&mut p.names));
        pending.append(p, at);
        at += list.len();
        lists.push(list);
    }
    pending.names = concat(names, "");
    let all = match lists.iter().find_map(|l| l.first()).map(blank) {
        Some(b) => concat(lists, b),
        None => Vec::new(),
    };
    (all, pending)
}

/// Lists joined in order on both cores: one list of `blank`s made in parallel (its pages
/// faulted in on both cores), then each list moved into its place.
fn concat<T: Clone + Send + Sync>(lists: Vec<Vec<T>>, blank: T) -> Vec<T> {
    let n = lists.iter().map(Vec::len).sum();
    let mut all: Vec<T> = (0..n).into_par_iter().map(|_| blank.clone()).collect();
    let mut places = Vec::with_capacity(lists.len());
    let mut rest = all.as_mut_slice();
    for l in &lists {
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(l.len());
        places.push(head);
        rest = tail;
    }
    places.into_par_iter().zip(lists).for_each(|(to, from)| {
        for (t, f) in to.iter_mut().zip(from) {
            *t = f;
        }
    });
    all
}

/// Build the dataset from the ingested tables.
pub fn build(tables: &[&Table], places: &Places, settings: &Settings) -> Dataset {
    let pivot = settings.two_digit_year_pivot;
    let civil: Vec<(u32, &Table, RecordType)> = tables
        .iter()
        .filter_map(|&t| match t.kind {
            TableKind::Civil(rt) => Some((t, rt)),
            TableKind::Population => None,
        })
        .enumerate()
        .map(|(i, (t, rt))| (i as u32, t, rt))
        .collect();
    let pops: Vec<&Table> = tables
        .iter()
        .copied()
        .filter(|t| t.kind == TableKind::Population)
        .collect();

    // registration places first: they give the job's province and are the priors of the rest
    let mut q1 = PlaceQueue::default();
    let reg = queue_reg_places(&civil, &pops, settings.province, pivot, &mut q1);
    let round1 = q1.resolve(&[], places);
    let province = settings.province.or_else(|| infer_province(&reg, &round1));
    // round-1 places queued again with the job's province as context: their ids come first
    let mut q2 = PlaceQueue::default();
    let again: Vec<Option<PlaceKey>> = q1
        .texts()
        .map(|(text, new_era)| PlaceKey::new(text, province, None, new_era))
        .collect();
    let reg_final = q2.add_all(&again);
    let final_id = |i: &Option<u32>| {
        i.and_then(|i| reg_final[i as usize])
            .map(|j| PlaceId::new(j as usize))
    };

    // the rows read in chunks, in parallel, then joined in table and row order
    let parts: Vec<_> = row_chunks(civil.iter().map(|c| c.1))
        .into_par_iter()
        .map(|(i, rows)| {
            let (ti, t, rt) = civil[i];
            let at = reg.civil_start[i];
            let ids = &reg.civil[at + rows.start..at + rows.end];
            let agencies: Vec<Option<&PlaceRef>> =
                ids.iter().map(|i| i.map(|i| &round1[i as usize])).collect();
            let reg_places: Vec<Option<PlaceId>> = ids.iter().map(final_id).collect();
            civil::read_book(t, ti, rt, rows, &agencies, &reg_places, pivot)
        })
        .collect();
    let (mut subjects, mut civil_pending) = join_parts(parts, super::Subject::clone);
    let parts: Vec<_> = row_chunks(pops.iter().copied())
        .into_par_iter()
        .map(|(pi, rows)| {
            let at = reg.population_start[pi];
            let ids = &reg.population[at + rows.start..at + rows.end];
            let reg_places: Vec<Option<PlaceId>> = ids.iter().map(final_id).collect();
            registry::read_table(pops[pi], pi as u32, rows, &reg_places, pivot)
        })
        .collect();
    let (mut persons, mut pop_pending) = join_parts(parts, |p| super::Person {
        person_id: String::new(),
        ..p.clone()
    });

    // names: all at once, distinct strings normalized in parallel; the places resolved beside
    // them (neither reads what the other writes: names, then places, of the facts)
    let mut names = NameTable::default();
    let q2_round = q2.resolve(&[], places);
    let (ids, all_places) = rayon::join(
        || names.intern_parts(&[&civil_pending.names, &pop_pending.names]),
        || {
            resolve_rest(
                &mut subjects,
                &mut persons,
                &civil_pending,
                &pop_pending,
                province,
                q2_round,
                places,
            )
        },
    );
    civil_pending.names = Vec::new();
    pop_pending.names = Vec::new();
    let ns = subjects.len();
    let mut facts: Vec<&mut Facts> = subjects.iter_mut().map(|s| &mut s.facts).collect();
    assign_names(&mut facts, &ids[..ns * 4]);
    let mut facts: Vec<&mut Facts> = persons.iter_mut().map(|p| &mut p.facts).collect();
    assign_names(&mut facts, &ids[ns * 4..]);
    subjects.par_iter_mut().for_each(|s| {
        let unresolved = [s.facts.reg_place, s.facts.birth_place]
            .into_iter()
            .flatten()
            .any(|p| all_places[p.index()].issue == Some(PlaceIssue::UnresolvedPlace));
        if unresolved {
            s.flags.set(Flag::UnresolvedPlace);
        }
    });
    // one person per ID: a row whose ID an earlier row has is set aside (and reported)
    let duplicate_ids = set_aside_duplicates(&mut persons, &pops);
    let mut duplicate_ids = duplicate_ids;
    order_by_block_key(&mut persons, &mut subjects, &mut names, &mut duplicate_ids);
    civil::mark_numbering(&mut subjects);
    civil::mark_recognitions(&mut subjects, &names);
    Dataset {
        names,
        places: all_places,
        subjects,
        persons,
        civil_files: civil
            .iter()
            .map(|(_, t, rt)| CivilFile {
                source_file: t.source_file.clone(),
                record_type: *rt,
            })
            .collect(),
        population_files: pops.iter().map(|t| t.source_file.clone()).collect(),
        province,
        duplicate_ids,
    }
}

/// Persons in the order of the main blocking key (year of birth, folded family and given name),
/// so that a subject's candidates lie together in memory, and names numbered in that order (the
/// persons' own names first), every name id remapped.
fn order_by_block_key(
    persons: &mut [super::Person],
    subjects: &mut [super::Subject],
    names: &mut NameTable,
    duplicate_ids: &mut [super::DuplicateId],
) {
    let key = |p: &super::Person| {
        let n = p.facts.name.map(|n| names.get(n));
        (
            p.facts.dob.map_or(0, |d| d.year),
            n.map_or(0, |e| e.k_family),
            n.map_or(0, |e| e.k_given),
        )
    };
    persons.par_sort_by_cached_key(key);
    // and names numbered in that order, the persons' own names first
    let order: Vec<NameId> = persons
        .iter()
        .flat_map(|p| [p.facts.name, p.facts.father, p.facts.mother, p.facts.spouse])
        .flatten()
        .collect();
    let map = names.renumber(order.into_iter());
    let remap = |f: &mut Facts| {
        for n in [&mut f.name, &mut f.father, &mut f.mother, &mut f.spouse] {
            *n = n.map(|x| map[x.index()]);
        }
    };
    persons.par_iter_mut().for_each(|p| remap(&mut p.facts));
    for d in duplicate_ids.iter_mut() {
        d.name = d.name.map(|x| map[x.index()]);
    }
    subjects.par_iter_mut().for_each(|s| remap(&mut s.facts));
}

/// Keep the first row of every personal ID and take the others out of `persons`, saying which.
fn set_aside_duplicates(
    persons: &mut Vec<super::Person>,
    pops: &[&Table],
) -> Vec<super::DuplicateId> {
    let row_of = |p: &super::Person| {
        let t = pops[p.source.0 as usize];
        format!("{}:{}", t.source_file, t.source_rows[p.source.1 as usize])
    };
    // each ID's first row; a row whose ID an earlier row has is a duplicate
    let ids: Vec<Option<&str>> = persons
        .par_iter()
        .map(|p| Some(p.person_id.as_str()))
        .collect();
    let (distinct, ids) = super::dedupe::dedupe(&ids);
    let mut first = vec![usize::MAX; distinct.len()];
    let mut dup = vec![false; persons.len()];
    for (i, id) in ids.iter().enumerate() {
        let d = id.expect("every person has an id") as usize;
        if first[d] == usize::MAX {
            first[d] = i;
        } else {
            dup[i] = true;
        }
    }
    if !dup.contains(&true) {
        return Vec::new();
    }
    let out: Vec<super::DuplicateId> = persons
        .iter()
        .zip(&dup)
        .zip(&ids)
        .filter(|((_, d), _)| **d)
        .map(|((p, _), id)| super::DuplicateId {
            person_id: p.person_id.clone(),
            name: p.facts.name,
            dob: p.facts.dob,
            set_aside: row_of(p),
            kept: row_of(&persons[first[id.unwrap_or(0) as usize]]),
        })
        .collect();
    let mut d = dup.iter();
    persons.retain(|_| !*d.next().unwrap_or(&false));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_joined_in_parallel_are_joined_in_order() {
        let lists: Vec<Vec<String>> = [0usize, 3, 0, 1, 1000, 7, 0]
            .iter()
            .enumerate()
            .map(|(k, &n)| (0..n).map(|i| format!("{k}.{i}")).collect())
            .collect();
        let want: Vec<String> = lists.concat();
        assert_eq!(concat(lists, String::new()), want);
        assert!(concat(Vec::<Vec<u8>>::new(), 0).is_empty());
    }
}

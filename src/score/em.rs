//! Estimating the model: u from seeded random pairs, m and λ by expectation–maximisation over
//! agreement-pattern counts (not over pairs), with the guards that keep EM honest.
use crate::compare::{COMPARISONS, Cmp, Comparer, Gamma, NULL};
use crate::subjects::Dataset;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rayon::prelude::*;

/// Smallest probability kept, so that no log-odds is infinite.
pub const FLOOR: f64 = 1e-6;

/// Per comparison, a probability per level.
pub type Params = Vec<Vec<f64>>;

/// Scale a vector to sum to 1, every entry at least [`FLOOR`].
pub fn normalize(v: &mut [f64]) {
    for x in v.iter_mut() {
        *x = x.max(FLOOR);
    }
    let s: f64 = v.iter().sum();
    for x in v.iter_mut() {
        *x /= s;
    }
}

fn zeros() -> Params {
    COMPARISONS
        .iter()
        .map(|c| vec![0.0; c.levels.len()])
        .collect()
}

/// The starting m: agreement likely under a match; the exact split is learnt.
pub fn initial_m() -> Params {
    COMPARISONS
        .iter()
        .map(|c| {
            let mut v: Vec<f64> = (0..c.levels.len())
                .map(|i| 0.6f64.powi(i as i32 + 1))
                .collect();
            v[0] = 0.8;
            normalize(&mut v);
            v
        })
        .collect()
}

/// Subjects and persons drawn per tile of random pairs in [`estimate_u`].
const TILE: usize = 32;

/// u from random pairs (seeded, deterministic): the level frequencies among pairs that are almost
/// all non-matches. Returns u and the number of pairs sampled.
///
/// The pairs come in tiles, as Splink's `estimate_u_using_random_sampling` crosses a random sample
/// of rows with itself: [`TILE`] random subjects against [`TILE`] random persons, every pair of
/// the tile compared. Each pair is still a uniform draw from subjects × persons (u is unbiased),
/// while the tile's records and their names and places stay in cache, where a million pairs drawn
/// one by one missed it on every record (the stage ran at a quarter of the blocked pairs' rate).
/// Over a million pairs the tiles draw some 30 000 subjects and as many persons, so the variance
/// the shared records add stays small.
pub fn estimate_u(data: &Dataset, cmp: &Comparer, seed: u64, n: usize) -> (Params, u64) {
    let (ns, np) = (data.subjects.len(), data.persons.len());
    let mut counts: Params = COMPARISONS
        .iter()
        .map(|c| vec![1.0; c.levels.len()])
        .collect();
    if ns == 0 || np == 0 {
        counts.iter_mut().for_each(|c| normalize(c));
        return (counts, 0);
    }
    let chunks = 16usize;
    let tiles = n.div_ceil(chunks * TILE * TILE);
    let partial: Vec<Params> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = Pcg64::seed_from_u64(seed.wrapping_add(c as u64 * 0x9E37_79B9));
            let mut counts = zeros();
            for _ in 0..tiles {
                let subjects: [usize; TILE] = std::array::from_fn(|_| rng.random_range(0..ns));
                let persons: [usize; TILE] = std::array::from_fn(|_| rng.random_range(0..np));
                for &s in &subjects {
                    let s = &data.subjects[s];
                    for &p in &persons {
                        let p = &data.persons[p];
                        for (i, &l) in cmp.gamma(s, p).iter().enumerate() {
                            if l != NULL {
                                counts[i][l as usize] += 1.0;
                            }
                        }
                    }
                }
            }
            counts
        })
        .collect();
    for p in partial {
        for (c, pc) in counts.iter_mut().zip(p) {
            for (x, y) in c.iter_mut().zip(pc) {
                *x += y;
            }
        }
    }
    counts.iter_mut().for_each(|c| normalize(c));
    (counts, (tiles * chunks * TILE * TILE) as u64)
}

/// What EM found.
#[derive(Clone, Debug)]
pub struct EmResult {
    /// P(level | match)
    pub m: Params,
    /// P(level | non-match): the u given, or the one learnt when u was updated
    pub u: Params,
    /// the share of matches among the pairs
    pub lambda: f64,
    /// iterations run
    pub iterations: usize,
    /// converged within tolerance
    pub converged: bool,
}

/// EM over agreement-pattern counts: m and λ, and u too when `update_u` (the non-matches among
/// blocked pairs share names and years far more than random pairs do, so a u fixed from random
/// pairs would let EM call every blocked pair a match).
pub fn em(
    patterns: &[(Gamma, u64)],
    u0: &Params,
    update_u: bool,
    max_iter: usize,
    tol: f64,
) -> EmResult {
    let mut r = EmResult {
        m: initial_m(),
        u: u0.clone(),
        lambda: 0.1,
        iterations: 0,
        converged: false,
    };
    let total: f64 = patterns.iter().map(|(_, c)| *c as f64).sum();
    if total == 0.0 {
        r.converged = true;
        return r;
    }
    for _ in 0..max_iter {
        r.iterations += 1;
        let (mut m_new, mut u_new) = (zeros(), zeros());
        let mut match_mass = 0.0;
        for (g, c) in patterns {
            let (mut pm, mut pu) = (r.lambda, 1.0 - r.lambda);
            for (i, &l) in g.iter().enumerate() {
                if l != NULL {
                    pm *= r.m[i][l as usize];
                    pu *= r.u[i][l as usize];
                }
            }
            let post = pm / (pm + pu);
            let (w, wu) = (post * *c as f64, (1.0 - post) * *c as f64);
            match_mass += w;
            for (i, &l) in g.iter().enumerate() {
                if l != NULL {
                    m_new[i][l as usize] += w;
                    u_new[i][l as usize] += wu;
                }
            }
        }
        m_new.iter_mut().for_each(|v| normalize(v));
        if update_u {
            u_new.iter_mut().for_each(|v| normalize(v));
        }
        let lambda_new = (match_mass / total).clamp(FLOOR, 1.0 - FLOOR);
        let delta = m_new
            .iter()
            .flatten()
            .zip(r.m.iter().flatten())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f64, f64::max)
            .max((lambda_new - r.lambda).abs());
        r.m = m_new;
        if update_u {
            r.u = u_new;
        }
        r.lambda = lambda_new;
        if delta < tol {
            r.converged = true;
            break;
        }
    }
    r
}

/// Comparisons whose m contradicts what a comparison means: agreement on the first level less
/// likely among matches than among non-matches, or disagreement (the last level) more likely.
/// EM lands there when a cluster of non-matches (relatives sharing names and places) looks more
/// alike than the true matches; soft comparisons are left alone (their floor allows it).
pub fn implausible_m(m: &Params, u: &Params) -> Vec<usize> {
    (0..m.len())
        .filter(|&i| COMPARISONS[i].soft.is_none())
        .filter(|&i| {
            let last = m[i].len() - 1;
            m[i][0] < u[i][0] || m[i][last] > u[i][last]
        })
        .collect()
}

/// True when EM's "match" class is not the same person: among matches, the family name, the
/// given name or the date of birth (exact or compatible) agree less than half the time. That is
/// what EM learns when its training pairs are mostly relatives.
pub fn degenerate_m(m: &Params) -> bool {
    let (f, g, d) = (Cmp::Family as usize, Cmp::Given as usize, Cmp::Dob as usize);
    m[f][0] < 0.5 || m[g][0] < 0.5 || m[d][0] + m[d][1] < 0.5
}

/// Raise the m of soft comparisons' levels to their floor (then renormalise): where someone
/// lives changes between a book and the registry, so a soft comparison weighs against a link but
/// never vetoes it.
pub fn floor_soft_levels(m: &mut Params) {
    for (v, c) in m.iter_mut().zip(COMPARISONS.iter()) {
        if let Some(floor) = c.soft {
            for x in v.iter_mut() {
                *x = x.max(floor);
            }
            normalize(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::N;
    use std::collections::HashMap;

    fn draw(p: &[f64], rng: &mut Pcg64) -> u8 {
        let r: f64 = rng.random();
        let mut acc = 0.0;
        for (i, x) in p.iter().enumerate() {
            acc += x;
            if r < acc {
                return i as u8;
            }
        }
        (p.len() - 1) as u8
    }

    /// Known m, u and λ: agreement at level 0 likely among matches, disagreement among non-matches.
    fn known() -> (Params, Params, f64) {
        let m = COMPARISONS
            .iter()
            .map(|c| {
                let n = c.levels.len();
                let mut v: Vec<f64> = (0..n)
                    .map(|i| if i == 0 { 0.85 } else { 0.15 / (n - 1) as f64 })
                    .collect();
                normalize(&mut v);
                v
            })
            .collect();
        let u = COMPARISONS
            .iter()
            .map(|c| {
                let n = c.levels.len();
                let mut v: Vec<f64> = (0..n)
                    .map(|i| {
                        if i + 1 == n {
                            0.8
                        } else {
                            0.2 / (n - 1) as f64
                        }
                    })
                    .collect();
                normalize(&mut v);
                v
            })
            .collect();
        (m, u, 0.2)
    }

    fn simulate(m: &Params, u: &Params, lambda: f64, n: usize) -> Vec<(Gamma, u64)> {
        let mut rng = Pcg64::seed_from_u64(7);
        let mut counts: HashMap<Gamma, u64> = HashMap::new();
        for _ in 0..n {
            let is_match = rng.random::<f64>() < lambda;
            let mut g = [0u8; N];
            for i in 0..N {
                g[i] = draw(if is_match { &m[i] } else { &u[i] }, &mut rng);
            }
            *counts.entry(g).or_default() += 1;
        }
        let mut patterns: Vec<(Gamma, u64)> = counts.into_iter().collect();
        patterns.sort();
        patterns
    }

    fn close(a: &Params, b: &Params, tol: f64, what: &str) {
        for (x, y) in a.iter().flatten().zip(b.iter().flatten()) {
            assert!((x - y).abs() < tol, "{what} {x} vs {y}");
        }
    }

    /// Simulate patterns from known m/u/λ and check EM recovers them (Splink's own test idea).
    #[test]
    fn em_recovers_known_parameters_with_u_fixed() {
        let (m, u, lambda) = known();
        let r = em(&simulate(&m, &u, lambda, 200_000), &u, false, 200, 1e-7);
        assert!(r.converged);
        assert!((r.lambda - lambda).abs() < 0.01, "lambda {}", r.lambda);
        close(&r.m, &m, 0.02, "m");
    }

    /// As production runs it: u updated too, starting from a u that is not the true one (random
    /// pairs share less than blocked non-matches do).
    #[test]
    fn em_recovers_known_parameters_with_u_updated() {
        let (m, u, lambda) = known();
        let mut u0 = u.clone();
        for v in &mut u0 {
            let last = v.len() - 1;
            v[last] += 0.15;
            normalize(v);
        }
        let r = em(&simulate(&m, &u, lambda, 200_000), &u0, true, 500, 1e-8);
        assert!(r.converged, "{} iterations", r.iterations);
        assert!((r.lambda - lambda).abs() < 0.01, "lambda {}", r.lambda);
        close(&r.m, &m, 0.02, "m");
        close(&r.u, &u, 0.02, "u");
    }

    #[test]
    fn implausible_m_is_caught() {
        let u: Params = COMPARISONS
            .iter()
            .map(|c| vec![1.0 / c.levels.len() as f64; c.levels.len()])
            .collect();
        // a plausible m: agreement most likely among matches
        let mut m: Params = COMPARISONS
            .iter()
            .map(|c| {
                let mut v = vec![0.1 / (c.levels.len() - 1) as f64; c.levels.len()];
                v[0] = 0.9;
                v
            })
            .collect();
        assert!(implausible_m(&m, &u).is_empty());
        // birth place: "different" far likelier among matches than among non-matches
        let bp = Cmp::BirthPlace as usize;
        m[bp] = vec![0.1, 0.1, 0.1, 0.7];
        assert_eq!(implausible_m(&m, &u), vec![bp]);
        // a soft comparison may say so
        let r = Cmp::Residence as usize;
        m[r] = vec![0.1, 0.1, 0.1, 0.7];
        assert_eq!(implausible_m(&m, &u), vec![bp]);
        assert!(!degenerate_m(&m));
        // dates of birth that mostly disagree among "matches": EM found siblings
        let d = Cmp::Dob as usize;
        m[d] = vec![0.25, 0.1, 0.0, 0.0, 0.05, 0.6];
        assert!(degenerate_m(&m));
    }

    #[test]
    fn soft_levels_keep_their_floor() {
        let mut m = initial_m();
        let r = Cmp::Residence as usize;
        m[r] = vec![0.999, 0.0, 0.0, 0.001];
        floor_soft_levels(&mut m);
        // the floor, then renormalised: at least floor / (1 + floor · levels)
        assert!(m[r].iter().all(|&x| x >= 0.02 / 1.08), "{:?}", m[r]);
        assert!((m[r].iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}

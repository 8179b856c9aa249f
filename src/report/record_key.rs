//! `record_key`: an identifier of a civil subject that survives a re-export of its book (re-sorted,
//! split into other files, re-encoded): what identifies a registration — record type, the
//! registering commune as resolved, book number, registration number, registration date — and the
//! role. `KS|18607|1/1996|77/1996|1996-11-02|nks`. A record without book or number falls back to a
//! digest of its normalized content: `KS|18607|#3f2a9c0d11e4b7a2|nks`. Keys repeated within a run
//! (a book that numbers two records alike) get `~2`, `~3`… in file order, so each is unique.
use crate::compare::Sources;
use crate::subjects::Subject;

/// A book or registration number as written, made comparable across exports: spaces dropped,
/// lowercase, leading zeros of each run of digits dropped (`01/1996` and `1/1996` are one book).
pub fn normalize_number(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_digits = false;
    let mut pending_zero = false;
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if !in_digits && c == '0' {
                pending_zero = true;
                continue;
            }
            if !in_digits {
                pending_zero = false;
            }
            in_digits = true;
            out.push(c);
        } else {
            if pending_zero && !in_digits {
                out.push('0');
            }
            pending_zero = false;
            in_digits = false;
            out.extend(c.to_lowercase());
        }
    }
    if pending_zero && !in_digits {
        out.push('0');
    }
    out
}

/// The key of one subject, before it is made unique.
fn base_key(x: &Sources, s: &Subject) -> String {
    let data = x.data;
    let commune = s
        .facts
        .reg_place
        .and_then(|p| data.place(p).commune)
        .map_or_else(|| "?".to_string(), super::links::commune_code);
    let book = normalize_number(&x.civil_cell(s, "quyenSo"));
    let number = normalize_number(&x.civil_cell(s, "so"));
    let (rt, role) = (s.record_type.code(), s.role.code());
    if !book.is_empty() && !number.is_empty() {
        let date = s.reg_date.map(|d| d.to_string()).unwrap_or_default();
        // `{rt}|{commune}|{book}|{number}|{date}|{role}`, for every subject: joined, not formatted
        return [rt, &commune, &book, &number, &date, role].join("|");
    }
    // no book fields: what the record says, normalized (so encodings and spacing do not matter)
    let f = &s.facts;
    let names = &data.names;
    let content = [
        names.display(f.name),
        f.dob.map(|d| d.to_string()).unwrap_or_default(),
        s.reg_date.map(|d| d.to_string()).unwrap_or_default(),
        s.event_date.map(|d| d.to_string()).unwrap_or_default(),
        names.display(f.father),
        names.display(f.mother),
        names.display(f.spouse),
    ]
    .join("|");
    format!(
        "{rt}|{commune}|#{:016x}|{role}",
        crate::hash::hash_str(&content)
    )
}

/// Every subject's key, in subject order, each unique within the run.
pub fn keys(x: &Sources) -> Vec<String> {
    use rayon::prelude::*;
    let mut keys: Vec<String> = x.data.subjects.par_iter().map(|s| base_key(x, s)).collect();
    number_repeats(&mut keys);
    keys
}

/// The second and later occurrences of a key get `~2`, `~3`… in subject order. The keys are
/// hashed and sorted in parallel; only keys of the same hash are compared (one hash map of every
/// key was a quarter of a second on one core at 1.6 M persons).
fn number_repeats(keys: &mut [String]) {
    use rayon::prelude::*;
    let mut by_hash: Vec<(u64, u32)> = keys
        .par_iter()
        .enumerate()
        .map(|(i, k)| (crate::hash::hash_str(k), i as u32))
        .collect();
    by_hash.par_sort_unstable();
    let mut repeated = Vec::new();
    for run in by_hash.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // in subject order: the same hash is nearly always the same key
        let mut seen: rustc_hash::FxHashMap<&str, u32> = Default::default();
        for &(_, i) in run {
            let n = seen.entry(keys[i as usize].as_str()).or_insert(0);
            *n += 1;
            if *n > 1 {
                repeated.push((i as usize, *n));
            }
        }
    }
    for (i, n) in repeated {
        keys[i] = format!("{}~{n}", keys[i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_numbered_in_order() {
        let mut keys: Vec<String> = ["a", "b", "a", "c", "a", "b", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        keys.extend((0..5000).map(|i| format!("k{}", i % 1700)));
        let mut want = keys.clone();
        let mut seen = std::collections::HashMap::new();
        for k in want.iter_mut() {
            let n = seen.entry(k.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                *k = format!("{k}~{n}");
            }
        }
        number_repeats(&mut keys);
        assert_eq!(keys, want);
    }

    #[test]
    fn numbers_keep_their_meaning_not_their_spelling() {
        assert_eq!(normalize_number("01/1996"), "1/1996");
        assert_eq!(normalize_number(" 1 / 1996 "), "1/1996");
        assert_eq!(normalize_number("Q.02"), "q.2");
        assert_eq!(normalize_number("0"), "0");
        assert_eq!(normalize_number("00/2001"), "0/2001");
        assert_eq!(normalize_number("105"), "105");
        assert_eq!(normalize_number(""), "");
    }
}

//! Records typed without diacritics: hired data entry without a Vietnamese keyboard produced whole
//! books, and single records elsewhere, in plain ASCII. Folding alone is never a conflict: a name
//! still disagrees only when its letters do.
use super::books::{Rec, hit};
use super::config::NoiseConfig;
use super::population::Person;
use super::shelve::Book;
use crate::normalize::letters::{fold_char, is_combining};
use rand_pcg::Pcg64;

/// A text as typed on a keyboard without Vietnamese: every letter to its ASCII base, case kept.
pub fn ascii(s: &str) -> String {
    s.chars()
        .filter(|c| !is_combining(*c))
        .map(|c| {
            let f = fold_char(c);
            if c.is_uppercase() {
                f.to_ascii_uppercase()
            } else {
                f
            }
        })
        .collect()
}

fn folded_name(s: &str) -> String {
    crate::normalize::letters::fold_str(&crate::normalize::normalize_name(s).lower())
}

/// Type some books and records without diacritics and correct their truth: a name field keeps its
/// conflict only when the folded written name is not the folded true one.
pub fn apply(
    recs: &mut [Rec],
    books: &[Book],
    people: &[Person],
    cfg: &NoiseConfig,
    rng: &mut Pcg64,
) {
    for b in books {
        let whole = b.legacy.is_none() && hit(rng, cfg.record.no_diacritics_book);
        for &ri in &b.records {
            let r = &mut recs[ri];
            r.ascii = b.legacy.is_none() && (whole || hit(rng, cfg.record.no_diacritics_record));
        }
    }
    for r in recs.iter_mut().filter(|r| r.ascii) {
        for v in r.cells.values_mut() {
            *v = ascii(v);
        }
        for t in r.subjects.iter_mut() {
            let p = &people[t.person as usize];
            let prefix = t.role;
            let fields: [(&str, String, &[String]); 3] = [
                ("name", format!("{prefix}HoTen"), &p.name),
                ("father_name", "chaHoTen".to_string(), &p.father_name),
                ("mother_name", "meHoTen".to_string(), &p.mother_name),
            ];
            for (field, col, true_name) in fields {
                let written = r.cells.get(col.as_str()).map(|s| folded_name(s));
                if t.conflicts.contains(&field)
                    && written.is_some_and(|w| w == folded_name(&true_name.join(" ")))
                {
                    t.conflicts.retain(|c| *c != field);
                }
            }
            t.noise.push("no_diacritics");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_without_diacritics() {
        assert_eq!(
            ascii("Nguyễn Quốc Quốc, Xã Đức Lạng"),
            "Nguyen Quoc Quoc, Xa Duc Lang"
        );
        assert_eq!(ascii("NGUYỄN THỊ ĐÀO"), "NGUYEN THI DAO");
    }
}

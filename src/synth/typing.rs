//! Records typed without diacritics: hired data entry without a Vietnamese keyboard produced whole
//! books, and single records elsewhere, in plain ASCII. Folding alone is never a conflict: a name
//! still disagrees only when its letters do.
use super::books::{Rec, hit};
use super::config::NoiseConfig;
use super::population::Person;
use crate::ingest::RecordType;
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

/// Whether a record is typed without diacritics: a whole year of a commune's books of one type
/// (hired data entry typed the book in ASCII), or the record alone. Drawn from the seed, apart
/// from the record stream.
pub fn typed_ascii(
    cfg: &NoiseConfig,
    seed: u64,
    commune: u32,
    rt: RecordType,
    year: u16,
    rng: &mut Pcg64,
) -> bool {
    let h = crate::hash::mix(
        crate::hash::mix(crate::hash::mix(seed ^ 0xA5C11, commune as u64), rt as u64),
        year as u64,
    );
    let u = (h >> 11) as f64 / (1u64 << 53) as f64;
    u < cfg.record.no_diacritics_book || hit(rng, cfg.record.no_diacritics_record)
}

/// The noise of a record typed without diacritics: none of the Unicode-only effects (NFD,
/// composed marks, mojibake, stray VNI tokens) — a plain keyboard types none of them.
pub fn ascii_safe(cfg: &NoiseConfig) -> NoiseConfig {
    let mut c = cfg.clone();
    c.name.nfd = 0.0;
    c.name.composite = 0.0;
    c.name.mojibake = 0.0;
    c.name.vni_token = 0.0;
    c
}

/// Fold a record typed without diacritics and correct its truth: a name field keeps its conflict
/// only when the folded written name is not the folded true one.
pub fn fold(r: &mut Rec, people: &[Person]) {
    for v in r.cells.values_mut() {
        *v = ascii(v);
    }
    for t in r.subjects.iter_mut() {
        let p = &people[t.person as usize];
        let own = format!("{}HoTen", t.role);
        let fields: [(&str, &str, &[String]); 3] = [
            ("name", own.as_str(), &p.name),
            ("father_name", "chaHoTen", &p.father_name),
            ("mother_name", "meHoTen", &p.mother_name),
        ];
        for (field, col, true_name) in fields {
            let written = r.cells.get(col).map(|s| folded_name(s));
            if t.conflicts.contains(&field)
                && written.is_some_and(|w| w == folded_name(&true_name.join(" ")))
            {
                t.conflicts.retain(|c| *c != field);
            }
        }
        t.noise.push("no_diacritics");
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

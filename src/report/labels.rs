//! The names people read in place of codes: communes (with their district and 2025 commune),
//! record types and roles.
use super::i18n::t;
use crate::ingest::RecordType;
use crate::places::GAZETTEER;
use crate::vocab::Lang;

fn commune(code: &str) -> Option<&'static crate::places::data::Commune> {
    code.parse::<u32>()
        .ok()
        .and_then(|c| GAZETTEER.communes.get(&c))
}

/// "Xã Tân Linh" for a legacy commune code (the code itself when the gazetteer lacks it).
pub fn commune_name(code: &str) -> String {
    commune(code).map_or_else(|| code.to_string(), |c| format!("{} {}", c.kind, c.name))
}

/// The commune's district: (3-digit code, "Huyện Ba Vì"); empty when unknown.
pub fn district(code: &str) -> (String, String) {
    commune(code)
        .and_then(|c| GAZETTEER.districts.get(&c.district))
        .map(|d| (format!("{:03}", d.code), format!("{} {}", d.kind, d.name)))
        .unwrap_or_default()
}

/// The 2025 commune's code for a legacy commune (its first successor), or empty.
pub fn commune_2025_code(code: &str) -> String {
    commune(code)
        .and_then(|c| c.successors.first())
        .map(|n| format!("{n:05}"))
        .unwrap_or_default()
}

/// The 2025 commune's name for a code of [`commune_2025_code`].
pub fn commune_2025_name(code: &str) -> String {
    code.parse::<u32>()
        .map(|n| GAZETTEER.commune_2025_label(n))
        .unwrap_or_default()
}

/// The 2025 commune's name for a legacy commune.
pub fn successor_name(code: &str) -> String {
    commune_2025_name(&commune_2025_code(code))
}

/// "Khai sinh" for `KS`.
pub fn record_type(code: &str, lang: Lang) -> String {
    RecordType::from_code(code).map_or_else(|| code.to_string(), |r| r.label(lang).to_string())
}

/// "Người được khai sinh" for `nks`.
pub fn role(code: &str, lang: Lang) -> String {
    if code.is_empty() {
        return String::new();
    }
    match t(lang, &format!("role_{code}")) {
        "?" => code.to_string(),
        l => l.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_type_and_role_has_a_label() {
        for lang in [Lang::Vi, Lang::En] {
            for r in RecordType::ALL {
                assert_ne!(record_type(r.code(), lang), r.code());
            }
            for r in crate::subjects::Role::ALL {
                assert_ne!(role(r.code(), lang), r.code(), "{r:?}");
            }
        }
    }
}

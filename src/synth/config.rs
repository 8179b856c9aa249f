//! The generator's rates (`rules/synth.toml`), strict like the reconcile rules.
use serde::Deserialize;

/// The built-in rates.
pub const DEFAULT_NOISE: &str = include_str!("../../rules/synth.toml");

/// Data shape.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Shape {
    pub records_per_person: f64,
    pub share_ks: f64,
    pub share_kh: f64,
    pub share_kt: f64,
    pub share_cmc: f64,
    pub share_hn: f64,
    pub born_elsewhere: f64,
    pub baseline_date: String,
    pub xlsx_files: f64,
    pub title_rows: f64,
    pub tcvn3_files: f64,
    pub vni_files: f64,
    pub records_per_file: usize,
}

/// Name errors.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct NameNoise {
    pub typo: f64,
    pub tone_slip: f64,
    pub tone_dropped: f64,
    pub modifier_dropped: f64,
    pub tone_style: f64,
    pub nfd: f64,
    pub composite: f64,
    pub upper_case: f64,
    pub spacing: f64,
    pub glued: f64,
    pub van_thi_dropped: f64,
    pub variant: f64,
    pub i_y: f64,
    pub dialect: f64,
    pub swap: f64,
    pub mojibake: f64,
    pub vni_token: f64,
}

/// Date errors.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct DateNoise {
    pub day_month_swap: f64,
    pub year_slip: f64,
    pub year_only: f64,
    pub ddmmyyyy: f64,
    pub two_digit_year: f64,
    pub impossible: f64,
    pub registration_before_birth: f64,
}

/// Record errors.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RecordNoise {
    pub wrong_sex: f64,
    #[serde(default)]
    pub id_typo: f64,
    pub old_place_name: f64,
    pub abbreviated_place: f64,
    pub place_no_diacritics: f64,
    pub ethnicity_alias: f64,
    pub missing_signer: f64,
    pub missing_book_number: f64,
    pub numbering_continued: f64,
    pub duplicate_registration: f64,
    pub duplicate_book_number: f64,
    pub unrecorded_correction: f64,
    pub registry_sex_error: f64,
    pub registry_birth_place_error: f64,
    pub registry_reg_place_error: f64,
    pub no_diacritics_book: f64,
    pub no_diacritics_record: f64,
    pub reregistration_elsewhere: f64,
    pub reregistration_day: f64,
    pub reregistration_van_thi: f64,
    pub father_blank: f64,
    pub father_recognised: f64,
    pub id_lost_digit: f64,
}

/// Which books survived to be digitized.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Survival {
    pub ks_first_from: u16,
    pub ks_first_to: u16,
    pub event_first_from: u16,
    pub event_first_to: u16,
    pub recent_first: u16,
    pub gap_share: f64,
    pub gap_min: u16,
    pub gap_max: u16,
    pub electronic_from: u16,
    pub individual_loss: f64,
}

/// Registry-side errors.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PopulationNoise {
    pub absent_from_registry: f64,
    pub death_not_propagated: f64,
    pub marriage_not_propagated: f64,
    pub new_place_names: f64,
    #[serde(default)]
    pub moved: f64,
    pub dob_year_only_old: f64,
    pub dob_year_only_mid: f64,
    pub dob_year_only_young: f64,
    pub dob_year_only_as_jan_1: f64,
}

/// All rates.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct NoiseConfig {
    pub shape: Shape,
    pub name: NameNoise,
    pub date: DateNoise,
    pub record: RecordNoise,
    pub population: PopulationNoise,
    pub survival: Survival,
}

impl Default for NoiseConfig {
    fn default() -> Self {
        toml::from_str(DEFAULT_NOISE).expect("rules/synth.toml is valid")
    }
}

impl NoiseConfig {
    /// Parse a user's noise file (all keys required, as in the default file).
    pub fn parse(text: &str) -> Result<NoiseConfig, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Name noise with only the real tone slip of `n` kept (for the registry's corrections).
    pub fn clean_name_with(n: NameNoise) -> NameNoise {
        let mut c = NoiseConfig::clean().name;
        c.tone_slip = n.tone_slip;
        c
    }

    /// A copy with every error rate set to zero (clean data, for tests).
    pub fn clean() -> NoiseConfig {
        let mut c = NoiseConfig::default();
        let z = |v: &mut f64| *v = 0.0;
        let n = &mut c.name;
        for v in [
            &mut n.typo,
            &mut n.tone_slip,
            &mut n.tone_dropped,
            &mut n.modifier_dropped,
            &mut n.tone_style,
            &mut n.nfd,
            &mut n.composite,
            &mut n.upper_case,
            &mut n.spacing,
            &mut n.glued,
            &mut n.van_thi_dropped,
            &mut n.variant,
            &mut n.i_y,
            &mut n.dialect,
            &mut n.swap,
            &mut n.mojibake,
            &mut n.vni_token,
        ] {
            z(v);
        }
        let d = &mut c.date;
        for v in [
            &mut d.day_month_swap,
            &mut d.year_slip,
            &mut d.year_only,
            &mut d.ddmmyyyy,
            &mut d.two_digit_year,
            &mut d.impossible,
            &mut d.registration_before_birth,
        ] {
            z(v);
        }
        let r = &mut c.record;
        for v in [
            &mut r.wrong_sex,
            &mut r.old_place_name,
            &mut r.abbreviated_place,
            &mut r.place_no_diacritics,
            &mut r.ethnicity_alias,
            &mut r.missing_signer,
            &mut r.missing_book_number,
            &mut r.numbering_continued,
            &mut r.duplicate_registration,
            &mut r.duplicate_book_number,
            &mut r.unrecorded_correction,
            &mut r.registry_sex_error,
            &mut r.registry_birth_place_error,
            &mut r.registry_reg_place_error,
            &mut r.no_diacritics_book,
            &mut r.no_diacritics_record,
            &mut r.reregistration_elsewhere,
            &mut r.reregistration_day,
            &mut r.reregistration_van_thi,
            &mut r.father_blank,
            &mut r.father_recognised,
            &mut r.id_lost_digit,
        ] {
            z(v);
        }
        let p = &mut c.population;
        for v in [
            &mut p.absent_from_registry,
            &mut p.death_not_propagated,
            &mut p.marriage_not_propagated,
            &mut p.dob_year_only_old,
            &mut p.dob_year_only_mid,
            &mut p.dob_year_only_young,
        ] {
            z(v);
        }
        // every book survived
        let b = &mut c.survival;
        b.ks_first_from = 1800;
        b.ks_first_to = 1800;
        b.event_first_from = 1800;
        b.event_first_to = 1800;
        b.recent_first = 1800;
        b.gap_share = 0.0;
        b.individual_loss = 0.0;
        c.shape.tcvn3_files = 0.0;
        c.shape.vni_files = 0.0;
        c
    }
}

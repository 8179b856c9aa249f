//! Normalization: raw strings to typed values that only these normalizers can build.
pub mod catalog;
pub mod date;
pub mod id;
pub mod letters;
pub mod name;
pub mod names_data;
pub mod syllable;
pub mod text;

pub use date::{NormDate, PartialDate, Precision, parse_date};
pub use id::{IdParse, PersonalId, Sex, parse_id};
pub use name::{NormName, normalize_name};

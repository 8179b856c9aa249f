//! doisoat: reconcile Vietnam's digitized civil-status books with the national population database.
//!
//! The pipeline, one module per stage: ingest → normalize → subjects → block → compare → score →
//! link → classify → report. [`pipeline::reconcile`] is the one place that wires them together.
pub mod cli;
pub mod encoding;
pub mod error;
pub mod ingest;
pub mod normalize;
pub mod output;
pub mod places;

pub use error::{Error, Result};

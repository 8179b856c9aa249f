//! doisoat: reconcile Vietnam's digitized civil-status books with the national population database.
//!
//! The pipeline, one module per stage: ingest → normalize → subjects → block → compare → score →
//! link → classify → report. [`pipeline::reconcile`] is the one place that wires them together.
// Stage functions pass many typed columns at once, and row loops index several parallel
// columns; these two lints would only push that into structs built for a single call.
#![allow(clippy::too_many_arguments, clippy::needless_range_loop)]

pub mod block;
pub mod classify;
pub mod cli;
pub mod compare;
pub mod decisions;
pub mod encoding;
pub mod error;
pub mod eval;
pub mod explain;
pub mod hash;
pub mod ingest;
pub mod link;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod places;
pub mod progress;
pub mod report;
pub mod review;
pub mod rules;
pub mod score;
pub mod settings;
pub mod subjects;
pub mod summary;
pub mod synth;
pub mod vocab;

pub use error::{Error, Result};

//! The one integration-test binary: a module per area, so the library links once.
mod cli;
mod compare;
mod decisions;
mod fuzz;
mod hardening;
mod places;
mod props;
mod reconcile;
mod report;
mod review;
mod support;
mod synth;

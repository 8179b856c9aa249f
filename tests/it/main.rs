//! The one integration-test binary: a module per area, so the library links once.
mod places;
mod reconcile;
mod support;

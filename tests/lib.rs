//! The integration-test binary: one binary (fast to link on 2 cores), modules by topic,
//! driven by the data files under `tests/data/` and `docs/`.

mod analysis;
mod catalog;
mod common;
mod extraction;
mod fit;
mod formats;
mod fuzz;
mod insight;
mod market;
mod plan;
mod properties;
mod reliability;
mod taxonomy;

//! Loading the default taxonomy (target ≤ 300 ms in release on the 2-core dev machine).
//!
//! `cargo bench --bench taxonomy`. Baselines measured in the same run: inflating the snapshot
//! alone (the I/O-free floor), and the full ESCO CSV import the snapshot replaces (when
//! `../shared` is present).

use criterion::{criterion_group, criterion_main, Criterion};
use sepadan::{EscoSource, LoadMode, Market, Taxonomy};

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("taxonomy");
    g.sample_size(10);
    g.bench_function("esco_english_snapshot", |b| b.iter(|| Taxonomy::esco_english().map(|t| t.skill_count())));
    g.bench_function("esco_with_indonesian_labels", |b| b.iter(|| Taxonomy::esco().map(|t| t.skill_count())));
    let t = Taxonomy::esco_english().unwrap_or_else(|e| panic!("{e}"));
    let bytes = t.to_snapshot();
    g.bench_function("snapshot_roundtrip_decode", |b| {
        b.iter(|| Taxonomy::from_snapshot(&bytes).map(|t| t.skill_count()))
    });
    g.bench_function("first_label_lookup", |b| {
        b.iter_batched(
            || Taxonomy::esco_english().unwrap_or_else(|e| panic!("{e}")),
            |t| t.resolve_skill("use welding equipment").ok(),
            criterion::BatchSize::LargeInput,
        )
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/esco-v1.1.1");
    if dir.join("esco-v1.1.1-en-csv.zip").exists() {
        g.bench_function("baseline_import_esco_csv_zips", |b| {
            b.iter(|| EscoSource::from_dir(&dir).import(LoadMode::Lenient).map(|i| i.taxonomy.skill_count()))
        });
    }
    g.finish();

    let tax = Taxonomy::esco().unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("sample_market_load", |b| b.iter(|| Market::sample(&tax).map(|m| m.postings.len())));
    let generator = sepadan::MarketGenerator::new(&tax, 1);
    c.bench_function("generate_10k_postings", |b| b.iter(|| generator.market(10_000, 0, 0).postings.len()));
}

criterion_group!(benches, load);
criterion_main!(benches);

//! The catalogue: indexing throughput and search latency on a synthetic market.
//!
//! `cargo bench --bench catalog`. Set `SEPADAN_BENCH_POSTINGS` to the size of the searched
//! index (default 100,000; the target size is 1,000,000, see docs/BENCHMARKS.md).
//! Baseline in the same run: analysing the same postings without indexing them.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sepadan::{Catalog, CatalogOptions, Extractor, MarketGenerator, ProvinceCode, SearchRequest, Taxonomy};

fn bench(c: &mut Criterion) {
    let taxonomy = Arc::new(Taxonomy::esco().unwrap_or_else(|e| panic!("{e}")));
    let extractor = Arc::new(Extractor::new(&taxonomy));
    let generator = MarketGenerator::new(&taxonomy, 11);
    // `cargo bench` passes `--bench`; `cargo test --benches` (CI) does not: keep that run small.
    let measuring = std::env::args().any(|a| a == "--bench");
    let batch: Vec<_> = generator.postings().take(if measuring { 2_000 } else { 100 }).collect();
    let bytes: usize = batch.iter().map(|p| p.title.len() + p.description.len()).sum();
    eprintln!("indexing batch: {} postings, mean {} bytes of text", batch.len(), bytes / batch.len());

    let mut g = c.benchmark_group("catalog_index");
    g.sample_size(10);
    g.throughput(Throughput::Elements(batch.len() as u64));
    let options = CatalogOptions { writer_memory: 128 << 20, writer_threads: 2 };
    g.bench_function("index_2000_postings_2_threads", |b| {
        b.iter(|| {
            let catalog =
                Catalog::in_memory(taxonomy.clone(), extractor.clone(), options).unwrap_or_else(|e| panic!("{e}"));
            for p in &batch {
                catalog.upsert_posting(p).unwrap_or_else(|e| panic!("{e}"));
            }
            catalog.commit().unwrap_or_else(|e| panic!("{e}"));
            catalog.len()
        })
    });
    g.bench_function("baseline_analyze_only", |b| {
        b.iter(|| batch.iter().map(|p| extractor.analyzer().analyze(&p.description).len()).sum::<usize>())
    });
    g.finish();

    let n: usize = if measuring {
        std::env::var("SEPADAN_BENCH_POSTINGS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
    } else {
        1_000
    };
    let catalog = Catalog::in_memory(taxonomy.clone(), extractor.clone(), options).unwrap_or_else(|e| panic!("{e}"));
    for chunk_start in (0..n as u64).step_by(10_000) {
        for i in chunk_start..(chunk_start + 10_000).min(n as u64) {
            catalog.upsert_posting(&generator.posting(i)).unwrap_or_else(|e| panic!("{e}"));
        }
        catalog.commit().unwrap_or_else(|e| panic!("{e}"));
    }
    eprintln!("search index: {} postings", catalog.len());
    let jabar = ProvinceCode::parse("32");
    let mut g = c.benchmark_group("catalog_search");
    g.bench_function(format!("three_terms_region_facets_{n}"), |b| {
        b.iter(|| {
            let r = SearchRequest {
                text: Some("operator mesin produksi".into()),
                province: jabar,
                facets: true,
                ..Default::default()
            };
            catalog.search(&r).map(|r| r.total).unwrap_or(0)
        })
    });
    g.bench_function(format!("three_terms_no_facets_{n}"), |b| {
        b.iter(|| {
            let r =
                SearchRequest { text: Some("operator mesin produksi".into()), province: jabar, ..Default::default() };
            catalog.search(&r).map(|r| r.total).unwrap_or(0)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

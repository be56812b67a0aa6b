//! What the request limits cost on the hot path (issue 10 asks for under 1 %).
//!
//! `cargo bench --bench limits`. Each pair is measured side by side in one run:
//! * search: a normal request, and the same request refused at the last limit check (result
//!   window), which runs every check and then builds the error: an upper bound on the checks'
//!   cost inside the accepted request;
//! * matching: top-10 postings for a candidate among 20,000, and the same call on an engine with
//!   no postings, which runs the candidate and `k` checks plus the call's fixed setup: again an
//!   upper bound on the checks' cost.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use sepadan::{
    Catalog, CatalogOptions, Extractor, FitScorer, MarketGenerator, MatchEngine, MatchFilters, ProvinceCode,
    SearchRequest, Taxonomy,
};

fn bench(c: &mut Criterion) {
    let taxonomy = Arc::new(Taxonomy::esco().unwrap_or_else(|e| panic!("{e}")));
    let measuring = std::env::args().any(|a| a == "--bench");
    let generator = MarketGenerator::new(&taxonomy, 17);

    let extractor = Arc::new(Extractor::new(&taxonomy));
    let options = CatalogOptions { writer_memory: 128 << 20, writer_threads: 2 };
    let catalog = Catalog::in_memory(taxonomy.clone(), extractor, options).unwrap_or_else(|e| panic!("{e}"));
    let n_search = if measuring { 20_000 } else { 300 };
    for i in 0..n_search {
        catalog.upsert_posting(&generator.posting(i)).unwrap_or_else(|e| panic!("{e}"));
    }
    catalog.commit().unwrap_or_else(|e| panic!("{e}"));
    let accepted = SearchRequest {
        text: Some("operator mesin produksi".into()),
        province: ProvinceCode::parse("32"),
        limit: 10,
        ..SearchRequest::default()
    };
    let refused = SearchRequest { offset: Catalog::MAX_RESULT_WINDOW, ..accepted.clone() };
    assert!(catalog.search(&refused).is_err(), "the refused request must be refused");
    let mut g = c.benchmark_group(format!("limits_search_{n_search}"));
    g.bench_function("baseline_search", |b| b.iter(|| catalog.search(&accepted).map(|r| r.total).unwrap_or(0)));
    g.bench_function("checks_only_refused_at_last_check", |b| b.iter(|| catalog.search(&refused).is_err()));
    g.finish();

    let n_match = if measuring { 20_000 } else { 500 };
    let matching = MarketGenerator::new(&taxonomy, 17).with_text(false);
    let market = matching.market(n_match, 0, 0);
    let scorer = || FitScorer::new(&taxonomy);
    let engine = MatchEngine::new(&taxonomy, scorer(), market.postings, Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    let empty = MatchEngine::new(&taxonomy, scorer(), Vec::new(), Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    let probe: Vec<_> = (0..20u64).map(|i| matching.candidate(1_000_000 + i)).collect();
    let f = MatchFilters::default();
    let mut g = c.benchmark_group(format!("limits_match_{n_match}"));
    g.bench_function("baseline_top10_20_candidates", |b| {
        b.iter(|| probe.iter().map(|p| engine.jobs_for_candidate(p, 10, &f).map_or(0, |v| v.len())).sum::<usize>())
    });
    g.bench_function("checks_and_setup_only_empty_engine", |b| {
        b.iter(|| probe.iter().map(|p| empty.jobs_for_candidate(p, 10, &f).map_or(0, |v| v.len())).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

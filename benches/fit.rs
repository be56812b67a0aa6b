//! The fit engine: one explained score, and exact top-10 jobs per candidate in batch.
//!
//! `cargo bench --bench fit`. Synthetic market from `MarketGenerator` (seed 5). Baseline in the
//! same run: the exhaustive exact top-k (scoring every posting) for the same candidates.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sepadan::{FitScorer, MarketGenerator, MatchEngine, MatchFilters, Taxonomy};

fn bench(c: &mut Criterion) {
    let measuring = std::env::args().any(|a| a == "--bench");
    let t = Taxonomy::esco().unwrap_or_else(|e| panic!("{e}"));
    let g = MarketGenerator::new(&t, 5).with_text(false);
    let (jobs, cands) = if measuring { (20_000, 2_000) } else { (500, 50) };
    let m = g.market(jobs, 0, cands);
    let scorer = FitScorer::new(&t);
    let (cand, job) = (&m.candidates[0], &m.postings[0]);
    c.bench_function("fit_one_pair_explained", |b| b.iter(|| scorer.fit(cand, job).score));
    let engine = MatchEngine::new(&t, FitScorer::new(&t), m.postings.clone(), m.candidates.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let f = MatchFilters::default();
    let probe: Vec<_> = m.candidates.iter().take(if measuring { 200 } else { 5 }).collect();
    let mut g = c.benchmark_group(format!("top10_jobs_{jobs}_postings"));
    g.sample_size(10);
    g.throughput(Throughput::Elements(probe.len() as u64));
    g.bench_function("sepadan_inverted_index_exact", |b| {
        b.iter(|| probe.iter().map(|c| engine.jobs_for_candidate(c, 10, &f).map_or(0, |v| v.len())).sum::<usize>())
    });
    g.bench_function("baseline_exhaustive_exact", |b| {
        b.iter(|| {
            probe.iter().map(|c| engine.jobs_for_candidate_exhaustive(c, 10, &f).map_or(0, |v| v.len())).sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Skill extraction: postings per second (target ≥ 2,000 per core for 1 KB postings) and
//! building the extractor for the full taxonomy in both languages (target ≤ 1 s).
//!
//! `cargo bench --bench extract`. Corpus: the sample market's postings (title + description,
//! mean ≈ 1.8 KB). Baseline in the same run: the analyzer alone over the same texts, the floor
//! extraction builds on.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sepadan::{Extractor, Market, Taxonomy};

fn bench(c: &mut Criterion) {
    let t = Taxonomy::esco().unwrap_or_else(|e| panic!("{e}"));
    let m = Market::sample(&t).unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = m.postings.iter().map(|p| format!("{}\n{}", p.title, p.description)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();

    let mut g = c.benchmark_group("extractor_build");
    g.sample_size(10);
    g.bench_function("full_taxonomy_en_id", |b| b.iter(|| Extractor::new(&t)));
    g.finish();

    let ex = Extractor::new(&t);
    let mut g = c.benchmark_group("extract_postings");
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("sepadan_extract", |b| {
        b.iter(|| texts.iter().map(|x| ex.extract(x).mentions.len()).sum::<usize>())
    });
    g.bench_function("baseline_analyze_only", |b| {
        b.iter(|| texts.iter().map(|x| ex.analyzer().analyze(x).len()).sum::<usize>())
    });
    g.finish();
    eprintln!("corpus: {} postings, {} bytes (mean {} bytes)", texts.len(), bytes, bytes / texts.len().max(1));
}

criterion_group!(benches, bench);
criterion_main!(benches);

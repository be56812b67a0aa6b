//! Analyzer throughput on real job-ad text (target ≥ 20 MB/s per core in release).
//!
//! `cargo bench --bench text`. The corpus is every description in the sample market (mostly
//! Bahasa Indonesia, some English). Baseline in the same run: tantivy's default analyzer
//! (SimpleTokenizer + RemoveLongFilter + LowerCaser) over the same bytes.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sepadan::{Analyzer, Market, Taxonomy};
use tantivy::tokenizer::{TokenStream, TokenizerManager};

fn corpus() -> String {
    let t = Taxonomy::esco().unwrap_or_else(|e| panic!("{e}"));
    let m = Market::sample(&t).unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    for p in &m.postings {
        text.push_str(&p.title);
        text.push('\n');
        text.push_str(&p.description);
        text.push('\n');
    }
    for c in &m.courses {
        text.push_str(&c.description);
        text.push('\n');
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Bytes(text.len() as u64));
    let analyzer = Analyzer::new();
    g.bench_function("sepadan_bilingual", |b| b.iter(|| analyzer.analyze(&text).len()));
    let taxonomy = Taxonomy::esco().unwrap_or_else(|e| panic!("{e}"));
    let with_vocab = Analyzer::for_taxonomy(&taxonomy);
    g.bench_function("sepadan_bilingual_taxonomy_vocabulary", |b| b.iter(|| with_vocab.analyze(&text).len()));
    let manager = TokenizerManager::default();
    let mut plain = manager.get("default").unwrap_or_else(|| panic!("tantivy has a default analyzer"));
    g.bench_function("baseline_tantivy_default", |b| {
        b.iter(|| {
            let mut stream = plain.token_stream(&text);
            let mut n = 0usize;
            while stream.advance() {
                n += 1;
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Catalogue latency harness: builds an on-disk catalogue of N synthetic postings, then runs a
//! mix of 3-term queries with a region filter and facets on one thread and reports the median,
//! p90, p99 and max latency, plus memory and disk per posting. Figures go to docs/BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example catalog_latency -- [POSTINGS] [QUERIES]
//! ```
//! Defaults: 100,000 postings and 500 queries. The issue's target size is 1,000,000.
//! `SEPADAN_TEXT_REPEAT=2` doubles each description (about 1 KB postings).

use std::sync::Arc;
use std::time::Instant;

use sepadan::{Catalog, CatalogOptions, Extractor, MarketGenerator, ProvinceCode, SearchRequest, Taxonomy};

#[path = "support/rss.rs"]
mod rss;
use rss::rss_kib;

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()).filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let queries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let taxonomy = Arc::new(Taxonomy::esco()?);
    let extractor = Arc::new(Extractor::new(&taxonomy));
    let generator = MarketGenerator::new(&taxonomy, 11);
    let dir = std::env::temp_dir().join(format!("sepadan-latency-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let options = CatalogOptions { writer_memory: 256 << 20, writer_threads: 2 };
    let catalog = Catalog::create(&dir, taxonomy.clone(), extractor, options)?;
    let rss_before = rss_kib();
    let started = Instant::now();
    let mut text_bytes = 0u64;
    let repeat: usize = std::env::var("SEPADAN_TEXT_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    for i in 0..n {
        let mut p = generator.posting(i);
        if repeat > 1 {
            p.description = vec![p.description.as_str(); repeat].join("\n");
        }
        text_bytes += (p.title.len() + p.description.len()) as u64;
        catalog.upsert_posting(&p)?;
        if (i + 1) % 50_000 == 0 {
            catalog.commit()?;
        }
    }
    catalog.commit()?;
    let build = started.elapsed();
    let merge_started = Instant::now();
    catalog.merge_segments()?;
    println!("merged segments in {:.1?}", merge_started.elapsed());
    let disk = dir_bytes(&dir);
    let rss_after = rss_kib();
    println!(
        "indexed {n} postings ({} bytes of text each on average) in {build:.1?}: {:.0} postings/s",
        text_bytes / n.max(1),
        n as f64 / build.as_secs_f64()
    );
    println!("disk: {:.1} MiB, {} bytes per posting", disk as f64 / (1 << 20) as f64, disk / n.max(1));
    println!(
        "resident memory grew {:.1} MiB while indexing ({} bytes per posting, writer buffers included)",
        (rss_after.saturating_sub(rss_before)) as f64 / 1024.0,
        rss_after.saturating_sub(rss_before) * 1024 / n.max(1)
    );

    // Query mix: three words from the Indonesian title of a random occupation of the generated
    // market, a random province among the populous ones, facets on.
    let words: Vec<Vec<String>> = (0..200u64)
        .map(|i| generator.posting(i * 7919 % n.max(1)).title.split_whitespace().map(str::to_lowercase).collect())
        .filter(|w: &Vec<String>| !w.is_empty())
        .collect();
    let provinces = ["31", "32", "33", "35", "36", "12", "73"];
    let mut times = Vec::with_capacity(queries);
    let mut total_hits = 0usize;
    for q in 0..queries {
        let w = &words[q % words.len()];
        let extra = &words[(q * 31 + 7) % words.len()];
        let mut terms: Vec<&str> = w.iter().map(String::as_str).take(2).collect();
        terms.extend(extra.iter().map(String::as_str).take(3 - terms.len()));
        let r = SearchRequest {
            text: Some(terms.join(" ")),
            province: ProvinceCode::parse(provinces[q % provinces.len()]),
            facets: true,
            ..Default::default()
        };
        let t = Instant::now();
        let res = catalog.search(&r)?;
        times.push(t.elapsed());
        total_hits += res.total;
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "{queries} queries (3 terms, province filter, facets), one thread: median {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}; mean matches {}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        times[times.len() - 1],
        total_hits / queries.max(1)
    );
    drop(catalog);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

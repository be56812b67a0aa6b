//! Batch matching harness: top-10 postings for every candidate of a synthetic market, on all
//! cores, timed. Figures go to docs/BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example match_batch -- [POSTINGS] [CANDIDATES]
//! ```
//! Defaults: 100,000 postings and 10,000 candidates (the issue's target is 100,000 × 100,000).
//! With `--online` as the first argument, it instead builds an engine of POSTINGS postings and
//! times single-candidate queries (top-10 with a province filter, one thread): median and p99,
//! and resident memory per posting.
//! With a third argument DIR, the market's skill lists are also written to DIR/postings.txt and
//! DIR/candidates.txt for the scikit-learn baseline in `benches/baselines/sparse_cosine.py`.

use std::time::Instant;

use sepadan::{FitScorer, MarketGenerator, MatchEngine, MatchFilters, Taxonomy};

#[path = "support/rss.rs"]
mod rss;
use rss::rss_kib;

fn online(jobs: usize, queries: usize) -> Result<(), sepadan::Error> {
    let t = Taxonomy::esco()?;
    let before = rss_kib();
    let g = MarketGenerator::new(&t, 21).with_text(false);
    let m = g.market(jobs, 0, 0);
    let engine = MatchEngine::new(&t, FitScorer::new(&t), m.postings, Vec::new())?;
    let after = rss_kib();
    println!(
        "engine with {jobs} postings: resident memory grew {:.0} MiB ({} bytes per posting, records and indexes)",
        after.saturating_sub(before) as f64 / 1024.0,
        after.saturating_sub(before) * 1024 / jobs.max(1) as u64
    );
    let before_candidates = rss_kib();
    let many: Vec<_> = (0..100_000u64).map(|i| g.candidate(2_000_000 + i)).collect();
    let candidate_engine = MatchEngine::new(&t, FitScorer::new(&t), Vec::new(), many)?;
    println!(
        "100000 candidate profiles with their index: {} bytes per candidate",
        rss_kib().saturating_sub(before_candidates) * 1024 / 100_000
    );
    drop(candidate_engine);
    let probes: Vec<_> = (0..queries as u64).map(|i| g.candidate(1_000_000 + i)).collect();
    let mut times = Vec::with_capacity(queries);
    for c in &probes {
        let filters = MatchFilters { province: c.location.map(|l| l.province), ..MatchFilters::default() };
        let started = Instant::now();
        let top = engine.jobs_for_candidate(c, 10, &filters)?;
        times.push(started.elapsed());
        std::hint::black_box(top);
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "{queries} single-candidate queries (top-10, own province), one thread: median {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        times[times.len() - 1]
    );
    Ok(())
}

fn main() -> Result<(), sepadan::Error> {
    if std::env::args().nth(1).as_deref() == Some("--online") {
        let jobs = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
        let queries = std::env::args().nth(3).and_then(|a| a.parse().ok()).unwrap_or(1_000);
        return online(jobs, queries);
    }
    let mut args = std::env::args().skip(1);
    let jobs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let cands: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let t = Taxonomy::esco()?;
    let started = Instant::now();
    let m = MarketGenerator::new(&t, 21).with_text(false).market(jobs, 0, cands);
    println!("generated {jobs} postings and {cands} candidates in {:.1?}", started.elapsed());
    if let Some(dir) = args.next() {
        use std::io::Write;
        std::fs::create_dir_all(&dir)?;
        let mut p = std::io::BufWriter::new(std::fs::File::create(format!("{dir}/postings.txt"))?);
        for x in &m.postings {
            let ids: Vec<String> = x.requirements.iter().map(|r| r.skill.index().to_string()).collect();
            writeln!(p, "{}", ids.join(" "))?;
        }
        let mut c = std::io::BufWriter::new(std::fs::File::create(format!("{dir}/candidates.txt"))?);
        for x in &m.candidates {
            let ids: Vec<String> = x.skills.iter().map(|s| s.skill.index().to_string()).collect();
            writeln!(c, "{}", ids.join(" "))?;
        }
        println!("exported the market to {dir}");
    }
    let started = Instant::now();
    let engine = MatchEngine::new(&t, FitScorer::new(&t), m.postings, m.candidates)?;
    println!("engine built in {:.1?}", started.elapsed());
    let started = Instant::now();
    let results = engine.top_jobs_for_all(10, &MatchFilters::default())?;
    let took = started.elapsed();
    let found: usize = results.iter().map(Vec::len).sum();
    println!(
        "top-10 for {cands} candidates among {jobs} postings on {} threads: {took:.1?} ({:.0} candidates/s, {found} matches)",
        rayon::current_num_threads(),
        cands as f64 / took.as_secs_f64()
    );
    Ok(())
}

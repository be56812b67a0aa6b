//! Batch matching harness: top-10 postings for every candidate of a synthetic market, on all
//! cores, timed. Figures go to docs/BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example match_batch -- [POSTINGS] [CANDIDATES]
//! ```
//! Defaults: 100,000 postings and 10,000 candidates (the issue's target is 100,000 × 100,000).
//! With a third argument DIR, the market's skill lists are also written to DIR/postings.txt and
//! DIR/candidates.txt for the scikit-learn baseline in `benches/baselines/sparse_cosine.py`.

use std::time::Instant;

use sepadan::{FitScorer, MarketGenerator, MatchEngine, MatchFilters, Taxonomy};

fn main() -> Result<(), sepadan::Error> {
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
    let results = engine.top_jobs_for_all(10, &MatchFilters::default());
    let took = started.elapsed();
    let found: usize = results.iter().map(Vec::len).sum();
    println!(
        "top-10 for {cands} candidates among {jobs} postings on {} threads: {took:.1?} ({:.0} candidates/s, {found} matches)",
        rayon::current_num_threads(),
        cands as f64 / took.as_secs_f64()
    );
    Ok(())
}

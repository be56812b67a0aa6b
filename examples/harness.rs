//! The benchmark harness: a seeded synthetic market of a given size, run end to end through the
//! pipeline (extraction, indexing, search, matching, planning, insight), printed as one table
//! of throughput, latency percentiles and peak memory per stage.
//!
//! ```text
//! cargo run --release --example harness -- [SIZE ...]        # default: 1000 10000
//! cargo run --release --example harness -- 1000 10000 100000 1000000
//! cargo run --release --example harness -- --export DIR 100000   # also write the baselines' inputs
//! ```
//!
//! With `--export DIR`, each market is also written to `DIR/SIZE/` for the Python baselines in
//! `benches/baselines/` (`benches/baselines/run.sh` runs both sides in one go):
//! `search_docs.jsonl` (`{"id", "province", "text"}`: a posting's title and description),
//! `search_queries.jsonl` (`{"text", "province"}`: the harness's own queries), and
//! `postings.txt` / `candidates.txt` (skill indices per line, for `sparse_cosine.py`).
//!
//! `SIZE` is the number of postings and of candidates; the market also has `SIZE / 50` courses
//! (at least 50). The same seed gives the same market, so runs on one machine compare. Peak
//! memory is the process's peak resident set during the stage (Linux: `VmHWM`, reset before
//! each stage through `/proc/self/clear_refs`; where that is refused it is the peak so far).
//! Latency percentiles are of single calls on one thread; throughputs of batches use every core.

#[path = "support/rss.rs"]
mod rss;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sepadan::{
    Catalog, CatalogOptions, DemandBy, DocumentKind, ExtractOptions, Extractor, FitScorer, Gap, MarketGenerator,
    MatchEngine, MatchFilters, Mismatch, PlanOptions, Planner, RegionLevel, SearchRequest, SkillDemand, SkillSupply,
    Taxonomy,
};

/// One row of the table.
struct Row {
    stage: &'static str,
    items: usize,
    elapsed: Duration,
    /// Single-call latencies, when the stage has a per-call figure.
    latencies: Vec<Duration>,
    peak_mib: u64,
}

/// Resets the peak-RSS counter so the next reading is this stage's peak (Linux ≥ 4.0).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn percentile(sorted: &[Duration], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    Some(sorted[i].as_secs_f64() * 1e3)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

/// Writes the baselines' inputs (see the crate docs above) for one market.
fn export(dir: &Path, market: &sepadan::Market, queries: &[SearchRequest]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let province = |p: Option<sepadan::ProvinceCode>| p.map(|p| p.to_string());
    let mut w = BufWriter::new(File::create(dir.join("search_docs.jsonl"))?);
    for p in &market.postings {
        let line = serde_json::json!({
            "id": p.id,
            "province": province(p.location.map(|l| l.province)),
            "text": format!("{}\n{}", p.title, p.description),
        });
        writeln!(w, "{line}")?;
    }
    w.flush()?;
    let mut w = BufWriter::new(File::create(dir.join("search_queries.jsonl"))?);
    for q in queries {
        writeln!(w, "{}", serde_json::json!({ "text": q.text, "province": province(q.province) }))?;
    }
    w.flush()?;
    let skills = |ids: &mut dyn Iterator<Item = sepadan::SkillId>| -> String {
        ids.map(|s| s.index().to_string()).collect::<Vec<_>>().join(" ")
    };
    let mut w = BufWriter::new(File::create(dir.join("postings.txt"))?);
    for p in &market.postings {
        writeln!(w, "{}", skills(&mut p.requirements.iter().map(|r| r.skill)))?;
    }
    w.flush()?;
    let mut w = BufWriter::new(File::create(dir.join("candidates.txt"))?);
    for c in &market.candidates {
        writeln!(w, "{}", skills(&mut c.skills.iter().map(|s| s.skill)))?;
    }
    w.flush()
}

fn run(
    taxonomy: &Arc<Taxonomy>,
    extractor: &Arc<Extractor>,
    size: usize,
    export_to: Option<&Path>,
) -> Result<Vec<Row>, sepadan::Error> {
    let mut rows = Vec::new();
    let mut row = |stage, items, elapsed, mut latencies: Vec<Duration>| {
        latencies.sort();
        rows.push(Row { stage, items, elapsed, latencies, peak_mib: rss::peak_rss_kib() / 1024 });
        reset_peak();
    };
    reset_peak();
    let courses = (size / 50).max(50);
    let generator = MarketGenerator::new(taxonomy, 2026);
    let (market, took) = timed(|| generator.market(size, courses, size));
    row("generate market (with text)", size * 2 + courses, took, Vec::new());

    // Extraction: every posting's text, in parallel; single-call latency on a sample.
    let options = ExtractOptions { kind: DocumentKind::Posting, ..ExtractOptions::default() };
    let (mentions, took) = timed(|| {
        market
            .postings
            .par_iter()
            .map(|p| extractor.extract_with(&p.description, options).mentions.len())
            .sum::<usize>()
    });
    let sample: Vec<Duration> = market
        .postings
        .iter()
        .take(1_000)
        .map(|p| timed(|| extractor.extract_with(&p.description, options)).1)
        .collect();
    debug_assert!(mentions > 0);
    row("extract skills from postings", size, took, sample);

    // Indexing: postings and courses into an in-memory catalogue, committing every 10,000.
    let catalog = Catalog::in_memory(taxonomy.clone(), extractor.clone(), CatalogOptions::default())?;
    let (indexed, took) = timed(|| -> Result<usize, sepadan::Error> {
        for chunk in market.postings.chunks(10_000) {
            for p in chunk {
                catalog.upsert_posting(p)?;
            }
            catalog.commit()?;
        }
        for c in &market.courses {
            catalog.upsert_course(c)?;
        }
        catalog.commit()?;
        Ok(catalog.len() as usize)
    });
    row("index postings and courses", indexed?, took, Vec::new());

    // Search: a title's words with the posting's province, 1,000 queries on one thread.
    let queries: Vec<SearchRequest> = market
        .postings
        .iter()
        .step_by((size / 1_000).max(1))
        .take(1_000)
        .map(|p| SearchRequest {
            text: Some(p.title.split_whitespace().take(3).collect::<Vec<_>>().join(" ")),
            province: p.location.map(|l| l.province),
            ..SearchRequest::default()
        })
        .collect();
    if let Some(dir) = export_to {
        export(&dir.join(size.to_string()), &market, &queries)?;
    }
    let mut lat = Vec::with_capacity(queries.len());
    let (hits, took) = timed(|| -> Result<usize, sepadan::Error> {
        let mut hits = 0;
        for q in &queries {
            let (r, t) = timed(|| catalog.search(q));
            hits += r?.hits.len();
            lat.push(t);
        }
        Ok(hits)
    });
    debug_assert!(hits? > 0);
    row("search (text + province)", queries.len(), took, lat);
    drop(catalog);

    // Matching: build the engine, top-10 jobs for every candidate in parallel, and single
    // calls with the candidate's province as filter.
    let (engine, took) = timed(|| {
        MatchEngine::new(taxonomy, FitScorer::new(taxonomy), market.postings.clone(), market.candidates.clone())
    });
    let engine = engine?;
    row("build match engine", size * 2, took, Vec::new());
    let (all, took) = timed(|| engine.top_jobs_for_all(10, &MatchFilters::default()));
    let matched = all?.iter().filter(|m| !m.is_empty()).count();
    debug_assert!(matched > 0);
    let province =
        |c: &sepadan::Candidate| MatchFilters { province: c.location.map(|l| l.province), ..MatchFilters::default() };
    let mut lat = Vec::new();
    for c in market.candidates.iter().take(1_000) {
        let (r, t) = timed(|| engine.jobs_for_candidate(c, 10, &province(c)));
        r?;
        lat.push(t);
    }
    row("top-10 jobs for every candidate", size, took, lat);

    // Planning: the gap to a candidate's 50 best matches in their province, then the plan.
    let planner = Planner::new(market.courses.clone(), Vec::new())?;
    let mut lat = Vec::new();
    let (planned, took) = timed(|| -> Result<usize, sepadan::Error> {
        let mut steps = 0;
        for c in market.candidates.iter().take(200) {
            let (plan, t) = timed(|| -> Result<_, sepadan::Error> {
                let gap = Gap::for_top_matches(&engine, c, 50, &province(c))?.top(10);
                let options = PlanOptions { province: c.location.map(|l| l.province), ..PlanOptions::default() };
                planner.plan(c, &gap, &options)
            });
            steps += plan?.steps.len();
            lat.push(t);
        }
        Ok(steps)
    });
    planned?;
    row("gap + training plan", lat.len(), took, lat);
    drop(engine);

    // Insight: demand, supply and the mismatch index by province.
    let (mismatch, took) = timed(|| {
        let demand = SkillDemand::compute(taxonomy, &market.postings, DemandBy::default());
        let supply = SkillSupply::compute(&market.candidates, RegionLevel::Province);
        Mismatch::compute(&demand, &supply)
    });
    mismatch?;
    row("demand, supply, mismatch", size * 2, took, Vec::new());
    Ok(rows)
}

fn main() -> Result<(), sepadan::Error> {
    let mut sizes: Vec<usize> = Vec::new();
    let mut export_to: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--export" {
            export_to = args.next().map(PathBuf::from);
            continue;
        }
        match a.replace('_', "").parse() {
            Ok(n) => sizes.push(n),
            Err(_) => {
                return Err(std::io::Error::other(format!(
                    "not a size: {a:?} (usage: harness [--export DIR] [SIZE ...])"
                ))
                .into())
            }
        }
    }
    if sizes.is_empty() {
        sizes = vec![1_000, 10_000];
    }
    let (setup, took) = timed(|| -> Result<_, sepadan::Error> {
        let taxonomy = Arc::new(Taxonomy::esco()?);
        let extractor = Arc::new(Extractor::new(&taxonomy));
        Ok((taxonomy, extractor))
    });
    let (taxonomy, extractor) = setup?;
    println!(
        "sepadan harness: {} threads; taxonomy and extractor ready in {:.2} s; peak {} MiB",
        rayon::current_num_threads(),
        took.as_secs_f64(),
        rss::peak_rss_kib() / 1024
    );
    for size in sizes {
        let rows = run(&taxonomy, &extractor, size, export_to.as_deref())?;
        println!();
        println!("market of {size} postings and {size} candidates");
        println!();
        println!("| stage | items | time (s) | items/s | p50 (ms) | p99 (ms) | peak RSS (MiB) |");
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for r in rows {
            let secs = r.elapsed.as_secs_f64();
            let rate = if secs > 0.0 { r.items as f64 / secs } else { f64::INFINITY };
            let ms = |p| percentile(&r.latencies, p).map_or("–".to_string(), |v| format!("{v:.3}"));
            println!(
                "| {} | {} | {:.2} | {:.0} | {} | {} | {} |",
                r.stage,
                r.items,
                secs,
                rate,
                ms(0.5),
                ms(0.99),
                r.peak_mib
            );
        }
    }
    Ok(())
}

//! Latency of one interactive planning request, stage by stage, over many candidates.
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo run --release --example plan_latency -- [POSTINGS] [COURSES] [CANDIDATES]
//! ```
//!
//! Defaults: 100,000 postings, 5,000 courses, 100 candidates (synthetic market, seed 11). Each
//! request: the gap to the candidate's top 50 in their province (10 costliest skills), the
//! plan, its what-if, and the payoff of every course in the catalogue. Prints median, p90, p99
//! and max per stage.

use std::time::Instant;

use sepadan::{
    FitScorer, Gap, MarketGenerator, MatchEngine, MatchFilters, PayoffOptions, PlanOptions, Planner, Taxonomy,
};

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn main() -> Result<(), sepadan::Error> {
    let arg = |i: usize, default: usize| std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (jobs, courses, people) = (arg(1, 100_000), arg(2, 5_000), arg(3, 100));
    let taxonomy = Taxonomy::esco()?;
    let market = MarketGenerator::new(&taxonomy, 11).with_text(false).market(jobs, courses, people);
    let engine = MatchEngine::new(&taxonomy, FitScorer::new(&taxonomy), market.postings, Vec::new())?;
    let planner = Planner::new(market.courses, Vec::new())?;
    let payoff = PayoffOptions { threshold: 0.6, ..PayoffOptions::default() };
    let stages = ["gap (top 50)", "plan", "region scored + what-if", "payoff of every course", "whole request"];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); stages.len()];
    let (mut exact, mut opened) = (0usize, 0usize);
    for cand in &market.candidates {
        let province = cand.location.map(|l| l.province);
        let t0 = Instant::now();
        let gap =
            Gap::for_top_matches(&engine, cand, 50, &MatchFilters { province, ..MatchFilters::default() })?.top(10);
        let t1 = Instant::now();
        let plan = planner.plan(cand, &gap, &PlanOptions { province, ..PlanOptions::default() })?;
        let t2 = Instant::now();
        let session = planner.payoffs(&engine, cand, &payoff);
        let what_if = session.what_if(&plan);
        let t3 = Instant::now();
        let ranked = session.course_payoffs(&PlanOptions::default());
        let t4 = Instant::now();
        exact += usize::from(plan.optimality == sepadan::Optimality::Exact);
        opened += what_if.opened + ranked.len().min(1);
        for (i, (a, b)) in [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t0, t4)].iter().enumerate() {
            times[i].push((*b - *a).as_secs_f64() * 1e3);
        }
    }
    println!(
        "{jobs} postings, {courses} courses, {} candidates; {exact} plans proven optimal; {opened} postings opened in all",
        market.candidates.len()
    );
    println!("| stage | median | p90 | p99 | max |");
    println!("|---|---|---|---|---|");
    for (name, mut t) in stages.iter().zip(times) {
        t.sort_by(f64::total_cmp);
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms |",
            percentile(&t, 0.5),
            percentile(&t, 0.9),
            percentile(&t, 0.99),
            percentile(&t, 1.0)
        );
    }
    Ok(())
}

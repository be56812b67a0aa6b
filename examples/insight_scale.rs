//! Insight at national scale: demand and supply over 1,000,000 postings and 1,000,000
//! candidates (issue target ≤ 10 s on 2 cores), and effectiveness over 1,000,000 enrolments
//! (≤ 5 s), on seeded synthetic data. Generation is not timed.
//!
//! ```text
//! cargo run --release --example insight_scale [POSTINGS] [CANDIDATES]
//! ```

#[path = "support/rss.rs"]
mod rss;

use std::time::Instant;

use sepadan::{
    DemandBy, EffectGroup, EffectOptions, Effectiveness, MarketGenerator, Mismatch, OccupationLevel, RegionLevel,
    SkillDemand, SkillSupply, Taxonomy, TrainingGenerator,
};

fn main() -> Result<(), sepadan::Error> {
    let arg = |i: usize, default: usize| std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (n_postings, n_candidates) = (arg(1, 1_000_000), arg(2, 1_000_000));
    let taxonomy = Taxonomy::esco()?;
    let t = Instant::now();
    let market = MarketGenerator::new(&taxonomy, 3).with_text(false).market(n_postings, 2_000, n_candidates);
    println!("generated {n_postings} postings and {n_candidates} candidates in {:.1} s", t.elapsed().as_secs_f64());
    println!("threads: {}", rayon::current_num_threads());

    let t = Instant::now();
    let demand = SkillDemand::compute(&taxonomy, &market.postings, DemandBy::default());
    let supply = SkillSupply::compute(&market.candidates, RegionLevel::Province);
    let mismatch = Mismatch::compute(&demand, &supply)?;
    let province_s = t.elapsed().as_secs_f64();
    println!(
        "demand + supply + mismatch by province: {province_s:.2} s ({} regions, {} skill rows)",
        mismatch.regions.len(),
        mismatch.regions.iter().map(|r| r.skills.len()).sum::<usize>()
    );
    let t = Instant::now();
    let by = DemandBy { region: RegionLevel::Regency, occupation: OccupationLevel::Isco(2), month: true };
    let fine = SkillDemand::compute(&taxonomy, &market.postings, by);
    println!(
        "demand by regency x ISCO 2-digit x month: {:.2} s ({} groups)",
        t.elapsed().as_secs_f64(),
        fine.rows.len()
    );

    let t = Instant::now();
    let data = TrainingGenerator::new(&market.courses, &market.candidates, 3).participation(1.0).generate();
    println!("generated {} enrolments in {:.1} s", data.enrolments.len(), t.elapsed().as_secs_f64());
    let t = Instant::now();
    let options = EffectOptions::default();
    let by_course = Effectiveness::compute(&data.enrolments, EffectGroup::Course, &options);
    let by_cohort = Effectiveness::compute(&data.enrolments, EffectGroup::Cohort, &options);
    println!(
        "effectiveness by course and by cohort over {} enrolments: {:.2} s ({} + {} cells)",
        data.enrolments.len(),
        t.elapsed().as_secs_f64(),
        by_course.cells.len(),
        by_cohort.cells.len()
    );
    println!("peak resident memory: {} MiB", rss::peak_rss_kib() / 1024);
    Ok(())
}

//! A BLK's report from a seeded synthetic set of enrolments and outcomes: the funnel, each
//! course's placement rate with its interval, placement against matched similar job seekers,
//! how far each course narrowed its participants' gaps, and the region's shortages with the
//! programmes to open. Writes Markdown, JSON and two SVG charts.
//!
//! ```text
//! cargo run --release --example blk_report [OUT_DIR] [SEED]
//! ```
//! `OUT_DIR` defaults to `target/blk_report`.

use std::path::PathBuf;

use sepadan::{
    BlkReport, Comparison, ComparisonOptions, DemandBy, EffectGroup, EffectOptions, Effectiveness, FitScorer,
    GapClosure, MarketGenerator, MatchEngine, Mismatch, Region, RegionLevel, SkillDemand, SkillSupply, Taxonomy,
    TrainingGenerator,
};

fn main() -> Result<(), sepadan::Error> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/blk_report".into()));
    let seed: u64 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let taxonomy = Taxonomy::esco()?;
    let market = MarketGenerator::new(&taxonomy, seed).with_text(false).market(20_000, 600, 30_000);
    let data = TrainingGenerator::new(&market.courses, &market.candidates, seed).generate();

    // The BLK with the most enrolments.
    let all = Effectiveness::compute(&data.enrolments, EffectGroup::Blk, &EffectOptions::default());
    let Some(blk) =
        all.cells.iter().max_by(|a, b| a.funnel.enrolled.cmp(&b.funnel.enrolled).then(b.group.cmp(&a.group)))
    else {
        return Err(std::io::Error::other("no BLK enrolments were generated").into());
    };
    let own: Vec<_> = data.enrolments.iter().filter(|e| e.provider == blk.group).cloned().collect();
    let province = own.iter().find_map(|e| e.location).map(|l| l.province);

    let demand = SkillDemand::compute(&taxonomy, &market.postings, DemandBy::default());
    let supply = SkillSupply::compute(&market.candidates, RegionLevel::Province);
    let mismatch = Mismatch::compute(&demand, &supply)?;
    let region = province.and_then(|p| mismatch.region(Region::Province(p)));

    let mut report =
        BlkReport::new(&taxonomy, &blk.group, &data.enrolments, &market.courses, region, &EffectOptions::default());
    let scorer = FitScorer::new(&taxonomy);
    // The BLK's own participants against similar non-participants: few hundred people give a
    // wide interval, and the report says how many it rests on.
    let options = ComparisonOptions::default();
    report.comparison = Comparison::compute(&scorer, &market.candidates, &own, &data.outcomes, &options).ok();
    // A check of the estimator on everyone, where the synthetic data's true effect applies.
    let national = Comparison::compute(&scorer, &market.candidates, &data.enrolments, &data.outcomes, &options)?;
    let engine = MatchEngine::new(&taxonomy, scorer, market.postings.clone(), Vec::new())?;
    report.gap_closure = GapClosure::compute(&engine, &market.candidates, &own, &market.courses, 20).courses;

    std::fs::create_dir_all(&out)?;
    let write = |name: &str, body: &str| -> Result<(), sepadan::Error> {
        // Write then rename, so a reader never sees half a report.
        let tmp = out.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, body)?;
        std::fs::rename(&tmp, out.join(name))?;
        Ok(())
    };
    let markdown = report.to_markdown();
    write("report.md", &markdown)?;
    write("funnel.svg", &report.funnel_svg())?;
    write("placement.svg", &report.placement_svg())?;
    let json = serde_json::to_string_pretty(&report).map_err(std::io::Error::other)?;
    write("report.json", &json)?;
    println!("{markdown}");
    println!(
        "(check on all {} participants of the synthetic data: true effect {:+.1} points, estimate {:+.1} [{:+.1}, {:+.1}], raw difference {:+.1})",
        national.participants,
        100.0 * data.true_effect,
        100.0 * national.difference,
        100.0 * national.low,
        100.0 * national.high,
        100.0 * national.naive_difference
    );
    println!("wrote {}/report.md, report.json, funnel.svg, placement.svg", out.display());
    Ok(())
}

//! The newcomer's first run, a tour of the crate: load the default taxonomy and the sample
//! market, read skills from an Indonesian posting, search the catalogue, match a job seeker
//! with an explanation, and plan the training that closes their gap.
//!
//! ```text
//! cargo run --release --example demo
//! ```

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use sepadan::{
    Catalog, CatalogOptions, Extractor, FitScorer, Gap, Importance, Market, MatchEngine, MatchFilters, PayoffOptions,
    PlanOptions, Planner, Regions, SearchRequest, Taxonomy,
};

fn main() -> Result<(), sepadan::Error> {
    let started = Instant::now();
    let taxonomy = Taxonomy::esco()?;
    println!(
        "Taxonomy {}: {} skills, {} skill groups, {} occupations, {} occupation-skill links, languages {:?} (loaded in {:.0?})",
        taxonomy.name(),
        taxonomy.skill_count(),
        taxonomy.skill_group_count(),
        taxonomy.occupation_count(),
        taxonomy.occupation_skill_link_count(),
        taxonomy.languages(),
        started.elapsed()
    );

    // An occupation found by its Indonesian job-ad title, with its ESCO profile.
    let welder = taxonomy.resolve_occupation("tukang las")?;
    if let Some(o) = taxonomy.occupation(welder) {
        println!("\n\"tukang las\" → {} / {} (ISCO/KBJI {})", o.label("id"), o.label("en"), o.kbji_code());
        println!("  essential skills ({}):", o.essential_skills().len());
        for &s in o.essential_skills().iter().take(6) {
            if let Some(s) = taxonomy.skill(s) {
                println!("    - {} / {}", s.label("id"), s.label("en"));
            }
        }
    }

    let market = Market::sample(&taxonomy)?;
    let regions = Regions::indonesia();
    println!(
        "\nSample market: {} postings, {} courses, {} certification schemes, {} candidates",
        market.postings.len(),
        market.courses.len(),
        market.schemes.len(),
        market.candidates.len()
    );

    // Where the jobs are.
    let mut by_province: HashMap<String, usize> = HashMap::new();
    for p in &market.postings {
        let name = p.location.and_then(|l| regions.province(l.province)).unwrap_or("remote");
        *by_province.entry(name.to_string()).or_default() += 1;
    }
    let mut by_province: Vec<_> = by_province.into_iter().collect();
    by_province.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\nPostings by province (top 5):");
    for (name, n) in by_province.iter().take(5) {
        println!("  {n:3}  {name}");
    }

    // The skills employers ask for most, and how many candidates and courses have them.
    let mut demand: HashMap<sepadan::SkillId, usize> = HashMap::new();
    for p in &market.postings {
        for r in p.requirements.iter().filter(|r| r.importance == Importance::Essential) {
            *demand.entry(r.skill).or_default() += 1;
        }
    }
    let mut demand: Vec<_> = demand.into_iter().collect();
    demand.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\nMost demanded skills (essential in postings / held by candidates / taught by courses):");
    for (skill, n) in demand.iter().take(8) {
        let held = market.candidates.iter().filter(|c| c.skills.iter().any(|s| s.skill == *skill)).count();
        let taught = market.courses.iter().filter(|c| c.skills.iter().any(|s| s.skill == *skill)).count();
        let label = taxonomy.skill(*skill).map(|s| s.label("id")).unwrap_or("?");
        println!("  {n:3} / {held:3} / {taught:3}  {label}");
    }

    // Skills read from a posting's text, the way extraction sees it.
    let extractor = Extractor::new(&taxonomy);
    if let Some(p) = market.postings.iter().find(|p| p.description.contains("Kualifikasi")) {
        println!("\nSkills extracted from the text of \"{}\" ({}):", p.title, p.id);
        for m in extractor.extract(&format!("{}\n{}", p.title, p.description)).mentions.iter().take(8) {
            let label = taxonomy.skill(m.skill).map(|s| s.label("id")).unwrap_or("?");
            let required = if m.required == Some(false) { "a plus" } else { "required" };
            println!("  {:.2}  {required:8}  \"{}\" → {label}", m.confidence, m.surface);
        }
    }

    // The catalogue: postings, courses and schemes in one tantivy index, searched in either
    // language ("welder" finds "Juru Las" through the taxonomy's labels).
    let taxonomy = Arc::new(taxonomy);
    let catalog = Catalog::in_memory(taxonomy.clone(), Arc::new(extractor), CatalogOptions::default())?;
    for p in &market.postings {
        catalog.upsert_posting(p)?;
    }
    for c in &market.courses {
        catalog.upsert_course(c)?;
    }
    for s in &market.schemes {
        catalog.upsert_scheme(s)?;
    }
    catalog.commit()?;
    let query = "welder";
    let found = catalog.search(&SearchRequest { text: Some(query.into()), limit: 5, ..SearchRequest::default() })?;
    println!("\nSearch \"{query}\": {} records", found.total);
    for hit in &found.hits {
        println!("  {:5.2}  {:6}  {}  {}", hit.score, hit.kind.as_str(), hit.id, hit.title);
    }

    // A job seeker's best matches in their province, and why the first one fits.
    let scorer = FitScorer::new(&taxonomy);
    let engine = MatchEngine::new(&taxonomy, scorer, market.postings.clone(), market.candidates.clone())?;
    // The first job seeker who is close to a job but not there yet: the one who gains most.
    let in_province =
        |c: &sepadan::Candidate| MatchFilters { province: c.location.map(|l| l.province), ..MatchFilters::default() };
    let Some(seeker) = market.candidates.iter().find(|c| {
        engine
            .jobs_for_candidate(c, 1, &in_province(c))
            .is_ok_and(|top| top.first().is_some_and(|r| (0.5..0.9).contains(&r.score)))
    }) else {
        return Ok(());
    };
    let province = seeker.location.map(|l| l.province);
    let place = province.and_then(|p| regions.province(p)).unwrap_or("Indonesia");
    let filters = in_province(seeker);
    let top = engine.jobs_for_candidate(seeker, 5, &filters)?;
    println!("\nBest postings for {} in {place}:", seeker.id);
    for r in &top {
        println!("  {:.2}  {}  {}", r.score, r.id, engine.postings()[r.index].title);
    }
    if let Some(best) = top.first() {
        let job = &engine.postings()[best.index];
        let fit = engine.scorer().fit(seeker, job);
        let label = |s| taxonomy.skill(s).map_or("?", |k| k.label("id"));
        println!("Why \"{}\" scores {:.2}:", job.title, fit.score);
        for m in fit.matched.iter().take(3) {
            println!("  has      {} (+{:.3})", label(m.skill), m.contribution);
        }
        for p in fit.partial.iter().take(3) {
            println!("  partly   {} through {} (+{:.3})", label(p.skill), label(p.via), p.contribution);
        }
        for m in fit.missing.iter().take(3) {
            println!("  missing  {} (costs {:.3})", label(m.skill), m.cost);
        }
    }

    // The cheapest training that closes the gap to their top matches, and what it opens.
    let planner = Planner::new(market.courses.clone(), market.schemes.clone())?;
    let gap = Gap::for_top_matches(&engine, seeker, 10, &filters)?.top(6);
    let plan =
        planner.plan(seeker, &gap, &PlanOptions { province, max_cost: Some(3_000_000), ..PlanOptions::default() })?;
    let what_if =
        planner.what_if(&engine, seeker, &plan, &PayoffOptions { threshold: 0.6, ..PayoffOptions::default() });
    println!("\nTraining plan ({:?}):\n  {}", plan.optimality, plan.describe(&taxonomy, Some(&what_if), "id"));
    println!("  {}", plan.describe(&taxonomy, Some(&what_if), "en"));

    // A BLK summary: skills short in the seeker's province, and how the busiest BLK's
    // participants fared (synthetic enrolments over the sample market; real records load with
    // `Loader::enrolments`).
    let demand = sepadan::SkillDemand::compute(&taxonomy, &market.postings, sepadan::DemandBy::default());
    let supply = sepadan::SkillSupply::compute(&market.candidates, sepadan::RegionLevel::Province);
    let mismatch = sepadan::Mismatch::compute(&demand, &supply)?;
    if let Some(region) = province.and_then(|p| mismatch.region(sepadan::Region::Province(p))) {
        let short: Vec<&str> =
            region.shortages(3, 1).iter().map(|s| taxonomy.skill(s.skill).map_or("?", |k| k.label("id"))).collect();
        println!("\nMost short in {place}: {}", short.join("; "));
    }
    let training =
        sepadan::TrainingGenerator::new(&market.courses, &market.candidates, 1).participation(0.9).generate();
    let blks = sepadan::Effectiveness::compute(
        &training.enrolments,
        sepadan::EffectGroup::Blk,
        &sepadan::EffectOptions { min_cell: 5, ..sepadan::EffectOptions::default() },
    );
    if let Some(blk) = blks.cells.iter().max_by_key(|c| c.funnel.enrolled) {
        let f = blk.funnel;
        let p = blk.placement_180;
        println!(
            "{}: {} enrolled, {} completed, {} certified, {} placed; placed within 180 days {:.0}% [{:.0}-{:.0}%] of {}{}",
            blk.group,
            f.enrolled,
            f.completed,
            f.certified,
            f.placed,
            100.0 * p.value,
            100.0 * p.low,
            100.0 * p.high,
            p.of,
            if blk.small { " (small cell: too few to compare)" } else { "" }
        );
    }

    println!("\nTour finished in {:.1?}.", started.elapsed());
    Ok(())
}

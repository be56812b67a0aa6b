//! A real training plan on the sample market: a job seeker's gap to their best matches, the
//! cheapest courses and schemes that close it, what it opens, and the single courses with the
//! best payoff.
//!
//! ```text
//! cargo run --release --example gap_plan [CANDIDATE_ID]
//! ```

use sepadan::{
    FitScorer, Gap, Market, MatchEngine, MatchFilters, PayoffOptions, PlanOptions, Planner, Regions, Taxonomy,
};

fn main() -> Result<(), sepadan::Error> {
    let taxonomy = Taxonomy::esco()?;
    let market = Market::sample(&taxonomy)?;
    let wanted = std::env::args().nth(1);
    let planner = Planner::new(market.courses.clone(), market.schemes.clone())?;
    let engine = MatchEngine::new(&taxonomy, FitScorer::new(&taxonomy), market.postings.clone(), Vec::new())?;

    // The first candidate (or the one asked for) with something left to learn.
    let candidate = market
        .candidates
        .iter()
        .find(|c| wanted.as_deref().is_none_or(|w| c.id == w))
        .ok_or_else(|| sepadan::Error::from(std::io::Error::other("no such candidate in the sample market")))?;
    let filters = MatchFilters { province: candidate.location.map(|l| l.province), ..MatchFilters::default() };
    let gap = Gap::for_top_matches(&engine, candidate, 10, &filters)?.top(8);
    let place = candidate.location.and_then(|l| Regions::indonesia().province(l.province)).unwrap_or("Indonesia");
    println!(
        "{} ({place}): mean fit {:.2} over their {} best matches; the costliest gaps:",
        candidate.id, gap.mean_score, gap.targets
    );
    for g in &gap.skills {
        let label = taxonomy.skill(g.skill).map_or("?", |s| s.label("id"));
        println!(
            "  {:>5.3}  {label} ({:?}, asked by {} of {}, essential in {})",
            g.cost, g.kind, g.required_by, gap.targets, g.essential_in
        );
    }

    let options = PlanOptions {
        province: candidate.location.map(|l| l.province),
        max_cost: Some(5_000_000),
        certify: true,
        ..PlanOptions::default()
    };
    let plan = planner.plan(candidate, &gap, &options)?;
    let payoff = PayoffOptions { threshold: 0.6, ..PayoffOptions::default() };
    let what_if = planner.what_if(&engine, candidate, &plan, &payoff);
    println!("\nPlan ({:?}), Rp {} and {} hours:", plan.optimality, plan.cost, plan.hours);
    for step in &plan.steps {
        println!(
            "  {:?} {}: {} ({}), closes {} gap skills",
            step.kind,
            step.id,
            step.title,
            step.provider,
            step.closes.len()
        );
    }
    println!("\n{}", plan.describe(&taxonomy, Some(&what_if), "id"));
    println!("{}", plan.describe(&taxonomy, Some(&what_if), "en"));
    println!(
        "Fit (score ≥ {}) before: {} of {} postings, after: {}",
        what_if.threshold, what_if.fit_before, what_if.postings, what_if.fit_after
    );

    println!("\nBest single courses by payoff:");
    for c in planner.course_payoffs(&engine, candidate, &options, &payoff).iter().take(5) {
        println!(
            "  {:<10} opens {:>2} postings, Rp {:>9}, median salary {:?}",
            c.id, c.opened, c.cost, c.median_salary
        );
    }
    Ok(())
}

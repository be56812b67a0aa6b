//! Candidate and posting construction, then matching and planning, on arbitrary JSON Lines.
//! Every line is read both as a posting and as a candidate (lenient loading, labels or URIs for
//! skills); the records that load go into a `MatchEngine` over the sample market's courses.
//! Invariants: no panic; the engine refuses a record only with an error naming its field; every
//! score is finite and in [0, 1]; the fast top-k equals the exhaustive one; both directions give
//! the same score for a pair; the explanation's missing skills are costliest first; a plan stays
//! within its budget and closes only gap skills.

use std::sync::OnceLock;

use sepadan::{FitScorer, Gap, LoadMode, Loader, Market, MatchEngine, MatchFilters, PlanOptions, Planner, Taxonomy};

struct Fixture {
    taxonomy: Taxonomy,
    planner: Planner,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let taxonomy = Taxonomy::esco().unwrap_or_else(|e| panic!("default taxonomy: {e}"));
        let market = Market::sample(&taxonomy).unwrap_or_else(|e| panic!("sample market: {e}"));
        let planner = Planner::new(market.courses, market.schemes).unwrap_or_else(|e| panic!("planner: {e}"));
        Fixture { taxonomy, planner }
    })
}

fn in_unit(s: f32) -> bool {
    s.is_finite() && (0.0..=1.0).contains(&s)
}

pub fn run(data: &[u8]) {
    let f = fixture();
    let t = &f.taxonomy;
    let loader = Loader::new(t).mode(LoadMode::Lenient);
    let postings = loader.postings(data, "fuzz.jsonl").map(|l| l.records).unwrap_or_default();
    let candidates = loader.candidates(data, "fuzz.jsonl").map(|l| l.records).unwrap_or_default();
    if postings.is_empty() && candidates.is_empty() {
        return;
    }
    let scorer = FitScorer::new(t);
    for p in &postings {
        for c in &candidates {
            let fit = scorer.fit(c, p);
            assert!(in_unit(fit.score), "score {} for {} / {}", fit.score, c.id, p.id);
            assert_eq!(fit.score, scorer.score(c, p), "explained and plain scores differ");
            for w in fit.missing.windows(2) {
                assert!(w[0].cost >= w[1].cost, "missing skills not costliest first: {:?}", fit.missing);
            }
            assert!(fit.missing.iter().all(|m| m.cost.is_finite() && m.cost >= 0.0));
        }
    }
    let engine = match MatchEngine::new(t, FitScorer::new(t), postings.clone(), candidates.clone()) {
        Ok(e) => e,
        Err(e) => {
            assert!(e.position().field.is_some(), "refusal without a field: {e}");
            return;
        }
    };
    let everything = MatchFilters { include_without_skill_overlap: true, ..MatchFilters::default() };
    for c in &candidates {
        for filters in [&MatchFilters::default(), &everything] {
            let fast =
                engine.jobs_for_candidate(c, 5, filters).unwrap_or_else(|e| panic!("own candidate refused: {e}"));
            let exact = engine.jobs_for_candidate_exhaustive(c, 5, filters).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(fast, exact, "fast and exhaustive top-k differ for {}", c.id);
            for r in &fast {
                assert!(in_unit(r.score), "score {r:?}");
                assert_eq!(r.score, scorer.score(c, &postings[r.index]), "the engine's score is not the scorer's");
            }
        }
        let gap = Gap::for_top_matches(&engine, c, 5, &MatchFilters::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(gap.mean_score.is_finite());
        let options = PlanOptions { max_cost: Some(2_000_000), ..PlanOptions::default() };
        if let Ok(plan) = f.planner.plan(c, &gap, &options) {
            assert!(plan.cost <= 2_000_000, "plan over budget: {}", plan.cost);
            assert!(plan.hours.is_finite() && plan.hours >= 0.0);
            assert!(
                plan.closes.iter().all(|s| gap.skills.iter().any(|g| g.skill == *s)),
                "closes a skill not in the gap"
            );
        }
    }
    for p in &postings {
        let ranked =
            engine.candidates_for_job(p, 5, &everything).unwrap_or_else(|e| panic!("own posting refused: {e}"));
        for r in &ranked {
            assert_eq!(r.score, scorer.score(&candidates[r.index], p), "directions disagree");
        }
    }
}

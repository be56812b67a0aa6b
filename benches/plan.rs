//! Planning: one candidate's gap, plan, what-if and the payoff of every course, against 100,000
//! postings and 5,000 courses on one core (issue target: ≤ 200 ms per request).
//!
//! `cargo bench --bench plan` (pin to one core with `taskset -c 0` or `RAYON_NUM_THREADS=1`;
//! planning itself is single-threaded). Synthetic market from `MarketGenerator` (seed 11).
//! Baseline in the same run: the payoff of the same courses computed the plain way, by applying
//! each course to the candidate and re-scoring every posting in the region with the fit scorer.

use criterion::{criterion_group, criterion_main, Criterion};
use sepadan::{
    Candidate, CandidateSkill, Evidence, FitScorer, Gap, MarketGenerator, MatchEngine, MatchFilters, PayoffOptions,
    PlanOptions, Planner, Taxonomy, TrainingCourse,
};

/// The plain payoff: apply the course, re-score every posting in the region.
fn naive_payoff(engine: &MatchEngine, candidate: &Candidate, course: &TrainingCourse, threshold: f32) -> usize {
    let scorer = engine.scorer();
    let province = candidate.location.map(|l| l.province);
    let mut trained = candidate.clone();
    for g in &course.skills {
        match trained.skills.iter_mut().find(|s| s.skill == g.skill) {
            Some(s) => s.level = s.level.max(g.level),
            None => trained.skills.push(CandidateSkill {
                skill: g.skill,
                level: g.level,
                evidence: Evidence::CourseCompleted,
            }),
        }
    }
    engine
        .postings()
        .iter()
        .filter(|p| province.is_none_or(|want| p.remote || p.location.is_some_and(|l| l.province == want)))
        .filter(|p| {
            let before = scorer.fit(candidate, p);
            before.eligible() && before.score < threshold && scorer.score(&trained, p) >= threshold
        })
        .count()
}

fn bench(c: &mut Criterion) {
    let measuring = std::env::args().any(|a| a == "--bench");
    let t = Taxonomy::esco().unwrap_or_else(|e| panic!("{e}"));
    let g = MarketGenerator::new(&t, 11).with_text(false);
    let (jobs, courses, probes) = if measuring { (100_000, 5_000, 20) } else { (2_000, 100, 2) };
    let m = g.market(jobs, courses, probes);
    let engine = MatchEngine::new(&t, FitScorer::new(&t), m.postings, Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    let planner = Planner::new(m.courses, Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    let payoff = PayoffOptions { threshold: 0.6, ..PayoffOptions::default() };
    let probe = &m.candidates;

    let mut group = c.benchmark_group(format!("plan_{jobs}_postings_{courses}_courses"));
    group.sample_size(10);
    // The whole interactive request: gap to the top 50 in the region, plan, what-if, and the
    // ranked payoff of every course the candidate can take.
    group.bench_function("request_per_candidate", |b| {
        b.iter(|| {
            let mut n = 0;
            for cand in probe {
                let province = cand.location.map(|l| l.province);
                let gap =
                    Gap::for_top_matches(&engine, cand, 50, &MatchFilters { province, ..MatchFilters::default() })
                        .expect("valid")
                        .top(10);
                let options = PlanOptions { province, ..PlanOptions::default() };
                let plan = planner.plan(cand, &gap, &options).unwrap_or_else(|e| panic!("{e}"));
                n += planner.what_if(&engine, cand, &plan, &payoff).opened;
                n += planner.course_payoffs(&engine, cand, &PlanOptions::default(), &payoff).len();
            }
            n
        })
    });
    group.bench_function("course_payoffs_per_candidate", |b| {
        b.iter(|| {
            probe
                .iter()
                .map(|cand| planner.course_payoffs(&engine, cand, &PlanOptions::default(), &payoff).len())
                .sum::<usize>()
        })
    });
    // Baseline: the plain payoff of the first 20 courses (per course, times the catalogue size
    // gives the plain cost of a full ranking).
    let sample_courses = &planner.courses()[..planner.courses().len().min(20)];
    group.bench_function("baseline_naive_payoff_20_courses_per_candidate", |b| {
        b.iter(|| {
            probe
                .iter()
                .take(2)
                .map(|cand| sample_courses.iter().map(|crs| naive_payoff(&engine, cand, crs, 0.6)).sum::<usize>())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The fit engine: explanations, properties, batch = exhaustive.

use std::sync::OnceLock;

use proptest::prelude::*;
use sepadan::{
    Candidate, CandidateSkill, Evidence, FitScorer, Importance, JobPosting, Level, MarketGenerator, MatchEngine,
    MatchFilters, Requirement, SkillId,
};

use crate::common::esco;

fn scorer() -> &'static FitScorer {
    static S: OnceLock<FitScorer> = OnceLock::new();
    S.get_or_init(|| FitScorer::new(esco()))
}

fn skill(label: &str) -> SkillId {
    esco().resolve_skill(label).unwrap()
}

fn welder_job() -> JobPosting {
    let mut p = JobPosting::new("j", "Juru las");
    p.requirements = vec![
        Requirement { min_level: Some(Level::Advanced), ..Requirement::essential(skill("use welding equipment")) },
        Requirement::essential(skill("apply health and safety standards")),
        Requirement::optional(skill("read standard blueprints")),
    ];
    p
}

fn held(label: &str, level: Level) -> CandidateSkill {
    CandidateSkill { skill: skill(label), level, evidence: Evidence::SelfDeclared }
}

#[test]
fn explanation_tells_what_to_learn_next() {
    let job = welder_job();
    let mut c = Candidate::new("c");
    c.skills = vec![held("use welding equipment", Level::Basic)];
    let fit = scorer().fit(&c, &job);
    assert!(fit.score > 0.0 && fit.score < 1.0);
    assert_eq!(fit.matched.len(), 1);
    assert_eq!(fit.matched[0].held_level, Level::Basic);
    assert_eq!(fit.matched[0].required_level, Some(Level::Advanced));
    // The missing essential skill costs more than the optional one and the level shortfall.
    let first = &fit.missing[0];
    assert_eq!(first.skill, skill("apply health and safety standards"));
    assert!(fit.missing.windows(2).all(|w| w[0].cost >= w[1].cost));
    // Learning the top missing skill raises the score by its cost.
    c.skills.push(held("apply health and safety standards", Level::Intermediate));
    let better = scorer().fit(&c, &job);
    assert!((better.score - fit.score - first.cost).abs() < 1e-4, "{} {} {}", better.score, fit.score, first.cost);
    // Everything at level: the skill part is 1.
    c.skills = vec![
        held("use welding equipment", Level::Advanced),
        held("apply health and safety standards", Level::Basic),
        held("read standard blueprints", Level::Basic),
    ];
    let full = scorer().fit(&c, &job);
    assert_eq!(full.components.essential, Some(1.0));
    assert_eq!(full.components.optional, Some(1.0));
    assert!(full.missing.is_empty());
}

#[test]
fn related_skills_earn_partial_credit() {
    let job = welder_job();
    let weld = skill("use welding equipment");
    let (via, credit, _) = scorer().related_skills(weld)[0];
    let mut c = Candidate::new("c");
    c.skills = vec![CandidateSkill { skill: via, level: Level::Expert, evidence: Evidence::Certified }];
    let fit = scorer().fit(&c, &job);
    assert_eq!(fit.partial.len(), 1);
    assert_eq!(fit.partial[0].via, via);
    assert!((fit.partial[0].credit - credit).abs() < 1e-6);
    assert!(fit.components.related_credit.is_some());
}

#[test]
fn batch_equals_exhaustive_in_both_directions() {
    let t = esco();
    let g = MarketGenerator::new(t, 3).with_text(false);
    let m = g.market(400, 0, 120);
    let engine = MatchEngine::new(t, FitScorer::new(t), m.postings.clone(), m.candidates.clone()).unwrap();
    let filters = MatchFilters::default();
    let everything = MatchFilters { include_without_skill_overlap: true, ..MatchFilters::default() };
    for c in m.candidates.iter().take(60) {
        let fast = engine.jobs_for_candidate(c, 10, &filters).expect("valid");
        let exact = engine.jobs_for_candidate_exhaustive(c, 10, &filters).expect("valid");
        assert_eq!(fast, exact, "candidate {}", c.id);
        let fast = engine.jobs_for_candidate(c, 10, &everything).expect("valid");
        let exact = engine.jobs_for_candidate_exhaustive(c, 10, &everything).expect("valid");
        assert_eq!(fast, exact, "candidate {} (all pairs)", c.id);
        // Filters applied in the recall pass, and eligibility, agree with the exhaustive scan.
        let narrow = MatchFilters {
            province: c.location.map(|l| l.province),
            education: c.education,
            eligible_only: true,
            ..MatchFilters::default()
        };
        for f in [&narrow, &MatchFilters { include_without_skill_overlap: true, ..narrow.clone() }] {
            let fast = engine.jobs_for_candidate(c, 10, f).expect("valid");
            let exact = engine.jobs_for_candidate_exhaustive(c, 10, f).expect("valid");
            assert_eq!(fast, exact, "candidate {} with {f:?}", c.id);
        }
    }
    let all = engine.top_jobs_for_all(5, &filters).expect("valid");
    assert_eq!(all[7], engine.jobs_for_candidate(&m.candidates[7], 5, &filters).expect("valid"));
    // Same score for the same pair in both directions.
    let job = &m.postings[0];
    let ranked = engine.candidates_for_job(job, 120, &everything).expect("valid");
    for r in ranked.iter().take(20) {
        let c = &m.candidates[r.index];
        assert_eq!(r.score, engine.scorer().score(c, job));
    }
    // Exhaustive check of the reverse direction on one job.
    let mut every: Vec<(f32, f32, String)> = m
        .candidates
        .iter()
        .map(|c| {
            let f = engine.scorer().fit(c, job);
            (f.score, f.credit, c.id.clone())
        })
        .collect();
    every.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    let top: Vec<(f32, f32, String)> = ranked.iter().take(10).map(|r| (r.score, r.credit, r.id.clone())).collect();
    assert_eq!(top, every[..10].to_vec());
}

#[test]
fn bad_records_are_refused_at_construction() {
    let t = esco();
    let mut p = welder_job();
    p.requirements.push(p.requirements[0]);
    let err = MatchEngine::new(t, FitScorer::new(t), vec![p], vec![]).unwrap_err();
    assert!(err.to_string().contains("duplicate requirement"), "{err}");
    let mut p = welder_job();
    p.requirements[0].weight = f32::NAN;
    assert!(MatchEngine::new(t, FitScorer::new(t), vec![p], vec![]).is_err());
    let weights = sepadan::FitWeights { essential: -1.0, ..Default::default() };
    assert!(FitScorer::with(t, weights, Default::default()).is_err());
}

fn arb_level() -> impl Strategy<Value = Level> {
    prop::sample::select(Level::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn score_properties(
        held_idx in prop::collection::vec((0usize..60, arb_level()), 0..12),
        req_idx in prop::collection::vec((0usize..60, prop::option::of(arb_level()), any::<bool>()), 1..10),
        extra in 0usize..60,
    ) {
        let t = esco();
        // A pool of related skills: the essential skills of a few occupations.
        let pool: Vec<SkillId> = t.occupations().take(8).flat_map(|o| o.essential_skills().to_vec()).take(60).collect();
        let pick = |i: usize| pool[i % pool.len()];
        let mut job = JobPosting::new("j", "t");
        for (i, lvl, ess) in &req_idx {
            let s = pick(*i);
            if job.requirements.iter().all(|r| r.skill != s) {
                let r = if *ess { Requirement::essential(s) } else { Requirement::optional(s) };
                job.requirements.push(Requirement { min_level: *lvl, ..r });
            }
        }
        let mut c = Candidate::new("c");
        for (i, lvl) in &held_idx {
            let s = pick(*i);
            if c.skills.iter().all(|h| h.skill != s) {
                c.skills.push(CandidateSkill { skill: s, level: *lvl, evidence: Evidence::SelfDeclared });
            }
        }
        let base = scorer().score(&c, &job);
        prop_assert!((0.0..=1.0).contains(&base) && base.is_finite());
        // Adding a held skill never lowers the score.
        let s = pick(extra);
        if c.skills.iter().all(|h| h.skill != s) {
            let mut more = c.clone();
            more.skills.push(CandidateSkill { skill: s, level: Level::Basic, evidence: Evidence::SelfDeclared });
            prop_assert!(scorer().score(&more, &job) >= base - 1e-6);
        }
        // Raising a level never lowers it.
        if let Some(first) = c.skills.first().copied() {
            let mut up = c.clone();
            up.skills[0].level = Level::Expert.max(first.level);
            prop_assert!(scorer().score(&up, &job) >= base - 1e-6);
        }
        // A requirement the candidate lacks (and no related skill covers) never raises it.
        let absent = t.skills().map(|s| s.id()).find(|id| {
            !pool.contains(id) && scorer().related_skills(*id).iter().all(|(h, _, _)| c.skills.iter().all(|x| x.skill != *h))
        });
        if let Some(a) = absent {
            let mut harder = job.clone();
            harder.requirements.push(Requirement { importance: Importance::Essential, ..Requirement::essential(a) });
            prop_assert!(scorer().score(&c, &harder) <= base + 1e-6);
        }
        // Holding every requirement at its level: the skill part is 1.
        let mut perfect = Candidate::new("p");
        perfect.skills = job.requirements.iter().map(|r| CandidateSkill { skill: r.skill, level: r.min_level.unwrap_or(Level::Basic), evidence: Evidence::SelfDeclared }).collect();
        let fit = scorer().fit(&perfect, &job);
        prop_assert!(fit.components.essential.is_none_or(|e| (e - 1.0).abs() < 1e-6));
        prop_assert!(fit.components.optional.is_none_or(|o| (o - 1.0).abs() < 1e-6));
    }
}

#[path = "eval/fit.rs"]
mod eval;

#[test]
fn fit_quality_on_hidden_occupations() {
    // Every 15th eligible occupation (about 200 probes) keeps this test quick in debug builds;
    // `cargo run --release --example fit_eval` runs them all.
    // A small embedding keeps the debug build quick; the example evaluates the recorded one.
    let r = eval::evaluate(esco(), 15, 48);
    let ours = r.fit;
    eprintln!(
        "{}\n{}\n{}\n{}\n{}",
        ours.line("sepadan"),
        r.jaccard.line("jaccard"),
        r.tfidf.line("tf-idf"),
        r.embedding.line("embeddings"),
        r.hybrid.line("hybrid")
    );
    assert!(ours.n >= 150);
    assert!(ours.r10 >= 0.95, "the hidden occupation is in the top 10 for at least 95% of profiles");
    assert!(ours.mrr >= 0.8, "MRR {:.3}", ours.mrr);
    // Even a 48-dimensional embedding places the hidden occupation in its top 10 most of the time.
    assert!(r.embedding.r10 >= 0.8, "embedding R@10 {:.3}", r.embedding.r10);
}

#[test]
fn candidate_filters_apply() {
    let t = esco();
    let job = welder_job();
    let mut a = Candidate::new("a");
    a.skills = vec![held("use welding equipment", Level::Advanced)];
    let mut b = a.clone();
    b.id = "b".into();
    b.preferences.employment_types = vec![sepadan::EmploymentType::Contract];
    let engine = MatchEngine::new(t, FitScorer::new(t), vec![job.clone()], vec![a, b]).unwrap();
    let all = engine.candidates_for_job(&job, 10, &MatchFilters::default()).expect("valid");
    assert_eq!(all.len(), 2);
    let full_time =
        MatchFilters { employment_types: vec![sepadan::EmploymentType::FullTime], ..MatchFilters::default() };
    let ids: Vec<String> =
        engine.candidates_for_job(&job, 10, &full_time).expect("valid").into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["a"], "b only accepts contracts; a states no preference");
}

//! Gaps, training plans and payoff, on the sample market and on generated instances.

use proptest::prelude::*;
use sepadan::{
    Candidate, CandidateSkill, CertificationScheme, ErrorKind, Evidence, FitScorer, Gap, GapKind, JobPosting, Level,
    LoadMode, Loader, Market, MatchEngine, MatchFilters, Mode, Objective, Optimality, PayoffOptions, PlanOptions,
    Planner, Requirement, SkillId, SkillLevel, TrainingCourse,
};

use crate::common::esco;

fn sample() -> &'static Market {
    static M: std::sync::OnceLock<Market> = std::sync::OnceLock::new();
    M.get_or_init(|| match Market::sample(esco()) {
        Ok(m) => m,
        Err(e) => panic!("sample market failed to load: {e}"),
    })
}

fn engine() -> &'static MatchEngine {
    static E: std::sync::OnceLock<MatchEngine> = std::sync::OnceLock::new();
    E.get_or_init(|| {
        let t = esco();
        match MatchEngine::new(t, FitScorer::new(t), sample().postings.clone(), Vec::new()) {
            Ok(e) => e,
            Err(e) => panic!("engine: {e}"),
        }
    })
}

fn planner() -> Planner {
    let m = sample();
    Planner::new(m.courses.clone(), m.schemes.clone()).expect("the sample catalogue is valid")
}

fn skill(i: usize) -> SkillId {
    esco().skills().nth(i).expect("esco has skills").id()
}

fn course(id: &str, cost: u64, hours: f32, teaches: &[(SkillId, Level)]) -> TrainingCourse {
    TrainingCourse {
        id: id.into(),
        title: format!("Course {id}"),
        description: String::new(),
        provider: "BLK Test".into(),
        provider_kind: sepadan::ProviderKind::Blk,
        mode: Mode::Online,
        location: None,
        hours,
        cost,
        start: None,
        end: None,
        skills: teaches.iter().map(|&(skill, level)| SkillLevel { skill, level }).collect(),
        prerequisites: Vec::new(),
        prepares_for: None,
        seats: None,
    }
}

fn posting(requirements: &[(SkillId, Option<Level>)]) -> JobPosting {
    let mut p = JobPosting::new("job", "Job");
    p.requirements =
        requirements.iter().map(|&(s, l)| Requirement { min_level: l, ..Requirement::essential(s) }).collect();
    p
}

fn candidate(skills: &[(SkillId, Level)]) -> Candidate {
    let mut c = Candidate::new("cand");
    c.skills = skills
        .iter()
        .map(|&(skill, level)| CandidateSkill { skill, level, evidence: Evidence::SelfDeclared })
        .collect();
    c
}

#[test]
fn sample_plans_close_what_they_claim_within_budget() {
    let planner = planner();
    let scorer = engine().scorer();
    let mut planned = 0;
    for c in &sample().candidates {
        let filters = MatchFilters { province: c.location.map(|l| l.province), ..MatchFilters::default() };
        let top = engine().jobs_for_candidate(c, 10, &filters).expect("valid");
        let targets: Vec<&JobPosting> = top.iter().map(|r| &engine().postings()[r.index]).collect();
        let gap = Gap::for_postings(scorer, c, targets.iter().copied());
        if gap.is_closed() {
            continue;
        }
        let options = PlanOptions { max_cost: Some(3_000_000), max_hours: Some(400.0), ..PlanOptions::default() };
        let plan = planner.plan(c, &gap, &options).expect("valid options");
        assert!(plan.cost <= 3_000_000 && plan.hours <= 400.0 + 1e-3, "{}: {plan:?}", c.id);
        assert_eq!(plan.steps.iter().map(|s| s.cost).sum::<u64>(), plan.cost);
        // Every gap skill is accounted for exactly once.
        let mut accounted: Vec<SkillId> =
            plan.closes.iter().chain(&plan.left_open).chain(&plan.uncoverable).copied().collect();
        accounted.sort();
        let mut gap_skills: Vec<SkillId> = gap.skills.iter().map(|g| g.skill).collect();
        gap_skills.sort();
        assert_eq!(accounted, gap_skills, "{}", c.id);
        // After the plan, the skills it closes are no longer in the gap.
        let after = plan.apply(c);
        let gap_after = Gap::for_postings(scorer, &after, targets.iter().copied());
        for s in &plan.closes {
            assert!(!gap_after.skills.iter().any(|g| g.skill == *s), "{}: {s:?} still open", c.id);
        }
        assert!(gap_after.mean_score >= gap.mean_score - 1e-6);
        planned += 1;
    }
    assert!(planned >= 20, "only {planned} sample candidates had a gap");
}

#[test]
fn what_if_and_course_payoffs_agree_with_rescoring_everything() {
    let planner = planner();
    let scorer = engine().scorer();
    let payoff = PayoffOptions { threshold: 0.6, ..PayoffOptions::default() };
    let mut opened_somewhere = 0;
    for c in sample().candidates.iter().take(40) {
        let province = c.location.map(|l| l.province);
        let in_region =
            |p: &&JobPosting| province.is_none_or(|want| p.remote || p.location.is_some_and(|l| l.province == want));
        let fits = |who: &Candidate| {
            engine()
                .postings()
                .iter()
                .filter(in_region)
                .filter(|p| {
                    let f = scorer.fit(who, p);
                    f.eligible() && f.score >= payoff.threshold
                })
                .count()
        };
        let gap = Gap::for_top_matches(engine(), c, 10, &MatchFilters { province, ..MatchFilters::default() })
            .expect("valid");
        let plan = planner.plan(c, &gap, &PlanOptions::default()).expect("valid options");
        let what_if = planner.what_if(engine(), c, &plan, &payoff);
        assert_eq!(what_if.fit_before, fits(c), "{}", c.id);
        assert_eq!(what_if.fit_after, fits(&plan.apply(c)), "{}", c.id);
        assert_eq!(what_if.steps.len(), plan.steps.len());
        for p in planner.course_payoffs(engine(), c, &PlanOptions::default(), &payoff) {
            let grants = match p.kind {
                sepadan::OfferKind::Course => planner.courses()[p.index].skills.clone(),
                sepadan::OfferKind::Scheme => planner.schemes()[p.index].skills.clone(),
            };
            let mut trained = c.clone();
            for g in grants {
                match trained.skills.iter_mut().find(|s| s.skill == g.skill) {
                    Some(s) => s.level = s.level.max(g.level),
                    None => trained.skills.push(CandidateSkill {
                        skill: g.skill,
                        level: g.level,
                        evidence: Evidence::CourseCompleted,
                    }),
                }
            }
            assert_eq!(p.opened, fits(&trained) - fits(c), "{} with {}", c.id, p.id);
            opened_somewhere += usize::from(p.opened > 0);
        }
    }
    assert!(opened_somewhere > 10, "payoffs were all zero: the test would not catch anything");
}

#[test]
fn payoff_ranking_puts_free_openers_first_then_per_rupiah() {
    let c = &sample().candidates[0];
    let ranked = planner().course_payoffs(engine(), c, &PlanOptions::default(), &PayoffOptions::default());
    let key = |p: &sepadan::CoursePayoff| match (p.opened, p.opened_per_million_rupiah) {
        (0, _) => (2, p.cost as f64),
        (n, None) => (0, -(n as f64)),
        (_, Some(r)) => (1, -r),
    };
    for pair in ranked.windows(2) {
        let (a, b) = (key(&pair[0]), key(&pair[1]));
        assert!(a.0 < b.0 || (a.0 == b.0 && a.1 <= b.1), "{:?} before {:?}", pair[0], pair[1]);
    }
}

#[test]
fn an_uncoverable_gap_names_its_skills() {
    let (welding, obscure) = (skill(10), skill(11));
    let planner = Planner::new(vec![course("c1", 0, 10.0, &[(welding, Level::Advanced)])], Vec::new()).unwrap();
    let scorer = FitScorer::new(esco());
    let cand = candidate(&[]);
    let gap = Gap::for_posting(&scorer, &cand, &posting(&[(welding, None), (obscure, None)]));
    let plan = planner.plan(&cand, &gap, &PlanOptions::default()).unwrap();
    assert_eq!(plan.closes, vec![welding]);
    assert_eq!(plan.uncoverable, vec![obscure]);
    assert!(!plan.is_complete());
    let label = esco().skill(obscure).unwrap().label("en").to_string();
    assert!(plan.describe(esco(), None, "en").contains(&label));
}

#[test]
fn a_course_below_the_level_asked_does_not_close_it() {
    let s = skill(20);
    let planner = Planner::new(vec![course("basic", 0, 10.0, &[(s, Level::Basic)])], Vec::new()).unwrap();
    let cand = candidate(&[]);
    let gap = Gap::for_posting(&FitScorer::new(esco()), &cand, &posting(&[(s, Some(Level::Advanced))]));
    assert_eq!(gap.skills[0].required_level, Some(Level::Advanced));
    let plan = planner.plan(&cand, &gap, &PlanOptions::default()).unwrap();
    assert!(plan.steps.is_empty());
    assert_eq!(plan.uncoverable, vec![s]);
    // Held below the level: an under-level gap, closed by a course at the level.
    let cand = candidate(&[(s, Level::Basic)]);
    let gap = Gap::for_posting(&FitScorer::new(esco()), &cand, &posting(&[(s, Some(Level::Intermediate))]));
    assert_eq!(gap.skills[0].kind, GapKind::UnderLevel);
    let planner = Planner::new(vec![course("mid", 100, 10.0, &[(s, Level::Intermediate)])], Vec::new()).unwrap();
    assert_eq!(planner.plan(&cand, &gap, &PlanOptions::default()).unwrap().closes, vec![s]);
}

#[test]
fn prerequisites_are_taught_first_and_schedules_do_not_overlap() {
    let (basic_skill, target) = (skill(30), skill(31));
    let d = |m, day| sepadan::Date::from_ymd(2027, m, day);
    let mut advanced = course("advanced", 500_000, 80.0, &[(target, Level::Intermediate)]);
    advanced.prerequisites = vec![SkillLevel { skill: basic_skill, level: Level::Basic }];
    advanced.start = d(3, 1);
    advanced.end = d(3, 31);
    let mut overlapping = course("overlapping", 0, 20.0, &[(basic_skill, Level::Basic)]);
    overlapping.start = d(3, 10);
    overlapping.end = d(4, 10);
    let mut early = course("early", 200_000, 40.0, &[(basic_skill, Level::Basic)]);
    early.start = d(1, 5);
    early.end = d(2, 5);
    let planner = Planner::new(vec![advanced, overlapping, early], Vec::new()).unwrap();
    let cand = candidate(&[]);
    let gap = Gap::for_posting(&FitScorer::new(esco()), &cand, &posting(&[(target, None)]));
    let plan = planner.plan(&cand, &gap, &PlanOptions::default()).unwrap();
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["early", "advanced"]);
    assert_eq!(plan.steps[1].after, vec![basic_skill]);
    assert_eq!(plan.optimality, Optimality::Exact);
    // A candidate who already holds the prerequisite goes straight in.
    let ready = candidate(&[(basic_skill, Level::Intermediate)]);
    let plan = planner.plan(&ready, &gap, &PlanOptions::default()).unwrap();
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.cost, 500_000);
}

#[test]
fn objectives_trade_money_for_hours() {
    let s = skill(40);
    let planner = Planner::new(
        vec![
            course("cheap-long", 0, 300.0, &[(s, Level::Advanced)]),
            course("dear-short", 2_000_000, 20.0, &[(s, Level::Advanced)]),
        ],
        Vec::new(),
    )
    .unwrap();
    let cand = candidate(&[]);
    let gap = Gap::for_posting(&FitScorer::new(esco()), &cand, &posting(&[(s, None)]));
    let pick = |objective| {
        planner.plan(&cand, &gap, &PlanOptions { objective, ..PlanOptions::default() }).unwrap().steps[0].id.clone()
    };
    assert_eq!(pick(Objective::Cost), "cheap-long");
    assert_eq!(pick(Objective::Hours), "dear-short");
    assert_eq!(pick(Objective::Weighted { rupiah_per_hour: 5_000.0 }), "cheap-long");
    assert_eq!(pick(Objective::Weighted { rupiah_per_hour: 10_000.0 }), "dear-short");
    let bad = PlanOptions { objective: Objective::Weighted { rupiah_per_hour: f64::NAN }, ..PlanOptions::default() };
    assert!(matches!(planner.plan(&cand, &gap, &bad).unwrap_err().kind(), ErrorKind::InvalidValue(_)));
}

#[test]
fn schemes_certify_self_declared_skills_when_asked() {
    let s = skill(50);
    let scheme = CertificationScheme {
        id: "sch".into(),
        code: None,
        name: "Scheme".into(),
        body: Some("LSP Test".into()),
        skills: vec![SkillLevel { skill: s, level: Level::Intermediate }],
        cost: 300_000,
        hours: 8.0,
        validity_years: None,
        location: None,
    };
    let planner = Planner::new(Vec::new(), vec![scheme]).unwrap();
    let cand = candidate(&[(s, Level::Intermediate)]);
    let gap = Gap::for_posting(&FitScorer::new(esco()), &cand, &posting(&[(s, Some(Level::Basic))]));
    assert!(gap.is_closed());
    assert_eq!(gap.uncertified.len(), 1);
    assert!(planner.plan(&cand, &gap, &PlanOptions::default()).unwrap().steps.is_empty());
    let plan = planner.plan(&cand, &gap, &PlanOptions { certify: true, ..PlanOptions::default() }).unwrap();
    assert_eq!(plan.certifies, vec![s]);
    let after = plan.apply(&cand);
    assert_eq!(after.skills[0].evidence, Evidence::Certified);
    assert_eq!(after.skills[0].level, Level::Intermediate);
}

#[test]
fn bad_catalogues_are_clear_errors() {
    let s = skill(60);
    let zero = Planner::new(vec![course("zero", 0, 0.0, &[(s, Level::Basic)])], Vec::new()).unwrap_err();
    assert!(matches!(zero.kind(), ErrorKind::InvalidValue(_)));
    assert!(zero.to_string().contains("hours"), "{zero}");
    let nan = Planner::new(vec![course("nan", 0, f32::NAN, &[(s, Level::Basic)])], Vec::new()).unwrap_err();
    assert!(matches!(nan.kind(), ErrorKind::InvalidValue(_)));
    let dup = Planner::new(vec![course("a", 0, 1.0, &[]), course("a", 0, 1.0, &[])], Vec::new()).unwrap_err();
    assert!(matches!(dup.kind(), ErrorKind::Duplicate(_)));

    // a needs what only b teaches; b needs what only a teaches.
    let (x, y) = (skill(61), skill(62));
    let mut a = course("a", 0, 1.0, &[(x, Level::Basic)]);
    a.prerequisites = vec![SkillLevel { skill: y, level: Level::Basic }];
    let mut b = course("b", 0, 1.0, &[(y, Level::Basic)]);
    b.prerequisites = vec![SkillLevel { skill: x, level: Level::Basic }];
    let cyclic = Planner::new(vec![a.clone(), b.clone()], Vec::new()).unwrap_err();
    assert!(cyclic.to_string().contains("cyclic prerequisites: a → b → a"), "{cyclic}");
    // With another way in, it is not a cycle anyone is stuck in.
    let way_in = course("c", 0, 1.0, &[(y, Level::Basic)]);
    assert!(Planner::new(vec![a, b, way_in], Vec::new()).is_ok());
    // A course needing a skill only it teaches.
    let mut selfish = course("selfish", 0, 1.0, &[(x, Level::Advanced)]);
    selfish.prerequisites = vec![SkillLevel { skill: x, level: Level::Basic }];
    let err = Planner::new(vec![selfish], Vec::new()).unwrap_err();
    assert!(err.to_string().contains("only it teaches"), "{err}");

    // Negative cost and zero hours in a file: the loader names the line and the field.
    let lines = concat!(
        r#"{"id":"ok","title":"Ok","provider":"BLK","hours":10,"cost":0}"#,
        "\n",
        r#"{"id":"neg","title":"Neg","provider":"BLK","hours":10,"cost":-5}"#,
        "\n",
        r#"{"id":"zero","title":"Zero","provider":"BLK","hours":0}"#,
        "\n"
    );
    let loaded = Loader::new(esco()).mode(LoadMode::Lenient).courses(lines.as_bytes(), "courses.jsonl").unwrap();
    assert_eq!(loaded.records.len(), 1);
    assert_eq!(loaded.errors.len(), 2);
    let lines_and_fields: Vec<(Option<u64>, Option<String>)> =
        loaded.errors.iter().map(|e| (e.position().line, e.position().field.clone())).collect();
    assert_eq!(lines_and_fields[0].0, Some(2));
    assert_eq!(lines_and_fields[1], (Some(3), Some("hours".into())));
}

/// A small random catalogue over eight skills, a posting and a candidate.
/// Courses, requirements (skill, level 0 = none), held skills (skill, level), budget.
type Case = (Vec<TrainingCourse>, Vec<(usize, u8)>, Vec<(usize, u8)>, u64);

fn instance() -> impl Strategy<Value = Case> {
    let teach = prop::collection::vec((0usize..8, 1u8..=4), 1..4);
    let needs = prop::collection::vec((0usize..8, 1u8..=2), 0..2);
    let offer = (teach, needs, 0u64..5, 1u32..100);
    (
        prop::collection::vec(offer, 1..9),
        prop::collection::vec((0usize..8, 0u8..=4), 1..7),
        prop::collection::vec((0usize..8, 1u8..=4), 0..4),
        0u64..15,
    )
        .prop_map(|(courses, req, held, budget)| {
            let courses = courses
                .into_iter()
                .enumerate()
                .map(|(i, (teach, needs, cost, hours))| {
                    let level = |l: u8| Level::from_number(i64::from(l)).unwrap_or(Level::Basic);
                    let mut c = course(
                        &format!("c{i}"),
                        cost * 100_000,
                        hours as f32,
                        &teach.iter().map(|&(s, l)| (skill(100 + s), level(l))).collect::<Vec<_>>(),
                    );
                    c.skills.dedup_by_key(|s| s.skill);
                    c.prerequisites =
                        needs.iter().map(|&(s, l)| SkillLevel { skill: skill(100 + s), level: level(l) }).collect();
                    c
                })
                .collect();
            (courses, req, held, budget * 100_000)
        })
}

fn setup(req: &[(usize, u8)], held: &[(usize, u8)]) -> (Candidate, JobPosting) {
    let mut seen = Vec::new();
    let reqs: Vec<(SkillId, Option<Level>)> = req
        .iter()
        .filter(|(s, _)| {
            let fresh = !seen.contains(s);
            seen.push(*s);
            fresh
        })
        .map(|&(s, l)| (skill(100 + s), Level::from_number(i64::from(l))))
        .collect();
    let mut seen = Vec::new();
    let held: Vec<(SkillId, Level)> = held
        .iter()
        .filter(|(s, _)| {
            let fresh = !seen.contains(s);
            seen.push(*s);
            fresh
        })
        .map(|&(s, l)| (skill(100 + s), Level::from_number(i64::from(l)).unwrap_or(Level::Basic)))
        .collect();
    (candidate(&held), posting(&reqs))
}

/// Lexicographic quality: the gap cost left open, then the objective.
fn quality(plan: &sepadan::TrainingPlan, gap: &Gap) -> (f64, f64) {
    let open: f64 =
        gap.skills.iter().filter(|g| !plan.closes.contains(&g.skill)).map(|g| f64::from(g.cost).max(1e-6)).sum();
    (open, plan.objective)
}

fn no_worse(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 < b.0 - 1e-9 || (a.0 <= b.0 + 1e-9 && a.1 <= b.1 + 1e-6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn plans_keep_their_promises((courses, req, held, budget) in instance()) {
        let Ok(planner) = Planner::new(courses, Vec::new()) else { return Ok(()) };
        let (cand, job) = setup(&req, &held);
        let scorer = FitScorer::new(esco());
        let gap = Gap::for_posting(&scorer, &cand, &job);
        let options = PlanOptions { max_cost: Some(budget), max_hours: Some(150.0), ..PlanOptions::default() };
        let exact = planner.plan(&cand, &gap, &options).unwrap();
        prop_assert!(exact.cost <= budget);
        prop_assert!(exact.hours <= 150.0 + 1e-3);
        // Every prerequisite of a step is held or taught by an earlier step.
        for (i, step) in exact.steps.iter().enumerate() {
            if step.kind == sepadan::OfferKind::Course {
                for p in &planner.courses()[step.index].prerequisites {
                    let held = cand.skills.iter().any(|s| s.skill == p.skill && s.level >= p.level);
                    let taught = exact.steps[..i].iter().any(|e| e.grants.iter().any(|g| g.skill == p.skill && g.level >= p.level));
                    prop_assert!(held || taught, "{} needs {:?}", step.id, p);
                }
            }
        }
        // The gap it claims to close is closed.
        let after = Gap::for_posting(&scorer, &exact.apply(&cand), &job);
        for s in &exact.closes {
            prop_assert!(!after.skills.iter().any(|g| g.skill == *s));
        }
        // Exact is never worse than greedy.
        let greedy = planner.plan(&cand, &gap, &PlanOptions { node_limit: 0, ..options.clone() }).unwrap();
        prop_assert!(greedy.cost <= budget);
        prop_assert_eq!(exact.optimality, Optimality::Exact);
        prop_assert!(no_worse(quality(&exact, &gap), quality(&greedy, &gap)), "exact {:?} greedy {:?}", exact, greedy);
        if let Optimality::Approximate { lower_bound } = greedy.optimality {
            prop_assert!(lower_bound <= greedy.objective + 1e-6);
        }
    }

    #[test]
    fn another_course_never_makes_the_optimal_plan_worse(
        (courses, req, held, budget) in instance(),
        extra in (prop::collection::vec((0usize..8, 1u8..=4), 1..3), 0u64..5, 1u32..100),
    ) {
        let Ok(before) = Planner::new(courses.clone(), Vec::new()) else { return Ok(()) };
        let (cand, job) = setup(&req, &held);
        let mut more = courses;
        let teaches: Vec<(SkillId, Level)> = extra.0.iter()
            .map(|&(s, l)| (skill(100 + s), Level::from_number(i64::from(l)).unwrap_or(Level::Basic)))
            .collect();
        let mut c = course("extra", extra.1 * 100_000, extra.2 as f32, &teaches);
        c.skills.dedup_by_key(|s| s.skill);
        more.push(c);
        let Ok(after) = Planner::new(more, Vec::new()) else { return Ok(()) };
        let gap = Gap::for_posting(&FitScorer::new(esco()), &cand, &job);
        let options = PlanOptions { max_cost: Some(budget), ..PlanOptions::default() };
        let p0 = before.plan(&cand, &gap, &options).unwrap();
        let p1 = after.plan(&cand, &gap, &options).unwrap();
        prop_assert_eq!(p1.optimality, Optimality::Exact);
        prop_assert!(no_worse(quality(&p1, &gap), quality(&p0, &gap)), "before {:?} after {:?}", p0, p1);
    }
}

#[test]
fn gap_to_an_occupation_lists_its_profile_skills_costliest_first() {
    let t = esco();
    let welder = t.resolve_occupation("welder").unwrap();
    let occ = t.occupation(welder).unwrap();
    let held: Vec<(SkillId, Level)> = occ.essential_skills().iter().take(3).map(|&s| (s, Level::Advanced)).collect();
    let cand = candidate(&held);
    let gap = Gap::for_occupation(t, &FitScorer::new(t), &cand, welder).unwrap();
    assert_eq!(gap.targets, 1);
    assert!(gap.mean_score > 0.0 && gap.mean_score < 1.0);
    let profile: Vec<SkillId> = occ.essential_skills().iter().chain(occ.optional_skills()).copied().collect();
    assert!(gap.skills.iter().all(|g| profile.contains(&g.skill) && g.required_by == 1));
    assert!(gap.skills.iter().all(|g| !held.iter().any(|h| h.0 == g.skill)));
    assert!(gap.skills.windows(2).all(|w| w[0].cost >= w[1].cost));
    // Essential skills cost more than optional ones on the default weights.
    let first = &gap.skills[0];
    assert_eq!(first.essential_in, 1);
}

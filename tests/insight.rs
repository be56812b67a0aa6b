//! Labour-market insight and training effectiveness: loading training records, demand and
//! supply, the funnel, the comparison-group estimator (known answers) and the BLK report.

use proptest::prelude::*;
use sepadan::{
    BlkReport, Candidate, CandidateSkill, Comparison, ComparisonOptions, Date, DemandBy, Education, EffectGroup,
    EffectOptions, Effectiveness, Enrolment, ErrorKind, Evidence, FitScorer, GapClosure, Level, LoadMode, Loader,
    Location, Market, MarketGenerator, MatchEngine, Mismatch, OccupationLevel, ProgrammeList, ProviderKind,
    ProvinceCode, Region, RegionLevel, SeekerOutcome, SkillDemand, SkillSupply, TrainingGenerator, Writer,
};

use crate::common::esco;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn enrolments_load_leniently_with_every_fault_named() {
    let market = Market::sample(esco()).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/enrolments_bad.jsonl");
    let loader = Loader::new(esco()).known_courses(&market.courses).mode(LoadMode::Lenient);
    let loaded = loader.enrolments_file(path).unwrap();
    let ids: Vec<&str> = loaded.records.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2", "e9"]);
    let faults: Vec<(u64, String)> = loaded
        .errors
        .iter()
        .map(|e| (e.position().line.unwrap(), e.position().field.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        faults,
        [
            (4, "end".to_string()),
            (5, "placed".to_string()),
            (6, "course".to_string()),
            (7, "participant".to_string()),
            (8, "id".to_string()),
            (9, "wage_after".to_string()),
            (11, "enrolled".to_string()),
        ]
    );
    for e in &loaded.errors {
        assert_eq!(e.position().file.as_deref(), Some(std::path::Path::new(path)), "{e}");
        let msg = e.to_string();
        assert_eq!(msg, msg.to_lowercase(), "lowercase messages: {msg}");
    }
    assert!(matches!(loaded.errors[2].kind(), ErrorKind::UnknownReference { .. }));
    assert!(matches!(loaded.errors[3].kind(), ErrorKind::Duplicate(_)));
    // Defaults: start = enrolled, cohort = start month, assessed implied by certified.
    let e2 = &loaded.records[1];
    assert_eq!(e2.start, date("2026-01-05"));
    assert_eq!(e2.cohort, "2026-01");
    assert!(loaded.records[0].assessed && loaded.records[0].certified);
    assert_eq!(loaded.records[0].location.map(|l| l.province.get()), Some(32));
    // Strict mode stops at the first fault, naming its line.
    let strict = Loader::new(esco()).known_courses(&market.courses).enrolments_file(path).unwrap_err();
    assert_eq!(strict.position().line, Some(4));
    // Without a course list, unknown course ids are not checked.
    let unchecked = Loader::new(esco()).mode(LoadMode::Lenient).enrolments_file(path).unwrap();
    assert!(unchecked.records.iter().any(|e| e.id == "e5"));
}

#[test]
fn enrolments_and_outcomes_round_trip_through_the_writer() {
    let market = MarketGenerator::new(esco(), 3).with_text(false).market(0, 40, 300);
    let data = TrainingGenerator::new(&market.courses, &market.candidates, 9).generate();
    assert!(!data.enrolments.is_empty());
    let writer = Writer::new(esco());
    let mut buf = Vec::new();
    for e in &data.enrolments {
        writer.enrolment(&mut buf, e).unwrap();
    }
    let back = Loader::new(esco()).known_courses(&market.courses).enrolments(buf.as_slice(), "mem").unwrap();
    assert_eq!(back.records, data.enrolments);
    let mut buf = Vec::new();
    for o in &data.outcomes {
        writer.outcome(&mut buf, o).unwrap();
    }
    let back = Loader::new(esco()).outcomes(buf.as_slice(), "mem").unwrap();
    assert_eq!(back.records, data.outcomes);
    let dup =
        "{\"candidate\":\"c1\",\"registered\":\"2026-01-01\"}\n{\"candidate\":\"c1\",\"registered\":\"2026-02-01\"}\n";
    let err = Loader::new(esco()).outcomes(dup.as_bytes(), "o.jsonl").unwrap_err();
    assert_eq!(err.position().line, Some(2));
    let early = "{\"candidate\":\"c1\",\"registered\":\"2026-01-01\",\"placed\":\"2025-01-01\"}";
    let err = Loader::new(esco()).outcomes(early.as_bytes(), "o.jsonl").unwrap_err();
    assert_eq!(err.position().field.as_deref(), Some("placed"));
}

#[test]
fn demand_supply_and_mismatch_on_the_sample_market() {
    let tax = esco();
    let m = Market::sample(tax).unwrap();
    let by = DemandBy { region: RegionLevel::Province, ..DemandBy::default() };
    let demand = SkillDemand::compute(tax, &m.postings, by);
    // Every posting is counted once or reported as left out.
    assert_eq!(demand.counted + demand.left_out, m.postings.len() as u64);
    for row in &demand.rows {
        assert!(row.skills.windows(2).all(|w| w[0].count >= w[1].count));
        for s in &row.skills {
            assert!(s.count <= row.postings && s.strong <= s.count && (0.0..=1.0).contains(&s.share));
        }
    }
    // National demand for a skill is the sum over provinces plus unlocated postings' share.
    let national = SkillDemand::compute(tax, &m.postings, DemandBy { region: RegionLevel::National, ..by });
    assert_eq!(national.counted, m.postings.len() as u64);
    let top = national.rows[0].skills[0];
    let by_province: u64 =
        demand.rows.iter().flat_map(|r| r.skills.iter()).filter(|s| s.skill == top.skill).map(|s| s.count).sum();
    assert!(by_province <= top.count);
    let supply = SkillSupply::compute(&m.candidates, RegionLevel::Province);
    assert_eq!(supply.rows.iter().map(|r| r.candidates).sum::<u64>() + supply.left_out, m.candidates.len() as u64);
    let mismatch = Mismatch::compute(&demand, &supply).unwrap();
    let jabar = Region::Province(ProvinceCode::parse("32").unwrap());
    let r = mismatch.region(jabar).expect("jawa barat has postings");
    assert!(r.skills.windows(2).all(|w| w[0].index >= w[1].index));
    for s in &r.skills {
        assert!(s.index.is_finite());
        // The sign of the index follows demand share against supply share (smoothed).
        if s.demand_share > 0.0 && s.supply == 0 {
            assert!(s.index > 0.0, "{s:?}");
        }
    }
    let short = r.shortages(5, 1);
    assert!(!short.is_empty() && short.iter().all(|s| s.index > 0.0 && s.demand >= 1));
    let list = ProgrammeList::build(tax, r, &m.courses, 10, 1, false);
    assert_eq!(list.region, "32");
    for t in &list.taught {
        for id in &t.courses {
            let c = m.courses.iter().find(|c| &c.id == id).unwrap();
            assert_eq!(c.location.map(|l| l.province.get()), Some(32), "{id} is not in jawa barat");
            assert!(c.skills.iter().any(|k| k.skill.index() == tax.resolve_skill(&t.skill).unwrap().index()));
        }
    }
    assert_eq!(list.taught.len() + list.untaught.len(), r.shortages(10, 1).len());
    // Grouping mistakes are errors, not silent nonsense.
    let by_month = SkillDemand::compute(tax, &m.postings, DemandBy { month: true, ..by });
    assert!(Mismatch::compute(&by_month, &supply).is_err());
    let regency_supply = SkillSupply::compute(&m.candidates, RegionLevel::Regency);
    assert!(Mismatch::compute(&demand, &regency_supply).is_err());
    assert!(demand.trends(jabar, None).is_err());
    let trends = by_month.trends(jabar, None).unwrap();
    assert!(trends.windows(2).all(|w| w[0].share_change >= w[1].share_change));
    let by_isco = SkillDemand::compute(tax, &m.postings, DemandBy { occupation: OccupationLevel::Isco(1), ..by });
    assert!(by_isco
        .rows
        .iter()
        .all(|r| matches!(&r.group.occupation, Some(sepadan::MarketGroup::Isco(c)) if c.len() == 1)));
}

fn enrolment(id: &str, course: &str, end: &str, completed: bool, certified: bool, placed: Option<&str>) -> Enrolment {
    Enrolment {
        id: id.into(),
        participant: format!("p-{id}"),
        course: course.into(),
        provider: "BLK Bekasi".into(),
        provider_kind: ProviderKind::Blk,
        location: None,
        cohort: "2026-01".into(),
        enrolled: date("2026-01-01"),
        start: date("2026-01-01"),
        end: date(end),
        completed,
        assessed: certified,
        certified,
        scheme: None,
        placed: placed.map(date),
        employer: None,
        posting: None,
        wage_before: Some(0),
        wage_after: placed.map(|_| 5_000_000),
    }
}

#[test]
fn funnel_rates_on_hand_counted_data() {
    let es = vec![
        enrolment("1", "las", "2026-02-01", true, true, Some("2026-03-01")), // 28 days
        enrolment("2", "las", "2026-02-01", true, false, Some("2026-07-01")), // 150 days
        enrolment("3", "las", "2026-02-01", false, false, None),
        enrolment("4", "las", "2026-02-01", true, true, Some("2026-01-20")), // during the course: 0 days
        // Ended too recently for its 90-day window to have closed by the as-of date.
        enrolment("5", "las", "2026-09-01", true, false, None),
    ];
    let options = EffectOptions { as_of: Some(date("2026-10-01")), min_cell: 3, ..EffectOptions::default() };
    let eff = Effectiveness::compute(&es, EffectGroup::Course, &options);
    let c = eff.cell("las").unwrap();
    assert_eq!((c.funnel.enrolled, c.funnel.completed, c.funnel.certified, c.funnel.placed), (5, 4, 2, 3));
    assert_eq!((c.completion.count, c.completion.of), (4, 5));
    assert_eq!((c.certification.count, c.certification.of), (2, 4));
    assert_eq!((c.placement_90.count, c.placement_90.of), (2, 4));
    assert_eq!((c.placement_180.count, c.placement_180.of), (3, 4));
    assert_eq!(c.median_days_to_placement, Some(28.0));
    let w = c.wage_change.unwrap();
    assert_eq!((w.count, w.median_change), (3, 5_000_000.0));
    assert!(!c.small);
    assert_eq!(eff.as_of.as_deref(), Some("2026-10-01"));
    // Small cells are shown but not ranked.
    let mut more = es.clone();
    more.push(enrolment("6", "jahit", "2026-02-01", true, true, Some("2026-02-10")));
    let eff = Effectiveness::compute(&more, EffectGroup::Course, &options);
    assert!(eff.cell("jahit").unwrap().small);
    let ranked: Vec<&str> = eff.ranked(|c| c.placement_180).iter().map(|c| c.group.as_str()).collect();
    assert_eq!(ranked, ["las"]);
    // Grouping by BLK leaves other providers out, and counts them.
    let mut private = enrolment("7", "las", "2026-02-01", true, true, None);
    private.provider_kind = ProviderKind::Private;
    more.push(private);
    let blk = Effectiveness::compute(&more, EffectGroup::Blk, &options);
    assert_eq!((blk.counted, blk.left_out), (6, 1));
}

fn skill(label: &str) -> sepadan::SkillId {
    esco().resolve_skill(label).unwrap()
}

/// A tiny deterministic generator for the constructed population.
struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn comparison_recovers_a_known_effect_that_the_raw_difference_misses() {
    // Two kinds of job seeker with observable profiles: welders, whose baseline chance of a
    // job is high, and cooks, whose chance is low. Cooks train three times as often, so the
    // raw participant/non-participant difference understates the training's true +0.15.
    let welding =
        [skill("use welding equipment"), skill("apply arc welding techniques"), skill("read engineering drawings")];
    let cooking = [
        skill("cook vegetable products"),
        skill("use cooking techniques"),
        skill("maintain kitchen equipment at correct temperature"),
    ];
    let provinces = ["31", "32", "33", "34"];
    let mut rng = Lcg(7);
    let (mut candidates, mut enrolments, mut outcomes) = (Vec::new(), Vec::new(), Vec::new());
    let effect = 0.15;
    for i in 0..6_000 {
        let welder = i % 2 == 0;
        let p = i / 2 % provinces.len();
        let mut c = Candidate::new(format!("c{i}"));
        c.location = Some(Location::province(ProvinceCode::parse(provinces[p]).unwrap()));
        c.education = Some(if i % 3 == 0 { Education::SMA } else { Education::SMK });
        let skills = if welder { &welding } else { &cooking };
        for (k, &s) in skills.iter().enumerate() {
            if k < 2 || rng.unit() < 0.5 {
                c.skills.push(CandidateSkill {
                    skill: s,
                    level: Level::Intermediate,
                    evidence: Evidence::SelfDeclared,
                });
            }
        }
        let baseline = if welder { 0.55 } else { 0.2 } + 0.05 * p as f64;
        let trains = rng.unit() < if welder { 0.15 } else { 0.45 };
        let registered = date("2026-01-05").add_days((rng.unit() * 60.0) as i32);
        let placed_by = rng.unit() < baseline + if trains { effect } else { 0.0 };
        let placed = placed_by.then(|| registered.add_days(40));
        if trains {
            enrolments.push(Enrolment {
                id: format!("e{i}"),
                participant: c.id.clone(),
                course: "las".into(),
                provider: "BLK".into(),
                provider_kind: ProviderKind::Blk,
                location: c.location,
                cohort: "2026-01".into(),
                enrolled: registered,
                start: registered,
                end: registered.add_days(30),
                completed: true,
                assessed: false,
                certified: false,
                scheme: None,
                placed,
                employer: None,
                posting: None,
                wage_before: None,
                wage_after: None,
            });
        }
        outcomes.push(SeekerOutcome { candidate: c.id.clone(), registered, placed });
        candidates.push(c);
    }
    let scorer = FitScorer::new(esco());
    let options = ComparisonOptions { as_of: Some(date("2027-06-01")), bootstrap: 400, ..ComparisonOptions::default() };
    let r = Comparison::compute(&scorer, &candidates, &enrolments, &outcomes, &options).unwrap();
    assert_eq!(r.participants, enrolments.len() as u64);
    assert_eq!(r.matched + r.unmatched, r.participants);
    assert!(r.unmatched == 0, "{r:?}");
    assert!(r.low <= effect && effect <= r.high, "interval {:.3}..{:.3} misses {effect}: {r:?}", r.low, r.high);
    assert!(r.high - r.low < 0.12, "{r:?}");
    // The raw difference is biased well below the truth; matching removes that bias.
    assert!(r.naive_difference < effect - 0.05, "{r:?}");
    assert!((r.difference - effect).abs() < (r.naive_difference - effect).abs());
    assert!(r.mean_similarity > 0.8, "{r:?}");
    // Reproducible from its seed.
    let again = Comparison::compute(&scorer, &candidates, &enrolments, &outcomes, &options).unwrap();
    assert_eq!(r, again);
    // Bad options are errors.
    let bad = ComparisonOptions { neighbours: 0, ..options };
    assert!(Comparison::compute(&scorer, &candidates, &enrolments, &outcomes, &bad).is_err());
    assert!(Comparison::compute(&scorer, &candidates, &[], &outcomes, &options).is_err());
}

#[test]
fn generated_training_data_gives_a_sane_estimate_gap_closure_and_report() {
    let tax = esco();
    let market = MarketGenerator::new(tax, 11).with_text(false).market(3_000, 150, 4_000);
    let data = TrainingGenerator::new(&market.courses, &market.candidates, 5).generate();
    assert!(data.true_effect > 0.0);
    let scorer = FitScorer::new(tax);
    let options = ComparisonOptions { bootstrap: 200, ..ComparisonOptions::default() };
    let r = Comparison::compute(&scorer, &market.candidates, &data.enrolments, &data.outcomes, &options).unwrap();
    assert!(r.matched > 200, "{r:?}");
    assert!(
        (r.difference - data.true_effect).abs() < 0.1,
        "estimate {:.3} vs true {:.3}: {r:?}",
        r.difference,
        data.true_effect
    );
    // Gap closure: adding a course's skills never lowers the fit to fixed targets.
    let engine = MatchEngine::new(tax, FitScorer::new(tax), market.postings.clone(), Vec::new()).unwrap();
    let some: Vec<Enrolment> = data.enrolments.iter().take(300).cloned().collect();
    let closure = GapClosure::compute(&engine, &market.candidates, &some, &market.courses, 20);
    assert!(!closure.courses.is_empty());
    for c in &closure.courses {
        assert!(c.mean_score_after >= c.mean_score_before - 1e-6, "{c:?}");
        assert!(c.mean_gap_after <= c.mean_gap_before + 1e-9, "{c:?}");
    }
    // The report of the busiest BLK.
    let blk = data
        .enrolments
        .iter()
        .filter(|e| e.provider_kind == ProviderKind::Blk)
        .map(|e| e.provider.clone())
        .next()
        .unwrap();
    let demand = SkillDemand::compute(tax, &market.postings, DemandBy::default());
    let supply = SkillSupply::compute(&market.candidates, RegionLevel::Province);
    let mismatch = Mismatch::compute(&demand, &supply).unwrap();
    let province = data.enrolments.iter().find(|e| e.provider == blk).and_then(|e| e.location).unwrap().province;
    let mut report = BlkReport::new(
        tax,
        &blk,
        &data.enrolments,
        &market.courses,
        mismatch.region(Region::Province(province)),
        &EffectOptions::default(),
    );
    report.comparison = Some(r);
    let overall = report.overall.as_ref().unwrap();
    assert_eq!(overall.funnel.enrolled, report.courses.iter().map(|c| c.funnel.enrolled).sum::<u64>());
    let md = report.to_markdown();
    assert!(md.contains(&blk) && md.contains("Per pelatihan"), "{md}");
    assert!(report.funnel_svg().contains("Mendaftar"));
    assert!(report.placement_svg().ends_with("</svg>"));
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"placement_180\""));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn rates_stay_in_range_and_counts_add_up(
        rows in proptest::collection::vec((0u8..4, 0i32..300, any::<bool>(), any::<bool>(), proptest::option::of(0i32..400)), 0..60),
        as_of in 0i32..500,
        by in 0usize..3,
    ) {
        let base = date("2026-01-01");
        let es: Vec<Enrolment> = rows.iter().enumerate().map(|(i, &(course, end, completed, certified, placed))| {
            let mut e = enrolment(&i.to_string(), &format!("c{course}"), "2026-01-01", completed, certified, None);
            e.end = base.add_days(end);
            e.placed = placed.map(|p| base.add_days(p));
            e
        }).collect();
        let by = [EffectGroup::Course, EffectGroup::All, EffectGroup::Cohort][by];
        let eff = Effectiveness::compute(&es, by, &EffectOptions { as_of: Some(base.add_days(as_of)), ..EffectOptions::default() });
        prop_assert_eq!(eff.counted + eff.left_out, es.len() as u64);
        prop_assert_eq!(eff.cells.iter().map(|c| c.funnel.enrolled).sum::<u64>(), es.len() as u64);
        for c in &eff.cells {
            let f = c.funnel;
            prop_assert!(f.enrolled >= f.completed && f.completed >= f.certified && f.enrolled >= f.placed);
            for r in [c.completion, c.certification, c.placement_90, c.placement_180] {
                prop_assert!(r.count <= r.of);
                prop_assert!(0.0 <= r.low && r.low <= r.value && r.value <= r.high && r.high <= 1.0, "{:?}", r);
            }
            prop_assert!(c.placement_180.of <= c.placement_90.of);
        }
    }

    #[test]
    fn wilson_interval_contains_the_rate(count in 0u64..10_000, extra in 0u64..10_000) {
        let r = sepadan::Rate::wilson(count, count + extra, sepadan::Z_95);
        prop_assert!(0.0 <= r.low && r.low <= r.value && r.value <= r.high && r.high <= 1.0);
    }
}

#[test]
fn shipped_sample_training_records_are_the_generator_output() {
    // data/sample/enrolments.jsonl and outcomes.jsonl come from examples/sample_training.rs;
    // if the generator or the writer changes, re-run it.
    let t = esco();
    let market = sepadan::Market::sample(t).expect("sample market");
    let data = TrainingGenerator::new(&market.courses, &market.candidates, 1).participation(0.9).generate();
    let w = sepadan::Writer::new(t);
    let (mut enrolments, mut outcomes) = (Vec::new(), Vec::new());
    for e in &data.enrolments {
        w.enrolment(&mut enrolments, e).expect("write");
    }
    for o in &data.outcomes {
        w.outcome(&mut outcomes, o).expect("write");
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    assert!(
        std::fs::read(dir.join("enrolments.jsonl")).expect("shipped") == enrolments,
        "re-run the sample_training example"
    );
    assert!(
        std::fs::read(dir.join("outcomes.jsonl")).expect("shipped") == outcomes,
        "re-run the sample_training example"
    );
    let loaded =
        Loader::new(t).known_courses(&market.courses).enrolments_file(dir.join("enrolments.jsonl")).expect("loads");
    assert_eq!(loaded.records, data.enrolments);
}

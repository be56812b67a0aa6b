//! Crash safety and concurrency of the catalogue.
//!
//! * A child process (this test binary, re-run with `SEPADAN_CRASH_CHILD` set) ingests a
//!   large JSON Lines file into an on-disk catalogue, committing every batch; the parent kills
//!   it with SIGKILL at a random point, reopens the catalogue, and checks it holds exactly a
//!   committed state and takes new writes.
//! * Reader threads search while a writer upserts and deletes; every reader must see
//!   consistent snapshots.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sepadan::{Catalog, CatalogOptions, JobPosting, Loader, MarketGenerator, RecordKind, SearchRequest, Writer};

use crate::common::{esco, esco_arc, extractor_arc};

const POSTINGS: u64 = 2_000;
const BATCH: usize = 100;

fn open(dir: &Path) -> Catalog {
    Catalog::open(dir, esco_arc(), extractor_arc(), CatalogOptions::default())
        .unwrap_or_else(|e| panic!("reopening after a crash failed: {e}"))
}

/// The child's side: ingest the file, printing each committed count.
#[test]
fn crash_child() {
    let (Ok(dir), Ok(input)) = (std::env::var("SEPADAN_CRASH_CHILD"), std::env::var("SEPADAN_CRASH_INPUT")) else {
        return; // only meaningful as a child of `catalogue_survives_sigkill`
    };
    let catalog = Catalog::create(&dir, esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
    let file = std::fs::File::open(&input).unwrap();
    let loader = Loader::new(esco());
    let stdout = std::io::stdout();
    println!("ready");
    catalog
        .ingest(RecordKind::Job, &loader, file, &input, BATCH, |p| {
            let mut out = stdout.lock();
            let _ = writeln!(out, "committed {}", p.indexed);
            let _ = out.flush();
        })
        .unwrap();
    println!("done");
}

/// SplitMix64, for kill points that differ per seed but repeat across runs.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn catalogue_survives_sigkill() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("postings.jsonl");
    {
        let g = MarketGenerator::new(esco(), 77).with_text(true);
        let mut out = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        let writer = Writer::new(esco());
        for p in g.postings().take(POSTINGS as usize) {
            writer.posting(&mut out, &p).unwrap();
        }
        out.flush().unwrap();
    }
    // The three runs go in parallel: each child spends most of its time loading the taxonomy
    // and building the extractor, which two cores can overlap.
    let input = Arc::new(input);
    let runs: Vec<_> = (0..3u64)
        .map(|seed| {
            let (input, root) = (input.clone(), work.path().to_path_buf());
            std::thread::spawn(move || kill_and_reopen(seed, &root, &input))
        })
        .collect();
    let survived = runs.into_iter().map(|r| r.join()).filter(Result::is_ok).count();
    assert_eq!(survived, 3, "a run failed: see its panic above");
}

/// One child run killed at a point chosen by `seed`; panics on any inconsistency.
fn kill_and_reopen(seed: u64, root: &Path, input: &Path) {
    {
        let dir = root.join(format!("catalog-{seed}"));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["reliability::crash_child", "--exact", "--nocapture", "--test-threads", "1"])
            .env("SEPADAN_CRASH_CHILD", &dir)
            .env("SEPADAN_CRASH_INPUT", input)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let r = mix(seed);
        // Kill after 1–3 commits plus 0–150 ms, somewhere inside a batch or a commit.
        let commits_before_kill = 1 + (r % 3) as usize;
        let delay = Duration::from_millis((r >> 8) % 150);
        let mut last_committed = 0usize;
        let mut seen = 0usize;
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let started = Instant::now();
        while let Some(Ok(line)) = lines.next() {
            if let Some(n) = line.strip_prefix("committed ") {
                last_committed = n.trim().parse().unwrap();
                seen += 1;
                if seen == commits_before_kill {
                    break;
                }
            }
            assert!(started.elapsed() < Duration::from_secs(300), "child made no progress");
        }
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on Unix
        let _ = child.wait();
        assert!(last_committed > 0, "seed {seed}: the child committed nothing before the kill");

        let catalog = open(&dir);
        let count = catalog.counts().unwrap()[&RecordKind::Job];
        // Exactly a committed state: a whole number of batches, at least what was reported,
        // at most one commit more (the kill may land after a commit but before its report).
        assert_eq!(count % BATCH, 0, "seed {seed}: {count} is not a committed state");
        assert!(
            (last_committed..=last_committed + BATCH).contains(&count),
            "seed {seed}: {count} records, last committed {last_committed}"
        );
        // Every committed record reads back whole.
        let all = catalog
            .search(&SearchRequest { kind: Some(RecordKind::Job), limit: 1_000, ..SearchRequest::default() })
            .unwrap();
        assert_eq!(all.total, count);
        assert!(all.hits.iter().all(|h| !h.id.is_empty() && !h.title.is_empty()));
        // The catalogue takes new writes and keeps them.
        let mut extra = JobPosting::new("after-crash", "Operator Forklift");
        extra.description = "Mengoperasikan forklift di gudang".into();
        catalog.upsert_posting(&extra).unwrap();
        catalog.commit().unwrap();
        drop(catalog);
        let reopened = open(&dir);
        assert_eq!(reopened.counts().unwrap()[&RecordKind::Job], count + 1);
    }
}

#[test]
fn readers_see_consistent_snapshots_while_a_writer_upserts_and_deletes() {
    // Each posting's title and description carry the same version number, and postings are
    // written in pairs (A and B) within one commit: a reader that sees A at version v must see
    // B at version v in the same snapshot, and never a title from one version with the
    // description of another.
    let catalog = Arc::new(Catalog::in_memory(esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap());
    let posting = |id: &str, v: usize| {
        let mut p = JobPosting::new(id, format!("Juru Las versi{v}"));
        p.description = format!("Pengelasan SMAW versi{v}");
        p
    };
    for id in ["pair-a", "pair-b"] {
        catalog.upsert_posting(&posting(id, 0)).unwrap();
    }
    catalog.commit().unwrap();
    // Readers also run the catalogue's skill retrieval (the recall stage of matching) on the
    // skills the catalogue itself reads from the pair's text (title and description together).
    let profile: Vec<(sepadan::SkillId, f32)> =
        extractor_arc().requirements_for(&posting("pair-a", 0)).iter().map(|r| (r.skill, 1.0)).collect();
    assert!(!profile.is_empty(), "the extractor reads no skill from the pair's text");
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    for _ in 0..4 {
        let (catalog, stop, reads, profile) = (catalog.clone(), stop.clone(), reads.clone(), profile.clone());
        readers.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let recalled = catalog.retrieve(&profile, RecordKind::Job, &SearchRequest::default(), 50).unwrap();
                let pair = recalled.iter().filter(|h| h.id.starts_with("pair-")).count();
                assert_eq!(pair, 2, "retrieval saw half a pair");
                let r = catalog
                    .search(&SearchRequest { text: Some("juru las".into()), limit: 50, ..SearchRequest::default() })
                    .unwrap();
                let versions: Vec<(String, String)> = r
                    .hits
                    .iter()
                    .filter(|h| h.id.starts_with("pair-"))
                    .map(|h| (h.id.clone(), h.title.rsplit("versi").next().unwrap_or("").to_string()))
                    .collect();
                // Both members of the pair, at one version.
                assert_eq!(versions.len(), 2, "a pair was half visible: {versions:?}");
                assert_eq!(versions[0].1, versions[1].1, "a snapshot mixed versions: {versions:?}");
                // Churn records come and go whole: counts add up.
                let counts = catalog.counts().unwrap();
                assert!(counts[&RecordKind::Job] >= 2);
                reads.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let started = Instant::now();
    let mut writes = 0usize;
    for v in 1..=30 {
        for id in ["pair-a", "pair-b"] {
            catalog.upsert_posting(&posting(id, v)).unwrap();
        }
        // Churn: add and delete other postings in the same commits.
        catalog.upsert_posting(&posting(&format!("churn-{v}"), v)).unwrap();
        if v > 3 {
            catalog.delete(RecordKind::Job, &format!("churn-{}", v - 3)).unwrap();
        }
        catalog.commit().unwrap();
        writes += 4;
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().expect("a reader panicked: see the assertion above");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let reads = reads.load(Ordering::Relaxed);
    assert!(reads > 0, "readers never ran");
    eprintln!(
        "stress: {reads} reads (a search and a skill retrieval each) and {writes} writes in {elapsed:.2} s ({:.0} reads/s, {:.0} writes/s)",
        reads as f64 / elapsed,
        writes as f64 / elapsed
    );
    let counts = catalog.counts().unwrap();
    assert_eq!(counts[&RecordKind::Job], 2 + 3);
}

#[test]
fn search_limits_are_clear_errors_not_truncation() {
    let catalog = Catalog::in_memory(esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
    catalog.upsert_posting(&JobPosting::new("j1", "Juru Las")).unwrap();
    catalog.commit().unwrap();
    let refused = |r: SearchRequest, what: &str| {
        let err = catalog.search(&r).unwrap_err();
        match err.kind() {
            sepadan::ErrorKind::LimitExceeded { what: w, limit, requested } => {
                assert_eq!(*w, what);
                assert!(requested > limit);
            }
            other => panic!("expected a limit error for {what}, got {other:?}"),
        }
        assert!(err.to_string().starts_with("limit exceeded"), "{err}");
    };
    let ok = |r: SearchRequest| catalog.search(&r).unwrap_or_else(|e| panic!("{e}"));
    // Query bytes: at the limit passes, one over fails.
    ok(SearchRequest { text: Some("a".repeat(Catalog::MAX_QUERY_BYTES)), ..SearchRequest::default() });
    refused(
        SearchRequest { text: Some("a".repeat(Catalog::MAX_QUERY_BYTES + 1)), ..SearchRequest::default() },
        "query bytes",
    );
    // Query words.
    ok(SearchRequest { text: Some("las ".repeat(Catalog::MAX_QUERY_TERMS)), ..SearchRequest::default() });
    refused(
        SearchRequest { text: Some("la ".repeat(Catalog::MAX_QUERY_TERMS + 1)), ..SearchRequest::default() },
        "query words",
    );
    // Skills.
    let skills: Vec<(sepadan::SkillId, f32)> =
        esco().skills().take(Catalog::MAX_QUERY_SKILLS + 1).map(|s| (s.id(), 1.0)).collect();
    ok(SearchRequest { skills: skills[..Catalog::MAX_QUERY_SKILLS].to_vec(), ..SearchRequest::default() });
    refused(SearchRequest { skills, ..SearchRequest::default() }, "query skills");
    // Page size and result window.
    ok(SearchRequest { limit: Catalog::MAX_PAGE, ..SearchRequest::default() });
    refused(SearchRequest { limit: Catalog::MAX_PAGE + 1, ..SearchRequest::default() }, "hits per page");
    ok(SearchRequest { offset: Catalog::MAX_RESULT_WINDOW - 10, limit: 10, ..SearchRequest::default() });
    refused(
        SearchRequest { offset: Catalog::MAX_RESULT_WINDOW, limit: 10, ..SearchRequest::default() },
        "result window (offset + limit)",
    );
    refused(
        SearchRequest { offset: usize::MAX, limit: 10, ..SearchRequest::default() },
        "result window (offset + limit)",
    );
}

fn limit_error(err: sepadan::Error, what: &str) {
    match err.kind() {
        sepadan::ErrorKind::LimitExceeded { what: w, limit, requested } => {
            assert_eq!(*w, what, "{err}");
            assert!(requested > limit);
        }
        other => panic!("expected a limit error for {what}, got {other:?}"),
    }
    assert!(err.to_string().contains("limit exceeded"), "{err}");
}

fn held_skills(n: usize) -> Vec<sepadan::CandidateSkill> {
    esco()
        .skills()
        .take(n)
        .map(|s| sepadan::CandidateSkill {
            skill: s.id(),
            level: sepadan::Level::Intermediate,
            evidence: sepadan::Evidence::SelfDeclared,
        })
        .collect()
}

fn requirements(skip: usize, n: usize) -> Vec<sepadan::Requirement> {
    esco().skills().skip(skip).take(n).map(|s| sepadan::Requirement::essential(s.id())).collect()
}

#[test]
fn match_limits_are_clear_errors_not_truncation() {
    use sepadan::{Candidate, FitScorer, MatchEngine, MatchFilters};
    let t = esco();
    let m = MarketGenerator::new(t, 5).with_text(false).market(200, 0, 20);
    let engine = MatchEngine::new(t, FitScorer::new(t), m.postings.clone(), m.candidates.clone()).unwrap();
    let f = MatchFilters::default();
    // Profile size: at the limit answers, one over is refused (also when building an engine).
    let mut big = Candidate::new("big");
    big.skills = held_skills(MatchEngine::MAX_PROFILE_SKILLS);
    engine.jobs_for_candidate(&big, 10, &f).unwrap();
    big.skills = held_skills(MatchEngine::MAX_PROFILE_SKILLS + 1);
    limit_error(engine.jobs_for_candidate(&big, 10, &f).unwrap_err(), "candidate skills");
    limit_error(MatchEngine::new(t, FitScorer::new(t), Vec::new(), vec![big]).unwrap_err(), "candidate skills");
    // k, in every call that takes one; usize::MAX must not overflow anything on the way.
    let c = &m.candidates[0];
    engine.jobs_for_candidate(c, MatchEngine::MAX_K, &f).unwrap();
    for k in [MatchEngine::MAX_K + 1, usize::MAX] {
        limit_error(engine.jobs_for_candidate(c, k, &f).unwrap_err(), "k");
        limit_error(engine.jobs_for_candidate_exhaustive(c, k, &f).unwrap_err(), "k");
        limit_error(engine.candidates_for_job(&m.postings[0], k, &f).unwrap_err(), "k");
        limit_error(engine.top_jobs_for_all(k, &f).unwrap_err(), "k");
        limit_error(engine.top_candidates_for_all(k, &f).unwrap_err(), "k");
    }
    // Requirements per posting.
    let mut job = JobPosting::new("big", "Juru las");
    job.requirements = requirements(0, MatchEngine::MAX_REQUIREMENTS);
    engine.candidates_for_job(&job, 10, &f).unwrap();
    job.requirements = requirements(0, MatchEngine::MAX_REQUIREMENTS + 1);
    limit_error(engine.candidates_for_job(&job, 10, &f).unwrap_err(), "posting requirements");
    // Bad values in a request are errors too, never a NaN score.
    let mut weird = m.postings[0].clone();
    for w in [f32::NAN, -1.0, 0.0, f32::INFINITY, MatchEngine::MAX_WEIGHT * 2.0] {
        weird.requirements[0].weight = w;
        let err = engine.candidates_for_job(&weird, 10, &f).unwrap_err();
        assert!(matches!(err.kind(), sepadan::ErrorKind::InvalidValue(_)), "{w}: {err}");
        assert_eq!(err.position().field.as_deref(), Some("requirements[0]"), "{err}");
    }
    let mut odd = c.clone();
    odd.experience_years = Some(f32::NAN);
    assert!(matches!(engine.jobs_for_candidate(&odd, 10, &f).unwrap_err().kind(), sepadan::ErrorKind::InvalidValue(_)));
    // The scorer alone takes anything and stays finite: a huge weight is capped.
    let mut huge = m.postings[0].clone();
    for r in &mut huge.requirements {
        r.weight = f32::MAX;
    }
    let s = engine.scorer().score(c, &huge);
    assert!(s.is_finite() && (0.0..=1.0).contains(&s), "{s}");
}

#[test]
fn plan_limits_are_clear_errors() {
    use sepadan::{Candidate, FitScorer, Gap, PlanOptions, Planner};
    let t = esco();
    let m = MarketGenerator::new(t, 6).with_text(false).market(10, 40, 0);
    let planner = Planner::new(m.courses, Vec::new()).unwrap();
    let scorer = FitScorer::new(t);
    let nobody = Candidate::new("nobody");
    // Three postings of 400 different skills each: 1,200 gap skills, over the planner's 1,000.
    let postings: Vec<JobPosting> = (0..3)
        .map(|i| {
            let mut p = JobPosting::new(format!("p{i}"), "Operator");
            p.requirements = requirements(i * 400, 400);
            p
        })
        .collect();
    let gap = Gap::for_postings(&scorer, &nobody, &postings);
    assert!(gap.skills.len() > Planner::MAX_GAP_SKILLS);
    limit_error(planner.plan(&nobody, &gap, &PlanOptions::default()).unwrap_err(), "gap skills");
    let small = Gap::for_postings(&scorer, &nobody, &postings[..2]);
    planner.plan(&nobody, &small, &PlanOptions::default()).unwrap();
    let greedy_only = PlanOptions { node_limit: Planner::MAX_NODE_LIMIT + 1, ..PlanOptions::default() };
    limit_error(planner.plan(&nobody, &small, &greedy_only).unwrap_err(), "branch-and-bound nodes");
    let mut big = Candidate::new("big");
    big.skills = held_skills(sepadan::MatchEngine::MAX_PROFILE_SKILLS + 1);
    limit_error(planner.plan(&big, &small, &PlanOptions::default()).unwrap_err(), "candidate skills");
}

/// Candidates are people: deleting one removes every trace of them from the engine. The
/// engine after deletion is indistinguishable (its `Debug` output prints every field and index)
/// from one built without them, and no result names them.
#[test]
fn deleted_candidates_leave_no_trace_in_the_engine() {
    use sepadan::{FitScorer, MatchEngine, MatchFilters};
    let t = esco();
    let mut m = MarketGenerator::new(t, 8).with_text(false).market(150, 0, 60);
    for (i, c) in m.candidates.iter_mut().enumerate() {
        c.name = Some(format!("Nama Pribadi {i:03}"));
    }
    let gone: Vec<String> = m.candidates.iter().step_by(7).map(|c| c.id.clone()).collect();
    let mut engine = MatchEngine::new(t, FitScorer::new(t), m.postings.clone(), m.candidates.clone()).unwrap();
    assert_eq!(engine.remove_candidates(&gone), gone.len());
    assert_eq!(engine.remove_candidates(&gone), 0, "deleting twice is not an error and removes nothing");
    let kept: Vec<_> = m.candidates.iter().filter(|c| !gone.contains(&c.id)).cloned().collect();
    let fresh = MatchEngine::new(t, FitScorer::new(t), m.postings.clone(), kept).unwrap();
    let (after, rebuilt) = (format!("{engine:?}"), format!("{fresh:?}"));
    assert_eq!(after, rebuilt, "the engine after deletion differs from one built without them");
    for (i, c) in m.candidates.iter().enumerate().filter(|(_, c)| gone.contains(&c.id)) {
        assert!(!after.contains(&format!("{:?}", c.id)), "{} left in the engine", c.id);
        assert!(!after.contains(&format!("Nama Pribadi {i:03}")), "the name of {} left in the engine", c.id);
    }
    let f = MatchFilters { include_without_skill_overlap: true, ..MatchFilters::default() };
    for ranked in engine.top_candidates_for_all(200, &f).unwrap() {
        assert!(ranked.iter().all(|r| !gone.contains(&r.id)));
    }
    assert_eq!(engine.top_candidates_for_all(10, &f).unwrap(), fresh.top_candidates_for_all(10, &f).unwrap());
}

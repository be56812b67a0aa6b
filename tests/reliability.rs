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
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    for _ in 0..4 {
        let (catalog, stop, reads) = (catalog.clone(), stop.clone(), reads.clone());
        readers.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
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
        "stress: {reads} searches and {writes} writes in {elapsed:.2} s ({:.0} reads/s, {:.0} writes/s)",
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

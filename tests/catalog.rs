//! The catalogue: indexing the sample market, cross-language search, filters, facets, paging,
//! upsert/delete/commit semantics, persistence, bad queries.

use sepadan::{
    Catalog, CatalogOptions, Date, Education, EmploymentType, ErrorKind, JobPosting, Location, Market, RecordKind,
    Regions, Requirement, Salary, SalaryPeriod, SearchRequest,
};

use crate::common::{esco, esco_arc, extractor_arc};

fn sample_catalog() -> (Catalog, Market) {
    let catalog = Catalog::in_memory(esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
    let m = Market::sample(esco()).unwrap();
    for p in &m.postings {
        catalog.upsert_posting(p).unwrap();
    }
    for c in &m.courses {
        catalog.upsert_course(c).unwrap();
    }
    for s in &m.schemes {
        catalog.upsert_scheme(s).unwrap();
    }
    catalog.commit().unwrap();
    (catalog, m)
}

fn juru_las() -> JobPosting {
    let t = esco();
    let mut p = JobPosting::new("x-1", "Dibutuhkan Juru Las");
    p.description = "Kualifikasi:\n- Mampu mengelas SMAW\n- Pendidikan SMK".into();
    p.location = Some(Location::regency(Regions::indonesia().resolve_regency("Kab. Bekasi", None).unwrap()));
    p.salary = Some(Salary { min: 4_500_000, max: 5_500_000, period: SalaryPeriod::Month });
    p.education = Some(Education::SMK);
    p.employment_type = EmploymentType::Contract;
    p.posted = Date::parse("2026-11-01").ok();
    p.expires = Date::parse("2026-12-15").ok();
    p.requirements = vec![Requirement::essential(t.resolve_skill("use welding equipment").unwrap())];
    p
}

#[test]
fn indexes_the_sample_market() {
    let (catalog, m) = sample_catalog();
    let counts = catalog.counts().unwrap();
    assert_eq!(counts[&RecordKind::Job], m.postings.len());
    assert_eq!(counts[&RecordKind::Course], m.courses.len());
    assert_eq!(counts[&RecordKind::Scheme], m.schemes.len());
    let all = catalog.search(&SearchRequest { facets: true, ..Default::default() }).unwrap();
    assert_eq!(all.total, m.postings.len() + m.courses.len() + m.schemes.len());
    let facets = all.facets.unwrap();
    let located: u64 = facets.provinces.iter().map(|p| p.1).sum();
    let expected = m.postings.iter().filter(|p| p.location.is_some()).count()
        + m.courses.iter().filter(|c| c.location.is_some()).count()
        + m.schemes.iter().filter(|s| s.location.is_some()).count();
    assert_eq!(located as usize, expected, "every located record is counted once in its province");
    assert!(!facets.skills.is_empty() && !facets.occupations.is_empty());
    let in_regencies: u64 = facets.regencies.iter().map(|r| r.1).sum();
    let with_regency = m.postings.iter().filter(|p| p.location.is_some_and(|l| l.regency.is_some())).count();
    assert!(in_regencies as usize >= with_regency.min(40), "regency facets count located postings");
    for (r, _) in &facets.regencies {
        assert!(Regions::indonesia().regency(*r).is_some());
    }
}

#[test]
fn english_query_finds_indonesian_posting_and_filters_apply() {
    let catalog = Catalog::in_memory(esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
    catalog.upsert_posting(&juru_las()).unwrap();
    let mut kasir = JobPosting::new("x-2", "Kasir Minimarket");
    kasir.location = juru_las().location;
    catalog.upsert_posting(&kasir).unwrap();
    catalog.commit().unwrap();
    let find = |r: SearchRequest| catalog.search(&r).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(find(SearchRequest { text: Some("welder".into()), ..Default::default() }), ["x-1"]);
    assert_eq!(find(SearchRequest { text: Some("pengelasan".into()), ..Default::default() }), ["x-1"]);
    let jabar = sepadan::ProvinceCode::parse("32").unwrap();
    let jatim = sepadan::ProvinceCode::parse("35").unwrap();
    let base = SearchRequest { text: Some("welder".into()), ..Default::default() };
    assert_eq!(find(SearchRequest { province: Some(jabar), ..base.clone() }), ["x-1"]);
    assert!(find(SearchRequest { province: Some(jatim), ..base.clone() }).is_empty());
    assert_eq!(find(SearchRequest { salary_at_least: Some(5_000_000), ..base.clone() }), ["x-1"]);
    assert!(find(SearchRequest { salary_at_least: Some(6_000_000), ..base.clone() }).is_empty());
    assert!(find(SearchRequest { salary_at_most: Some(4_000_000), ..base.clone() }).is_empty());
    assert_eq!(
        find(SearchRequest { salary_at_least: Some(5_000_000), salary_at_most: Some(5_000_000), ..base.clone() }),
        ["x-1"]
    );
    assert!(find(SearchRequest { education_at_most: Some(Education::SMP), ..base.clone() }).is_empty());
    assert_eq!(find(SearchRequest { education_at_most: Some(Education::SMA), ..base.clone() }), ["x-1"]);
    assert!(find(SearchRequest { employment_types: vec![EmploymentType::FullTime], ..base.clone() }).is_empty());
    assert!(find(SearchRequest { active_on: Date::parse("2027-01-01").ok(), ..base.clone() }).is_empty());
    assert_eq!(find(SearchRequest { posted_since: Date::parse("2026-10-01").ok(), ..base.clone() }), ["x-1"]);
    assert!(find(SearchRequest { remote_or_online: Some(true), ..base.clone() }).is_empty());
    // Skill retrieval for matching.
    let weld = esco().resolve_skill("use welding equipment").unwrap();
    let hits = catalog.retrieve(&[(weld, 1.0)], RecordKind::Job, &SearchRequest::default(), 5).unwrap();
    assert_eq!(hits.first().map(|h| h.id.as_str()), Some("x-1"));
}

#[test]
fn upsert_delete_and_commit_visibility() {
    let catalog = Catalog::in_memory(esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
    catalog.upsert_posting(&juru_las()).unwrap();
    assert_eq!(catalog.len(), 0, "uncommitted changes are invisible");
    catalog.commit().unwrap();
    assert_eq!(catalog.len(), 1);
    let mut changed = juru_las();
    changed.title = "Juru Las Kapal".into();
    catalog.upsert_posting(&changed).unwrap();
    catalog.commit().unwrap();
    let hits = catalog.search(&SearchRequest::default()).unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].title, "Juru Las Kapal");
    catalog.delete(RecordKind::Job, "x-1").unwrap();
    catalog.rollback().unwrap();
    assert_eq!(catalog.len(), 1, "rolled back delete");
    catalog.delete(RecordKind::Job, "x-1").unwrap();
    catalog.commit().unwrap();
    assert_eq!(catalog.len(), 0);
}

#[test]
fn paging_is_deterministic_and_complete() {
    let (catalog, _) = sample_catalog();
    let all =
        catalog.search(&SearchRequest { kind: Some(RecordKind::Job), limit: 1000, ..Default::default() }).unwrap();
    catalog.merge_segments().unwrap();
    let after_merge =
        catalog.search(&SearchRequest { kind: Some(RecordKind::Job), limit: 1000, ..Default::default() }).unwrap();
    assert_eq!(after_merge.total, all.total, "merging keeps every record");
    let mut paged = Vec::new();
    for page in 0..10 {
        let r = SearchRequest { kind: Some(RecordKind::Job), offset: page * 10, limit: 10, ..Default::default() };
        paged.extend(catalog.search(&r).unwrap().hits.into_iter().map(|h| h.id));
    }
    let ids: Vec<String> = all.hits.into_iter().map(|h| h.id).collect();
    assert_eq!(paged, ids);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "equal scores are ordered by key");
}

#[test]
fn persists_exactly_the_committed_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog");
    {
        let c = Catalog::create(&path, esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
        c.upsert_posting(&juru_las()).unwrap();
        c.commit().unwrap();
        let mut uncommitted = juru_las();
        uncommitted.id = "x-9".into();
        c.upsert_posting(&uncommitted).unwrap();
        // Dropped without commit.
    }
    let c = Catalog::open(&path, esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
    assert_eq!(c.len(), 1);
    let hits = c.search(&SearchRequest { text: Some("welder".into()), ..Default::default() }).unwrap();
    assert_eq!(hits.hits[0].id, "x-1", "analyzers are registered on reopen");
    // A second writer on the same directory is refused clearly.
    let err = Catalog::open(&path, esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap_err();
    assert!(err.to_string().contains("locked"), "{err}");
    let err =
        Catalog::open(dir.path().join("missing"), esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Missing(_)), "{err}");
}

#[test]
fn hostile_queries_are_answered() {
    let (catalog, _) = sample_catalog();
    for q in [
        "\"unbalanced",
        "title:(((",
        "AND OR NOT",
        "+-+-",
        "99999999999999999999999",
        "😀",
        "",
        "*",
        "3-:*",                // found by the `search` fuzz target: once an "exists" query on a field "3-"
        "juru las 3-:alanced", // the same, inside words
        "id:job-0001 kind:job",
        "las~2 ^3 [a TO z] {x} a\\b /re/",
    ] {
        let r = catalog.search(&SearchRequest { text: Some(q.to_string()), facets: true, ..Default::default() });
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
    // Syntax characters are text: a search box never turns a typo into field syntax or an exclusion.
    let plain = |q: &str| {
        let r = catalog.search(&SearchRequest { text: Some(q.into()), limit: 100, ..Default::default() }).unwrap();
        r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
    };
    assert_eq!(plain("juru las"), plain("juru: las"), "a colon after a word is not a field");
    assert!(!plain("-las").is_empty(), "a leading minus does not exclude everything with las");
    // Oversized requests are refused with a limit error, not cut silently or answered slowly.
    let long = "las ".repeat(10_000);
    let r = catalog.search(&SearchRequest { text: Some(long), ..Default::default() });
    assert!(matches!(r.as_ref().map_err(|e| e.kind()), Err(ErrorKind::LimitExceeded { .. })), "{r:?}");
    let weird = SearchRequest {
        skills: vec![(esco().resolve_skill("use welding equipment").unwrap(), f32::NAN)],
        limit: usize::MAX,
        offset: usize::MAX,
        ..Default::default()
    };
    let r = catalog.search(&weird);
    assert!(matches!(r.as_ref().map_err(|e| e.kind()), Err(ErrorKind::LimitExceeded { .. })), "{r:?}");
    // A NaN skill weight within the limits is ignored, not propagated into scores.
    let nan = SearchRequest {
        skills: vec![(esco().resolve_skill("use welding equipment").unwrap(), f32::NAN)],
        ..Default::default()
    };
    assert!(catalog.search(&nan).is_ok());
}

#[test]
fn lenient_ingest_keeps_good_records_and_reports_bad_ones() {
    let catalog = Catalog::in_memory(esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bad_postings.jsonl");
    let loader = sepadan::Loader::new(esco()).mode(sepadan::LoadMode::Lenient);
    let mut reports = Vec::new();
    let file = std::fs::File::open(path).unwrap();
    let report = catalog.ingest(RecordKind::Job, &loader, file, path, 1, |p| reports.push(p)).unwrap();
    assert_eq!(report.indexed, 2);
    assert_eq!(report.skipped.len(), 8);
    assert_eq!(catalog.len(), 2);
    assert!(reports.len() >= 2 && reports.last().map(|p| p.indexed) == Some(2));
    let strict = sepadan::Loader::new(esco());
    let file = std::fs::File::open(path).unwrap();
    let err = catalog.ingest(RecordKind::Job, &strict, file, path, 100, |_| {}).unwrap_err();
    assert_eq!(err.position().line, Some(3));
}

#[test]
fn corrupt_index_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.json"), b"{ this is not an index").unwrap();
    let err = Catalog::open(dir.path(), esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Index(_)), "{err}");
    assert!(err.to_string().contains("cannot open the catalogue"), "{err}");
}

#[test]
fn readers_see_committed_snapshots_while_a_writer_works() {
    let catalog =
        std::sync::Arc::new(Catalog::in_memory(esco_arc(), extractor_arc(), CatalogOptions::default()).unwrap());
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (catalog, done) = (catalog.clone(), done.clone());
            std::thread::spawn(move || {
                let mut last = 0usize;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let r = catalog.search(&SearchRequest { limit: 1000, ..Default::default() }).unwrap();
                    // Batches of 5 are committed atomically: a reader never sees half a batch,
                    // and the count never goes back.
                    assert_eq!(r.total % 5, 0, "half-committed batch visible: {}", r.total);
                    assert_eq!(r.hits.len(), r.total.min(1000));
                    assert!(r.total >= last);
                    last = r.total;
                }
            })
        })
        .collect();
    for batch in 0..10 {
        for i in 0..5 {
            let mut p = juru_las();
            p.id = format!("b{batch}-{i}");
            catalog.upsert_posting(&p).unwrap();
        }
        catalog.commit().unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(catalog.len(), 50);
}

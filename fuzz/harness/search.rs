//! Catalogue search on arbitrary requests over the sample market. The bytes are read as lines:
//! line 1 is the free text, line 2 a province (code, name or alias), line 3 skill labels
//! separated by `;`, line 4 three numbers (offset, limit, minimum salary), line 5 flags
//! (`j`/`c`/`s` kind, `f` facets, `r`/`o` remote or on-site). Invariants: no panic; a refusal
//! is a limit or value error with a message; an answer holds at most `limit` hits and at most
//! `total`, best first with finite scores, each a record of the catalogue of the asked kind;
//! the same request answers the same twice (deterministic paging); facet counts never exceed
//! the total.

use std::sync::{Arc, OnceLock};

use sepadan::{Catalog, CatalogOptions, ErrorKind, Extractor, Market, RecordKind, Regions, SearchRequest, Taxonomy};

struct Fixture {
    taxonomy: Arc<Taxonomy>,
    catalog: Catalog,
    records: usize,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let taxonomy = Arc::new(Taxonomy::esco().unwrap_or_else(|e| panic!("default taxonomy: {e}")));
        let extractor = Arc::new(Extractor::new(&taxonomy));
        let market = Market::sample(&taxonomy).unwrap_or_else(|e| panic!("sample market: {e}"));
        let catalog = Catalog::in_memory(taxonomy.clone(), extractor, CatalogOptions::default())
            .unwrap_or_else(|e| panic!("catalogue: {e}"));
        for p in &market.postings {
            catalog.upsert_posting(p).unwrap_or_else(|e| panic!("{e}"));
        }
        for c in &market.courses {
            catalog.upsert_course(c).unwrap_or_else(|e| panic!("{e}"));
        }
        for s in &market.schemes {
            catalog.upsert_scheme(s).unwrap_or_else(|e| panic!("{e}"));
        }
        catalog.commit().unwrap_or_else(|e| panic!("{e}"));
        let records = market.postings.len() + market.courses.len() + market.schemes.len();
        Fixture { taxonomy, catalog, records }
    })
}

fn number(s: Option<&str>) -> Option<u64> {
    s.and_then(|s| s.trim().parse().ok())
}

pub fn run(data: &[u8]) {
    let f = fixture();
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let mut request = SearchRequest::default();
    if let Some(t) = lines.next().filter(|t| !t.is_empty()) {
        request.text = Some(t.to_string());
    }
    if let Some(p) = lines.next() {
        request.province = Regions::indonesia().resolve_province(p).ok();
    }
    if let Some(labels) = lines.next() {
        for (i, label) in labels.split(';').enumerate() {
            if let Ok(skill) = f.taxonomy.resolve_skill(label) {
                request.skills.push((skill, 1.0 + i as f32 / 4.0));
            }
        }
    }
    let mut numbers = lines.next().unwrap_or("").split_whitespace();
    if let Some(o) = number(numbers.next()) {
        request.offset = usize::try_from(o).unwrap_or(usize::MAX);
    }
    if let Some(l) = number(numbers.next()) {
        request.limit = usize::try_from(l).unwrap_or(usize::MAX);
    }
    request.salary_at_least = number(numbers.next());
    let flags = lines.next().unwrap_or("");
    request.kind = match () {
        _ if flags.contains('j') => Some(RecordKind::Job),
        _ if flags.contains('c') => Some(RecordKind::Course),
        _ if flags.contains('s') => Some(RecordKind::Scheme),
        _ => None,
    };
    request.facets = flags.contains('f');
    request.remote_or_online = match () {
        _ if flags.contains('r') => Some(true),
        _ if flags.contains('o') => Some(false),
        _ => None,
    };

    let results = match f.catalog.search(&request) {
        Ok(r) => r,
        Err(e) => {
            assert!(
                matches!(e.kind(), ErrorKind::LimitExceeded { .. } | ErrorKind::InvalidValue(_)),
                "unexpected refusal: {e}"
            );
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(results.total <= f.records, "{} hits of {} records", results.total, f.records);
    // A limit of 0 asks for the default page of 10.
    let limit = if request.limit == 0 { 10 } else { request.limit };
    assert!(results.hits.len() <= limit.min(results.total), "page longer than asked: {request:?}");
    for w in results.hits.windows(2) {
        assert!(w[0].score >= w[1].score, "not best first: {:?}", results.hits);
    }
    for h in &results.hits {
        assert!(h.score.is_finite(), "score {h:?}");
        assert!(!h.id.is_empty(), "hit without id");
        assert!(request.kind.is_none_or(|k| k == h.kind), "hit of another kind: {h:?}");
    }
    if let Some(facets) = &results.facets {
        let total = results.total as u64;
        assert!(facets.provinces.iter().all(|(_, n)| *n <= total));
        assert!(facets.occupations.iter().all(|(_, n)| *n <= total));
        assert!(facets.skills.iter().all(|(_, n)| *n <= total));
    }
    let again = f.catalog.search(&request).unwrap_or_else(|e| panic!("second answer refused: {e}"));
    assert_eq!(again, results, "the same request answered differently");
}

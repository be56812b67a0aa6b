//! Invariants over arbitrary input: parsers return Ok or Err, never panic, and errors carry a
//! position.

use proptest::prelude::*;
use sepadan::{LoadMode, Loader, Regions, Taxonomy};

use crate::common::esco;

fn jsonish() -> impl Strategy<Value = String> {
    // Mostly JSON-shaped lines built from the formats' own keys, with noise.
    let key = prop::sample::select(vec![
        "id",
        "title",
        "skill",
        "requirements",
        "location",
        "province",
        "regency",
        "salary",
        "min",
        "max",
        "level",
        "min_level",
        "education",
        "posted",
        "expires",
        "hours",
        "cost",
        "skills",
        "evidence",
        "name",
        "weight",
    ]);
    let value = prop_oneof![
        Just("\"x\"".to_string()),
        Just("1".to_string()),
        Just("-1".to_string()),
        Just("1e400".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("\"2026-02-30\"".to_string()),
        Just("\"use welding equipment\"".to_string()),
        Just("[{\"skill\":\"welding\"}]".to_string()),
        "[a-z ]{0,12}".prop_map(|s| format!("\"{s}\"")),
    ];
    prop::collection::vec((key, value), 0..6).prop_map(|kv| {
        let body: Vec<String> = kv.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn loaders_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let loader = Loader::new(esco()).mode(LoadMode::Lenient);
        let _ = loader.postings(&bytes[..], "p");
        let _ = loader.courses(&bytes[..], "c");
        let _ = loader.schemes(&bytes[..], "s");
        let _ = loader.candidates(&bytes[..], "k");
    }

    #[test]
    fn loader_errors_have_a_line(lines in prop::collection::vec(jsonish(), 1..8)) {
        let input = lines.join("\n");
        let loaded = Loader::new(esco()).mode(LoadMode::Lenient).postings(input.as_bytes(), "p.jsonl").unwrap();
        prop_assert_eq!(loaded.records.len() + loaded.errors.len(), lines.len());
        for e in &loaded.errors {
            prop_assert!(e.position().line.is_some());
            prop_assert!(e.position().file.is_some());
        }
        let strict = Loader::new(esco()).candidates(input.as_bytes(), "c.jsonl");
        if let Err(e) = strict {
            prop_assert!(e.position().line.is_some());
        }
    }

    #[test]
    fn taxonomy_csv_parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut b = Taxonomy::builder("fuzz");
        let _ = b.add_concepts_csv(&bytes[..], "c", LoadMode::Lenient);
        let _ = b.add_labels_csv(&bytes[..], "l", LoadMode::Lenient);
        let _ = b.add_relations_csv(&bytes[..], "r", LoadMode::Lenient);
        let _ = b.build();
    }

    #[test]
    fn snapshot_decoder_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let mut with_magic = b"SEPADAN-TAXONOMY\x01".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = Taxonomy::from_snapshot(&bytes);
        let _ = Taxonomy::from_snapshot(&with_magic);
    }

    #[test]
    fn text_helpers_never_panic(s in "\\PC{0,40}") {
        let folded = sepadan::fold(&s);
        prop_assert_eq!(sepadan::fold(&folded), folded.clone());
        let _ = sepadan::Date::parse(&s);
        let r = Regions::indonesia();
        let _ = r.resolve(Some(&s), Some(&s));
        let _ = esco().resolve_skill(&s);
        let _ = esco().resolve_occupation(&s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn analyzer_spans_are_valid(s in "\\PC{0,80}", bytes in prop::collection::vec(any::<u8>(), 0..80)) {
        let a = analyzer();
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        for text in [s.as_str(), lossy.as_str()] {
            for (i, t) in a.analyze(text).iter().enumerate() {
                prop_assert!(t.start < t.end && t.end <= text.len());
                prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                prop_assert!(!t.text.is_empty());
                prop_assert_eq!(t.position as usize, i);
            }
        }
    }

    #[test]
    fn analysis_is_deterministic_and_case_insensitive(s in "[a-zA-Z ]{0,40}") {
        let a = analyzer();
        let keys = |t: &str| a.analyze(t).into_iter().map(|t| t.text).collect::<Vec<_>>();
        prop_assert_eq!(keys(&s), keys(&s));
        prop_assert_eq!(keys(&s.to_lowercase()), keys(&s.to_uppercase()));
    }
}

fn analyzer() -> &'static sepadan::Analyzer {
    static A: std::sync::OnceLock<sepadan::Analyzer> = std::sync::OnceLock::new();
    A.get_or_init(sepadan::Analyzer::new)
}

#[test]
fn public_types_are_send_and_sync() {
    check::<sepadan::Analyzer>();
    check::<sepadan::Extractor>();
    check::<sepadan::Catalog>();
    check::<sepadan::SearchRequest>();
    check::<sepadan::SepadanTokenizer>();
    check::<sepadan::Taxonomy>();
    check::<sepadan::Error>();
    check::<sepadan::JobPosting>();
    check::<sepadan::Candidate>();
    check::<sepadan::TrainingCourse>();
    check::<sepadan::CertificationScheme>();
    check::<sepadan::Market>();
    check::<sepadan::Regions>();
    check::<sepadan::Loader<'static>>();
    check::<sepadan::MarketGenerator<'static>>();
    check::<sepadan::TaxonomyBuilder>();
}

fn check<T: Send + Sync>() {}

use sepadan::{ErrorKind, LoadMode, Loader, Market, MarketGenerator, Writer};

use crate::common::esco;

#[test]
fn sample_market_loads_strictly() {
    let m = Market::sample(esco()).unwrap();
    assert!(m.postings.len() >= 60, "{}", m.postings.len());
    assert!(m.courses.len() >= 40);
    assert!(m.schemes.len() >= 15);
    assert!(m.candidates.len() >= 50);
    assert!(m.postings.iter().all(|p| !p.requirements.is_empty()));
    let provinces: std::collections::HashSet<_> =
        m.postings.iter().filter_map(|p| p.location).map(|l| l.province).collect();
    assert!(provinces.len() >= 15, "{}", provinces.len());
    assert!(m.check_references().is_empty());
}

#[test]
fn lenient_loading_reports_each_bad_record_with_line_and_field() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bad_postings.jsonl");
    let loaded = Loader::new(esco()).mode(LoadMode::Lenient).postings_file(path).unwrap();
    let ids: Vec<_> = loaded.records.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["ok-1", "ok-2"]);
    let got: Vec<(u64, Option<String>)> =
        loaded.errors.iter().map(|e| (e.position().line.unwrap(), e.position().field.clone())).collect();
    let field = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        vec![
            (3, None),
            (4, field("educaton")),
            (5, field("requirements[1].skill")),
            (6, field("location.regency")),
            (7, field("salary")),
            (8, field("id")),
            (9, field("posted")),
            (12, None),
        ]
    );
    assert!(loaded.errors.iter().all(|e| e.position().file.as_deref() == Some(std::path::Path::new(path))));
    assert!(loaded.errors[1].to_string().contains("unknown field `educaton`"), "{}", loaded.errors[1]);
    assert!(matches!(loaded.errors[5].kind(), ErrorKind::Duplicate(_)));
    assert!(matches!(loaded.errors[7].kind(), ErrorKind::InvalidUtf8));
    // Strict mode stops at the first.
    let err = Loader::new(esco()).postings_file(path).unwrap_err();
    assert_eq!(err.position().line, Some(3));
}

#[test]
fn written_records_read_back_identically() {
    let t = esco();
    let m = Market::sample(t).unwrap();
    let w = Writer::new(t);
    let mut buf = Vec::new();
    for p in &m.postings {
        w.posting(&mut buf, p).unwrap();
    }
    let back = Loader::new(t).postings(&buf[..], "mem").unwrap().records;
    assert_eq!(back, m.postings);
    let mut buf = Vec::new();
    for c in &m.candidates {
        w.candidate(&mut buf, c).unwrap();
    }
    assert_eq!(Loader::new(t).candidates(&buf[..], "mem").unwrap().records, m.candidates);
    let mut buf = Vec::new();
    for c in &m.courses {
        w.course(&mut buf, c).unwrap();
    }
    assert_eq!(Loader::new(t).courses(&buf[..], "mem").unwrap().records, m.courses);
    let mut buf = Vec::new();
    for s in &m.schemes {
        w.scheme(&mut buf, s).unwrap();
    }
    assert_eq!(Loader::new(t).schemes(&buf[..], "mem").unwrap().records, m.schemes);
}

#[test]
fn generator_is_deterministic_and_valid() {
    let t = esco();
    let g = MarketGenerator::new(t, 7);
    let m = g.market(300, 50, 300);
    assert_eq!(m.postings[123], g.posting(123));
    assert_ne!(MarketGenerator::new(t, 8).posting(123), g.posting(123));
    assert!(m.postings.iter().all(|p| p.requirements.len() >= 3 && p.salary.is_some() && p.location.is_some()));
    assert!(m.candidates.iter().all(|c| !c.skills.is_empty()));
    assert!(m.courses.iter().all(|c| !c.skills.is_empty() && c.hours > 0.0));
    // What it writes, the loader accepts unchanged.
    let w = Writer::new(t);
    let mut buf = Vec::new();
    for p in &m.postings {
        w.posting(&mut buf, p).unwrap();
    }
    assert_eq!(Loader::new(t).postings(&buf[..], "gen").unwrap().records, m.postings);
}

/// Lines are parsed in parallel batches of thousands; errors, duplicates and the streamed
/// order must be exactly those of a line-by-line read across batch boundaries.
#[test]
fn loading_across_parallel_batches_keeps_line_order_and_errors() {
    let mut input = String::new();
    for i in 1..=10_000 {
        let line = match i {
            4_100 => {
                r#"{"id":"bad-skill","title":"T","requirements":[{"skill":"no such skill anywhere"}]}"#.to_string()
            }
            8_200 => r#"{"id":"j10","title":"Duplicate of line 10"}"#.to_string(),
            9_000 => "{not json".to_string(),
            9_001 => "# a comment".to_string(),
            9_002 => "   ".to_string(),
            _ => format!(r#"{{"id":"j{i}","title":"Job {i}"}}"#),
        };
        input.push_str(&line);
        input.push('\n');
    }
    let lenient = Loader::new(esco()).mode(LoadMode::Lenient).postings(input.as_bytes(), "big.jsonl").unwrap();
    assert_eq!(lenient.records.len(), 10_000 - 5);
    let ids: Vec<&str> = lenient.records.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids[0], "j1");
    assert_eq!((ids[4_098], ids[4_099]), ("j4099", "j4101"), "records keep input order across batches");
    assert_eq!(ids.last().copied(), Some("j10000"));
    let lines: Vec<Option<u64>> = lenient.errors.iter().map(|e| e.position().line).collect();
    assert_eq!(lines, vec![Some(4_100), Some(8_200), Some(9_000)]);
    assert_eq!(lenient.errors[0].position().field.as_deref(), Some("requirements[0].skill"));
    assert!(matches!(lenient.errors[1].kind(), ErrorKind::Duplicate(_)), "{}", lenient.errors[1]);
    let strict = Loader::new(esco()).postings(input.as_bytes(), "big.jsonl").unwrap_err();
    assert_eq!(strict.position().line, Some(4_100), "strict mode stops at the first bad line: {strict}");
    // Streaming hands over records one at a time, in order, up to the callback's own error.
    let mut seen = 0usize;
    let stopped = Loader::new(esco())
        .mode(LoadMode::Lenient)
        .for_each_posting(input.as_bytes(), "big.jsonl", |p| {
            seen += 1;
            assert_eq!(p.id, format!("j{}", seen + usize::from(seen >= 4_100)));
            if seen == 5_000 {
                return Err(std::io::Error::other("enough").into());
            }
            Ok(())
        })
        .unwrap_err();
    assert_eq!(seen, 5_000);
    assert!(stopped.to_string().contains("enough"), "{stopped}");
}

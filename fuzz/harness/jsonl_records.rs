//! Every JSON Lines loader (postings, courses, schemes, candidates, enrolments, outcomes, the
//! CLI's texts and titles), strict and lenient, on arbitrary bytes. Invariants: no panic;
//! lenient loading accounts for every non-blank, non-comment line (a record or an error); every
//! error names the file and a line within the input.

use std::sync::OnceLock;

use sepadan::{LoadMode, Loader, Taxonomy};

fn taxonomy() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(|| Taxonomy::esco().unwrap_or_else(|e| panic!("default taxonomy: {e}")))
}

pub fn run(data: &[u8]) {
    let lines = data.split(|&b| b == b'\n').count() as u64;
    let records = data
        .split(|&b| b == b'\n')
        .filter(|l| {
            let t = String::from_utf8_lossy(l);
            let t = t.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .count();
    let lenient = Loader::new(taxonomy()).mode(LoadMode::Lenient);
    let strict = Loader::new(taxonomy());
    let check = |errors: &[sepadan::Error], n_records: usize| {
        assert!(n_records + errors.len() <= records.max(1), "more outcomes than records");
        for e in errors {
            assert!(e.position().file.is_some(), "error without file: {e}");
            let line = e.position().line.unwrap_or(0);
            assert!(line >= 1 && line <= lines, "line {line} outside 1..={lines}: {e}");
        }
    };
    if let Ok(l) = lenient.postings(data, "fuzz.jsonl") {
        assert_eq!(l.records.len() + l.errors.len(), records);
        check(&l.errors, l.records.len());
    }
    if let Ok(l) = lenient.courses(data, "fuzz.jsonl") {
        check(&l.errors, l.records.len());
    }
    if let Ok(l) = lenient.schemes(data, "fuzz.jsonl") {
        check(&l.errors, l.records.len());
    }
    if let Ok(l) = lenient.candidates(data, "fuzz.jsonl") {
        check(&l.errors, l.records.len());
    }
    // Training records: lenient loading accounts for every record, and dates come out in order.
    if let Ok(l) = lenient.enrolments(data, "fuzz.jsonl") {
        assert_eq!(l.records.len() + l.errors.len(), records);
        check(&l.errors, l.records.len());
        for e in &l.records {
            assert!(e.enrolled <= e.start && e.start <= e.end, "dates out of order: {e:?}");
            assert!(e.placed.is_none_or(|p| p >= e.enrolled), "placed before enrolled: {e:?}");
        }
    }
    if let Ok(l) = lenient.outcomes(data, "fuzz.jsonl") {
        assert_eq!(l.records.len() + l.errors.len(), records);
        check(&l.errors, l.records.len());
    }
    // The command line's inputs: every record accounted for, titles never blank.
    if let Ok(l) = lenient.texts(data, "fuzz.jsonl") {
        assert_eq!(l.records.len() + l.errors.len(), records);
        check(&l.errors, l.records.len());
    }
    if let Ok(l) = lenient.titles(data, "fuzz.jsonl") {
        assert_eq!(l.records.len() + l.errors.len(), records);
        check(&l.errors, l.records.len());
        assert!(l.records.iter().all(|r| !r.title.trim().is_empty()), "a blank title loaded");
    }
    if let Err(e) = strict.postings(data, "fuzz.jsonl") {
        check(std::slice::from_ref(&e), 0);
    }
}

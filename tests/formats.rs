//! Every example in docs/FORMATS.md parses with the code, so the document cannot drift.

use sepadan::{LoadMode, Loader, Taxonomy};

use crate::common::esco;

/// Fenced blocks of FORMATS.md as (info string, body).
fn blocks() -> Vec<(String, String)> {
    let doc = include_str!("../docs/FORMATS.md");
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        if let Some(info) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some((info.trim().to_string(), String::new())),
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

#[test]
fn formats_doc_examples_parse() {
    let t = esco();
    let loader = Loader::new(t);
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let mut builder = Some(Taxonomy::builder("doc examples"));
    for (info, body) in blocks() {
        let n = match info.as_str() {
            "jsonl posting" => loader.postings(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "jsonl course" => loader.courses(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "jsonl scheme" => loader.schemes(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "jsonl candidate" => loader.candidates(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "jsonl enrolment" => loader.enrolments(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "jsonl outcome" => loader.outcomes(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "jsonl text" => loader.texts(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "jsonl title" => loader.titles(body.as_bytes(), "FORMATS.md").unwrap().records.len(),
            "csv concepts" => {
                let b = builder.as_mut().unwrap();
                assert!(b.add_concepts_csv(body.as_bytes(), "FORMATS.md", LoadMode::Strict).unwrap().is_empty());
                body.lines().count() - 1
            }
            "csv labels" => {
                let b = builder.as_mut().unwrap();
                b.add_labels_csv(body.as_bytes(), "FORMATS.md", LoadMode::Strict).unwrap();
                body.lines().count() - 1
            }
            "csv relations" => {
                let b = builder.as_mut().unwrap();
                b.add_relations_csv(body.as_bytes(), "FORMATS.md", LoadMode::Strict).unwrap();
                body.lines().count() - 1
            }
            _ => continue,
        };
        assert!(n > 0, "empty example block `{info}`");
        *seen.entry(info).or_default() += n;
    }
    for kind in [
        "jsonl posting",
        "jsonl course",
        "jsonl scheme",
        "jsonl candidate",
        "jsonl enrolment",
        "jsonl outcome",
        "jsonl text",
        "jsonl title",
        "csv concepts",
        "csv labels",
        "csv relations",
    ] {
        assert!(seen.contains_key(kind), "FORMATS.md has no `{kind}` example");
    }
    let custom = builder.take().unwrap().build().unwrap();
    assert!(custom.skill_count() > 0 && custom.occupation_count() > 0);
}

//! Skill extraction on arbitrary bytes (lossy-decoded), as each document kind. Invariants: no
//! panic; every mention's span lies inside the text on char boundaries and `surface` is that
//! span; confidence is finite and in (0, 1]; at most one mention per skill. Facts: flag spans
//! valid, salary min ≤ max. Titles: at most `top` occupations, ranked, scores in (0, 1].

use std::sync::OnceLock;

use sepadan::{DocumentKind, ExtractOptions, Extractor, Taxonomy};

fn extractor() -> &'static (Taxonomy, Extractor) {
    static E: OnceLock<(Taxonomy, Extractor)> = OnceLock::new();
    E.get_or_init(|| {
        let t = Taxonomy::esco().unwrap_or_else(|e| panic!("default taxonomy: {e}"));
        let ex = Extractor::new(&t);
        (t, ex)
    })
}

pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (t, ex) = extractor();
    for kind in [DocumentKind::Posting, DocumentKind::Course, DocumentKind::Profile] {
        let e = ex.extract_with(&text, ExtractOptions { kind, ..ExtractOptions::default() });
        let mut seen = std::collections::HashSet::new();
        for m in &e.mentions {
            assert!(m.start < m.end && m.end <= text.len(), "bad span {m:?}");
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end), "span off char boundary {m:?}");
            assert_eq!(&text[m.start..m.end], m.surface);
            assert!(m.confidence.is_finite() && m.confidence > 0.0 && m.confidence <= 1.0, "confidence {m:?}");
            assert!(seen.insert(m.skill), "two mentions of one skill");
            assert!(t.skill(m.skill).is_some());
            assert_eq!(m.required.is_some(), kind == DocumentKind::Posting);
        }
        assert!(!e.truncated || text.len() > sepadan::MAX_TEXT_BYTES);
    }
    let facts = ex.facts(&text);
    for f in &facts.flags {
        assert!(
            f.start <= f.end && f.end <= text.len() && text.is_char_boundary(f.start) && text.is_char_boundary(f.end)
        );
    }
    if let Some(s) = facts.salary {
        assert!(s.min <= s.max, "salary {s:?}");
    }
    let first_line = text.lines().next().unwrap_or("");
    let ranked = ex.occupations_for_title(first_line, Some(&text), 5);
    assert!(ranked.len() <= 5);
    for w in ranked.windows(2) {
        assert!(w[0].score >= w[1].score, "not ranked");
    }
    for r in &ranked {
        assert!(r.score.is_finite() && r.score > 0.0 && r.score <= 1.0, "score {r:?}");
        assert!(t.occupation(r.occupation).is_some());
    }
}

//! The bilingual analyzer on arbitrary bytes (lossy-decoded). Invariants: no panic; every token
//! span lies inside the text on char boundaries and is non-empty; positions increase by one;
//! token text is never empty; segments tile the text.

use std::sync::OnceLock;

fn analyzer() -> &'static sepadan::Analyzer {
    static A: OnceLock<sepadan::Analyzer> = OnceLock::new();
    A.get_or_init(sepadan::Analyzer::new)
}

pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let a = analyzer();
    let tokens = a.analyze(&text);
    for (expected_position, t) in tokens.iter().enumerate() {
        assert!(t.start < t.end && t.end <= text.len(), "bad span {t:?}");
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "span off char boundary {t:?}");
        assert!(!t.text.is_empty(), "empty token {t:?}");
        assert_eq!(t.position as usize, expected_position);
    }
    let mut at = 0;
    for s in a.segments(&text) {
        assert_eq!(s.start, at);
        at = s.end;
    }
    assert_eq!(at, text.len());
    let _ = a.analyze_as(&text, sepadan::Lang::En);
}

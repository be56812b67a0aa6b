//! Scoring of the analyzer on `tests/data/id_analysis.tsv` (input, expected search key, note),
//! shared by the test `analysis_quality` and `examples/analysis_eval.rs`.

use sepadan::{Analyzer, AnalyzerOptions};

/// One analyzer configuration's result.
pub struct Score {
    pub name: &'static str,
    pub correct: usize,
    pub total: usize,
    pub misses: Vec<(String, String, String)>,
}

impl Score {
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.total.max(1) as f64
    }
}

/// The configurations compared: plain Snowball (lowercase + Snowball by detected language, no
/// informal spellings, no protected terms), sepadan without protected terms, and sepadan.
pub fn configurations() -> Vec<(&'static str, Analyzer)> {
    let d = AnalyzerOptions::default();
    vec![
        (
            "plain snowball",
            Analyzer::with_options(AnalyzerOptions {
                normalize_informal: false,
                protected_terms: false,
                root_lexicon: false,
                ..d
            }),
        ),
        (
            "snowball + normalisation",
            Analyzer::with_options(AnalyzerOptions { protected_terms: false, root_lexicon: false, ..d }),
        ),
        (
            "snowball + normalisation + root lexicon",
            Analyzer::with_options(AnalyzerOptions { protected_terms: false, ..d }),
        ),
        ("sepadan", Analyzer::new()),
    ]
}

pub fn score(name: &'static str, analyzer: &Analyzer, tsv: &str) -> Score {
    let mut s = Score { name, correct: 0, total: 0, misses: Vec::new() };
    // Stop words analyse to nothing; score them against their normalised form, since the set
    // asks for the search key of every input.
    let unstopped = Analyzer::with_options(AnalyzerOptions { remove_stop_words: false, ..analyzer.options() });
    for line in tsv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut f = line.split('\t');
        let (Some(input), Some(expected)) = (f.next(), f.next()) else { continue };
        let keys: Vec<String> = unstopped.analyze(input).into_iter().map(|t| t.text).collect();
        let got = keys.join(" ");
        s.total += 1;
        if got == expected.trim() {
            s.correct += 1;
        } else {
            s.misses.push((input.to_string(), expected.to_string(), got));
        }
    }
    s
}

//! Quality of the Indonesian analysis on the authored test set (tests/data/id_analysis.tsv).

#[path = "eval/analysis.rs"]
mod eval;

#[test]
fn analysis_quality_beats_plain_snowball() {
    let tsv = include_str!("data/id_analysis.tsv");
    let scores: Vec<eval::Score> = eval::configurations().iter().map(|(n, a)| eval::score(n, a, tsv)).collect();
    for s in &scores {
        eprintln!("{:40} {}/{} = {:.1}%", s.name, s.correct, s.total, 100.0 * s.accuracy());
    }
    assert!(scores[0].total >= 300, "the test set has at least 300 words");
    let plain = &scores[0];
    let ours = scores.last().unwrap_or_else(|| unreachable!());
    assert!(
        ours.accuracy() > plain.accuracy() + 0.05,
        "sepadan {:.3} must beat plain Snowball {:.3} by a margin",
        ours.accuracy(),
        plain.accuracy()
    );
}

#[test]
fn taxonomy_labels_and_text_analyse_alike() {
    // The same analyzer on an ESCO label and on job-ad text gives the same keys.
    let a = sepadan::Analyzer::new();
    let keys = |s: &str| a.analyze(s).into_iter().map(|t| t.text).collect::<Vec<_>>();
    assert_eq!(keys("Pengelasan"), keys("mengelas"));
    assert_eq!(keys("use welding equipment"), keys("Used welding equipments"));
}

//! Normalisation/stemming quality on the authored Indonesian test set
//! (`tests/data/id_analysis.tsv`), recorded in `docs/EVALUATION.md`.
//!
//! ```text
//! cargo run --release --example analysis_eval [-- --misses]
//! ```

#[path = "../tests/eval/analysis.rs"]
mod eval;

fn main() {
    let tsv = include_str!("../tests/data/id_analysis.tsv");
    let show_misses = std::env::args().any(|a| a == "--misses");
    for (name, analyzer) in eval::configurations() {
        let s = eval::score(name, &analyzer, tsv);
        println!("{:34} {:4} / {:4} = {:.1}%", s.name, s.correct, s.total, 100.0 * s.accuracy());
        if show_misses && name == "sepadan" {
            for (input, expected, got) in &s.misses {
                println!("    {input:20} expected {expected:20} got {got}");
            }
        }
    }
}

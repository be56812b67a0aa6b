//! Fit quality on ESCO, recorded in docs/EVALUATION.md: hide an occupation, give the engine a
//! partial, noisy skill profile of it, rank all 3,007 occupations; MRR, Recall@1, Recall@10
//! against Jaccard and TF-IDF cosine baselines computed on the same profiles.
//!
//! ```text
//! cargo run --release --example fit_eval [-- STRIDE]
//! ```
//! STRIDE (default 1) evaluates every STRIDE-th eligible occupation.

#[path = "../tests/eval/fit.rs"]
mod eval;

fn main() -> Result<(), sepadan::Error> {
    let stride = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let t = sepadan::Taxonomy::esco()?;
    let (ours, jac, tfidf) = eval::evaluate(&t, stride);
    println!("{}", jac.line("baseline: Jaccard over skill sets"));
    println!("{}", tfidf.line("baseline: TF-IDF cosine over skill ids"));
    println!("{}", ours.line("sepadan fit (skills only)"));
    Ok(())
}

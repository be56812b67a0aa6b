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

/// The embedding dimension evaluated (recorded in docs/EVALUATION.md).
const EMBEDDING_DIM: usize = 300;

fn main() -> Result<(), sepadan::Error> {
    let stride = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let t = sepadan::Taxonomy::esco()?;
    let started = std::time::Instant::now();
    let embeddings = sepadan::SkillEmbeddings::learn(&t, EMBEDDING_DIM)?;
    println!("skill embeddings (d={}) learned from ESCO in {:.2} s", embeddings.dim(), started.elapsed().as_secs_f64());
    let r = eval::evaluate(&t, stride, EMBEDDING_DIM);
    println!("{}", r.jaccard.line("baseline: Jaccard over skill sets"));
    println!("{}", r.tfidf.line("baseline: TF-IDF cosine over skill ids"));
    println!("{}", r.fit.line("sepadan fit (skills only)"));
    println!("{}", r.embedding.line(&format!("sepadan skill embeddings (LSA, d={})", EMBEDDING_DIM)));
    println!("{}", r.hybrid.line("sepadan hybrid: fit + embedding cosine"));
    Ok(())
}

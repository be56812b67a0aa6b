//! Skill-extraction quality, recorded in `docs/EVALUATION.md`:
//! the authored Indonesian set (`tests/data/extraction_id.jsonl`, skill-level P/R/F1) and the
//! SkillSpan English training split (`../shared/data/skillspan-train/train.jsonl`, span-level
//! P/R/F1, exact and overlap), each against a plain exact-label-match baseline.
//!
//! ```text
//! cargo run --release --example extraction_eval
//! ```

#[path = "../tests/eval/extraction.rs"]
mod eval;

use sepadan::{DocumentKind, ExtractOptions, Extractor, Taxonomy};

fn main() -> Result<(), sepadan::Error> {
    let t = Taxonomy::esco()?;
    let started = std::time::Instant::now();
    let ex = Extractor::new(&t);
    println!("extractor built in {:.2?}: {ex:?}", started.elapsed());
    let base = eval::ExactLabels::new(&t);

    let (ours, theirs, (req_ok, req_n)) = eval::score_indonesian(&t, &ex, &base, 0.0);
    let (ours_05, _, _) = eval::score_indonesian(&t, &ex, &base, 0.5);
    println!("\nIndonesian set ({} lines), skill level:", eval::indonesian_set().len());
    println!("{}", ours.line("sepadan extractor, all mentions"));
    println!("{}", ours_05.line("sepadan extractor, confidence >= 0.5"));
    println!("{}", theirs.line("baseline: exact label match"));
    let (rel_ours, rel_base) = eval::score_indonesian_related(&t, &ex, &base);
    println!("{}", rel_ours.line("sepadan extractor, taxonomy-neighbour credit"));
    println!("{}", rel_base.line("baseline, taxonomy-neighbour credit"));
    println!("required/optional agrees with gold on {req_ok} of {req_n} true positives");

    let (mrr, p1, n) = eval::score_titles(&t, &ex, false);
    let (mrr_text, p1_text, _) = eval::score_titles(&t, &ex, true);
    let (mrr_base, p1_base, _) = eval::score_titles_baseline(&t);
    println!("\nJob titles of the sample market ({n} postings with an assigned occupation):");
    println!("{:44} MRR@10 {mrr_base:.3}  P@1 {p1_base:.3}", "baseline: word overlap with labels");
    println!("{:44} MRR@10 {mrr:.3}  P@1 {p1:.3}", "sepadan, title only");
    println!("{:44} MRR@10 {mrr_text:.3}  P@1 {p1_text:.3}", "sepadan, title + posting text");

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/skillspan-train/train.jsonl");
    match eval::skillspan(&path) {
        None => println!("\nSkillSpan: {} not found, skipped", path.display()),
        Some(sentences) => {
            let profile = ExtractOptions { kind: DocumentKind::Profile, ..ExtractOptions::default() };
            let confident = ExtractOptions { min_confidence: 0.5, ..profile };
            let (e1, o1) = eval::score_skillspan(&sentences, |s| {
                ex.extract_with(s, profile).mentions.iter().map(|m| (m.start, m.end)).collect()
            });
            let (e3, o3) = eval::score_skillspan(&sentences, |s| {
                ex.extract_with(s, confident).mentions.iter().map(|m| (m.start, m.end)).collect()
            });
            let (e2, o2) =
                eval::score_skillspan(&sentences, |s| base.find(s).iter().map(|&(_, a, b)| (a, b)).collect());
            println!("\nSkillSpan train ({} sentences), span level:", sentences.len());
            println!("{}", e1.line("sepadan extractor, exact span"));
            println!("{}", e3.line("sepadan extractor >= 0.5, exact span"));
            println!("{}", e2.line("baseline, exact span"));
            println!("{}", o1.line("sepadan extractor, overlapping span"));
            println!("{}", o3.line("sepadan extractor >= 0.5, overlapping span"));
            println!("{}", o2.line("baseline, overlapping span"));
        }
    }
    Ok(())
}

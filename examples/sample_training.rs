//! Writes the sample market's synthetic training records, `data/sample/enrolments.jsonl` and
//! `data/sample/outcomes.jsonl` (seed 1, 90% participation), so the CLI's `insight` commands
//! and the docs have records to read. A test checks the committed files equal this output.
//!
//! ```text
//! cargo run --release --example sample_training
//! ```

use sepadan::{Market, Taxonomy, TrainingGenerator, Writer};

fn main() -> Result<(), sepadan::Error> {
    let taxonomy = Taxonomy::esco()?;
    let market = Market::sample(&taxonomy)?;
    let data = TrainingGenerator::new(&market.courses, &market.candidates, 1).participation(0.9).generate();
    let writer = Writer::new(&taxonomy);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let mut enrolments = Vec::new();
    for e in &data.enrolments {
        writer.enrolment(&mut enrolments, e)?;
    }
    let mut outcomes = Vec::new();
    for o in &data.outcomes {
        writer.outcome(&mut outcomes, o)?;
    }
    for (name, bytes) in [("enrolments.jsonl", &enrolments), ("outcomes.jsonl", &outcomes)] {
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, dir.join(name))?;
    }
    println!("wrote {} enrolments and {} outcomes to {}", data.enrolments.len(), data.outcomes.len(), dir.display());
    Ok(())
}

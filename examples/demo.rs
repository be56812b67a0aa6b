//! The newcomer's first run: load the default taxonomy and the sample market and look around.
//!
//! ```text
//! cargo run --release --example demo
//! ```

use std::collections::HashMap;
use std::time::Instant;

use sepadan::{Importance, Market, Regions, Taxonomy};

fn main() -> Result<(), sepadan::Error> {
    let started = Instant::now();
    let taxonomy = Taxonomy::esco()?;
    println!(
        "Taxonomy {}: {} skills, {} skill groups, {} occupations, {} occupation-skill links, languages {:?} (loaded in {:.0?})",
        taxonomy.name(),
        taxonomy.skill_count(),
        taxonomy.skill_group_count(),
        taxonomy.occupation_count(),
        taxonomy.occupation_skill_link_count(),
        taxonomy.languages(),
        started.elapsed()
    );

    // An occupation found by its Indonesian job-ad title, with its ESCO profile.
    let welder = taxonomy.resolve_occupation("tukang las")?;
    if let Some(o) = taxonomy.occupation(welder) {
        println!("\n\"tukang las\" → {} / {} (ISCO/KBJI {})", o.label("id"), o.label("en"), o.kbji_code());
        println!("  essential skills ({}):", o.essential_skills().len());
        for &s in o.essential_skills().iter().take(6) {
            if let Some(s) = taxonomy.skill(s) {
                println!("    - {} / {}", s.label("id"), s.label("en"));
            }
        }
    }

    let market = Market::sample(&taxonomy)?;
    let regions = Regions::indonesia();
    println!(
        "\nSample market: {} postings, {} courses, {} certification schemes, {} candidates",
        market.postings.len(),
        market.courses.len(),
        market.schemes.len(),
        market.candidates.len()
    );

    // Where the jobs are.
    let mut by_province: HashMap<String, usize> = HashMap::new();
    for p in &market.postings {
        let name = p.location.and_then(|l| regions.province(l.province)).unwrap_or("remote");
        *by_province.entry(name.to_string()).or_default() += 1;
    }
    let mut by_province: Vec<_> = by_province.into_iter().collect();
    by_province.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\nPostings by province (top 5):");
    for (name, n) in by_province.iter().take(5) {
        println!("  {n:3}  {name}");
    }

    // The skills employers ask for most, and how many candidates and courses have them.
    let mut demand: HashMap<sepadan::SkillId, usize> = HashMap::new();
    for p in &market.postings {
        for r in p.requirements.iter().filter(|r| r.importance == Importance::Essential) {
            *demand.entry(r.skill).or_default() += 1;
        }
    }
    let mut demand: Vec<_> = demand.into_iter().collect();
    demand.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\nMost demanded skills (essential in postings / held by candidates / taught by courses):");
    for (skill, n) in demand.iter().take(8) {
        let held = market.candidates.iter().filter(|c| c.skills.iter().any(|s| s.skill == *skill)).count();
        let taught = market.courses.iter().filter(|c| c.skills.iter().any(|s| s.skill == *skill)).count();
        let label = taxonomy.skill(*skill).map(|s| s.label("id")).unwrap_or("?");
        println!("  {n:3} / {held:3} / {taught:3}  {label}");
    }

    // Skills read from a posting's text, the way extraction sees it.
    let extractor = sepadan::Extractor::new(&taxonomy);
    if let Some(p) = market.postings.iter().find(|p| p.description.contains("Kualifikasi")) {
        println!("\nSkills extracted from the text of \"{}\" ({}):", p.title, p.id);
        for m in extractor.extract(&format!("{}\n{}", p.title, p.description)).mentions.iter().take(8) {
            let label = taxonomy.skill(m.skill).map(|s| s.label("id")).unwrap_or("?");
            let required = if m.required == Some(false) { "a plus" } else { "required" };
            println!("  {:.2}  {required:8}  \"{}\" → {label}", m.confidence, m.surface);
        }
    }
    Ok(())
}

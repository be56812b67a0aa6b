//! Coverage of the Indonesian labels shipped in `data/labels/id/`, recorded in
//! `docs/EVALUATION.md`.
//!
//! ```text
//! cargo run --release --example label_coverage
//! ```
//! Prints: occupations and skills with an Indonesian preferred label, the share of ESCO
//! occupation–skill links (all and essential) whose skill has one, coverage of the transversal,
//! language and digital collections, and Indonesian labels shared by several concepts (which
//! label lookup reports as ambiguous unless one concept has it as its preferred label).

use std::collections::HashMap;

use sepadan::{Collection, Concept, LabelKind, Taxonomy};

fn pct(a: usize, b: usize) -> String {
    format!("{a} / {b} ({:.1}%)", 100.0 * a as f64 / b.max(1) as f64)
}

fn main() -> Result<(), sepadan::Error> {
    let t = Taxonomy::esco()?;
    let occ_id = t.occupations().filter(|o| o.preferred_label("id").is_some()).count();
    let has_id = |s: sepadan::SkillId| t.skill(s).and_then(|s| s.preferred_label("id")).is_some();
    let skills_id = t.skills().filter(|s| has_id(s.id())).count();
    let id_labels: usize = t
        .skills()
        .map(|s| s.labels().filter(|l| l.lang == "id").count())
        .chain(t.occupations().map(|o| o.labels().filter(|l| l.lang == "id").count()))
        .sum();
    println!("Indonesian labels: {id_labels}");
    println!("occupations with an id preferred label: {}", pct(occ_id, t.occupation_count()));
    println!("skills with an id preferred label:      {}", pct(skills_id, t.skill_count()));
    let (mut links, mut covered, mut ess, mut ess_covered) = (0, 0, 0, 0);
    for o in t.occupations() {
        for (list, essential) in [(o.essential_skills(), true), (o.optional_skills(), false)] {
            for &s in list {
                links += 1;
                let c = has_id(s);
                covered += usize::from(c);
                if essential {
                    ess += 1;
                    ess_covered += usize::from(c);
                }
            }
        }
    }
    println!("occupation-skill links covered:         {}", pct(covered, links));
    println!("essential links covered:                {}", pct(ess_covered, ess));
    for c in [Collection::Transversal, Collection::Language, Collection::Digital] {
        let all: Vec<_> = t.skills().filter(|s| s.in_collection(c)).collect();
        let n = all.iter().filter(|s| has_id(s.id())).count();
        println!("{c:?} collection covered: {}", pct(n, all.len()));
    }
    // Indonesian labels carried by more than one concept.
    let mut by_label: HashMap<String, Vec<(Concept, LabelKind)>> = HashMap::new();
    for s in t.skills() {
        for l in s.labels().filter(|l| l.lang == "id") {
            by_label.entry(sepadan::fold(l.text)).or_default().push((Concept::Skill(s.id()), l.kind));
        }
    }
    for o in t.occupations() {
        for l in o.labels().filter(|l| l.lang == "id") {
            by_label.entry(sepadan::fold(l.text)).or_default().push((Concept::Occupation(o.id()), l.kind));
        }
    }
    let shared: Vec<_> = by_label.iter().filter(|(_, v)| v.len() > 1).collect();
    let ambiguous =
        shared.iter().filter(|(_, v)| v.iter().filter(|(_, k)| *k == LabelKind::Preferred).count() != 1).count();
    println!(
        "id labels shared by several concepts: {} (reported as ambiguous by lookup: {ambiguous}; {} resolve to the one concept that prefers them)",
        shared.len(),
        shared.len() - ambiguous
    );
    Ok(())
}

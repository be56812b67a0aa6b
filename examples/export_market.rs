//! Writes a seeded synthetic market as JSON Lines in the formats of `docs/FORMATS.md`: the input
//! of the end-to-end `sepadan match` benchmark and its scipy baseline.
//!
//! ```text
//! cargo run --release --example export_market -- POSTINGS CANDIDATES DIR [SEED]
//! ```
//!
//! Writes `DIR/postings.jsonl` and `DIR/candidates.jsonl` (skills as ESCO URIs with their
//! English labels, no free text), sized as issue 6's end-to-end benchmark asks: postings of
//! 8–25 requirements, essential and optional, and candidates of 5–40 skills. Records start from
//! `MarketGenerator` (occupation, place, salary, education, levels); a posting is then topped
//! up from its occupation's ESCO profile (essential skills as essential, optional as optional)
//! and, when the profile is too small, with another occupation's essential skills as optional;
//! a candidate is topped up with the essential skills of a second occupation (people change
//! trades). Seed 21 unless given.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use sepadan::{CandidateSkill, Evidence, Level, MarketGenerator, OccupationId, Requirement, SkillId, Taxonomy, Writer};

/// SplitMix64: the sizes and top-ups are seeded per record, independent of record order.
fn mix(seed: u64, kind: u64, index: u64) -> u64 {
    let mut z = seed ^ kind.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Essential skills of the `n`-th occupation (any occupation, by a hash).
fn other_profile(taxonomy: &Taxonomy, occupations: &[OccupationId], h: u64) -> Vec<SkillId> {
    let o = occupations[(h % occupations.len() as u64) as usize];
    taxonomy.occupation(o).map(|o| o.essential_skills().to_vec()).unwrap_or_default()
}

fn main() -> Result<(), sepadan::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || sepadan::Error::from(std::io::Error::other("usage: export_market POSTINGS CANDIDATES DIR [SEED]"));
    let number = |i: usize| args.get(i).and_then(|a| a.replace('_', "").parse::<u64>().ok());
    let (Some(postings), Some(candidates), Some(dir)) = (number(0), number(1), args.get(2)) else {
        return Err(usage());
    };
    let seed = number(3).unwrap_or(21);
    let taxonomy = Taxonomy::esco()?;
    let generator = MarketGenerator::new(&taxonomy, seed).with_text(false);
    let writer = Writer::new(&taxonomy);
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir)?;
    let occupations: Vec<OccupationId> =
        taxonomy.occupations().filter(|o| !o.essential_skills().is_empty()).map(|o| o.id()).collect();
    let mut out = BufWriter::new(File::create(dir.join("postings.jsonl"))?);
    for i in 0..postings {
        let mut p = generator.posting(i);
        let h = mix(seed, 1, i);
        let target = 8 + (h % 18) as usize;
        let profile = p.occupation.and_then(|o| taxonomy.occupation(o));
        let mut pool: Vec<(SkillId, bool)> = profile
            .map(|o| {
                let ess = o.essential_skills().iter().map(|&s| (s, true));
                ess.chain(o.optional_skills().iter().map(|&s| (s, false))).collect()
            })
            .unwrap_or_default();
        pool.extend(other_profile(&taxonomy, &occupations, h >> 8).into_iter().map(|s| (s, false)));
        for (s, essential) in pool {
            if p.requirements.len() >= target {
                break;
            }
            if p.requirements.iter().all(|r| r.skill != s) {
                p.requirements.push(if essential { Requirement::essential(s) } else { Requirement::optional(s) });
            }
        }
        writer.posting(&mut out, &p)?;
    }
    out.flush()?;
    let mut out = BufWriter::new(File::create(dir.join("candidates.jsonl"))?);
    let levels = [Level::Basic, Level::Intermediate, Level::Advanced];
    for i in 0..candidates {
        let mut c = generator.candidate(i);
        let h = mix(seed, 2, i);
        let target = 5 + (h % 36) as usize;
        for (n, s) in other_profile(&taxonomy, &occupations, h >> 8).into_iter().enumerate() {
            if c.skills.len() >= target {
                break;
            }
            if c.skills.iter().all(|k| k.skill != s) {
                let level = levels[(h >> (16 + n % 40)) as usize % levels.len()];
                c.skills.push(CandidateSkill { skill: s, level, evidence: Evidence::SelfDeclared });
            }
        }
        writer.candidate(&mut out, &c)?;
    }
    out.flush()?;
    println!("wrote {postings} postings and {candidates} candidates to {}", dir.display());
    Ok(())
}

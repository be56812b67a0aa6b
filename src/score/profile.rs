//! Sparse skill-profile vectors: a candidate's skills as a unit vector over the taxonomy, with
//! related skills smeared in at the fit engine's related-skill credits. They compare people
//! with people (the comparison group of training evaluation, "similar job seekers"), where the
//! fit score, which is asymmetric by design, does not apply.

use rustc_hash::FxHashMap;

use super::FitScorer;
use crate::model::{Candidate, Evidence, Level};
use crate::taxonomy::SkillId;

/// A candidate's skills as a sparse unit vector (entries sorted by skill id).
///
/// A held skill weighs `level / 4`, raised by a quarter when certified and an eighth when a
/// course was completed (evidence makes a skill more certain, not different). Each related
/// skill of a held one gets the held weight times the scorer's related-skill credit (the
/// largest such contribution per skill), so two welders with different but related welding
/// skills are close. The vector is L2-normalised; an empty profile is the zero vector.
///
/// ```
/// use sepadan::{Candidate, CandidateSkill, Evidence, FitScorer, Level, SkillProfile, Taxonomy};
/// let taxonomy = Taxonomy::esco_english()?;
/// let scorer = FitScorer::new(&taxonomy);
/// let weld = taxonomy.resolve_skill("use welding equipment")?;
/// let mut a = Candidate::new("a");
/// a.skills.push(CandidateSkill { skill: weld, level: Level::Advanced, evidence: Evidence::Certified });
/// let pa = SkillProfile::of(&scorer, &a);
/// assert!((pa.cosine(&pa) - 1.0).abs() < 1e-6);
/// assert_eq!(pa.cosine(&SkillProfile::of(&scorer, &Candidate::new("b"))), 0.0);
/// # Ok::<(), sepadan::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SkillProfile {
    entries: Vec<(SkillId, f32)>,
}

fn held_weight(level: Level, evidence: Evidence) -> f32 {
    let boost = match evidence {
        Evidence::SelfDeclared => 1.0,
        Evidence::CourseCompleted => 1.125,
        Evidence::Certified => 1.25,
    };
    f32::from(level.number()) / 4.0 * boost
}

impl SkillProfile {
    /// The profile of a candidate under a scorer's related-skill credits.
    pub fn of(scorer: &FitScorer, candidate: &Candidate) -> SkillProfile {
        let mut m: FxHashMap<SkillId, f32> = FxHashMap::default();
        for s in &candidate.skills {
            let w = held_weight(s.level, s.evidence);
            let e = m.entry(s.skill).or_insert(0.0);
            *e = e.max(w);
        }
        let held: Vec<(SkillId, f32)> = m.iter().map(|(&k, &v)| (k, v)).collect();
        for (skill, w) in held {
            for &(related, credit, _) in scorer.related_skills(skill) {
                let e = m.entry(related).or_insert(0.0);
                *e = e.max(w * credit);
            }
        }
        let mut entries: Vec<(SkillId, f32)> = m.into_iter().filter(|&(_, w)| w > 0.0).collect();
        entries.sort_unstable_by_key(|&(s, _)| s);
        let norm = entries.iter().map(|&(_, w)| f64::from(w) * f64::from(w)).sum::<f64>().sqrt();
        if norm > 0.0 {
            for e in &mut entries {
                e.1 = (f64::from(e.1) / norm) as f32;
            }
        }
        SkillProfile { entries }
    }

    /// The non-zero entries, sorted by skill id.
    pub fn entries(&self) -> &[(SkillId, f32)] {
        &self.entries
    }

    /// Whether the profile is empty (the candidate holds no skill).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Cosine similarity in `[0, 1]` (both vectors are non-negative unit vectors; 0 when
    /// either is empty).
    pub fn cosine(&self, other: &SkillProfile) -> f32 {
        let (a, b) = (&self.entries, &other.entries);
        let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot.clamp(0.0, 1.0)
    }
}

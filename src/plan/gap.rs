//! Gap analysis: what a candidate lacks for one posting, an occupation or a set of targets.

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::model::{Candidate, Evidence, JobPosting, Level, Requirement};
use crate::score::{FitScorer, HeldSkills, MatchEngine, MatchFilters};
use crate::taxonomy::{Importance, OccupationId, SkillId, Taxonomy};

/// Why a skill is in a gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GapKind {
    /// The candidate does not hold the skill (a related skill may earn part of its credit).
    Missing,
    /// The candidate holds the skill below the level a target asks for.
    UnderLevel,
}

/// One skill in a gap.
#[derive(Clone, Debug, PartialEq)]
pub struct GapSkill {
    /// The skill.
    pub skill: SkillId,
    /// Missing or under level.
    pub kind: GapKind,
    /// The level the candidate holds (`None` when missing).
    pub held_level: Option<Level>,
    /// The highest level any target asks for (`None` when no target states one).
    pub required_level: Option<Level>,
    /// What the skill costs the candidate's score, averaged over the targets (targets that do
    /// not ask for it count as 0): the mean rise in score if the candidate held it at the
    /// required level.
    pub cost: f32,
    /// How many targets ask for it.
    pub required_by: usize,
    /// How many of those ask for it as essential.
    pub essential_in: usize,
}

/// A skill the candidate holds only on their own word although targets ask for it: a
/// certification scheme can turn it into a certified one.
#[derive(Clone, Debug, PartialEq)]
pub struct UncertifiedSkill {
    /// The skill.
    pub skill: SkillId,
    /// The level the candidate claims.
    pub held_level: Level,
    /// The highest level any target asks for.
    pub required_level: Option<Level>,
    /// How many targets ask for it.
    pub required_by: usize,
}

/// What separates a candidate from a set of targets (postings or an occupation profile).
///
/// Built from the fit scorer's explanation of each target, so a skill's cost is exactly what
/// the score explanation reports, averaged over the targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// How many targets the gap was measured against.
    pub targets: usize,
    /// The candidate's mean fit score over the targets.
    pub mean_score: f32,
    /// Missing and under-level skills, costliest first (ties by skill id).
    pub skills: Vec<GapSkill>,
    /// Held skills the targets ask for that only the candidate vouches for, most asked first.
    pub uncertified: Vec<UncertifiedSkill>,
}

impl Gap {
    /// The gap to one posting.
    pub fn for_posting(scorer: &FitScorer, candidate: &Candidate, posting: &JobPosting) -> Gap {
        Gap::for_postings(scorer, candidate, std::slice::from_ref(posting))
    }

    /// The gap to a set of target postings (for example a candidate's top 50 in their region,
    /// see [`Gap::for_top_matches`]). An empty set gives an empty gap.
    pub fn for_postings<'p>(
        scorer: &FitScorer,
        candidate: &Candidate,
        postings: impl IntoIterator<Item = &'p JobPosting>,
    ) -> Gap {
        let held = HeldSkills::of(candidate);
        let by_skill: FxHashMap<SkillId, (Level, Evidence)> =
            candidate.skills.iter().map(|s| (s.skill, (s.level, s.evidence))).collect();
        let mut gaps: FxHashMap<SkillId, GapSkill> = FxHashMap::default();
        let mut uncertified: FxHashMap<SkillId, UncertifiedSkill> = FxHashMap::default();
        let (mut targets, mut score_sum) = (0usize, 0.0f64);
        for posting in postings {
            targets += 1;
            let fit = scorer.evaluate(&held, candidate, posting, true);
            score_sum += f64::from(fit.score);
            for m in &fit.missing {
                let held_level = by_skill.get(&m.skill).map(|h| h.0);
                let entry = gaps.entry(m.skill).or_insert(GapSkill {
                    skill: m.skill,
                    kind: if held_level.is_some() { GapKind::UnderLevel } else { GapKind::Missing },
                    held_level,
                    required_level: None,
                    cost: 0.0,
                    required_by: 0,
                    essential_in: 0,
                });
                entry.cost += m.cost;
                entry.required_by += 1;
                entry.essential_in += usize::from(m.importance == Importance::Essential);
                entry.required_level = entry.required_level.max(m.required_level);
            }
            for r in &posting.requirements {
                let Some(&(level, Evidence::SelfDeclared)) = by_skill.get(&r.skill) else {
                    continue;
                };
                if r.min_level.is_some_and(|need| level < need) {
                    continue; // under level: in the gap proper
                }
                let entry = uncertified.entry(r.skill).or_insert(UncertifiedSkill {
                    skill: r.skill,
                    held_level: level,
                    required_level: None,
                    required_by: 0,
                });
                entry.required_by += 1;
                entry.required_level = entry.required_level.max(r.min_level);
            }
        }
        let mut skills: Vec<GapSkill> = gaps.into_values().collect();
        if targets > 0 {
            for s in &mut skills {
                s.cost /= targets as f32;
            }
        }
        skills.sort_by(|a, b| b.cost.total_cmp(&a.cost).then(a.skill.cmp(&b.skill)));
        let mut uncertified: Vec<UncertifiedSkill> = uncertified.into_values().collect();
        uncertified.sort_by(|a, b| b.required_by.cmp(&a.required_by).then(a.skill.cmp(&b.skill)));
        let mean_score = if targets > 0 { (score_sum / targets as f64) as f32 } else { 0.0 };
        Gap { targets, mean_score, skills, uncertified }
    }

    /// The gap to an occupation's ESCO profile: its essential and optional skills as the
    /// requirements of a posting with no other conditions.
    pub fn for_occupation(
        taxonomy: &Taxonomy,
        scorer: &FitScorer,
        candidate: &Candidate,
        occupation: OccupationId,
    ) -> Result<Gap> {
        let occ = taxonomy
            .occupation(occupation)
            .ok_or_else(|| Error::invalid("occupation id is not from this taxonomy").in_field("occupation"))?;
        let mut profile = JobPosting::new(occ.uri(), occ.label("en"));
        profile.occupation = Some(occupation);
        profile.requirements = occ
            .essential_skills()
            .iter()
            .map(|&s| Requirement::essential(s))
            .chain(occ.optional_skills().iter().map(|&s| Requirement::optional(s)))
            .collect();
        Ok(Gap::for_posting(scorer, candidate, &profile))
    }

    /// The gap to the candidate's `k` best matches under `filters` (typically their province):
    /// the skills that stand between them and the jobs they are closest to. Errors as
    /// [`MatchEngine::jobs_for_candidate`] does (a candidate it refuses, `k` over its limit).
    pub fn for_top_matches(
        engine: &MatchEngine,
        candidate: &Candidate,
        k: usize,
        filters: &MatchFilters,
    ) -> crate::error::Result<Gap> {
        let top = engine.jobs_for_candidate(candidate, k, filters)?;
        let postings = engine.postings();
        Ok(Gap::for_postings(engine.scorer(), candidate, top.iter().filter_map(|r| postings.get(r.index))))
    }

    /// The same gap keeping only the `n` costliest skills (the uncertified list is kept).
    pub fn top(mut self, n: usize) -> Gap {
        self.skills.truncate(n);
        self
    }

    /// Whether there is nothing to learn.
    pub fn is_closed(&self) -> bool {
        self.skills.is_empty()
    }
}

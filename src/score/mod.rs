//! The fit engine: how well a candidate fits a job, why, and the best matches in both
//! directions.
//!
//! ## The score
//!
//! Every requirement `r` (weight `w_r`) earns a credit `c_r` in `[0, 1]`:
//!
//! * held exactly: `c_r = level(held, required)`, where `level = 1` when the held level reaches
//!   the required one, else `1 − level_penalty × (required − held) / required`;
//! * not held, but a related skill `h` is: `c_r = relation(h, r) × level(held h, required)`, the
//!   best over the candidate's skills, with documented relation credits ([`RelatedCredit`]):
//!   a narrower skill (the candidate holds a specific form of the general requirement) 0.9,
//!   an ESCO essential skill–skill relation 0.6, an optional one 0.4, a broader skill 0.5, a
//!   sibling under a small common parent 0.3;
//! * otherwise 0.
//!
//! Essential coverage is `Σ w c / Σ w` over essential requirements, optional coverage the same
//! over optional ones. Non-skill components are each in `[0, 1]`: location (same regency or
//! province 1; elsewhere 0.5 when the candidate will relocate, else 0; remote jobs 1), education
//! (meets the minimum 1, else 0), experience (`min(1, held / required)`), salary (`min(1, offer
//! max / expectation)`). The fit is the weighted mean of the components that apply to the pair
//! ([`FitWeights`]); a component that does not apply (no optional requirements, no salary stated)
//! drops out rather than counting as a perfect score.
//!
//! The credit of a requirement is a maximum over the candidate's skills, so holding another
//! skill or a higher level never lowers a score, and a requirement the candidate lacks never
//! raises one. Evidence (certified, course completed, self-declared) does not change the exact
//! score, so a candidate who holds every requirement at the required level scores 1 on skills
//! whatever the evidence; it is reported, and orders otherwise equal candidates.

mod batch;
mod embed;
mod profile;

use std::fmt;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use batch::{MatchEngine, MatchFilters, Ranked};
pub use embed::SkillEmbeddings;
pub use profile::SkillProfile;

use crate::error::{Error, Result};
use crate::model::{Candidate, Evidence, JobPosting, Level, Requirement, Salary};
use crate::taxonomy::{Importance, SkillId, Taxonomy};

/// Weights of the components in the fit score. The defaults sum to 1; any non-negative finite
/// weights work (they are normalised over the components that apply to a pair).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitWeights {
    /// Essential requirements covered (with level and related-skill credit inside).
    pub essential: f32,
    /// Optional requirements covered.
    pub optional: f32,
    /// Same region, or willing to move.
    pub location: f32,
    /// Meets the minimum education.
    pub education: f32,
    /// Years of experience against the minimum.
    pub experience: f32,
    /// Offered salary against the expectation.
    pub salary: f32,
    /// How much a level shortfall costs a held skill (0 = levels ignored, 1 = proportional).
    pub level_penalty: f32,
}

impl Default for FitWeights {
    fn default() -> FitWeights {
        FitWeights {
            essential: 0.55,
            optional: 0.10,
            location: 0.10,
            education: 0.10,
            experience: 0.10,
            salary: 0.05,
            level_penalty: 0.5,
        }
    }
}

impl FitWeights {
    fn check(&self) -> Result<()> {
        let all = [self.essential, self.optional, self.location, self.education, self.experience, self.salary];
        if all.iter().any(|w| !w.is_finite() || *w < 0.0) || all.iter().sum::<f32>() <= 0.0 {
            return Err(Error::invalid("fit weights must be finite, non-negative and not all zero"));
        }
        if !(0.0..=1.0).contains(&self.level_penalty) {
            return Err(Error::invalid("level_penalty must be in [0, 1]").with_value(&self.level_penalty.to_string()));
        }
        Ok(())
    }
}

/// Credit for holding a related skill instead of the required one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RelatedCredit {
    /// The candidate holds a narrower (more specific) skill than the requirement.
    pub narrower: f32,
    /// ESCO says the requirement needs the held skill as essential (or vice versa).
    pub essential_relation: f32,
    /// ESCO says the requirement needs the held skill as optional (or vice versa).
    pub optional_relation: f32,
    /// The candidate holds the broader skill the requirement specialises.
    pub broader: f32,
    /// Both skills sit under one parent with at most `sibling_max_children` children.
    pub sibling: f32,
    /// Parents with more children than this (big hierarchy groups) give no sibling credit.
    pub sibling_max_children: usize,
}

impl Default for RelatedCredit {
    fn default() -> RelatedCredit {
        RelatedCredit {
            narrower: 0.9,
            essential_relation: 0.6,
            optional_relation: 0.4,
            broader: 0.5,
            sibling: 0.3,
            sibling_max_children: 40,
        }
    }
}

/// How a related skill relates to a requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The held skill is narrower than the requirement.
    Narrower,
    /// ESCO relates the two skills (essential).
    EssentialRelation,
    /// ESCO relates the two skills (optional).
    OptionalRelation,
    /// The held skill is broader than the requirement.
    Broader,
    /// Both share a small parent.
    Sibling,
}

/// A requirement the candidate holds.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchedSkill {
    /// The skill.
    pub skill: SkillId,
    /// Essential or optional.
    pub importance: Importance,
    /// The level asked for, if any.
    pub required_level: Option<Level>,
    /// The level held.
    pub held_level: Level,
    /// How the candidate's skill is known.
    pub evidence: Evidence,
    /// What this requirement adds to the fit score.
    pub contribution: f32,
}

/// A requirement covered through a related skill.
#[derive(Clone, Debug, PartialEq)]
pub struct PartialSkill {
    /// The required skill.
    pub skill: SkillId,
    /// Essential or optional.
    pub importance: Importance,
    /// The candidate's skill that earns the credit.
    pub via: SkillId,
    /// How the two relate.
    pub relation: Relation,
    /// The requirement's credit in `[0, 1]`.
    pub credit: f32,
    /// What this requirement adds to the fit score.
    pub contribution: f32,
}

/// A requirement the candidate lacks (or holds below the level).
#[derive(Clone, Debug, PartialEq)]
pub struct MissingSkill {
    /// The required skill.
    pub skill: SkillId,
    /// Essential or optional.
    pub importance: Importance,
    /// The level asked for, if any.
    pub required_level: Option<Level>,
    /// How much the fit score would rise if the candidate held it at the required level.
    pub cost: f32,
}

/// A hard constraint the pair fails.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// The candidate's education is below the minimum.
    Education {
        /// What the job asks.
        required: crate::Education,
        /// What the candidate has (`None`: not stated).
        held: Option<crate::Education>,
    },
    /// The job is in another province, not remote, and the candidate will not relocate.
    Location,
    /// The job's employment type is not one the candidate accepts.
    EmploymentType,
}

/// The components of a fit score, each in `[0, 1]`, `None` when it does not apply.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Components {
    /// Essential coverage.
    pub essential: Option<f32>,
    /// Optional coverage.
    pub optional: Option<f32>,
    /// Mean level factor over requirements held exactly (diagnostic; inside the coverages).
    pub level_fit: Option<f32>,
    /// Share of the skill credit earned through related skills (diagnostic).
    pub related_credit: Option<f32>,
    /// Location.
    pub location: Option<f32>,
    /// Education.
    pub education: Option<f32>,
    /// Experience.
    pub experience: Option<f32>,
    /// Salary.
    pub salary: Option<f32>,
}

/// An explained fit score.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The score in `[0, 1]`.
    pub score: f32,
    /// Its components.
    pub components: Components,
    /// Requirements held, best contribution first.
    pub matched: Vec<MatchedSkill>,
    /// Requirements covered through related skills.
    pub partial: Vec<PartialSkill>,
    /// Requirements missing or under level, costliest first: what to learn next.
    pub missing: Vec<MissingSkill>,
    /// Hard constraints failed.
    pub constraints: Vec<Constraint>,
    /// Mean evidence strength of the matched skills (0 self-declared … 1 certified).
    pub evidence: f32,
    /// Total skill credit in requirement-weight units (Σ credit × weight): how much of the
    /// candidate's skill set the job uses. Orders equal scores (of two jobs a candidate fully
    /// covers, the one using more of their skills first).
    pub credit: f32,
}

impl Fit {
    /// Whether no hard constraint fails.
    pub fn eligible(&self) -> bool {
        self.constraints.is_empty()
    }
}

/// A candidate's skills by id, built once and reused across many jobs.
#[derive(Clone, Debug, Default)]
pub(crate) struct HeldSkills(FxHashMap<SkillId, (Level, Evidence)>);

impl HeldSkills {
    pub(crate) fn of(c: &Candidate) -> HeldSkills {
        HeldSkills(c.skills.iter().map(|s| (s.skill, (s.level, s.evidence))).collect())
    }

    /// The level and evidence of a held skill.
    pub(crate) fn get(&self, skill: SkillId) -> Option<(Level, Evidence)> {
        self.0.get(&skill).copied()
    }

    /// Adds a skill, or raises the level and evidence of a held one (what training does).
    pub(crate) fn learn(&mut self, skill: SkillId, level: Level, evidence: Evidence) {
        let e = self.0.entry(skill).or_insert((level, evidence));
        *e = (e.0.max(level), e.1.max(evidence));
    }
}

/// A skill that earns credit for a requirement when held instead of it: the skill, its credit
/// and how it relates.
type RelatedSkill = (SkillId, f32, Relation);

/// Scores candidate–job pairs with explanations. Build once per taxonomy and share.
pub struct FitScorer {
    weights: FitWeights,
    related_credit: RelatedCredit,
    /// For each skill (by index): related skills and the credit holding them gives.
    related: Vec<Vec<(SkillId, f32, Relation)>>,
}

impl fmt::Debug for FitScorer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FitScorer")
            .field("weights", &self.weights)
            .field("related_credit", &self.related_credit)
            .field("related_pairs", &self.related.iter().map(Vec::len).sum::<usize>())
            .finish()
    }
}

pub(crate) fn level_factor(held: Level, required: Option<Level>, penalty: f32) -> f32 {
    match required {
        Some(req) if held < req => {
            let (h, r) = (f32::from(held.number()), f32::from(req.number()));
            1.0 - penalty * (r - h) / r
        }
        _ => 1.0,
    }
}

fn evidence_strength(e: Evidence) -> f32 {
    match e {
        Evidence::SelfDeclared => 0.0,
        Evidence::CourseCompleted => 0.5,
        Evidence::Certified => 1.0,
    }
}

impl FitScorer {
    /// A scorer with the default weights and related-skill credits.
    pub fn new(taxonomy: &Taxonomy) -> FitScorer {
        // Defaults are valid by construction.
        FitScorer::with(taxonomy, FitWeights::default(), RelatedCredit::default()).unwrap_or_else(|_| FitScorer {
            weights: FitWeights::default(),
            related_credit: RelatedCredit::default(),
            related: Vec::new(),
        })
    }

    /// A scorer with given weights and credits (errors on negative, NaN or out-of-range values).
    pub fn with(taxonomy: &Taxonomy, weights: FitWeights, credit: RelatedCredit) -> Result<FitScorer> {
        weights.check()?;
        let credits =
            [credit.narrower, credit.essential_relation, credit.optional_relation, credit.broader, credit.sibling];
        if credits.iter().any(|c| !(0.0..=1.0).contains(c)) {
            return Err(Error::invalid("related-skill credits must be in [0, 1]"));
        }
        // Every offer is for the skill at hand, so skills are built independently, in parallel
        // (about a fifth of a second on one core for ESCO).
        let skills: Vec<crate::taxonomy::Skill<'_>> = taxonomy.skills().collect();
        let built: Vec<(usize, Vec<RelatedSkill>)> = skills
            .par_iter()
            .map(|s| {
                let r = s.id();
                let mut related: FxHashMap<SkillId, (f32, Relation)> = FxHashMap::default();
                let mut offer = |held: SkillId, c: f32, rel: Relation| {
                    if r == held || c <= 0.0 {
                        return;
                    }
                    let e = related.entry(held).or_insert((c, rel));
                    if c > e.0 {
                        *e = (c, rel);
                    }
                };
                for &child in s.narrower() {
                    offer(child, credit.narrower, Relation::Narrower);
                }
                for p in s.broader().iter().filter_map(|&parent| taxonomy.skill(parent)) {
                    if p.kind() == crate::SkillKind::Skill {
                        offer(p.id(), credit.broader, Relation::Broader);
                    }
                    if p.narrower().len() <= credit.sibling_max_children {
                        for &sib in p.narrower() {
                            offer(sib, credit.sibling, Relation::Sibling);
                        }
                    }
                }
                for &(other, imp) in s.related().iter().chain(s.related_from()) {
                    let (c, rel) = match imp {
                        Importance::Essential => (credit.essential_relation, Relation::EssentialRelation),
                        Importance::Optional => (credit.optional_relation, Relation::OptionalRelation),
                    };
                    offer(other, c, rel);
                }
                let mut v: Vec<RelatedSkill> = related.into_iter().map(|(s, (c, r))| (s, c, r)).collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                (r.index(), v)
            })
            .collect();
        let mut related: Vec<Vec<RelatedSkill>> = vec![Vec::new(); taxonomy.skill_table_len()];
        for (i, v) in built {
            if let Some(slot) = related.get_mut(i) {
                *slot = v;
            }
        }
        Ok(FitScorer { weights, related_credit: credit, related })
    }

    /// The weights in use.
    pub fn weights(&self) -> FitWeights {
        self.weights
    }

    /// Skills that earn credit for `skill` when held instead of it, best first.
    pub fn related_skills(&self, skill: SkillId) -> &[(SkillId, f32, Relation)] {
        self.related.get(skill.index()).map_or(&[], Vec::as_slice)
    }

    /// Scores one pair, with the explanation.
    pub fn fit(&self, candidate: &Candidate, job: &JobPosting) -> Fit {
        self.evaluate(&HeldSkills::of(candidate), candidate, job, true)
    }

    /// The score alone (the same number as [`FitScorer::fit`], without building the
    /// explanation).
    pub fn score(&self, candidate: &Candidate, job: &JobPosting) -> f32 {
        self.evaluate(&HeldSkills::of(candidate), candidate, job, false).score
    }

    /// The credit one requirement earns from a candidate's skills, as [`FitScorer::fit`]
    /// computes it: the held level's factor, else the best related skill's credit.
    pub(crate) fn requirement_credit(&self, held: &HeldSkills, r: &crate::model::Requirement) -> f32 {
        let penalty = self.weights.level_penalty;
        if let Some(&(lvl, _)) = held.0.get(&r.skill) {
            return level_factor(lvl, r.min_level, penalty);
        }
        self.related_skills(r.skill)
            .iter()
            .filter_map(|&(s, c, _)| held.0.get(&s).map(|&(lvl, _)| c * level_factor(lvl, r.min_level, penalty)))
            .fold(0.0, f32::max)
    }

    /// One code path for both: `explain` only decides whether the lists are filled.
    pub(crate) fn evaluate(&self, held: &HeldSkills, candidate: &Candidate, job: &JobPosting, explain: bool) -> Fit {
        self.evaluate_by(held, candidate, job, explain, |r| {
            let best = self.related_skills(r.skill).iter().filter_map(|&(s, c, rel)| {
                held.get(s).map(|(lvl, _)| (c * level_factor(lvl, r.min_level, self.weights.level_penalty), s, rel))
            });
            best.max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1))).map(|(c, s, rel)| (c, Some((s, rel))))
        })
    }

    /// [`FitScorer::evaluate`] with the credit a requirement the candidate does not hold earns
    /// through related skills given by `related`: the best related skill's credit times its
    /// level factor, and (for the explanation) which skill and relation give it. The batch
    /// engine passes its credit table, which holds the same products, so the scores are the
    /// same to the bit; it asks for no explanation, so it gives no skill.
    pub(crate) fn evaluate_by(
        &self,
        held: &HeldSkills,
        candidate: &Candidate,
        job: &JobPosting,
        explain: bool,
        related: impl Fn(&Requirement) -> Option<(f32, Option<(SkillId, Relation)>)>,
    ) -> Fit {
        let w = &self.weights;
        let held = &held.0;
        let (mut ess_w, mut ess_c, mut opt_w, mut opt_c) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        let (mut level_sum, mut level_n, mut related_sum, mut credit_sum) = (0.0f32, 0usize, 0.0f32, 0.0f32);
        let mut matched = Vec::new();
        let mut partial = Vec::new();
        // (missing, credit shortfall × weight)
        let mut missing: Vec<(MissingSkill, f32)> = Vec::new();
        // Evidence strength summed over held requirements (no allocation: the batch engine calls
        // this for every exact score).
        let mut evidence_sum = 0.0f32;
        for r in &job.requirements {
            // Unchecked postings (the scorer takes any): a bad weight counts as 1 and a huge one is
            // capped, so sums cannot overflow into a NaN score.
            let weight =
                if r.weight.is_finite() && r.weight > 0.0 { r.weight.min(MatchEngine::MAX_WEIGHT) } else { 1.0 };
            let (credit, how) = match held.get(&r.skill) {
                Some(&(lvl, ev)) => {
                    let f = level_factor(lvl, r.min_level, w.level_penalty);
                    level_sum += f;
                    level_n += 1;
                    evidence_sum += evidence_strength(ev);
                    (f, Some(Ok((lvl, ev))))
                }
                None => match related(r) {
                    Some((c, via)) => {
                        related_sum += c * weight;
                        (c, via.map(Err))
                    }
                    None => (0.0, None),
                },
            };
            credit_sum += credit * weight;
            match r.importance {
                Importance::Essential => {
                    ess_w += weight;
                    ess_c += credit * weight;
                }
                Importance::Optional => {
                    opt_w += weight;
                    opt_c += credit * weight;
                }
            }
            if !explain {
                continue;
            }
            match how {
                Some(Ok((lvl, ev))) => matched.push((
                    MatchedSkill {
                        skill: r.skill,
                        importance: r.importance,
                        required_level: r.min_level,
                        held_level: lvl,
                        evidence: ev,
                        contribution: 0.0,
                    },
                    credit * weight,
                )),
                Some(Err((via, relation))) => partial.push((
                    PartialSkill { skill: r.skill, importance: r.importance, via, relation, credit, contribution: 0.0 },
                    credit * weight,
                )),
                None => {}
            }
            if credit < 1.0 {
                missing.push((
                    MissingSkill { skill: r.skill, importance: r.importance, required_level: r.min_level, cost: 0.0 },
                    (1.0 - credit) * weight,
                ));
            }
        }
        let mut c = Components::default();
        let mut constraints = Vec::new();
        if ess_w > 0.0 {
            c.essential = Some(ess_c / ess_w);
        }
        if opt_w > 0.0 {
            c.optional = Some(opt_c / opt_w);
        }
        if level_n > 0 {
            c.level_fit = Some(level_sum / level_n as f32);
        }
        if credit_sum > 0.0 {
            c.related_credit = Some((related_sum / credit_sum).clamp(0.0, 1.0));
        }
        let facts = JobFacts::of(job);
        let ns = non_skill_components(&facts, candidate);
        (c.location, c.education, c.experience, c.salary) = (ns.location, ns.education, ns.experience, ns.salary);
        if ns.location == Some(0.0) {
            constraints.push(Constraint::Location);
        }
        if let (Some(required), Some(0.0)) = (job.education, ns.education) {
            constraints.push(Constraint::Education { required, held: candidate.education });
        }
        if !candidate.preferences.employment_types.is_empty()
            && !candidate.preferences.employment_types.contains(&job.employment_type)
        {
            constraints.push(Constraint::EmploymentType);
        }
        let parts = [
            (c.essential, w.essential),
            (c.optional, w.optional),
            (c.location, w.location),
            (c.education, w.education),
            (c.experience, w.experience),
            (c.salary, w.salary),
        ];
        let total_w: f32 = parts.iter().filter(|p| p.0.is_some()).map(|p| p.1).sum();
        let score = if total_w > 0.0 {
            (parts.iter().filter_map(|(v, wt)| v.map(|v| v * wt)).sum::<f32>() / total_w).clamp(0.0, 1.0)
        } else {
            0.0
        };
        // Contributions and costs in score units: a requirement's share of its coverage times
        // the coverage's share of the score.
        let unit = |imp: Importance| -> f32 {
            if total_w <= 0.0 {
                return 0.0;
            }
            match imp {
                Importance::Essential if ess_w > 0.0 => w.essential / total_w / ess_w,
                Importance::Optional if opt_w > 0.0 => w.optional / total_w / opt_w,
                _ => 0.0,
            }
        };
        let mut matched: Vec<MatchedSkill> = matched
            .into_iter()
            .map(|(mut m, cw)| {
                m.contribution = cw * unit(m.importance);
                m
            })
            .collect();
        matched.sort_by(|a, b| b.contribution.total_cmp(&a.contribution).then(a.skill.cmp(&b.skill)));
        let mut partial: Vec<PartialSkill> = partial
            .into_iter()
            .map(|(mut p, cw)| {
                p.contribution = cw * unit(p.importance);
                p
            })
            .collect();
        partial.sort_by(|a, b| b.contribution.total_cmp(&a.contribution).then(a.skill.cmp(&b.skill)));
        let mut missing: Vec<MissingSkill> = missing
            .into_iter()
            .map(|(mut m, shortfall)| {
                m.cost = shortfall * unit(m.importance);
                m
            })
            .collect();
        missing.sort_by(|a, b| b.cost.total_cmp(&a.cost).then(a.skill.cmp(&b.skill)));
        let evidence = if level_n == 0 { 0.0 } else { evidence_sum / level_n as f32 };
        Fit { score, components: c, matched, partial, missing, constraints, evidence, credit: credit_sum }
    }
}

/// What the non-skill components need from a posting, copied out (no heap data) so the batch engine
/// can keep one per posting in a dense array and compute the components exactly in its recall
/// pass, through the same function [`FitScorer::fit`] uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct JobFacts {
    pub(crate) remote: bool,
    pub(crate) province: Option<crate::model::ProvinceCode>,
    pub(crate) education: Option<crate::model::Education>,
    pub(crate) employment_type: crate::model::EmploymentType,
    /// Years asked, when finite and positive.
    pub(crate) experience_years: Option<f32>,
    /// The top of the offered range, per month, IDR.
    pub(crate) salary_max_monthly: Option<f64>,
}

impl JobFacts {
    pub(crate) fn of(job: &JobPosting) -> JobFacts {
        JobFacts {
            remote: job.remote,
            province: job.location.map(|l| l.province),
            education: job.education,
            employment_type: job.employment_type,
            experience_years: job.experience_years.filter(|y| y.is_finite() && *y > 0.0),
            salary_max_monthly: job.salary.map(|o| Salary::monthly(o.max, o.period) as f64),
        }
    }
}

/// The non-skill components of a pair: `None` where one does not apply.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct NonSkill {
    pub(crate) location: Option<f32>,
    pub(crate) education: Option<f32>,
    pub(crate) experience: Option<f32>,
    pub(crate) salary: Option<f32>,
}

impl NonSkill {
    /// (weighted sum, weight) over the components that apply.
    pub(crate) fn weighted(&self, w: &FitWeights) -> (f32, f32) {
        let mut num = 0.0;
        let mut den = 0.0;
        for (v, wt) in [
            (self.location, w.location),
            (self.education, w.education),
            (self.experience, w.experience),
            (self.salary, w.salary),
        ] {
            if let Some(v) = v {
                num += v * wt;
                den += wt;
            }
        }
        (num, den)
    }
}

/// The location component for a candidate willing to relocate to another province (the match
/// engine's loose bound reads it too).
pub(crate) const RELOCATING: f32 = 0.5;

/// Location (same province, remote, or willing to relocate), education met, experience held
/// over asked, and offered salary over expected.
pub(crate) fn non_skill_components(job: &JobFacts, candidate: &Candidate) -> NonSkill {
    let mut c = NonSkill::default();
    if job.remote {
        c.location = Some(1.0);
    } else if let (Some(jp), Some(cl)) = (job.province, candidate.location) {
        c.location = Some(if jp == cl.province {
            1.0
        } else if candidate.preferences.relocate {
            RELOCATING
        } else {
            0.0
        });
    }
    if let Some(req) = job.education {
        c.education = Some(if candidate.education.is_some_and(|e| e.meets(req)) { 1.0 } else { 0.0 });
    }
    if let Some(req) = job.experience_years {
        let held = candidate.experience_years.filter(|y| y.is_finite()).unwrap_or(0.0).max(0.0);
        c.experience = Some((held / req).min(1.0));
    }
    if let (Some(offer_max), Some(expect)) =
        (job.salary_max_monthly, candidate.preferences.salary_min.filter(|&e| e > 0))
    {
        c.salary = Some(((offer_max / expect as f64).min(1.0)) as f32);
    }
    c
}

/// Checks a candidate for the batch engine: within the profile limit, known skill ids, no
/// duplicates, a finite non-negative experience.
pub(crate) fn check_candidate(skill_count: usize, c: &Candidate) -> Result<()> {
    Error::check_limit("candidate skills", c.skills.len(), MatchEngine::MAX_PROFILE_SKILLS)
        .map_err(|e| e.in_field("skills").with_value(&c.id))?;
    if c.experience_years.is_some_and(|y| !(y.is_finite() && y >= 0.0)) {
        return Err(Error::invalid("experience years must be finite and not negative")
            .in_field("experience_years")
            .with_value(&c.id));
    }
    let mut seen = rustc_hash::FxHashSet::default();
    for (i, s) in c.skills.iter().enumerate() {
        if s.skill.index() >= skill_count {
            return Err(Error::invalid("skill id is not from this taxonomy")
                .in_field(format!("skills[{i}]"))
                .with_value(&c.id));
        }
        if !seen.insert(s.skill) {
            return Err(Error::duplicate("skill in candidate").in_field(format!("skills[{i}]")).with_value(&c.id));
        }
    }
    Ok(())
}

/// Checks a posting for the batch engine: within the requirement limit, known skill ids,
/// finite positive weights of at most [`MatchEngine::MAX_WEIGHT`], no duplicate requirements.
pub(crate) fn check_posting(skill_count: usize, p: &JobPosting) -> Result<()> {
    Error::check_limit("posting requirements", p.requirements.len(), MatchEngine::MAX_REQUIREMENTS)
        .map_err(|e| e.in_field("requirements").with_value(&p.id))?;
    let mut seen = rustc_hash::FxHashSet::default();
    for (i, r) in p.requirements.iter().enumerate() {
        let at = |e: Error| e.in_field(format!("requirements[{i}]")).with_value(&p.id);
        if r.skill.index() >= skill_count {
            return Err(at(Error::invalid("skill id is not from this taxonomy")));
        }
        if !(r.weight.is_finite() && r.weight > 0.0 && r.weight <= MatchEngine::MAX_WEIGHT) {
            return Err(at(Error::invalid("requirement weight must be finite, positive and at most 1e6")));
        }
        if !seen.insert(r.skill) {
            return Err(at(Error::duplicate("requirement")));
        }
    }
    Ok(())
}

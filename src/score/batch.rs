//! The batch engine: top-k jobs per candidate and top-k candidates per job, exact.
//!
//! Recall uses inverted indexes: a pair can earn skill credit only if the candidate holds a
//! required skill or one related to it, so only those pairs are scored, exactly, with
//! [`FitScorer`]. By default only pairs with skill credit are ranked. With
//! [`MatchFilters::include_without_skill_overlap`], pairs without skill credit (which score only
//! through the non-skill components) are added: each has a known upper bound (its non-skill
//! weights over the weights that apply to it), so the engine scores them in decreasing bound
//! order until the bound falls below the k-th best score. Either way the result equals
//! exhaustive exact scoring under the same rule (asserted in tests).

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{check_candidate, check_posting, FitScorer, HeldSkills};
use crate::error::Result;
use crate::model::{Candidate, Education, EmploymentType, JobPosting, ProvinceCode};
use crate::taxonomy::{Importance, SkillId, Taxonomy};

/// One ranked result.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// Position of the job (or candidate) in the engine's list.
    pub index: usize,
    /// Its external id.
    pub id: String,
    /// The fit score.
    pub score: f32,
    /// The pair's total skill credit ([`Fit::credit`](super::Fit::credit)), the first tie-break.
    pub credit: f32,
}

/// Filters for batch matching.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatchFilters {
    /// Only jobs (or candidates) in this province.
    pub province: Option<ProvinceCode>,
    /// Only jobs asking at most this education (jobs-for-candidate), or candidates holding at
    /// least this education (candidates-for-job).
    pub education: Option<Education>,
    /// Only jobs of these employment types (jobs-for-candidate), or candidates accepting one of
    /// them (candidates-for-job; a candidate stating no preference accepts any).
    pub employment_types: Vec<EmploymentType>,
    /// Only pairs that fail no hard constraint.
    pub eligible_only: bool,
    /// Also rank pairs in which the candidate has no required skill (nor a related one): they
    /// can only score through region, education, experience and salary. Off by default: a job
    /// seeker's list should be jobs they have skills for, and it keeps the search to the
    /// inverted index's recall.
    pub include_without_skill_overlap: bool,
}

/// Per-thread buffers for one recall pass: credit accumulated per posting (essential,
/// optional) and the postings touched.
struct Scratch {
    acc: Vec<(f32, f32)>,
    touched: Vec<u32>,
}

fn has_skill_credit(fit: &super::Fit) -> bool {
    fit.components.essential.unwrap_or(0.0) + fit.components.optional.unwrap_or(0.0) > 0.0
}

/// Holds postings and candidates with inverted indexes for matching in both directions.
#[derive(Debug)]
pub struct MatchEngine {
    scorer: FitScorer,
    postings: Vec<JobPosting>,
    candidates: Vec<Candidate>,
    /// Each candidate's skills by id, built once rather than once per (candidate, job) pair.
    held: Vec<HeldSkills>,
    /// skill → postings requiring it, with the requirement's weight and importance.
    jobs_by_skill: FxHashMap<SkillId, Vec<(u32, f32, bool)>>,
    /// Per posting: total essential and optional requirement weight.
    requirement_totals: Vec<(f32, f32)>,
    /// skill → candidates holding it.
    candidates_by_skill: FxHashMap<SkillId, Vec<u32>>,
    /// held skill → required skills it earns credit for, with the credit (the reverse of
    /// related skills).
    credits_to: FxHashMap<SkillId, Vec<(SkillId, f32)>>,
    /// Postings in decreasing order of their no-skill-credit score bound.
    jobs_by_bound: Vec<(f32, u32)>,
    /// Skill table length of the taxonomy the records were checked against (ids below it
    /// are known: skills and skill groups).
    skill_count: usize,
}

fn sort_ranked(v: &mut [Ranked]) {
    v.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.credit.total_cmp(&a.credit))
            .then_with(|| a.id.cmp(&b.id))
            .then(a.index.cmp(&b.index))
    });
}

impl MatchEngine {
    /// Most skills one candidate profile may hold (ESCO occupations ask for at most a few
    /// hundred; a profile of thousands is a mistake or an attack on recall cost).
    pub const MAX_PROFILE_SKILLS: usize = 1_000;
    /// Most requirements one posting may state.
    pub const MAX_REQUIREMENTS: usize = 500;
    /// Largest `k` one call may ask for.
    pub const MAX_K: usize = 10_000;
    /// Largest requirement weight: sums of weights stay far from `f32` overflow.
    pub const MAX_WEIGHT: f32 = 1e6;

    /// Indexes postings and candidates. Every record is checked (skill ids from `taxonomy`,
    /// positive finite weights, no duplicate skills); the first bad one is an error naming it.
    pub fn new(
        taxonomy: &Taxonomy,
        scorer: FitScorer,
        postings: Vec<JobPosting>,
        candidates: Vec<Candidate>,
    ) -> Result<MatchEngine> {
        let skill_count = taxonomy.skill_table_len();
        for p in &postings {
            check_posting(skill_count, p)?;
        }
        for c in &candidates {
            check_candidate(skill_count, c)?;
        }
        let mut jobs_by_skill: FxHashMap<SkillId, Vec<(u32, f32, bool)>> = FxHashMap::default();
        let mut requirement_totals = Vec::with_capacity(postings.len());
        for (j, p) in postings.iter().enumerate() {
            let (mut ess, mut opt) = (0.0f32, 0.0f32);
            for r in &p.requirements {
                let essential = r.importance == Importance::Essential;
                jobs_by_skill.entry(r.skill).or_default().push((j as u32, r.weight, essential));
                if essential {
                    ess += r.weight;
                } else {
                    opt += r.weight;
                }
            }
            requirement_totals.push((ess, opt));
        }
        let mut credits_to: FxHashMap<SkillId, Vec<(SkillId, f32)>> = FxHashMap::default();
        for &req in jobs_by_skill.keys() {
            for &(held, credit, _) in scorer.related_skills(req) {
                credits_to.entry(held).or_default().push((req, credit));
            }
        }
        let mut engine = MatchEngine {
            scorer,
            postings,
            held: candidates.iter().map(HeldSkills::of).collect(),
            candidates_by_skill: candidates_by_skill(&candidates),
            candidates,
            jobs_by_skill,
            requirement_totals,
            credits_to,
            jobs_by_bound: Vec::new(),
            skill_count,
        };
        let mut bounds: Vec<(f32, u32)> =
            engine.postings.iter().enumerate().map(|(j, p)| (engine.no_credit_bound(p), j as u32)).collect();
        bounds.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        engine.jobs_by_bound = bounds;
        Ok(engine)
    }

    /// The postings, in the order given.
    pub fn postings(&self) -> &[JobPosting] {
        &self.postings
    }

    /// The candidates, in the order given.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The scorer.
    pub fn scorer(&self) -> &FitScorer {
        &self.scorer
    }

    /// Deletes the candidates with these ids from the engine: their records, their skill
    /// lists and every index entry that points at them. Returns how many were removed. Ids
    /// not in the engine are ignored (deleting twice is not an error). The engine keeps no
    /// other copy of a candidate (no cache of results, no log), so after this call nothing
    /// of them is left in it; `Debug` output, which prints every field, proves it in tests.
    pub fn remove_candidates<S: AsRef<str>>(&mut self, ids: &[S]) -> usize {
        let gone: FxHashSet<&str> = ids.iter().map(|s| s.as_ref()).collect();
        let before = self.candidates.len();
        let mut keep = self.candidates.iter().map(|c| !gone.contains(c.id.as_str()));
        self.held.retain(|_| keep.next().unwrap_or(true));
        self.candidates.retain(|c| !gone.contains(c.id.as_str()));
        debug_assert_eq!(self.held.len(), self.candidates.len());
        // Positions shift, so the candidate index is rebuilt rather than patched.
        self.candidates_by_skill = candidates_by_skill(&self.candidates);
        before - self.candidates.len()
    }

    fn check_k(k: usize) -> Result<()> {
        crate::error::Error::check_limit("k", k, Self::MAX_K)
    }

    /// The highest score a pair with this job can reach with no skill credit: all non-skill
    /// components perfect, skill coverages zero.
    fn no_credit_bound(&self, p: &JobPosting) -> f32 {
        let w = self.scorer.weights();
        let has_ess = p.requirements.iter().any(|r| r.importance == Importance::Essential);
        let has_opt = p.requirements.iter().any(|r| r.importance == Importance::Optional);
        let non_skill = w.location + w.education + w.experience + w.salary;
        let skill = if has_ess { w.essential } else { 0.0 } + if has_opt { w.optional } else { 0.0 };
        if non_skill + skill <= 0.0 {
            return 0.0;
        }
        // Components that may not apply shrink the denominator; the bound assumes the most
        // favourable case (every non-skill component applies and is perfect).
        (non_skill / (non_skill + skill)).min(1.0) + 1e-6
    }

    fn job_passes(&self, p: &JobPosting, f: &MatchFilters) -> bool {
        if let Some(prov) = f.province {
            if p.location.map(|l| l.province) != Some(prov) && !p.remote {
                return false;
            }
        }
        if let Some(e) = f.education {
            if p.education.is_some_and(|req| !e.meets(req)) {
                return false;
            }
        }
        if !f.employment_types.is_empty() && !f.employment_types.contains(&p.employment_type) {
            return false;
        }
        true
    }

    fn candidate_passes(&self, c: &Candidate, f: &MatchFilters) -> bool {
        if let Some(prov) = f.province {
            if c.location.map(|l| l.province) != Some(prov) {
                return false;
            }
        }
        if let Some(e) = f.education {
            if !c.education.is_some_and(|held| held.meets(e)) {
                return false;
            }
        }
        // Candidates who accept one of these employment types (no stated preference = any).
        let accepts = &c.preferences.employment_types;
        if !f.employment_types.is_empty()
            && !accepts.is_empty()
            && !f.employment_types.iter().any(|t| accepts.contains(t))
        {
            return false;
        }
        true
    }

    /// The best `k` postings for a candidate (who need not be in the engine), best first; equal
    /// scores ordered by skill credit, then posting id.
    ///
    /// The candidate is checked as [`MatchEngine::new`] checks its own (known skill ids, no
    /// duplicates, at most [`MatchEngine::MAX_PROFILE_SKILLS`]) and `k` may be at most
    /// [`MatchEngine::MAX_K`]; either failing is an error, so a request from outside can be
    /// passed straight in.
    pub fn jobs_for_candidate(&self, c: &Candidate, k: usize, filters: &MatchFilters) -> Result<Vec<Ranked>> {
        Self::check_k(k)?;
        check_candidate(self.skill_count, c)?;
        Ok(self.top_jobs(c, k, filters))
    }

    /// [`MatchEngine::jobs_for_candidate`] for a checked candidate and `k`.
    fn top_jobs(&self, c: &Candidate, k: usize, filters: &MatchFilters) -> Vec<Ranked> {
        if k == 0 {
            return Vec::new();
        }
        // The best credit the candidate can earn for each requirement skill: 1 if held (the level
        // factor is at most 1), else the best related-skill credit.
        let mut best: FxHashMap<SkillId, f32> = FxHashMap::default();
        for s in &c.skills {
            best.insert(s.skill, 1.0);
        }
        for s in &c.skills {
            for &(req, credit) in self.credits_to.get(&s.skill).into_iter().flatten() {
                let e = best.entry(req).or_insert(0.0);
                if credit > *e {
                    *e = credit;
                }
            }
        }
        // Upper bound of every touched posting's score: requirement credits at their best,
        // non-skill components perfect and all applying (the bound is increasing in them).
        let w = self.scorer.weights();
        let non_skill = w.location + w.education + w.experience + w.salary;
        // Dense accumulators indexed by posting, reused across calls on this thread.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new(Scratch { acc: Vec::new(), touched: Vec::new() }) };
        }
        let mut order: Vec<(f32, u32)> = SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let Scratch { acc, touched } = &mut *scratch;
            if acc.len() < self.postings.len() {
                acc.resize(self.postings.len(), (0.0, 0.0));
            }
            touched.clear();
            for (&req, &credit) in &best {
                for &(j, weight, essential) in self.jobs_by_skill.get(&req).into_iter().flatten() {
                    let e = &mut acc[j as usize];
                    if e.0 == 0.0 && e.1 == 0.0 {
                        touched.push(j);
                    }
                    if essential {
                        e.0 += credit * weight;
                    } else {
                        e.1 += credit * weight;
                    }
                }
            }
            let order = touched
                .iter()
                .map(|&j| {
                    let (ec, oc) = acc[j as usize];
                    acc[j as usize] = (0.0, 0.0);
                    let (et, ot) = self.requirement_totals[j as usize];
                    let (mut num, mut den) = (non_skill, non_skill);
                    if et > 0.0 {
                        num += w.essential * (ec / et).min(1.0);
                        den += w.essential;
                    }
                    if ot > 0.0 {
                        num += w.optional * (oc / ot).min(1.0);
                        den += w.optional;
                    }
                    let bound = if den > 0.0 { (num / den).min(1.0) } else { 0.0 };
                    (bound + 1e-5, j)
                })
                .collect();
            order
        });
        // Only the head of the bound order is usually needed: sort a prefix first, the rest
        // only if the scan gets there.
        let by_bound = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let head = k.saturating_mul(64).max(256).min(order.len());
        if head < order.len() {
            order.select_nth_unstable_by(head, by_bound);
        }
        order[..head].sort_by(by_bound);
        let mut tail_sorted = head == order.len();
        let mut out: Vec<Ranked> = Vec::new();
        let held = HeldSkills::of(c);
        let consider = |j: u32, out: &mut Vec<Ranked>| {
            let p = &self.postings[j as usize];
            if !self.job_passes(p, filters) {
                return;
            }
            let fit = self.scorer.evaluate(&held, c, p, false);
            if filters.eligible_only && !fit.eligible() {
                return;
            }
            if !filters.include_without_skill_overlap && !has_skill_credit(&fit) {
                return;
            }
            out.push(Ranked { index: j as usize, id: p.id.clone(), score: fit.score, credit: fit.credit });
        };
        // Exact scores in decreasing bound order, until no remaining posting can enter the top k.
        let mut pos = 0;
        while pos < order.len() {
            if pos == head && !tail_sorted {
                order[head..].sort_by(by_bound);
                tail_sorted = true;
            }
            let (bound, j) = order[pos];
            pos += 1;
            if out.len() >= k {
                sort_ranked(&mut out);
                out.truncate(k);
                if bound < out[k - 1].score {
                    break;
                }
            }
            consider(j, &mut out);
        }
        sort_ranked(&mut out);
        out.truncate(k);
        if !filters.include_without_skill_overlap {
            return out;
        }
        let seen: FxHashSet<u32> = order.iter().map(|&(_, j)| j).collect();
        // Pairs without skill credit, while they could still enter the top k.
        for &(bound, j) in &self.jobs_by_bound {
            let kth = if out.len() >= k { out[k - 1].score } else { f32::NEG_INFINITY };
            if bound < kth {
                break;
            }
            if seen.contains(&j) {
                continue;
            }
            consider(j, &mut out);
            sort_ranked(&mut out);
            out.truncate(k);
        }
        out
    }

    /// The best `k` candidates for a posting (which need not be in the engine), best first;
    /// ties ordered by candidate id. The posting is checked as [`MatchEngine::new`] checks its
    /// own and `k` may be at most [`MatchEngine::MAX_K`].
    pub fn candidates_for_job(&self, p: &JobPosting, k: usize, filters: &MatchFilters) -> Result<Vec<Ranked>> {
        Self::check_k(k)?;
        check_posting(self.skill_count, p)?;
        Ok(self.top_candidates(p, k, filters))
    }

    /// [`MatchEngine::candidates_for_job`] for a checked posting and `k`.
    fn top_candidates(&self, p: &JobPosting, k: usize, filters: &MatchFilters) -> Vec<Ranked> {
        if k == 0 {
            return Vec::new();
        }
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        for r in &p.requirements {
            let direct = self.candidates_by_skill.get(&r.skill).into_iter().flatten();
            let related = self
                .scorer
                .related_skills(r.skill)
                .iter()
                .flat_map(|(s, _, _)| self.candidates_by_skill.get(s).into_iter().flatten());
            seen.extend(direct.chain(related).copied());
        }
        let mut out: Vec<Ranked> = Vec::new();
        let consider = |i: u32, out: &mut Vec<Ranked>| {
            let c = &self.candidates[i as usize];
            if !self.candidate_passes(c, filters) {
                return;
            }
            let fit = self.scorer.evaluate(&self.held[i as usize], c, p, false);
            if filters.eligible_only && !fit.eligible() {
                return;
            }
            if !filters.include_without_skill_overlap && !has_skill_credit(&fit) {
                return;
            }
            out.push(Ranked { index: i as usize, id: c.id.clone(), score: fit.score, credit: fit.credit });
        };
        for &i in &seen {
            consider(i, &mut out);
        }
        sort_ranked(&mut out);
        out.truncate(k);
        if !filters.include_without_skill_overlap {
            return out;
        }
        // Candidates without skill credit all share one bound for this job.
        let bound = self.no_credit_bound(p);
        let kth = if out.len() >= k { out[k - 1].score } else { f32::NEG_INFINITY };
        if bound >= kth {
            for i in 0..self.candidates.len() as u32 {
                if !seen.contains(&i) {
                    consider(i, &mut out);
                }
            }
            sort_ranked(&mut out);
            out.truncate(k);
        }
        out
    }

    /// Top `k` postings for every candidate of the engine, in parallel (`k` at most
    /// [`MatchEngine::MAX_K`]). The batch is the engine's own candidates, checked when it was
    /// built, so its size is the caller's to bound; the result holds at most `k` per candidate.
    pub fn top_jobs_for_all(&self, k: usize, filters: &MatchFilters) -> Result<Vec<Vec<Ranked>>> {
        Self::check_k(k)?;
        Ok(self.candidates.par_iter().map(|c| self.top_jobs(c, k, filters)).collect())
    }

    /// Top `k` candidates for every posting of the engine, in parallel (`k` at most
    /// [`MatchEngine::MAX_K`]).
    pub fn top_candidates_for_all(&self, k: usize, filters: &MatchFilters) -> Result<Vec<Vec<Ranked>>> {
        Self::check_k(k)?;
        Ok(self.postings.par_iter().map(|p| self.top_candidates(p, k, filters)).collect())
    }

    /// Exhaustive exact top `k` postings for a candidate (scores every posting): the reference
    /// the fast path is tested against.
    pub fn jobs_for_candidate_exhaustive(
        &self,
        c: &Candidate,
        k: usize,
        filters: &MatchFilters,
    ) -> Result<Vec<Ranked>> {
        Self::check_k(k)?;
        check_candidate(self.skill_count, c)?;
        let held = HeldSkills::of(c);
        let mut out: Vec<Ranked> = self
            .postings
            .iter()
            .enumerate()
            .filter(|(_, p)| self.job_passes(p, filters))
            .filter_map(|(j, p)| {
                let fit = self.scorer.evaluate(&held, c, p, false);
                let keep = (!filters.eligible_only || fit.eligible())
                    && (filters.include_without_skill_overlap || has_skill_credit(&fit));
                keep.then(|| Ranked { index: j, id: p.id.clone(), score: fit.score, credit: fit.credit })
            })
            .collect();
        sort_ranked(&mut out);
        out.truncate(k);
        Ok(out)
    }
}

/// skill → positions of the candidates holding it.
fn candidates_by_skill(candidates: &[Candidate]) -> FxHashMap<SkillId, Vec<u32>> {
    let mut by_skill: FxHashMap<SkillId, Vec<u32>> = FxHashMap::default();
    for (i, c) in candidates.iter().enumerate() {
        for s in &c.skills {
            by_skill.entry(s.skill).or_default().push(i as u32);
        }
    }
    by_skill
}

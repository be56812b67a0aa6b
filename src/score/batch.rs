//! The batch engine: top-k jobs per candidate and top-k candidates per job, exact.
//!
//! Recall uses inverted indexes: a pair can earn skill credit only if the candidate holds a
//! required skill or one related to it, so only those pairs can rank. For jobs-for-candidate,
//! one pass over the postings lists of the candidate's held and related skills sums each
//! touched posting's best possible essential and optional coverage (each list entry carries
//! the requirement's share of its posting's weight). Every touched posting then has two upper
//! bounds on its score: a loose one from that pass and two bytes per posting (location exact,
//! other non-skill components perfect), and a tight one computed only where the loose one can
//! still reach the k-th score (every non-skill component exact, through the same function the
//! scorer uses). Postings are scored exactly, with [`FitScorer`], in tight-bound order until no
//! bound reaches the k-th score, so a handful of exact scores per candidate usually suffice.
//! Related skills with little credit (siblings, by default) are first left out of the pass and
//! bounded instead; the pass is repeated with them only when the k-th score does not beat what
//! they alone could give a posting.
//!
//! By default only pairs with skill credit are ranked. With
//! [`MatchFilters::include_without_skill_overlap`], pairs without skill credit (which score only
//! through the non-skill components) are added: each has a known upper bound (its non-skill
//! weights over the weights that apply to it), so the engine scores them in decreasing bound
//! order until the bound falls below the k-th best score. Either way the result equals
//! exhaustive exact scoring under the same rule (asserted in tests and in the `match_records`
//! fuzz target).

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    check_candidate, check_posting, non_skill_components, FitScorer, FitWeights, HeldSkills, JobFacts, RELOCATING,
};
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

/// Related-skill credit at or below which a skill's postings list is first left out of recall and
/// bounded instead (the default sibling credit, 0.3, is below it).
const WEAK_CREDIT: f32 = 0.35;

/// `job_province` value of a remote posting (BPS province codes are 11–99).
const REMOTE: u8 = u8::MAX;

/// Per-thread buffers for one recall pass: credit accumulated per posting (essential,
/// optional) and the postings touched.
struct Scratch {
    /// Per posting: essential and optional coverage summed so far, then the essential and
    /// optional weight shares those lists covered.
    acc: Vec<[f32; 4]>,
    touched: Vec<u32>,
    /// (loose bound, posting, essential coverage, optional coverage) per touched posting.
    order: Vec<(f32, u32, f32, f32)>,
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
    /// skill → postings requiring it, with the requirement's share of the posting's essential
    /// weight, or the negated share of its optional weight.
    jobs_by_skill: FxHashMap<SkillId, Vec<(u32, f32)>>,
    /// Per posting: what filters and the non-skill components read, packed, so the recall
    /// pass can bound each touched posting's score with its exact non-skill part.
    job_facts: Vec<JobFacts>,
    /// Per posting: whether it has essential and optional requirements (which skill
    /// components of its score apply).
    skill_parts: Vec<(bool, bool)>,
    /// Which kinds of posting exist: essential requirements only, optional only, both.
    skill_part_kinds: [bool; 3],
    /// Per posting: its province code, [`REMOTE`], or 0 without a location.
    job_province: Vec<u8>,
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

/// The ranking order of results: score, then skill credit (both descending), then id, then
/// position. Both the fast path and the exhaustive reference sort with it.
fn rank_order(a: (f32, f32, &str, usize), b: (f32, f32, &str, usize)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then_with(|| a.2.cmp(b.2)).then(a.3.cmp(&b.3))
}

fn sort_ranked(v: &mut [Ranked]) {
    v.sort_by(|a, b| rank_order((a.score, a.credit, &a.id, a.index), (b.score, b.credit, &b.id, b.index)));
}

/// A score bound from a non-skill part `(weighted sum, weight)` and the best coverage of each
/// skill component that applies (`None`: the posting has no such requirement).
fn bound_with_skills(
    w: &FitWeights,
    (mut num, mut den): (f32, f32),
    essential: Option<f32>,
    optional: Option<f32>,
) -> f32 {
    for (coverage, weight) in [(essential, w.essential), (optional, w.optional)] {
        if let Some(c) = coverage {
            num += weight * c;
            den += weight;
        }
    }
    if den > 0.0 {
        (num / den).min(1.0)
    } else {
        0.0
    }
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
        // Posting lists carry each requirement's share of its posting's essential (or optional)
        // weight, so the recall pass sums coverage directly, reading nothing else per posting.
        let mut jobs_by_skill: FxHashMap<SkillId, Vec<(u32, f32)>> = FxHashMap::default();
        for (j, p) in postings.iter().enumerate() {
            let total = |essential: bool| -> f32 {
                p.requirements
                    .iter()
                    .filter(|r| (r.importance == Importance::Essential) == essential)
                    .map(|r| r.weight)
                    .sum()
            };
            let (ess, opt) = (total(true), total(false));
            for r in &p.requirements {
                let essential = r.importance == Importance::Essential;
                let share = r.weight / if essential { ess } else { opt };
                // Eight bytes an entry: an optional requirement's share is stored negated.
                jobs_by_skill.entry(r.skill).or_default().push((j as u32, if essential { share } else { -share }));
            }
        }
        let mut credits_to: FxHashMap<SkillId, Vec<(SkillId, f32)>> = FxHashMap::default();
        for &req in jobs_by_skill.keys() {
            for &(held, credit, _) in scorer.related_skills(req) {
                credits_to.entry(held).or_default().push((req, credit));
            }
        }
        let postings_facts: Vec<JobFacts> = postings.iter().map(JobFacts::of).collect();
        let job_province: Vec<u8> =
            postings_facts.iter().map(|f| if f.remote { REMOTE } else { f.province.map_or(0, |p| p.get()) }).collect();
        let skill_parts: Vec<(bool, bool)> = postings
            .iter()
            .map(|p| {
                let has = |i: Importance| p.requirements.iter().any(|r| r.importance == i);
                (has(Importance::Essential), has(Importance::Optional))
            })
            .collect();
        let mut engine = MatchEngine {
            scorer,
            postings,
            held: candidates.iter().map(HeldSkills::of).collect(),
            candidates_by_skill: candidates_by_skill(&candidates),
            candidates,
            jobs_by_skill,
            job_facts: postings_facts,
            skill_part_kinds: [(true, false), (false, true), (true, true)].map(|kind| skill_parts.contains(&kind)),
            skill_parts,
            job_province,
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

    /// The highest score a posting can reach when every requirement earns at most `credit`
    /// and every non-skill component is perfect (a posting only weak related skills touch).
    fn unlisted_only_bound(&self, credit: f32) -> f32 {
        let w = self.scorer.weights();
        let non_skill = w.location + w.education + w.experience + w.salary;
        let mut bound = 0.0f32;
        for (present, (e, o)) in self.skill_part_kinds.iter().zip([(true, false), (false, true), (true, true)]) {
            if *present {
                let parts = bound_with_skills(&w, (non_skill, non_skill), e.then_some(credit), o.then_some(credit));
                bound = bound.max(parts);
            }
        }
        bound.min(1.0) + 1e-5
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

    fn job_passes(&self, p: &JobFacts, f: &MatchFilters) -> bool {
        if let Some(prov) = f.province {
            if p.province != Some(prov) && !p.remote {
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
        // Two upper bounds per touched posting, both with requirement credits at their best
        // (level shortfalls ignored):
        // * loose, from the recall pass and two bytes per posting: the location component
        //   exact, the other non-skill components applying and perfect;
        // * tight, computed only where the loose one reaches the k-th score: the non-skill
        //   components exact (the function the scorer uses, over the packed facts) and the skill
        //   components that apply. Filters are checked there too.
        // Phase 1 scores the postings with the best loose bounds to learn a k-th score; phase 2
        // passes once over the rest. Each phase scores exactly in tight-bound order until no
        // bound reaches the k-th score.
        let w = self.scorer.weights();
        let others = w.education + w.experience + w.salary;
        let cand_province = c.location.map(|l| l.province.get());
        let away = if c.preferences.relocate { RELOCATING } else { 0.0 };
        // Dense accumulators indexed by posting, reused across calls on this thread.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new(Scratch { acc: Vec::new(), touched: Vec::new(), order: Vec::new() }) };
        }
        // The candidate's skills by id, built once even when the recall pass runs twice.
        let held = HeldSkills::of(c);
        // Everything after the recall pass, over (loose bound, posting, essential coverage,
        // optional coverage) for every touched posting that passed the province filter.
        let finish = |order: &mut Vec<(f32, u32, f32, f32)>| -> Vec<(f32, f32, u32)> {
            let tight = |j: u32, ec: f32, oc: f32| -> Option<f32> {
                let facts = &self.job_facts[j as usize];
                if !self.job_passes(facts, filters) {
                    return None;
                }
                let (has_essential, has_optional) = self.skill_parts[j as usize];
                let non_skill = non_skill_components(facts, c).weighted(&w);
                let bound = bound_with_skills(&w, non_skill, has_essential.then_some(ec), has_optional.then_some(oc));
                Some(bound + 1e-5)
            };
            // Exact scores as (score, credit, posting); ids are cloned only for the final k.
            let mut best_k: Vec<(f32, f32, u32)> = Vec::with_capacity(2 * k + 1);
            let by_rank = |a: &(f32, f32, u32), b: &(f32, f32, u32)| {
                let (pa, pb) = (&self.postings[a.2 as usize].id, &self.postings[b.2 as usize].id);
                rank_order((a.0, a.1, pa, a.2 as usize), (b.0, b.1, pb, b.2 as usize))
            };
            // The k-th best exact score so far (a stale value is lower, so stopping on it is safe).
            let mut kth = f32::NEG_INFINITY;
            let consider = |j: u32, best_k: &mut Vec<(f32, f32, u32)>| {
                let p = &self.postings[j as usize];
                let fit = self.scorer.evaluate(&held, c, p, false);
                if filters.eligible_only && !fit.eligible() {
                    return;
                }
                if !filters.include_without_skill_overlap && !has_skill_credit(&fit) {
                    return;
                }
                best_k.push((fit.score, fit.credit, j));
            };
            let shrink = |best_k: &mut Vec<(f32, f32, u32)>| -> f32 {
                best_k.sort_unstable_by(by_rank);
                best_k.truncate(k);
                if best_k.len() >= k {
                    best_k[k - 1].0
                } else {
                    f32::NEG_INFINITY
                }
            };
            // Scores postings in decreasing tight-bound order while a bound can reach the k-th score.
            let score_in_order = |mut list: Vec<(f32, u32)>, kth: &mut f32, best_k: &mut Vec<(f32, f32, u32)>| {
                list.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                for (bound, j) in list {
                    if bound < *kth {
                        break;
                    }
                    consider(j, best_k);
                    // Sort when the list first holds k (to get a threshold), then every k more.
                    if best_k.len() >= 2 * k || (best_k.len() == k && *kth == f32::NEG_INFINITY) {
                        *kth = shrink(best_k);
                    }
                }
            };
            // Phase 1: the postings with the best loose bounds, to learn a k-th score.
            let by_loose = |a: &(f32, u32, f32, f32), b: &(f32, u32, f32, f32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
            let first = k.saturating_mul(4).max(32).min(order.len());
            if first < order.len() {
                order.select_nth_unstable_by(first, by_loose);
            }
            // The tight bound never exceeds the loose one (same credits, fewer perfect parts).
            let refine = |&(loose, j, ec, oc): &(f32, u32, f32, f32)| {
                tight(j, ec, oc).map(|t| {
                    debug_assert!(t <= loose + 1e-4, "tight bound {t} above loose {loose}");
                    (t, j)
                })
            };
            let seeds: Vec<(f32, u32)> = order[..first].iter().filter_map(refine).collect();
            score_in_order(seeds, &mut kth, &mut best_k);
            kth = shrink(&mut best_k);
            // Phase 2: one linear pass over the rest; tight bounds only where the loose one reaches
            // the k-th score, and exact scores only where the tight one does.
            let rest: Vec<(f32, u32)> =
                order[first..].iter().filter(|e| e.0 >= kth).filter_map(refine).filter(|&(t, _)| t >= kth).collect();
            score_in_order(rest, &mut kth, &mut best_k);
            kth = shrink(&mut best_k);
            if filters.include_without_skill_overlap {
                let seen: FxHashSet<u32> = order.iter().map(|e| e.1).collect();
                // Pairs without skill credit, while they could still enter the top k.
                for &(bound, j) in &self.jobs_by_bound {
                    if bound < kth {
                        break;
                    }
                    if seen.contains(&j) || !self.job_passes(&self.job_facts[j as usize], filters) {
                        continue;
                    }
                    consider(j, &mut best_k);
                    kth = shrink(&mut best_k);
                }
            }
            best_k
        };
        // One recall pass over `lists`; requirements the lists do not reach may still earn up
        // to `unlisted` credit each (the weak related skills left out), which the bounds add.
        let run = |lists: &[(SkillId, f32)], unlisted: f32| {
            SCRATCH.with(|cell| {
                let mut scratch = cell.borrow_mut();
                let Scratch { acc, touched, order } = &mut *scratch;
                if acc.len() < self.postings.len() {
                    acc.resize(self.postings.len(), [0.0; 4]);
                }
                touched.clear();
                for &(req, credit) in lists {
                    for &(j, signed_share) in self.jobs_by_skill.get(&req).into_iter().flatten() {
                        let e = &mut acc[j as usize];
                        if e[0] == 0.0 && e[1] == 0.0 {
                            touched.push(j);
                        }
                        // Sign bit: 0 essential, 1 optional (no branch to mispredict).
                        let lane = (signed_share.to_bits() >> 31) as usize;
                        let share = signed_share.abs();
                        e[lane] += credit * share;
                        e[2 + lane] += share;
                    }
                }
                let wanted_province = filters.province.map(|p| p.get());
                order.clear();
                order.extend(touched.iter().filter_map(|&j| {
                    let [ec, oc, es, os] = std::mem::replace(&mut acc[j as usize], [0.0; 4]);
                    // The province filter, early (the others are checked with the tight bound).
                    let province = self.job_province[j as usize];
                    if wanted_province.is_some_and(|p| p != province && province != REMOTE) {
                        return None;
                    }
                    let (ec, oc) = (
                        (ec + unlisted * (1.0 - es).max(0.0)).min(1.0),
                        (oc + unlisted * (1.0 - os).max(0.0)).min(1.0),
                    );
                    // Location exactly (one byte per posting, mostly in cache), the other
                    // non-skill components perfect.
                    let location = match province {
                        REMOTE => Some(1.0),
                        0 => None,
                        p => cand_province.map(|cp| if cp == p { 1.0 } else { away }),
                    };
                    let non_skill = match location {
                        Some(v) => (others + w.location * v, others + w.location),
                        None => (others, others),
                    };
                    let (has_essential, has_optional) = self.skill_parts[j as usize];
                    let loose =
                        bound_with_skills(&w, non_skill, has_essential.then_some(ec), has_optional.then_some(oc));
                    // Slack for float rounding: the exact score sums the same terms in another order.
                    Some((loose + 1e-5, j, ec, oc))
                }));
                finish(order)
            })
        };
        // Related skills with little credit (siblings, by default) have the longest postings
        // lists in total. First try without them, bounding what they could add; the result
        // stands if its k-th score beats every posting they alone could reach.
        let all: Vec<(SkillId, f32)> = best.iter().map(|(&s, &c)| (s, c)).collect();
        let strong: Vec<(SkillId, f32)> = all.iter().copied().filter(|&(_, c)| c > WEAK_CREDIT).collect();
        let weak_max = all.iter().map(|&(_, c)| c).filter(|&c| c <= WEAK_CREDIT).fold(0.0, f32::max);
        let best_k = if strong.len() == all.len() || filters.include_without_skill_overlap {
            run(&all, 0.0)
        } else {
            let first = run(&strong, weak_max);
            if first.len() >= k && first[k - 1].0 > self.unlisted_only_bound(weak_max) {
                first
            } else {
                run(&all, 0.0)
            }
        };
        best_k
            .iter()
            .map(|&(score, credit, j)| Ranked {
                index: j as usize,
                id: self.postings[j as usize].id.clone(),
                score,
                credit,
            })
            .collect()
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
            .filter(|(j, _)| self.job_passes(&self.job_facts[*j], filters))
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

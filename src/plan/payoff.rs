//! What-if re-scoring and training payoff: how many more postings a course or a plan opens.
//!
//! A posting is "fit" when the candidate is eligible for it (no failed hard constraint) and
//! scores at least [`PayoffOptions::threshold`]. Training only adds or raises skills, so it can
//! only raise requirement credits; a posting's score changes only through the requirements that
//! ask for a taught skill or one related to it. The engine therefore scores every posting in the
//! region once, indexes the requirements of the postings still below the threshold by skill,
//! and for each course adds up the score each touched requirement would gain. Postings whose
//! estimate reaches the threshold are then re-scored exactly with the fit scorer on the trained
//! profile, so the counts are the fit scorer's, not an approximation's.

use rustc_hash::FxHashMap;

use super::{OfferKind, PlanOptions, Planner, TrainingPlan};
use crate::model::{Candidate, Evidence, JobPosting, Level, ProvinceCode};
use crate::score::{level_factor, FitScorer, HeldSkills, MatchEngine};
use crate::taxonomy::{Importance, SkillId};

/// Which postings count, and what "fit" means.
#[derive(Clone, Debug, PartialEq)]
pub struct PayoffOptions {
    /// The score from which a candidate counts as fitting a posting.
    pub threshold: f32,
    /// The region: postings in this province, plus remote ones. `None`: the candidate's
    /// province, or the whole country when the candidate has no location.
    pub province: Option<ProvinceCode>,
}

impl Default for PayoffOptions {
    /// A threshold of 0.7: on the default weights, a candidate covering about three quarters
    /// of the essential requirements of a job in their own province, with the education asked.
    fn default() -> PayoffOptions {
        PayoffOptions { threshold: 0.7, province: None }
    }
}

/// What one plan step opens on its own.
#[derive(Clone, Debug, PartialEq)]
pub struct StepPayoff {
    /// The step's id.
    pub id: String,
    /// Postings it alone would open.
    pub opened: usize,
    /// Median offered monthly salary (midpoint of the range) of those postings.
    pub median_salary: Option<u64>,
}

/// The candidate re-scored as if a plan were completed.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    /// The region counted.
    pub province: Option<ProvinceCode>,
    /// The threshold used.
    pub threshold: f32,
    /// Postings in the region the candidate is eligible for.
    pub postings: usize,
    /// Of those, how many the candidate fits now.
    pub fit_before: usize,
    /// How many after the plan.
    pub fit_after: usize,
    /// `fit_after − fit_before`: postings the plan opens.
    pub opened: usize,
    /// Median offered monthly salary of the opened postings that state one.
    pub median_salary: Option<u64>,
    /// Each step's payoff on its own, in plan order.
    pub steps: Vec<StepPayoff>,
}

/// The payoff of one course or scheme taken alone.
#[derive(Clone, Debug, PartialEq)]
pub struct CoursePayoff {
    /// Course or scheme.
    pub kind: OfferKind,
    /// Position among the planner's courses (or schemes).
    pub index: usize,
    /// External id.
    pub id: String,
    /// Price, IDR.
    pub cost: u64,
    /// Hours.
    pub hours: f32,
    /// Postings it would open.
    pub opened: usize,
    /// Median offered monthly salary of those postings.
    pub median_salary: Option<u64>,
    /// Postings opened per million rupiah (`None` for free offers, which rank first).
    pub opened_per_million_rupiah: Option<f64>,
}

/// One requirement of a posting still below the threshold.
#[derive(Clone, Copy)]
struct Slot {
    /// Position of the posting in `Context::below`.
    pos: u32,
    min_level: Option<Level>,
    /// Score gained per unit of credit: the requirement's weight times its coverage's share.
    score_per_credit: f32,
}

/// The region's postings scored once for one candidate, indexed for incremental re-scoring.
struct Context<'e> {
    engine: &'e MatchEngine,
    candidate: &'e Candidate,
    held: HeldSkills,
    threshold: f32,
    province: Option<ProvinceCode>,
    considered: usize,
    fit_before: usize,
    /// Engine indices of eligible postings below the threshold, and their scores.
    below: Vec<u32>,
    base: Vec<f32>,
    slots: Vec<Slot>,
    /// Slots by required skill (compressed rows over the skill table).
    skill_start: Vec<u32>,
    /// (slot, required level) so the hot loop does not visit the slot table.
    skill_slots: Vec<(u32, Option<Level>)>,
    /// For a skill, the required skills holding it earns related credit for.
    credit_for: FxHashMap<SkillId, Vec<(SkillId, f32)>>,
    /// For a required skill the candidate does not hold, the related credits they hold
    /// towards it: (credit, held level).
    related_held: FxHashMap<SkillId, Vec<(f32, Level)>>,
    penalty: f32,
}

/// Reused buffers for one offer's evaluation.
struct Scratch {
    /// Per slot: (best credit offered so far, or −1; the candidate's current credit, or NaN).
    credit: Vec<(f32, f32)>,
    touched_slots: Vec<u32>,
    delta: Vec<f32>,
    touched_postings: Vec<u32>,
}

fn in_region(p: &JobPosting, province: Option<ProvinceCode>) -> bool {
    match province {
        None => true,
        Some(want) => p.remote || p.location.is_some_and(|l| l.province == want),
    }
}

fn median(mut v: Vec<u64>) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[mid] } else { v[mid - 1] / 2 + v[mid] / 2 + (v[mid - 1] % 2 + v[mid] % 2) / 2 })
}

impl<'e> Context<'e> {
    fn new(engine: &'e MatchEngine, candidate: &'e Candidate, options: &PayoffOptions) -> Context<'e> {
        let scorer = engine.scorer();
        let held = HeldSkills::of(candidate);
        let province = options.province.or(candidate.location.map(|l| l.province));
        let w = scorer.weights();
        let mut below = Vec::new();
        let mut base = Vec::new();
        let mut slots: Vec<Slot> = Vec::new();
        let mut slot_skill: Vec<SkillId> = Vec::new();
        let (mut considered, mut fit_before) = (0usize, 0usize);
        for (i, p) in engine.postings().iter().enumerate() {
            if !in_region(p, province) {
                continue;
            }
            let fit = scorer.evaluate(&held, candidate, p, false);
            if !fit.eligible() {
                continue;
            }
            considered += 1;
            if fit.score >= options.threshold {
                fit_before += 1;
                continue;
            }
            // The weights that apply to this pair: training changes none of the components'
            // presence, only the coverages' values.
            let c = &fit.components;
            let total_w: f32 = [
                (c.essential, w.essential),
                (c.optional, w.optional),
                (c.location, w.location),
                (c.education, w.education),
                (c.experience, w.experience),
                (c.salary, w.salary),
            ]
            .iter()
            .filter(|x| x.0.is_some())
            .map(|x| x.1)
            .sum();
            if total_w <= 0.0 {
                continue;
            }
            let weight_of = |imp: Importance| -> f32 {
                p.requirements.iter().filter(|r| r.importance == imp).map(|r| r.weight).sum()
            };
            let (ess_w, opt_w) = (weight_of(Importance::Essential), weight_of(Importance::Optional));
            let unit_ess = if ess_w > 0.0 { w.essential / total_w / ess_w } else { 0.0 };
            let unit_opt = if opt_w > 0.0 { w.optional / total_w / opt_w } else { 0.0 };
            let pos = below.len() as u32;
            below.push(i as u32);
            base.push(fit.score);
            for r in &p.requirements {
                let unit = if r.importance == Importance::Essential { unit_ess } else { unit_opt };
                slots.push(Slot { pos, min_level: r.min_level, score_per_credit: r.weight * unit });
                slot_skill.push(r.skill);
            }
        }
        // Compressed rows: slots by skill.
        let table = slot_skill.iter().map(|s| s.index() + 1).max().unwrap_or(0);
        let mut skill_start = vec![0u32; table + 1];
        for s in &slot_skill {
            skill_start[s.index() + 1] += 1;
        }
        for i in 0..table {
            skill_start[i + 1] += skill_start[i];
        }
        let mut fill = skill_start.clone();
        let mut skill_slots = vec![(0u32, None); slot_skill.len()];
        for (slot, s) in slot_skill.iter().enumerate() {
            skill_slots[fill[s.index()] as usize] = (slot as u32, slots[slot].min_level);
            fill[s.index()] += 1;
        }
        let mut credit_for: FxHashMap<SkillId, Vec<(SkillId, f32)>> = FxHashMap::default();
        let mut required: Vec<SkillId> = slot_skill;
        required.sort_unstable();
        required.dedup();
        for &t in &required {
            for &(s, c, _) in scorer.related_skills(t) {
                credit_for.entry(s).or_default().push((t, c));
            }
        }
        let mut related_held: FxHashMap<SkillId, Vec<(f32, Level)>> = FxHashMap::default();
        for s in &candidate.skills {
            for &(t, c) in credit_for.get(&s.skill).map_or(&[][..], Vec::as_slice) {
                related_held.entry(t).or_default().push((c, s.level));
            }
        }
        Context {
            engine,
            candidate,
            held,
            threshold: options.threshold,
            province,
            considered,
            fit_before,
            below,
            base,
            slots,
            skill_start,
            skill_slots,
            credit_for,
            related_held,
            penalty: w.level_penalty,
        }
    }

    fn scratch(&self) -> Scratch {
        Scratch {
            credit: vec![(-1.0, f32::NAN); self.slots.len()],
            touched_slots: Vec::new(),
            delta: vec![0.0; self.below.len()],
            touched_postings: Vec::new(),
        }
    }

    fn scorer(&self) -> &FitScorer {
        self.engine.scorer()
    }

    fn slots_of(&self, skill: SkillId) -> &[(u32, Option<Level>)] {
        let i = skill.index();
        match (self.skill_start.get(i), self.skill_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.skill_slots[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The credit the candidate earns now for the requirement in `slot` of skill `skill`, as
    /// the fit scorer computes it (asserted in debug builds).
    fn base_credit(&self, skill: SkillId, slot: &Slot) -> f32 {
        let credit = match self.held.get(skill) {
            Some((level, _)) => level_factor(level, slot.min_level, self.penalty),
            None => self.related_held.get(&skill).map_or(0.0, |v| {
                v.iter().map(|&(c, l)| c * level_factor(l, slot.min_level, self.penalty)).fold(0.0, f32::max)
            }),
        };
        debug_assert!({
            let r =
                crate::model::Requirement { min_level: slot.min_level, ..crate::model::Requirement::essential(skill) };
            (credit - self.scorer().requirement_credit(&self.held, &r)).abs() < 1e-6
        });
        credit
    }

    /// Postings that reach the threshold once the candidate also holds `grants`, with their
    /// median offered salary.
    fn opened(&self, grants: &[(SkillId, Level, Evidence)], scratch: &mut Scratch) -> (usize, Option<u64>) {
        let postings = self.engine.postings();
        let penalty = self.penalty;
        let offer = |skill: SkillId, slot_id: u32, credit: f32, scratch: &mut Scratch| {
            let i = slot_id as usize;
            let entry = &mut scratch.credit[i];
            if entry.0 < 0.0 {
                scratch.touched_slots.push(slot_id);
                if entry.1.is_nan() {
                    entry.1 = self.base_credit(skill, &self.slots[i]);
                }
            }
            entry.0 = entry.0.max(credit);
        };
        for &(skill, level, _) in grants {
            if self.held.get(skill).is_some_and(|(held, _)| held >= level) {
                continue; // nothing new: evidence alone does not move the score
            }
            for &(slot, min_level) in self.slots_of(skill) {
                offer(skill, slot, level_factor(level, min_level, penalty), scratch);
            }
            for &(t, c) in self.credit_for.get(&skill).map_or(&[][..], Vec::as_slice) {
                for &(slot, min_level) in self.slots_of(t) {
                    offer(t, slot, c * level_factor(level, min_level, penalty), scratch);
                }
            }
        }
        // Slot gains into per-posting score estimates.
        for &slot_id in &scratch.touched_slots {
            let i = slot_id as usize;
            let (best, now) = scratch.credit[i];
            let gain = best - now;
            scratch.credit[i].0 = -1.0;
            let add = gain * self.slots[i].score_per_credit;
            if add <= 0.0 {
                continue;
            }
            let pos = self.slots[i].pos as usize;
            if scratch.delta[pos] == 0.0 {
                scratch.touched_postings.push(pos as u32);
            }
            scratch.delta[pos] += add;
        }
        scratch.touched_slots.clear();
        // Exact re-scoring of the postings the estimate brings to the threshold.
        let mut trained: Option<HeldSkills> = None;
        let mut opened = 0usize;
        let mut salaries = Vec::new();
        for &pos in &scratch.touched_postings {
            let pos = pos as usize;
            let estimate = self.base[pos] + scratch.delta[pos];
            scratch.delta[pos] = 0.0;
            if estimate < self.threshold - 1e-4 {
                continue;
            }
            let held = trained.get_or_insert_with(|| {
                let mut h = self.held.clone();
                for &(s, l, e) in grants {
                    h.learn(s, l, e);
                }
                h
            });
            let p = &postings[self.below[pos] as usize];
            if self.scorer().evaluate(held, self.candidate, p, false).score >= self.threshold {
                opened += 1;
                if let Some(s) = p.salary {
                    salaries.push(s.monthly_mid());
                }
            }
        }
        scratch.touched_postings.clear();
        (opened, median(salaries))
    }
}

/// One candidate's postings in their region, scored once: ask it for the what-if of several
/// plans and the payoff of every course without re-scoring the region each time. Build with
/// [`Planner::payoffs`]; one per request.
pub struct PayoffSession<'a> {
    planner: &'a Planner,
    ctx: Context<'a>,
}

impl std::fmt::Debug for PayoffSession<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayoffSession")
            .field("candidate", &self.ctx.candidate.id)
            .field("province", &self.ctx.province)
            .field("threshold", &self.ctx.threshold)
            .field("postings", &self.ctx.considered)
            .field("fit", &self.ctx.fit_before)
            .finish()
    }
}

impl PayoffSession<'_> {
    /// Eligible postings in the region.
    pub fn postings(&self) -> usize {
        self.ctx.considered
    }

    /// Of those, how many the candidate fits now.
    pub fn fit_now(&self) -> usize {
        self.ctx.fit_before
    }

    /// The candidate re-scored as if `plan` were completed: postings fit before and after,
    /// what the plan opens, the median offered salary of those, and each step's payoff alone.
    pub fn what_if(&self, plan: &TrainingPlan) -> WhatIf {
        let ctx = &self.ctx;
        let mut scratch = ctx.scratch();
        let grants_of = |steps: &[&super::PlanStep]| -> Vec<(SkillId, Level, Evidence)> {
            steps.iter().flat_map(|s| s.grants.iter().map(|g| (g.skill, g.level, s.evidence))).collect()
        };
        let all: Vec<&super::PlanStep> = plan.steps.iter().collect();
        let (opened, median_salary) = ctx.opened(&grants_of(&all), &mut scratch);
        let steps = plan
            .steps
            .iter()
            .map(|s| {
                let (opened, median_salary) = ctx.opened(&grants_of(&[s]), &mut scratch);
                StepPayoff { id: s.id.clone(), opened, median_salary }
            })
            .collect();
        WhatIf {
            province: ctx.province,
            threshold: ctx.threshold,
            postings: ctx.considered,
            fit_before: ctx.fit_before,
            fit_after: ctx.fit_before + opened,
            opened,
            median_salary,
            steps,
        }
    }

    /// Every course and scheme allowed by `plan_options` whose prerequisites the candidate
    /// meets, with the postings it alone would open, ranked by training payoff: free offers
    /// that open postings first (most opened first), then postings opened per rupiah, then
    /// offers that open nothing (cheapest first). Ties go to the lower id.
    pub fn course_payoffs(&self, plan_options: &PlanOptions) -> Vec<CoursePayoff> {
        let ctx = &self.ctx;
        let planner = self.planner;
        let mut scratch = ctx.scratch();
        let held = &ctx.held;
        let mut out: Vec<CoursePayoff> = planner
            .offers()
            .filter(|o| planner.allowed(o, plan_options))
            .filter(|o| o.prerequisites.iter().all(|p| held.get(p.skill).is_some_and(|(l, _)| l >= p.level)))
            .map(|o| {
                let grants: Vec<(SkillId, Level, Evidence)> =
                    o.grants.iter().map(|g| (g.skill, g.level, o.evidence)).collect();
                let (opened, median_salary) = ctx.opened(&grants, &mut scratch);
                CoursePayoff {
                    kind: o.kind,
                    index: o.index,
                    id: o.id.to_string(),
                    cost: o.cost,
                    hours: o.hours,
                    opened,
                    median_salary,
                    opened_per_million_rupiah: (o.cost > 0).then(|| opened as f64 * 1e6 / o.cost as f64),
                }
            })
            .collect();
        let rank = |c: &CoursePayoff| -> (u8, f64) {
            match (c.opened, c.opened_per_million_rupiah) {
                (0, _) => (2, c.cost as f64),
                (n, None) => (0, -(n as f64)),
                (_, Some(rate)) => (1, -rate),
            }
        };
        out.sort_by(|a, b| {
            let (ra, rb) = (rank(a), rank(b));
            ra.0.cmp(&rb.0).then(ra.1.total_cmp(&rb.1)).then_with(|| a.id.cmp(&b.id)).then(a.kind.cmp(&b.kind))
        });
        out
    }
}

impl Planner {
    /// Scores `candidate` once against the engine's postings in their region (see
    /// [`PayoffOptions`]) for what-if and payoff questions.
    pub fn payoffs<'a>(
        &'a self,
        engine: &'a MatchEngine,
        candidate: &'a Candidate,
        options: &PayoffOptions,
    ) -> PayoffSession<'a> {
        PayoffSession { planner: self, ctx: Context::new(engine, candidate, options) }
    }

    /// [`PayoffSession::what_if`] in one call.
    pub fn what_if(
        &self,
        engine: &MatchEngine,
        candidate: &Candidate,
        plan: &TrainingPlan,
        options: &PayoffOptions,
    ) -> WhatIf {
        self.payoffs(engine, candidate, options).what_if(plan)
    }

    /// [`PayoffSession::course_payoffs`] in one call.
    pub fn course_payoffs(
        &self,
        engine: &MatchEngine,
        candidate: &Candidate,
        plan_options: &PlanOptions,
        options: &PayoffOptions,
    ) -> Vec<CoursePayoff> {
        self.payoffs(engine, candidate, options).course_payoffs(plan_options)
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_even_and_odd_lists() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3, 1, 2]), Some(2));
        assert_eq!(median(vec![4_000_000, 5_000_001]), Some(4_500_000));
        assert_eq!(median(vec![u64::MAX, u64::MAX]), Some(u64::MAX));
    }
}

//! Skill gaps and training plans: the cheapest path from a person to the jobs they want.
//!
//! * [`Gap`] lists what a candidate lacks for one posting, an occupation profile or a set of
//!   targets, each skill with what it costs the score and how many targets ask for it.
//! * [`Planner::plan`] chooses courses and certification schemes that close a gap at the least
//!   cost (rupiah, hours or a mix) under the caller's limits: budget, hours, delivery mode,
//!   province or regency, start date, non-overlapping schedules, and prerequisites (a course
//!   needing a skill the candidate lacks comes after one that teaches it, and when both are
//!   dated, after it ends).
//! * [`Planner::what_if`] and [`Planner::course_payoffs`] re-score the candidate as if the
//!   training were done and count the postings in their region it opens ("training payoff").
//!
//! ## How a plan is chosen
//!
//! A course closes a gap skill when it teaches the skill at the level the targets ask for (at
//! least basic when they state none). A certification scheme closes it the same way, with
//! certified evidence: an assessment (recognition of prior learning) presumes the candidate
//! prepares for it, and the plan takes the scheme's skills at face value. With
//! [`PlanOptions::certify`], schemes also certify skills the candidate holds only on their own
//! word ([`Gap::uncertified`]). Evidence does not change the fit score itself (see the `score`
//! docs) but is reported and orders otherwise equal candidates for employers.
//!
//! The best plan leaves the least gap open (weighted by each skill's cost to the score), then
//! has the least objective cost. The planner first runs a greedy weighted set cover (it adds
//! the course, with providers for any unmet prerequisite, that closes the most gap per rupiah),
//! then a branch and bound seeded with the greedy plan. When the search finishes within
//! [`PlanOptions::node_limit`] nodes the plan is optimal and says so ([`Optimality::Exact`]);
//! otherwise it is the best plan found, with a lower bound on the cost of closing the same
//! skills ([`Optimality::Approximate`]). Gap skills that no allowed offer teaches at the level
//! needed are reported as [`TrainingPlan::uncoverable`], by name, never silently dropped.

mod gap;
mod payoff;
mod solve;

use std::fmt::Write as _;

use rustc_hash::{FxHashMap, FxHashSet};

pub use gap::{Gap, GapKind, GapSkill, UncertifiedSkill};
pub use payoff::{CoursePayoff, PayoffOptions, PayoffSession, StepPayoff, WhatIf};

use crate::error::{Error, Result};
use crate::model::{
    Candidate, CandidateSkill, CertificationScheme, Date, Evidence, Level, Location, Mode, ProvinceCode, RegencyCode,
    SkillLevel, TrainingCourse,
};
use crate::taxonomy::{SkillId, Taxonomy};
use solve::{Instance, OfferSpec};

/// What a plan minimises after closing as much of the gap as it can.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Objective {
    /// Total price in rupiah; hours break ties.
    Cost,
    /// Total hours; price breaks ties.
    Hours,
    /// Price plus hours valued at this many rupiah each (for example the minimum wage per hour).
    Weighted {
        /// Rupiah per hour of training.
        rupiah_per_hour: f64,
    },
}

/// Limits and preferences for a plan. The defaults allow everything and minimise price.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanOptions {
    /// What to minimise.
    pub objective: Objective,
    /// Budget in rupiah.
    pub max_cost: Option<u64>,
    /// Most hours of training in all.
    pub max_hours: Option<f32>,
    /// Allow online courses.
    pub online: bool,
    /// Allow offline and hybrid courses.
    pub offline: bool,
    /// Offline and hybrid courses, and schemes with a location, must be in this province.
    /// Locations are BPS codes without coordinates, so the regency stands in for distance.
    pub province: Option<ProvinceCode>,
    /// Stricter: offline and hybrid courses must be in this regency or city.
    pub regency: Option<RegencyCode>,
    /// Dated courses must start on or after this day (intakes already under way are skipped).
    pub start_after: Option<Date>,
    /// Also certify self-declared skills the targets ask for.
    pub certify: bool,
    /// Branch-and-bound nodes to spend before settling for the best plan found (0: greedy only).
    pub node_limit: usize,
}

impl Default for PlanOptions {
    fn default() -> PlanOptions {
        PlanOptions {
            objective: Objective::Cost,
            max_cost: None,
            max_hours: None,
            online: true,
            offline: true,
            province: None,
            regency: None,
            start_after: None,
            certify: false,
            node_limit: 200_000,
        }
    }
}

/// Whether a step is a course or a certification scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OfferKind {
    /// A training course.
    Course,
    /// A certification scheme.
    Scheme,
}

/// One course or scheme in a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanStep {
    /// Course or scheme.
    pub kind: OfferKind,
    /// Its position in the planner's courses (or schemes).
    pub index: usize,
    /// Its external id.
    pub id: String,
    /// Course title or scheme name.
    pub title: String,
    /// Course provider or certification body (empty when unknown).
    pub provider: String,
    /// Price, IDR.
    pub cost: u64,
    /// Hours.
    pub hours: f32,
    /// Delivery mode (courses).
    pub mode: Option<Mode>,
    /// Where.
    pub location: Option<Location>,
    /// Next intake start.
    pub start: Option<Date>,
    /// Next intake end.
    pub end: Option<Date>,
    /// The skills it teaches or certifies, with levels.
    pub grants: Vec<SkillLevel>,
    /// How the candidate will hold them: course completed, or certified.
    pub evidence: Evidence,
    /// The gap skills (and, with [`PlanOptions::certify`], uncertified skills) it closes.
    pub closes: Vec<SkillId>,
    /// Prerequisites an earlier step teaches.
    pub after: Vec<SkillId>,
}

/// How good a plan is known to be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Optimality {
    /// No plan closes more of the gap, or the same for less.
    Exact,
    /// The best plan found; no plan closing the same skills costs less than `lower_bound`
    /// (in objective units).
    Approximate {
        /// A lower bound on the objective for closing the same skills.
        lower_bound: f64,
    },
}

/// A training plan for a gap.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingPlan {
    /// Steps in an order that respects prerequisites and dates.
    pub steps: Vec<PlanStep>,
    /// Total price, IDR.
    pub cost: u64,
    /// Total hours.
    pub hours: f32,
    /// The objective value (see [`Objective`]).
    pub objective: f64,
    /// Gap skills the plan closes.
    pub closes: Vec<SkillId>,
    /// Self-declared skills it certifies (with [`PlanOptions::certify`]).
    pub certifies: Vec<SkillId>,
    /// Gap skills some allowed offer teaches, left open to stay within budget, hours or schedule.
    pub left_open: Vec<SkillId>,
    /// Gap skills no allowed offer teaches at the level needed.
    pub uncoverable: Vec<SkillId>,
    /// Whether the plan is proven optimal.
    pub optimality: Optimality,
}

impl TrainingPlan {
    /// Whether the plan closes the whole gap.
    pub fn is_complete(&self) -> bool {
        self.left_open.is_empty() && self.uncoverable.is_empty()
    }

    /// The candidate as they would be after the plan: each step's skills added, or raised to
    /// the step's level, with the step's evidence (never lowering a level or evidence).
    pub fn apply(&self, candidate: &Candidate) -> Candidate {
        let mut after = candidate.clone();
        for step in &self.steps {
            for g in &step.grants {
                match after.skills.iter_mut().find(|s| s.skill == g.skill) {
                    Some(s) => {
                        s.level = s.level.max(g.level);
                        s.evidence = s.evidence.max(step.evidence);
                    }
                    None => {
                        after.skills.push(CandidateSkill { skill: g.skill, level: g.level, evidence: step.evidence })
                    }
                }
            }
        }
        after
    }

    /// A sentence a job seeker can act on, in Indonesian (`"id"`) or English (anything else),
    /// for example "Ikuti Pengelasan SMAW Dasar (BLK Bekasi, 160 jam, gratis) dan skema Juru Las
    /// 3G (Rp 750.000): Anda akan cocok dengan 12 lowongan lagi di Jawa Barat, median Rp
    /// 5.200.000." Skills no course teaches are named from the taxonomy.
    pub fn describe(&self, taxonomy: &Taxonomy, what_if: Option<&WhatIf>, lang: &str) -> String {
        let id = lang == "id";
        let mut out = String::new();
        // No step: either nothing is left to close, or nothing allowed can close it. The two
        // must not read alike ("no training to take" would tell a person with gaps they have none).
        let nothing_to_close = self.uncoverable.is_empty() && self.left_open.is_empty();
        if self.steps.is_empty() && nothing_to_close {
            return (if id {
                "Tidak perlu pelatihan: keterampilan Anda sudah memenuhi lowongan-lowongan ini."
            } else {
                "No training needed: your skills already meet these postings."
            })
            .to_string();
        }
        if self.steps.is_empty() {
            out.push_str(if id {
                "Belum ada pelatihan yang bisa menutup kekurangan Anda dalam batas yang dipilih"
            } else {
                "No training within the chosen limits closes your gaps"
            });
        } else {
            out.push_str(if id { "Ikuti " } else { "Take " });
            let parts: Vec<String> = self.steps.iter().map(|s| describe_step(s, id)).collect();
            out.push_str(&join_and(&parts, if id { "dan" } else { "and" }));
        }
        if let Some(w) = what_if.filter(|_| !self.steps.is_empty()) {
            let place = w
                .province
                .and_then(|p| crate::Regions::indonesia().province(p))
                .map(|name| if id { format!(" di {name}") } else { format!(" in {name}") })
                .unwrap_or_default();
            if w.opened == 0 {
                // Nothing new crosses the threshold: say what the plan does close instead.
                let n = self.closes.len();
                if id {
                    let _ = write!(out, ": menutup {n} kekurangan keterampilan Anda");
                } else {
                    let _ = write!(out, ": it closes {n} of your skill gaps");
                }
            } else if id {
                let _ = write!(out, ": Anda akan cocok dengan {} lowongan lagi{place}", w.opened);
            } else {
                let _ = write!(out, ": you would fit {} more postings{place}", w.opened);
            }
            if let (Some(m), true) = (w.median_salary, w.opened > 0) {
                let _ = write!(out, ", median {}", rupiah(m));
            }
        }
        out.push('.');
        let open: Vec<&str> = self
            .uncoverable
            .iter()
            .filter_map(|&s| taxonomy.skill(s).map(|k| k.label(if id { "id" } else { "en" })))
            .collect();
        if !open.is_empty() {
            let _ = write!(
                out,
                " {} {}.",
                if id { "Belum ada pelatihan di katalog untuk:" } else { "No course in the catalogue teaches:" },
                open.join(", ")
            );
        }
        if !self.left_open.is_empty() {
            let n = self.left_open.len();
            let _ = write!(
                out,
                " {}",
                if id {
                    format!("{n} keterampilan lain tidak muat dalam batas anggaran, jam atau jadwal.")
                } else {
                    format!("{n} more skills do not fit the budget, hours or schedule.")
                }
            );
        }
        out
    }
}

fn describe_step(s: &PlanStep, id: bool) -> String {
    let price = if s.cost == 0 { (if id { "gratis" } else { "free" }).to_string() } else { rupiah(s.cost) };
    let hours = if s.hours > 0.0 {
        format!("{} {}, ", s.hours.round() as u64, if id { "jam" } else { "hours" })
    } else {
        String::new()
    };
    let provider = if s.provider.is_empty() { String::new() } else { format!("{}, ", s.provider) };
    match s.kind {
        OfferKind::Course => format!("{} ({provider}{hours}{price})", s.title),
        OfferKind::Scheme if id => format!("skema {} ({provider}{price})", s.title),
        OfferKind::Scheme => format!("the {} scheme ({provider}{price})", s.title),
    }
}

fn join_and(parts: &[String], and: &str) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// Rupiah with dots between thousands, as Indonesians write it: `Rp 5.200.000`.
pub(crate) fn rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 3);
    out.push_str("Rp ");
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// The training catalogue a planner chooses from: courses and certification schemes, checked
/// once. Build it once and share it; planning borrows it immutably.
#[derive(Debug)]
pub struct Planner {
    courses: Vec<TrainingCourse>,
    schemes: Vec<CertificationScheme>,
}

/// One offer as the planner sees it, before filtering.
struct Offer<'a> {
    kind: OfferKind,
    index: usize,
    id: &'a str,
    cost: u64,
    hours: f32,
    mode: Option<Mode>,
    location: Option<Location>,
    start: Option<Date>,
    end: Option<Date>,
    grants: &'a [SkillLevel],
    prerequisites: &'a [SkillLevel],
    evidence: Evidence,
}

impl Planner {
    /// Most gap skills (plus skills to certify) one plan may be asked to close: the covering
    /// problem grows with them, and a real gap is tens of skills.
    pub const MAX_GAP_SKILLS: usize = 1_000;
    /// Most branch-and-bound nodes one plan may spend ([`PlanOptions::node_limit`]).
    pub const MAX_NODE_LIMIT: usize = 10_000_000;

    /// Checks the catalogue: positive finite hours for courses (non-negative for schemes), no
    /// duplicate ids, and no prerequisite cycle that no one could ever enter (course A needs a
    /// skill only B teaches and B needs one only A teaches, or a course needs a skill only it
    /// teaches). Cycles with an alternative way in are allowed: the planner routes around them.
    pub fn new(courses: Vec<TrainingCourse>, schemes: Vec<CertificationScheme>) -> Result<Planner> {
        let mut ids = FxHashSet::default();
        for c in &courses {
            if !(c.hours.is_finite() && c.hours > 0.0) {
                return Err(Error::invalid("course hours must be a positive number")
                    .in_field("hours")
                    .with_value(&format!("{}: {}", c.id, c.hours)));
            }
            if !ids.insert(c.id.as_str()) {
                return Err(Error::duplicate("course id").in_field("id").with_value(&c.id));
            }
        }
        let mut scheme_ids = FxHashSet::default();
        for s in &schemes {
            if !(s.hours.is_finite() && s.hours >= 0.0) {
                return Err(Error::invalid("scheme hours must be a non-negative number")
                    .in_field("hours")
                    .with_value(&format!("{}: {}", s.id, s.hours)));
            }
            if !scheme_ids.insert(s.id.as_str()) {
                return Err(Error::duplicate("scheme id").in_field("id").with_value(&s.id));
            }
        }
        let planner = Planner { courses, schemes };
        planner.check_cycles()?;
        Ok(planner)
    }

    /// The courses.
    pub fn courses(&self) -> &[TrainingCourse] {
        &self.courses
    }

    /// The schemes.
    pub fn schemes(&self) -> &[CertificationScheme] {
        &self.schemes
    }

    fn offers(&self) -> impl Iterator<Item = Offer<'_>> + '_ {
        let courses = self.courses.iter().enumerate().map(|(index, c)| Offer {
            kind: OfferKind::Course,
            index,
            id: &c.id,
            cost: c.cost,
            hours: c.hours,
            mode: Some(c.mode),
            location: c.location,
            start: c.start,
            end: c.end,
            grants: &c.skills,
            prerequisites: &c.prerequisites,
            evidence: Evidence::CourseCompleted,
        });
        let schemes = self.schemes.iter().enumerate().map(|(index, s)| Offer {
            kind: OfferKind::Scheme,
            index,
            id: &s.id,
            cost: s.cost,
            hours: s.hours,
            mode: None,
            location: s.location,
            start: None,
            end: None,
            grants: &s.skills,
            prerequisites: &[],
            evidence: Evidence::Certified,
        });
        courses.chain(schemes)
    }

    /// Forced prerequisite edges: A → B when B is the only other offer teaching one of A's
    /// prerequisites at the level needed (or A → A when none but A teaches it and A teaches it).
    fn check_cycles(&self) -> Result<()> {
        let offers: Vec<Offer<'_>> = self.offers().collect();
        let mut teachers: FxHashMap<SkillId, Vec<(usize, Level)>> = FxHashMap::default();
        for (i, o) in offers.iter().enumerate() {
            for g in o.grants {
                teachers.entry(g.skill).or_default().push((i, g.level));
            }
        }
        let n = offers.len();
        let mut forced: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (a, o) in offers.iter().enumerate() {
            for p in o.prerequisites {
                let providers: Vec<usize> = teachers
                    .get(&p.skill)
                    .map(|t| t.iter().filter(|(b, l)| *b != a && *l >= p.level).map(|(b, _)| *b).collect())
                    .unwrap_or_default();
                let teaches_itself = o.grants.iter().any(|g| g.skill == p.skill && g.level >= p.level);
                match providers.as_slice() {
                    [] if teaches_itself => {
                        return Err(Error::invalid(format!(
                            "cyclic prerequisites: course {} needs a skill only it teaches",
                            o.id
                        ))
                        .in_field("prerequisites")
                        .with_value(o.id));
                    }
                    [only] => forced[a].push(*only),
                    _ => {}
                }
            }
        }
        // Depth-first search for a cycle among forced edges.
        let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&to) = forced[node].get(*next) {
                    *next += 1;
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 => {
                            let start = stack.iter().position(|&(s, _)| s == to).unwrap_or(0);
                            let mut path: Vec<&str> = stack[start..].iter().map(|&(s, _)| offers[s].id).collect();
                            path.push(offers[to].id);
                            return Err(Error::invalid(format!("cyclic prerequisites: {}", path.join(" → ")))
                                .in_field("prerequisites")
                                .with_value(offers[to].id));
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        Ok(())
    }

    fn allowed(&self, o: &Offer<'_>, options: &PlanOptions) -> bool {
        let online = o.mode == Some(Mode::Online);
        match o.mode {
            Some(Mode::Online) if !options.online => return false,
            Some(Mode::Offline | Mode::Hybrid) if !options.offline => return false,
            _ => {}
        }
        if !online {
            if let Some(p) = options.province {
                // Schemes without a location are assessed where the candidate is.
                match o.location {
                    Some(l) if l.province != p => return false,
                    None if o.kind == OfferKind::Course => return false,
                    _ => {}
                }
            }
            if let (Some(r), OfferKind::Course) = (options.regency, o.kind) {
                if o.location.and_then(|l| l.regency) != Some(r) {
                    return false;
                }
            }
        }
        if let (Some(after), Some(start)) = (options.start_after, o.start) {
            if start < after {
                return false;
            }
        }
        if options.max_cost.is_some_and(|m| o.cost > m) || options.max_hours.is_some_and(|h| o.hours > h) {
            return false;
        }
        true
    }

    /// Plans training that closes `gap` for `candidate` under `options`.
    ///
    /// Errors on invalid options (a negative, NaN or infinite hour limit or hourly value) and
    /// on requests over a limit: more than [`Planner::MAX_GAP_SKILLS`] skills to close, a
    /// `node_limit` over [`Planner::MAX_NODE_LIMIT`], a candidate over
    /// [`MatchEngine::MAX_PROFILE_SKILLS`](crate::MatchEngine::MAX_PROFILE_SKILLS). A gap no
    /// allowed offer can close is not an error: the plan names those skills in
    /// [`TrainingPlan::uncoverable`].
    pub fn plan(&self, candidate: &Candidate, gap: &Gap, options: &PlanOptions) -> Result<TrainingPlan> {
        let to_close = gap.skills.len() + if options.certify { gap.uncertified.len() } else { 0 };
        Error::check_limit("gap skills", to_close, Planner::MAX_GAP_SKILLS)?;
        Error::check_limit("branch-and-bound nodes", options.node_limit, Planner::MAX_NODE_LIMIT)
            .map_err(|e| e.in_field("node_limit"))?;
        Error::check_limit("candidate skills", candidate.skills.len(), crate::MatchEngine::MAX_PROFILE_SKILLS)
            .map_err(|e| e.in_field("skills").with_value(&candidate.id))?;
        if options.max_hours.is_some_and(|h| !h.is_finite() || h < 0.0) {
            return Err(Error::invalid("max_hours must be a non-negative number").in_field("max_hours"));
        }
        if let Objective::Weighted { rupiah_per_hour } = options.objective {
            if !rupiah_per_hour.is_finite() || rupiah_per_hour < 0.0 {
                return Err(Error::invalid("rupiah_per_hour must be a non-negative number")
                    .in_field("objective")
                    .with_value(&rupiah_per_hour.to_string()));
            }
        }
        let held: FxHashMap<SkillId, (Level, Evidence)> =
            candidate.skills.iter().map(|s| (s.skill, (s.level, s.evidence))).collect();
        // Items: gap skills, then (optionally) skills to certify.
        struct Item {
            skill: SkillId,
            level: Level,
            certify: bool,
            weight: f64,
        }
        let mut items: Vec<Item> = gap
            .skills
            .iter()
            .map(|g| Item {
                skill: g.skill,
                level: g.required_level.unwrap_or(Level::Basic).max(g.held_level.unwrap_or(Level::Basic)),
                certify: false,
                // Every gap skill counts, even one whose cost rounds to nothing.
                weight: f64::from(g.cost).max(1e-6),
            })
            .collect();
        if options.certify {
            items.extend(gap.uncertified.iter().map(|u| Item {
                skill: u.skill,
                level: u.required_level.unwrap_or(Level::Basic),
                certify: true,
                weight: 1e-7 * u.required_by.max(1) as f64,
            }));
        }
        let allowed: Vec<Offer<'_>> = self.offers().filter(|o| self.allowed(o, options)).collect();
        let needs_of = |o: &Offer<'_>| -> Vec<(SkillId, Level)> {
            o.prerequisites
                .iter()
                .filter(|p| held.get(&p.skill).is_none_or(|h| h.0 < p.level))
                .map(|p| (p.skill, p.level))
                .collect()
        };
        let covers_of = |o: &Offer<'_>| -> Vec<u32> {
            items
                .iter()
                .enumerate()
                .filter(|(_, it)| {
                    (!it.certify || o.kind == OfferKind::Scheme)
                        && o.grants.iter().any(|g| g.skill == it.skill && g.level >= it.level)
                })
                .map(|(i, _)| i as u32)
                .collect()
        };
        // Relevant offers: those closing an item, plus (transitively) providers of their needs.
        let mut relevant: Vec<bool> = allowed.iter().map(|o| !covers_of(o).is_empty()).collect();
        loop {
            let wanted: Vec<(SkillId, Level)> =
                allowed.iter().zip(&relevant).filter(|(_, r)| **r).flat_map(|(o, _)| needs_of(o)).collect();
            let mut grew = false;
            for (i, o) in allowed.iter().enumerate() {
                if !relevant[i] && wanted.iter().any(|&(s, l)| o.grants.iter().any(|g| g.skill == s && g.level >= l)) {
                    relevant[i] = true;
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        let chosen: Vec<&Offer<'_>> = allowed.iter().zip(&relevant).filter(|(_, r)| **r).map(|(o, _)| o).collect();
        let objective = |o: &Offer<'_>| -> f64 {
            let (money, hours) = (o.cost as f64, f64::from(o.hours));
            match options.objective {
                Objective::Cost => money + hours,
                Objective::Hours => hours + money * 1e-9,
                Objective::Weighted { rupiah_per_hour } => money + rupiah_per_hour * hours,
            }
        };
        let instance = Instance {
            weights: items.iter().map(|i| i.weight).collect(),
            offers: chosen
                .iter()
                .map(|o| OfferSpec {
                    cost: objective(o),
                    money: o.cost,
                    hours: f64::from(o.hours),
                    covers: covers_of(o),
                    teaches: o.grants.iter().map(|g| (g.skill, g.level)).collect(),
                    needs: needs_of(o),
                    window: o.start.zip(o.end),
                    rank: u8::from(o.kind == OfferKind::Scheme),
                })
                .collect(),
            max_money: options.max_cost,
            max_hours: options.max_hours.map(f64::from),
        };
        let greedy = instance.greedy();
        let (solution, exact) = if options.node_limit == 0 {
            (greedy, false)
        } else {
            instance.branch_and_bound(greedy, options.node_limit)
        };
        let coverable: Vec<bool> =
            (0..items.len()).map(|i| instance.offers.iter().any(|o| o.covers.contains(&(i as u32)))).collect();
        let optimality = if exact {
            Optimality::Exact
        } else {
            Optimality::Approximate { lower_bound: instance.lower_bound(&solution.covered) }
        };
        let mut plan = TrainingPlan {
            steps: Vec::with_capacity(solution.order.len()),
            cost: 0,
            hours: 0.0,
            objective: solution.cost,
            closes: Vec::new(),
            certifies: Vec::new(),
            left_open: Vec::new(),
            uncoverable: Vec::new(),
            optimality,
        };
        for (i, it) in items.iter().enumerate() {
            match (solution.covered[i], coverable[i], it.certify) {
                (true, _, false) => plan.closes.push(it.skill),
                (true, _, true) => plan.certifies.push(it.skill),
                (false, _, true) => {} // certification is a wish, not a gap
                (false, true, false) => plan.left_open.push(it.skill),
                (false, false, false) => plan.uncoverable.push(it.skill),
            }
        }
        let mut taught: Vec<SkillId> = Vec::new();
        for &o in &solution.order {
            let offer = chosen[o];
            let spec = &instance.offers[o];
            let (title, provider) = match offer.kind {
                OfferKind::Course => {
                    let c = &self.courses[offer.index];
                    (c.title.clone(), c.provider.clone())
                }
                OfferKind::Scheme => {
                    let s = &self.schemes[offer.index];
                    (s.name.clone(), s.body.clone().unwrap_or_default())
                }
            };
            plan.cost = plan.cost.saturating_add(offer.cost);
            plan.hours += offer.hours;
            plan.steps.push(PlanStep {
                kind: offer.kind,
                index: offer.index,
                id: offer.id.to_string(),
                title,
                provider,
                cost: offer.cost,
                hours: offer.hours,
                mode: offer.mode,
                location: offer.location,
                start: offer.start,
                end: offer.end,
                grants: offer.grants.to_vec(),
                evidence: offer.evidence,
                closes: spec
                    .covers
                    .iter()
                    .filter(|&&i| solution.covered[i as usize])
                    .map(|&i| items[i as usize].skill)
                    .collect(),
                after: spec.needs.iter().map(|n| n.0).filter(|s| taught.contains(s)).collect(),
            });
            taught.extend(offer.grants.iter().map(|g| g.skill));
        }
        debug_assert!(options.max_cost.is_none_or(|m| plan.cost <= m));
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_uses_dots_between_thousands() {
        assert_eq!(rupiah(0), "Rp 0");
        assert_eq!(rupiah(950), "Rp 950");
        assert_eq!(rupiah(5_200_000), "Rp 5.200.000");
        assert_eq!(rupiah(12_345_678_901), "Rp 12.345.678.901");
    }

    #[test]
    fn describe_reads_like_advice() {
        let step = |kind, title: &str, provider: &str, cost, hours| PlanStep {
            kind,
            index: 0,
            id: title.into(),
            title: title.into(),
            provider: provider.into(),
            cost,
            hours,
            mode: None,
            location: None,
            start: None,
            end: None,
            grants: Vec::new(),
            evidence: Evidence::CourseCompleted,
            closes: Vec::new(),
            after: Vec::new(),
        };
        let plan = TrainingPlan {
            steps: vec![
                step(OfferKind::Course, "Pengelasan SMAW Dasar", "BLK Bekasi", 0, 160.0),
                step(OfferKind::Scheme, "BNSP Juru Las 3G", "", 750_000, 0.0),
            ],
            cost: 750_000,
            hours: 160.0,
            objective: 750_160.0,
            closes: Vec::new(),
            certifies: Vec::new(),
            left_open: Vec::new(),
            uncoverable: Vec::new(),
            optimality: Optimality::Exact,
        };
        let what_if = WhatIf {
            province: ProvinceCode::from_number(32),
            threshold: 0.7,
            postings: 1000,
            fit_before: 3,
            fit_after: 415,
            opened: 412,
            median_salary: Some(5_200_000),
            steps: Vec::new(),
        };
        let taxonomy = Taxonomy::builder("empty").build().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            plan.describe(&taxonomy, Some(&what_if), "en"),
            "Take Pengelasan SMAW Dasar (BLK Bekasi, 160 hours, free) and the BNSP Juru Las 3G scheme (Rp 750.000): \
             you would fit 412 more postings in Jawa Barat, median Rp 5.200.000."
        );
        assert_eq!(
            plan.describe(&taxonomy, Some(&what_if), "id"),
            "Ikuti Pengelasan SMAW Dasar (BLK Bekasi, 160 jam, gratis) dan skema BNSP Juru Las 3G (Rp 750.000): \
             Anda akan cocok dengan 412 lowongan lagi di Jawa Barat, median Rp 5.200.000."
        );
        // No step: "nothing needed" and "nothing fits" must not read alike.
        let none = TrainingPlan { steps: Vec::new(), cost: 0, hours: 0.0, objective: 0.0, ..plan.clone() };
        let nothing_opened = WhatIf { opened: 0, fit_after: 3, median_salary: None, ..what_if.clone() };
        assert_eq!(
            none.describe(&taxonomy, Some(&nothing_opened), "en"),
            "No training needed: your skills already meet these postings."
        );
        let stuck = TrainingPlan { left_open: vec![SkillId::from_index(0)], ..none.clone() };
        let sentence = stuck.describe(&taxonomy, Some(&nothing_opened), "en");
        assert_eq!(
            sentence,
            "No training within the chosen limits closes your gaps. 1 more skills do not fit the budget, hours or schedule."
        );
        assert!(stuck.describe(&taxonomy, None, "id").starts_with("Belum ada pelatihan yang bisa menutup"));
    }
}

//! Did the training help? Placement of participants against matched similar non-participants,
//! and how far each course narrowed its participants' skill gaps.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::Z_95;
use crate::error::{Error, Result};
use crate::model::{Candidate, Date, Enrolment, Evidence, Rng, SeekerOutcome, TrainingCourse};
use crate::plan::Gap;
use crate::score::{MatchEngine, MatchFilters, SkillProfile};

/// Options for [`Comparison::compute`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ComparisonOptions {
    /// The outcome: placed within this many days of the reference date (a participant's
    /// first enrolment; a non-participant's registration).
    pub window_days: i32,
    /// Matched non-participants per participant (nearest by skill profile, with
    /// replacement).
    pub neighbours: usize,
    /// Length of the period buckets people are matched within, in days (91: quarters).
    pub period_days: i32,
    /// Lowest skill-profile cosine accepted for a match (a participant with no control this
    /// close is left unmatched and counted).
    pub min_similarity: f32,
    /// Bootstrap resamples for the interval.
    pub bootstrap: usize,
    /// Seed of the bootstrap (results are reproducible).
    pub seed: u64,
    /// Normal quantile of the interval's coverage ([`Z_95`]: 95%).
    pub z: f64,
    /// The date the data runs to; people whose window has not closed by then are left out.
    /// Default: the latest date in the data.
    pub as_of: Option<Date>,
}

impl Default for ComparisonOptions {
    fn default() -> ComparisonOptions {
        ComparisonOptions {
            window_days: 180,
            neighbours: 3,
            period_days: 91,
            min_similarity: 0.0,
            bootstrap: 1_000,
            seed: 1,
            z: Z_95,
            as_of: None,
        }
    }
}

/// Placement among participants against matched similar non-participants.
///
/// **Method.** Each participant is matched, with replacement, to the `neighbours`
/// non-participants (and any tied with the last of them) closest in skill profile ([`SkillProfile`], the fit engine's related-skill
/// credits included) among those in the same province, at the same education rank, and
/// registered in the same period as the participant first enrolled. The effect is the mean,
/// over matched participants, of their outcome minus the mean outcome of their matches (the
/// average effect on the treated). The interval resamples matched participants with their
/// matches held fixed (percentile bootstrap).
///
/// **What it assumes and does not prove.** It assumes that, once skill profile, province,
/// education and period are alike, whether a person trained is unrelated to their chance of a
/// job otherwise (no hidden confounders: motivation, networks, health are not observed). It
/// measures association under that assumption, not proof of cause. The interval treats the
/// matches as given, so it can be too narrow when a few controls are reused very often;
/// `max_control_reuse` reports how often the most-used one was. Participants without a close
/// enough control are left out, so the estimate describes the matched participants only.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Participants whose outcome window has closed and who have a profile.
    pub participants: u64,
    /// Of those, matched to at least one control.
    pub matched: u64,
    /// Participants left out for want of a comparable non-participant.
    pub unmatched: u64,
    /// Non-participants available as controls.
    pub controls: u64,
    /// Distinct controls used.
    pub controls_used: u64,
    /// How many participants the most-reused control was matched to.
    pub max_control_reuse: u64,
    /// Mean skill-profile cosine between participants and their matches.
    pub mean_similarity: f64,
    /// Placement rate of the matched participants.
    pub participant_rate: f64,
    /// Mean placement rate of their matches.
    pub comparison_rate: f64,
    /// `participant_rate − comparison_rate`: the estimated effect on placement.
    pub difference: f64,
    /// Lower end of the bootstrap interval of the difference.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// The raw difference (all eligible participants against all eligible controls), shown
    /// to make plain what matching corrects.
    pub naive_difference: f64,
    /// The outcome window, in days.
    pub window_days: i32,
}

/// One matched participant: their outcome, the mean outcome of their controls, the mean
/// similarity to them, and the controls.
type Matched = (f64, f64, f64, Vec<u32>);

/// One completed enrolment measured: course, score before and after, gap size before and after.
type Closure<'a> = (&'a str, f64, f64, f64, f64);

/// Similarities this close count as a tie.
const TIE_EPSILON: f32 = 1e-6;

struct Person<'a> {
    placed: bool,
    cell: (u8, u8, i32),
    profile: SkillProfile,
    _candidate: &'a Candidate,
}

fn cell_of(c: &Candidate, reference: Date, period_days: i32) -> (u8, u8, i32) {
    (
        c.location.map_or(0, |l| l.province.get()),
        c.education.map_or(u8::MAX, |e| e.rank()),
        reference.days_since_epoch().div_euclid(period_days.max(1)),
    )
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = (q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[pos.min(sorted.len() - 1)]
}

/// The standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; |error| < 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs() / std::f64::consts::SQRT_2);
    let poly =
        t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-(x * x) / 2.0).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

impl Comparison {
    /// Estimates the difference in placement. `candidates` are the profiles (participants'
    /// as they were before training), `enrolments` say who took part, `outcomes` hold every
    /// job seeker's registration and placement. Errors on bad options, or when no participant
    /// or no control is eligible.
    pub fn compute(
        engine_scorer: &crate::FitScorer,
        candidates: &[Candidate],
        enrolments: &[Enrolment],
        outcomes: &[SeekerOutcome],
        options: &ComparisonOptions,
    ) -> Result<Comparison> {
        if options.window_days <= 0 || options.period_days <= 0 || options.neighbours == 0 {
            return Err(Error::invalid("window_days, period_days and neighbours must be positive"));
        }
        if !(0.0..=1.0).contains(&options.min_similarity) {
            return Err(Error::invalid("min_similarity must be in [0, 1]"));
        }
        let by_id: FxHashMap<&str, &Candidate> = candidates.iter().map(|c| (c.id.as_str(), c)).collect();
        // A participant's reference is their first enrolment; placed if any record shows a
        // placement inside the window.
        let mut first: FxHashMap<&str, (Date, Option<Date>)> = FxHashMap::default();
        for e in enrolments {
            let entry = first.entry(e.participant.as_str()).or_insert((e.enrolled, None));
            entry.0 = entry.0.min(e.enrolled);
            if let Some(p) = e.placed {
                entry.1 = Some(entry.1.map_or(p, |q| q.min(p)));
            }
        }
        let outcome_of: FxHashMap<&str, &SeekerOutcome> = outcomes.iter().map(|o| (o.candidate.as_str(), o)).collect();
        let as_of = options.as_of.unwrap_or_else(|| {
            let a = enrolments.iter().flat_map(|e| [Some(e.end), e.placed]).flatten();
            let b = outcomes.iter().flat_map(|o| [Some(o.registered), o.placed]).flatten();
            a.chain(b).max().unwrap_or(Date::from_days(0))
        });
        let window = options.window_days;
        let placed_within = |reference: Date, placed: Option<Date>| {
            placed.is_some_and(|p| p >= reference && p.days_since(reference) <= window)
        };
        let mut treated: Vec<Person<'_>> = Vec::new();
        let mut participant_ids: Vec<&str> = first.keys().copied().collect();
        participant_ids.sort_unstable();
        for id in participant_ids {
            let (reference, placed) = first[id];
            let Some(&c) = by_id.get(id) else { continue };
            if as_of.days_since(reference) < window {
                continue;
            }
            let placed = placed.or_else(|| outcome_of.get(id).and_then(|o| o.placed));
            treated.push(Person {
                placed: placed_within(reference, placed),
                cell: cell_of(c, reference, options.period_days),
                profile: SkillProfile::of(engine_scorer, c),
                _candidate: c,
            });
        }
        let mut controls: Vec<Person<'_>> = Vec::new();
        for o in outcomes {
            if first.contains_key(o.candidate.as_str()) || as_of.days_since(o.registered) < window {
                continue;
            }
            let Some(&c) = by_id.get(o.candidate.as_str()) else { continue };
            controls.push(Person {
                placed: placed_within(o.registered, o.placed),
                cell: cell_of(c, o.registered, options.period_days),
                profile: SkillProfile::of(engine_scorer, c),
                _candidate: c,
            });
        }
        if treated.is_empty() {
            return Err(Error::missing("participants with a profile whose outcome window has closed"));
        }
        if controls.is_empty() {
            return Err(Error::missing("non-participants with a profile whose outcome window has closed"));
        }
        let mut cells: FxHashMap<(u8, u8, i32), Vec<u32>> = FxHashMap::default();
        for (j, c) in controls.iter().enumerate() {
            cells.entry(c.cell).or_default().push(j as u32);
        }
        let k = options.neighbours;
        // For each participant: (outcome, mean control outcome, mean similarity, controls).
        let matches: Vec<Option<Matched>> = treated
            .par_iter()
            .map(|t| {
                let pool = cells.get(&t.cell)?;
                let mut best: Vec<(f32, u32)> = pool
                    .iter()
                    .map(|&j| (t.profile.cosine(&controls[j as usize].profile), j))
                    .filter(|&(s, _)| s >= options.min_similarity)
                    .collect();
                if best.is_empty() {
                    return None;
                }
                let take = k.min(best.len());
                best.select_nth_unstable_by(take - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                // Controls tied with the k-th nearest are all kept (Abadie and Imbens): breaking
                // ties by position would reuse the same few controls for every participant
                // with a common profile and make the estimate hinge on them.
                let kth = best[take - 1].0;
                best.retain(|&(s, _)| s >= kth - TIE_EPSILON);
                let used = best.len() as f64;
                let y0 =
                    best.iter().map(|&(_, j)| f64::from(u8::from(controls[j as usize].placed))).sum::<f64>() / used;
                let sim = best.iter().map(|&(s, _)| f64::from(s)).sum::<f64>() / used;
                Some((f64::from(u8::from(t.placed)), y0, sim, best.into_iter().map(|x| x.1).collect()))
            })
            .collect();
        let matched: Vec<&Matched> = matches.iter().flatten().collect();
        let n = matched.len();
        let mut reuse: FxHashMap<u32, u64> = FxHashMap::default();
        for m in &matched {
            for &j in &m.3 {
                *reuse.entry(j).or_default() += 1;
            }
        }
        let naive = {
            let t = treated.iter().filter(|p| p.placed).count() as f64 / treated.len() as f64;
            let c = controls.iter().filter(|p| p.placed).count() as f64 / controls.len() as f64;
            t - c
        };
        let (rate1, rate0, diff, sim, low, high) = if n == 0 {
            (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        } else {
            let diffs: Vec<f64> = matched.iter().map(|m| m.0 - m.1).collect();
            let rate1 = matched.iter().map(|m| m.0).sum::<f64>() / n as f64;
            let rate0 = matched.iter().map(|m| m.1).sum::<f64>() / n as f64;
            let sim = matched.iter().map(|m| m.2).sum::<f64>() / n as f64;
            let diff = rate1 - rate0;
            let b = options.bootstrap.max(1);
            let mut stats: Vec<f64> = (0..b as u64)
                .into_par_iter()
                .map(|r| {
                    let mut rng = Rng::new(options.seed, 0x0B00_7578, r);
                    (0..n).map(|_| diffs[rng.below(n)]).sum::<f64>() / n as f64
                })
                .collect();
            stats.sort_by(f64::total_cmp);
            let alpha = 1.0 - (2.0 * normal_cdf(options.z.abs()) - 1.0);
            (rate1, rate0, diff, sim, percentile(&stats, alpha / 2.0), percentile(&stats, 1.0 - alpha / 2.0))
        };
        Ok(Comparison {
            participants: treated.len() as u64,
            matched: n as u64,
            unmatched: (treated.len() - n) as u64,
            controls: controls.len() as u64,
            controls_used: reuse.len() as u64,
            max_control_reuse: reuse.values().copied().max().unwrap_or(0),
            mean_similarity: sim,
            participant_rate: rate1,
            comparison_rate: rate0,
            difference: diff,
            low,
            high,
            naive_difference: naive,
            window_days: window,
        })
    }
}

/// How far one course narrowed its participants' gaps.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CourseGapClosure {
    /// The course id.
    pub course: String,
    /// Completed participants measured.
    pub participants: u64,
    /// Their mean fit to their target postings before the course.
    pub mean_score_before: f64,
    /// The same targets, with the course's skills added at its levels (certified where the
    /// participant was).
    pub mean_score_after: f64,
    /// Mean number of missing or under-level skills before.
    pub mean_gap_before: f64,
    /// And after.
    pub mean_gap_after: f64,
}

/// Gap closure per course. See [`GapClosure::compute`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapClosure {
    /// The courses, most narrowing (mean score gain) first.
    pub courses: Vec<CourseGapClosure>,
    /// Completed enrolments left out (participant without a profile or with one the engine
    /// refuses, or an unknown course).
    pub left_out: u64,
}

impl GapClosure {
    /// For every completed enrolment: the participant's top `targets` postings in their
    /// province (from the engine, before training) are fixed as targets; the gap is measured
    /// before and after adding what the course teaches. The gain is what the course as
    /// taught moved the participant towards those postings.
    pub fn compute(
        engine: &MatchEngine,
        candidates: &[Candidate],
        enrolments: &[Enrolment],
        courses: &[TrainingCourse],
        targets: usize,
    ) -> GapClosure {
        let by_id: FxHashMap<&str, &Candidate> = candidates.iter().map(|c| (c.id.as_str(), c)).collect();
        let course_of: FxHashMap<&str, &TrainingCourse> = courses.iter().map(|c| (c.id.as_str(), c)).collect();
        let scorer = engine.scorer();
        let rows: Vec<Option<Closure<'_>>> = enrolments
            .par_iter()
            .filter(|e| e.completed)
            .map(|e| {
                let c = *by_id.get(e.participant.as_str())?;
                let course = *course_of.get(e.course.as_str())?;
                let filters = MatchFilters { province: c.location.map(|l| l.province), ..MatchFilters::default() };
                let top = engine.jobs_for_candidate(c, targets, &filters).ok()?;
                let postings: Vec<&crate::JobPosting> = top.iter().map(|r| &engine.postings()[r.index]).collect();
                let before = Gap::for_postings(scorer, c, postings.iter().copied());
                let mut trained = c.clone();
                let evidence = if e.certified { Evidence::Certified } else { Evidence::CourseCompleted };
                for t in &course.skills {
                    match trained.skills.iter_mut().find(|s| s.skill == t.skill) {
                        Some(s) => {
                            s.level = s.level.max(t.level);
                            s.evidence = s.evidence.max(evidence);
                        }
                        None => trained.skills.push(crate::CandidateSkill { skill: t.skill, level: t.level, evidence }),
                    }
                }
                let after = Gap::for_postings(scorer, &trained, postings.iter().copied());
                Some((
                    course.id.as_str(),
                    f64::from(before.mean_score),
                    f64::from(after.mean_score),
                    before.skills.len() as f64,
                    after.skills.len() as f64,
                ))
            })
            .collect();
        let mut acc: FxHashMap<&str, (u64, f64, f64, f64, f64)> = FxHashMap::default();
        let mut left_out = 0u64;
        for r in &rows {
            let Some((course, sb, sa, gb, ga)) = *r else {
                left_out += 1;
                continue;
            };
            let e = acc.entry(course).or_default();
            e.0 += 1;
            e.1 += sb;
            e.2 += sa;
            e.3 += gb;
            e.4 += ga;
        }
        let mut courses: Vec<CourseGapClosure> = acc
            .into_iter()
            .map(|(course, (n, sb, sa, gb, ga))| {
                let n_f = n as f64;
                CourseGapClosure {
                    course: course.to_string(),
                    participants: n,
                    mean_score_before: sb / n_f,
                    mean_score_after: sa / n_f,
                    mean_gap_before: gb / n_f,
                    mean_gap_after: ga / n_f,
                }
            })
            .collect();
        courses.sort_by(|a, b| {
            let ga = a.mean_score_after - a.mean_score_before;
            let gb = b.mean_score_after - b.mean_score_before;
            gb.total_cmp(&ga).then(a.course.cmp(&b.course))
        });
        let distinct: FxHashSet<&str> = courses.iter().map(|c| c.course.as_str()).collect();
        debug_assert_eq!(distinct.len(), courses.len());
        GapClosure { courses, left_out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(Z_95) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
    }

    #[test]
    fn percentile_picks_order_statistics() {
        let v: Vec<f64> = (0..101).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.025), 3.0);
        assert_eq!(percentile(&v, 0.975), 98.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}

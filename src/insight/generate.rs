//! Seeded synthetic training records with a known effect, for the BLK report example, tests
//! of the estimators and benches.

use rayon::prelude::*;

use crate::model::{month_label, Candidate, Date, Enrolment, Rng, SeekerOutcome, TrainingCourse};

const KIND_PERSON: u64 = 10;
const KIND_COURSE_QUALITY: u64 = 11;

/// Synthetic enrolments and outcomes, and the effect that was built into them.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingData {
    /// Enrolments (one per participant).
    pub enrolments: Vec<Enrolment>,
    /// Every job seeker's registration and placement, participants included.
    pub outcomes: Vec<SeekerOutcome>,
    /// The true average effect on participants' chance of a job within 180 days of enrolling
    /// (the expected value the comparison estimator should recover).
    pub true_effect: f64,
}

/// Generates training records over given candidates and courses.
///
/// Each person has a baseline chance of a job within 180 days that depends on their
/// education, province and occupation (all observable: the comparison group can match on
/// them). People with worse prospects enrol more often, so the raw difference between
/// participants and others understates the effect. A completed course adds `effect` times the
/// course's quality (fixed per course, mean 1) to that chance, a certificate a little more.
/// Record `i` depends only on `(seed, i)`.
#[derive(Clone, Debug)]
pub struct TrainingGenerator<'a> {
    courses: &'a [TrainingCourse],
    candidates: &'a [Candidate],
    seed: u64,
    participation: f64,
    effect: f64,
    start: Date,
    by_province: Vec<Vec<u32>>,
}

struct Person {
    enrolment: Option<Enrolment>,
    outcome: SeekerOutcome,
    lift: f64,
}

fn unit_hash(seed: u64, kind: u64, x: u64) -> f64 {
    Rng::new(seed, kind, x).unit()
}

impl<'a> TrainingGenerator<'a> {
    /// A generator with 30% participation and an effect of 0.12 for an average completed
    /// course.
    pub fn new(courses: &'a [TrainingCourse], candidates: &'a [Candidate], seed: u64) -> TrainingGenerator<'a> {
        let mut by_province = vec![Vec::new(); 100];
        for (i, c) in courses.iter().enumerate() {
            if let Some(l) = c.location {
                by_province[usize::from(l.province.get())].push(i as u32);
            }
        }
        TrainingGenerator {
            courses,
            candidates,
            seed,
            participation: 0.3,
            effect: 0.12,
            start: Date::from_days(20_454), // 2026-01-01
            by_province,
        }
    }

    /// The share of candidates who enrol, on average (clamped to `[0, 1]`).
    pub fn participation(mut self, p: f64) -> TrainingGenerator<'a> {
        self.participation = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 };
        self
    }

    /// The lift in the chance of a job for completing an average course (clamped to
    /// `[0, 0.5]`).
    pub fn effect(mut self, e: f64) -> TrainingGenerator<'a> {
        self.effect = if e.is_finite() { e.clamp(0.0, 0.5) } else { 0.0 };
        self
    }

    /// The baseline chance of a job within 180 days, from observable traits only.
    fn baseline(&self, c: &Candidate) -> f64 {
        let edu = c.education.map_or(0.0, |e| if e.rank() >= 6 { 0.15 } else { 0.05 });
        let province = c.location.map_or(0.0, |l| unit_hash(self.seed, 12, u64::from(l.province.get())) * 0.1);
        let occupation =
            c.preferences.occupations.first().map_or(0.0, |o| unit_hash(self.seed, 13, o.index() as u64) * 0.2);
        0.12 + edu + province + occupation
    }

    fn quality(&self, course: usize) -> f64 {
        0.25 + 1.5 * unit_hash(self.seed, KIND_COURSE_QUALITY, course as u64)
    }

    fn person(&self, i: usize) -> Person {
        let c = &self.candidates[i];
        let mut rng = Rng::new(self.seed, KIND_PERSON, i as u64);
        let p0 = self.baseline(c);
        let registered = self.start.add_days(rng.range(0, 360) as i32);
        // Worse prospects, more training: participation falls with the baseline.
        let p_enrol = (self.participation * (1.6 - 2.0 * (p0 - 0.12))).clamp(0.0, 1.0);
        let local = c.location.map(|l| &self.by_province[usize::from(l.province.get())]).filter(|v| !v.is_empty());
        let enrol = !self.courses.is_empty() && rng.chance(p_enrol);
        let late = |rng: &mut Rng, from: Date| from.add_days(rng.range(181, 330) as i32);
        if !enrol {
            let placed = if rng.chance(p0) {
                Some(registered.add_days(rng.range(0, 179) as i32))
            } else if rng.chance(0.3) {
                Some(late(&mut rng, registered))
            } else {
                None
            };
            return Person {
                enrolment: None,
                outcome: SeekerOutcome { candidate: c.id.clone(), registered, placed },
                lift: 0.0,
            };
        }
        let ci = match local {
            Some(v) => v[rng.below(v.len())] as usize,
            None => rng.below(self.courses.len()),
        };
        let course = &self.courses[ci];
        let q = self.quality(ci);
        let enrolled = registered;
        let start = enrolled.add_days(rng.range(0, 14) as i32);
        let days = match (course.start, course.end) {
            (Some(s), Some(e)) => e.days_since(s).clamp(1, 150),
            _ => ((course.hours / 6.0).round() as i32).clamp(1, 150),
        };
        let end = start.add_days(days);
        let completed = rng.chance((0.55 + 0.25 * q).min(0.97));
        let certified = completed && rng.chance((0.45 + 0.3 * q).min(0.95));
        let lift = if completed { self.effect * q + if certified { 0.03 } else { 0.0 } } else { 0.0 };
        let p1 = (p0 + lift).min(0.98);
        let earliest = end.days_since(enrolled).min(179);
        let placed = if rng.chance(p1) {
            Some(enrolled.add_days(rng.range(earliest as usize, 179) as i32))
        } else if rng.chance(0.3) {
            Some(late(&mut rng, enrolled))
        } else {
            None
        };
        let wage_before = if rng.chance(0.6) { Some(0) } else { Some(rng.range(15, 40) as u64 * 100_000) };
        let wage_after = placed.map(|_| rng.range(30, 70) as u64 * 100_000 + if certified { 300_000 } else { 0 });
        let enrolment = Enrolment {
            id: format!("enr-{i:07}"),
            participant: c.id.clone(),
            course: course.id.clone(),
            provider: course.provider.clone(),
            provider_kind: course.provider_kind,
            location: course.location,
            cohort: month_label(start),
            enrolled,
            start,
            end,
            completed,
            assessed: certified || (completed && rng.chance(0.2)),
            certified,
            scheme: if certified { course.prepares_for.clone() } else { None },
            placed,
            employer: placed.map(|_| format!("PT Mitra Kerja {}", rng.range(1, 400))),
            posting: None,
            wage_before,
            wage_after,
        };
        Person {
            enrolment: Some(enrolment),
            outcome: SeekerOutcome { candidate: c.id.clone(), registered, placed },
            lift: p1 - p0,
        }
    }

    /// Generates the records, in parallel.
    pub fn generate(&self) -> TrainingData {
        let people: Vec<Person> = (0..self.candidates.len()).into_par_iter().map(|i| self.person(i)).collect();
        let lifts: Vec<f64> = people.iter().filter(|p| p.enrolment.is_some()).map(|p| p.lift).collect();
        let true_effect = if lifts.is_empty() { 0.0 } else { lifts.iter().sum::<f64>() / lifts.len() as f64 };
        let mut enrolments = Vec::with_capacity(lifts.len());
        let mut outcomes = Vec::with_capacity(people.len());
        for p in people {
            enrolments.extend(p.enrolment);
            outcomes.push(p.outcome);
        }
        TrainingData { enrolments, outcomes, true_effect }
    }
}

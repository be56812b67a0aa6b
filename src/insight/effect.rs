//! Training effectiveness: the funnel and its rates per course, provider, BLK, region or cohort.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{median, Rate, Z_95};
use crate::model::{Date, Enrolment, ProviderKind};

/// What to group enrolments by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EffectGroup {
    /// Everything as one group.
    All,
    /// By course id.
    Course,
    /// By provider name.
    Provider,
    /// By provider, BLKs only (other providers are left out).
    Blk,
    /// By province where the course was held (`"online"` for courses without a place).
    Province,
    /// By regency or city where the course was held (`"unknown"` when not recorded).
    Regency,
    /// By cohort label.
    Cohort,
}

/// Options for [`Effectiveness::compute`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EffectOptions {
    /// The date the data runs to. A placement rate "within N days" only counts enrolments
    /// whose course ended at least N days before this date, so recent cohorts, whose
    /// outcomes are not in yet, do not drag rates down. Default: the latest date in the data.
    pub as_of: Option<Date>,
    /// Cells resting on fewer enrolments than this are flagged `small` and never ranked.
    pub min_cell: u64,
    /// Normal quantile of the intervals ([`Z_95`] by default).
    pub z: f64,
}

impl Default for EffectOptions {
    fn default() -> EffectOptions {
        EffectOptions { as_of: None, min_cell: 30, z: Z_95 }
    }
}

/// Counts through the funnel. Stages nest: `enrolled ≥ completed ≥ certified`, and `placed`
/// counts every enrolment with a placement, whether or not the participant finished (people
/// leave courses for jobs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    /// Enrolments.
    pub enrolled: u64,
    /// Of those, completed.
    pub completed: u64,
    /// Of those completed, certified.
    pub certified: u64,
    /// Enrolments with a recorded placement (at any time).
    pub placed: u64,
}

/// Wages before and after, among placed participants with both recorded.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct WageChange {
    /// Participants with both wages.
    pub count: u64,
    /// Median monthly wage before, IDR.
    pub median_before: f64,
    /// Median monthly wage after, IDR.
    pub median_after: f64,
    /// Median of the individual changes (after − before), IDR.
    pub median_change: f64,
}

/// The effectiveness of one group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EffectCell {
    /// The group's key (course id, provider name, province code, cohort…).
    pub group: String,
    /// Counts through the funnel.
    pub funnel: Funnel,
    /// Completed / enrolled.
    pub completion: Rate,
    /// Certified / completed.
    pub certification: Rate,
    /// Placed within 90 days of the course's end / enrolments whose 90 days have passed.
    pub placement_90: Rate,
    /// Placed within 180 days of the course's end / enrolments whose 180 days have passed.
    pub placement_180: Rate,
    /// Median days from the course's end to placement, among the placed (a job found during
    /// the course counts as 0).
    pub median_days_to_placement: Option<f64>,
    /// Wages before and after, where known.
    pub wage_change: Option<WageChange>,
    /// Whether the cell rests on fewer than `min_cell` enrolments: shown, never ranked.
    pub small: bool,
}

/// Effectiveness of training, cell by cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effectiveness {
    /// The date outcomes were observed to.
    pub as_of: Option<String>,
    /// The cells, in key order.
    pub cells: Vec<EffectCell>,
    /// Enrolments in some cell (all of them, except non-BLK ones when grouping by BLK).
    pub counted: u64,
    /// Enrolments left out by the grouping.
    pub left_out: u64,
}

#[derive(Default)]
struct CellAcc {
    funnel: Funnel,
    placed_90: u64,
    due_90: u64,
    placed_180: u64,
    due_180: u64,
    days: Vec<f64>,
    wages: Vec<(f64, f64)>,
}

impl CellAcc {
    fn add(&mut self, e: &Enrolment, as_of: Date) {
        self.funnel.enrolled += 1;
        self.funnel.completed += u64::from(e.completed);
        self.funnel.certified += u64::from(e.completed && e.certified);
        let days = e.placed.map(|p| p.days_since(e.end).max(0));
        self.funnel.placed += u64::from(days.is_some());
        let elapsed = as_of.days_since(e.end);
        if elapsed >= 90 {
            self.due_90 += 1;
            self.placed_90 += u64::from(days.is_some_and(|d| d <= 90));
        }
        if elapsed >= 180 {
            self.due_180 += 1;
            self.placed_180 += u64::from(days.is_some_and(|d| d <= 180));
        }
        if let Some(d) = days {
            self.days.push(f64::from(d));
        }
        if let (Some(b), Some(a)) = (e.wage_before, e.wage_after) {
            self.wages.push((b as f64, a as f64));
        }
    }

    fn merge(mut self, other: CellAcc) -> CellAcc {
        self.funnel.enrolled += other.funnel.enrolled;
        self.funnel.completed += other.funnel.completed;
        self.funnel.certified += other.funnel.certified;
        self.funnel.placed += other.funnel.placed;
        self.placed_90 += other.placed_90;
        self.due_90 += other.due_90;
        self.placed_180 += other.placed_180;
        self.due_180 += other.due_180;
        self.days.extend(other.days);
        self.wages.extend(other.wages);
        self
    }

    fn finish(mut self, group: String, options: &EffectOptions) -> EffectCell {
        let f = self.funnel;
        let z = options.z;
        let wage_change = if self.wages.is_empty() {
            None
        } else {
            let mut before: Vec<f64> = self.wages.iter().map(|w| w.0).collect();
            let mut after: Vec<f64> = self.wages.iter().map(|w| w.1).collect();
            let mut change: Vec<f64> = self.wages.iter().map(|w| w.1 - w.0).collect();
            Some(WageChange {
                count: self.wages.len() as u64,
                median_before: median(&mut before).unwrap_or(0.0),
                median_after: median(&mut after).unwrap_or(0.0),
                median_change: median(&mut change).unwrap_or(0.0),
            })
        };
        debug_assert!(f.enrolled >= f.completed && f.completed >= f.certified && f.enrolled >= f.placed);
        EffectCell {
            group,
            funnel: f,
            completion: Rate::wilson(f.completed, f.enrolled, z),
            certification: Rate::wilson(f.certified, f.completed, z),
            placement_90: Rate::wilson(self.placed_90, self.due_90, z),
            placement_180: Rate::wilson(self.placed_180, self.due_180, z),
            median_days_to_placement: median(&mut self.days),
            wage_change,
            small: f.enrolled < options.min_cell,
        }
    }
}

/// The cell key; borrowed where the record holds it, so a million enrolments do not mean a
/// million string copies.
fn key(e: &Enrolment, by: EffectGroup) -> Option<Cow<'_, str>> {
    Some(match by {
        EffectGroup::All => Cow::Borrowed("all"),
        EffectGroup::Course => Cow::Borrowed(e.course.as_str()),
        EffectGroup::Provider => Cow::Borrowed(e.provider.as_str()),
        EffectGroup::Blk => {
            if e.provider_kind != ProviderKind::Blk {
                return None;
            }
            Cow::Borrowed(e.provider.as_str())
        }
        EffectGroup::Province => e.location.map_or(Cow::Borrowed("online"), |l| Cow::Owned(l.province.to_string())),
        EffectGroup::Regency => {
            e.location.and_then(|l| l.regency).map_or(Cow::Borrowed("unknown"), |r| Cow::Owned(r.to_string()))
        }
        EffectGroup::Cohort => Cow::Borrowed(e.cohort.as_str()),
    })
}

/// The latest date in the records: when the data was last updated, as far as it tells.
fn latest_date(enrolments: &[Enrolment]) -> Option<Date> {
    enrolments.par_iter().map(|e| e.placed.map_or(e.end, |p| p.max(e.end))).max()
}

impl Effectiveness {
    /// Groups enrolments and measures each group. Every enrolment is counted in exactly one
    /// cell, or in `left_out` (only grouping by BLK leaves any out).
    pub fn compute(enrolments: &[Enrolment], by: EffectGroup, options: &EffectOptions) -> Effectiveness {
        let Some(as_of) = options.as_of.or_else(|| latest_date(enrolments)) else {
            return Effectiveness { as_of: None, cells: Vec::new(), counted: 0, left_out: 0 };
        };
        let (groups, left_out) = enrolments
            .par_chunks(8_192)
            .map(|chunk| {
                let mut g: FxHashMap<Cow<'_, str>, CellAcc> = FxHashMap::default();
                let mut left_out = 0u64;
                for e in chunk {
                    match key(e, by) {
                        Some(k) => g.entry(k).or_default().add(e, as_of),
                        None => left_out += 1,
                    }
                }
                (g, left_out)
            })
            .reduce(
                || (FxHashMap::default(), 0),
                |(mut a, la), (b, lb)| {
                    for (k, acc) in b {
                        let merged = match a.remove(&k) {
                            Some(x) => x.merge(acc),
                            None => acc,
                        };
                        a.insert(k, merged);
                    }
                    (a, la + lb)
                },
            );
        let mut cells: Vec<EffectCell> =
            groups.into_par_iter().map(|(k, acc)| acc.finish(k.into_owned(), options)).collect::<Vec<_>>();
        cells.sort_by(|a, b| a.group.cmp(&b.group));
        let counted = cells.iter().map(|c| c.funnel.enrolled).sum();
        Effectiveness { as_of: Some(as_of.to_string()), cells, counted, left_out }
    }

    /// The cells that rest on enough enrolments, best first by the lower end of the chosen
    /// rate's interval (a cautious ranking: a high rate on little evidence does not top it),
    /// ties by key. Small cells are never ranked.
    pub fn ranked(&self, rate: impl Fn(&EffectCell) -> Rate) -> Vec<&EffectCell> {
        let mut v: Vec<&EffectCell> = self.cells.iter().filter(|c| !c.small && rate(c).of > 0).collect();
        v.sort_by(|a, b| rate(b).low.total_cmp(&rate(a).low).then(a.group.cmp(&b.group)));
        v
    }

    /// The cell of one group.
    pub fn cell(&self, group: &str) -> Option<&EffectCell> {
        self.cells.binary_search_by(|c| c.group.as_str().cmp(group)).ok().map(|i| &self.cells[i])
    }
}

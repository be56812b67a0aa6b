//! Labour-market insight and training effectiveness.
//!
//! * **Demand and supply** ([`SkillDemand`], [`SkillSupply`], [`Mismatch`]): which skills
//!   postings ask for, by region, occupation or ISCO/KBJI group and month; which skills job
//!   seekers hold, by region; where the two part ways, with the courses that teach the
//!   shortest skills and the shortages no course in the region teaches ([`ProgrammeList`]).
//! * **Effectiveness** ([`Effectiveness`]): per course, provider, BLK, region or cohort, the
//!   funnel enrolled → completed → certified → placed, completion, certification and placement
//!   rates with Wilson intervals and the counts they rest on, median days to placement and the
//!   wage change. Small cells are flagged, never ranked.
//! * **Comparison group** ([`Comparison`]): placement among participants against matched
//!   similar non-participants, with a bootstrap interval, and [`GapClosure`]: how far each
//!   course narrowed its participants' gaps to the postings in their region.
//! * **Reports and charts** ([`BlkReport`], [`funnel_svg`], [`rates_svg`]): serialisable
//!   results and dependency-free SVG charts.
//!
//! Every rate is a [`Rate`]: the count, what it is out of, and a Wilson score interval, so a
//! reader always sees how much evidence a figure rests on.

mod compare;
mod effect;
mod generate;
mod market;
mod report;
mod svg;

use serde::Serialize;

pub use compare::{Comparison, ComparisonOptions, CourseGapClosure, GapClosure};
pub use effect::{EffectCell, EffectGroup, EffectOptions, Effectiveness, Funnel, WageChange};
pub use generate::{TrainingData, TrainingGenerator};
pub use market::{
    DemandBy, DemandGroup, DemandRow, MarketGroup, Mismatch, OccupationLevel, ProgrammeList, Region, RegionLevel,
    RegionMismatch, ShortageCourses, SkillCount, SkillDemand, SkillMismatch, SkillSupply, SkillTrend, SupplyRow,
};
pub use report::{BlkReport, SkillLine};
pub use svg::{funnel_svg, rates_svg};

/// The normal quantile for a two-sided 95% interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// A proportion `count / of` with its Wilson score interval.
///
/// The Wilson interval keeps its coverage for small counts and for rates near 0 or 1, where
/// the textbook `p ± z√(p(1−p)/n)` collapses to a zero-width interval. With `of = 0` there is
/// no evidence: the value is 0 and the interval is the whole `[0, 1]`.
///
/// ```
/// let r = sepadan::Rate::wilson(5, 10, sepadan::Z_95);
/// assert!((r.low - 0.2366).abs() < 1e-4 && (r.high - 0.7634).abs() < 1e-4);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rate {
    /// How many had the outcome.
    pub count: u64,
    /// Out of how many.
    pub of: u64,
    /// `count / of` (0 when `of` is 0).
    pub value: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

impl Rate {
    /// The rate with a Wilson interval at normal quantile `z` (use [`Z_95`]). `count` above
    /// `of` is clamped to `of`, and a non-finite or negative `z` gives a zero-width interval.
    pub fn wilson(count: u64, of: u64, z: f64) -> Rate {
        let count = count.min(of);
        if of == 0 {
            return Rate { count, of, value: 0.0, low: 0.0, high: 1.0 };
        }
        let z = if z.is_finite() && z > 0.0 { z } else { 0.0 };
        let n = of as f64;
        let p = count as f64 / n;
        let z2 = z * z;
        let denom = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denom;
        let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        // The exact ends at 0 and 1 (rounding can leave 1e-17 outside).
        let low = if count == 0 { 0.0 } else { (centre - half).clamp(0.0, p) };
        let high = if count == of { 1.0 } else { (centre + half).clamp(p, 1.0) };
        Rate { count, of, value: p, low, high }
    }
}

/// The median of a list (mean of the middle two for an even length); `None` when empty.
pub(crate) fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_known_answers() {
        // Reference values: Wilson (1927), as tabulated by Newcombe (1998), Table I.
        let r = Rate::wilson(81, 263, Z_95);
        assert!((r.low - 0.2553).abs() < 1e-4 && (r.high - 0.3662).abs() < 1e-4, "{r:?}");
        let r = Rate::wilson(15, 148, Z_95);
        assert!((r.low - 0.0624).abs() < 1e-4 && (r.high - 0.1605).abs() < 1e-4, "{r:?}");
        let r = Rate::wilson(0, 20, Z_95);
        assert!(r.low == 0.0 && (r.high - 0.1611).abs() < 1e-4, "{r:?}");
        let r = Rate::wilson(1, 29, Z_95);
        assert!((r.low - 0.0061).abs() < 1e-4 && (r.high - 0.1718).abs() < 1e-4, "{r:?}");
        let r = Rate::wilson(10, 10, Z_95);
        assert!((r.low - 0.7225).abs() < 1e-4 && r.high == 1.0, "{r:?}");
        let r = Rate::wilson(0, 0, Z_95);
        assert_eq!((r.value, r.low, r.high), (0.0, 0.0, 1.0));
        let r = Rate::wilson(7, 3, f64::NAN);
        assert_eq!((r.count, r.value, r.low, r.high), (3, 1.0, 1.0, 1.0));
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}

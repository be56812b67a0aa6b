//! The batch engine: top-k jobs per candidate and top-k candidates per job, exact.
//!
//! Recall uses inverted indexes: a pair can earn skill credit only if the candidate holds a
//! required skill or one related to it, so only those pairs can rank. For jobs-for-candidate,
//! a credit table gives the candidate's credit for every requirement skill they can earn
//! anything on, per required level (the scorer's own level factor and related-skill credit),
//! and one pass over the postings lists of those skills sums each touched posting's weighted
//! skill coverage (essential coverage times the essential weight plus optional coverage times
//! the optional weight, one float a posting). List entries carry the requirement's share of its
//! posting's essential or optional weight and its minimum level, so the sums are the skill term
//! of the score the scorer computes, not bounds.
//! Every touched posting then has two upper bounds on its score: a loose one from the sums and
//! the posting's province and skill parts (location exact, other non-skill components perfect),
//! and a tight one computed only where the loose one can still reach the k-th score (every
//! non-skill component exact, through the same function the scorer uses, so the score itself
//! up to rounding). Postings are scored exactly, with [`FitScorer`], in tight-bound order until
//! no bound reaches the k-th score, so little more than k exact scores per candidate are
//! computed.
//!
//! The engine holds postings in slots ordered by province and by which skill parts they have.
//! Over each run of slots every term of the loose bound but the weighted coverage is one constant
//! for the candidate, and a province filter keeps two runs (the province and remote postings),
//! to which each list (ascending by slot) is cut before the pass.
//!
//! When the lists reach many postings (a sixteenth or more), the pass is dense: no record of
//! first touches, but each block of 128 slots' largest sum is kept as the sums grow. It
//! bounds every loose bound in the block (the bound rises with the sum); the blocks
//! with the best such bounds give the seeds for a first k-th score, and only blocks that can
//! still reach it are bounded posting by posting. Otherwise the pass is sparse: first touches are
//! recorded and only those postings are bounded. Where the pass would be sparse, related
//! skills with little credit (siblings, by default) are first left out of it and bounded
//! instead (their postings are then checked against the credit table, through each posting's
//! requirements stored by slot, before the scorer runs); the pass is repeated with them only
//! when the k-th score does not beat what they alone could give. A dense pass sums every list
//! at once, which measured faster there.
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
    check_candidate, check_posting, level_factor, non_skill_components, FitScorer, FitWeights, HeldSkills, JobFacts,
    RELOCATING,
};
use crate::error::Result;
use crate::model::{Candidate, Education, EmploymentType, JobPosting, Level, ProvinceCode};
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

/// Postings-list entries pack the posting's position in the low bits and the requirement's
/// minimum level (0: none, else [`Level::number`]) in the top three, so the recall pass applies
/// the level factor exactly and its skill coverage is the scorer's, not a bound.
const POSITION_BITS: u32 = 29;
const POSITION_MASK: u32 = (1 << POSITION_BITS) - 1;

/// Bits of `-0.0f32`, an untouched accumulator.
const NEG_ZERO: u32 = 0x8000_0000;
/// The weight the accumulators give a skill part weighted 0 (see [`Search::accumulate`]).
const MIN_PART_WEIGHT: f32 = 1e-6;

/// The level code a postings-list entry carries for a requirement's minimum level.
fn level_code(required: Option<Level>) -> usize {
    required.map_or(0, |l| usize::from(l.number()))
}

/// Credit per level code (index 0: no minimum level; 5–7 unused).
type LevelCredits = [f32; 8];

/// What one held skill earns a requirement, per required level: `credit` (1 for the skill
/// itself, else the relation's credit) times the level factor of the held level against the
/// required one, as [`FitScorer::evaluate`] computes it.
fn level_credits(held: Level, credit: f32, penalty: f32) -> LevelCredits {
    let mut out = [0.0; 8];
    out[0] = credit * level_factor(held, None, penalty);
    for l in Level::ALL {
        out[level_code(Some(l))] = credit * level_factor(held, Some(l), penalty);
    }
    out
}

/// Per-thread buffers for one recall pass, reused across searches on the thread.
#[derive(Default)]
struct Scratch {
    /// Per slot: the weighted skill coverage summed so far (essential coverage times the
    /// essential weight plus optional coverage times the optional weight: the skill part of
    /// the score's numerator), `-0.0` when untouched. Every addition is `+0.0` or more, and
    /// `-0.0 + 0.0 == +0.0`, so the sparse pass tells a first touch by the bit pattern without
    /// a second array; the dense pass ranks the slots with a positive sum ([`reached`]). Four
    /// bytes a slot: 400 KB at 100,000 postings, inside one core's L2 cache on the benchmark
    /// machine.
    acc: Vec<f32>,
    /// Postings touched, in a sparse pass.
    touched: Vec<u32>,
    /// Sparse pass: every touched posting that passed the province filter, with its loose bound.
    order: Vec<Touched>,
    /// Sparse pass: the best loose bounds so far as (bound bits, position in `order`), smallest
    /// on top: the seeds that give the first k-th score.
    seeds: std::collections::BinaryHeap<std::cmp::Reverse<(u32, u32)>>,
    /// Dense pass: the largest sum in each block of [`BLOCK`] slots, kept as the pass adds
    /// (sums only grow, so the last value of each slot is its largest): `0.0` where none is
    /// positive.
    block_top: Vec<f32>,
    /// Dense pass: a bound on the loose bounds of each block of [`BLOCK`] slots.
    block_max: Vec<f32>,
}

/// The loose bound of a posting the pass did not reach (or the province filter removed).
const UNTOUCHED: f32 = -1.0;
/// Sparse pass: the loose bound of a posting already scored as a seed. Both markers are below
/// every real bound (those are positive), so the linear pass skips them.
const SCORED: f32 = -0.5;
/// Dense pass: slots per block, the unit the pass skips by a bound from its largest sum (and
/// whose best posting may be a seed).
const BLOCK: usize = 128;

/// [`ReverseScratch::best`] of a candidate the current requirement has not reached.
const UNSET: f32 = -1.0;

/// Per-thread buffers for [`MatchEngine::top_candidates`], one entry per engine candidate,
/// reused across postings (reset through `reached`).
#[derive(Default)]
struct ReverseScratch {
    /// Weighted skill coverage summed so far.
    acc: Vec<f32>,
    /// The current requirement's best credit so far ([`UNSET`] if none).
    best: Vec<f32>,
    /// Whether the candidate holds the current requirement's skill itself.
    direct: Vec<bool>,
    /// Whether any list reached the candidate, and those candidates in order of first reach.
    is_reached: Vec<bool>,
    reached: Vec<u32>,
    /// The candidates the current requirement reached.
    this_requirement: Vec<u32>,
}

/// A posting the recall pass reached, with its weighted skill coverage (exact, or a bound when
/// weak lists were left out; see [`Scratch::acc`]) and the loose score bound it gives.
#[derive(Clone, Copy)]
struct Touched {
    loose: f32,
    job: u32,
    skill: f32,
}

/// What the loose bound needs besides a posting's province byte, skill parts and weighted
/// coverage: the weights and the candidate's side.
#[derive(Clone, Copy)]
struct Loose {
    /// The skill part weights that apply per [`skill_kind`] (their sum: the most the
    /// weighted coverage can be).
    parts: [f32; 4],
    /// Education, experience and salary weights: assumed to apply and be perfect.
    others: f32,
    /// The location weight times the component for a posting in the candidate's province (or
    /// remote, or where either side has no province: the component is then taken as applying
    /// and perfect), and for one in another province.
    location_near: f32,
    location_away: f32,
    /// The candidate's province code, or 0.
    candidate_province: u8,
    /// The province filter's code, or 0.
    wanted_province: u8,
    unlisted: f32,
    /// The reciprocal of the weights that apply (every non-skill one, and the skill parts)
    /// per [`skill_kind`], so the bound multiplies where it would divide.
    inverse: [f32; 4],
}

/// Whether the loose bound takes the location component at its near value: the posting is
/// remote, in the candidate's province, or either side has no province (province bytes as in
/// [`MatchEngine::job_province`] and [`CandidateSide`]).
fn location_near(candidate_province: u8, province: u8) -> bool {
    province == REMOTE || province == 0 || candidate_province == 0 || candidate_province == province
}

/// What the loose bound reads of a candidate: their province code (or 0) and whether they
/// would relocate. The reverse search keeps it per candidate, so bounding thousands of them
/// per posting reads two bytes each instead of each candidate's record.
#[derive(Clone, Copy, Debug)]
struct CandidateSide {
    province: u8,
    relocate: bool,
}

impl CandidateSide {
    fn of(c: &Candidate) -> CandidateSide {
        CandidateSide { province: c.location.map_or(0, |l| l.province.get()), relocate: c.preferences.relocate }
    }
}

impl Loose {
    fn new(w: &FitWeights, candidate: &Candidate, filters: &MatchFilters, unlisted: f32) -> Loose {
        let side = CandidateSide::of(candidate);
        Loose::with_side(w, side, filters.province.map_or(0, |p| p.get()), unlisted)
    }

    /// [`Loose::new`] from the candidate's side alone, and the province filter's code (or 0).
    fn with_side(w: &FitWeights, side: CandidateSide, wanted_province: u8, unlisted: f32) -> Loose {
        let others = w.education + w.experience + w.salary;
        let parts = [0u8, 1, 2, 3].map(|kind| skill_weights(w, kind));
        let inverse = parts.map(|skills| {
            let den = others + w.location + skills;
            // No weight applies: the scorer's score is 0, and so is the bound.
            if den > f32::MIN_POSITIVE {
                1.0 / den
            } else {
                0.0
            }
        });
        Loose {
            parts,
            others,
            location_near: w.location,
            location_away: w.location * if side.relocate { RELOCATING } else { 0.0 },
            candidate_province: side.province,
            wanted_province,
            unlisted,
            inverse,
        }
    }

    /// The loose bound's constants over a run of postings with one province byte and one
    /// `kind` (which skill parts they have, [`skill_kind`]), or `None` where the province
    /// filter removes them. The location component is exact where both sides have a province;
    /// otherwise, and for education, experience and salary, the component is taken as applying
    /// and perfect. That only raises the bound (adding equal amounts to the weighted sum and to
    /// the weight moves a ratio below 1 up) and leaves one weight sum per `kind`.
    fn segment(&self, province: u8, kind: u8) -> Option<SegmentBound> {
        if self.wanted_province != 0 && province != self.wanted_province && province != REMOTE {
            return None;
        }
        Some(self.segment_at(location_near(self.candidate_province, province), kind))
    }

    /// [`Loose::segment`] once the province filter has passed the run and `near` is known.
    fn segment_at(&self, near: bool, kind: u8) -> SegmentBound {
        let kind = usize::from(kind & (ESSENTIAL_PART | OPTIONAL_PART));
        SegmentBound {
            base: self.others + if near { self.location_near } else { self.location_away },
            parts: self.parts[kind],
            slack: self.unlisted * self.parts[kind],
            inverse: self.inverse[kind],
        }
    }

    /// The loose bound of one posting, or [`UNTOUCHED`] where the province filter removes it.
    fn bound(&self, province: u8, kind: u8, sum: f32) -> f32 {
        self.segment(province, kind).map_or(UNTOUCHED, |b| b.bound(sum))
    }

    /// A reached posting of skill kind `kind` with its loose bound and its weighted coverage
    /// as the bound took it (see [`SegmentBound::skill`]).
    fn touched(&self, job: u32, kind: u8, loose: f32, sum: f32) -> Touched {
        let kind = usize::from(kind & (ESSENTIAL_PART | OPTIONAL_PART));
        Touched { loose, job, skill: capped(sum + self.unlisted * self.parts[kind], self.parts[kind]) }
    }
}

/// The skill part weights a posting of skill kind `kind` ([`skill_kind`]) has.
fn skill_weights(w: &FitWeights, kind: u8) -> f32 {
    (if kind & ESSENTIAL_PART != 0 { w.essential } else { 0.0 })
        + if kind & OPTIONAL_PART != 0 { w.optional } else { 0.0 }
}

/// `value` capped at `cap`. Written as a select, which the dense pass's loops vectorise.
#[inline(always)]
fn capped(value: f32, cap: f32) -> f32 {
    if value < cap {
        value
    } else {
        cap
    }
}

/// Whether an accumulator was never added to (see [`Scratch::acc`]).
#[inline(always)]
fn untouched(sum: f32) -> bool {
    sum.to_bits() == NEG_ZERO
}

/// Whether a posting earned some coverage in the pass. The dense pass ranks only these: one
/// with none has no skill credit from the lists (so no skill credit at all in a full pass, and
/// at most the left-out lists' credit in a first pass, which `unlisted_only_bound` covers).
#[inline(always)]
fn reached(sum: f32) -> bool {
    sum > 0.0
}

/// The loose bound over a run of postings (see [`Loose::segment`]): every term but the
/// weighted coverage is a constant, so a posting's bound is a few vector operations.
#[derive(Clone, Copy)]
struct SegmentBound {
    /// Weighted sum of the non-skill components.
    base: f32,
    /// The skill part weights the postings have: the most their weighted coverage can be.
    parts: f32,
    /// What the left-out lists could add to the weighted coverage: `unlisted` credit on every
    /// requirement (see [`Search::run`]).
    slack: f32,
    /// The reciprocal of all weights that apply (0 when none does: the score is then 0).
    inverse: f32,
}

impl SegmentBound {
    /// The weighted coverage the bound takes: the sum plus the slack, capped at the part
    /// weights. With no slack this is the scorer's own numerator term (each part's coverage
    /// is at most 1); with slack, capping the sum rather than each part is looser only where
    /// one part alone would pass 1.
    #[inline(always)]
    fn skill(&self, sum: f32) -> f32 {
        capped(sum + self.slack, self.parts)
    }

    /// The bound from a posting's summed weighted coverage, with slack for float rounding (the
    /// exact score sums the same terms in another order and divides where this multiplies).
    #[inline(always)]
    fn bound(&self, sum: f32) -> f32 {
        let ratio = (self.base + self.skill(sum)) * self.inverse;
        (if ratio < 1.0 { ratio } else { 1.0 }) + 1e-5
    }

    /// Bounds of a run of postings into `out` ([`UNTOUCHED`] where the pass did not reach
    /// one, see [`reached`]). Branch-free, so the compiler vectorises it.
    fn bounds(&self, acc: &[f32], out: &mut [f32]) {
        for (out, &sum) in out.iter_mut().zip(acc) {
            let bound = self.bound(sum);
            *out = if reached(sum) { bound } else { UNTOUCHED };
        }
    }
}

/// A run of slots whose postings share a province byte and a skill kind (see
/// [`MatchEngine::slot_job`]).
#[derive(Clone, Copy, Debug)]
struct Segment {
    start: u32,
    end: u32,
    province: u8,
    kind: u8,
}

/// Dense pass: per block of [`BLOCK`] slots, a bound on every reached posting's loose bound,
/// from the block's largest sum (the bound rises with it), into `out` ([`UNTOUCHED`] for a
/// block with none reached). A block that straddles runs of slots takes the largest of their
/// bounds. Only the blocks that can matter are then bounded posting by posting.
fn block_bounds(loose: &Loose, block_top: &[f32], segments: &[Segment], out: &mut Vec<f32>) {
    out.clear();
    out.resize(block_top.len(), UNTOUCHED);
    for seg in segments {
        if seg.start >= seg.end {
            continue;
        }
        let Some(b) = loose.segment(seg.province, seg.kind) else {
            continue;
        };
        let blocks = seg.start as usize / BLOCK..(seg.end as usize - 1) / BLOCK + 1;
        for (out, &most) in out[blocks.clone()].iter_mut().zip(&block_top[blocks]) {
            if reached(most) {
                *out = out.max(b.bound(most));
            }
        }
    }
}

/// Loose bounds of the postings of one block into `out` (its first slot at `out[0]`),
/// [`UNTOUCHED`] where not reached or filtered out. Returns the block's first slot and length.
fn block_exact(
    loose: &Loose,
    acc: &[f32],
    segments: &[Segment],
    block: usize,
    out: &mut [f32; BLOCK],
) -> (usize, usize) {
    let start = block * BLOCK;
    let end = acc.len().min(start + BLOCK);
    let first = segments.partition_point(|s| (s.end as usize) <= start);
    for seg in segments[first..].iter().take_while(|s| (s.start as usize) < end) {
        let (a, z) = (start.max(seg.start as usize), end.min(seg.end as usize));
        let piece = &mut out[a - start..z - start];
        match loose.segment(seg.province, seg.kind) {
            Some(b) => b.bounds(&acc[a..z], piece),
            None => piece.fill(UNTOUCHED),
        }
    }
    (start, end - start)
}

/// [`MatchEngine::skill_kind`] bit of a posting with essential requirements.
const ESSENTIAL_PART: u8 = 1;
/// [`MatchEngine::skill_kind`] bit of a posting with optional requirements.
const OPTIONAL_PART: u8 = 2;

/// A requirement's skill part: 0 essential, 1 optional (the index into [`part_totals`]).
fn part_index(importance: Importance) -> usize {
    usize::from(importance != Importance::Essential)
}

/// A posting's requirement weights summed per skill part ([`part_index`]): a requirement's
/// share of its part is its weight over its part's total, in both search directions.
fn part_totals(p: &JobPosting) -> [f32; 2] {
    let mut totals = [0.0f32; 2];
    for r in &p.requirements {
        totals[part_index(r.importance)] += r.weight;
    }
    totals
}

/// A posting's province byte as the slots and bounds use it: its province code, [`REMOTE`],
/// or 0 without a location.
fn province_byte(f: &JobFacts) -> u8 {
    if f.remote {
        REMOTE
    } else {
        f.province.map_or(0, |p| p.get())
    }
}

/// The skill parts a posting's score has, as [`ESSENTIAL_PART`] and [`OPTIONAL_PART`] bits.
fn skill_kind(p: &JobPosting) -> u8 {
    p.requirements.iter().fold(0, |kind, r| {
        kind | match r.importance {
            Importance::Essential => ESSENTIAL_PART,
            Importance::Optional => OPTIONAL_PART,
        }
    })
}

/// A list's credit per entry kind, weighted: `[lane * 8 + level code]`, lane 0 for an
/// essential requirement and 1 for an optional one (the sign bit of an entry's share).
type WeightedCredits = [f32; 16];

/// The weighted credits of a list crediting `above[level code]`, with `weights` the
/// essential and optional weights the accumulators use.
fn weighted_credits(above: &LevelCredits, weights: [f32; 2]) -> WeightedCredits {
    std::array::from_fn(|i| above[i % 8] * weights[i / 8])
}

/// The entry's index into [`WeightedCredits`]: its sign bit (0 essential, 1 optional) and
/// its level code, with no branch to mispredict.
#[inline(always)]
fn credit_slot(entry: u32, signed_share: f32) -> usize {
    (((signed_share.to_bits() >> 31) << 3) | (entry >> POSITION_BITS)) as usize
}

/// Adds one postings list to the accumulators, crediting each entry its weighted credit times
/// its share, and notes each posting's first touch (the sparse pass).
#[inline]
fn accumulate(acc: &mut [f32], touched: &mut Vec<u32>, list: &[(u32, f32)], credits: &WeightedCredits) {
    for &(entry, signed_share) in list {
        let j = entry & POSITION_MASK;
        let sum = &mut acc[j as usize];
        if untouched(*sum) {
            touched.push(j);
        }
        *sum += credits[credit_slot(entry, signed_share)] * signed_share.abs();
    }
}

/// [`accumulate`] for the dense pass: no first touches, but each block's largest sum
/// ([`Scratch::block_top`]) is kept as the sums grow.
#[inline]
fn accumulate_dense(acc: &mut [f32], block_top: &mut [f32], list: &[(u32, f32)], credits: &WeightedCredits) {
    for &(entry, signed_share) in list {
        let j = (entry & POSITION_MASK) as usize;
        let sum = acc[j] + credits[credit_slot(entry, signed_share)] * signed_share.abs();
        acc[j] = sum;
        let top = &mut block_top[j / BLOCK];
        *top = if sum > *top { sum } else { *top };
    }
}

fn has_skill_credit(fit: &super::Fit) -> bool {
    fit.components.essential.unwrap_or(0.0) + fit.components.optional.unwrap_or(0.0) > 0.0
}

/// Lists of 8-byte entries in one array (compressed rows): row `i` is
/// `entries[starts[i]..starts[i + 1]]`, found by two loads rather than a hash probe, with no
/// allocation per row. Two of them: the postings lists by skill, and each slot's requirements.
#[derive(Debug, Default)]
struct Rows {
    starts: Vec<usize>,
    entries: Vec<(u32, f32)>,
}

impl Rows {
    /// Rows of the given lengths, each filled by `fill(row, entries)`, in parallel.
    fn filled(lengths: Vec<usize>, fill: impl Fn(usize, &mut [(u32, f32)]) + Sync) -> Rows {
        let mut starts = Vec::with_capacity(lengths.len() + 1);
        starts.push(0usize);
        for len in &lengths {
            starts.push(starts[starts.len() - 1] + len);
        }
        let mut entries = vec![(0u32, 0.0f32); starts[lengths.len()]];
        let mut rest: &mut [(u32, f32)] = &mut entries;
        let mut pieces: Vec<&mut [(u32, f32)]> = Vec::with_capacity(lengths.len());
        for &len in &lengths {
            let (piece, tail) = std::mem::take(&mut rest).split_at_mut(len);
            pieces.push(piece);
            rest = tail;
        }
        pieces.into_par_iter().enumerate().for_each(|(row, piece)| fill(row, piece));
        Rows { starts, entries }
    }

    /// The rows of entries whose low [`POSITION_BITS`] are a column below `columns` (the rest
    /// a level code): row `c` lists, for every entry of column `c` in row order, the entry's
    /// row with the same level code, and its value. A counting sort: linear, and stable.
    fn transposed(&self, columns: usize) -> Rows {
        let column = |e: u32| (e & POSITION_MASK) as usize;
        let mut starts = vec![0usize; columns + 1];
        for &(e, _) in &self.entries {
            debug_assert!(column(e) < columns, "column {} of {columns}", column(e));
            if let Some(n) = starts.get_mut(column(e) + 1) {
                *n += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut entries = vec![(0u32, 0.0f32); starts[columns]];
        for (row, window) in self.starts.windows(2).enumerate() {
            for &(e, value) in &self.entries[window[0]..window[1]] {
                if let Some(at) = next.get_mut(column(e)) {
                    entries[*at] = (row as u32 | (e & !POSITION_MASK), value);
                    *at += 1;
                }
            }
        }
        Rows { starts, entries }
    }

    /// One row (empty past the last).
    fn row(&self, i: usize) -> &[(u32, f32)] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.entries.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Rows with entries.
    fn non_empty(&self) -> impl Iterator<Item = usize> + '_ {
        self.starts.windows(2).enumerate().filter(|(_, w)| w[1] > w[0]).map(|(i, _)| i)
    }
}

/// A candidate's credit per requirement skill and required level
/// ([`MatchEngine::credit_table`]), with a per-thread dense index from skill to entry, so a
/// lookup is two loads rather than a hash probe (the re-rank looks up every requirement of
/// up to a hundred postings per candidate). Dropping it clears the index.
struct CreditTable<'i> {
    entries: Vec<(SkillId, LevelCredits)>,
    /// Skill index → position in `entries` plus one; 0 where the skill has no entry.
    index: &'i mut Vec<u32>,
}

impl CreditTable<'_> {
    /// Adds a skill's credits, keeping the larger credit per level where it has some.
    fn merge(&mut self, skill: SkillId, offer: LevelCredits) {
        let Some(at) = self.index.get_mut(skill.index()) else {
            debug_assert!(false, "unchecked skill {skill:?}");
            return;
        };
        match (*at as usize).checked_sub(1).and_then(|i| self.entries.get_mut(i)) {
            Some((_, credits)) => {
                for (c, o) in credits.iter_mut().zip(offer) {
                    *c = c.max(o);
                }
            }
            None => {
                self.entries.push((skill, offer));
                *at = self.entries.len() as u32;
            }
        }
    }

    fn get(&self, skill: SkillId) -> Option<&LevelCredits> {
        let at = (*self.index.get(skill.index())? as usize).checked_sub(1)?;
        self.entries.get(at).map(|(_, c)| c)
    }
}

impl Drop for CreditTable<'_> {
    fn drop(&mut self) {
        for (skill, _) in &self.entries {
            if let Some(at) = self.index.get_mut(skill.index()) {
                *at = 0;
            }
        }
    }
}

/// Holds postings and candidates with inverted indexes for matching in both directions.
#[derive(Debug)]
pub struct MatchEngine {
    scorer: FitScorer,
    postings: Vec<JobPosting>,
    candidates: Vec<Candidate>,
    /// Each candidate's skills by id, built once rather than once per (candidate, job) pair.
    held: Vec<HeldSkills>,
    /// The posting in each slot. The engine's indexes hold postings in slots ordered by
    /// province byte and skill kind, so for one candidate the location component and the
    /// weights that apply are constant over each run of slots (a [`Segment`]), and the dense
    /// pass's bound is a few vector operations per posting. Everything below but `postings`
    /// is by slot.
    slot_job: Vec<u32>,
    /// The runs of slots with one province byte and one skill kind, in slot order.
    segments: Vec<Segment>,
    /// Row per skill: the slots of the postings requiring it, ascending (slot and level code,
    /// see [`POSITION_BITS`]), with the requirement's share of the posting's essential weight,
    /// or the negated share of its optional weight.
    jobs_by_skill: Rows,
    /// Row per slot: the posting's requirements as (skill index and level code, signed share),
    /// the postings lists transposed, so the re-rank reads a posting's requirements from 8
    /// bytes each, in one place, rather than from its record.
    requirements_by_slot: Rows,
    /// Per slot: what filters and the non-skill components read, packed, so the recall pass
    /// can bound each touched posting's score with its exact non-skill part.
    job_facts: Vec<JobFacts>,
    /// Per slot: which skill components of its score apply (it has essential, optional
    /// requirements), as [`ESSENTIAL_PART`] and [`OPTIONAL_PART`] bits.
    skill_kind: Vec<u8>,
    /// Per slot: the posting's province code, [`REMOTE`], or 0 without a location.
    job_province: Vec<u8>,
    /// skill → candidates holding it.
    candidates_by_skill: FxHashMap<SkillId, Vec<(u32, Level)>>,
    /// Per candidate, what the loose bound reads of them (the reverse search).
    candidate_side: Vec<CandidateSide>,
    /// held skill → required skills it earns credit for, with the credit (the reverse of
    /// related skills).
    credits_to: FxHashMap<SkillId, Vec<(SkillId, f32)>>,
    /// Slots in decreasing order of their posting's no-skill-credit score bound.
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
    /// Most postings one engine holds (positions share a `u32` with a level code).
    pub const MAX_POSTINGS: usize = 1 << POSITION_BITS;

    /// Indexes postings and candidates. Every record is checked (skill ids from `taxonomy`,
    /// positive finite weights, no duplicate skills); the first bad one is an error naming it.
    pub fn new(
        taxonomy: &Taxonomy,
        scorer: FitScorer,
        postings: Vec<JobPosting>,
        candidates: Vec<Candidate>,
    ) -> Result<MatchEngine> {
        let skill_count = taxonomy.skill_table_len();
        crate::error::Error::check_limit("postings in one engine", postings.len(), Self::MAX_POSTINGS)?;
        // Skill indexes share a `u32` with a level code too (see `requirements_by_slot`).
        crate::error::Error::check_limit("skills in the taxonomy", skill_count, 1 << POSITION_BITS)?;
        // Checked in parallel; the first bad record in order is the one reported.
        if let Some(bad) = postings.par_iter().position_first(|p| check_posting(skill_count, p).is_err()) {
            check_posting(skill_count, &postings[bad])?;
        }
        if let Some(bad) = candidates.par_iter().position_first(|c| check_candidate(skill_count, c).is_err()) {
            check_candidate(skill_count, &candidates[bad])?;
        }
        let facts: Vec<JobFacts> = postings.par_iter().map(JobFacts::of).collect();
        let kind_of: Vec<u8> = postings.par_iter().map(skill_kind).collect();
        // Keys computed once: a key reads the posting's requirements.
        let mut keyed: Vec<(u8, u8, u32)> =
            (0..postings.len()).map(|j| (province_byte(&facts[j]), kind_of[j], j as u32)).collect();
        keyed.sort_unstable();
        let slot_job: Vec<u32> = keyed.iter().map(|&(_, _, j)| j).collect();
        let job_facts: Vec<JobFacts> = slot_job.iter().map(|&j| facts[j as usize]).collect();
        let job_province: Vec<u8> = keyed.iter().map(|&(province, _, _)| province).collect();
        let kinds: Vec<u8> = keyed.iter().map(|&(_, kind, _)| kind).collect();
        let mut segments: Vec<Segment> = Vec::new();
        for slot in 0..slot_job.len() {
            let (province, kind) = (job_province[slot], kinds[slot]);
            match segments.last_mut() {
                Some(seg) if seg.province == province && seg.kind == kind => seg.end += 1,
                _ => segments.push(Segment { start: slot as u32, end: slot as u32 + 1, province, kind }),
            }
        }
        // Each slot's requirements as (skill index and level code, signed share), filled in
        // parallel. Entries carry the requirement's share of its posting's essential (or
        // optional) weight, so the recall pass sums coverage directly, reading nothing else
        // per posting.
        let requirements_by_slot =
            Rows::filled(slot_job.iter().map(|&j| postings[j as usize].requirements.len()).collect(), |slot, out| {
                let p = &postings[slot_job[slot] as usize];
                let totals = part_totals(p);
                for (r, out) in p.requirements.iter().zip(out) {
                    let essential = r.importance == Importance::Essential;
                    let share = r.weight / totals[part_index(r.importance)];
                    // Eight bytes an entry: an optional requirement's share is stored negated.
                    let signed = if essential { share } else { -share };
                    let level = (level_code(r.min_level) as u32) << POSITION_BITS;
                    *out = (r.skill.index() as u32 | level, signed);
                }
            });
        // The same entries by skill, as (slot and level code, signed share): the postings
        // lists, ascending by slot (a stable counting sort of the slots in order).
        let jobs_by_skill = requirements_by_slot.transposed(skill_count);
        let mut credits_to: FxHashMap<SkillId, Vec<(SkillId, f32)>> = FxHashMap::default();
        for req in jobs_by_skill.non_empty().map(SkillId::from_index) {
            for &(held, credit, _) in scorer.related_skills(req) {
                credits_to.entry(held).or_default().push((req, credit));
            }
        }
        let mut engine = MatchEngine {
            scorer,
            postings,
            held: candidates.par_iter().map(HeldSkills::of).collect(),
            candidates_by_skill: candidates_by_skill(&candidates),
            candidate_side: candidates.iter().map(CandidateSide::of).collect(),
            candidates,
            slot_job,
            segments,
            jobs_by_skill,
            requirements_by_slot,
            job_facts,
            skill_kind: kinds,
            job_province,
            credits_to,
            jobs_by_bound: Vec::new(),
            skill_count,
        };
        let mut bounds: Vec<(f32, u32)> = (0..engine.slot_job.len() as u32)
            .into_par_iter()
            .map(|slot| (engine.no_credit_bound(engine.posting_at(slot)), slot))
            .collect();
        bounds.par_sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        engine.jobs_by_bound = bounds;
        Ok(engine)
    }

    /// The runs of slots a province filter lets through: the province's own and the remote
    /// postings' (all slots without a filter).
    fn filter_slots(&self, province: Option<ProvinceCode>) -> Vec<std::ops::Range<usize>> {
        let Some(p) = province else {
            return std::iter::once(0..self.slot_job.len()).collect();
        };
        [p.get(), REMOTE]
            .iter()
            .filter_map(|&code| {
                let first = self.segments.iter().position(|s| s.province == code)?;
                let last = self.segments.iter().rposition(|s| s.province == code)?;
                Some(self.segments[first].start as usize..self.segments[last].end as usize)
            })
            .collect()
    }

    /// The posting in a slot.
    fn posting_at(&self, slot: u32) -> &JobPosting {
        &self.postings[self.slot_job[slot as usize] as usize]
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
        self.candidate_side = self.candidates.iter().map(CandidateSide::of).collect();
        before - self.candidates.len()
    }

    /// The highest score a posting can reach when every requirement earns at most `credit`
    /// and every non-skill component is perfect (a posting only weak related skills touch).
    fn unlisted_only_bound(&self, credit: f32) -> f32 {
        let w = self.scorer.weights();
        let non_skill = w.location + w.education + w.experience + w.salary;
        let mut bound = 0.0f32;
        // Per kind of posting present (the runs of slots name them).
        for kind in [ESSENTIAL_PART, OPTIONAL_PART, ESSENTIAL_PART | OPTIONAL_PART] {
            if self.segments.iter().any(|s| s.kind == kind) {
                let (e, o) = (kind & ESSENTIAL_PART != 0, kind & OPTIONAL_PART != 0);
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
        let kind = skill_kind(p);
        let non_skill = w.location + w.education + w.experience + w.salary;
        let skill = if kind & ESSENTIAL_PART != 0 { w.essential } else { 0.0 }
            + if kind & OPTIONAL_PART != 0 { w.optional } else { 0.0 };
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
        Ok(self.top_jobs(c, &HeldSkills::of(c), k, filters, Pass::default()))
    }

    /// [`MatchEngine::jobs_for_candidate`] for a checked candidate (with its skills by id) and
    /// `k`, with the passes chosen as `pass` says (tests force each way on the same candidates).
    fn top_jobs(&self, c: &Candidate, held: &HeldSkills, k: usize, filters: &MatchFilters, pass: Pass) -> Vec<Ranked> {
        if k == 0 {
            return Vec::new();
        }
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
            static CREDIT_INDEX: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let ranges = self.filter_slots(filters.province);
        let best_k = CREDIT_INDEX.with(|index| {
            let mut index = index.borrow_mut();
            let credits = self.credit_table(c, held, &mut index);
            let search = Search {
                engine: self,
                candidate: c,
                credits: &credits,
                held,
                ranges: &ranges,
                weights: self.scorer.weights(),
                k,
                filters,
                dense: pass.dense,
            };
            // Related skills with little credit (siblings, by default) have the longest postings
            // lists in total. Where the pass would be sparse, first try without them, bounding
            // what they could add; the result stands if its k-th score beats every posting they
            // alone could reach. A skill's credit at its best (no level shortfall) decides its
            // tier. Where it would be dense, every list is summed at once: measured, their
            // entries cost less there than the work the looser bounds bring (more blocks and
            // postings bounded, a credit-table check per posting scored, and now and then the
            // pass again).
            let top = |credits: &LevelCredits| credits.iter().copied().fold(0.0, f32::max);
            let all = &credits.entries;
            let strong: Vec<(SkillId, LevelCredits)> =
                all.iter().copied().filter(|(_, c)| top(c) > WEAK_CREDIT).collect();
            let weak_max = all.iter().map(|(_, c)| top(c)).filter(|&c| c <= WEAK_CREDIT).fold(0.0, f32::max);
            SCRATCH.with(|cell| {
                let scratch = &mut *cell.borrow_mut();
                let tiered = pass.tiered.unwrap_or_else(|| !self.likely_dense(all, &ranges));
                if strong.len() == all.len() || filters.include_without_skill_overlap || !tiered {
                    return search.run(scratch, all, 0.0);
                }
                let first = search.run(scratch, &strong, weak_max);
                if first.len() >= k && first[k - 1].0 > self.unlisted_only_bound(weak_max) {
                    first
                } else {
                    search.run(scratch, all, 0.0)
                }
            })
        });
        best_k
            .iter()
            .map(|&(score, credit, slot)| Ranked {
                index: self.slot_job[slot as usize] as usize,
                id: self.posting_at(slot).id.clone(),
                score,
                credit,
            })
            .collect()
    }

    /// Whether a pass over `lists` would likely be dense (see [`Search::accumulate`]): their
    /// entries, scaled by the share of slots the province filter keeps (`ranges`, to which the
    /// lists are cut), reach a sixteenth of the postings.
    fn likely_dense(&self, lists: &[(SkillId, LevelCredits)], ranges: &[std::ops::Range<usize>]) -> bool {
        let n = self.slot_job.len();
        let kept: usize = ranges.iter().map(|r| r.len()).sum();
        let entries: usize = lists.iter().map(|(s, _)| self.jobs_by_skill.row(s.index()).len()).sum();
        entries as f64 * kept as f64 >= (n / 16) as f64 * n as f64
    }

    /// The credit a candidate earns for each requirement skill, per required level: exactly
    /// what the scorer gives (held: the level factor; else the best related skill's credit
    /// times its level factor), so the recall pass sums exact skill coverage.
    fn credit_table<'i>(&self, c: &Candidate, held: &HeldSkills, index: &'i mut Vec<u32>) -> CreditTable<'i> {
        let penalty = self.scorer.weights().level_penalty;
        if index.len() < self.skill_count {
            index.resize(self.skill_count, 0);
        }
        let mut table = CreditTable { entries: Vec::with_capacity(4 * c.skills.len()), index };
        for s in &c.skills {
            table.merge(s.skill, level_credits(s.level, 1.0, penalty));
        }
        for s in &c.skills {
            // The level factors once per held skill: a related skill's credits are these
            // scaled by the relation's credit.
            let factors = level_credits(s.level, 1.0, penalty);
            for &(req, credit) in self.credits_to.get(&s.skill).into_iter().flatten() {
                // A held skill earns its own credit even where a related one would earn more.
                if held.get(req).is_some() {
                    continue;
                }
                table.merge(req, factors.map(|f| credit * f));
            }
        }
        table
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
    ///
    /// The forward search turned around: each requirement's credit per candidate (their own
    /// level factor where they hold the skill, else the best related skill's credit times its
    /// level factor, as the scorer rules) is summed into a weighted coverage per candidate from
    /// the candidates-by-skill lists; [`Loose`] bounds each reached candidate's score from it,
    /// and exact scores are computed best bound first until no bound reaches the k-th score.
    /// Scoring every reached candidate instead took 22–27 ms of core time a posting among
    /// 20,000 candidates, where siblings reach most of them.
    fn top_candidates(&self, p: &JobPosting, k: usize, filters: &MatchFilters) -> Vec<Ranked> {
        if k == 0 {
            return Vec::new();
        }
        thread_local! {
            static SCRATCH: std::cell::RefCell<ReverseScratch> = std::cell::RefCell::new(ReverseScratch::default());
        }
        SCRATCH.with(|cell| {
            let scratch = &mut *cell.borrow_mut();
            let out = self.top_candidates_in(scratch, p, k, filters);
            for &c in &scratch.reached {
                scratch.acc[c as usize] = 0.0;
                scratch.is_reached[c as usize] = false;
            }
            scratch.reached.clear();
            out
        })
    }

    /// [`MatchEngine::top_candidates`] with its per-candidate buffers, which it leaves for the
    /// caller to reset (the candidates in `scratch.reached`).
    fn top_candidates_in(
        &self,
        scratch: &mut ReverseScratch,
        p: &JobPosting,
        k: usize,
        filters: &MatchFilters,
    ) -> Vec<Ranked> {
        let n = self.candidates.len();
        if scratch.acc.len() < n {
            scratch.acc.resize(n, 0.0);
            scratch.best.resize(n, UNSET);
            scratch.direct.resize(n, false);
            scratch.is_reached.resize(n, false);
        }
        let w = self.scorer.weights();
        let penalty = w.level_penalty;
        // As in the forward pass: a part weighted 0 still accumulates a little, so the bound
        // stays above the exact score and every reached candidate stays ranked.
        let weights = [w.essential, w.optional].map(|x| x.max(MIN_PART_WEIGHT));
        let totals = part_totals(p);
        let ReverseScratch { acc, best, direct, is_reached, reached, this_requirement } = scratch;
        for r in &p.requirements {
            let part = part_index(r.importance);
            let scale = r.weight / totals[part] * weights[part];
            // A held skill earns its own credit even where a related one would earn more.
            for &(c, level) in self.candidates_by_skill.get(&r.skill).into_iter().flatten() {
                if best[c as usize] == UNSET {
                    this_requirement.push(c);
                }
                best[c as usize] = level_factor(level, r.min_level, penalty);
                direct[c as usize] = true;
            }
            for &(held, credit, _) in self.scorer.related_skills(r.skill) {
                for &(c, level) in self.candidates_by_skill.get(&held).into_iter().flatten() {
                    let c = c as usize;
                    if direct[c] {
                        continue;
                    }
                    let value = credit * level_factor(level, r.min_level, penalty);
                    if best[c] == UNSET {
                        this_requirement.push(c as u32);
                    }
                    best[c] = best[c].max(value);
                }
            }
            for &c in this_requirement.iter() {
                let c = c as usize;
                acc[c] += scale * best[c];
                best[c] = UNSET;
                direct[c] = false;
                if !is_reached[c] {
                    is_reached[c] = true;
                    reached.push(c as u32);
                }
            }
            this_requirement.clear();
        }
        let province = province_byte(&JobFacts::of(p));
        let kind = skill_kind(p);
        // The filters apply to candidates here, so the bound takes no province filter. The
        // bound's constants differ only by whether the location is near and, if not, whether
        // the candidate would relocate.
        let segment = |relocate: bool, near: bool| {
            Loose::with_side(&w, CandidateSide { province: 0, relocate }, 0, 0.0).segment_at(near, kind)
        };
        let [near, away_relocating, away] = [segment(false, true), segment(true, false), segment(false, false)];
        let filtered =
            filters.province.is_some() || filters.education.is_some() || !filters.employment_types.is_empty();
        // Bounds are positive, so their bits order as the numbers do; the candidate breaks ties.
        let mut order: Vec<u64> = reached
            .iter()
            .filter(|&&c| !filtered || self.candidate_passes(&self.candidates[c as usize], filters))
            .map(|&c| {
                let side = self.candidate_side[c as usize];
                let segment = match (location_near(side.province, province), side.relocate) {
                    (true, _) => &near,
                    (false, true) => &away_relocating,
                    (false, false) => &away,
                };
                let bound = segment.bound(acc[c as usize]);
                debug_assert!(bound > 0.0);
                (u64::from(bound.to_bits()) << 32) | u64::from(u32::MAX - c)
            })
            .collect();
        // Best bound first. Exact scores usually stop after a few hundred candidates, so only
        // that many are sorted at first (a full sort of every reached candidate was about a
        // sixth of the search); the rest is sorted only if the search reaches it.
        let head = order.len().min(k.saturating_mul(2).max(256));
        if head < order.len() {
            order.select_nth_unstable_by(head, |a, b| b.cmp(a));
        }
        order[..head].sort_unstable_by(|a, b| b.cmp(a));
        let mut out: Vec<Ranked> = Vec::with_capacity(k + 1);
        let consider = |i: u32, out: &mut Vec<Ranked>| {
            let c = &self.candidates[i as usize];
            let fit = self.scorer.evaluate(&self.held[i as usize], c, p, false);
            if filters.eligible_only && !fit.eligible() {
                return;
            }
            if !filters.include_without_skill_overlap && !has_skill_credit(&fit) {
                return;
            }
            out.push(Ranked { index: i as usize, id: c.id.clone(), score: fit.score, credit: fit.credit });
            sort_ranked(out);
            out.truncate(k);
        };
        for at in 0..order.len() {
            if at == head {
                order[head..].sort_unstable_by(|a, b| b.cmp(a));
            }
            let key = order[at];
            let bound = f32::from_bits((key >> 32) as u32);
            if out.len() >= k && bound < out[k - 1].score {
                break;
            }
            consider(u32::MAX - key as u32, &mut out);
        }
        if !filters.include_without_skill_overlap {
            return out;
        }
        // Candidates without skill credit all share one bound for this job.
        let kth = if out.len() >= k { out[k - 1].score } else { f32::NEG_INFINITY };
        if self.no_credit_bound(p) >= kth {
            for i in 0..n as u32 {
                if !is_reached[i as usize] && self.candidate_passes(&self.candidates[i as usize], filters) {
                    consider(i, &mut out);
                }
            }
        }
        out
    }

    /// Top `k` postings for every candidate of the engine, in parallel (`k` at most
    /// [`MatchEngine::MAX_K`]). The batch is the engine's own candidates, checked when it was
    /// built, so its size is the caller's to bound; the result holds at most `k` per candidate.
    pub fn top_jobs_for_all(&self, k: usize, filters: &MatchFilters) -> Result<Vec<Vec<Ranked>>> {
        Self::check_k(k)?;
        Ok(self
            .candidates
            .par_iter()
            .zip(&self.held)
            .map(|(c, held)| self.top_jobs(c, held, k, filters, Pass::default()))
            .collect())
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
            .filter(|(_, p)| self.job_passes(&JobFacts::of(p), filters))
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

/// How [`MatchEngine::top_jobs`] runs a search: `None` chooses as the lists' lengths
/// suggest; tests force each way on the same candidates.
#[derive(Clone, Copy, Debug, Default)]
struct Pass {
    /// The dense (`Some(true)`) or the sparse pass.
    dense: Option<bool>,
    /// A first pass without the weak related skills' lists (`Some(true)`), or every list at once.
    tiered: Option<bool>,
}

/// One top-k search for one candidate: what each step reads.
struct Search<'a> {
    engine: &'a MatchEngine,
    candidate: &'a Candidate,
    /// The candidate's skills by id, built once even when the recall pass runs twice.
    held: &'a HeldSkills,
    /// The runs of slots the province filter keeps ([`MatchEngine::filter_slots`]).
    ranges: &'a [std::ops::Range<usize>],
    /// [`MatchEngine::credit_table`] of the candidate.
    credits: &'a CreditTable<'a>,
    weights: FitWeights,
    k: usize,
    filters: &'a MatchFilters,
    /// Forces the dense (`Some(true)`) or sparse pass; `None` chooses by the lists' length.
    dense: Option<bool>,
}

/// Exact scores as (score, credit, posting); ids are cloned only for the final k.
type Scored = (f32, f32, u32);

impl Search<'_> {
    /// One recall pass over `lists` and the exact re-rank of what it reached: at most k
    /// (score, credit, posting), best first.
    ///
    /// Requirements the lists do not reach may still earn up to `unlisted` credit each (the
    /// weak related skills left out), which the bounds add: coverage is at most `unlisted` plus
    /// the sum of share × (credit − `unlisted`) over the listed requirements. A listed credit
    /// below `unlisted` (a level shortfall) counts as `unlisted`, which keeps every addition
    /// non-negative (see [`Scratch::acc`]) and the bound valid.
    fn run(&self, scratch: &mut Scratch, lists: &[(SkillId, LevelCredits)], unlisted: f32) -> Vec<Scored> {
        let dense = self.accumulate(scratch, lists, unlisted);
        let loose = Loose::new(&self.weights, self.candidate, self.filters, unlisted);
        if !dense {
            return self.rerank_sparse(scratch, &loose);
        }
        let best_k = self.rerank_dense(scratch, &loose);
        // Back to untouched: a sequential fill (walking the lists again to undo each touch
        // measured no faster, and slower where they hold tens of thousands of entries).
        let n = self.engine.slot_job.len();
        scratch.acc[..n].fill(-0.0);
        scratch.block_top.fill(0.0);
        best_k
    }

    /// Sums each touched posting's weighted coverage into `scratch.acc`. Returns whether the
    /// pass was dense (touches not noted: each block's largest sum kept instead).
    fn accumulate(&self, scratch: &mut Scratch, lists: &[(SkillId, LevelCredits)], unlisted: f32) -> bool {
        let engine = self.engine;
        let n = engine.slot_job.len();
        if scratch.acc.len() < n {
            scratch.acc.resize(n, -0.0);
        }
        let blocks = n.div_ceil(BLOCK);
        if scratch.block_top.len() < blocks {
            scratch.block_top.resize(blocks, 0.0);
        }
        // A part weight of 0 still accumulates a little, so a posting with coverage only in
        // that part is reached (the exhaustive rule counts coverage, not weight); it only
        // raises the bounds.
        let weights = [self.weights.essential, self.weights.optional].map(|w| w.max(MIN_PART_WEIGHT));
        scratch.touched.clear();
        // With a province filter, only the slots of that province and the remote postings can
        // rank: each list (ascending by slot) is cut to those two runs. An end at the first or
        // past the last slot needs no search (without a filter, none does: two binary searches
        // a list cost more than the pass over it).
        let mut cut: Vec<(&[(u32, f32)], WeightedCredits)> = Vec::with_capacity(lists.len() * self.ranges.len());
        for (skill, credits) in lists {
            let list = engine.jobs_by_skill.row(skill.index());
            let credits = weighted_credits(&credits.map(|c| c.max(unlisted) - unlisted), weights);
            for range in self.ranges {
                let slot = |e: &(u32, f32)| (e.0 & POSITION_MASK) as usize;
                let from = if range.start == 0 { 0 } else { list.partition_point(|e| slot(e) < range.start) };
                let to = if range.end >= n {
                    list.len()
                } else {
                    from + list[from..].partition_point(|e| slot(e) < range.end)
                };
                if to > from {
                    cut.push((&list[from..to], credits));
                }
            }
        }
        let lists = cut;
        // Once the lists reach a sixteenth of the postings, block maxima and a sequential reset
        // of every accumulator cost less than noting each first touch and reading them back at
        // random.
        let dense = self.dense.unwrap_or_else(|| lists.iter().map(|(list, _)| list.len()).sum::<usize>() >= n / 16);
        for (list, above) in &lists {
            if dense {
                accumulate_dense(&mut scratch.acc, &mut scratch.block_top, list, above);
            } else {
                accumulate(&mut scratch.acc, &mut scratch.touched, list, above);
            }
        }
        dense
    }

    /// Re-rank after a sparse pass: loose bounds for the touched postings only.
    fn rerank_sparse(&self, scratch: &mut Scratch, loose: &Loose) -> Vec<Scored> {
        let engine = self.engine;
        let seeds_wanted = self.k.saturating_mul(4).max(32);
        let Scratch { acc, touched, order, seeds, .. } = scratch;
        order.clear();
        seeds.clear();
        for &j in touched.iter() {
            let sum = std::mem::replace(&mut acc[j as usize], -0.0);
            let kind = engine.skill_kind[j as usize];
            let bound = loose.bound(engine.job_province[j as usize], kind, sum);
            if bound == UNTOUCHED {
                continue;
            }
            // Bounds are positive, so their bit patterns order as the numbers do.
            let key = (bound.to_bits(), order.len() as u32);
            if seeds.len() < seeds_wanted {
                seeds.push(std::cmp::Reverse(key));
            } else if let Some(mut smallest) = seeds.peek_mut() {
                if key.0 > smallest.0 .0 {
                    *smallest = std::cmp::Reverse(key);
                }
            }
            order.push(loose.touched(j, kind, bound, sum));
        }
        let first: Vec<Touched> = seeds
            .drain()
            .map(|std::cmp::Reverse((_, at))| {
                let t = order[at as usize];
                order[at as usize].loose = SCORED;
                t
            })
            .collect();
        let order = &*order;
        self.rerank(
            first,
            |floor| order.iter().filter(|t| t.loose >= floor).copied().collect(),
            |seen| seen.extend(order.iter().map(|t| t.job)),
            loose.unlisted,
        )
    }

    /// Re-rank after a dense pass: [`block_bounds`] bounds each block of [`BLOCK`] slots; the
    /// best posting of each of the best blocks is a seed, and the linear pass bounds posting by
    /// posting only the blocks whose bound reaches the k-th score.
    fn rerank_dense(&self, scratch: &mut Scratch, loose: &Loose) -> Vec<Scored> {
        let engine = self.engine;
        let n = engine.slot_job.len();
        let Scratch { acc, block_top, block_max, .. } = scratch;
        let acc = &acc[..n];
        let segments = &engine.segments;
        block_bounds(loose, &block_top[..n.div_ceil(BLOCK)], segments, block_max);
        let touched = |j: usize, bound: f32| loose.touched(j as u32, engine.skill_kind[j], bound, acc[j]);
        // Seeds: the best posting of each of the blocks with the best bounds.
        let mut blocks: Vec<(f32, usize)> =
            block_max.iter().copied().enumerate().map(|(b, max)| (max, b)).filter(|&(max, _)| max > 0.0).collect();
        let seeds_wanted = self.k.saturating_mul(4).max(32).min(blocks.len());
        if seeds_wanted < blocks.len() {
            blocks.select_nth_unstable_by(seeds_wanted, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let mut exact = [UNTOUCHED; BLOCK];
        let mut seeded: Vec<u32> = Vec::with_capacity(seeds_wanted);
        let first: Vec<Touched> = blocks[..seeds_wanted]
            .iter()
            .filter_map(|&(_, b)| {
                let (start, len) = block_exact(loose, acc, segments, b, &mut exact);
                // The best bound, then its first slot. Real bounds are positive, and positive
                // floats order as their bits do as integers (the markers come out negative), so
                // the maximum is an integer one, which vectorises.
                let bits = exact[..len].iter().map(|x| x.to_bits() as i32).max()?;
                let bound = f32::from_bits(bits as u32);
                if bits <= 0 {
                    return None;
                }
                let at = exact[..len].iter().position(|x| x.to_bits() as i32 == bits)?;
                seeded.push((start + at) as u32);
                Some(touched(start + at, bound))
            })
            .collect();
        seeded.sort_unstable();
        let block_max = &*block_max;
        let best_k = self.rerank(
            first,
            |floor| {
                // Few blocks can reach the floor: bound only their postings one by one.
                let mut out = Vec::new();
                let mut exact = [UNTOUCHED; BLOCK];
                for (b, _) in block_max.iter().enumerate().filter(|&(_, &max)| max >= floor) {
                    let (start, len) = block_exact(loose, acc, segments, b, &mut exact);
                    for (i, &bound) in exact[..len].iter().enumerate() {
                        let j = start + i;
                        if bound >= floor && seeded.binary_search(&(j as u32)).is_err() {
                            out.push(touched(j, bound));
                        }
                    }
                }
                out
            },
            |seen| seen.extend((0..n as u32).filter(|&j| reached(acc[j as usize]))),
            loose.unlisted,
        );
        best_k
    }

    /// The pair's score from the credit table and the exact non-skill components: the scorer's
    /// arithmetic over the same credits, so its score up to float rounding (plus slack). Used
    /// where the pass left weak lists out and the coverages it summed are only bounds.
    fn table_bound(&self, j: u32) -> f32 {
        let engine = self.engine;
        let mut coverage = [0.0f32; 2];
        for &(entry, signed_share) in engine.requirements_by_slot.row(j as usize) {
            let skill = SkillId::from_index((entry & POSITION_MASK) as usize);
            let credit = self.credits.get(skill).map_or(0.0, |c| c[(entry >> POSITION_BITS) as usize]);
            // Sign bit: 0 essential, 1 optional, as in the postings lists.
            coverage[(signed_share.to_bits() >> 31) as usize] += credit * signed_share.abs();
        }
        let kind = engine.skill_kind[j as usize];
        let non_skill = non_skill_components(&engine.job_facts[j as usize], self.candidate).weighted(&self.weights);
        bound_with_skills(
            &self.weights,
            non_skill,
            (kind & ESSENTIAL_PART != 0).then_some(coverage[0]),
            (kind & OPTIONAL_PART != 0).then_some(coverage[1]),
        ) + 1e-5
    }

    /// Exact scores in bound order until no bound reaches the k-th score.
    ///
    /// Phase 1 scores the `seeds` (postings with high loose bounds) to learn a k-th score;
    /// phase 2 takes the rest whose loose bound reaches it (`rest(floor)`) in decreasing loose
    /// bound. A posting's tight bound (every non-skill component exact, through the function the
    /// scorer uses; filters checked) is computed only when its loose bound still reaches the
    /// k-th score, and postings are scored exactly, with [`FitScorer`], best tight bound first,
    /// once no untightened loose bound is above it. The k-th score rises as they are, so most
    /// loose bounds are never tightened. `seen` adds the postings the pass reached (for
    /// [`MatchFilters::include_without_skill_overlap`]).
    fn rerank(
        &self,
        seeds: Vec<Touched>,
        rest: impl FnOnce(f32) -> Vec<Touched>,
        seen: impl FnOnce(&mut FxHashSet<u32>),
        unlisted: f32,
    ) -> Vec<Scored> {
        let engine = self.engine;
        let (c, k, filters, w) = (self.candidate, self.k, self.filters, &self.weights);
        let tight = |t: &Touched| -> Option<(f32, u32)> {
            let facts = &engine.job_facts[t.job as usize];
            if !engine.job_passes(facts, filters) {
                return None;
            }
            let parts = skill_weights(w, engine.skill_kind[t.job as usize]);
            let (num, den) = non_skill_components(facts, c).weighted(w);
            // The scorer's ratio with the weighted coverage as the bound took it.
            let bound = if den + parts > 0.0 { ((num + t.skill) / (den + parts)).min(1.0) } else { 0.0 } + 1e-5;
            // Same coverage, fewer perfect parts.
            debug_assert!(bound <= t.loose + 1e-4, "tight bound {bound} above loose {}", t.loose);
            Some((bound, t.job))
        };
        let mut best = TopScores::new(k);
        let score = |j: u32, best: &mut TopScores| {
            // The scorer, with related-skill credit from the credit table (the same products,
            // one lookup instead of a walk over every related skill of the requirement).
            let fit = engine.scorer.evaluate_by(self.held, c, engine.posting_at(j), false, |r| {
                self.credits.get(r.skill).map(|credits| (credits[level_code(r.min_level)], None))
            });
            if filters.eligible_only && !fit.eligible() {
                return;
            }
            if !filters.include_without_skill_overlap && !has_skill_credit(&fit) {
                return;
            }
            best.push((fit.score, fit.credit, j));
        };
        // Tight bounds waiting to be scored, best on top (ties: lower slot first). Bounds are
        // positive, so their bit patterns order as the numbers do.
        let mut pending: std::collections::BinaryHeap<(u32, std::cmp::Reverse<u32>)> =
            std::collections::BinaryHeap::new();
        // Scores pending postings while the best tight bound is at least `above`.
        let score_down_to = |above: f32, pending: &mut std::collections::BinaryHeap<_>, best: &mut TopScores| {
            // Where the pass left coverages as bounds (`unlisted`), the credit table's bound
            // comes first (a lookup per requirement, not the scorer's walk over every related
            // skill of each). It is taken for a few postings at once: each starts with a cache
            // miss on the posting's requirements, and independent misses overlap.
            const AT_ONCE: usize = 4;
            let mut batch = [0u32; AT_ONCE];
            loop {
                let mut taken = 0;
                while let Some(&(bits, std::cmp::Reverse(j))) = pending.peek() {
                    let bound = f32::from_bits(bits);
                    if bound < above || taken == AT_ONCE || (taken > 0 && unlisted <= 0.0) {
                        break;
                    }
                    pending.pop();
                    if bound >= best.kth() {
                        batch[taken] = j;
                        taken += 1;
                    }
                }
                if taken == 0 {
                    return;
                }
                if unlisted <= 0.0 {
                    score(batch[0], best);
                    continue;
                }
                // Load each posting's first requirement before any bound is computed, so the
                // misses overlap (a bound's loop, ending in a mispredicted branch, would keep the
                // next posting's loads from starting early).
                let firsts = batch.map(|j| engine.requirements_by_slot.row(j as usize).first().copied());
                std::hint::black_box(&firsts);
                let mut tables = [0.0f32; AT_ONCE];
                for (table, &j) in tables.iter_mut().zip(&batch[..taken]) {
                    *table = self.table_bound(j);
                }
                for (&table, &j) in tables.iter().zip(&batch[..taken]) {
                    if table >= best.kth() {
                        score(j, best);
                    }
                }
            }
        };
        for (bound, j) in seeds.iter().filter_map(tight) {
            pending.push((bound.to_bits(), std::cmp::Reverse(j)));
        }
        score_down_to(f32::NEG_INFINITY, &mut pending, &mut best);
        // Every real loose bound is positive; the markers of scored and unreached postings are not.
        let mut rest = rest(best.kth().max(0.0));
        rest.sort_unstable_by(|a, b| b.loose.total_cmp(&a.loose).then(a.job.cmp(&b.job)));
        for t in &rest {
            score_down_to(t.loose, &mut pending, &mut best);
            if t.loose < best.kth() {
                break;
            }
            if let Some((bound, j)) = tight(t) {
                if bound >= best.kth() {
                    pending.push((bound.to_bits(), std::cmp::Reverse(j)));
                }
            }
        }
        score_down_to(f32::NEG_INFINITY, &mut pending, &mut best);
        if filters.include_without_skill_overlap {
            let mut reached: FxHashSet<u32> = FxHashSet::default();
            seen(&mut reached);
            // Pairs without skill credit, while they could still enter the top k.
            for &(bound, j) in &engine.jobs_by_bound {
                if bound < best.kth() {
                    break;
                }
                if reached.contains(&j) || !engine.job_passes(&engine.job_facts[j as usize], filters) {
                    continue;
                }
                score(j, &mut best);
            }
        }
        let mut best_k = best.scored;
        best_k.sort_unstable_by(|a, b| {
            // Ties by posting id, then position in the engine's list (not slot), as the
            // exhaustive reference orders them.
            let (ja, jb) = (engine.slot_job[a.2 as usize], engine.slot_job[b.2 as usize]);
            let (pa, pb) = (&engine.postings[ja as usize].id, &engine.postings[jb as usize].id);
            rank_order((a.0, a.1, pa, ja as usize), (b.0, b.1, pb, jb as usize))
        });
        best_k.truncate(k);
        best_k
    }
}

/// Exact scores kept by a re-rank, and the k-th best score among them.
struct TopScores {
    k: usize,
    /// Every pair scored that passed the filters (a few more than `k`).
    scored: Vec<Scored>,
    /// The `k` best scores' bit patterns (scores are not negative, so the bits order as the
    /// numbers do), smallest on top.
    top: std::collections::BinaryHeap<std::cmp::Reverse<u32>>,
}

impl TopScores {
    fn new(k: usize) -> TopScores {
        TopScores { k, scored: Vec::with_capacity(2 * k), top: std::collections::BinaryHeap::with_capacity(k + 1) }
    }

    fn push(&mut self, scored: Scored) {
        debug_assert!(scored.0 >= 0.0, "negative score {}", scored.0);
        self.scored.push(scored);
        // `+ 0.0` turns a `-0.0` into `+0.0`, whose bits order with the rest.
        self.top.push(std::cmp::Reverse((scored.0 + 0.0).to_bits()));
        if self.top.len() > self.k {
            self.top.pop();
        }
    }

    /// The k-th best score so far (minus infinity while fewer than k): a posting whose
    /// bound is below it cannot enter the top k.
    fn kth(&self) -> f32 {
        match self.top.peek() {
            Some(&std::cmp::Reverse(bits)) if self.top.len() >= self.k => f32::from_bits(bits),
            _ => f32::NEG_INFINITY,
        }
    }
}

/// The engine's candidates by held skill, with the level they hold it at (the reverse
/// direction's postings lists), ascending by candidate.
fn candidates_by_skill(candidates: &[Candidate]) -> FxHashMap<SkillId, Vec<(u32, Level)>> {
    let mut by_skill: FxHashMap<SkillId, Vec<(u32, Level)>> = FxHashMap::default();
    for (i, c) in candidates.iter().enumerate() {
        for s in &c.skills {
            by_skill.entry(s.skill).or_default().push((i as u32, s.level));
        }
    }
    by_skill
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MarketGenerator;
    use crate::score::RelatedCredit;

    /// Minimum levels on a third of the requirements, so the level codes in the lists matter.
    fn with_min_levels(postings: &mut [JobPosting]) {
        for (i, p) in postings.iter_mut().enumerate() {
            for (r, req) in p.requirements.iter_mut().enumerate() {
                if (i + r) % 3 == 0 {
                    req.min_level = Level::from_number(((i + r) % 4 + 1) as i64);
                }
            }
        }
    }

    /// Every candidate scored exactly, filtered and ranked as `top_candidates` promises.
    fn candidates_by_scoring_all(
        engine: &MatchEngine,
        p: &JobPosting,
        k: usize,
        filters: &MatchFilters,
    ) -> Vec<Ranked> {
        let mut all: Vec<Ranked> = engine
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| engine.candidate_passes(c, filters))
            .filter_map(|(i, c)| {
                let fit = engine.scorer.evaluate(&engine.held[i], c, p, false);
                let keep = (!filters.eligible_only || fit.eligible())
                    && (filters.include_without_skill_overlap || has_skill_credit(&fit));
                keep.then(|| Ranked { index: i, id: c.id.clone(), score: fit.score, credit: fit.credit })
            })
            .collect();
        sort_ranked(&mut all);
        all.truncate(k);
        all
    }

    /// The reverse search (candidates for a job, bounded from summed coverage) equals scoring
    /// every candidate, with levels, filters, relations that tie, and thin profiles that only
    /// siblings reach.
    #[test]
    fn reverse_search_equals_scoring_every_candidate() {
        let t = Taxonomy::esco().expect("esco");
        let g = MarketGenerator::new(&t, 17).with_text(false);
        let mut m = g.market(24, 0, 3000);
        with_min_levels(&mut m.postings);
        // Thin candidates, some holding only one skill, so many are reached by relations only.
        for (i, c) in m.candidates.iter_mut().enumerate() {
            if i % 3 == 0 {
                c.skills.truncate(1 + i % 2);
            }
        }
        // Skill parts weighted 0 too: every reached candidate's bound is then near the
        // non-skill optimum, and the part weights' floor is what keeps them ranked.
        for w in [
            FitWeights::default(),
            FitWeights { optional: 0.0, ..FitWeights::default() },
            FitWeights { essential: 0.0, optional: 0.0, ..FitWeights::default() },
        ] {
            let scorer = FitScorer::with(&t, w, RelatedCredit::default()).expect("weights");
            let engine = MatchEngine::new(&t, scorer, Vec::new(), m.candidates.clone()).expect("engine");
            for p in &m.postings {
                let province = p.location.map(|l| l.province);
                for filters in [
                    MatchFilters::default(),
                    MatchFilters { province, ..MatchFilters::default() },
                    MatchFilters { eligible_only: true, ..MatchFilters::default() },
                    MatchFilters { education: Some(crate::model::Education::SMA), ..MatchFilters::default() },
                    MatchFilters { include_without_skill_overlap: true, province, ..MatchFilters::default() },
                ] {
                    // k = 200 takes some searches past the first sorted head of 400 candidates.
                    let all = candidates_by_scoring_all(&engine, p, 200, &filters);
                    for k in [1, 10, 200] {
                        let fast = engine.candidates_for_job(p, k, &filters).expect("valid");
                        assert_eq!(fast, all[..k.min(all.len())], "{} k {k} {filters:?} {w:?}", p.id);
                    }
                }
            }
        }
        // The buffers are left clean between searches on a thread (same results twice).
        let engine = MatchEngine::new(&t, FitScorer::new(&t), Vec::new(), m.candidates.clone()).expect("engine");
        let p = &m.postings[0];
        let once = engine.candidates_for_job(p, 10, &MatchFilters::default()).expect("valid");
        assert_eq!(engine.candidates_for_job(p, 10, &MatchFilters::default()).expect("valid"), once);
    }

    /// The dense and the sparse pass, each with and without a first pass that leaves the weak
    /// lists out (each way forced on every candidate), and the automatic choices all equal the
    /// exhaustive scan, with level requirements, thin and full profiles, the province filter,
    /// and a skill part weighted 0.
    #[test]
    fn dense_and_sparse_passes_equal_exhaustive() {
        let t = Taxonomy::esco().expect("esco");
        let g = MarketGenerator::new(&t, 11).with_text(false);
        let mut m = g.market(1500, 0, 40);
        with_min_levels(&mut m.postings);
        // Thin profiles (one or two skills) reach few postings, so `None` picks the sparse pass.
        let thin: Vec<Candidate> = m
            .candidates
            .iter()
            .map(|c| Candidate {
                id: format!("{}-thin", c.id),
                skills: c.skills.iter().take(2).cloned().collect(),
                ..c.clone()
            })
            .collect();
        // A skill part weighted 0 still counts as skill credit in the exhaustive rule, so the
        // pass must still reach postings covered only in that part.
        let weights = [
            FitWeights::default(),
            FitWeights { optional: 0.0, ..FitWeights::default() },
            FitWeights { essential: 0.0, ..FitWeights::default() },
        ];
        for w in weights {
            let scorer = FitScorer::with(&t, w, RelatedCredit::default()).expect("weights");
            let engine = MatchEngine::new(&t, scorer, m.postings.clone(), Vec::new()).expect("engine");
            for c in m.candidates.iter().chain(&thin) {
                for filters in [
                    MatchFilters::default(),
                    MatchFilters { province: c.location.map(|l| l.province), ..MatchFilters::default() },
                ] {
                    let exact = engine.jobs_for_candidate_exhaustive(c, 10, &filters).expect("valid");
                    for dense in [Some(true), Some(false), None] {
                        for tiered in [Some(true), Some(false), None] {
                            let fast = engine.top_jobs(c, &HeldSkills::of(c), 10, &filters, Pass { dense, tiered });
                            assert_eq!(fast, exact, "candidate {} {dense:?} {tiered:?} {filters:?} {w:?}", c.id);
                        }
                    }
                }
            }
        }
    }
}

//! Skill demand (postings), supply (job seekers) and their mismatch by region.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Candidate, Evidence, JobPosting, Location, Mode, ProvinceCode, RegencyCode, TrainingCourse};
use crate::taxonomy::{Importance, OccupationId, SkillId, Taxonomy};

/// How finely to group by place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum RegionLevel {
    /// All of Indonesia as one group (records without a location included).
    National,
    /// By province (records without a location are left out and counted).
    #[default]
    Province,
    /// By regency or city (records located only to a province are left out and counted).
    Regency,
}

/// A place at one [`RegionLevel`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    /// All of Indonesia.
    National,
    /// A province.
    Province(ProvinceCode),
    /// A regency or city.
    Regency(RegencyCode),
}

impl Region {
    /// The region of a location at a level (`None` when the location is too coarse).
    pub fn of(location: Option<&Location>, level: RegionLevel) -> Option<Region> {
        match level {
            RegionLevel::National => Some(Region::National),
            RegionLevel::Province => location.map(|l| Region::Province(l.province)),
            RegionLevel::Regency => location.and_then(|l| l.regency).map(Region::Regency),
        }
    }

    /// Whether a location lies in this region.
    pub fn contains(&self, location: Option<&Location>) -> bool {
        match self {
            Region::National => true,
            Region::Province(p) => location.is_some_and(|l| l.province == *p),
            Region::Regency(r) => location.is_some_and(|l| l.regency == Some(*r)),
        }
    }

    /// The BPS code (`"32"`, `"32.16"`), or `"ID"` for the nation.
    pub fn code(&self) -> String {
        match self {
            Region::National => "ID".to_string(),
            Region::Province(p) => p.to_string(),
            Region::Regency(r) => r.to_string(),
        }
    }

    /// The name from the embedded region table (the code when unknown).
    pub fn name(&self) -> String {
        let regions = crate::Regions::indonesia();
        match self {
            Region::National => "Indonesia".to_string(),
            Region::Province(p) => regions.province(*p).map_or_else(|| p.to_string(), str::to_string),
            Region::Regency(r) => regions.regency(*r).map_or_else(|| r.to_string(), str::to_string),
        }
    }
}

/// How finely to group by occupation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum OccupationLevel {
    /// No grouping by occupation.
    #[default]
    All,
    /// By the posting's ESCO occupation.
    Occupation,
    /// By ISCO-08 / KBJI 2014 group with this many digits (1 = major group … 4 = unit group).
    Isco(u8),
}

/// The grouping of a demand table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct DemandBy {
    /// By place.
    pub region: RegionLevel,
    /// By occupation or ISCO/KBJI group.
    pub occupation: OccupationLevel,
    /// By the month a posting was posted (postings without a date are left out and counted).
    pub month: bool,
}

/// An occupation group of a demand row.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarketGroup {
    /// An ESCO occupation.
    Occupation(OccupationId),
    /// An ISCO-08 / KBJI code prefix (`"7212"`, `"72"`).
    Isco(String),
}

/// The key of one demand row: the parts the table is grouped by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DemandGroup {
    /// The region (always set; [`Region::National`] when not grouping by place).
    pub region: Region,
    /// The occupation group, when grouping by occupation.
    pub occupation: Option<MarketGroup>,
    /// The month `(year, month)`, when grouping by month.
    pub month: Option<(i32, u32)>,
}

/// How many records in a group ask for (or hold) one skill.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SkillCount {
    /// The skill.
    pub skill: SkillId,
    /// Records counting it.
    pub count: u64,
    /// Of those, how many ask for it as essential (demand) or hold it with a course or
    /// certificate behind it (supply).
    pub strong: u64,
    /// `count / records in the group`.
    pub share: f64,
}

/// One group of a demand table.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandRow {
    /// The group.
    pub group: DemandGroup,
    /// Postings in the group.
    pub postings: u64,
    /// Skills asked for, most asked first (ties by skill id).
    pub skills: Vec<SkillCount>,
}

/// Skill demand from postings. See [`SkillDemand::compute`].
#[derive(Clone, Debug, PartialEq)]
pub struct SkillDemand {
    /// The grouping.
    pub by: DemandBy,
    /// The groups, in key order.
    pub rows: Vec<DemandRow>,
    /// Postings counted in some group.
    pub counted: u64,
    /// Postings left out because they lack what the grouping needs (a location at the level,
    /// an occupation, a posting date), so nothing disappears silently.
    pub left_out: u64,
}

#[derive(Default)]
struct Acc {
    records: u64,
    skills: FxHashMap<SkillId, (u64, u64)>,
}

type Groups<K> = FxHashMap<K, Acc>;

fn merge<K: std::hash::Hash + Eq>(mut a: Groups<K>, b: Groups<K>) -> Groups<K> {
    if a.len() < b.len() {
        return merge(b, a);
    }
    for (k, acc) in b {
        let e = a.entry(k).or_default();
        e.records += acc.records;
        for (s, (c, strong)) in acc.skills {
            let x = e.skills.entry(s).or_insert((0, 0));
            x.0 += c;
            x.1 += strong;
        }
    }
    a
}

fn finish(acc: Acc) -> (u64, Vec<SkillCount>) {
    let n = acc.records;
    let mut skills: Vec<SkillCount> = acc
        .skills
        .into_iter()
        .map(|(skill, (count, strong))| SkillCount {
            skill,
            count,
            strong,
            share: if n > 0 { count as f64 / n as f64 } else { 0.0 },
        })
        .collect();
    skills.sort_by(|a, b| b.count.cmp(&a.count).then(a.skill.cmp(&b.skill)));
    (n, skills)
}

fn occupation_group(taxonomy: &Taxonomy, level: OccupationLevel, occ: Option<OccupationId>) -> Option<MarketGroup> {
    let occ = occ?;
    match level {
        OccupationLevel::All => None,
        OccupationLevel::Occupation => Some(MarketGroup::Occupation(occ)),
        OccupationLevel::Isco(digits) => {
            let code = taxonomy.occupation(occ)?.isco_code();
            let digits = usize::from(digits.clamp(1, 4));
            (code.len() >= digits).then(|| MarketGroup::Isco(code[..digits].to_string()))
        }
    }
}

impl SkillDemand {
    /// Counts, for every group, the postings and how many ask for each skill (a posting asks
    /// for a skill once, whatever its weight). Runs in parallel; the result does not depend
    /// on the number of threads.
    pub fn compute(taxonomy: &Taxonomy, postings: &[JobPosting], by: DemandBy) -> SkillDemand {
        let key = |p: &JobPosting| -> Option<DemandGroup> {
            let region = Region::of(p.location.as_ref(), by.region)?;
            let occupation = match by.occupation {
                OccupationLevel::All => None,
                level => Some(occupation_group(taxonomy, level, p.occupation)?),
            };
            let month = match by.month {
                false => None,
                true => {
                    let (y, m, _) = p.posted?.ymd();
                    Some((y, m))
                }
            };
            Some(DemandGroup { region, occupation, month })
        };
        let (groups, left_out) = postings
            .par_chunks(4_096)
            .map(|chunk| {
                let mut g: Groups<DemandGroup> = FxHashMap::default();
                let mut left_out = 0u64;
                for p in chunk {
                    let Some(k) = key(p) else {
                        left_out += 1;
                        continue;
                    };
                    let acc = g.entry(k).or_default();
                    acc.records += 1;
                    for r in &p.requirements {
                        let e = acc.skills.entry(r.skill).or_insert((0, 0));
                        e.0 += 1;
                        e.1 += u64::from(r.importance == Importance::Essential);
                    }
                }
                (g, left_out)
            })
            .reduce(|| (FxHashMap::default(), 0), |a, b| (merge(a.0, b.0), a.1 + b.1));
        let mut rows: Vec<DemandRow> = groups
            .into_iter()
            .map(|(group, acc)| {
                let (postings, skills) = finish(acc);
                DemandRow { group, postings, skills }
            })
            .collect();
        rows.sort_by(|a, b| a.group.cmp(&b.group));
        let counted = rows.iter().map(|r| r.postings).sum();
        SkillDemand { by, rows, counted, left_out }
    }

    /// The row of one group.
    pub fn row(&self, group: &DemandGroup) -> Option<&DemandRow> {
        self.rows.binary_search_by(|r| r.group.cmp(group)).ok().map(|i| &self.rows[i])
    }

    /// Month-over-month trends for one region (and occupation group), from a table grouped
    /// by month: for every skill, its count and share in each month present, and the change in
    /// share from the second-latest month to the latest. Rising skills first.
    pub fn trends(&self, region: Region, occupation: Option<&MarketGroup>) -> Result<Vec<SkillTrend>> {
        if !self.by.month {
            return Err(Error::invalid("trends need a demand table grouped by month (DemandBy::month)"));
        }
        let rows: Vec<&DemandRow> = self
            .rows
            .iter()
            .filter(|r| r.group.region == region && r.group.occupation.as_ref() == occupation)
            .collect();
        let months: Vec<(i32, u32)> = rows.iter().filter_map(|r| r.group.month).collect();
        let mut series: BTreeMap<SkillId, Vec<(u64, f64)>> = BTreeMap::new();
        for (i, r) in rows.iter().enumerate() {
            for s in &r.skills {
                series.entry(s.skill).or_insert_with(|| vec![(0, 0.0); rows.len()])[i] = (s.count, s.share);
            }
        }
        let month_labels: Vec<String> = months.iter().map(|(y, m)| format!("{y:04}-{m:02}")).collect();
        let mut out: Vec<SkillTrend> = series
            .into_iter()
            .map(|(skill, v)| {
                let change = match v.len() {
                    0 | 1 => 0.0,
                    n => v[n - 1].1 - v[n - 2].1,
                };
                SkillTrend {
                    skill,
                    months: month_labels.clone(),
                    counts: v.iter().map(|x| x.0).collect(),
                    shares: v.iter().map(|x| x.1).collect(),
                    share_change: change,
                }
            })
            .collect();
        out.sort_by(|a, b| b.share_change.total_cmp(&a.share_change).then(a.skill.cmp(&b.skill)));
        Ok(out)
    }
}

/// A skill's demand month by month in one group.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillTrend {
    /// The skill.
    pub skill: SkillId,
    /// The months, oldest first (`YYYY-MM`).
    pub months: Vec<String>,
    /// Postings asking for it in each month.
    pub counts: Vec<u64>,
    /// Its share of the month's postings.
    pub shares: Vec<f64>,
    /// Share in the latest month minus share in the one before (0 with one month).
    pub share_change: f64,
}

/// One region of a supply table.
#[derive(Clone, Debug, PartialEq)]
pub struct SupplyRow {
    /// The region.
    pub region: Region,
    /// Job seekers in the region.
    pub candidates: u64,
    /// Skills held, most held first.
    pub skills: Vec<SkillCount>,
}

/// Skill supply from job seekers' profiles, by region. See [`SkillSupply::compute`].
#[derive(Clone, Debug, PartialEq)]
pub struct SkillSupply {
    /// The grouping by place.
    pub level: RegionLevel,
    /// The regions, in code order.
    pub rows: Vec<SupplyRow>,
    /// Candidates without a location at the level, left out.
    pub left_out: u64,
}

impl SkillSupply {
    /// Counts, for every region, the candidates and how many hold each skill (at any level;
    /// `strong` counts those with a completed course or a certificate behind it).
    pub fn compute(candidates: &[Candidate], level: RegionLevel) -> SkillSupply {
        let (groups, left_out) = candidates
            .par_chunks(4_096)
            .map(|chunk| {
                let mut g: Groups<Region> = FxHashMap::default();
                let mut left_out = 0u64;
                for c in chunk {
                    let Some(region) = Region::of(c.location.as_ref(), level) else {
                        left_out += 1;
                        continue;
                    };
                    let acc = g.entry(region).or_default();
                    acc.records += 1;
                    for s in &c.skills {
                        let e = acc.skills.entry(s.skill).or_insert((0, 0));
                        // A profile lists a skill once (the loader merges duplicates); count
                        // it once per candidate even if a caller built one with repeats.
                        e.0 += 1;
                        e.1 += u64::from(s.evidence >= Evidence::CourseCompleted);
                    }
                }
                (g, left_out)
            })
            .reduce(|| (FxHashMap::default(), 0), |a, b| (merge(a.0, b.0), a.1 + b.1));
        let mut rows: Vec<SupplyRow> = groups
            .into_iter()
            .map(|(region, acc)| {
                let (candidates, skills) = finish(acc);
                SupplyRow { region, candidates, skills }
            })
            .collect();
        rows.sort_by_key(|r| r.region);
        SkillSupply { level, rows, left_out }
    }
}

/// Demand against supply for one skill in one region.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SkillMismatch {
    /// The skill.
    pub skill: SkillId,
    /// Postings asking for it.
    pub demand: u64,
    /// Its share of the region's postings.
    pub demand_share: f64,
    /// Job seekers holding it.
    pub supply: u64,
    /// Its share of the region's job seekers.
    pub supply_share: f64,
    /// The mismatch index: `ln(demand share / supply share)` with both shares smoothed
    /// (`(count + ½) / (total + 1)`), so a skill nobody holds is finite and a skill seen once
    /// is not extreme. Positive: short (more asked for than held); negative: in surplus; 0:
    /// balanced.
    pub index: f64,
}

/// Demand against supply in one region.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionMismatch {
    /// The region.
    pub region: Region,
    /// Postings in the region.
    pub postings: u64,
    /// Job seekers in the region.
    pub candidates: u64,
    /// Every skill asked for or held in the region, most short first.
    pub skills: Vec<SkillMismatch>,
}

impl RegionMismatch {
    /// The `n` most short skills asked for by at least `min_postings` postings.
    pub fn shortages(&self, n: usize, min_postings: u64) -> Vec<SkillMismatch> {
        self.skills.iter().filter(|s| s.index > 0.0 && s.demand >= min_postings).take(n).copied().collect()
    }

    /// The `n` skills most in surplus held by at least `min_candidates` job seekers.
    pub fn surpluses(&self, n: usize, min_candidates: u64) -> Vec<SkillMismatch> {
        self.skills.iter().rev().filter(|s| s.index < 0.0 && s.supply >= min_candidates).take(n).copied().collect()
    }
}

/// The mismatch between demand and supply, per region and skill.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// The regions, in code order.
    pub regions: Vec<RegionMismatch>,
}

fn smoothed_share(count: u64, total: u64) -> f64 {
    (count as f64 + 0.5) / (total as f64 + 1.0)
}

impl Mismatch {
    /// Puts demand beside supply region by region. The demand table must be grouped by place
    /// only, at the supply table's level (an error says so otherwise). Regions with postings
    /// or job seekers on one side only are included: everything there is short, or in surplus.
    pub fn compute(demand: &SkillDemand, supply: &SkillSupply) -> Result<Mismatch> {
        if demand.by.month || demand.by.occupation != OccupationLevel::All {
            return Err(Error::invalid("mismatch needs demand grouped by region only (no occupation, no month)"));
        }
        if demand.by.region != supply.level {
            return Err(Error::invalid(format!(
                "demand is grouped by {:?} but supply by {:?}",
                demand.by.region, supply.level
            )));
        }
        let mut regions: BTreeMap<Region, (Option<&DemandRow>, Option<&SupplyRow>)> = BTreeMap::new();
        for r in &demand.rows {
            regions.entry(r.group.region).or_default().0 = Some(r);
        }
        for r in &supply.rows {
            regions.entry(r.region).or_default().1 = Some(r);
        }
        let regions = regions
            .into_par_iter()
            .map(|(region, (d, s))| {
                let postings = d.map_or(0, |d| d.postings);
                let candidates = s.map_or(0, |s| s.candidates);
                let mut by_skill: FxHashMap<SkillId, (u64, u64)> = FxHashMap::default();
                for x in d.map(|d| d.skills.as_slice()).unwrap_or_default() {
                    by_skill.entry(x.skill).or_default().0 = x.count;
                }
                for x in s.map(|s| s.skills.as_slice()).unwrap_or_default() {
                    by_skill.entry(x.skill).or_default().1 = x.count;
                }
                let mut skills: Vec<SkillMismatch> = by_skill
                    .into_iter()
                    .map(|(skill, (dem, sup))| SkillMismatch {
                        skill,
                        demand: dem,
                        demand_share: if postings > 0 { dem as f64 / postings as f64 } else { 0.0 },
                        supply: sup,
                        supply_share: if candidates > 0 { sup as f64 / candidates as f64 } else { 0.0 },
                        index: (smoothed_share(dem, postings) / smoothed_share(sup, candidates)).ln(),
                    })
                    .collect();
                skills.sort_by(|a, b| {
                    b.index.total_cmp(&a.index).then(b.demand.cmp(&a.demand)).then(a.skill.cmp(&b.skill))
                });
                RegionMismatch { region, postings, candidates, skills }
            })
            .collect();
        Ok(Mismatch { regions })
    }

    /// The mismatch of one region.
    pub fn region(&self, region: Region) -> Option<&RegionMismatch> {
        self.regions.iter().find(|r| r.region == region)
    }
}

/// A shortage skill and the courses in the region that teach it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShortageCourses {
    /// The skill's URI.
    pub skill: String,
    /// Its label.
    pub label: String,
    /// Postings asking for it in the region.
    pub demand: u64,
    /// Job seekers holding it in the region.
    pub supply: u64,
    /// The mismatch index.
    pub index: f64,
    /// Ids of the courses in the region (and online, if asked) that teach it, cheapest first.
    pub courses: Vec<String>,
}

/// A BLK's programme list for a region: the most short skills with the courses that teach
/// them, and the shortages no course in the region teaches (the programmes to open).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProgrammeList {
    /// The region's code.
    pub region: String,
    /// Its name.
    pub region_name: String,
    /// Shortage skills some course teaches, most short first.
    pub taught: Vec<ShortageCourses>,
    /// Shortage skills no course in the region teaches, most short first.
    pub untaught: Vec<ShortageCourses>,
}

impl ProgrammeList {
    /// Builds the list from a region's `n` most short skills (asked for by at least
    /// `min_postings` postings). A course counts as in the region when it is held there; with
    /// `include_online`, online courses count everywhere.
    pub fn build(
        taxonomy: &Taxonomy,
        mismatch: &RegionMismatch,
        courses: &[TrainingCourse],
        n: usize,
        min_postings: u64,
        include_online: bool,
    ) -> ProgrammeList {
        let local: Vec<&TrainingCourse> = courses
            .iter()
            .filter(|c| mismatch.region.contains(c.location.as_ref()) || (include_online && c.mode == Mode::Online))
            .collect();
        let mut taught = Vec::new();
        let mut untaught = Vec::new();
        for s in mismatch.shortages(n, min_postings) {
            let mut teaching: Vec<&TrainingCourse> =
                local.iter().copied().filter(|c| c.skills.iter().any(|t| t.skill == s.skill)).collect();
            teaching.sort_by(|a, b| a.cost.cmp(&b.cost).then(a.hours.total_cmp(&b.hours)).then(a.id.cmp(&b.id)));
            let (uri, label) = taxonomy
                .skill(s.skill)
                .map_or_else(|| (String::new(), String::new()), |k| (k.uri().to_string(), k.label("id").to_string()));
            let line = ShortageCourses {
                skill: uri,
                label,
                demand: s.demand,
                supply: s.supply,
                index: s.index,
                courses: teaching.iter().map(|c| c.id.clone()).collect(),
            };
            if line.courses.is_empty() {
                untaught.push(line);
            } else {
                taught.push(line);
            }
        }
        ProgrammeList { region: mismatch.region.code(), region_name: mismatch.region.name(), taught, untaught }
    }
}

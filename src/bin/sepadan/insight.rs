//! `sepadan insight …`: demand and supply by region, the mismatch index, a BLK's programme
//! list, training effectiveness and the BLK report.

use std::path::PathBuf;

use sepadan::{
    BlkReport, Comparison, ComparisonOptions, Date, DemandBy, EffectGroup, EffectOptions, Effectiveness, FitScorer,
    GapClosure, MatchEngine, Mismatch, OccupationLevel, ProgrammeList, Region, RegionLevel, SkillDemand, SkillMismatch,
    SkillSupply, Taxonomy,
};
use serde::Serialize;

use crate::common::{open_with_progress, province, top_k, write_atomic, Failure, Global, Output, Result};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum InsightCommand {
    /// Skill demand from postings by region, occupation group and month.
    Demand(DemandArgs),
    /// Demand against supply per region: the skills most short and most in surplus.
    Mismatch(MismatchArgs),
    /// A region's programme list: shortage skills with the courses that teach them, and those
    /// no course in the region teaches.
    Programmes(ProgrammesArgs),
    /// The enrolment → completion → certification → placement funnel with rates and intervals.
    Effectiveness(EffectArgs),
    /// A BLK's report (Markdown, JSON and SVG charts) written to a directory.
    Report(ReportArgs),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum LevelArg {
    /// All of Indonesia as one region.
    National,
    /// By province.
    Province,
    /// By regency or city.
    Regency,
}

impl LevelArg {
    fn level(self) -> RegionLevel {
        match self {
            LevelArg::National => RegionLevel::National,
            LevelArg::Province => RegionLevel::Province,
            LevelArg::Regency => RegionLevel::Regency,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum OccupationArg {
    /// No grouping by occupation.
    All,
    /// By ESCO occupation.
    Occupation,
    /// By ISCO-08 / KBJI major group (1 digit).
    Isco1,
    /// By ISCO-08 / KBJI sub-major group (2 digits).
    Isco2,
    /// By minor group (3 digits).
    Isco3,
    /// By unit group (4 digits).
    Isco4,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DemandArgs {
    /// Job postings, JSON Lines.
    #[arg(long, value_name = "FILE")]
    jobs: PathBuf,
    /// Grouping by place.
    #[arg(long, value_enum, default_value = "province")]
    region: LevelArg,
    /// Grouping by occupation.
    #[arg(long, value_enum, default_value = "all")]
    occupation: OccupationArg,
    /// Also group by the month a posting was posted.
    #[arg(long)]
    monthly: bool,
    /// Skills listed per group, most asked first.
    #[arg(long, default_value = "20", value_parser = top_k)]
    top: usize,
    /// Language of labels (falls back to English).
    #[arg(long, default_value = "id")]
    labels: String,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

fn region_out(r: Region) -> (String, String) {
    (r.code(), r.name())
}

#[derive(Serialize)]
struct SkillShare<'a> {
    skill: &'a str,
    label: &'a str,
    count: u64,
    essential: u64,
    share: f64,
}

#[derive(Serialize)]
struct DemandOut<'a> {
    region: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    occupation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<String>,
    postings: u64,
    skills: Vec<SkillShare<'a>>,
}

fn load_postings(global: &Global, taxonomy: &Taxonomy, path: &std::path::Path) -> Result<Vec<sepadan::JobPosting>> {
    let (input, bar) = open_with_progress(global, path, "jobs")?;
    let mut loaded = global.loader(taxonomy).postings(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&loaded.errors);
    if loaded.records.iter().any(|p| p.requirements.is_empty()) {
        let extractor = sepadan::Extractor::new(taxonomy);
        for p in loaded.records.iter_mut().filter(|p| p.requirements.is_empty()) {
            extractor.complete_posting(p);
        }
    }
    Ok(loaded.records)
}

fn load_candidates(global: &Global, taxonomy: &Taxonomy, path: &std::path::Path) -> Result<Vec<sepadan::Candidate>> {
    let (input, bar) = open_with_progress(global, path, "candidates")?;
    let mut loaded = global.loader(taxonomy).candidates(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&loaded.errors);
    if loaded.records.iter().any(|c| c.skills.is_empty() && !c.summary.trim().is_empty()) {
        let extractor = sepadan::Extractor::new(taxonomy);
        for c in &mut loaded.records {
            extractor.complete_candidate(c);
        }
    }
    Ok(loaded.records)
}

fn demand(global: &Global, args: &DemandArgs) -> Result<()> {
    let taxonomy = global.taxonomy()?;
    let postings = load_postings(global, &taxonomy, &args.jobs)?;
    let by = DemandBy {
        region: args.region.level(),
        occupation: match args.occupation {
            OccupationArg::All => OccupationLevel::All,
            OccupationArg::Occupation => OccupationLevel::Occupation,
            OccupationArg::Isco1 => OccupationLevel::Isco(1),
            OccupationArg::Isco2 => OccupationLevel::Isco(2),
            OccupationArg::Isco3 => OccupationLevel::Isco(3),
            OccupationArg::Isco4 => OccupationLevel::Isco(4),
        },
        month: args.monthly,
    };
    let d = SkillDemand::compute(&taxonomy, &postings, by);
    let mut out = Output::create(&args.output)?;
    for row in &d.rows {
        let (region, name) = region_out(row.group.region);
        let occupation = row.group.occupation.as_ref().map(|g| match g {
            sepadan::MarketGroup::Occupation(o) => {
                taxonomy.occupation(*o).map_or_else(String::new, |o| o.uri().to_string())
            }
            sepadan::MarketGroup::Isco(code) => code.clone(),
            #[allow(unreachable_patterns)]
            _ => String::new(),
        });
        let skills = row
            .skills
            .iter()
            .take(args.top)
            .map(|s| {
                let (skill, label) = crate::common::skill_label(&taxonomy, s.skill, &args.labels);
                SkillShare { skill, label, count: s.count, essential: s.strong, share: s.share }
            })
            .collect();
        out.json(&DemandOut {
            region,
            name,
            occupation,
            month: row.group.month.map(|(y, m)| format!("{y:04}-{m:02}")),
            postings: row.postings,
            skills,
        })?;
    }
    out.finish()?;
    if d.left_out > 0 {
        global.note(format_args!(
            "{} posting(s) left out: they lack what the grouping needs (location, occupation or date)",
            d.left_out
        ));
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub(crate) struct MismatchArgs {
    /// Job postings, JSON Lines (demand).
    #[arg(long, value_name = "FILE")]
    jobs: PathBuf,
    /// Candidates, JSON Lines (supply).
    #[arg(long, value_name = "FILE")]
    candidates: PathBuf,
    /// Grouping by place.
    #[arg(long, value_enum, default_value = "province")]
    region: LevelArg,
    /// Skills listed per side (shortages, surpluses).
    #[arg(long, default_value = "10", value_parser = top_k)]
    top: usize,
    /// A skill counts only with at least this many postings (shortages) or candidates
    /// (surpluses) behind it: ratios of tiny counts are noise.
    #[arg(long, default_value = "3")]
    min_count: u64,
    /// Language of labels (falls back to English).
    #[arg(long, default_value = "id")]
    labels: String,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

#[derive(Serialize)]
struct MismatchLine<'a> {
    skill: &'a str,
    label: &'a str,
    demand: u64,
    demand_share: f64,
    supply: u64,
    supply_share: f64,
    index: f64,
}

#[derive(Serialize)]
struct MismatchOut<'a> {
    region: String,
    name: String,
    postings: u64,
    candidates: u64,
    shortages: Vec<MismatchLine<'a>>,
    surpluses: Vec<MismatchLine<'a>>,
}

fn lines<'t>(taxonomy: &'t Taxonomy, v: &[SkillMismatch], lang: &str) -> Vec<MismatchLine<'t>> {
    v.iter()
        .map(|s| {
            let (skill, label) = crate::common::skill_label(taxonomy, s.skill, lang);
            MismatchLine {
                skill,
                label,
                demand: s.demand,
                demand_share: s.demand_share,
                supply: s.supply,
                supply_share: s.supply_share,
                index: s.index,
            }
        })
        .collect()
}

fn market_mismatch(
    global: &Global,
    taxonomy: &Taxonomy,
    jobs: &std::path::Path,
    candidates: &std::path::Path,
    level: RegionLevel,
) -> Result<(Vec<sepadan::JobPosting>, Vec<sepadan::Candidate>, Mismatch)> {
    let postings = load_postings(global, taxonomy, jobs)?;
    let people = load_candidates(global, taxonomy, candidates)?;
    let demand = SkillDemand::compute(taxonomy, &postings, DemandBy { region: level, ..DemandBy::default() });
    let supply = SkillSupply::compute(&people, level);
    let mismatch = Mismatch::compute(&demand, &supply)?;
    Ok((postings, people, mismatch))
}

fn mismatch(global: &Global, args: &MismatchArgs) -> Result<()> {
    let taxonomy = global.taxonomy()?;
    let (_, _, m) = market_mismatch(global, &taxonomy, &args.jobs, &args.candidates, args.region.level())?;
    let mut out = Output::create(&args.output)?;
    for r in &m.regions {
        let (region, name) = region_out(r.region);
        out.json(&MismatchOut {
            region,
            name,
            postings: r.postings,
            candidates: r.candidates,
            shortages: lines(&taxonomy, &r.shortages(args.top, args.min_count), &args.labels),
            surpluses: lines(&taxonomy, &r.surpluses(args.top, args.min_count), &args.labels),
        })?;
    }
    out.finish()
}

#[derive(Debug, clap::Args)]
pub(crate) struct ProgrammesArgs {
    /// Job postings, JSON Lines (demand).
    #[arg(long, value_name = "FILE")]
    jobs: PathBuf,
    /// Candidates, JSON Lines (supply).
    #[arg(long, value_name = "FILE")]
    candidates: PathBuf,
    /// Training courses, JSON Lines.
    #[arg(long, value_name = "FILE")]
    courses: PathBuf,
    /// The province (BPS code or name).
    #[arg(long)]
    province: String,
    /// Shortage skills considered, most short first.
    #[arg(long, default_value = "10", value_parser = top_k)]
    top: usize,
    /// Only skills asked for by at least this many postings.
    #[arg(long, default_value = "3")]
    min_count: u64,
    /// Count only courses held in the province (by default online courses count too).
    #[arg(long)]
    offline_only: bool,
}

fn programmes(global: &Global, args: &ProgrammesArgs) -> Result<()> {
    let taxonomy = global.taxonomy()?;
    let p = province(&args.province)?;
    let (_, _, m) = market_mismatch(global, &taxonomy, &args.jobs, &args.candidates, RegionLevel::Province)?;
    let (input, bar) = open_with_progress(global, &args.courses, "courses")?;
    let courses = global.loader(&taxonomy).courses(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&courses.errors);
    let Some(region) = m.region(Region::Province(p)) else {
        return Err(Failure::input(format!("no postings or candidates in province {p}")));
    };
    let list = ProgrammeList::build(&taxonomy, region, &courses.records, args.top, args.min_count, !args.offline_only);
    let mut out = Output::create(std::path::Path::new("-"))?;
    out.json(&list)?;
    out.finish()
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum GroupArg {
    /// Everything as one group.
    All,
    /// By course.
    Course,
    /// By provider.
    Provider,
    /// By provider, BLKs only.
    Blk,
    /// By the course's province.
    Province,
    /// By the course's regency or city.
    Regency,
    /// By cohort label.
    Cohort,
}

#[derive(Debug, clap::Args)]
pub(crate) struct EffectArgs {
    /// Enrolments, JSON Lines (docs/FORMATS.md).
    #[arg(long, value_name = "FILE")]
    enrolments: PathBuf,
    /// Courses, JSON Lines: with it, an enrolment naming an unknown course is an error.
    #[arg(long, value_name = "FILE")]
    courses: Option<PathBuf>,
    /// How to group.
    #[arg(long, value_enum, default_value = "course")]
    by: GroupArg,
    /// Cells with fewer enrolments are flagged small and not ranked.
    #[arg(long, default_value = "30")]
    min_cell: u64,
    /// The date outcomes were observed to (YYYY-MM-DD; default: the latest date in the data).
    #[arg(long)]
    as_of: Option<String>,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

fn load_courses(global: &Global, taxonomy: &Taxonomy, path: &std::path::Path) -> Result<Vec<sepadan::TrainingCourse>> {
    let (input, bar) = open_with_progress(global, path, "courses")?;
    let loaded = global.loader(taxonomy).courses(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&loaded.errors);
    Ok(loaded.records)
}

fn effectiveness(global: &Global, args: &EffectArgs) -> Result<()> {
    let taxonomy = global.taxonomy()?;
    let as_of = args
        .as_of
        .as_deref()
        .map(Date::parse)
        .transpose()
        .map_err(|e| Failure::usage(format!("--as-of: {}", e.into_kind())))?;
    let courses = args.courses.as_deref().map(|p| load_courses(global, &taxonomy, p)).transpose()?;
    let mut loader = global.loader(&taxonomy);
    if let Some(c) = &courses {
        loader = loader.known_courses(c);
    }
    let (input, bar) = open_with_progress(global, &args.enrolments, "enrolments")?;
    let enrolments = loader.enrolments(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&enrolments.errors);
    let by = match args.by {
        GroupArg::All => EffectGroup::All,
        GroupArg::Course => EffectGroup::Course,
        GroupArg::Provider => EffectGroup::Provider,
        GroupArg::Blk => EffectGroup::Blk,
        GroupArg::Province => EffectGroup::Province,
        GroupArg::Regency => EffectGroup::Regency,
        GroupArg::Cohort => EffectGroup::Cohort,
    };
    let options = EffectOptions { as_of, min_cell: args.min_cell, ..EffectOptions::default() };
    let e = Effectiveness::compute(&enrolments.records, by, &options);
    let mut out = Output::create(&args.output)?;
    for cell in &e.cells {
        out.json(cell)?;
    }
    out.finish()?;
    global.note(format_args!(
        "{} enrolment(s) in {} group(s), outcomes as of {}",
        e.counted,
        e.cells.len(),
        e.as_of.as_deref().unwrap_or("unknown")
    ));
    Ok(())
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// The provider (BLK) name, as in the enrolments' `provider`.
    #[arg(long)]
    provider: String,
    /// Enrolments, JSON Lines.
    #[arg(long, value_name = "FILE")]
    enrolments: PathBuf,
    /// Courses, JSON Lines.
    #[arg(long, value_name = "FILE")]
    courses: PathBuf,
    /// Job postings, JSON Lines: the region's demand and the gap closure targets.
    #[arg(long, value_name = "FILE")]
    jobs: PathBuf,
    /// Candidates, JSON Lines: the region's supply and participants' profiles.
    #[arg(long, value_name = "FILE")]
    candidates: PathBuf,
    /// Job seekers' outcomes, JSON Lines: with it, placement is compared with matched
    /// non-participants.
    #[arg(long, value_name = "FILE")]
    outcomes: Option<PathBuf>,
    /// The report directory (report.md, report.json, funnel.svg, placement.svg).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Cells with fewer enrolments are flagged small and not ranked.
    #[arg(long, default_value = "30")]
    min_cell: u64,
}

fn report(global: &Global, args: &ReportArgs) -> Result<()> {
    let taxonomy = global.taxonomy()?;
    let courses = load_courses(global, &taxonomy, &args.courses)?;
    let (input, bar) = open_with_progress(global, &args.enrolments, "enrolments")?;
    let enrolments = global.loader(&taxonomy).known_courses(&courses).enrolments(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&enrolments.errors);
    let enrolments = enrolments.records;
    let own: Vec<sepadan::Enrolment> = enrolments.iter().filter(|e| e.provider == args.provider).cloned().collect();
    if own.is_empty() {
        return Err(Failure::input(format!("no enrolments with provider {:?}", args.provider)));
    }
    let (postings, people, mismatch) =
        market_mismatch(global, &taxonomy, &args.jobs, &args.candidates, RegionLevel::Province)?;
    // The BLK's region: where most of its enrolments were held.
    let mut by_province: std::collections::BTreeMap<sepadan::ProvinceCode, usize> = Default::default();
    for e in &own {
        if let Some(l) = e.location {
            *by_province.entry(l.province).or_default() += 1;
        }
    }
    let home = by_province.iter().max_by_key(|(p, n)| (**n, std::cmp::Reverse(**p))).map(|(p, _)| *p);
    let region = home.and_then(|p| mismatch.region(Region::Province(p)));
    let options = EffectOptions { min_cell: args.min_cell, ..EffectOptions::default() };
    let mut report = BlkReport::new(&taxonomy, &args.provider, &enrolments, &courses, region, &options);
    let scorer = FitScorer::new(&taxonomy);
    if let Some(path) = &args.outcomes {
        let (input, bar) = open_with_progress(global, path, "outcomes")?;
        let outcomes = global.loader(&taxonomy).outcomes(input.reader, &input.name)?;
        bar.finish_and_clear();
        global.report_skipped(&outcomes.errors);
        match Comparison::compute(&scorer, &people, &own, &outcomes.records, &ComparisonOptions::default()) {
            Ok(c) => report.comparison = Some(c),
            Err(e) => global.note(format_args!("no comparison group: {e}")),
        }
    }
    let engine = MatchEngine::new(&taxonomy, scorer, postings, Vec::new())?;
    report.gap_closure = GapClosure::compute(&engine, &people, &own, &courses, 20).courses;
    std::fs::create_dir_all(&args.out).map_err(|e| Failure::io(&args.out, e))?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| Failure::input(e.to_string()))?;
    write_atomic(&args.out.join("report.json"), json.as_bytes())?;
    write_atomic(&args.out.join("funnel.svg"), report.funnel_svg().as_bytes())?;
    write_atomic(&args.out.join("placement.svg"), report.placement_svg().as_bytes())?;
    // The Markdown last: its presence means the whole report is there.
    write_atomic(&args.out.join("report.md"), report.to_markdown().as_bytes())?;
    global.note(format_args!("wrote {}/report.md, report.json, funnel.svg, placement.svg", args.out.display()));
    Ok(())
}

pub(crate) fn run(global: &Global, command: &InsightCommand) -> Result<()> {
    match command {
        InsightCommand::Demand(a) => demand(global, a),
        InsightCommand::Mismatch(a) => mismatch(global, a),
        InsightCommand::Programmes(a) => programmes(global, a),
        InsightCommand::Effectiveness(a) => effectiveness(global, a),
        InsightCommand::Report(a) => report(global, a),
    }
}

//! `sepadan match`, `sepadan gap` and `sepadan plan`: the fit engine, gaps and training plans
//! over files of postings, candidates, courses and schemes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use sepadan::{
    Candidate, Constraint, Extractor, Fit, FitScorer, Gap, GapKind, Importance, JobPosting, MatchEngine, MatchFilters,
    Objective, Optimality, PayoffOptions, PlanOptions, Planner, Relation, Taxonomy,
};
use serde::Serialize;

use crate::common::{open_with_progress, province, skill_label, top_k, unit_interval, Failure, Global, Output, Result};

/// Candidates (or jobs) ranked per parallel batch before their lines are written.
const CHUNK: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Direction {
    /// The best jobs for each candidate.
    Jobs,
    /// The best candidates for each job.
    Candidates,
}

/// Files and filters shared by match, gap and plan.
#[derive(Debug, clap::Args)]
pub(crate) struct MarketArgs {
    /// Job postings, JSON Lines (docs/FORMATS.md); postings without requirements get them
    /// from their title and description.
    #[arg(long, value_name = "FILE")]
    jobs: PathBuf,
    /// Candidates, JSON Lines; candidates without skills get them from their summary.
    #[arg(long, value_name = "FILE")]
    candidates: PathBuf,
    /// Only jobs (or candidates) in this province (BPS code or name).
    #[arg(long)]
    province: Option<String>,
    /// Only jobs in each candidate's own province (and candidates in each job's province).
    #[arg(long, conflicts_with = "province")]
    same_province: bool,
    /// Only pairs that fail no hard constraint (education, location, employment type).
    #[arg(long)]
    eligible_only: bool,
    /// Language of skill labels in the output (falls back to English).
    #[arg(long, default_value = "id")]
    labels: String,
}

#[derive(Debug, clap::Args)]
pub(crate) struct MatchArgs {
    #[command(flatten)]
    market: MarketArgs,
    /// Matches per candidate (or per job).
    #[arg(long, default_value = "10", value_parser = top_k)]
    top: usize,
    /// Rank jobs for each candidate, or candidates for each job.
    #[arg(long, value_enum, default_value = "jobs")]
    direction: Direction,
    /// Explain each match: components, matched, partly matched and missing skills, failed
    /// constraints.
    #[arg(long)]
    explain: bool,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

struct Market {
    taxonomy: Taxonomy,
    engine: MatchEngine,
}

/// Loads the market; with `only` (a `--candidate` id), the engine holds that one candidate,
/// and an id naming no one is a usage error before the postings are read.
fn load_market(global: &Global, args: &MarketArgs, only: Option<&str>) -> Result<Market> {
    let started = Instant::now();
    let taxonomy = global.taxonomy()?;
    let loader = global.loader(&taxonomy);
    // Candidates first: they are the smaller file, and `only` is checked against them.
    let (input, bar) = open_with_progress(global, &args.candidates, "candidates")?;
    let people = loader.candidates(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&people.errors);
    let mut candidates = people.records;
    if let Some(id) = only {
        candidates.retain(|c| c.id == id);
        if candidates.is_empty() {
            return Err(Failure::usage(format!("--candidate: no candidate with id {id:?}")));
        }
    }
    let (input, bar) = open_with_progress(global, &args.jobs, "jobs")?;
    let jobs = loader.postings(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&jobs.errors);
    let mut postings = jobs.records;
    let needs_text = postings.iter().any(|p| p.requirements.is_empty())
        || candidates.iter().any(|c| c.skills.is_empty() && !c.summary.trim().is_empty());
    if needs_text {
        // Built only when some record needs it: building takes about half a second.
        let extractor = Extractor::new(&taxonomy);
        let filled: usize = postings
            .par_iter_mut()
            .filter(|p| p.requirements.is_empty())
            .map(|p| usize::from(extractor.complete_posting(p)))
            .sum::<usize>()
            + candidates.par_iter_mut().map(|c| usize::from(extractor.complete_candidate(c))).sum::<usize>();
        global.note(format_args!("read skills from the text of {filled} record(s) given without them"));
    }
    let (jobs, people) = (postings.len(), candidates.len());
    let read = started.elapsed();
    let engine = MatchEngine::new(&taxonomy, FitScorer::new(&taxonomy), postings, candidates)?;
    // Where a batch run's time goes, for analysts sizing a job (and for docs/BENCHMARKS.md).
    global.note(format_args!(
        "matching {jobs} job(s) and {people} candidate(s) (loaded in {:.2} s, engine built in {:.2} s)",
        read.as_secs_f64(),
        (started.elapsed() - read).as_secs_f64()
    ));
    Ok(Market { taxonomy, engine })
}

fn filters(args: &MarketArgs) -> Result<MatchFilters> {
    Ok(MatchFilters {
        province: args.province.as_deref().map(province).transpose()?,
        eligible_only: args.eligible_only,
        ..MatchFilters::default()
    })
}

fn importance(i: Importance) -> &'static str {
    match i {
        Importance::Essential => "essential",
        Importance::Optional => "optional",
    }
}

fn relation(r: Relation) -> &'static str {
    match r {
        Relation::Narrower => "narrower",
        Relation::EssentialRelation => "essential_relation",
        Relation::OptionalRelation => "optional_relation",
        Relation::Broader => "broader",
        Relation::Sibling => "sibling",
    }
}

#[derive(Serialize)]
struct SkillRef<'a> {
    skill: &'a str,
    label: &'a str,
}

fn skill_ref<'t>(taxonomy: &'t Taxonomy, skill: sepadan::SkillId, lang: &str) -> SkillRef<'t> {
    let (skill, label) = skill_label(taxonomy, skill, lang);
    SkillRef { skill, label }
}

#[derive(Serialize)]
struct MatchedOut<'a> {
    #[serde(flatten)]
    skill: SkillRef<'a>,
    importance: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_level: Option<&'static str>,
    held_level: &'static str,
    evidence: &'static str,
    #[serde(serialize_with = "crate::common::four_decimals")]
    contribution: f32,
}

#[derive(Serialize)]
struct PartialOut<'a> {
    #[serde(flatten)]
    skill: SkillRef<'a>,
    importance: &'static str,
    via: SkillRef<'a>,
    relation: &'static str,
    #[serde(serialize_with = "crate::common::four_decimals")]
    credit: f32,
    #[serde(serialize_with = "crate::common::four_decimals")]
    contribution: f32,
}

#[derive(Serialize)]
struct MissingOut<'a> {
    #[serde(flatten)]
    skill: SkillRef<'a>,
    importance: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_level: Option<&'static str>,
    #[serde(serialize_with = "crate::common::four_decimals")]
    cost: f32,
}

#[derive(Serialize)]
struct ComponentsOut {
    essential: Option<f32>,
    optional: Option<f32>,
    level_fit: Option<f32>,
    related_credit: Option<f32>,
    location: Option<f32>,
    education: Option<f32>,
    experience: Option<f32>,
    salary: Option<f32>,
}

#[derive(Serialize)]
struct Explanation<'a> {
    components: ComponentsOut,
    matched: Vec<MatchedOut<'a>>,
    partial: Vec<PartialOut<'a>>,
    missing: Vec<MissingOut<'a>>,
    /// Hard constraints the pair fails, as sentences.
    constraints: Vec<String>,
}

fn constraint(c: &Constraint) -> String {
    match c {
        Constraint::Education { required, held } => format!(
            "education: the job asks for {}, the candidate has {}",
            required.as_str(),
            held.map_or("none stated", |h| h.as_str())
        ),
        Constraint::Location => "location: the job is in another province and the candidate will not relocate".into(),
        Constraint::EmploymentType => "employment type: not one the candidate accepts".into(),
        _ => format!("{c:?}").to_lowercase(),
    }
}

fn explain<'t>(taxonomy: &'t Taxonomy, fit: &Fit, lang: &str) -> Explanation<'t> {
    let c = fit.components;
    Explanation {
        components: ComponentsOut {
            essential: c.essential,
            optional: c.optional,
            level_fit: c.level_fit,
            related_credit: c.related_credit,
            location: c.location,
            education: c.education,
            experience: c.experience,
            salary: c.salary,
        },
        matched: fit
            .matched
            .iter()
            .map(|m| MatchedOut {
                skill: skill_ref(taxonomy, m.skill, lang),
                importance: importance(m.importance),
                required_level: m.required_level.map(|l| l.as_str()),
                held_level: m.held_level.as_str(),
                evidence: m.evidence.as_str(),
                contribution: m.contribution,
            })
            .collect(),
        partial: fit
            .partial
            .iter()
            .map(|p| PartialOut {
                skill: skill_ref(taxonomy, p.skill, lang),
                importance: importance(p.importance),
                via: skill_ref(taxonomy, p.via, lang),
                relation: relation(p.relation),
                credit: p.credit,
                contribution: p.contribution,
            })
            .collect(),
        missing: fit
            .missing
            .iter()
            .map(|m| MissingOut {
                skill: skill_ref(taxonomy, m.skill, lang),
                importance: importance(m.importance),
                required_level: m.required_level.map(|l| l.as_str()),
                cost: m.cost,
            })
            .collect(),
        constraints: fit.constraints.iter().map(constraint).collect(),
    }
}

#[derive(Serialize)]
struct JobMatch<'a> {
    job: &'a str,
    #[serde(serialize_with = "crate::common::four_decimals")]
    score: f32,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation<'a>>,
}

#[derive(Serialize)]
struct CandidateMatches<'a> {
    candidate: &'a str,
    matches: Vec<JobMatch<'a>>,
}

#[derive(Serialize)]
struct PersonMatch<'a> {
    candidate: &'a str,
    #[serde(serialize_with = "crate::common::four_decimals")]
    score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation<'a>>,
}

#[derive(Serialize)]
struct JobMatches<'a> {
    job: &'a str,
    matches: Vec<PersonMatch<'a>>,
}

fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Failure::input(format!("cannot serialise output: {e}")))
}

pub(crate) fn run_match(global: &Global, args: &MatchArgs) -> Result<()> {
    let base = filters(&args.market)?;
    let Market { taxonomy, engine } = load_market(global, &args.market, None)?;
    let same = args.market.same_province;
    let lang = args.market.labels.as_str();
    let mut out = Output::create(&args.output)?;
    let (total, what) = match args.direction {
        Direction::Jobs => (engine.candidates().len(), "candidates"),
        Direction::Candidates => (engine.postings().len(), "jobs"),
    };
    let bar = global.progress(what, None);
    let started = Instant::now();
    for start in (0..total).step_by(CHUNK) {
        let range = start..(start + CHUNK).min(total);
        let lines: Vec<Result<String>> = range
            .into_par_iter()
            .map(|i| match args.direction {
                Direction::Jobs => {
                    let c = &engine.candidates()[i];
                    let f = if same {
                        MatchFilters { province: c.location.map(|l| l.province), ..base.clone() }
                    } else {
                        base.clone()
                    };
                    let matches = engine
                        .jobs_for_candidate(c, args.top, &f)?
                        .iter()
                        .map(|r| {
                            let p = &engine.postings()[r.index];
                            JobMatch {
                                job: &p.id,
                                score: r.score,
                                title: &p.title,
                                explanation: args.explain.then(|| explain(&taxonomy, &engine.scorer().fit(c, p), lang)),
                            }
                        })
                        .collect();
                    json(&CandidateMatches { candidate: &c.id, matches })
                }
                Direction::Candidates => {
                    let p = &engine.postings()[i];
                    let f = if same {
                        MatchFilters { province: p.location.map(|l| l.province), ..base.clone() }
                    } else {
                        base.clone()
                    };
                    let matches = engine
                        .candidates_for_job(p, args.top, &f)?
                        .iter()
                        .map(|r| {
                            let c = &engine.candidates()[r.index];
                            PersonMatch {
                                candidate: &c.id,
                                score: r.score,
                                explanation: args.explain.then(|| explain(&taxonomy, &engine.scorer().fit(c, p), lang)),
                            }
                        })
                        .collect();
                    json(&JobMatches { job: &p.id, matches })
                }
            })
            .collect();
        for line in lines {
            out.line(&line?)?;
        }
        bar.inc((total.min(start + CHUNK) - start) as u64);
    }
    bar.finish_and_clear();
    out.finish()?;
    global.note(format_args!("ranked {total} {what} in {:.2} s", started.elapsed().as_secs_f64()));
    // The process exits next: freeing the market's millions of small allocations one by one
    // took about 70 ms of a 3.5 s national-scale run, for memory the exit returns anyway.
    std::mem::forget(engine);
    std::mem::forget(taxonomy);
    Ok(())
}

// ---------- gap ----------

#[derive(Debug, clap::Args)]
pub(crate) struct GapArgs {
    #[command(flatten)]
    market: MarketArgs,
    /// Measure the gap to this one posting (by id) instead of the best matches.
    #[arg(long, conflicts_with = "occupation")]
    posting: Option<String>,
    /// Measure the gap to an occupation's ESCO profile (URI or label in either language).
    #[arg(long)]
    occupation: Option<String>,
    /// Otherwise: the gap to each candidate's best N postings (in their province with
    /// --same-province).
    #[arg(long, default_value = "50", value_parser = top_k)]
    targets: usize,
    /// Gap skills listed per candidate, costliest first.
    #[arg(long, default_value = "10", value_parser = top_k)]
    skills: usize,
    /// Only this candidate (by id).
    #[arg(long)]
    candidate: Option<String>,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

#[derive(Serialize)]
struct GapSkillOut<'a> {
    #[serde(flatten)]
    skill: SkillRef<'a>,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    held_level: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_level: Option<&'static str>,
    /// Mean rise in score over the targets if the candidate held it.
    #[serde(serialize_with = "crate::common::four_decimals")]
    cost: f32,
    required_by: usize,
    essential_in: usize,
}

#[derive(Serialize)]
struct UncertifiedOut<'a> {
    #[serde(flatten)]
    skill: SkillRef<'a>,
    held_level: &'static str,
    required_by: usize,
}

#[derive(Serialize)]
struct GapOut<'a> {
    targets: usize,
    #[serde(serialize_with = "crate::common::four_decimals")]
    mean_score: f32,
    skills: Vec<GapSkillOut<'a>>,
    uncertified: Vec<UncertifiedOut<'a>>,
}

fn gap_out<'t>(taxonomy: &'t Taxonomy, gap: &Gap, lang: &str) -> GapOut<'t> {
    GapOut {
        targets: gap.targets,
        mean_score: gap.mean_score,
        skills: gap
            .skills
            .iter()
            .map(|s| GapSkillOut {
                skill: skill_ref(taxonomy, s.skill, lang),
                kind: match s.kind {
                    GapKind::Missing => "missing",
                    GapKind::UnderLevel => "under_level",
                },
                held_level: s.held_level.map(|l| l.as_str()),
                required_level: s.required_level.map(|l| l.as_str()),
                cost: s.cost,
                required_by: s.required_by,
                essential_in: s.essential_in,
            })
            .collect(),
        uncertified: gap
            .uncertified
            .iter()
            .map(|u| UncertifiedOut {
                skill: skill_ref(taxonomy, u.skill, lang),
                held_level: u.held_level.as_str(),
                required_by: u.required_by,
            })
            .collect(),
    }
}

/// How a candidate's gap is measured.
enum Target<'a> {
    Posting(&'a JobPosting),
    Occupation(sepadan::OccupationId),
    TopMatches(usize),
}

fn gap_for(
    engine: &MatchEngine,
    taxonomy: &Taxonomy,
    c: &Candidate,
    target: &Target<'_>,
    f: &MatchFilters,
) -> Result<Gap> {
    Ok(match target {
        Target::Posting(p) => Gap::for_posting(engine.scorer(), c, p),
        Target::Occupation(o) => Gap::for_occupation(taxonomy, engine.scorer(), c, *o)?,
        Target::TopMatches(n) => Gap::for_top_matches(engine, c, *n, f)?,
    })
}

fn candidate_filters(base: &MatchFilters, same: bool, c: &Candidate) -> MatchFilters {
    if same {
        MatchFilters { province: c.location.map(|l| l.province), ..base.clone() }
    } else {
        base.clone()
    }
}

fn target<'e>(
    engine: &'e MatchEngine,
    taxonomy: &Taxonomy,
    posting: Option<&str>,
    occupation: Option<&str>,
    n: usize,
) -> Result<Target<'e>> {
    if let Some(id) = posting {
        return engine
            .postings()
            .iter()
            .find(|p| p.id == id)
            .map(Target::Posting)
            .ok_or_else(|| Failure::usage(format!("--posting: no posting with id {id:?}")));
    }
    if let Some(o) = occupation {
        return taxonomy
            .resolve_occupation(o)
            .map(Target::Occupation)
            .map_err(|e| Failure::usage(format!("--occupation: {}", e.into_kind())));
    }
    Ok(Target::TopMatches(n))
}

#[derive(Serialize)]
struct CandidateGap<'a> {
    candidate: &'a str,
    #[serde(flatten)]
    gap: GapOut<'a>,
}

pub(crate) fn run_gap(global: &Global, args: &GapArgs) -> Result<()> {
    let base = filters(&args.market)?;
    let Market { taxonomy, engine } = load_market(global, &args.market, args.candidate.as_deref())?;
    let target = target(&engine, &taxonomy, args.posting.as_deref(), args.occupation.as_deref(), args.targets)?;
    let lang = args.market.labels.as_str();
    let mut out = Output::create(&args.output)?;
    // With `--candidate`, `load_market` left only that candidate in the engine.
    for chunk in engine.candidates().chunks(CHUNK) {
        let lines: Vec<Result<String>> = chunk
            .par_iter()
            .map(|c| {
                let f = candidate_filters(&base, args.market.same_province, c);
                let gap = gap_for(&engine, &taxonomy, c, &target, &f)?.top(args.skills);
                json(&CandidateGap { candidate: &c.id, gap: gap_out(&taxonomy, &gap, lang) })
            })
            .collect();
        for line in lines {
            out.line(&line?)?;
        }
    }
    out.finish()
}

// ---------- plan ----------

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ObjectiveArg {
    /// Total price (hours break ties).
    Cost,
    /// Total hours (price breaks ties).
    Hours,
    /// Price plus hours valued at --rupiah-per-hour.
    Mix,
}

#[derive(Debug, clap::Args)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    market: MarketArgs,
    /// Training courses, JSON Lines.
    #[arg(long, value_name = "FILE")]
    courses: PathBuf,
    /// Certification schemes, JSON Lines.
    #[arg(long, value_name = "FILE")]
    schemes: Option<PathBuf>,
    /// Plan for the gap to this posting (by id) instead of the best matches.
    #[arg(long, conflicts_with = "occupation")]
    posting: Option<String>,
    /// Plan for the gap to an occupation's ESCO profile.
    #[arg(long)]
    occupation: Option<String>,
    /// Otherwise: the gap to each candidate's best N postings.
    #[arg(long, default_value = "10", value_parser = top_k)]
    targets: usize,
    /// The costliest N gap skills to close.
    #[arg(long, default_value = "6", value_parser = top_k)]
    skills: usize,
    /// Only this candidate (by id).
    #[arg(long)]
    candidate: Option<String>,
    /// What to minimise.
    #[arg(long, value_enum, default_value = "cost")]
    objective: ObjectiveArg,
    /// With --objective mix: rupiah per hour of training (e.g. the minimum wage per hour).
    #[arg(long, default_value = "15000")]
    rupiah_per_hour: f64,
    /// Budget in rupiah.
    #[arg(long)]
    budget: Option<u64>,
    /// Most hours of training in all.
    #[arg(long)]
    max_hours: Option<f32>,
    /// Online courses only.
    #[arg(long, conflicts_with = "offline_only")]
    online_only: bool,
    /// Offline and hybrid courses only.
    #[arg(long)]
    offline_only: bool,
    /// Offline courses must be in the candidate's own province.
    #[arg(long)]
    near: bool,
    /// Also certify self-declared skills the targets ask for.
    #[arg(long)]
    certify: bool,
    /// Score from which a candidate counts as fitting a posting, for what the plan opens.
    #[arg(long, default_value = "0.7", value_parser = unit_interval)]
    threshold: f32,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

#[derive(Serialize)]
struct StepOut<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    provider: &'a str,
    cost: u64,
    hours: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    closes: Vec<SkillRef<'a>>,
    /// Postings this step alone would open.
    #[serde(skip_serializing_if = "Option::is_none")]
    opens: Option<usize>,
}

#[derive(Serialize)]
struct PlanOut<'a> {
    candidate: &'a str,
    complete: bool,
    /// `exact`, or `approximate` with `lower_bound`.
    optimality: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lower_bound: Option<f64>,
    cost: u64,
    hours: f32,
    steps: Vec<StepOut<'a>>,
    left_open: Vec<SkillRef<'a>>,
    uncoverable: Vec<SkillRef<'a>>,
    certifies: Vec<SkillRef<'a>>,
    /// Postings in the region the candidate fits now and after the plan.
    fit_before: usize,
    fit_after: usize,
    opened: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    median_salary: Option<u64>,
    /// The plan in a sentence, in the labels' language.
    summary: String,
}

fn load_offers(global: &Global, taxonomy: &Taxonomy, courses: &Path, schemes: Option<&Path>) -> Result<Planner> {
    let loader = global.loader(taxonomy);
    let (input, bar) = open_with_progress(global, courses, "courses")?;
    let c = loader.courses(input.reader, &input.name)?;
    bar.finish_and_clear();
    global.report_skipped(&c.errors);
    let s = match schemes {
        Some(path) => {
            let (input, bar) = open_with_progress(global, path, "schemes")?;
            let s = loader.schemes(input.reader, &input.name)?;
            bar.finish_and_clear();
            global.report_skipped(&s.errors);
            s.records
        }
        None => Vec::new(),
    };
    Ok(Planner::new(c.records, s)?)
}

pub(crate) fn run_plan(global: &Global, args: &PlanArgs) -> Result<()> {
    if !args.rupiah_per_hour.is_finite() || args.rupiah_per_hour < 0.0 {
        return Err(Failure::usage("--rupiah-per-hour must be a non-negative number"));
    }
    if args.max_hours.is_some_and(|h| !h.is_finite() || h < 0.0) {
        return Err(Failure::usage("--max-hours must be a non-negative number"));
    }
    let base = filters(&args.market)?;
    let Market { taxonomy, engine } = load_market(global, &args.market, args.candidate.as_deref())?;
    let planner = load_offers(global, &taxonomy, &args.courses, args.schemes.as_deref())?;
    let target = target(&engine, &taxonomy, args.posting.as_deref(), args.occupation.as_deref(), args.targets)?;
    let lang = args.market.labels.as_str();
    let objective = match args.objective {
        ObjectiveArg::Cost => Objective::Cost,
        ObjectiveArg::Hours => Objective::Hours,
        ObjectiveArg::Mix => Objective::Weighted { rupiah_per_hour: args.rupiah_per_hour },
    };
    let mut out = Output::create(&args.output)?;
    // With `--candidate`, `load_market` left only that candidate in the engine.
    for chunk in engine.candidates().chunks(CHUNK) {
        let lines: Vec<Result<String>> = chunk
            .par_iter()
            .map(|c| {
                let f = candidate_filters(&base, args.market.same_province, c);
                let gap = gap_for(&engine, &taxonomy, c, &target, &f)?.top(args.skills);
                let options = PlanOptions {
                    objective,
                    max_cost: args.budget,
                    max_hours: args.max_hours,
                    online: !args.offline_only,
                    offline: !args.online_only,
                    province: if args.near { c.location.map(|l| l.province) } else { None },
                    certify: args.certify,
                    ..PlanOptions::default()
                };
                let plan = planner.plan(c, &gap, &options)?;
                let payoff = PayoffOptions { threshold: args.threshold, province: f.province };
                let what_if = planner.what_if(&engine, c, &plan, &payoff);
                let refs = |ids: &[sepadan::SkillId]| -> Vec<SkillRef<'_>> {
                    ids.iter().map(|&s| skill_ref(&taxonomy, s, lang)).collect()
                };
                let (optimality, lower_bound) = match plan.optimality {
                    Optimality::Exact => ("exact", None),
                    Optimality::Approximate { lower_bound } => ("approximate", Some(lower_bound)),
                };
                let steps = plan
                    .steps
                    .iter()
                    .map(|s| StepOut {
                        kind: match s.kind {
                            sepadan::OfferKind::Course => "course",
                            sepadan::OfferKind::Scheme => "scheme",
                        },
                        id: &s.id,
                        title: &s.title,
                        provider: &s.provider,
                        cost: s.cost,
                        hours: s.hours,
                        start: s.start.map(|d| d.to_string()),
                        closes: refs(&s.closes),
                        opens: what_if.steps.iter().find(|p| p.id == s.id).map(|p| p.opened),
                    })
                    .collect();
                json(&PlanOut {
                    candidate: &c.id,
                    complete: plan.is_complete(),
                    optimality,
                    lower_bound,
                    cost: plan.cost,
                    hours: plan.hours,
                    steps,
                    left_open: refs(&plan.left_open),
                    uncoverable: refs(&plan.uncoverable),
                    certifies: refs(&plan.certifies),
                    fit_before: what_if.fit_before,
                    fit_after: what_if.fit_after,
                    opened: what_if.opened,
                    median_salary: what_if.median_salary,
                    summary: plan.describe(&taxonomy, Some(&what_if), if lang == "en" { "en" } else { "id" }),
                })
            })
            .collect();
        for line in lines {
            out.line(&line?)?;
        }
    }
    out.finish()
}

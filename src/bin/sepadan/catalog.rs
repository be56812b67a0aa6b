//! `sepadan index` and `sepadan search`: the tantivy catalogue on disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sepadan::{Catalog, CatalogOptions, Education, EmploymentType, Extractor, RecordKind, SearchRequest, Taxonomy};
use serde::{Deserialize, Serialize};

use crate::common::{open_input, province, top_k, write_atomic, Failure, Global, Result};

/// Written beside the index: which taxonomy its skill and occupation ids refer to, so a search
/// with another taxonomy is refused instead of returning nonsense.
const STAMP: &str = "sepadan-catalog.json";

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Stamp {
    taxonomy: String,
    skills: usize,
    occupations: usize,
}

impl Stamp {
    fn of(t: &Taxonomy) -> Stamp {
        Stamp { taxonomy: t.name().to_string(), skills: t.skill_table_len(), occupations: t.occupation_count() }
    }

    fn check(dir: &Path, t: &Taxonomy) -> Result<()> {
        let path = dir.join(STAMP);
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(()); // an index made by the library directly: nothing to compare
        };
        let found: Stamp = serde_json::from_slice(&bytes)
            .map_err(|e| Failure::input(format!("{}: not a catalogue stamp: {e}", path.display())))?;
        let now = Stamp::of(t);
        if found != now {
            return Err(Failure::input(format!(
                "{}: the catalogue was built with taxonomy {:?} ({} skills, {} occupations) but this run uses {:?} ({} skills, {} occupations); pass the same --taxonomy",
                dir.display(),
                found.taxonomy,
                found.skills,
                found.occupations,
                now.taxonomy,
                now.skills,
                now.occupations
            )));
        }
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct IndexArgs {
    /// The catalogue directory (created, or updated: records are upserted by id).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Job postings, JSON Lines.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    jobs: Vec<PathBuf>,
    /// Training courses, JSON Lines.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    courses: Vec<PathBuf>,
    /// Certification schemes, JSON Lines.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    schemes: Vec<PathBuf>,
    /// Records per commit: a crash loses at most one batch, and re-running is idempotent.
    #[arg(long, default_value = "10000")]
    batch: usize,
    /// Indexing threads.
    #[arg(long, default_value = "2")]
    threads: usize,
}

#[derive(Serialize)]
struct IndexSummary {
    jobs: usize,
    courses: usize,
    schemes: usize,
    skipped: usize,
    total: u64,
}

fn engine_parts(global: &Global) -> Result<(Arc<Taxonomy>, Arc<Extractor>)> {
    let taxonomy = Arc::new(global.taxonomy()?);
    let extractor = Arc::new(Extractor::new(&taxonomy));
    Ok((taxonomy, extractor))
}

pub(crate) fn index(global: &Global, args: &IndexArgs) -> Result<()> {
    if args.jobs.is_empty() && args.courses.is_empty() && args.schemes.is_empty() {
        return Err(Failure::usage("nothing to index: give --jobs, --courses or --schemes"));
    }
    if args.batch == 0 || !(1..=16).contains(&args.threads) {
        return Err(Failure::usage("--batch must be positive and --threads from 1 to 16"));
    }
    let (taxonomy, extractor) = engine_parts(global)?;
    let options = CatalogOptions { writer_threads: args.threads, writer_memory: 64 << 20 };
    let catalog = if args.out.join("meta.json").exists() {
        Stamp::check(&args.out, &taxonomy)?;
        Catalog::open(&args.out, taxonomy.clone(), extractor, options)?
    } else {
        Catalog::create(&args.out, taxonomy.clone(), extractor, options)?
    };
    let stamp = serde_json::to_vec(&Stamp::of(&taxonomy)).map_err(|e| Failure::input(e.to_string()))?;
    write_atomic(&args.out.join(STAMP), &stamp)?;
    let loader = global.loader(&taxonomy);
    let mut summary = IndexSummary { jobs: 0, courses: 0, schemes: 0, skipped: 0, total: 0 };
    for (kind, files) in
        [(RecordKind::Job, &args.jobs), (RecordKind::Course, &args.courses), (RecordKind::Scheme, &args.schemes)]
    {
        for file in files {
            let input = open_input(file)?;
            let bar = global.progress(kind.as_str(), input.len);
            let reader = bar.wrap_read(input.reader);
            let report = catalog.ingest(kind, &loader, reader, &input.name, args.batch, |_| {})?;
            bar.finish_and_clear();
            global.report_skipped(&report.skipped);
            summary.skipped += report.skipped.len();
            match kind {
                RecordKind::Job => summary.jobs += report.indexed,
                RecordKind::Course => summary.courses += report.indexed,
                _ => summary.schemes += report.indexed,
            }
        }
    }
    summary.total = catalog.len();
    global.note(format_args!(
        "indexed {} job(s), {} course(s), {} scheme(s) into {}; the catalogue holds {} record(s)",
        summary.jobs,
        summary.courses,
        summary.schemes,
        args.out.display(),
        summary.total
    ));
    let mut out = crate::common::Output::create(Path::new("-"))?;
    out.json(&summary)?;
    out.finish()
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum KindArg {
    /// Job postings.
    Job,
    /// Training courses.
    Course,
    /// Certification schemes.
    Scheme,
}

#[derive(Debug, clap::Args)]
pub(crate) struct SearchArgs {
    /// The catalogue directory made by `sepadan index`.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Free text in Indonesian or English ("welder" also finds "Juru Las").
    #[arg(long)]
    query: Option<String>,
    /// A skill to retrieve by (ESCO URI or a label in either language); repeatable.
    #[arg(long = "skill", value_name = "SKILL")]
    skills: Vec<String>,
    /// Only this kind of record.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// Only records in this province (BPS code or name).
    #[arg(long)]
    province: Option<String>,
    /// Only jobs paying at least this much a month (IDR).
    #[arg(long)]
    salary_min: Option<u64>,
    /// Only jobs a candidate with this education may apply for (SD, SMP, SMA, SMK, D1-D4, S1-S3).
    #[arg(long)]
    education: Option<String>,
    /// Only jobs of this employment type; repeatable.
    #[arg(long = "employment-type")]
    employment_types: Vec<String>,
    /// Only remote jobs and online courses.
    #[arg(long)]
    remote: bool,
    /// Only courses and schemes costing at most this (IDR).
    #[arg(long)]
    max_cost: Option<u64>,
    /// Hits to print.
    #[arg(long, default_value = "10", value_parser = top_k)]
    top: usize,
    /// Hits to skip (paging).
    #[arg(long, default_value = "0")]
    offset: usize,
    /// Also print facet counts (province, occupation, skill) as a last line `{"facets": …}`.
    #[arg(long)]
    facets: bool,
}

#[derive(Serialize)]
struct HitOut<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    #[serde(serialize_with = "crate::common::four_decimals")]
    score: f32,
}

#[derive(Serialize)]
struct Count {
    key: String,
    label: String,
    count: u64,
}

#[derive(Serialize)]
struct FacetsOut {
    total: usize,
    provinces: Vec<Count>,
    occupations: Vec<Count>,
    skills: Vec<Count>,
}

pub(crate) fn search(global: &Global, args: &SearchArgs) -> Result<()> {
    let (taxonomy, extractor) = engine_parts(global)?;
    Stamp::check(&args.index, &taxonomy)?;
    let catalog = Catalog::open(&args.index, taxonomy.clone(), extractor, CatalogOptions::default())?;
    let mut skills = Vec::with_capacity(args.skills.len());
    for s in &args.skills {
        let id = taxonomy.resolve_skill(s).map_err(|e| Failure::usage(format!("--skill: {}", e.into_kind())))?;
        skills.push((id, 1.0));
    }
    let education = args
        .education
        .as_deref()
        .map(Education::parse)
        .transpose()
        .map_err(|e| Failure::usage(format!("--education: {}", e.into_kind())))?;
    let mut employment_types = Vec::new();
    for t in &args.employment_types {
        employment_types.push(
            EmploymentType::parse(t).map_err(|e| Failure::usage(format!("--employment-type: {}", e.into_kind())))?,
        );
    }
    let request = SearchRequest {
        text: args.query.clone(),
        skills,
        kind: args.kind.map(|k| match k {
            KindArg::Job => RecordKind::Job,
            KindArg::Course => RecordKind::Course,
            KindArg::Scheme => RecordKind::Scheme,
        }),
        province: args.province.as_deref().map(province).transpose()?,
        salary_at_least: args.salary_min,
        education_at_most: education,
        employment_types,
        remote_or_online: args.remote.then_some(true),
        max_cost: args.max_cost,
        offset: args.offset,
        limit: args.top,
        facets: args.facets,
        ..SearchRequest::default()
    };
    let results = catalog.search(&request)?;
    let mut out = crate::common::Output::create(Path::new("-"))?;
    for h in &results.hits {
        out.json(&HitOut { id: &h.id, kind: h.kind.as_str(), title: &h.title, score: h.score })?;
    }
    if let Some(f) = &results.facets {
        let regions = sepadan::Regions::indonesia();
        let facets = FacetsOut {
            total: results.total,
            provinces: f
                .provinces
                .iter()
                .map(|(p, n)| Count {
                    key: p.to_string(),
                    label: regions.province(*p).unwrap_or_default().to_string(),
                    count: *n,
                })
                .collect(),
            occupations: f
                .occupations
                .iter()
                .filter_map(|(o, n)| taxonomy.occupation(*o).map(|o| (o, n)))
                .map(|(o, n)| Count { key: o.uri().to_string(), label: o.label("id").to_string(), count: *n })
                .collect(),
            skills: f
                .skills
                .iter()
                .filter_map(|(s, n)| taxonomy.skill(*s).map(|s| (s, n)))
                .map(|(s, n)| Count { key: s.uri().to_string(), label: s.label("id").to_string(), count: *n })
                .collect(),
        };
        #[derive(Serialize)]
        struct Wrapped {
            facets: FacetsOut,
        }
        out.json(&Wrapped { facets })?;
    }
    out.finish()?;
    global.note(format_args!("{} matching record(s)", results.total));
    Ok(())
}

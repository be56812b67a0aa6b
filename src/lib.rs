//! # sepadan
//!
//! *Sepadan* is Indonesian for "commensurate". This crate matches people to work on Indonesia's
//! national job and training platform: it holds a skill taxonomy (ESCO v1.1.1 with authored
//! Indonesian labels), reads job postings, training courses, certification schemes and
//! candidates in Bahasa Indonesia and English, and (as the crate grows) extracts skills from
//! text, indexes the catalogue, scores candidate–job fit with explanations, plans the cheapest
//! training that closes a gap, and measures which training gets people hired.
//!
//! ## A first run
//!
//! ```
//! use sepadan::{Loader, Market, Taxonomy};
//!
//! // The full ESCO v1.1.1 taxonomy plus Indonesian labels, embedded in the crate: no files,
//! // no network.
//! let taxonomy = Taxonomy::esco()?;
//! assert_eq!(taxonomy.skill_count(), 13_896);
//!
//! // Labels resolve in either language, case- and accent-insensitively.
//! let welder = taxonomy.resolve_occupation("juru las")?;
//! if let Some(occupation) = taxonomy.occupation(welder) {
//!     assert_eq!(occupation.isco_code(), "7212");
//!     println!("{} / {}", occupation.label("id"), occupation.label("en"));
//! }
//!
//! // Postings are JSON Lines (docs/FORMATS.md); skills may be URIs or labels.
//! let jobs = r#"{"id":"job-1","title":"Welder","location":{"province":"Jawa Barat"},"requirements":[{"skill":"use welding equipment","min_level":"intermediate"}]}"#;
//! let loaded = Loader::new(&taxonomy).postings(jobs.as_bytes(), "jobs.jsonl")?;
//! assert_eq!(loaded.records[0].requirements.len(), 1);
//!
//! // A realistic sample market ships with the crate.
//! let market = Market::sample(&taxonomy)?;
//! assert!(market.postings.len() >= 60);
//!
//! // Skills in free text, in either language, with cues read per line.
//! let extractor = sepadan::Extractor::new(&taxonomy);
//! let found = extractor.extract("Kualifikasi:\n- Wajib mahir Microsoft Excel\n- Bisa bahasa Korea diutamakan");
//! assert!(found.mentions.iter().any(|m| m.required == Some(false)));
//! # Ok::<(), sepadan::Error>(())
//! ```
//!
//! ## Concepts
//!
//! | concept | type | what it is |
//! |---|---|---|
//! | taxonomy | [`Taxonomy`], [`Skill`], [`Occupation`], [`TaxonomyBuilder`] | skills, skill groups, occupations, labels per language, hierarchy, occupation profiles; ESCO import ([`EscoSource`]) and your own concepts (CSV, see `docs/FORMATS.md`) |
//! | ids | [`SkillId`], [`OccupationId`] | dense `u32` ids of one taxonomy; URIs name concepts across taxonomies |
//! | model | [`JobPosting`], [`TrainingCourse`], [`CertificationScheme`], [`Candidate`], [`Market`] | resolved records: skills are ids, places are BPS codes ([`Location`], [`Regions`]) |
//! | input/output | [`Loader`], [`Writer`], [`LoadMode`] | the versioned JSON Lines formats; strict or lenient loading with a per-record error report |
//! | synthetic data | [`MarketGenerator`] | seeded markets of any size from ESCO occupation profiles, for benches and load tests |
//! | text analysis | [`Analyzer`], [`register_analyzers`] | Indonesian/English tokenising, informal spellings, stop words, stemming (root lexicon, protected terms, Snowball), per-line language; the same analysis as a tantivy tokenizer |
//! | extraction | [`Extractor`], [`SkillMention`], [`OccupationMatch`], [`PostingFacts`] | skills from postings, courses and CVs; job titles to occupations; education, experience, salary, places; flagged discriminatory requirements |
//! | catalogue | [`Catalog`], [`SearchRequest`], [`SearchResults`] | postings, courses and schemes in tantivy: upsert/delete/commit, cross-language search, filters, facets, skill retrieval |
//! | fit | [`FitScorer`], [`Fit`], [`MatchEngine`] | explainable candidate–job scores (coverage, levels, related skills, region, education, experience, salary) and exact top-k in both directions |
//! | skill vectors | [`SkillProfile`], [`SkillEmbeddings`] | a person's skills as a sparse vector (people compared with people), and low-rank skill embeddings learned from the taxonomy's occupation profiles (which occupations a set of skills looks like) |
//! | plans | [`Gap`], [`Planner`], [`TrainingPlan`], [`WhatIf`], [`CoursePayoff`] | what a candidate lacks for a posting, an occupation or their top matches; the cheapest courses and schemes that close it (exact branch and bound or greedy with a bound), under budget, hours, mode, place, schedule and prerequisites; the postings a plan or a single course opens |
//! | insight | [`SkillDemand`], [`SkillSupply`], [`Mismatch`], [`ProgrammeList`], [`Effectiveness`], [`Comparison`], [`GapClosure`], [`BlkReport`] | skill demand and supply by region, occupation and month, the mismatch index and a BLK's programme list; training records ([`Enrolment`], [`SeekerOutcome`]); the funnel and its rates with Wilson intervals ([`Rate`]); placement against matched non-participants; gap closure; reports and SVG charts |
//! | errors | [`Error`], [`ErrorKind`], [`Position`] | one opaque error; every input error names file, line, field and value |
//!
//! Data shipped in `data/` carries its attribution: ESCO (© European Union, see
//! `data/ESCO-NOTICE.md`) and the BPS region codes (ODbL, see `data/regions/NOTICE.md`).
#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]
#![doc(test(attr(deny(warnings))))]

mod error;
mod extract;
mod index;
mod insight;
mod model;
mod plan;
mod score;
mod taxonomy;
mod text;

pub use error::{Error, ErrorKind, LoadMode, Position, Result};
pub use extract::{
    DocumentKind, ExtractOptions, Extraction, Extractor, FlagKind, FlaggedRequirement, OccupationMatch, PostingFacts,
    SkillMention, MAX_TEXT_BYTES,
};
pub use index::{
    Catalog, CatalogOptions, Facets, Hit, IngestProgress, IngestReport, RecordKind, SearchRequest, SearchResults,
};
pub use insight::{
    funnel_svg, rates_svg, BlkReport, Comparison, ComparisonOptions, CourseGapClosure, DemandBy, DemandGroup,
    DemandRow, EffectCell, EffectGroup, EffectOptions, Effectiveness, Funnel, GapClosure, MarketGroup, Mismatch,
    OccupationLevel, ProgrammeList, Rate, Region, RegionLevel, RegionMismatch, ShortageCourses, SkillCount,
    SkillDemand, SkillLine, SkillMismatch, SkillSupply, SkillTrend, SupplyRow, TrainingData, TrainingGenerator,
    WageChange, Z_95,
};
pub use model::{
    Candidate, CandidateSkill, CertificationScheme, Date, Education, EmploymentType, Enrolment, Evidence, JobPosting,
    Level, Loaded, Loader, Location, Market, MarketGenerator, Mode, Preferences, ProviderKind, ProvinceCode,
    RegencyCode, Regions, Requirement, Salary, SalaryPeriod, SeekerOutcome, SkillLevel, TextRecord, TitleRecord,
    TrainingCourse, Writer, FORMAT_VERSION,
};
pub use plan::{
    CoursePayoff, Gap, GapKind, GapSkill, Objective, OfferKind, Optimality, PayoffOptions, PayoffSession, PlanOptions,
    PlanStep, Planner, StepPayoff, TrainingPlan, UncertifiedSkill, WhatIf,
};
pub use score::{
    Components, Constraint, Fit, FitScorer, FitWeights, MatchEngine, MatchFilters, MatchedSkill, MissingSkill,
    PartialSkill, Ranked, RelatedCredit, Relation, SkillEmbeddings, SkillProfile,
};
pub use taxonomy::{
    Collection, Concept, EscoImport, EscoSource, Importance, IscoGroup, Label, LabelKind, LabelMatch, NewOccupation,
    NewSkill, Occupation, OccupationId, ReuseLevel, Skill, SkillId, SkillKind, SkillType, Taxonomy, TaxonomyBuilder,
};
pub use text::{
    fold, register_analyzers, Analyzer, AnalyzerOptions, Lang, Segment, SepadanTokenStream, SepadanTokenizer, Token,
    ANALYZER_NAME,
};

// The types a service shares between threads (engines, catalogues, loaders, results) are
// `Send + Sync`, checked on every build rather than only when a test runs.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Analyzer>();
    send_sync::<Extractor>();
    send_sync::<Catalog>();
    send_sync::<SearchRequest>();
    send_sync::<SearchResults>();
    send_sync::<SepadanTokenizer>();
    send_sync::<Taxonomy>();
    send_sync::<TaxonomyBuilder>();
    send_sync::<Error>();
    send_sync::<JobPosting>();
    send_sync::<Candidate>();
    send_sync::<TrainingCourse>();
    send_sync::<CertificationScheme>();
    send_sync::<Enrolment>();
    send_sync::<Market>();
    send_sync::<Regions>();
    send_sync::<Loader<'static>>();
    send_sync::<MarketGenerator<'static>>();
    send_sync::<FitScorer>();
    send_sync::<SkillEmbeddings>();
    send_sync::<Fit>();
    send_sync::<MatchEngine>();
    send_sync::<Planner>();
    send_sync::<TrainingPlan>();
    send_sync::<Gap>();
    send_sync::<PayoffSession<'static>>();
    send_sync::<SkillDemand>();
    send_sync::<SkillSupply>();
    send_sync::<Effectiveness>();
    send_sync::<BlkReport>();
};

//! The catalogue: postings, courses and certification schemes in one tantivy index.
//!
//! One index holds all three kinds (a `kind` field tells them apart), so a BLK officer's query
//! can span jobs and courses and facets count them together. Text fields go through the
//! bilingual [`Analyzer`]; each record also carries an *expansion* field with the labels, in
//! both languages, of its occupation and skills, which is how "welder" finds a posting titled
//! "Juru Las". Skills are exact `u64` terms (structured requirements, or extracted from the text
//! when a record has none), occupations and places are facets, numbers are fast fields.
//!
//! Writes go through one writer behind a mutex; readers search the last committed snapshot and
//! never wait for the writer. `Catalog` is `Send + Sync`.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, ErrorKind, Result};
use crate::extract::{DocumentKind, ExtractOptions, Extractor};
use crate::model::{
    CertificationScheme, Date, Education, EmploymentType, JobPosting, Location, Mode, ProvinceCode, RegencyCode,
    Salary, TrainingCourse,
};
use crate::taxonomy::{Importance, OccupationId, SkillId, Taxonomy};
use crate::text::{register_analyzers, ANALYZER_NAME};

/// What a catalogue record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// A job posting.
    Job,
    /// A training course.
    Course,
    /// A certification scheme.
    Scheme,
}

impl RecordKind {
    /// `"job"`, `"course"` or `"scheme"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Job => "job",
            RecordKind::Course => "course",
            RecordKind::Scheme => "scheme",
        }
    }

    fn parse(s: &str) -> Option<RecordKind> {
        match s {
            "job" => Some(RecordKind::Job),
            "course" => Some(RecordKind::Course),
            "scheme" => Some(RecordKind::Scheme),
            _ => None,
        }
    }
}

/// Settings for opening or creating a catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogOptions {
    /// The writer's memory budget in bytes (tantivy's minimum is 15 MB per thread).
    pub writer_memory: usize,
    /// Indexing threads.
    pub writer_threads: usize,
}

impl Default for CatalogOptions {
    fn default() -> CatalogOptions {
        CatalogOptions { writer_memory: 64 << 20, writer_threads: 1 }
    }
}

/// A search: free text, skills, filters, paging. Every part is optional; an empty request
/// returns everything (newest ties broken by key).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchRequest {
    /// Free text in Indonesian or English. Quotes make phrases; unbalanced quotes and other
    /// syntax slips are tolerated (the query is read leniently).
    pub text: Option<String>,
    /// Skills with weights: records requiring (essential counts double) or teaching them score
    /// by the weighted sum; a skill-only request is the retrieval query for matching.
    pub skills: Vec<(SkillId, f32)>,
    /// Only this kind of record.
    pub kind: Option<RecordKind>,
    /// Only records in this province.
    pub province: Option<ProvinceCode>,
    /// Only records in this regency/city.
    pub regency: Option<RegencyCode>,
    /// Jobs whose monthly salary range reaches at least this (IDR).
    pub salary_at_least: Option<u64>,
    /// Jobs whose monthly salary range starts at or below this (IDR): with `salary_at_least`,
    /// a salary band.
    pub salary_at_most: Option<u64>,
    /// Jobs asking at most this education (what a candidate with it may apply for).
    pub education_at_most: Option<Education>,
    /// Jobs of one of these employment types.
    pub employment_types: Vec<EmploymentType>,
    /// Only remote jobs and online courses (`true`), or only on-site ones (`false`).
    pub remote_or_online: Option<bool>,
    /// Jobs posted on or after this date.
    pub posted_since: Option<Date>,
    /// Jobs not expired on this date (courses: not ended).
    pub active_on: Option<Date>,
    /// Courses and schemes costing at most this (IDR).
    pub max_cost: Option<u64>,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Hits to return (default 10, at most [`Catalog::MAX_PAGE`]; `offset + limit` at most
    /// [`Catalog::MAX_RESULT_WINDOW`]).
    pub limit: usize,
    /// Whether to count facets (region, occupation, skill) over all matching records.
    pub facets: bool,
}

/// Progress of a long ingest, reported after every committed batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngestProgress {
    /// Records indexed and committed so far.
    pub indexed: usize,
    /// Records known so far (equal to `indexed`: the input is streamed, so its length is not
    /// known in advance; callers wanting a percentage can use the file's byte size).
    pub total: usize,
}

/// What an ingest did.
#[derive(Debug)]
pub struct IngestReport {
    /// Records indexed.
    pub indexed: usize,
    /// Records skipped (lenient mode), each with file, line, field and value.
    pub skipped: Vec<Error>,
}

/// One search hit.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Record kind.
    pub kind: RecordKind,
    /// External id.
    pub id: String,
    /// Title (or scheme name).
    pub title: String,
    /// Relevance score (higher is better).
    pub score: f32,
}

/// Counts of matching records per value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    /// Per province, most first.
    pub provinces: Vec<(ProvinceCode, u64)>,
    /// Per regency/city, most first (top 40).
    pub regencies: Vec<(RegencyCode, u64)>,
    /// Per occupation, most first (top 20).
    pub occupations: Vec<(OccupationId, u64)>,
    /// Per skill, most first (top 20).
    pub skills: Vec<(SkillId, u64)>,
}

/// The result of [`Catalog::search`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// Total matching records.
    pub total: usize,
    /// The requested page, best first; ties ordered by kind and id.
    pub hits: Vec<Hit>,
    /// Facet counts, when requested.
    pub facets: Option<Facets>,
}

#[derive(Clone, Copy, Debug)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    expansion: Field,
    skill: Field,
    skill_essential: Field,
    occupation: Field,
    province: Field,
    regency: Field,
    isco: Field,
    location: Field,
    salary_min: Field,
    salary_max: Field,
    education: Field,
    employment: Field,
    remote: Field,
    posted: Field,
    expires: Field,
    cost: Field,
    hours: Field,
}

/// The catalogue's schema. Fields are looked up by name when an index is opened
/// (`Catalog::with_index`), so an index made by this build and one reopened from disk are read
/// the same way.
fn schema() -> Schema {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let num = NumericOptions::default().set_indexed().set_fast();
    let indexed = NumericOptions::default().set_indexed();
    for name in ["key", "kind", "id"] {
        b.add_text_field(name, STRING | STORED);
    }
    b.add_text_field("title", text.clone() | STORED);
    b.add_text_field("body", text.clone());
    b.add_text_field("expansion", text);
    b.add_u64_field("skill_essential", indexed);
    for name in
        ["skill", "occupation", "province", "regency", "salary_min", "salary_max", "education", "remote", "cost"]
    {
        b.add_u64_field(name, num.clone());
    }
    b.add_text_field("isco", STRING);
    b.add_text_field("employment", STRING);
    b.add_facet_field("location", FacetOptions::default());
    b.add_i64_field("posted", num.clone());
    b.add_i64_field("expires", num.clone());
    b.add_f64_field("hours", num);
    b.build()
}

fn index_error(context: &str, e: tantivy::TantivyError) -> Error {
    let msg = match &e {
        tantivy::TantivyError::LockFailure(..) => format!("{context}: the index is locked by another writer ({e})"),
        _ => format!("{context}: {e}"),
    };
    Error::new(ErrorKind::Index(msg))
}

/// Facet counts by dense id, accumulated from fast fields in the same pass as the search.
#[derive(Default)]
struct FacetCounts {
    skills: Vec<u32>,
    occupations: Vec<u32>,
    provinces: Vec<u32>,
    /// Indexed by the regency's numeric code (province × 100 + number).
    regencies: Vec<u32>,
}

struct FacetCounter {
    skills: usize,
    occupations: usize,
}

struct SegmentFacetCounter {
    skill: tantivy::columnar::Column<u64>,
    occupation: tantivy::columnar::Column<u64>,
    province: tantivy::columnar::Column<u64>,
    regency: tantivy::columnar::Column<u64>,
    counts: FacetCounts,
}

impl FacetCounter {
    fn empty(&self) -> FacetCounts {
        FacetCounts {
            skills: vec![0; self.skills],
            occupations: vec![0; self.occupations],
            provinces: vec![0; 100],
            regencies: vec![0; 10_000],
        }
    }
}

impl tantivy::collector::Collector for FacetCounter {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let ff = segment.fast_fields();
        Ok(SegmentFacetCounter {
            skill: ff.u64("skill")?,
            occupation: ff.u64("occupation")?,
            province: ff.u64("province")?,
            regency: ff.u64("regency")?,
            counts: self.empty(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = self.empty();
        for f in fruits {
            for (a, b) in [
                (&mut total.skills, f.skills),
                (&mut total.occupations, f.occupations),
                (&mut total.provinces, f.provinces),
                (&mut total.regencies, f.regencies),
            ] {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
            }
        }
        Ok(total)
    }
}

impl tantivy::collector::SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        // Ids outside the tables (an index built with another taxonomy) are not counted.
        for s in self.skill.values_for_doc(doc) {
            if let Some(n) = self.counts.skills.get_mut(s as usize) {
                *n += 1;
            }
        }
        if let Some(n) = self.occupation.first(doc).and_then(|o| self.counts.occupations.get_mut(o as usize)) {
            *n += 1;
        }
        if let Some(n) = self.province.first(doc).and_then(|p| self.counts.provinces.get_mut(p as usize)) {
            *n += 1;
        }
        if let Some(n) = self.regency.first(doc).and_then(|r| self.counts.regencies.get_mut(r as usize)) {
            *n += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        self.counts
    }
}

/// The catalogue index. See the [module docs](self).
pub struct Catalog {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    taxonomy: Arc<Taxonomy>,
    extractor: Arc<Extractor>,
    /// All query terms must match (the default: precise, and bounds the work on big indexes).
    parser_all: QueryParser,
    /// Any term may match: the fallback when requiring all finds nothing.
    parser_any: QueryParser,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").field("documents", &self.reader.searcher().num_docs()).finish()
    }
}

impl Catalog {
    /// A catalogue in memory (tests, small services).
    pub fn in_memory(taxonomy: Arc<Taxonomy>, extractor: Arc<Extractor>, options: CatalogOptions) -> Result<Catalog> {
        let schema = schema();
        Catalog::with_index(Index::create_in_ram(schema), taxonomy, extractor, options)
    }

    /// Creates a catalogue in `dir` (created if missing; must not already hold an index).
    pub fn create(
        dir: impl AsRef<Path>,
        taxonomy: Arc<Taxonomy>,
        extractor: Arc<Extractor>,
        options: CatalogOptions,
    ) -> Result<Catalog> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::from(e).in_file(dir))?;
        let schema = schema();
        let index = Index::create_in_dir(dir, schema)
            .map_err(|e| index_error("cannot create the catalogue", e).in_file(dir))?;
        Catalog::with_index(index, taxonomy, extractor, options)
    }

    /// Opens the catalogue in `dir`: exactly its last committed state. A missing, locked or
    /// damaged directory, or one made by an incompatible version, is a clear error.
    pub fn open(
        dir: impl AsRef<Path>,
        taxonomy: Arc<Taxonomy>,
        extractor: Arc<Extractor>,
        options: CatalogOptions,
    ) -> Result<Catalog> {
        let dir = dir.as_ref();
        if !dir.join("meta.json").exists() {
            return Err(Error::missing("catalogue (no meta.json: not an index directory)").in_file(dir));
        }
        let index = Index::open_in_dir(dir).map_err(|e| index_error("cannot open the catalogue", e).in_file(dir))?;
        let expected = schema();
        let found = index.schema();
        for (_, entry) in expected.fields() {
            if found.get_field(entry.name()).is_err() {
                return Err(Error::invalid(format!(
                    "catalogue schema lacks field `{}` (made by another version?)",
                    entry.name()
                ))
                .in_file(dir));
            }
        }
        Catalog::with_index(index, taxonomy, extractor, options)
    }

    fn with_index(
        index: Index,
        taxonomy: Arc<Taxonomy>,
        extractor: Arc<Extractor>,
        options: CatalogOptions,
    ) -> Result<Catalog> {
        // Tokenizers are not persisted: register them every time an index is opened.
        register_analyzers(&index, extractor.analyzer());
        let schema = index.schema();
        let field = |name: &str| schema.get_field(name).map_err(|e| index_error("catalogue schema", e));
        let fields = Fields {
            key: field("key")?,
            kind: field("kind")?,
            id: field("id")?,
            title: field("title")?,
            body: field("body")?,
            expansion: field("expansion")?,
            skill: field("skill")?,
            skill_essential: field("skill_essential")?,
            occupation: field("occupation")?,
            province: field("province")?,
            regency: field("regency")?,
            isco: field("isco")?,
            location: field("location")?,
            salary_min: field("salary_min")?,
            salary_max: field("salary_max")?,
            education: field("education")?,
            employment: field("employment")?,
            remote: field("remote")?,
            posted: field("posted")?,
            expires: field("expires")?,
            cost: field("cost")?,
            hours: field("hours")?,
        };
        let threads = options.writer_threads.max(1);
        let memory = options.writer_memory.max(15_000_000 * threads);
        let writer =
            index.writer_with_num_threads(threads, memory).map_err(|e| index_error("cannot start the writer", e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error("cannot open a reader", e))?;
        let mut parser_any = QueryParser::for_index(&index, vec![fields.title, fields.body, fields.expansion]);
        parser_any.set_field_boost(fields.title, 3.0);
        parser_any.set_field_boost(fields.expansion, 0.5);
        let mut parser_all = parser_any.clone();
        parser_all.set_conjunction_by_default();
        Ok(Catalog { index, reader, writer: Mutex::new(writer), fields, taxonomy, extractor, parser_all, parser_any })
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>>> {
        self.writer
            .lock()
            .map_err(|_| Error::new(ErrorKind::Index("the catalogue writer was poisoned by a panic".into())))
    }

    fn key(kind: RecordKind, id: &str) -> String {
        format!("{}:{}", kind.as_str(), id)
    }

    /// Labels of an occupation and skills in every language, for cross-language matching.
    fn expansion(&self, occupation: Option<OccupationId>, skills: &[SkillId]) -> String {
        let mut out = String::new();
        if let Some(o) = occupation.and_then(|o| self.taxonomy.occupation(o)) {
            for l in o.labels().filter(|l| l.kind != crate::LabelKind::Hidden) {
                out.push_str(l.text);
                out.push('\n');
            }
        }
        for s in skills.iter().filter_map(|&s| self.taxonomy.skill(s)) {
            for lang in ["en", "id"] {
                if let Some(l) = s.preferred_label(lang) {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
        out
    }

    fn base_doc(&self, kind: RecordKind, id: &str, title: &str, body: &str) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, Self::key(kind, id));
        d.add_text(f.kind, kind.as_str());
        d.add_text(f.id, id);
        d.add_text(f.title, title);
        d.add_text(f.body, body);
        d
    }

    fn add_location(&self, d: &mut TantivyDocument, loc: &Option<Location>) {
        if let Some(l) = loc {
            let facet = match l.regency {
                Some(r) => Facet::from_path([l.province.to_string(), r.to_string()]),
                None => Facet::from_path([l.province.to_string()]),
            };
            d.add_facet(self.fields.location, facet);
            d.add_u64(self.fields.province, u64::from(l.province.get()));
            if let Some(r) = l.regency {
                d.add_u64(self.fields.regency, u64::from(r.get()));
            }
        }
    }

    fn add_skills(&self, d: &mut TantivyDocument, skills: &[(SkillId, Importance)]) {
        for &(s, imp) in skills {
            d.add_u64(self.fields.skill, s.index() as u64);
            if imp == Importance::Essential {
                d.add_u64(self.fields.skill_essential, s.index() as u64);
            }
        }
    }

    /// Adds or replaces a posting. Without structured requirements, skills are extracted from
    /// its text; without an occupation, the title is normalised (kept when clear).
    pub fn upsert_posting(&self, p: &JobPosting) -> Result<()> {
        let f = &self.fields;
        let mut skills: Vec<(SkillId, Importance)> = p.requirements.iter().map(|r| (r.skill, r.importance)).collect();
        if skills.is_empty() {
            skills = self.extractor.requirements_for(p).iter().map(|r| (r.skill, r.importance)).collect();
        }
        let occupation = p.occupation.or_else(|| self.extractor.occupation_for(p));
        let mut d = self.base_doc(RecordKind::Job, &p.id, &p.title, &p.description);
        let ids: Vec<SkillId> = skills.iter().map(|s| s.0).collect();
        d.add_text(f.expansion, self.expansion(occupation, &ids));
        self.add_skills(&mut d, &skills);
        if let Some(o) = occupation {
            d.add_u64(f.occupation, o.index() as u64);
            if let Some(occ) = self.taxonomy.occupation(o) {
                d.add_text(f.isco, occ.isco_code());
            }
        }
        self.add_location(&mut d, &p.location);
        if let Some(s) = p.salary {
            d.add_u64(f.salary_min, Salary::monthly(s.min, s.period));
            d.add_u64(f.salary_max, Salary::monthly(s.max, s.period));
        }
        d.add_u64(f.education, p.education.map_or(0, |e| u64::from(e.rank())));
        d.add_text(f.employment, p.employment_type.as_str());
        d.add_u64(f.remote, u64::from(p.remote));
        if let Some(x) = p.posted {
            d.add_i64(f.posted, i64::from(x.days_since_epoch()));
        }
        d.add_i64(f.expires, p.expires.map_or(i64::MAX, |x| i64::from(x.days_since_epoch())));
        self.replace(RecordKind::Job, &p.id, d)
    }

    /// Adds or replaces a course (skills taught are its skills; without any, they are extracted
    /// from its description).
    pub fn upsert_course(&self, c: &TrainingCourse) -> Result<()> {
        let f = &self.fields;
        let mut skills: Vec<(SkillId, Importance)> =
            c.skills.iter().map(|s| (s.skill, Importance::Essential)).collect();
        if skills.is_empty() {
            let e = self.extractor.extract_with(
                &format!("{}\n{}", c.title, c.description),
                ExtractOptions {
                    kind: DocumentKind::Course,
                    min_confidence: crate::extract::STRUCTURED_MIN_CONFIDENCE,
                    ..ExtractOptions::default()
                },
            );
            skills = e.mentions.iter().map(|m| (m.skill, Importance::Essential)).collect();
        }
        let mut d = self.base_doc(RecordKind::Course, &c.id, &c.title, &format!("{}\n{}", c.provider, c.description));
        let ids: Vec<SkillId> = skills.iter().map(|s| s.0).collect();
        d.add_text(f.expansion, self.expansion(None, &ids));
        self.add_skills(&mut d, &skills);
        self.add_location(&mut d, &c.location);
        d.add_u64(f.remote, u64::from(c.mode != Mode::Offline));
        d.add_u64(f.cost, c.cost);
        d.add_f64(f.hours, f64::from(c.hours));
        d.add_i64(f.expires, c.end.map_or(i64::MAX, |x| i64::from(x.days_since_epoch())));
        self.replace(RecordKind::Course, &c.id, d)
    }

    /// Adds or replaces a certification scheme.
    pub fn upsert_scheme(&self, s: &CertificationScheme) -> Result<()> {
        let f = &self.fields;
        let skills: Vec<(SkillId, Importance)> = s.skills.iter().map(|x| (x.skill, Importance::Essential)).collect();
        let body = format!("{}\n{}", s.code.as_deref().unwrap_or(""), s.body.as_deref().unwrap_or(""));
        let mut d = self.base_doc(RecordKind::Scheme, &s.id, &s.name, &body);
        let ids: Vec<SkillId> = skills.iter().map(|x| x.0).collect();
        d.add_text(f.expansion, self.expansion(None, &ids));
        self.add_skills(&mut d, &skills);
        self.add_location(&mut d, &s.location);
        d.add_u64(f.cost, s.cost);
        d.add_f64(f.hours, f64::from(s.hours));
        d.add_i64(f.expires, i64::MAX);
        self.replace(RecordKind::Scheme, &s.id, d)
    }

    fn replace(&self, kind: RecordKind, id: &str, d: TantivyDocument) -> Result<()> {
        let w = self.writer()?;
        w.delete_term(Term::from_field_text(self.fields.key, &Self::key(kind, id)));
        w.add_document(d).map_err(|e| index_error("cannot add the record", e))?;
        Ok(())
    }

    /// Deletes a record by kind and external id (no error if absent).
    pub fn delete(&self, kind: RecordKind, id: &str) -> Result<()> {
        let w = self.writer()?;
        w.delete_term(Term::from_field_text(self.fields.key, &Self::key(kind, id)));
        Ok(())
    }

    /// Makes every change since the last commit durable and visible to searches, atomically.
    pub fn commit(&self) -> Result<()> {
        let mut w = self.writer()?;
        w.commit().map_err(|e| index_error("commit failed", e))?;
        drop(w);
        self.reader.reload().map_err(|e| index_error("cannot reload the reader", e))
    }

    /// Merges all committed segments into one: for a catalogue built in bulk (many commits),
    /// searches then touch one segment instead of dozens. Blocks until the merge is done and
    /// visible. Incremental services can leave merging to tantivy's background policy.
    pub fn merge_segments(&self) -> Result<()> {
        // A background merge may replace segments between listing and merging; tantivy then
        // refuses the merge. List again and retry a few times.
        let mut last = None;
        for attempt in 0..8u64 {
            let ids = self.index.searchable_segment_ids().map_err(|e| index_error("cannot list segments", e))?;
            if ids.len() <= 1 {
                last = None;
                break;
            }
            let mut w = self.writer()?;
            match w.merge(&ids).wait() {
                Ok(_) => {
                    w.commit().map_err(|e| index_error("commit after merge failed", e))?;
                    last = None;
                    break;
                }
                Err(e) => {
                    drop(w);
                    last = Some(e);
                    std::thread::sleep(std::time::Duration::from_millis(100 * (attempt + 1)));
                }
            }
        }
        if let Some(e) = last {
            return Err(index_error("merge failed", e));
        }
        self.reader.reload().map_err(|e| index_error("cannot reload the reader", e))
    }

    /// Discards every change since the last commit.
    pub fn rollback(&self) -> Result<()> {
        let mut w = self.writer()?;
        w.rollback().map_err(|e| index_error("rollback failed", e))?;
        Ok(())
    }

    /// Records visible to searches (the last committed state).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the committed catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index, for advanced queries (its analyzers are registered).
    pub fn index(&self) -> &Index {
        &self.index
    }

    fn filters(&self, r: &SearchRequest) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic))
        };
        let u64_range = |field: Field, lo: Bound<u64>, hi: Bound<u64>| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                lo.map(|v| Term::from_field_u64(field, v)),
                hi.map(|v| Term::from_field_u64(field, v)),
            ))
        };
        let i64_range = |field: Field, lo: Bound<i64>, hi: Bound<i64>| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                lo.map(|v| Term::from_field_i64(field, v)),
                hi.map(|v| Term::from_field_i64(field, v)),
            ))
        };
        if let Some(k) = r.kind {
            out.push(term(f.kind, k.as_str()));
        }
        if let Some(reg) = r.regency {
            let facet = Facet::from_path([reg.province().to_string(), reg.to_string()]);
            out.push(Box::new(TermQuery::new(Term::from_facet(f.location, &facet), IndexRecordOption::Basic)));
        } else if let Some(p) = r.province {
            // A province facet term matches records at province level and, through the facet
            // hierarchy, every regency under it.
            let facet = Facet::from_path([p.to_string()]);
            out.push(Box::new(TermQuery::new(Term::from_facet(f.location, &facet), IndexRecordOption::Basic)));
        }
        if let Some(min) = r.salary_at_least {
            out.push(u64_range(f.salary_max, Bound::Included(min), Bound::Unbounded));
        }
        if let Some(max) = r.salary_at_most {
            out.push(u64_range(f.salary_min, Bound::Unbounded, Bound::Included(max)));
        }
        if let Some(e) = r.education_at_most {
            out.push(u64_range(f.education, Bound::Unbounded, Bound::Included(u64::from(e.rank()))));
        }
        if !r.employment_types.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> =
                r.employment_types.iter().map(|t| (Occur::Should, term(f.employment, t.as_str()))).collect();
            out.push(Box::new(BooleanQuery::new(any)));
        }
        if let Some(remote) = r.remote_or_online {
            out.push(Box::new(TermQuery::new(
                Term::from_field_u64(f.remote, u64::from(remote)),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(d) = r.posted_since {
            out.push(i64_range(f.posted, Bound::Included(i64::from(d.days_since_epoch())), Bound::Unbounded));
        }
        if let Some(d) = r.active_on {
            out.push(i64_range(f.expires, Bound::Included(i64::from(d.days_since_epoch())), Bound::Unbounded));
        }
        if let Some(c) = r.max_cost {
            out.push(u64_range(f.cost, Bound::Unbounded, Bound::Included(c)));
        }
        out
    }

    /// Longest free-text query, in bytes. Requests over any of these limits are refused with
    /// [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded): bounded work per query
    /// whatever the caller sends.
    pub const MAX_QUERY_BYTES: usize = 1_000;
    /// Most words in a free-text query.
    pub const MAX_QUERY_TERMS: usize = 64;
    /// Most skills in one request.
    pub const MAX_QUERY_SKILLS: usize = 200;
    /// Most hits in one page (`limit`).
    pub const MAX_PAGE: usize = 1_000;
    /// Deepest result reachable by paging (`offset + limit`).
    pub const MAX_RESULT_WINDOW: usize = 10_000;

    /// Checks a request against the limits above.
    fn check_limits(r: &SearchRequest) -> Result<()> {
        if let Some(text) = &r.text {
            Error::check_limit("query bytes", text.len(), Self::MAX_QUERY_BYTES)?;
            Error::check_limit("query words", text.split_whitespace().count(), Self::MAX_QUERY_TERMS)?;
        }
        Error::check_limit("query skills", r.skills.len(), Self::MAX_QUERY_SKILLS)?;
        Error::check_limit("hits per page", r.limit, Self::MAX_PAGE)?;
        Error::check_limit("result window (offset + limit)", r.offset.saturating_add(r.limit), Self::MAX_RESULT_WINDOW)
    }

    fn query(&self, r: &SearchRequest, all_terms: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut scoring: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(text) = r.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            debug_assert!(text.len() <= Self::MAX_QUERY_BYTES, "checked in search()");
            let parser = if all_terms { &self.parser_all } else { &self.parser_any };
            let (q, _errors) = parser.parse_query_lenient(&escape_query_syntax(text));
            scoring.push((Occur::Should, q));
        }
        for &(s, w) in &r.skills {
            if !(w.is_finite() && w > 0.0) {
                continue;
            }
            let id = s.index() as u64;
            let any = TermQuery::new(Term::from_field_u64(f.skill, id), IndexRecordOption::Basic);
            let essential = TermQuery::new(Term::from_field_u64(f.skill_essential, id), IndexRecordOption::Basic);
            scoring.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(any), w))));
            scoring.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(essential), w))));
        }
        if !scoring.is_empty() {
            must.push((Occur::Must, Box::new(BooleanQuery::new(scoring))));
        }
        for filter in self.filters(r) {
            // Filters restrict without scoring.
            must.push((Occur::Must, Box::new(BoostQuery::new(filter, 0.0))));
        }
        if must.is_empty() {
            return Box::new(tantivy::query::AllQuery);
        }
        Box::new(BooleanQuery::new(must))
    }

    /// Searches the last committed snapshot. Free text requires every term first; when that
    /// finds nothing, any term may match.
    pub fn search(&self, r: &SearchRequest) -> Result<SearchResults> {
        Self::check_limits(r)?;
        let results = self.search_with(r, true)?;
        let several_terms = r.text.as_deref().is_some_and(|t| t.split_whitespace().nth(1).is_some());
        if results.total == 0 && several_terms {
            return self.search_with(r, false);
        }
        Ok(results)
    }

    fn search_with(&self, r: &SearchRequest, all_terms: bool) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let query = self.query(r, all_terms);
        let limit = match r.limit {
            0 => 10,
            n => n,
        };
        let offset = r.offset;
        // Fetch a margin beyond the page so ties at the page edge can be ordered by key.
        let window = offset + limit + 32;
        // One pass over the matches: page, total and (when asked) facet counts together.
        let top_docs = TopDocs::with_limit(window).order_by_score();
        let (top, total, counts) = if r.facets {
            let counter =
                FacetCounter { skills: self.taxonomy.skill_table_len(), occupations: self.taxonomy.occupation_count() };
            let (top, total, counts) =
                searcher.search(&query, &(top_docs, Count, counter)).map_err(|e| index_error("search failed", e))?;
            (top, total, Some(counts))
        } else {
            let (top, total) =
                searcher.search(&query, &(top_docs, Count)).map_err(|e| index_error("search failed", e))?;
            (top, total, None)
        };
        let mut hits: Vec<(f32, String, Hit)> = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| index_error("cannot read a stored record", e))?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let key = text(self.fields.key);
            let Some(kind) = RecordKind::parse(&text(self.fields.kind)) else { continue };
            hits.push((score, key, Hit { kind, id: text(self.fields.id), title: text(self.fields.title), score }));
        }
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let hits: Vec<Hit> = hits.into_iter().skip(offset).take(limit).map(|h| h.2).collect();
        let facets = counts.map(|c| self.facets(c));
        Ok(SearchResults { total, hits, facets })
    }

    fn facets(&self, c: FacetCounts) -> Facets {
        fn top<T: Copy + Ord>(counts: &[u32], k: usize, id: impl Fn(usize) -> Option<T>) -> Vec<(T, u64)> {
            let mut v: Vec<(T, u64)> = counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .filter_map(|(i, &n)| id(i).map(|x| (x, u64::from(n))))
                .collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(k);
            v
        }
        Facets {
            provinces: top(&c.provinces, 40, |p| u8::try_from(p).ok().and_then(ProvinceCode::from_number)),
            regencies: top(&c.regencies, 40, |r| u16::try_from(r).ok().and_then(RegencyCode::from_number)),
            occupations: top(&c.occupations, 20, |o| Some(OccupationId::from_index(o))),
            skills: top(&c.skills, 20, |s| Some(SkillId::from_index(s))),
        }
    }

    /// The retrieval query for matching: the top `n` records of `kind` by a skill-weighted
    /// query over `profile` (skill, weight), with the request's filters.
    pub fn retrieve(
        &self,
        profile: &[(SkillId, f32)],
        kind: RecordKind,
        filters: &SearchRequest,
        n: usize,
    ) -> Result<Vec<Hit>> {
        let r = SearchRequest {
            text: None,
            skills: profile.to_vec(),
            kind: Some(kind),
            limit: n,
            offset: 0,
            facets: false,
            ..filters.clone()
        };
        Ok(self.search(&r)?.hits)
    }

    /// Reads a JSON Lines file of `kind` (formats of `docs/FORMATS.md`) with `loader` (strict
    /// or lenient) and indexes it as it reads (bounded memory), committing every `batch` records
    /// and reporting progress after each commit. In strict mode the first bad record stops the
    /// ingest; batches committed before it stay (re-running the ingest is idempotent: records are
    /// upserted by id).
    pub fn ingest(
        &self,
        kind: RecordKind,
        loader: &crate::Loader<'_>,
        input: impl std::io::Read,
        source: impl AsRef<Path>,
        batch: usize,
        mut progress: impl FnMut(IngestProgress),
    ) -> Result<IngestReport> {
        let batch = batch.max(1);
        let mut indexed = 0usize;
        let mut since_commit = 0usize;
        let mut after_upsert = |this: &Catalog| -> Result<()> {
            indexed += 1;
            since_commit += 1;
            if since_commit >= batch {
                this.commit()?;
                since_commit = 0;
                progress(IngestProgress { indexed, total: indexed });
            }
            Ok(())
        };
        let skipped = match kind {
            RecordKind::Job => loader.for_each_posting(input, source, |p| {
                self.upsert_posting(&p)?;
                after_upsert(self)
            })?,
            RecordKind::Course => loader.for_each_course(input, source, |c| {
                self.upsert_course(&c)?;
                after_upsert(self)
            })?,
            RecordKind::Scheme => loader.for_each_scheme(input, source, |s| {
                self.upsert_scheme(&s)?;
                after_upsert(self)
            })?,
        };
        self.commit()?;
        progress(IngestProgress { indexed, total: indexed });
        Ok(IngestReport { indexed, skipped })
    }

    /// Counts per kind in the committed state.
    pub fn counts(&self) -> Result<HashMap<RecordKind, usize>> {
        let searcher = self.reader.searcher();
        let mut out = HashMap::new();
        for kind in [RecordKind::Job, RecordKind::Course, RecordKind::Scheme] {
            let q = TermQuery::new(Term::from_field_text(self.fields.kind, kind.as_str()), IndexRecordOption::Basic);
            out.insert(kind, searcher.search(&q, &Count).map_err(|e| index_error("count failed", e))?);
        }
        Ok(out)
    }
}

/// A search box is free text, not tantivy's query language: every character the query parser
/// treats as syntax is escaped, except double quotes, which make phrases (documented on
/// [`SearchRequest::text`]). Otherwise `a:b` names a field, `x*` or `3-:*` asks for a field's
/// existence, and `-x` excludes: a typo would become an error or a different question. Found
/// by the `search` fuzz target (`fuzz/regressions/search/query-syntax-field-exists.txt`).
fn escape_query_syntax(text: &str) -> String {
    const SYNTAX: &str = "+-&|!(){}[]^~*?:\\/<>='";
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if SYNTAX.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

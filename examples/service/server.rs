//! The service behind `examples/service.rs`, kept in its own file so that `tests/service.rs`
//! can include it with `#[path]` and start the same router in-process on a free port.
//! The endpoints are documented in `docs/SERVICE.md`.
//!
//! Concurrency: readers never wait on the writer.
//! - The catalogue (tantivy) already serves every search from the last committed snapshot;
//!   upserts go to its writer and become visible at the next commit.
//! - Matching, planning and the BLK summary read an [`Engine`] (match engine, planner,
//!   demand/supply mismatch) held in an `ArcSwap`: a request loads the current `Arc<Engine>`
//!   (a few atomic operations, no lock) and keeps it for its whole duration.
//! - Writes change the writer's own copy of the records under a mutex no reader takes, then
//!   wake one publisher task that commits the catalogue, rebuilds the engine off the async
//!   threads and swaps it in. Writes that arrive during a rebuild are coalesced into the next
//!   one, so a burst of updates costs a couple of rebuilds, not one each. A write returns once
//!   a snapshot containing it is published, so a client reads its own writes.
//! - CPU work (extraction, matching, planning, search, rebuilds) runs in `spawn_blocking`, so
//!   the async threads keep accepting and answering requests.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use arc_swap::ArcSwap;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use sepadan::{
    funnel_svg, rates_svg, Candidate, CandidateSkill, Catalog, CatalogOptions, CertificationScheme, DemandBy,
    DocumentKind, EffectGroup, EffectOptions, Effectiveness, ErrorKind, Evidence, ExtractOptions, Extractor, FitScorer,
    Gap, Importance, JobPosting, Level, Loader, Market, MarketGenerator, MatchEngine, MatchFilters, Mismatch,
    PayoffOptions, PlanOptions, Planner, ProvinceCode, RecordKind, Region, RegionLevel, Regions, SearchRequest,
    SkillDemand, SkillId, SkillSupply, Taxonomy, TrainingCourse, TrainingData, TrainingGenerator, Writer,
};

/// Largest request body. A posting with a long description is a few KB; a CV pasted as text a
/// few tens of KB. Larger bodies are refused with 413 before they are read whole.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Longest profile text (CV) read for skills; the extractor's own cap is far larger.
pub const MAX_PROFILE_TEXT_BYTES: usize = 20_000;
/// Most postings returned by one match request.
pub const MAX_MATCHES: usize = 50;
/// Most skills listed explicitly in one profile.
pub const MAX_PROFILE_SKILLS: usize = 200;

/// What the service loads at start: the parts that never change while it runs.
#[derive(Clone)]
pub struct Base {
    pub taxonomy: Arc<Taxonomy>,
    pub extractor: Arc<Extractor>,
    pub market: Market,
    /// Synthetic enrolments over the sample courses and job seekers (real records load with
    /// `Loader::enrolments`): the effectiveness charts of the BLK summary.
    pub training: TrainingData,
}

impl Base {
    /// The default taxonomy and the sample market, plus `synthetic` seeded postings (for load
    /// tests).
    pub fn load(synthetic: usize) -> Result<Base, sepadan::Error> {
        let taxonomy = Taxonomy::esco()?;
        let extractor = Extractor::new(&taxonomy);
        let mut market = Market::sample(&taxonomy)?;
        if synthetic > 0 {
            let generator = MarketGenerator::new(&taxonomy, 7);
            market.postings.extend(generator.postings().take(synthetic));
        }
        let training = TrainingGenerator::new(&market.courses, &market.candidates, 1).participation(0.9).generate();
        Ok(Base { taxonomy: Arc::new(taxonomy), extractor: Arc::new(extractor), market, training })
    }
}

/// The snapshot every read request works on. Immutable once published.
pub struct Engine {
    pub generation: u64,
    pub matcher: MatchEngine,
    pub planner: Planner,
    /// Demand (current postings) against supply (the job seekers) per province.
    pub mismatch: Mismatch,
    /// Posting id → position in `matcher.postings()`.
    pub posting_index: HashMap<String, usize>,
    /// Course id → position in `planner.courses()`.
    pub course_index: HashMap<String, usize>,
}

/// The writer's copy of the mutable records.
struct Records {
    postings: BTreeMap<String, JobPosting>,
    courses: BTreeMap<String, TrainingCourse>,
    /// Bumped by every accepted write.
    generation: u64,
}

#[derive(Clone, Debug, Default)]
struct Published {
    generation: u64,
    /// Why the last rebuild failed (its writes are in the records but not served).
    error: Option<String>,
}

/// The state shared by all requests.
pub struct Shared {
    pub taxonomy: Arc<Taxonomy>,
    pub extractor: Arc<Extractor>,
    pub catalog: Catalog,
    pub snapshot: ArcSwap<Engine>,
    schemes: Vec<CertificationScheme>,
    supply: SkillSupply,
    training: TrainingData,
    /// The date training outcomes were observed to, over all enrolments.
    training_as_of: Option<sepadan::Date>,
    records: Mutex<Records>,
    wake: tokio::sync::Notify,
    published: tokio::sync::watch::Sender<Published>,
    started: Instant,
}

fn regions() -> &'static Regions {
    Regions::indonesia()
}

impl Shared {
    /// Indexes the market in the catalogue and builds the first engine. Blocking (seconds).
    pub fn new(base: Base) -> Result<Arc<Shared>, sepadan::Error> {
        let Base { taxonomy, extractor, market, training } = base;
        let options = CatalogOptions { writer_memory: 128 << 20, writer_threads: 1 };
        let catalog = Catalog::in_memory(taxonomy.clone(), extractor.clone(), options)?;
        for (i, p) in market.postings.iter().enumerate() {
            catalog.upsert_posting(p)?;
            if (i + 1) % 50_000 == 0 {
                catalog.commit()?;
            }
        }
        for c in &market.courses {
            catalog.upsert_course(c)?;
        }
        for s in &market.schemes {
            catalog.upsert_scheme(s)?;
        }
        catalog.commit()?;
        if market.postings.len() > 50_000 {
            // Many segments slow every search; a bulk-built catalogue is merged once.
            catalog.merge_segments()?;
        }
        let supply = SkillSupply::compute(&market.candidates, RegionLevel::Province);
        let postings: BTreeMap<String, JobPosting> = market.postings.into_iter().map(|p| (p.id.clone(), p)).collect();
        let courses: BTreeMap<String, TrainingCourse> = market.courses.into_iter().map(|c| (c.id.clone(), c)).collect();
        let engine = build_engine(
            &taxonomy,
            &supply,
            0,
            postings.values().cloned().collect(),
            courses.values().cloned().collect(),
            market.schemes.clone(),
        )?;
        let training_as_of = training.enrolments.iter().map(|e| e.placed.map_or(e.end, |p| p.max(e.end))).max();
        let (published, _) = tokio::sync::watch::channel(Published::default());
        Ok(Arc::new(Shared {
            taxonomy,
            extractor,
            catalog,
            snapshot: ArcSwap::from_pointee(engine),
            schemes: market.schemes,
            supply,
            training,
            training_as_of,
            records: Mutex::new(Records { postings, courses, generation: 0 }),
            wake: tokio::sync::Notify::new(),
            published,
            started: Instant::now(),
        }))
    }

    fn records(&self) -> std::sync::MutexGuard<'_, Records> {
        // A writer that panicked mid-update left the records as they were before or after one
        // whole insert or remove (both are single calls): still consistent, so carry on.
        self.records.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until a snapshot with `generation` is served.
    async fn wait_published(&self, generation: u64) -> Result<(), ApiError> {
        self.wake.notify_one();
        let mut rx = self.published.subscribe();
        let seen = rx
            .wait_for(|p| p.generation >= generation)
            .await
            .map_err(|_| ApiError::internal("the service is shutting down"))?
            .clone();
        match seen.error {
            Some(e) if seen.generation == generation => {
                Err(ApiError::internal(format!("the change is stored but could not be published: {e}")))
            }
            _ => Ok(()),
        }
    }
}

fn build_engine(
    taxonomy: &Taxonomy,
    supply: &SkillSupply,
    generation: u64,
    postings: Vec<JobPosting>,
    courses: Vec<TrainingCourse>,
    schemes: Vec<CertificationScheme>,
) -> Result<Engine, sepadan::Error> {
    let posting_index = postings.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let course_index = courses.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
    let demand = SkillDemand::compute(taxonomy, &postings, DemandBy::default());
    let mismatch = Mismatch::compute(&demand, supply)?;
    let matcher = MatchEngine::new(taxonomy, FitScorer::new(taxonomy), postings, Vec::new())?;
    let planner = Planner::new(courses, schemes)?;
    Ok(Engine { generation, matcher, planner, mismatch, posting_index, course_index })
}

/// The publisher: commits the catalogue and swaps in a rebuilt engine after writes, one
/// rebuild at a time, coalescing writes that arrive meanwhile.
async fn publisher(shared: Arc<Shared>) {
    loop {
        shared.wake.notified().await;
        let current = shared.published.borrow().generation;
        let work = {
            let records = shared.records();
            if records.generation == current {
                continue;
            }
            (
                records.generation,
                records.postings.values().cloned().collect::<Vec<_>>(),
                records.courses.values().cloned().collect::<Vec<_>>(),
            )
        };
        let (generation, postings, courses) = work;
        let s = shared.clone();
        let built = tokio::task::spawn_blocking(move || {
            s.catalog.commit()?;
            build_engine(&s.taxonomy, &s.supply, generation, postings, courses, s.schemes.clone())
        })
        .await;
        let error = match built {
            Ok(Ok(engine)) => {
                shared.snapshot.store(Arc::new(engine));
                None
            }
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(format!("rebuild failed: {e}")),
        };
        if let Some(e) = &error {
            eprintln!("service: publishing generation {generation} failed: {e}");
        }
        shared.published.send_replace(Published { generation, error });
    }
}

/// Serves `shared` on `listener` until `shutdown` resolves, then finishes the requests in
/// flight (graceful shutdown) and returns.
pub async fn serve(
    shared: Arc<Shared>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let publisher = tokio::spawn(publisher(shared.clone()));
    let result = axum::serve(listener, router(shared)).with_graceful_shutdown(shutdown).await;
    publisher.abort();
    result
}

/// The routes.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page_index))
        .route("/app.js", get(page_js))
        .route("/style.css", get(page_css))
        .route("/health", get(health))
        .route("/api/stats", get(stats))
        .route("/api/provinces", get(provinces))
        .route("/api/search", get(search))
        .route("/api/postings", axum::routing::post(post_posting))
        .route("/api/postings/{id}", get(get_posting).put(put_posting).delete(delete_posting))
        .route("/api/courses", axum::routing::post(post_course))
        .route("/api/courses/{id}", get(get_course).put(put_course).delete(delete_course))
        .route("/api/match", axum::routing::post(match_profile))
        .route("/api/plan", axum::routing::post(plan_profile))
        .route("/api/blk", get(blk_summary))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed on this endpoint")
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(shared)
}

// ---------------------------------------------------------------------------------------------
// Errors

/// A JSON error `{"error": "..."}` with its status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl ApiError {
    fn new(status: StatusCode, message: impl AsRef<str>) -> ApiError {
        ApiError { status, message: lowercase_first(message.as_ref()) }
    }
    fn bad_request(message: impl AsRef<str>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    fn unprocessable(message: impl AsRef<str>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }
    fn not_found(message: impl AsRef<str>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
    fn internal(message: impl AsRef<str>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    fn limit(what: &str, requested: usize, limit: usize) -> ApiError {
        ApiError::unprocessable(format!("limit exceeded: {requested} {what}, at most {limit} allowed"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

impl From<sepadan::Error> for ApiError {
    fn from(e: sepadan::Error) -> ApiError {
        let status = match e.kind() {
            ErrorKind::InvalidUtf8 | ErrorKind::Syntax(_) => StatusCode::BAD_REQUEST,
            ErrorKind::Io(_) | ErrorKind::Index(_) => StatusCode::INTERNAL_SERVER_ERROR,
            // Missing fields, bad values, unknown or ambiguous references, duplicates, limits:
            // well-formed requests the service cannot act on.
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, e.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        ApiError::new(r.status(), r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::new(r.status(), r.body_text())
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> ApiError {
        ApiError::new(r.status(), r.body_text())
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs CPU work off the async threads; a panic in it is a 500 for this request only.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ApiResult<T> + Send + 'static) -> ApiResult<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("service: request worker failed: {e}");
            Err(ApiError::internal("internal error while answering the request"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Page and health

const INDEX_HTML: &str = include_str!("index.html");
const APP_JS: &str = include_str!("app.js");
const STYLE_CSS: &str = include_str!("style.css");

async fn page_index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX_HTML)
}

async fn page_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], APP_JS)
}

async fn page_css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE_CSS)
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn stats(State(s): State<Arc<Shared>>) -> Json<Value> {
    let engine = s.snapshot.load();
    Json(json!({
        "generation": engine.generation,
        "postings": engine.matcher.postings().len(),
        "courses": engine.planner.courses().len(),
        "schemes": engine.planner.schemes().len(),
        "catalogue_records": s.catalog.len(),
        "uptime_seconds": s.started.elapsed().as_secs(),
    }))
}

async fn provinces() -> Json<Value> {
    let list: Vec<Value> =
        regions().provinces().iter().map(|(code, name)| json!({ "code": code.to_string(), "name": name })).collect();
    Json(Value::Array(list))
}

fn resolve_province(s: &str) -> ApiResult<ProvinceCode> {
    regions().resolve_province(s.trim()).map_err(|e| ApiError::unprocessable(format!("province: {e}")))
}

fn province_json(p: Option<ProvinceCode>) -> Value {
    match p {
        Some(p) => json!({ "code": p.to_string(), "name": regions().province(p).unwrap_or("") }),
        None => Value::Null,
    }
}

#[derive(Serialize)]
struct SkillOut {
    uri: String,
    label: String,
}

fn skill_out(t: &Taxonomy, id: SkillId, lang: &str) -> SkillOut {
    match t.skill(id) {
        Some(s) => SkillOut { uri: s.uri().to_string(), label: s.label(lang).to_string() },
        None => SkillOut { uri: String::new(), label: "?".into() },
    }
}

fn check_lang(lang: Option<&str>) -> ApiResult<&'static str> {
    match lang.unwrap_or("id") {
        "id" => Ok("id"),
        "en" => Ok("en"),
        other => Err(ApiError::unprocessable(format!("lang must be \"id\" or \"en\", not {other:?}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Search

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    province: Option<String>,
    max_cost: Option<u64>,
    salary_at_least: Option<u64>,
    limit: Option<usize>,
    offset: Option<usize>,
    facets: Option<bool>,
}

async fn search(
    State(s): State<Arc<Shared>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(p) = params?;
    let kind = match p.kind.as_deref() {
        None | Some("") | Some("all") => None,
        Some("job") => Some(RecordKind::Job),
        Some("course") => Some(RecordKind::Course),
        Some("scheme") => Some(RecordKind::Scheme),
        Some(other) => {
            return Err(ApiError::unprocessable(format!("kind must be job, course, scheme or all, not {other:?}")))
        }
    };
    let province = p.province.as_deref().filter(|x| !x.trim().is_empty()).map(resolve_province).transpose()?;
    let request = SearchRequest {
        text: p.q,
        kind,
        province,
        max_cost: p.max_cost,
        salary_at_least: p.salary_at_least,
        limit: p.limit.unwrap_or(10),
        offset: p.offset.unwrap_or(0),
        facets: p.facets.unwrap_or(false),
        ..SearchRequest::default()
    };
    blocking(move || {
        let found = s.catalog.search(&request)?;
        let hits: Vec<Value> = found
            .hits
            .iter()
            .map(|h| json!({ "kind": h.kind.as_str(), "id": h.id, "title": h.title, "score": h.score }))
            .collect();
        let facets = found.facets.map(|f| {
            json!({
                "provinces": f.provinces.iter().map(|(p, n)| json!({ "province": province_json(Some(*p)), "count": n })).collect::<Vec<_>>(),
                "skills": f.skills.iter().map(|(k, n)| json!({ "skill": skill_out(&s.taxonomy, *k, "id"), "count": n })).collect::<Vec<_>>(),
            })
        });
        Ok(Json(json!({ "total": found.total, "hits": hits, "facets": facets })))
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Postings and courses

/// Reads exactly one record of the JSON Lines format from a request body (a JSON object).
fn one_record<T>(body: &[u8], what: &str, load: impl FnOnce(&[u8]) -> Result<Vec<T>, sepadan::Error>) -> ApiResult<T> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the body is not valid utf-8"))?;
    let value: Value = serde_json::from_str(text).map_err(|e| ApiError::bad_request(format!("invalid json: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::bad_request(format!("the body must be one {what} as a json object")));
    }
    // One line of the file format: the library's loader checks every field.
    let line = value.to_string();
    let mut records = load(line.as_bytes())?;
    match records.pop() {
        Some(r) if records.is_empty() => Ok(r),
        _ => Err(ApiError::bad_request(format!("the body must be one {what}"))),
    }
}

fn check_path_id(path_id: Option<&str>, body_id: &str) -> ApiResult<()> {
    if body_id.trim().is_empty() {
        return Err(ApiError::unprocessable("id must not be empty"));
    }
    if body_id.len() > 200 {
        return Err(ApiError::limit("id bytes", body_id.len(), 200));
    }
    match path_id {
        Some(p) if p != body_id => {
            Err(ApiError::unprocessable(format!("the id in the body ({body_id:?}) differs from the path ({p:?})")))
        }
        _ => Ok(()),
    }
}

/// Postings without structured requirements get them from their text, so they can be matched
/// (the catalogue does the same for search).
fn with_requirements(extractor: &Extractor, mut p: JobPosting) -> JobPosting {
    if p.requirements.is_empty() {
        p.requirements = extractor.requirements_for(&p);
    }
    p
}

async fn upsert_posting(s: Arc<Shared>, path_id: Option<String>, body: Bytes) -> ApiResult<Response> {
    let s2 = s.clone();
    let (id, created, generation) = blocking(move || {
        let loader = Loader::new(&s2.taxonomy);
        let p = one_record(&body, "posting", |b| Ok(loader.postings(b, "body")?.records))?;
        check_path_id(path_id.as_deref(), &p.id)?;
        let p = with_requirements(&s2.extractor, p);
        let mut records = s2.records();
        // Catalogue and records change under the same lock, so they agree on the last write.
        s2.catalog.upsert_posting(&p)?;
        let id = p.id.clone();
        let created = records.postings.insert(id.clone(), p).is_none();
        records.generation += 1;
        Ok((id, created, records.generation))
    })
    .await?;
    s.wait_published(generation).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "id": id, "created": created, "generation": generation }))).into_response())
}

async fn post_posting(State(s): State<Arc<Shared>>, body: Result<Bytes, BytesRejection>) -> ApiResult<Response> {
    upsert_posting(s, None, body?).await
}

async fn put_posting(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    upsert_posting(s, Some(id), body?).await
}

async fn delete_posting(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let s2 = s.clone();
    let id2 = id.clone();
    let generation = blocking(move || {
        let mut records = s2.records();
        if !records.postings.contains_key(&id2) {
            return Err(ApiError::not_found(format!("no posting with id {id2:?}")));
        }
        s2.catalog.delete(RecordKind::Job, &id2)?;
        records.postings.remove(&id2);
        records.generation += 1;
        Ok(records.generation)
    })
    .await?;
    s.wait_published(generation).await?;
    Ok(Json(json!({ "id": id, "deleted": true, "generation": generation })))
}

async fn get_posting(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult<Response> {
    let engine = s.snapshot.load_full();
    let i = *engine.posting_index.get(&id).ok_or_else(|| ApiError::not_found(format!("no posting with id {id:?}")))?;
    let mut out = Vec::new();
    Writer::new(&s.taxonomy).posting(&mut out, &engine.matcher.postings()[i])?;
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}

async fn upsert_course(s: Arc<Shared>, path_id: Option<String>, body: Bytes) -> ApiResult<Response> {
    let s2 = s.clone();
    let (id, created, generation) = blocking(move || {
        let loader = Loader::new(&s2.taxonomy);
        let c = one_record(&body, "course", |b| Ok(loader.courses(b, "body")?.records))?;
        check_path_id(path_id.as_deref(), &c.id)?;
        let mut records = s2.records();
        let id = c.id.clone();
        let previous = records.courses.insert(id.clone(), c.clone());
        // The planner refuses catalogues no one could train through (prerequisite cycles): try
        // it now so the client gets a 422 instead of a failed rebuild later.
        let check = Planner::new(records.courses.values().cloned().collect(), s2.schemes.clone());
        let indexed = check.map_err(ApiError::from).and_then(|_| s2.catalog.upsert_course(&c).map_err(ApiError::from));
        if let Err(e) = indexed {
            match previous {
                Some(p) => records.courses.insert(id, p),
                None => records.courses.remove(&id),
            };
            return Err(e);
        }
        records.generation += 1;
        Ok((id, previous.is_none(), records.generation))
    })
    .await?;
    s.wait_published(generation).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "id": id, "created": created, "generation": generation }))).into_response())
}

async fn post_course(State(s): State<Arc<Shared>>, body: Result<Bytes, BytesRejection>) -> ApiResult<Response> {
    upsert_course(s, None, body?).await
}

async fn put_course(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    upsert_course(s, Some(id), body?).await
}

async fn delete_course(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let s2 = s.clone();
    let id2 = id.clone();
    let generation = blocking(move || {
        let mut records = s2.records();
        let Some(previous) = records.courses.remove(&id2) else {
            return Err(ApiError::not_found(format!("no course with id {id2:?}")));
        };
        // The planner re-checks the catalogue without it (prerequisite cycles no one could
        // enter); if it refuses, the course stays.
        let check = Planner::new(records.courses.values().cloned().collect(), s2.schemes.clone());
        let deleted = check
            .map_err(ApiError::from)
            .and_then(|_| s2.catalog.delete(RecordKind::Course, &id2).map_err(ApiError::from));
        if let Err(e) = deleted {
            records.courses.insert(id2, previous);
            return Err(e);
        }
        records.generation += 1;
        Ok(records.generation)
    })
    .await?;
    s.wait_published(generation).await?;
    Ok(Json(json!({ "id": id, "deleted": true, "generation": generation })))
}

async fn get_course(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult<Response> {
    let engine = s.snapshot.load_full();
    let i = *engine.course_index.get(&id).ok_or_else(|| ApiError::not_found(format!("no course with id {id:?}")))?;
    let mut out = Vec::new();
    Writer::new(&s.taxonomy).course(&mut out, &engine.planner.courses()[i])?;
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}

// ---------------------------------------------------------------------------------------------
// Profiles: match and plan

/// A job seeker as a request gives them: free text (skills or a short CV, in Indonesian or
/// English), listed skills, and optional facts; or a whole candidate record.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Profile {
    /// Skills or a short CV as free text; skills, education, experience and place are read
    /// from it.
    text: Option<String>,
    /// Skill references (URIs or labels in either language).
    #[serde(default)]
    skills: Vec<String>,
    /// Province code or name.
    province: Option<String>,
    education: Option<String>,
    experience_years: Option<f32>,
    /// A whole candidate record in the `candidate` format (docs/FORMATS.md).
    candidate: Option<Value>,
}

#[derive(Serialize)]
struct ProfileOut {
    skills: Vec<ProfileSkill>,
    province: Value,
    education: Option<&'static str>,
    experience_years: Option<f32>,
}

#[derive(Serialize)]
struct ProfileSkill {
    #[serde(flatten)]
    skill: SkillOut,
    level: &'static str,
    /// "listed" or the text it was read from.
    source: String,
}

/// Builds a candidate from a profile, validated by the library's candidate loader.
fn build_candidate(s: &Shared, p: &Profile, lang: &str) -> ApiResult<(Candidate, ProfileOut)> {
    if p.skills.len() > MAX_PROFILE_SKILLS {
        return Err(ApiError::limit("profile skills", p.skills.len(), MAX_PROFILE_SKILLS));
    }
    let text = p.text.as_deref().unwrap_or("");
    if text.len() > MAX_PROFILE_TEXT_BYTES {
        return Err(ApiError::limit("profile text bytes", text.len(), MAX_PROFILE_TEXT_BYTES));
    }
    let facts = if text.trim().is_empty() { None } else { Some(s.extractor.facts(text)) };
    let mut record = match &p.candidate {
        Some(Value::Object(c)) => c.clone(),
        Some(_) => return Err(ApiError::unprocessable("candidate must be a json object")),
        None => serde_json::Map::new(),
    };
    record.entry("id").or_insert_with(|| json!("request"));
    if !p.skills.is_empty() {
        let listed: Vec<Value> = p.skills.iter().map(|k| json!({ "skill": k })).collect();
        match record.get_mut("skills") {
            Some(Value::Array(existing)) => existing.extend(listed),
            _ => {
                record.insert("skills".into(), Value::Array(listed));
            }
        }
    }
    if let Some(province) = p.province.as_deref().filter(|x| !x.trim().is_empty()) {
        record.insert("location".into(), json!({ "province": province }));
    } else if !record.contains_key("location") {
        if let Some(l) = facts.as_ref().and_then(|f| f.locations.first()) {
            record.insert("location".into(), json!({ "province": l.province.to_string() }));
        }
    }
    if let Some(e) = &p.education {
        record.insert("education".into(), json!(e));
    } else if !record.contains_key("education") {
        if let Some(e) = facts.as_ref().and_then(|f| f.education) {
            record.insert("education".into(), json!(e.as_str()));
        }
    }
    if let Some(x) = p.experience_years {
        record.insert("experience_years".into(), json!(x));
    } else if !record.contains_key("experience_years") {
        if let Some(x) = facts.as_ref().and_then(|f| f.experience_years) {
            record.insert("experience_years".into(), json!(x));
        }
    }
    let line = Value::Object(record).to_string();
    let mut loaded = Loader::new(&s.taxonomy).candidates(line.as_bytes(), "profile")?.records;
    let mut c = loaded.pop().ok_or_else(|| ApiError::bad_request("the profile is empty"))?;
    let mut skills: Vec<ProfileSkill> = c
        .skills
        .iter()
        .map(|k| ProfileSkill {
            skill: skill_out(&s.taxonomy, k.skill, lang),
            level: k.level.as_str(),
            source: "listed".into(),
        })
        .collect();
    let summary = if text.is_empty() { c.summary.clone() } else { text.to_string() };
    if !summary.trim().is_empty() {
        let found = s.extractor.extract_with(
            &summary,
            ExtractOptions { kind: DocumentKind::Profile, min_confidence: 0.5, ..ExtractOptions::default() },
        );
        for m in found.mentions {
            if c.skills.iter().any(|k| k.skill == m.skill) {
                continue;
            }
            let level = m.level.unwrap_or(Level::Intermediate);
            c.skills.push(CandidateSkill { skill: m.skill, level, evidence: Evidence::SelfDeclared });
            skills.push(ProfileSkill {
                skill: skill_out(&s.taxonomy, m.skill, lang),
                level: level.as_str(),
                source: m.surface,
            });
        }
        c.summary = summary;
    }
    let out = ProfileOut {
        skills,
        province: province_json(c.location.map(|l| l.province)),
        education: c.education.map(|e| e.as_str()),
        experience_years: c.experience_years,
    };
    Ok((c, out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchRequest {
    #[serde(flatten)]
    profile: Profile,
    /// Postings to return (default 5, at most [`MAX_MATCHES`]).
    limit: Option<usize>,
    /// Only postings in the job seeker's province (plus remote ones); default true.
    same_province: Option<bool>,
    lang: Option<String>,
}

/// A failed hard constraint in words.
fn constraint_text(c: &sepadan::Constraint) -> String {
    match c {
        sepadan::Constraint::Education { required, held } => {
            format!("education: asks {}, holds {}", required.as_str(), held.map_or("none stated", |e| e.as_str()))
        }
        sepadan::Constraint::Location => "location: another province, not remote, no relocation".to_string(),
        sepadan::Constraint::EmploymentType => "employment type not accepted".to_string(),
        other => format!("{other:?}").to_lowercase(),
    }
}

fn filters_for(c: &Candidate, same_province: bool) -> MatchFilters {
    MatchFilters {
        province: if same_province { c.location.map(|l| l.province) } else { None },
        ..MatchFilters::default()
    }
}

async fn match_profile(
    State(s): State<Arc<Shared>>,
    req: Result<Json<MatchRequest>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let Json(req) = req?;
    let lang = check_lang(req.lang.as_deref())?;
    let limit = req.limit.unwrap_or(5);
    if limit > MAX_MATCHES {
        return Err(ApiError::limit("matches", limit, MAX_MATCHES));
    }
    blocking(move || {
        let engine = s.snapshot.load_full();
        let (candidate, profile) = build_candidate(&s, &req.profile, lang)?;
        let filters = filters_for(&candidate, req.same_province.unwrap_or(true));
        let top = engine.matcher.jobs_for_candidate(&candidate, limit, &filters)?;
        let t = &s.taxonomy;
        let matches: Vec<Value> = top
            .iter()
            .map(|r| {
                let job = &engine.matcher.postings()[r.index];
                let fit = engine.matcher.scorer().fit(&candidate, job);
                json!({
                    "id": job.id,
                    "title": job.title,
                    "employer": job.employer,
                    "province": province_json(job.location.map(|l| l.province)),
                    "remote": job.remote,
                    "salary": job.salary.map(|x| json!({ "monthly_min": sepadan::Salary::monthly(x.min, x.period), "monthly_max": sepadan::Salary::monthly(x.max, x.period) })),
                    "score": fit.score,
                    "eligible": fit.eligible(),
                    "constraints": fit.constraints.iter().map(constraint_text).collect::<Vec<_>>(),
                    "matched": fit.matched.iter().map(|m| json!({
                        "skill": skill_out(t, m.skill, lang),
                        "essential": m.importance == Importance::Essential,
                        "held_level": m.held_level.as_str(),
                        "required_level": m.required_level.map(Level::as_str),
                        "contribution": m.contribution,
                    })).collect::<Vec<_>>(),
                    "partial": fit.partial.iter().map(|p| json!({
                        "skill": skill_out(t, p.skill, lang),
                        "via": skill_out(t, p.via, lang),
                        "relation": format!("{:?}", p.relation).to_lowercase(),
                        "credit": p.credit,
                        "contribution": p.contribution,
                    })).collect::<Vec<_>>(),
                    "missing": fit.missing.iter().map(|m| json!({
                        "skill": skill_out(t, m.skill, lang),
                        "essential": m.importance == Importance::Essential,
                        "required_level": m.required_level.map(Level::as_str),
                        "cost": m.cost,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(Json(json!({ "generation": engine.generation, "profile": profile, "matches": matches })))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanRequest {
    #[serde(flatten)]
    profile: Profile,
    /// Close the gap to this posting; without it, to the job seeker's 10 best matches.
    posting: Option<String>,
    /// Budget, IDR.
    max_cost: Option<u64>,
    max_hours: Option<f32>,
    /// Also certify self-declared skills the targets ask for.
    certify: Option<bool>,
    /// Score from which a posting counts as open to the job seeker (default 0.6).
    threshold: Option<f32>,
    same_province: Option<bool>,
    lang: Option<String>,
}

async fn plan_profile(
    State(s): State<Arc<Shared>>,
    req: Result<Json<PlanRequest>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let Json(req) = req?;
    let lang = check_lang(req.lang.as_deref())?;
    let threshold = req.threshold.unwrap_or(0.6);
    if !(threshold.is_finite() && (0.0..=1.0).contains(&threshold)) {
        return Err(ApiError::unprocessable("threshold must be between 0 and 1"));
    }
    if let Some(h) = req.max_hours {
        if !(h.is_finite() && h >= 0.0) {
            return Err(ApiError::unprocessable("max_hours must be a non-negative number"));
        }
    }
    blocking(move || {
        let engine = s.snapshot.load_full();
        let (candidate, profile) = build_candidate(&s, &req.profile, lang)?;
        let filters = filters_for(&candidate, req.same_province.unwrap_or(true));
        let gap = match req.posting.as_deref() {
            Some(id) => {
                let i = *engine
                    .posting_index
                    .get(id)
                    .ok_or_else(|| ApiError::not_found(format!("no posting with id {id:?}")))?;
                Gap::for_posting(engine.matcher.scorer(), &candidate, &engine.matcher.postings()[i])
            }
            None => Gap::for_top_matches(&engine.matcher, &candidate, 10, &filters)?.top(8),
        };
        let province = candidate.location.map(|l| l.province);
        let options = PlanOptions {
            province,
            max_cost: req.max_cost,
            max_hours: req.max_hours,
            certify: req.certify.unwrap_or(false),
            ..PlanOptions::default()
        };
        let plan = engine.planner.plan(&candidate, &gap, &options)?;
        let what_if = engine.planner.what_if(
            &engine.matcher,
            &candidate,
            &plan,
            &PayoffOptions { threshold, province: filters.province },
        );
        let t = &s.taxonomy;
        let labels = |v: &[SkillId]| v.iter().map(|k| skill_out(t, *k, lang)).collect::<Vec<_>>();
        let steps: Vec<Value> = plan
            .steps
            .iter()
            .map(|st| {
                json!({
                    "kind": format!("{:?}", st.kind).to_lowercase(),
                    "id": st.id,
                    "title": st.title,
                    "provider": st.provider,
                    "cost": st.cost,
                    "hours": st.hours,
                    "mode": st.mode.map(|m| m.as_str()),
                    "province": province_json(st.location.map(|l| l.province)),
                    "start": st.start.map(|d| d.to_string()),
                    "end": st.end.map(|d| d.to_string()),
                    "closes": labels(&st.closes),
                    "opens": what_if.steps.iter().find(|p| p.id == st.id).map(|p| p.opened),
                })
            })
            .collect();
        Ok(Json(json!({
            "generation": engine.generation,
            "profile": profile,
            "gap": {
                "targets": gap.targets,
                "mean_score": gap.mean_score,
                "skills": gap.skills.iter().map(|g| json!({
                    "skill": skill_out(t, g.skill, lang),
                    "kind": format!("{:?}", g.kind).to_lowercase(),
                    "cost": g.cost,
                    "required_by": g.required_by,
                    "essential_in": g.essential_in,
                })).collect::<Vec<_>>(),
            },
            "plan": {
                "steps": steps,
                "cost": plan.cost,
                "hours": plan.hours,
                "complete": plan.is_complete(),
                "optimal": matches!(plan.optimality, sepadan::Optimality::Exact),
                "closes": labels(&plan.closes),
                "left_open": labels(&plan.left_open),
                "uncoverable": labels(&plan.uncoverable),
                "summary": plan.describe(t, Some(&what_if), lang),
            },
            "opens": {
                "threshold": what_if.threshold,
                "postings": what_if.postings,
                "fit_before": what_if.fit_before,
                "fit_after": what_if.fit_after,
                "opened": what_if.opened,
                "median_salary": what_if.median_salary,
            },
        })))
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// BLK summary

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlkParams {
    province: Option<String>,
    lang: Option<String>,
}

async fn blk_summary(
    State(s): State<Arc<Shared>>,
    params: Result<Query<BlkParams>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(p) = params?;
    let lang = check_lang(p.lang.as_deref())?;
    let province = match p.province.as_deref().filter(|x| !x.trim().is_empty()) {
        Some(x) => resolve_province(x)?,
        None => return Err(ApiError::unprocessable("province is required (a code such as 32 or a name)")),
    };
    blocking(move || {
        let engine = s.snapshot.load_full();
        let t = &s.taxonomy;
        let name = regions().province(province).unwrap_or("");
        let line = |m: &sepadan::SkillMismatch| {
            json!({
                "skill": skill_out(t, m.skill, lang),
                "demand": m.demand,
                "demand_share": m.demand_share,
                "supply": m.supply,
                "supply_share": m.supply_share,
                "index": m.index,
            })
        };
        let region = engine.mismatch.region(Region::Province(province));
        let (postings, candidates, shortages, surpluses) = match region {
            Some(r) => (
                r.postings,
                r.candidates,
                r.shortages(10, 1).iter().map(line).collect::<Vec<_>>(),
                r.surpluses(5, 1).iter().map(line).collect::<Vec<_>>(),
            ),
            None => (0, 0, Vec::new(), Vec::new()),
        };
        let own: Vec<sepadan::Enrolment> = s
            .training
            .enrolments
            .iter()
            .filter(|e| e.location.map(|l| l.province) == Some(province))
            .cloned()
            .collect();
        let options = EffectOptions { as_of: s.training_as_of, min_cell: 5, ..EffectOptions::default() };
        let blks = Effectiveness::compute(&own, EffectGroup::Blk, &options);
        let funnel = blks.cells.iter().fold(sepadan::Funnel::default(), |mut f, c| {
            f.enrolled += c.funnel.enrolled;
            f.completed += c.funnel.completed;
            f.certified += c.funnel.certified;
            f.placed += c.funnel.placed;
            f
        });
        let (stages, funnel_title, rates_title, small_note) = if lang == "en" {
            (
                ["Enrolled", "Completed", "Certified", "Placed"],
                format!("BLK participants in {name}"),
                "Placed within 180 days, per BLK".to_string(),
                "too few participants to compare",
            )
        } else {
            (
                ["Mendaftar", "Selesai", "Bersertifikat", "Bekerja"],
                format!("Alur peserta BLK di {name}"),
                "Bekerja dalam 180 hari, per BLK".to_string(),
                "peserta terlalu sedikit untuk dibandingkan",
            )
        };
        let rows: Vec<(String, sepadan::Rate, bool)> =
            blks.cells.iter().map(|c| (c.group.clone(), c.placement_180, c.small)).collect();
        Ok(Json(json!({
            "generation": engine.generation,
            "province": province_json(Some(province)),
            "postings": postings,
            "candidates": candidates,
            "shortages": shortages,
            "surpluses": surpluses,
            "as_of": s.training_as_of.map(|d| d.to_string()),
            "blks": blks.cells,
            "funnel": funnel,
            "funnel_svg": funnel_svg(&funnel, &funnel_title, stages),
            "rates_svg": rates_svg(&rows, &rates_title, small_note),
            "note": "enrolments are synthetic (generated over the sample courses and job seekers)",
        })))
    })
    .await
}

//! JSON Lines reading and writing of the model (formats in `docs/FORMATS.md`).

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    Candidate, CandidateSkill, CertificationScheme, Date, Education, EmploymentType, Evidence, JobPosting, Level,
    Location, Mode, Preferences, ProviderKind, Regions, Requirement, Salary, SalaryPeriod, SkillLevel, TrainingCourse,
};
use crate::error::{from_json, Collector, Error, ErrorKind, LoadMode, Result};
use crate::taxonomy::{Importance, Taxonomy};

/// The version of the JSON Lines formats this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Longest accepted JSON Lines record, so one damaged line cannot exhaust memory.
const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

/// Lines parsed per parallel batch: enough to keep every core busy, few enough (with the byte
/// cap) that a streaming read stays in bounded memory.
const BATCH_LINES: usize = 4096;
const BATCH_BYTES: usize = 8 << 20;

/// Records loaded from one source, and (lenient mode) the records that were skipped.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The good records, in input order.
    pub records: Vec<T>,
    /// One error per skipped record, with file, line, field and value. Always empty in strict
    /// mode (the first error is returned instead).
    pub errors: Vec<Error>,
}

/// Reads the JSON Lines formats, resolving skills, occupations and locations.
///
/// ```
/// use sepadan::{Loader, LoadMode, Taxonomy};
/// let taxonomy = Taxonomy::esco_english()?;
/// let input = r#"{"id":"j1","title":"Welder","requirements":[{"skill":"use welding equipment"}]}
/// {"id":"j2","title":"Broken","requirements":[{"skill":"no such skill anywhere"}]}"#;
/// let loaded = Loader::new(&taxonomy).mode(LoadMode::Lenient).postings(input.as_bytes(), "jobs.jsonl")?;
/// assert_eq!(loaded.records.len(), 1);
/// assert_eq!(loaded.errors[0].position().line, Some(2));
/// assert_eq!(loaded.errors[0].position().field.as_deref(), Some("requirements[0].skill"));
/// # Ok::<(), sepadan::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Loader<'a> {
    taxonomy: &'a Taxonomy,
    regions: &'a Regions,
    mode: LoadMode,
    /// Courses that training records may name (`None`: course ids are not checked).
    pub(super) courses: Option<&'a [TrainingCourse]>,
}

impl<'a> Loader<'a> {
    /// A strict loader against `taxonomy` and the embedded Indonesian regions.
    pub fn new(taxonomy: &'a Taxonomy) -> Loader<'a> {
        Loader { taxonomy, regions: Regions::indonesia(), mode: LoadMode::Strict, courses: None }
    }

    /// Uses another region table.
    pub fn regions(mut self, regions: &'a Regions) -> Loader<'a> {
        self.regions = regions;
        self
    }

    /// Strict (default) or lenient.
    pub fn mode(mut self, mode: LoadMode) -> Loader<'a> {
        self.mode = mode;
        self
    }

    /// Checks that training records ([`Loader::enrolments`]) name one of these courses; an
    /// unknown course id is then an error on that record.
    pub fn known_courses(mut self, courses: &'a [TrainingCourse]) -> Loader<'a> {
        self.courses = Some(courses);
        self
    }

    /// Reads job postings.
    pub fn postings(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<JobPosting>> {
        self.read::<PostingRecord<'static>>(input, source.as_ref())
    }

    /// Reads training courses.
    pub fn courses(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<TrainingCourse>> {
        self.read::<CourseRecord<'static>>(input, source.as_ref())
    }

    /// Reads certification schemes.
    pub fn schemes(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<CertificationScheme>> {
        self.read::<SchemeRecord<'static>>(input, source.as_ref())
    }

    /// Reads candidates.
    pub fn candidates(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<Candidate>> {
        self.read::<CandidateRecord<'static>>(input, source.as_ref())
    }

    /// Reads job postings from a file.
    pub fn postings_file(&self, path: impl AsRef<Path>) -> Result<Loaded<JobPosting>> {
        let path = path.as_ref();
        self.postings(open(path)?, path)
    }

    /// Reads training courses from a file.
    pub fn courses_file(&self, path: impl AsRef<Path>) -> Result<Loaded<TrainingCourse>> {
        let path = path.as_ref();
        self.courses(open(path)?, path)
    }

    /// Reads certification schemes from a file.
    pub fn schemes_file(&self, path: impl AsRef<Path>) -> Result<Loaded<CertificationScheme>> {
        let path = path.as_ref();
        self.schemes(open(path)?, path)
    }

    /// Reads candidates from a file.
    pub fn candidates_file(&self, path: impl AsRef<Path>) -> Result<Loaded<Candidate>> {
        let path = path.as_ref();
        self.candidates(open(path)?, path)
    }

    fn read<R: Wire>(&self, input: impl Read, source: &Path) -> Result<Loaded<R::Out>> {
        self.read_checked::<R>(input, source, |_| Ok(()))
    }

    /// Like `read`, with a check across records (duplicates by a composite key, references to
    /// other files) that runs where a per-record error can still name its line.
    pub(super) fn read_checked<R: Wire>(
        &self,
        input: impl Read,
        source: &Path,
        check: impl FnMut(&R::Out) -> Result<()>,
    ) -> Result<Loaded<R::Out>> {
        let mut records = Vec::new();
        let errors = self.stream_checked::<R>(
            input,
            source,
            |rec| {
                records.push(rec);
                Ok(())
            },
            check,
        )?;
        Ok(Loaded { records, errors })
    }

    /// Reads records one at a time, handing each good one to `on_record`, so a file of any
    /// size is read in bounded memory. Returns the skipped records' errors (lenient mode); an
    /// error from `on_record` stops the read and is returned.
    pub(super) fn stream<R: Wire>(
        &self,
        input: impl Read,
        source: &Path,
        on_record: impl FnMut(R::Out) -> Result<()>,
    ) -> Result<Vec<Error>> {
        self.stream_checked::<R>(input, source, on_record, |_| Ok(()))
    }

    fn stream_checked<R: Wire>(
        &self,
        input: impl Read,
        source: &Path,
        mut on_record: impl FnMut(R::Out) -> Result<()>,
        mut check: impl FnMut(&R::Out) -> Result<()>,
    ) -> Result<Vec<Error>> {
        let mut input = std::io::BufReader::with_capacity(1 << 16, input);
        let ctx = Ctx { tax: self.taxonomy, regions: self.regions };
        let mut out = Collector::new(self.mode);
        let mut ids: FxHashSet<String> = FxHashSet::default();
        // Lines are read in batches and parsed in parallel; everything with an order (duplicate
        // ids, cross-record checks, strict mode's first error, the caller's callback) then runs
        // line by line, so the result is the same as a sequential read.
        let (mut text, mut ends): (Vec<u8>, Vec<usize>) = (Vec::new(), Vec::new());
        let (mut next_text, mut next_ends): (Vec<u8>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut line_no = 0u64;
        let mut end = read_batch(&mut input, &mut text, &mut ends, line_no, source);
        loop {
            // The pool parses this batch while this thread reads the next one (the reader stays
            // on the caller's thread: it need not be `Send`).
            let mut parsed: Vec<Parsed<R::Out>> = Vec::new();
            let mut next_end = BatchEnd::Eof;
            rayon::in_place_scope(|scope| {
                scope.spawn(|_| {
                    let line = |i: usize| &text[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
                    parsed = (0..ends.len()).into_par_iter().map(|i| parse_line::<R>(line(i), &ctx)).collect();
                });
                if matches!(end, BatchEnd::Full) {
                    let next_line = line_no + ends.len() as u64;
                    next_end = read_batch(&mut input, &mut next_text, &mut next_ends, next_line, source);
                }
            });
            for (i, res) in parsed.into_iter().enumerate() {
                let at = line_no + i as u64 + 1;
                let res = res.and_then(|rec| match rec {
                    None => Ok(None),
                    Some((id, _)) if ids.contains(&id) => {
                        Err(Error::duplicate("id in this file").with_value(&id).in_field("id"))
                    }
                    Some((id, rec)) => {
                        let rec = rec.map_err(|e| e.with_value_if_missing(&id))?;
                        check(&rec)?;
                        Ok(Some((id, rec)))
                    }
                });
                if let Some(Some((id, rec))) = out.take(res.map_err(|e| e.at_line(at).in_file(source)))? {
                    ids.insert(id);
                    on_record(rec)?;
                }
            }
            line_no += ends.len() as u64;
            match std::mem::replace(&mut end, next_end) {
                BatchEnd::Full => {}
                BatchEnd::Eof => return Ok(out.errors),
                BatchEnd::Failed(e) => return Err(e),
            }
            std::mem::swap(&mut text, &mut next_text);
            std::mem::swap(&mut ends, &mut next_ends);
        }
    }

    /// Streams job postings to `f` one by one (bounded memory); returns skipped records' errors.
    pub fn for_each_posting(
        &self,
        input: impl Read,
        source: impl AsRef<Path>,
        f: impl FnMut(JobPosting) -> Result<()>,
    ) -> Result<Vec<Error>> {
        self.stream::<PostingRecord<'static>>(input, source.as_ref(), f)
    }

    /// Streams training courses to `f`; see [`Loader::for_each_posting`].
    pub fn for_each_course(
        &self,
        input: impl Read,
        source: impl AsRef<Path>,
        f: impl FnMut(TrainingCourse) -> Result<()>,
    ) -> Result<Vec<Error>> {
        self.stream::<CourseRecord<'static>>(input, source.as_ref(), f)
    }

    /// Streams certification schemes to `f`; see [`Loader::for_each_posting`].
    pub fn for_each_scheme(
        &self,
        input: impl Read,
        source: impl AsRef<Path>,
        f: impl FnMut(CertificationScheme) -> Result<()>,
    ) -> Result<Vec<Error>> {
        self.stream::<SchemeRecord<'static>>(input, source.as_ref(), f)
    }

    /// Streams candidates to `f`; see [`Loader::for_each_posting`].
    pub fn for_each_candidate(
        &self,
        input: impl Read,
        source: impl AsRef<Path>,
        f: impl FnMut(Candidate) -> Result<()>,
    ) -> Result<Vec<Error>> {
        self.stream::<CandidateRecord<'static>>(input, source.as_ref(), f)
    }
}

/// Why a batch of lines ended.
enum BatchEnd {
    /// [`BATCH_LINES`] or [`BATCH_BYTES`] reached; more may follow.
    Full,
    Eof,
    /// Reading the next line failed (or it was too long); the lines before it are good.
    Failed(Error),
}

/// Reads the next batch of lines into `text`, with each line's end offset in `ends`; line
/// numbers continue after `line_no`. A failure is returned as the batch's end, so the caller
/// handles the lines before it first, as a line-by-line read would.
fn read_batch(
    input: &mut impl BufRead,
    text: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    line_no: u64,
    source: &Path,
) -> BatchEnd {
    text.clear();
    ends.clear();
    while ends.len() < BATCH_LINES && text.len() < BATCH_BYTES {
        let start = text.len();
        let at = line_no + ends.len() as u64 + 1;
        match (&mut *input).take(MAX_LINE_BYTES + 1).read_until(b'\n', text) {
            Err(e) => return BatchEnd::Failed(Error::from(e).at_line(at).in_file(source)),
            Ok(0) => return BatchEnd::Eof,
            Ok(n) if n as u64 > MAX_LINE_BYTES => {
                // The rest of the line cannot be resynchronised cheaply; stop here.
                text.truncate(start);
                let e = Error::invalid(format!("line longer than {MAX_LINE_BYTES} bytes"));
                return BatchEnd::Failed(e.at_line(at).in_file(source));
            }
            Ok(_) => ends.push(text.len()),
        }
    }
    BatchEnd::Full
}

pub(super) fn open(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| Error::from(e).in_file(path))
}

/// One parsed line: `None` for blank and comment lines, else the record's id and its
/// resolution (see [`parse_line`]).
type Parsed<T> = Result<Option<(String, Result<T>)>>;

/// Parses and resolves one line; `Ok(None)` for blank and comment lines. Errors of the line
/// itself (syntax, format version, empty id) are the outer error; the record's resolution
/// (skills, locations, values) is the inner result, so a duplicate id, which only the
/// sequential pass can see, is still reported before it.
fn parse_line<R: Wire>(buf: &[u8], ctx: &Ctx<'_>) -> Parsed<R::Out> {
    let skipped = |line: &str| {
        let t = line.trim();
        t.is_empty() || t.starts_with('#')
    };
    let Ok(text) = std::str::from_utf8(buf) else {
        // A blank or comment line with a stray byte is still skipped; the lossy view decides.
        return if skipped(&String::from_utf8_lossy(buf)) { Ok(None) } else { Err(Error::new(ErrorKind::InvalidUtf8)) };
    };
    if skipped(text) {
        return Ok(None);
    }
    let t = text.trim();
    // Good records take serde_json alone; a bad one is parsed again with its path tracked, which
    // gives the same error with the field that caused it (tracking every record costs a tenth
    // of the load).
    let rec: R::Record<'_> = match serde_json::from_str(t) {
        Ok(rec) => rec,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(t);
            let rec: R::Record<'_> = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let path = e.path().to_string();
                let err = from_json(e.inner());
                if path == "." || path == "?" || path.is_empty() {
                    err
                } else {
                    err.in_field(path)
                }
            })?;
            de.end().map_err(|e| from_json(&e))?;
            rec
        }
    };
    if let Some(v) = rec.format_version() {
        if v != FORMAT_VERSION {
            return Err(Error::invalid(format!(
                "format version {v} is not supported (this build reads {FORMAT_VERSION})"
            ))
            .in_field("format_version"));
        }
    }
    let id = rec.id().trim().to_string();
    if id.is_empty() {
        return Err(Error::missing("id (empty)").in_field("id"));
    }
    let out = rec.resolve(ctx);
    Ok(Some((id, out)))
}

impl Error {
    /// Errors raised on a whole record (not a field) carry the record id as their value.
    fn with_value_if_missing(self, id: &str) -> Error {
        if self.position().field.is_none() {
            self.with_value(id)
        } else {
            self
        }
    }
}

pub(super) struct Ctx<'a> {
    pub(super) tax: &'a Taxonomy,
    pub(super) regions: &'a Regions,
}

/// A record of the wire format as read from one line (`'de`: the line, which string fields
/// may borrow).
pub(super) trait RecordIn<'de>: Deserialize<'de> + Send {
    type Out: Send;
    fn format_version(&self) -> Option<u32>;
    fn id(&self) -> &str;
    fn resolve(self, ctx: &Ctx<'_>) -> Result<Self::Out>;
}

/// Names a record type for lines of every lifetime: the loader's functions are generic over
/// this, and each line is read into `Record<'line>`.
pub(super) trait Wire {
    type Out: Send;
    type Record<'de>: RecordIn<'de, Out = Self::Out>;
}

/// A string field read from a line: borrowed from the line when the JSON has no escapes, so
/// reading allocates only what the records keep (skill references, importances, levels and
/// labels are read and dropped: about six allocations a requirement before).
#[derive(Debug)]
pub(super) struct Text<'a>(Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Text<'a> {
        Text(Cow::Borrowed(s))
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text(Cow::Owned(s))
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Reads a [`Text`]: borrowed where the deserializer lends the string, else owned.
struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Text<'de>, E> {
        Ok(Text::from(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Text<'de>, E> {
        Ok(Text::from(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Text<'de>, E> {
        Ok(Text::from(v))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

// ---------- record types (the wire format) ----------

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(super) struct LocationRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) province: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) regency: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SalaryRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<String>,
}

/// A level as a number (1–4) or a name in English or Indonesian.
#[derive(Debug)]
enum LevelRepr<'a> {
    Number(i64),
    Text(Text<'a>),
}

impl Serialize for LevelRepr<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            LevelRepr::Number(n) => serializer.serialize_i64(*n),
            LevelRepr::Text(t) => t.serialize(serializer),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LevelRepr<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        // A visitor rather than `#[serde(untagged)]`, which buffers every value before trying
        // each variant.
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = LevelRepr<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a level name or a whole number")
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<LevelRepr<'de>, E> {
                Ok(LevelRepr::Number(v))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<LevelRepr<'de>, E> {
                // Out of i64's range is out of 1–4 too; `level` reports it.
                Ok(LevelRepr::Number(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<LevelRepr<'de>, E> {
                Ok(LevelRepr::Text(Text::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<LevelRepr<'de>, E> {
                Ok(LevelRepr::Text(Text::from(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<LevelRepr<'de>, E> {
                Ok(LevelRepr::Text(Text::from(v)))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct RequirementRecord<'a> {
    #[serde(borrow)]
    skill: Text<'a>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    importance: Option<Text<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    min_level: Option<LevelRepr<'a>>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    label: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SkillLevelRecord<'a> {
    #[serde(borrow)]
    skill: Text<'a>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    level: Option<LevelRepr<'a>>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    evidence: Option<Text<'a>>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    label: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct PostingRecord<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format_version: Option<u32>,
    id: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    employer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    occupation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<LocationRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remote: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salary: Option<SalaryRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    employment_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    education: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    experience_years: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hours_per_week: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    posted: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires: Option<String>,
    #[serde(default, borrow, skip_serializing_if = "Vec::is_empty")]
    requirements: Vec<RequirementRecord<'a>>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CourseRecord<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format_version: Option<u32>,
    id: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<LocationRecord>,
    hours: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cost: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(default, borrow, skip_serializing_if = "Vec::is_empty")]
    skills: Vec<SkillLevelRecord<'a>>,
    #[serde(default, borrow, skip_serializing_if = "Vec::is_empty")]
    prerequisites: Vec<SkillLevelRecord<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prepares_for: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seats: Option<u32>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SchemeRecord<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format_version: Option<u32>,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(borrow)]
    skills: Vec<SkillLevelRecord<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cost: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    validity_years: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<LocationRecord>,
}

#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct PreferencesRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salary_min: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    relocate: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remote: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    employment_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    occupations: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CandidateRecord<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format_version: Option<u32>,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<LocationRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    education: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    experience_years: Option<f64>,
    #[serde(default, borrow, skip_serializing_if = "Vec::is_empty")]
    skills: Vec<SkillLevelRecord<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preferences: Option<PreferencesRecord>,
}

// ---------- resolution helpers ----------

pub(super) fn field<T>(name: &str, r: Result<T>) -> Result<T> {
    r.map_err(|e| e.in_field(name))
}

pub(super) fn nonempty(name: &str, s: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Error::missing(format!("{name} (empty)")).in_field(name));
    }
    Ok(t.to_string())
}

pub(super) fn opt_text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub(super) fn number(name: &str, v: Option<f64>, min: f64, max: f64, min_inclusive: bool) -> Result<Option<f32>> {
    match v {
        None => Ok(None),
        Some(x) if x.is_finite() && x <= max && (x > min || (min_inclusive && x == min)) => Ok(Some(x as f32)),
        Some(x) => {
            let lower = if min_inclusive { "≥" } else { ">" };
            Err(Error::invalid(format!("must be {lower} {min} and ≤ {max}")).with_value(&x.to_string()).in_field(name))
        }
    }
}

/// A requirement's importance in English or Indonesian, any case.
fn importance(v: &str) -> Option<Importance> {
    let named = |v: &str| match v {
        "essential" | "wajib" | "required" => Some(Importance::Essential),
        "optional" | "diutamakan" | "plus" | "preferred" => Some(Importance::Optional),
        _ => None,
    };
    // Written lowercase as a rule: fold (which allocates) only what does not match as is.
    named(v).or_else(|| named(&crate::fold(v)))
}

fn level(repr: &LevelRepr<'_>) -> Result<Level> {
    match repr {
        LevelRepr::Number(n) => {
            Level::from_number(*n).ok_or_else(|| Error::invalid("level must be 1 to 4").with_value(&n.to_string()))
        }
        LevelRepr::Text(s) => Level::parse(s),
    }
}

pub(super) fn date(name: &str, s: Option<&str>) -> Result<Option<Date>> {
    s.map(|s| Date::parse(s).map_err(|e| e.in_field(name))).transpose()
}

pub(super) fn date_order(a_name: &str, a: Option<Date>, b_name: &str, b: Option<Date>) -> Result<()> {
    if let (Some(a), Some(b)) = (a, b) {
        if a > b {
            return Err(Error::invalid(format!("`{b_name}` ({b}) is before `{a_name}` ({a})")).in_field(b_name));
        }
    }
    Ok(())
}

impl Ctx<'_> {
    pub(super) fn location(&self, l: Option<&LocationRecord>) -> Result<Option<Location>> {
        let Some(l) = l else { return Ok(None) };
        self.regions.resolve(l.province.as_deref(), l.regency.as_deref()).map(Some).map_err(|e| e.in_field("location"))
    }

    fn skill_levels(&self, name: &str, v: &[SkillLevelRecord<'_>], default: Level) -> Result<Vec<SkillLevel>> {
        let mut out: Vec<SkillLevel> = Vec::with_capacity(v.len());
        for (i, r) in v.iter().enumerate() {
            let at = |e: Error| e.in_field(format!("[{i}]")).in_field(name);
            let skill = self.tax.resolve_skill(&r.skill).map_err(|e| at(e.in_field("skill")))?;
            let level =
                r.level.as_ref().map(level).transpose().map_err(|e| at(e.in_field("level")))?.unwrap_or(default);
            if r.evidence.is_some() {
                return Err(at(Error::invalid("`evidence` applies to candidate skills only").in_field("evidence")));
            }
            match out.iter_mut().find(|s| s.skill == skill) {
                // The same skill listed twice (e.g. once by URI, once by label): keep the higher level.
                Some(existing) => existing.level = existing.level.max(level),
                None => out.push(SkillLevel { skill, level }),
            }
        }
        Ok(out)
    }
}

impl Wire for PostingRecord<'static> {
    type Out = JobPosting;
    type Record<'de> = PostingRecord<'de>;
}

impl<'a> RecordIn<'a> for PostingRecord<'a> {
    type Out = JobPosting;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn resolve(self, ctx: &Ctx<'_>) -> Result<JobPosting> {
        let mut requirements: Vec<Requirement> = Vec::with_capacity(self.requirements.len());
        for (i, r) in self.requirements.iter().enumerate() {
            let at = |e: Error| e.in_field(format!("[{i}]")).in_field("requirements");
            let skill = ctx.tax.resolve_skill(&r.skill).map_err(|e| at(e.in_field("skill")))?;
            let importance = match r.importance.as_deref() {
                None => Importance::Essential,
                Some(v) => importance(v).ok_or_else(|| {
                    at(Error::invalid("expected essential or optional").with_value(v).in_field("importance"))
                })?,
            };
            let weight = number("weight", r.weight, 0.0, 1e6, false).map_err(at)?.unwrap_or(1.0);
            let min_level = r.min_level.as_ref().map(level).transpose().map_err(|e| at(e.in_field("min_level")))?;
            match requirements.iter_mut().find(|q| q.skill == skill) {
                Some(q) => {
                    q.importance = q.importance.min(importance);
                    q.weight = q.weight.max(weight);
                    q.min_level = q.min_level.max(min_level);
                }
                None => requirements.push(Requirement { skill, importance, weight, min_level }),
            }
        }
        let salary = match self.salary {
            None => None,
            Some(s) => {
                let period = field("salary.period", s.period.as_deref().map(SalaryPeriod::parse).transpose())?
                    .unwrap_or_default();
                let (min, max) = match (s.min, s.max) {
                    (Some(a), Some(b)) => (a, b),
                    (Some(a), None) | (None, Some(a)) => (a, a),
                    (None, None) => return Err(Error::missing("salary.min or salary.max").in_field("salary")),
                };
                if min > max {
                    return Err(Error::invalid(format!("salary min {min} is above max {max}")).in_field("salary"));
                }
                Some(Salary { min, max, period })
            }
        };
        let posted = date("posted", self.posted.as_deref())?;
        let expires = date("expires", self.expires.as_deref())?;
        date_order("posted", posted, "expires", expires)?;
        Ok(JobPosting {
            title: nonempty("title", &self.title)?,
            description: self.description.unwrap_or_default(),
            employer: opt_text(self.employer),
            occupation: self
                .occupation
                .as_deref()
                .map(|o| ctx.tax.resolve_occupation(o))
                .transpose()
                .map_err(|e| e.in_field("occupation"))?,
            location: ctx.location(self.location.as_ref())?,
            remote: self.remote.unwrap_or(false),
            salary,
            employment_type: field(
                "employment_type",
                self.employment_type.as_deref().map(EmploymentType::parse).transpose(),
            )?
            .unwrap_or_default(),
            education: field("education", self.education.as_deref().map(Education::parse).transpose())?,
            experience_years: number("experience_years", self.experience_years, 0.0, 70.0, true)?,
            hours_per_week: number("hours_per_week", self.hours_per_week, 0.0, 168.0, false)?,
            posted,
            expires,
            requirements,
            id: self.id.trim().to_string(),
        })
    }
}

impl Wire for CourseRecord<'static> {
    type Out = TrainingCourse;
    type Record<'de> = CourseRecord<'de>;
}

impl<'a> RecordIn<'a> for CourseRecord<'a> {
    type Out = TrainingCourse;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn resolve(self, ctx: &Ctx<'_>) -> Result<TrainingCourse> {
        let start = date("start", self.start.as_deref())?;
        let end = date("end", self.end.as_deref())?;
        date_order("start", start, "end", end)?;
        let hours = number("hours", Some(self.hours), 0.0, 10_000.0, false)?.unwrap_or(0.0);
        Ok(TrainingCourse {
            title: nonempty("title", &self.title)?,
            description: self.description.unwrap_or_default(),
            provider: nonempty("provider", &self.provider)?,
            provider_kind: field("provider_kind", self.provider_kind.as_deref().map(ProviderKind::parse).transpose())?
                .unwrap_or_default(),
            mode: field("mode", self.mode.as_deref().map(Mode::parse).transpose())?.unwrap_or_default(),
            location: ctx.location(self.location.as_ref())?,
            hours,
            cost: self.cost.unwrap_or(0),
            start,
            end,
            skills: ctx.skill_levels("skills", &self.skills, Level::Intermediate)?,
            prerequisites: ctx.skill_levels("prerequisites", &self.prerequisites, Level::Basic)?,
            prepares_for: opt_text(self.prepares_for),
            seats: self.seats,
            id: self.id.trim().to_string(),
        })
    }
}

impl Wire for SchemeRecord<'static> {
    type Out = CertificationScheme;
    type Record<'de> = SchemeRecord<'de>;
}

impl<'a> RecordIn<'a> for SchemeRecord<'a> {
    type Out = CertificationScheme;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn resolve(self, ctx: &Ctx<'_>) -> Result<CertificationScheme> {
        let skills = ctx.skill_levels("skills", &self.skills, Level::Intermediate)?;
        if skills.is_empty() {
            return Err(Error::missing("skills (a scheme certifies at least one skill)").in_field("skills"));
        }
        Ok(CertificationScheme {
            code: opt_text(self.code),
            name: nonempty("name", &self.name)?,
            body: opt_text(self.body),
            skills,
            cost: self.cost.unwrap_or(0),
            hours: number("hours", self.hours, 0.0, 10_000.0, true)?.unwrap_or(0.0),
            validity_years: number("validity_years", self.validity_years, 0.0, 100.0, false)?,
            location: ctx.location(self.location.as_ref())?,
            id: self.id.trim().to_string(),
        })
    }
}

impl Wire for CandidateRecord<'static> {
    type Out = Candidate;
    type Record<'de> = CandidateRecord<'de>;
}

impl<'a> RecordIn<'a> for CandidateRecord<'a> {
    type Out = Candidate;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn resolve(self, ctx: &Ctx<'_>) -> Result<Candidate> {
        let mut skills: Vec<CandidateSkill> = Vec::with_capacity(self.skills.len());
        for (i, r) in self.skills.iter().enumerate() {
            let at = |e: Error| e.in_field(format!("[{i}]")).in_field("skills");
            let skill = ctx.tax.resolve_skill(&r.skill).map_err(|e| at(e.in_field("skill")))?;
            let level = r
                .level
                .as_ref()
                .map(level)
                .transpose()
                .map_err(|e| at(e.in_field("level")))?
                .unwrap_or(Level::Intermediate);
            let evidence = r
                .evidence
                .as_deref()
                .map(Evidence::parse)
                .transpose()
                .map_err(|e| at(e.in_field("evidence")))?
                .unwrap_or_default();
            match skills.iter_mut().find(|s| s.skill == skill) {
                Some(s) => {
                    s.level = s.level.max(level);
                    s.evidence = s.evidence.max(evidence);
                }
                None => skills.push(CandidateSkill { skill, level, evidence }),
            }
        }
        let p = self.preferences.unwrap_or_default();
        let mut employment_types = Vec::new();
        for (i, t) in p.employment_types.iter().enumerate() {
            let t = EmploymentType::parse(t).map_err(|e| e.in_field(format!("preferences.employment_types[{i}]")))?;
            if !employment_types.contains(&t) {
                employment_types.push(t);
            }
        }
        let mut occupations = Vec::new();
        for (i, o) in p.occupations.iter().enumerate() {
            let o = ctx.tax.resolve_occupation(o).map_err(|e| e.in_field(format!("preferences.occupations[{i}]")))?;
            if !occupations.contains(&o) {
                occupations.push(o);
            }
        }
        Ok(Candidate {
            name: opt_text(self.name),
            location: ctx.location(self.location.as_ref())?,
            education: field("education", self.education.as_deref().map(Education::parse).transpose())?,
            experience_years: number("experience_years", self.experience_years, 0.0, 70.0, true)?,
            skills,
            summary: self.summary.unwrap_or_default(),
            preferences: Preferences {
                salary_min: p.salary_min,
                relocate: p.relocate.unwrap_or(false),
                remote: p.remote.unwrap_or(false),
                employment_types,
                occupations,
            },
            id: self.id.trim().to_string(),
        })
    }
}

// ---------- writing ----------

/// Writes model records as JSON Lines in the formats [`Loader`] reads. Skills and occupations
/// are written as URIs with their English label beside them, locations as codes.
#[derive(Clone, Copy, Debug)]
pub struct Writer<'a> {
    taxonomy: &'a Taxonomy,
}

impl<'a> Writer<'a> {
    /// A writer naming concepts from `taxonomy`.
    pub fn new(taxonomy: &'a Taxonomy) -> Writer<'a> {
        Writer { taxonomy }
    }

    fn skill_uri(&self, id: crate::SkillId) -> (Text<'a>, Option<Text<'a>>) {
        match self.taxonomy.skill(id) {
            Some(s) => (s.uri().into(), Some(s.label("en").into())),
            None => (format!("#invalid-skill-{}", id.index()).into(), None),
        }
    }

    pub(super) fn location(l: &Option<Location>) -> Option<LocationRecord> {
        l.map(|l| LocationRecord { province: Some(l.province.to_string()), regency: l.regency.map(|r| r.to_string()) })
    }

    fn skill_levels(&self, v: &[SkillLevel]) -> Vec<SkillLevelRecord<'a>> {
        v.iter()
            .map(|s| {
                let (skill, label) = self.skill_uri(s.skill);
                SkillLevelRecord { skill, level: Some(LevelRepr::Text(s.level.as_str().into())), evidence: None, label }
            })
            .collect()
    }

    fn line(out: &mut impl Write, rec: &impl Serialize) -> Result<()> {
        serde_json::to_writer(&mut *out, rec).map_err(|e| Error::new(ErrorKind::Io(std::io::Error::other(e))))?;
        out.write_all(b"\n")?;
        Ok(())
    }

    /// Writes an enrolment in the format [`Loader::enrolments`] reads.
    pub fn enrolment(&self, out: &mut impl Write, e: &super::Enrolment) -> Result<()> {
        super::records::write_enrolment(out, e)
    }

    /// Writes a job seeker's outcome in the format [`Loader::outcomes`] reads.
    pub fn outcome(&self, out: &mut impl Write, o: &super::SeekerOutcome) -> Result<()> {
        super::records::write_outcome(out, o)
    }

    /// Writes one posting as a line.
    pub fn posting(&self, out: &mut impl Write, p: &JobPosting) -> Result<()> {
        let rec = PostingRecord {
            format_version: None,
            id: p.id.clone(),
            title: p.title.clone(),
            description: Some(p.description.clone()).filter(|d| !d.is_empty()),
            employer: p.employer.clone(),
            occupation: p.occupation.and_then(|o| self.taxonomy.occupation(o)).map(|o| o.uri().to_string()),
            location: Self::location(&p.location),
            remote: Some(p.remote).filter(|r| *r),
            salary: p.salary.map(|s| SalaryRecord {
                min: Some(s.min),
                max: Some(s.max),
                period: Some(s.period.as_str().into()),
            }),
            employment_type: Some(p.employment_type.as_str().into()),
            education: p.education.map(|e| e.as_str().into()),
            experience_years: p.experience_years.map(f64::from),
            hours_per_week: p.hours_per_week.map(f64::from),
            posted: p.posted.map(|d| d.to_string()),
            expires: p.expires.map(|d| d.to_string()),
            requirements: p
                .requirements
                .iter()
                .map(|r| {
                    let (skill, label) = self.skill_uri(r.skill);
                    RequirementRecord {
                        skill,
                        importance: Some(match r.importance {
                            Importance::Essential => "essential".into(),
                            Importance::Optional => "optional".into(),
                        }),
                        weight: Some(f64::from(r.weight)).filter(|w| *w != 1.0),
                        min_level: r.min_level.map(|l| LevelRepr::Text(l.as_str().into())),
                        label,
                    }
                })
                .collect(),
        };
        Self::line(out, &rec)
    }

    /// Writes one course as a line.
    pub fn course(&self, out: &mut impl Write, c: &TrainingCourse) -> Result<()> {
        let rec = CourseRecord {
            format_version: None,
            id: c.id.clone(),
            title: c.title.clone(),
            description: Some(c.description.clone()).filter(|d| !d.is_empty()),
            provider: c.provider.clone(),
            provider_kind: Some(c.provider_kind.as_str().into()),
            mode: Some(c.mode.as_str().into()),
            location: Self::location(&c.location),
            hours: f64::from(c.hours),
            cost: Some(c.cost),
            start: c.start.map(|d| d.to_string()),
            end: c.end.map(|d| d.to_string()),
            skills: self.skill_levels(&c.skills),
            prerequisites: self.skill_levels(&c.prerequisites),
            prepares_for: c.prepares_for.clone(),
            seats: c.seats,
        };
        Self::line(out, &rec)
    }

    /// Writes one certification scheme as a line.
    pub fn scheme(&self, out: &mut impl Write, s: &CertificationScheme) -> Result<()> {
        let rec = SchemeRecord {
            format_version: None,
            id: s.id.clone(),
            code: s.code.clone(),
            name: s.name.clone(),
            body: s.body.clone(),
            skills: self.skill_levels(&s.skills),
            cost: Some(s.cost),
            hours: Some(f64::from(s.hours)).filter(|h| *h > 0.0),
            validity_years: s.validity_years.map(f64::from),
            location: Self::location(&s.location),
        };
        Self::line(out, &rec)
    }

    /// Writes one candidate as a line.
    pub fn candidate(&self, out: &mut impl Write, c: &Candidate) -> Result<()> {
        let p = &c.preferences;
        let rec = CandidateRecord {
            format_version: None,
            id: c.id.clone(),
            name: c.name.clone(),
            location: Self::location(&c.location),
            education: c.education.map(|e| e.as_str().into()),
            experience_years: c.experience_years.map(f64::from),
            skills: c
                .skills
                .iter()
                .map(|s| {
                    let (skill, label) = self.skill_uri(s.skill);
                    SkillLevelRecord {
                        skill,
                        level: Some(LevelRepr::Text(s.level.as_str().into())),
                        evidence: Some(s.evidence.as_str().into()),
                        label,
                    }
                })
                .collect(),
            summary: Some(c.summary.clone()).filter(|s| !s.is_empty()),
            preferences: Some(PreferencesRecord {
                salary_min: p.salary_min,
                relocate: Some(p.relocate),
                remote: Some(p.remote).filter(|r| *r),
                employment_types: p.employment_types.iter().map(|t| t.as_str().to_string()).collect(),
                occupations: p
                    .occupations
                    .iter()
                    .filter_map(|o| self.taxonomy.occupation(*o))
                    .map(|o| o.uri().to_string())
                    .collect(),
            }),
        };
        Self::line(out, &rec)
    }
}

// ---------- the market ----------

/// A set of postings, courses, schemes and candidates that belong together.
#[derive(Clone, Debug, Default)]
pub struct Market {
    /// Job postings.
    pub postings: Vec<JobPosting>,
    /// Training courses.
    pub courses: Vec<TrainingCourse>,
    /// Certification schemes.
    pub schemes: Vec<CertificationScheme>,
    /// Candidates.
    pub candidates: Vec<Candidate>,
}

const SAMPLE: [(&str, &str); 4] = [
    ("data/sample/postings.jsonl", include_str!("../../data/sample/postings.jsonl")),
    ("data/sample/courses.jsonl", include_str!("../../data/sample/courses.jsonl")),
    ("data/sample/schemes.jsonl", include_str!("../../data/sample/schemes.jsonl")),
    ("data/sample/candidates.jsonl", include_str!("../../data/sample/candidates.jsonl")),
];

impl Market {
    /// The sample market shipped in `data/sample/` (authored Indonesian and English postings,
    /// BLK and online courses, BNSP-style schemes, candidates), loaded strictly.
    pub fn sample(taxonomy: &Taxonomy) -> Result<Market> {
        let loader = Loader::new(taxonomy);
        let market = Market {
            postings: loader.postings(SAMPLE[0].1.as_bytes(), SAMPLE[0].0)?.records,
            courses: loader.courses(SAMPLE[1].1.as_bytes(), SAMPLE[1].0)?.records,
            schemes: loader.schemes(SAMPLE[2].1.as_bytes(), SAMPLE[2].0)?.records,
            candidates: loader.candidates(SAMPLE[3].1.as_bytes(), SAMPLE[3].0)?.records,
        };
        match market.check_references().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(market),
        }
    }

    /// Loads `postings.jsonl`, `courses.jsonl`, `schemes.jsonl` and `candidates.jsonl` from a
    /// directory (each optional), with the loader's mode. Returns the market and every skipped
    /// record (lenient mode) plus dangling cross-references.
    pub fn load_dir(loader: &Loader<'_>, dir: impl AsRef<Path>) -> Result<(Market, Vec<Error>)> {
        let dir = dir.as_ref();
        let mut errors = Vec::new();
        let path = |name: &str| -> Option<PathBuf> { Some(dir.join(name)).filter(|p| p.exists()) };
        let mut market = Market::default();
        if let Some(p) = path("postings.jsonl") {
            let l = loader.postings_file(p)?;
            market.postings = l.records;
            errors.extend(l.errors);
        }
        if let Some(p) = path("courses.jsonl") {
            let l = loader.courses_file(p)?;
            market.courses = l.records;
            errors.extend(l.errors);
        }
        if let Some(p) = path("schemes.jsonl") {
            let l = loader.schemes_file(p)?;
            market.schemes = l.records;
            errors.extend(l.errors);
        }
        if let Some(p) = path("candidates.jsonl") {
            let l = loader.candidates_file(p)?;
            market.candidates = l.records;
            errors.extend(l.errors);
        }
        let dangling = market.check_references();
        if loader.mode == LoadMode::Strict {
            if let Some(e) = dangling.into_iter().next() {
                return Err(e);
            }
        } else {
            errors.extend(dangling);
        }
        Ok((market, errors))
    }

    /// Cross-record checks: every course's `prepares_for` names a scheme of this market.
    pub fn check_references(&self) -> Vec<Error> {
        let schemes: HashSet<&str> = self.schemes.iter().map(|s| s.id.as_str()).collect();
        self.courses
            .iter()
            .filter_map(|c| {
                let target = c.prepares_for.as_deref()?;
                (!schemes.contains(target)).then(|| {
                    Error::unknown(format!("scheme {target}"), Vec::new())
                        .with_value(target)
                        .in_field(format!("prepares_for (course {})", c.id))
                })
            })
            .collect()
    }
}

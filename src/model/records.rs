//! Training records: enrolments with their outcomes, and job seekers' placement outcomes (the
//! comparison group). Formats in `docs/FORMATS.md`; loaded strictly or leniently like every
//! other input.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::io::{date, field, nonempty, opt_text, Ctx, LocationRecord, RecordIn, Wire};
use super::{Date, Loaded, Loader, Location, ProviderKind};
use crate::error::{Error, Result};

/// One person's enrolment in one course intake, with what happened after it.
///
/// Dates are in order: `enrolled ≤ start ≤ end`, and a placement is never before `enrolled`
/// (a placement during the course is allowed: some participants are hired before they finish).
#[derive(Clone, Debug, PartialEq)]
pub struct Enrolment {
    /// External id of the enrolment, unique within a file.
    pub id: String,
    /// The participant: a candidate id, so the participant's skill profile can be found.
    pub participant: String,
    /// The course id (see [`Loader::known_courses`] to check it).
    pub course: String,
    /// The provider (`"BLK Bekasi"`).
    pub provider: String,
    /// The kind of provider.
    pub provider_kind: ProviderKind,
    /// Where the course was held (none for online courses).
    pub location: Option<Location>,
    /// The cohort label (`"2026-07"` by default: the month the intake starts).
    pub cohort: String,
    /// When the participant enrolled.
    pub enrolled: Date,
    /// When the intake started.
    pub start: Date,
    /// When the intake ended (or is planned to end).
    pub end: Date,
    /// Whether the participant completed the course.
    pub completed: bool,
    /// Whether the participant was assessed (competency test).
    pub assessed: bool,
    /// Whether the participant was certified.
    pub certified: bool,
    /// The certification scheme, if certified.
    pub scheme: Option<String>,
    /// When the participant started a job, if known.
    pub placed: Option<Date>,
    /// The employer of that job.
    pub employer: Option<String>,
    /// The posting that job came from, if known.
    pub posting: Option<String>,
    /// Monthly wage before the course, IDR (0 = not working).
    pub wage_before: Option<u64>,
    /// Monthly wage in the job after the course, IDR.
    pub wage_after: Option<u64>,
}

/// A job seeker's registration and placement, participant or not: the data the comparison
/// group is drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct SeekerOutcome {
    /// The candidate id (the profile in the candidates file).
    pub candidate: String,
    /// When the person registered as a job seeker (the start of their search).
    pub registered: Date,
    /// When they started a job, if they did.
    pub placed: Option<Date>,
}

/// The cohort label of a date: its month, `YYYY-MM`.
pub(crate) fn month_label(d: Date) -> String {
    let (y, m, _) = d.ymd();
    format!("{y:04}-{m:02}")
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct EnrolmentRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format_version: Option<u32>,
    id: String,
    participant: String,
    course: String,
    provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<LocationRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cohort: Option<String>,
    enrolled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    end: String,
    #[serde(default)]
    completed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assessed: Option<bool>,
    #[serde(default)]
    certified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    placed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    employer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    posting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wage_before: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wage_after: Option<u64>,
}

/// Highest monthly wage accepted (IDR 10 billion): larger figures are typing errors.
const MAX_WAGE: u64 = 10_000_000_000;

fn wage(name: &str, w: Option<u64>) -> Result<Option<u64>> {
    match w {
        Some(w) if w > MAX_WAGE => {
            Err(Error::invalid(format!("must be ≤ {MAX_WAGE} (monthly IDR)")).with_value(&w.to_string()).in_field(name))
        }
        w => Ok(w),
    }
}

fn required_date(name: &str, s: &str) -> Result<Date> {
    date(name, Some(s))?.ok_or_else(|| Error::missing(name.to_string()).in_field(name))
}

impl Wire for EnrolmentRecord {
    type Out = Enrolment;
    type Record<'de> = EnrolmentRecord;
}

impl RecordIn<'_> for EnrolmentRecord {
    type Out = Enrolment;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn resolve(self, ctx: &Ctx<'_>) -> Result<Enrolment> {
        let enrolled = required_date("enrolled", &self.enrolled)?;
        let start = date("start", self.start.as_deref())?.unwrap_or(enrolled);
        let end = required_date("end", &self.end)?;
        if start < enrolled {
            return Err(
                Error::invalid(format!("`start` ({start}) is before `enrolled` ({enrolled})")).in_field("start")
            );
        }
        if end < start {
            return Err(Error::invalid(format!("`end` ({end}) is before `start` ({start})")).in_field("end"));
        }
        let placed = date("placed", self.placed.as_deref())?;
        if let Some(p) = placed {
            if p < enrolled {
                return Err(
                    Error::invalid(format!("`placed` ({p}) is before `enrolled` ({enrolled})")).in_field("placed")
                );
            }
        }
        if self.certified && self.assessed == Some(false) {
            return Err(Error::invalid("certified without being assessed").in_field("certified"));
        }
        if self.wage_after.is_some() && placed.is_none() {
            return Err(Error::invalid("`wage_after` given without a placement date").in_field("wage_after"));
        }
        let cohort = opt_text(self.cohort).unwrap_or_else(|| month_label(start));
        Ok(Enrolment {
            participant: nonempty("participant", &self.participant)?,
            course: nonempty("course", &self.course)?,
            provider: nonempty("provider", &self.provider)?,
            provider_kind: field("provider_kind", self.provider_kind.as_deref().map(ProviderKind::parse).transpose())?
                .unwrap_or_default(),
            location: ctx.location(self.location.as_ref())?,
            cohort,
            enrolled,
            start,
            end,
            completed: self.completed,
            assessed: self.assessed.unwrap_or(self.certified),
            certified: self.certified,
            scheme: opt_text(self.scheme),
            placed,
            employer: opt_text(self.employer),
            posting: opt_text(self.posting),
            wage_before: wage("wage_before", self.wage_before)?,
            wage_after: wage("wage_after", self.wage_after)?,
            id: self.id.trim().to_string(),
        })
    }
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct OutcomeRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format_version: Option<u32>,
    candidate: String,
    registered: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    placed: Option<String>,
}

impl Wire for OutcomeRecord {
    type Out = SeekerOutcome;
    type Record<'de> = OutcomeRecord;
}

impl RecordIn<'_> for OutcomeRecord {
    type Out = SeekerOutcome;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.candidate
    }
    fn resolve(self, _ctx: &Ctx<'_>) -> Result<SeekerOutcome> {
        let registered = required_date("registered", &self.registered)?;
        let placed = date("placed", self.placed.as_deref())?;
        if let Some(p) = placed {
            if p < registered {
                return Err(
                    Error::invalid(format!("`placed` ({p}) is before `registered` ({registered})")).in_field("placed")
                );
            }
        }
        Ok(SeekerOutcome { candidate: self.candidate.trim().to_string(), registered, placed })
    }
}

impl Loader<'_> {
    /// Reads enrolments. Besides each record's own checks (dates in order, placement not before
    /// enrolment), an enrolment of the same participant in the same course intake as an earlier
    /// line is a duplicate, and with [`Loader::known_courses`] an unknown course id is an error;
    /// both name the line.
    pub fn enrolments(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<Enrolment>> {
        let known: Option<HashSet<&str>> = self.courses.map(|cs| cs.iter().map(|c| c.id.as_str()).collect());
        let mut seen: HashSet<(String, String, Date)> = HashSet::new();
        self.read_checked::<EnrolmentRecord>(input, source.as_ref(), |e| {
            if let Some(known) = &known {
                if !known.contains(e.course.as_str()) {
                    return Err(Error::unknown(e.course.clone(), Vec::new()).in_field("course"));
                }
            }
            if !seen.insert((e.participant.clone(), e.course.clone(), e.start)) {
                return Err(Error::duplicate(format!(
                    "enrolment: participant {:?} is already enrolled in course {:?} starting {}",
                    e.participant, e.course, e.start
                ))
                .in_field("participant"));
            }
            Ok(())
        })
    }

    /// Reads enrolments from a file; see [`Loader::enrolments`].
    pub fn enrolments_file(&self, path: impl AsRef<Path>) -> Result<Loaded<Enrolment>> {
        let path = path.as_ref();
        self.enrolments(super::io::open(path)?, path)
    }

    /// Reads job seekers' outcomes (one line per candidate; a candidate listed twice is a
    /// duplicate).
    pub fn outcomes(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<SeekerOutcome>> {
        self.read_checked::<OutcomeRecord>(input, source.as_ref(), |_| Ok(()))
    }

    /// Reads job seekers' outcomes from a file; see [`Loader::outcomes`].
    pub fn outcomes_file(&self, path: impl AsRef<Path>) -> Result<Loaded<SeekerOutcome>> {
        let path = path.as_ref();
        self.outcomes(super::io::open(path)?, path)
    }
}

/// Writes an enrolment as one JSON line in the format [`Loader::enrolments`] reads.
pub(crate) fn write_enrolment(out: &mut impl Write, e: &Enrolment) -> Result<()> {
    let rec = EnrolmentRecord {
        format_version: None,
        id: e.id.clone(),
        participant: e.participant.clone(),
        course: e.course.clone(),
        provider: e.provider.clone(),
        provider_kind: Some(e.provider_kind.as_str().to_string()),
        location: super::Writer::location(&e.location),
        cohort: Some(e.cohort.clone()),
        enrolled: e.enrolled.to_string(),
        start: Some(e.start.to_string()),
        end: e.end.to_string(),
        completed: e.completed,
        assessed: Some(e.assessed),
        certified: e.certified,
        scheme: e.scheme.clone(),
        placed: e.placed.map(|d| d.to_string()),
        employer: e.employer.clone(),
        posting: e.posting.clone(),
        wage_before: e.wage_before,
        wage_after: e.wage_after,
    };
    serde_json::to_writer(&mut *out, &rec).map_err(|e| Error::from(std::io::Error::other(e)))?;
    out.write_all(b"\n").map_err(Error::from)
}

/// Writes a seeker outcome as one JSON line in the format [`Loader::outcomes`] reads.
pub(crate) fn write_outcome(out: &mut impl Write, o: &SeekerOutcome) -> Result<()> {
    let rec = OutcomeRecord {
        format_version: None,
        candidate: o.candidate.clone(),
        registered: o.registered.to_string(),
        placed: o.placed.map(|d| d.to_string()),
    };
    serde_json::to_writer(&mut *out, &rec).map_err(|e| Error::from(std::io::Error::other(e)))?;
    out.write_all(b"\n").map_err(Error::from)
}

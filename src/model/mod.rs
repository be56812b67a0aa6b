//! The domain model: job postings, training courses, certification schemes and candidates.
//!
//! Records here are *resolved*: skills are [`SkillId`]s of one [`Taxonomy`](crate::Taxonomy),
//! locations are BPS codes. They are read from, and written to, the JSON Lines formats of
//! `docs/FORMATS.md` by [`Loader`] and [`Writer`].

mod date;
mod generate;
mod io;
mod records;
mod region;
mod texts;

use std::fmt;

pub use date::Date;
pub use generate::MarketGenerator;
pub(crate) use generate::Rng;
pub use io::{Loaded, Loader, Market, Writer, FORMAT_VERSION};
pub(crate) use records::month_label;
pub use records::{Enrolment, SeekerOutcome};
pub use region::{Location, ProvinceCode, RegencyCode, Regions};
pub use texts::{TextRecord, TitleRecord};

use crate::error::{Error, Result};
use crate::taxonomy::{Importance, OccupationId, SkillId};

/// Proficiency in a skill, required or held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Dasar: can do it with guidance.
    Basic = 1,
    /// Menengah: works independently.
    Intermediate = 2,
    /// Mahir: handles non-routine cases, can teach.
    Advanced = 3,
    /// Ahli: recognised expert.
    Expert = 4,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 4] = [Level::Basic, Level::Intermediate, Level::Advanced, Level::Expert];

    /// `1..=4`.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// From `1..=4`.
    pub fn from_number(n: i64) -> Option<Level> {
        match n {
            1 => Some(Level::Basic),
            2 => Some(Level::Intermediate),
            3 => Some(Level::Advanced),
            4 => Some(Level::Expert),
            _ => None,
        }
    }

    /// Parses an English or Indonesian level name (`"advanced"`, `"mahir"`).
    pub fn parse(s: &str) -> Result<Level> {
        // The JSON formats write the English names: those need no folding (which allocates).
        if let Some(l) = Level::ALL.into_iter().find(|l| l.as_str() == s) {
            return Ok(l);
        }
        match crate::fold(s).as_str() {
            "basic" | "beginner" | "dasar" | "pemula" => Ok(Level::Basic),
            "intermediate" | "menengah" | "madya" => Ok(Level::Intermediate),
            "advanced" | "mahir" | "lanjut" | "lanjutan" => Ok(Level::Advanced),
            "expert" | "ahli" | "pakar" => Ok(Level::Expert),
            n => {
                n.parse::<i64>().ok().and_then(Level::from_number).ok_or_else(|| {
                    Error::invalid("expected basic, intermediate, advanced, expert or 1-4").with_value(s)
                })
            }
        }
    }

    /// The lowercase English name used in the JSON formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Basic => "basic",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
            Level::Expert => "expert",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a candidate's skill is known. Ordered weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Evidence {
    /// The candidate says so.
    #[default]
    SelfDeclared,
    /// The candidate completed a course teaching it.
    CourseCompleted,
    /// A certification body assessed it.
    Certified,
}

impl Evidence {
    /// Parses `self_declared`, `course_completed` or `certified`.
    pub fn parse(s: &str) -> Result<Evidence> {
        // The written names need no folding (which allocates).
        match s {
            "self_declared" => return Ok(Evidence::SelfDeclared),
            "course_completed" => return Ok(Evidence::CourseCompleted),
            "certified" => return Ok(Evidence::Certified),
            _ => {}
        }
        match crate::fold(s).replace(' ', "_").as_str() {
            "self_declared" | "self" | "declared" => Ok(Evidence::SelfDeclared),
            "course_completed" | "course" | "trained" => Ok(Evidence::CourseCompleted),
            "certified" | "certificate" | "bersertifikat" => Ok(Evidence::Certified),
            _ => Err(Error::invalid("expected self_declared, course_completed or certified").with_value(s)),
        }
    }

    /// The name used in the JSON formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::SelfDeclared => "self_declared",
            Evidence::CourseCompleted => "course_completed",
            Evidence::Certified => "certified",
        }
    }
}

/// Education levels of the Indonesian system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Education {
    /// No formal schooling completed.
    None,
    /// Sekolah Dasar (primary).
    SD,
    /// Sekolah Menengah Pertama (lower secondary).
    SMP,
    /// Sekolah Menengah Atas (general upper secondary; also MA, Paket C).
    SMA,
    /// Sekolah Menengah Kejuruan (vocational upper secondary).
    SMK,
    D1,
    D2,
    D3,
    /// Diploma IV / Sarjana Terapan.
    D4,
    /// Sarjana (bachelor).
    S1,
    /// Magister.
    S2,
    /// Doktor.
    S3,
}

impl Education {
    /// The rank used for "at least" comparisons: SMA and SMK share a rank, as do D4 and S1.
    pub fn rank(self) -> u8 {
        match self {
            Education::None => 0,
            Education::SD => 1,
            Education::SMP => 2,
            Education::SMA | Education::SMK => 3,
            Education::D1 => 4,
            Education::D2 => 5,
            Education::D3 => 6,
            Education::D4 | Education::S1 => 7,
            Education::S2 => 8,
            Education::S3 => 9,
        }
    }

    /// Whether this education satisfies a requirement of `required`.
    pub fn meets(self, required: Education) -> bool {
        self.rank() >= required.rank()
    }

    /// Parses the codes of `docs/FORMATS.md`, case-insensitively, with common variants.
    pub fn parse(s: &str) -> Result<Education> {
        let f = crate::fold(s).replace(['.', ' '], "");
        Ok(match f.as_str() {
            "none" | "tidaksekolah" | "tidakada" => Education::None,
            "sd" | "mi" | "paketa" => Education::SD,
            "smp" | "mts" | "paketb" => Education::SMP,
            "sma" | "ma" | "paketc" | "slta" => Education::SMA,
            "smk" | "stm" | "mak" => Education::SMK,
            "d1" => Education::D1,
            "d2" => Education::D2,
            "d3" => Education::D3,
            "d4" | "sarjanaterapan" | "str" => Education::D4,
            "s1" | "sarjana" | "bachelor" => Education::S1,
            "s2" | "magister" | "master" => Education::S2,
            "s3" | "doktor" | "phd" => Education::S3,
            _ => return Err(Error::invalid("expected none, SD, SMP, SMA, SMK, D1-D4 or S1-S3").with_value(s)),
        })
    }

    /// The code used in the JSON formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Education::None => "none",
            Education::SD => "SD",
            Education::SMP => "SMP",
            Education::SMA => "SMA",
            Education::SMK => "SMK",
            Education::D1 => "D1",
            Education::D2 => "D2",
            Education::D3 => "D3",
            Education::D4 => "D4",
            Education::S1 => "S1",
            Education::S2 => "S2",
            Education::S3 => "S3",
        }
    }
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? } default $default:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl Default for $name {
            fn default() -> $name {
                $name::$default
            }
        }

        impl $name {
            /// Parses the name used in the JSON formats.
            pub fn parse(s: &str) -> Result<$name> {
                match crate::fold(s).replace([' ', '-'], "_").as_str() {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(Error::invalid(concat!("expected one of:" $(, " ", $text)+)).with_value(s)),
                }
            }

            /// The name used in the JSON formats.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }
    };
}

string_enum! {
    /// The kind of employment a posting offers.
    EmploymentType {
        /// Permanent full-time (karyawan tetap).
        FullTime = "full_time" | "fulltime" | "tetap" | "permanent",
        /// Part-time (paruh waktu).
        PartTime = "part_time" | "parttime" | "paruh_waktu",
        /// Fixed-term contract (PKWT, kontrak).
        Contract = "contract" | "kontrak" | "pkwt",
        /// Internship / apprenticeship (magang).
        Internship = "internship" | "magang",
        /// Freelance.
        Freelance = "freelance" | "lepas",
        /// Daily casual work (harian lepas).
        Daily = "daily" | "harian" | "harian_lepas",
    } default FullTime
}

string_enum! {
    /// How a course is delivered.
    Mode {
        /// In person.
        Offline = "offline" | "luring" | "tatap_muka",
        /// Online.
        Online = "online" | "daring",
        /// Both.
        Hybrid = "hybrid" | "blended",
    } default Offline
}

string_enum! {
    /// Who provides a course.
    ProviderKind {
        /// A public vocational training centre (BLK, BBPVP, UPTD BLK, BLK Komunitas).
        Blk = "blk",
        /// A private training institution (LPK).
        Private = "private" | "lpk" | "swasta",
        /// An online learning platform.
        Online = "online",
        /// A university or polytechnic.
        University = "university" | "kampus",
        /// An employer's in-house programme.
        Company = "company" | "perusahaan",
    } default Private
}

string_enum! {
    /// The period a salary figure refers to.
    SalaryPeriod {
        /// Per month (the default in Indonesian job ads).
        Month = "month" | "bulan" | "monthly",
        /// Per working day.
        Day = "day" | "hari" | "daily",
        /// Per hour.
        Hour = "hour" | "jam" | "hourly",
        /// Per year.
        Year = "year" | "tahun" | "yearly",
    } default Month
}

/// A salary range in rupiah.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Salary {
    /// Lower bound, IDR.
    pub min: u64,
    /// Upper bound, IDR (`min ≤ max`).
    pub max: u64,
    /// What period the figures are for.
    pub period: SalaryPeriod,
}

impl Salary {
    /// Converts a figure to a monthly amount: 22 working days, 173 working hours (40 h/week),
    /// 12 months a year.
    pub fn monthly(amount: u64, period: SalaryPeriod) -> u64 {
        match period {
            SalaryPeriod::Month => amount,
            SalaryPeriod::Day => amount.saturating_mul(22),
            SalaryPeriod::Hour => amount.saturating_mul(173),
            SalaryPeriod::Year => amount / 12,
        }
    }

    /// The range's midpoint per month.
    pub fn monthly_mid(&self) -> u64 {
        Salary::monthly(self.min / 2 + self.max / 2, self.period)
    }
}

/// One skill a posting asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Requirement {
    /// The skill.
    pub skill: SkillId,
    /// Essential or optional.
    pub importance: Importance,
    /// Relative weight, finite and > 0 (default 1).
    pub weight: f32,
    /// The minimum level, if stated.
    pub min_level: Option<Level>,
}

impl Requirement {
    /// An essential requirement of weight 1 with no level.
    pub fn essential(skill: SkillId) -> Requirement {
        Requirement { skill, importance: Importance::Essential, weight: 1.0, min_level: None }
    }

    /// An optional requirement of weight 1 with no level.
    pub fn optional(skill: SkillId) -> Requirement {
        Requirement { skill, importance: Importance::Optional, weight: 1.0, min_level: None }
    }
}

/// A job posting.
#[derive(Clone, Debug, PartialEq)]
pub struct JobPosting {
    /// External id, unique within a catalogue.
    pub id: String,
    /// Title as written by the employer.
    pub title: String,
    /// Free text (may be empty).
    pub description: String,
    /// The employer's name.
    pub employer: Option<String>,
    /// The occupation the job is for.
    pub occupation: Option<OccupationId>,
    /// Where the work is; `None` for fully remote work.
    pub location: Option<Location>,
    /// Whether the job can be done remotely.
    pub remote: bool,
    /// Offered salary.
    pub salary: Option<Salary>,
    /// Kind of employment.
    pub employment_type: EmploymentType,
    /// Minimum education.
    pub education: Option<Education>,
    /// Minimum years of experience.
    pub experience_years: Option<f32>,
    /// Working hours per week.
    pub hours_per_week: Option<f32>,
    /// Date posted.
    pub posted: Option<Date>,
    /// Date the posting closes.
    pub expires: Option<Date>,
    /// Skills asked for.
    pub requirements: Vec<Requirement>,
}

impl JobPosting {
    /// A posting with an id and a title; everything else empty or default.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> JobPosting {
        JobPosting {
            id: id.into(),
            title: title.into(),
            description: String::new(),
            employer: None,
            occupation: None,
            location: None,
            remote: false,
            salary: None,
            employment_type: EmploymentType::default(),
            education: None,
            experience_years: None,
            hours_per_week: None,
            posted: None,
            expires: None,
            requirements: Vec::new(),
        }
    }
}

/// A skill at a level: what a course teaches or a scheme certifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SkillLevel {
    /// The skill.
    pub skill: SkillId,
    /// The level.
    pub level: Level,
}

/// A training course.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingCourse {
    /// External id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Free text.
    pub description: String,
    /// Provider name (`"BLK Bekasi"`).
    pub provider: String,
    /// Kind of provider.
    pub provider_kind: ProviderKind,
    /// Delivery mode.
    pub mode: Mode,
    /// Where it is held (none for online courses).
    pub location: Option<Location>,
    /// Total hours, > 0.
    pub hours: f32,
    /// Participant's cost, IDR.
    pub cost: u64,
    /// Next intake start.
    pub start: Option<Date>,
    /// Next intake end.
    pub end: Option<Date>,
    /// What it teaches.
    pub skills: Vec<SkillLevel>,
    /// What a participant must already hold.
    pub prerequisites: Vec<SkillLevel>,
    /// The certification scheme it prepares for (scheme id).
    pub prepares_for: Option<String>,
    /// Seats per intake.
    pub seats: Option<u32>,
}

/// A certification scheme (e.g. a BNSP scheme run by an LSP).
#[derive(Clone, Debug, PartialEq)]
pub struct CertificationScheme {
    /// External id.
    pub id: String,
    /// Official code.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Certifying body.
    pub body: Option<String>,
    /// What it certifies, at which level (non-empty).
    pub skills: Vec<SkillLevel>,
    /// Assessment fee, IDR.
    pub cost: u64,
    /// Assessment hours.
    pub hours: f32,
    /// Years the certificate stays valid.
    pub validity_years: Option<f32>,
    /// Where assessments are held.
    pub location: Option<Location>,
}

/// A skill a candidate holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CandidateSkill {
    /// The skill.
    pub skill: SkillId,
    /// Held level.
    pub level: Level,
    /// How it is known.
    pub evidence: Evidence,
}

/// What a candidate is looking for.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Preferences {
    /// Minimum acceptable monthly salary, IDR.
    pub salary_min: Option<u64>,
    /// Willing to move to another province.
    pub relocate: bool,
    /// Wants remote work.
    pub remote: bool,
    /// Acceptable employment types (empty = any).
    pub employment_types: Vec<EmploymentType>,
    /// Target occupations (empty = any).
    pub occupations: Vec<OccupationId>,
}

/// A job seeker.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// External id.
    pub id: String,
    /// Name (optional; not used for matching).
    pub name: Option<String>,
    /// Where they live.
    pub location: Option<Location>,
    /// Highest completed education.
    pub education: Option<Education>,
    /// Years of work experience.
    pub experience_years: Option<f32>,
    /// Skills held.
    pub skills: Vec<CandidateSkill>,
    /// Free-text summary (short CV).
    pub summary: String,
    /// Preferences.
    pub preferences: Preferences,
}

impl Candidate {
    /// A candidate with an id and nothing else.
    pub fn new(id: impl Into<String>) -> Candidate {
        Candidate {
            id: id.into(),
            name: None,
            location: None,
            education: None,
            experience_years: None,
            skills: Vec::new(),
            summary: String::new(),
            preferences: Preferences::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_enums_with_aliases() {
        assert_eq!(Level::parse("Mahir").unwrap(), Level::Advanced);
        assert_eq!(Level::parse("2").unwrap(), Level::Intermediate);
        assert!(Level::parse("5").is_err());
        assert_eq!(Education::parse("s1").unwrap(), Education::S1);
        assert_eq!(Education::parse("Paket C").unwrap(), Education::SMA);
        assert!(Education::SMK.meets(Education::SMA));
        assert!(!Education::SMP.meets(Education::SMK));
        assert_eq!(EmploymentType::parse("Full-Time").unwrap(), EmploymentType::FullTime);
        assert_eq!(EmploymentType::parse("PKWT").unwrap(), EmploymentType::Contract);
        let err = EmploymentType::parse("gig").unwrap_err();
        assert!(err.to_string().contains("full_time"), "{err}");
        assert_eq!(Mode::parse("daring").unwrap(), Mode::Online);
        assert_eq!(Evidence::parse("Certified").unwrap(), Evidence::Certified);
    }

    #[test]
    fn salary_normalises_to_month() {
        assert_eq!(Salary::monthly(150_000, SalaryPeriod::Day), 3_300_000);
        assert_eq!(Salary { min: 4_000_000, max: 5_000_000, period: SalaryPeriod::Month }.monthly_mid(), 4_500_000);
        assert_eq!(Salary::monthly(u64::MAX, SalaryPeriod::Hour), u64::MAX);
    }
}

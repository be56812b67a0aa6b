//! A seeded synthetic market built from the taxonomy's occupation profiles, for benches, the
//! benchmark harness and load tests. Record `i` depends only on `(seed, kind, i)`, so any slice
//! of a million-record market can be produced independently and in parallel.

use super::{
    Candidate, CandidateSkill, Date, Education, EmploymentType, Evidence, JobPosting, Level, Location, Market, Mode,
    Preferences, ProviderKind, Regions, Requirement, Salary, SalaryPeriod, SkillLevel, TrainingCourse,
};
use crate::taxonomy::{Collection, OccupationId, SkillId, Taxonomy};

/// SplitMix64: tiny, fast, and its output is fixed forever, unlike library RNGs whose streams
/// may change between versions (a generated market must be reproducible from its seed).
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64, kind: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ kind.wrapping_mul(0xA076_1D64_78BD_642F) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn range(&mut self, lo: usize, hi_inclusive: usize) -> usize {
        lo + self.below(hi_inclusive - lo + 1)
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(crate) fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        let x = self.unit() * total;
        cumulative.partition_point(|&c| c <= x).min(cumulative.len().saturating_sub(1))
    }

    /// Between `lo` and `hi` (inclusive) distinct elements of `items`, in random order.
    pub(crate) fn sample<T: Copy>(&mut self, items: &[T], lo: usize, hi: usize) -> Vec<T> {
        let mut v: Vec<T> = items.to_vec();
        let k = self.range(lo, hi).min(v.len());
        for i in 0..k {
            let j = i + self.below(v.len() - i);
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }
}

const KIND_POSTING: u64 = 1;
const KIND_CANDIDATE: u64 = 2;
const KIND_COURSE: u64 = 3;

/// Rough relative population of provinces (BPS 2020 census, millions), so synthetic markets
/// concentrate where Indonesia's labour force does.
const PROVINCE_WEIGHTS: &[(u8, f64)] = &[
    (11, 5.3),
    (12, 14.8),
    (13, 5.5),
    (14, 6.4),
    (15, 3.5),
    (16, 8.5),
    (17, 2.0),
    (18, 9.0),
    (19, 1.5),
    (21, 2.1),
    (31, 10.6),
    (32, 48.3),
    (33, 36.5),
    (34, 3.7),
    (35, 40.7),
    (36, 11.9),
    (51, 4.3),
    (52, 5.3),
    (53, 5.3),
    (61, 5.4),
    (62, 2.7),
    (63, 4.1),
    (64, 3.8),
    (65, 0.7),
    (71, 2.6),
    (72, 3.0),
    (73, 9.1),
    (74, 2.6),
    (75, 1.2),
    (76, 1.4),
    (81, 1.8),
    (82, 1.3),
    (91, 1.0),
    (92, 0.6),
    (93, 0.5),
    (94, 1.3),
    (95, 1.4),
    (96, 0.6),
];

/// Demand weight by ISCO major group: Indonesia's job ads are dominated by service, sales,
/// trades, operators and elementary work.
fn isco_weight(major: u8) -> f64 {
    match major {
        b'1' => 0.4,
        b'2' => 0.6,
        b'3' => 1.0,
        b'4' => 2.5,
        b'5' => 2.0,
        b'6' => 1.5,
        b'7' => 1.5,
        b'8' => 2.0,
        b'9' => 3.0,
        _ => 0.2,
    }
}

/// Typical monthly pay (IDR) by ISCO major group, before the regional factor.
fn base_salary(major: u8) -> f64 {
    match major {
        b'1' => 12_000_000.0,
        b'2' => 8_500_000.0,
        b'3' => 6_000_000.0,
        b'4' => 4_800_000.0,
        b'5' => 4_000_000.0,
        b'6' => 3_000_000.0,
        b'7' | b'8' => 4_500_000.0,
        b'9' => 3_300_000.0,
        _ => 6_000_000.0,
    }
}

fn typical_education(major: u8) -> Education {
    match major {
        b'1' | b'2' => Education::S1,
        b'3' => Education::D3,
        b'4' | b'5' => Education::SMA,
        b'7' | b'8' => Education::SMK,
        _ => Education::SMP,
    }
}

fn regional_factor(province: u8) -> f64 {
    match province {
        31 => 1.3,
        32 | 36 => 1.1,
        35 | 64 | 21 => 1.0,
        33 | 34 => 0.8,
        _ => 0.9,
    }
}

/// Generates a synthetic market. See the [module docs](self).
///
/// ```
/// let taxonomy = sepadan::Taxonomy::esco_english()?;
/// let generator = sepadan::MarketGenerator::new(&taxonomy, 42);
/// let postings: Vec<_> = generator.postings().take(100).collect();
/// assert_eq!(postings.len(), 100);
/// assert_eq!(generator.posting(7), postings[7]);
/// # Ok::<(), sepadan::Error>(())
/// ```
#[derive(Debug)]
pub struct MarketGenerator<'t> {
    tax: &'t Taxonomy,
    seed: u64,
    text: bool,
    occupations: Vec<OccupationId>,
    occupation_cumulative: Vec<f64>,
    province_cumulative: Vec<f64>,
    regencies_by_province: Vec<(u8, Vec<Location>)>,
    transversal: Vec<SkillId>,
    start: Date,
}

impl<'t> MarketGenerator<'t> {
    /// A generator over `taxonomy` with a seed. Occupations with at least three essential
    /// skills are used, weighted by ISCO major group.
    pub fn new(taxonomy: &'t Taxonomy, seed: u64) -> MarketGenerator<'t> {
        let occupations: Vec<OccupationId> =
            taxonomy.occupations().filter(|o| o.essential_skills().len() >= 3).map(|o| o.id()).collect();
        let mut acc = 0.0;
        let occupation_cumulative = occupations
            .iter()
            .map(|&o| {
                let major =
                    taxonomy.occupation(o).map(|o| o.isco_code().bytes().next().unwrap_or(b'0')).unwrap_or(b'0');
                acc += isco_weight(major);
                acc
            })
            .collect();
        let regions = Regions::indonesia();
        let mut acc = 0.0;
        let mut province_cumulative = Vec::new();
        let mut regencies_by_province = Vec::new();
        for &(p, w) in PROVINCE_WEIGHTS {
            let locs: Vec<Location> = regions
                .regencies()
                .iter()
                .filter(|(c, _)| c.province().get() == p)
                .map(|(c, _)| Location::regency(*c))
                .collect();
            if locs.is_empty() {
                continue;
            }
            acc += w;
            province_cumulative.push(acc);
            regencies_by_province.push((p, locs));
        }
        let transversal =
            taxonomy.skills().filter(|s| s.in_collection(Collection::Transversal)).map(|s| s.id()).collect();
        MarketGenerator {
            tax: taxonomy,
            seed,
            text: true,
            occupations,
            occupation_cumulative,
            province_cumulative,
            regencies_by_province,
            transversal,
            start: Date::from_days(20_605), // 2026-06-01
        }
    }

    /// Whether to write descriptions and summaries (default true). Turn off for very large
    /// markets where only the structured fields matter.
    pub fn with_text(mut self, text: bool) -> MarketGenerator<'t> {
        self.text = text;
        self
    }

    fn occupation(&self, rng: &mut Rng) -> Option<OccupationId> {
        if self.occupations.is_empty() {
            return None;
        }
        Some(self.occupations[rng.weighted(&self.occupation_cumulative)])
    }

    fn location(&self, rng: &mut Rng) -> Option<Location> {
        if self.regencies_by_province.is_empty() {
            return None;
        }
        let (_, locs) = &self.regencies_by_province[rng.weighted(&self.province_cumulative)];
        Some(locs[rng.below(locs.len())])
    }

    fn level(rng: &mut Rng) -> Level {
        Level::ALL[rng.weighted(&[0.3, 0.8, 0.97, 1.0])]
    }

    fn skill_label(&self, s: SkillId) -> &'t str {
        self.tax.skill(s).map(|s| s.label("id")).unwrap_or("")
    }

    /// Posting number `index`.
    pub fn posting(&self, index: u64) -> JobPosting {
        let mut rng = Rng::new(self.seed, KIND_POSTING, index);
        let mut p = JobPosting::new(format!("gen-job-{index:07}"), "");
        let Some(occ_id) = self.occupation(&mut rng) else { return p };
        let Some(occ) = self.tax.occupation(occ_id) else { return p };
        let major = occ.isco_code().bytes().next().unwrap_or(b'0');
        let indonesian = rng.chance(0.8);
        p.title = occ.label(if indonesian { "id" } else { "en" }).to_string();
        p.occupation = Some(occ_id);
        p.location = self.location(&mut rng);
        let essential = rng.sample(occ.essential_skills(), 3, 8);
        let optional = rng.sample(occ.optional_skills(), 0, 3);
        for s in essential {
            let min_level = if rng.chance(0.4) { Some(Self::level(&mut rng)) } else { None };
            p.requirements.push(Requirement { min_level, ..Requirement::essential(s) });
        }
        for s in optional {
            p.requirements.push(Requirement::optional(s));
        }
        let factor = p.location.map_or(1.0, |l| regional_factor(l.province.get()));
        let min = base_salary(major) * factor * (0.85 + 0.35 * rng.unit());
        let min = (min / 100_000.0).round() as u64 * 100_000;
        let max = ((min as f64 * (1.1 + 0.3 * rng.unit())) / 100_000.0).round() as u64 * 100_000;
        p.salary = Some(Salary { min, max, period: SalaryPeriod::Month });
        p.employment_type = [
            EmploymentType::FullTime,
            EmploymentType::Contract,
            EmploymentType::PartTime,
            EmploymentType::Internship,
            EmploymentType::Daily,
        ][rng.weighted(&[0.6, 0.85, 0.9, 0.95, 1.0])];
        p.education = Some(typical_education(major));
        p.experience_years = Some(rng.range(0, 5) as f32);
        p.hours_per_week = Some(40.0);
        let posted = self.start.add_days(rng.range(0, 180) as i32);
        p.posted = Some(posted);
        p.expires = Some(posted.add_days(rng.range(30, 60) as i32));
        p.employer = Some(format!(
            "PT {} {}",
            ["Maju", "Sinar", "Karya", "Mitra", "Cahaya", "Bumi"][rng.below(6)],
            ["Jaya", "Abadi", "Nusantara", "Sejahtera", "Mandiri"][rng.below(5)]
        ));
        if self.text {
            p.description = self.posting_text(&p, indonesian);
        }
        p
    }

    fn posting_text(&self, p: &JobPosting, indonesian: bool) -> String {
        let (duties, quals, plus, benefit) = if indonesian {
            ("Tanggung Jawab:", "Kualifikasi:", "Nilai plus:", "Benefit:\n- Gaji pokok dan BPJS\n- Lembur dibayar")
        } else {
            (
                "Responsibilities:",
                "Requirements:",
                "Nice to have:",
                "Benefits:\n- Competitive salary\n- Health insurance",
            )
        };
        let lang = if indonesian { "id" } else { "en" };
        let label = |s: SkillId| self.tax.skill(s).map(|s| s.label(lang)).unwrap_or("");
        let mut t = format!("{}\n\n{duties}\n", p.title);
        for r in p.requirements.iter().filter(|r| r.importance == crate::Importance::Essential).take(3) {
            t.push_str(&format!("- {}\n", label(r.skill)));
        }
        t.push_str(&format!("\n{quals}\n"));
        if let Some(e) = p.education {
            t.push_str(&if indonesian {
                format!("- Pendidikan min. {}\n", e.as_str())
            } else {
                format!("- Minimum education {}\n", e.as_str())
            });
        }
        for r in p.requirements.iter().filter(|r| r.importance == crate::Importance::Essential) {
            let cue = if indonesian { "Wajib menguasai" } else { "Must have" };
            t.push_str(&format!("- {cue} {}\n", label(r.skill)));
        }
        let optional: Vec<_> = p.requirements.iter().filter(|r| r.importance == crate::Importance::Optional).collect();
        if !optional.is_empty() {
            t.push_str(&format!("\n{plus}\n"));
            for r in optional {
                t.push_str(&format!("- {}\n", label(r.skill)));
            }
        }
        t.push('\n');
        t.push_str(benefit);
        t
    }

    /// Candidate number `index`.
    pub fn candidate(&self, index: u64) -> Candidate {
        let mut rng = Rng::new(self.seed, KIND_CANDIDATE, index);
        let mut c = Candidate::new(format!("gen-cand-{index:07}"));
        let Some(occ_id) = self.occupation(&mut rng) else { return c };
        let Some(occ) = self.tax.occupation(occ_id) else { return c };
        let major = occ.isco_code().bytes().next().unwrap_or(b'0');
        c.location = self.location(&mut rng);
        let ess = occ.essential_skills();
        let held = ((ess.len() as f64) * (0.3 + 0.6 * rng.unit())).ceil() as usize;
        let mut skills = rng.sample(ess, held, held);
        skills.extend(rng.sample(occ.optional_skills(), 0, 3));
        skills.extend(rng.sample(&self.transversal, 0, 2));
        skills.sort();
        skills.dedup();
        for s in skills {
            let evidence = [Evidence::SelfDeclared, Evidence::CourseCompleted, Evidence::Certified]
                [rng.weighted(&[0.7, 0.9, 1.0])];
            c.skills.push(CandidateSkill { skill: s, level: Self::level(&mut rng), evidence });
        }
        let edu = typical_education(major);
        c.education = Some(if rng.chance(0.2) { Education::SMA } else { edu });
        c.experience_years = Some(rng.range(0, 12) as f32);
        let factor = c.location.map_or(1.0, |l| regional_factor(l.province.get()));
        let expectation = base_salary(major) * factor * (0.8 + 0.3 * rng.unit());
        c.preferences = Preferences {
            salary_min: Some((expectation / 100_000.0).round() as u64 * 100_000),
            relocate: rng.chance(0.3),
            remote: rng.chance(0.05),
            employment_types: Vec::new(),
            occupations: vec![occ_id],
        };
        if self.text {
            let names: Vec<&str> = c.skills.iter().take(4).map(|s| self.skill_label(s.skill)).collect();
            c.summary = format!(
                "Pencari kerja dengan pengalaman {} tahun sebagai {}. Menguasai {}.",
                c.experience_years.unwrap_or(0.0),
                occ.label("id"),
                names.join(", ")
            );
        }
        c
    }

    /// Course number `index`.
    pub fn course(&self, index: u64) -> TrainingCourse {
        let mut rng = Rng::new(self.seed, KIND_COURSE, index);
        let regions = Regions::indonesia();
        let location = self.location(&mut rng);
        let occ = self.occupation(&mut rng).and_then(|o| self.tax.occupation(o));
        let skills: Vec<SkillLevel> = occ
            .map(|o| rng.sample(o.essential_skills(), 2, 5))
            .unwrap_or_default()
            .into_iter()
            .map(|skill| SkillLevel { skill, level: if rng.chance(0.8) { Level::Intermediate } else { Level::Basic } })
            .collect();
        let kind = [ProviderKind::Blk, ProviderKind::Private, ProviderKind::Online][rng.weighted(&[0.6, 0.85, 1.0])];
        let place = location.and_then(|l| l.regency).and_then(|r| regions.regency(r)).unwrap_or("Jakarta");
        let (provider, mode, loc, hours, cost) = match kind {
            ProviderKind::Blk => (format!("BLK {place}"), Mode::Offline, location, rng.range(80, 320), 0),
            ProviderKind::Private => (
                format!("LPK Terampil {place}"),
                Mode::Offline,
                location,
                rng.range(40, 200),
                rng.range(10, 50) * 100_000,
            ),
            _ => {
                ("Kelas Daring Nusantara".to_string(), Mode::Online, None, rng.range(8, 60), rng.range(1, 15) * 100_000)
            }
        };
        let start = self.start.add_days(rng.range(30, 240) as i32);
        TrainingCourse {
            id: format!("gen-crs-{index:06}"),
            title: format!("Pelatihan {}", occ.map(|o| o.label("id")).unwrap_or("Keterampilan Kerja")),
            description: if self.text {
                format!(
                    "Pelatihan berbasis kompetensi: {}.",
                    skills.iter().map(|s| self.skill_label(s.skill)).collect::<Vec<_>>().join(", ")
                )
            } else {
                String::new()
            },
            provider,
            provider_kind: kind,
            mode,
            location: loc,
            hours: hours as f32,
            cost: cost as u64,
            start: Some(start),
            end: Some(start.add_days((hours as i32 / 6).max(1))),
            skills,
            prerequisites: Vec::new(),
            prepares_for: None,
            seats: Some(16),
        }
    }

    /// Postings 0, 1, 2, … (endless; use `take`).
    pub fn postings(&self) -> impl Iterator<Item = JobPosting> + '_ {
        (0..).map(|i| self.posting(i))
    }

    /// Candidates 0, 1, 2, … (endless; use `take`).
    pub fn candidates(&self) -> impl Iterator<Item = Candidate> + '_ {
        (0..).map(|i| self.candidate(i))
    }

    /// Courses 0, 1, 2, … (endless; use `take`).
    pub fn courses(&self) -> impl Iterator<Item = TrainingCourse> + '_ {
        (0..).map(|i| self.course(i))
    }

    /// A market of the given sizes, generated in parallel.
    pub fn market(&self, postings: usize, courses: usize, candidates: usize) -> Market {
        use rayon::prelude::*;
        Market {
            postings: (0..postings as u64).into_par_iter().map(|i| self.posting(i)).collect(),
            courses: (0..courses as u64).into_par_iter().map(|i| self.course(i)).collect(),
            schemes: Vec::new(),
            candidates: (0..candidates as u64).into_par_iter().map(|i| self.candidate(i)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_uniform_enough_and_in_range() {
        let mut r = Rng::new(1, 2, 3);
        let mut counts = [0usize; 10];
        for _ in 0..10_000 {
            counts[r.below(10)] += 1;
        }
        assert!(counts.iter().all(|&c| (800..1200).contains(&c)), "{counts:?}");
        let s = r.sample(&[1, 2, 3, 4, 5], 3, 3);
        assert_eq!(s.len(), 3);
        assert!(s.iter().all(|x| (1..=5).contains(x)));
    }
}

//! Structured facts postings carry in free text: minimum education, years of experience, the
//! salary range in rupiah, locations, and requirements a platform must review because they
//! discriminate (age, gender, marital status, appearance, religion). Flagged requirements are
//! reported as such and never enter skill scoring.

use crate::model::{Education, Location, Regions, Salary, SalaryPeriod};

/// A requirement that discriminates on a protected or irrelevant ground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlagKind {
    /// A maximum or minimum age ("usia maks. 30 tahun").
    Age,
    /// A required gender ("Pria", "Wanita", "female only").
    Gender,
    /// A marital status ("belum menikah", "single").
    MaritalStatus,
    /// Looks, height or weight ("berpenampilan menarik", "tinggi badan min. 160 cm").
    Appearance,
    /// A religion.
    Religion,
}

/// A flagged requirement: what it is and where the posting says it.
#[derive(Clone, Debug, PartialEq)]
pub struct FlaggedRequirement {
    /// The ground.
    pub kind: FlagKind,
    /// Byte offset of the line that states it.
    pub start: usize,
    /// Byte end of that line.
    pub end: usize,
    /// The line, trimmed.
    pub text: String,
    /// For age: the stated bounds `(min, max)` in years, when given.
    pub age_range: Option<(Option<u8>, Option<u8>)>,
}

/// Facts read from a posting's text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PostingFacts {
    /// The lowest education level the text accepts ("min. SMA/SMK" → SMA).
    pub education: Option<Education>,
    /// The minimum years of experience stated.
    pub experience_years: Option<f32>,
    /// The salary range, when the text states one in rupiah.
    pub salary: Option<Salary>,
    /// Places named in the text (provinces, regencies and cities from the shipped region list).
    pub locations: Vec<Location>,
    /// Requirements to review: age, gender, marital status, appearance, religion.
    pub flags: Vec<FlaggedRequirement>,
}

fn words(folded: &str) -> Vec<&str> {
    folded.split(' ').filter(|w| !w.is_empty()).collect()
}

fn has(ws: &[&str], any: &[&str]) -> bool {
    ws.iter().any(|w| any.contains(w))
}

fn has_seq(ws: &[&str], seq: &[&str]) -> bool {
    !seq.is_empty() && ws.windows(seq.len()).any(|w| w == seq)
}

/// Education codes appearing as words; `sd`, `smp`, `sma`, `ma` only count on lines that talk
/// about education, since "sd" also abbreviates "sampai dengan".
fn education_on_line(ws: &[&str]) -> Option<Education> {
    let context =
        has(ws, &["pendidikan", "lulusan", "pend", "ijazah", "education", "degree", "graduate", "minimal", "min"]);
    let mut best: Option<Education> = None;
    for w in ws {
        let level = match *w {
            "sd" | "smp" | "sma" | "ma" | "slta" | "sltp" if context => Education::parse(w).ok(),
            "smk" | "stm" | "d1" | "d2" | "d3" | "d4" | "s1" | "s2" | "s3" | "sarjana" | "diploma" | "bachelor" => {
                if *w == "diploma" {
                    Some(Education::D3)
                } else {
                    Education::parse(w).ok()
                }
            }
            _ => None,
        };
        if let Some(l) = level {
            best = Some(match best {
                Some(b) if b.rank() <= l.rank() => b,
                _ => l,
            });
        }
    }
    best
}

fn parse_amount(number: &str, unit: Option<&str>) -> Option<u64> {
    let n: f64 = number.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let factor = match unit {
        Some("juta" | "jt" | "jutaan" | "million" | "m") => 1_000_000.0,
        Some("ribu" | "rb" | "k" | "thousand") => 1_000.0,
        _ => 1.0,
    };
    let v = n * factor;
    (1_000.0..=1e12).contains(&v).then_some(v.round() as u64)
}

/// "Gaji Rp 4.500.000 - Rp 5.500.000", "Rp4,5 jt s/d 6 jt", "salary IDR 8-10 juta", "Rp
/// 150.000/hari". Numbers are read from the tokenizer's normalised forms (thousands separators
/// already removed, decimal commas turned into points).
fn salary_on_line(tokens: &[String], folded: &[&str]) -> Option<Salary> {
    let context = has(folded, &["gaji", "salary", "rp", "idr", "upah", "penghasilan", "thp", "juta", "jt"]);
    if !context {
        return None;
    }
    // (number, unit) pairs in order; "4 - 5 juta": a bare small number before a scaled one
    // shares its unit.
    let mut raw: Vec<(&str, Option<&str>)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        if t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let unit = tokens.get(i + 1).map(String::as_str);
            let unit =
                unit.filter(|u| matches!(*u, "juta" | "jt" | "jutaan" | "million" | "ribu" | "rb" | "k" | "thousand"));
            raw.push((t, unit));
            i += if unit.is_some() { 2 } else { 1 };
            continue;
        }
        i += 1;
    }
    for k in 0..raw.len().saturating_sub(1) {
        let small = raw[k].0.parse::<f64>().is_ok_and(|n| n < 1_000.0);
        if raw[k].1.is_none() && small && raw[k + 1].1.is_some() {
            raw[k].1 = raw[k + 1].1;
        }
    }
    let mut amounts: Vec<u64> = raw.iter().filter_map(|&(n, u)| parse_amount(n, u)).collect();
    amounts.retain(|&a| a >= 10_000);
    let min = *amounts.first()?;
    let max = amounts.get(1).copied().filter(|&m| m >= min).unwrap_or(min);
    let period = if has(folded, &["hari", "harian", "day", "daily"]) {
        SalaryPeriod::Day
    } else if has(folded, &["jam", "hour", "hourly"]) {
        SalaryPeriod::Hour
    } else if has(folded, &["tahun", "year", "annual", "yearly"]) && !has(folded, &["pengalaman", "experience"]) {
        SalaryPeriod::Year
    } else {
        SalaryPeriod::Month
    };
    Some(Salary { min, max, period })
}

/// `(min, max)` age in years, either bound optional.
type AgeRange = (Option<u8>, Option<u8>);

fn age_range(ws: &[&str]) -> Option<AgeRange> {
    let at = ws.iter().position(|w| matches!(*w, "usia" | "umur" | "age" | "aged"))?;
    let nums: Vec<u8> =
        ws[at..].iter().take(8).filter_map(|w| w.parse::<u8>().ok()).filter(|n| (14..=70).contains(n)).collect();
    let near = &ws[at..(at + 8).min(ws.len())];
    let max_cue = has(near, &["maks", "maksimal", "max", "maximum", "dibawah", "kurang"]);
    let min_cue = has(near, &["min", "minimal", "minimum", "diatas", "lebih"]);
    match nums.as_slice() {
        [] => Some((None, None)),
        [n] if max_cue => Some((None, Some(*n))),
        [n] if min_cue => Some((Some(*n), None)),
        [n] => Some((None, Some(*n))),
        [a, b, ..] => Some((Some(*a.min(b)), Some(*a.max(b)))),
    }
}

/// The flags a line raises.
fn flags_on_line(ws: &[&str]) -> Vec<(FlagKind, Option<AgeRange>)> {
    let mut out = Vec::new();
    if has(ws, &["usia", "umur"]) || (has(ws, &["age", "aged"]) && !has(ws, &["manage", "storage", "wage"])) {
        if let Some(range) = age_range(ws) {
            out.push((FlagKind::Age, Some(range)));
        }
    } else if has_seq(ws, &["years", "old"]) {
        out.push((FlagKind::Age, None));
    }
    // "Pria/Wanita" or "male/female" accepts everyone: not a gender requirement.
    let men = has(ws, &["pria", "laki", "male", "men", "cowok"]);
    let women = has(ws, &["wanita", "perempuan", "female", "women", "cewek"]);
    if men != women {
        out.push((FlagKind::Gender, None));
    }
    if has_seq(ws, &["belum", "menikah"])
        || has_seq(ws, &["tidak", "menikah"])
        || has_seq(ws, &["status", "menikah"])
        || has(ws, &["lajang", "single", "unmarried"])
        || has_seq(ws, &["belum", "berkeluarga"])
    {
        out.push((FlagKind::MaritalStatus, None));
    }
    if has(ws, &["berpenampilan", "penampilan", "appearance", "looking", "cantik", "tampan", "menarik"])
        && (has(ws, &["menarik", "good", "attractive", "cantik", "tampan", "baik"]) || has(ws, &["berpenampilan"]))
        || has_seq(ws, &["tinggi", "badan"])
        || has_seq(ws, &["berat", "badan"])
        || has_seq(ws, &["good", "looking"])
    {
        out.push((FlagKind::Appearance, None));
    }
    if has(
        ws,
        &["beragama", "agama", "muslim", "muslimah", "kristen", "katolik", "hindu", "buddha", "religion", "berhijab"],
    ) {
        out.push((FlagKind::Religion, None));
    }
    out
}

/// Reads the facts of a posting's text.
pub(crate) fn posting_facts(text: &str, analyzer_tokens: impl Fn(&str) -> Vec<String>) -> PostingFacts {
    let mut facts = PostingFacts::default();
    let regions = Regions::indonesia();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let (start, end) = (at, at + line.trim_end().len());
        at += line.len();
        let folded = crate::fold(line);
        let ws = words(&folded);
        if ws.is_empty() {
            continue;
        }
        if let Some(e) = education_on_line(&ws) {
            facts.education = Some(match facts.education {
                Some(b) if b.rank() <= e.rank() => b,
                _ => e,
            });
        }
        if let Some(y) = super::sections::line_cues(line).years {
            facts.experience_years = Some(facts.experience_years.map_or(y, |x: f32| x.min(y)));
        }
        if facts.salary.is_none() {
            facts.salary = salary_on_line(&analyzer_tokens(line), &ws);
        }
        for (kind, age_range) in flags_on_line(&ws) {
            facts.flags.push(FlaggedRequirement { kind, start, end, text: line.trim().to_string(), age_range });
        }
        for loc in locations_on_line(regions, line) {
            if !facts.locations.contains(&loc) {
                facts.locations.push(loc);
            }
        }
    }
    facts
}

/// Regency names that are also everyday words at the start of a sentence ("Batu bata").
const COMMON_WORD_PLACES: &[&str] =
    &["Batu", "Bone", "Buru", "Agam", "Kota", "Tengah", "Barat", "Timur", "Utara", "Selatan"];

/// Capitalised names of provinces and regencies/cities on a line ("Penempatan: Kab. Bekasi",
/// "Surabaya"). A bare name shared by a kabupaten and a kota ("Bekasi") gives the province.
fn locations_on_line(regions: &Regions, line: &str) -> Vec<Location> {
    let mut out = Vec::new();
    let tokens: Vec<&str> = line.split(|c: char| !c.is_alphanumeric() && c != '.').filter(|w| !w.is_empty()).collect();
    let n = tokens.len();
    let mut i = 0;
    while i < n {
        let first = tokens[i];
        if !first.chars().next().is_some_and(char::is_uppercase) || COMMON_WORD_PLACES.contains(&first) {
            i += 1;
            continue;
        }
        // Longest name first: up to four words ("Kota Administrasi Jakarta Selatan").
        let mut matched = 0;
        for len in (1..=4.min(n - i)).rev() {
            let phrase = tokens[i..i + len].join(" ");
            if phrase.chars().count() < 4 {
                continue;
            }
            let regencies = regions.lookup_regency(&phrase, None);
            if let [code] = regencies[..] {
                out.push(Location::regency(code));
                matched = len;
                break;
            }
            // A name shared by a kabupaten and a kota ("Bekasi") in one province: the province.
            if regencies.len() > 1 && regencies.windows(2).all(|w| w[0].province() == w[1].province()) {
                out.push(Location::province(regencies[0].province()));
                matched = len;
                break;
            }
            if let Some(p) = regions.lookup_province(&phrase) {
                // Bare abbreviations ("NTB", "DKI") are too risky in running text.
                if phrase.chars().any(char::is_lowercase) || phrase.len() > 4 {
                    out.push(Location::province(p));
                    matched = len;
                    break;
                }
            }
        }
        i += matched.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    fn facts(text: &str) -> PostingFacts {
        let a = Analyzer::with_options(crate::AnalyzerOptions {
            remove_stop_words: false,
            stem: false,
            protected_terms: false,
            root_lexicon: false,
            normalize_informal: false,
        });
        posting_facts(text, |l| a.analyze(l).into_iter().map(|t| t.text).collect())
    }

    #[test]
    fn reads_education_experience_salary() {
        let f = facts("Kualifikasi:\n- Pendidikan min. SMA/SMK sederajat\n- Min. 2 thn pengalaman\nGaji Rp 4.500.000 - Rp 5.500.000 per bulan");
        assert_eq!(f.education, Some(Education::SMA));
        assert_eq!(f.experience_years, Some(2.0));
        assert_eq!(f.salary, Some(Salary { min: 4_500_000, max: 5_500_000, period: SalaryPeriod::Month }));
        let f = facts("Salary: IDR 8 - 10 juta\nLulusan D3/S1 Teknik Informatika");
        assert_eq!(f.salary.map(|s| (s.min, s.max)), Some((8_000_000, 10_000_000)));
        assert_eq!(f.education, Some(Education::D3));
        let f = facts("Upah Rp 150.000/hari");
        assert_eq!(f.salary, Some(Salary { min: 150_000, max: 150_000, period: SalaryPeriod::Day }));
    }

    #[test]
    fn flags_discriminatory_requirements() {
        let f = facts("- Pria, usia maks. 30 tahun\n- Belum menikah\n- Berpenampilan menarik, tinggi badan min. 160 cm\n- Pria/Wanita boleh melamar");
        let kinds: Vec<FlagKind> = f.flags.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, [FlagKind::Age, FlagKind::Gender, FlagKind::MaritalStatus, FlagKind::Appearance]);
        assert_eq!(f.flags[0].age_range, Some((None, Some(30))));
        assert_eq!(f.flags[0].text, "- Pria, usia maks. 30 tahun");
        let f = facts("Usia 18-35 tahun");
        assert_eq!(f.flags[0].age_range, Some((Some(18), Some(35))));
        assert!(facts("Mampu manage storage dan menghitung wage").flags.is_empty());
    }

    #[test]
    fn finds_places() {
        let f = facts("Penempatan: Kab. Bekasi dan Surabaya");
        let codes: Vec<String> =
            f.locations.iter().map(|l| l.regency.map(|r| r.to_string()).unwrap_or(l.province.to_string())).collect();
        assert_eq!(codes, ["32.16", "35.78"]);
        let f = facts("Lokasi kerja Bekasi, Jawa Barat");
        assert_eq!(f.locations.len(), 1);
        assert_eq!(f.locations[0].province.get(), 32);
    }
}

//! Posting sections (Kualifikasi / Tanggung Jawab / Benefit / Tentang Perusahaan …) and the
//! cues on a line (required or a plus, level, years of experience).

use crate::model::Level;

/// What a section of a posting is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SectionKind {
    /// Text before any header (many postings have none): read.
    Preamble,
    /// Kualifikasi, Persyaratan, Requirements, Qualifications, Skills: read.
    Requirements,
    /// Nilai plus, Nice to have, Preferred: read, skills are a plus.
    NiceToHave,
    /// Tanggung jawab, Job description, Responsibilities: read.
    Duties,
    /// Benefit, Fasilitas, What we offer: skipped.
    Benefits,
    /// Tentang perusahaan, About us, equal-opportunity statements: skipped.
    Company,
    /// Cara melamar, How to apply, contact details: skipped.
    Application,
}

impl SectionKind {
    pub(crate) fn yields_skills(self) -> bool {
        matches!(
            self,
            SectionKind::Preamble | SectionKind::Requirements | SectionKind::NiceToHave | SectionKind::Duties
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Section {
    pub(crate) start: usize,
    /// Where the section's body starts (after its header line; `start` for the preamble).
    pub(crate) body: usize,
    pub(crate) end: usize,
    pub(crate) kind: SectionKind,
}

/// Header phrases (folded), longest first within each kind so "persyaratan khusus" is still a
/// requirements header.
const HEADERS: &[(&str, SectionKind)] = &[
    ("nilai plus", SectionKind::NiceToHave),
    ("nilai tambah", SectionKind::NiceToHave),
    ("diutamakan", SectionKind::NiceToHave),
    ("nice to have", SectionKind::NiceToHave),
    ("preferred qualifications", SectionKind::NiceToHave),
    ("preferred", SectionKind::NiceToHave),
    ("bonus points", SectionKind::NiceToHave),
    ("kualifikasi", SectionKind::Requirements),
    ("persyaratan", SectionKind::Requirements),
    ("syarat", SectionKind::Requirements),
    ("kriteria", SectionKind::Requirements),
    ("keahlian", SectionKind::Requirements),
    ("kemampuan", SectionKind::Requirements),
    ("kompetensi", SectionKind::Requirements),
    ("requirements", SectionKind::Requirements),
    ("requirement", SectionKind::Requirements),
    ("qualifications", SectionKind::Requirements),
    ("qualification", SectionKind::Requirements),
    ("skills", SectionKind::Requirements),
    ("what you need", SectionKind::Requirements),
    ("who you are", SectionKind::Requirements),
    ("tanggung jawab", SectionKind::Duties),
    ("deskripsi pekerjaan", SectionKind::Duties),
    ("uraian tugas", SectionKind::Duties),
    ("uraian pekerjaan", SectionKind::Duties),
    ("tugas", SectionKind::Duties),
    ("job description", SectionKind::Duties),
    ("jobdesc", SectionKind::Duties),
    ("job desc", SectionKind::Duties),
    ("responsibilities", SectionKind::Duties),
    ("what you will do", SectionKind::Duties),
    ("what you ll do", SectionKind::Duties),
    ("duties", SectionKind::Duties),
    ("benefit", SectionKind::Benefits),
    ("benefits", SectionKind::Benefits),
    ("fasilitas", SectionKind::Benefits),
    ("kompensasi", SectionKind::Benefits),
    ("yang kami tawarkan", SectionKind::Benefits),
    ("kami menawarkan", SectionKind::Benefits),
    ("what we offer", SectionKind::Benefits),
    ("perks", SectionKind::Benefits),
    ("tentang perusahaan", SectionKind::Company),
    ("tentang kami", SectionKind::Company),
    ("profil perusahaan", SectionKind::Company),
    ("about us", SectionKind::Company),
    ("about the company", SectionKind::Company),
    ("company profile", SectionKind::Company),
    ("equal opportunity", SectionKind::Company),
    ("diversity", SectionKind::Company),
    ("cara melamar", SectionKind::Application),
    ("cara mendaftar", SectionKind::Application),
    ("how to apply", SectionKind::Application),
    ("lamaran", SectionKind::Application),
];

/// The header kind of a line, if it is a header: short (≤ 6 words), and either ends with ':'
/// or is exactly a header phrase; the phrase must start the line.
fn header_kind(line: &str) -> Option<SectionKind> {
    let trimmed = line.trim().trim_start_matches(|c: char| !c.is_alphanumeric());
    if trimmed.is_empty() {
        return None;
    }
    let folded = crate::fold(trimmed);
    if folded.split(' ').count() > 6 {
        return None;
    }
    let ends_colon = trimmed.trim_end().ends_with(':');
    for (phrase, kind) in HEADERS {
        if folded == *phrase || (ends_colon && folded.starts_with(phrase)) {
            return Some(*kind);
        }
    }
    None
}

/// Splits a posting into sections by header lines.
pub(crate) fn split(text: &str) -> Vec<Section> {
    let mut out = Vec::new();
    let mut current = Section { start: 0, body: 0, end: text.len(), kind: SectionKind::Preamble };
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if let Some(kind) = header_kind(line) {
            current.end = at;
            if current.end > current.start {
                out.push(current);
            }
            current = Section { start: at, body: at + line.len(), end: text.len(), kind };
        }
        at += line.len();
    }
    current.end = text.len();
    out.push(current);
    out
}

/// What one line says about the skills on it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct LineCues {
    pub(crate) optional: bool,
    pub(crate) level: Option<Level>,
    pub(crate) years: Option<f32>,
}

const OPTIONAL_CUES: &[&str] = &[
    "diutamakan",
    "nilai plus",
    "nilai tambah",
    "lebih disukai",
    "menjadi nilai",
    "preferred",
    "a plus",
    "is a plus",
    "nice to have",
    "bonus",
    "advantage",
    "tidak wajib",
];
const LEVEL_CUES: &[(&str, Level)] = &[
    ("sangat mahir", Level::Expert),
    ("expert", Level::Expert),
    ("ahli", Level::Expert),
    ("mahir", Level::Advanced),
    ("menguasai", Level::Advanced),
    ("advanced", Level::Advanced),
    ("proficient", Level::Advanced),
    ("fasih", Level::Advanced),
    ("fluent", Level::Advanced),
    ("strong", Level::Advanced),
    ("menengah", Level::Intermediate),
    ("intermediate", Level::Intermediate),
    ("good knowledge", Level::Intermediate),
    ("familiar", Level::Basic),
    ("memahami", Level::Basic),
    ("paham", Level::Basic),
    ("dasar", Level::Basic),
    ("basic", Level::Basic),
    ("pemula", Level::Basic),
];

fn has_phrase(folded: &str, phrase: &str) -> bool {
    folded.match_indices(phrase).any(|(i, _)| {
        let before = folded[..i].chars().next_back().is_none_or(|c| c == ' ');
        let after = folded[i + phrase.len()..].chars().next().is_none_or(|c| c == ' ');
        before && after
    })
}

/// Reads the cues of one line.
pub(crate) fn line_cues(line: &str) -> LineCues {
    let folded = crate::fold(line);
    let optional = OPTIONAL_CUES.iter().any(|c| has_phrase(&folded, c));
    let level = LEVEL_CUES.iter().find(|(c, _)| has_phrase(&folded, c)).map(|(_, l)| *l);
    LineCues { optional, level, years: years_of_experience(&folded) }
}

/// "min. 2 tahun pengalaman", "pengalaman minimal 3 thn", "3+ years of experience",
/// "1-2 tahun": the (lower) number of years, when the line speaks of experience.
fn years_of_experience(folded: &str) -> Option<f32> {
    let words: Vec<&str> = folded.split(' ').collect();
    let about_experience = words.iter().any(|w| {
        w.starts_with("pengalaman") || w.starts_with("berpengalaman") || w.starts_with("experience") || *w == "exp"
    });
    if !about_experience {
        return None;
    }
    for (i, w) in words.iter().enumerate() {
        let unit = words.get(i + 1).copied().unwrap_or("");
        let number = w.trim_end_matches('+');
        let (number, unit) = match number.find(|c: char| !c.is_ascii_digit() && c != '.') {
            // "2thn" folded stays one word
            Some(cut) if cut > 0 => (&number[..cut], &number[cut..]),
            _ => (number, unit),
        };
        let is_unit = matches!(unit, "tahun" | "thn" | "th" | "tahunan" | "years" | "year" | "yrs" | "yr");
        if is_unit {
            if let Ok(n) = number.parse::<f32>() {
                if n.is_finite() && (0.0..=50.0).contains(&n) {
                    return Some(n);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(header_kind("Kualifikasi:"), Some(SectionKind::Requirements));
        assert_eq!(header_kind("**PERSYARATAN**"), Some(SectionKind::Requirements));
        assert_eq!(header_kind("Benefit"), Some(SectionKind::Benefits));
        assert_eq!(header_kind("Tentang Perusahaan:"), Some(SectionKind::Company));
        assert_eq!(header_kind("Requirements & Skills:"), Some(SectionKind::Requirements));
        assert_eq!(header_kind("- Mampu bekerja dalam tim"), None);
        assert_eq!(header_kind("Kualifikasi pendidikan minimal SMK jurusan teknik mesin atau sederajat"), None);
    }

    #[test]
    fn cues() {
        let c = line_cues("- Min. 2 tahun pengalaman di bidang las, mahir SMAW");
        assert_eq!((c.optional, c.level, c.years), (false, Some(Level::Advanced), Some(2.0)));
        let c = line_cues("- Experience with Docker is a plus (3+ years)");
        assert!(c.optional);
        assert_eq!(c.years, Some(3.0));
        assert_eq!(line_cues("Bisa bahasa Jepang dasar diutamakan").level, Some(Level::Basic));
        assert_eq!(line_cues("Usia maks. 30 tahun").years, None);
    }
}

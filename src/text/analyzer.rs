//! The bilingual analyzer: tokens → normalised, stop-filtered, stemmed search keys.
//!
//! One [`Analyzer`] serves indexing, querying and extraction, so the three never disagree about
//! what a word becomes.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt;
use std::sync::Arc;

use frostem::{Algorithm, Stemmer};

use super::tokenize::{tokenize, RawKind};

const STOPWORDS_ID: &str = include_str!("../../data/text/stopwords-id.txt");
const STOPWORDS_EN: &str = include_str!("../../data/text/stopwords-en.txt");
const INFORMAL_ID: &str = include_str!("../../data/text/informal-id.tsv");
const ABBREVIATIONS_ID: &str = include_str!("../../data/text/abbreviations-id.tsv");
const PROTECTED_ID: &str = include_str!("../../data/text/protected-id.tsv");
const ROOTS_ID: &str = include_str!("../../data/text/roots-id.txt");

/// Frequent job-ad words that mark a line's language when stop words are scarce (section
/// headers such as "Kualifikasi:" or "Requirements:"). Authored for sepadan.
const MARKERS_ID: &[&str] = &[
    "kualifikasi",
    "persyaratan",
    "syarat",
    "tanggung",
    "jawab",
    "deskripsi",
    "pekerjaan",
    "pengalaman",
    "berpengalaman",
    "pendidikan",
    "lulusan",
    "minimal",
    "maksimal",
    "wajib",
    "diutamakan",
    "gaji",
    "tunjangan",
    "lowongan",
    "dibutuhkan",
    "karyawan",
    "perusahaan",
    "bekerja",
    "kerja",
    "pria",
    "wanita",
    "usia",
    "penempatan",
    "mampu",
    "jujur",
    "teliti",
    "rajin",
    "bersedia",
    "memiliki",
    "menguasai",
    "mahir",
    "tahun",
    "bidang",
    "tentang",
    "kami",
    "anda",
    "lamaran",
    "kirim",
    "segera",
    "tenaga",
    "staf",
    "keahlian",
    "kemampuan",
    "keterampilan",
    "sertifikat",
    "dan",
    "atau",
    "dengan",
    "untuk",
    "yang",
    "di",
    "ke",
    "dari",
];
const MARKERS_EN: &[&str] = &[
    "requirements",
    "requirement",
    "responsibilities",
    "responsibility",
    "qualifications",
    "qualification",
    "experience",
    "experienced",
    "degree",
    "skills",
    "skill",
    "knowledge",
    "ability",
    "able",
    "strong",
    "years",
    "year",
    "preferred",
    "plus",
    "salary",
    "benefits",
    "team",
    "work",
    "working",
    "job",
    "description",
    "about",
    "company",
    "apply",
    "candidate",
    "must",
    "minimum",
    "least",
    "good",
    "excellent",
    "familiar",
    "proficient",
];

/// One-syllable Indonesian roots that take the `menge-`/`penge-` prefixes (`mengelas`,
/// `pengecatan`), which Snowball Indonesian strips to `e…` (`elas`). Authored for sepadan.
const MONOSYLLABIC_ROOTS: &[&str] = &[
    "las", "cat", "bor", "pel", "cek", "lem", "rem", "sol", "tes", "cor", "pak", "bom", "lap", "sah", "tik", "dol",
    "pos", "cap", "klik", "stok", "tag", "kir",
];

/// `mengelas` → `las`, `pengecatan` → `cat`, `dicek` is left to Snowball (no `e`).
fn monosyllabic_root(w: &str) -> Option<&'static str> {
    let rest = w.strip_prefix("menge").or_else(|| w.strip_prefix("penge"))?;
    let core = ["kannya", "annya", "kan", "an", "i", "nya"]
        .iter()
        .find_map(|suffix| rest.strip_suffix(suffix).filter(|c| MONOSYLLABIC_ROOTS.contains(c)))
        .unwrap_or(rest);
    MONOSYLLABIC_ROOTS.iter().copied().find(|r| *r == core)
}

/// A language the analyzer distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

impl Lang {
    /// `"id"` or `"en"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

/// One analysed token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The search key (normalised, stemmed).
    pub text: String,
    /// Byte offset of the source span's start (on a char boundary).
    pub start: usize,
    /// Byte offset of the source span's end (on a char boundary, `> start`).
    pub end: usize,
    /// Position in the token stream (consecutive; removed stop words leave no gap, so
    /// "manage a team" and "manage team" have the same positions).
    pub position: u32,
    /// The language the token was stemmed as.
    pub lang: Lang,
}

/// A stretch of text (a line) and its detected language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset of the segment start.
    pub start: usize,
    /// Byte offset of the segment end.
    pub end: usize,
    /// Detected language.
    pub lang: Lang,
}

/// Which normalisation steps run. The default runs all of them; turning steps off is for
/// evaluation ("plain Snowball") and special fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnalyzerOptions {
    /// Expand informal spellings and job-ad abbreviations (`yg` → `yang`, `thn` → `tahun`).
    pub normalize_informal: bool,
    /// Drop Indonesian and English stop words.
    pub remove_stop_words: bool,
    /// Stem (Snowball Indonesian or English, by token language).
    pub stem: bool,
    /// Use the protected-terms list before stemming (`pengalaman` stays `pengalaman`).
    pub protected_terms: bool,
    /// Use the root lexicon to undo Indonesian affixes before Snowball (`menulis` → `tulis`,
    /// where Snowball alone gives `ulis`).
    pub root_lexicon: bool,
}

impl Default for AnalyzerOptions {
    fn default() -> AnalyzerOptions {
        AnalyzerOptions {
            normalize_informal: true,
            remove_stop_words: true,
            stem: true,
            protected_terms: true,
            root_lexicon: true,
        }
    }
}

struct Inner {
    options: AnalyzerOptions,
    informal: HashMap<String, String>,
    abbreviations: HashMap<String, Vec<String>>,
    stop_id: HashSet<String>,
    stop_en: HashSet<String>,
    protected: HashMap<String, String>,
    roots: HashSet<String>,
    vocab_id: HashSet<String>,
    vocab_en: HashSet<String>,
    stem_id: Stemmer,
    stem_en: Stemmer,
}

/// The bilingual Indonesian/English analyzer. Cheap to clone (shared data).
///
/// ```
/// let a = sepadan::Analyzer::new();
/// let keys: Vec<String> = a.analyze("Berpengalaman min. 2 thn di bidang pengelasan").into_iter().map(|t| t.text).collect();
/// // "thn" expands to "tahun", a stop word; "di" is one too.
/// assert_eq!(keys, ["pengalaman", "minimal", "2", "bidang", "las"]);
/// ```
#[derive(Clone)]
pub struct Analyzer {
    inner: Arc<Inner>,
}

impl fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Analyzer")
            .field("options", &self.inner.options)
            .field("protected_terms", &self.inner.protected.len())
            .field("vocabulary_id", &self.inner.vocab_id.len())
            .field("vocabulary_en", &self.inner.vocab_en.len())
            .finish()
    }
}

impl Default for Analyzer {
    fn default() -> Analyzer {
        Analyzer::new()
    }
}

/// Data lines of an embedded list: skips `#` comments and the header row when `header` is set.
fn data_lines(text: &str, header: bool) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).skip(usize::from(header))
}

fn word_set(text: &str) -> HashSet<String> {
    data_lines(text, false).map(|w| w.to_lowercase()).collect()
}

impl Analyzer {
    /// The default analyzer with all steps on.
    pub fn new() -> Analyzer {
        Analyzer::with_options(AnalyzerOptions::default())
    }

    /// An analyzer with the given steps.
    pub fn with_options(options: AnalyzerOptions) -> Analyzer {
        let informal = data_lines(INFORMAL_ID, true)
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
            .collect();
        let abbreviations = data_lines(ABBREVIATIONS_ID, true)
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let token = parts.next()?.trim().to_lowercase();
                let expansion: Vec<String> = parts.next()?.split_whitespace().map(str::to_lowercase).collect();
                (!token.is_empty() && !expansion.is_empty()).then_some((token, expansion))
            })
            .collect();
        let protected = data_lines(PROTECTED_ID, true)
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let term = parts.next()?.trim().to_lowercase();
                let key = parts.next()?.trim().to_lowercase();
                (!term.is_empty() && !key.is_empty()).then_some((term, key))
            })
            .collect();
        let stop_id = word_set(STOPWORDS_ID);
        let stop_en = word_set(STOPWORDS_EN);
        let vocab_id = stop_id.iter().cloned().chain(MARKERS_ID.iter().map(|w| w.to_string())).collect();
        let vocab_en = stop_en.iter().cloned().chain(MARKERS_EN.iter().map(|w| w.to_string())).collect();
        Analyzer {
            inner: Arc::new(Inner {
                options,
                informal,
                abbreviations,
                vocab_id,
                vocab_en,
                stop_id,
                stop_en,
                protected,
                roots: word_set(ROOTS_ID),
                stem_id: Stemmer::new(Algorithm::Indonesian),
                stem_en: Stemmer::new(Algorithm::English),
            }),
        }
    }

    /// Adds per-language vocabularies (e.g. the words of a taxonomy's English and Indonesian
    /// labels) that decide a token's language when it belongs to only one of them: "skills" in
    /// an Indonesian line is then stemmed as English. Build the analyzer once and share it.
    pub fn with_vocabulary<'w>(
        self,
        indonesian: impl IntoIterator<Item = &'w str>,
        english: impl IntoIterator<Item = &'w str>,
    ) -> Analyzer {
        let mut inner = match Arc::try_unwrap(self.inner) {
            Ok(inner) => inner,
            Err(shared) => Inner {
                options: shared.options,
                informal: shared.informal.clone(),
                abbreviations: shared.abbreviations.clone(),
                stop_id: shared.stop_id.clone(),
                stop_en: shared.stop_en.clone(),
                protected: shared.protected.clone(),
                roots: shared.roots.clone(),
                vocab_id: shared.vocab_id.clone(),
                vocab_en: shared.vocab_en.clone(),
                stem_id: shared.stem_id,
                stem_en: shared.stem_en,
            },
        };
        for text in indonesian {
            inner.vocab_id.extend(tokenize(text).into_iter().filter(|t| t.kind == RawKind::Word).map(|t| t.text));
        }
        for text in english {
            inner.vocab_en.extend(tokenize(text).into_iter().filter(|t| t.kind == RawKind::Word).map(|t| t.text));
        }
        Analyzer { inner: Arc::new(inner) }
    }

    /// The analyzer for a taxonomy: [`Analyzer::new`] with the words of its `id` and `en`
    /// labels as vocabularies.
    pub fn for_taxonomy(taxonomy: &crate::Taxonomy) -> Analyzer {
        let mut id = Vec::new();
        let mut en = Vec::new();
        for labels in taxonomy
            .skills()
            .map(|s| s.labels().collect::<Vec<_>>())
            .chain(taxonomy.occupations().map(|o| o.labels().collect()))
        {
            for l in labels {
                match l.lang {
                    "id" => id.push(l.text),
                    "en" => en.push(l.text),
                    _ => {}
                }
            }
        }
        Analyzer::new().with_vocabulary(id, en)
    }

    /// The options this analyzer runs with.
    pub fn options(&self) -> AnalyzerOptions {
        self.inner.options
    }

    /// Evidence that one folded word is Indonesian / English.
    fn word_evidence(&self, w: &str) -> (f32, f32) {
        let inner = &*self.inner;
        let (mut id, mut en) = (0.0f32, 0.0f32);
        if inner.stop_id.contains(w) {
            id += 1.0;
        }
        if inner.stop_en.contains(w) {
            en += 1.0;
        }
        match (inner.vocab_id.contains(w), inner.vocab_en.contains(w)) {
            (true, false) => id += 0.5,
            (false, true) => en += 0.5,
            _ => {}
        }
        let b = w.as_bytes();
        if b.len() > 6
            && (b.starts_with(b"me")
                || b.starts_with(b"ber")
                || b.starts_with(b"di")
                || b.starts_with(b"ter")
                || b.starts_with(b"pe"))
            && (b.ends_with(b"kan") || b.ends_with(b"an") || b.ends_with(b"nya"))
        {
            id += 0.5;
        }
        if b.len() > 5 && (b.ends_with(b"ing") || b.ends_with(b"tion") || b.ends_with(b"ed")) {
            en += 0.5;
        }
        (id, en)
    }

    fn decide(evidence: (f32, f32), fallback: Lang) -> Lang {
        let (id, en) = evidence;
        if en > id {
            Lang::En
        } else if id > en {
            Lang::Id
        } else {
            fallback
        }
    }

    /// Tokenises once and decides the language of every line (an undecided line takes the
    /// document's language; an undecided document is Indonesian, the platform's default).
    fn tokens_and_segments(&self, text: &str) -> (Vec<super::tokenize::RawToken>, Vec<Segment>, Vec<usize>) {
        let raw = tokenize(text);
        let mut segments = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            segments.push(Segment { start, end: start + line.len(), lang: Lang::Id });
            start += line.len();
        }
        let mut evidence = vec![(0.0f32, 0.0f32); segments.len()];
        let mut seg_of = Vec::with_capacity(raw.len());
        let mut doc = (0.0f32, 0.0f32);
        let mut si = 0;
        for t in &raw {
            while si + 1 < segments.len() && t.start >= segments[si].end {
                si += 1;
            }
            seg_of.push(si);
            if t.kind == RawKind::Word {
                let (id, en) = self.word_evidence(&t.text);
                evidence[si].0 += id;
                evidence[si].1 += en;
                doc.0 += id;
                doc.1 += en;
            }
        }
        let doc_lang = Self::decide(doc, Lang::Id);
        for (seg, ev) in segments.iter_mut().zip(&evidence) {
            seg.lang = Self::decide(*ev, doc_lang);
        }
        (raw, segments, seg_of)
    }

    /// The language of a whole text (Indonesian when undecided: the platform's default).
    pub fn detect_language(&self, text: &str) -> Lang {
        let mut doc = (0.0f32, 0.0f32);
        for t in tokenize(text).iter().filter(|t| t.kind == RawKind::Word) {
            let (id, en) = self.word_evidence(&t.text);
            doc.0 += id;
            doc.1 += en;
        }
        Self::decide(doc, Lang::Id)
    }

    /// The text's lines with their languages; an undecided line takes the document's language.
    pub fn segments(&self, text: &str) -> Vec<Segment> {
        self.tokens_and_segments(text).1
    }

    /// Analyses `text`, detecting the language per line.
    pub fn analyze(&self, text: &str) -> Vec<Token> {
        let (raw, segments, seg_of) = self.tokens_and_segments(text);
        let mut out = Vec::with_capacity(raw.len());
        let mut position = 0u32;
        for (t, si) in raw.into_iter().zip(seg_of) {
            let lang = segments.get(si).map_or(Lang::Id, |s| s.lang);
            self.push_token(t, 0, lang, &mut position, &mut out);
        }
        out
    }

    /// Analyses `text` as one language (for labels and queries whose language is known).
    pub fn analyze_as(&self, text: &str, lang: Lang) -> Vec<Token> {
        let mut out = Vec::new();
        let mut position = 0u32;
        self.analyze_segment(text, 0, lang, &mut position, &mut out);
        out
    }

    /// The search keys of one word (usually one; an abbreviation may expand to several; a stop
    /// word gives none).
    pub fn keys(&self, word: &str, lang: Lang) -> Vec<String> {
        self.analyze_as(word, lang).into_iter().map(|t| t.text).collect()
    }

    fn analyze_segment(&self, seg: &str, offset: usize, lang: Lang, position: &mut u32, out: &mut Vec<Token>) {
        for raw in tokenize(seg) {
            self.push_token(raw, offset, lang, position, out);
        }
    }

    fn push_token(
        &self,
        raw: super::tokenize::RawToken,
        offset: usize,
        lang: Lang,
        position: &mut u32,
        out: &mut Vec<Token>,
    ) {
        let inner = &*self.inner;
        let opts = inner.options;
        let (start, end) = (raw.start + offset, raw.end + offset);
        if raw.kind != RawKind::Word {
            out.push(Token { text: raw.text, start, end, position: *position, lang });
            *position += 1;
            return;
        }
        let mut word = raw.text;
        if opts.normalize_informal {
            if let Some(standard) = inner.informal.get(&word) {
                word = standard.clone();
            }
            if let Some(expansion) = inner.abbreviations.get(&word) {
                for w in expansion {
                    self.push_word(w.clone(), start, end, lang, position, out);
                }
                return;
            }
        }
        self.push_word(word, start, end, lang, position, out);
    }

    fn push_word(&self, w: String, start: usize, end: usize, lang: Lang, position: &mut u32, out: &mut Vec<Token>) {
        let inner = &*self.inner;
        if inner.options.remove_stop_words && (inner.stop_id.contains(&w) || inner.stop_en.contains(&w)) {
            return;
        }
        let token_lang = match (inner.vocab_id.contains(&w), inner.vocab_en.contains(&w)) {
            (true, false) => Lang::Id,
            (false, true) => Lang::En,
            _ => lang,
        };
        let key = self.stem_word(w, token_lang);
        if key.is_empty() {
            return;
        }
        out.push(Token { text: key, start, end, position: *position, lang: token_lang });
        *position += 1;
    }

    fn stem_word(&self, w: String, lang: Lang) -> String {
        let inner = &*self.inner;
        let opts = inner.options;
        if opts.protected_terms {
            if let Some(key) = inner.protected.get(&w) {
                return key.clone();
            }
            // Particles and possessives attach to protected words too (pengalamannya).
            if lang == Lang::Id {
                for suffix in ["nya", "lah", "kah", "pun", "ku", "mu"] {
                    if let Some(key) = w.strip_suffix(suffix).and_then(|base| inner.protected.get(base)) {
                        return key.clone();
                    }
                }
            }
        }
        // Tokens with digits or symbols (d3, k3, c++, node.js) are codes, not words.
        if !opts.stem || !w.chars().all(char::is_alphabetic) {
            return w;
        }
        if lang == Lang::Id {
            if let Some(root) = monosyllabic_root(&w) {
                return root.to_string();
            }
            if opts.root_lexicon {
                if let Some(root) = super::stem_id::dictionary_root(&w, &inner.roots) {
                    return root;
                }
            }
        }
        let stemmer = match lang {
            Lang::Id => &inner.stem_id,
            Lang::En => &inner.stem_en,
        };
        match stemmer.stem(&w) {
            std::borrow::Cow::Borrowed(_) => w,
            std::borrow::Cow::Owned(s) if s.is_empty() => w,
            std::borrow::Cow::Owned(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(a: &Analyzer, s: &str) -> Vec<String> {
        a.analyze(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn indonesian_and_english_lines() {
        let a = Analyzer::new();
        let text =
            "Kualifikasi:\n- Mampu mengoperasikan mesin jahit\nRequirements:\n- Experienced in managing warehouses";
        let segs = a.segments(text);
        assert_eq!(segs.iter().map(|s| s.lang).collect::<Vec<_>>(), [Lang::Id, Lang::Id, Lang::En, Lang::En]);
        let k = keys(&a, text);
        assert!(k.contains(&"jahit".to_string()), "{k:?}");
        assert!(k.contains(&"warehous".to_string()), "{k:?}");
        assert!(k.contains(&"manag".to_string()), "{k:?}");
    }

    #[test]
    fn informal_spellings_and_stop_words() {
        let a = Analyzer::new();
        assert_eq!(keys(&a, "yg gak bisa"), Vec::<String>::new());
        assert!(keys(&a, "IT support").contains(&"it".to_string()));
    }

    #[test]
    fn offsets_point_into_the_text() {
        let a = Analyzer::new();
        let s = "Pengalaman min. 2 thn sbg Admin/Kasir 😀 di Kab. Bekasi";
        for t in a.analyze(s) {
            assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end) && t.start < t.end && t.end <= s.len());
        }
        let positions: Vec<u32> = a.analyze(s).iter().map(|t| t.position).collect();
        assert!(positions.windows(2).all(|w| w[1] == w[0] + 1));
    }

    #[test]
    fn plain_options_skip_steps() {
        let plain = Analyzer::with_options(AnalyzerOptions { protected_terms: false, ..AnalyzerOptions::default() });
        let raw = Analyzer::with_options(AnalyzerOptions {
            normalize_informal: false,
            remove_stop_words: false,
            stem: false,
            protected_terms: false,
            root_lexicon: false,
        });
        assert_eq!(keys(&raw, "Yang Mengelas"), ["yang", "mengelas"]);
        assert_eq!(keys(&plain, "mengelas"), ["las"]);
    }
}

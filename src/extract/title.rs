//! Job-title normalisation: a posting or CV title ("Staff Admin Gudang", "Sr. Backend Engineer
//! (Golang)", "Operator Produksi Shift") → ranked ESCO occupations.
//!
//! Every occupation label (both languages, preferred, alternative and hidden) is analysed like
//! the title. A title is scored against each label sharing a term by weighted Jaccard overlap,
//! with inverse label frequency as weights, after dropping words that describe the job offer
//! rather than the occupation (seniority, shift, contract, "dibutuhkan"). When the posting's text
//! is given, the skills extracted from it add evidence for occupations that require them.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::taxonomy::{LabelKind, OccupationId, Taxonomy};
use crate::text::{Analyzer, Lang};

/// An occupation proposed for a title.
#[derive(Clone, Debug, PartialEq)]
pub struct OccupationMatch {
    /// The occupation.
    pub occupation: OccupationId,
    /// Score in `[0, 1]`; 1 for an exact label match without skill evidence against it.
    pub score: f32,
    /// The occupation label that matched best.
    pub label: String,
}

/// Words in titles that describe the offer, not the occupation. Authored for sepadan.
const NOISE: &[&str] = &[
    "staff",
    "staf",
    "sr",
    "senior",
    "jr",
    "junior",
    "trainee",
    "magang",
    "intern",
    "internship",
    "shift",
    "harian",
    "kontrak",
    "contract",
    "tetap",
    "freelance",
    "part",
    "time",
    "full",
    "parttime",
    "fulltime",
    "urgent",
    "segera",
    "dibutuhkan",
    "dicari",
    "lowongan",
    "loker",
    "hiring",
    "wanted",
    "vacancy",
    "posisi",
    "position",
    "i",
    "ii",
    "iii",
    "pt",
    "cv",
    "tbk",
    "area",
    "wilayah",
    "cabang",
    "branch",
    "penempatan",
    "new",
    "baru",
    "remote",
    "wfh",
    "hybrid",
];

struct LabelEntry {
    occupation: OccupationId,
    kind: LabelKind,
    text: String,
    terms: Vec<u32>,
    weight: f32,
}

pub(crate) struct TitleIndex {
    terms: FxHashMap<String, u32>,
    idf: Vec<f32>,
    labels: Vec<LabelEntry>,
    postings: Vec<Vec<u32>>,
    noise: FxHashSet<String>,
    /// Display label per occupation (by index), for matches found through skills alone.
    names: Vec<String>,
}

impl TitleIndex {
    pub(crate) fn build(taxonomy: &Taxonomy, analyzer: &Analyzer) -> TitleIndex {
        let mut idx = TitleIndex {
            terms: FxHashMap::default(),
            idf: Vec::new(),
            labels: Vec::new(),
            postings: Vec::new(),
            noise: FxHashSet::default(),
            names: taxonomy.occupations().map(|o| o.label("en").to_string()).collect(),
        };
        for w in NOISE {
            for lang in [Lang::Id, Lang::En] {
                idx.noise.extend(analyzer.keys(w, lang));
            }
        }
        for o in taxonomy.occupations() {
            for l in o.labels() {
                let own = if l.lang == "id" { Lang::Id } else { Lang::En };
                let other = if own == Lang::Id { Lang::En } else { Lang::Id };
                let mut seen: Vec<Vec<u32>> = Vec::new();
                for lang in [own, other] {
                    let mut ids: Vec<u32> = analyzer.keys(l.text, lang).iter().map(|k| idx.term(k)).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    if ids.is_empty() || seen.contains(&ids) {
                        continue;
                    }
                    seen.push(ids.clone());
                    let li = idx.labels.len() as u32;
                    for &t in &ids {
                        idx.postings[t as usize].push(li);
                    }
                    idx.labels.push(LabelEntry {
                        occupation: o.id(),
                        kind: l.kind,
                        text: l.text.to_string(),
                        terms: ids,
                        weight: 0.0,
                    });
                }
            }
        }
        let n = idx.labels.len().max(1) as f32;
        idx.idf = idx.postings.iter().map(|p| (1.0 + n / (1.0 + p.len() as f32)).ln()).collect();
        for l in &mut idx.labels {
            l.weight = l.terms.iter().map(|&t| idx.idf[t as usize]).sum();
        }
        idx
    }

    fn term(&mut self, key: &str) -> u32 {
        if let Some(&t) = self.terms.get(key) {
            return t;
        }
        let t = self.terms.len() as u32;
        self.terms.insert(key.to_string(), t);
        self.postings.push(Vec::new());
        t
    }

    /// Title-only scores: occupation → (score, best label index).
    pub(crate) fn score_title(&self, analyzer: &Analyzer, title: &str) -> FxHashMap<OccupationId, (f32, u32)> {
        let mut q: Vec<u32> = analyzer
            .analyze(title)
            .into_iter()
            .filter(|t| !self.noise.contains(&t.text))
            .filter_map(|t| self.terms.get(&t.text).copied())
            .collect();
        q.sort_unstable();
        q.dedup();
        let q_weight: f32 = q.iter().map(|&t| self.idf[t as usize]).sum();
        let mut overlap: FxHashMap<u32, f32> = FxHashMap::default();
        for &t in &q {
            for &li in &self.postings[t as usize] {
                *overlap.entry(li).or_default() += self.idf[t as usize];
            }
        }
        let mut best: FxHashMap<OccupationId, (f32, u32)> = FxHashMap::default();
        for (li, inter) in overlap {
            let l = &self.labels[li as usize];
            let union = q_weight + l.weight - inter;
            if union <= 0.0 {
                continue;
            }
            let kind_factor = match l.kind {
                LabelKind::Preferred => 1.0,
                LabelKind::Alternative => 0.97,
                LabelKind::Hidden => 0.9,
            };
            let s = (inter / union) * kind_factor;
            let e = best.entry(l.occupation).or_insert((0.0, li));
            if s > e.0 || (s == e.0 && li < e.1) {
                *e = (s, li);
            }
        }
        best
    }

    pub(crate) fn name(&self, o: OccupationId) -> &str {
        self.names.get(o.index()).map_or("", String::as_str)
    }

    pub(crate) fn label_text(&self, li: u32) -> &str {
        self.labels.get(li as usize).map_or("", |l| l.text.as_str())
    }
}

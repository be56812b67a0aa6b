//! Extraction quality: the authored Indonesian set (tests/data/extraction_id.jsonl) and the
//! SkillSpan English training split (../shared), against a plain exact-label-match baseline.
//! Shared by `examples/extraction_eval.rs` and the test `extraction_quality`.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};
use sepadan::{DocumentKind, ExtractOptions, Extractor, SkillId, Taxonomy};

/// Precision, recall and F1 from counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name:44} P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

/// The baseline: every label of every skill (both languages), lowercased, found as a whole
/// word sequence in the lowercased text, leftmost-longest, no analysis.
pub struct ExactLabels {
    ac: AhoCorasick,
    skills: Vec<SkillId>,
}

impl ExactLabels {
    pub fn new(t: &Taxonomy) -> ExactLabels {
        let mut patterns = Vec::new();
        let mut skills = Vec::new();
        for s in t.skills() {
            for l in s.labels() {
                let p = l.text.trim().to_lowercase();
                if p.chars().count() >= 2 {
                    patterns.push(p);
                    skills.push(s.id());
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .unwrap_or_else(|e| panic!("automaton: {e}"));
        ExactLabels { ac, skills }
    }

    /// (skill, start, end) of each whole-word match.
    pub fn find(&self, text: &str) -> Vec<(SkillId, usize, usize)> {
        let lower = text.to_lowercase();
        if lower.len() != text.len() {
            return Vec::new(); // offsets would not map back; rare (non-ASCII case changes)
        }
        let b = lower.as_bytes();
        self.ac
            .find_iter(&lower)
            .filter(|m| {
                let before = m.start() == 0 || !(b[m.start() - 1] as char).is_alphanumeric();
                let after = m.end() == b.len() || !(b[m.end()] as char).is_alphanumeric();
                before && after
            })
            .map(|m| (self.skills[m.pattern().as_usize()], m.start(), m.end()))
            .collect()
    }
}

/// One Indonesian gold line.
pub struct GoldLine {
    pub text: String,
    pub skills: Vec<(String, bool)>,
}

pub fn indonesian_set() -> Vec<GoldLine> {
    include_str!("../data/extraction_id.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            GoldLine {
                text: v["text"].as_str().unwrap_or_default().to_string(),
                skills: v["skills"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|s| {
                                (
                                    s["skill"].as_str().unwrap_or_default().to_string(),
                                    s["required"].as_bool().unwrap_or(true),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Whether two skills are neighbours in the taxonomy: the same, one broader than the other, a
/// shared broader concept, or an ESCO skill–skill relation.
pub fn neighbours(t: &Taxonomy, a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (Some(x), Some(y)) = (t.skill_by_uri(a), t.skill_by_uri(b)) else { return false };
    let (Some(sx), Some(sy)) = (t.skill(x), t.skill(y)) else { return false };
    sx.broader().contains(&y)
        || sy.broader().contains(&x)
        || sx.broader().iter().any(|p| sy.broader().contains(p))
        || sx.related().iter().any(|(r, _)| *r == y)
        || sy.related().iter().any(|(r, _)| *r == x)
}

/// Like the strict score, but a prediction that is a taxonomy neighbour of a gold skill counts
/// as correct, and a gold skill is found when a neighbour of it was predicted.
pub fn score_indonesian_related(t: &Taxonomy, ex: &Extractor, base: &ExactLabels) -> (Prf, Prf) {
    let (mut ours, mut theirs) = (Prf::default(), Prf::default());
    for line in indonesian_set() {
        let gold: Vec<&str> = line.skills.iter().map(|(u, _)| u.as_str()).collect();
        let got =
            ex.extract_with(&line.text, ExtractOptions { kind: DocumentKind::Posting, ..ExtractOptions::default() });
        let pred: Vec<&str> = got.mentions.iter().filter_map(|m| t.skill(m.skill)).map(|s| s.uri()).collect();
        count_related(t, &mut ours, &gold, &pred);
        let mut pred: Vec<&str> =
            base.find(&line.text).iter().filter_map(|(s, _, _)| t.skill(*s)).map(|s| s.uri()).collect();
        pred.sort();
        pred.dedup();
        count_related(t, &mut theirs, &gold, &pred);
    }
    (ours, theirs)
}

fn count_related(t: &Taxonomy, prf: &mut Prf, gold: &[&str], pred: &[&str]) {
    prf.tp += pred.iter().filter(|p| gold.iter().any(|g| neighbours(t, p, g))).count();
    prf.fp += pred.iter().filter(|p| !gold.iter().any(|g| neighbours(t, p, g))).count();
    prf.fn_ += gold.iter().filter(|g| !pred.iter().any(|p| neighbours(t, p, g))).count();
}

/// Skill-level P/R/F1 over (line, skill) pairs, for sepadan and the baseline, and how often
/// sepadan's required/optional agrees with the gold on its true positives.
pub fn score_indonesian(
    t: &Taxonomy,
    ex: &Extractor,
    base: &ExactLabels,
    min_confidence: f32,
) -> (Prf, Prf, (usize, usize)) {
    let (mut ours, mut theirs) = (Prf::default(), Prf::default());
    let (mut req_ok, mut req_n) = (0, 0);
    for line in indonesian_set() {
        let gold: HashSet<&str> = line.skills.iter().map(|(u, _)| u.as_str()).collect();
        let got = ex.extract_with(
            &line.text,
            ExtractOptions { kind: DocumentKind::Posting, occupation: None, min_confidence, lang: None },
        );
        let pred: HashSet<&str> = got.mentions.iter().filter_map(|m| t.skill(m.skill)).map(|s| s.uri()).collect();
        count(&mut ours, &gold, &pred);
        for m in &got.mentions {
            let uri = t.skill(m.skill).map(|s| s.uri()).unwrap_or_default();
            if let Some((_, required)) = line.skills.iter().find(|(u, _)| u == uri) {
                req_n += 1;
                req_ok += usize::from(m.required == Some(*required));
            }
        }
        let pred: HashSet<&str> =
            base.find(&line.text).iter().filter_map(|(s, _, _)| t.skill(*s)).map(|s| s.uri()).collect();
        count(&mut theirs, &gold, &pred);
    }
    (ours, theirs, (req_ok, req_n))
}

fn count(prf: &mut Prf, gold: &HashSet<&str>, pred: &HashSet<&str>) {
    prf.tp += gold.intersection(pred).count();
    prf.fp += pred.difference(gold).count();
    prf.fn_ += gold.difference(pred).count();
}

/// A SkillSpan sentence: its text and gold spans.
pub type Sentence = (String, Vec<(usize, usize)>);

/// SkillSpan sentences: text (tokens joined by spaces) and gold spans (byte ranges) of skill
/// and knowledge spans.
pub fn skillspan(path: &std::path::Path) -> Option<Vec<Sentence>> {
    let data = std::fs::read_to_string(path).ok()?;
    let mut out = Vec::new();
    for l in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l).ok()?;
        let tokens: Vec<&str> = v["tokens"].as_array()?.iter().filter_map(|t| t.as_str()).collect();
        let mut text = String::new();
        let mut offsets = Vec::new();
        for tok in &tokens {
            if !text.is_empty() {
                text.push(' ');
            }
            offsets.push((text.len(), text.len() + tok.len()));
            text.push_str(tok);
        }
        let mut spans = Vec::new();
        for key in ["tags_skill", "tags_knowledge"] {
            let tags: Vec<&str> = v[key].as_array()?.iter().filter_map(|t| t.as_str()).collect();
            let mut open: Option<(usize, usize)> = None;
            for (i, tag) in tags.iter().enumerate() {
                match *tag {
                    "B" => {
                        if let Some(s) = open.take() {
                            spans.push(s);
                        }
                        open = Some(offsets[i]);
                    }
                    "I" => {
                        if let Some(s) = open.as_mut() {
                            s.1 = offsets[i].1;
                        } else {
                            open = Some(offsets[i]);
                        }
                    }
                    _ => {
                        if let Some(s) = open.take() {
                            spans.push(s);
                        }
                    }
                }
            }
            if let Some(s) = open.take() {
                spans.push(s);
            }
        }
        out.push((text, spans));
    }
    Some(out)
}

/// Span-level scores on SkillSpan: exact span match, and overlap match (a predicted span
/// counts when it overlaps a gold span; a gold span is found when some prediction overlaps it).
pub fn score_skillspan(sentences: &[Sentence], predict: impl Fn(&str) -> Vec<(usize, usize)>) -> (Prf, Prf) {
    let (mut exact, mut overlap) = (Prf::default(), Prf::default());
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    for (text, gold) in sentences {
        let pred = predict(text);
        let g: HashSet<(usize, usize)> = gold.iter().copied().collect();
        let p: HashSet<(usize, usize)> = pred.iter().copied().collect();
        exact.tp += g.intersection(&p).count();
        exact.fp += p.difference(&g).count();
        exact.fn_ += g.difference(&p).count();
        overlap.tp += pred.iter().filter(|&&s| gold.iter().any(|&t| overlaps(s, t))).count();
        overlap.fp += pred.iter().filter(|&&s| !gold.iter().any(|&t| overlaps(s, t))).count();
        overlap.fn_ += gold.iter().filter(|&&t| !pred.iter().any(|&s| overlaps(s, t))).count();
    }
    (exact, overlap)
}

/// Title normalisation on the sample market: each posting's title (optionally with its text)
/// against the occupation its author assigned. Returns (MRR@10, precision@1, postings).
pub fn score_titles(t: &Taxonomy, ex: &Extractor, with_text: bool) -> (f64, f64, usize) {
    let m = sepadan::Market::sample(t).unwrap_or_else(|e| panic!("{e}"));
    let (mut rr, mut p1, mut n) = (0.0, 0.0, 0);
    for p in m.postings.iter().filter(|p| p.occupation.is_some()) {
        let gold = p.occupation;
        let ranked = ex.occupations_for_title(&p.title, with_text.then_some(p.description.as_str()), 10);
        n += 1;
        if let Some(pos) = ranked.iter().position(|r| Some(r.occupation) == gold) {
            rr += 1.0 / (pos + 1) as f64;
            p1 += f64::from(u8::from(pos == 0));
        }
    }
    (rr / n.max(1) as f64, p1 / n.max(1) as f64, n)
}

/// The title baseline: unweighted Jaccard between the folded words of the title and of each
/// occupation label (both languages), best label per occupation, no analysis.
pub fn score_titles_baseline(t: &Taxonomy) -> (f64, f64, usize) {
    let labels: Vec<(sepadan::OccupationId, HashSet<String>)> = t
        .occupations()
        .flat_map(|o| {
            o.labels()
                .map(|l| (o.id(), sepadan::fold(l.text).split(' ').map(str::to_string).collect::<HashSet<_>>()))
                .collect::<Vec<_>>()
        })
        .collect();
    let m = sepadan::Market::sample(t).unwrap_or_else(|e| panic!("{e}"));
    let (mut rr, mut p1, mut n) = (0.0, 0.0, 0);
    for p in m.postings.iter().filter(|p| p.occupation.is_some()) {
        let q: HashSet<String> = sepadan::fold(&p.title).split(' ').map(str::to_string).collect();
        let mut best: std::collections::HashMap<sepadan::OccupationId, f64> = std::collections::HashMap::new();
        for (o, l) in &labels {
            let inter = q.intersection(l).count() as f64;
            if inter > 0.0 {
                let s = inter / (q.len() + l.len()) as f64 * 2.0;
                let e = best.entry(*o).or_insert(0.0);
                if s > *e {
                    *e = s;
                }
            }
        }
        let mut ranked: Vec<(sepadan::OccupationId, f64)> = best.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        n += 1;
        if let Some(pos) = ranked.iter().take(10).position(|r| Some(r.0) == p.occupation) {
            rr += 1.0 / (pos + 1) as f64;
            p1 += f64::from(u8::from(pos == 0));
        }
    }
    (rr / n.max(1) as f64, p1 / n.max(1) as f64, n)
}

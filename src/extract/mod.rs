//! Skill extraction from postings, course descriptions and CVs, in Indonesian and English.
//!
//! Every skill label of the taxonomy (preferred, alternative and hidden, English and
//! Indonesian) is analysed with the same [`Analyzer`] as the text and stored in a trie over
//! analysed terms. Matching walks the text's terms, so inflection is absorbed by the analyzer
//! ("pengelasan" and "mengelas" meet), a label can never fire inside a longer word ("Java" in
//! "JavaScript" is a different term), and the longest match wins. Two-word labels are also
//! indexed in reverse order ("team management" / "manage a team").
//!
//! Postings are read section by section: skills come from requirement and duty sections (and
//! from text before any section header), never from benefits or the company blurb. Each line's
//! cues set whether a skill is required ("wajib", "must") or a plus ("diutamakan", "nilai
//! plus", "preferred"), the level ("mahir", "familiar") and the years of experience.

mod facts;
mod sections;
mod title;

pub use facts::{FlagKind, FlaggedRequirement, PostingFacts};
pub use title::OccupationMatch;

use std::fmt;

use rustc_hash::FxHashMap;

use crate::model::Level;
use crate::taxonomy::{LabelKind, OccupationId, SkillId, SkillKind, Taxonomy};
use crate::text::{Analyzer, Lang};
use sections::{line_cues, Section, SectionKind};

/// Longest text extracted from, in bytes; longer input is cut at a char boundary and the result
/// says so. 1 MiB is far beyond any posting or CV and keeps time and memory bounded.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// What kind of document a text is; postings get section and cue handling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DocumentKind {
    /// A job posting: sections, required/optional cues.
    #[default]
    Posting,
    /// A course description: what it teaches.
    Course,
    /// A CV or profile summary: what the person claims.
    Profile,
}

/// One skill found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillMention {
    /// The skill.
    pub skill: SkillId,
    /// Byte offset of the matched span in the input.
    pub start: usize,
    /// Byte end of the matched span.
    pub end: usize,
    /// The matched text as written.
    pub surface: String,
    /// Confidence in `(0, 1]`: lower for single-word and reversed-order matches, hidden
    /// (misspelling) labels, and ambiguous forms not settled by context.
    pub confidence: f32,
    /// Postings only: whether the posting requires the skill (`false` = a plus).
    pub required: Option<bool>,
    /// The level the line asks for or claims, if a cue says so.
    pub level: Option<Level>,
    /// Years of experience stated on the same line.
    pub experience_years: Option<f32>,
    /// For ambiguous forms: the other skills the form could mean.
    pub alternatives: Vec<SkillId>,
}

/// The result of [`Extractor::extract`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extraction {
    /// Mentions, one per skill (its best), in descending confidence then text order.
    pub mentions: Vec<SkillMention>,
    /// Whether the text was longer than [`MAX_TEXT_BYTES`] and only its start was read.
    pub truncated: bool,
}

/// Options for one extraction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExtractOptions {
    /// The kind of document.
    pub kind: DocumentKind,
    /// An occupation the document is about, used to settle ambiguous forms in favour of skills
    /// that occupation needs. For postings without one, the first line is read as the title
    /// and its best occupation is used when the title matches it clearly.
    pub occupation: Option<crate::OccupationId>,
    /// Mentions below this confidence are left out (default 0: everything is reported,
    /// ambiguous forms included; `docs/EVALUATION.md` gives precision/recall at 0 and 0.5).
    pub min_confidence: f32,
    /// Read the whole text as this language instead of detecting it per line (for callers who
    /// know it, e.g. a form field in a known language).
    pub lang: Option<Lang>,
}

#[derive(Clone, Copy, Debug)]
struct Candidate {
    skill: SkillId,
    kind: LabelKind,
    reversed: bool,
    /// Matched without the label's leading generic verb.
    stripped: bool,
    /// The label as written has capitals or digits (a name or code such as "PLC", "K3").
    distinctive: bool,
}

#[derive(Default)]
struct Node {
    /// Index into `groups` when a label ends here.
    group: Option<u32>,
}

/// The skill extractor for one taxonomy. Build once (≈ 0.5 s for ESCO in both languages) and
/// share: it is `Send + Sync` and extraction takes `&self`.
pub struct Extractor {
    analyzer: Analyzer,
    /// Tokenisation only (numbers and words as written), for structured facts.
    plain: Analyzer,
    titles: title::TitleIndex,
    terms: FxHashMap<String, u32>,
    edges: FxHashMap<(u32, u32), u32>,
    nodes: Vec<Node>,
    groups: Vec<Vec<Candidate>>,
    /// Per skill: the occupations requiring it (sorted), for context disambiguation.
    occupations: Vec<Box<[u32]>>,
    /// Per skill: direct broader concepts (sorted).
    parents: Vec<Box<[u32]>>,
    labels: usize,
    generic_single_terms: usize,
}

/// Leading verbs (as analysed keys, both languages) that ESCO labels put before the object and
/// texts usually leave out. A label is also indexed without them, at lower confidence.
const GENERIC_LEADING_VERBS: &[&str] =
    &["use", "appli", "apply", "perform", "carri", "util", "employ", "gunakan", "guna", "terap", "laku"];

/// Title similarity above which a posting's first line is taken as the occupation hint.
const TITLE_HINT_MIN: f32 = 0.6;

/// A one-word label whose word occurs in the labels of more skills than this is not matched on
/// its own (see `Extractor::with_analyzer`).
const GENERIC_TERM_SKILLS: u32 = 60;

impl fmt::Debug for Extractor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Extractor")
            .field("labels", &self.labels)
            .field("generic_one_word_labels_skipped", &self.generic_single_terms)
            .field("terms", &self.terms.len())
            .field("trie_nodes", &self.nodes.len())
            .finish()
    }
}

const NO_TERM: u32 = u32::MAX;

impl Extractor {
    /// Builds the extractor for `taxonomy` with the taxonomy-aware analyzer
    /// ([`Analyzer::for_taxonomy`]).
    pub fn new(taxonomy: &Taxonomy) -> Extractor {
        Extractor::with_analyzer(taxonomy, Analyzer::for_taxonomy(taxonomy))
    }

    /// Builds the extractor with a given analyzer (which must be the one used for indexing and
    /// querying, so the three agree).
    pub fn with_analyzer(taxonomy: &Taxonomy, analyzer: Analyzer) -> Extractor {
        let mut ex = Extractor {
            analyzer: analyzer.clone(),
            plain: Analyzer::with_options(crate::text::AnalyzerOptions {
                normalize_informal: false,
                remove_stop_words: false,
                stem: false,
                protected_terms: false,
                root_lexicon: false,
            }),
            terms: FxHashMap::default(),
            edges: FxHashMap::default(),
            nodes: vec![Node::default()],
            groups: Vec::new(),
            occupations: Vec::with_capacity(taxonomy.skill_table_len()),
            parents: Vec::with_capacity(taxonomy.skill_table_len()),
            labels: 0,
            generic_single_terms: 0,
            titles: title::TitleIndex::build(taxonomy, &analyzer),
        };
        for i in 0..taxonomy.skill_table_len() {
            let id = SkillId::from_index(i);
            let (occ, par) = match taxonomy.skill(id) {
                Some(s) => {
                    let mut o: Vec<u32> = s.required_by().iter().map(|(o, _)| o.index() as u32).collect();
                    o.sort_unstable();
                    o.dedup();
                    let p: Vec<u32> = s.broader().iter().map(|p| p.index() as u32).collect();
                    (o.into_boxed_slice(), p.into_boxed_slice())
                }
                None => (Box::default(), Box::default()),
            };
            ex.occupations.push(occ);
            ex.parents.push(par);
        }
        // Analyse every label once; count in how many skills' labels each term occurs.
        let mut analysed: Vec<(SkillId, LabelKind, Vec<u32>, bool, bool, bool)> = Vec::new();
        let mut skills_with_term: Vec<u32> = Vec::new();
        for skill in taxonomy.skills() {
            debug_assert_eq!(skill.kind(), SkillKind::Skill);
            let mut seen: Vec<u32> = Vec::new();
            for label in skill.labels() {
                // Enumerations ("HTML, CSS, JavaScript") name several skills; their parts are
                // labels of their own and should match one by one.
                if label.text.contains([',', '/', ';']) {
                    continue;
                }
                // Both analyses of every label: a text line detected as the other language
                // stems the same word the other way ("devops" / "devop").
                let own = if label.lang == "id" { Lang::Id } else { Lang::En };
                let other = if own == Lang::Id { Lang::En } else { Lang::Id };
                let mut variants: Vec<(Vec<u32>, bool)> = Vec::new();
                for lang in [own, other] {
                    let keys: Vec<String> =
                        ex.analyzer.analyze_as(label.text, lang).into_iter().map(|t| t.text).collect();
                    if keys.is_empty() || (keys.len() == 1 && keys[0].chars().count() < 2) {
                        continue;
                    }
                    let ids: Vec<u32> = keys.iter().map(|k| ex.term_id(k)).collect();
                    // ESCO names skills with a leading generic verb ("use functional
                    // programming", "menerapkan K3"); texts often name just the object.
                    let lead = keys[0].as_str();
                    if ids.len() >= 2 && GENERIC_LEADING_VERBS.contains(&lead) {
                        variants.push((ids[1..].to_vec(), true));
                    }
                    variants.push((ids, false));
                }
                variants.sort();
                variants.dedup_by(|a, b| a.0 == b.0);
                let distinctive = label.text.chars().any(|c| c.is_uppercase() || c.is_ascii_digit());
                for (ids, stripped) in variants {
                    seen.extend_from_slice(&ids);
                    analysed.push((skill.id(), label.kind, ids, stripped, distinctive, label.lang == "en"));
                }
            }
            seen.sort_unstable();
            seen.dedup();
            skills_with_term.resize(ex.terms.len(), 0);
            for t in seen {
                skills_with_term[t as usize] += 1;
            }
        }
        for (skill, kind, ids, stripped, distinctive, english) in analysed {
            // A one-word label made of a word that many skills' labels use ("mesin", "listrik",
            // "customer") names a field, not a skill: matching it alone is mostly wrong.
            if ids.len() == 1
                && kind != LabelKind::Preferred
                && skills_with_term.get(ids[0] as usize).is_some_and(|&n| n > GENERIC_TERM_SKILLS)
            {
                ex.generic_single_terms += 1;
                continue;
            }
            {
                let label_kind = kind;
                ex.insert(&ids, Candidate { skill, kind: label_kind, reversed: false, stripped, distinctive });
                // English compounds reorder ("manage team" / "team management"); Indonesian
                // noun phrases do not ("mesin cuci" is a washing machine, "cuci mesin" is
                // washing an engine).
                if english && ids.len() == 2 && ids[0] != ids[1] {
                    let rev = [ids[1], ids[0]];
                    ex.insert(&rev, Candidate { skill, kind: label_kind, reversed: true, stripped, distinctive });
                }
                ex.labels += 1;
            }
        }
        ex
    }

    fn term_id(&mut self, key: &str) -> u32 {
        let next = self.terms.len() as u32;
        *self.terms.entry(key.to_string()).or_insert(next)
    }

    fn insert(&mut self, ids: &[u32], c: Candidate) {
        let mut node = 0u32;
        for &t in ids {
            node = match self.edges.get(&(node, t)) {
                Some(&n) => n,
                None => {
                    self.nodes.push(Node::default());
                    let n = (self.nodes.len() - 1) as u32;
                    self.edges.insert((node, t), n);
                    n
                }
            };
        }
        let n = &mut self.nodes[node as usize];
        let g = match n.group {
            Some(g) => g as usize,
            None => {
                self.groups.push(Vec::new());
                n.group = Some((self.groups.len() - 1) as u32);
                self.groups.len() - 1
            }
        };
        let group = &mut self.groups[g];
        match group.iter_mut().find(|x| x.skill == c.skill) {
            // Keep the strongest label kind and prefer the natural order.
            Some(x) => {
                if (c.kind, c.reversed, c.stripped, !c.distinctive) < (x.kind, x.reversed, x.stripped, !x.distinctive) {
                    *x = c;
                }
            }
            None => group.push(c),
        }
    }

    /// The analyzer this extractor matches with.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Reads the structured facts of a posting's text: minimum education, years of experience,
    /// salary range, places, and flagged (discriminatory) requirements. Input beyond
    /// [`MAX_TEXT_BYTES`] is ignored.
    pub fn facts(&self, text: &str) -> PostingFacts {
        let (text, _) = cap(text);
        facts::posting_facts(text, |line| self.plain.analyze(line).into_iter().map(|t| t.text).collect())
    }

    /// Ranks occupations for a job title (a posting's or a CV's), best first, at most `top`.
    /// With the posting's text, the skills extracted from it count as evidence: the final
    /// score is ¾ title similarity and ¼ the share of the text's skills the occupation
    /// requires (essential or optional), so "Staff Admin" with a warehouse text leans to
    /// warehouse clerk.
    pub fn occupations_for_title(&self, title: &str, text: Option<&str>, top: usize) -> Vec<OccupationMatch> {
        let (title, _) = cap(title);
        // Titles pack several names into one line ("Welder MIG/MAG (Kontrak Proyek Kapal)",
        // "Pramuniaga / Sales Assistant"): score the whole and each part, keep the best.
        let mut title_scores = self.titles.score_title(&self.analyzer, title);
        let parts: Vec<&str> =
            title.split(['/', '(', ')', '|', ',', '–', '[', ']']).map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            for part in parts {
                for (o, (score, li)) in self.titles.score_title(&self.analyzer, part) {
                    let score = 0.95 * score;
                    let e = title_scores.entry(o).or_insert((0.0, li));
                    if score > e.0 {
                        *e = (score, li);
                    }
                }
            }
        }
        let mut skill_votes: FxHashMap<u32, f32> = FxHashMap::default();
        let mut vote_total = 0.0f32;
        if let Some(text) = text {
            let options = ExtractOptions { kind: DocumentKind::Posting, ..ExtractOptions::default() };
            for m in self.extract_with(text, options).mentions {
                vote_total += m.confidence;
                for &o in self.occupations.get(m.skill.index()).map_or(&[][..], |v| &v[..]) {
                    *skill_votes.entry(o).or_default() += m.confidence;
                }
            }
        }
        let mut candidates: FxHashMap<OccupationId, (f32, Option<u32>)> =
            title_scores.iter().map(|(&o, &(s, li))| (o, (s, Some(li)))).collect();
        if vote_total > 0.0 {
            let mut by_votes: Vec<(u32, f32)> = skill_votes.iter().map(|(&o, &v)| (o, v)).collect();
            by_votes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for &(o, _) in by_votes.iter().take(30) {
                candidates.entry(OccupationId::from_index(o as usize)).or_insert((0.0, None));
            }
        }
        let mut out: Vec<OccupationMatch> = candidates
            .into_iter()
            .map(|(o, (title_score, li))| {
                let score = if vote_total > 0.0 {
                    let skills = skill_votes.get(&(o.index() as u32)).copied().unwrap_or(0.0) / vote_total;
                    0.75 * title_score + 0.25 * skills.min(1.0)
                } else {
                    title_score
                };
                let label = match li {
                    Some(li) => self.titles.label_text(li).to_string(),
                    None => self.titles.name(o).to_string(),
                };
                OccupationMatch { occupation: o, score, label }
            })
            .filter(|m| m.score > 0.0)
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.occupation.cmp(&b.occupation)));
        out.truncate(top);
        out
    }

    /// [`Extractor::occupations_for_title`] for many `(title, text)` pairs, in parallel.
    pub fn occupations_for_titles(&self, items: &[(&str, Option<&str>)], top: usize) -> Vec<Vec<OccupationMatch>> {
        use rayon::prelude::*;
        items.par_iter().map(|(title, text)| self.occupations_for_title(title, *text, top)).collect()
    }

    /// Extracts skills from a posting (the default [`ExtractOptions`]).
    pub fn extract(&self, text: &str) -> Extraction {
        self.extract_with(text, ExtractOptions::default())
    }

    /// Extracts skills with options.
    pub fn extract_with(&self, text: &str, options: ExtractOptions) -> Extraction {
        let (text, truncated) = cap(text);
        let tokens = match options.lang {
            Some(lang) => self.analyzer.analyze_as(text, lang),
            None => self.analyzer.analyze(text),
        };
        let ids: Vec<u32> = tokens.iter().map(|t| self.terms.get(&t.text).copied().unwrap_or(NO_TERM)).collect();

        // The longest label match starting at each token.
        let mut found: Vec<(usize, usize, u32)> = Vec::new(); // (first token, token count, group)
        for i in 0..ids.len() {
            let mut node = 0u32;
            let mut best = None;
            for (j, &t) in ids[i..].iter().enumerate() {
                match self.edges.get(&(node, t)) {
                    Some(&n) => {
                        node = n;
                        if let Some(g) = self.nodes[n as usize].group {
                            best = Some((j + 1, g));
                        }
                    }
                    None => break,
                }
            }
            if let Some((len, g)) = best {
                found.push((i, len, g));
            }
        }
        // Longest first, then leftmost; accept matches that do not overlap accepted ones.
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut taken = vec![false; ids.len()];
        let mut accepted: Vec<(usize, usize, u32)> = Vec::new();
        for (i, len, g) in found {
            if taken[i..i + len].iter().any(|&t| t) {
                continue;
            }
            taken[i..i + len].iter_mut().for_each(|t| *t = true);
            accepted.push((i, len, g));
        }
        accepted.sort_by_key(|a| a.0);

        let sections = sections::split(text);
        // Line starts, for the cues of a mention's line (computed once per line).
        let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let mut cue_cache: FxHashMap<usize, sections::LineCues> = FxHashMap::default();
        let mut raw: Vec<(SkillMention, Vec<Candidate>)> = Vec::new();
        for (i, len, g) in accepted {
            let start = tokens[i].start;
            let end = tokens[i + len - 1].end;
            let section = sections.iter().find(|s| s.start <= start && start < s.end).copied().unwrap_or(Section {
                start: 0,
                body: 0,
                end: text.len(),
                kind: SectionKind::Preamble,
            });
            // A header line ("Tanggung Jawab:") names a section, not a skill.
            if start < section.body {
                continue;
            }
            if options.kind == DocumentKind::Posting && !section.kind.yields_skills() {
                continue;
            }
            let line = line_starts.partition_point(|&ls| ls <= start).saturating_sub(1);
            let cues = *cue_cache.entry(line).or_insert_with(|| {
                let from = line_starts[line];
                let to = line_starts.get(line + 1).map_or(text.len(), |&next| next);
                line_cues(&text[from..to])
            });
            let candidates = &self.groups[g as usize];
            let first = candidates[0];
            let mut confidence = match first.kind {
                LabelKind::Preferred => 0.95,
                LabelKind::Alternative => 0.9,
                LabelKind::Hidden => 0.75,
            };
            if len == 1 {
                // One word: strong only when the label is a name or code (PLC, SQL, AutoCAD)
                // or the concept's preferred name; a lowercase alternative ("standing",
                // "list") is weak evidence.
                confidence *= if first.kind == LabelKind::Preferred || first.distinctive { 0.75 } else { 0.45 };
            }
            if first.reversed {
                confidence *= 0.85;
            }
            if first.stripped {
                confidence *= 0.85;
            }
            let required = match options.kind {
                DocumentKind::Posting => Some(!(cues.optional || section.kind == SectionKind::NiceToHave)),
                _ => None,
            };
            let mention = SkillMention {
                skill: first.skill,
                start,
                end,
                surface: text[start..end].to_string(),
                confidence,
                required,
                level: cues.level,
                experience_years: cues.years,
                alternatives: Vec::new(),
            };
            raw.push((mention, candidates.clone()));
        }
        // Without a hint, a posting's first line is usually its title: the occupation it
        // names (when the match is clear) settles ambiguous forms.
        let hint = options.occupation.or_else(|| {
            if options.kind != DocumentKind::Posting || !raw.iter().any(|(_, c)| c.len() > 1) {
                return None;
            }
            let first_line = text.lines().find(|l| !l.trim().is_empty())?;
            if first_line.len() > 120 {
                return None;
            }
            self.occupations_for_title(first_line, None, 1)
                .into_iter()
                .find(|m| m.score >= TITLE_HINT_MIN)
                .map(|m| m.occupation)
        });
        let mut mentions = self.disambiguate(raw, hint);
        mentions.retain(|m| m.confidence >= options.min_confidence);
        Extraction { mentions, truncated }
    }

    /// Settles ambiguous forms from context: the unambiguous skills of the document and the
    /// occupation hint. A candidate earns a point for each context skill it shares an occupation
    /// or a parent with, and two for being required by the hinted occupation; a unique best
    /// wins. Unsettled forms keep the candidate linked to the most occupations, with confidence
    /// divided by the number of candidates and the others listed.
    fn disambiguate(
        &self,
        raw: Vec<(SkillMention, Vec<Candidate>)>,
        hint: Option<crate::OccupationId>,
    ) -> Vec<SkillMention> {
        let context: Vec<SkillId> = raw.iter().filter(|(_, c)| c.len() == 1).map(|(m, _)| m.skill).collect();
        let related = |a: SkillId, b: SkillId| -> bool {
            let (oa, ob) = (&self.occupations[a.index()], &self.occupations[b.index()]);
            let shares_occ = {
                let (mut i, mut j) = (0, 0);
                let mut hit = false;
                while i < oa.len() && j < ob.len() {
                    match oa[i].cmp(&ob[j]) {
                        std::cmp::Ordering::Less => i += 1,
                        std::cmp::Ordering::Greater => j += 1,
                        std::cmp::Ordering::Equal => {
                            hit = true;
                            break;
                        }
                    }
                }
                hit
            };
            shares_occ || self.parents[a.index()].iter().any(|p| self.parents[b.index()].contains(p))
        };
        let mut out: Vec<SkillMention> = Vec::with_capacity(raw.len());
        for (mut m, candidates) in raw {
            // A form that is the preferred label of exactly one candidate names that one, as in
            // `Taxonomy::resolve_skill` ("SQL" is the skill SQL, not every skill listing it).
            let preferred: Vec<SkillId> =
                candidates.iter().filter(|c| c.kind == LabelKind::Preferred && !c.stripped).map(|c| c.skill).collect();
            let candidates: Vec<SkillId> = if preferred.len() == 1 {
                m.skill = preferred[0];
                m.alternatives = candidates.iter().map(|c| c.skill).filter(|&s| s != preferred[0]).collect();
                vec![preferred[0]]
            } else {
                candidates.iter().map(|c| c.skill).collect()
            };
            if candidates.len() > 1 {
                let score = |c: SkillId| -> usize {
                    let ctx = context.iter().filter(|&&u| u != c && related(c, u)).count();
                    let occ =
                        hint.is_some_and(|o| self.occupations[c.index()].binary_search(&(o.index() as u32)).is_ok());
                    ctx + 2 * usize::from(occ)
                };
                let mut scored: Vec<(usize, usize, SkillId)> =
                    candidates.iter().map(|&c| (score(c), self.occupations[c.index()].len(), c)).collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
                let settled = scored[0].0 > 0 && (scored.len() == 1 || scored[0].0 > scored[1].0);
                m.skill = scored[0].2;
                if settled {
                    m.confidence *= 0.9;
                } else {
                    m.confidence /= candidates.len() as f32;
                }
                m.alternatives = scored[1..].iter().map(|s| s.2).collect();
            }
            // One mention per skill: keep the most confident (then the first).
            match out.iter_mut().find(|x| x.skill == m.skill) {
                Some(x) => {
                    if m.confidence > x.confidence {
                        *x = m;
                    }
                }
                None => out.push(m),
            }
        }
        out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.start.cmp(&b.start)));
        out
    }
}

/// Cuts `text` to [`MAX_TEXT_BYTES`] on a char boundary.
/// Mentions below this confidence do not become structured skills: the catalogue, the CLI and
/// matching use the same floor, so a posting means the same thing everywhere.
pub(crate) const STRUCTURED_MIN_CONFIDENCE: f32 = 0.5;

impl Extractor {
    /// The requirements read from a posting's title and description, for postings that come
    /// without structured ones: required mentions are essential, "a plus" ones optional, with
    /// the level a cue asks for. Mentions below confidence 0.5 are left out.
    pub fn requirements_for(&self, posting: &crate::JobPosting) -> Vec<crate::Requirement> {
        let e = self.extract_with(
            &format!("{}\n{}", posting.title, posting.description),
            ExtractOptions {
                kind: DocumentKind::Posting,
                occupation: posting.occupation,
                min_confidence: STRUCTURED_MIN_CONFIDENCE,
                lang: None,
            },
        );
        e.mentions
            .iter()
            .map(|m| crate::Requirement {
                skill: m.skill,
                importance: if m.required == Some(false) {
                    crate::Importance::Optional
                } else {
                    crate::Importance::Essential
                },
                weight: 1.0,
                min_level: m.level,
            })
            .collect()
    }

    /// The occupation a posting's title clearly names (similarity ≥ 0.6), if any.
    pub fn occupation_for(&self, posting: &crate::JobPosting) -> Option<OccupationId> {
        self.occupations_for_title(&posting.title, None, 1)
            .into_iter()
            .find(|m| m.score >= TITLE_HINT_MIN)
            .map(|m| m.occupation)
    }

    /// The skills a candidate's summary (a short CV) claims, self-declared, at the level a cue
    /// states or intermediate. Mentions below confidence 0.5 are left out.
    pub fn skills_for(&self, candidate: &crate::Candidate) -> Vec<crate::CandidateSkill> {
        let e = self.extract_with(
            &candidate.summary,
            ExtractOptions {
                kind: DocumentKind::Profile,
                min_confidence: STRUCTURED_MIN_CONFIDENCE,
                ..ExtractOptions::default()
            },
        );
        e.mentions
            .iter()
            .map(|m| crate::CandidateSkill {
                skill: m.skill,
                level: m.level.unwrap_or(Level::Intermediate),
                evidence: crate::Evidence::SelfDeclared,
            })
            .collect()
    }

    /// Fills what a posting left out from its text: requirements when it has none, and the
    /// occupation when its title names one clearly. Returns whether anything was added.
    pub fn complete_posting(&self, posting: &mut crate::JobPosting) -> bool {
        let mut changed = false;
        if posting.occupation.is_none() {
            posting.occupation = self.occupation_for(posting);
            changed |= posting.occupation.is_some();
        }
        if posting.requirements.is_empty() {
            posting.requirements = self.requirements_for(posting);
            changed |= !posting.requirements.is_empty();
        }
        changed
    }

    /// Fills a candidate's skills from their summary when they listed none. Returns whether
    /// anything was added.
    pub fn complete_candidate(&self, candidate: &mut crate::Candidate) -> bool {
        if !candidate.skills.is_empty() {
            return false;
        }
        candidate.skills = self.skills_for(candidate);
        !candidate.skills.is_empty()
    }
}

fn cap(text: &str) -> (&str, bool) {
    if text.len() <= MAX_TEXT_BYTES {
        return (text, false);
    }
    let mut cut = MAX_TEXT_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (&text[..cut], true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::NewSkill;

    fn small() -> (Taxonomy, Extractor) {
        let mut b = Taxonomy::builder("t");
        b.add_skill(NewSkill::new("s:weld", "en", "welding")).unwrap();
        b.add_label("s:weld", "id", LabelKind::Preferred, "pengelasan").unwrap();
        b.add_skill(NewSkill::new("s:java", "en", "Java")).unwrap();
        b.add_skill(NewSkill::new("s:js", "en", "JavaScript")).unwrap();
        b.add_skill(NewSkill::new("s:team", "en", "manage team")).unwrap();
        b.add_skill(NewSkill::new("s:excel", "en", "use spreadsheets software")).unwrap();
        b.add_label("s:excel", "id", LabelKind::Alternative, "Microsoft Excel").unwrap();
        b.add_skill(NewSkill::new("s:resp", "id", "tanggung jawab")).unwrap();
        let t = b.build().unwrap();
        let ex = Extractor::with_analyzer(&t, Analyzer::new());
        (t, ex)
    }

    fn found(t: &Taxonomy, e: &Extraction) -> Vec<String> {
        let mut v: Vec<String> = e.mentions.iter().map(|m| t.skill(m.skill).unwrap().uri().to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn matches_over_analysed_terms() {
        let (t, ex) = small();
        assert_eq!(found(&t, &ex.extract("Berpengalaman di bidang pengelasan SMAW")), ["s:weld"]);
        assert_eq!(found(&t, &ex.extract("Menguasai JavaScript")), ["s:js"]);
        assert_eq!(found(&t, &ex.extract("Team management skills")), ["s:team"]);
        let e = ex.extract("mahir Microsoft Excel");
        assert_eq!(e.mentions[0].surface, "Microsoft Excel");
        assert_eq!(e.mentions[0].level, Some(Level::Advanced));
    }

    #[test]
    fn sections_and_cues() {
        let (t, ex) = small();
        let text = "Tentang Perusahaan:\nKami perusahaan Java terbesar.\n\nKualifikasi:\n- Wajib menguasai Microsoft Excel\n- Pengalaman pengelasan diutamakan\n\nBenefit:\n- Pelatihan JavaScript gratis";
        let e = ex.extract(text);
        assert_eq!(found(&t, &e), ["s:excel", "s:weld"]);
        let weld = e.mentions.iter().find(|m| t.skill(m.skill).unwrap().uri() == "s:weld").unwrap();
        assert_eq!(weld.required, Some(false));
        let excel = e.mentions.iter().find(|m| t.skill(m.skill).unwrap().uri() == "s:excel").unwrap();
        assert_eq!(excel.required, Some(true));
        for m in &e.mentions {
            assert_eq!(&text[m.start..m.end], m.surface);
        }
        // A CV has no sections to filter.
        let cv = ex.extract_with(text, ExtractOptions { kind: DocumentKind::Profile, ..Default::default() });
        assert_eq!(found(&t, &cv).len(), 4);
        // A header names a section, not a skill; the same words in a line are a skill.
        let e = ex.extract("Tanggung Jawab:\n- Memiliki rasa tanggung jawab tinggi");
        assert_eq!(e.mentions.len(), 1);
        assert!(e.mentions[0].start > 16);
    }

    #[test]
    fn caps_huge_input() {
        let (_, ex) = small();
        let text = "pengelasan ".repeat(MAX_TEXT_BYTES / 8);
        let e = ex.extract(&text);
        assert!(e.truncated);
        assert_eq!(e.mentions.len(), 1);
        assert!(ex.extract("").mentions.is_empty());
        assert!(ex.extract("!!! 😀😀 ---").mentions.is_empty());
    }
}

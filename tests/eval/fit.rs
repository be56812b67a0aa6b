//! Fit quality on ESCO: hide an occupation, give the engine a partial, noisy skill profile of it,
//! and see how high the true occupation ranks among all occupations. Shared by
//! `examples/fit_eval.rs` and the test `fit_quality_beats_baselines`.

use std::collections::{BTreeSet, HashMap};

use sepadan::{
    Candidate, CandidateSkill, Evidence, FitScorer, JobPosting, Level, MatchEngine, MatchFilters, Requirement,
    SkillEmbeddings, SkillId, Taxonomy,
};

/// The fit's share of the hybrid score (the embedding cosine has the rest).
pub const HYBRID_FIT: f32 = 0.5;

/// Every system's ranking of the hidden occupations.
#[derive(Clone, Copy, Debug)]
pub struct Results {
    pub fit: Ranking,
    pub jaccard: Ranking,
    pub tfidf: Ranking,
    pub embedding: Ranking,
    pub hybrid: Ranking,
}

/// MRR, Recall@1, Recall@10 over the probes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ranking {
    pub mrr: f64,
    pub r1: f64,
    pub r10: f64,
    pub n: usize,
}

impl Ranking {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if let Some(r) = rank {
            self.mrr += 1.0 / r as f64;
            self.r1 += f64::from(u8::from(r == 1));
            self.r10 += f64::from(u8::from(r <= 10));
        }
    }
    fn done(mut self) -> Ranking {
        let n = self.n.max(1) as f64;
        self.mrr /= n;
        self.r1 /= n;
        self.r10 /= n;
        self
    }
    pub fn line(&self, name: &str) -> String {
        format!("{name:40} MRR {:.3}  R@1 {:.3}  R@10 {:.3}  ({} probes)", self.mrr, self.r1, self.r10, self.n)
    }
}

/// SplitMix64, as the generator uses: reproducible forever.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Runs the evaluation on every `stride`-th occupation with at least 5 essential skills.
/// Profiles keep 60% of the essential and 30% of the optional skills, replace a fifth of the
/// kept ones with a related skill where one exists, and add 3 random skills.
pub fn evaluate(t: &Taxonomy, stride: usize, embedding_dim: usize) -> Results {
    let scorer = FitScorer::new(t);
    let jobs: Vec<JobPosting> = t
        .occupations()
        .map(|o| {
            let mut p = JobPosting::new(o.uri(), o.label("en"));
            p.requirements = o.essential_skills().iter().map(|&s| Requirement::essential(s)).collect();
            p.requirements.extend(o.optional_skills().iter().map(|&s| Requirement::optional(s)));
            p
        })
        .collect();
    let all_skills: Vec<SkillId> = t.skills().map(|s| s.id()).collect();
    // Baseline statistics: document frequency of skills over occupations.
    // Ordered sets: float sums over them do not depend on a hash seed, so runs repeat exactly.
    let occ_sets: Vec<BTreeSet<SkillId>> =
        jobs.iter().map(|p| p.requirements.iter().map(|r| r.skill).collect()).collect();
    let mut df: HashMap<SkillId, f64> = HashMap::new();
    for set in &occ_sets {
        for s in set {
            *df.entry(*s).or_default() += 1.0;
        }
    }
    let n_occ = occ_sets.len() as f64;
    let idf = |s: &SkillId| (n_occ / df.get(s).copied().unwrap_or(1.0)).ln() + 1.0;
    let occ_norm: Vec<f64> =
        occ_sets.iter().map(|set| set.iter().map(|s| idf(s).powi(2)).sum::<f64>().sqrt()).collect();

    let engine = MatchEngine::new(t, scorer, jobs.clone(), Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    let embeddings = SkillEmbeddings::learn(t, embedding_dim).unwrap_or_else(|e| panic!("{e}"));
    let n_occupations = jobs.len();
    let (mut ours, mut jac, mut tfidf, mut embedded, mut hybrid) =
        (Ranking::default(), Ranking::default(), Ranking::default(), Ranking::default(), Ranking::default());
    let mut rng = Rng(2026);
    for (oi, o) in t.occupations().enumerate().filter(|(_, o)| o.essential_skills().len() >= 5).step_by(stride.max(1)) {
        let mut profile: Vec<SkillId> = Vec::new();
        for (list, keep) in [(o.essential_skills(), 0.6), (o.optional_skills(), 0.3)] {
            for &s in list {
                if rng.unit() < keep {
                    let related = engine.scorer().related_skills(s);
                    if rng.unit() < 0.2 && !related.is_empty() {
                        profile.push(related[(rng.next() % related.len() as u64) as usize].0);
                    } else {
                        profile.push(s);
                    }
                }
            }
        }
        for _ in 0..3 {
            profile.push(all_skills[(rng.next() % all_skills.len() as u64) as usize]);
        }
        profile.sort();
        profile.dedup();
        let mut c = Candidate::new("probe");
        c.skills = profile
            .iter()
            .map(|&s| CandidateSkill { skill: s, level: Level::Intermediate, evidence: Evidence::SelfDeclared })
            .collect();
        let ranked = engine.jobs_for_candidate(&c, jobs.len(), &MatchFilters::default()).expect("valid");
        ours.add(ranked.iter().position(|r| r.index == oi).map(|p| p + 1));
        let weighted: Vec<(SkillId, f32)> = profile.iter().map(|&s| (s, 1.0)).collect();
        let by_embedding = embeddings.similar_occupations(&weighted, n_occupations);
        embedded.add(by_embedding.iter().position(|&(id, _)| id == o.id()).map(|p| p + 1));
        // Hybrid: the fit (how much of the occupation the profile covers) plus the embedding
        // cosine (how much of the profile the occupation explains), half each.
        let mut combined: HashMap<usize, f32> = HashMap::new();
        for r in &ranked {
            *combined.entry(r.index).or_default() += HYBRID_FIT * r.score;
        }
        for &(id, cos) in &by_embedding {
            *combined.entry(id.index()).or_default() += (1.0 - HYBRID_FIT) * cos.max(0.0);
        }
        let mut combined: Vec<(usize, f32)> = combined.into_iter().collect();
        combined.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hybrid.add(combined.iter().position(|&(j, _)| j == oi).map(|p| p + 1));
        // Baselines over the same profile.
        let pset: BTreeSet<SkillId> = profile.iter().copied().collect();
        let pnorm = pset.iter().map(|s| idf(s).powi(2)).sum::<f64>().sqrt();
        let mut jac_scores: Vec<(f64, usize)> = Vec::new();
        let mut cos_scores: Vec<(f64, usize)> = Vec::new();
        for (j, set) in occ_sets.iter().enumerate() {
            let inter: Vec<&SkillId> = set.intersection(&pset).collect();
            if inter.is_empty() {
                continue;
            }
            let union = set.len() + pset.len() - inter.len();
            jac_scores.push((inter.len() as f64 / union as f64, j));
            let dot: f64 = inter.iter().map(|s| idf(s).powi(2)).sum();
            cos_scores.push((dot / (occ_norm[j] * pnorm).max(1e-12), j));
        }
        for (scores, r) in [(&mut jac_scores, &mut jac), (&mut cos_scores, &mut tfidf)] {
            scores.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            r.add(scores.iter().position(|x| x.1 == oi).map(|p| p + 1));
        }
    }
    Results {
        fit: ours.done(),
        jaccard: jac.done(),
        tfidf: tfidf.done(),
        embedding: embedded.done(),
        hybrid: hybrid.done(),
    }
}

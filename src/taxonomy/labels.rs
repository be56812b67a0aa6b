//! The label index: folded label → concepts, built lazily on first lookup, and the "did you
//! mean" suggestions for unknown labels.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Concept, LabelKind, LabelMatch, SkillKind, Taxonomy};

// `EMBEDDED_ID_LABELS`: every `data/labels/id/*.csv`, embedded by build.rs.
include!(concat!(env!("OUT_DIR"), "/id_labels.rs"));

struct Entry {
    key: String,
    display: String,
    skill: bool,
    occupation: bool,
    hits: Vec<LabelMatch>,
}

pub(crate) struct LabelIndex {
    entries: Vec<Entry>,
    by_key: HashMap<String, u32>,
    tokens: OnceLock<HashMap<String, Vec<u32>>>,
    /// Suggestions already computed, by (folded query, skills?): a messy file repeats the same
    /// unknown labels, and each suggestion scans many labels. Bounded in size.
    suggested: std::sync::Mutex<HashMap<(String, bool), Vec<String>>>,
}

/// Most cached suggestion lists; past this the cache is cleared (simple and bounded).
const SUGGESTION_CACHE: usize = 4_096;

/// A token list longer than this is too common ("and", "of") to narrow the suggestion search.
const COMMON_TOKEN: usize = 2_000;

impl LabelIndex {
    pub(crate) fn build(tax: &Taxonomy) -> LabelIndex {
        let mut index = LabelIndex {
            entries: Vec::new(),
            by_key: HashMap::new(),
            tokens: OnceLock::new(),
            suggested: std::sync::Mutex::new(HashMap::new()),
        };
        for (i, s) in tax.skills.iter().enumerate() {
            if s.kind != SkillKind::Skill {
                continue;
            }
            let concept = Concept::Skill(super::SkillId::from_index(i));
            for l in &s.labels {
                index.add(&l.text, LabelMatch { concept, kind: l.kind, lang: l.lang });
            }
        }
        for (i, o) in tax.occupations.iter().enumerate() {
            let concept = Concept::Occupation(super::OccupationId::from_index(i));
            for l in &o.labels {
                index.add(&l.text, LabelMatch { concept, kind: l.kind, lang: l.lang });
            }
        }
        index
    }

    fn add(&mut self, text: &str, hit: LabelMatch) {
        let key = crate::fold(text);
        if key.is_empty() {
            return;
        }
        let idx = match self.by_key.get(&key) {
            Some(&i) => i as usize,
            None => {
                self.by_key.insert(key.clone(), self.entries.len() as u32);
                self.entries.push(Entry {
                    key,
                    display: text.to_string(),
                    skill: false,
                    occupation: false,
                    hits: Vec::new(),
                });
                self.entries.len() - 1
            }
        };
        let e = &mut self.entries[idx];
        match hit.concept {
            Concept::Skill(_) => e.skill = true,
            Concept::Occupation(_) => e.occupation = true,
        }
        if hit.kind == LabelKind::Preferred {
            // Show the preferred spelling when a key has several.
            e.display = text.to_string();
        }
        if !e.hits.contains(&hit) {
            e.hits.push(hit);
        }
    }

    pub(crate) fn get(&self, key: &str) -> &[LabelMatch] {
        match self.by_key.get(key) {
            Some(&i) => &self.entries[i as usize].hits,
            None => &[],
        }
    }

    fn tokens(&self) -> &HashMap<String, Vec<u32>> {
        self.tokens.get_or_init(|| {
            let mut map: HashMap<String, Vec<u32>> = HashMap::new();
            for (i, e) in self.entries.iter().enumerate() {
                for t in e.key.split(' ') {
                    let list = map.entry(t.to_string()).or_default();
                    if list.last() != Some(&(i as u32)) {
                        list.push(i as u32);
                    }
                }
            }
            map
        })
    }

    /// Up to five labels nearest to `query`, best first, among skills (`skills = true`) or
    /// occupations. Labels sharing a word with the query are ranked by edit similarity; when no
    /// word is shared (a typo in every word) every label is scanned.
    pub(crate) fn suggest(&self, _tax: &Taxonomy, query: &str, skills: bool) -> Vec<String> {
        let q = crate::fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let key = (q, skills);
        if let Some(hit) = self.suggested.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let found = self.compute_suggestions(&key.0, skills);
        if let Ok(mut cache) = self.suggested.lock() {
            if cache.len() >= SUGGESTION_CACHE {
                cache.clear();
            }
            cache.insert(key, found.clone());
        }
        found
    }

    fn compute_suggestions(&self, q: &str, skills: bool) -> Vec<String> {
        let wanted = |e: &Entry| {
            (if skills { e.skill } else { e.occupation }) && e.hits.iter().any(|h| h.kind != LabelKind::Hidden)
        };
        let tokens = self.tokens();
        let mut candidates: Vec<u32> = Vec::new();
        for t in q.split(' ') {
            if let Some(list) = tokens.get(t) {
                if list.len() <= COMMON_TOKEN {
                    candidates.extend_from_slice(list);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&i| wanted(&self.entries[i as usize]));
        if candidates.is_empty() {
            // No shared word: scan labels of similar length only (a typo changes length little).
            let n = q.chars().count();
            let slack = (n / 4).max(2);
            candidates = (0..self.entries.len() as u32)
                .filter(|&i| {
                    let e = &self.entries[i as usize];
                    e.key.len().abs_diff(q.len()) <= slack && wanted(e)
                })
                .collect();
        }
        let mut scored: Vec<(f64, u32)> = candidates
            .into_iter()
            .map(|i| (strsim::normalized_damerau_levenshtein(q, &self.entries[i as usize].key), i))
            .filter(|(s, _)| *s > 0.3)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(5).map(|(_, i)| self.entries[i as usize].display.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_label_files_are_csv_with_the_documented_header() {
        for (name, text) in super::EMBEDDED_ID_LABELS {
            let first = text.lines().next().unwrap_or_default();
            assert_eq!(first.trim_start_matches('\u{feff}'), "concept,lang,kind,label", "{name}");
        }
    }
}

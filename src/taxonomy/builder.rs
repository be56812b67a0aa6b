//! Building and extending taxonomies.

use std::collections::HashMap;

use super::{
    Importance, IscoGroup, LabelData, LabelKind, OccupationData, OccupationId, ReuseLevel, SkillData, SkillId,
    SkillKind, SkillType, Taxonomy,
};
use crate::error::{Error, Result};

/// A new skill (or skill group) for [`TaxonomyBuilder::add_skill`].
#[derive(Clone, Debug)]
pub struct NewSkill {
    /// A URI (or any unique id string) naming the skill.
    pub uri: String,
    /// Language of `label`.
    pub lang: String,
    /// The preferred label in `lang`.
    pub label: String,
    /// Skill proper or group.
    pub kind: SkillKind,
    /// Knowledge or skill/competence.
    pub skill_type: SkillType,
    /// How widely it is reused.
    pub reuse_level: ReuseLevel,
    /// Free-text description.
    pub description: String,
    /// A code (e.g. a national competency unit code such as `"C.10SMW00.002.1"`).
    pub code: String,
}

impl NewSkill {
    /// A skill with a preferred label; the other fields unspecified.
    pub fn new(uri: impl Into<String>, lang: impl Into<String>, label: impl Into<String>) -> NewSkill {
        NewSkill {
            uri: uri.into(),
            lang: lang.into(),
            label: label.into(),
            kind: SkillKind::Skill,
            skill_type: SkillType::Unspecified,
            reuse_level: ReuseLevel::Unspecified,
            description: String::new(),
            code: String::new(),
        }
    }
}

/// A new occupation for [`TaxonomyBuilder::add_occupation`].
#[derive(Clone, Debug)]
pub struct NewOccupation {
    /// A URI (or any unique id string) naming the occupation.
    pub uri: String,
    /// Language of `label`.
    pub lang: String,
    /// The preferred label in `lang`.
    pub label: String,
    /// ISCO-08 / KBJI 4-digit unit group, may be empty.
    pub isco_code: String,
    /// Free-text description.
    pub description: String,
    /// The source's own code for the occupation.
    pub code: String,
}

impl NewOccupation {
    /// An occupation with a preferred label; the other fields empty.
    pub fn new(uri: impl Into<String>, lang: impl Into<String>, label: impl Into<String>) -> NewOccupation {
        NewOccupation {
            uri: uri.into(),
            lang: lang.into(),
            label: label.into(),
            isco_code: String::new(),
            description: String::new(),
            code: String::new(),
        }
    }
}

/// Builds a [`Taxonomy`] from scratch or extends an existing one.
///
/// Every `add_*` method validates its input at once (unknown URIs, empty labels, duplicate ids)
/// and leaves the builder unchanged on error, so a lenient loader can skip a bad row and go on.
#[derive(Debug)]
pub struct TaxonomyBuilder {
    name: String,
    langs: Vec<String>,
    skills: Vec<SkillData>,
    occupations: Vec<OccupationData>,
    isco: Vec<IscoGroup>,
    skill_by_uri: rustc_hash::FxHashMap<String, SkillId>,
    occupation_by_uri: rustc_hash::FxHashMap<String, OccupationId>,
    isco_by_code: HashMap<String, usize>,
}

fn check_label(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("empty label"));
    }
    if crate::fold(text).is_empty() {
        return Err(Error::invalid("label has no letters or digits").with_value(text));
    }
    Ok(text.to_string())
}

fn check_lang(lang: &str) -> Result<String> {
    let lang = lang.trim();
    let ok = (2..=8).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        return Err(Error::invalid("language must be a code such as `en` or `id`").with_value(lang));
    }
    Ok(lang.to_ascii_lowercase())
}

fn check_uri(uri: &str) -> Result<String> {
    let uri = uri.trim();
    if uri.is_empty() {
        return Err(Error::invalid("empty uri"));
    }
    if uri.chars().any(char::is_whitespace) {
        return Err(Error::invalid("uri contains whitespace").with_value(uri));
    }
    Ok(uri.to_string())
}

impl TaxonomyBuilder {
    pub(crate) fn new(name: impl Into<String>) -> TaxonomyBuilder {
        TaxonomyBuilder {
            name: name.into(),
            langs: Vec::new(),
            skills: Vec::new(),
            occupations: Vec::new(),
            isco: Vec::new(),
            skill_by_uri: Default::default(),
            occupation_by_uri: Default::default(),
            isco_by_code: HashMap::new(),
        }
    }

    pub(crate) fn from_taxonomy(t: Taxonomy) -> TaxonomyBuilder {
        TaxonomyBuilder {
            name: t.name,
            langs: t.langs,
            skills: t.skills,
            occupations: t.occupations,
            isco: t.isco,
            skill_by_uri: t.skill_by_uri,
            occupation_by_uri: t.occupation_by_uri,
            isco_by_code: t.isco_by_code,
        }
    }

    /// Assembles a builder from decoded tables, checking what `build` relies on: unique URIs and
    /// language indices in range (relation indices were checked by the decoder).
    pub(crate) fn from_parts(
        name: String,
        langs: Vec<String>,
        skills: Vec<SkillData>,
        occupations: Vec<OccupationData>,
        isco: Vec<IscoGroup>,
    ) -> Result<TaxonomyBuilder> {
        let mut b = TaxonomyBuilder::new(name);
        let lang_ok = |l: &LabelData| (l.lang as usize) < langs.len();
        for (i, s) in skills.iter().enumerate() {
            if !s.labels.iter().all(lang_ok) {
                return Err(Error::syntax("damaged snapshot: label language out of range"));
            }
            if b.skill_by_uri.insert(s.uri.clone(), SkillId::from_index(i)).is_some() {
                return Err(Error::duplicate("concept uri in snapshot").with_value(&s.uri));
            }
        }
        for (i, o) in occupations.iter().enumerate() {
            if !o.labels.iter().all(lang_ok) {
                return Err(Error::syntax("damaged snapshot: label language out of range"));
            }
            if b.skill_by_uri.contains_key(&o.uri)
                || b.occupation_by_uri.insert(o.uri.clone(), OccupationId::from_index(i)).is_some()
            {
                return Err(Error::duplicate("concept uri in snapshot").with_value(&o.uri));
            }
        }
        for g in isco {
            b.add_isco_group(g)?;
        }
        b.langs = langs;
        b.skills = skills;
        b.occupations = occupations;
        Ok(b)
    }

    /// Renames the taxonomy (e.g. `"ESCO v1.1.1 + SKKNI units"`).
    pub fn name(&mut self, name: impl Into<String>) -> &mut Self {
        self.name = name.into();
        self
    }

    fn lang(&mut self, lang: &str) -> Result<u8> {
        let lang = check_lang(lang)?;
        if let Some(i) = self.langs.iter().position(|l| *l == lang) {
            return Ok(i as u8);
        }
        if self.langs.len() >= u8::MAX as usize {
            return Err(Error::invalid("too many languages (at most 255)").with_value(&lang));
        }
        self.langs.push(lang);
        Ok((self.langs.len() - 1) as u8)
    }

    /// The skill with this URI, if added.
    pub fn skill_id(&self, uri: &str) -> Option<SkillId> {
        self.skill_by_uri.get(uri.trim()).copied()
    }

    /// The occupation with this URI, if added.
    pub fn occupation_id(&self, uri: &str) -> Option<OccupationId> {
        self.occupation_by_uri.get(uri.trim()).copied()
    }

    fn known_skill(&self, uri: &str) -> Result<SkillId> {
        self.skill_id(uri).ok_or_else(|| Error::unknown(uri.trim(), Vec::new()).with_value(uri))
    }

    fn known_occupation(&self, uri: &str) -> Result<OccupationId> {
        self.occupation_id(uri).ok_or_else(|| Error::unknown(uri.trim(), Vec::new()).with_value(uri))
    }

    /// Adds a skill or group. Errors if the URI is already used by a skill or occupation.
    pub fn add_skill(&mut self, skill: NewSkill) -> Result<SkillId> {
        let uri = check_uri(&skill.uri).map_err(|e| e.in_field("uri"))?;
        let label = check_label(&skill.label).map_err(|e| e.in_field("label"))?;
        if self.skill_by_uri.contains_key(&uri) || self.occupation_by_uri.contains_key(&uri) {
            return Err(Error::duplicate("concept uri").with_value(&uri).in_field("uri"));
        }
        let lang = self.lang(&skill.lang).map_err(|e| e.in_field("lang"))?;
        if self.skills.len() >= u32::MAX as usize {
            return Err(Error::invalid("too many skills"));
        }
        let id = SkillId::from_index(self.skills.len());
        self.skills.push(SkillData {
            uri: uri.clone(),
            kind: skill.kind,
            skill_type: skill.skill_type,
            reuse: skill.reuse_level,
            description: skill.description.trim().to_string(),
            code: skill.code.trim().to_string(),
            level: None,
            collections: 0,
            labels: vec![LabelData { lang, kind: LabelKind::Preferred, text: label }],
            broader: Vec::new(),
            related: Vec::new(),
            narrower: Vec::new(),
            related_from: Vec::new(),
            required_by: Vec::new(),
        });
        self.skill_by_uri.insert(uri, id);
        Ok(id)
    }

    /// Adds an occupation. Errors if the URI is already used by a skill or occupation.
    pub fn add_occupation(&mut self, occupation: NewOccupation) -> Result<OccupationId> {
        let uri = check_uri(&occupation.uri).map_err(|e| e.in_field("uri"))?;
        let label = check_label(&occupation.label).map_err(|e| e.in_field("label"))?;
        if self.skill_by_uri.contains_key(&uri) || self.occupation_by_uri.contains_key(&uri) {
            return Err(Error::duplicate("concept uri").with_value(&uri).in_field("uri"));
        }
        let isco = occupation.isco_code.trim().to_string();
        let valid_isco = isco.len() <= 4 && isco.bytes().all(|b| b.is_ascii_digit());
        if !valid_isco {
            return Err(Error::invalid("isco code must be 1 to 4 digits").with_value(&isco).in_field("isco_code"));
        }
        let lang = self.lang(&occupation.lang).map_err(|e| e.in_field("lang"))?;
        if self.occupations.len() >= u32::MAX as usize {
            return Err(Error::invalid("too many occupations"));
        }
        let id = OccupationId::from_index(self.occupations.len());
        self.occupations.push(OccupationData {
            uri: uri.clone(),
            code: occupation.code.trim().to_string(),
            isco,
            description: occupation.description.trim().to_string(),
            labels: vec![LabelData { lang, kind: LabelKind::Preferred, text: label }],
            broader: Vec::new(),
            essential: Vec::new(),
            optional: Vec::new(),
            narrower: Vec::new(),
        });
        self.occupation_by_uri.insert(uri, id);
        Ok(id)
    }

    /// Adds an ISCO-08 group. A code already present is an error.
    pub fn add_isco_group(&mut self, group: IscoGroup) -> Result<()> {
        let code = group.code.trim();
        if code.is_empty() || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid("isco code must be 1 to 4 digits").with_value(code).in_field("code"));
        }
        if self.isco_by_code.contains_key(code) {
            return Err(Error::duplicate("isco group").with_value(code).in_field("code"));
        }
        self.isco_by_code.insert(code.to_string(), self.isco.len());
        self.isco.push(IscoGroup { code: code.to_string(), ..group });
        Ok(())
    }

    /// Adds a label to the skill or occupation with this URI.
    ///
    /// A second *preferred* label in a language the concept already has one for is an error;
    /// an alternative that repeats an existing label of the concept (same language, same folded
    /// text) is merged, not duplicated.
    pub fn add_label(&mut self, concept_uri: &str, lang: &str, kind: LabelKind, text: &str) -> Result<()> {
        let text = check_label(text).map_err(|e| e.in_field("label"))?;
        let lang_code = check_lang(lang).map_err(|e| e.in_field("lang"))?;
        let labels = if let Some(id) = self.skill_id(concept_uri) {
            &self.skills[id.index()].labels
        } else if let Some(id) = self.occupation_id(concept_uri) {
            &self.occupations[id.index()].labels
        } else {
            return Err(Error::unknown(concept_uri.trim(), Vec::new()).with_value(concept_uri).in_field("concept"));
        };
        let lang_idx = self.langs.iter().position(|l| *l == lang_code).map(|i| i as u8);
        let folded = crate::fold(&text);
        let same_lang = |l: &&LabelData| Some(l.lang) == lang_idx;
        if kind == LabelKind::Preferred {
            if let Some(existing) = labels.iter().filter(same_lang).find(|l| l.kind == LabelKind::Preferred) {
                if crate::fold(&existing.text) == folded {
                    return Ok(());
                }
                return Err(Error::duplicate(format!(
                    "preferred label in `{lang_code}` (the concept already has {:?})",
                    existing.text
                ))
                .with_value(&text)
                .in_field("label"));
            }
        } else if labels.iter().filter(same_lang).any(|l| crate::fold(&l.text) == folded) {
            return Ok(());
        }
        let lang = self.lang(&lang_code)?;
        let label = LabelData { lang, kind, text };
        if let Some(id) = self.skill_id(concept_uri) {
            self.skills[id.index()].labels.push(label);
        } else if let Some(id) = self.occupation_id(concept_uri) {
            self.occupations[id.index()].labels.push(label);
        }
        Ok(())
    }

    /// Declares `parent_uri` broader than `child_uri`. Both must be skills/groups, or both
    /// occupations. A cycle is reported by [`TaxonomyBuilder::build`].
    pub fn add_broader(&mut self, child_uri: &str, parent_uri: &str) -> Result<()> {
        if let Some(child) = self.skill_id(child_uri) {
            let parent = self.known_skill(parent_uri).map_err(|e| e.in_field("target"))?;
            if child == parent {
                return Err(Error::invalid("a concept cannot be broader than itself").with_value(child_uri));
            }
            let b = &mut self.skills[child.index()].broader;
            if !b.contains(&parent) {
                b.push(parent);
            }
            return Ok(());
        }
        if let Some(child) = self.occupation_id(child_uri) {
            let parent = self.known_occupation(parent_uri).map_err(|e| e.in_field("target"))?;
            if child == parent {
                return Err(Error::invalid("a concept cannot be broader than itself").with_value(child_uri));
            }
            let b = &mut self.occupations[child.index()].broader;
            if !b.contains(&parent) {
                b.push(parent);
            }
            return Ok(());
        }
        Err(Error::unknown(child_uri.trim(), Vec::new()).with_value(child_uri).in_field("source"))
    }

    /// Links an occupation to a skill it requires. Linking the same pair twice keeps the
    /// stronger importance.
    pub fn add_occupation_skill(
        &mut self,
        occupation_uri: &str,
        skill_uri: &str,
        importance: Importance,
    ) -> Result<()> {
        let occ = self.known_occupation(occupation_uri).map_err(|e| e.in_field("source"))?;
        let skill = self.known_skill(skill_uri).map_err(|e| e.in_field("target"))?;
        let o = &mut self.occupations[occ.index()];
        match importance {
            Importance::Essential => {
                o.optional.retain(|&s| s != skill);
                if !o.essential.contains(&skill) {
                    o.essential.push(skill);
                }
            }
            Importance::Optional => {
                if !o.essential.contains(&skill) && !o.optional.contains(&skill) {
                    o.optional.push(skill);
                }
            }
        }
        Ok(())
    }

    /// Adds an ESCO-style skill–skill relation: `from` needs `to` as essential or optional.
    pub fn add_skill_relation(&mut self, from_uri: &str, to_uri: &str, importance: Importance) -> Result<()> {
        let from = self.known_skill(from_uri).map_err(|e| e.in_field("source"))?;
        let to = self.known_skill(to_uri).map_err(|e| e.in_field("target"))?;
        if from == to {
            return Err(Error::invalid("a skill cannot be related to itself").with_value(from_uri));
        }
        let r = &mut self.skills[from.index()].related;
        match r.iter_mut().find(|(s, _)| *s == to) {
            Some(existing) => existing.1 = existing.1.min(importance),
            None => r.push((to, importance)),
        }
        Ok(())
    }

    pub(crate) fn set_skill_level(&mut self, id: SkillId, level: u8) {
        if let Some(s) = self.skills.get_mut(id.index()) {
            s.level = Some(s.level.map_or(level, |l| l.min(level)));
        }
    }

    pub(crate) fn set_skill_code(&mut self, id: SkillId, code: &str) {
        if let Some(s) = self.skills.get_mut(id.index()) {
            if s.code.is_empty() {
                s.code = code.to_string();
            }
        }
    }

    pub(crate) fn add_collection(&mut self, id: SkillId, bit: u8) {
        if let Some(s) = self.skills.get_mut(id.index()) {
            s.collections |= bit;
        }
    }

    /// Validates the whole (no cycles in the hierarchy) and derives the reverse relations.
    pub fn build(self) -> Result<Taxonomy> {
        let TaxonomyBuilder {
            name,
            langs,
            mut skills,
            mut occupations,
            mut isco,
            skill_by_uri,
            occupation_by_uri,
            mut isco_by_code,
        } = self;

        // Sort ISCO groups by code so that iteration is deterministic whatever the input order.
        isco.sort_by(|a, b| a.code.cmp(&b.code));
        isco_by_code.clear();
        for (i, g) in isco.iter().enumerate() {
            isco_by_code.insert(g.code.clone(), i);
        }

        for s in &mut skills {
            s.narrower.clear();
            s.related_from.clear();
            s.required_by.clear();
            s.broader.sort();
            s.related.sort();
        }
        for o in &mut occupations {
            o.narrower.clear();
            o.broader.sort();
            o.essential.sort();
            o.optional.sort();
        }
        for i in 0..skills.len() {
            let child = SkillId::from_index(i);
            for p in skills[i].broader.clone() {
                skills[p.index()].narrower.push(child);
            }
            for (to, imp) in skills[i].related.clone() {
                skills[to.index()].related_from.push((child, imp));
            }
        }
        let mut link_count = 0;
        for i in 0..occupations.len() {
            let occ = OccupationId::from_index(i);
            for p in occupations[i].broader.clone() {
                occupations[p.index()].narrower.push(occ);
            }
            for &s in &occupations[i].essential {
                skills[s.index()].required_by.push((occ, Importance::Essential));
            }
            for &s in &occupations[i].optional {
                skills[s.index()].required_by.push((occ, Importance::Optional));
            }
            link_count += occupations[i].essential.len() + occupations[i].optional.len();
        }
        for s in &mut skills {
            s.required_by.sort();
        }

        check_acyclic(skills.len(), |i| skills[i].broader.iter().map(|p| p.index()).collect())
            .map_err(|i| Error::invalid("the skill hierarchy has a cycle").with_value(&skills[i].uri))?;
        check_acyclic(occupations.len(), |i| occupations[i].broader.iter().map(|p| p.index()).collect())
            .map_err(|i| Error::invalid("the occupation hierarchy has a cycle").with_value(&occupations[i].uri))?;

        let skill_count = skills.iter().filter(|s| s.kind == SkillKind::Skill).count();
        Ok(Taxonomy {
            name,
            langs,
            skills,
            occupations,
            isco,
            skill_by_uri,
            occupation_by_uri,
            isco_by_code,
            skill_count,
            link_count,
            label_index: Default::default(),
        })
    }
}

/// Iterative three-colour DFS; returns the index of a node on a cycle.
fn check_acyclic(n: usize, parents: impl Fn(usize) -> Vec<usize>) -> std::result::Result<(), usize> {
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(start, parents(start))];
        state[start] = 1;
        while let Some((node, rest)) = stack.last_mut() {
            match rest.pop() {
                Some(p) if state[p] == 1 => return Err(p),
                Some(p) if state[p] == 0 => {
                    state[p] = 1;
                    let ps = parents(p);
                    stack.push((p, ps));
                }
                Some(_) => {}
                None => {
                    state[*node] = 2;
                    stack.pop();
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> TaxonomyBuilder {
        let mut b = Taxonomy::builder("test");
        b.add_skill(NewSkill { kind: SkillKind::Group, ..NewSkill::new("g:metal", "en", "metal work") }).unwrap();
        b.add_skill(NewSkill::new("s:weld", "en", "welding")).unwrap();
        b.add_skill(NewSkill::new("s:smaw", "en", "shielded metal arc welding")).unwrap();
        b.add_occupation(NewOccupation { isco_code: "7212".into(), ..NewOccupation::new("o:welder", "en", "welder") })
            .unwrap();
        b.add_broader("s:weld", "g:metal").unwrap();
        b.add_broader("s:smaw", "s:weld").unwrap();
        b.add_occupation_skill("o:welder", "s:weld", Importance::Essential).unwrap();
        b.add_occupation_skill("o:welder", "s:smaw", Importance::Optional).unwrap();
        b.add_label("o:welder", "id", LabelKind::Preferred, "Juru las").unwrap();
        b.add_label("o:welder", "id", LabelKind::Alternative, "tukang las").unwrap();
        b
    }

    #[test]
    fn builds_reverse_relations() {
        let t = small().build().unwrap();
        let smaw = t.skill_by_uri("s:smaw").unwrap();
        let weld = t.skill_by_uri("s:weld").unwrap();
        let metal = t.skill_by_uri("g:metal").unwrap();
        assert_eq!(t.skill(smaw).unwrap().ancestors(), vec![weld, metal]);
        assert_eq!(t.skill(weld).unwrap().narrower(), &[smaw]);
        assert_eq!(t.skill_count(), 2);
        assert_eq!(t.skill_group_count(), 1);
        assert_eq!(t.occupation_skill_link_count(), 2);
        let welder = t.occupation_by_uri("o:welder").unwrap();
        assert_eq!(t.skill(weld).unwrap().required_by(), &[(welder, Importance::Essential)]);
        assert_eq!(t.occupation(welder).unwrap().label("id"), "Juru las");
        assert_eq!(t.occupation(welder).unwrap().label("fr"), "welder");
    }

    #[test]
    fn label_lookup_is_insensitive_and_exact_about_ambiguity() {
        let mut b = small();
        b.add_skill(NewSkill::new("s:java-lang", "en", "Java")).unwrap();
        b.add_skill(NewSkill::new("s:java-island", "en", "knowledge of Java island")).unwrap();
        b.add_label("s:java-island", "en", LabelKind::Alternative, "Java").unwrap();
        b.add_skill(NewSkill::new("s:a", "en", "alpha")).unwrap();
        b.add_skill(NewSkill::new("s:b", "en", "beta")).unwrap();
        b.add_label("s:a", "en", LabelKind::Alternative, "shared").unwrap();
        b.add_label("s:b", "en", LabelKind::Alternative, "Shared").unwrap();
        let t = b.build().unwrap();
        assert_eq!(t.resolve_skill("  WELDING ").unwrap(), t.skill_by_uri("s:weld").unwrap());
        // preferred label of one concept beats an alternative of another
        assert_eq!(t.resolve_skill("java").unwrap(), t.skill_by_uri("s:java-lang").unwrap());
        let err = t.resolve_skill("shared").unwrap_err();
        assert!(matches!(err.kind(), crate::ErrorKind::AmbiguousReference { candidates, .. } if candidates.len() == 2));
        let err = t.resolve_skill("weldng").unwrap_err();
        match err.kind() {
            crate::ErrorKind::UnknownReference { suggestions, .. } => assert_eq!(suggestions[0], "welding"),
            k => panic!("unexpected {k:?}"),
        }
        // groups are not resolved by label
        assert!(t.resolve_skill("metal work").is_err());
        assert_eq!(t.resolve_occupation("TUKANG LAS").unwrap(), t.occupation_by_uri("o:welder").unwrap());
    }

    #[test]
    fn rejects_bad_input_without_changing_the_builder() {
        let mut b = small();
        assert!(b.add_skill(NewSkill::new("s:weld", "en", "again")).is_err());
        assert!(b.add_skill(NewSkill::new("s:new", "en", "   ")).is_err());
        assert!(b.add_label("s:nope", "en", LabelKind::Alternative, "x").is_err());
        assert!(b.add_label("o:welder", "id", LabelKind::Preferred, "Pengelas").is_err());
        assert!(b.add_occupation_skill("o:welder", "s:nope", Importance::Essential).is_err());
        assert!(b.add_broader("s:weld", "s:weld").is_err());
        assert!(b.add_label("s:weld", "not a lang!", LabelKind::Alternative, "x").is_err());
        let t = b.build().unwrap();
        assert_eq!(t.skill_count(), 2);
    }

    #[test]
    fn detects_cycles() {
        let mut b = small();
        b.add_broader("g:metal", "s:smaw").unwrap();
        let err = b.build().unwrap_err();
        assert!(err.to_string().contains("cycle"), "{err}");
    }

    #[test]
    fn extending_keeps_ids() {
        let t = small().build().unwrap();
        let weld = t.skill_by_uri("s:weld").unwrap();
        let mut b = t.into_builder();
        let new = b.add_skill(NewSkill::new("skkni:C.10", "id", "Mengelas pelat posisi 3G")).unwrap();
        b.add_broader("skkni:C.10", "s:weld").unwrap();
        let t = b.build().unwrap();
        assert_eq!(t.skill_by_uri("s:weld"), Some(weld));
        assert_eq!(t.skill(new).unwrap().broader(), &[weld]);
        assert!(t.skill(weld).unwrap().narrower().contains(&new));
    }
}

//! The skill and occupation taxonomy: ESCO v1.1.1 by default, extensible, or entirely your own.
//!
//! A [`Taxonomy`] is immutable once built and cheap to share (`Arc<Taxonomy>`); concepts are named
//! by dense ids ([`SkillId`], [`OccupationId`]) that index its tables, and every concept keeps the
//! URI it was imported with. Lookups by label are case-, accent- and spacing-insensitive (see
//! [`fold`](crate::fold)) and refuse to guess: a label shared by several concepts is reported as
//! ambiguous, with the candidates.

mod builder;
mod custom;
mod esco;
mod labels;
mod snapshot;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use builder::{NewOccupation, NewSkill, TaxonomyBuilder};
pub use esco::{EscoImport, EscoSource};

use crate::error::{Error, ErrorKind, Result};
use labels::LabelIndex;

/// Dense id of a skill (or skill group) within one [`Taxonomy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SkillId(u32);

/// Dense id of an occupation within one [`Taxonomy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OccupationId(u32);

impl SkillId {
    /// The position of this skill in the taxonomy's tables, `0..taxonomy.skill_table_len()`.
    /// Stable for a given taxonomy build; use the URI to name a skill across builds.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn from_index(i: usize) -> SkillId {
        debug_assert!(i <= u32::MAX as usize);
        SkillId(i as u32)
    }
}

impl OccupationId {
    /// The position of this occupation in the taxonomy's tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn from_index(i: usize) -> OccupationId {
        debug_assert!(i <= u32::MAX as usize);
        OccupationId(i as u32)
    }
}

/// ESCO's distinction between knowledge and skills/competences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkillType {
    /// Knowledge ("food safety").
    Knowledge,
    /// A skill or competence ("use welding equipment").
    SkillCompetence,
    /// Not stated by the source (6 ESCO concepts, and skill groups).
    Unspecified,
}

/// How widely a skill applies across occupations (ESCO's reuse level).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReuseLevel {
    /// Relevant to all occupations (teamwork, languages).
    Transversal,
    /// Relevant across sectors.
    CrossSector,
    /// Specific to a sector.
    SectorSpecific,
    /// Specific to one occupation.
    OccupationSpecific,
    /// Not stated by the source.
    Unspecified,
}

/// Whether a concept is a skill proper or a grouping node of the skill hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillKind {
    /// A skill or knowledge concept (13,896 in ESCO v1.1.1).
    Skill,
    /// A node of the skill hierarchy (640 in ESCO v1.1.1), such as "welding and soldering".
    Group,
}

/// Whether a link is essential or optional: occupation–skill links, skill–skill relations, and
/// posting requirements all use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Importance {
    /// Required.
    #[default]
    Essential,
    /// Useful, not required.
    Optional,
}

/// The kind of a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelKind {
    /// The concept's name in a language (at most one per language).
    Preferred,
    /// Another name people use.
    Alternative,
    /// A misspelling or obsolete form kept for matching, never displayed.
    Hidden,
}

/// ESCO's skill collections, which cut across the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Collection {
    /// Transversal skills and competences.
    Transversal,
    /// Language skills and knowledge.
    Language,
    /// Digital skills.
    Digital,
    /// Green skills.
    Green,
    /// Research skills.
    Research,
    /// The DigComp framework's skills.
    DigComp,
}

impl Collection {
    /// All collections, in bit order.
    pub const ALL: [Collection; 6] = [
        Collection::Transversal,
        Collection::Language,
        Collection::Digital,
        Collection::Green,
        Collection::Research,
        Collection::DigComp,
    ];

    pub(crate) fn bit(self) -> u8 {
        match self {
            Collection::Transversal => 1,
            Collection::Language => 2,
            Collection::Digital => 4,
            Collection::Green => 8,
            Collection::Research => 16,
            Collection::DigComp => 32,
        }
    }
}

/// A label as stored: language code index, kind, text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LabelData {
    pub(crate) lang: u8,
    pub(crate) kind: LabelKind,
    pub(crate) text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SkillData {
    pub(crate) uri: String,
    pub(crate) kind: SkillKind,
    pub(crate) skill_type: SkillType,
    pub(crate) reuse: ReuseLevel,
    pub(crate) description: String,
    pub(crate) code: String,
    pub(crate) level: Option<u8>,
    pub(crate) collections: u8,
    pub(crate) labels: Vec<LabelData>,
    pub(crate) broader: Vec<SkillId>,
    pub(crate) related: Vec<(SkillId, Importance)>,
    // Derived by the builder:
    pub(crate) narrower: Vec<SkillId>,
    pub(crate) related_from: Vec<(SkillId, Importance)>,
    pub(crate) required_by: Vec<(OccupationId, Importance)>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OccupationData {
    pub(crate) uri: String,
    pub(crate) code: String,
    pub(crate) isco: String,
    pub(crate) description: String,
    pub(crate) labels: Vec<LabelData>,
    pub(crate) broader: Vec<OccupationId>,
    pub(crate) essential: Vec<SkillId>,
    pub(crate) optional: Vec<SkillId>,
    // Derived by the builder:
    pub(crate) narrower: Vec<OccupationId>,
}

/// An ISCO-08 group (1 to 4 digits). Indonesia's KBJI 2014 unit groups share the 4-digit codes
/// for 431 of 446 groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IscoGroup {
    /// The ISCO-08 code, 1 to 4 digits (`"7212"`).
    pub code: String,
    /// The English name.
    pub label: String,
    /// The source URI.
    pub uri: String,
    /// The ISCO definition.
    pub description: String,
}

/// A skill and occupation taxonomy. See the [module docs](self).
pub struct Taxonomy {
    pub(crate) name: String,
    pub(crate) langs: Vec<String>,
    pub(crate) skills: Vec<SkillData>,
    pub(crate) occupations: Vec<OccupationData>,
    pub(crate) isco: Vec<IscoGroup>,
    pub(crate) skill_by_uri: rustc_hash::FxHashMap<String, SkillId>,
    pub(crate) occupation_by_uri: rustc_hash::FxHashMap<String, OccupationId>,
    pub(crate) isco_by_code: HashMap<String, usize>,
    pub(crate) skill_count: usize,
    pub(crate) link_count: usize,
    label_index: OnceLock<LabelIndex>,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy")
            .field("name", &self.name)
            .field("languages", &self.langs)
            .field("skills", &self.skill_count)
            .field("skill_groups", &(self.skills.len() - self.skill_count))
            .field("occupations", &self.occupations.len())
            .field("occupation_skill_links", &self.link_count)
            .finish()
    }
}

/// One label of a concept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label<'a> {
    /// Language code (`"en"`, `"id"`).
    pub lang: &'a str,
    /// Preferred, alternative or hidden.
    pub kind: LabelKind,
    /// The text as authored.
    pub text: &'a str,
}

/// A concept found by label lookup, with the label that matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Concept {
    /// A skill or skill group.
    Skill(SkillId),
    /// An occupation.
    Occupation(OccupationId),
}

/// One hit of a label lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelMatch {
    /// The concept carrying the label.
    pub concept: Concept,
    /// The kind of the label that matched.
    pub kind: LabelKind,
    /// Its language.
    pub lang: u8,
}

impl Taxonomy {
    /// The default taxonomy: the full ESCO v1.1.1 from the snapshot embedded in the crate
    /// (`data/esco-v1.1.1.snapshot`), plus the Indonesian labels shipped in `data/labels/id/`.
    /// No file or network access.
    pub fn esco() -> Result<Taxonomy> {
        let mut builder = Taxonomy::esco_english()?.into_builder();
        for (name, text) in labels::EMBEDDED_ID_LABELS {
            builder.add_labels_csv(text.as_bytes(), name, crate::LoadMode::Strict)?;
        }
        builder.build()
    }

    /// The embedded ESCO v1.1.1 snapshot alone, English labels only.
    pub fn esco_english() -> Result<Taxonomy> {
        snapshot::decode(snapshot::EMBEDDED)
    }

    /// An empty builder for a taxonomy of your own.
    pub fn builder(name: impl Into<String>) -> TaxonomyBuilder {
        TaxonomyBuilder::new(name)
    }

    /// Turns this taxonomy back into a builder to extend it (extra skills, labels, relations).
    /// Ids of existing concepts are preserved; new concepts get new ids after them.
    pub fn into_builder(self) -> TaxonomyBuilder {
        TaxonomyBuilder::from_taxonomy(self)
    }

    /// Serialises this taxonomy into the compact snapshot format (deflated, versioned).
    pub fn to_snapshot(&self) -> Vec<u8> {
        snapshot::encode(self)
    }

    /// Loads a taxonomy from snapshot bytes made by [`Taxonomy::to_snapshot`].
    pub fn from_snapshot(bytes: &[u8]) -> Result<Taxonomy> {
        snapshot::decode(bytes)
    }

    /// A name for this taxonomy (`"ESCO v1.1.1"`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Language codes that have at least one label.
    pub fn languages(&self) -> &[String] {
        &self.langs
    }

    /// Number of skills proper (skill groups excluded): 13,896 for ESCO v1.1.1.
    pub fn skill_count(&self) -> usize {
        self.skill_count
    }

    /// Number of skill-hierarchy groups: 640 for ESCO v1.1.1.
    pub fn skill_group_count(&self) -> usize {
        self.skills.len() - self.skill_count
    }

    /// Length of the skill table (skills and groups): the exclusive upper bound of
    /// [`SkillId::index`], for sizing dense vectors.
    pub fn skill_table_len(&self) -> usize {
        self.skills.len()
    }

    /// Number of occupations: 3,007 for ESCO v1.1.1.
    pub fn occupation_count(&self) -> usize {
        self.occupations.len()
    }

    /// Number of occupation–skill links (essential plus optional).
    pub fn occupation_skill_link_count(&self) -> usize {
        self.link_count
    }

    /// Number of skill–skill relations.
    pub fn skill_relation_count(&self) -> usize {
        self.skills.iter().map(|s| s.related.len()).sum()
    }

    /// The skill (or group) with this id, or `None` if the id is not from this taxonomy.
    pub fn skill(&self, id: SkillId) -> Option<Skill<'_>> {
        self.skills.get(id.index()).map(|data| Skill { tax: self, id, data })
    }

    /// The occupation with this id, or `None` if the id is not from this taxonomy.
    pub fn occupation(&self, id: OccupationId) -> Option<Occupation<'_>> {
        self.occupations.get(id.index()).map(|data| Occupation { tax: self, id, data })
    }

    /// All skills proper (not groups), in id order.
    pub fn skills(&self) -> impl Iterator<Item = Skill<'_>> + '_ {
        self.skill_table().filter(|s| s.kind() == SkillKind::Skill)
    }

    /// All skill groups, in id order.
    pub fn skill_groups(&self) -> impl Iterator<Item = Skill<'_>> + '_ {
        self.skill_table().filter(|s| s.kind() == SkillKind::Group)
    }

    fn skill_table(&self) -> impl Iterator<Item = Skill<'_>> + '_ {
        self.skills.iter().enumerate().map(|(i, data)| Skill { tax: self, id: SkillId::from_index(i), data })
    }

    /// All occupations, in id order.
    pub fn occupations(&self) -> impl Iterator<Item = Occupation<'_>> + '_ {
        self.occupations.iter().enumerate().map(|(i, data)| Occupation {
            tax: self,
            id: OccupationId::from_index(i),
            data,
        })
    }

    /// All ISCO-08 groups (major, sub-major, minor and unit groups).
    pub fn isco_groups(&self) -> &[IscoGroup] {
        &self.isco
    }

    /// The ISCO-08 group with this code (`"7212"`, `"72"`).
    pub fn isco_group(&self, code: &str) -> Option<&IscoGroup> {
        self.isco_by_code.get(code).map(|&i| &self.isco[i])
    }

    /// The skill (or group) with this URI.
    pub fn skill_by_uri(&self, uri: &str) -> Option<SkillId> {
        self.skill_by_uri.get(uri.trim()).copied()
    }

    /// The occupation with this URI.
    pub fn occupation_by_uri(&self, uri: &str) -> Option<OccupationId> {
        self.occupation_by_uri.get(uri.trim()).copied()
    }

    pub(crate) fn label_index(&self) -> &LabelIndex {
        self.label_index.get_or_init(|| LabelIndex::build(self))
    }

    pub(crate) fn lang_code(&self, lang: u8) -> &str {
        self.langs.get(lang as usize).map(String::as_str).unwrap_or("")
    }

    pub(crate) fn lang_index(&self, lang: &str) -> Option<u8> {
        self.langs.iter().position(|l| l == lang).map(|i| i as u8)
    }

    /// Every concept that carries this label (any language, any kind), after folding.
    pub fn lookup_label(&self, label: &str) -> &[LabelMatch] {
        self.label_index().get(&crate::fold(label))
    }

    /// Resolves a skill reference: an exact URI, or a label in any language.
    ///
    /// A label resolves when exactly one skill carries it, or when exactly one skill has it as
    /// its preferred label (alternative labels of other skills do not make a preferred label
    /// ambiguous). Otherwise the error is [`ErrorKind::AmbiguousReference`] listing the candidates,
    /// or [`ErrorKind::UnknownReference`] with the nearest labels. Skill groups are found by
    /// URI only.
    pub fn resolve_skill(&self, reference: &str) -> Result<SkillId> {
        if looks_like_uri(reference) {
            return self
                .skill_by_uri(reference)
                .ok_or_else(|| Error::unknown(reference.trim(), Vec::new()).with_value(reference));
        }
        let hits: Vec<(SkillId, LabelKind)> = self
            .lookup_label(reference)
            .iter()
            .filter_map(|m| match m.concept {
                Concept::Skill(id) if self.skills[id.index()].kind == SkillKind::Skill => Some((id, m.kind)),
                _ => None,
            })
            .collect();
        self.pick(reference, &hits, |id| self.skills[id.index()].uri.clone(), |id| self.skill_label(id))
            .ok_or_else(|| Error::unknown(reference, self.label_index().suggest(self, reference, true)))?
    }

    /// Resolves an occupation reference: an exact URI, or a label in any language, with the
    /// same rules as [`Taxonomy::resolve_skill`].
    pub fn resolve_occupation(&self, reference: &str) -> Result<OccupationId> {
        if looks_like_uri(reference) {
            return self
                .occupation_by_uri(reference)
                .ok_or_else(|| Error::unknown(reference.trim(), Vec::new()).with_value(reference));
        }
        let hits: Vec<(OccupationId, LabelKind)> = self
            .lookup_label(reference)
            .iter()
            .filter_map(|m| match m.concept {
                Concept::Occupation(id) => Some((id, m.kind)),
                Concept::Skill(_) => None,
            })
            .collect();
        self.pick(reference, &hits, |id| self.occupations[id.index()].uri.clone(), |id| self.occupation_label(id))
            .ok_or_else(|| Error::unknown(reference, self.label_index().suggest(self, reference, false)))?
    }

    /// Chooses among label hits: `None` when there are none, an ambiguity error when there is no
    /// single clear owner.
    fn pick<Id: Copy + Eq + Ord>(
        &self,
        reference: &str,
        hits: &[(Id, LabelKind)],
        uri: impl Fn(Id) -> String,
        label: impl Fn(Id) -> String,
    ) -> Option<Result<Id>> {
        let mut ids: Vec<Id> = hits.iter().map(|h| h.0).collect();
        ids.sort();
        ids.dedup();
        match ids.len() {
            0 => None,
            1 => Some(Ok(ids[0])),
            _ => {
                let mut preferred: Vec<Id> = hits.iter().filter(|h| h.1 == LabelKind::Preferred).map(|h| h.0).collect();
                preferred.sort();
                preferred.dedup();
                if preferred.len() == 1 {
                    return Some(Ok(preferred[0]));
                }
                let candidates = ids.iter().map(|&id| format!("{} ({})", uri(id), label(id))).collect();
                Some(Err(Error::new(ErrorKind::AmbiguousReference { reference: reference.to_string(), candidates })
                    .with_value(reference)))
            }
        }
    }

    fn skill_label(&self, id: SkillId) -> String {
        self.skill(id).map(|s| s.label("en").to_string()).unwrap_or_default()
    }

    fn occupation_label(&self, id: OccupationId) -> String {
        self.occupation(id).map(|o| o.label("en").to_string()).unwrap_or_default()
    }
}

fn looks_like_uri(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("urn:")
}

fn labels_of<'a>(tax: &'a Taxonomy, labels: &'a [LabelData]) -> impl Iterator<Item = Label<'a>> + 'a {
    labels.iter().map(move |l| Label { lang: tax.lang_code(l.lang), kind: l.kind, text: &l.text })
}

/// The preferred label in exactly `lang`.
fn preferred_in<'a>(tax: &Taxonomy, labels: &'a [LabelData], lang: &str) -> Option<&'a str> {
    let idx = tax.lang_index(lang)?;
    labels.iter().find(|l| l.lang == idx && l.kind == LabelKind::Preferred).map(|l| l.text.as_str())
}

/// The preferred label in `lang`, else the English one, else any preferred label, else the
/// first label; the empty string only for a concept without labels (which builders reject).
fn display_label<'a>(tax: &'a Taxonomy, labels: &'a [LabelData], lang: &str) -> &'a str {
    preferred_in(tax, labels, lang)
        .or_else(|| preferred_in(tax, labels, "en"))
        .or_else(|| labels.iter().find(|l| l.kind == LabelKind::Preferred).map(|l| l.text.as_str()))
        .or_else(|| labels.first().map(|l| l.text.as_str()))
        .unwrap_or("")
}

/// A view of one skill (or skill group) of a [`Taxonomy`].
#[derive(Clone, Copy)]
pub struct Skill<'a> {
    tax: &'a Taxonomy,
    id: SkillId,
    data: &'a SkillData,
}

impl fmt::Debug for Skill<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Skill")
            .field("id", &self.id)
            .field("uri", &self.uri())
            .field("label", &self.label("en"))
            .finish()
    }
}

impl<'a> Skill<'a> {
    /// The dense id.
    pub fn id(&self) -> SkillId {
        self.id
    }
    /// The URI it was imported with.
    pub fn uri(&self) -> &'a str {
        &self.data.uri
    }
    /// Skill proper or hierarchy group.
    pub fn kind(&self) -> SkillKind {
        self.data.kind
    }
    /// Knowledge or skill/competence.
    pub fn skill_type(&self) -> SkillType {
        self.data.skill_type
    }
    /// How widely the skill is reused across occupations.
    pub fn reuse_level(&self) -> ReuseLevel {
        self.data.reuse
    }
    /// The source's description (may be empty).
    pub fn description(&self) -> &'a str {
        &self.data.description
    }
    /// The hierarchy code of a group (`"S6.1"`), empty for most skills.
    pub fn code(&self) -> &'a str {
        &self.data.code
    }
    /// Depth in ESCO's skills hierarchy (0 = pillar such as "skills", 3 = deepest group) for
    /// concepts that appear in `skillsHierarchy_en.csv`.
    pub fn hierarchy_level(&self) -> Option<u8> {
        self.data.level
    }
    /// Whether the skill belongs to an ESCO collection.
    pub fn in_collection(&self, c: Collection) -> bool {
        self.data.collections & c.bit() != 0
    }
    /// The display label in `lang`, falling back to English, then to any preferred label.
    pub fn label(&self, lang: &str) -> &'a str {
        display_label(self.tax, &self.data.labels, lang)
    }
    /// The preferred label in exactly this language, if there is one.
    pub fn preferred_label(&self, lang: &str) -> Option<&'a str> {
        preferred_in(self.tax, &self.data.labels, lang)
    }
    /// Every label, all languages and kinds.
    pub fn labels(&self) -> impl Iterator<Item = Label<'a>> + 'a {
        labels_of(self.tax, &self.data.labels)
    }
    /// Direct parents in the hierarchy (broader skills or groups).
    pub fn broader(&self) -> &'a [SkillId] {
        &self.data.broader
    }
    /// Direct children in the hierarchy.
    pub fn narrower(&self) -> &'a [SkillId] {
        &self.data.narrower
    }
    /// All ancestors, nearest first, each once (the hierarchy is a DAG: a skill may have
    /// several parents).
    pub fn ancestors(&self) -> Vec<SkillId> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut frontier: Vec<SkillId> = self.data.broader.clone();
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for id in frontier {
                if id != self.id && seen.insert(id) {
                    out.push(id);
                    next.extend_from_slice(&self.tax.skills[id.index()].broader);
                }
            }
            frontier = next;
        }
        out
    }
    /// ESCO skill–skill relations from this skill (`this` needs `other` as essential/optional).
    pub fn related(&self) -> &'a [(SkillId, Importance)] {
        &self.data.related
    }
    /// Skill–skill relations pointing at this skill.
    pub fn related_from(&self) -> &'a [(SkillId, Importance)] {
        &self.data.related_from
    }
    /// Occupations that list this skill, with the link's importance.
    pub fn required_by(&self) -> &'a [(OccupationId, Importance)] {
        &self.data.required_by
    }
}

/// A view of one occupation of a [`Taxonomy`].
#[derive(Clone, Copy)]
pub struct Occupation<'a> {
    tax: &'a Taxonomy,
    id: OccupationId,
    data: &'a OccupationData,
}

impl fmt::Debug for Occupation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Occupation")
            .field("id", &self.id)
            .field("uri", &self.uri())
            .field("label", &self.label("en"))
            .field("isco", &self.isco_code())
            .finish()
    }
}

impl<'a> Occupation<'a> {
    /// The dense id.
    pub fn id(&self) -> OccupationId {
        self.id
    }
    /// The URI it was imported with.
    pub fn uri(&self) -> &'a str {
        &self.data.uri
    }
    /// The ESCO occupation code (`"7212.1"`).
    pub fn code(&self) -> &'a str {
        &self.data.code
    }
    /// The ISCO-08 unit group (4 digits), empty if unknown.
    pub fn isco_code(&self) -> &'a str {
        &self.data.isco
    }
    /// The KBJI 2014 unit group code. KBJI 2014 adopts ISCO-08's structure and its 4-digit codes
    /// coincide with ISCO-08 for 431 of its 446 unit groups, so this is the ISCO code; for the
    /// 15 groups where KBJI differs the code names the ISCO group the occupation belongs to.
    pub fn kbji_code(&self) -> &'a str {
        &self.data.isco
    }
    /// The ISCO-08 unit group record.
    pub fn isco_group(&self) -> Option<&'a IscoGroup> {
        self.tax.isco_group(&self.data.isco)
    }
    /// The source's description (may be empty).
    pub fn description(&self) -> &'a str {
        &self.data.description
    }
    /// The display label in `lang`, falling back to English, then to any preferred label.
    pub fn label(&self, lang: &str) -> &'a str {
        display_label(self.tax, &self.data.labels, lang)
    }
    /// The preferred label in exactly this language, if there is one.
    pub fn preferred_label(&self, lang: &str) -> Option<&'a str> {
        preferred_in(self.tax, &self.data.labels, lang)
    }
    /// Every label, all languages and kinds.
    pub fn labels(&self) -> impl Iterator<Item = Label<'a>> + 'a {
        labels_of(self.tax, &self.data.labels)
    }
    /// Skills essential to this occupation.
    pub fn essential_skills(&self) -> &'a [SkillId] {
        &self.data.essential
    }
    /// Skills optional for this occupation.
    pub fn optional_skills(&self) -> &'a [SkillId] {
        &self.data.optional
    }
    /// Broader occupations (ESCO occupations may specialise others).
    pub fn broader(&self) -> &'a [OccupationId] {
        &self.data.broader
    }
    /// Narrower occupations.
    pub fn narrower(&self) -> &'a [OccupationId] {
        &self.data.narrower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_detection() {
        assert!(looks_like_uri(" http://data.europa.eu/esco/skill/x"));
        assert!(!looks_like_uri("welding"));
    }
}

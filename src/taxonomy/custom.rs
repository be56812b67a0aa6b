//! The documented CSV formats for bringing your own taxonomy or extending ESCO
//! (see `docs/FORMATS.md`, "Taxonomy extension files").

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::builder::{NewOccupation, NewSkill};
use super::{Importance, LabelKind, ReuseLevel, SkillKind, SkillType, TaxonomyBuilder};
use crate::error::{from_csv, Collector, Error, LoadMode, Result};

struct Csv {
    idx: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Csv {
    fn read(input: impl Read, required: &[&str], file: &Path) -> Result<Csv> {
        let mut rdr = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(input);
        let headers = rdr.headers().map_err(|e| from_csv(e).in_file(file))?.clone();
        let idx: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase(), i))
            .collect();
        for r in required {
            if !idx.contains_key(*r) {
                return Err(Error::missing(format!("column `{r}`")).in_file(file));
            }
        }
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| from_csv(e).in_file(file))?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            rows.push((line, rec));
        }
        Ok(Csv { idx, rows })
    }

    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.idx.get(name).and_then(|&i| rec.get(i)).unwrap_or("")
    }
}

fn parse_kind(v: &str) -> Result<LabelKind> {
    match v.to_ascii_lowercase().as_str() {
        "preferred" => Ok(LabelKind::Preferred),
        "alternative" | "alt" => Ok(LabelKind::Alternative),
        "hidden" => Ok(LabelKind::Hidden),
        _ => Err(Error::invalid("expected `preferred`, `alternative` or `hidden`").with_value(v)),
    }
}

fn parse_skill_type(v: &str) -> Result<SkillType> {
    match v.to_ascii_lowercase().as_str() {
        "" => Ok(SkillType::Unspecified),
        "knowledge" => Ok(SkillType::Knowledge),
        "skill" | "skill/competence" | "competence" => Ok(SkillType::SkillCompetence),
        _ => Err(Error::invalid("expected `knowledge` or `skill/competence`").with_value(v)),
    }
}

fn parse_reuse(v: &str) -> Result<ReuseLevel> {
    match v.to_ascii_lowercase().replace('_', "-").as_str() {
        "" => Ok(ReuseLevel::Unspecified),
        "transversal" => Ok(ReuseLevel::Transversal),
        "cross-sector" => Ok(ReuseLevel::CrossSector),
        "sector-specific" => Ok(ReuseLevel::SectorSpecific),
        "occupation-specific" => Ok(ReuseLevel::OccupationSpecific),
        _ => Err(Error::invalid("unknown reuse level").with_value(v)),
    }
}

impl TaxonomyBuilder {
    /// Adds concepts from a CSV with header `uri,type,lang,label` and optional columns
    /// `description,skill_type,reuse_level,isco_code,code`. `type` is `skill`, `skill_group` or
    /// `occupation`; `lang` defaults to `en` when empty.
    ///
    /// Strict mode stops at the first bad row; lenient mode skips bad rows and returns them.
    /// Errors name `file`, the line and the field.
    pub fn add_concepts_csv(&mut self, input: impl Read, file: impl AsRef<Path>, mode: LoadMode) -> Result<Vec<Error>> {
        let file = file.as_ref();
        let csv = Csv::read(input, &["uri", "type", "label"], file)?;
        let mut out = Collector::new(mode);
        for (line, r) in &csv.rows {
            let lang = match csv.get(r, "lang") {
                "" => "en",
                l => l,
            };
            let res = (|| -> Result<()> {
                let uri = csv.get(r, "uri");
                let label = csv.get(r, "label");
                let description = csv.get(r, "description").to_string();
                let code = csv.get(r, "code").to_string();
                match csv.get(r, "type").to_ascii_lowercase().as_str() {
                    t @ ("skill" | "skill_group") => {
                        let skill_type =
                            parse_skill_type(csv.get(r, "skill_type")).map_err(|e| e.in_field("skill_type"))?;
                        let reuse_level =
                            parse_reuse(csv.get(r, "reuse_level")).map_err(|e| e.in_field("reuse_level"))?;
                        let kind = if t == "skill" { SkillKind::Skill } else { SkillKind::Group };
                        self.add_skill(NewSkill {
                            kind,
                            skill_type,
                            reuse_level,
                            description,
                            code,
                            ..NewSkill::new(uri, lang, label)
                        })?;
                    }
                    "occupation" => {
                        let isco_code = csv.get(r, "isco_code").to_string();
                        self.add_occupation(NewOccupation {
                            isco_code,
                            description,
                            code,
                            ..NewOccupation::new(uri, lang, label)
                        })?;
                    }
                    other => {
                        return Err(Error::invalid("expected `skill`, `skill_group` or `occupation`")
                            .with_value(other)
                            .in_field("type"))
                    }
                }
                Ok(())
            })();
            out.take(res.map_err(|e| e.at_line(*line).in_file(file)))?;
        }
        Ok(out.errors)
    }

    /// Adds labels from a CSV with header `concept,lang,kind,label` (the format of the shipped
    /// Indonesian labels in `data/labels/id/`). `kind` is `preferred`, `alternative` or `hidden`.
    pub fn add_labels_csv(&mut self, input: impl Read, file: impl AsRef<Path>, mode: LoadMode) -> Result<Vec<Error>> {
        let file = file.as_ref();
        let csv = Csv::read(input, &["concept", "lang", "kind", "label"], file)?;
        let mut out = Collector::new(mode);
        for (line, r) in &csv.rows {
            let res = parse_kind(csv.get(r, "kind"))
                .map_err(|e| e.in_field("kind"))
                .and_then(|kind| self.add_label(csv.get(r, "concept"), csv.get(r, "lang"), kind, csv.get(r, "label")));
            out.take(res.map_err(|e| e.at_line(*line).in_file(file)))?;
        }
        Ok(out.errors)
    }

    /// Adds relations from a CSV with header `source,relation,target`. `relation` is one of
    /// `broader` (source's parent is target; skills/groups or occupations), `essential_skill` /
    /// `optional_skill` (occupation source requires skill target), `essential_related` /
    /// `optional_related` (skill source needs skill target, as in ESCO's skill–skill relations).
    pub fn add_relations_csv(
        &mut self,
        input: impl Read,
        file: impl AsRef<Path>,
        mode: LoadMode,
    ) -> Result<Vec<Error>> {
        let file = file.as_ref();
        let csv = Csv::read(input, &["source", "relation", "target"], file)?;
        let mut out = Collector::new(mode);
        for (line, r) in &csv.rows {
            let (s, t) = (csv.get(r, "source"), csv.get(r, "target"));
            let res = match csv.get(r, "relation").to_ascii_lowercase().as_str() {
                "broader" => self.add_broader(s, t),
                "essential_skill" => self.add_occupation_skill(s, t, Importance::Essential),
                "optional_skill" => self.add_occupation_skill(s, t, Importance::Optional),
                "essential_related" => self.add_skill_relation(s, t, Importance::Essential),
                "optional_related" => self.add_skill_relation(s, t, Importance::Optional),
                other => Err(Error::invalid(
                    "expected `broader`, `essential_skill`, `optional_skill`, `essential_related` or `optional_related`",
                )
                .with_value(other)
                .in_field("relation")),
            };
            out.take(res.map_err(|e| e.at_line(*line).in_file(file)))?;
        }
        Ok(out.errors)
    }
}

#[cfg(test)]
mod tests {
    use crate::{LoadMode, Taxonomy};

    const CONCEPTS: &str = "uri,type,lang,label,isco_code,skill_type\n\
        skkni:las,skill_group,id,Pengelasan,,\n\
        skkni:smaw,skill,id,Mengelas dengan proses SMAW,,skill\n\
        kbji:7212,occupation,id,Juru las,7212,\n";
    const RELATIONS: &str =
        "source,relation,target\nskkni:smaw,broader,skkni:las\nkbji:7212,essential_skill,skkni:smaw\n";

    #[test]
    fn builds_a_taxonomy_from_csv() {
        let mut b = Taxonomy::builder("SKKNI sample");
        assert!(b.add_concepts_csv(CONCEPTS.as_bytes(), "concepts.csv", LoadMode::Strict).unwrap().is_empty());
        b.add_relations_csv(RELATIONS.as_bytes(), "relations.csv", LoadMode::Strict).unwrap();
        b.add_labels_csv(
            "concept,lang,kind,label\nkbji:7212,en,preferred,welder\n".as_bytes(),
            "l.csv",
            LoadMode::Strict,
        )
        .unwrap();
        let t = b.build().unwrap();
        let occ = t.resolve_occupation("welder").unwrap();
        let smaw = t.resolve_skill("mengelas dengan proses smaw").unwrap();
        assert_eq!(t.occupation(occ).unwrap().essential_skills(), &[smaw]);
        assert_eq!(t.occupation(occ).unwrap().isco_code(), "7212");
    }

    #[test]
    fn strict_fails_with_position_and_lenient_keeps_the_rest() {
        let bad = "uri,type,label\nx:1,skill,good one\nx:2,skil,typo in type\nx:3,skill,\nx:4,skill,also good\n";
        let mut b = Taxonomy::builder("t");
        let err = b.add_concepts_csv(bad.as_bytes(), "c.csv", LoadMode::Strict).unwrap_err();
        assert_eq!(
            err.to_string(),
            "c.csv:3: field `type`: invalid value: expected `skill`, `skill_group` or `occupation` (value: \"skil\")"
        );
        let mut b = Taxonomy::builder("t");
        let report = b.add_concepts_csv(bad.as_bytes(), "c.csv", LoadMode::Lenient).unwrap();
        assert_eq!(report.len(), 2);
        assert_eq!(report[1].position().line, Some(4));
        assert_eq!(report[1].position().field.as_deref(), Some("label"));
        let t = b.build().unwrap();
        assert_eq!(t.skill_count(), 2);
    }

    #[test]
    fn missing_column_and_unknown_reference() {
        let mut b = Taxonomy::builder("t");
        let err = b.add_concepts_csv("uri,label\nx,y\n".as_bytes(), "c.csv", LoadMode::Lenient).unwrap_err();
        assert_eq!(err.to_string(), "c.csv: missing column `type`");
        let err = b
            .add_relations_csv("source,relation,target\na,broader,b\n".as_bytes(), "r.csv", LoadMode::Strict)
            .unwrap_err();
        assert_eq!(err.position().line, Some(2));
        assert_eq!(err.position().field.as_deref(), Some("source"));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut b = Taxonomy::builder("t");
        let bytes = b"uri,type,label\nx,skill,caf\xe9\n";
        let err = b.add_concepts_csv(&bytes[..], "c.csv", LoadMode::Strict).unwrap_err();
        assert!(matches!(err.kind(), crate::ErrorKind::InvalidUtf8), "{err:?}");
        assert_eq!(err.position().line, Some(2));
    }
}

//! Import of the official ESCO v1.1.1 CSV downloads.
//!
//! Two zips are read: the English classification (`skills_en.csv`, `skillGroups_en.csv`,
//! `occupations_en.csv`, `ISCOGroups_en.csv`, `skillsHierarchy_en.csv` and the collections) and
//! the relations (`occupationSkillRelations.csv`, `broaderRelationsSkillPillar.csv`,
//! `broaderRelationsOccPillar.csv`, `skillSkillRelations.csv`). Columns are found by header name,
//! so column order does not matter; a missing column is an error naming file and column.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use super::builder::{NewOccupation, NewSkill};
use super::{
    Collection, Importance, IscoGroup, LabelKind, ReuseLevel, SkillKind, SkillType, Taxonomy, TaxonomyBuilder,
};
use crate::error::{from_csv, Collector, Error, LoadMode, Result};

/// File name of the English classification zip as published.
pub(crate) const ESCO_EN_ZIP: &str = "esco-v1.1.1-en-csv.zip";
/// File name of the relations zip as published.
pub(crate) const ESCO_RELATIONS_ZIP: &str = "esco-v1.1.1-relations-csv.zip";

/// Largest zip member we inflate (the biggest ESCO member is 21 MB); protects against zip bombs.
const MAX_MEMBER_BYTES: u64 = 256 * 1024 * 1024;

/// Where to read ESCO from: the two official zips, as files or bytes.
#[derive(Clone, Debug)]
pub struct EscoSource {
    en: Input,
    relations: Input,
}

#[derive(Clone, Debug)]
enum Input {
    File(PathBuf),
    Bytes(String, Vec<u8>),
}

impl Input {
    fn name(&self) -> PathBuf {
        match self {
            Input::File(p) => p.clone(),
            Input::Bytes(name, _) => PathBuf::from(name),
        }
    }

    fn open(&self) -> Result<zip::ZipArchive<Cursor<Vec<u8>>>> {
        let bytes = match self {
            Input::File(p) => std::fs::read(p).map_err(|e| Error::from(e).in_file(p))?,
            Input::Bytes(_, b) => b.clone(),
        };
        zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Error::syntax(format!("not a readable zip archive: {e}")).in_file(self.name()))
    }
}

/// The result of an ESCO import: the taxonomy and every source row that could not be used
/// (lenient mode only; strict mode fails on the first).
#[derive(Debug)]
pub struct EscoImport {
    /// The imported taxonomy.
    pub taxonomy: Taxonomy,
    /// Rows skipped, each with file, line, field and value.
    pub skipped: Vec<Error>,
}

impl EscoSource {
    /// The two zips under their published names in `dir` (e.g. `../shared/data/esco-v1.1.1`).
    pub fn from_dir(dir: impl AsRef<Path>) -> EscoSource {
        let dir = dir.as_ref();
        EscoSource { en: Input::File(dir.join(ESCO_EN_ZIP)), relations: Input::File(dir.join(ESCO_RELATIONS_ZIP)) }
    }

    /// The two zips as explicit paths.
    pub fn from_files(en_zip: impl Into<PathBuf>, relations_zip: impl Into<PathBuf>) -> EscoSource {
        EscoSource { en: Input::File(en_zip.into()), relations: Input::File(relations_zip.into()) }
    }

    /// The two zips already in memory.
    pub fn from_bytes(en_zip: Vec<u8>, relations_zip: Vec<u8>) -> EscoSource {
        EscoSource {
            en: Input::Bytes(ESCO_EN_ZIP.into(), en_zip),
            relations: Input::Bytes(ESCO_RELATIONS_ZIP.into(), relations_zip),
        }
    }

    /// Imports the classification. ESCO v1.1.1 itself has 68 relation rows naming an
    /// occupation (`…/a9e54177-a185-404d-b6e6-15663d31137e`) that `occupations_en.csv` does not
    /// contain; strict mode therefore fails on the published files, and the shipped snapshot is
    /// built in lenient mode with those rows reported (see `data/ESCO-NOTICE.md`).
    pub fn import(&self, mode: LoadMode) -> Result<EscoImport> {
        let mut en = self.en.open()?;
        let en_name = self.en.name();
        let mut imp = Importer { b: Taxonomy::builder("ESCO v1.1.1"), out: Collector::new(mode) };

        imp.isco(&read_member(&mut en, &en_name, "ISCOGroups_en.csv")?)?;
        imp.skill_groups(&read_member(&mut en, &en_name, "skillGroups_en.csv")?)?;
        imp.skills(&read_member(&mut en, &en_name, "skills_en.csv")?)?;
        imp.occupations(&read_member(&mut en, &en_name, "occupations_en.csv")?)?;
        imp.hierarchy(&read_member(&mut en, &en_name, "skillsHierarchy_en.csv")?)?;
        for (member, c) in [
            ("transversalSkillsCollection_en.csv", Collection::Transversal),
            ("languageSkillsCollection_en.csv", Collection::Language),
            ("digitalSkillsCollection_en.csv", Collection::Digital),
            ("greenSkillsCollection_en.csv", Collection::Green),
            ("researchSkillsCollection_en.csv", Collection::Research),
            ("digCompSkillsCollection_en.csv", Collection::DigComp),
        ] {
            imp.collection(&read_member(&mut en, &en_name, member)?, c)?;
        }
        let mut rel = self.relations.open()?;
        let rel_name = self.relations.name();
        imp.skill_broader(&read_member(&mut rel, &rel_name, "broaderRelationsSkillPillar.csv")?)?;
        imp.occupation_broader(&read_member(&mut rel, &rel_name, "broaderRelationsOccPillar.csv")?)?;
        imp.occupation_skills(&read_member(&mut rel, &rel_name, "occupationSkillRelations.csv")?)?;
        imp.skill_relations(&read_member(&mut rel, &rel_name, "skillSkillRelations.csv")?)?;

        let taxonomy = imp.b.build()?;
        Ok(EscoImport { taxonomy, skipped: imp.out.errors })
    }
}

/// A CSV member read into memory, with the path used in error messages.
struct Member {
    file: PathBuf,
    text: String,
}

fn read_member(zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, zip_name: &Path, member: &str) -> Result<Member> {
    let file = zip_name.join(member);
    let entry = zip
        .by_name(member)
        .map_err(|e| Error::missing(format!("member `{member}` in the zip ({e})")).in_file(zip_name))?;
    if entry.size() > MAX_MEMBER_BYTES {
        return Err(Error::invalid(format!("member is larger than {MAX_MEMBER_BYTES} bytes")).in_file(&file));
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry
        .take(MAX_MEMBER_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::syntax(format!("cannot inflate member: {e}")).in_file(&file))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        Error::new(crate::ErrorKind::InvalidUtf8).at_line(line).in_file(&file)
    })?;
    Ok(Member { file, text })
}

/// Column positions by header name.
struct Columns {
    idx: HashMap<String, usize>,
}

impl Columns {
    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.idx.get(name).and_then(|&i| rec.get(i)).unwrap_or("").trim()
    }
}

/// Iterates a CSV member's records, checking the required columns first.
fn records(m: &Member, required: &[&str]) -> Result<(Columns, Vec<(u64, csv::StringRecord)>)> {
    // Flexible: skillsHierarchy_en.csv has rows shorter than its header (trailing empty levels).
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(m.text.as_bytes());
    let headers = rdr.headers().map_err(|e| from_csv(e).in_file(&m.file))?.clone();
    let idx: HashMap<String, usize> =
        headers.iter().enumerate().map(|(i, h)| (h.trim_start_matches('\u{feff}').trim().to_string(), i)).collect();
    for r in required {
        if !idx.contains_key(*r) {
            return Err(Error::missing(format!("column `{r}`")).in_file(&m.file));
        }
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| from_csv(e).in_file(&m.file))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        out.push((line, rec));
    }
    Ok((Columns { idx }, out))
}

fn split_labels(field: &str) -> impl Iterator<Item = &str> {
    field.split(['\n', '\r']).map(str::trim).filter(|s| !s.is_empty())
}

fn skill_type(v: &str) -> Result<SkillType> {
    match v {
        "knowledge" => Ok(SkillType::Knowledge),
        "skill/competence" => Ok(SkillType::SkillCompetence),
        "" => Ok(SkillType::Unspecified),
        _ => Err(Error::invalid("expected `knowledge` or `skill/competence`").with_value(v)),
    }
}

fn reuse_level(v: &str) -> Result<ReuseLevel> {
    match v {
        "transversal" => Ok(ReuseLevel::Transversal),
        "cross-sector" => Ok(ReuseLevel::CrossSector),
        "sector-specific" => Ok(ReuseLevel::SectorSpecific),
        "occupation-specific" => Ok(ReuseLevel::OccupationSpecific),
        "" => Ok(ReuseLevel::Unspecified),
        _ => Err(Error::invalid("unknown reuse level").with_value(v)),
    }
}

fn importance(v: &str) -> Result<Importance> {
    match v {
        "essential" => Ok(Importance::Essential),
        "optional" => Ok(Importance::Optional),
        _ => Err(Error::invalid("expected `essential` or `optional`").with_value(v)),
    }
}

struct Importer {
    b: TaxonomyBuilder,
    out: Collector,
}

impl Importer {
    /// Runs `f` for each record; errors get the file and line and go through the collector.
    fn each(
        &mut self,
        m: &Member,
        required: &[&str],
        mut f: impl FnMut(&mut TaxonomyBuilder, &Columns, &csv::StringRecord) -> Result<()>,
    ) -> Result<()> {
        let (cols, recs) = records(m, required)?;
        for (line, rec) in recs {
            let r = f(&mut self.b, &cols, &rec).map_err(|e| e.at_line(line).in_file(&m.file));
            self.out.take(r)?;
        }
        Ok(())
    }

    fn labels(b: &mut TaxonomyBuilder, uri: &str, cols: &Columns, rec: &csv::StringRecord) -> Result<()> {
        for (column, kind) in [("altLabels", LabelKind::Alternative), ("hiddenLabels", LabelKind::Hidden)] {
            for label in split_labels(cols.get(rec, column)) {
                b.add_label(uri, "en", kind, label).map_err(|e| e.in_field(column))?;
            }
        }
        Ok(())
    }

    fn isco(&mut self, m: &Member) -> Result<()> {
        self.each(m, &["conceptUri", "code", "preferredLabel", "description"], |b, c, r| {
            b.add_isco_group(IscoGroup {
                code: c.get(r, "code").to_string(),
                label: c.get(r, "preferredLabel").to_string(),
                uri: c.get(r, "conceptUri").to_string(),
                description: c.get(r, "description").to_string(),
            })
        })
    }

    fn skill_groups(&mut self, m: &Member) -> Result<()> {
        self.each(
            m,
            &["conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description", "code"],
            |b, c, r| {
                let uri = c.get(r, "conceptUri");
                b.add_skill(NewSkill {
                    kind: SkillKind::Group,
                    description: c.get(r, "description").to_string(),
                    code: c.get(r, "code").to_string(),
                    ..NewSkill::new(uri, "en", c.get(r, "preferredLabel"))
                })
                .map_err(|e| {
                    if e.position().field.as_deref() == Some("label") {
                        e.in_field("preferredLabel")
                    } else {
                        e
                    }
                })?;
                Self::labels(b, uri, c, r)
            },
        )
    }

    fn skills(&mut self, m: &Member) -> Result<()> {
        let required =
            ["conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels", "description"];
        self.each(m, &required, |b, c, r| {
            let uri = c.get(r, "conceptUri");
            let skill_type = skill_type(c.get(r, "skillType")).map_err(|e| e.in_field("skillType"))?;
            let reuse_level = reuse_level(c.get(r, "reuseLevel")).map_err(|e| e.in_field("reuseLevel"))?;
            b.add_skill(NewSkill {
                skill_type,
                reuse_level,
                description: c.get(r, "description").to_string(),
                ..NewSkill::new(uri, "en", c.get(r, "preferredLabel"))
            })
            .map_err(|e| {
                if e.position().field.as_deref() == Some("label") {
                    e.in_field("preferredLabel")
                } else {
                    e
                }
            })?;
            Self::labels(b, uri, c, r)
        })
    }

    fn occupations(&mut self, m: &Member) -> Result<()> {
        let required =
            ["conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "description", "code"];
        self.each(m, &required, |b, c, r| {
            let uri = c.get(r, "conceptUri");
            b.add_occupation(NewOccupation {
                isco_code: c.get(r, "iscoGroup").to_string(),
                description: c.get(r, "description").to_string(),
                code: c.get(r, "code").to_string(),
                ..NewOccupation::new(uri, "en", c.get(r, "preferredLabel"))
            })
            .map_err(|e| match e.position().field.as_deref() {
                Some("label") => e.in_field("preferredLabel"),
                Some("isco_code") => e.in_field("iscoGroup"),
                _ => e,
            })?;
            Self::labels(b, uri, c, r)
        })
    }

    fn hierarchy(&mut self, m: &Member) -> Result<()> {
        // Each level of a row is independent: an unknown URI at one level is reported without
        // losing the row's other levels.
        let (cols, recs) = records(m, &["Level 0 URI", "Level 1 URI", "Level 2 URI", "Level 3 URI"])?;
        for (line, r) in recs {
            for level in 0..4u8 {
                let field = format!("Level {level} URI");
                let uri = cols.get(&r, &field);
                if uri.is_empty() {
                    continue;
                }
                let Some(id) = self.b.skill_id(uri) else {
                    let e = Error::unknown(uri, Vec::new()).in_field(field).at_line(line).in_file(&m.file);
                    self.out.take::<()>(Err(e))?;
                    continue;
                };
                self.b.set_skill_level(id, level);
                let code = cols.get(&r, &format!("Level {level} code"));
                if !code.is_empty() {
                    self.b.set_skill_code(id, code);
                }
            }
        }
        Ok(())
    }

    fn collection(&mut self, m: &Member, collection: Collection) -> Result<()> {
        self.each(m, &["conceptUri"], |b, c, r| {
            let uri = c.get(r, "conceptUri");
            let id = b
                .skill_id(uri)
                .ok_or_else(|| Error::unknown(uri, Vec::new()).with_value(uri).in_field("conceptUri"))?;
            b.add_collection(id, collection.bit());
            Ok(())
        })
    }

    fn skill_broader(&mut self, m: &Member) -> Result<()> {
        self.each(m, &["conceptUri", "broaderUri"], |b, c, r| {
            b.add_broader(c.get(r, "conceptUri"), c.get(r, "broaderUri"))
                .map_err(|e| rename_source_target(e, "conceptUri", "broaderUri"))
        })
    }

    fn occupation_broader(&mut self, m: &Member) -> Result<()> {
        // ISCO group rows are implied by the codes; occupation → ISCO group rows duplicate the
        // `iscoGroup` column. Only occupation → occupation rows add information.
        self.each(m, &["conceptType", "conceptUri", "broaderType", "broaderUri"], |b, c, r| {
            if c.get(r, "conceptType") != "Occupation" || c.get(r, "broaderType") != "Occupation" {
                return Ok(());
            }
            b.add_broader(c.get(r, "conceptUri"), c.get(r, "broaderUri"))
                .map_err(|e| rename_source_target(e, "conceptUri", "broaderUri"))
        })
    }

    fn occupation_skills(&mut self, m: &Member) -> Result<()> {
        self.each(m, &["occupationUri", "relationType", "skillUri"], |b, c, r| {
            let imp = importance(c.get(r, "relationType")).map_err(|e| e.in_field("relationType"))?;
            b.add_occupation_skill(c.get(r, "occupationUri"), c.get(r, "skillUri"), imp)
                .map_err(|e| rename_source_target(e, "occupationUri", "skillUri"))
        })
    }

    fn skill_relations(&mut self, m: &Member) -> Result<()> {
        self.each(m, &["originalSkillUri", "relationType", "relatedSkillUri"], |b, c, r| {
            let imp = importance(c.get(r, "relationType")).map_err(|e| e.in_field("relationType"))?;
            b.add_skill_relation(c.get(r, "originalSkillUri"), c.get(r, "relatedSkillUri"), imp)
                .map_err(|e| rename_source_target(e, "originalSkillUri", "relatedSkillUri"))
        })
    }
}

/// The builder names relation ends `source`/`target`; ESCO files have their own column names.
fn rename_source_target(e: Error, source: &str, target: &str) -> Error {
    match e.position().field.as_deref() {
        Some("source") => e.renamed_field(source),
        Some("target") => e.renamed_field(target),
        _ => e,
    }
}

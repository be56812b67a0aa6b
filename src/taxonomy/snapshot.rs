//! The compact snapshot format: `SEPADAN-TAXONOMY` magic, a format version byte, then the
//! deflated postcard encoding of [`Snapshot`]. Concepts keep their ids (their position), so a
//! snapshot round-trips ids exactly.

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::{
    Importance, IscoGroup, LabelData, OccupationData, ReuseLevel, SkillData, SkillId, SkillKind, SkillType, Taxonomy,
};
use crate::error::{Error, Result};

/// The embedded ESCO v1.1.1 snapshot (rebuilt by `cargo run --release --example rebuild_snapshot`).
pub(crate) const EMBEDDED: &[u8] = include_bytes!("../../data/esco-v1.1.1.snapshot");

const MAGIC: &[u8] = b"SEPADAN-TAXONOMY";
const VERSION: u8 = 1;
/// Upper bound on the inflated size, so a crafted snapshot cannot exhaust memory.
const MAX_INFLATED: u64 = 1 << 30;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Snapshot {
    name: String,
    langs: Vec<String>,
    isco: Vec<IscoGroup>,
    skills: Vec<SkillRec>,
    occupations: Vec<OccupationRec>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct SkillRec {
    uri: String,
    kind: SkillKind,
    skill_type: SkillType,
    reuse: ReuseLevel,
    description: String,
    code: String,
    level: Option<u8>,
    collections: u8,
    labels: Vec<LabelData>,
    broader: Vec<u32>,
    related: Vec<(u32, Importance)>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct OccupationRec {
    uri: String,
    code: String,
    isco: String,
    description: String,
    labels: Vec<LabelData>,
    broader: Vec<u32>,
    essential: Vec<u32>,
    optional: Vec<u32>,
}

fn ids<T: Copy>(v: &[T], f: impl Fn(T) -> usize) -> Vec<u32> {
    v.iter().map(|&x| f(x) as u32).collect()
}

fn to_snapshot(t: &Taxonomy) -> Snapshot {
    Snapshot {
        name: t.name.clone(),
        langs: t.langs.clone(),
        isco: t.isco.clone(),
        skills: t
            .skills
            .iter()
            .map(|s| SkillRec {
                uri: s.uri.clone(),
                kind: s.kind,
                skill_type: s.skill_type,
                reuse: s.reuse,
                description: s.description.clone(),
                code: s.code.clone(),
                level: s.level,
                collections: s.collections,
                labels: s.labels.clone(),
                broader: ids(&s.broader, SkillId::index),
                related: s.related.iter().map(|&(id, imp)| (id.index() as u32, imp)).collect(),
            })
            .collect(),
        occupations: t
            .occupations
            .iter()
            .map(|o| OccupationRec {
                uri: o.uri.clone(),
                code: o.code.clone(),
                isco: o.isco.clone(),
                description: o.description.clone(),
                labels: o.labels.clone(),
                broader: ids(&o.broader, super::OccupationId::index),
                essential: ids(&o.essential, SkillId::index),
                optional: ids(&o.optional, SkillId::index),
            })
            .collect(),
    }
}

/// The canonical (uncompressed) encoding; equal taxonomies give equal bytes.
pub(crate) fn canonical_bytes(t: &Taxonomy) -> Vec<u8> {
    // Serialising plain structs of strings, integers and enums into a Vec cannot fail.
    postcard::to_stdvec(&to_snapshot(t)).unwrap_or_default()
}

pub(crate) fn encode(t: &Taxonomy) -> Vec<u8> {
    use std::io::Write;
    let raw = canonical_bytes(t);
    let mut out = Vec::with_capacity(raw.len() / 3);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    let mut enc = flate2::write::DeflateEncoder::new(out, flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(&raw);
    enc.finish().unwrap_or_default()
}

/// Inflates a snapshot, checking magic and version.
pub(crate) fn inflate(bytes: &[u8]) -> Result<Vec<u8>> {
    let body = bytes.strip_prefix(MAGIC).ok_or_else(|| Error::syntax("not a sepadan taxonomy snapshot (bad magic)"))?;
    let (&version, body) = body.split_first().ok_or_else(|| Error::syntax("truncated snapshot header"))?;
    if version != VERSION {
        return Err(Error::invalid(format!("snapshot format version {version}, this build reads {VERSION}")));
    }
    let mut raw = Vec::with_capacity(body.len() * 3);
    flate2::read::DeflateDecoder::new(body)
        .take(MAX_INFLATED)
        .read_to_end(&mut raw)
        .map_err(|e| Error::syntax(format!("damaged snapshot: {e}")))?;
    Ok(raw)
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Taxonomy> {
    let raw = inflate(bytes)?;
    let snap: Snapshot = postcard::from_bytes(&raw).map_err(|e| Error::syntax(format!("damaged snapshot: {e}")))?;
    let n_skills = snap.skills.len();
    let n_occ = snap.occupations.len();
    let skill = |i: u32| -> Result<SkillId> {
        if (i as usize) < n_skills {
            Ok(SkillId::from_index(i as usize))
        } else {
            Err(Error::syntax(format!("damaged snapshot: skill index {i} out of range")))
        }
    };
    let skills = snap
        .skills
        .into_iter()
        .map(|s| {
            Ok(SkillData {
                broader: s.broader.iter().map(|&i| skill(i)).collect::<Result<_>>()?,
                related: s.related.iter().map(|&(i, imp)| Ok((skill(i)?, imp))).collect::<Result<_>>()?,
                uri: s.uri,
                kind: s.kind,
                skill_type: s.skill_type,
                reuse: s.reuse,
                description: s.description,
                code: s.code,
                level: s.level,
                collections: s.collections,
                labels: s.labels,
                narrower: Vec::new(),
                related_from: Vec::new(),
                required_by: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let occupations = snap
        .occupations
        .into_iter()
        .map(|o| {
            let occ = |i: u32| -> Result<super::OccupationId> {
                if (i as usize) < n_occ {
                    Ok(super::OccupationId::from_index(i as usize))
                } else {
                    Err(Error::syntax(format!("damaged snapshot: occupation index {i} out of range")))
                }
            };
            Ok(OccupationData {
                broader: o.broader.iter().map(|&i| occ(i)).collect::<Result<_>>()?,
                essential: o.essential.iter().map(|&i| skill(i)).collect::<Result<_>>()?,
                optional: o.optional.iter().map(|&i| skill(i)).collect::<Result<_>>()?,
                uri: o.uri,
                code: o.code,
                isco: o.isco,
                description: o.description,
                labels: o.labels,
                narrower: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    super::TaxonomyBuilder::from_parts(snap.name, snap.langs, skills, occupations, snap.isco)?.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_snapshots_are_errors() {
        assert!(decode(b"").is_err());
        assert!(decode(b"SEPADAN-TAXONOMY").is_err());
        assert!(decode(b"SEPADAN-TAXONOMY\x02rest").is_err());
        assert!(decode(b"SEPADAN-TAXONOMY\x01not deflate at all").is_err());
        let good = EMBEDDED;
        for cut in [17, 100, good.len() / 2, good.len().saturating_sub(1)] {
            if cut < good.len() {
                assert!(decode(&good[..cut]).is_err(), "truncated at {cut}");
            }
        }
    }

    #[test]
    fn round_trips_ids_and_content() {
        let t = Taxonomy::esco_english().unwrap();
        let bytes = t.to_snapshot();
        let back = Taxonomy::from_snapshot(&bytes).unwrap();
        assert_eq!(canonical_bytes(&t), canonical_bytes(&back));
    }

    /// The shipped snapshot equals a fresh import of the official zips (when `../shared` is
    /// present; a clean CI checkout has it beside the project).
    #[test]
    fn shipped_snapshot_equals_fresh_import() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/esco-v1.1.1");
        if !dir.join(super::super::esco::ESCO_EN_ZIP).exists() {
            eprintln!("skipping: {} not present", dir.display());
            return;
        }
        let imported = super::super::EscoSource::from_dir(&dir).import(crate::LoadMode::Lenient).unwrap();
        let shipped = inflate(EMBEDDED).unwrap();
        assert!(
            canonical_bytes(&imported.taxonomy) == shipped,
            "data/esco-v1.1.1.snapshot is stale: rebuild it with `cargo run --release --example rebuild_snapshot`"
        );
    }
}

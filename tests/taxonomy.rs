use sepadan::{Collection, ErrorKind, Importance, LoadMode, SkillKind, Taxonomy};

use crate::common::{esco, shared_esco_dir};

#[test]
fn esco_counts() {
    let t = esco();
    assert_eq!(t.skill_count(), 13_896);
    assert_eq!(t.skill_group_count(), 640);
    assert_eq!(t.occupation_count(), 3_007);
    // 123,855 rows in occupationSkillRelations.csv, 67 of which name an occupation absent from
    // occupations_en.csv (see data/ESCO-NOTICE.md).
    assert_eq!(t.occupation_skill_link_count(), 123_788);
    // 5,899 rows, one of which relates a skill to itself.
    assert_eq!(t.skill_relation_count(), 5_898);
    assert_eq!(t.isco_groups().len(), 619);
    let essential: usize = t.occupations().map(|o| o.essential_skills().len()).sum();
    let optional: usize = t.occupations().map(|o| o.optional_skills().len()).sum();
    assert_eq!(essential + optional, 123_788);
    assert_eq!(t.skills().filter(|s| s.in_collection(Collection::Language)).count(), 346);
    assert_eq!(t.skills().filter(|s| s.in_collection(Collection::Digital)).count(), 1_201);
    let alt_en: usize = t
        .skills()
        .map(|s| s.labels().filter(|l| l.lang == "en" && l.kind == sepadan::LabelKind::Alternative).count())
        .sum();
    // 97,483 alternative labels in skills_en.csv; 12,564 of them repeat (after folding case,
    // accents and punctuation) the preferred label or another label of the same skill.
    assert_eq!(alt_en, 84_919);
}

#[test]
fn esco_import_reports_every_skipped_row() {
    let Some(dir) = shared_esco_dir() else {
        eprintln!("skipping: ../shared/data/esco-v1.1.1 is not present");
        return;
    };
    let import = sepadan::EscoSource::from_dir(&dir).import(LoadMode::Lenient).unwrap();
    let dangling_occupation =
        import.skipped.iter().filter(|e| e.to_string().contains("a9e54177-a185-404d-b6e6-15663d31137e")).count();
    assert_eq!(dangling_occupation, 68);
    assert_eq!(import.taxonomy.occupation_skill_link_count() + 67, 123_855);
    // Strict mode stops at the first of them, naming file, line and field.
    let err = sepadan::EscoSource::from_dir(&dir).import(LoadMode::Strict).unwrap_err();
    let pos = err.position();
    assert!(pos.file.as_ref().unwrap().ends_with("skillsHierarchy_en.csv"), "{err}");
    assert!(pos.line.is_some() && pos.field.is_some(), "{err}");
}

#[test]
fn lookups_by_uri_label_and_hierarchy() {
    let t = esco();
    let weld = t.skill_by_uri("http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc").unwrap();
    let s = t.skill(weld).unwrap();
    assert_eq!(s.label("en"), "use welding equipment");
    assert_eq!(t.resolve_skill("USE  Welding equipment").unwrap(), weld);
    assert!(!s.broader().is_empty());
    let ancestors = s.ancestors();
    assert!(ancestors.iter().any(|&a| t.skill(a).unwrap().kind() == SkillKind::Group));
    for &a in &ancestors {
        assert_ne!(a, weld);
    }
    let welder = t.resolve_occupation("welder").unwrap();
    let o = t.occupation(welder).unwrap();
    assert_eq!(o.isco_code(), "7212");
    assert_eq!(o.kbji_code(), "7212");
    assert_eq!(o.isco_group().unwrap().label, "Welders and flamecutters");
    assert!(!o.essential_skills().is_empty());
    for &skill in o.essential_skills() {
        let linked = t.skill(skill).unwrap().required_by();
        assert!(linked.contains(&(welder, Importance::Essential)));
    }
    assert!(!s.required_by().is_empty());
}

#[test]
fn indonesian_labels_are_loaded_and_resolve() {
    let t = esco();
    assert!(t.languages().iter().any(|l| l == "id"));
    let with_id = t.occupations().filter(|o| o.preferred_label("id").is_some()).count();
    assert_eq!(with_id, 3_007, "every occupation has an Indonesian preferred label");
    let skills_id = t.skills().filter(|s| s.preferred_label("id").is_some()).count();
    assert!(skills_id >= 4_000, "{skills_id}");
    let welder = t.resolve_occupation("welder").unwrap();
    assert_eq!(t.resolve_occupation("juru las").ok(), Some(welder));
}

#[test]
fn ambiguous_and_unknown_labels_are_reported() {
    let t = esco();
    let err = t.resolve_skill("use welding equipmnt").unwrap_err();
    match err.kind() {
        ErrorKind::UnknownReference { suggestions, .. } => {
            assert!(suggestions.iter().any(|s| s == "use welding equipment"), "{suggestions:?}")
        }
        k => panic!("expected unknown, got {k:?}"),
    }
    // Find a folded label carried by two skills, none as preferred: it must be ambiguous.
    let ambiguous = t
        .skills()
        .flat_map(|s| s.labels().map(|l| l.text.to_string()).collect::<Vec<_>>())
        .find(|label| {
            let hits = t.lookup_label(label);
            let skills: std::collections::HashSet<_> = hits
                .iter()
                .filter_map(|h| match h.concept {
                    sepadan::Concept::Skill(id) => Some(id),
                    _ => None,
                })
                .collect();
            skills.len() > 1 && !hits.iter().any(|h| h.kind == sepadan::LabelKind::Preferred)
        })
        .expect("ESCO has shared alternative labels");
    let err = t.resolve_skill(&ambiguous).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::AmbiguousReference { candidates, .. } if candidates.len() > 1), "{err}");
}

#[test]
fn snapshot_round_trip_and_extension() {
    let t = Taxonomy::esco_english().unwrap();
    let n = t.skill_count();
    let mut b = t.into_builder();
    let concepts = "uri,type,lang,label\nskkni:C.10SMW00.001.1,skill,id,Mengelas pelat posisi 1G dengan SMAW\n";
    let relations = "source,relation,target\nskkni:C.10SMW00.001.1,broader,http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc\n";
    b.add_concepts_csv(concepts.as_bytes(), "c.csv", LoadMode::Strict).unwrap();
    b.add_relations_csv(relations.as_bytes(), "r.csv", LoadMode::Strict).unwrap();
    let t = b.build().unwrap();
    assert_eq!(t.skill_count(), n + 1);
    let back = Taxonomy::from_snapshot(&t.to_snapshot()).unwrap();
    let id = back.resolve_skill("mengelas pelat posisi 1g dengan smaw").unwrap();
    assert_eq!(back.skill(id).unwrap().broader().len(), 1);
}

#[test]
fn truncated_or_foreign_zip_is_a_clear_error() {
    let err = sepadan::EscoSource::from_bytes(b"PK\x03\x04garbage".to_vec(), Vec::new())
        .import(LoadMode::Lenient)
        .unwrap_err();
    assert!(err.to_string().contains("not a readable zip archive"), "{err}");
    let Some(dir) = shared_esco_dir() else { return };
    let en = std::fs::read(dir.join("esco-v1.1.1-en-csv.zip")).unwrap();
    let rel = std::fs::read(dir.join("esco-v1.1.1-relations-csv.zip")).unwrap();
    let cut = en[..en.len() / 2].to_vec();
    let err = sepadan::EscoSource::from_bytes(cut, rel).import(LoadMode::Lenient).unwrap_err();
    assert!(err.position().file.is_some(), "{err}");
}

#[test]
fn zip_member_with_missing_column_names_file_and_column() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("ISCOGroups_en.csv", opts).unwrap();
        z.write_all(b"conceptUri,code,preferredLabel\nx,1,y\n").unwrap();
        z.finish().unwrap();
    }
    let err = sepadan::EscoSource::from_bytes(buf.into_inner(), Vec::new()).import(LoadMode::Lenient);
    let msg = err.unwrap_err().to_string();
    assert_eq!(msg, "esco-v1.1.1-en-csv.zip/ISCOGroups_en.csv: missing column `description`");
}

//! The taxonomy extension CSV loaders on arbitrary bytes (first byte picks the file kind).
//! Invariants: no panic; errors carry the file; a taxonomy that builds answers lookups.

use sepadan::{LoadMode, Taxonomy};

pub fn run(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else { return };
    let mut b = Taxonomy::builder("fuzz");
    // A known concept so that labels and relations have something to attach to.
    let seed = "uri,type,label\na,skill,alpha\nb,skill_group,beta\no,occupation,omega\n";
    if b.add_concepts_csv(seed.as_bytes(), "seed.csv", LoadMode::Strict).is_err() {
        panic!("seed concepts must load");
    }
    let result = match which % 3 {
        0 => b.add_concepts_csv(rest, "c.csv", LoadMode::Lenient),
        1 => b.add_labels_csv(rest, "l.csv", LoadMode::Lenient),
        _ => b.add_relations_csv(rest, "r.csv", LoadMode::Lenient),
    };
    match result {
        Ok(errors) => {
            for e in &errors {
                assert!(e.position().file.is_some() && e.position().line.is_some(), "{e}");
            }
        }
        Err(e) => assert!(e.position().file.is_some(), "{e}"),
    }
    if let Ok(t) = b.build() {
        let _ = t.resolve_skill("alpha");
        let bytes = t.to_snapshot();
        let back = Taxonomy::from_snapshot(&bytes).unwrap_or_else(|e| panic!("round trip failed: {e}"));
        assert_eq!(back.skill_count(), t.skill_count());
    }
}

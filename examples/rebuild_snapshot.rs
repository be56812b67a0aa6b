//! Rebuilds `data/esco-v1.1.1.snapshot` from the official ESCO v1.1.1 CSV zips.
//!
//! ```text
//! cargo run --release --example rebuild_snapshot -- [DIR_WITH_ZIPS] [OUT_FILE]
//! ```
//! Defaults: `../shared/data/esco-v1.1.1` and `data/esco-v1.1.1.snapshot`. Rows the import had to
//! skip are printed; `data/ESCO-NOTICE.md` records them as changes to the source.

use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/esco-v1.1.1".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "data/esco-v1.1.1.snapshot".into()));
    let import = sepadan::EscoSource::from_dir(&dir).import(sepadan::LoadMode::Lenient)?;
    let t = &import.taxonomy;
    println!(
        "{}: {} skills, {} skill groups, {} occupations, {} occupation-skill links, {} skill-skill relations, {} ISCO groups",
        t.name(),
        t.skill_count(),
        t.skill_group_count(),
        t.occupation_count(),
        t.occupation_skill_link_count(),
        t.skill_relation_count(),
        t.isco_groups().len()
    );
    println!("{} source rows skipped:", import.skipped.len());
    for e in &import.skipped {
        println!("  {e}");
    }
    let bytes = t.to_snapshot();
    // Write beside the target and rename, so a crash never leaves a half-written snapshot.
    let tmp = out.with_extension("snapshot.tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(&bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, &out)?;
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

//! Embeds every Indonesian label file in `data/labels/id/` so that `Taxonomy::esco()` needs no
//! file access at run time. Files are embedded in name order for a deterministic build.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not baked in when it is compiled: a build script reused from
    // another checkout of the same target directory would otherwise read (or miss) that
    // checkout's files.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&manifest).join("data/labels/id");
    println!("cargo:rerun-if-changed={}", dir.display());
    // The labels ship with the crate: a build without them would give a taxonomy silently
    // missing its Indonesian labels, so it fails here instead.
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => panic!("cannot read the Indonesian label files in {}: {e}", dir.display()),
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "csv"));
    if files.is_empty() {
        panic!("no Indonesian label files (*.csv) in {}", dir.display());
    }
    files.sort();
    let mut out = String::from("/// Indonesian label files embedded from `data/labels/id/`.\n");
    out.push_str("pub(crate) const EMBEDDED_ID_LABELS: &[(&str, &str)] = &[\n");
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("labels.csv");
        let _ = writeln!(out, "    (\"data/labels/id/{name}\", include_str!({:?})),", p.display().to_string());
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let target = Path::new(&out_dir).join("id_labels.rs");
    if std::fs::read_to_string(&target).ok().as_deref() != Some(out.as_str()) {
        if let Err(e) = std::fs::write(&target, out) {
            panic!("cannot write {}: {e}", target.display());
        }
    }
}

//! Replays every committed fuzz input (`fuzz/corpus/*` and `fuzz/regressions/*`) through the same
//! harness the fuzz targets use, so plain `cargo test` keeps fixed crashes fixed.

#[path = "../fuzz/harness/analyze.rs"]
mod analyze;
#[path = "../fuzz/harness/extract.rs"]
mod extract;
#[path = "../fuzz/harness/jsonl_records.rs"]
mod jsonl_records;
#[path = "../fuzz/harness/match_records.rs"]
mod match_records;
#[path = "../fuzz/harness/regions.rs"]
mod regions;
#[path = "../fuzz/harness/search.rs"]
mod search;
#[path = "../fuzz/harness/snapshot.rs"]
mod snapshot;
#[path = "../fuzz/harness/taxonomy_csv.rs"]
mod taxonomy_csv;

fn replay(target: &str, run: fn(&[u8])) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths.into_iter().filter(|p| p.is_file() && !p.ends_with(".keep")) {
            let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            eprintln!("replaying {}", p.display());
            run(&data);
            n += 1;
        }
    }
    assert!(n > 0, "no corpus for fuzz target {target}");
}

#[test]
fn replay_jsonl_records() {
    replay("jsonl_records", jsonl_records::run);
}

#[test]
fn replay_taxonomy_csv() {
    replay("taxonomy_csv", taxonomy_csv::run);
}

#[test]
fn replay_snapshot() {
    replay("snapshot", snapshot::run);
}

#[test]
fn replay_regions() {
    replay("regions", regions::run);
}

#[test]
fn replay_analyze() {
    replay("analyze", analyze::run);
}

#[test]
fn replay_extract() {
    replay("extract", extract::run);
}

#[test]
fn replay_search() {
    replay("search", search::run);
}

#[test]
fn replay_match_records() {
    replay("match_records", match_records::run);
}

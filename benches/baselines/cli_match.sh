#!/usr/bin/env bash
# Issue 6's end-to-end figure: `sepadan match` against the scipy sparse-cosine baseline on the
# same JSON Lines files (20,000 candidates x 100,000 postings, skills as ESCO URIs), parsing and
# writing included, one after the other in one run.
#
#   benches/baselines/cli_match.sh [POSTINGS] [CANDIDATES]     # default 100000 20000
#
# Needs: pip install scikit-learn. Prints wall time and peak memory of each side.
set -euo pipefail
cd "$(dirname "$0")/../.."
postings="${1:-100000}"
candidates="${2:-20000}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet --features cli --bin sepadan
cargo run --release --quiet --example export_market -- "$postings" "$candidates" "$dir"
ls -l "$dir"
timed() { /usr/bin/env time -f "  wall %e s, peak RSS %M KiB" "$@"; }
echo "sepadan match (top 10, exact explainable fit, $(nproc) threads):"
timed target/release/sepadan --quiet match --jobs "$dir/postings.jsonl" --candidates "$dir/candidates.jsonl" --top 10 -o "$dir/sepadan.jsonl"
echo "scipy sparse cosine (top 10):"
timed python3 benches/baselines/sparse_cosine_jsonl.py "$dir" "$dir/scipy.jsonl"
wc -l "$dir/sepadan.jsonl" "$dir/scipy.jsonl"

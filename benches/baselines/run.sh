#!/usr/bin/env bash
# Runs the benchmark harness and the Python baselines on the same synthetic market, one after
# the other, so the ratios in docs/BENCHMARKS.md come from one run on one machine.
#
#   benches/baselines/run.sh [SIZE]      # default 100000
#
# Needs: pip install scikit-learn rank_bm25
set -euo pipefail
cd "$(dirname "$0")/../.."
size="${1:-100000}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cargo run --release --example harness -- --export "$dir" "$size"
echo
python3 benches/baselines/search_baselines.py "$dir/$size"
echo
python3 benches/baselines/sparse_cosine.py "$dir/$size"

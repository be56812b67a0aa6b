#!/usr/bin/env python3
"""Baseline for the fit engine's batch benchmark: top-10 postings per candidate by sparse cosine
similarity over skill ids, with scikit-learn / SciPy, on the same synthetic market the Rust
harness exports (`cargo run --release --example match_batch -- POSTINGS CANDIDATES DIR`).

    pip install scikit-learn
    python3 benches/baselines/sparse_cosine.py DIR

Input: DIR/postings.txt and DIR/candidates.txt, one record per line: skill indices separated by
spaces. Prints the time to build the matrices and the time to rank, with the thread count.
"""
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize


def load(path):
    rows, cols = [], []
    n = 0
    with open(path) as f:
        for i, line in enumerate(f):
            for tok in line.split():
                rows.append(i)
                cols.append(int(tok))
            n = i + 1
    return rows, cols, n


def main():
    d = sys.argv[1]
    t0 = time.perf_counter()
    pr, pc, np_ = load(f"{d}/postings.txt")
    cr, cc, nc = load(f"{d}/candidates.txt")
    width = max(max(pc, default=0), max(cc, default=0)) + 1
    P = sp.csr_matrix((np.ones(len(pr), dtype=np.float32), (pr, pc)), shape=(np_, width))
    C = sp.csr_matrix((np.ones(len(cr), dtype=np.float32), (cr, cc)), shape=(nc, width))
    P = normalize(P)
    C = normalize(C)
    PT = P.T.tocsr()
    t1 = time.perf_counter()
    k = 10
    chunk = 500
    found = 0
    for start in range(0, nc, chunk):
        S = (C[start:start + chunk] @ PT).toarray()
        top = np.argpartition(-S, k, axis=1)[:, :k]
        found += top.shape[0] * k
    t2 = time.perf_counter()
    print(f"scipy sparse cosine: {nc} candidates x {np_} postings, load+build {t1 - t0:.1f}s, "
          f"rank top-{k} {t2 - t1:.1f}s, total {t2 - t0:.1f}s ({found} matches)")


if __name__ == "__main__":
    main()

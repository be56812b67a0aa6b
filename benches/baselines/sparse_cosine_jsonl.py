#!/usr/bin/env python3
"""End-to-end baseline for `sepadan match`: the same JSON Lines files in, top-10 postings per
candidate by sparse cosine similarity over skill URIs out, parsing and writing included.

    pip install scikit-learn
    cargo run --release --example export_market -- 100000 20000 DIR
    python3 benches/baselines/sparse_cosine_jsonl.py DIR OUT.jsonl

Reads DIR/postings.jsonl and DIR/candidates.jsonl (docs/FORMATS.md; skills given as ESCO URIs),
maps each skill URI to a column, builds binary CSR matrices, L2-normalises them, ranks in
chunks of 500 candidates with one sparse product each, and writes one JSON line per candidate:
{"candidate", "matches": [{"job", "score"}]}. Prints the time of each step. benches/baselines/
cli_match.sh runs it beside the sepadan binary on the same files.
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize


def load(path, field, columns):
    ids, rows, cols = [], [], []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            r = json.loads(line)
            i = len(ids)
            ids.append(r["id"])
            for s in r.get(field) or []:
                cols.append(columns.setdefault(s["skill"], len(columns)))
                rows.append(i)
    return ids, rows, cols


def main():
    d, out_path = sys.argv[1], sys.argv[2]
    k = 10
    t0 = time.perf_counter()
    columns = {}
    job_ids, pr, pc = load(f"{d}/postings.jsonl", "requirements", columns)
    cand_ids, cr, cc = load(f"{d}/candidates.jsonl", "skills", columns)
    width = len(columns)
    P = sp.csr_matrix((np.ones(len(pr), dtype=np.float32), (pr, pc)), shape=(len(job_ids), width))
    C = sp.csr_matrix((np.ones(len(cr), dtype=np.float32), (cr, cc)), shape=(len(cand_ids), width))
    P.sum_duplicates()
    C.sum_duplicates()
    PT = normalize(P).T.tocsr()
    C = normalize(C)
    t1 = time.perf_counter()
    chunk = 500
    with open(out_path, "w") as out:
        for start in range(0, len(cand_ids), chunk):
            S = (C[start:start + chunk] @ PT).toarray()
            kk = min(k, S.shape[1] - 1)
            top = np.argpartition(-S, kk, axis=1)[:, :kk]
            for row, idx in enumerate(top):
                scores = S[row, idx]
                order = np.argsort(-scores)
                matches = [{"job": job_ids[idx[o]], "score": float(scores[o])} for o in order]
                out.write(json.dumps({"candidate": cand_ids[start + row], "matches": matches}) + "\n")
    t2 = time.perf_counter()
    print(f"scipy sparse cosine (JSON Lines): {len(cand_ids)} candidates x {len(job_ids)} postings, "
          f"parse+build {t1 - t0:.1f}s, rank+write {t2 - t1:.1f}s, total {t2 - t0:.1f}s")


if __name__ == "__main__":
    main()

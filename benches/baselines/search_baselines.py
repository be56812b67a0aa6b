#!/usr/bin/env python3
"""Baselines for the harness's search stage: the same postings and the same queries (text plus
province filter), ranked by scikit-learn TF-IDF cosine and by rank_bm25's BM25Okapi.

    pip install scikit-learn rank_bm25
    cargo run --release --example harness -- --export DIR 100000
    python3 benches/baselines/search_baselines.py DIR/100000 [BM25_QUERIES]

Input (written by the harness): search_docs.jsonl ({"id", "province", "text"}) and
search_queries.jsonl ({"text", "province"}). Both baselines lowercase and split on non-word
characters (no stemming, no stop words, no Indonesian handling): they measure the cost of a
plain in-memory ranker, not its quality. rank_bm25 scores every document per query in Python,
so it runs on the first BM25_QUERIES queries (default 100). Prints build time, per-query median
and p99, one line per baseline.
"""
import json
import re
import sys
import time

import numpy as np

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return TOKEN.findall(text.lower())


def load(d):
    docs, provinces = [], []
    with open(f"{d}/search_docs.jsonl") as f:
        for line in f:
            r = json.loads(line)
            docs.append(r["text"])
            provinces.append(r.get("province") or "")
    queries = []
    with open(f"{d}/search_queries.jsonl") as f:
        for line in f:
            r = json.loads(line)
            queries.append((r.get("text") or "", r.get("province") or ""))
    return docs, np.array(provinces), queries


def top10(scores, mask):
    scores = np.where(mask, scores, -np.inf)
    k = min(10, len(scores) - 1)
    idx = np.argpartition(-scores, k)[:k]
    return idx[np.argsort(-scores[idx])]


def report(name, build, latencies):
    lat = np.sort(np.array(latencies)) * 1e3
    med = lat[len(lat) // 2]
    p99 = lat[min(len(lat) - 1, int(round((len(lat) - 1) * 0.99)))]
    print(f"{name}: build {build:.2f}s, {len(lat)} queries, median {med:.3f} ms, p99 {p99:.3f} ms")


def main():
    d = sys.argv[1]
    bm25_queries = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    docs, provinces, queries = load(d)
    print(f"{len(docs)} postings, {len(queries)} queries")

    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    vec = TfidfVectorizer(tokenizer=tokens, lowercase=False, token_pattern=None)
    X = vec.fit_transform(docs).tocsr()
    build = time.perf_counter() - t0
    lat = []
    for text, province in queries:
        s = time.perf_counter()
        q = vec.transform([text])
        scores = (X @ q.T).toarray().ravel()
        top10(scores, provinces == province if province else np.ones(len(docs), bool))
        lat.append(time.perf_counter() - s)
    report("scikit-learn TF-IDF cosine", build, lat)

    from rank_bm25 import BM25Okapi

    t0 = time.perf_counter()
    bm25 = BM25Okapi([tokens(t) for t in docs])
    build = time.perf_counter() - t0
    lat = []
    for text, province in queries[:bm25_queries]:
        s = time.perf_counter()
        scores = bm25.get_scores(tokens(text))
        top10(scores, provinces == province if province else np.ones(len(docs), bool))
        lat.append(time.perf_counter() - s)
    report("rank_bm25 BM25Okapi", build, lat)


if __name__ == "__main__":
    main()

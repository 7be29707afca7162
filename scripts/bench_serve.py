#!/usr/bin/env python3
"""Benchmark: what a draft check costs on `kgraph serve`, against baselines in the same run.

Serves a corpus (default: the project's claims/) on a free loopback port and times, as medians:
POST /api/v1/draft with a short draft, against GET /api/v1/status (the server's floor: one
request with no work); and `check_draft` with the server's kept claim index, against reading the
index afresh each time (what a check costs without it), per sentence for a long draft.

Usage: scripts/bench_serve.py [--root claims] [--repeat 10]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kgraph.corpus.check import checked_corpus  # noqa: E402
from kgraph.web import running_server  # noqa: E402
from kgraph.writers.draft import check_draft  # noqa: E402
from kgraph.writers.find import ClaimIndex  # noqa: E402

DRAFT = (
    "Ketamine blocks NMDA receptors. Ketamine quiets the fear center of the brain. "
    "Ketamine rewires the brain. Ketamine is a reset button for the brain. "
    "Our clinic offers free parking. It works within hours.\n"
)


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO / "claims")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    corpus = checked_corpus(args.root)
    index = ClaimIndex(corpus)
    long_draft = DRAFT * 50
    sentences = len(check_draft(corpus, long_draft, "text", index=index).sentences)
    fresh = median_seconds(lambda: check_draft(corpus, DRAFT, "text"), args.repeat)
    kept = median_seconds(lambda: check_draft(corpus, DRAFT, "text", index=index), args.repeat)
    per_sentence = median_seconds(
        lambda: check_draft(corpus, long_draft, "text", index=index), max(3, args.repeat // 3)
    )
    with running_server(args.root, watch=False) as url:
        parts = urlsplit(url)

        def ask(method: str, path: str, body: bytes | None = None) -> None:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            conn.request(method, path, body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status != 200:
                raise SystemExit(f"{method} {path}: {resp.status}")

        body = json.dumps({"text": DRAFT, "format": "text"}).encode()
        ask("POST", "/api/v1/draft", body)  # warm up
        draft = median_seconds(lambda: ask("POST", "/api/v1/draft", body), args.repeat)
        status = median_seconds(lambda: ask("GET", "/api/v1/status"), args.repeat * 5)
    print(f"corpus: {len(corpus.claims)} claims; medians of {args.repeat} runs")
    print(f"POST /api/v1/draft, 6 sentences: {draft * 1000:.0f} ms")
    print(f"GET /api/v1/status (baseline):   {status * 1000:.1f} ms", end="")
    print(f"  -> draft {draft / status:.0f}x")
    print(f"check_draft, index read afresh:  {fresh * 1000:.0f} ms")
    print(f"check_draft, the server's index: {kept * 1000:.0f} ms", end="")
    print(f"  -> kept {fresh / kept:.1f}x faster")
    print(f"per sentence of a {sentences}-sentence draft: {per_sentence / sentences * 1000:.1f} ms")


if __name__ == "__main__":
    main()

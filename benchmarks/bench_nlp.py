"""Throughput of the NLP stage alone (build_nlp + parse) in words per second on one core.

    python benchmarks/bench_nlp.py [--repeat N] [--min-words W]

Text: the bundled corpus sources (corpus/src/*.md) plus ../shared/real/texts when present,
concatenated and repeated to at least ``--min-words`` words, parsed as one Document.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extractor.nlp.pipeline import build_nlp, parse
from extractor.records import Document

ROOT = Path(__file__).resolve().parents[1]
TARGET_WORDS_PER_S = 150_000


def corpus_text() -> str:
    paths = sorted((ROOT / "corpus" / "src").glob("*.md"))
    real = ROOT.parent / "shared" / "real" / "texts"
    if real.is_dir():
        paths += sorted(real.glob("*.txt"))
    return "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in paths)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--min-words", type=int, default=1_000_000)
    args = ap.parse_args()
    base = corpus_text()
    words = len(base.split())
    text = "\n\n".join([base] * max(1, -(-args.min_words // max(words, 1))))
    n_words = len(text.split())
    t0 = time.perf_counter()
    build_nlp()
    build_s = time.perf_counter() - t0
    doc = Document(path="bench.txt", sha256="", kind="text", text=text)
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        _, sentences = parse(doc)
        best = min(best, time.perf_counter() - t0)
    rate = n_words / best
    print(f"build_nlp: {build_s:.2f}s; parse: {n_words:,} words, {len(sentences):,} sentences in {best:.2f}s "
          f"-> {rate:,.0f} words/s (target {TARGET_WORDS_PER_S:,})")


if __name__ == "__main__":
    main()

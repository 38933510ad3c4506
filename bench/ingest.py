"""Benchmark: the whole ingest against feedparser alone, over the same bytes, in one run.

Every feed in ../shared/corpus/real/ is read from disk once (so disk time is outside both
measurements); then, alternating rounds so a busy machine slows both sides alike:
- baseline: ``feedparser.parse(bytes)`` with its default options (its sanitiser on);
- ingest: our parse (feedparser, its sanitiser off), normalise + clean (boilerplate, nh3,
  html-to-markdown), dedupe, and writing every post into a scratch folder.
Target (issue 4): ingest / feedparser <= 1.5.

    .venv/bin/python bench/ingest.py [--rounds 3] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.ingest.dedupe import dedupe  # noqa: E402
from digest.ingest.feedlist import FeedSource  # noqa: E402
from digest.ingest.normalise import FeedOptions, normalise_entry  # noqa: E402
from digest.ingest.parse import NotAFeed, parse_feed  # noqa: E402
from digest.store.state import State  # noqa: E402
from digest.store.write import write_articles  # noqa: E402

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def load(corpus: Path) -> list[tuple[str, bytes]]:
    return [(str(path), path.read_bytes()) for path in sorted(corpus.rglob("*")) if path.is_file()]


def feedparser_alone(feeds: list[tuple[str, bytes]]) -> int:
    return sum(len(feedparser.parse(body).entries) for _, body in feeds)


def ingest(feeds: list[tuple[str, bytes]], docs: Path, stages: dict[str, float]) -> tuple[int, int]:
    """The whole ingest; adds each stage's seconds to ``stages``."""
    articles = []
    clock = time.perf_counter()
    for name, body in feeds:
        try:
            feed = parse_feed(body, {}, name)
        except NotAFeed:
            continue
        parsed = time.perf_counter()
        stages["parse"] += parsed - clock
        source = FeedSource(name, None, name)
        articles += [normalise_entry(entry, feed, source, NOW, FeedOptions(full_text=True))
                     for entry in feed.entries]
        clock = time.perf_counter()
        stages["normalise + clean"] += clock - parsed
    unique = dedupe(articles)
    stages["dedupe"] += time.perf_counter() - clock
    clock = time.perf_counter()
    written = write_articles(unique, State(), docs, "posts", ZoneInfo("UTC"), {})
    stages["write"] += time.perf_counter() - clock
    return len(articles), len(written.new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "real")
    args = parser.parse_args()
    feeds = load(args.corpus)
    baseline, ours, best_stages = [], [], {}
    for _ in range(args.rounds):
        gc.collect()
        start = time.perf_counter()
        entries = feedparser_alone(feeds)
        baseline.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as scratch:
            gc.collect()
            stages = dict.fromkeys(("parse", "normalise + clean", "dedupe", "write"), 0.0)
            start = time.perf_counter()
            articles, posts = ingest(feeds, Path(scratch), stages)
            ours.append(time.perf_counter() - start)
            if ours[-1] == min(ours):
                best_stages = stages
    best_base, best_ours = min(baseline), min(ours)
    print(f"{len(feeds)} feeds, {entries} entries (feedparser), {articles} articles, "
          f"{posts} posts written after dedupe")
    print(f"feedparser.parse alone: {best_base:.2f} s ({best_base / entries * 1000:.2f} ms/entry)")
    print(f"whole ingest:           {best_ours:.2f} s ({best_ours / max(articles, 1) * 1000:.2f} ms/entry)")
    for stage, seconds in best_stages.items():
        print(f"  {stage:<18} {seconds:6.2f} s  {seconds / best_base:.2f}x feedparser")
    in_memory = best_ours - best_stages.get("write", 0.0)
    print(f"ratio without the write stage: {in_memory / best_base:.2f}x")
    print(f"ratio ingest/feedparser: {best_ours / best_base:.2f}x (target <= 1.5x; best of {args.rounds})")


if __name__ == "__main__":
    main()

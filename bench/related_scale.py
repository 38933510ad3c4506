"""How related-article computation scales: CPU seconds and peak memory for 1,000, 10,000 and
50,000 synthetic articles, and how many old "See also" lists one more night of news changes.

Usage: .venv/bin/python bench/related_scale.py [--words N] [SIZES...]
       (default: 1000 10000 50000 articles of 180 words; related.py reads at most 400)

Each size runs in a fresh child process so that its peak memory (ru_maxrss) is its own.
The synthetic news: stories of 1-8 articles from 60 sources at 1,000 articles a day; each
article mixes its story's own names, its topic's words (30 topics: the near-topic
distractors; 5 of each topic's words are in nearly all its articles) and common words drawn with Zipf's law, in titles of 8 and bodies of 180 words (--words).
"""

from __future__ import annotations

import math
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.store.posts import Post  # noqa: E402
from digest.site.related import compute_links  # noqa: E402

PER_DAY = 1000
SOURCES = 60
TOPICS = 30
HOT = 5             # each topic's few words that nearly all its articles use, often
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def pseudo_words(rng: np.random.Generator, count: int, syllables: int) -> list[str]:
    parts = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    picks = rng.integers(0, len(parts), size=(count, syllables))
    return sorted({"".join(parts[i] for i in row) for row in picks})


def synthetic_posts(n: int, seed: int = 7, body_words: int = 180) -> list[Post]:
    rng = np.random.default_rng(seed)
    common = pseudo_words(rng, 30_000, 3)
    topic_words = [pseudo_words(rng, 300, 4) for _ in range(TOPICS)]
    zipf = np.cumsum(1 / np.arange(1, len(common) + 1) ** 1.05)
    zipf /= zipf[-1]
    posts, story = [], 0
    while len(posts) < n:
        size = int(rng.integers(1, 9))
        names = pseudo_words(rng, 8, 5)
        topic = topic_words[int(rng.integers(TOPICS))]
        hot = topic[:HOT]
        for _ in range(min(size, n - len(posts))):
            number = len(posts)
            def words(count: int) -> list[str]:
                kinds = rng.random(count)
                name_picks = rng.integers(len(names), size=count)
                topic_picks = rng.integers(len(topic), size=count)
                common_picks = np.searchsorted(zipf, rng.random(count))
                return [names[a] if kind < 0.15 else hot[b % HOT] if kind < 0.2
                        else topic[b] if kind < 0.45 else common[c]
                        for kind, a, b, c in zip(kinds, name_picks, topic_picks, common_picks)]
            date = START + timedelta(days=number // PER_DAY, seconds=int(rng.integers(86_400)))
            posts.append(Post(
                src=f"posts/{number:06d}.md", id=f"story-{story}-{number}", title=" ".join(words(8)),
                date=date, source=f"Source {int(rng.integers(SOURCES))}", link=f"https://example.org/{number}",
                author="", categories=(), summary="", text=" ".join(words(body_words)),
                see_also=None, support=True, generated=True))
        story += 1
    return posts


def measure(n: int, body_words: int) -> None:
    """Run in a child: print n, CPU seconds, peak MiB, links found, old lists changed."""
    posts = synthetic_posts(n, body_words=body_words)
    start, wall_start = time.process_time(), time.perf_counter()
    links = compute_links(posts, 3, 0.12)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with_link = sum(1 for p in posts if p.src in links.see_also or p.src in links.follow_ups)
    story = {p.src: p.id.rsplit("-", 1)[0] for p in posts}
    shown = [(a, b) for a, bs in links.see_also.items() for b in bs]
    right = sum(1 for a, b in shown if story[a] == story[b])
    # One more night: the first n - PER_DAY articles, then all n. Old lists that differ churned.
    before = compute_links(sorted(posts, key=lambda p: p.date)[: n - PER_DAY], 3, 0.12).see_also
    changed = sum(1 for src, srcs in before.items() if links.see_also.get(src) != srcs)
    print(f"{n}\t{cpu:.2f}\t{wall:.2f}\t{peak:.0f}\t{with_link / n:.3f}\t{right / len(shown):.3f}\t"
          f"{changed}/{len(before)}", flush=True)


def main(argv: list[str]) -> int:
    body_words = 180
    if argv[:1] == ["--words"]:
        body_words, argv = int(argv[1]), argv[2:]
    if argv and argv[0] == "--child":
        measure(int(argv[1]), body_words)
        return 0
    sizes = [int(a) for a in argv] or [1000, 10_000, 50_000]
    print(f"bodies of {body_words} words")
    print("articles\tCPU s\twall s\tpeak MiB\twith a link\tprecision\tSee also lists changed by one more night")
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--words", str(body_words), "--child", str(n)],
                             capture_output=True,
                             text=True, check=True).stdout.strip()
        print(out, flush=True)
        rows.append((n, float(out.split("\t")[1])))
    for (n1, t1), (n2, t2) in zip(rows, rows[1:]):
        print(f"{n1} -> {n2}: time x{t2 / t1:.1f}; n x{n2 / n1:.0f}, "
              f"n log n x{n2 * math.log(n2) / (n1 * math.log(n1)):.1f}, n^2 x{(n2 / n1) ** 2:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How stories scale: all stories of a big archive at once, then one more night placed into it.

Usage: .venv/bin/python bench/stories_scale.py [ARTICLES] [--per-day N]
       (default: 150000 articles at 400 a night, about a year of the repo's own feeds)

The synthetic news of bench/related_scale.py (stories of 1 to 8 articles from 60 sources,
near-topic distractors, Zipf-distributed common words, bodies of 180 words), at ``--per-day``
articles a day. In a fresh child process, so that its peak memory is its own:
1. the stories of ARTICLES articles from nothing (a first run, or a lost story file): CPU
   and wall seconds, peak memory, B-cubed figures against the generator's stories;
2. one more night of ``--per-day`` articles placed into that assignment, as the nightly job
   does: wall seconds, and how many of the older posts the night moved to another story;
3. the same posts again with the new assignment: a rerun, which must change nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import sys
import time
from collections import defaultdict
from multiprocessing import forkserver
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import related_scale  # noqa: E402
from digest.site.stories import assign_stories  # noqa: E402


def b_cubed(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float]:
    clusters, classes = defaultdict(set), defaultdict(set)
    for src in truth:
        clusters[predicted[src]].add(src)
        classes[truth[src]].add(src)
    precision = sum(len(clusters[predicted[s]] & classes[truth[s]]) / len(clusters[predicted[s]])
                    for s in truth) / len(truth)
    recall = sum(len(clusters[predicted[s]] & classes[truth[s]]) / len(classes[truth[s]])
                 for s in truth) / len(truth)
    return precision, recall


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fingerprint(assignment) -> str:
    """A hash of every post's story, to compare runs (before and after a speed-up)."""
    lines = "".join(f"{post}\t{slug}\n" for post, slug in sorted(assignment.story_of.items()))
    merged = "".join(f"{old}\t{new}\n" for old, new in sorted(assignment.merged.items()))
    return hashlib.sha256((lines + "--\n" + merged).encode()).hexdigest()[:16]


def measure(n: int, per_day: int) -> None:
    related_scale.PER_DAY = per_day
    posts = related_scale.synthetic_posts(n + per_day)
    posts.sort(key=lambda post: (post.date, post.src))
    archive = posts[:n]
    cpu, wall, workers_cpu = time.process_time(), time.perf_counter(), children_cpu()
    stories = assign_stories(archive)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # The workers are the fork server's children: it reaps them, and its figures (CPU, the
    # largest peak) come to this process only when it is stopped and reaped in turn.
    forkserver._forkserver._stop()
    workers_cpu = children_cpu() - workers_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A pool's workers (terms and names read on both cores) have their own peaks.
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    truth = {post.src: post.id.rsplit("-", 1)[0] for post in archive}
    precision, recall = b_cubed(stories.story_of, truth)
    print(f"at once: {n} articles: {cpu:.1f} CPU s here + {workers_cpu:.1f} in workers, "
          f"{wall:.1f} s, peak {peak:.0f} MiB (largest worker {worker_peak:.0f} MiB); "
          f"{len(stories.stories)} stories; B-cubed precision {precision:.3f}, recall {recall:.3f}; "
          f"assignment {fingerprint(stories.assignment)}", flush=True)
    night_cpu, night = time.process_time(), time.perf_counter()
    grown = assign_stories(posts, stories.assignment)
    night_cpu, night = time.process_time() - night_cpu, time.perf_counter() - night
    print(f"one night: {per_day} new articles placed among {n}: {night_cpu:.2f} CPU s, "
          f"{night:.2f} s; older posts moved: {grown.moved} of {n} ({grown.moved / n:.3%})",
          flush=True)
    rerun_cpu, rerun = time.process_time(), time.perf_counter()
    again = assign_stories(posts, grown.assignment)
    rerun_cpu, rerun = time.process_time() - rerun_cpu, time.perf_counter() - rerun
    print(f"rerun over the same {len(posts)} posts: {rerun_cpu:.2f} CPU s, {rerun:.2f} s; "
          f"assignment unchanged: {again.assignment == grown.assignment}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=150_000)
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        measure(args.articles, args.per_day)
        return 0
    return subprocess.run([sys.executable, __file__, str(args.articles), "--per-day",
                           str(args.per_day), "--child"]).returncode


if __name__ == "__main__":
    sys.exit(main())

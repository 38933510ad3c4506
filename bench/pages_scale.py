"""What in ``digest pages`` grows faster than the archive: each stage's cost at several sizes.

Usage: .venv/bin/python bench/pages_scale.py [SIZES...] [--per-night N] [--keep DIR]
       (default: 10000 50000 150000 articles at 400 a night)

For each size, bench/site_build.py's synthetic posts (front matter as ``digest fetch`` writes
it, 30% full texts) are written into a scratch copy of the site, then, in a fresh child
process (so that its peak memory is its own), ``pipeline.refresh_pages`` runs twice with
each of its stages timed (CPU and wall seconds):

1. the first run over the whole archive (no story file yet: every post is placed);
2. one more night (``--per-night`` new posts, dated the next day) on top, with the story
   file the first run wrote: what the nightly job pays.

It prints a row per size and run, and the growth of each stage from one size to the next
next to the archive's (n), so a stage that grows faster than n stands out.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import site_build  # noqa: E402

# The stages of pipeline.refresh_pages, by the name it calls them under.
STAGES = ("load_posts", "compute_links", "load_assignment", "assign_stories", "load_notes",
          "plan_pages", "build_site", "write_outputs")
NEWEST = datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc)


def timed_pages(site: Path) -> dict[str, tuple[float, float]]:
    """Run ``refresh_pages`` in ``site`` with each stage timed: name -> (CPU s, wall s)."""
    from digest import pipeline
    from digest.config import load_settings

    times: dict[str, tuple[float, float]] = {}

    def timing(name, function):
        def run(*args, **kwargs):
            cpu, wall = time.process_time(), time.perf_counter()
            result = function(*args, **kwargs)
            times[name] = (time.process_time() - cpu, time.perf_counter() - wall)
            return result
        return run

    originals = {name: getattr(pipeline, name) for name in STAGES if hasattr(pipeline, name)}
    for name, function in originals.items():
        setattr(pipeline, name, timing(name, function))
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        pipeline.refresh_pages(load_settings(site / "mkdocs.yml"))
        times["total"] = (time.process_time() - cpu, time.perf_counter() - wall)
    finally:
        for name, function in originals.items():
            setattr(pipeline, name, function)
    return {name: times.get(name, (0.0, 0.0)) for name in STAGES + ("total",)}


def child(site: Path, count: int, per_night: int) -> None:
    first = timed_pages(site)
    site_build.write_articles(site / "docs", per_night, per_night=per_night, first=count,
                              newest=NEWEST + timedelta(days=1))
    night = timed_pages(site)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first": first, "night": night, "peak": peak}))


def measure(count: int, per_night: int, workdir: Path) -> dict:
    site = site_build.scratch_site(workdir / f"site-{count}")
    site_build.write_articles(site / "docs", count, per_night=per_night, newest=NEWEST)
    out = subprocess.run([sys.executable, __file__, "--child", str(site), str(count),
                          "--per-night", str(per_night)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    shutil.rmtree(site, ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(results: dict[int, dict]) -> None:
    names = STAGES + ("total",)
    print("CPU seconds per stage of digest pages (wall in brackets); peak resident MiB")
    print(f"{'articles':>8} {'run':>6} " + " ".join(f"{name:>17}" for name in names) + f" {'peak':>6}")
    for count, result in results.items():
        for run in ("first", "night"):
            cells = " ".join(f"{result[run][name][0]:7.2f} ({result[run][name][1]:6.1f})"
                             for name in names)
            print(f"{count:8d} {run:>6} {cells} {result['peak']:6.0f}")
    sizes = list(results)
    for small, large in zip(sizes, sizes[1:]):
        for run in ("first", "night"):
            growth = " ".join(
                f"{name} x{results[large][run][name][0] / max(results[small][run][name][0], 1e-3):.1f}"
                for name in names if name not in ("load_assignment", "load_notes", "plan_pages"))
            print(f"{small} -> {large} ({run}): n x{large / small:.1f}; {growth}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000, 150_000])
    parser.add_argument("--per-night", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="build the sites here (default: a temp folder)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), int(args.child[1]), args.per_night)
        return 0
    workdir = (args.keep or Path(tempfile.mkdtemp(prefix="digest-pages-"))).resolve()
    try:
        results = {}
        for count in args.sizes:
            results[count] = measure(count, args.per_night, workdir)
            print(f"  measured {count} articles", flush=True)
        report(results)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

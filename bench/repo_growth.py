"""How much the repository grows in a year of news, and whether any folder passes 3,000 entries.

Two measurements, printed from one run:

1. What one post weighs on disk, written by digest's own ingest from the real feeds in
   ../shared/corpus/real/ (as bench/ingest.py reads them): with the default summaries
   (``full_text: false``) and with full texts, against the articles bench/site_build.py makes.
2. With ``--site PATH`` (a site kept by ``bench/site_build.py --keep``): the committed files
   (docs/posts, digest-stories.json, digest-state.json if any) committed in a scratch git
   repository as the nightly job does, one commit a night for the last ``--nights`` days on
   top of one commit of everything older, then packed by ``git gc``: the pack's bytes for
   the whole archive and what each of those nights added; and the fullest folders of the
   committed tree (GitHub's web listing shows at most 3,000 entries of a folder).

    .venv/bin/python bench/repo_growth.py
    .venv/bin/python bench/repo_growth.py --site build/bench-150k/site-150000 --nights 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.ingest.dedupe import dedupe  # noqa: E402
from digest.ingest.feedlist import FeedSource  # noqa: E402
from digest.ingest.normalise import FeedOptions, normalise_entry  # noqa: E402
from digest.ingest.parse import NotAFeed, parse_feed  # noqa: E402
from digest.store.state import State  # noqa: E402
from digest.store.write import write_articles  # noqa: E402

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
FOLDER_LIMIT = 3000


def corpus_post_bytes(corpus: Path, full_text: bool) -> list[int]:
    """The size of every post digest writes from the corpus's feeds."""
    articles = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        try:
            feed = parse_feed(path.read_bytes(), {}, str(path))
        except NotAFeed:
            continue
        source = FeedSource(str(path), None, str(path))
        for entry in feed.entries:
            try:
                articles.append(normalise_entry(entry, feed, source, NOW, FeedOptions(full_text=full_text)))
            except Exception:  # noqa: BLE001 - the fetch skips a bad entry the same way
                continue
    with tempfile.TemporaryDirectory() as scratch:
        write_articles(dedupe(articles), State(), Path(scratch), "posts", ZoneInfo("UTC"), {})
        return [p.stat().st_size for p in Path(scratch).rglob("*.md")]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@x",
                               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@x"}).stdout


def pack_bytes(repo: Path, whole: bool = False) -> int:
    """The packed repository's bytes: ``whole`` repacks everything (``git gc``), otherwise the
    new objects go into a pack of their own (``git repack -d``), as a push sends them."""
    git(repo, *(("gc", "--quiet") if whole else ("repack", "-d", "-q")))
    stats = dict(line.split(": ") for line in git(repo, "count-objects", "-v").splitlines())
    return int(stats["size-pack"]) * 1024


def nightly_history(site: Path, nights: int, work: Path) -> None:
    """The archive as a repository: everything before the last ``nights`` days in one commit,
    then one commit a night, as the nightly job makes them; print the pack's growth."""
    posts = site / "docs" / "posts"
    days = sorted({p.parent for p in posts.rglob("*.md")})
    repo = work / "repo"
    (repo / "docs").mkdir(parents=True)
    git(repo, "init", "--quiet")
    older, recent = days[:-nights], days[-nights:]
    for day in older:
        shutil.copytree(day, repo / "docs" / day.relative_to(site / "docs"))
    for name in ("digest-stories.json", "digest-state.json"):
        if (site / name).is_file():
            shutil.copy(site / name, repo / name)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "the archive")
    base = pack_bytes(repo, whole=True)
    count = sum(1 for _ in (repo / "docs").rglob("*.md"))
    print(f"archive before the last {nights} nights: {count} posts in {len(older)} days, "
          f"pack {base / 1e6:.1f} MB ({base / max(count, 1):.0f} bytes a post)")
    grown = []
    for day in recent:
        shutil.copytree(day, repo / "docs" / day.relative_to(site / "docs"))
        git(repo, "add", "-A")
        git(repo, "commit", "--quiet", "-m", f"night {day.name}")
        size = pack_bytes(repo)
        grown.append(size - base)
        base = size
    print(f"each of the last {nights} nights (posts only) adds to the pack: "
          + ", ".join(f"{g / 1e3:.0f} KB" for g in grown))
    entries = Counter()
    for folder, folders, files in os.walk(repo):
        if ".git" not in Path(folder).parts:
            entries[os.path.relpath(folder, repo)] = len(folders) + len(files)
    print("fullest committed folders: " + ", ".join(f"{f} ({n})" for f, n in entries.most_common(3))
          + ("" if entries.most_common(1)[0][1] <= FOLDER_LIMIT else "  OVER 3,000"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "real")
    parser.add_argument("--site", type=Path, help="a site kept by bench/site_build.py --keep")
    parser.add_argument("--nights", type=int, default=5)
    args = parser.parse_args(argv)
    if args.corpus.is_dir():
        for full_text in (False, True):
            sizes = corpus_post_bytes(args.corpus, full_text)
            print(f"corpus posts ({'full texts' if full_text else 'summaries, the default'}): "
                  f"{len(sizes)} posts, mean {statistics.mean(sizes):.0f} bytes, median "
                  f"{statistics.median(sizes):.0f}; 400 a night: {400 * statistics.mean(sizes) / 1e3:.0f} KB")
    else:
        print(f"no corpus at {args.corpus}: skipped the real posts' sizes")
    if args.site:
        bench = [p.stat().st_size for p in (args.site / "docs" / "posts").rglob("*.md")]
        print(f"bench posts: {len(bench)}, mean {statistics.mean(bench):.0f} bytes")
        with tempfile.TemporaryDirectory() as work:
            nightly_history(args.site, args.nights, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())

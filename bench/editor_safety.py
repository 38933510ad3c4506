"""What keeping editors safe costs a nightly run, at the sizes a publication reaches.

For N generated posts (synthetic, front matter as `digest fetch` writes it, about 2 KB each)
it prints, from one run:
- the state file's size (total and per post) and the time to save and load it;
- the time to read every post back and reconcile the state with them (every fetch does
  this before writing), against the time to merely read the files, as a ratio;
- the time to write N posts atomically with and without fsync (posts use it; pages do not).

    .venv/bin/python bench/editor_safety.py                 # 1,000 and 5,000 posts
    .venv/bin/python bench/editor_safety.py --sizes 20000
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.store.files import write_atomic
from digest.article import Article
from digest.store.posts import load_posts
from digest.store.state import PostRecord, State, load_state, reconcile, save_state
from digest.store.posts import content_hash
from digest.store.write import new_post_path, render_post

WORDS = ("harbour council ferry storm quay wall vote budget school road fleet market "
         "weather tide lighthouse bridge festival museum train strike").split()


def article(number: int) -> Article:
    words = [WORDS[(number * 7 + i * 3) % len(WORDS)] for i in range(320)]
    body = "\n\n".join(" ".join(words[i:i + 64]).capitalize() + "." for i in range(0, 320, 64))
    return Article(
        id=f"https://news{number % 40}.example/story/{number:06d}",
        title=f"{WORDS[number % len(WORDS)].title()} story number {number}",
        link=f"https://news{number % 40}.example/story/{number:06d}",
        date=datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=10 * number),
        source=f"News {number % 40}", feed_url=f"https://news{number % 40}.example/feed.xml",
        categories=(WORDS[number % 10].title(),), summary=" ".join(words[:40]) + "…",
        body=body + "\n")


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def measure(size: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="digest-bench-"))
    try:
        docs, zone, state, taken = root / "docs", ZoneInfo("UTC"), State(), set()
        articles = [article(number) for number in range(size)]
        texts = [render_post(item) for item in articles]

        def write_all(durable: bool) -> None:
            for item, text in zip(articles, texts):
                path = new_post_path(item, docs, "posts", zone, taken)
                write_atomic(docs / path, text, durable=durable)
                state.posts[item.id] = PostRecord(path, content_hash(text))
                state.seen.add(item.id)

        _, plain = timed(lambda: write_all(False))
        shutil.rmtree(docs)
        taken.clear()
        sample = min(size, 500)       # fsync is slow: time a sample, scale it
        articles, texts = articles[:sample], texts[:sample]
        _, synced = timed(lambda: write_all(True))
        synced *= size / sample
        shutil.rmtree(docs)
        taken.clear()
        articles = [article(number) for number in range(size)]
        texts = [render_post(item) for item in articles]
        write_all(False)

        path = root / "digest-state.json"
        _, save_seconds = timed(lambda: save_state(state, path))
        _, load_seconds = timed(lambda: load_state(path))
        state_bytes = path.stat().st_size

        _, read_seconds = timed(lambda: [p.read_text(encoding="utf-8")
                                         for p in (docs / "posts").rglob("*.md")])
        (posts, _), load_posts_seconds = timed(lambda: load_posts(docs, "posts", zone))
        fresh = load_state(path)
        _, reconcile_seconds = timed(lambda: reconcile(fresh, posts, articles))
        lost = State(missing=True)
        _, rebuild_seconds = timed(lambda: reconcile(lost, posts, articles))

        print(f"\n{size:,} generated posts")
        print(f"  state file: {state_bytes / 1024:,.0f} KiB ({state_bytes / size:.0f} bytes a post); "
              f"save {save_seconds * 1000:.0f} ms, load {load_seconds * 1000:.0f} ms")
        print(f"  read every post: files only {read_seconds:.2f} s; parsed with hashes "
              f"(load_posts) {load_posts_seconds:.2f} s ({load_posts_seconds / read_seconds:.1f}x)")
        print(f"  reconcile with the state: {reconcile_seconds * 1000:.0f} ms; "
              f"rebuild without a state file: {rebuild_seconds * 1000:.0f} ms")
        print(f"  write {size:,} posts atomically: {plain:.2f} s without fsync, "
              f"about {synced:.2f} s with fsync per post ({synced / plain:.1f}x; "
              f"timed on {sample})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    for size in parser.parse_args().sizes:
        measure(size)


if __name__ == "__main__":
    main()

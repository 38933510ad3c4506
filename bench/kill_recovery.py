"""How many stories survive a `digest fetch` killed while writing posts.

The scenario of issue 12: real publishers' feeds from ../shared/corpus/real served on
127.0.0.1 by a static file server that sends Last-Modified and answers If-Modified-Since with
304 (as real servers do); one `digest fetch` is killed after a third of the posts an
uninterrupted run writes are on disk, then the fetch is run again. It prints, from one run,
the posts of the uninterrupted run, the posts on disk at the kill, and the stories after the
rerun (matched by their ids), and how many are lost for good (their feeds answer 304 now).

    nice .venv/bin/python bench/kill_recovery.py              # 120 feeds
    nice .venv/bin/python bench/kill_recovery.py --feeds 60
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.store.posts import read_post

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
LAST_MODIFIED = formatdate(1764032400, usegmt=True)      # one fixed night


def corpus_feeds(count: int) -> list[Path]:
    """The first ``count`` well-formed real feeds with entries (STATS.tsv's verdict)."""
    found = []
    for line in (CORPUS / "STATS.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        path, bozo, _, _, entries = line.split("\t")[:5]
        if path.startswith("real/") and int(entries) > 0:
            found.append(CORPUS / path)
    return sorted(found)[:count]


def static_server(files: dict[str, bytes]) -> ThreadingHTTPServer:
    """Answers like a static file server: Last-Modified, and 304 to If-Modified-Since."""
    modified = parsedate_to_datetime(LAST_MODIFIED)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's naming)
            body = files.get(self.path)
            since = self.headers.get("If-Modified-Since")
            if body is not None and since:
                try:
                    fresh = modified <= parsedate_to_datetime(since)
                except (TypeError, ValueError):
                    fresh = False
                if fresh:
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            self.send_response(200 if body is not None else 404)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def new_site(root: Path, feed_list: str) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns(
        "index.md", "archive.md", "*.xml", "days", "categories", "sources", "feeds", "posts"))
    shutil.copytree(REPO / "overrides", root / "overrides",
                    ignore=shutil.ignore_patterns("digest-generated"))
    (root / "feeds.txt").write_text(feed_list, encoding="utf-8")
    return root


def fetch(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "digest", "fetch"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def post_ids(root: Path) -> set[str]:
    ids = set()
    for path in (root / "docs" / "posts").rglob("*.md"):
        post, _ = read_post(path, root / "docs", ZoneInfo("UTC"))
        if post is not None:
            ids.add(post.id)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=120)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print("../shared/corpus is not present: nothing to measure")
        return
    feeds = corpus_feeds(args.feeds)
    server = static_server({f"/{number}.xml": path.read_bytes() for number, path in enumerate(feeds)})
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feed_list = "".join(f"{base}/{number}.xml\n" for number in range(len(feeds)))
    scratch = Path(tempfile.mkdtemp(prefix="digest-kill-"))
    try:
        reference = new_site(scratch / "reference", feed_list)
        fetch(reference).wait()
        expected = post_ids(reference)

        killed = new_site(scratch / "killed", feed_list)
        target = len(expected) // 3
        process, posts = fetch(killed), killed / "docs" / "posts"
        while process.poll() is None and sum(1 for _ in posts.rglob("*.md")) < target:
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        at_kill = len(post_ids(killed))
        fetch(killed).wait()
        after = post_ids(killed)
    finally:
        server.shutdown()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(feeds)} real feeds, served with Last-Modified and If-Modified-Since")
    print(f"  uninterrupted run: {len(expected):,} posts")
    print(f"  killed after {at_kill:,} posts; after the rerun: {len(after & expected):,} of "
          f"{len(expected):,} stories ({len(expected - after):,} lost for good)")


if __name__ == "__main__":
    main()

"""`digest serve` for real: started on 127.0.0.1 with a free port, pages fetched over HTTP,
a post changed, added and unpublished on disk, the listing seen to follow, then stopped."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(check, what: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}; digest serve said:\n{log.read_text(encoding='utf-8')}")


def write_post(site: Path, name: str, title: str, extra: str = "") -> Path:
    path = site / "docs" / "posts" / "2026" / "11" / "30" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: 2026-11-30 08:00\n{extra}---\n\nText.\n",
                    encoding="utf-8")
    return path


def test_serve_rewrites_the_listings_when_posts_change(site, tmp_path):
    post = write_post(site, "harbour-day.md", "Harbour day draws a crowd")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen([str(BIN / "digest"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=site, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/digest/"     # site_url's path, as MkDocs serves it
    try:
        wait_for(lambda: "Harbour day draws a crowd" in get(base)[1], "the front page", log)
        assert get(base + "posts/2026/11/30/harbour-day/")[0] == 200

        # An editor renames the post: the front page follows without a restart.
        post.write_text(post.read_text(encoding="utf-8").replace(
            "Harbour day draws a crowd", "Harbour day draws record crowds"), encoding="utf-8")
        wait_for(lambda: "Harbour day draws record crowds" in get(base)[1], "the new title", log)
        assert "Harbour day draws a crowd" not in get(base)[1]

        # A new post appears on its day's page.
        write_post(site, "ferry-race.md", "Ferry race won by a rowing boat")
        wait_for(lambda: "Ferry race won by a rowing boat" in get(base + "days/2026-11-30/")[1],
                 "the new post on its day page", log)

        # Today's editor's note leads the front page as soon as it is saved.
        notes = site / "docs" / "notes"
        notes.mkdir()
        (notes / "2026-11-30.md").write_text("---\ntitle: Good morning, harbour\n---\n\nHello.\n",
                                             encoding="utf-8")
        wait_for(lambda: "Good morning, harbour" in get(base)[1], "the note on the front page", log)

        # Unpublished: off the listings, and previewed with MkDocs' DRAFT mark.
        post.write_text(post.read_text(encoding="utf-8").replace("date:", "draft: true\ndate:"),
                        encoding="utf-8")
        wait_for(lambda: "Harbour day draws record crowds" not in get(base)[1], "the draft gone", log)
        wait_for(lambda: "mkdocs-draft-marker" in get(base + "posts/2026/11/30/harbour-day/")[1],
                 "the draft previewed", log)
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0, log.read_text(encoding="utf-8")
    assert get(base)[0] == 0, "still serving after SIGTERM"
    assert "Shutting down" in log.read_text(encoding="utf-8")

"""Shared fixtures: a real HTTP server on 127.0.0.1, a scratch copy of the site, paths."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


class Route:
    """What the server answers for one path: a status, headers and a body, or a handler."""

    def __init__(self, body: bytes = b"", status: int = 200, headers: dict | None = None,
                 handler: Callable | None = None):
        self.body, self.status, self.headers, self.handler = body, status, headers or {}, handler


def conditional(body: bytes, last_modified: str,
                content_type: str = "application/xml") -> Route:
    """A route that behaves like a static file server: it sends an ETag (the body's hash) and
    Last-Modified, and answers 304 to a request whose If-None-Match or If-Modified-Since
    says the client has this version already."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    modified = parsedate_to_datetime(last_modified)

    def handle(request):
        match = request.headers.get("If-None-Match")
        since = request.headers.get("If-Modified-Since")
        if match is not None:
            fresh = etag in [tag.strip() for tag in match.split(",")]
        elif since:
            try:
                fresh = modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                fresh = False
        else:
            fresh = False
        request.send_response(304 if fresh else 200)
        request.send_header("ETag", etag)
        request.send_header("Last-Modified", last_modified)
        if fresh:
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    route = Route(body, 200, {"ETag": etag, "Last-Modified": last_modified}, handler=handle)
    return route


class FeedServer:
    """A real local HTTP server; tests add routes and read back the requests it saw."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.handler is not None:
                    route.handler(self)
                    return
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A short poll: shutdown() waits for it, and the default 0.5 s is paid by every test.
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       kwargs={"poll_interval": 0.05})

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", status: int = 200,
            content_type: str = "application/rss+xml; charset=utf-8", **kwargs) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {"Content-Type": content_type, **kwargs.pop("headers", {})}
        self.routes[path] = Route(body, status, headers, **kwargs)
        return self.url(path)

    def add_file(self, path: str, file: Path, **kwargs) -> str:
        return self.add(path, file.read_bytes(), **kwargs)


@pytest.fixture
def feed_server():
    server = FeedServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def site(tmp_path) -> Path:
    """A fresh copy of the repo's site (mkdocs.yml, docs/, overrides/) to run digest in."""
    return copy_site(tmp_path / "site-root")


# What ``digest pages`` writes (.gitignore lists the same): never copied, so a test site
# starts from the publication's own files only.
DERIVED = ("index.md", "archive.md", "archive", "feed.xml", "atom.xml", "feeds", "days", "categories",
           "sources", "stories", "top-stories.*", "digest-generated", "__pycache__")


def copy_site(root: Path, feeds: str = "", **digest_settings) -> Path:
    """Copy the repo's site (mkdocs.yml, docs/, overrides/, without derived files) to ``root``.

    ``feeds`` is the text of its feeds.txt; ``digest_settings`` are set under extra.digest.
    The one way every test makes a site to run digest in.
    """
    root.mkdir(parents=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if digest_settings:
        data = yaml.safe_load(config)
        data["extra"]["digest"].update(digest_settings)
        config = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in ("docs", "overrides"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns(*DERIVED))
    (root / "feeds.txt").write_text(feeds, encoding="utf-8")
    return root


def needs_corpus():
    """Tests over the third-party corpus skip cleanly in a fresh clone without ../shared/."""
    return pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


@pytest.fixture
def pages_site(site: Path) -> Path:
    """A scratch site whose posts are tests/data/pages/posts (three days in May 2021 and one
    in April, a title full of markup, a `javascript:` link, an article in two categories, an
    editor's note)."""
    shutil.rmtree(site / "docs" / "posts")
    shutil.copytree(DATA / "pages" / "posts", site / "docs" / "posts")
    return site


@pytest.fixture(scope="session")
def shared_builds(tmp_path_factory) -> Path:
    """A folder for builds shared by test modules (``build_test_site(..., shared=...)``): one
    per test run, the same for all its xdist workers (their temp folders' parent)."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-builds"


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (never a browser download), one per test module."""
    from tests.helpers import CHROMIUM, LAUNCH_ARGS   # helpers imports this module: import late

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()

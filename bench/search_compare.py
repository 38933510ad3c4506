"""Material's search (one lunr JSON file) against Pagefind (a chunked index), on one site.

Generates N articles as bench/site_build.py does (400 a night by default), runs `digest pages`,
then builds the site twice: with Material's search plugin on (as the site had it before
`digest publish`), and as the site is now (the theme's search off, `digest publish` writing
Pagefind's index). For each it prints the index's bytes on disk, the seconds its indexing
added to the night, and, in Debian's chromium over HTTP on 127.0.0.1, the bytes a reader's
first query downloads and the milliseconds from typing the query to the first result.

    .venv/bin/python bench/search_compare.py                  # 5,000 articles
    .venv/bin/python bench/search_compare.py --articles 20000
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import BIN, folder_bytes, scratch_site, timed, write_articles  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first_query(browser, base: str, engine: str, word: str) -> tuple[int, float]:
    """Bytes downloaded for the search (index, worker, UI) and ms from typing to a result."""
    context = browser.new_context()
    page = context.new_page()
    fetched = {}     # by URL: the page and the context (its workers) both report a response
    context.on("response", lambda response: fetched.setdefault(response.url, response))
    if engine == "lunr":
        page.goto(base)
        page.locator(".md-search__input").click()
        start = time.perf_counter()
        page.keyboard.type(word)
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=120_000)
    else:
        page.goto(base + "search/")
        page.locator(".pagefind-ui__search-input").wait_for(state="visible")
        page.locator(".pagefind-ui__search-input").click()
        start = time.perf_counter()
        page.keyboard.type(word)
        page.locator(".pagefind-ui__result").first.wait_for(state="visible", timeout=120_000)
    elapsed = (time.perf_counter() - start) * 1000
    page.wait_for_timeout(500)
    # From the page's load on: Material's worker fetches its whole index as the page loads,
    # and the search page's own scripts are Pagefind's.
    searched = [r for url, r in fetched.items() if "search" in url or "pagefind" in url]
    size = sum(len(r.body()) for r in searched)
    context.close()
    return size, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--per-night", type=int, default=400)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="digest-search-"))
    try:
        site = scratch_site(work / "site")
        write_articles(site / "docs", args.articles, per_night=args.per_night)
        newest = next((site / "docs" / "posts").rglob("article-0.md")).read_text(encoding="utf-8")
        word = re.search(r"^title: (\S+)", newest, re.MULTILINE).group(1).lower()
        timed([str(BIN / "digest"), "pages"], site)
        config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
        results = {}
        # As it is now: no theme search; digest publish writes Pagefind's index.
        plain = timed([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], site)
        publish = timed([str(BIN / "digest"), "publish"], site)
        shutil.move(site / "site", work / "pagefind-site")
        # Material's lunr search, as before (older articles by their whole text: the hook that
        # cut them to the summary is gone; see bench/README.md for the figures with it).
        config["plugins"] = ["search"]
        (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        lunr = timed([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], site)
        shutil.move(site / "site", work / "lunr-site")
        results["lunr"] = {"index": (work / "lunr-site" / "search" / "search_index.json").stat().st_size,
                           "build": lunr, "extra": (0, 0, 0)}
        results["pagefind"] = {"index": folder_bytes(work / "pagefind-site" / "pagefind")[0],
                               "build": plain, "extra": publish}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for engine, folder in (("lunr", "lunr-site"), ("pagefind", "pagefind-site")):
                server, base = serve(work / folder)
                try:
                    results[engine]["query"] = first_query(browser, base, engine, word)
                finally:
                    server.shutdown()
            browser.close()
        print(f"{args.articles} articles at {args.per_night} a night; query {word!r}")
        print(f"{'search':>9} {'index MB':>9} {'mkdocs build s (CPU)':>21} {'digest publish s (CPU)':>23} "
              f"{'peak MiB':>8} {'first query KB':>14} {'first query ms':>14}")
        for engine, r in results.items():
            build, extra = r["build"], r["extra"]
            print(f"{engine:>9} {r['index'] / 1e6:9.2f} {build[0]:12.1f} ({build[1]:6.1f}) "
                  f"{extra[0]:14.1f} ({extra[1]:6.1f}) {max(build[2], extra[2]):8.0f} "
                  f"{r['query'][0] / 1000:14.0f} {r['query'][1]:14.0f}")
        print("digest publish also minifies every page; lunr: no publish step (Material's search "
              "in the build); bytes and ms from chromium, first query after the page loaded")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every built HTML page, minified with minify-html (a maintained Rust minifier).

Why after the build, in our own step: MkDocs could do it in a hook, but Zensical runs no
hooks, and the same ``site/`` must come out of either engine. A Material article page loses
about a fifth of its bytes (whitespace, optional quotes and closing tags, the inline SVG's
spacing); the text a reader sees is unchanged. Pages are spread over the machine's cores:
at a year of news this is the step's biggest cost.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import minify_html

from digest.store.files import write_atomic

CHUNK = 200     # pages per task: large enough that a process's start-up is paid rarely


def minify_page(text: str) -> str:
    # minify_css: the style attributes and <style> blocks Material inlines. JavaScript is
    # left as the theme ships it (already minified; the config block is JSON).
    return minify_html.minify(text, minify_css=True)


def _minify_files(paths: list[str]) -> tuple[int, int]:
    before = after = 0
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        small = minify_page(text)
        before, after = before + len(text.encode()), after + len(small.encode())
        if small != text:
            write_atomic(path, small)
    return before, after


def minify_site(site_dir: Path, workers: int | None = None) -> tuple[int, int]:
    """Minify every ``*.html`` under ``site_dir`` in place; return (bytes before, after)."""
    paths = sorted(str(path) for path in site_dir.rglob("*.html"))
    chunks = [paths[start:start + CHUNK] for start in range(0, len(paths), CHUNK)]
    workers = workers or min(len(chunks), os.cpu_count() or 1)
    if workers <= 1:
        results = [_minify_files(chunk) for chunk in chunks]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_minify_files, chunks))
    return sum(r[0] for r in results), sum(r[1] for r in results)

"""The site's search index: Pagefind, run over the built pages of either engine.

Why Pagefind and not the theme's own search: Material's (and Zensical's) search is one JSON
file with every page's text that the reader's browser downloads whole on the first search;
at a year of news it is tens of megabytes. Pagefind writes a chunked index, and a query
downloads only the chunks for its words (bench/README.md, "Search", has both measured).

What goes in: only what readers search. Article pages within ``search_full_days`` of the
newest are indexed by their own text (the theme marks the title and the text with
``data-pagefind-body``, so the header, navigation, byline, see-also and appeal stay out);
older articles by title and summary only, as small custom records read from the page's
head; editors' posts outside the dated folders always by their text; listing pages not at
all (they repeat what the articles already hold).
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

OUTPUT = "pagefind"
BATCH = 500          # requests in flight to the Pagefind service at once
HEAD_BYTES = 16_384
EXIT_SECONDS = 120   # how long the Pagefind binary may take to finish writing and exit  # the title and summary are in the page's <head>
DAY_IN_URL = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/[^/]+/(?:index\.html)?$")
_META = re.compile(r'<meta (?:name|property)="(og:title|description)" content="([^"]*)"')


@dataclass(frozen=True)
class SearchReport:
    full_pages: int          # indexed by their text
    summaries: int           # indexed by title and summary
    index_bytes: int


def page_url(site_dir: Path, path: Path) -> str:
    """The address a built file answers at, from the site's root: ``/posts/x/``."""
    relative = path.relative_to(site_dir).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def day_of(url: str) -> date | None:
    match = DAY_IN_URL.search(url)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def head_fields(path: Path) -> dict[str, str]:
    """og:title and description from a page our theme rendered (before minifying)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        head = handle.read(HEAD_BYTES)
    return {key: html.unescape(value) for key, value in _META.findall(head)}


def article_pages(site_dir: Path, posts_dir: str) -> list[tuple[str, Path]]:
    root = site_dir / posts_dir
    return sorted((page_url(site_dir, path), path) for path in root.rglob("*.html")) if root.is_dir() else []


def build_search_index(site_dir: Path, posts_dir: str, full_days: int, language: str) -> SearchReport:
    """Write ``site_dir/pagefind/`` (replacing an earlier one) and say what it holds."""
    pages = article_pages(site_dir, posts_dir)
    days = [day for day in (day_of(url) for url, _ in pages) if day]
    cutoff = max(days) - timedelta(days=full_days) if days else None
    full, compact = [], []
    for url, path in pages:
        day = day_of(url)
        (compact if cutoff and day and day < cutoff else full).append((url, path))
    output = site_dir / OUTPUT
    shutil.rmtree(output, ignore_errors=True)
    asyncio.run(_index(site_dir, full, compact, language.split("-")[0].split("_")[0] or "en"))
    _check_entry(output)
    size = sum(path.stat().st_size for path in output.rglob("*") if path.is_file())
    return SearchReport(len(full), len(compact), size)


async def _index(site_dir: Path, full, compact, language: str) -> None:
    from pagefind.index import IndexConfig

    config = IndexConfig(output_path=str(site_dir / OUTPUT), force_language=language)
    async with _service_class()() as service:
        index = await service.create_index(config)
        for start in range(0, len(full), BATCH):
            await asyncio.gather(*(
                index.add_html_file(content=path.read_text(encoding="utf-8"), url=url)
                for url, path in full[start:start + BATCH]))
        for start in range(0, len(compact), BATCH):
            records = []
            for url, path in compact[start:start + BATCH]:
                fields = head_fields(path)
                title = fields.get("og:title", "")
                records.append(index.add_custom_record(
                    url=url, content=f"{title}. {fields.get('description', '')}",
                    language=language, meta={"title": title}))
            await asyncio.gather(*records)
        await index.write_files()


class SearchIndexError(Exception):
    """Pagefind wrote an index readers' browsers cannot load."""


def _check_entry(output: Path) -> None:
    """The file every search starts from must be whole: fail the publish, not the readers."""
    entry = output / "pagefind-entry.json"
    try:
        json.loads(entry.read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchIndexError(f"{entry}: Pagefind left it unreadable ({exc}); run digest publish again") from exc


def _service_class():
    """Pagefind's service with its answers read as they come.

    pagefind 1.5.2's ``PagefindService._wait_for_responses`` sleeps 0.1 s before reading each
    answer from the binary, so it takes at most ten pages a second, whatever is in flight:
    at a year's 150,000 pages, four hours of waiting (bench/README.md, "A year of news").
    This loop reads and resolves the same answers the same way, without the pause."""
    from pagefind.service import PagefindService

    class Service(PagefindService):
        async def _wait_for_responses(self) -> None:
            while True:
                output = await self._backend.stdout.readuntil(b",")
                response = json.loads(base64.b64decode(output[:-1]))
                if response is None:
                    continue
                message_id = response.get("message_id")
                payload = response["payload"]
                if message_id is None and payload.get("original_message"):
                    # A message the binary could not parse comes back without its id.
                    message_id = (json.loads(payload["original_message"]) or {}).get("message_id")
                future = self._responses.get(message_id)
                if future is None or future.done():
                    continue
                if payload["type"] == "Error":
                    future.set_exception(Exception(payload["message"], payload.get("original_message")))
                else:
                    future.set_result(payload)

        async def close(self) -> None:
            """End the binary's input and let it exit by itself. It answers WriteFiles before
            its last file is flushed, and the stock close terminates it at once: under load
            that left an empty ``pagefind-entry.json``, and search failed on the site."""
            backend = self._backend
            if backend.stdin is not None and not backend.stdin.is_closing():
                backend.stdin.close()
            try:
                await asyncio.wait_for(backend.wait(), timeout=EXIT_SECONDS)
            except asyncio.TimeoutError:
                pass
            if backend.returncode is None:
                await super().close()
            else:
                self._poll_task.cancel()

    return Service

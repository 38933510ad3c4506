"""Optional MkDocs hook: articles older than ``extra.digest.search_full_days`` (counted back
from the newest article) are searchable by title and summary only.

Why: Material's search index holds the text of every page, and a reader's browser loads it
whole; at thousands of articles it grows past what a phone should download. Recent articles
stay searchable by their full text. The page a reader sees is unchanged: the text is swapped
out only while the search plugin indexes the page and put back before the page is rendered.

The site builds without this hook (delete its line in mkdocs.yml, or build with Zensical,
which runs no MkDocs hooks): the index is then just bigger. It lives in the theme folder
only so every copy of the site carries it; MkDocs never publishes ``.py`` files from there.
Standard library only, so it needs nothing but MkDocs.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from mkdocs.plugins import event_priority

DEFAULT_FULL_DAYS = 7          # keep in step with digest.config's search_full_days default
DAY_IN_PATH = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})/[^/]+\.md$")

_cutoff: date | None = None
_posts_prefix = "posts/"
_held: dict[str, str] = {}


def _day_of(src_uri: str) -> date | None:
    """Generated posts live in ``posts/YYYY/MM/DD/``; an editor's note elsewhere has no day."""
    match = DAY_IN_PATH.search(src_uri)
    if not match or not src_uri.startswith(_posts_prefix):
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def on_files(files, config):
    global _cutoff, _posts_prefix
    digest = config.extra.get("digest") or {}
    _posts_prefix = str(digest.get("posts_dir") or "posts").strip("/") + "/"
    full_days = int(digest.get("search_full_days") or DEFAULT_FULL_DAYS)
    days = [day for day in (_day_of(file.src_uri) for file in files) if day]
    _cutoff = max(days) - timedelta(days=full_days) if days else None
    _held.clear()
    return files


@event_priority(-100)   # last: other plugins have seen the whole text
def on_page_content(content, page, config, files):
    day = _day_of(page.file.src_uri)
    if _cutoff is None or day is None or day >= _cutoff:
        return content
    _held[page.file.src_uri] = content
    return f"<p>{html.escape(str(page.meta.get('summary') or ''))}</p>"


@event_priority(-100)   # after the search plugin has indexed the summary: restore the text
def on_page_context(context, page, config, nav):
    held = _held.pop(page.file.src_uri, None)
    if held is not None:
        page.content = held
    return context

"""Sitemaps search engines accept: at most 50,000 URLs per file, and an index over them.

And no file over the 5 MiB the site allows any file (``size.FILE_LIMIT``; the protocol's own
limit is 50 MB): at 50,000 article addresses a sitemap is about 5.2 MiB.

MkDocs (``sitemap.xml`` and ``sitemap.xml.gz``) and Zensical (``sitemap.xml``) each write
one file listing every page, whatever its length; past 50,000 URLs the protocol rejects it
(https://www.sitemaps.org/protocol.html). This step reads the engine's list and, when it is
too long, writes ``sitemap-1.xml``, ``sitemap-2.xml``... and turns ``sitemap.xml`` into a
sitemap index pointing at them, so the address search engines know keeps working. The
gzipped copy MkDocs writes would be stale: it is rewritten from the new ``sitemap.xml``.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from xml.sax.saxutils import escape

from digest.publish.size import FILE_LIMIT
from digest.store.files import write_atomic

MAX_URLS = 50_000
# What a sitemap file adds around its entries (declaration, <urlset>, line breaks), rounded up.
_FRAME_BYTES = 200
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_URL = re.compile(r"<url>(.*?)</url>", re.DOTALL)


def url_entries(sitemap: str) -> list[str]:
    """The ``<url>`` elements of a sitemap, each as its inner XML, whitespace trimmed."""
    return [re.sub(r">\s+<", "><", entry.strip()) for entry in _URL.findall(sitemap)]


def urlset(entries: list[str]) -> str:
    body = "".join(f"<url>{entry}</url>\n" for entry in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n{body}</urlset>\n'


def sitemap_index(locations: list[str]) -> str:
    body = "".join(f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n" for loc in locations)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n'
            f"{body}</sitemapindex>\n")


def parts_within(entries: list[str], limit: int, max_bytes: int) -> list[list[str]]:
    """``entries`` in order, in as few parts as hold at most ``limit`` entries and
    ``max_bytes`` bytes of sitemap each."""
    parts, part, size = [], [], _FRAME_BYTES
    for entry in entries:
        entry_bytes = len(entry.encode("utf-8")) + len("<url></url>\n")
        if part and (len(part) == limit or size + entry_bytes > max_bytes):
            parts.append(part)
            part, size = [], _FRAME_BYTES
        part.append(entry)
        size += entry_bytes
    return parts + ([part] if part else [])


def split_sitemaps(site_dir: Path, site_url: str, limit: int = MAX_URLS,
                   max_bytes: int = FILE_LIMIT) -> int:
    """Split ``site_dir/sitemap.xml`` when it lists more than ``limit`` URLs or weighs more
    than ``max_bytes``; return the number of sitemap files (with URLs) the site now has
    (0: the engine wrote none)."""
    main = site_dir / "sitemap.xml"
    for stale in site_dir.glob("sitemap-*.xml"):
        stale.unlink()
    if not main.is_file():
        return 0
    entries = url_entries(main.read_text(encoding="utf-8"))
    parts = parts_within(entries, limit, max_bytes)
    if len(parts) > 1:
        base = site_url.rstrip("/") + "/" if site_url else ""
        names = [f"sitemap-{number}.xml" for number in range(1, len(parts) + 1)]
        for name, part in zip(names, parts):
            write_atomic(site_dir / name, urlset(part))
        write_atomic(main, sitemap_index([base + name for name in names]))
        count = len(parts)
    else:
        count = 1
    packed = site_dir / "sitemap.xml.gz"
    if packed.exists():
        packed.write_bytes(gzip.compress(main.read_bytes(), mtime=0))
    return count
